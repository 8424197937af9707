"""Marriage loops are computed exactly: the engine against brute-force enumeration.

The pedigree is a first-cousin marriage: founders GF × GM have a son S1 and a
daughter S2; S1 × W1 have C1, H2 × S2 have C2; the cousins C1 × C2 have V. The brute
force sums over every ordered genotype of the five non-founders (9^5 combinations,
in Python) and every ordered allele of the eight founder genes (3^8, numpy), with
founder genes drawn from the Balding-Nichols urn and transmissions through the
mutation matrix: nothing in common with the engine's peeling, contraction,
inheritance patterns or gene flows.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from chosei.kinship.genotypes import Genotype
from chosei.kinship.likelihood import Marker, marker_likelihood, victim_table
from chosei.kinship.trees import TreePerson, loops, tree_pedigree

FREQS = np.array([0.2, 0.3, 0.5])
ALLELES = ("10", "11", "12")
INDEX = {a: i for i, a in enumerate(ALLELES)}
MUTATED = np.array([[0.97, 0.02, 0.01], [0.015, 0.97, 0.015], [0.01, 0.02, 0.97]])
TREE = [
    TreePerson("GF", sex="M"), TreePerson("GM", sex="F"),
    TreePerson("S1", "GF", "GM", "M"), TreePerson("S2", "GF", "GM", "F"),
    TreePerson("W1", sex="F"), TreePerson("H2", sex="M"),
    TreePerson("C1", "S1", "W1", "M"), TreePerson("C2", "H2", "S2", "F"),
    TreePerson("V", "C1", "C2", "M"),
]
FOUNDERS = ("GF", "GM", "W1", "H2")
CHILDREN = (("S1", "GF", "GM"), ("S2", "GF", "GM"), ("C1", "S1", "W1"), ("C2", "H2", "S2"), ("V", "C1", "C2"))
PAIRS = list(itertools.product(range(3), repeat=2))  # ordered genotypes (paternal, maternal)


def _urn(genes: tuple[int, ...], theta: float) -> float:
    counts = [0, 0, 0]
    p = 1.0
    for m, a in enumerate(genes):
        p *= (counts[a] * theta + (1 - theta) * FREQS[a]) / (1 + (m - 1) * theta) if m else FREQS[a]
        counts[a] += 1
    return p


def _fits(pair: tuple[int, int], genotype: Genotype | None) -> bool:
    if genotype is None:
        return True
    a, b = INDEX[genotype.first], None if genotype.second is None else INDEX[genotype.second]
    return sorted(pair) == sorted((a, b)) if b is not None else a in pair


def brute_force(typed: dict[str, Genotype], theta: float, mutation: np.ndarray) -> float:
    founder_combos = list(itertools.product(PAIRS, repeat=len(FOUNDERS)))
    prior = np.array([_urn(tuple(g for pair in combo for g in pair), theta) for combo in founder_combos])
    for k, name in enumerate(FOUNDERS):
        prior *= np.array([_fits(combo[k], typed.get(name)) for combo in founder_combos])
    founder_gene = {name: np.array([[c[k][0] for c in founder_combos], [c[k][1] for c in founder_combos]])
                    for k, name in enumerate(FOUNDERS)}
    trans = 0.5 * (mutation[:, None, :] + mutation[None, :, :])  # [a, b, child gene]
    total = 0.0
    choices = [[p for p in PAIRS if _fits(p, typed.get(child))] for child, _, _ in CHILDREN]
    for combo in itertools.product(*choices):
        genes = dict(founder_gene)
        weight = prior
        for (child, dad, mum), pair in zip(CHILDREN, combo, strict=True):
            weight = (weight * trans[genes[dad][0], genes[dad][1], pair[0]]
                      * trans[genes[mum][0], genes[mum][1], pair[1]])
            genes[child] = np.array([np.full(len(prior), pair[0]), np.full(len(prior), pair[1])])
        total += float(weight.sum())
    return total


def test_the_cousin_marriage_is_one_loop_named_by_its_couple() -> None:
    ped = tree_pedigree(TREE, "V", ["GF", "V", "W1"])
    assert loops(ped) == (1, ("C1 × C2",))


TYPED = {"V": Genotype("10", "11"), "C1": Genotype("10", "12"), "GM": Genotype("11", "11"),
         "S2": Genotype("10", None)}


@pytest.mark.parametrize("theta", [0.0, 0.03])
@pytest.mark.parametrize("mutated", [False, True], ids=["no-mutation", "mutation"])
def test_cousin_marriage_likelihood_equals_brute_force(theta: float, mutated: bool) -> None:
    mutation = MUTATED if mutated else np.eye(3)
    ped = tree_pedigree(TREE, "V", TYPED)
    marker = Marker(FREQS, mutation, INDEX)
    exact = brute_force(TYPED, theta, mutation)
    assert 1e-6 < exact < 1e-2
    assert marker_likelihood(ped, TYPED, marker, theta=theta) == pytest.approx(exact, rel=1e-10)


def test_cousin_marriage_victim_table_equals_brute_force() -> None:
    """The table matching uses (theta 0): P(relatives, V = x/y) for each ordered pair."""
    family = {k: g for k, g in TYPED.items() if k != "V"}
    ped = tree_pedigree(TREE, "V", TYPED)
    marker = Marker(FREQS, MUTATED, INDEX)
    table = victim_table(ped, family, marker)
    for x, y in [(0, 1), (2, 2), (1, 2)]:
        g = Genotype(ALLELES[x], ALLELES[y])
        both = table[x, y] + (table[y, x] if x != y else 0.0)
        assert both == pytest.approx(brute_force({**family, "V": g}, 0.0, MUTATED), rel=1e-10)


def _cousin_marriages(generations: int, above: int) -> list[TreePerson]:
    """`above` generations of paternal ancestors over G0 × G0W; then, `generations` times,
    a son and a daughter whose children (first cousins) marry; V is the last couple's son."""
    people: list[TreePerson] = []
    parents: tuple[str | None, str | None] = (None, None)
    for a in range(above, 0, -1):
        people += [TreePerson(f"A{a}", *parents, "M"), TreePerson(f"AW{a}", sex="F")]
        parents = (f"A{a}", f"AW{a}")
    people += [TreePerson("G0", *parents, "M"), TreePerson("G0W", sex="F")]
    couple = ("G0", "G0W")
    for g in range(1, generations + 1):
        people += [TreePerson(f"S{g}", *couple, "M"), TreePerson(f"D{g}", *couple, "F"),
                   TreePerson(f"SW{g}", sex="F"), TreePerson(f"DH{g}", sex="M"),
                   TreePerson(f"C{g}", f"S{g}", f"SW{g}", "M"), TreePerson(f"K{g}", f"DH{g}", f"D{g}", "F")]
        couple = (f"C{g}", f"K{g}")
    return [*people, TreePerson("V", *couple, "M")]


