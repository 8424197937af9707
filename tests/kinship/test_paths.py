"""Relationship paths: the canonical form, refusals, what follows from a path, and the
one pedigree built for any set of paths."""

from __future__ import annotations

import contextlib
import itertools

import pytest

from chosei.donor_lines import MT, Y, lines_for
from chosei.kinship import build_pedigree
from chosei.kinship.errors import KinshipInputError
from chosei.kinship.lineage import mt_line_meioses, y_line_meioses
from chosei.kinship.paths import MAX_STEPS, STEPS, canonical, parse_path, path_of


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Brother’s  son 's Son", "brother's son's son"),
        ("half brother ( paternal )'s son", "half-brother (paternal)'s son"),
        ("paternal half-sister's daughter", "half-sister (paternal)'s daughter"),
        ("FATHER'S BROTHER'S SON'S SON", "father's brother's son's son"),
        ("mother's mother's sister", "mother's mother's sister"),
        ("son", "son"),
        (" Spouse ", "spouse"),
        ("other", "other"),
    ],
)
def test_canonical_forms(text: str, expected: str) -> None:
    assert canonical(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("brother's father",
         "relationship \"brother's father\" walks back: `brother's father` is `father`"),
        ("father's brother's father",
         "relationship \"father's brother's father\" walks back: `father's brother's father` is "
         "`father's father`"),
        ("son's mother",
         "relationship \"son's mother\" walks back: `son's mother` is the victim's wife, who shares "
         "no DNA: use `spouse`"),
        ("son's father", "relationship \"son's father\" walks back: `son's father` is the victim himself"),
        ("brother's son's father",
         "relationship \"brother's son's father\" walks back: `brother's son's father` is `brother`"),
        ("brother's son's mother",
         "relationship \"brother's son's mother\" walks back: `brother's son's mother` is the wife of "
         "`brother`, who shares no DNA with the victim"),
        ("son's brother", "relationship \"son's brother\" walks back: `son's brother` is `son`"),
        ("son's half-brother (maternal)",
         "relationship \"son's half-brother (maternal)\" walks back: `son's half-brother (maternal)` is "
         "a child of the victim's wife by another man, who shares no DNA with the victim"),
        ("brother's brother", "relationship \"brother's brother\" walks back: `brother's brother` is `brother`"),
        ("sister's half-sister (maternal)",
         "relationship \"sister's half-sister (maternal)\" walks back: `sister's half-sister (maternal)` "
         "is `half-sister (maternal)`"),
        ("half-brother (paternal)'s half-brother (maternal)",
         "relationship \"half-brother (paternal)'s half-brother (maternal)\" walks back: "
         "`half-brother (paternal)'s half-brother (maternal)` does not say which parent the two share "
         "with the victim; write the path from the victim"),
        ("half-brother (paternal)'s mother",
         "relationship \"half-brother (paternal)'s mother\" walks back: `half-brother (paternal)'s "
         "mother` is the mother of a half-sibling, who shares no DNA with the victim"),
        ("father's son's son",
         "relationship \"father's son's son\" walks back: `father's son` is `brother` or "
         "`half-brother (paternal)`: write which"),
        ("son's brother's father",
         "relationship \"son's brother's father\" walks back: `son's brother` is `son`"),
        ("mother's daughter",
         "relationship \"mother's daughter\" walks back: `mother's daughter` is `sister` or "
         "`half-sister (maternal)`: write which"),
    ],
)
def test_walking_back_is_refused_with_the_short_form_or_why(text: str, message: str) -> None:
    with pytest.raises(KinshipInputError) as err:
        parse_path(text)
    assert str(err.value) == message


def test_too_long() -> None:
    assert MAX_STEPS == 8
    assert parse_path("'s ".join(["son"] * 8)).degree == 8
    with pytest.raises(KinshipInputError) as err:
        parse_path("'s ".join(["son"] * 9))
    assert str(err.value) == (
        "relationship \"son's son's son's son's son's son's son's son's son\" has 9 steps; "
        "a path has at most 8"
    )


@pytest.mark.parametrize(("text", "step"), [("brother's nephew", "nephew"), ("son's", "(nothing)")])
def test_unknown_step(text: str, step: str) -> None:
    with pytest.raises(KinshipInputError) as err:
        parse_path(text)
    assert str(err.value) == (
        f"relationship {text!r}: {step!r} is not a step; a path joins father, mother, son, "
        "daughter, brother, sister, half-brother (paternal|maternal) and half-sister "
        "(paternal|maternal) with 's, e.g. brother's son's son"
    )


@pytest.mark.parametrize(
    ("text", "sex", "generations", "degree", "kappa1", "y", "mt"),
    [
        ("father", "M", 1, 1, 1.0, True, False),
        ("brother", "M", 0, 1, 0.5, True, True),
        ("half-sister (maternal)", "F", 0, 2, 0.5, False, True),
        ("father's brother", "M", 1, 2, 0.5, True, False),
        ("father's brother's son", "M", 0, 3, 0.25, True, False),
        ("father's sister's son", "M", 0, 3, 0.25, False, False),
        ("mother's sister's daughter", "F", 0, 3, 0.25, False, True),
        ("mother's sister's son", "M", 0, 3, 0.25, False, True),
        ("mother's sister's son's son", "M", -1, 4, 0.125, False, False),
        ("mother's brother", "M", 1, 2, 0.5, False, True),
        ("brother's son's son", "M", -2, 3, 0.25, True, False),
        ("sister's daughter's son", "M", -2, 3, 0.25, False, True),
        ("son's son's son", "M", -3, 3, 0.25, True, False),
        ("daughter's daughter", "F", -2, 2, 0.5, False, False),
        ("half-brother (paternal)'s son", "M", -1, 3, 0.25, True, False),
        ("father's father's father", "M", 3, 3, 0.25, True, False),
    ],
)
def test_what_follows_from_a_path(text, sex, generations, degree, kappa1, y, mt) -> None:  # type: ignore[no-untyped-def]
    path = parse_path(text)
    assert (path.sex, path.generations, path.degree, path.kappa[1]) == (sex, generations, degree, kappa1)
    assert (path.y_line(), path.mt_line()) == (y, mt)


