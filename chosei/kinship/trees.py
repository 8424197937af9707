"""Pedigrees from family trees: people with a father, a mother and a sex.

A family tree says who is whose child where the relationship vocabulary cannot:
nephews by two different brothers, grandchildren by two sons, victims who were each
other's brothers, marriages between cousins. `tree_pedigree` turns one into a
`Pedigree` (people ordered parents first), refusing with a message naming the person:

* a parent label that is nobody in the tree (dangling);
* a father who is not male, a mother who is not female;
* only one parent given: a person has both parents in the tree or neither (add an
  untyped founder as the other parent; guessing one silently would hide a typo);
* a person who is his own ancestor.

`kinship_coefficient` and `double_ibd` are the relationship's two numbers that the
autosomal LR depends on (for people who are not inbred): they are how a relationship
term is compared with the tree (`relationship_conflict`). `loops` counts the marriage
loops (cycles of the graph of people and couples) and names the related couples.
The likelihood engine computes looped pedigrees exactly (gene-level contraction for
theta = 0, inheritance patterns or gene flows for theta > 0): nothing is refused
for a loop as such, only for size (`check_size`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache

from chosei.i18n import N_, _, ngettext
from chosei.kinship.errors import KinshipInputError
from chosei.kinship.lineage import mt_line_meioses, y_line_meioses
from chosei.kinship.pedigree import Pedigree, Person, build_pedigree

MAX_PEOPLE = 60
"""Most people in one family's pedigree once pruned to the typed and those they need."""

MAX_TYPED = 12
"""Most typed relatives in one family."""

MAX_LOOPS = 3
"""Most marriage loops in one family's pruned pedigree."""


@dataclass(frozen=True)
class TreePerson:
    """One row of a family tree: labels of the person and parents (None for a founder)."""

    label: str
    father: str | None = None
    mother: str | None = None
    sex: str | None = None  # "M", "F" or None (unknown)


class TreeError(KinshipInputError):
    """A family tree breaks a rule; the message names the person."""


def check_tree(people: Sequence[TreePerson]) -> list[str]:
    """The labels parents first; `TreeError` naming the person for a broken rule."""
    by_label: dict[str, TreePerson] = {}
    for p in people:
        if p.label in by_label:
            raise TreeError(_("person {p_label} is listed twice; a label names one person of the family").format(
                                p_label=p.label))
        by_label[p.label] = p
    for p in people:
        if (p.father is None) != (p.mother is None):
            if p.father is not None:
                raise TreeError(_("person {label} has a father but no mother; give both parents or neither (an "
                                  "untyped founder may stand for the unknown mother)").format(label=p.label))
            raise TreeError(_("person {label} has a mother but no father; give both parents or neither (an "
                              "untyped founder may stand for the unknown father)").format(label=p.label))
        for role, parent, sex in ((N_("father"), p.father, "M"), (N_("mother"), p.mother, "F")):
            if parent is None:
                continue
            if parent == p.label:
                raise TreeError(_("person {p_label} is his own ancestor ({role} of himself)").format(
                                    p_label=p.label, role=_(role)))
            if parent not in by_label:
                raise TreeError(_("the {role} of {p_label}, {parent}, is not a person of the family; add "
                                  "{parent} or correct the label").format(role=_(role), p_label=p.label,
                                                                          parent=parent))
            if by_label[parent].sex != sex:
                shown = {"M": _("male"), "F": _("female")}.get(by_label[parent].sex or "") or _("of unknown sex")
                if role == "father":
                    raise TreeError(_("{parent}, the father of {label}, is {shown}; a father must be male").format(
                        parent=parent, label=p.label, shown=shown))
                raise TreeError(_("{parent}, the mother of {label}, is {shown}; a mother must be female").format(
                    parent=parent, label=p.label, shown=shown))
    order: list[str] = []
    state: dict[str, int] = {}  # 1 = being placed, 2 = placed

    def place(label: str, path: tuple[str, ...]) -> None:
        if state.get(label) == 2:
            return
        if state.get(label) == 1:
            loop = path[path.index(label):] + (label,)
            raise TreeError(_("person {label} is his own ancestor: {loop}").format(label=label, loop=" ← ".join(loop)))
        state[label] = 1
        p = by_label[label]
        for parent in (p.father, p.mother):
            if parent is not None:
                place(parent, (*path, label))
        state[label] = 2
        order.append(label)

    for p in people:
        place(p.label, ())
    return order


