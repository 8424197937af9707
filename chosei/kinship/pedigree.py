"""Pedigrees built from the relationships of the Chosei reference donors.

Each relative who gave DNA is described by a relationship path from the victim V (male
unless `victim_sex="F"`): steps ``father``, ``mother``, ``son``, ``daughter``,
``brother``, ``sister``, ``half-brother (paternal|maternal)``, ``half-sister (...)``
joined by ``'s`` (`chosei.kinship.paths`; the 18 terms of `RELATIONSHIPS` are paths of
one or two steps), or ``spouse`` / ``other``.

`build_pedigree` makes ONE pedigree per victim holding V and every relative at once,
with the fewest untyped people that connect them. Conventions:

* Everybody has two parents in the pedigree or none (a *founder*). Untyped people
  are founders or children of the people the paths imply; nobody else is added. V's
  parents (and their parents ...) appear only when a relative descends from them or
  is one of them.
* Each step of a path passes one untyped *connecting* person, named by position;
  relatives whose paths begin alike share them: all "son's ..." go through the SAME
  untyped son, even when a son of V is also typed (a path cannot say which son);
  two ``brother's son`` are sons of one untyped full brother, ``brother's son's son``
  the son of that brother's untyped son. Up the tree there is one person per position:
  a relative whose path only goes up IS that ancestor.
* Brothers and sisters are **full** siblings: children of the parents of the person
  the sideways step starts from. Paternal half-siblings are children of that father and
  one other woman, the same woman for all of them; maternal half-siblings likewise
  share one other man.
* All children of one person (V or a connecting person) share ONE untyped other parent.
* ``spouse`` and ``other`` carry no genetic information about V (a spouse is not a
  blood relative; "other" says too little to place) and are left out of the
  pedigree; they are listed in `Pedigree.excluded`.

Person ids: V keeps `victim_id`; relatives keep their own ids; untyped connecting
people get ids derived from V's and their position, e.g. ``V:father``, ``V:partner``,
``V:son``, ``V:son:partner``, ``V:brother``, ``V:father:partner``,
``V:father:brother``, ``V:brother:son``, ``V:paternal-half-brother``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from chosei.i18n import _
from chosei.kinship import paths
from chosei.kinship.errors import KinshipInputError

Sex = Literal["M", "F"]

RELATIONSHIPS: tuple[str, ...] = (
    "son",
    "daughter",
    "father",
    "mother",
    "brother",
    "sister",
    "half-brother (paternal)",
    "half-brother (maternal)",
    "half-sister (paternal)",
    "half-sister (maternal)",
    "son's son",
    "son's daughter",
    "daughter's son",
    "daughter's daughter",
    "brother's son",
    "brother's daughter",
    "sister's son",
    "sister's daughter",
    "spouse",
    "other",
)
"""The relationship vocabulary, in the order case workers see it."""

NON_GENETIC = paths.NON_GENETIC
"""Terms that carry no genetic information for V and are left out of the pedigree."""


@dataclass(frozen=True)
class Person:
    """One person of a pedigree. `role` is "victim", a vocabulary term, or why an
    untyped person is there."""

    id: str
    sex: Sex
    father: str | None
    mother: str | None
    role: str
    typed: bool

    @property
    def is_founder(self) -> bool:
        return self.father is None

    @property
    def parents(self) -> tuple[str, str] | None:
        """(father, mother), or None for a founder: a pedigree gives both or neither."""
        return None if self.father is None or self.mother is None else (self.father, self.mother)


@dataclass(frozen=True)
class Pedigree:
    """People in parents-before-children order; `victim` is V's id."""

    persons: tuple[Person, ...]
    victim: str
    victim_sex: Sex = "M"
    excluded: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        seen: set[str] = set()
        for person in self.persons:
            if person.id in seen:
                raise KinshipInputError(_("pedigree lists person {person_id!r} twice").format(person_id=person.id))
            if (person.father is None) != (person.mother is None):
                raise KinshipInputError(
                    _("person {person_id!r} must have both parents in the pedigree or neither").format(
                                            person_id=person.id))
            for parent in (person.father, person.mother):
                if parent is not None and parent not in seen:
                    raise KinshipInputError(_("parent {parent!r} of {person_id!r} must come before the child").format(
                                                parent=parent, person_id=person.id))
            seen.add(person.id)

    def __getitem__(self, person_id: str) -> Person:
        for person in self.persons:
            if person.id == person_id:
                return person
        raise KeyError(person_id)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(p.id for p in self.persons)

    def children(self, person_id: str) -> tuple[str, ...]:
        return tuple(p.id for p in self.persons if person_id in (p.father, p.mother))

    def pruned(self, keep: Iterable[str]) -> Pedigree:
        """Without the people who are not in `keep` and have nobody of `keep` below them.

        Exact for likelihoods: such a person sums out to 1 (founders' unused alleles
        sum out too, with or without theta, by exchangeability).
        """
        keep = set(keep)
        needed: set[str] = set()
        for person in reversed(self.persons):
            if person.id in keep or person.id in needed:
                needed.add(person.id)
                if person.parents is not None:
                    needed.update(person.parents)
        return Pedigree(
            tuple(p for p in self.persons if p.id in needed),
            self.victim,
            self.victim_sex,
            self.excluded,
        )

    def describe(self) -> tuple[str, ...]:
        """One line per person, for display: who they are and whether they are typed."""
        lines = []
        for p in self.persons:
            parents = (_(", child of {father} and {mother}").format(father=p.father, mother=p.mother) if p.father
                       else _(", founder"))
            lines.append(_("{id}: {role} ({sex}, {state}{parents})").format(
                id=p.id, role=p.role, sex=_("male") if p.sex == "M" else _("female"),
                state=_("typed") if p.typed else _("untyped"), parents=parents))
        for rid, term in self.excluded:
            lines.append(_("{id}: {term} (left out: carries no genetic information for V)").format(
                id=rid, term=paths.in_words(term)))
        return tuple(lines)


