"""The audit trail's hold on the match results: one entry per run, with a digest of its rows.

`match_result` is not audited row by row (a run writes 183,000 rows; one audit entry
each would double its time). Instead each run appends one audit entry (action `run`,
entity `match_run`, keyed `match_result`, the table it covers, so the last one is found
by the indexed key) whose `after` holds the run's time, how many rows it wrote and their
digest:

    SHA-256 of the JSON array (compact, keys in `DIGEST_COLUMNS` order, UTF-8) of the
    rows as lists of those columns, sorted by (specimen, victim)

Floats are written by JSON as Python's shortest round-trip text, so a row read back from
SQLite or PostgreSQL gives the same text as the row the run wrote. `audit verify`
recomputes the digest of the stored rows and compares it with the last run's entry: a
row changed, added or deleted behind the tracker's back breaks it (`verify_results`).
Clearing the results (the demo rebuilding its store) records an entry with no rows.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session

from chosei import audit
from chosei.models import MatchResult

RUN_ACTION = "run"
RUN_ENTITY = "match_run"
RUN_KEY = "match_result"
# Every column but the row's number, which says nothing about the result.
DIGEST_COLUMNS = tuple(str(c.name) for c in MatchResult.__table__.columns if c.name != "id")
_CHUNK = 20_000
_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode


def results_digest(rows: Iterable[Sequence[Any]]) -> tuple[int, str]:
    """(how many rows, their digest); `rows` are tuples or lists in `DIGEST_COLUMNS` order,
    in any order."""
    ordered = sorted(rows, key=lambda r: (r[0], r[1]))
    sha = hashlib.sha256(b"[")
    for start in range(0, len(ordered), _CHUNK):
        # One encoder call per chunk: the inner text of a chunk's array, joined by commas,
        # is the text of the whole array.
        inner = _ENCODE(ordered[start:start + _CHUNK])[1:-1]
        sha.update((b"," if start else b"") + inner.encode())
    sha.update(b"]")
    return len(ordered), sha.hexdigest()


def record_run(session: Session, computed_at: str, columns: Sequence[str], rows: Sequence[Sequence[Any]],
               details: dict[str, Any] | None = None) -> None:
    """Append the run's audit entry: its time, row count and digest (no genetic data).
    `rows` hold `columns`, which name every column of `DIGEST_COLUMNS`."""
    if tuple(columns) != DIGEST_COLUMNS:
        at = [list(columns).index(name) for name in DIGEST_COLUMNS]
        rows = [[r[i] for i in at] for r in rows]
    count, digest = results_digest(rows)
    after = {"computed_at": computed_at, "rows": count, "digest": digest, **(details or {})}
    audit.record(session, [audit.Change(RUN_ACTION, RUN_ENTITY, RUN_KEY, None, after)])


def stored_digest(session: Session) -> tuple[int, str]:
    """The row count and digest of the `match_result` rows in the store now."""
    table = MatchResult.__table__
    query = select(*(table.c[name] for name in DIGEST_COLUMNS))
    return results_digest([tuple(r) for r in session.execute(query)])


def verify_results(session: Session, last_run: str | None) -> str | None:
    """What is wrong with the stored match results, given the last run entry's `after`
    text; None when they are the ones the run logged."""
    if last_run is None:
        n = session.execute(select(func.count()).select_from(MatchResult)).scalar_one()
        if n == 0:
            return None
        return (f"match_result holds {n:,} row(s) but no match run is logged: they were added behind the "
                "tracker's back; `chosei match run` recomputes them")
    logged = json.loads(last_run)
    key = logged["computed_at"]
    count, digest = stored_digest(session)
    if digest == logged["digest"]:
        return None
    run = f"the match run of {key}" if logged["rows"] else f"the match results cleared at {key}"
    if count > logged["rows"]:
        what = f"{count - logged['rows']:,} row(s) were added"
    elif count < logged["rows"]:
        what = f"{logged['rows'] - count:,} row(s) were deleted"
    else:
        what = "a row was changed"
    return (f"match_result differs from {run} ({logged['rows']:,} row(s) logged, {count:,} stored): {what} "
            "behind the tracker's back; `chosei match run` recomputes them")


def results_intact(session: Session) -> str | None:
    """`verify_results` against the last run the audit log holds."""
    from chosei.models import AuditEntry

    last = session.execute(
        select(AuditEntry.after).where(AuditEntry.entity_key == RUN_KEY, AuditEntry.entity == RUN_ENTITY)
        .order_by(AuditEntry.seq.desc()).limit(1)
    ).scalar_one_or_none()
    return verify_results(session, last)
