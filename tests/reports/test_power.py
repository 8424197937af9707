"""`chosei power`: simulated sensitivity and false-positive rate, exact where checkable."""

from __future__ import annotations

import json
from typing import Any

import pytest

from chosei.donor_lines import MOIS_ELIGIBLE
from chosei.models import AlleleFrequency, ConsentEvent, Genotype, HaplotypeCount, Relative, Sample, Specimen, Victim
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
    # Importance sampling: each victim draw at or above 10,000 adds at most 1/10,000.
    assert 0 < v["false_positive_rate"] <= v["sensitivity"] / 10_000


def test_a_sons_son_on_autosomal_markers_alone_rarely_does(store, cli) -> None:
    store("son's son")
    v = _victim(cli, "--simulations", "200", "--seed", "1942", "--autosomal-only")
    assert v["sensitivity"] <= 0.1
    assert v["false_positive_rate"] <= v["sensitivity"] / 10_000


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
    assert by_id["V-3"]["notes"] == [
        "no usable reference: no typed relative with an active consent for analysis"]
    out = cli("power", "--simulations", "50", "--seed", "9", "--population", "KR").stdout
    assert "Expected identifiable victims (sum of sensitivities):" in out
    assert "JP        0.0 of 2 (1 with usable references)" in out


def test_a_victim_whose_nationality_has_no_table_uses_the_table_match_would(sqlite_url: str,
                                                                            cli) -> None:
    """As `match run`: the victim's nationality's table, else the store's only one."""
    fill(sqlite_url, _two_victims)
    v = _power(cli, "V-2", "--simulations", "10", "--seed", "1")["victims"][0]
    assert (v["population"], v["lines"]) == ("KR", ["autosomal"])


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


def test_false_positives_by_importance_sampling_match_the_exact_tail(store, cli) -> None:
    # Son 12/13 and 13/14 (p10..17 as in powercase; no mutation). Unrelated LR >= 8 only for
    # V = 12/12 (LR 2.5) and 14/14 (LR 1/(2·0.15) = 3.33): P = 0.04 · 0.0225 = 0.0009. The
    # estimate uses the victim draws, P_V = 0.1 · 0.075, each weighted 1/8.33.
    store("son", markers=2)
    v = _victim(cli, "--simulations", "40000", "--seed", "5", "--threshold", "8", "--mutation", "none",
                "--no-recruit")
    assert v["false_positive_rate"] == pytest.approx(0.0009, abs=1.6e-4)
    assert v["false_positive_se"] == pytest.approx(0.0009 * (0.9925 / (40000 * 0.0075)) ** 0.5, rel=0.15)
    assert v["sensitivity"] == pytest.approx(0.0075, abs=0.0015)


def _specimens(*typed: tuple[str, ...]) -> tuple[Any, ...]:
    rows: list[Any] = []
    for i, markers in enumerate(typed, 1):
        rows += [Specimen(id=f"SP-{i}"), Sample(id=f"SS-{i}", specimen_id=f"SP-{i}", status="profiled")]
        rows += [Genotype(sample_id=f"SS-{i}", marker=m, allele1="12", allele2="13") for m in markers]
    return tuple(rows)


def test_the_remains_are_as_degraded_as_the_real_specimens(store, cli) -> None:
    # One specimen typed at D3S1358, one at vWA only: a simulated bone shows D3S1358 half
    # the time, so the one-marker figures above halve: 0.45 → 0.225, 0.2025 → 0.10125.
    store("son", markers=1, extra=_specimens(("D3S1358",), ("vWA",)))
    data = _power(cli, "V-1", "--simulations", "20000", "--seed", "5", "--threshold", "1.9", "--no-recruit")
    assert data["specimen_quality"] == {"specimens": 2, "y_share": 0.0, "mt_share": 0.0,
                                        "marker_share": {"D3S1358": 0.5, "vWA": 0.5}, "partial_share": {}}
    v = data["victims"][0]
    assert v["sensitivity"] == pytest.approx(0.225, abs=0.015)
    assert v["false_positive_rate"] == pytest.approx(0.10125, abs=0.01)
    assert data["false_candidates"]["specimens"] == 2
    assert data["false_candidates"]["expected"] == pytest.approx(2 * v["false_positive_rate"])


def test_power_reads_the_consensus_genotype_match_reads(store, cli) -> None:
    # Two samples of the son: 12/- and 13/- merge into 12/13 (`profiles`), which is what
    # the one-marker figures above assume; the old reader took one sample and saw 13/-.
    store("son", markers=0, extra=(
        Sample(id="S-2", relative_id="R-1", status="profiled"),
        Genotype(sample_id="S-1", marker="D3S1358", allele1="12", allele2=None),
        Genotype(sample_id="S-2", marker="D3S1358", allele1="13", allele2=None)))
    v = _victim(cli, "--simulations", "20000", "--seed", "5", "--threshold", "1.9", "--no-recruit")
    assert v["sensitivity"] == pytest.approx(0.45, abs=0.015)


