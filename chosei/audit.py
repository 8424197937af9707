"""Writing and verifying the hash-chained audit log.

Every change made through the ORM is recorded by session hooks installed on each write
session (`install`); bulk writers (the workbook import) call `record` with the same
entries. One entry per row change: who, when, which entity, before and after. Entries
that are not about a table row (an import, an export) name what they are about in
`entity` and keep their details, never personal data, in `after`.

Before and after are canonical JSON text (keys sorted, no spaces, UTF-8), made once per
row. An entry's hash (`entry_hash`, used by `record` and `verify` alike) is the SHA-256
of this text, in UTF-8:

    prev_hash US seq US at US actor US action US entity US entity_key US subject
    US flags US before US after

US is the unit separator (U+001F); `flags` is two characters, `+` where before (then
after) is set and `-` where it is None, which is then written as the empty text. JSON
text never holds a raw U+001F. Should one of the seven fields from seq to subject hold
one (only a hand-typed actor or file name could), those seven are written as one JSON
array instead, which starts with `[` where a seq starts with a digit: no two different
entries hash the same text.

`db_user` is the database role that wrote the entry (PostgreSQL's `session_user`; NULL on
SQLite, whose file knows no users), beside `actor`, the person it was done for (`--as`).
When it is set, the hashed text ends with `US db_user`; when NULL, nothing is added, so
entries written before the column existed verify unchanged. `after` never holds a raw
U+001F, so the first one after it starts `db_user`: the text stays unambiguous.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, NamedTuple

from sqlalchemy import Boolean, Float, Integer, event, func, inspect, select, text
from sqlmodel import Session, col

from chosei import bulk
from chosei.i18n import _
from chosei.models import AUDITED, SENSITIVE_FIELDS, AuditEntry

GENESIS = "0" * 64
_AUDITED_TABLES = {cls.__tablename__: cls for cls in AUDITED}
# The ID a person would look an entry up by, for rows whose own key is a number.
_SUBJECT_COLUMN = {
    "victim_name": "victim_id",
    "consent": "relative_id",
    "family_person": "victim_id",
    "consent_event": "relative_id",
    "custody_event": "item_id",
    "genotype": "sample_id",
    "identification": "specimen_id",
    "retraction": "ident",
}
_COLUMNS = ("seq", "at", "actor", "action", "entity", "entity_key", "subject", "before",
            "after", "prev_hash", "hash", "db_user")
_BATCH = 5000
_US = "\x1f"
_FLAGS = {(False, False): "--", (False, True): "-+", (True, False): "+-", (True, True): "++"}
_ENCODER = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                            default=str, check_circular=False)


class Change(NamedTuple):
    action: str  # create | update | delete, or import | export
    entity: str  # table name, or what a non-table entry is about (workbook)
    key: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def canonical(data: dict[str, Any] | None) -> str | None:
    if data is None:
        return None
    return _ENCODER.encode(data)


def entry_hash(prev_hash: str, seq: int, at: str, actor: str, action: str, entity: str,
               entity_key: str, subject: str, before: str | None, after: str | None,
               db_user: str | None = None) -> str:
    """The hash of one entry (the format is in the module docstring)."""
    return _hasher(at, actor, db_user)(prev_hash, seq, action, entity, entity_key, subject,
                                       before, after)


_Hasher = Callable[[str, int, str, str, str, str, "str | None", "str | None"], str]


@functools.lru_cache(maxsize=64)
def _hasher(at: str, actor: str, db_user: str | None = None) -> _Hasher:
    """`entry_hash` for entries sharing `at`, `actor` and `db_user` (all of one
    transaction's), with the text they share made once."""
    mid = f"{_US}{at}{_US}{actor}{_US}"
    tail = "" if db_user is None else f"{_US}{db_user}"
    plain = mid.count(_US) == 3
    sha256 = hashlib.sha256

    def digest(prev_hash: str, seq: int, action: str, entity: str, entity_key: str,
               subject: str, before: str | None, after: str | None) -> str:
        if plain and _US not in entity_key and _US not in subject and _US not in action \
                and _US not in entity:
            head = f"{seq}{mid}{action}{_US}{entity}{_US}{entity_key}{_US}{subject}"
        else:
            head = _ENCODER.encode([seq, at, actor, action, entity, entity_key, subject])
        flags = _FLAGS[(before is not None, after is not None)]
        payload = f"{prev_hash}{_US}{head}{_US}{flags}{_US}{before or ''}{_US}{after or ''}{tail}"
        return sha256(payload.encode()).hexdigest()

    return digest


# Coercions per column type; other columns are kept as they are.
_COERCE = ((Boolean, bool), (Integer, int), (Float, float))


@dataclass(frozen=True)
class _Plan:
    names: tuple[str, ...]
    name_set: frozenset[str]
    checks: tuple[tuple[str, type], ...]  # columns whose values may need coercing
    key: tuple[str, ...]


_PLANS: dict[str, _Plan] = {}


def _plan(table: Any) -> _Plan:
    plan = _PLANS.get(table.name)
    if plan is None:
        # Plain str names: SQLAlchemy's quoted_name answers attribute lookups in Python.
        checks = []
        for c in table.columns:
            kind = next((t for sa, t in _COERCE if isinstance(c.type, sa)), None)
            if kind is not None:
                checks.append((str(c.name), kind))
        names = tuple(str(c.name) for c in table.columns)
        plan = _PLANS[table.name] = _Plan(names, frozenset(names), tuple(checks),
                                          tuple(str(c.name) for c in table.primary_key.columns))
    return plan


def row_snapshot(table: Any, values: Any) -> dict[str, Any]:
    """Column values of a row (a mapping by column name), normalised for hashing: the
    same row must serialise identically whether read from an object or from the DB.
    A dict holding just the columns, with numbers and flags of their columns' types,
    is its own snapshot and is returned as it is."""
    plan = _plan(table)
    if type(values) is dict and len(values) == len(plan.names) and values.keys() == plan.name_set:
        for name, kind in plan.checks:
            value = values[name]
            if value is not None and type(value) is not kind:
                break
        else:
            return values
    snap = {name: values[name] for name in plan.names}
    for name, kind in plan.checks:
        value = snap[name]
        if value is not None and type(value) is not kind:
            snap[name] = kind(value)
    return snap


def row_key(table: Any, values: Any) -> str:
    key = _plan(table).key
    if len(key) == 1:
        return str(values[key[0]])
    return "/".join(str(values[name]) for name in key)


def _head(session: Session) -> tuple[int, str]:
    head = session.info.get("audit_head")
    if head is None:
        last = session.execute(
            select(col(AuditEntry.seq), col(AuditEntry.hash)).order_by(col(AuditEntry.seq).desc()).limit(1)
        ).first()
        head = (last[0], last[1]) if last else (0, GENESIS)
    return head


def record(session: Session, changes: Iterable[Change | tuple[str, str, str, Any, Any]]) -> int:
    """Append entries for `changes` to the chain; return how many were written. A change
    may be given as a plain tuple in `Change`'s order (bulk writers make many)."""
    start, prev = _head(session)
    seq = start
    at = session.info.setdefault("audit_at", datetime.now(UTC).isoformat(timespec="microseconds"))
    actor = session.info.get("actor", "system")
    db_user = _db_user(session)
    digest = _hasher(at, actor, db_user)
    rows: list[tuple[Any, ...]] = []
    append = rows.append
    subject_column = _SUBJECT_COLUMN.get
    encode = _ENCODER.encode  # `canonical`, inlined: a call per row adds up
    for action, entity, key, before_row, after_row in changes:
        seq += 1
        before = None if before_row is None else encode(before_row)
        after = None if after_row is None else encode(after_row)
        col = subject_column(entity)
        row = after_row if after_row is not None else before_row  # a change has one or both
        subject = str(row[col]) if col and row is not None else key
        hashed = digest(prev, seq, action, entity, key, subject, before, after)
        append((seq, at, actor, action, entity, key, subject, before, after, prev, hashed, db_user))
        prev = hashed
        if len(rows) >= _BATCH:
            _flush_rows(session, rows)
            rows = []
            append = rows.append
    if rows:
        _flush_rows(session, rows)
    return seq - start


def _db_user(session: Session) -> str | None:
    """The database role this session logged in as; None where the store has no users."""
    if "db_user" not in session.info:
        conn = session.connection()
        session.info["db_user"] = (conn.execute(text("SELECT session_user")).scalar_one()
                                   if conn.dialect.name == "postgresql" else None)
    db_user: str | None = session.info["db_user"]
    return db_user


def _flush_rows(session: Session, rows: list[tuple[Any, ...]]) -> None:
    session.info["audit_head"] = (rows[-1][0], rows[-1][10])
    bulk.insert(session.connection(), AuditEntry.__tablename__, _COLUMNS, rows)


# --- ORM hooks ---------------------------------------------------------------------


def install(session: Session) -> None:
    """Audit every ORM change made in this session and bump row versions."""
    event.listen(session, "before_flush", _bump_versions)
    event.listen(session, "after_flush", _record_flush)


def _is_audited(obj: Any) -> bool:
    return getattr(obj, "__tablename__", None) in _AUDITED_TABLES


def _bump_versions(session: Session, _ctx: Any, _instances: Any) -> None:
    for obj in session.dirty:
        if _is_audited(obj) and session.is_modified(obj, include_collections=False):
            obj.version = (obj.version or 0) + 1


def _state_values(obj: Any, *, before: bool) -> dict[str, Any]:
    state = inspect(obj)
    values = {}
    for attr in state.mapper.column_attrs:
        col = attr.columns[0]
        current = state.dict.get(attr.key)
        if before:
            hist = state.attrs[attr.key].history
            if hist.deleted:
                current = hist.deleted[0]
        values[col.name] = current
    return values


def _record_flush(session: Session, _ctx: Any) -> None:
    changes: list[Change] = []
    for obj in session.new:
        if _is_audited(obj):
            table = obj.__table__
            after = row_snapshot(table, _state_values(obj, before=False))
            changes.append(Change("create", str(table.name), row_key(table, after), None, after))
    for obj in session.dirty:
        if _is_audited(obj) and session.is_modified(obj, include_collections=False):
            table = obj.__table__
            before = row_snapshot(table, _state_values(obj, before=True))
            after = row_snapshot(table, _state_values(obj, before=False))
            if before != after:
                changes.append(Change("update", str(table.name), row_key(table, after), before, after))
    for obj in session.deleted:
        if _is_audited(obj):
            table = obj.__table__
            before = row_snapshot(table, _state_values(obj, before=True))
            changes.append(Change("delete", str(table.name), row_key(table, before), before, None))
    if changes:
        record(session, changes)


# --- Reading and verifying ---------------------------------------------------------


def history(session: Session, ident: str | None = None, limit: int | None = None) -> list[AuditEntry]:
    """Entries about `ident` (its own row or rows that hang off it), oldest first."""
    query = select(AuditEntry).order_by(col(AuditEntry.seq))
    if ident is not None:
        query = query.where((col(AuditEntry.entity_key) == ident) | (col(AuditEntry.subject) == ident))
    if limit is not None:
        query = query.order_by(None).order_by(col(AuditEntry.seq).desc()).limit(limit)
        return list(reversed(session.scalars(query).all()))
    return list(session.scalars(query).all())


HIDDEN = "(hidden)"
HIDDEN_CHANGED = "(hidden, changed)"


def readable(entry: AuditEntry, *, reveal: bool = False) -> dict[str, Any]:
    """An entry as plain data, before and after decoded; sensitive fields (contacts) show
    as `HIDDEN` unless `reveal`: whoever reads the log does not see contacts by default."""
    data = entry.model_dump()
    before = json.loads(data["before"]) if data["before"] else None
    after = json.loads(data["after"]) if data["after"] else None
    if not reveal:
        for key in SENSITIVE_FIELDS:
            old, new = (before or {}).get(key), (after or {}).get(key)
            if before and old is not None:
                before[key] = HIDDEN
            if after and new is not None:
                # Say that it changed, never what to.
                after[key] = HIDDEN if before is None or old == new else HIDDEN_CHANGED
    data["before"], data["after"] = before, after
    return data


@dataclass
class VerifyResult:
    entries: int
    rows: int
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


def _entries(session: Session) -> Iterator[Any]:
    result = session.execute(select(AuditEntry.__table__).order_by(col(AuditEntry.seq)))
    yield from result.mappings().yield_per(10_000)


def verify(session: Session) -> VerifyResult:
    """Walk the chain, then compare every audited row with its last logged state, and the
    match results with the digest their run logged (`services.match_digest`)."""
    from chosei.services.match_digest import RUN_ENTITY, verify_results
    from chosei.store import refuse_damaged

    refuse_damaged(session, quick=False)  # a damaged SQLite file: exit 5, restore a backup
    last_run: str | None = None
    expected_seq, prev = 1, GENESIS
    last: dict[tuple[str, str], bytes | None] = {}
    count = 0
    for e in _entries(session):
        count += 1
        if e["seq"] != expected_seq:
            return VerifyResult(count, 0, _("entry {seq} is missing (next entry is {next}): entries were "
                                            "deleted or reordered").format(seq=expected_seq, next=e["seq"]))
        digest = entry_hash(prev, e["seq"], e["at"], e["actor"], e["action"], e["entity"],
                            e["entity_key"], e["subject"], e["before"], e["after"], e["db_user"])
        if e["prev_hash"] != prev or digest != e["hash"]:
            return VerifyResult(count, 0, _("entry {seq} ({action} {entity} {key}) does not match its hash: "
                                            "it was edited, or an entry before it was removed").format(
                                                seq=e["seq"], action=e["action"], entity=e["entity"],
                                                key=e["entity_key"]))
        prev = e["hash"]
        expected_seq += 1
        if e["entity"] == RUN_ENTITY:
            last_run = e["after"]
        if e["entity"] in _AUDITED_TABLES:
            after = e["after"]
            last[(e["entity"], e["entity_key"])] = \
                hashlib.sha256(after.encode()).digest() if after is not None else None
    rows = 0
    for name, cls in _AUDITED_TABLES.items():
        table = cls.__table__
        for values in session.execute(select(table)).mappings().yield_per(10_000):
            rows += 1
            snap = row_snapshot(table, values)
            key = row_key(table, snap)
            logged = last.pop((name, key), None)
            state = hashlib.sha256(_ENCODER.encode(snap).encode()).digest()
            if logged is None:
                return VerifyResult(count, rows, _("{entity} {key} is in the store but the audit log has no "
                                                   "live record of it: it was added behind the tracker's "
                                                   "back").format(entity=name, key=key))
            if logged != state:
                return VerifyResult(count, rows, _("{entity} {key} differs from its last logged state: it was "
                                                   "edited behind the tracker's back").format(entity=name, key=key))
    for (name, key), final in last.items():
        if final is not None:
            return VerifyResult(count, rows, _("{entity} {key} is logged as present but missing from the "
                                               "store: it was deleted behind the tracker's back").format(
                                                   entity=name, key=key))
    return VerifyResult(count, rows, verify_results(session, last_run))


def entry_count(session: Session) -> int:
    count: int = session.execute(select(func.count()).select_from(AuditEntry)).scalar_one()
    return count