def _canonical_paths(max_len: int) -> list[str]:
    out = []
    for n in range(1, max_len + 1):
        for steps in itertools.product(STEPS, repeat=n):
            with contextlib.suppress(KinshipInputError):
                out.append(path_of(steps).text)
    return out


ALL_PATHS = _canonical_paths(3)


def test_there_are_that_many_canonical_paths() -> None:
    # 1 step: 10; 2 steps: up-up 4, up-side 12, up-down 0, side-down 12, down-down 4 = 32;
    # 3 steps: uuu 8 + uus 24 + usd 24 + sdd 24 + ddd 8 = 88
    assert len(ALL_PATHS) == 10 + 32 + 88


@pytest.mark.parametrize("victim_sex", ["M", "F"])
def test_lines_from_the_path_agree_with_the_pedigree(victim_sex: str) -> None:
    """For every canonical path of up to 3 steps, the lines `chosei.donor_lines` derives from
    the path are those `kinship.lineage` reads from the pedigree built for it."""
    disagree = []
    for text in ALL_PATHS:
        ped = build_pedigree({"R": text}, victim_sex=victim_sex)  # type: ignore[arg-type]
        on_y = y_line_meioses(ped, "R") is not None
        on_mt = mt_line_meioses(ped, "R") is not None
        lines = lines_for(text, victim_sex)
        if (Y in lines, MT in lines) != (on_y, on_mt):
            disagree.append(text)
    assert disagree == []


def test_meioses_on_the_line_are_the_path_length_through_the_shared_parent() -> None:
    ped = build_pedigree({"A": "father's brother's son", "B": "mother's sister's daughter",
                          "C": "brother's son's son"})
    assert y_line_meioses(ped, "A") == 4
    assert mt_line_meioses(ped, "B") == 4
    assert y_line_meioses(ped, "C") == 4


# --- the pedigree ------------------------------------------------------------------


def test_two_brothers_sons_are_sons_of_one_untyped_brother() -> None:
    ped = build_pedigree({"B": "brother", "N1": "brother's son", "N2": "brother's son"})
    assert ped["N1"].father == ped["N2"].father == "V:brother"
    assert ped["N1"].mother == ped["N2"].mother == "V:brother:partner"
    assert ped["B"].father == ped["V:brother"].father == "V:father"
    assert not ped["V:brother"].typed


def test_a_great_nephew_and_two_nephews_share_the_brother() -> None:
    ped = build_pedigree([("G", "brother's son's son"), ("N1", "brother's son"), ("N2", "brother's son")],
                         victim_id="V-1")
    assert ped.describe() == (
        "V-1:father: untyped father of V (male, untyped, founder)",
        "V-1:mother: untyped mother of V (female, untyped, founder)",
        "V-1: victim (male, typed, child of V-1:father and V-1:mother)",
        "V-1:brother: untyped brother of V (parent of V's brother's children) "
        "(male, untyped, child of V-1:father and V-1:mother)",
        "V-1:brother:partner: untyped other parent of V's brother's children (female, untyped, founder)",
        "V-1:brother:son: untyped brother's son of V (parent of V's brother's son's children) "
        "(male, untyped, child of V-1:brother and V-1:brother:partner)",
        "V-1:brother:son:partner: untyped other parent of V's brother's son's children "
        "(female, untyped, founder)",
        "G: brother's son's son (male, typed, child of V-1:brother:son and V-1:brother:son:partner)",
        "N1: brother's son (male, typed, child of V-1:brother and V-1:brother:partner)",
        "N2: brother's son (male, typed, child of V-1:brother and V-1:brother:partner)",
    )


def test_cousins_on_both_lines() -> None:
    ped = build_pedigree({"P": "father's brother's son", "M": "mother's sister's daughter",
                          "F": "father"})
    assert ped.ids == (
        "V:father:father", "V:father:mother", "F", "V:mother:father", "V:mother:mother",
        "V:mother", "V", "V:father:brother", "V:father:brother:partner", "P",
        "V:mother:sister", "V:mother:sister:partner", "M",
    )
    assert ped["F"].father == "V:father:father" and ped["V:father:brother"].father == "V:father:father"
    assert ped["M"].mother == "V:mother:sister" and ped["V:mother:sister"].mother == "V:mother:mother"


def test_a_half_brothers_son() -> None:
    ped = build_pedigree({"H": "half-brother (paternal)'s son", "S": "half-sister (paternal)"})
    assert ped["V:paternal-half-brother"].father == "V:father"
    assert ped["V:paternal-half-brother"].mother == ped["S"].mother == "V:father:partner"
    assert ped["H"].father == "V:paternal-half-brother"


def test_a_great_grandfather_is_one_person() -> None:
    with pytest.raises(KinshipInputError, match="^only one relative can be the victim's father's father$"):
        build_pedigree([("A", "father's father"), ("B", "Father’s father")])
    ped = build_pedigree({"A": "father's father", "U": "father's brother"})
    assert ped["V:father"].father == "A" and ped["U"].father == "A"


def test_an_unknown_single_word_lists_the_vocabulary() -> None:
    with pytest.raises(KinshipInputError) as err:
        build_pedigree({"R": "nephew"})
    assert str(err.value).endswith(
        "spouse, other, or a path of steps joined by 's such as brother's son's son"
    )