@pytest.mark.parametrize(
    ("generations", "above", "people", "message"),
    [
        pytest.param(4, 0, 27, "4 marriage loops (at most 3) (C1 × K1, C2 × K2, C3 × K3, C4 × K4)", id="loops"),
        pytest.param(2, 10, 35, None, id="computed-35"),
        pytest.param(2, 5, 25, None, id="computed"),
    ],
)
def test_loops_beyond_the_limits_are_refused_naming_them(generations: int, above: int, people: int,
                                                         message: str | None) -> None:
    from chosei.kinship.errors import KinshipInputError
    from chosei.kinship.trees import check_size

    ped = tree_pedigree(_cousin_marriages(generations, above), "V", ["V", "SW1", "DH1"])
    assert (len(ped.persons), loops(ped)[0]) == (people, generations)
    if message is None:
        check_size(ped, "V")
        return
    with pytest.raises(KinshipInputError) as err:
        check_size(ped, "V")
    assert str(err.value) == (f"the family of V is too large to compute exactly: {message}; leave out relatives "
                              "or people the typed ones do not need")


def test_loops_the_engine_cannot_sum_are_refused_naming_them(monkeypatch: pytest.MonkeyPatch) -> None:
    """The engine refuses a knot of more than `MAX_FACTOR_GENES` genes; no family within the
    limits above has one, so the limit is lowered to show the refusal reaching the user."""
    from chosei.kinship import contraction
    from chosei.kinship.errors import KinshipInputError
    from chosei.kinship.trees import check_size

    monkeypatch.setattr(contraction, "MAX_FACTOR_GENES", 3)
    contraction._plan.cache_clear()
    ped = tree_pedigree(_cousin_marriages(2, 10), "V", ["V", "SW1", "DH1"])
    with pytest.raises(KinshipInputError) as err:
        check_size(ped, "V")
    contraction._plan.cache_clear()
    assert str(err.value) == (
        "the family of V is too large to compute exactly: its marriage loops (C1 × K1, C2 × K2) join more "
        "people than one exact computation holds; leave out relatives or people the typed ones do not need")
