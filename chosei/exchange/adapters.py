"""How a sheet maps onto the store: its key, loading, validating, writing and exporting.

An adapter sees a sheet as *views*: one dict per row, keyed by the sheet's fields, in
the form the store keeps (codes, ISO dates). The export writes views; the import reads
a row into the same form, merges it over the stored view (a blank cell keeps the stored
value, `CLEAR` empties it), validates the merge with the table's model and compares.
So an exported row imported back compares equal field by field and changes nothing.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterable, Iterator, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from pydantic import BaseModel, ValidationError
from sqlalchemy import Table, select
from sqlmodel import Session

from chosei.exchange import cells, schema
from chosei.exchange.reader import RawSheet
from chosei.exchange.report import Problem
from chosei.i18n import _
from chosei.models import SENSITIVE_FIELDS, Operation, Relative, Sample, Specimen, Victim
from chosei.models.many import Result, validate_many, validate_plain

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


@dataclass(slots=True)
class Entry:
    """One workbook row (or, in a wide frequency table, one cell) read into fields:
    the filled cells only (a blank cell is no field), CLEAR for a cell clearing one.

    Once validated, an entry is also its row's plan (`validate.Planned` is this class):
    what the import does with the row is set on it in place (`validate._plan_row`), so
    one object per row stays alive until the rows are written, not two (the garbage
    collector walks every one of them at each full collection)."""

    row: int
    values: dict[str, Any]
    cols: dict[str, int]
    version: int | None = None
    key: tuple[Any, ...] = ()
    bad: bool = False  # a cell could not be read: checked for its key only
    clears: bool = False  # some value is CLEAR
    # The plan: the sheet's Adapter and RawSheet, the row as stored (None: a new row),
    # its clean values, the fields a change changes (none for a new row: one shared
    # empty tuple), what the import does (add | change | same | conflict) and why, and
    # the fields whose cells were filled (`values` is let go once the row is planned;
    # rows filling the same cells share one set).
    adapter: Any = None
    raw: Any = None
    stored: Stored | None = None
    clean: Any = None
    changed: Sequence[str] = ()
    action: str = "add"
    reason: str = ""
    given: AbstractSet[str] = frozenset()

    @property
    def entry(self) -> Entry:
        """The row's entry: the plan itself."""
        return self


@dataclass
class Stored:
    """One row as the store holds it: its view, its version, the table rows behind it."""

    view: dict[str, Any]
    version: int
    row: dict[str, Any]
    extra: list[dict[str, Any]] = field(default_factory=list)


class Op(NamedTuple):
    """A table row to insert (`before` None) or to change from `before` to `after`."""

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


class Adapter:
    spec: schema.Sheet
    table_cls: Any
    model: type[BaseModel]
    defines: str | None = None  # the ID kind this sheet's key is
    refs: dict[str, tuple[str, ...]] = {}
    locked: tuple[str, ...] = ()  # fields an import never changes on an existing row
    order: tuple[str, ...] = ()  # export sort order (table columns); the key by default

    @functools.cached_property
    def table(self) -> Table:
        return self.table_cls.__table__

    @functools.cached_property
    def fields(self) -> tuple[str, ...]:
        return tuple(c.field for c in self.spec.columns if c.kind != schema.VERSION)

    # --- Reading ---------------------------------------------------------------------

    def entries(self, raw: RawSheet, date1904: bool, problems: list[Problem]) -> list[Entry]:
        """The data rows, read column by column; a cell that cannot be read is a problem."""
        spec = raw.spec
        numbers = raw.numbers
        names: list[str] = []
        columns: list[list[Any]] = []
        bad: set[int] = set()
        clears: set[int] = set()
        found: list[tuple[int, int, str]] = []
        for name, i in raw.col_of.items():
            read = cells.column_reader(spec.column(name), date1904=date1904)
            values, errors = read(raw.column(i))
            errors.update(raw.bad_in(i))  # error cells read as blank
            for k, why in errors.items():
                values[k] = None
                found.append((k, i, _private(name, why)))
            bad.update(errors)
            if cells.CLEAR in values:
                clears.update(k for k, v in enumerate(values) if v is cells.CLEAR)
            names.append(name)
            columns.append(values)
        for k, i, why in sorted(found):
            problems.append(raw.problem(numbers[k], i, why))
        version_at = names.index("version") if "version" in names else -1
        cols = raw.col_of
        out = []
        rows = zip(*columns, strict=True) if columns else itertools.repeat((), len(numbers))
        for k, row in enumerate(rows):
            given = {name: v for name, v in zip(names, row, strict=True) if v is not None}
            version = row[version_at] if version_at >= 0 else None
            if version is not None:
                del given["version"]
                if version is cells.CLEAR:
                    version = None
            out.append(Entry(numbers[k], given, cols, version, bad=k in bad, clears=k in clears))
        return out

    def key_of(self, values: dict[str, Any]) -> tuple[Any, ...]:
        key = []
        for name in self.spec.key:
            value = values.get(name)
            if isinstance(value, str):
                value = value.strip() or None
            if value is cells.CLEAR:
                raise RowError(name, _("a key cannot be cleared: the row is found by it"))
            if value is None:
                raise RowError(name, _("is empty: every row needs it, the row is found by it"))
            key.append(value)
        return tuple(key)

    def key_text(self, key: tuple[Any, ...]) -> str:
        if len(key) == 1 and type(key[0]) is str:  # most sheets' (an ID): itself
            return key[0]
        return " / ".join(map(str, key))

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
        """The stored view with the workbook's filled cells over it; CLEAR empties.
        For a new row that clears nothing this is the entry's own values: read it only."""
        if stored is None:
            if not entry.clears:
                return entry.values
            merged = dict(entry.values)
        else:
            merged = dict(stored.view)
            merged.update(entry.values)
        if entry.clears:
            for name, value in entry.values.items():
                if value is cells.CLEAR:
                    merged[name] = None
        return merged

    @functools.cached_property
    def model_fields(self) -> tuple[str, ...]:
        return tuple(self.model.model_fields)

    def check_all(self, rows: list[dict[str, Any]]) -> list[Result]:
        """What `check` says of each of `rows`, for `validate`'s `done`: the whole sheet's
        rows at once (`models.many.validate_many`, column by column)."""
        return validate_many(self.model, rows)

    def check(self, data: dict[str, Any], done: Result | None = None) -> dict[str, Any]:
        """The field values of the table's validating model made from `data`
        (ValidationError if it cannot be made); `done`: what `check_all` said of `data`."""
        if done is None:
            done = validate_plain(self.model, data)
        if isinstance(done, ValidationError):
            raise done
        return done

    @functools.cached_property
    def _fields_are_model(self) -> bool:
        return set(self.fields) == set(self.model_fields)

    def validate(self, merged: dict[str, Any], done: Result | None = None) -> dict[str, Any]:
        """The merged row as clean values; ValidationError or RowError when it is not.
        `done`: what `check_all` said of `merged`, if it was asked."""
        values = self.check(merged, done)
        return values if self._fields_are_model else {f: values[f] for f in self.fields}

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

    def ops(self, stored: Stored | None, clean: dict[str, Any], changed: Sequence[str],
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
    if name in SENSITIVE_FIELDS:
        return _("cannot be read (the value is not shown: it is sensitive)")
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
