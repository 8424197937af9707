"""Per-victim stages as SQL, so the dashboard counts 100,000 rows in a few statements.

Family stage (rank): 0 no relative known, 1 located, 2 consented (an active consent for
analysis), 3 reference collected (a sample from a consenting relative past `planned`),
4 reference profiled (such a sample `profiled`, or typed). A withdrawn consent drops the
relative back to "located": their DNA can no longer be used.

Remains stage (rank): 0 none attributed, 1 candidate, 2 identified (a confirmed
identification), 3 returned (a confirmed specimen with a `returned` custody event).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, case, exists, func, literal, or_, select

from chosei.models import Consent, CustodyEvent, Genotype, Identification, Relative, Sample, Victim

_active_analysis = exists().where(
    Consent.relative_id == Relative.id,
    Consent.scope == "analysis",
    Consent.withdrawn_on.is_(None),
)
_profiled_sample = exists().where(
    Sample.relative_id == Relative.id,
    or_(
        Sample.status == "profiled",
        exists().where(Genotype.sample_id == Sample.id),
    ),
)
_collected_sample = exists().where(
    Sample.relative_id == Relative.id,
    Sample.status.not_in(("planned",)),
)


def relative_rank() -> Any:
    return case(
        (~_active_analysis, 1),
        (_profiled_sample, 4),
        (_collected_sample, 3),
        else_=2,
    )


def family_ranks() -> Any:
    """victim_id → family rank, for victims with at least one relative."""
    return (
        select(Relative.victim_id.label("victim_id"), func.max(relative_rank()).label("rank"))
        .group_by(Relative.victim_id)
        .subquery("family")
    )


def remains_ranks() -> Any:
    """victim_id → remains rank, for victims with at least one identification."""
    returned = exists().where(
        CustodyEvent.item_id == Identification.specimen_id, CustodyEvent.event == "returned"
    )
    rank = case(
        (and_(Identification.status == "confirmed", returned), 3),
        (Identification.status == "confirmed", 2),
        (Identification.status == "candidate", 1),
        else_=0,
    )
    return (
        select(Identification.victim_id.label("victim_id"), func.max(rank).label("rank"))
        .group_by(Identification.victim_id)
        .subquery("remains")
    )


def victim_stages() -> Any:
    """One row per victim: id, nationality, family rank, remains rank."""
    fam = family_ranks()
    rem = remains_ranks()
    return (
        select(
            Victim.id.label("victim_id"),
            Victim.nationality.label("nationality"),
            func.coalesce(fam.c.rank, literal(0)).label("family"),
            func.coalesce(rem.c.rank, literal(0)).label("remains"),
        )
        .outerjoin(fam, fam.c.victim_id == Victim.id)
        .outerjoin(rem, rem.c.victim_id == Victim.id)
    )
