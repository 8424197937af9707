"""`chosei coverage`: the relationship table applied to a store, on both backends."""

from __future__ import annotations

import json
from typing import Any

import pytest

from chosei.models import ConsentEvent, Genotype, Relative, Sample, Victim
from chosei.vocab import RELATIONSHIP
from tests.reports.minicase import fill
from tests.reports.test_donor_lines import EXPECTED

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
        # Half are `profiled`, half are still `extracted`: the genotype rows count; every
        # one is typed for Y-STRs and mtDNA, so the relationship alone decides.
        status = "profiled" if i % 2 else "extracted"
        rows.append(Sample(id=f"S-{i:02d}", relative_id=rid, type="saliva", status=status))
        rows.append(Genotype(sample_id=f"S-{i:02d}", marker="TH01", allele1="6", allele2="9"))
        rows += [Genotype(sample_id=f"S-{i:02d}", marker="DYS19", allele1="15"),
                 Genotype(sample_id=f"S-{i:02d}", marker="mtDNA", allele1="16223T")]
    return rows


def test_a_line_is_credited_only_when_typed_for_it(db_url: str, cli) -> None:
    """A brother typed for autosomal STRs alone covers the close line, not Y or mt;
    typed for Y-STRs he adds Y; a sister's son typed for mtDNA adds mt."""
    fill(db_url, lambda: [
        Victim(id="V-1", nationality="KR", name_hangul="희생자1", sex="M"),
        Relative(id="R-1", victim_id="V-1", relationship="brother"),
        ConsentEvent(relative_id="R-1", scope="analysis", date="2025-09-01"),
        Sample(id="S-1", relative_id="R-1", type="saliva", status="profiled"),
        Genotype(sample_id="S-1", marker="TH01", allele1="6", allele2="9"),
        Victim(id="V-2", nationality="KR", name_hangul="희생자2", sex="M"),
        Relative(id="R-2", victim_id="V-2", relationship="brother"),
        ConsentEvent(relative_id="R-2", scope="analysis", date="2025-09-01"),
        Sample(id="S-2", relative_id="R-2", type="saliva", status="profiled"),
        Genotype(sample_id="S-2", marker="DYS19", allele1="15"),
        Relative(id="R-3", victim_id="V-2", relationship="sister's son"),
        ConsentEvent(relative_id="R-3", scope="analysis", date="2025-09-01"),
        Sample(id="S-3", relative_id="R-3", type="saliva", status="profiled"),
        Genotype(sample_id="S-3", marker="mtDNA", allele1="16223T"),
    ])
    rows = {r["victim_id"]: r["lines"] for r in _coverage(cli)["victims"]}
    assert rows == {"V-1": {"close": ["R-1"], "distant": [], "Y": [], "mt": []},
                    "V-2": {"close": ["R-2"], "distant": ["R-3"], "Y": ["R-2"], "mt": ["R-3"]}}


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
                         "daughter's daughter", "brother's daughter", "spouse", "other",
                         "father's mother", "mother's father", "father's father's mother",
                         "father's sister", "father's father's sister",
                         "father's brother's son's daughter", "brother's son's daughter",
                         "son's son's daughter"}
    by_line = {r["line"]: r["total"] for r in data["summary"]}
    assert by_line == {"close": 6, "distant": 31, "Y": 14, "mt": 10, "uncovered": 15}


def test_a_path_that_is_no_term_covers_its_lines(db_url: str, cli) -> None:
    fill(db_url, lambda: [
        Victim(id="V-1", nationality="KR", name_hangul="희생자", sex="M"),
        Relative(id="R-1", victim_id="V-1", relationship="father's brother's son's son"),
        Relative(id="R-2", victim_id="V-1", relationship="mother's sister's daughter's son"),
        *[ConsentEvent(relative_id=r, scope="analysis", date="2025-09-01") for r in ("R-1", "R-2")],
        *[Sample(id=f"S-{r}", relative_id=r, type="saliva", status="profiled") for r in ("R-1", "R-2")],
        # both typed for Y-STRs and mtDNA: the path alone decides which line each brings
        *[Genotype(sample_id=f"S-{r}", marker=m, allele1=a)
          for r in ("R-1", "R-2") for m, a in (("DYS19", "15"), ("mtDNA", "16223T"))],
    ])
    lines = _coverage(cli)["victims"][0]["lines"]
    assert lines == {"close": [], "distant": ["R-1", "R-2"], "Y": ["R-1"], "mt": ["R-2"]}


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
    if status == "profiled":  # typed for Y-STRs too
        rows.append(Genotype(sample_id="S-1", marker="DYS19", allele1="15"))
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
           Sample(id="S-1", relative_id="R-1", status="profiled"),
           Genotype(sample_id="S-1", marker="DYS19", allele1="15"),
           Relative(id="R-2", victim_id="V-1", relationship="sister"))
    data = _coverage(cli)
    row = data["victims"][0]
    assert row["useful"] is True  # a brother's son typed for Y-STRs brings the Y line
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
