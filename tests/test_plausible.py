"""The plausibility rules as pure functions, with hand-checked numbers."""

from __future__ import annotations

import pytest

from chosei.plausible import (
    relationship_shape,
    relative_birth_window,
    script_problem,
    victim_age_problem,
    victim_birth_years,
)
from chosei.vocab import RELATIONSHIP


def test_every_relationship_term_has_its_shape() -> None:
    assert {c for c in RELATIONSHIP.codes if relationship_shape(c) is None} == {"spouse", "other"}


@pytest.mark.parametrize(("relationship", "shape"), [
    ("son", (0, 1, "M")), ("daughter", (0, 1, "F")), ("father", (1, 0, "M")), ("sister", (1, 1, "F")),
    ("half-brother (maternal)", (1, 1, "M")), ("son's daughter", (0, 2, "F")),
    ("brother's son's son", (1, 3, "M")), ("father's brother", (2, 1, "M")),
    ("mother's sister's daughter", (2, 2, "F")), ("father's father's mother", (3, 0, "F")),
    ("spouse", None), ("other", None), (None, None),
])
def test_a_relationship_path_gives_generations_up_down_and_sex(relationship, shape) -> None:
    assert relationship_shape(relationship) == shape


@pytest.mark.parametrize(
    ("birth", "age", "fits"),
    [
        ("1915", 25, True), ("1915", 28, True), ("1915", 24, False), ("1915", 29, False),
        ("1915-03", 25, True), ("1915-03", 27, True), ("1915-03", 28, False),  # 26 then
        ("1915-02-03", 28, True), ("1915-02-03", 29, False),  # 27 on the day
        ("1935", 40, False),
    ],
)
def test_age_at_death_fits_the_birth_date_give_or_take_a_year(birth: str, age: int, fits: bool) -> None:
    assert (victim_age_problem(birth, age) is None) is fits


@pytest.mark.parametrize(
    ("up", "down", "window"),
    [
        (0, 1, (1927, 1943)),   # son: from 12 years after the victim, conceived by 1942
        (0, 2, (1939, 2013)),   # son's son: 1915 + 24 up to 1943 + 70
        (1, 0, (1845, 1903)),   # father: 70 to 12 years before the victim
        (1, 1, (1857, 1973)),   # brother: via the parents' window
        (1, 2, (1869, 2043)),   # brother's son
    ],
)
def test_the_generations_bound_a_relatives_birth(up: int, down: int, window: tuple[int, int]) -> None:
    assert relative_birth_window(up, down, victim_birth_years("1915-05-01", None)) == window


def test_without_a_birth_date_the_age_or_the_era_bounds_the_victim() -> None:
    assert victim_birth_years(None, 27) == (1914, 1915)
    assert victim_birth_years(None, None) == (1850, 1942)


@pytest.mark.parametrize(
    ("text", "script", "problem"),
    [
        ("김 정웅", "hangul", None),
        ("金本 正雄", "japanese", None), ("かねもと", "japanese", None), ("佐々木", "hanja", None),
        ("カネモト・マサオ", "kana", None), ("Kim Chŏng-ung", "latin", None),
        ("Lee", "hangul", "'Lee' is not written in hangul ('L' is Latin): put each spelling in "
                          "the field of its script"),
        ("金本まさお", "hanja", "'金本まさお' is not written in hanja (Chinese characters) ('ま' "
                              "is kana): put each spelling in the field of its script"),
        ("김", "latin", "'김' is not written in Latin letters ('김' is hangul): put each "
                        "spelling in the field of its script"),
    ],
)
def test_a_name_field_holds_its_script(text: str, script: str, problem: str | None) -> None:
    assert script_problem(text, script) == problem
