"""Alleles, genotypes, frequency tables, pedigrees: what is accepted, what is refused."""

from __future__ import annotations

import pytest

from chosei.kinship import (
    ComplexityError,
    FrequencyTable,
    InconsistentFamilyError,
    KinshipInputError,
    MutationModel,
    Relative,
    UnknownMarkerError,
    build_pedigree,
    kinship_lr,
)
from chosei.kinship.frequencies import REST_ALLELE
from chosei.kinship.genotypes import Genotype, normalise_allele, parse_genotype, parse_profile


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("12", "12"), (12, "12"), (12.0, "12"), ("12.0", "12"), (" 9.3 ", "9.3"), (9.3, "9.3"), ("9.30", "9.3")],
    ids=["str", "int", "float", "str-decimal", "spaces", "float-micro", "trailing-zero"],
)
def test_alleles_are_normalised(raw, expected):
    assert normalise_allele(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("X", "allele 'X' at marker M is not a number; write repeat numbers such as 12 or 9.3"),
        ("9.33", "allele '9.33' at marker M has more than one decimal; microvariants are written like 9.3"),
        (-1, "allele -1 at marker M must be a non-negative repeat number"),
    ],
    ids=["letter", "two-decimals", "negative"],
)
def test_bad_alleles_are_refused_with_the_marker_named(raw, message):
    with pytest.raises(KinshipInputError) as err:
        normalise_allele(raw, marker="M")
    assert str(err.value) == message


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("14/12", Genotype("12", "14")),
        ("12/-", Genotype("12", None)),
        ("-/12", Genotype("12", None)),
        ("12/–", Genotype("12", None)),
        ((12, None), Genotype("12", None)),
        ("-/-", None),
        (None, None),
        ("12,12", Genotype("12", "12")),
    ],
    ids=["ordered", "partial", "partial-first-missing", "en-dash", "tuple", "untyped", "none", "comma"],
)
def test_genotypes_parse(raw, expected):
    assert parse_genotype(raw) == expected


def test_a_lone_allele_is_ambiguous():
    with pytest.raises(KinshipInputError, match="like 12/14, 12/12 or 12/- for a partial"):
        parse_genotype("12", marker="TH01")


def test_profile_markers_are_normalised_and_untyped_dropped():
    profile = parse_profile({"vWA": "14/16", "Penta E": "-/-", "TH01": "9.3/6"})
    assert profile == {"VWA": Genotype("14", "16"), "TH01": Genotype("6", "9.3")}
    with pytest.raises(KinshipInputError, match="names marker VWA twice"):
        parse_profile({"vWA": "14/16", "VWA": "14/16"})


def test_table_uses_listed_frequencies_and_keeps_the_rest():
    table = FrequencyTable("t", {"M": {10: 0.1, 11: 0.2}})
    mf = table.marker("M")
    assert mf.alleles == ("10", "11", REST_ALLELE)
    assert list(mf.freqs) == pytest.approx([0.1, 0.2, 0.7])


def test_missing_allele_gets_5_over_2n_then_renormalised():
    table = FrequencyTable("t", {"M": {10: 0.5, 11: 0.5}}, n={"M": 500})
    mf = table.marker("M", ["12"])
    assert mf.floored == ("12",)
    minimum = 5 / 1000
    assert list(mf.freqs) == pytest.approx([0.5 / (1 + minimum), 0.5 / (1 + minimum), minimum / (1 + minimum)])
    assert mf.freqs.sum() == pytest.approx(1)


def test_missing_allele_gets_the_floor_without_n():
    table = FrequencyTable("t", {"M": {10: 0.5, 11: 0.5}}, floor=0.01)
    assert table.marker("M", ["9"]).of("9") == pytest.approx(0.01 / 1.01)
    assert FrequencyTable("t", {"M": {10: 1.0}}).minimum_frequency("M") == 0.001


def test_floored_allele_changes_the_lr_as_documented():
    table = FrequencyTable("t", {"M": {10: 0.5, 11: 0.5}})
    son = Relative.of("S", "son", {"M": "12/12"})
    result = kinship_lr({"M": "12/12"}, [son], table)
    assert result.markers[0].floored == ("12",)
    assert result.total_lr == pytest.approx(1.001 / 0.001)


@pytest.mark.parametrize(
    ("freqs", "message"),
    [
        (
            {"M": {10: 0.0}},
            "frequency of allele 10 at marker M must be in (0, 1], not 0.0; "
            "leave unseen alleles out instead of giving 0",
        ),
        (
            {"M": {10: 0.7, 11: 0.5}},
            "frequencies at marker M sum to 1.2000, more than 1; check the table for a typing error",
        ),
        ({"M": {10: 0.5, "10.0": 0.5}}, "freqs for marker M list allele 10 twice (as '10.0'); keep one"),
    ],
    ids=["zero", "sum-above-1", "duplicate"],
)
def test_bad_tables_are_refused(freqs, message):
    with pytest.raises(KinshipInputError) as err:
        FrequencyTable("t", freqs)
    assert str(err.value) == message


def test_rounding_above_1_is_scaled():
    table = FrequencyTable("t", {"M": {10: 0.503, 11: 0.5}})
    assert table.marker("M").freqs.sum() == pytest.approx(1)


def test_unknown_marker_is_named():
    table = FrequencyTable("Korean", {"M": {10: 1.0}})
    son = Relative.of("S", "son", {"D2S1338": "17/19"})
    with pytest.raises(UnknownMarkerError) as err:
        kinship_lr({"D2S1338": "17/19"}, [son], table)
    assert str(err.value) == (
        "marker D2S1338 has no frequencies in table 'Korean'; add them or leave the marker out of the comparison"
    )


