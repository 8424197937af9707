"""The roster: adding, editing and finding victims, and the many spellings of their names."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from chosei.errors import AlreadyExists, InvalidInput
from chosei.i18n import _
from chosei.models import SENSITIVE_FIELDS, Identification, Relative, Victim, VictimName
from chosei.models.victims import NAME_FIELDS, VictimCreate, VictimNameCreate
from chosei.rules import FAMILY_STAGES, REMAINS_STAGES, is_northern
from chosei.services.edits import Change, update_row
from chosei.services.lookup import ensure_absent, get_victim, plain
from chosei.services.stages import victim_stages
from chosei.services.validation import field_label, parse_term, validate
from chosei.vocab import NATIONALITY

# The script each name column is written in, as the Names sheet calls it.
FIELD_SCRIPT = {
    "name_hangul": "hangul",
    "name_hanja": "hanja",
    "name_japanese": "japanese",
    "name_reading": "kana",
    "name_latin": "latin",
}
# The birth date as written is not among them: it follows birth_date (`written_date`).
EDITABLE = tuple(f for f in VictimCreate.model_fields if f not in ("id", "birth_date_written"))


def add_victim(session: Session, data: VictimCreate | Mapping[str, Any]) -> Victim:
    """Add a victim to the roster; refuses an ID already in it."""
    new = validate(VictimCreate, data)
    ensure_absent(session, Victim, "victim", new.id, _("use `chosei victim edit` to change it"))
    victim = Victim.model_validate(new.model_dump())
    session.add(victim)
    session.flush()
    return victim


# What `victim list --sort` orders by; the ID breaks ties, an empty value sorts last.
SORT_FIELDS = ("id", "nationality", "name_hangul", "name_hanja", "name_japanese", "name_latin",
               "birth_date", "age_at_death")


def list_victims(session: Session, nationality: str | None = None, *, stage: str | None = None,
                 sort: str | None = None, limit: int | None = None) -> list[Victim]:
    """Victims in ID order (or by `sort`), of one nationality, at one family or remains
    `stage` (its name, e.g. "located", "identified"), the first `limit` of them; all in SQL."""
    query = select(Victim)
    code = parse_term(NATIONALITY, nationality)
    if code:
        query = query.where(col(Victim.nationality) == code)
    if stage is not None:
        column, rank = _stage(stage)
        stages = victim_stages().subquery()
        query = query.join(stages, stages.c.victim_id == Victim.id).where(stages.c[column] == rank)
    if sort is not None and sort.strip() and _sort_field(sort) != "id":
        field_ = getattr(Victim, _sort_field(sort))
        query = query.order_by(field_.is_(None), field_)
    query = query.order_by(Victim.id)
    if limit is not None:
        if limit < 1:
            raise InvalidInput(_("--limit must be at least 1, not {limit}").format(limit=limit))
        query = query.limit(limit)
    return list(session.execute(query).scalars())


def _stage(text: str) -> tuple[str, int]:
    """A stage's name (any case, `-` or `_` for spaces) as (family|remains, rank)."""
    key = " ".join(text.replace("-", " ").replace("_", " ").split()).casefold()
    for column, names in (("family", FAMILY_STAGES), ("remains", REMAINS_STAGES)):
        if key in names:
            return column, names.index(key)
    raise InvalidInput(_("'{text}' is not a stage; choose a family stage ({family_stages}) or a remains stage "
                         "({remains_stages})").format(
                           text=text, family_stages=', '.join(FAMILY_STAGES), remains_stages=', '.join(REMAINS_STAGES)))


def _sort_field(text: str) -> str:
    key = text.strip().replace("-", "_").casefold()
    if key not in SORT_FIELDS:
        raise InvalidInput(_("cannot sort victims by '{text}'; choose from: {sort_fields}").format(
                               text=text, sort_fields=', '.join(SORT_FIELDS)))
    return key


def display_name(victim: Victim) -> str:
    """The name to show in one column: the first recorded in hangul, hanja, Japanese, latin."""
    for name in ("name_hangul", "name_hanja", "name_japanese", "name_latin", "name_reading"):
        value = getattr(victim, name)
        if value:
            return value
    return ""


