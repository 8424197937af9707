"""Per-victim stages as SQL, so the dashboard counts 100,000 rows in a few statements.

Family stage (rank): 0 no relative known, 1 located, 2 consented (an active consent for
analysis), 3 reference collected (a sample from a consenting relative past `planned`),
4 reference profiled (such a sample `profiled`, or typed). A withdrawn consent drops the
relative back to "located": their DNA can no longer be used.

Remains stage (rank): 0 none attributed, 1 candidate, 2 identified (a confirmed
identification), 3 returned (a confirmed specimen with a `returned` custody event).

Written in Core over `chosei.tables`, so `chosei status` needs no ORM. Each function
returns a subquery keyed by an ID; a query over the models joins it on that ID.

`consent_in_effect` is the one home of the consent rule (given for a scope, not
withdrawn): the stages, the partner Dashboard and the PostgreSQL row-level security of
`chosei db roles` (`chosei.roles`) all use it. `shared_with` restricts the stages to the
relatives a partner agency may see (their consent covers `share:KR` / `share:JP`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, case, exists, func, literal, or_, select

from chosei.tables import consent, custody_event, genotype, identification, relative, sample, victim


def consent_in_effect(relative_id: Any, scope: Any) -> Any:
    """SQL: the relative `relative_id` gave consent for `scope` and has not withdrawn it."""
    return exists().where(
        consent.c.relative_id == relative_id,
        consent.c.scope == scope,
        consent.c.withdrawn_on.is_(None),
    )


def any_consent_in_effect(relative_id: Any) -> Any:
    """SQL: the relative `relative_id` has consent in effect for at least one scope."""
    return exists().where(consent.c.relative_id == relative_id, consent.c.withdrawn_on.is_(None))


def any_consent_given(relative_id: Any) -> Any:
    """SQL: the relative `relative_id` ever gave consent (in effect or withdrawn since)."""
    return exists().where(consent.c.relative_id == relative_id)


def _relative_rank() -> Any:
    """The family rank one relative gives, correlated with `relative`."""
    active_analysis = consent_in_effect(relative.c.id, "analysis")
    profiled_sample = exists().where(
        sample.c.relative_id == relative.c.id,
        or_(
            sample.c.status == "profiled",
            exists().where(genotype.c.sample_id == sample.c.id),
        ),
    )
    collected_sample = exists().where(
        sample.c.relative_id == relative.c.id,
        sample.c.status.not_in(("planned",)),
    )
    return case(
        (~active_analysis, 1),
        (profiled_sample, 4),
        (collected_sample, 3),
        else_=2,
    )


def relative_ranks() -> Any:
    """relative_id → the family rank the relative gives, for every relative."""
    return select(
        relative.c.id.label("relative_id"), _relative_rank().label("rank")
    ).subquery("relative_rank")


def family_ranks(shared_with: str | None = None) -> Any:
    """victim_id → family rank, for victims with at least one relative; with `shared_with`
    (`KR`, `JP`), counting only relatives whose consent covers sharing with that agency."""
    query = select(relative.c.victim_id.label("victim_id"), func.max(_relative_rank()).label("rank"))
    if shared_with is not None:
        query = query.where(consent_in_effect(relative.c.id, f"share:{shared_with}"))
    return query.group_by(relative.c.victim_id).subquery("family")


def remains_ranks() -> Any:
    """victim_id → remains rank, for victims with at least one identification."""
    returned = exists().where(
        custody_event.c.item_id == identification.c.specimen_id,
        custody_event.c.event == "returned",
    )
    rank = case(
        (and_(identification.c.status == "confirmed", returned), 3),
        (identification.c.status == "confirmed", 2),
        (identification.c.status == "candidate", 1),
        else_=0,
    )
    return (
        select(identification.c.victim_id.label("victim_id"), func.max(rank).label("rank"))
        .group_by(identification.c.victim_id)
        .subquery("remains")
    )


def victim_stages(shared_with: str | None = None) -> Any:
    """One row per victim: id, nationality, family rank, remains rank (`family_ranks`
    says what `shared_with` does)."""
    fam = family_ranks(shared_with)
    rem = remains_ranks()
    return (
        select(
            victim.c.id.label("victim_id"),
            victim.c.nationality.label("nationality"),
            func.coalesce(fam.c.rank, literal(0)).label("family"),
            func.coalesce(rem.c.rank, literal(0)).label("remains"),
        )
        .outerjoin(fam, fam.c.victim_id == victim.c.id)
        .outerjoin(rem, rem.c.victim_id == victim.c.id)
    )
