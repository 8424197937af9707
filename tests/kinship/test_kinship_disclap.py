"""Discrete Laplace Y haplotype frequencies: a hand-checked fit, and a simulated database."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from chosei.kinship import HaplotypeDatabase, KinshipInputError, LineageRelative, YHaplotype, y_lr
from chosei.kinship.disclap import fit


def p_from_mean(m: float) -> float:
    """The one-cluster maximum: E|d| = 2p / (1 - p^2) solved for p."""
    return (math.sqrt(1 + m * m) - 1) / m


def dl(d: int, p: float) -> float:
    return (1 - p) / (1 + p) * p ** abs(d)


TINY = (({"DYS19": 14, "DYS390": 10}, 2), ({"DYS19": 15, "DYS390": 10}, 1), ({"DYS19": 13, "DYS390": 11}, 1))


def tiny() -> HaplotypeDatabase:
    return HaplotypeDatabase("tiny", tuple((YHaplotype.parse(h), c) for h, c in TINY))


def test_one_cluster_by_hand():
    """Centre 14/10 (weighted medians); mean |d| 0.5 and 0.25, so p = 0.2361, 0.1231."""
    model = fit(np.array([[14, 10], [15, 10], [13, 11]]), np.array([2, 1, 1]), max_clusters=1)
    p1, p2 = p_from_mean(0.5), p_from_mean(0.25)
    assert model.centres.tolist() == [[14, 10]]
    assert model.p[0] == pytest.approx([p1, p2], rel=1e-6)
    assert (round(p1, 6), round(p2, 6)) == (0.236068, 0.123106)
    assert model.probability(np.array([[14, 10]]))[0] == pytest.approx(dl(0, p1) * dl(0, p2), rel=1e-6)
    assert model.probability(np.array([[16, 12]]))[0] == pytest.approx(dl(2, p1) * dl(2, p2), rel=1e-6)


def test_database_frequency_and_the_lr():
    db = tiny()
    p1, p2 = p_from_mean(0.5), p_from_mean(0.25)
    unseen = YHaplotype.parse({"DYS19": 16, "DYS390": 10})
    freq, n = db.disclap(unseen)
    assert n == 4
    assert freq == pytest.approx(dl(2, p1) * dl(0, p2), rel=1e-6)  # BIC keeps one cluster
    assert round(freq, 5) == 0.02689
    result = y_lr(unseen, [LineageRelative("S", "son", unseen)], db, frequency="disclap")
    assert result.frequency_method == "disclap" and result.frequency_bound == pytest.approx(freq)
    assert result.lr == pytest.approx(1 / freq)
    counted = y_lr(unseen, [LineageRelative("S", "son", unseen)], db, frequency="count")
    assert counted.frequency_method == "count" and counted.lr == pytest.approx(1 / 0.6023646, rel=1e-6)


def test_bad_frequency_method_is_refused():
    hap = YHaplotype.parse({"DYS19": 14, "DYS390": 10})
    with pytest.raises(KinshipInputError) as exc:
        y_lr(hap, [LineageRelative("S", "son", hap)], tiny(), frequency="guess")  # type: ignore[arg-type]
    assert str(exc.value) == "Y frequency method 'guess' is unknown; choose one of count, kappa, disclap, guarded"


def simulated(seed: int = 7, men: int = 600) -> tuple[np.ndarray, np.ndarray]:
    """Two clans around their modal haplotypes, four loci, discrete Laplace spread."""
    rng = np.random.default_rng(seed)
    centres = np.array([[14, 13, 23, 10], [16, 12, 25, 11]])
    spread = np.array([[0.2, 0.3, 0.1, 0.25], [0.15, 0.2, 0.3, 0.1]])
    clan = (rng.random(men) < 0.6).astype(int)
    p = spread[1 - clan]
    d = (rng.geometric(1 - p) - 1) - (rng.geometric(1 - p) - 1)
    return np.unique(centres[1 - clan] + d, axis=0, return_counts=True)


def test_frequencies_sum_to_one_over_all_haplotypes():
    haplotypes, counts = simulated()
    model = fit(haplotypes, counts)
    assert len(model.tau) == 2  # BIC finds the two clans
    assert sorted(np.round(model.tau, 1)) == [0.4, 0.6]
    box = [range(int(haplotypes[:, k].min()) - 8, int(haplotypes[:, k].max()) + 9) for k in range(4)]
    grid = np.array(list(itertools.product(*box)))
    assert model.probability(grid).sum() == pytest.approx(1.0, abs=1e-4)
    # an unseen haplotype gets a frequency, the commonest seen ones more than any unseen one
    seen = {tuple(h) for h in haplotypes.tolist()}
    unseen = np.array([g for g in grid.tolist() if tuple(g) not in seen])
    assert model.probability(unseen).max() < model.probability(haplotypes[np.argmax(counts)][None])[0]


def test_fit_is_deterministic():
    haplotypes, counts = simulated(seed=3, men=300)
    a, b = fit(haplotypes, counts), fit(haplotypes, counts)
    assert np.array_equal(a.probability(haplotypes), b.probability(haplotypes))


def test_guarded_disclap_is_the_largest_model_never_below_brenner() -> None:
    """`guarded`: the largest of the case's databases' discrete Laplace frequencies, never
    below Brenner's frequency of an unseen haplotype (`kappa_floor`). TINY at DYS19/DYS390:
    4 men, 2 singletons; extended 5, 2 of them seen more than once: Beta(3, 3) 97.5 %
    quantile / 5 = 0.1707, above the model's 0.02689 for 16/10 (one cluster, as above)."""
    from scipy.stats import beta

    floor = beta.ppf(0.975, 3, 3) / 5
    unseen = YHaplotype.parse({"DYS19": 16, "DYS390": 10})
    assert tiny().disclap_guarded(unseen) == (pytest.approx(floor, rel=1e-12), 4)
    result = y_lr(unseen, [LineageRelative("S", "son", unseen)], tiny(), frequency="guarded")
    assert result.frequency_method == "guarded" and result.lr == pytest.approx(1 / floor, rel=1e-12)
    # another database where 16/10 is the common haplotype: its model's frequency is taken
    common = HaplotypeDatabase("JP", ((unseen, 90), (YHaplotype.parse({"DYS19": 17, "DYS390": 10}), 10)))
    with_jp = HaplotypeDatabase("tiny", tiny().entries, (common,))
    freq, n = with_jp.disclap_guarded(unseen)
    assert n == 4 and freq == pytest.approx(common.disclap(unseen)[0], rel=1e-12) and freq > 0.5
