"""Per-victim stages as SQL, so the dashboard counts 100,000 rows in a few statements.

Family stage (rank): 0 no relative known, 1 located, 2 consented (an active consent for
analysis), 3 reference collected (a sample from a consenting relative past `planned`),
4 reference profiled (such a sample with its profile in the store: genotypes or SNP
calls; a sample marked `profiled` without one does not count). A withdrawn consent drops the
relative back to "located": their DNA can no longer be used.

Remains stage (rank): 0 none attributed, 1 candidate, 2 identified (a confirmed
identification), 3 returned (a confirmed specimen with a `returned` custody event).

Written in Core over `chosei.tables`, so `chosei status` needs no ORM. Each function
returns a subquery keyed by an ID; a query over the models joins it on that ID.

`consent_in_effect` is the one home of the consent rule (the latest consent event for a
scope dated up to today is a consent given; `consent_states` is its Python twin): the
stages, the partner Dashboard, the bench and the PostgreSQL row-level security of
`chosei db roles` (`chosei.roles`) all use it. `shared_with` restricts the stages to the
relatives a partner agency may see (their consent covers `share:KR` / `share:JP`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import ColumnClause, and_, case, exists, func, literal, literal_column, or_, select

from chosei import dates
from chosei.tables import (
    consent_event,
    custody_event,
    genotype,
    identification,
    relative,
    sample,
    snp_calls,
    victim,
)

_NO_DATE: ColumnClause[Any] = literal_column("''")  # an undated consent sorts first; a literal, for `db roles`


def _today(today: Any) -> Any:
    return literal(dates.today().isoformat()) if today is None else today


def consent_in_effect(relative_id: Any, scope: Any, today: Any = None) -> Any:
    """SQL: the latest consent event of `relative_id` for `scope` dated on or before
    `today` is a consent given (an undated event counts as long past).

    `today` is SQL text (`YYYY-MM-DD`), Python's `dates.today()` when None; the
    row-level security function passes the server's `CURRENT_DATE`. Events are ordered by
    date, then by the order they were recorded (`id`); partial dates compare as text,
    which puts `2025` before `2025-03-01` and counts `2026-12` as not after 2026-12-05.
    """
    today = _today(today)
    given, later = consent_event.alias("given"), consent_event.alias("later")
    return exists().where(
        given.c.relative_id == relative_id,
        given.c.scope == scope,
        given.c.event == literal_column("'given'"),
        or_(given.c.date.is_(None), given.c.date <= today),
        ~exists().where(
            later.c.relative_id == given.c.relative_id,
            later.c.scope == given.c.scope,
            later.c.event == literal_column("'withdrawn'"),
            later.c.date <= today,
            or_(later.c.date > func.coalesce(given.c.date, _NO_DATE),
                and_(later.c.date == func.coalesce(given.c.date, _NO_DATE),
                     later.c.id > given.c.id)),
        ),
    )


def any_consent_in_effect(relative_id: Any) -> Any:
    """SQL: the relative `relative_id` has consent in effect for at least one scope
    (`consent_in_effect`, scope by scope)."""
    from chosei.vocab import CONSENT_SCOPE

    return or_(*(consent_in_effect(relative_id, literal(scope)) for scope in CONSENT_SCOPE.codes))


def any_consent_given(relative_id: Any) -> Any:
    """SQL: the relative `relative_id` ever gave consent (in effect or withdrawn since)."""
    return exists().where(consent_event.c.relative_id == relative_id,
                          consent_event.c.event == literal_column("'given'"))


_EVENT_KEYS = ("id", "scope", "event", "date")


def consent_states(events: Iterable[Any], today: dt.date | None = None) -> list[dict[str, Any]]:
    """The Python twin of `consent_in_effect`, for events already read: per scope (sorted)
    the state in effect on `today`: `active`, `given_on` (the date of the consent in
    effect, or of the last one given) and `withdrawn_on` (the last withdrawal, when not
    active). Events may be rows or mappings with `id`, `scope`, `event` and `date`. Scopes
    with no event dated on or before `today` are left out: nothing is in effect yet."""
    day = (today or dates.today()).isoformat()
    by_scope: dict[str, list[tuple[str, int, str, str | None]]] = {}
    for e in events:
        row = e if isinstance(e, Mapping) else {k: getattr(e, k) for k in _EVENT_KEYS}
        if row["date"] is None or row["date"] <= day:
            by_scope.setdefault(row["scope"], []).append(
                (row["date"] or "", row["id"] or 0, row["event"], row["date"]))
    states = []
    for scope in sorted(by_scope):
        history = sorted(by_scope[scope])
        last = history[-1]
        given = [h[3] for h in history if h[2] == "given"]
        active = last[2] == "given"
        states.append({"scope": scope, "active": active, "given_on": given[-1] if given else None,
                       "withdrawn_on": None if active else last[3]})
    return states


def has_profile(sample_id: Any) -> Any:
    """SQL: the store holds a profile of the sample: STR genotypes or SNP calls. What makes
    a reference profiled; a sample's `profiled` status alone does not."""
    return or_(exists().where(genotype.c.sample_id == sample_id),
               exists().where(snp_calls.c.sample_id == sample_id))


def _relative_rank() -> Any:
    """The family rank one relative gives, correlated with `relative`."""
    active_analysis = consent_in_effect(relative.c.id, "analysis")
    profiled_sample = exists().where(sample.c.relative_id == relative.c.id,
                                     has_profile(sample.c.id))
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
