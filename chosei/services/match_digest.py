"""The audit trail's hold on the match results: one entry per run, with a digest of its rows.

`match_result` is not audited row by row (a run writes 183,000 rows; one audit entry
each would double its time). Instead each run appends one audit entry (action `run`,
entity `match_run`, keyed `match_result`, the table it covers, so the last one is found
by the indexed key) whose `after` holds the run's time, how many rows it wrote and their
digest: the SHA-256 of the rows sorted by (specimen, victim), taken column by column in
`DIGEST_COLUMNS` order (every column but the row's number), each column as

    NAME ":" BYTES "\n" then BYTES bytes:
    text     the JSON array (compact, UTF-8) of its distinct values in order of first
             appearance (NULL as null), "\n", then each row's index in it (uint32)
    number   a bit per row, set where the value is NULL (numpy `packbits`), then each
             row's value as an IEEE 754 double (NULL as 0)
    integer  each row's value (int64)

all big-endian. Column by column, the values go to numpy and the hash in a few calls
(a row-by-row text costs a run a fifth of its time; this costs it a few percent), and
a double read back from SQLite or PostgreSQL has the bits the run wrote.
`audit verify` recomputes the digest of the stored rows and compares it with the last
run's entry: a row changed, added or deleted behind the tracker's back breaks it
(`verify_results`). Clearing the results (the demo rebuilding its store) records an
entry with no rows.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any

import numpy as np
from sqlalchemy import Float, Integer, func, select
from sqlmodel import Session, col

from chosei import audit
from chosei.i18n import _
from chosei.models import MatchResult

RUN_ACTION = "run"
RUN_ENTITY = "match_run"
RUN_KEY = "match_result"
# Every column but the row's number, which says nothing about the result.
DIGEST_COLUMNS = tuple(str(c.name) for c in MatchResult.__table__.columns if c.name != "id")
_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode
_KIND = {str(c.name): ("number" if isinstance(c.type, Float) else "integer" if isinstance(c.type, Integer)
                       else "text") for c in MatchResult.__table__.columns}


def results_digest(columns: Sequence[Sequence[Any]], *, ordered: bool = False) -> tuple[int, str]:
    """(how many rows, their digest); `columns` hold the rows' values of `DIGEST_COLUMNS`,
    in that order, one sequence per column, the rows in any order, or sorted by
    (specimen, victim) when the caller says they are `ordered`."""
    n = len(columns[0]) if columns else 0
    if not ordered:
        keys = list(zip(columns[0], columns[1], strict=True))
        order = sorted(range(n), key=keys.__getitem__)
        columns = [[values[i] for i in order] for values in columns]
    sha = hashlib.sha256(f"{n}\n".encode())
    for name, values in zip(DIGEST_COLUMNS, columns, strict=True):
        part = _column_bytes(_KIND[name], values, n)
        sha.update(f"{name}:{len(part)}\n".encode())
        sha.update(part)
    return n, sha.hexdigest()


def _column_bytes(kind: str, col: Sequence[Any], n: int) -> bytes:
    if kind == "integer":
        return np.array(col, dtype=">i8").tobytes()
    if kind == "number":
        null = np.fromiter((v is None for v in col), dtype=bool, count=n) if None in col else np.zeros(n, bool)
        values = np.array([0.0 if v is None else v for v in col] if null.any() else col, dtype=">f8")
        return np.packbits(null).tobytes() + values.tobytes()
    distinct = list(dict.fromkeys(col))  # in order of first appearance
    index = {v: i for i, v in enumerate(distinct)}
    rows = np.fromiter(map(index.__getitem__, col), dtype=np.uint32, count=n)
    return _ENCODE(distinct).encode() + b"\n" + rows.astype(">u4").tobytes()


def record_run(session: Session, computed_at: str, names: Sequence[str], columns: Sequence[Sequence[Any]],
               details: dict[str, Any] | None = None, *, ordered: bool = False) -> None:
    """Append the run's audit entry: its time, row count and digest (no genetic data).
    `columns` hold the values of the columns `names`, which name every one of
    `DIGEST_COLUMNS`; `ordered`: the rows are sorted by (specimen, victim)."""
    by_name = dict(zip(names, columns, strict=True))
    count, digest = results_digest([by_name[name] for name in DIGEST_COLUMNS], ordered=ordered)
    after = {"computed_at": computed_at, "rows": count, "digest": digest, **(details or {})}
    audit.record(session, [audit.Change(RUN_ACTION, RUN_ENTITY, RUN_KEY, None, after)])


def stored_digest(session: Session) -> tuple[int, str]:
    """The row count and digest of the `match_result` rows in the store now."""
    table = MatchResult.__table__
    query = select(*(table.c[name] for name in DIGEST_COLUMNS))
    rows = sorted(session.execute(query).all(), key=lambda r: (r[0], r[1]))
    return results_digest([list(col) for col in zip(*rows, strict=True)] if rows
                          else [[] for _ in DIGEST_COLUMNS], ordered=True)


def verify_results(session: Session, last_run: str | None) -> str | None:
    """What is wrong with the stored match results, given the last run entry's `after`
    text; None when they are the ones the run logged."""
    if last_run is None:
        n = session.execute(select(func.count()).select_from(MatchResult)).scalar_one()
        if n == 0:
            return None
        return (_("match_result holds {n:,} row(s) but no match run is logged: they were added behind the "
                  "tracker's back; `chosei match run` recomputes them").format(n=n))
    logged = json.loads(last_run)
    key = logged["computed_at"]
    count, digest = stored_digest(session)
    if digest == logged["digest"]:
        return None
    run = (_("the match run of {key}") if logged["rows"] else _("the match results cleared at {key}")).format(key=key)
    if count > logged["rows"]:
        what = _("{count:,} row(s) were added").format(count=count - logged['rows'])
    elif count < logged["rows"]:
        what = _("{logged_rows:,} row(s) were deleted").format(logged_rows=logged['rows'] - count)
    else:
        what = _("a row was changed")
    return (_("match_result differs from {run} ({logged_rows:,} row(s) logged, {count:,} stored): {what} behind "
              "the tracker's back; `chosei match run` recomputes them").format(
                run=run, logged_rows=logged['rows'], count=count, what=what))


def results_intact(session: Session) -> str | None:
    """`verify_results` against the last run the audit log holds."""
    from chosei.models import AuditEntry

    last = session.execute(
        select(col(AuditEntry.after)).where(col(AuditEntry.entity_key) == RUN_KEY, col(AuditEntry.entity) == RUN_ENTITY)
        .order_by(col(AuditEntry.seq).desc()).limit(1)
    ).scalar_one_or_none()
    return verify_results(session, last)
