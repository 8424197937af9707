"""The Y-STR mutation model: per-locus probabilities derived by hand, and the line's LR."""

from __future__ import annotations

import pytest

from chosei.kinship import HaplotypeDatabase, KinshipInputError, LineageRelative, YHaplotype, y_lr
from chosei.kinship.y_mutation import Y_RATES, YMutation, bases, canonical_locus

OMEGA, RATE2 = 0.05, 1e-5
Z = 1 - OMEGA**3  # the three jump sizes a mutation may take


def jumps(rate: float) -> tuple[float, float, float]:
    """a_j: one mutation of +j repeats (either direction has the same)."""
    a1 = rate / 2 * (1 - OMEGA) / Z
    return a1, a1 * OMEGA, a1 * OMEGA**2


def by_hand(rate: float, steps: int, meioses: int) -> float:
    """P(a difference of `steps` whole repeats) after 1 or 2 meioses, every path written out."""
    a1, a2, a3 = jumps(rate)
    stay = 1 - rate - RATE2
    micro = RATE2 / 6  # each of +-1, +-2, +-3 bases
    if meioses == 1:
        return (stay, a1, a2)[steps]
    return (
        stay**2 + 2 * (a1**2 + a2**2 + a3**2) + 6 * micro**2,  # back and forth
        2 * stay * a1 + 2 * a2 * a1 + 2 * a3 * a2 + 3 * micro**2,  # +1; +2-1; +3-2; 1+3, 3+1, 2+2 bases
        2 * stay * a2 + a1**2 + 2 * a3 * a1,  # +2; +1+1; +3-1
    )[steps]


@pytest.mark.parametrize("locus", ["DYS19", "DYS392", "DYS458", "DYS570", "DYF387S1"])
@pytest.mark.parametrize("meioses", [1, 2])
@pytest.mark.parametrize("steps", [0, 1, 2])
def test_per_locus_probability_by_hand(locus, meioses, steps):
    rate = Y_RATES[locus][0]
    model = YMutation()
    got = model.probability(locus, str(15 + steps), "15", meioses)
    assert got == pytest.approx(by_hand(rate, steps, meioses), rel=1e-12)
    assert model.probability(locus, str(15 - steps), "15", meioses) == got  # losses as likely as gains


def test_pinned_numbers_for_dys19():
    model = YMutation()
    assert model.probability("DYS19", "16", "15", 1) == pytest.approx(1.0451306413e-3, rel=1e-9)
    assert model.probability("DYS19", "17", "15", 1) == pytest.approx(5.225653207e-5, rel=1e-9)
    assert model.probability("DYS19", "16", "15", 2) == pytest.approx(2.0857513164e-3, rel=1e-9)
    assert model.probability("DYS19", "15", "15", 2) == pytest.approx(0.99558707419, rel=1e-10)


def test_microvariant_changes_need_rate2():
    model = YMutation()
    assert model.probability("DYS19", "15.2", "15", 1) == pytest.approx(RATE2 / 6)
    assert model.probability("DYS19", "14.2", "15", 1) == pytest.approx(RATE2 / 6)  # 2 bases shorter
    assert model.probability("DYS19", "16.2", "15", 1) == 0  # a step and a partial repeat: two events
    assert YMutation(rate2=0).probability("DYS19", "15.2", "15", 3) == 0
    assert bases("13.2") == 54 and bases("14") == 56


def test_beyond_the_jump_limit_within_one_meiosis_is_impossible():
    model = YMutation()
    assert model.probability("DYS19", "19", "15", 1) == 0
    assert model.probability("DYS19", "19", "15", 2) > 0  # two mutations


def test_rates_replace_the_table_and_names_are_canonical():
    model = YMutation(rates={"y-gata-h4": 0.01, "DYS999": 0.004})
    assert canonical_locus("Y-GATA-H4") == canonical_locus("GATA H4") == "YGATAH4"
    assert model.rate("GATA H4") == 0.01 and model.rate("DYS999") == 0.004
    assert model.rate("DYS19") == 2.2e-3 and model.rate("DYS000") == 0.0025


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"rates": {"DYS19": 0.7}}, "Y mutation rate of DYS19 must be at least 0 and below 0.5, not 0.7"),
        ({"rate2": -1}, "Y mutation rate2 must be at least 0 and below 0.5, not -1"),
        ({"multistep": 1}, "Y multistep must be at least 0 and below 1, not 1"),
    ],
)
def test_bad_models_are_refused(kwargs, message):
    with pytest.raises(KinshipInputError) as exc:
        YMutation(**kwargs)
    assert str(exc.value) == message


HAP = {"DYS19": 14, "DYS390": 24, "DYS391": 10, "DYS458": 17}


def db() -> HaplotypeDatabase:
    return HaplotypeDatabase("x", ((YHaplotype.parse({**HAP, "DYS19": 15}), 1000),))


def test_two_loci_two_steps_three_meioses_is_a_small_lr_not_an_exclusion():
    """The issue's false exclusion: a brother's son (3 meioses) differing at two loci."""
    specimen = YHaplotype.parse({**HAP, "DYS458": 18, "DYS390": 26})
    result = y_lr(specimen, [LineageRelative("N", "brother's son", YHaplotype.parse(HAP))], db(), frequency="count")
    model = YMutation()
    expected = model.probability("DYS458", "18", "17", 3) * model.probability("DYS390", "26", "24", 3)
    assert result.status == "mutation"
    assert result.comparisons[0].probability == pytest.approx(expected)
    assert result.lr == pytest.approx(expected / 0.0036820839, rel=1e-7)
    assert 0 < result.lr < 1e-2


def test_the_most_probable_relative_decides():
    specimen = YHaplotype.parse({**HAP, "DYS458": 18})
    relatives = [LineageRelative("S", "son", YHaplotype.parse({**HAP, "DYS392": 11, "DYS19": 15})),
                 LineageRelative("B", "brother", YHaplotype.parse(HAP))]
    result = y_lr(specimen, relatives, db(), frequency="count")
    # the son differs at DYS19 by one step (rate 2.2e-3), the brother at DYS458 (6.17e-3, two meioses)
    assert result.best == "B"
    assert result.lr == pytest.approx(YMutation().probability("DYS458", "18", "17", 2) / 0.0036820839, rel=1e-7)
