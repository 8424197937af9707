"""The victims' families as pictures: in the HTML report and from `match show --svg`.

A victim's family is the pedigree matching uses (`services.match_families.victim_family`):
his typed relatives whose DNA may be used, and the untyped people who join them to him.
A person is labelled with an ID and, for a relative, the relationship, for a victim the
name (the victims' names are the public roster); a relative's name, contact or notes
never appear. A partner report draws only the relatives that partner may see, exactly
as it counts only them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from chosei.errors import InvalidInput
from chosei.i18n import _
from chosei.models import Relative
from chosei.reports.common import Audience
from chosei.reports.labels import Labels
from chosei.reports.pedigree_svg import pedigree_svg
from chosei.services.lookup import get_victim
from chosei.services.match_families import VictimFamily, victim_family
from chosei.services.profiles import CaseDna, load_case_dna
from chosei.services.victims import display_name


def _entry(dna: CaseDna, fam: VictimFamily) -> dict[str, Any]:
    return {
        "victim_id": fam.victim,
        "pedigree": fam.pedigree,
        "relationships": {r.id: r.relationship for r in fam.used},
        # Every victim the family holds is marked (brothers who died together).
        "victims": [p.id for p in fam.pedigree.persons if p.id in dna.victims],
        "error": None,
    }


def family_entries(session: Session, audience: Audience) -> list[dict[str, Any]]:
    """Per victim with a relative whose DNA is used (and whom `audience` may see): his
    pedigree, the relationships of those relatives, the victims in it; or, when the
    relationships recorded cannot make a pedigree, the reason (`error`)."""
    dna = load_case_dna(session)
    if audience.profile != "full":
        visible = set(session.execute(select(col(Relative.id)).where(audience.relative_visible())).scalars())
        dna.relatives = {v: [r for r in rels if r.id in visible] for v, rels in dna.relatives.items()}
    out: list[dict[str, Any]] = []
    for victim in sorted(dna.relatives):
        if victim not in dna.victims:
            continue
        try:
            fam = victim_family(dna, None, victim)
        except InvalidInput as exc:
            out.append({"victim_id": victim, "pedigree": None, "relationships": {}, "victims": [],
                        "error": str(exc)})
            continue
        if fam is not None and fam.used:
            out.append(_entry(dna, fam))
    return out


def family_picture(entry: Mapping[str, Any], names: Mapping[str, str], lab: Labels) -> str:
    """The SVG of one entry of `family_entries`; `names` maps victim IDs to a name."""
    pedigree = entry["pedigree"]
    labels = {}
    for person in pedigree.persons:
        if person.id in entry["relationships"]:
            labels[person.id] = f"{person.id}\n{lab.relationship(entry['relationships'][person.id])}"
        elif person.id in entry["victims"]:
            labels[person.id] = f"{person.id}\n{names.get(person.id, '')}"
    victim = entry["victim_id"]
    title = lab.t("ped_title", victim=f"{victim} {names.get(victim, '')}".strip())
    return pedigree_svg(pedigree, labels=labels, victims=entry["victims"], title=title, lang=lab.lang)


def victim_picture(session: Session, victim: str, lang: str | None = "en") -> str:
    """The family picture of one victim (for `match show --svg`), or `InvalidInput` when he
    has no relative whose DNA may be used."""
    lab = Labels(lang)
    vic = get_victim(session, victim)
    dna = load_case_dna(session)
    fam = victim_family(dna, None, vic.id)
    if fam is None or not fam.used:
        raise InvalidInput(_("victim {victim} has no typed relative whose DNA may be used: there is no "
                             "family to draw; leave out --svg").format(victim=vic.id))
    entry = _entry(dna, fam)
    names = {vid: display_name(get_victim(session, vid)) for vid in entry["victims"]}
    return family_picture(entry, names, lab)