def update_victim(
    session: Session,
    ident: str,
    changes: Mapping[str, Any],
    clear: Iterable[str] = (),
) -> tuple[Victim, list[Change]]:
    """Set the fields in `changes`, empty those in `clear`; the rest stay as they are.

    The victim as a whole must still be valid afterwards (a nationality, at least one name).
    """
    victim = get_victim(session, ident)
    return victim, update_row(session, victim, VictimCreate, "victim", EDITABLE, changes, clear)


def add_name(
    session: Session, victim_id: str, name: str, script: str | None, source: str | None = None
) -> VictimName:
    """Record another spelling of a victim's name, from a source."""
    victim = get_victim(session, victim_id)
    new = validate(
        VictimNameCreate, {"victim_id": victim.id, "name": name, "script": script, "source": source}
    )
    if not new.name:
        raise InvalidInput(_("name is required"))
    for column in NAME_FIELDS:
        if getattr(victim, column) == new.name:
            raise AlreadyExists(_("victim {victim_id} already has the name {new_name} (as its {field_label})").format(
                                    victim_id=victim.id, new_name=new.name, field_label=field_label(column)))
    existing = session.execute(
        select(VictimName).where(col(VictimName.victim_id) == victim.id, col(VictimName.name) == new.name)
    ).scalar_one_or_none()
    if existing is not None:
        raise AlreadyExists(_("victim {victim_id} already has the name {new_name}").format(
                                victim_id=victim.id, new_name=new.name))
    row = VictimName.model_validate(new.model_dump())
    session.add(row)
    session.flush()
    return row


def names_of(victim: Victim, variants: Iterable[VictimName]) -> list[dict[str, Any]]:
    """All of a victim's names: the roster's columns first, then the recorded variants."""
    out: list[dict[str, Any]] = [
        {"name": getattr(victim, column), "script": FIELD_SCRIPT[column], "source": "roster"}
        for column in NAME_FIELDS
        if getattr(victim, column)
    ]
    out += [{"name": v.name, "script": v.script, "source": v.source} for v in variants]
    return out


def _variants(
    session: Session, victim_ids: Iterable[str] | None = None
) -> dict[str, list[VictimName]]:
    query = select(VictimName).order_by(VictimName.victim_id, col(VictimName.id))
    if victim_ids is not None:
        query = query.where(col(VictimName.victim_id).in_(list(victim_ids)))
    out: dict[str, list[VictimName]] = {}
    for row in session.execute(query).scalars():
        out.setdefault(row.victim_id, []).append(row)
    return out


@dataclass
class SearchHit:
    victim: Victim
    names: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.victim.id, "nationality": self.victim.nationality,
                "name": display_name(self.victim), "names": self.names}


def search_victims(session: Session, query: str) -> list[SearchHit]:
    """Victims any of whose names, in any script or spelling, matches `query`."""
    from chosei.names import name_matches, search_keys

    if not query or not query.strip():
        raise InvalidInput(_("give a name to search for"))
    variants = _variants(session)
    hits = []
    for victim in session.execute(select(Victim).order_by(Victim.id)).scalars():
        names = names_of(victim, variants.get(victim.id, []))
        keys: set[str] = set()
        for entry in names:
            keys |= search_keys(entry["name"])
        if name_matches(query, keys):
            hits.append(SearchHit(victim, names))
    return hits


def victim_detail(session: Session, ident: str) -> dict[str, Any]:
    """Everything about one victim: names, stages, relatives (no contacts), identifications."""
    victim = get_victim(session, ident)
    stages = victim_stages().subquery()
    family, remains = session.execute(
        select(stages.c.family, stages.c.remains).where(stages.c.victim_id == victim.id)
    ).one()
    relatives = session.execute(
        select(Relative).where(col(Relative.victim_id) == victim.id).order_by(Relative.id)
    ).scalars()
    idents = session.execute(
        select(Identification).where(col(Identification.victim_id) == victim.id)
        .order_by(Identification.specimen_id)
    ).scalars()
    from chosei.dates import is_approximate

    return {
        "victim": {**plain(victim), "birth_date_approximate": is_approximate(victim.birth_date_written)},
        "names": names_of(victim, _variants(session, [victim.id]).get(victim.id, [])),
        "northern_domicile": is_northern(victim.domicile),
        "family_stage": FAMILY_STAGES[family],
        "remains_stage": REMAINS_STAGES[remains],
        "relatives": [
            plain(r, exclude=SENSITIVE_FIELDS) for r in relatives
        ],
        "identifications": [plain(i, exclude={"id"}) for i in idents],
    }
