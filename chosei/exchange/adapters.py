"""How a sheet maps onto the store: its key, loading, validating, writing and exporting.

An adapter sees a sheet as *views*: one dict per row, keyed by the sheet's fields, in
the form the store keeps (codes, ISO dates). The export writes views; the import reads
a row into the same form, merges it over the stored view (a blank cell keeps the stored
value, `CLEAR` empties it), validates the merge with the table's model and compares.
So an exported row imported back compares equal field by field and changes nothing.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy import Table, select
from sqlmodel import Session

from chosei.exchange import cells, schema
from chosei.exchange.reader import RawSheet
from chosei.exchange.report import Problem
from chosei.models import Operation, Relative, Sample, Specimen, Victim

CHUNK = 500
# Which table an ID kind lives in, for references between sheets and to the store.
ID_TABLES: dict[str, Any] = {
    "victim": Victim, "relative": Relative, "operation": Operation,
    "specimen": Specimen, "sample": Sample,
}


class RowError(ValueError):
    """A rule about one field (or the whole row, `field=None`) that a model cannot see."""

    def __init__(self, field_name: str | None, message: str) -> None:
        super().__init__(message)
        self.field = field_name
        self.message = message


@dataclass
class Entry:
    """One workbook row (or, in a wide frequency table, one cell) read into fields."""

    row: int
    values: dict[str, Any]
    cols: dict[str, int]
    version: int | None = None
    key: tuple[Any, ...] = ()
    bad: bool = False  # a cell could not be read: checked for its key only


@dataclass
class Stored:
    """One row as the store holds it: its view, its version, the table rows behind it."""

    view: dict[str, Any]
    version: int
    row: dict[str, Any]
    extra: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class Op:
    table: Table
    before: dict[str, Any] | None
    after: dict[str, Any]


@dataclass
class ExportContext:
    """What an export may show: the profile's filters, computed once."""

    profile: str = "full"
    partner: str | None = None
    hidden_relatives: frozenset[str] = frozenset()
    hidden_samples: frozenset[str] = frozenset()
    withheld: dict[str, int] = field(default_factory=dict)


