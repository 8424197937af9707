"""The Haplotypes sheet: Y-STR haplotype counts with one column per marker, mtDNA ones
with their variants in one column."""

from __future__ import annotations

from typing import Any

from chosei.exchange import cells, genetics, schema
from chosei.exchange.adapters import (
    Adapter,
    Entry,
    RowError,
    Stored,
)
from chosei.exchange.reader import RawSheet
from chosei.exchange.report import Problem
from chosei.exchange.row_models import HaplotypeRow
from chosei.i18n import _
from chosei.kinship.markers import is_y_str
from chosei.models import HaplotypeCount
from chosei.models.many import Result


class Haplotypes(Adapter):
    """Y-STR rows spread over one column per marker; mtDNA rows hold their variants in one
    column. The store keeps the canonical text (see `genetics`), which is part of the key."""

    spec = schema.HAPLOTYPES
    table_cls = HaplotypeCount
    model = HaplotypeRow
    Y_PREFIX = "y:"

    def entries(self, raw: RawSheet, date1904: bool, problems: list[Problem]) -> list[Entry]:
        markers = []
        rest = []
        for i, header in raw.extra:
            if is_y_str(header):  # one column per Y-STR marker, headed by its name
                try:
                    markers.append((i, genetics.canonical_marker(header)))
                except genetics.GeneticsError as exc:
                    problems.append(raw.problem(raw.header_row, i, str(exc)))
            else:
                rest.append((i, header))
        raw.extra = rest
        columns = {i: raw.column(i) for i, _ in markers}
        out = []
        for k, entry in enumerate(super().entries(raw, date1904, problems)):
            ys = {}
            for i, marker in markers:
                value = columns[i][k]
                if value is None or (isinstance(value, str) and not value.strip()):
                    continue
                try:
                    ys[marker] = genetics.y_alleles(value)
                except genetics.GeneticsError as exc:
                    problems.append(raw.problem(entry.row, i, str(exc)))
                    entry.bad = True
            values = entry.values
            if "kind" not in values:
                values["kind"] = "Y" if ys and "mtdna" not in values else \
                    "mt" if "mtdna" in values and not ys else None
            if values.get("kind") == "Y" and ys:
                values["haplotype"] = genetics.y_haplotype(ys)
            elif values.get("kind") == "mt" and values.get("mtdna") not in (None, cells.CLEAR):
                values["haplotype"] = values["mtdna"]
            cols = dict(entry.cols)
            cols["haplotype"] = markers[0][0] if ys and markers else cols.get("mtdna", 0)
            out.append(Entry(entry.row, values, cols, entry.version, bad=entry.bad))
        return out

    def key_of(self, values: dict[str, Any]) -> tuple[Any, ...]:
        if values.get("haplotype") is None and values.get("kind") is not None:
            raise RowError("haplotype", _("the row has no haplotype: fill the marker columns")
                           if values["kind"] == "Y" else _("the row has no haplotype: fill the mtDNA column"))
        if values.get("kind") is None:
            raise RowError("kind", _("is empty: write Y or mt"))
        return super().key_of(values)

    def stored(self, row: dict[str, Any]) -> Stored:
        view = {"population": row["population"], "kind": row["kind"], "count": row["count"],
                "haplotype": row["haplotype"],
                "mtdna": row["haplotype"] if row["kind"] == "mt" else None}
        if row["kind"] == "Y":
            for marker, alleles in genetics.parse_y_haplotype(row["haplotype"]).items():
                view[self.Y_PREFIX + marker] = alleles
        return Stored(view, row["version"], row)

    def validate(self, merged: dict[str, Any], done: Result | None = None) -> dict[str, Any]:
        row = self.check(merged, done)
        return {"population": row["population"], "kind": row["kind"], "count": row["count"],
                "haplotype": row["haplotype"],
                "mtdna": row["haplotype"] if row["kind"] == "mt" else None}

    def extra_columns(self, views: list[dict[str, Any]]) -> list[schema.Column]:
        markers = sorted({k[len(self.Y_PREFIX):] for v in views for k in v
                          if k.startswith(self.Y_PREFIX)})
        return [schema.Column(self.Y_PREFIX + m, m, m, m, schema.TEXT, width=9) for m in markers]
