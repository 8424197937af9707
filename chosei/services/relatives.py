"""Relatives of victims (reference donors) and their consent, per purpose and per agency.

Contact details are sensitive: the functions here return them only when asked
(`contacts=True`), so a listing cannot leak them by accident.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from chosei.errors import InvalidInput
from chosei.models import Consent, Relative, Sample
from chosei.models.relatives import ConsentCreate, RelativeCreate
from chosei.services.edits import Change, update_row
from chosei.services.lookup import (
    ensure_absent,
    get_relative,
    get_victim,
    parse_day,
    parse_term,
    plain,
    validate,
)
from chosei.vocab import CONSENT_SCOPE

# Consent is not among them: it changes through give_consent and withdraw_consent.
EDITABLE = tuple(f for f in RelativeCreate.model_fields if f != "id")


def add_relative(session: Session, data: RelativeCreate | Mapping[str, Any]) -> Relative:
    """Add a relative of a known victim; refuses an ID already in use."""
    new = validate(RelativeCreate, data)
    ensure_absent(session, Relative, "relative", new.id,
                  f"`chosei relative show {new.id}` shows it")
    get_victim(session, new.victim_id)
    relative = Relative.model_validate(new.model_dump())
    session.add(relative)
    session.flush()
    return relative


def update_relative(
    session: Session, ident: str, changes: Mapping[str, Any], clear: Iterable[str] = ()
) -> tuple[Relative, list[Change]]:
    """Set the fields in `changes`, empty those in `clear`; the rest stay as they are."""
    relative = get_relative(session, ident)

    def check(new: RelativeCreate) -> None:
        if new.victim_id != relative.victim_id:
            new.victim_id = get_victim(session, new.victim_id).id

    return relative, update_row(session, relative, RelativeCreate, "relative", EDITABLE,
                                changes, clear, check=check)


def _consents(
    session: Session, relative_ids: Iterable[str] | None = None
) -> dict[str, list[Consent]]:
    query = select(Consent).order_by(Consent.relative_id, Consent.scope)
    if relative_ids is not None:
        query = query.where(col(Consent.relative_id).in_(list(relative_ids)))
    out: dict[str, list[Consent]] = {}
    for row in session.execute(query).scalars():
        out.setdefault(row.relative_id, []).append(row)
    return out


def active_scopes(consents: Iterable[Consent]) -> list[str]:
    return sorted(c.scope for c in consents if c.withdrawn_on is None)


def _public(relative: Relative, *, contacts: bool) -> dict[str, Any]:
    data = plain(relative)
    if not contacts:
        data.pop("contact", None)
    return data


def list_relatives(
    session: Session, victim_id: str | None = None, *, contacts: bool = False
) -> list[dict[str, Any]]:
    """Relatives (of one victim, or all) with their active consent scopes."""
    query = select(Relative).order_by(Relative.id)
    if victim_id is not None:
        victim = get_victim(session, victim_id)
        query = query.where(col(Relative.victim_id) == victim.id)
    relatives = list(session.execute(query).scalars())
    consents = _consents(session, [r.id for r in relatives] if victim_id is not None else None)
    return [
        {**_public(r, contacts=contacts), "consent": active_scopes(consents.get(r.id, []))}
        for r in relatives
    ]


def relative_detail(session: Session, ident: str, *, contacts: bool = False) -> dict[str, Any]:
    relative = get_relative(session, ident)
    consents = _consents(session, [relative.id]).get(relative.id, [])
    samples = session.execute(
        select(Sample).where(col(Sample.relative_id) == relative.id).order_by(Sample.id)
    ).scalars()
    return {
        "relative": _public(relative, contacts=contacts),
        "consents": [plain(c, exclude={"id", "relative_id"}) for c in consents],
        "samples": [plain(s, include=("id", "type", "status", "status_date", "lab"))
                    for s in samples],
    }


def _scopes(values: Iterable[str]) -> list[str]:
    """Scope terms in any language, several to a value (`analysis;share:KR`) or not."""
    scopes: list[str] = []
    for value in values:
        for scope in parse_term(CONSENT_SCOPE, value) or ():
            if scope not in scopes:
                scopes.append(scope)
    return scopes


def give_consent(
    session: Session, relative_id: str, scopes: Iterable[str], on: str | None = None
) -> list[Consent]:
    """Record consent for each scope (today when no date); return the consents that changed.

    A scope given again after a withdrawal is consent anew: the withdrawal is cleared.
    A scope already active is left as it is.
    """
    relative = get_relative(session, relative_id)
    wanted = _scopes(scopes)
    if not wanted:
        raise InvalidInput("give at least one scope: analysis, share:KR or share:JP")
    day = parse_day(on, "date", default_today=True)
    existing = {c.scope: c for c in _consents(session, [relative.id]).get(relative.id, [])}
    changed = []
    for scope in wanted:
        row = existing.get(scope)
        if row is None:
            row = Consent.model_validate(
                validate(ConsentCreate, {"relative_id": relative.id, "scope": scope,
                                         "given_on": day}).model_dump()
            )
            session.add(row)
        elif row.withdrawn_on is not None:
            row.given_on, row.withdrawn_on = day, None
        else:
            continue
        changed.append(row)
    session.flush()
    return changed


def withdraw_consent(
    session: Session, relative_id: str, scopes: Iterable[str] = (), on: str | None = None
) -> list[Consent]:
    """Withdraw the named scopes, or every active one when none is named (today by default)."""
    relative = get_relative(session, relative_id)
    day = parse_day(on, "date", default_today=True)
    assert day is not None  # default_today
    active = {c.scope: c for c in _consents(session, [relative.id]).get(relative.id, [])
              if c.withdrawn_on is None}
    wanted = _scopes(scopes) or sorted(active)
    if not active:
        raise InvalidInput(f"relative {relative.id} has no active consent to withdraw")
    missing = [s for s in wanted if s not in active]
    if missing:
        raise InvalidInput(
            f"relative {relative.id} has no active consent for {', '.join(missing)}; "
            f"active: {', '.join(sorted(active))}"
        )
    for scope in wanted:
        row = active[scope]
        if row.given_on and len(row.given_on) == len(day) and day < row.given_on:
            raise InvalidInput(
                f"the withdrawal date {day} is before consent for {scope} was given "
                f"({row.given_on})"
            )
        row.withdrawn_on = day
    session.flush()
    return [active[s] for s in wanted]
