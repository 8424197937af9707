"""Family trees of victims: set (replace), show, change one person, `.ped` in and out.

A tree belongs to one victim (its owner); its people have labels unique in it. Who a
label is:

* the owner's Victim ID is the victim himself (he must be in his tree);
* another Victim ID puts that victim in the same family (brothers who died together):
  a victim belongs to one family, his own tree or another's;
* a person's Relative ID (`relative_id`) makes him that relative; a label equal to the
  Relative ID of a relative of a victim of the family places him too, without saying
  so (that is how a `.ped` file places relatives). A relative is placed at most once
  in all the trees.

`set_family` checks the whole tree first and writes nothing unless it all holds
(`kinship.trees` for the shape; here what needs the store): each relative of the
family's victims who has DNA is placed, and each placed relative's relationship term
agrees with the tree (`kinship.trees.relationship_conflict`); `other` never disagrees.
Sex left blank for a victim or a placed relative is read from his record. Changes are
written row by row through the ORM, so each is audited like any other.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from chosei.errors import InvalidInput, NotFound
from chosei.i18n import _
from chosei.kinship import KinshipError
from chosei.kinship.trees import TreePerson, check_size, relationship_conflict, tree_pedigree
from chosei.models import FamilyPerson, Genotype, Relative, Sample, SnpCalls, Victim
from chosei.models.family import FamilyPersonCreate
from chosei.pedfile import PedRow, read_ped, write_ped
from chosei.services.lookup import get_victim, plain
from chosei.services.validation import validate

FIELDS = ("label", "father", "mother", "sex", "relative_id", "notes")


@dataclass(frozen=True)
class Tree:
    """A checked family tree: its rows, victims and placed relatives by label."""

    owner: str
    rows: tuple[FamilyPersonCreate, ...]
    victims: dict[str, str]  # label → sex of the victims in the family
    relatives: dict[str, Relative]  # label → placed relative

    def people(self) -> list[TreePerson]:
        return [TreePerson(r.label, r.father, r.mother, self.sex_of(r)) for r in self.rows]

    def sex_of(self, row: FamilyPersonCreate) -> str | None:
        return row.sex if row.sex in ("M", "F") else None


def owner_of(session: Session, victim_id: str) -> str | None:
    """The owner of the tree that holds `victim_id` (himself or another victim), or None."""
    own = session.execute(select(col(FamilyPerson.victim_id)).where(
        col(FamilyPerson.victim_id) == victim_id).limit(1)).scalar()
    if own is not None:
        return own
    return session.execute(select(col(FamilyPerson.victim_id)).where(
        col(FamilyPerson.label) == victim_id).limit(1)).scalar()


def family_rows(session: Session, victim_id: str) -> list[FamilyPerson]:
    return list(session.execute(select(FamilyPerson).where(col(FamilyPerson.victim_id) == victim_id)
                                .order_by(col(FamilyPerson.id))).scalars())


def show_family(session: Session, victim_id: str) -> dict[str, Any]:
    """The tree holding the victim (his own, or the one he is in), for display."""
    victim = get_victim(session, victim_id)
    owner = owner_of(session, victim.id)
    if owner is None:
        raise NotFound(_("victim {victim_id} has no family tree; `chosei family set` or `chosei family import` "
                         "gives him one").format(victim_id=victim.id))
    rows = family_rows(session, owner)
    return {"victim_id": owner, "people": [plain(r, include=FIELDS) for r in rows]}


def relatives_with_dna(session: Session, relative_ids: Iterable[str]) -> set[str]:
    """The relatives with DNA: a sample with genotype rows or dense SNP calls."""
    ids = list(relative_ids)
    if not ids:
        return set()
    with_dna = select(col(Sample.relative_id)).where(col(Sample.relative_id).in_(ids))
    by_str = with_dna.where(col(Sample.id).in_(select(col(Genotype.sample_id))))
    by_snp = with_dna.where(col(Sample.id).in_(select(col(SnpCalls.sample_id))))
    return set(session.execute(by_str).scalars()) | set(session.execute(by_snp).scalars())


def check_family(session: Session, victim_id: str, people: Sequence[Mapping[str, Any]]) -> Tree:
    """The tree `people` would make for `victim_id`; `InvalidInput` naming the person."""
    owner = get_victim(session, victim_id)
    rows = [validate(FamilyPersonCreate, {**dict(p), "victim_id": owner.id}) for p in people]
    labels = [r.label for r in rows]
    where = _("the family tree of {owner_id}").format(owner_id=owner.id)
    if "0" in labels:
        raise InvalidInput(_("0 cannot label a person of {where}: a .ped file reads 0 as a missing parent").format(
                               where=where))
    if owner.id not in labels:
        raise InvalidInput(_("{where} has no person {owner_id}, the victim himself; add him").format(
                               where=where, owner_id=owner.id))
    victims = {v.id: v for v in session.execute(select(Victim).where(col(Victim.id).in_(labels))).scalars()}
    for vid in victims:
        other = owner_of(session, vid)
        if other is not None and other != owner.id:
            raise InvalidInput(_("victim {vid} is in the family tree of {other} already; a victim belongs to one "
                                 "family").format(vid=vid, other=other))
    family_relatives = {r.id: r for r in session.execute(
        select(Relative).where(col(Relative.victim_id).in_(list(victims)))).scalars()}
    placed: dict[str, Relative] = {}
    where_placed: dict[str, str] = {}
    for row in rows:
        if row.relative_id is None and row.label in family_relatives:
            row.relative_id = row.label
        if row.relative_id is None:
            continue
        if row.label in family_relatives and row.label != row.relative_id:
            raise InvalidInput(_("person {row_label} of {where} bears the ID of relative {row_label} but is set "
                                 "as relative {row_relative_id}; rename the person").format(
                                   row_label=row.label, where=where, row_relative_id=row.relative_id))
        rel = family_relatives.get(row.relative_id)
        if rel is None:
            known = session.get(Relative, row.relative_id)
            if known is None:
                raise InvalidInput(_("person {row_label} of {where}: no relative with ID '{row_relative_id}'").format(
                                       row_label=row.label, where=where, row_relative_id=row.relative_id))
            raise InvalidInput(_("person {row_label} of {where}: relative {known_id} is a relative of victim "
                                 "{known_victim_id}, who is not in this family").format(
                                   row_label=row.label, where=where, known_id=known.id,
                                   known_victim_id=known.victim_id))
        if rel.id in where_placed:
            raise InvalidInput(_("relative {rel_id} is placed twice in {where}: as {where_placed} and as "
                                 "{row_label}").format(
                                   rel_id=rel.id, where=where, where_placed=where_placed[rel.id], row_label=row.label))
        where_placed[rel.id] = row.label
        placed[row.label] = rel
        elsewhere = session.execute(select(col(FamilyPerson.victim_id), col(FamilyPerson.label)).where(
            FamilyPerson.relative_id == rel.id, col(FamilyPerson.victim_id) != owner.id)).first()
        if elsewhere is not None:
            raise InvalidInput(_("relative {rel_id} is placed in the family tree of {elsewhere} already (as "
                                 "{label}); a relative is placed once").format(
                                   rel_id=rel.id, elsewhere=elsewhere[0], label=elsewhere[1]))
    for row in rows:  # blank sex: the record's
        record = victims[row.label].sex if row.label in victims else (
            placed[row.label].sex if row.label in placed else None)
        record = record if record in ("M", "F") else None
        if row.sex not in ("M", "F"):
            row.sex = record or row.sex
        elif record is not None and record != row.sex:
            kind = _("victim") if row.label in victims else _("relative {id}").format(id=placed[row.label].id)
            raise InvalidInput(_("person {row_label} of {where} is {sex} in the tree but {kind} is {record_sex} in his "
                                 "record; correct one of them").format(
                                   row_label=row.label, where=where, sex=_sex(row.sex), kind=kind,
                                   record_sex=_sex(record)))
    tree = Tree(owner.id, tuple(rows), {vid: v.sex or "M" for vid, v in victims.items()}, placed)
    unplaced = sorted(relatives_with_dna(session, family_relatives) - set(where_placed))
    if unplaced:
        rel = family_relatives[unplaced[0]]
        raise InvalidInput(_("relative {rel_id} of victim {rel_victim_id} has DNA but is not in {where}; each "
                             "relative with DNA must appear once (give his Relative ID to a person)").format(
                               rel_id=rel.id, rel_victim_id=rel.victim_id, where=where))
    ids = {label: rel.id for label, rel in placed.items()}
    try:
        people_ = tree.people()
        for label, rel in placed.items():
            ped = tree_pedigree(people_, rel.victim_id, [label], ids=ids)
            conflict = relationship_conflict(ped, rel.id, rel.relationship)
            if conflict:
                raise InvalidInput(_("relative {rel_id} is '{rel_relationship}' of victim {rel_victim_id}, which "
                                     "contradicts {where}: {conflict}; correct the relationship (or write other) "
                                     "or the tree").format(
                                       rel_id=rel.id, rel_relationship=rel.relationship,
                                       rel_victim_id=rel.victim_id, where=where, conflict=conflict))
        whole = tree_pedigree(people_, owner.id, [*placed, *victims], ids=ids)
        check_size(whole, owner.id)
    except KinshipError as exc:
        raise InvalidInput(_("{where}: {exc}").format(where=where, exc=exc)) from None
    return tree


def _sex(code: str) -> str:
    return {"M": _("male"), "F": _("female")}.get(code) or _("of unknown sex")


def set_family(session: Session, victim_id: str, people: Sequence[Mapping[str, Any]]) -> dict[str, int]:
    """Replace the victim's tree by `people`, all or nothing: {added, changed, removed}."""
    tree = check_family(session, victim_id, people)
    existing = {r.label: r for r in family_rows(session, tree.owner)}
    wanted = {r.label: r for r in tree.rows}
    counts = {"added": 0, "changed": 0, "removed": 0}
    # Free relatives and labels first: a relative may move from one person to another.
    for label, row in existing.items():
        if label not in wanted:
            session.delete(row)
            counts["removed"] += 1
        elif row.relative_id is not None and row.relative_id != wanted[label].relative_id:
            row.relative_id = None
    session.flush()
    for label, new in wanted.items():
        values = {f: getattr(new, f) for f in FIELDS}
        current = existing.get(label)
        if current is None:
            session.add(FamilyPerson(victim_id=tree.owner, **values))
            counts["added"] += 1
            continue
        if any(getattr(current, f) != v for f, v in values.items()):
            counts["changed"] += 1
            for f, v in values.items():
                setattr(current, f, v)
    session.flush()
    return counts