def normalise_term(term: str) -> str:
    """The canonical spelling of a relationship (a path, `spouse` or `other`), or
    `KinshipInputError` saying what to fix."""
    if not isinstance(term, str):
        raise KinshipInputError(_("relationship {term!r} must be a term such as 'son' or 'brother'").format(term=term))
    steps = paths.split_steps(term)
    if len(steps) == 1 and steps[0] not in paths.STEPS and steps[0] not in NON_GENETIC:
        raise KinshipInputError(
            _("relationship {term!r} is not in the vocabulary; use one of: {terms}, or a path of steps joined by "
              "'s such as brother's son's son").format(term=term, terms=", ".join(RELATIONSHIPS))
        )
    return paths.canonical(term)


def build_pedigree(
    relatives: Mapping[str, str] | Sequence[tuple[str, str]],
    *,
    victim_sex: Sex = "M",
    victim_id: str = "V",
) -> Pedigree:
    """The pedigree joining V and all `relatives` ({id: relationship} or [(id, relationship)])."""
    if victim_sex not in ("M", "F"):
        raise KinshipInputError(_("victim_sex must be 'M' or 'F', not {victim_sex!r}").format(victim_sex=victim_sex))
    if not isinstance(victim_id, str) or not victim_id.strip():
        raise KinshipInputError(_("victim_id must be a non-empty string"))
    pairs = list(relatives.items()) if isinstance(relatives, Mapping) else list(relatives)
    terms: list[tuple[str, str]] = []
    seen = {victim_id}
    for item in pairs:
        if not (isinstance(item, tuple | list) and len(item) == 2):
            raise KinshipInputError(_("each relative must be an (id, relationship) pair, not {item!r}").format(
                                        item=item))
        rid, term = item
        if not isinstance(rid, str) or not rid.strip():
            raise KinshipInputError(_("relative id {rid!r} must be a non-empty string").format(rid=rid))
        if rid in seen:
            raise KinshipInputError(
                _("relative id {rid!r} is used twice (or equals the victim's id); ids must be unique").format(rid=rid)
            )
        seen.add(rid)
        terms.append((rid, normalise_term(term)))
    return _Builder(victim_id, victim_sex, terms).build()


Position = tuple[str, ...]
"""A place in V's family: the steps from V (V himself is ())."""


