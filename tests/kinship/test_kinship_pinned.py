"""Hand-checkable numbers, and numbers pinned by forrel / pedprobr / pedmut's own tests.

Alleles A, B, C, D are written 10, 11, 12, 13. Where a table lists only some alleles
(p(A) = 0.1, p(B) = 0.2), the rest of the mass is the table's rest allele, so the
listed frequencies are used as they are.
"""

from __future__ import annotations

import numpy as np
import pytest

from chosei.kinship import (
    FrequencyTable,
    MutationModel,
    Relative,
    clopper_pearson_upper,
    closed_set,
    kinship_lr,
)
from chosei.kinship.errors import KinshipInputError
from chosei.kinship.genotypes import Genotype, parse_genotype
from chosei.kinship.likelihood import Marker, marker_likelihood
from chosei.kinship.pedigree import Pedigree, Person

A, B, C, D = "10", "11", "12", "13"
ABCD = {A: 0.1, B: 0.2, C: 0.3, D: 0.4}


def lr(specimen, relatives, freqs, **options):
    table = FrequencyTable("test", {"M1": freqs})
    rels = [Relative.of(f"R{i}", term, {"M1": g}) for i, (term, g) in enumerate(relatives)]
    return kinship_lr({"M1": specimen}, rels, table, **options).total_lr


PARENT_CHILD = ["son", "daughter", "father", "mother"]


@pytest.mark.parametrize("term", PARENT_CHILD)
def test_parent_child_homozygous_is_1_over_p(term):
    assert lr("10/10", [(term, "10/10")], {A: 0.05}) == pytest.approx(20, rel=1e-12)


def test_two_markers_multiply_to_200():
    table = FrequencyTable("test", {"M1": {A: 0.05}, "M2": {A: 0.1}})
    son = Relative.of("S", "son", {"M1": "10/10", "M2": "10/10"})
    result = kinship_lr({"M1": "10/10", "M2": "10/10"}, [son], table)
    assert result.per_marker == pytest.approx({"M1": 20, "M2": 10}, rel=1e-12)
    assert result.total_lr == pytest.approx(200, rel=1e-12)


@pytest.mark.parametrize(
    ("specimen", "relative", "expected"),
    [("10/10", "10/11", 5), ("10/11", "10/11", 3.75), ("10/11", "10/12", 2.5), ("10/11", "12/13", 0)],
    ids=["AA-AB", "AB-AB", "AB-AC", "AB-CD-exclusion"],
)
@pytest.mark.parametrize("term", PARENT_CHILD)
def test_parent_child(term, specimen, relative, expected):
    freqs = {A: 0.1, B: 0.2, C: 0.3, D: 0.4} if expected in (2.5, 0) else {A: 0.1, B: 0.2}
    assert lr(specimen, [(term, relative)], freqs) == pytest.approx(expected, rel=1e-12)


def test_exclusion_names_the_marker():
    table = FrequencyTable("test", {"M1": ABCD, "M2": ABCD})
    son = Relative.of("S", "son", {"M1": "12/13", "M2": "10/11"})
    result = kinship_lr({"M1": "10/11", "M2": "10/11"}, [son], table)
    assert result.total_lr == 0 and result.is_exclusion
    assert result.excluded_markers == ("M1",)
    assert result.per_marker["M2"] == pytest.approx(3.75)


@pytest.mark.parametrize(
    ("specimen", "relative", "expected"),
    [("10/10", "10/10", 30.25), ("10/11", "10/11", 8.375), ("10/11", "10/12", 1.5), ("10/11", "12/13", 0.25)],
    ids=["AA-AA", "AB-AB", "AB-AC", "AB-CD"],
)
@pytest.mark.parametrize("term", ["brother", "sister"])
def test_full_siblings(term, specimen, relative, expected):
    assert lr(specimen, [(term, relative)], ABCD) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(
    "term",
    [
        "half-brother (paternal)",
        "half-sister (maternal)",
        "son's son",
        "daughter's daughter",
        "brother's son",
        "sister's daughter",
    ],
)
def test_second_degree_homozygous_is_5_5(term):
    assert lr("10/10", [(term, "10/10")], {A: 0.1}) == pytest.approx(5.5, rel=1e-12)


@pytest.mark.parametrize(
    ("term", "p", "expected"),
    [("son", 0.05, 12.83018868), ("brother", 0.1, 20.98089701)],
    ids=["parent-child", "full-siblings"],
)
def test_theta(term, p, expected):
    assert lr("10/10", [(term, "10/10")], {A: p}, theta=0.01) == pytest.approx(expected, rel=1e-8)


