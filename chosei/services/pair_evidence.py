"""The tracker's own numbers for one pair, at the moment people decide on it.

A confirmation never trusts the stored `MatchResult` row. `pair_evidence`:

* checks the run's results against the digest its audit entry holds
  (`match_digest`), so no row of the run was changed, added or deleted by hand;
* recomputes the pair's LR and exclusions from the genotypes in the store with the
  parameters the run recorded (`match_review.match_detail`, which is how `match show`
  explains a pair), and the posterior with the formula a run stores
  (`kinship.closed_set`, as `match run` stores it) over the specimen's LRs;
* compares them with the stored row (relative tolerance `TOLERANCE`).

A stored row that disagrees while the run's digest is broken was forged: `AuditBroken`
(exit 7), naming the pair. One that disagrees while the digest holds is stale: the
store changed since the run (a new profile, a withdrawn consent): `RuleViolation`
(exit 4), run `chosei match run` again.

`needs_override` says why a confirmation needs `--override`: an exclusion (any
autosomal marker, Y-STR or mtDNA) or a posterior below `MIN_POSTERIOR`.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

import numpy as np
from sqlalchemy import select
from sqlmodel import Session, col

from chosei.errors import AuditBroken, RuleViolation
from chosei.i18n import _
from chosei.kinship import closed_set
from chosei.models import MatchResult
from chosei.services.match_options import MatchOptions, method_text
from chosei.services.match_review import match_detail

TOLERANCE = 1e-9
MIN_POSTERIOR = 0.5


@dataclass(frozen=True)
class PairEvidence:
    """A pair's numbers as the tracker recomputes them now."""

    lr: float
    posterior: float
    excluded: tuple[str, ...]
    threshold: float


def _differs(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is not b
    return not math.isclose(a, b, rel_tol=TOLERANCE, abs_tol=0)


def pair_evidence(session: Session, match: MatchResult, broken: str | None) -> PairEvidence:
    """Recompute `match`'s pair and check the stored row against it (module docstring);
    `broken`: what `match_digest.results_intact` says of the run's results."""
    sid, vid = match.specimen_id, match.victim_id
    detail = match_detail(session, sid, vid)
    if "lr" not in detail:
        why = "; ".join(detail["notes"])
        raise RuleViolation(_("specimen {sid} and victim {vid} can no longer be compared ({why}); run `chosei "
                              "match run`, then decide").format(sid=sid, vid=vid, why=why))
    lr = detail["lr"]
    row = list(session.execute(
        select(col(MatchResult.victim_id), col(MatchResult.lr)).where(col(MatchResult.specimen_id) == sid)).all())
    lrs = np.array([[lr if v == vid else float(x) for v, x in row]])
    params = json.loads(match.parameters or "{}")
    shares = closed_set(lrs, int(params.get("prior_n", 1)), float(params.get("open_prior", 0.0)))
    post = float(shares.posteriors[0, [v for v, _ in row].index(vid)])
    excluded = tuple(detail["excluded"])
    stored_excluded = tuple(match.excluded_markers.split(", ")) if match.excluded_markers else ()
    if _differs(match.lr, lr) or _differs(match.posterior, post) or set(stored_excluded) != set(excluded):
        stored = _("stored LR {match_lr:.6g}, posterior {text}").format(
                     match_lr=match.lr, text=_text(match.posterior))
        now = _("recomputed LR {lr:.6g}, posterior {post:.6g}").format(lr=lr, post=post)
        if broken:
            raise AuditBroken(_("the stored match of specimen {sid} and victim {vid} is not the tracker's "
                                "({stored}; {now} from the store's genotypes): {broken}").format(
                                  sid=sid, vid=vid, stored=stored, now=now, broken=broken))
        raise RuleViolation(_("the store changed since the last run for specimen {sid} and victim {vid} "
                              "({stored}; {now}): run `chosei match run`, then decide").format(
                                sid=sid, vid=vid, stored=stored, now=now))
    if broken:
        raise AuditBroken(_("cannot decide on specimen {sid} and victim {vid}: {broken}").format(
                              sid=sid, vid=vid, broken=broken))
    return PairEvidence(lr, post, excluded, float(detail["parameters"]["threshold"]))


def needs_override(evidence: PairEvidence) -> list[str]:
    """Why confirming this pair needs `--override` (empty: it does not)."""
    reasons = []
    if evidence.excluded or evidence.lr == 0:
        reasons.append(_("the DNA excludes it (at {markers})").format(
            markers=", ".join(evidence.excluded) or _("the combined LR")))
    if evidence.posterior < MIN_POSTERIOR:
        reasons.append(_("its posterior {evidence_posterior:.4g} is below {min_posterior:g}").format(
                           evidence_posterior=evidence.posterior, min_posterior=MIN_POSTERIOR))
    return reasons


def method_of(match: MatchResult) -> str:
    """How the run computed the pair, for `Identification.method`."""
    population = json.loads(match.parameters).get("population", "?") if match.parameters else "?"
    return method_text(MatchOptions.from_parameters(match.parameters).checked(), population)


def _text(value: float | None) -> str:
    return "-" if value is None else f"{value:.6g}"
