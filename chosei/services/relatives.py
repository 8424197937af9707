"""Relatives of victims (reference donors) and their consent, per purpose and per agency.

Contact details are sensitive: the functions here return them only when asked
(`contacts=True`), so a listing cannot leak them by accident.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session, col

from chosei.errors import InvalidInput
from chosei.i18n import _
from chosei.models import SENSITIVE_FIELDS, ConsentEvent, Relative, Sample, Victim
from chosei.models.relatives import ConsentEventCreate, RelativeCreate
from chosei.plausible import relative_birth_problem
from chosei.services.edits import Change, update_row
from chosei.services.lookup import ensure_absent, get_relative, get_victim, plain
from chosei.services.stages import consent_states
from chosei.services.validation import parse_day, parse_term, validate
from chosei.vocab import CONSENT_SCOPE

# Consent is not among them: it changes through give_consent and withdraw_consent.
EDITABLE = tuple(f for f in RelativeCreate.model_fields if f != "id")


def add_relative(session: Session, data: RelativeCreate | Mapping[str, Any]) -> Relative:
    """Add a relative of a known victim; refuses an ID already in use."""
    new = validate(RelativeCreate, data)
    ensure_absent(session, Relative, "relative", new.id,
                  _("`chosei relative show {new_id}` shows it").format(new_id=new.id))
    _birth_fits(new, get_victim(session, new.victim_id))
    relative = Relative.model_validate(new.model_dump())
    session.add(relative)
    session.flush()
    return relative


def _birth_fits(new: RelativeCreate, victim: Victim) -> None:
    problem = relative_birth_problem(new.relationship, new.birth_year, victim.id,
                                     victim.birth_date, victim.age_at_death)
    if problem:
        raise InvalidInput(_("birth year: {problem}").format(problem=problem))


def update_relative(
    session: Session, ident: str, changes: Mapping[str, Any], clear: Iterable[str] = ()
) -> tuple[Relative, list[Change]]:
    """Set the fields in `changes`, empty those in `clear`; the rest stay as they are."""
    relative = get_relative(session, ident)

    def check(new: RelativeCreate) -> None:
        victim = get_victim(session, new.victim_id)
        new.victim_id = victim.id
        _birth_fits(new, victim)
        born = new.birth_year
        first = session.execute(select(func.min(ConsentEvent.date)).where(
            col(ConsentEvent.relative_id) == relative.id)).scalar()
        if born is not None and first and int(first[:4]) < born:
            raise InvalidInput(_("birth year: {born} is after relative {relative_id}'s consent of {first}: "
                                 "correct the birth year").format(born=born, relative_id=relative.id, first=first))

    return relative, update_row(session, relative, RelativeCreate, "relative", EDITABLE,
                                changes, clear, check=check)


def _consents(
    session: Session, relative_ids: Iterable[str] | None = None
) -> dict[str, list[ConsentEvent]]:
    """Consent events per relative, in the order they happened (date, then recorded)."""
    query = select(ConsentEvent).order_by(
        col(ConsentEvent.relative_id), func.coalesce(col(ConsentEvent.date), ""), col(ConsentEvent.id))
    if relative_ids is not None:
        query = query.where(col(ConsentEvent.relative_id).in_(list(relative_ids)))
    out: dict[str, list[ConsentEvent]] = {}
    for row in session.execute(query).scalars():
        out.setdefault(row.relative_id, []).append(row)
    return out


def active_scopes(consents: Iterable[ConsentEvent]) -> list[str]:
    return [c["scope"] for c in consent_states(consents) if c["active"]]


def _public(relative: Relative, *, contacts: bool) -> dict[str, Any]:
    return plain(relative, exclude=() if contacts else SENSITIVE_FIELDS)


CONSENT_STATES = ("active", "withdrawn", "none")


def list_relatives(
    session: Session, victim_id: str | None = None, *, contacts: bool = False,
    consent: str | None = None,
) -> list[dict[str, Any]]:
    """Relatives (of one victim, or all) with their active consent scopes; with `consent`,
    only those whose consent is `active` (some scope in effect), `withdrawn` (given, none
    in effect now) or `none` (never given). Filtered in SQL."""
    from chosei.services.stages import any_consent_given, any_consent_in_effect

    query = select(Relative).order_by(Relative.id)
    if victim_id is not None:
        victim = get_victim(session, victim_id)
        query = query.where(col(Relative.victim_id) == victim.id)
    if consent is not None:
        state = consent.strip().casefold()
        active, given = any_consent_in_effect(Relative.id), any_consent_given(Relative.id)
        if state == "active":
            query = query.where(active)
        elif state == "withdrawn":
            query = query.where(given, ~active)
        elif state == "none":
            query = query.where(~given)
        else:
            raise InvalidInput(_("'{consent}' is not a consent state; choose from: {consent_states}").format(
                                   consent=consent, consent_states=', '.join(CONSENT_STATES)))
    relatives = list(session.execute(query).scalars())
    whole = victim_id is None and consent is None
    consents = _consents(session, None if whole else [r.id for r in relatives])
    return [
        {**_public(r, contacts=contacts), "consent": active_scopes(consents.get(r.id, []))}
        for r in relatives
    ]


def search_relatives(session: Session, query: str, *, contacts: bool = False) -> list[dict[str, Any]]:
    """Relatives whose name matches `query` as victims' names do (any script, romanisation,
    surname alone, one syllable), each with the victim they are related to."""
    from chosei.names import name_matches, search_keys

    if not query or not query.strip():
        raise InvalidInput(_("give a name to search for"))
    hits = [r for r in session.execute(select(Relative).where(col(Relative.name).is_not(None))
                                       .order_by(Relative.id)).scalars()
            if name_matches(query, search_keys(r.name))]
    consents = _consents(session, [r.id for r in hits])
    return [{**_public(r, contacts=contacts), "consent": active_scopes(consents.get(r.id, []))}
            for r in hits]


def relative_detail(session: Session, ident: str, *, contacts: bool = False) -> dict[str, Any]:
    """One relative: the consent in effect per scope (`consent`), every consent event
    in the order they happened (`consents`), and the relative's samples."""
    relative = get_relative(session, ident)
    events = _consents(session, [relative.id]).get(relative.id, [])
    samples = session.execute(
        select(Sample).where(col(Sample.relative_id) == relative.id).order_by(Sample.id)
    ).scalars()
    return {
        "relative": _public(relative, contacts=contacts),
        "consent": consent_states(events),
        "consents": [plain(c, include=("date", "event", "scope", "agency", "form_ref"))
                     for c in events],
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


def _check_day(relative: Relative, day: str) -> None:
    """A consent or withdrawal is not dated before the relative was born."""
    if relative.birth_year is not None and int(day[:4]) < relative.birth_year:
        raise InvalidInput(_("the date {day} is before relative {relative_id} was born ({relative_birth_year}): "
                             "correct the date or the birth year").format(
                               day=day, relative_id=relative.id, relative_birth_year=relative.birth_year))


def _add_event(session: Session, relative: Relative, scope: str, event: str, day: str,
               agency: str | None, form_ref: str | None) -> ConsentEvent:
    row = ConsentEvent.model_validate(validate(ConsentEventCreate, {
        "relative_id": relative.id, "scope": scope, "event": event, "date": day,
        "agency": agency, "form_ref": form_ref}).model_dump())
    session.add(row)
    return row


def give_consent(
    session: Session, relative_id: str, scopes: Iterable[str], on: str | None = None, *,
    agency: str | None = None, form_ref: str | None = None,
) -> list[ConsentEvent]:
    """Record consent for each scope (today when no date); return the events added.

    A scope given again after a withdrawal is consent anew, a new event: the withdrawal
    stays in the history. A scope already active is left as it is.
    """
    relative = get_relative(session, relative_id)
    wanted = _scopes(scopes)
    if not wanted:
        raise InvalidInput(_("give at least one scope: analysis, share:KR or share:JP"))
    day = parse_day(on, "date", default_today=True)
    assert day is not None
    _check_day(relative, day)
    active = set(active_scopes(_consents(session, [relative.id]).get(relative.id, [])))
    added = [_add_event(session, relative, scope, "given", day, agency, form_ref)
             for scope in wanted if scope not in active]
    session.flush()
    return added


def withdraw_consent(
    session: Session, relative_id: str, scopes: Iterable[str] = (), on: str | None = None, *,
    agency: str | None = None, form_ref: str | None = None,
) -> list[ConsentEvent]:
    """Withdraw the named scopes, or every active one when none is named (today by default);
    return the withdrawal events added."""
    relative = get_relative(session, relative_id)
    day = parse_day(on, "date", default_today=True)
    assert day is not None
    _check_day(relative, day)
    active = {c["scope"]: c for c in consent_states(_consents(session, [relative.id])
                                                    .get(relative.id, [])) if c["active"]}
    wanted = _scopes(scopes) or sorted(active)
    if not active:
        raise InvalidInput(_("relative {relative_id} has no active consent to withdraw").format(
                               relative_id=relative.id))
    missing = [s for s in wanted if s not in active]
    if missing:
        raise InvalidInput(
            _("relative {relative_id} has no active consent for {missing}; active: {active}").format(
                relative_id=relative.id, missing=', '.join(missing), active=', '.join(sorted(active)))
        )
    for scope in wanted:
        given = active[scope]["given_on"]
        if given and len(given) == len(day) and day < given:
            raise InvalidInput(
                _("the withdrawal date {day} is before consent for {scope} was given ({given})").format(
                    day=day, scope=scope, given=given)
            )
    added = [_add_event(session, relative, scope, "withdrawn", day, agency, form_ref)
             for scope in wanted]
    session.flush()
    return added