def test_parent_child_theta_closed_form():
    theta, p = 0.01, 0.05
    expected = (1 + 2 * theta) / (3 * theta + (1 - theta) * p)
    assert lr("10/10", [("son", "10/10")], {A: p}, theta=theta) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(
    ("term", "pinned"), [("son", 7.8736841), ("daughter", 7.8736841), ("father", 7.9147700), ("mother", 7.9147700)]
)
def test_parent_child_theta_with_equal_mutation_closed_form(term, pinned):
    # Specimen (V) A/A, relative A/A, theta t, equal mutation mu over 4 alleles, so
    # M[g, A] = 1 - mu for g = A, else r = mu / 3. H1: the relative's gene from V is A
    # with 1 - mu; the other comes from an untyped founder gene g, which is A with
    # q = (2t + (1-t) p) / (1 + t) once two A's are drawn. H2 for a child: both of its
    # founder genes are open, E[f(g1) f(g2)] with f = r + s [g = A], s = 1 - mu - r and
    # P(g1 = g2 = A) = q q3, q3 = (3t + (1-t) p) / (1 + 2t). H2 for a parent: a typed
    # founder, four A's drawn and no mutation at all: q q3.
    theta, p, mu = 0.01, 0.1, 0.002
    r, s = mu / 3, 1 - mu - mu / 3
    q = (2 * theta + (1 - theta) * p) / (1 + theta)
    q3 = (3 * theta + (1 - theta) * p) / (1 + 2 * theta)
    h1 = (1 - mu) * (q * (1 - mu) + (1 - q) * r)
    h2 = r * r + 2 * r * s * q + s * s * q * q3 if term in ("son", "daughter") else q * q3
    got = lr("10/10", [(term, "10/10")], ABCD, theta=theta, mutation=MutationModel("equal", mu))
    assert got == pytest.approx(h1 / h2, rel=1e-12)
    assert got == pytest.approx(pinned, rel=1e-7)  # 1.02 / 0.129 = 7.907 without mutation


def test_equal_mutation_father_son():
    model = MutationModel("equal", 0.1)
    assert lr("2/2", [("father", "1/1")], {"1": 0.5, "2": 0.5}, mutation=model) == pytest.approx(0.2)


@pytest.mark.parametrize(
    ("specimen", "son", "brother", "expected", "pairwise_product"),
    [("10/11", "10/12", "10/13", 15 / 7, 3.75), ("10/10", "10/11", "10/10", 605 / 12, 151.25)],
    ids=["ab-ac-ad", "aa-ab-aa"],
)
def test_son_and_brother_together_is_not_the_product(specimen, son, brother, expected, pairwise_product):
    joint = lr(specimen, [("son", son), ("brother", brother)], ABCD)
    assert joint == pytest.approx(expected, rel=1e-12)
    separate = lr(specimen, [("son", son)], ABCD) * lr(specimen, [("brother", brother)], ABCD)
    assert separate == pytest.approx(pairwise_product, rel=1e-12)


@pytest.mark.parametrize(
    ("lr_value", "n_expected", "expected"),
    [(1e6, 1000, 0.999001997), (100, 100, 0.5025126)],
    ids=["1e6-of-1000", "100-of-100"],
)
def test_closed_set_of_one_compared_victim(lr_value, n_expected, expected):
    """One victim compared, the others with LR 1: LR / (LR + N - 1), the old per-pair 1/N prior."""
    assert float(closed_set([lr_value], n_expected).posteriors[0]) == pytest.approx(expected, rel=1e-7)


def test_closed_set_hand_example():
    """LRs 1000, 1000, 0.5 for three compared victims of 183: denominator 2000.5 + 180 = 2180.5."""
    found = closed_set([1000, 1000, 0.5], 183)
    assert found.posteriors.tolist() == pytest.approx([1000 / 2180.5, 1000 / 2180.5, 0.5 / 2180.5], rel=1e-12)
    assert found.posteriors[0] == pytest.approx(0.4586104105, rel=1e-9)
    assert float(found.remainder) == pytest.approx(180 / 2180.5, rel=1e-12)  # 0.0825498739
    assert float(found.open_share) == 0
    assert found.posteriors.sum() + found.remainder == pytest.approx(1, rel=1e-12)


def test_closed_set_with_an_open_share():
    """P = 0.5, N = 100, one victim at LR 100: π = 0.005, D = 0.005 · (100 + 99) + 0.5 = 1.495."""
    found = closed_set([100], 100, open_prior=0.5)
    assert float(found.posteriors[0]) == pytest.approx(0.5 / 1.495, rel=1e-12)
    assert float(found.remainder) == pytest.approx(0.495 / 1.495, rel=1e-12)
    assert float(found.open_share) == pytest.approx(0.5 / 1.495, rel=1e-12)


