"""Dropout and drop-in in a specimen's observation: LRs against hand-derived numbers.

Frequencies throughout: p10 = 0.1, p11 = 0.2, p12 = 0.3, p13 = 0.4 (they sum to 1, so no
rest allele); d = 0.2, c = 0.05 unless a test says otherwise.
"""

from __future__ import annotations

import numpy as np
import pytest

from chosei.kinship import (
    Family,
    FrequencyTable,
    MutationModel,
    Relative,
    direct_match,
    group_specimens,
    kinship_lr,
    match_batch,
)
from chosei.kinship.dropout import (
    MAX_DROPOUT,
    MIN_DROPOUT,
    estimate_dropout,
    homozygosity,
    observation_terms,
    probability,
)
from chosei.kinship.errors import KinshipInputError
from chosei.kinship.genotypes import parse_profile

FREQS = {"10": 0.1, "11": 0.2, "12": 0.3, "13": 0.4}
TABLE = FrequencyTable("t", {"M1": FREQS, "M2": FREQS})
FATHER = Relative.of("F", "father", {"M1": "10/11", "M2": "12/13"})

# Hand derivations (theta 0, no mutation), father typed, V is his child:
#
# M1: specimen shows 10 only (typed 10/10), father 10/11.
#   P(O={10} | 10/10) = (1-d²)(1-c) = 0.96 * 0.95 = 0.912
#   P(O={10} | 10/x)  = d(1-d)(1-c) = 0.16 * 0.95 = 0.152
#   P(O={10} | no 10) = d² c p10    = 0.04 * 0.05 * 0.1 = 0.0002
#   H1 (child of 10/11): P(10/10) = p10/2 = 0.05, P(10/x) = 1/2 * 0.9 + 1/2 * 0.1 = 0.5,
#      P(no 10) = 1/2 * 0.9 = 0.45 -> 0.05*0.912 + 0.5*0.152 + 0.45*0.0002 = 0.12169
#   H2 (Hardy-Weinberg): 0.01*0.912 + 0.18*0.152 + 0.81*0.0002 = 0.036642
#   LR = 0.12169 / 0.036642 = 3.32105234...   (without the model: 1/(2 p10) = 5)
M1_LR = 0.12169 / 0.036642
#
# M2: specimen shows 10/11, father 12/13 (an exclusion without the model).
#   V holds 12 or 13 from the father; his other allele y from the mother.
#   P(O | 10/z), z in {12,13}: (1-d) d c p11 = 0.8*0.2*0.05*0.2 = 0.0016
#   P(O | 11/z): (1-d) d c p10 = 0.0008;  P(O | neither): d² c² p10 p11 = 0.000002
#   H1 = 0.1*0.0016 + 0.2*0.0008 + 0.7*0.000002 = 0.0003214
#   H2 = P(10/11) 0.04 * (1-d)²(1-c) 0.608 + P(10/10) 0.01 * (1-d²) c p11 0.0096
#      + P(11/11) 0.04 * 0.0048 + P(10/z) 0.14 * 0.0016 + P(11/z) 0.28 * 0.0008 + 0.49 * 0.000002
#      = 0.02505698
#   LR = 0.0003214 / 0.02505698 = 0.0128267652...
M2_LR = 0.0003214 / 0.02505698


def test_one_marker_against_the_hand_derivation():
    """Specimen 10 only, father 10/11: 3.3210523 (5 without the model)."""
    result = kinship_lr({"M1": "10/10"}, [FATHER], TABLE, dropout=0.2, drop_in=0.05)
    assert result.total_lr == pytest.approx(M1_LR, rel=1e-12)
    assert pytest.approx(3.3210523443, rel=1e-10) == M1_LR
    assert kinship_lr({"M1": "10/10"}, [FATHER], TABLE).total_lr == pytest.approx(5, rel=1e-12)


def test_two_markers_multiply_and_an_exclusion_becomes_a_small_lr():
    result = kinship_lr({"M1": "10/10", "M2": "10/11"}, [FATHER], TABLE, dropout=0.2, drop_in=0.05)
    assert result.per_marker == pytest.approx({"M1": M1_LR, "M2": M2_LR}, rel=1e-12)
    assert result.total_lr == pytest.approx(M1_LR * M2_LR, rel=1e-12)
    assert result.excluded_markers == ()
    assert "specimen dropout 0.2, drop-in 0.05" in result.describe()[0]
    plain = kinship_lr({"M1": "10/10", "M2": "10/11"}, [FATHER], TABLE)
    assert plain.excluded_markers == ("M2",)