def tree_pedigree(
    people: Sequence[TreePerson],
    victim: str,
    typed: Mapping[str, str] | Iterable[str],
    *,
    ids: Mapping[str, str] | None = None,
    roles: Mapping[str, str] | None = None,
) -> Pedigree:
    """The `Pedigree` of a tree with `victim` (a label) as V, pruned to V, `typed` and
    the people they need. `ids` maps labels to the pedigree's person ids (relative IDs
    for placed relatives); `roles` gives each label's role for display. A typed person
    or V with unknown sex is an error (the Y and mt lines depend on it)."""
    ids = dict(ids or {})
    roles = dict(roles or {})
    order = check_tree(people)
    by_label = {p.label: p for p in people}
    if victim not in by_label:
        raise TreeError(_("the victim {victim} is not a person of his family tree").format(victim=victim))
    keep = {victim, *typed}
    for label in sorted(keep):
        if label not in by_label:
            raise TreeError(_("{label} is not a person of the family tree").format(label=label))
        if by_label[label].sex not in ("M", "F"):
            raise TreeError(_("person {label} has no sex (M or F); a typed person and the victim need one").format(
                                label=label))

    def pid(label: str) -> str:
        return ids.get(label, label)

    def parent_id(label: str | None) -> str | None:
        return None if label is None else pid(label)

    persons = []
    for label in order:
        p = by_label[label]
        role = roles.get(label) or (_("victim") if label == victim else _("person of the family tree"))
        persons.append(Person(pid(label), "M" if p.sex == "M" else "F",
                              parent_id(p.father), parent_id(p.mother), role, label in keep))
    full = Pedigree(tuple(persons), pid(victim), "M" if by_label[victim].sex == "M" else "F")
    return full.pruned(pid(label) for label in keep)


def kinship_coefficient(pedigree: Pedigree, a: str, b: str) -> float:
    """The probability that a gene drawn from `a` and one from `b` are identical by descent."""
    return _coefficients(pedigree)(a, b)


def double_ibd(pedigree: Pedigree, a: str, b: str) -> float:
    """k2: the probability that `a` and `b` share both genes IBD, one through each parent
    (exact for people whose parents are not inbred)."""
    phi = _coefficients(pedigree)
    pa, pb = pedigree[a].parents, pedigree[b].parents
    if pa is None or pb is None:
        return 0.0
    (fa, ma), (fb, mb) = pa, pb
    return phi(fa, fb) * phi(ma, mb) + phi(fa, mb) * phi(ma, fb)


def _coefficients(pedigree: Pedigree) -> Callable[[str, str], float]:
    rank = {pid: i for i, pid in enumerate(pedigree.ids)}
    people = {p.id: p for p in pedigree.persons}

    @cache
    def phi(a: str, b: str) -> float:
        if rank[a] < rank[b]:
            a, b = b, a  # a is the later one: never an ancestor of b
        parents = people[a].parents
        if a == b:
            return 0.5 if parents is None else 0.5 * (1 + phi(*parents))
        if parents is None:
            return 0.0
        father, mother = parents
        return 0.5 * (phi(father, b) + phi(mother, b))

    return phi


def relationship_conflict(pedigree: Pedigree, relative: str, term: str) -> str | None:
    """Why `term` (a relationship of `relative` to V) contradicts the tree, or None.

    The term is built into its own pedigree (`build_pedigree`) and compared with the
    tree on what the LRs use: the kinship coefficient and k2 between V and the
    relative, and whether he is on V's Y line and on his mt line. `other` and
    `spouse` carry no genetic claim and never contradict.
    """
    from chosei.kinship.pedigree import NON_GENETIC, normalise_term

    term = normalise_term(term)
    if term in NON_GENETIC:
        return None
    v = pedigree.victim
    alone = build_pedigree([(relative, term)], victim_sex=pedigree.victim_sex, victim_id=v)
    said = _numbers(alone, v, relative)
    drawn = _numbers(pedigree, v, relative)
    if all(abs(x - y) < 1e-12 for x, y in zip(said[:2], drawn[:2], strict=True)) and said[2:] == drawn[2:]:
        return None
    return _("in the tree {relative} has kinship {tree_kinship}, k2 {tree_k2}{tree_lines}; '{term}' means "
             "kinship {term_kinship}, k2 {term_k2}{term_lines}").format(
        relative=relative, tree_kinship=_f(drawn[0]), tree_k2=_f(drawn[1]), tree_lines=_lines(drawn), term=term,
        term_kinship=_f(said[0]), term_k2=_f(said[1]), term_lines=_lines(said))


