"""`chosei coverage`: the relationship table applied to a store, on both backends."""

from __future__ import annotations

import json
from typing import Any

import pytest

from chosei.models import ConsentEvent, Genotype, Relative, Sample, Victim
from chosei.vocab import RELATIONSHIP
from tests.reports.minicase import fill
from tests.reports.test_lineage import EXPECTED

TERMS = RELATIONSHIP.codes


def _one_victim_per_term() -> list[Any]:
    """Victim V-nn has one profiled, consenting relative of the nn-th kind."""
    rows: list[Any] = []
    for i, term in enumerate(TERMS, start=1):
        vid, rid = f"V-{i:02d}", f"R-{i:02d}"
        rows += [
            Victim(id=vid, nationality="KR" if i % 2 else "JP", name_hangul=f"희생자{i}",
                   sex="M"),
            Relative(id=rid, victim_id=vid, relationship=term),
            ConsentEvent(relative_id=rid, scope="analysis", date="2025-09-01"),
        ]
        # Half are `profiled`, half are still `extracted`: the genotype rows count.
        status = "profiled" if i % 2 else "extracted"
        rows.append(Sample(id=f"S-{i:02d}", relative_id=rid, type="saliva", status=status))
        rows.append(Genotype(sample_id=f"S-{i:02d}", marker="TH01", allele1="6", allele2="9"))
    return rows


def _coverage(cli) -> dict[str, Any]:
    return json.loads(cli("coverage", "--json").stdout)


@pytest.fixture
def per_term(db_url: str) -> str:
    fill(db_url, _one_victim_per_term)
    return db_url


def test_each_term_covers_its_lines(per_term: str, cli) -> None:
    data = _coverage(cli)
    got = {TERMS[int(r["victim_id"][2:]) - 1]: {line for line, ids in r["lines"].items() if ids}
           for r in data["victims"]}
    assert got == EXPECTED
    v01 = data["victims"][0]
    assert v01["lines"] == {"close": ["R-01"], "distant": [], "Y": ["R-01"], "mt": []}


def test_uncovered_victims_are_the_distant_only_and_the_unrelated(per_term: str, cli) -> None:
    data = _coverage(cli)
    uncovered = {TERMS[int(r["victim_id"][2:]) - 1] for r in data["uncovered"]}
    assert uncovered == {"half-sister (paternal)", "son's daughter", "daughter's son",
                         "daughter's daughter", "brother's daughter", "spouse", "other"}
    by_line = {r["line"]: r["total"] for r in data["summary"]}
    assert by_line == {"close": 6, "distant": 12, "Y": 6, "mt": 7, "uncovered": 7}


def _store(db_url: str, *rows: Any) -> None:
    fill(db_url, lambda: [
        Victim(id="V-1", nationality="KR", name_hangul="박<b>철</b>", sex="M",
               domicile="함경남도 함흥"),
        *rows,
    ])


def _typed(sample_id: str) -> Genotype:
    return Genotype(sample_id=sample_id, marker="TH01", allele1="6", allele2="9")


def _son(*, consent: str | None, status: str) -> list[Any]:
    rows: list[Any] = [Relative(id="R-1", victim_id="V-1", relationship="son"),
                       Sample(id="S-1", relative_id="R-1", status=status)]
    if status == "profiled":
        rows.append(_typed("S-1"))
    if consent:
        rows.append(ConsentEvent(relative_id="R-1", scope="analysis", date="2025-09-01"))
        if consent != "active":
            rows.append(ConsentEvent(relative_id="R-1", scope="analysis", event="withdrawn",
                                     date="2025-10-01"))
    return rows


@pytest.mark.parametrize(
    ("consent", "status", "covered"),
    [
        ("active", "collected", []),
        ("withdrawn", "profiled", []),
        (None, "profiled", []),
        ("active", "profiled", ["close", "Y"]),
    ],
    ids=["collected-not-profiled", "consent-withdrawn", "no-consent", "profiled"],
)
def test_only_usable_references_cover(db_url: str, cli, consent: str | None, status: str,
                                      covered: list[str]) -> None:
    _store(db_url, *_son(consent=consent, status=status))
    row = _coverage(cli)["victims"][0]
    assert [line for line, ids in row["lines"].items() if ids] == covered


def test_a_sample_marked_profiled_without_genotypes_covers_nothing(db_url: str, cli) -> None:
    _store(db_url,
           Relative(id="R-1", victim_id="V-1", relationship="son"),
           ConsentEvent(relative_id="R-1", scope="analysis", date="2025-09-01"),
           Sample(id="S-1", relative_id="R-1", status="profiled"))
    assert [line for line, ids in _coverage(cli)["victims"][0]["lines"].items() if ids] == []
    family = {r["stage"]: r["KR"] for r in json.loads(cli("status", "--json").stdout)["family_stage"]}
    assert (family["reference profiled"], family["reference collected"]) == (0, 1)


def test_a_brothers_son_covers_usefully_by_the_y_line(db_url: str, cli) -> None:
    _store(db_url,
           Relative(id="R-1", victim_id="V-1", relationship="brother's son"),
           ConsentEvent(relative_id="R-1", scope="analysis"),
           Sample(id="S-1", relative_id="R-1", status="profiled"), _typed("S-1"),
           Relative(id="R-2", victim_id="V-1", relationship="sister"))
    data = _coverage(cli)
    row = data["victims"][0]
    assert row["useful"] is True  # a brother's son brings the Y line
    assert data["uncovered"] == []


def test_distant_only_victim_is_listed_with_the_north_flag(db_url: str, cli) -> None:
    _store(db_url,
           Relative(id="R-1", victim_id="V-1", relationship="brother's daughter"),
           ConsentEvent(relative_id="R-1", scope="analysis"),
           Sample(id="S-1", relative_id="R-1", status="profiled"), _typed("S-1"),
           Relative(id="R-2", victim_id="V-1", relationship="sister"))
    [row] = _coverage(cli)["uncovered"]
    assert row["northern"] is True
    assert row["covered"] == ["distant"]
    assert [(k["relationship"], k["lines"], k["known"]) for k in row["recruit"][:4]] == [
        ("brother", ["close", "Y", "mt"], []),
        ("son", ["close", "Y"], []),
        ("sister", ["close", "mt"], ["R-2"]),
        ("daughter", ["close"], []),
    ]


def test_text_output_flags_the_north_and_names_the_recruits(db_url: str, cli) -> None:
    _store(db_url)
    out = cli("coverage", "--uncovered").stdout
    assert "Not covered usefully: 1 victim(s)" in out
    assert "▲" in out
    assert "brother (close+Y+mt); son (close+Y)" in out