def chunks(items: list[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def row_dict(table: Table, row: Any) -> dict[str, Any]:
    return {c.name: row[c.name] for c in table.columns}


class Adapter:
    spec: schema.Sheet
    table_cls: Any
    model: type[BaseModel]
    defines: str | None = None  # the ID kind this sheet's key is
    refs: dict[str, tuple[str, ...]] = {}
    locked: tuple[str, ...] = ()  # fields an import never changes on an existing row
    order: tuple[str, ...] = ()  # export sort order (table columns); the key by default

    @property
    def table(self) -> Table:
        return self.table_cls.__table__

    @functools.cached_property
    def fields(self) -> tuple[str, ...]:
        return tuple(c.field for c in self.spec.columns if c.kind != schema.VERSION)

    # --- Reading ---------------------------------------------------------------------

    def entries(self, raw: RawSheet, date1904: bool, problems: list[Problem]) -> list[Entry]:
        """Each data row read cell by cell; a cell that cannot be read is a problem."""
        spec = raw.spec
        cols = [(name, i, cells.cell_reader(spec.column(name), date1904=date1904))
                for name, i in raw.col_of.items()]
        bad_cells = raw.bad_cells
        out = []
        for excel_row, line in raw.rows:
            values: dict[str, Any] = {}
            ok = True
            width = len(line)
            for name, i, read in cols:
                if bad_cells and (excel_row, raw.col_offset + i) in bad_cells:
                    bad = bad_cells[(excel_row, raw.col_offset + i)]
                    problems.append(raw.problem(excel_row, i, _private(name, bad)))
                    ok = False
                    continue
                try:
                    parsed = read(line[i] if i < width else None)
                except cells.CellError as exc:
                    problems.append(raw.problem(excel_row, i, _private(name, str(exc))))
                    ok = False
                    continue
                if parsed is not None:
                    values[name] = parsed
            version = values.pop("version", None)
            out.append(Entry(excel_row, values, raw.col_of,
                             None if version is cells.CLEAR else version, bad=not ok))
        return out

    def key_of(self, values: dict[str, Any]) -> tuple[Any, ...]:
        key = []
        for name in self.spec.key:
            value = values.get(name)
            if isinstance(value, str):
                value = value.strip() or None
            if value is cells.CLEAR:
                raise RowError(name, "a key cannot be cleared: the row is found by it")
            if value is None:
                raise RowError(name, "is empty: every row needs it, the row is found by it")
            key.append(value)
        return tuple(key)

    def key_text(self, key: tuple[Any, ...]) -> str:
        return " / ".join(str(k) for k in key)

    # --- The store -------------------------------------------------------------------

    def stored(self, row: dict[str, Any]) -> Stored:
        return Stored({f: row.get(f) for f in self.fields}, row["version"], row)

    def stored_key(self, row: dict[str, Any]) -> tuple[Any, ...]:
        return tuple(row[k] for k in self.spec.key)

    def load(self, session: Session, keys: list[tuple[Any, ...]]) -> dict[tuple[Any, ...], Stored]:
        table = self.table
        first = table.c[self.spec.key[0]]
        wanted = set(keys)
        out = {}
        for part in chunks(present(session, first, {k[0] for k in keys})):
            for row in session.execute(select(table).where(first.in_(part))).mappings():
                data = dict(row)
                key = self.stored_key(data)
                if key in wanted:
                    out[key] = self.stored(data)
        return out

    # --- Validating ------------------------------------------------------------------

    def merge(self, stored: Stored | None, entry: Entry) -> dict[str, Any]:
        """The stored view with the workbook's filled cells over it; CLEAR empties."""
        merged = dict(stored.view) if stored is not None else {}
        for name, value in entry.values.items():
            merged[name] = None if value is cells.CLEAR else value
        return merged

    def check(self, data: dict[str, Any]) -> Any:
        """The table's validating model built from `data` (ValidationError if it cannot be).
        Its pydantic validator is called directly: SQLModel's `model_validate` wrapper
        costs as much again, for table models only."""
        return self.model.__pydantic_validator__.validate_python(data)

    def validate(self, merged: dict[str, Any]) -> dict[str, Any]:
        """The merged row as clean values; ValidationError or RowError when it is not."""
        obj = self.check(merged)
        return {f: getattr(obj, f) for f in self.fields}

    def normalized_view(self, stored: Stored) -> dict[str, Any] | None:
        try:
            return self.validate(dict(stored.view))
        except (ValidationError, RowError):
            return None

    def changed(self, stored: Stored, clean: dict[str, Any], entry: Entry) -> list[str]:
        """The fields the workbook would change; only cells that are filled can change."""
        out = []
        norm: dict[str, Any] | None = None
        for name in self.fields:
            if name not in entry.values or name in self.locked:
                continue
            if clean.get(name) != stored.view.get(name):
                if norm is None:
                    norm = self.normalized_view(stored) or {}
                if clean.get(name) != norm.get(name, stored.view.get(name)):
                    out.append(name)
        return out

    # --- Writing ---------------------------------------------------------------------

    @functools.cached_property
    def columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.table.columns)

    def to_row(self, clean: dict[str, Any], resolved: dict[str, str]) -> dict[str, Any]:
        """Table columns from clean values (the columns named like fields)."""
        return {name: clean[name] for name in self.columns if name in clean}

    def ops(self, stored: Stored | None, clean: dict[str, Any], changed: list[str],
            resolved: dict[str, str]) -> list[Op]:
        if stored is None:
            after = dict.fromkeys(self.columns)
            after.update(self.to_row(clean, resolved))
            after["version"] = 1
            return [Op(self.table, None, after)]
        values = self.to_row({f: clean[f] for f in changed}, resolved)
        after = {**stored.row, **values, "version": stored.row["version"] + 1}
        return [Op(self.table, stored.row, after)]

    # --- Exporting -------------------------------------------------------------------

    def select_rows(self, session: Session, ctx: ExportContext) -> Iterable[dict[str, Any]]:
        table = self.table
        order = [table.c[k] for k in (self.order or self.spec.key)]
        query = select(table).order_by(*order)
        for row in session.execute(query.execution_options(yield_per=5000)).mappings():
            yield dict(row)

    def visible(self, row: dict[str, Any], ctx: ExportContext) -> bool:
        return True

    def export(self, session: Session, ctx: ExportContext) -> Iterator[tuple[dict[str, Any], int]]:
        """(view, version) for every row the profile may see, in key order."""
        withheld = 0
        for row in self.select_rows(session, ctx):
            if not self.visible(row, ctx):
                withheld += 1
                continue
            st = self.stored(row)
            yield st.view, st.version
        if withheld:
            ctx.withheld[self.spec.name] = withheld

    def extra_columns(self, views: list[dict[str, Any]]) -> list[schema.Column]:
        return []


def _private(name: str, message: str) -> str:
    if name == "contact":
        return "cannot be read (the value is not shown: it is sensitive)"
    return message


def present(session: Session, column: Any, values: set[Any]) -> list[Any]:
    """Which of `values` the column holds, sorted. Many values: one scan of the column
    (an empty table costs nothing); a few: lookups by chunk."""
    if len(values) > 20 * CHUNK:
        held = set(session.execute(select(column).distinct()).scalars())
        return sorted(values & held)
    found: set[Any] = set()
    for part in chunks(sorted(values)):
        found.update(session.execute(select(column).where(column.in_(part))).scalars())
    return sorted(found)


def existing_ids(session: Session, kind: str, ids: Iterable[str]) -> set[str]:
    """Which of `ids` name a row of `kind` in the store."""
    return set(present(session, ID_TABLES[kind].__table__.c.id, set(ids)))