def test_closed_set_splits_what_the_dna_cannot_tell_apart():
    """Two brother-victims with the same donor get the same LR: equal posteriors, neither above 1/2."""
    found = closed_set([1e6, 1e6, 0.0], 183)
    assert found.posteriors[0] == found.posteriors[1] == pytest.approx(1e6 / (2e6 + 180), rel=1e-12)
    assert found.posteriors[0] < 0.5
    huge = closed_set([1e300, 1e300, 1.0], 183)  # no overflow in the sum
    assert huge.posteriors[:2].tolist() == [0.5, 0.5]


def test_closed_set_is_vectorised_over_specimens():
    table = np.array([[1000, 1000, 0.5], [0.0, 20.0, 1.0]])
    found = closed_set(table, 10, open_prior=0.1)
    for row, post, rest, opened in zip(table, found.posteriors, found.remainder, found.open_share, strict=True):
        one = closed_set(row, 10, open_prior=0.1)
        assert post.tolist() == pytest.approx(one.posteriors.tolist(), rel=1e-12)
        assert (rest, opened) == pytest.approx((float(one.remainder), float(one.open_share)), rel=1e-12)
    assert (found.posteriors.sum(axis=1) + found.remainder + found.open_share).tolist() == pytest.approx([1, 1])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (([1, 2, 3], 2), "3 victims compared but only 2 expected; the expected roster must count every victim"),
        (([1, float("nan")], 183), "every LR must be a finite number >= 0"),
        (([1, -1], 183), "every LR must be a finite number >= 0"),
        (([1], 0), "n_expected must be a whole number >= 1, not 0"),
        (([1], 183, 1.0), "open_prior must be a probability at least 0 and below 1, not 1.0"),
    ],
    ids=["more-than-expected", "nan", "negative", "no-roster", "open-one"],
)
def test_closed_set_refuses(args, message):
    with pytest.raises(KinshipInputError) as info:
        closed_set(*args)
    assert str(info.value) == message


def _alone(genotype: str) -> float:
    table = FrequencyTable("test", {"M1": {"1": 0.8, "2": 0.2}})
    mf = table.marker("M1")
    ped = Pedigree((Person("x", "M", None, None, "victim", True),), "x")
    return marker_likelihood(ped, {"x": parse_genotype(genotype)}, Marker.of(mf, np.eye(2)))


def test_partial_genotype_sums_over_the_missing_allele():
    # pedprobr test-likelihood.R: singleton "2/-", p(2) = 0.2 -> q (q + 2p) = 0.36
    assert _alone("2/-") == pytest.approx(0.36, rel=1e-12)


def test_untyped_marker_contributes_1():
    table = FrequencyTable("test", {"M1": ABCD, "M2": ABCD})
    son = Relative.of("S", "son", {"M1": "10/11", "M2": "10/11"})
    result = kinship_lr({"M1": "10/11", "M2": "-/-"}, [son], table)
    assert result.per_marker["M2"] == 1 and result.untyped_markers == ("M2",)
    only_spec = kinship_lr({"M1": "10/11"}, [Relative.of("S", "son", {"M2": "10/11"})], table)
    assert only_spec.total_lr == 1


@pytest.mark.parametrize(
    ("x", "n", "expected"),
    [(0, 1000, 0.0036820839), (1, 1000, 0.0055589243), (0, 100, 0.036216693)],
    ids=["0-of-1000", "1-of-1000", "0-of-100"],
)
def test_clopper_pearson_upper(x, n, expected):
    assert clopper_pearson_upper(x, n) == pytest.approx(expected, rel=1e-7)


# --- numbers from pedprobr's and pedmut's own tests (tests/testthat/*.R) ------------


def _nuclear(*kids: str) -> list[Person]:
    return [
        Person("1", "M", None, None, "father", True),
        Person("2", "F", None, None, "mother", True),
        *(Person(k, "M", "1", "2", "child", True) for k in kids),
    ]


def _likelihood(persons, typed, freqs, mutation=None, theta=0.0):
    table = FrequencyTable("test", {"M": freqs})
    mf = table.marker("M")
    matrix = (mutation or MutationModel()).matrix(mf)
    ped = Pedigree(tuple(persons), persons[0].id)
    genotypes = {k: parse_genotype(v) for k, v in typed.items()}
    return marker_likelihood(ped, genotypes, Marker.of(mf, matrix), theta=theta)


