"""The SNP kinship engine: hand-computed LRs, brute force over paths, the unrelated tail."""

from __future__ import annotations

from itertools import product

import numpy as np
import pytest

from chosei.kinship.errors import ComplexityError, InconsistentFamilyError, KinshipInputError
from chosei.kinship.pedigree import Pedigree, Person, build_pedigree
from chosei.kinship.snp_linkage import LinkageModel, haldane
from chosei.kinship.snp_lr import MISSING, SnpFamily, SnpMap, select_unlinked, snp_lr_batch, unlinked_map
from tests.kinship.snp_simulation import drop, linked_map, unrelated

P = 0.2  # ALT frequency of the hand-checked SNPs
Q = 1 - P
HWE = np.array([Q * Q, 2 * P * Q, P * P])
# parent-child joint genotype probabilities, genotypes as ALT counts (the textbook table)
PARENT_CHILD = np.array(
    [
        [Q**3, P * Q * Q, 0.0],
        [P * Q * Q, P * Q, P * P * Q],
        [0.0, P * P * Q, P**3],
    ]
)
HALF_SIB = 0.5 * PARENT_CHILD + 0.5 * np.outer(HWE, HWE)


def unlinked(n: int, af: float = P) -> SnpMap:
    return SnpMap(np.arange(n), np.zeros(n), np.full(n, af))


def lr(term: str, victim, donor, snps: SnpMap, epsilon: float) -> float:
    family = SnpFamily(build_pedigree({"D": term}), {"D": np.asarray(donor, dtype=np.int8)})
    return float(10 ** snp_lr_batch([family], np.asarray([victim], dtype=np.int8), snps, epsilon=epsilon)[0, 0])


def hand_lr(joint: np.ndarray, v: int, d: int, epsilon: float) -> float:
    err = np.full((3, 3), epsilon / 2)
    np.fill_diagonal(err, 1 - epsilon)
    numerator = err[:, v] @ joint @ err[:, d]
    return numerator / ((HWE @ err[:, v]) * (HWE @ err[:, d]))


def test_parent_child_at_three_unlinked_snps_is_a_product_of_textbook_lrs():
    # AA/AA: 1/p = 5; Aa/AA: 1/(2p) = 2.5; aa/aa: 1/q = 1.25 -> 15.625
    assert lr("father", [2, 1, 0], [2, 2, 0], unlinked(3), 0.0) == pytest.approx(15.625, rel=1e-12)


def test_half_sibs_at_three_unlinked_snps():
    # (1 + 1/p)/2 = 3, (1 + 1/(2p))/2 = 1.75, (1 + 1/q)/2 = 1.125 -> 5.90625
    assert lr("half-brother (paternal)", [2, 1, 0], [2, 2, 0], unlinked(3), 0.0) == pytest.approx(5.90625, rel=1e-12)


@pytest.mark.parametrize(("term", "joint"), [("son", PARENT_CHILD), ("half-sister (maternal)", HALF_SIB)])
def test_genotyping_error_follows_the_hand_formula(term, joint):
    victim, donor = [2, 0, 1, MISSING], [2, 2, 1, 0]
    expected = hand_lr(joint, 2, 2, 0.01) * hand_lr(joint, 0, 2, 0.01) * hand_lr(joint, 1, 1, 0.01)
    assert lr(term, victim, donor, unlinked(4), 0.01) == pytest.approx(expected, rel=1e-10)


def test_one_wrong_call_never_excludes_with_epsilon():
    # an opposite homozygote excludes parenthood at epsilon 0 and costs a factor at 1 %
    assert lr("father", [0], [2], unlinked(1), 0.0) == 0.0
    assert lr("father", [0], [2], unlinked(1), 0.01) == pytest.approx(hand_lr(PARENT_CHILD, 0, 2, 0.01), rel=1e-10)
    # by hand: numerator 3.373e-3 (mostly V truly 0/0, D miscalled), denominator 0.6354 * 0.0444
    assert hand_lr(PARENT_CHILD, 0, 2, 0.01) == pytest.approx(0.1196, abs=5e-4)


