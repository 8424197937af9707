"""The adapters of the sheets that map one row onto one table row."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from chosei.exchange import cells, genetics, row_models, schema
from chosei.exchange.adapters import Adapter, Entry, ExportContext, Op, RowError, Stored
from chosei.exchange.reader import RawSheet
from chosei.exchange.report import Problem
from chosei.models import (
    AlleleFrequency,
    CustodyEvent,
    FamilyPerson,
    Genotype,
    Identification,
    Operation,
    Sample,
    Specimen,
    Victim,
    VictimName,
)
from chosei.models.family import FamilyPersonCreate
from chosei.models.many import Result
from chosei.models.recovery import CustodyEventCreate, OperationCreate, SpecimenCreate
from chosei.models.samples import SampleCreate
from chosei.models.victims import VictimCreate, VictimNameCreate
from chosei.vocab import VocabError, normalize_id


class Victims(Adapter):
    spec = schema.VICTIMS
    table_cls = Victim
    model = VictimCreate
    defines = "victim"

    def ops(self, stored: Stored | None, clean: dict[str, Any], changed: Sequence[str],
            resolved: dict[str, str]) -> list[Op]:
        """As any sheet's, with the birth date as written (`1915年頃`, 大正4年3月2日) that
        the row's model kept from the cell: set on a new row and whenever the workbook
        changes the birth date (a changed date as ISO drops the text kept of the old one)."""
        out = super().ops(stored, clean, changed, resolved)
        if stored is None or "birth_date" in changed:
            out[0].after["birth_date_written"] = clean.get("birth_date_written")
        return out

    def validate(self, merged: dict[str, Any], done: Result | None = None) -> dict[str, Any]:
        values = self.check(merged, done)
        return {**{f: values[f] for f in self.fields}, "birth_date_written": values["birth_date_written"]}


class Names(Adapter):
    spec = schema.NAMES
    table_cls = VictimName
    model = VictimNameCreate
    refs = {"victim_id": ("victim",)}


class Operations(Adapter):
    spec = schema.OPERATIONS
    table_cls = Operation
    model = OperationCreate
    defines = "operation"


class Specimens(Adapter):
    spec = schema.SPECIMENS
    table_cls = Specimen
    model = SpecimenCreate
    defines = "specimen"
    refs = {"operation_id": ("operation",)}


class Samples(Adapter):
    """`Source ID` names a specimen or a relative; the store keeps it in one of two columns."""

    spec = schema.SAMPLES
    table_cls = Sample
    model = SampleCreate
    defines = "sample"
    refs = {"source_id": ("specimen", "relative")}

    def stored(self, row: dict[str, Any]) -> Stored:
        view = {f: row.get(f) for f in self.fields}
        view["source_id"] = row["specimen_id"] or row["relative_id"]
        return Stored(view, row["version"], row)

    def validate(self, merged: dict[str, Any], done: Result | None = None) -> dict[str, Any]:
        values = self.check(merged, done)  # Source ID is no field of the model: it is left out
        clean = {f: values[f] for f in self.fields if f != "source_id"}
        try:
            clean["source_id"] = normalize_id(merged.get("source_id"))
        except VocabError as exc:
            raise RowError("source_id", str(exc)) from None
        return clean

    def to_row(self, clean: dict[str, Any], resolved: dict[str, str]) -> dict[str, Any]:
        row = super().to_row(clean, resolved)
        if "source_id" in clean:
            source = clean["source_id"]
            kind = resolved.get(source) if source else None
            row["specimen_id"] = source if kind == "specimen" else None
            row["relative_id"] = source if kind == "relative" else None
        return row

    def visible(self, row: dict[str, Any], ctx: ExportContext) -> bool:
        return row["id"] not in ctx.hidden_samples


class Custody(Adapter):
    spec = schema.CUSTODY
    table_cls = CustodyEvent
    model = CustodyEventCreate
    refs = {"item_id": ("specimen", "sample")}
    order = ("item_id", "at", "id")

    def visible(self, row: dict[str, Any], ctx: ExportContext) -> bool:
        return row["item_id"] not in ctx.hidden_samples


class Profiles(Adapter):
    spec = schema.PROFILES
    table_cls = Genotype
    model = row_models.GenotypeRow
    refs = {"sample_id": ("sample",)}

    def visible(self, row: dict[str, Any], ctx: ExportContext) -> bool:
        return row["sample_id"] not in ctx.hidden_samples


class Identifications(Adapter):
    """The numbers (LR, posterior, method) are the tracker's: an import sets them only on a
    row it adds; on an existing row it may change the status, the decision and notes."""

    spec = schema.IDENTIFICATIONS
    table_cls = Identification
    model = row_models.IdentificationRow
    refs = {"specimen_id": ("specimen",), "victim_id": ("victim",)}
    locked = ("lr", "posterior", "method")


class Frequencies(Adapter):
    """Long (one row per population, marker and allele) or wide (one row per allele, one
    column per marker, the cells holding frequencies)."""

    spec = schema.FREQUENCIES
    table_cls = AlleleFrequency
    model = row_models.FrequencyRow

    def entries(self, raw: RawSheet, date1904: bool, problems: list[Problem]) -> list[Entry]:
        if "marker" in raw.col_of or "frequency" in raw.col_of or not raw.extra:
            return super().entries(raw, date1904, problems)
        markers = []
        for i, header in raw.extra:
            try:
                markers.append((i, genetics.canonical_marker(header)))
            except genetics.GeneticsError as exc:
                problems.append(raw.problem(raw.header_row, i, str(exc)))
        raw.extra = []
        read = cells.cell_reader(self.spec.column("frequency"))
        columns = {i: raw.column(i) for i, _ in markers}
        out = []
        for k, entry in enumerate(super().entries(raw, date1904, problems)):
            for i, marker in markers:
                bad = raw.bad_cells.get((entry.row, raw.col_offset + i))
                try:
                    if bad:
                        raise cells.CellError(bad)
                    value = read(columns[i][k])
                except cells.CellError as exc:
                    problems.append(raw.problem(entry.row, i, str(exc)))
                    continue
                if value is None:
                    continue
                out.append(Entry(entry.row, {**entry.values, "marker": marker, "frequency": value},
                                 {**raw.col_of, "marker": i, "frequency": i}, entry.version,
                                 bad=entry.bad))
        return out

    def key_of(self, values: dict[str, Any]) -> tuple[Any, ...]:
        key = super().key_of(values)
        try:
            return (key[0], key[1], genetics.canonical_allele(key[2]))
        except genetics.GeneticsError as exc:
            raise RowError("allele", str(exc)) from None

    def validate(self, merged: dict[str, Any], done: Result | None = None) -> dict[str, Any]:
        clean = super().validate(merged, done)
        try:
            clean["allele"] = genetics.canonical_allele(clean["allele"])
        except genetics.GeneticsError as exc:
            raise RowError("allele", str(exc)) from None
        return clean


class Pedigrees(Adapter):
    """Family trees, one row per person, upserted by (victim, person). The rows of each
    victim are then checked as one tree (`services.family`) after they are written in
    the import's transaction, which a broken tree rolls back (`importer`). A relative
    an export may not show is blanked in its Relative ID, the person kept (his children
    would else dangle)."""

    spec = schema.PEDIGREES
    table_cls = FamilyPerson
    model = FamilyPersonCreate
    refs = {"victim_id": ("victim",), "relative_id": ("relative",)}
    order = ("victim_id", "id")

    def export(self, session: Any, ctx: ExportContext) -> Any:
        for view, version in super().export(session, ctx):
            if view.get("relative_id") in ctx.hidden_relatives:
                view = {**view, "relative_id": None}
            yield view, version


SIMPLE = (Victims, Names, Pedigrees, Operations, Specimens, Samples, Custody, Profiles, Frequencies,
          Identifications)
