"""Validating a whole workbook against itself and the store, before anything is written.

The result is a plan: for every row, whether it adds, changes (which fields), changes
nothing, or conflicts with a change made in the store after the export; and every
problem found, each naming its sheet, Excel row, column header and what would fix it.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from sqlmodel import Session, col

from chosei.exchange import linking, schema
from chosei.exchange.adapters import Adapter, Entry, RowError, Stored, existing_ids
from chosei.exchange.identifications import identification_problems
from chosei.exchange.linking import VictimNames, link_by_name
from chosei.exchange.plausibility import rule_problems, rule_warnings
from chosei.exchange.reader import RawSheet, RawWorkbook
from chosei.exchange.report import Problem
from chosei.exchange.sheets import SIMPLE
from chosei.exchange.special import Haplotypes, Relatives
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


@dataclass(slots=True)
class Planned:
    adapter: Adapter
    raw: RawSheet
    entry: Entry
    key: tuple[Any, ...]
    stored: Stored | None
    clean: dict[str, Any]
    # The fields a change changes; a row added changes none (one shared empty tuple, not a
    # list per row: a list is one more object for the garbage collector to look at).
    changed: Sequence[str] = ()
    action: str = "add"  # add | change | same | conflict
    reason: str = ""


@dataclass
class Plan:
    rows: list[Planned] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    resolved: dict[str, str] = field(default_factory=dict)


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
        return raw.spec.column(name).en, None
    except StopIteration:
        return None, None


def _problem(raw: RawSheet, entry: Entry, name: str | None, message: str) -> Problem:
    header, col = column_of(raw, entry, name)
    if message == "is required":
        message = "is required: fill it in"
    return raw.problem(entry.row, col, message, header)


def _sheet_checks(raw: RawSheet, plan: Plan) -> bool:
    spec = raw.spec
    for i, header in raw.duplicate:
        first = raw.col_of[spec.match(header).field]  # type: ignore[union-attr]
        plan.problems.append(raw.problem(raw.header_row, i, f"the column appears twice (also "
                                         f"column {raw.letter(first)}): keep one"))
    inferred = ("haplotype", "kind") if spec is schema.HAPLOTYPES else ()
    missing = [spec.column(k) for k in spec.key if k not in raw.col_of and k not in inferred]
    if spec.name == "Frequencies" and "marker" not in raw.col_of and raw.extra:
        missing = [c for c in missing if c.field != "marker"]
    if missing and raw.numbers:
        names = "; ".join(f"'{c.en}' ({c.ko} / {c.ja})" for c in missing)
        plan.problems.append(raw.problem(raw.header_row, None, f"the sheet has no {names} "
                                         "column: every row is found by it; add the column"))
        return False
    return True


def _warn_extra(raw: RawSheet, plan: Plan) -> None:
    for i, header in raw.extra:
        plan.warnings.append(f"{raw.title}: column '{header}' ({raw.letter(i)}) is not one "
                             "chosei reads; it was skipped")


def plan_workbook(session: Session, wb: RawWorkbook, *, about_matches: bool,
                  progress: Progress | None = None) -> Plan:
    plan = Plan()
    for title in wb.unknown_sheets:
        plan.warnings.append(f"sheet '{title}' is not one chosei reads; it was skipped "
                             f"(sheets: {', '.join(s.name for s in schema.SHEETS)})")
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
                    f"'{adapter.key_text(entry.key)}' is also in row {first_row[entry.key]}: "
                    "a row is found by its key, so merge the two rows"))
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
        plan.problems.append(_problem(raw, new[ident], raw.spec.key[0], (
            f"{entity} {ident} was retracted ({at[:10]}, {by}: {why}); `chosei retract --undo "
            f"{entity} {ident}` brings it back, or give the new {entity} another ID")))
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
    row = Planned(adapter, raw, entry, entry.key, stored, clean, changed)
    if stored is None:
        return row
    if not changed:
        row.action = "same"
    elif about_matches and entry.version is not None and stored.version > entry.version:
        row.action = "conflict"
        row.reason = (f"changed in the store after the export (store version "
                      f"{stored.version}, workbook version {entry.version})")
    else:
        row.action = "change"
    return row


def _check_refs(session: Session, plan: Plan, names: VictimNames) -> None:
    """Every ID a row refers to names a row of its kind, in the workbook or the store."""
    defined: dict[str, set[str]] = {}
    for p in plan.rows:
        if p.adapter.defines:
            defined.setdefault(p.adapter.defines, set()).add(p.key[0])
    refs: dict[tuple[str, ...], list[tuple[Planned, str, str]]] = {}
    for p in plan.rows:
        if not p.adapter.refs:
            continue
        for name, kinds in p.adapter.refs.items():
            value = p.clean.get(name)
            if value is None or name not in p.entry.values:
                continue
            if p.stored is not None and name not in p.changed:
                continue
            refs.setdefault(kinds, []).append((p, name, value))
    for kinds, items in refs.items():
        wanted = {value for _, _, value in items}
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
        for p, name, value in items:
            if value not in wrong:
                continue
            found = [k for k in kinds if value in found_as[k]]
            if found:
                message = (f"'{value}' is both a {found[0]} and a {found[1]} ID: give one of them "
                           "another ID")
            else:
                sheets = " or ".join(_KIND_SHEET[k].name for k in kinds)
                nouns = " or ".join(kinds)
                close = names.close(value) if kinds == ("victim",) else []
                hint = f" (did you mean {' or '.join(close)}?)" if close else ""
                message = (f"'{value}' names no {nouns} in the workbook or the store{hint}: add it "
                           f"to the {sheets} sheet, or correct the ID")
            plan.problems.append(_problem(p.raw, p.entry, name, message))


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
                f"specimen {p.key[0]} would be confirmed as {p.key[1]} and as {others}: a "
                "specimen is one person; reject all but one"))


def _check_identifications(session: Session, plan: Plan) -> None:
    """The tracker's numbers and the guard rails (`identifications`), for the rows not
    already found wrong."""
    bad = {(pr.sheet, pr.row) for pr in plan.problems}
    rows = [p for p in plan.rows
            if p.adapter.spec is schema.IDENTIFICATIONS and (p.raw.title, p.entry.row) not in bad]
    for p, name, message in identification_problems(session, rows):
        plan.problems.append(_problem(p.raw, p.entry, name, message))
