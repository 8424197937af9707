"""The relationship → lines table, for every term of the vocabulary (docs/domain.md)."""

from __future__ import annotations

import pytest

from chosei.donor_lines import (
    MOIS_ELIGIBLE,
    RELATIONSHIP_LINES,
    lines_for,
    recruit_order,
    useful,
)
from chosei.reports.labels import Labels
from chosei.rules import FAMILY_STAGES, REMAINS_STAGES
from chosei.vocab import RELATIONSHIP

# Written out again from docs/domain.md's table and the inheritance of each marker, so a
# change to the table in chosei/donor_lines.py has to be made here too, on purpose.
EXPECTED = {
    "son": {"close", "Y"},
    "daughter": {"close"},
    "father": {"close", "Y"},
    "mother": {"close", "mt"},
    "brother": {"close", "Y", "mt"},
    "sister": {"close", "mt"},
    "half-brother (paternal)": {"distant", "Y"},
    "half-brother (maternal)": {"distant", "mt"},
    "half-sister (paternal)": {"distant"},
    "half-sister (maternal)": {"distant", "mt"},
    "son's son": {"distant", "Y"},
    "son's daughter": {"distant"},
    "daughter's son": {"distant"},
    "daughter's daughter": {"distant"},
    "brother's son": {"distant", "Y"},
    "brother's daughter": {"distant"},
    "sister's son": {"distant", "mt"},
    "sister's daughter": {"distant", "mt"},
    # kin terms that fix the line (docs/relationships.md)
    "father's father": {"distant", "Y"},
    "father's mother": {"distant"},
    "mother's father": {"distant"},
    "mother's mother": {"distant", "mt"},
    "father's father's father": {"distant", "Y"},
    "father's father's mother": {"distant"},
    "father's brother": {"distant", "Y"},
    "father's sister": {"distant"},
    "mother's brother": {"distant", "mt"},
    "mother's sister": {"distant", "mt"},
    "father's father's brother": {"distant", "Y"},
    "father's father's sister": {"distant"},
    "father's father's brother's son": {"distant", "Y"},
    "father's brother's son's son": {"distant", "Y"},
    "father's brother's son's daughter": {"distant"},
    "brother's son's son": {"distant", "Y"},
    "brother's son's daughter": {"distant"},
    "son's son's son": {"distant", "Y"},
    "son's son's daughter": {"distant"},
    "spouse": set(),
    "other": set(),
}


def test_the_table_lists_every_vocabulary_term() -> None:
    assert set(RELATIONSHIP_LINES) == set(RELATIONSHIP.codes) == set(EXPECTED)


@pytest.mark.parametrize("term", RELATIONSHIP.codes, ids=RELATIONSHIP.codes)
def test_lines_of_each_term(term: str) -> None:
    assert lines_for(term) == EXPECTED[term]


@pytest.mark.parametrize("term", ["son", "brother", "son's son"])
def test_a_female_victim_has_no_y_line(term: str) -> None:
    assert "Y" not in lines_for(term, "F")
    assert "Y" in lines_for(term, "M")


def test_children_do_not_carry_the_victims_mtdna() -> None:
    assert all("mt" not in lines_for(t) for t in ("son", "daughter", "son's son",
                                                   "daughter's son", "daughter's daughter"))


def test_a_female_victims_daughters_line_carries_her_mtdna() -> None:
    assert lines_for("daughter's daughter's son", "F") == {"distant", "mt"}
    assert lines_for("daughter's son's son", "F") == {"distant"}


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("father's brother's son", {"distant", "Y"}),
        ("mother's sister's daughter", {"distant", "mt"}),
        ("mother's brother's son", {"distant"}),
        ("half-brother (maternal)'s daughter", {"distant"}),
        ("half-sister (maternal)'s son", {"distant", "mt"}),
        ("brother's son's son's son", {"distant", "Y"}),
        ("not a path", set()),
    ],
)
def test_lines_of_any_path(path: str, expected: set[str]) -> None:
    assert lines_for(path) == expected


@pytest.mark.parametrize(
    ("covered", "expected"),
    [
        (set(), False),
        ({"distant"}, False),
        ({"Y"}, True),
        ({"mt", "distant"}, True),
        ({"close"}, True),
    ],
    ids=["nothing", "distant-only", "Y", "mt", "close"],
)
def test_useful(covered: set[str], expected: bool) -> None:
    assert useful(covered) is expected


def test_recruit_order_with_nothing_covered() -> None:
    assert recruit_order(set()) == [
        ("brother", ["close", "Y", "mt"]),
        ("son", ["close", "Y"]),
        ("sister", ["close", "mt"]),
        ("daughter", ["close"]),
        ("son's son", ["distant", "Y"]),
        ("brother's son", ["distant", "Y"]),
        ("sister's son", ["distant", "mt"]),
        ("sister's daughter", ["distant", "mt"]),
        ("brother's daughter", ["distant"]),
    ]


def test_recruit_order_when_the_y_line_and_distant_are_covered() -> None:
    # A brother's son is typed: Y and distant are there; close and mt are missing.
    assert recruit_order({"Y", "distant"}) == [
        ("brother", ["close", "mt"]),
        ("sister", ["close", "mt"]),
        ("son", ["close"]),
        ("daughter", ["close"]),
        ("sister's son", ["mt"]),
        ("sister's daughter", ["mt"]),
    ]


def test_recruit_only_from_the_mois_list() -> None:
    kinds = {kind for kind, _ in recruit_order(set())}
    assert kinds == set(MOIS_ELIGIBLE)
    assert not kinds & {"father", "mother", "spouse", "other", "daughter's son"}


def test_every_stage_has_korean_and_japanese_labels() -> None:
    assert Labels.stage_labels() == set(FAMILY_STAGES) | set(REMAINS_STAGES)
    for lang in ("ko", "ja"):
        labels = {Labels(lang).stage(s) for s in (*FAMILY_STAGES, *REMAINS_STAGES)}
        assert len(labels) == len(FAMILY_STAGES) + len(REMAINS_STAGES)