def test_whom_to_recruit_next(sqlite_url: str, cli) -> None:
    fill(sqlite_url, _two_victims)
    data = _power(cli, "--simulations", "300", "--seed", "9", "--population", "KR")
    by_id = {v["victim_id"]: v for v in data["victims"]}
    son = by_id["V-1"]["recruit"]
    assert "son" not in [k for o in son for k in o["relationships"]]  # typed already
    assert [o["gain"] for o in son] == sorted((o["gain"] for o in son), reverse=True)
    nobody = {tuple(o["relationships"]): o for o in by_id["V-3"]["recruit"]}
    assert set(nobody) == {*((k,) for k in MOIS_ELIGIBLE), ("brother's son", "sister's son")}
    # On the 23 markers typed in the case, a son or daughter of a victim with nobody typed
    # almost always identifies him; a nephew alone rarely; two nephews do better than one.
    assert nobody[("son",)]["sensitivity"] >= 0.95
    assert nobody[("brother's son",)]["sensitivity"] <= 0.1
    assert nobody[("brother's son", "sister's son")]["sensitivity"] > nobody[("brother's son",)]["sensitivity"]
    assert by_id["V-3"]["sensitivity"] is None
    out = cli("power", "--simulations", "100", "--seed", "9", "--population", "KR").stdout
    assert "Whom to recruit next (victims below 0.5: a recorded relative if one gains, else the best kind; " in out


def test_a_recruits_gain_matches_the_hand_derived_value(sqlite_url: str, cli) -> None:
    # One marker, alleles A and B at 0.5. V-2 has nobody typed, so his genotype is drawn
    # from Hardy-Weinberg; a son shares one of his alleles: LR(son h | V g) = P(h|g)/P(h).
    # V = AA (0.25): the son is AA with 1/2 (LR 0.5/0.25 = 2) or AB (LR 1); V = AB: LR 1
    # whatever the son; BB as AA. So P(LR >= 1.9) = 0.25 + 0.25 = 0.5 times 1/2 = 0.25.
    # A brother (κ 1/4, 1/2, 1/4): P(AA | AA) = 1/4·1/4 + 1/2·1/2 + 1/4 = 0.5625, LR 2.25, the
    # only pair at or above 1.9 (V = AB gives at most 1.25): 2 · 0.25 · 0.5625 = 0.28125.
    fill(sqlite_url, lambda: [
        AlleleFrequency(population="KR", marker="TH01", allele=a, frequency=0.5) for a in ("8", "9")] + [
        Victim(id="V-1", nationality="KR", name_hangul="가상인", sex="M"),
        Relative(id="R-1", victim_id="V-1", relationship="son"),
        ConsentEvent(relative_id="R-1", scope="analysis"),
        Sample(id="S-1", relative_id="R-1", status="profiled"),
        Genotype(sample_id="S-1", marker="TH01", allele1="8", allele2="9"),
        Victim(id="V-2", nationality="KR", name_hangul="가상이", sex="M")])
    v = _power(cli, "V-2", "--simulations", "40000", "--seed", "3", "--threshold", "1.9")["victims"][0]
    options = {tuple(o["relationships"]): o["sensitivity"] for o in v["recruit"]}
    assert options[("son",)] == pytest.approx(0.25, abs=0.01)
    assert options[("daughter",)] == pytest.approx(0.25, abs=0.01)
    assert options[("brother",)] == pytest.approx(0.28125, abs=0.01)


def test_drop_out_as_often_as_in_the_real_specimens(store, cli) -> None:
    # Both specimens typed at D3S1358, one of them 12/-: half the results are partial. The
    # heterozygosity is 1 - Σp² = 0.84, so a simulated heterozygote loses its longer allele
    # with 0.5 / 0.84. At 1.9 only 12/12 (0.1), 13/13 (0.125) and a 12/13 that kept both
    # (0.225 · 0.34/0.84) pass: 12/- gives LR 0.6/0.36 = 1.67. Sensitivity 0.3161; false
    # positives (weights of the full genotype) 0.04 + 0.0625 + 0.1 · 0.34/0.84 = 0.1430.
    store("son", markers=1, extra=(
        Specimen(id="SP-1"), Sample(id="SS-1", specimen_id="SP-1", status="profiled"),
        Genotype(sample_id="SS-1", marker="D3S1358", allele1="12", allele2=None),
        Specimen(id="SP-2"), Sample(id="SS-2", specimen_id="SP-2", status="profiled"),
        Genotype(sample_id="SS-2", marker="D3S1358", allele1="12", allele2="13")))
    data = _power(cli, "V-1", "--simulations", "40000", "--seed", "5", "--threshold", "1.9", "--no-recruit",
                  "--mutation", "none")
    assert data["specimen_quality"]["partial_share"] == {"D3S1358": 0.5}
    v = data["victims"][0]
    assert v["sensitivity"] == pytest.approx(0.225 + 0.225 * 0.34 / 0.84, abs=0.01)
    assert v["false_positive_rate"] == pytest.approx(0.04 + 0.0625 + 0.1 * 0.34 / 0.84, abs=0.01)