class _Builder:
    """Places every relative at the end of his path; the people a path passes are
    untyped connectors, one per position, so paths with a common beginning share them.
    Up positions (V's ancestors) are unique people: a relative whose path only goes up
    IS that ancestor."""

    def __init__(self, victim: str, sex: Sex, terms: list[tuple[str, str]]) -> None:
        self.v = victim
        self.sex = sex
        self.genetic = [(rid, paths.parse_path(t)) for rid, t in terms if t not in NON_GENETIC]
        self.excluded = tuple((rid, t) for rid, t in terms if t in NON_GENETIC)
        self.people: dict[str, Person] = {}
        self.ids: dict[Position, str] = {(): victim}  # position -> person id
        self.partners: dict[Position, str] = {}

    def _add(self, pid: str, sex: Sex, father: str | None, mother: str | None, role: str, typed: bool) -> str:
        if pid in self.people:
            raise KinshipInputError(_("relative id {pid!r} clashes with a generated id; rename it").format(pid=pid))
        self.people[pid] = Person(pid, sex, father, mother, role, typed)
        return pid

    def _slug(self, pos: Position) -> str:
        return ":".join([self.v, *(_SLUGS.get(step, step) for step in pos)])

    def build(self) -> Pedigree:
        ancestors: dict[Position, str] = {}
        with_parents: set[Position] = set()
        for rid, path in self.genetic:
            ups = path.ups
            if path.side is None and not path.downs:
                if ups in ancestors:
                    raise KinshipInputError(_("only one relative can be the victim's {path_text}").format(
                                                path_text=path.text))
                ancestors[ups] = rid
            with_parents.update(ups[:k] for k in range(len(ups)))
            if path.side is not None:
                with_parents.add(ups)
        self._place_ancestor((), ancestors, with_parents)
        for rid, path in self.genetic:
            if path.side is not None or path.downs:
                dad, mum = self._parents_of(path.steps)
                self._add(rid, path.sex, dad, mum, paths.in_words(path.text), True)
        return Pedigree(tuple(self.people.values()), self.v, self.sex, self.excluded)

    def _place_ancestor(self, pos: Position, typed: dict[Position, str], with_parents: set[Position]) -> None:
        """V's ancestors at `pos` and above, parents first."""
        father = mother = None
        if pos in with_parents:
            for step in ("father", "mother"):
                self._place_ancestor((*pos, step), typed, with_parents)
            father, mother = self.ids[(*pos, "father")], self.ids[(*pos, "mother")]
        if not pos:
            self._add(self.v, self.sex, father, mother, _("victim"), True)
            return
        text = "'s ".join(pos)
        sex: Sex = "M" if pos[-1] == "father" else "F"
        if pos in typed:
            self.ids[pos] = self._add(typed[pos], sex, father, mother, paths.in_words(text), True)
        else:
            self.ids[pos] = self._add(self._slug(pos), sex, father, mother,
                                      _("untyped {path} of V").format(path=paths.in_words(text)), False)

    def _sex_at(self, pos: Position) -> Sex:
        if not pos:
            return self.sex
        return paths.step_sex(pos[-1])

    def _partner(self, pos: Position) -> str:
        """The one untyped other parent of the children of the person at `pos` (other
        than V's parents' children with each other: there, of the half-siblings)."""
        if pos not in self.partners:
            sex: Sex = "F" if self._sex_at(pos) == "M" else "M"
            if not pos:
                role = _("untyped other parent of V's children")
            elif pos[-1] in paths.UP:
                # the other parent of V's (or an ancestor's) half-siblings through that parent
                whose = paths.in_words("'s ".join(pos[:-1]))
                if pos[-1] == "father":
                    role = (_("untyped mother of V's {path}'s paternal half-siblings").format(path=whose) if whose
                            else _("untyped mother of V's paternal half-siblings"))
                else:
                    role = (_("untyped father of V's {path}'s maternal half-siblings").format(path=whose) if whose
                            else _("untyped father of V's maternal half-siblings"))
            else:
                role = _("untyped other parent of V's {path}'s children").format(path=paths.in_words("'s ".join(pos)))
            self.partners[pos] = self._add(f"{self._slug(pos)}:partner", sex, None, None, role, False)
        return self.partners[pos]

    def _couple(self, pos: Position) -> tuple[str, str]:
        """(father, mother) of the children of the person at `pos` with his/her partner."""
        me, other = self._person(pos), self._partner(pos)
        return (me, other) if self._sex_at(pos) == "M" else (other, me)

    def _parents_of(self, steps: Position) -> tuple[str, str]:
        """(father, mother) of the person at side or down position `steps`."""
        *before, last = steps
        base = tuple(before)
        if last in paths.DOWN:
            return self._couple(base)
        shares_father, shares_mother = paths.sibling_shares(last)
        if shares_father and shares_mother:
            return self.ids[(*base, "father")], self.ids[(*base, "mother")]
        if shares_father:
            return self._couple((*base, "father"))
        return self._couple((*base, "mother"))

    def _person(self, pos: Position) -> str:
        """The person at `pos`: V, an ancestor, or an untyped connector made now."""
        if pos not in self.ids:
            dad, mum = self._parents_of(pos)
            text = "'s ".join(pos)
            self.ids[pos] = self._add(
                self._slug(pos), self._sex_at(pos), dad, mum,
                _("untyped {path} of V (parent of V's {path}'s children)").format(path=paths.in_words(text)), False,
            )
        return self.ids[pos]


_SLUGS = {
    "half-brother (paternal)": "paternal-half-brother",
    "half-brother (maternal)": "maternal-half-brother",
    "half-sister (paternal)": "paternal-half-sister",
    "half-sister (maternal)": "maternal-half-sister",
}
