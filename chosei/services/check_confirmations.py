"""`chosei check` on confirmed identifications: what a review board must look at again.

* **overridden-confirmation**: confirmed with `--override` (the DNA excludes the pair,
  or its posterior was below 0.5); the reasons are in the report and the audit log.
* **confirmation-without-consent**: no relative of the victim both consents to analysis
  and is typed any more (the family stage `reference profiled` of `services/stages.py`,
  so a withdrawn consent counts as it does everywhere else).
* **victim-confirmed-twice-for-one-bone**: one victim confirmed for two specimens of a
  bone a skeleton has once (`mni.exclusive_slot`: two crania, two left femurs).
* **confirmation-below-threshold**: the latest run's stored LR for the pair is below its
  candidate threshold while the LR recorded at confirmation was at or above it: new
  data weakened it. The stored LR is used, not a recomputation: it is covered by the
  run's audited digest (`audit verify`), and `check` stays one query per flag.

Each finding is (check, message, count, IDs shown); `services.check` makes them problems.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, select
from sqlmodel import Session, col

from chosei.i18n import _
from chosei.mni import exclusive_slot
from chosei.models import Identification, MatchResult, Specimen
from chosei.rules import FAMILY_STAGES
from chosei.services.match_review import last_threshold
from chosei.services.stages import family_ranks

USABLE_RANK = FAMILY_STAGES.index("reference profiled")
Finding = tuple[str, str, int, list[str]]


def _pair(sid: str, vid: str) -> str:
    return f"{sid} = {vid}"


def confirmation_findings(session: Session, limit: int) -> list[Finding]:
    """The flags of the module docstring that the store raises, each with up to `limit` IDs."""
    confirmed = col(Identification.status) == "confirmed"
    out: list[Finding] = []

    overridden = [_pair(s, v) for s, v in session.execute(
        select(col(Identification.specimen_id), col(Identification.victim_id))
        .where(confirmed, col(Identification.override).is_not(None))
        .order_by(Identification.specimen_id, Identification.victim_id))]
    if overridden:
        out.append(("overridden-confirmation",
                    _("{n_overridden} confirmation(s) rest on an override (the DNA excludes the pair or does not "
                      "single it out): review each reason (`chosei report` lists them)").format(
                        n_overridden=len(overridden)),
                    len(overridden), overridden[:limit]))

    family = family_ranks()
    unsupported = [_pair(s, v) for s, v in session.execute(
        select(col(Identification.specimen_id), col(Identification.victim_id))
        .outerjoin(family, family.c.victim_id == Identification.victim_id)
        .where(confirmed, (family.c.rank.is_(None)) | (family.c.rank < USABLE_RANK))
        .order_by(Identification.specimen_id, Identification.victim_id))]
    if unsupported:
        out.append(("confirmation-without-consent",
                    _("{n_unsupported} confirmation(s) rest on relatives who no longer consent to analysis (no "
                      "relative of the victim both consents and is typed): review them with the family, or "
                      "record the consent again (`chosei relative consent`)").format(n_unsupported=len(unsupported)),
                    len(unsupported), unsupported[:limit]))

    bones: dict[tuple[str, str, str], list[str]] = {}
    for sid, vid, element, side in session.execute(
            select(col(Identification.specimen_id), col(Identification.victim_id),
                   col(Specimen.element), col(Specimen.side))
            .join(Specimen, col(Specimen.id) == Identification.specimen_id).where(confirmed)):
        bone = exclusive_slot(element, side)
        if bone is not None:
            bones.setdefault((vid, *bone), []).append(sid)
    twice = [f"{vid}: {', '.join(sorted(sids))} ({' '.join(b for b in (side, element) if b)})"
             for (vid, element, side), sids in sorted(bones.items()) if len(sids) > 1]
    if twice:
        out.append(("victim-confirmed-twice-for-one-bone",
                    _("{n_twice} victim(s) are confirmed for two specimens of a bone a skeleton has once: reject "
                      "all but one (`chosei match reject`)").format(n_twice=len(twice)), len(twice), twice[:limit]))

    threshold = last_threshold(session)
    weaker = [_pair(s, v) for s, v in session.execute(
        select(col(Identification.specimen_id), col(Identification.victim_id))
        .join(MatchResult, and_(col(MatchResult.specimen_id) == Identification.specimen_id,
                                col(MatchResult.victim_id) == Identification.victim_id))
        .where(confirmed, col(Identification.lr) >= threshold, col(MatchResult.lr) < threshold)
        .order_by(Identification.specimen_id, Identification.victim_id))]
    if weaker:
        out.append(("confirmation-below-threshold",
                    _("{n_weaker} confirmation(s) fell below the candidate threshold ({threshold:,.0f}) in the "
                      "latest run: new data weakened them; review each (`chosei match show SPECIMEN VICTIM`)").format(
                        n_weaker=len(weaker), threshold=threshold),
                    len(weaker), weaker[:limit]))
    return out


def overridden_confirmations(session: Session) -> list[dict[str, Any]]:
    """The confirmations made with `--override`, with who, when and why, for the report."""
    rows = session.execute(
        select(Identification)
        .where(col(Identification.status) == "confirmed", col(Identification.override).is_not(None))
        .order_by(Identification.specimen_id, Identification.victim_id)).scalars()
    return [{"specimen_id": r.specimen_id, "victim_id": r.victim_id, "lr": r.lr, "posterior": r.posterior,
             "decided_on": r.decided_on, "decided_by": r.decided_by, "override": r.override} for r in rows]
