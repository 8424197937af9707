"""`chosei power`: simulated sensitivity and false-positive rate, exact where checkable."""

from __future__ import annotations

import json
from typing import Any

import pytest

from chosei.models import ConsentEvent, Genotype, HaplotypeCount, Relative, Sample, Victim
from tests.reports.minicase import fill
from tests.reports.powercase import power_rows


def _power(cli, *args: str) -> dict[str, Any]:
    return json.loads(cli("power", *args, "--json").stdout)


def _victim(cli, *args: str) -> dict[str, Any]:
    return _power(cli, "V-1", *args)["victims"][0]


@pytest.fixture
def store(sqlite_url: str):
    def _fill(relationship: str, **kw: Any) -> str:
        fill(sqlite_url, lambda: power_rows(relationship, **kw))
        return sqlite_url
    return _fill


def test_a_son_with_23_markers_almost_always_reaches_10000(store, cli) -> None:
    store("son")
    v = _victim(cli, "--simulations", "200", "--seed", "1942")
    assert v["markers"] == 23
    assert v["lines"] == ["autosomal"]
    assert v["sensitivity"] >= 0.95
    assert v["false_positive_rate"] == 0.0


def test_a_sons_son_on_autosomal_markers_alone_rarely_does(store, cli) -> None:
    store("son's son")
    v = _victim(cli, "--simulations", "200", "--seed", "1942", "--autosomal-only")
    assert v["sensitivity"] <= 0.1
    assert v["false_positive_rate"] == 0.0


def test_the_conditional_draw_is_exact_at_one_marker(store, cli) -> None:
    # Son 12/13, p12 = 0.2, p13 = 0.25. LR of the victim's genotype: 12/12 2.5, 13/13 2,
    # 12/13 2.25, 12/x 1.25, 13/x 1. P(V = g | son) = LR(g)·P(g): 0.1, 0.125, 0.225,
    # 0.275, 0.275. So P(LR >= 1.9 | V) = 0.45 and P(LR >= 1.9 | unrelated) = 0.04 +
    # 0.0625 + 0.1 = 0.2025; P(LR >= 1.1 | V) = 0.725.
    store("son", markers=1)
    hi = _victim(cli, "--simulations", "20000", "--seed", "5", "--threshold", "1.9")
    assert hi["sensitivity"] == pytest.approx(0.45, abs=0.015)
    assert hi["false_positive_rate"] == pytest.approx(0.2025, abs=0.015)
    lo = _victim(cli, "--simulations", "20000", "--seed", "5", "--threshold", "1.1")
    assert lo["sensitivity"] == pytest.approx(0.725, abs=0.015)


def test_the_same_seed_gives_the_same_figures(store, cli) -> None:
    store("brother")
    first = _power(cli, "--simulations", "300", "--seed", "11")
    assert first == _power(cli, "--simulations", "300", "--seed", "11")
    assert first["settings"]["seed"] == 11
    other = _power(cli, "--simulations", "300", "--seed", "12")
    assert other["victims"][0]["sensitivity"] != first["victims"][0]["sensitivity"]
    # One victim alone gets the figures it gets in the whole case.
    alone = _power(cli, "V-1", "--simulations", "300", "--seed", "11")
    assert alone["victims"] == first["victims"]


Y_HAPLOTYPE = {"DYS19": "14", "DYS390": "23", "DYS391": "10", "DYS392": "13",
               "DYS393": "12", "DYS385": ("11", "14")}


def _y_rows() -> list[Any]:
    rows: list[Any] = [Genotype(sample_id="S-1", marker=m, allele1=v if isinstance(v, str)
                                else v[0], allele2=None if isinstance(v, str) else v[1])
                       for m, v in Y_HAPLOTYPE.items()]
    # A database of 500 men: none carries the family's haplotype.
    for i in range(50):
        rows.append(HaplotypeCount(
            population="KR", kind="Y", count=10,
            haplotype=f"DYS19={13 + i % 4};DYS385=12,{13 + i % 5};DYS390={22 + i % 3};"
                      f"DYS391={9 + i % 2};DYS392={11 + i % 3};DYS393={12 + i % 2}"))
    return rows


