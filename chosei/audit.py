"""Writing and verifying the hash-chained audit log.

Every change made through the ORM is recorded by session hooks installed on each write
session (`install`); bulk writers (the workbook import) call `record` with the same
entries. One entry per row change: who, when, which entity, before and after.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Boolean, Float, Integer, event, func, insert, inspect, select
from sqlmodel import Session

from chosei.models import AUDITED, AuditEntry

GENESIS = "0" * 64
_AUDITED_TABLES = {cls.__tablename__: cls for cls in AUDITED}
# The ID a person would look an entry up by, for rows whose own key is a number.
_SUBJECT_COLUMN = {
    "victim_name": "victim_id",
    "consent": "relative_id",
    "custody_event": "item_id",
    "genotype": "sample_id",
    "identification": "specimen_id",
}


@dataclass(frozen=True)
class Change:
    action: str  # create | update | delete
    entity: str  # table name
    key: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def canonical(data: dict[str, Any] | None) -> str | None:
    if data is None:
        return None
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def _coerce(column: Any, value: Any) -> Any:
    # The same row must serialise identically whether read from an object or from the DB.
    if value is None:
        return None
    kind = column.type
    if isinstance(kind, Boolean):
        return bool(value)
    if isinstance(kind, Integer):
        return int(value)
    if isinstance(kind, Float):
        return float(value)
    return value


def row_snapshot(table: Any, values: Any) -> dict[str, Any]:
    """Column values of a row (a mapping by column name), normalised for hashing."""
    return {c.name: _coerce(c, values[c.name]) for c in table.columns}


def row_key(table: Any, values: Any) -> str:
    return "/".join(str(values[c.name]) for c in table.primary_key.columns)


def subject_of(table_name: str, values: Any, key: str) -> str:
    col = _SUBJECT_COLUMN.get(table_name)
    return str(values[col]) if col else key


def entry_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    payload = canonical({**fields, "prev_hash": prev_hash})
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _head(session: Session) -> tuple[int, str]:
    head = session.info.get("audit_head")
    if head is None:
        last = session.execute(
            select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)
        ).first()
        head = (last[0], last[1]) if last else (0, GENESIS)
    return head


def record(session: Session, changes: Iterable[Change]) -> int:
    """Append entries for `changes` to the chain; return how many were written."""
    start, prev = _head(session)
    seq = start
    at = session.info.setdefault("audit_at", datetime.now(UTC).isoformat(timespec="microseconds"))
    actor = session.info.get("actor", "system")
    rows: list[dict[str, Any]] = []
    for ch in changes:
        seq += 1
        fields = {
            "seq": seq,
            "at": at,
            "actor": actor,
            "action": ch.action,
            "entity": ch.entity,
            "entity_key": ch.key,
            "subject": subject_of(ch.entity, ch.after or ch.before or {}, ch.key),
            "before": canonical(ch.before),
            "after": canonical(ch.after),
        }
        digest = entry_hash(prev, fields)
        rows.append({**fields, "prev_hash": prev, "hash": digest})
        prev = digest
        if len(rows) >= 5000:
            _flush_rows(session, rows)
            rows = []
    if rows:
        _flush_rows(session, rows)
    return seq - start


def _flush_rows(session: Session, rows: list[dict[str, Any]]) -> None:
    session.info["audit_head"] = (rows[-1]["seq"], rows[-1]["hash"])
    session.connection().execute(insert(AuditEntry.__table__), rows)


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
            changes.append(Change("create", table.name, row_key(table, after), None, after))
    for obj in session.dirty:
        if _is_audited(obj) and session.is_modified(obj, include_collections=False):
            table = obj.__table__
            before = row_snapshot(table, _state_values(obj, before=True))
            after = row_snapshot(table, _state_values(obj, before=False))
            if before != after:
                changes.append(Change("update", table.name, row_key(table, after), before, after))
    for obj in session.deleted:
        if _is_audited(obj):
            table = obj.__table__
            before = row_snapshot(table, _state_values(obj, before=True))
            changes.append(Change("delete", table.name, row_key(table, before), before, None))
    if changes:
        record(session, changes)


# --- Reading and verifying ---------------------------------------------------------


def history(session: Session, ident: str | None = None, limit: int | None = None) -> list[AuditEntry]:
    """Entries about `ident` (its own row or rows that hang off it), oldest first."""
    query = select(AuditEntry).order_by(AuditEntry.seq)
    if ident is not None:
        query = query.where((AuditEntry.entity_key == ident) | (AuditEntry.subject == ident))
    if limit is not None:
        query = query.order_by(None).order_by(AuditEntry.seq.desc()).limit(limit)
        return list(reversed(session.scalars(query).all()))
    return list(session.scalars(query).all())


@dataclass
class VerifyResult:
    entries: int
    rows: int
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


def _entries(session: Session) -> Iterator[Any]:
    result = session.execute(select(AuditEntry.__table__).order_by(AuditEntry.seq))
    yield from result.mappings().yield_per(10_000)


def verify(session: Session) -> VerifyResult:
    """Walk the chain, then compare every audited row with its last logged state."""
    expected_seq, prev = 1, GENESIS
    last: dict[tuple[str, str], bytes | None] = {}
    count = 0
    for e in _entries(session):
        count += 1
        if e["seq"] != expected_seq:
            return VerifyResult(count, 0, f"entry {expected_seq} is missing (next entry is {e['seq']}): "
                                "entries were deleted or reordered")
        fields = {k: e[k] for k in ("seq", "at", "actor", "action", "entity", "entity_key",
                                    "subject", "before", "after")}
        if e["prev_hash"] != prev or entry_hash(prev, fields) != e["hash"]:
            return VerifyResult(count, 0, f"entry {e['seq']} ({e['action']} {e['entity']} "
                                f"{e['entity_key']}) does not match its hash: it was edited, "
                                "or an entry before it was removed")
        prev = e["hash"]
        expected_seq += 1
        digest = hashlib.sha256(e["after"].encode()).digest() if e["after"] is not None else None
        last[(e["entity"], e["entity_key"])] = digest
    rows = 0
    for name, cls in _AUDITED_TABLES.items():
        table = cls.__table__
        for values in session.execute(select(table)).mappings().yield_per(10_000):
            rows += 1
            snap = row_snapshot(table, values)
            key = row_key(table, snap)
            logged = last.pop((name, key), None)
            digest = hashlib.sha256(canonical(snap).encode()).digest()
            if logged is None:
                return VerifyResult(count, rows, f"{name} {key} is in the store but the audit log "
                                    "has no live record of it: it was added behind the tracker's back")
            if logged != digest:
                return VerifyResult(count, rows, f"{name} {key} differs from its last logged state: "
                                    "it was edited behind the tracker's back")
    for (name, key), digest in last.items():
        if digest is not None:
            return VerifyResult(count, rows, f"{name} {key} is logged as present but missing from "
                                "the store: it was deleted behind the tracker's back")
    return VerifyResult(count, rows)


def entry_count(session: Session) -> int:
    return session.execute(select(func.count()).select_from(AuditEntry)).scalar_one()

