"""Validating a whole workbook against itself and the store, before anything is written.

The result is a plan: for every row, whether it adds, changes (which fields), changes
nothing, or conflicts with a change made in the store after the export; and every
problem found, each naming its sheet, Excel row, column header and what would fix it.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

from pydantic import ValidationError
from sqlmodel import Session, col

from chosei.exchange import linking, schema
from chosei.exchange.adapters import Adapter, Entry, RowError, Stored, existing_ids
from chosei.exchange.haplotypes_sheet import Haplotypes
from chosei.exchange.identifications import identification_problems
from chosei.exchange.linking import VictimNames, link_by_name
from chosei.exchange.plausibility import rule_problems, rule_warnings
from chosei.exchange.reader import RawSheet, RawWorkbook
from chosei.exchange.relatives_sheet import Relatives
from chosei.exchange.report import Problem
from chosei.exchange.sheets import SIMPLE
from chosei.i18n import _, pgettext
from chosei.models.many import Result
from chosei.services.validation import validation_problems

Progress = Callable[[int, int], None]

_ORDER = {s.name: i for i, s in enumerate(schema.SHEETS)}
ADAPTERS: dict[str, Adapter] = {
    a.spec.name: a() for a in sorted((*SIMPLE, Relatives, Haplotypes),
                                     key=lambda a: _ORDER[a.spec.name])
}
# Model fields that a sheet shows under another column.
_FIELD_COLUMN = {"specimen_id": "source_id", "relative_id": "source_id"}
_KIND_SHEET = {a.defines: a.spec for a in ADAPTERS.values() if a.defines}


# A row's plan: its entry, with what the import does with it set on it (`Entry`'s
# docstring says why one object).
Planned = Entry


@dataclass
class Plan:
    rows: list[Planned] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    resolved: dict[str, str] = field(default_factory=dict)
    _filled: dict[tuple[str, ...], frozenset[str]] = field(default_factory=dict)

    def filled(self, values: dict[str, Any]) -> frozenset[str]:
        """The names of `values`, as one set shared by all rows filling the same cells."""
        names = tuple(values)
        found = self._filled.get(names)
        if found is None:
            found = self._filled[names] = frozenset(names)
        return found


# What a planned row's `values` is once its cells are let go (one dict for all: nothing
# writes to a planned row's values).
_NO_VALUES: dict[str, Any] = {}


def column_of(raw: RawSheet, entry: Entry | None, name: str | None) -> tuple[str | None, int | None]:
    """The header as written and the column index of a field, for a message."""
    if name is None:
        return None, None
    cols = entry.cols if entry is not None else raw.col_of
    if name not in cols and _FIELD_COLUMN.get(name) in cols:
        name = _FIELD_COLUMN[name]
    if name in cols:
        return raw.header_of(cols[name]), cols[name]
    try:
        return raw.spec.column(name).header(sheet_language(raw)), None
    except StopIteration:
        return None, None


def sheet_language(raw: RawSheet) -> str:
    """The language the workbook names this sheet in: its headers and the other sheets a
    message names are given in it."""
    return schema.title_language(raw.title) or "en"


def kind_noun(kind: str) -> str:
    """A kind of record (a table's name, an ID kind) as a message names it."""
    nouns = {
        "victim": pgettext("record", "victim"), "relative": pgettext("record", "relative"),
        "specimen": pgettext("record", "specimen"), "sample": pgettext("record", "sample"),
        "operation": pgettext("record", "operation"),
    }
    return nouns.get(kind, kind)


def _problem(raw: RawSheet, entry: Entry, name: str | None, message: str) -> Problem:
    header, col = column_of(raw, entry, name)
    if message in ("is required", _("is required")):
        message = _("is required: fill it in")
    return raw.problem(entry.row, col, message, header)


def _sheet_checks(raw: RawSheet, plan: Plan) -> bool:
    spec = raw.spec
    for i, header in raw.duplicate:
        first = raw.col_of[spec.match(header).field]  # type: ignore[union-attr]
        plan.problems.append(raw.problem(raw.header_row, i, _(
            "the column appears twice (also column {letter}): keep one").format(letter=raw.letter(first))))
    inferred = ("haplotype", "kind") if spec is schema.HAPLOTYPES else ()
    missing = [spec.column(k) for k in spec.key if k not in raw.col_of and k not in inferred]
    if spec.name == "Frequencies" and "marker" not in raw.col_of and raw.extra:
        missing = [c for c in missing if c.field != "marker"]
    if missing and raw.numbers:
        lang = sheet_language(raw)
        names = "; ".join(f"'{c.header(lang)}' ({' / '.join(c.header(o) for o in schema.LANGS if o != lang)})"
                          for c in missing)
        plan.problems.append(raw.problem(raw.header_row, None, _(
            "the sheet has no {columns} column: every row is found by it; add the column").format(columns=names)))
        return False
    return True


def _warn_extra(raw: RawSheet, plan: Plan) -> None:
    for i, header in raw.extra:
        plan.warnings.append(_("{sheet}: column '{header}' ({letter}) is not one chosei reads; it was "
                               "skipped").format(sheet=raw.title, header=header, letter=raw.letter(i)))


def plan_workbook(session: Session, wb: RawWorkbook, *, about_matches: bool,
                  progress: Progress | None = None) -> Plan:
    plan = Plan()
    for title in wb.unknown_sheets:
        plan.warnings.append(_("sheet '{sheet}' is not one chosei reads; it was skipped (sheets: {sheets})").format(
            sheet=title, sheets=", ".join(s.title(wb.lang) for s in schema.SHEETS)))
    total = max(wb.row_count, 1)
    done = 0
    book_victims: dict[str, dict[str, Any]] = {}
    names = VictimNames(session, book_victims)
    for raw in wb.sheets:
        adapter = ADAPTERS[raw.spec.name]
        if not _sheet_checks(raw, plan):
            continue
        entries = adapter.entries(raw, wb.date1904, plan.problems)
        rows_read = len(raw.numbers)
        raw.free()  # read into entries: let the cells go
        if adapter.refs.get(linking.FIELD) == ("victim",):
            link_by_name(session, raw, entries, set(book_victims), names, plan.problems,
                         plan.warnings)
        _warn_extra(raw, plan)
        keyed: list[Entry] = []
        first_row: dict[tuple[Any, ...], int] = {}
        for entry in entries:
            try:
                entry.key = adapter.key_of(entry.values)
            except RowError as exc:
                if not entry.bad:  # a cell already reported may be why the key is missing
                    plan.problems.append(_problem(raw, entry, exc.field, exc.message))
                continue
            if entry.key in first_row:
                plan.problems.append(_problem(
                    raw, entry, raw.spec.key[0],
                    _("'{key}' is also in row {row}: a row is found by its key, so merge the two rows").format(
                        key=adapter.key_text(entry.key), row=first_row[entry.key])))
                continue
            first_row[entry.key] = entry.row
            if not entry.bad:
                keyed.append(entry)
        stored = adapter.load(session, [e.key for e in keyed])
        keyed = _refuse_retracted(session, adapter, raw, keyed, stored, plan)
        for n, entry, merged, checked in _check_sheet(adapter, keyed, stored):
            planned = _plan_row(adapter, raw, entry, stored.get(entry.key), about_matches, plan,
                                merged, checked)
            if planned is not None:
                plan.rows.append(planned)
                if adapter.defines == "victim":
                    book_victims[planned.key[0]] = planned.clean
            if progress and n % 2000 == 0:
                progress(done + n, total)
        done += rows_read
        if progress:
            progress(done, total)
    _check_refs(session, plan, names)
    _check_rules(session, plan)
    _check_confirmations(session, plan)
    _check_identifications(session, plan)
    return plan


def _refuse_retracted(session: Session, adapter: Adapter, raw: RawSheet, keyed: list[Entry],
                      stored: dict[Any, Stored], plan: Plan) -> list[Entry]:
    """A new row under the ID of a retracted record (a workbook exported before the
    retraction) is a problem, as `chosei victim add` of it is an error."""
    from chosei.services.corrections import retracted_ids

    new = {str(e.key[0]): e for e in keyed if e.key not in stored and len(e.key) == 1}
    taken = retracted_ids(session, adapter.table.name, new) if new else {}
    for ident, (at, by, why) in sorted(taken.items()):
        entity = adapter.table.name
        plan.problems.append(_problem(raw, new[ident], raw.spec.key[0], _(
            "{noun} {id} was retracted ({date}, {by}: {why}); `chosei retract --undo {kind} {id}` brings "
            "it back, or give the new {noun} another ID").format(
                noun=kind_noun(entity), id=ident, date=at[:10], by=by, why=why, kind=entity)))
    return [e for e in keyed if str(e.key[0]) not in taken or len(e.key) != 1 or e.key in stored]


_CHECKED_AT_ONCE = 10_000


def _check_sheet(adapter: Adapter, keyed: list[Entry], stored: dict[Any, Stored]
                 ) -> Iterator[tuple[int, Entry, dict[str, Any] | None, Result | None]]:
    """(n from 1, entry, the row merged over its stored view, what the sheet's model says
    of it) for each entry: the merge None where it is refused (`_plan_row` says why), the
    model's word asked for many rows at once (`check_all`), a part of the sheet at a time."""
    for start in range(0, len(keyed), _CHECKED_AT_ONCE):
        part = keyed[start:start + _CHECKED_AT_ONCE]
        merged: list[dict[str, Any] | None] = []
        for entry in part:
            try:
                merged.append(adapter.merge(stored.get(entry.key), entry))
            except RowError:
                merged.append(None)
        checked = iter(adapter.check_all([m for m in merged if m is not None]))
        for n, (entry, m) in enumerate(zip(part, merged, strict=True), start=start + 1):
            yield n, entry, m, None if m is None else next(checked)


def _plan_row(adapter: Adapter, raw: RawSheet, entry: Entry, stored: Stored | None,
              about_matches: bool, plan: Plan, merged: dict[str, Any] | None = None,
              done: Result | None = None) -> Planned | None:
    try:
        clean = adapter.validate(adapter.merge(stored, entry) if merged is None else merged, done)
        changed = adapter.changed(stored, clean, entry) if stored is not None else ()
    except ValidationError as exc:
        for name, message in validation_problems(exc):
            plan.problems.append(_problem(raw, entry, name, message))
        return None
    except RowError as exc:
        plan.problems.append(_problem(raw, entry, exc.field, exc.message))
        return None
    row = entry
    row.adapter, row.raw, row.stored, row.clean, row.changed = adapter, raw, stored, clean, changed
    # The cells as read are no longer looked at, only which were filled: the plan goes by
    # the row's clean values. Letting them go as each row is planned keeps some 40 MB
    # fewer alive on 100,000 rows.
    row.given = plan.filled(entry.values)
    row.values = _NO_VALUES
    if stored is None:
        return row
    if not changed:
        row.action = "same"
    elif about_matches and entry.version is not None and stored.version > entry.version:
        row.action = "conflict"
        row.reason = _("changed in the store after the export (store version {stored}, workbook "
                       "version {given})").format(stored=stored.version, given=entry.version)
    else:
        row.action = "change"
    return row


def _check_refs(session: Session, plan: Plan, names: VictimNames) -> None:
    """Every ID a row refers to names a row of its kind, in the workbook or the store.
    Checked by sets, a sheet at a time; only a value found wrong is looked for again
    row by row, for its message."""
    defined: dict[str, set[str]] = {}
    wanted_as: dict[tuple[str, ...], set[str]] = {}
    for adapter, group in itertools.groupby(plan.rows, key=attrgetter("adapter")):
        rows = list(group)
        if adapter.defines:
            defined.setdefault(adapter.defines, set()).update(p.key[0] for p in rows)
        for name, kinds in adapter.refs.items():
            wanted_as.setdefault(kinds, set()).update(value for _p, value in _refs_of(rows, name))
    for kinds, wanted in wanted_as.items():
        found_as = {}
        for kind in kinds:
            here = defined.get(kind, set())
            missing = wanted - here
            found_as[kind] = (wanted & here) | (existing_ids(session, kind, missing) if missing else set())
        # By sets: the values found as exactly one kind; only the others row by row.
        twice = set().union(*(a & b for a, b in itertools.combinations(found_as.values(), 2)))
        if len(kinds) > 1:  # which column the store keeps it in (Samples' Source ID)
            for kind in kinds:
                plan.resolved.update(dict.fromkeys(found_as[kind] - twice, kind))
        wrong = (wanted - set().union(*found_as.values())) | twice
        if not wrong:
            continue
        for p in plan.rows:
            for name, ref_kinds in p.adapter.refs.items():
                if ref_kinds != kinds:
                    continue
                for _p, value in _refs_of([p], name):
                    if value not in wrong:
                        continue
                    found = [k for k in kinds if value in found_as[k]]
                    if found:
                        message = _("'{value}' is both a {kind} and a {other} ID: give one of them another "
                                    "ID").format(value=value, kind=kind_noun(found[0]), other=kind_noun(found[1]))
                    else:
                        message = _missing_ref(value, kinds, sheet_language(p.raw),
                                               names.close(value) if kinds == ("victim",) else [])
                    plan.problems.append(_problem(p.raw, p.entry, name, message))


def _refs_of(rows: list[Planned], name: str) -> Iterator[tuple[Planned, str]]:
    """(row, the ID it refers to in field `name`) for the rows whose reference is the
    workbook's to check: a filled cell, of a new row or one the row changes."""
    for p in rows:
        value = p.clean.get(name)
        if value is None or name not in p.given:
            continue
        if p.stored is not None and name not in p.changed:
            continue
        yield p, value


def _missing_ref(value: str, kinds: tuple[str, ...], lang: str, close: list[str]) -> str:
    """A reference to no row of its kinds: the sheets to add it to, named as the workbook
    names them."""
    sheets = [_KIND_SHEET[k].title(lang) for k in kinds]
    hint = (" " + _("(did you mean {ids}?)").format(ids=_(" or ").join(close))) if close else ""
    if len(kinds) == 1:
        return _("'{value}' names no {kind} in the workbook or the store{hint}: add it to the {sheet} "
                 "sheet, or correct the ID").format(value=value, kind=kind_noun(kinds[0]), hint=hint,
                                                    sheet=sheets[0])
    return _("'{value}' names no {kind} or {other} in the workbook or the store{hint}: add it to the "
             "{sheet} or {other_sheet} sheet, or correct the ID").format(
                 value=value, kind=kind_noun(kinds[0]), other=kind_noun(kinds[1]), hint=hint,
                 sheet=sheets[0], other_sheet=sheets[1])


def _check_rules(session: Session, plan: Plan) -> None:
    """The plausibility rules that need another row (`exchange.plausibility`), for the rows
    not already found wrong."""
    bad = {(pr.sheet, pr.row) for pr in plan.problems}
    rows = [p for p in plan.rows if (p.raw.title, p.entry.row) not in bad]
    for p, name, message in rule_problems(session, rows, plan.resolved):
        plan.problems.append(_problem(p.raw, p.entry, name, message))
    plan.warnings.extend(rule_warnings(session, rows))


def _check_confirmations(session: Session, plan: Plan) -> None:
    """A specimen is one person: it can be confirmed as one victim only."""
    rows = [p for p in plan.rows if p.adapter.spec is schema.IDENTIFICATIONS]
    if not rows:
        return
    from sqlalchemy import select

    from chosei.models import Identification

    confirmed: dict[str, set[str]] = {}
    specimens = sorted({p.key[0] for p in rows})
    for spec_id, victim_id in session.execute(
        select(col(Identification.specimen_id), col(Identification.victim_id)).where(
            col(Identification.status) == "confirmed", col(Identification.specimen_id).in_(specimens))
    ).all():
        confirmed.setdefault(spec_id, set()).add(victim_id)
    for p in rows:
        victims = confirmed.setdefault(p.key[0], set())
        if p.clean["status"] == "confirmed":
            victims.add(p.key[1])
        else:
            victims.discard(p.key[1])
    for p in rows:
        victims = confirmed[p.key[0]]
        if p.clean["status"] == "confirmed" and len(victims) > 1:
            others = ", ".join(sorted(victims - {p.key[1]}))
            plan.problems.append(_problem(
                p.raw, p.entry, "status",
                _("specimen {specimen} would be confirmed as {victim} and as {others}: a specimen is one "
                  "person; reject all but one").format(specimen=p.key[0], victim=p.key[1], others=others)))


def _check_identifications(session: Session, plan: Plan) -> None:
    """The tracker's numbers and the guard rails (`identifications`), for the rows not
    already found wrong."""
    bad = {(pr.sheet, pr.row) for pr in plan.problems}
    rows = [p for p in plan.rows
            if p.adapter.spec is schema.IDENTIFICATIONS and (p.raw.title, p.entry.row) not in bad]
    for p, name, message in identification_problems(session, rows):
        plan.problems.append(_problem(p.raw, p.entry, name, message))
