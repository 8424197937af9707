"""Brenner's kappa for a Y or mtDNA haplotype that no database of the case holds.

The toy database (10 men): haplotype A three times, B twice, C, D, E, F, G once each.
A haplotype in none of them, by hand: the extended database (the 10 and the new one) has
n + 1 = 11 haplotypes, 5 + 1 = 6 of them singletons, so kappa = 6/11 and Brenner's
frequency (1 - kappa) / 11 = 5/121 = 0.041322. chosei bounds 1 - kappa (5 of 11 seen more
than once) by its two-sided 95 % Clopper-Pearson upper end, the Beta(6, 6) quantile
0.7662064, so the frequency is 0.7662064 / 11 = 0.06965513 and the LR of an identical
son 14.356. The counting bound for 0 of 10 is 1 - 0.025 ** (1/10) = 0.3084971 (LR 3.24).
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import beta

from chosei.kinship import (
    HaplotypeDatabase,
    KinshipInputError,
    LineageFamily,
    LineageRelative,
    MtHaplotype,
    YHaplotype,
    clopper_pearson_upper,
    haplotypes,
    mt_lr,
    mt_lr_batch,
    y_lr,
    y_lr_batch,
)
from chosei.kinship.haplotypes import kappa_frequency

TOY_FREQUENCY = 0.7662064023406548 / 11  # Beta(6, 6) 97.5 % quantile over 11
COUNT_0_OF_10 = 1 - 0.025 ** (1 / 10)


def y(dys19: int, dys390: int = 23) -> YHaplotype:
    return YHaplotype.parse({"DYS19": dys19, "DYS390": dys390})


def toy(population: str = "KR", others: tuple[HaplotypeDatabase, ...] = ()) -> HaplotypeDatabase:
    counts = {12: 3, 13: 2, 14: 1, 15: 1, 16: 1, 17: 1, 18: 1}  # A B C D E F G by DYS19
    return HaplotypeDatabase(population, tuple((y(a), c) for a, c in counts.items()), others)


def son(hap: YHaplotype) -> list[LineageRelative]:
    return [LineageRelative("S", "son", hap)]


def test_kappa_frequency_by_hand(monkeypatch: pytest.MonkeyPatch) -> None:
    assert beta.ppf(0.975, 6, 6) == pytest.approx(0.7662064023406548, rel=1e-12)
    assert kappa_frequency(5, 10) == pytest.approx(TOY_FREQUENCY, rel=1e-12)
    assert kappa_frequency(5, 10) == pytest.approx(clopper_pearson_upper(5, 11) / 11, rel=1e-15)
    # every one a singleton: kappa = 1 would give 0; the bound of 0 of 11 is 1 - 0.025 ** (1/11)
    assert kappa_frequency(10, 10) == pytest.approx((1 - 0.025 ** (1 / 11)) / 11, rel=1e-12)
    # no singleton: 10 of 11 seen more than once, bound 0.975 ** (1/11) (the Beta(11, 1) quantile)
    assert kappa_frequency(0, 10) == pytest.approx(0.975 ** (1 / 11) / 11, rel=1e-12)
    monkeypatch.setattr(haplotypes, "KAPPA_BOUND", False)  # Brenner's point estimate
    assert kappa_frequency(5, 10) == pytest.approx(5 / 121, rel=1e-15)
    assert kappa_frequency(10, 10) == 0.0


@pytest.mark.parametrize(("singletons", "n"), [(-1, 10), (11, 10), (0, 0), (1.5, 10)])
def test_kappa_frequency_refuses_nonsense(singletons: object, n: int) -> None:
    with pytest.raises(KinshipInputError):
        kappa_frequency(singletons, n)  # type: ignore[arg-type]


def test_an_unseen_y_haplotype_gets_brenners_frequency() -> None:
    unseen = y(20)
    result = y_lr(unseen, son(unseen), toy())
    assert (result.count, result.total, result.frequency_method) == (0, 10, "kappa")
    assert result.frequency_bound == pytest.approx(TOY_FREQUENCY, rel=1e-12)
    assert result.lr == pytest.approx(11 / 0.7662064023406548, rel=1e-12)  # 14.356
    counted = y_lr(unseen, son(unseen), toy(), frequency="count")
    assert counted.frequency_method == "count" and counted.lr == pytest.approx(1 / COUNT_0_OF_10, rel=1e-12)


def test_a_seen_haplotype_keeps_the_counting_bound() -> None:
    seen = y(13)  # B, twice
    result = y_lr(seen, son(seen), toy())
    assert (result.count, result.frequency_method) == (2, "count")
    assert result.lr == pytest.approx(1 / clopper_pearson_upper(2, 10), rel=1e-12)


def test_seen_in_another_database_of_the_case_is_not_unseen() -> None:
    """The guard: a haplotype the JP database holds is no unseen haplotype for a KR victim."""
    query = y(20)
    jp = HaplotypeDatabase("JP", ((query, 5), (y(12), 300)))
    result = y_lr(query, son(query), toy(others=(jp,)))
    assert (result.count, result.total, result.frequency_method) == (0, 10, "count")
    assert result.lr == pytest.approx(1 / COUNT_0_OF_10, rel=1e-12)


def test_the_largest_frequency_over_the_databases() -> None:
    """Unseen everywhere: Brenner's frequency of each database, the largest taken. JP: 4 men,
    one haplotype twice and two singletons; extended 5, 2 seen more than once: the
    Beta(3, 3) quantile over 5, 0.1707 > the KR 0.0697."""
    jp = HaplotypeDatabase("JP", ((y(12), 2), (y(13), 1), (y(14), 1)))
    query = y(20)
    result = y_lr(query, son(query), toy(others=(jp,)))
    assert result.frequency_method == "kappa"
    assert result.frequency_bound == pytest.approx(beta.ppf(0.975, 3, 3) / 5, rel=1e-12)
    assert round(result.frequency_bound, 4) == 0.1707
    assert (result.count, result.total) == (0, 10)  # the count stays the victim's database's
    # a database typed at other markers has nothing comparable: it says nothing
    other_kit = HaplotypeDatabase("CN", ((YHaplotype.parse({"DYS391": 10}), 50),))
    alone = y_lr(query, son(query), toy(others=(other_kit,)))
    assert alone.frequency_bound == pytest.approx(TOY_FREQUENCY, rel=1e-12)


def test_kappa_is_counted_at_the_markers_the_specimen_has() -> None:
    """A partial specimen (DYS390 only): the toy's 10 men all carry DYS390 23, so at that
    marker there is one haplotype ten times; 25 is unseen; no singleton, 10 of 11."""
    partial = YHaplotype.parse({"DYS390": 25})
    result = y_lr(partial, son(YHaplotype.parse({"DYS19": 30, "DYS390": 25})), toy())
    assert result.frequency_bound == pytest.approx(0.975 ** (1 / 11) / 11, rel=1e-12)


MT_TOY = {"16223T": 3, "16189C": 2, "16129A": 1, "16172C": 1, "16183C": 1, "16209C": 1, "16217C": 1}


def test_mtdna_unseen_gets_brenners_frequency() -> None:
    db = HaplotypeDatabase("KR", tuple((MtHaplotype.parse(v), c) for v, c in MT_TOY.items()))
    unseen = MtHaplotype.parse("16304C")
    mother = [LineageRelative("M", "mother", unseen)]
    result = mt_lr(unseen, mother, db)
    assert (result.count, result.total, result.frequency_method) == (0, 10, "kappa")
    assert result.lr == pytest.approx(11 / 0.7662064023406548, rel=1e-12)
    assert mt_lr(unseen, mother, db, frequency="count").lr == pytest.approx(1 / COUNT_0_OF_10, rel=1e-12)
    seen = MtHaplotype.parse("16223T")
    assert mt_lr(seen, [LineageRelative("M", "mother", seen)], db).lr == pytest.approx(
        1 / clopper_pearson_upper(3, 10), rel=1e-12)
    with pytest.raises(KinshipInputError) as exc:
        mt_lr(unseen, mother, db, frequency="disclap")
    assert str(exc.value) == "mtDNA frequency method 'disclap' is unknown; choose one of count, kappa"


def test_batches_use_the_same_frequency() -> None:
    unseen, seen = y(20), y(13)
    fams = [LineageFamily("V", tuple(son(unseen)))]
    batch = y_lr_batch({"A": unseen, "B": seen, "C": None}, fams, toy())
    assert batch.lr[0, 0] == pytest.approx(y_lr(unseen, son(unseen), toy()).lr, rel=1e-15)
    near = y(19)  # one step from the son's 20, unseen too
    assert y_lr_batch({"A": near}, fams, toy()).lr[0, 0] == pytest.approx(y_lr(near, son(unseen), toy()).lr, rel=1e-15)
    assert batch.lr[1, 0] == 0.0  # seven steps: excluded
    assert np.isnan(batch.lr[2, 0])
    mt_db = HaplotypeDatabase("KR", tuple((MtHaplotype.parse(v), c) for v, c in MT_TOY.items()))
    hap = MtHaplotype.parse("16304C")
    mt_fams = [LineageFamily("V", (LineageRelative("M", "mother", hap),))]
    assert mt_lr_batch({"A": hap}, mt_fams, mt_db).lr[0, 0] == pytest.approx(11 / 0.7662064023406548, rel=1e-12)
    assert mt_lr_batch({"A": hap}, mt_fams, mt_db, frequency="count").lr[0, 0] == pytest.approx(
        1 / COUNT_0_OF_10, rel=1e-12)
