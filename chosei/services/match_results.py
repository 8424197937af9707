"""What a match run stores: one `MatchResult` per pair, and the candidates for review.

* The previous run's `MatchResult` rows are replaced: one per (specimen, victim) pair
  the run computed, with the combined, autosomal, Y and mtDNA LRs, the closed-set
  posterior (`kinship.closed_set` over the case's expected roster), what
  excludes the pair (the autosomal markers, then `Y-STR`, `mtDNA`) and the options as
  JSON. A victim the engine could not compute gets no row. They are written in one
  driver-level executemany (a run writes one row per pair: 183,000 for 1,000 bones),
  and covered by one audit entry carrying their digest (`match_digest`).
* LRs are stored as numbers, capped at 10^`MAX_LOG10_LR`, so JSON never holds Infinity
  or NaN; an exclusion is 0; a line that does not apply is NULL.
* Candidates: each pair at or above the threshold has an `Identification` row with
  status `candidate`, created or refreshed here; a candidate whose pair fell below the
  threshold (or was not computed) is withdrawn. Rows people decided on (`confirmed`,
  `rejected`) are never touched.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Any

import numpy as np
from sqlalchemy import delete
from sqlmodel import Session

from chosei.kinship import closed_set
from chosei.models import Identification, MatchResult
from chosei.services.match_digest import record_run
from chosei.services.match_families import VictimFamily
from chosei.services.match_lrs import PairLRs
from chosei.services.match_options import MatchOptions, method_text
from chosei.services.profiles import Profile

MAX_LOG10_LR = 300.0
"""Stored LRs are capped at 1e300 so they stay finite numbers (never reached in practice)."""

MATCH_COLUMNS = ("specimen_id", "victim_id", "sample_id", "lr", "autosomal_lr", "y_lr", "mt_lr", "snp_lr",
                 "posterior", "excluded_markers", "computed_at", "parameters", "version")


Hits = dict[tuple[str, str], tuple[float, float]]


def store_results(session: Session, lrs: PairLRs, specimens: dict[str, Profile], families: dict[str, VictimFamily],
                  options: MatchOptions, n_expected: int) -> tuple[int, int, Hits]:
    """Replace the stored pairs with `lrs`; return (pairs, exclusions, {pair at or above the threshold: (LR,
    posterior)}). Posteriors are over the `n_expected` victims of the roster; a victim not computed
    counts with LR 1."""
    spec_ids, vic_ids = lrs.specimens, lrs.victims
    log10 = lrs.log10
    lr = _as_lr(log10)
    keep = [c for c, vid in enumerate(vic_ids) if vid not in lrs.failed]
    post = np.zeros_like(lr)
    post[:, keep] = closed_set(lr[:, keep], n_expected, options.open_prior).posteriors
    now = datetime.now(UTC).isoformat(timespec="seconds")
    rates = lrs.dropout or {}
    grouped = lrs.grouped or {}
    params = {(pop, sid): options.parameters(pop, n_expected, rates.get(pop, {}).get(sid), grouped.get(sid))
              for pop in lrs.populations for sid in spec_ids}
    aut_lr = _as_lr(lrs.autosomal)
    names = _exclusion_labels(lr.shape, lrs.excluded, lrs.y, lrs.mt)

    def column(arr: np.ndarray) -> list[Any]:
        return arr[:, keep].ravel().tolist()

    def optional(arr: np.ndarray) -> list[float | None]:
        return [None if v != v else v for v in column(arr)]  # NaN: the line does not apply

    n_spec, n_kept = len(spec_ids), len(keep)
    columns = (
        [sid for sid in spec_ids for _ in range(n_kept)],
        [vic_ids[c] for _ in range(n_spec) for c in keep],
        [specimens[sid].sample_label for sid in spec_ids for _ in range(n_kept)],
        column(lr), column(aut_lr), optional(lrs.y), optional(lrs.mt),
        optional(_as_lr(lrs.snp)) if lrs.snp is not None else [None] * (n_spec * n_kept),
        column(post), column(names),
        [now] * (n_spec * n_kept),
        [params[families[vic_ids[c]].population, sid] for sid in spec_ids for c in keep],
        [1] * (n_spec * n_kept),
    )
    rows = list(zip(*columns, strict=True))
    session.execute(delete(MatchResult))
    _bulk_insert(session, MatchResult.__table__.name, MATCH_COLUMNS, rows)
    kept = [vic_ids[c] for c in keep]
    record_run(session, now, MATCH_COLUMNS, columns, {"specimens": n_spec, "victims": n_kept},
               ordered=spec_ids == sorted(spec_ids) and kept == sorted(kept))
    floor = math.log10(options.threshold)
    hits = {(spec_ids[r], vic_ids[c]): (float(lr[r, c]), float(post[r, c]))
            for r, c in zip(*np.nonzero(log10 >= floor), strict=True) if vic_ids[c] not in lrs.failed}
    return len(rows), sum(1 for row in rows if row[3] == 0), hits


def update_candidates(session: Session, decisions: list[Identification],
                      hits: dict[tuple[str, str], tuple[float, float]], options: MatchOptions,
                      families: dict[str, VictimFamily]) -> tuple[int, int, int, list[dict[str, Any]]]:
    """Create, refresh or withdraw the candidate rows for `hits` ({pair: (LR, posterior)});
    return (created, refreshed, withdrawn, the candidates listed). Decided rows are kept."""
    by_pair = {(d.specimen_id, d.victim_id): d for d in decisions}
    created = refreshed = withdrawn = 0
    for pair, old in by_pair.items():
        if old.status == "candidate" and pair not in hits:
            session.delete(old)
            withdrawn += 1
    listed = []
    for (sid, vid), (lr, post) in sorted(hits.items(), key=lambda kv: (kv[0][0], -kv[1][0], kv[0][1])):
        row = by_pair.get((sid, vid))
        method = method_text(options, families[vid].population)
        if row is None:
            session.add(Identification(specimen_id=sid, victim_id=vid, lr=lr, posterior=post, method=method,
                                       status="candidate"))
            created += 1
        elif row.status == "candidate" and (row.lr, row.posterior, row.method) != (lr, post, method):
            row.lr, row.posterior, row.method = lr, post, method
            refreshed += 1
        listed.append({"specimen_id": sid, "victim_id": vid, "lr": lr, "posterior": post,
                       "status": row.status if row is not None else "candidate"})
    session.flush()
    return created, refreshed, withdrawn, listed


def _bulk_insert(session: Session, table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """Insert many rows in one driver-level executemany: a run writes one per pair."""
    conn = session.connection()
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join([mark] * len(columns))})"
    for start in range(0, len(rows), 50_000):
        conn.exec_driver_sql(sql, rows[start:start + 50_000])


def _as_lr(log10: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        return np.where(np.isneginf(log10), 0.0, np.power(10.0, np.minimum(log10, MAX_LOG10_LR)))


def _exclusion_labels(shape: tuple[int, ...], excluded: list[tuple[list[int], np.ndarray, list[str]]],
                      y: np.ndarray, mt: np.ndarray) -> np.ndarray:
    """Per pair, what excludes it ("D3S1358, TH01, Y-STR"), None when nothing does.

    Each distinct pattern of excluding markers is written once and shared by its pairs.
    """
    out = np.full(shape, None, dtype=object)
    for cols, markers, names in excluded:
        every = np.concatenate([markers, (y[:, cols] == 0)[:, :, None], (mt[:, cols] == 0)[:, :, None]], axis=2)
        rows, sub = np.nonzero(every.any(axis=2))
        if not len(rows):
            continue
        hit = every[rows, sub]
        if hit.shape[1] < 63:  # one integer per pattern: much faster to sort than rows of booleans
            codes = hit @ (np.int64(1) << np.arange(hit.shape[1], dtype=np.int64))
            _, first, which = np.unique(codes, return_index=True, return_inverse=True)
            patterns = hit[first]
        else:
            patterns, which = np.unique(hit, axis=0, return_inverse=True)
        labels = [*names, "Y-STR", "mtDNA"]
        texts = np.array([", ".join(labels[k] for k in np.flatnonzero(p)) for p in patterns], dtype=object)
        out[rows, np.asarray(cols)[sub]] = texts[which.ravel()]
    return out