def test_missing_calls_contribute_nothing_when_unlinked():
    assert lr("brother", [MISSING, 2], [1, MISSING], unlinked(2), 0.01) == pytest.approx(1.0, rel=1e-12)


# ---- brute force over every inheritance path, no state reduction -------------------


def brute_force(pedigree: Pedigree, typed: list[str], calls: dict[str, list[int]], snps: SnpMap, eps: float) -> float:
    """P(all typed calls) summing over all full inheritance vectors at every locus."""
    persons = pedigree.persons
    meioses = [(p.id, side) for p in persons if not p.is_founder for side in (0, 1)]
    founders = [p.id for p in persons if p.is_founder]
    r = snps.recombination()
    err = np.full((3, 4), eps / 2)
    np.fill_diagonal(err, 1 - eps)
    err[:, 3] = 1.0

    def emission(locus: int, vector: tuple[int, ...]) -> float:
        bit = dict(zip(meioses, vector, strict=True))
        total = 0.0
        for alleles in product((0, 1), repeat=2 * len(founders)):
            genes = {f: (alleles[2 * i], alleles[2 * i + 1]) for i, f in enumerate(founders)}
            prob = np.prod([snps.af[locus] if a else 1 - snps.af[locus] for a in alleles])
            for p in persons:
                if not p.is_founder:
                    genes[p.id] = (genes[p.father][bit[(p.id, 0)]], genes[p.mother][bit[(p.id, 1)]])
            for pid in typed:
                call = calls[pid][locus]
                prob *= err[sum(genes[pid]), 3 if call == MISSING else call]
            total += prob
        return total

    vectors = list(product((0, 1), repeat=len(meioses)))
    table = [[emission(locus, v) for v in vectors] for locus in range(len(snps))]
    total = 0.0
    for path in product(range(len(vectors)), repeat=len(snps)):
        prob = table[0][path[0]] / len(vectors)
        for locus in range(1, len(snps)):
            a, b = vectors[path[locus - 1]], vectors[path[locus]]
            flips = sum(x != y for x, y in zip(a, b, strict=True))
            prob *= r[locus] ** flips * (1 - r[locus]) ** (len(a) - flips) * table[locus][path[locus]]
        total += prob
    return total


def brute_lr(pedigree, calls, snps, eps):
    donors = [pid for pid in calls if pid != pedigree.victim]
    joint = brute_force(pedigree, [pedigree.victim, *donors], calls, snps, eps)
    without_v = brute_force(pedigree, donors, calls, snps, eps)
    single = brute_force(
        Pedigree((Person("X", "M", None, None, "x", True),), "X"), ["X"], {"X": calls[pedigree.victim]}, snps, eps
    )
    return joint / (without_v * single)


TINY = SnpMap(np.array([1, 1, 1]), np.array([0.0, 7.0, 30.0]), np.array([0.3, 0.6, 0.45]))


@pytest.mark.parametrize(
    ("terms", "calls"),
    [
        ({"D": "half-brother (paternal)"}, {"V": [2, 1, 0], "D": [2, 1, 1]}),
        ({"D": "brother"}, {"V": [1, 1, 2], "D": [1, 0, 2]}),
        ({"D": "son's son"}, {"V": [0, MISSING, 2], "D": [1, 1, 2]}),
    ],
    ids=["half-sibs", "full-sibs", "grandchild"],
)
def test_linkage_model_equals_brute_force_on_a_tiny_map(terms, calls):
    pedigree = build_pedigree(terms).pruned(calls)
    family = SnpFamily(pedigree, {"D": np.array(calls["D"], dtype=np.int8)})
    engine = 10 ** snp_lr_batch([family], np.array([calls["V"]], dtype=np.int8), TINY, epsilon=0.02)[0, 0]
    assert engine == pytest.approx(brute_lr(pedigree, calls, TINY, 0.02), rel=1e-10)