def _numbers(pedigree: Pedigree, v: str, r: str) -> tuple[float, float, bool, bool]:
    return (kinship_coefficient(pedigree, v, r), double_ibd(pedigree, v, r),
            y_line_meioses(pedigree, r) is not None, mt_line_meioses(pedigree, r) is not None)


def _f(x: float) -> str:
    return f"{x:.6g}"


def _lines(n: tuple[float, float, bool, bool]) -> str:
    on = [name for name, yes in (("Y", n[2]), ("mt", n[3])) if yes]
    if not on:
        return _(", on neither of V's lines")
    lines = on[0] if len(on) == 1 else _("{first} and {second}").format(first=on[0], second=on[1])
    return _(", on V's {lines} line").format(lines=lines)


def loops(pedigree: Pedigree) -> tuple[int, tuple[str, ...]]:
    """(number of loops, the related couples that close one, as 'A × B').

    The loops are the cycle rank of the graph joining each couple with children to
    both parents and to each child: 0 for any family the vocabulary builds.
    """
    couples: dict[tuple[str, str], list[str]] = {}
    for p in pedigree.persons:
        if p.parents is not None:
            couples.setdefault(p.parents, []).append(p.id)
    nodes = len(pedigree.persons) + len(couples)
    edges = sum(2 + len(kids) for kids in couples.values())
    parent = {p.id: p.id for p in pedigree.persons} | {c: c for c in couples}

    def find(x: str | tuple[str, str]) -> str | tuple[str, str]:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for couple, kids in couples.items():
        for member in (*couple, *kids):
            parent[find(member)] = find(couple)
    components = len({find(x) for x in parent})
    phi = _coefficients(pedigree)
    related = tuple(f"{f} × {m}" for f, m in couples if phi(f, m) > 0)
    return edges - nodes + components, related


def _contractible(pedigree: Pedigree) -> bool:
    """Whether the engine computes this looped pedigree: a loop is summed at the level of
    genes, and no step of that sum may join more than `contraction.MAX_FACTOR_GENES`
    genes. Tried once on a two-allele marker, every typed person heterozygous."""
    import numpy as np

    from chosei.kinship.errors import ComplexityError
    from chosei.kinship.genotypes import Genotype
    from chosei.kinship.likelihood import Marker, victim_table

    marker = Marker(np.array([0.5, 0.5]), np.eye(2), {"1": 0, "2": 1})
    typed = {p.id: Genotype("1", "2") for p in pedigree.persons if p.typed and p.id != pedigree.victim}
    try:
        victim_table(pedigree, typed, marker)
    except ComplexityError:
        return False
    return True


def check_size(pedigree: Pedigree, who: str) -> None:
    """Refuse a family beyond the limits (`MAX_PEOPLE`, `MAX_TYPED`, `MAX_LOOPS`), or
    whose loops the engine cannot sum exactly."""
    people = len(pedigree.persons)
    typed = sum(p.typed and p.id != pedigree.victim for p in pedigree.persons)
    count, related = loops(pedigree)
    problems = []
    if people > MAX_PEOPLE:
        problems.append(_("{people} people (at most {max_people})").format(people=people, max_people=MAX_PEOPLE))
    if typed > MAX_TYPED:
        problems.append(_("{typed} typed relatives (at most {max_typed})").format(typed=typed, max_typed=MAX_TYPED))
    named = f" ({', '.join(related)})" if related else ""
    if count > MAX_LOOPS:
        problems.append(_("{count} marriage loops (at most {max_loops}){named}").format(
                            count=count, max_loops=MAX_LOOPS, named=named))
    elif count and not problems and not _contractible(pedigree):
        problems.append(ngettext("its marriage loop{named} join more people than one exact computation holds",
                                 "its marriage loops{named} join more people than one exact computation holds",
                                 count).format(named=named))
    if problems:
        raise TreeError(_("the family of {who} is too large to compute exactly: {problems}; leave out relatives "
                          "or people the typed ones do not need").format(who=who, problems='; '.join(problems)))