def test_inconsistent_family_raises():
    table = FrequencyTable("t", {"M": {10: 0.25, 11: 0.25, 12: 0.25, 13: 0.25}})
    family = [
        Relative.of("F", "father", {"M": "10/10"}),
        Relative.of("Mo", "mother", {"M": "11/11"}),
        Relative.of("B", "brother", {"M": "12/13"}),
    ]
    with pytest.raises(InconsistentFamilyError, match="at marker M the relatives' genotypes"):
        kinship_lr({"M": "10/11"}, family, table)


def test_mutation_rescues_an_exclusion():
    table = FrequencyTable("t", {"M": {10: 0.25, 11: 0.25, 12: 0.25, 13: 0.25}})
    son = Relative.of("S", "son", {"M": "12/13"})
    assert kinship_lr({"M": "11/11"}, [son], table).total_lr == 0
    stepwise = MutationModel("stepwise", 0.002, range=0.5)
    assert 0 < kinship_lr({"M": "11/11"}, [son], table, mutation=stepwise).total_lr < 0.01


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"theta": 1.0}, "theta must be a number in [0, 1), not 1.0"),
        ({"victim_sex": "X"}, "victim_sex must be 'M' or 'F', not 'X'"),
    ],
    ids=["theta", "sex"],
)
def test_bad_options(options, message):
    table = FrequencyTable("t", {"M": {10: 1.0}})
    with pytest.raises(KinshipInputError) as err:
        kinship_lr({"M": "10/10"}, [Relative.of("S", "son", {"M": "10/10"})], table, **options)
    assert str(err.value) == message


def test_mutation_model_is_checked():
    with pytest.raises(KinshipInputError, match="mutation model 'random' is unknown"):
        MutationModel("random", 0.1)  # type: ignore[arg-type]
    with pytest.raises(KinshipInputError, match="mutation rate must be between 0 and 1"):
        MutationModel("equal", 2.0)


def test_theta_with_mutation_far_beyond_the_vocabulary_is_refused_not_hung():
    # six relatives on six lines: 12 open founder genes (Bell(12) = 4,213,597 partitions)
    terms = ["son's son", "daughter's son", "brother's son", "sister's son"]
    terms += ["half-brother (paternal)", "half-brother (maternal)"]
    family = [Relative.of(f"R{i}", t, {"M": "10/11"}) for i, t in enumerate(terms)]
    table = FrequencyTable("t", {"M": {str(a): 1 / 20 for a in range(5, 25)}})
    with pytest.raises(ComplexityError) as err:
        kinship_lr({"M": "10/12"}, family, table, theta=0.01, mutation=MutationModel("stepwise", 0.002))
    assert str(err.value) == (
        "theta > 0 with mutation needs more than 6,297 gene flows over 12 open founder genes at this marker "
        "(limit 1,073,741,824 operations); use theta = 0 or fewer relatives"
    )


# --- pedigrees -------------------------------------------------------------------


def test_son_and_brother_share_the_right_people():
    ped = build_pedigree({"S": "son", "B": "brother"})
    assert ped["S"].father == "V" and ped["S"].mother == "V:partner"
    assert ped["B"].father == ped["V"].father == "V:father"
    assert ped["B"].mother == ped["V"].mother == "V:mother"


def test_grandchildren_through_sons_share_one_untyped_son():
    ped = build_pedigree({"G1": "son's son", "G2": "son's daughter", "S": "son"})
    assert ped["G1"].father == ped["G2"].father == "V:son"
    assert ped["V:son"].father == "V" and not ped["V:son"].typed
    assert ped["S"].father == "V"


def test_female_victim_is_the_mother_of_her_children():
    ped = build_pedigree({"D": "daughter"}, victim_sex="F")
    assert ped["D"].mother == "V" and ped["D"].father == "V:partner"


def test_typed_father_is_vs_father():
    ped = build_pedigree({"F": "father", "B": "brother"})
    assert ped["V"].father == "F" and ped["B"].father == "F" and ped["V"].mother == "V:mother"


def test_spouse_and_other_are_left_out_and_listed():
    ped = build_pedigree({"W": "spouse", "X": "Other", "S": "Son"})
    assert "W" not in ped.ids and "X" not in ped.ids
    assert ped.excluded == (("W", "spouse"), ("X", "other"))
    assert ped.describe()[-1] == "X: other (left out: carries no genetic information for V)"


@pytest.mark.parametrize(
    "term", ["Half brother (paternal)", "half_brother(paternal)", "half-brother ( paternal )", "Son’s son"]
)
def test_terms_are_normalised(term):
    build_pedigree({"R": term})


def test_unknown_term_lists_the_vocabulary():
    with pytest.raises(
        KinshipInputError, match="relationship 'cousin' is not in the vocabulary; use one of: son, daughter, father"
    ):
        build_pedigree({"R": "cousin"})


def test_two_fathers_are_refused():
    with pytest.raises(KinshipInputError, match="only one relative can be the victim's father"):
        build_pedigree([("F1", "father"), ("F2", "father")])


def test_result_describes_the_pedigree():
    table = FrequencyTable("Korean", {"M": {10: 0.5, 11: 0.5}})
    result = kinship_lr({"M": "10/11"}, [Relative.of("S", "son", {"M": "10/11"})], table)
    assert result.describe() == (
        "H1: the specimen is V; H2: the specimen is unrelated (population Korean, theta 0, "
        "mutation none, 1 informative markers)",
        "V: victim (male, typed, founder)",
        "V:partner: untyped other parent of V's children (female, untyped, founder)",
        "S: son (male, typed, child of V and V:partner)",
    )
    assert result.typed_relatives == ("S",)
