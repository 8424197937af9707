"""Retract, restore and undo: taking a wrong record out of the case, and a whole mistaken
command's changes, without ever losing what was there.

One mechanism serves all three. A retracted record leaves its table: an audited
delete, whose `before` keeps the row's last state in the hash-chained trail, plus a
`retraction` row saying what was retracted, when, by whom and why. Nothing else needs
to change: every list, count, check, match, report and export reads the tables, so
none of them can forget to hide a retracted record. Restoring re-inserts the row from
its delete entry's `before` (an audited create) and marks the retraction restored.

`undo` reverts the change set of one command: the audit entries sharing entry SEQ's
`at` and `actor` (a command's transaction stamps every entry it writes with one `at`:
`audit.record`), which run without a gap around SEQ because writers are serialised.
Each row it touched goes back to its state before the command: a row the command
added is deleted (the delete entry keeps it; undoing the undo brings it back), a row
it changed gets its old values, a row it deleted (a retraction) is inserted again.
Nothing is undone when a later entry touched one of those rows, when a later row
depends on a row the undo would delete, or when a row it would re-insert needs one a
later command removed: the error names those entries. Every write goes through
`audit.record`, so `chosei audit verify` holds after any of these.

Derived rows are not records: match results computed from a retracted record (or from a
row an undo removes) go with it, and a new `match_run` entry logs the remaining results'
digest; restoring does not bring them back (`chosei match run` computes them again).

A retracted record's ID stays taken while it is retracted: `guard` refuses an ORM add
under it, and the workbook import asks `retracted_ids`; otherwise a stale workbook could
bring the wrong record back as a new one.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, and_, delete, event, func, insert, select, text, update
from sqlmodel import Session, col

from chosei import audit
from chosei.errors import AlreadyExists, InvalidInput, NotFound, RuleViolation
from chosei.i18n import _
from chosei.models import (
    AUDITED,
    AuditEntry,
    CustodyEvent,
    Genotype,
    Identification,
    MatchResult,
    Operation,
    Relative,
    Retraction,
    Sample,
    Specimen,
    Victim,
    VictimName,
)
from chosei.models._base import as_datetime, as_id, as_text


@dataclass(frozen=True)
class Kind:
    """What `chosei retract KIND ID` can name: a table and the columns its ID gives,
    joined by `/` (a name is `V-001/金哲洙`, a custody event `CH-001/stored/2025-08-27`)."""

    name: str
    model: Any
    fields: tuple[str, ...]

    @property
    def table(self) -> Table:
        return self.model.__table__

    def ident(self, row: dict[str, Any]) -> str:
        return "/".join(str(row[f]) for f in self.fields)


KINDS: dict[str, Kind] = {k.name: k for k in (
    Kind("victim", Victim, ("id",)),
    Kind("name", VictimName, ("victim_id", "name")),
    Kind("relative", Relative, ("id",)),
    Kind("operation", Operation, ("id",)),
    Kind("specimen", Specimen, ("id",)),
    Kind("sample", Sample, ("id",)),
    Kind("custody", CustodyEvent, ("item_id", "event", "at")),
    Kind("profile", Genotype, ("sample_id",)),  # every genotype row of one sample
    Kind("identification", Identification, ("specimen_id", "victim_id")),
)}
_BY_TABLE = {k.table.name: k for k in KINDS.values()}
_AUDITED = {cls.__tablename__: cls.__table__ for cls in AUDITED}
_ORDER = {name: i for i, name in enumerate(_AUDITED)}  # parents before children
_DERIVED = MatchResult.__table__
_SHOWN = 8  # dependents or blocking entries an error names before "and N more"
_CHUNK = 2000


# --- Naming rows --------------------------------------------------------------------


def _kind(name: str) -> Kind:
    kind = KINDS.get(name.strip().lower())
    if kind is None:
        raise InvalidInput(_("cannot retract a '{name}': KIND is one of {kinds}").format(
                               name=name, kinds=', '.join(KINDS)))
    return kind


def _parse_ident(kind: Kind, ident: str) -> dict[str, Any]:
    parts = ident.split("/", len(kind.fields) - 1) if len(kind.fields) > 1 else [ident]
    if len(parts) != len(kind.fields) or not all(p.strip() for p in parts):
        shape = "/".join(f.upper().removesuffix("_ID") for f in kind.fields)
        raise InvalidInput(_("a {kind_name} is named {shape}, not '{ident}'").format(
                               kind_name=kind.name, shape=shape, ident=ident))
    values: dict[str, Any] = {}
    for name, part in zip(kind.fields, parts, strict=True):
        if name == "at":
            values[name] = as_datetime(part) or part.strip()
        elif name == "event":
            values[name] = part.strip().lower()
        elif name == "id" or name.endswith("_id"):
            values[name] = as_id(part)
        else:
            values[name] = as_text(part)
    return values


def describe(table: Table, row: dict[str, Any]) -> str:
    """A row as a person names it: `relative R-001`, `name V-001/金哲洙`."""
    kind = _BY_TABLE.get(table.name)
    if kind is not None:
        return f"{kind.name} {kind.ident(row)}"
    return f"{table.name} {audit.row_key(table, row)}"


def _snapshot(table: Table, values: Any) -> dict[str, Any]:
    return audit.row_snapshot(table, dict(values))


def _rows(session: Session, table: Table, where: Any) -> list[dict[str, Any]]:
    return [_snapshot(table, r) for r in session.execute(select(table).where(where)).mappings()]


def _match(table: Table, values: dict[str, Any]) -> Any:
    return and_(*(table.c[k] == v for k, v in values.items()))


def _active_retraction(session: Session, kind: Kind, ident: str) -> list[Retraction]:
    return list(session.scalars(select(Retraction).where(
        col(Retraction.kind) == kind.name, col(Retraction.ident) == ident,
        col(Retraction.restored_at).is_(None)).order_by(col(Retraction.id))))


# --- Dependents ---------------------------------------------------------------------


def _dependents(session: Session, table: Table, row: dict[str, Any]) -> Iterator[tuple[Table, dict[str, Any]]]:
    return _dependents_of(session, table, [row])


def _dependents_of(session: Session, table: Table, rows: Sequence[dict[str, Any]]
                   ) -> Iterator[tuple[Table, dict[str, Any]]]:
    """The rows that refer to any of `rows`: by foreign key, or (custody events) by item ID."""
    for child in table.metadata.sorted_tables:
        for fk in child.foreign_keys:
            if fk.column.table is table:
                values = {r[fk.column.name] for r in rows if r.get(fk.column.name) is not None}
                for found in _fetch(session, child, child.c[fk.parent.name], values):
                    yield child, found
    if table.name in ("specimen", "sample"):
        custody = CustodyEvent.__table__
        for found in _fetch(session, custody, custody.c.item_id, {r["id"] for r in rows}):
            yield custody, found


def _fetch(session: Session, table: Table, column: Any, values: Iterable[Any]) -> list[dict[str, Any]]:
    """The rows whose `column` holds one of `values`, a chunk of values a query."""
    values = list(values)
    found: list[dict[str, Any]] = []
    for start in range(0, len(values), _CHUNK):
        found += _rows(session, table, column.in_(values[start:start + _CHUNK]))
    return found


def _pk(table: Table) -> Any:
    (column,) = table.primary_key.columns  # every audited table has a one-column key
    return column


def _gather(session: Session, table: Table, row: dict[str, Any], cascade: bool,
            out: list[tuple[Table, dict[str, Any]]], derived: list[dict[str, Any]],
            seen: set[tuple[str, str]]) -> None:
    """Put `row` and (with `cascade`) what depends on it into `out`, dependents first;
    refuse, naming them, when something depends on it and not `cascade`."""
    mark = (table.name, audit.row_key(table, row))
    if mark in seen:
        return
    seen.add(mark)
    children = []
    for child, found in _dependents(session, table, row):
        if child is _DERIVED:
            derived.append(found)
        elif child.name not in _AUDITED:
            raise RuleViolation(_("{describe} has {children} rows, which are not audited row by row and so cannot "
                                  "be retracted: it stays in the case").format(
                                    describe=describe(table, row), children=child.name.replace('_', ' ')))
        else:
            children.append((child, found))
    derived += _resting_on(session, table, row)
    children.sort(key=lambda c: (_ORDER[c[0].name], describe(*c)))
    if children and not cascade:
        names = _names(describe(c, f) for c, f in children)
        raise RuleViolation(_("{describe} cannot be retracted alone: {names} depend on it; retract those first, "
                              "or all of them with --with-dependents").format(
                                describe=describe(table, row), names=names))
    for child, found in children:
        _gather(session, child, found, cascade, out, derived, seen)
    out.append((table, row))


def _resting_on(session: Session, table: Table, row: dict[str, Any]) -> list[dict[str, Any]]:
    """Match results computed from `row` beyond those naming it by key: a relative's, or
    its samples' profiles, weigh in every result of the relative's victim; a sample's
    profile in the results that name the sample."""
    results = _DERIVED
    if table.name == "relative":
        return _rows(session, results, results.c.victim_id == row["victim_id"])
    if table.name not in ("sample", "genotype"):
        return []
    sample_id = row["id"] if table.name == "sample" else row["sample_id"]
    found = _rows(session, results, results.c.sample_id == sample_id)
    sample = _rows(session, Sample.__table__, Sample.__table__.c.id == sample_id)
    if sample and sample[0]["relative_id"] is not None:
        relative = _rows(session, Relative.__table__, Relative.__table__.c.id == sample[0]["relative_id"])
        if relative:
            found += _rows(session, results, results.c.victim_id == relative[0]["victim_id"])
    return found


def _names(items: Iterable[str]) -> str:
    unique = list(dict.fromkeys(items))
    more = len(unique) - _SHOWN
    return ", ".join(unique[:_SHOWN]) + (_(" and {more} more").format(more=more) if more > 0 else "")


# --- A retracted ID stays taken ------------------------------------------------------

# Tables whose rows people name by an ID they type: adding one under a retracted ID would
# look like the retracted record come back, and would keep the real one from returning.
_NAMED = ("victim", "relative", "operation", "specimen", "sample")


def guard(session: Session) -> None:
    """Refuse, in this write session, ORM adds under the ID of a retracted record (the
    workbook import, which writes past the ORM, asks `retracted_ids` itself)."""
    event.listen(session, "before_flush", _refuse_retracted_ids)


def _refuse_retracted_ids(session: Session, _ctx: Any, _instances: Any) -> None:
    new: dict[str, set[str]] = {}
    for obj in session.new:
        name = getattr(obj, "__tablename__", None)
        if name in _NAMED:
            new.setdefault(name, set()).add(str(obj.id))
    if not new or not _reads_retractions(session):
        return
    for entity, ids in new.items():
        with session.no_autoflush:
            taken = retracted_ids(session, entity, ids)
        if taken:
            ident, (at, by, why) = min(taken.items())
            raise AlreadyExists(_("{entity} {ident} was retracted ({at}, {by}: {why}); `chosei retract --undo "
                                  "{entity} {ident}` brings it back, or give the new {entity} another ID").format(
                                    entity=entity, ident=ident, at=at[:10], by=by, why=why))


def _reads_retractions(session: Session) -> bool:
    """Whether this session's database role may read retractions: a partner may not (and
    writes nothing: its add fails on the table it writes, with the message that says so)."""
    if "reads_retractions" not in session.info:
        conn = session.connection()
        session.info["reads_retractions"] = conn.dialect.name != "postgresql" or bool(conn.execute(
            text("SELECT has_table_privilege('retraction', 'SELECT')")).scalar_one())
    return bool(session.info["reads_retractions"])


def retracted_ids(session: Session, entity: str, ids: Iterable[str]) -> dict[str, tuple[str, str, str]]:
    """Which of `ids` name a retracted row of table `entity`: ID → (when, by whom, why).

    More IDs than one query takes (a workbook's, by the hundred thousand): the entity's
    retractions still in force are read whole, in one query (a case retracts a few
    records, not a workbook's worth), and matched here, rather than one query per
    chunk of IDs."""
    ids = list(ids)
    table = Retraction.__table__
    query = select(table.c.entity_key, table.c.retracted_at, table.c.retracted_by, table.c.why).where(
        table.c.entity == entity, table.c.restored_at.is_(None))
    if len(ids) > _CHUNK:
        wanted = set(ids)
        return {key: (at, by, why) for key, at, by, why in session.execute(query) if key in wanted}
    found: dict[str, tuple[str, str, str]] = {}
    if ids:
        chunk = query.where(table.c.entity_key.in_(ids))
        found.update((key, (at, by, why)) for key, at, by, why in session.execute(chunk))
    return found


# --- Retract and restore ------------------------------------------------------------


@dataclass
class Retracted:
    """What a retraction (or a restoration) did, for the command to report."""

    records: list[str] = field(default_factory=list)  # described, the named record first
    match_results: int = 0


def retract(session: Session, kind_name: str, ident: str, why: str, *,
            with_dependents: bool = False) -> Retracted:
    """Take the record `kind_name ident` out of the case (see the module docstring);
    with `with_dependents`, what depends on it too; otherwise refuse when anything does."""
    kind = _kind(kind_name)
    why = _why(why)
    values = _parse_ident(kind, ident)
    rows = _rows(session, kind.table, _match(kind.table, values))
    shown = kind.ident(values)
    if not rows:
        if _active_retraction(session, kind, shown):
            raise RuleViolation(_("{kind_name} {shown} is already retracted; `chosei retract --undo {kind_name} "
                                  "{shown}` brings it back").format(kind_name=kind.name, shown=shown))
        raise NotFound(_("no {kind_name} '{shown}' in the case").format(kind_name=kind.name, shown=shown))
    out: list[tuple[Table, dict[str, Any]]] = []
    derived: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for row in rows:
        _gather(session, kind.table, row, with_dependents, out, derived, seen)
    at, actor = _stamp(session)
    changes: list[audit.Change] = []
    next_id = _next_retraction_id(session)
    # A match result names a victim and a specimen: dropping it first lets either go.
    dropped = _drop_derived(session, derived)
    for table, row in out:
        key = audit.row_key(table, row)
        session.execute(delete(table).where(_match(table, _key_values(table, row))))
        changes.append(audit.Change("delete", table.name, key, row, None))
        row_kind = _BY_TABLE.get(table.name)
        mark = {"id": next_id, "kind": row_kind.name if row_kind else table.name,
                "ident": row_kind.ident(row) if row_kind else key, "entity": table.name,
                "entity_key": key, "retracted_at": at, "retracted_by": actor,
                "why": why if table is kind.table else f"with {kind.name} {shown}: {why}",
                "restored_at": None, "restored_by": None, "restored_why": None, "version": 1}
        next_id += 1
        retraction = Retraction.__table__
        session.execute(insert(retraction).values(mark))
        changes.append(audit.Change("create", "retraction", str(mark["id"]), None,
                                    _snapshot(retraction, mark)))
    audit.record(session, changes)
    if dropped:
        _log_results(session, at, dropped)
    session.expire_all()
    return Retracted(_listed(out), dropped)


def restore(session: Session, kind_name: str, ident: str, why: str, *,
            with_dependents: bool = False) -> Retracted:
    """Bring back a retracted record (with `with_dependents`, also what was retracted
    with it), from the last state the audit trail kept."""
    kind = _kind(kind_name)
    why = _why(why)
    shown = kind.ident(_parse_ident(kind, ident))
    marks = _active_retraction(session, kind, shown)
    if not marks:
        if _rows(session, kind.table, _match(kind.table, _parse_ident(kind, ident))):
            raise RuleViolation(_("{kind_name} {shown} is not retracted: it is in the case").format(
                                    kind_name=kind.name, shown=shown))
        raise NotFound(_("no retracted {kind_name} '{shown}'; `chosei audit log` shows what happened to it").format(
                           kind_name=kind.name, shown=shown))
    if with_dependents:
        stamps = {m.retracted_at for m in marks}
        ids = {m.id for m in marks}
        marks += [m for m in session.scalars(select(Retraction).where(
            col(Retraction.retracted_at).in_(stamps), col(Retraction.restored_at).is_(None))
            .order_by(col(Retraction.id))) if m.id not in ids]
    at, actor = _stamp(session)
    changes: list[audit.Change] = []
    retraction = Retraction.__table__
    restored: list[tuple[Table, dict[str, Any]]] = []
    # Retracted dependents first: restore the other way round, parents first.
    for mark in sorted(marks, key=lambda m: -(m.id or 0)):
        table = _AUDITED[mark.entity]
        row = _last_state(session, table, mark.entity_key, f"{mark.kind} {mark.ident}")
        row["version"] = row["version"] + 1
        _refuse_missing_parents(session, table, row, f"{mark.kind} {mark.ident}")
        session.execute(insert(table).values(row))
        changes.append(audit.Change("create", table.name, audit.row_key(table, row), None, row))
        before = _snapshot(retraction, session.execute(
            select(retraction).where(retraction.c.id == mark.id)).mappings().one())
        after = {**before, "restored_at": at, "restored_by": actor, "restored_why": why,
                 "version": before["version"] + 1}
        session.execute(update(retraction).where(retraction.c.id == mark.id).values(
            restored_at=at, restored_by=actor, restored_why=why, version=after["version"]))
        changes.append(audit.Change("update", "retraction", str(mark.id), before, after))
        restored.append((table, row))
    audit.record(session, changes)
    session.expire_all()
    return Retracted(_listed(restored))


def _listed(rows: list[tuple[Table, dict[str, Any]]]) -> list[str]:
    """The records as a person names them, parents first (a profile's rows once)."""
    ordered = sorted(rows, key=lambda r: (_ORDER[r[0].name], describe(*r)))
    return list(dict.fromkeys(describe(t, r) for t, r in ordered))


def _why(why: str) -> str:
    text = as_text(why)
    if not text:
        raise InvalidInput(_("--why must say why: the audit trail keeps it"))
    return str(text)


def _stamp(session: Session) -> tuple[str, str]:
    """The `at` and actor every audit entry of this transaction carries."""
    from datetime import UTC, datetime

    at = session.info.setdefault("audit_at", datetime.now(UTC).isoformat(timespec="microseconds"))
    return at, session.info.get("actor", "system")


def _next_retraction_id(session: Session) -> int:
    # Writers hold the store's writer lock: no other transaction takes the same number.
    return (session.execute(select(func.max(Retraction.id))).scalar() or 0) + 1


def _key_values(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    return {c.name: row[c.name] for c in table.primary_key.columns}


def _last_entry(session: Session, entity: str, key: str) -> AuditEntry | None:
    return session.scalars(select(AuditEntry).where(
        col(AuditEntry.entity_key) == key, col(AuditEntry.entity) == entity)
        .order_by(col(AuditEntry.seq).desc()).limit(1)).first()


def _last_state(session: Session, table: Table, key: str, named: str) -> dict[str, Any]:
    last = _last_entry(session, table.name, key)
    if last is None or last.action != "delete" or last.before is None:
        what = _(" (entry #{last_seq}, {last_actor}: {last_action})").format(
                   last_seq=last.seq, last_actor=last.actor, last_action=last.action) if last else ""
        raise RuleViolation(_("{named} cannot be restored: its place was taken since it was retracted{what}; "
                              "correct the newer record instead").format(named=named, what=what))
    return _snapshot(table, json.loads(last.before))


def _refuse_missing_parents(session: Session, table: Table, row: dict[str, Any], named: str) -> None:
    for parent, values in _parents(table, row):
        if not _rows(session, parent, _match(parent, values)):
            kind = _BY_TABLE.get(parent.name)
            noun = kind.name if kind is not None and kind.fields == tuple(values) else parent.name
            raise RuleViolation(_("{named} cannot be restored: it needs {noun} {key}, which is not in the case; "
                                  "restore that first").format(
                                    named=named, noun=noun, key="/".join(map(str, values.values()))))


def _parents(table: Table, row: dict[str, Any]) -> Iterator[tuple[Table, dict[str, Any]]]:
    for fk in table.foreign_keys:
        value = row.get(fk.parent.name)
        if value is not None:
            yield fk.column.table, {fk.column.name: value}


def _drop_derived(session: Session, rows: Sequence[dict[str, Any]]) -> int:
    """Delete these match results (each once); return how many."""
    ids = sorted({r["id"] for r in rows})
    for start in range(0, len(ids), _CHUNK):
        session.execute(delete(_DERIVED).where(_DERIVED.c.id.in_(ids[start:start + _CHUNK])))
    return len(ids)


def _log_results(session: Session, at: str, removed: int) -> None:
    from chosei.services.match_digest import DIGEST_COLUMNS, record_run

    rows = session.execute(select(*(_DERIVED.c[n] for n in DIGEST_COLUMNS))).all()
    columns = [list(c) for c in zip(*rows, strict=True)] if rows else [[] for _ in DIGEST_COLUMNS]
    record_run(session, at, DIGEST_COLUMNS, columns, {"removed_with_retracted": removed})


# --- Undo ---------------------------------------------------------------------------


@dataclass
class Undone:
    """What `undo` did: the entries it reverted and how many rows it put back each way."""

    first: int
    last: int
    actor: str
    at: str
    deleted: int = 0
    restored: int = 0
    changed: int = 0
    skipped: list[str] = field(default_factory=list)  # entries with nothing a row can revert


def change_set(session: Session, seq: int) -> list[AuditEntry]:
    """The entries of the command that wrote entry `seq`: the gapless run sharing its
    `at` and actor (read by key range, so a long trail costs no scan)."""
    entry = session.get(AuditEntry, seq)
    if entry is None:
        raise NotFound(_("no audit entry #{seq}; `chosei audit log --last 20` shows the newest").format(seq=seq))
    found = [entry]
    for step in (-1, 1):
        edge = seq
        while True:
            lo, hi = (edge - _CHUNK, edge - 1) if step < 0 else (edge + 1, edge + _CHUNK)
            batch = list(session.scalars(select(AuditEntry).where(col(AuditEntry.seq).between(lo, hi))
                                         .order_by(col(AuditEntry.seq).desc() if step < 0 else col(AuditEntry.seq))))
            same = []
            for e in batch:
                if e.at != entry.at or e.actor != entry.actor:
                    break
                same.append(e)
            found.extend(same)
            if len(same) < len(batch) or len(batch) < _CHUNK:
                break
            edge = same[-1].seq
    return sorted(found, key=lambda e: e.seq)


def undo(session: Session, seq: int, why: str | None = None) -> Undone:
    """Revert the change set entry `seq` belongs to (see the module docstring), or raise
    `RuleViolation` naming the later entries that block it; nothing is written then."""
    entries = change_set(session, seq)
    first, last = entries[0], entries[-1]
    done = Undone(first.seq, last.seq, first.actor, first.at)
    # Per row: its state before the command (first entry) and after it (last entry).
    states: dict[tuple[str, str], list[Any]] = {}
    for e in entries:
        if e.entity in _AUDITED:
            mark = (e.entity, e.entity_key)
            before = json.loads(e.before) if e.before else None
            after = json.loads(e.after) if e.after else None
            if mark in states:
                states[mark][1] = after
            else:
                states[mark] = [before, after]
        elif e.entity in ("snp_calls", "snp_site"):
            raise RuleViolation(_("entry #{e_seq} imported SNP data ({e_entity} {e_entity_key}); undo cannot "
                                  "revert SNP imports").format(
                                    e_seq=e.seq, e_entity=e.entity, e_entity_key=e.entity_key))
        else:
            done.skipped.append(f"#{e.seq} {e.action} {e.entity} {e.entity_key}")
    if not states:
        raise RuleViolation(_("entry #{seq} ({first_action} {first_entity} {first_entity_key}) changed no "
                              "records: there is nothing to undo").format(
                                seq=seq, first_action=first.action, first_entity=first.entity,
                                first_entity_key=first.entity_key))
    plan = {mark: (_snapshot(_AUDITED[mark[0]], b) if b else None, a) for mark, (b, a) in states.items()}
    if any(entity == "case_info" and target is None for (entity, _), (target, _now) in plan.items()):
        raise RuleViolation(_("entry #{seq} created the case itself: undo cannot remove it (start a new store "
                              "instead)").format(seq=seq))
    _refuse_blocked(session, seq, last.seq, plan)
    at, _actor = _stamp(session)
    changes = [audit.Change("undo", "audit_entry", str(seq), None, {
        "entries": [first.seq, last.seq], "of": first.actor, "at": first.at,
        **({"why": _why(why)} if why is not None else {})})]
    work: dict[str, dict[str, list[tuple[str, dict[str, Any]]]]] = {}
    for (entity, key), (target, now) in plan.items():
        step = "insert" if now is None else "delete" if target is None else "update"
        if target is not None or now is not None:
            table = _AUDITED[entity]
            row = target if target is not None else _snapshot(table, now)
            work.setdefault(entity, {}).setdefault(step, []).append((key, row))
    parents_first = sorted(work, key=_ORDER.__getitem__)
    for entity in parents_first:  # re-inserts, parents first
        table, todo = _AUDITED[entity], work[entity].get("insert", [])
        rows = [{**row, "version": row["version"] + 1} for _key, row in todo]
        if rows:
            session.execute(insert(table), rows)
        changes += [audit.Change("create", entity, key, None, row) for (key, _), row in zip(todo, rows, strict=True)]
        done.restored += len(rows)
    for entity in parents_first:  # changes set back
        table, todo = _AUDITED[entity], work[entity].get("update", [])
        pk = _pk(table)
        current = {r[pk.name]: r for r in _fetch(session, table, pk, [row[pk.name] for _, row in todo])}
        for key, target in todo:
            now_row = current[target[pk.name]]
            row = {**target, "version": now_row["version"] + 1}
            session.execute(update(table).where(pk == target[pk.name]).values(row))
            changes.append(audit.Change("update", entity, key, now_row, row))
            done.changed += 1
    for entity in reversed(parents_first):  # additions deleted, children first
        table, todo = _AUDITED[entity], work[entity].get("delete", [])
        pk = _pk(table)
        keys = [row[pk.name] for _, row in todo]
        current = {r[pk.name]: r for r in _fetch(session, table, pk, keys)}
        for start in range(0, len(keys), _CHUNK):
            session.execute(delete(table).where(pk.in_(keys[start:start + _CHUNK])))
        changes += [audit.Change("delete", entity, key, current[row[pk.name]], None) for key, row in todo]
        done.deleted += len(todo)
    audit.record(session, changes)
    session.expire_all()
    return done


def _refuse_dependents(session: Session, seq: int, plan: dict[tuple[str, str], tuple[Any, Any]],
                       blockers: dict[int, AuditEntry]) -> None:
    """Add to `blockers` the entries that wrote rows depending on a row the undo would
    remove, and those that removed a row one it would bring back needs. Match results
    naming a row it removes are dropped (they are derived; the digest is logged again)."""
    deleting: dict[str, list[dict[str, Any]]] = {}
    inserting: dict[str, list[dict[str, Any]]] = {}
    for (entity, _key), (target, now) in plan.items():
        if target is None and now is not None:
            deleting.setdefault(entity, []).append(_snapshot(_AUDITED[entity], now))
        elif target is not None and now is None:
            inserting.setdefault(entity, []).append(target)
    gone = {(entity, audit.row_key(_AUDITED[entity], r)) for entity, rows in deleting.items() for r in rows}
    derived: list[dict[str, Any]] = []
    for entity, rows in deleting.items():
        table = _AUDITED[entity]
        for child, found in _dependents_of(session, table, rows):
            if child is _DERIVED:
                derived.append(found)
                continue
            mark = (child.name, audit.row_key(child, found))
            if mark in gone:
                continue
            e = _last_entry(session, *mark) if child.name in _AUDITED else None
            if e is None:
                raise RuleViolation(_("entry #{seq} cannot be undone: {describe} depends on a record the undo "
                                      "would remove").format(seq=seq, describe=describe(child, found)))
            blockers[e.seq] = e
            if len(blockers) > _SHOWN:
                return
    back = {(entity, audit.row_key(_AUDITED[entity], r)) for entity, rows in inserting.items() for r in rows}
    for entity, rows in inserting.items():
        table = _AUDITED[entity]
        for fk in table.foreign_keys:
            parent = fk.column.table
            wanted = {r[fk.parent.name] for r in rows if r.get(fk.parent.name) is not None}
            if parent.name not in _AUDITED or not wanted:
                continue
            present = {r[fk.column.name] for r in _fetch(session, parent, parent.c[fk.column.name], wanted)}
            for value in sorted(wanted - present, key=str):
                if (parent.name, str(value)) not in back and (e := _last_entry(session, parent.name, str(value))):
                    blockers[e.seq] = e
    if derived and not blockers:
        _log_results(session, _stamp(session)[0], _drop_derived(session, derived))


def _current(session: Session, entity: str, last: AuditEntry) -> dict[str, Any] | None:
    """The row the later entry `last` is about, as it is now (None when gone)."""
    table = _AUDITED[entity]
    state = json.loads(last.after or last.before or "null")
    found = _rows(session, table, _match(table, _key_values(table, _snapshot(table, state))))
    return found[0] if found else None


def _same(table: Table, row: dict[str, Any] | None, logged: dict[str, Any] | None) -> bool:
    """Whether `row` holds the values `logged` (an entry's after), its version aside."""
    if row is None or logged is None:
        return row is None and logged is None
    return {k: v for k, v in row.items() if k != "version"} == \
        {k: v for k, v in _snapshot(table, logged).items() if k != "version"}


def _refuse_blocked(session: Session, seq: int, last_seq: int,
                    plan: dict[tuple[str, str], tuple[dict[str, Any] | None, Any]]) -> None:
    blockers: dict[int, AuditEntry] = {}
    entities = {entity for entity, _ in plan}
    later = select(AuditEntry).where(col(AuditEntry.seq) > last_seq, col(AuditEntry.entity).in_(entities))
    touched: dict[tuple[str, str], list[AuditEntry]] = {}
    for e in session.scalars(later.order_by(col(AuditEntry.seq))).yield_per(_CHUNK):
        if (e.entity, e.entity_key) in plan:
            touched.setdefault((e.entity, e.entity_key), []).append(e)
    for (entity, key), entries in touched.items():
        # Later changes that were themselves reverted (undone) leave the row as the
        # command left it: only its version moved on, and nothing blocks.
        if not _same(_AUDITED[entity], _current(session, entity, entries[-1]), plan[(entity, key)][1]):
            blockers.update((e.seq, e) for e in entries)
    if not blockers:
        _refuse_dependents(session, seq, plan, blockers)
    if blockers:
        shown = [blockers[s] for s in sorted(blockers)]
        listed = "; ".join(f"#{e.seq} ({e.actor}, {e.at[:10]}) {e.action} {e.entity} {e.entity_key}"
                           for e in shown[:_SHOWN])
        more = _(" and {n_shown} more").format(n_shown=len(shown) - _SHOWN) if len(shown) > _SHOWN else ""
        raise RuleViolation(_("entry #{seq} cannot be undone: later entries changed or depend on its records: "
                              "{listed}{more}; undo those first (newest first) or correct by hand").format(
                                seq=seq, listed=listed, more=more))