def test_batch_gives_the_same_numbers_per_specimen_rate():
    spec = {"S": {"M1": "10/10", "M2": "10/11"}, "T": {"M1": "10/11"}, "U": {}}
    got = match_batch(spec, [Family("V", (FATHER,))], TABLE, dropout={"S": 0.2, "T": 0.4}, drop_in=0.05)
    assert got.lr[0, 0] == pytest.approx(M1_LR * M2_LR, rel=1e-12)
    # T: 10/11 against father 10/11 with d = 0.4 -- the single-pair engine's number
    single = kinship_lr({"M1": "10/11"}, [FATHER], TABLE, dropout=0.4, drop_in=0.05).total_lr
    assert got.lr[1, 0] == pytest.approx(single, rel=1e-12)
    assert got.lr[2, 0] == 1.0  # untyped stays uninformative


@pytest.mark.parametrize("theta", [0.0, 0.02])
@pytest.mark.parametrize("mutation", [None, MutationModel("stepwise", 0.002)])
def test_batch_and_single_pair_agree_with_theta_and_mutation(theta, mutation):
    spec = {"S": {"M1": "10/10", "M2": "10/11"}, "T": {"M1": "10/-", "M2": "12/12"}}
    got = match_batch(spec, [Family("V", (FATHER,))], TABLE, dropout=0.3, drop_in=0.05, theta=theta,
                      mutation=mutation)
    for row, sid in enumerate(spec):
        single = kinship_lr(spec[sid], [FATHER], TABLE, dropout=0.3, drop_in=0.05, theta=theta, mutation=mutation)
        assert got.lr[row, 0] == pytest.approx(single.total_lr, rel=1e-10)


def test_dropout_zero_is_the_exact_model_bit_for_bit():
    spec = {"S": {"M1": "10/10", "M2": "12/13"}, "T": {"M1": "10/-", "M2": "11/12"}}
    fam = [Family("V", (FATHER,))]
    for theta in (0.0, 0.03):
        plain = match_batch(spec, fam, TABLE, theta=theta)
        zero = match_batch(spec, fam, TABLE, theta=theta, dropout=0.0, drop_in=0.0)
        assert np.array_equal(plain.log10_lr, zero.log10_lr)


def test_without_drop_in_a_foreign_allele_still_excludes():
    """c = 0: 10/11 cannot come from a child of 12/13 however much drops out."""
    result = kinship_lr({"M2": "10/11"}, [FATHER], TABLE, dropout=0.5, drop_in=0.0)
    assert result.excluded_markers == ("M2",)


def test_observation_probabilities_by_hand():
    """P(O | g) entry by entry, d = 0.2, c = 0.05 (the module docstring's formulas)."""
    freqs = np.array([0.1, 0.2, 0.3, 0.4])
    terms = observation_terms([(0, 0), (0, 1), (0, None)], freqs, 0.05)
    p = probability(terms, 0.2)
    # genotype order: (0,0) (0,1) (0,2) (0,3) (1,1) ...
    assert p[0, 0] == pytest.approx(0.96 * 0.95)  # {10} | 10/10
    assert p[0, 1] == pytest.approx(0.2 * 0.8 * 0.95)  # {10} | 10/11
    assert p[0, 4] == pytest.approx(0.04 * 0.05 * 0.1)  # {10} | 11/11
    assert p[1, 1] == pytest.approx(0.64 * 0.95)  # {10,11} | 10/11
    assert p[1, 0] == pytest.approx(0.96 * 0.05 * 0.2)  # {10,11} | 10/10: 11 dropped in
    assert list(p[2]) == [1, 1, 1, 1, 0, 0, 0, 0, 0, 0]  # 10/-: every genotype holding 10


def test_rates_are_checked():
    with pytest.raises(KinshipInputError, match=r"the dropout probability must be a number in \[0, 1\), not 1"):
        kinship_lr({"M1": "10/10"}, [FATHER], TABLE, dropout=1)
    with pytest.raises(KinshipInputError, match=r"drop-in rate must be a number in \[0, 1\), not -0.1"):
        match_batch({"S": {"M1": "10/10"}}, [Family("V", (FATHER,))], TABLE, dropout=0.1, drop_in=-0.1)