def set_person(session: Session, victim_id: str, label: str, changes: Mapping[str, Any],
               clear: Iterable[str] = ()) -> dict[str, int]:
    """Add one person to the victim's tree or change him; the whole tree is checked.
    A victim without a tree gets one holding himself and this person."""
    victim = get_victim(session, victim_id)
    owner = owner_of(session, victim.id) or victim.id
    people = [plain(r, include=FIELDS) for r in family_rows(session, owner)]
    found = next((p for p in people if p["label"] == label), None)
    if found is None:
        found = {"label": label}
        people.append(found)
    found.update({k: v for k, v in changes.items() if v is not None})
    for name in clear:
        found[name] = None
    if not any(p["label"] == owner for p in people):
        people.insert(0, {"label": owner})
    return set_family(session, owner, people)


def remove_person(session: Session, victim_id: str, label: str) -> dict[str, int]:
    """Remove one person; the rest of the tree must still hold (nobody's parent, say)."""
    victim = get_victim(session, victim_id)
    owner = owner_of(session, victim.id) or victim.id
    people = [plain(r, include=FIELDS) for r in family_rows(session, owner)]
    if not any(p["label"] == label for p in people):
        raise NotFound(_("the family tree of {owner} has no person {label}").format(owner=owner, label=label))
    return set_family(session, owner, [p for p in people if p["label"] != label])