def test_linkage_model_equals_brute_force_for_uncle_and_two_markers():
    snps = SnpMap(np.array([3, 3]), np.array([10.0, 22.0]), np.array([0.25, 0.5]))
    pedigree = build_pedigree({"D": "brother's son"}).pruned(["V", "D"])
    calls = {"V": [2, 1], "D": [1, 1]}
    family = SnpFamily(pedigree, {"D": np.array(calls["D"], dtype=np.int8)})
    engine = 10 ** snp_lr_batch([family], np.array([calls["V"]], dtype=np.int8), snps, epsilon=0.01)[0, 0]
    assert engine == pytest.approx(brute_lr(pedigree, calls, snps, 0.01), rel=1e-10)


def great_nephew() -> Pedigree:
    """V and his brother's son's son, built directly (the vocabulary stops at second degree)."""
    return Pedigree(
        (
            Person("F", "M", None, None, "V's father", False),
            Person("M", "F", None, None, "V's mother", False),
            Person("V", "M", "F", "M", "victim", True),
            Person("B", "M", "F", "M", "brother", False),
            Person("BW", "F", None, None, "brother's wife", False),
            Person("BS", "M", "B", "BW", "brother's son", False),
            Person("BSW", "F", None, None, "his wife", False),
            Person("D", "M", "BS", "BSW", "brother's son's son", True),
        ),
        "V",
    )


def test_third_degree_pedigree_has_sixteen_states_and_close_markers_share_ibd():
    model = LinkageModel.of(great_nephew(), ("V", "D"))
    assert model.states == 16
    # one shared gene at an opposite-homozygote-free, tightly linked pair of rare SNPs
    snps = SnpMap(np.array([1, 1]), np.array([0.0, 0.5]), np.array([0.05, 0.05]))
    family = SnpFamily(great_nephew(), {"D": np.array([1, 1], dtype=np.int8)})
    linked = 10 ** snp_lr_batch([family], np.array([[1, 1]], dtype=np.int8), snps, epsilon=0)[0, 0]
    independent = 10 ** snp_lr_batch([family], np.array([[1, 1]], dtype=np.int8), unlinked(2, 0.05), epsilon=0)[0, 0]
    # unlinked, third degree (kappa1 = 1/4): (3/4 + (1/4) / (4pq))^2 = 2.0658^2 with p = 0.05
    one = 3 / 4 + (1 / 4) / (4 * 0.05 * 0.95)
    assert independent == pytest.approx(one * one, rel=1e-12)
    assert linked > independent  # sharing at one marker makes sharing at the next likely


def test_recombination_fraction_is_haldane():
    assert haldane(np.array([0.0, 50.0]))[1] == pytest.approx(0.5 * (1 - np.exp(-1.0)))


def test_unrelated_pairs_reach_lr_t_at_most_one_in_t():
    rng = np.random.default_rng(2026)
    snps = linked_map(rng, 600, chromosomes=4)
    families = []
    for _ in range(40):
        genotypes = drop(rng, great_nephew(), snps)
        families.append(SnpFamily(great_nephew(), {"D": genotypes["D"]}))
    specimens = unrelated(rng, snps, 50)  # 2,000 unrelated pairs
    lrs = snp_lr_batch(families, specimens, snps, epsilon=0.01)
    for t in (1, 2, 4):
        assert np.mean(lrs >= t) <= 10.0**-t


def test_true_great_nephews_are_supported_on_average():
    rng = np.random.default_rng(7)
    snps = linked_map(rng, 600, chromosomes=4)
    drops = [drop(rng, great_nephew(), snps) for _ in range(12)]
    families = [SnpFamily(great_nephew(), {"D": g["D"]}) for g in drops]
    lrs = snp_lr_batch(families, np.stack([g["V"] for g in drops]), snps)
    assert np.mean(np.diag(lrs)) > 0  # E[log LR | H1] is a KL divergence: positive
    assert np.mean(np.diag(lrs)) > np.mean(lrs[~np.eye(12, dtype=bool)])