def test_pedprobr_trio_equal_mutation():
    # test-mutations.R "trio - someTyped - mutation": p^4 * rr^2, rr = M[1, 2] = 0.1
    p = 0.9
    got = _likelihood(
        _nuclear("3"), {"1": "1/1", "2": "1/1", "3": "2/2"}, {"1": p, "2": 1 - p}, MutationModel("equal", 0.1)
    )
    assert got == pytest.approx(p**4 * 0.1**2, rel=1e-12)


def test_pedprobr_father_child_proportional_mutation():
    # same test: p^2 * q * rr with rr = M[1, 2] of the proportional model
    p, q = 0.9, 0.1
    rr = 0.1 / (2 * p * q) * q
    got = _likelihood(_nuclear("3"), {"1": "1/1", "3": "2/2"}, {"1": p, "2": q}, MutationModel("proportional", 0.1))
    assert got == pytest.approx(p**2 * q * rr, rel=1e-12)


def test_pedprobr_siblings_snp():
    # "likelihoods are correct in sibling SNP example": 1/4 q^2 (1+q)^2
    q = 0.8
    got = _likelihood(_nuclear("3", "4"), {"3": "2/2", "4": "2/2"}, {"1": 0.2, "2": q})
    assert got == pytest.approx(q**2 * (1 + q) ** 2 / 4, rel=1e-12)


def test_pedprobr_three_generations_snp():
    # "3 generat. SNP example": (2pq)^2 (3/8 + pq/2)
    p, q = 0.2, 0.8
    persons = [
        Person("4", "M", None, None, "", True),
        Person("5", "F", None, None, "", True),
        Person("6", "M", None, None, "", True),
        Person("7", "F", None, None, "", True),
        Person("1", "M", "4", "5", "", True),
        Person("2", "F", "6", "7", "", True),
        Person("3", "M", "1", "2", "", True),
    ]
    got = _likelihood(persons, {"4": "1/2", "7": "1/2", "3": "1/2"}, {"1": p, "2": q})
    assert got == pytest.approx((2 * p * q) ** 2 * (3 / 8 + p * q / 2), rel=1e-12)


def test_pedprobr_theta_linear_pedigree():
    # test-theta-correction.R: linearPed(2), 5 = A/A, p(A) = 0.3, theta 0.01 -> 0.0921
    persons = [
        Person("1", "M", None, None, "", True),
        Person("2", "F", None, None, "", True),
        Person("3", "M", "1", "2", "", True),
        Person("4", "F", None, None, "", True),
        Person("5", "M", "3", "4", "", True),
    ]
    got = _likelihood(persons, {"5": "1/1"}, {"1": 0.3, "2": 0.7}, theta=0.01)
    assert got == pytest.approx(0.0921, rel=1e-12)


def test_pedmut_equal_and_proportional_matrices():
    table = FrequencyTable("test", {"M": {"1": 0.2, "2": 0.3, "3": 0.5}})
    mf = table.marker("M")
    equal = MutationModel("equal", 0.1).matrix(mf)
    assert np.diag(equal) == pytest.approx([0.9] * 3) and equal.sum(axis=1) == pytest.approx([1] * 3)
    m = MutationModel("proportional", 0.1).matrix(mf)
    assert m.sum(axis=1) == pytest.approx([1] * 3)
    assert [m[1, 0], m[0, 1], m[0, 2]] == pytest.approx([m[2, 0], m[2, 1], m[1, 2]])


def test_stepwise_matrix_by_hand():
    table = FrequencyTable("test", {"M": {"9": 0.3, "10": 0.4, "11": 0.3}})
    m = MutationModel("stepwise", 0.01, range=0.5).matrix(table.marker("M"))
    assert m[1] == pytest.approx([0.005, 0.99, 0.005])
    assert m[0] == pytest.approx([0.99, 0.01 * 0.5 / 0.75, 0.01 * 0.25 / 0.75])
    micro = FrequencyTable("test", {"M": {"9": 0.3, "9.3": 0.2, "10": 0.5}}).marker("M")
    assert micro.alleles == ("9", "9.3", "10")
    m = MutationModel("stepwise", 0.01, range=0.5, rate2=0.001).matrix(micro)
    assert m[0] == pytest.approx([0.989, 0.001, 0.01])
    assert m[1] == pytest.approx([0.0005, 0.999, 0.0005])


def test_genotype_of_orders_numerically():
    assert Genotype.of("12", "9.3") == Genotype("9.3", "12")