def remove_family(session: Session, victim_id: str) -> int:
    """Delete the victim's own tree; how many people it held."""
    victim = get_victim(session, victim_id)
    rows = family_rows(session, victim.id)
    if not rows:
        other = owner_of(session, victim.id)
        hint = _("; he is in the tree of {other}").format(other=other) if other else ""
        raise NotFound(_("victim {victim_id} has no family tree of his own{hint}").format(
                           victim_id=victim.id, hint=hint))
    for row in rows:
        session.delete(row)
    session.flush()
    return len(rows)


def import_ped(session: Session, victim_id: str, text: str, name: str | None = None
               ) -> tuple[dict[str, int], list[str]]:
    """Replace the victim's tree by the `.ped` text: (counts, notes)."""
    name = name if name is not None else _("the .ped file")
    rows, notes = read_ped(text, name)
    people = [{"label": r.label, "father": r.father, "mother": r.mother, "sex": r.sex} for r in rows]
    victim = get_victim(session, victim_id)
    existing = {r.label: r for r in family_rows(session, victim.id)}
    for p in people:  # a .ped carries no notes: keep those the store has
        if p["label"] in existing:
            p["notes"] = existing[p["label"]].notes
            p["relative_id"] = existing[p["label"]].relative_id
    return set_family(session, victim.id, people), notes


def export_ped(session: Session, victim_id: str) -> str:
    """The `.ped` text of the victim's own tree; placed relatives are written under their
    Relative ID (that is what places them when the file comes back)."""
    victim = get_victim(session, victim_id)
    rows = family_rows(session, victim.id)
    if not rows:
        raise NotFound(_("victim {victim_id} has no family tree of his own").format(victim_id=victim.id))
    name = {r.label: (r.relative_id or r.label) for r in rows}
    if len(set(name.values())) < len(name):
        clash = next(r.label for r in rows if r.relative_id and r.relative_id != r.label
                     and r.relative_id in {x.label for x in rows})
        raise InvalidInput(_("person {clash} is relative {name}, and another person bears that label; rename one "
                             "before exporting").format(clash=clash, name=name[clash]))
    tree = [TreePerson(r.label, r.father, r.mother, r.sex) for r in rows]
    from chosei.kinship.trees import check_tree

    order = check_tree(tree)
    by = {r.label: r for r in rows}
    return write_ped([PedRow(name[lb], name.get(by[lb].father or ""), name.get(by[lb].mother or ""),
                             by[lb].sex) for lb in order])
