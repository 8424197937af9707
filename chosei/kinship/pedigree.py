"""Pedigrees built from the relationship vocabulary of the Chosei reference donors.

Each relative who gave DNA is described by one term relative to the victim V (male
unless `victim_sex="F"`):

``son``, ``daughter``, ``father``, ``mother``, ``brother``, ``sister``,
``half-brother (paternal)``, ``half-brother (maternal)``, ``half-sister (paternal)``,
``half-sister (maternal)``, ``son's son``, ``son's daughter``, ``daughter's son``,
``daughter's daughter``, ``brother's son``, ``brother's daughter``, ``sister's son``,
``sister's daughter``, ``spouse``, ``other``.

`build_pedigree` makes ONE pedigree per victim holding V and every relative at once,
with the fewest untyped people that connect them. Conventions:

* Everybody has two parents in the pedigree or none (a *founder*). Untyped people
  are founders or children of the people the vocabulary implies; nobody else is
  added. V's parents appear only when a relative descends from them (siblings,
  half-siblings, nephews and nieces) or is one of them.
* Brothers and sisters are **full** siblings: children of V's father and mother.
* Paternal half-siblings are children of V's father and one other woman, the same
  woman for all of them (so they are full siblings of each other); maternal
  half-siblings likewise share one other man.
* All of V's children (and the untyped son and daughter below) share ONE untyped
  other parent.
* ``son's son`` / ``son's daughter`` are children of an untyped son of V and his
  partner; all "son's ..." grandchildren go through the SAME untyped son, even when
  a son of V is also typed (the vocabulary cannot say which son is the parent;
  several sons' lines are not distinguishable with one term). Likewise one untyped
  daughter for every "daughter's ...", one untyped full brother for every
  "brother's ..." and one untyped full sister for every "sister's ...".
* ``spouse`` and ``other`` carry no genetic information about V (a spouse is not a
  blood relative; "other" says too little to place) and are left out of the
  pedigree; they are listed in `Pedigree.excluded`.

Person ids: V keeps `victim_id`; relatives keep their own ids; untyped connecting
people get ids derived from V's, e.g. ``V:father``, ``V:partner``, ``V:son``,
``V:son:partner``, ``V:brother``, ``V:father:partner``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

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

NON_GENETIC: frozenset[str] = frozenset({"spouse", "other"})
"""Terms that carry no genetic information for V and are left out of the pedigree."""

# term -> (sex of the relative, the couple whose child the relative is: keys of
# _COUPLES; or None for V's parents themselves)
_TERMS: dict[str, tuple[Sex, str | None]] = {
    "son": ("M", "victim"),
    "daughter": ("F", "victim"),
    "father": ("M", None),
    "mother": ("F", None),
    "brother": ("M", "parents"),
    "sister": ("F", "parents"),
    "half-brother (paternal)": ("M", "father+other"),
    "half-sister (paternal)": ("F", "father+other"),
    "half-brother (maternal)": ("M", "other+mother"),
    "half-sister (maternal)": ("F", "other+mother"),
    "son's son": ("M", "son"),
    "son's daughter": ("F", "son"),
    "daughter's son": ("M", "daughter"),
    "daughter's daughter": ("F", "daughter"),
    "brother's son": ("M", "brother"),
    "brother's daughter": ("F", "brother"),
    "sister's son": ("M", "sister"),
    "sister's daughter": ("F", "sister"),
}


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
                raise KinshipInputError(f"pedigree lists person {person.id!r} twice")
            if (person.father is None) != (person.mother is None):
                raise KinshipInputError(f"person {person.id!r} must have both parents in the pedigree or neither")
            for parent in (person.father, person.mother):
                if parent is not None and parent not in seen:
                    raise KinshipInputError(f"parent {parent!r} of {person.id!r} must come before the child")
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
                if person.father is not None:
                    needed.update((person.father, person.mother))  # type: ignore[arg-type]
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
            parents = f", child of {p.father} and {p.mother}" if p.father else ", founder"
            state = "typed" if p.typed else "untyped"
            lines.append(f"{p.id}: {p.role} ({'male' if p.sex == 'M' else 'female'}, {state}{parents})")
        for rid, term in self.excluded:
            lines.append(f"{rid}: {term} (left out: carries no genetic information for V)")
        return tuple(lines)


def normalise_term(term: str) -> str:
    """The vocabulary spelling of a relationship term, or `KinshipInputError`."""
    if not isinstance(term, str):
        raise KinshipInputError(f"relationship {term!r} must be a term such as 'son' or 'brother'")
    text = term.strip().lower().replace("\u2019", "'").replace("`", "'").replace("_", " ")
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\s*\(\s*", " (", text).replace(" )", ")")
    text = re.sub(r"^half[ -]", "half-", text)
    if text not in RELATIONSHIPS:
        raise KinshipInputError(
            f"relationship {term!r} is not in the vocabulary; use one of: " + ", ".join(RELATIONSHIPS)
        )
    return text


def build_pedigree(
    relatives: Mapping[str, str] | Sequence[tuple[str, str]],
    *,
    victim_sex: Sex = "M",
    victim_id: str = "V",
) -> Pedigree:
    """The pedigree joining V and all `relatives` ({id: term} or [(id, term)])."""
    if victim_sex not in ("M", "F"):
        raise KinshipInputError(f"victim_sex must be 'M' or 'F', not {victim_sex!r}")
    if not isinstance(victim_id, str) or not victim_id.strip():
        raise KinshipInputError("victim_id must be a non-empty string")
    pairs = list(relatives.items()) if isinstance(relatives, Mapping) else list(relatives)
    terms: list[tuple[str, str]] = []
    seen = {victim_id}
    for item in pairs:
        if not (isinstance(item, tuple | list) and len(item) == 2):
            raise KinshipInputError(f"each relative must be an (id, relationship) pair, not {item!r}")
        rid, term = item
        if not isinstance(rid, str) or not rid.strip():
            raise KinshipInputError(f"relative id {rid!r} must be a non-empty string")
        if rid in seen:
            raise KinshipInputError(
                f"relative id {rid!r} is used twice (or equals the victim's id); ids must be unique"
            )
        seen.add(rid)
        terms.append((rid, normalise_term(term)))
    return _Builder(victim_id, victim_sex, terms).build()


class _Builder:
    def __init__(self, victim: str, sex: Sex, terms: list[tuple[str, str]]) -> None:
        self.v = victim
        self.sex = sex
        self.terms = terms
        self.people: dict[str, Person] = {}
        self.order: list[str] = []

    def _add(self, pid: str, sex: Sex, father: str | None, mother: str | None, role: str, typed: bool) -> str:
        if pid in self.people:
            raise KinshipInputError(f"relative id {pid!r} clashes with a generated id; rename it")
        self.people[pid] = Person(pid, sex, father, mother, role, typed)
        self.order.append(pid)
        return pid

    def _connector(self, suffix: str, sex: Sex, father: str | None, mother: str | None, role: str) -> str:
        pid = f"{self.v}:{suffix}"
        if pid not in self.people:
            self._add(pid, sex, father, mother, role, typed=False)
        return pid

    def build(self) -> Pedigree:
        v = self.v
        genetic = [(rid, t) for rid, t in self.terms if t not in NON_GENETIC]
        excluded = tuple((rid, t) for rid, t in self.terms if t in NON_GENETIC)
        used = {t for _, t in genetic}
        for parent in ("father", "mother"):
            if sum(t == parent for _, t in genetic) > 1:
                raise KinshipInputError(f"only one relative can be the victim's {parent}")
        needs_parents = any(_TERMS[t][1] in {"parents", "brother", "sister"} or t in {"father", "mother"} for t in used)
        needs_father = needs_parents or any(_TERMS[t][1] == "father+other" for t in used)
        needs_mother = needs_parents or any(_TERMS[t][1] == "other+mother" for t in used)
        father = mother = None
        if needs_father or needs_mother:
            typed_father = next((rid for rid, t in genetic if t == "father"), None)
            typed_mother = next((rid for rid, t in genetic if t == "mother"), None)
            father = (
                self._add(typed_father, "M", None, None, "father", True)
                if typed_father
                else self._connector("father", "M", None, None, "untyped father of V")
            )
            mother = (
                self._add(typed_mother, "F", None, None, "mother", True)
                if typed_mother
                else self._connector("mother", "F", None, None, "untyped mother of V")
            )
        self._add(v, self.sex, father, mother, "victim", True)
        couples: dict[str, tuple[str, str]] = {}
        if father and mother:
            couples["parents"] = (father, mother)

        def couple(key: str) -> tuple[str, str]:
            if key in couples:
                return couples[key]
            if key == "victim":
                other_sex: Sex = "F" if self.sex == "M" else "M"
                partner = self._connector("partner", other_sex, None, None, "untyped other parent of V's children")
                pair = (v, partner) if self.sex == "M" else (partner, v)
            elif key == "father+other":
                other = self._connector(
                    "father:partner", "F", None, None, "untyped mother of V's paternal half-siblings"
                )
                pair = (father, other)  # type: ignore[assignment]
            elif key == "other+mother":
                other = self._connector(
                    "mother:partner", "M", None, None, "untyped father of V's maternal half-siblings"
                )
                pair = (other, mother)  # type: ignore[assignment]
            else:
                child_sex: Sex = "M" if key in ("son", "brother") else "F"
                parents = couple("victim" if key in ("son", "daughter") else "parents")
                link = self._connector(
                    key, child_sex, parents[0], parents[1], f"untyped {key} of V (parent of V's {key}'s children)"
                )
                partner = self._connector(
                    f"{key}:partner",
                    "F" if child_sex == "M" else "M",
                    None,
                    None,
                    f"untyped other parent of V's {key}'s children",
                )
                pair = (link, partner) if child_sex == "M" else (partner, link)
            couples[key] = pair
            return pair

        for rid, term in genetic:
            sex, key = _TERMS[term]
            if key is None:
                continue
            dad, mum = couple(key)
            self._add(rid, sex, dad, mum, term, True)
        persons = tuple(self.people[pid] for pid in _parents_first(self.people, self.order))
        return Pedigree(persons, v, self.sex, excluded)


def _parents_first(people: Mapping[str, Person], order: list[str]) -> list[str]:
    done: list[str] = []
    placed: set[str] = set()

    def place(pid: str) -> None:
        if pid in placed:
            return
        person = people[pid]
        for parent in (person.father, person.mother):
            if parent is not None:
                place(parent)
        placed.add(pid)
        done.append(pid)

    for pid in order:
        place(pid)
    return done