def test_estimate_from_the_share_of_one_allele_markers():
    """Two markers, homozygosity h = 0.01+0.04+0.09+0.16 = 0.3 each. One shows two alleles, one
    shows one: maximise ln(0.7 q) + ln(1 - 0.7 q), q = (1-d)/(1+d): 0.7 q = 1/2, q = 5/7,
    d = (1-q)/(1+q) = 1/6 = 0.1667 (on the 0.001 grid: 0.167)."""
    h = homozygosity(TABLE)
    assert h == pytest.approx({"M1": 0.3, "M2": 0.3})
    assert estimate_dropout(parse_profile({"M1": "10/11", "M2": "12/12"}), h) == pytest.approx(0.167)
    assert estimate_dropout(parse_profile({"M1": "10/11", "M2": "12/13"}), h) == MIN_DROPOUT
    assert estimate_dropout(parse_profile({"M1": "10/10", "M2": "12/-"}), h) == MAX_DROPOUT
    assert estimate_dropout(parse_profile({"M3": "10/10"}), h) == MIN_DROPOUT  # a marker the table lacks
    assert estimate_dropout({}, h) == MIN_DROPOUT


def test_reassociation_links_a_heterozygote_and_its_dropout_by_hand():
    """A shows 10/11 and 12/13, B shows 10 only and 12/13; d = 0.2 each, c = 0.
    M1: only 10/11 explains A: same = P(10/11) (1-d)² d(1-d) = 0.04 * 0.64 * 0.16 = 0.004096;
        unrelated = [0.04 * 0.64] * [P(10/10)(1-d²) + P(10/x) d(1-d)] = 0.0256 * (0.0096 + 0.0288)
        = 0.00098304; LR = 25/6.
    M2: both 12/13: same = 0.24 * 0.64², unrelated = (0.24 * 0.64)²: LR = 1/0.24 = 25/6.
    Without the model M1 is an exclusion."""
    a, b = {"M1": "10/11", "M2": "12/13"}, {"M1": "10/10", "M2": "12/13"}
    found = direct_match(a, b, TABLE, dropout=(0.2, 0.2))
    assert found.lr == pytest.approx((25 / 6) ** 2, rel=1e-12)
    assert (found.discordant_markers, found.mismatched_markers) == (("M1",), ())
    assert found.random_match_probability == pytest.approx(0.24)  # the agreeing marker only
    assert direct_match(a, b, TABLE).mismatched_markers == ("M1",)


def test_grouping_with_dropout_uses_each_specimens_rate():
    """The screen (tables over the observations present) and `direct_match` agree: A and B link
    at LR 10 (25/6 squared is 17.4 with d = 0.2; less with drop-in), C links nobody."""
    profiles = {"A": {"M1": "10/11", "M2": "12/13"}, "B": {"M1": "10/10", "M2": "12/13"},
                "C": {"M1": "11/11", "M2": "10/10"}}
    rates = {"A": 0.2, "B": 0.2, "C": 0.1}
    found = group_specimens(profiles, TABLE, threshold=10, dropout=rates, drop_in=0.05)
    assert found.groups == (("A", "B"), ("C",))
    single = direct_match(profiles["A"], profiles["B"], TABLE, dropout=(0.2, 0.2), drop_in=0.05)
    assert [(m.a, m.b, m.lr) for m in found.links] == [("A", "B", single.lr)]
    assert 10 < single.lr < (25 / 6) ** 2
    assert group_specimens(profiles, TABLE, threshold=10).groups == (("A",), ("B",), ("C",))


def test_a_group_is_matched_as_one_individual():
    """Members A (shows 10 only) and B (shows 10/11) of one group, father 10/11, c = 0:
    P(O_A, O_B | g) = P(O_A | g) P(O_B | g) is 0.16 * 0.64 at g = 10/11 and 0 elsewhere, so the
    group is a 10/11 observed: LR = P(10/11 | father 10/11) / P(10/11) = 0.15 / 0.04 = 3.75.
    Without the model the members disagree (10/10 against 10/11): the marker is left out, LR 1;
    where they agree (M2, A untyped) the group is B."""
    spec = {"A": {"M1": "10/10"}, "B": {"M1": "10/11", "M2": "12/12"}}
    fam = [Family("V", (FATHER,))]
    got = match_batch(spec, fam, TABLE, dropout=0.2, drop_in=0.0, groups={"G": ["A", "B"]})
    assert got.specimens == ("A", "B", "G")
    m2 = kinship_lr({"M2": "12/12"}, [FATHER], TABLE, dropout=0.2).total_lr
    assert got.lr[2, 0] == pytest.approx(3.75 * m2, rel=1e-12)
    plain = match_batch(spec, fam, TABLE, groups={"G": ["A", "B"]})
    assert plain.lr[2, 0] == pytest.approx(kinship_lr({"M2": "12/12"}, [FATHER], TABLE).total_lr, rel=1e-12)
    with pytest.raises(KinshipInputError, match="group 'G' must name specimens of the batch"):
        match_batch(spec, fam, TABLE, groups={"G": ["A", "Z"]})