def test_bad_inputs_are_named():
    with pytest.raises(KinshipInputError, match="strictly between 0 and 1"):
        SnpMap(np.array([1]), np.array([0.0]), np.array([1.0]))
    with pytest.raises(KinshipInputError, match="sorted by chromosome"):
        SnpMap(np.array([1, 1]), np.array([5.0, 1.0]), np.array([0.3, 0.3]))
    family = SnpFamily(build_pedigree({"D": "son"}), {"D": np.zeros(2, dtype=np.int8)})
    with pytest.raises(KinshipInputError, match=r"an \(n, 3\) array"):
        snp_lr_batch([family], np.zeros((1, 2), dtype=np.int8), unlinked(3))
    with pytest.raises(KinshipInputError, match="epsilon 0.5 must be at least 0 and below 0.5"):
        snp_lr_batch([family], np.zeros((1, 2), dtype=np.int8), unlinked(2), epsilon=0.5)


def test_inconsistent_donors_at_epsilon_zero():
    pedigree = build_pedigree({"D1": "son", "D2": "father"})
    family = SnpFamily(pedigree, {"D1": np.array([0], dtype=np.int8), "D2": np.array([2], dtype=np.int8)})
    lr_ok = snp_lr_batch([family], np.array([[1]], dtype=np.int8), unlinked(1), epsilon=0.01)
    assert np.isfinite(lr_ok).all()
    # son 0/0 and grandfather 2/2 are fine (V carries one of each); three generations
    # that cannot fit: D1 son 0/0, V's father 2/2 and V called 2/2
    lr_zero = snp_lr_batch([family], np.array([[2]], dtype=np.int8), unlinked(1), epsilon=0.0)
    assert lr_zero[0, 0] == -np.inf
    # a father 0/0 cannot have a son 2/2
    bad = SnpFamily(
        build_pedigree({"D1": "father", "D2": "brother"}),
        {"D1": np.array([0], dtype=np.int8), "D2": np.array([2], dtype=np.int8)},
    )
    with pytest.raises(InconsistentFamilyError, match="cannot be related as stated at epsilon 0"):
        snp_lr_batch([bad], np.array([[1]], dtype=np.int8), unlinked(1), epsilon=0.0)


def test_too_many_meioses_is_a_complexity_error():
    terms = {
        f"D{i}": t
        for i, t in enumerate(
            ["brother's son", "sister's son", "half-brother (paternal)", "brother's daughter", "sister's daughter"]
        )
    }
    with pytest.raises(ComplexityError, match="free meioses; at most 10 are supported"):
        LinkageModel.of(build_pedigree(terms), ("V", *terms))


def test_unlinked_selection_keeps_distance_and_maf():
    snps = SnpMap(
        np.array([1, 1, 1, 1, 2]), np.array([0.0, 10.0, 35.0, 70.0, 1.0]), np.array([0.5, 0.4, 0.05, 0.3, 0.5])
    )
    assert select_unlinked(snps, min_cm=30, min_maf=0.2).tolist() == [0, 3, 4]
    keep, free = unlinked_map(snps, 30, 0.2)
    assert keep.tolist() == [0, 3, 4]
    assert free.recombination()[1:].tolist() == [0.5, 0.5]


def test_split_kronecker_steps_equal_the_dense_matrix(monkeypatch):
    """The fast path for large pedigrees against the plain one, on a 128-state family."""
    from chosei.kinship import snp_lr

    rng = np.random.default_rng(5)
    snps = linked_map(rng, 60, chromosomes=2)
    pedigree = build_pedigree({"A": "son's son", "B": "sister's son", "C": "brother"})
    assert LinkageModel.of(pedigree, ("V", "A", "B", "C")).states == 128
    genotypes = drop(rng, pedigree, snps)
    family = SnpFamily(pedigree, {d: genotypes[d] for d in "ABC"})
    specimens = np.stack([genotypes["V"], unrelated(rng, snps, 1)[0]])
    monkeypatch.setattr(snp_lr, "_DENSE_MAX_STATES", 1024)
    dense = snp_lr_batch([family], specimens, snps)
    monkeypatch.setattr(snp_lr, "_DENSE_MAX_STATES", 0)
    split = snp_lr_batch([family], specimens, snps)
    np.testing.assert_allclose(split, dense, rtol=1e-10)
    assert dense[0, 0] > 0 > dense[0, 1]