def test_the_y_line_lifts_a_sons_son(store, cli) -> None:
    store("son's son", extra=tuple(_y_rows()))
    v = _victim(cli, "--simulations", "400", "--seed", "3")
    assert v["lines"] == ["autosomal", "Y"]
    assert v["references"][0]["Y"] is True
    assert v["autosomal_sensitivity"] <= 0.1
    # 1 / (Clopper-Pearson upper bound for 0 of 500) = 136: an autosomal LR of 74 suffices.
    assert v["sensitivity"] > v["autosomal_sensitivity"] + 0.1
    assert v["false_positive_rate"] == 0.0


def test_a_line_without_a_database_is_left_out_and_said(store, cli) -> None:
    store("son's son", extra=tuple(r for r in _y_rows() if isinstance(r, Genotype)))
    v = _victim(cli, "--simulations", "50", "--seed", "3")
    assert v["lines"] == ["autosomal"]
    assert "no Y reference database for the population: Y line left out" in v["notes"]


def _two_victims() -> list[Any]:
    rows = power_rows("son")
    rows += [
        Victim(id="V-2", nationality="JP", name_japanese="架空一郎", sex="M"),
        Relative(id="R-2", victim_id="V-2", relationship="brother's son"),
        ConsentEvent(relative_id="R-2", scope="analysis"),
        Sample(id="S-2", relative_id="R-2", status="profiled"),
        Genotype(sample_id="S-2", marker="TH01", allele1="12", allele2="13"),
        Victim(id="V-3", nationality="JP", name_japanese="架空二郎", sex="M"),
    ]
    return rows


def test_whole_case_sums_sensitivities_by_nationality(sqlite_url: str, cli) -> None:
    fill(sqlite_url, _two_victims)
    data = _power(cli, "--simulations", "200", "--seed", "9", "--population", "KR")
    by_id = {v["victim_id"]: v for v in data["victims"]}
    assert data["expected_identifiable"]["KR"] == pytest.approx(by_id["V-1"]["sensitivity"])
    assert data["expected_identifiable"]["JP"] == pytest.approx(by_id["V-2"]["sensitivity"])
    assert data["with_references"] == {"KR": 1, "JP": 1, "total": 2}
    assert data["victim_count"] == {"KR": 1, "JP": 2, "total": 3}
    assert by_id["V-3"]["sensitivity"] is None
    assert by_id["V-3"]["notes"] == ["no usable reference: no profiled relative with consent"]
    out = cli("power", "--simulations", "50", "--seed", "9", "--population", "KR").stdout
    assert "Expected identifiable victims (sum of sensitivities):" in out
    assert "JP        0.0 of 2 (1 with usable references)" in out


def test_a_victim_whose_nationality_has_no_table_needs_population(sqlite_url: str,
                                                                  cli) -> None:
    fill(sqlite_url, _two_victims)
    result = cli("power", "V-2", "--simulations", "10", expect=1)
    assert result.stderr.startswith(
        "Error: no allele frequency table is named after victim V-2's nationality (JP); "
        "give --population (the store has: KR)")


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["V-1", "--population", "XX"], 1,
         "no allele frequency table for population 'XX'; the store has: KR"),
        (["V-1", "--simulations", "0"], 1, "--simulations must be between 1 and 1,000,000"),
        (["V-1", "--threshold", "0"], 1, "--threshold must be a likelihood ratio of at least 1, not 0"),
        (["V-1", "--mutation", "jumpy"], 1,
         "--mutation 'jumpy' is unknown; choose one of: none, equal, proportional, stepwise"),
        (["V-1", "--mutation", "none", "--mutation-rate", "0.01"], 1,
         "--mutation-rate needs a mutation model; add e.g. --mutation stepwise"),
        (["V-9"], 3, "no victim with ID 'V-9'"),
    ],
    ids=["population", "simulations", "threshold", "mutation", "rate-without-model", "victim"],
)
def test_bad_arguments(store, cli, args: list[str], code: int, message: str) -> None:
    store("son", markers=2)
    result = cli("power", *args, expect=code)
    assert result.stderr.startswith(f"Error: {message}")


def test_one_victim_in_text(store, cli) -> None:
    store("son", markers=5)
    out = cli("power", "V-1", "--simulations", "100", "--seed", "1").stdout
    assert "reference R-1: son (5 autosomal markers)" in out
    assert "Sensitivity, P(LR >= 10,000 | the remains are V-1):" in out
