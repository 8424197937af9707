"""`chosei match run`: hand-checkable LRs through the CLI, on both backends.

The scene (`scene.py`) pins the issue's values: parent-child AA/AA at p=0.05 and 0.1
(20 × 10 = 200), son and brother together (2.142857, not the pairwise product 3.75),
an exclusion, and Y-STR / mtDNA LRs from the pinned Clopper-Pearson bounds.
"""

from __future__ import annotations

import json
import math

import pytest

from chosei.models import Identification, MatchResult
from tests.cli.storeview import fetch, snapshot, writing
from tests.match import scene
from tests.samples_at import add_sample_at

# the defaults' frequencies (Brenner's kappa for a haplotype in no database)
KAPPA = "kappa if unseen, else counting bound; mtDNA frequency kappa if unseen, else counting bound"

NONE = "match run --dropout 0 --mutation none --threshold 100"


def _pairs(cli) -> dict[tuple[str, str], dict]:  # type: ignore[no-untyped-def]
    rows = json.loads(cli("match list --all --json").stdout, parse_constant=_no_constant)
    return {(r["specimen_id"], r["victim_id"]): r for r in rows}


def _no_constant(name: str) -> None:
    raise AssertionError(f"JSON holds {name}")


def test_pinned_lrs_through_the_cli(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    scene.build(case)
    result = cli(NONE)
    assert result.stdout.splitlines()[:5] == [
        "Matched 5 specimen(s) (5 typed sample(s)) against 3 victim(s) with typed relatives who consent "
        "to analysis",
        "Frequencies by each victim's nationality: KR for 3 victim(s); theta 0, mutation none",
        "Y-STR: published per-locus rates, rate2 1e-05, frequency " + KAPPA,
        "Prior: closed set, uniform over the N = 183 expected victims (1/183 each); open share 0 (--open); "
        "the 180 not compared count with LR 1",
        "Pairs computed: 15; exclusions (LR 0): 1; candidates (LR >= 100): 3 (3 new, 0 refreshed, 0 withdrawn)",
    ]
    assert result.stderr == ""
    pairs = _pairs(cli)
    assert len(pairs) == 15
    assert pairs["SP-001", "V-001"]["lr"] == pytest.approx(20 * 10, rel=1e-9)
    assert pairs["SP-005", "V-001"]["lr"] == pytest.approx(200, rel=1e-9)
    # son a/c and brother a/d together, specimen a/b: one pedigree, not 2.5 × 1.5 = 3.75
    assert pairs["SP-002", "V-002"]["lr"] == pytest.approx(2.142857, rel=1e-6)
    excluded = pairs["SP-003", "V-001"]
    assert (excluded["lr"], excluded["posterior"], excluded["excluded_markers"]) == (0, 0, ["D3S1358"])
    lineage = pairs["SP-004", "V-003"]
    assert (lineage["autosomal_lr"], lineage["y_lr"], lineage["mt_lr"]) == pytest.approx((1, scene.Y_LR, scene.MT_LR),
                                                                                        rel=1e-7)
    assert lineage["lr"] == pytest.approx(scene.Y_LR * scene.MT_LR, rel=1e-7)
    # nothing in common: a factor 1, and no line applies
    assert (pairs["SP-001", "V-002"]["lr"], pairs["SP-001", "V-003"]["y_lr"]) == (1, None)


def test_posterior_is_closed_set_over_the_expected_roster(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    """3 victims entered of 183 expected: SP-001 against V-001 (200), V-002 (1), V-003 (1) and
    180 victims not compared (LR 1 each): 200 / (200 + 1 + 1 + 180)."""
    scene.build(case)
    cli(NONE)
    pairs = _pairs(cli)
    assert pairs["SP-001", "V-001"]["posterior"] == pytest.approx(200 / 382, rel=1e-12)
    assert pairs["SP-001", "V-002"]["posterior"] == pytest.approx(1 / 382, rel=1e-12)
    assert pairs["SP-002", "V-002"]["posterior"] == pytest.approx(2.142857 / (2.142857 + 2 + 180), rel=1e-6)
    assert pairs["SP-003", "V-001"]["posterior"] == 0  # excluded: 0 / (0 + 1 + 1 + 180)
    for sid in ("SP-001", "SP-002", "SP-003", "SP-004", "SP-005"):
        assert sum(p["posterior"] for (s, _), p in pairs.items() if s == sid) < 1
    # an identified victim stays a candidate: a second bone of an identified man is still his
    cli("match confirm SP-001 V-001 --by board")
    result = cli(NONE)
    assert "uniform over the N = 183 expected victims (1/183 each)" in result.stdout
    assert _pairs(cli)["SP-005", "V-001"]["posterior"] == pytest.approx(200 / 382, rel=1e-12)


def test_stored_posteriors_equal_the_closed_set_formula(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    """Every stored posterior is LR / (the specimen's LRs summed + the 180 not compared), to 1e-6."""
    scene.build(case)
    cli(NONE)
    rows = fetch(case, MatchResult)
    by_specimen: dict[str, float] = {}
    for r in rows:
        by_specimen[r["specimen_id"]] = by_specimen.get(r["specimen_id"], 0.0) + r["lr"]
    assert len(rows) == 15
    for r in rows:
        assert r["posterior"] == pytest.approx(r["lr"] / (by_specimen[r["specimen_id"]] + 180), rel=1e-6, abs=1e-12)
    assert {json.loads(r["parameters"])["prior_n"] for r in rows} == {183}


def test_open_prior_keeps_a_share_for_none_of_them(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    """--open 0.01: π = 0.99/183 each; SP-001 → V-001: π·200 / (π·(200 + 1 + 1 + 180) + 0.01)."""
    scene.build(case)
    result = cli(NONE + " --open 0.01")
    assert ("Prior: closed set, uniform over the N = 183 expected victims (0.99/183 each); 0.01 for none of them "
            "(--open); the 180 not compared count with LR 1") in result.stdout
    pi = 0.99 / 183
    pairs = _pairs(cli)
    assert pairs["SP-001", "V-001"]["posterior"] == pytest.approx(pi * 200 / (pi * 382 + 0.01), rel=1e-12)
    assert {json.loads(r["parameters"])["open_prior"] for r in fetch(case, MatchResult)} == {0.01}


def test_the_prior_counts_the_expected_roster_not_the_rows(db_url: str, cli) -> None:  # type: ignore[no-untyped-def]
    """A case expecting 5: SP-001 → V-001 is 200 / (200 + 1 + 1 + 2)."""
    cli("init --name Small --expected 5 --expected-kr 5 --expected-jp 0")
    scene.build(db_url)
    assert "the 2 not compared count with LR 1" in cli(NONE).stdout
    assert _pairs(cli)["SP-001", "V-001"]["posterior"] == pytest.approx(200 / 204, rel=1e-12)


def test_more_victims_compared_than_expected_is_refused(db_url: str, cli) -> None:  # type: ignore[no-untyped-def]
    cli("init --name Small --expected 2 --expected-kr 2 --expected-jp 0")
    scene.build(db_url)
    before = snapshot(db_url)
    result = cli(NONE, expect=1)
    assert result.stderr == ("Error: 3 victims have typed relatives but the case expects only 2; the expected "
                             "roster (`chosei init --expected`) must count every victim\n")
    assert snapshot(db_url) == before


def test_candidates_are_stored_and_refreshed_but_decisions_are_kept(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    scene.build(case)
    cli(NONE)
    rows = fetch(case, Identification, order=[Identification.specimen_id])
    assert [(r["specimen_id"], r["victim_id"], r["status"]) for r in rows] == [
        ("SP-001", "V-001", "candidate"), ("SP-004", "V-003", "candidate"), ("SP-005", "V-001", "candidate")]
    assert rows[0]["method"] == "chosei match run (population KR, theta 0, mutation none)"
    cli("match reject SP-005 V-001 --by board --note 'other evidence'")
    result = cli("match run --dropout 0 --mutation none --threshold 1000")
    assert "candidates (LR >= 1,000): 1 (0 new, 0 refreshed, 1 withdrawn)" in result.stdout
    rows = fetch(case, Identification, order=[Identification.specimen_id])
    assert [(r["specimen_id"], r["victim_id"], r["status"]) for r in rows] == [
        ("SP-004", "V-003", "candidate"), ("SP-005", "V-001", "rejected")]
    assert rows[1]["notes"] == "other evidence"


def test_previous_run_is_replaced(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    scene.build(case)
    cli(NONE)
    cli("match run --dropout 0 --threshold 100")
    rows = fetch(case, MatchResult)
    assert len(rows) == 15
    params = {json.loads(r["parameters"])["mutation"] for r in rows}
    assert params == {"stepwise"}
    stepwise = next(r for r in rows if (r["specimen_id"], r["victim_id"]) == ("SP-001", "V-001"))
    assert stepwise["lr"] != pytest.approx(200, rel=1e-6)  # mutation changes the number a little
    assert stepwise["lr"] == pytest.approx(200, rel=1e-2)


def test_defaults_are_said(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    scene.build(case)
    out = cli("match run --dropout 0").stdout.splitlines()
    assert out[1] == ("Frequencies by each victim's nationality: KR for 3 victim(s); theta 0, mutation stepwise "
                      "(rate 0.002, range 0.5, rate2 0)")
    assert out[2] == "Y-STR: published per-locus rates, rate2 1e-05, frequency " + KAPPA
    # SP-004 / V-003: Y_LR x MT_LR = 18,174 at the defaults (Brenner's kappa for the unseen Y)
    assert out[4].endswith("candidates (LR >= 10,000): 1 (1 new, 0 refreshed, 0 withdrawn)")


def test_a_relative_without_consent_is_not_used(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    scene.build(case)
    cli("relative withdraw R-003 --scope analysis --on 2026-01-15")
    result = cli(NONE)
    assert result.stderr == ("Warning: relative R-003 (victim V-002) is typed but has no active consent for "
                             "analysis: not used\n")
    # the son alone: parent-child AB/AC, p(A)=0.1 → 1 / (4 × 0.1) = 2.5
    assert _pairs(cli)["SP-002", "V-002"]["lr"] == pytest.approx(2.5, rel=1e-9)
    shown = json.loads(cli("match show SP-002 V-002 --json").stdout)
    uses = {r["relative_id"]: r["use"] for r in shown["relatives"]}
    assert uses == {"R-002": "used", "R-003": "no active consent for analysis: not used"}
    text = cli("match show SP-002 V-002").stdout
    assert "R-003        brother       1 STR  -       -        no active consent for analysis: not used" in text


def test_a_victim_whose_only_relative_does_not_consent_is_not_matched(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    scene.build(case)
    cli("relative withdraw R-001 --on 2026-01-15")
    result = cli(NONE)
    assert "against 2 victim(s)" in result.stdout
    assert {v for _, v in _pairs(cli)} == {"V-002", "V-003"}
    shown = cli("match show SP-001 V-001").stdout
    assert "Note: victim V-001 has no typed relative whose DNA may be used: nothing to compare" in shown


def test_several_samples_of_a_specimen_are_merged(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    scene.build(case)
    with writing(case) as s:

        # a second extraction of SP-002: one allele lost at TH01 (agrees), vWA read (new)
        add_sample_at(s, {"id": "SS-006", "specimen_id": "SP-002", "type": "bone", "status": "profiled"})
        s.add_all(scene.genotypes("SS-006", [("TH01", "7", None), ("vWA", "10", "10")]))
        s.flush()
    cli(NONE)
    pair = _pairs(cli)["SP-002", "V-002"]
    assert pair["sample_id"] == "SS-002+SS-006"
    assert pair["lr"] == pytest.approx(2.142857, rel=1e-6)  # V-002's relatives are not typed at vWA
    assert _pairs(cli)["SP-002", "V-001"]["lr"] == pytest.approx(10, rel=1e-9)  # vWA AA/AA, p=0.1


def test_samples_that_disagree_leave_the_marker_out(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    scene.build(case)
    with writing(case) as s:

        add_sample_at(s, {"id": "SS-006", "specimen_id": "SP-001", "type": "bone", "status": "profiled"})
        s.add_all(scene.genotypes("SS-006", [("D3S1358", "10", "11")]))
        s.flush()
    result = cli(NONE)
    assert result.stderr == ("Warning: specimen SP-001: samples SS-001, SS-006 disagree at D3S1358 (10/10, "
                             "10/11); left out\n")
    assert _pairs(cli)["SP-001", "V-001"]["lr"] == pytest.approx(10, rel=1e-9)  # vWA only


def test_no_infinity_or_nan_in_json(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    scene.build(case)
    cli(NONE)
    for command in ("match list --all --json", "match list --json", "match show SP-003 --json",
                    "match show SP-003 V-001 --json"):
        json.loads(cli(command).stdout, parse_constant=_no_constant)
    rows = json.loads(cli("match list --all --json").stdout)
    assert all(isinstance(r["lr"], int | float) and math.isfinite(r["lr"]) for r in rows)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param("--population JP", "no allele frequency table for population 'JP'; the store has: KR",
                     id="unknown-population"),
        pytest.param("--theta 1", "--theta must be at least 0 and below 1, not 1", id="theta-one"),
        pytest.param("--theta -0.1", "--theta must be at least 0 and below 1, not -0.1", id="theta-negative"),
        pytest.param("--mutation stepwize",
                     "--mutation 'stepwize' is unknown; choose one of: none, equal, proportional, stepwise",
                     id="unknown-mutation"),
        pytest.param("--mutation none --mutation-rate 0.01",
                     "--mutation-rate needs a mutation model; add e.g. --mutation stepwise", id="rate-without-model"),
        pytest.param("--mutation equal --mutation-range 0.5",
                     "--mutation-range applies to the stepwise model only; add --mutation stepwise",
                     id="range-without-stepwise"),
        pytest.param("--mutation-rate 1.5", "--mutation-rate must be at least 0 and below 1, not 1.5",
                     id="rate-too-big"),
        pytest.param("--mutation-range 0", "--mutation-range must be above 0, not 0", id="range-zero"),
        pytest.param("--threshold 0.5", "--threshold must be a likelihood ratio of at least 1, not 0.5",
                     id="threshold-below-one"),
        pytest.param("--open 1", "--open must be a probability at least 0 and below 1, not 1", id="open-one"),
        pytest.param("--open -0.2", "--open must be a probability at least 0 and below 1, not -0.2",
                     id="open-negative"),
    ],
)
def test_bad_options_change_nothing(case: str, cli, args: str, message: str) -> None:  # type: ignore[no-untyped-def]
    scene.build(case)
    cli(NONE)
    before, results = snapshot(case), fetch(case, MatchResult)
    result = cli(f"match run --dropout 0 {args}", expect=1)
    assert result.stderr == f"Error: {message}\n"
    assert result.stdout == ""
    assert (snapshot(case), fetch(case, MatchResult)) == (before, results)


def test_no_frequency_table(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    scene.build(case, frequencies=False)
    before = snapshot(case)
    result = cli("match run --dropout 0", expect=1)
    assert result.stderr == ("Error: the store holds no allele frequency table; import one (the Frequencies "
                             "sheet of the exchange workbook) before matching\n")
    assert snapshot(case) == before


def test_a_marker_missing_from_the_table(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    scene.build(case)
    with writing(case) as s:
        s.add_all(scene.genotypes("SS-001", [("D5S818", "11", "12")]))
        s.add_all(scene.genotypes("RS-001", [("D5S818", "11", "11")]))
        s.flush()
    before = snapshot(case)
    result = cli(NONE, expect=1)
    assert result.stderr == ("Error: marker D5S818 is typed in specimens and relatives but the frequency table "
                             "'KR' has no frequencies for it; import them (Frequencies sheet) or choose another "
                             "table with --population\n")
    assert snapshot(case) == before


def test_an_inconsistent_family(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    scene.build(case)
    with writing(case) as s:
        from chosei.services.relatives import add_relative, give_consent

        add_relative(s, {"id": "R-006", "victim_id": "V-002", "relationship": "father"})
        give_consent(s, "R-006", ["analysis"], "2025-10-01")
        add_sample_at(s, {"id": "RS-006", "relative_id": "R-006", "type": "blood", "status": "profiled"})
        s.add_all(scene.genotypes("RS-006", [("TH01", "7", "7")]))  # the brother is 6/9: not his son
        s.flush()
    before = snapshot(case)
    result = cli(NONE, expect=1)
    assert result.stderr == (
        "Error: victim V-002, marker TH01: the relatives' genotypes (R-002 6/8, R-003 6/9, R-006 7/7) cannot "
        "arise from the stated relationships; check the typing and the relationships, or use a mutation model\n")
    assert snapshot(case) == before
    cli("match run --dropout 0 --mutation stepwise")  # a mutation model explains it


def test_two_fathers_are_refused(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    scene.build(case)
    with writing(case) as s:
        from chosei.services.relatives import add_relative, give_consent

        for rid in ("R-006", "R-007"):
            add_relative(s, {"id": rid, "victim_id": "V-001", "relationship": "father"})
            give_consent(s, rid, ["analysis"], "2025-10-01")
            add_sample_at(s, {"id": f"RS-{rid[2:]}", "relative_id": rid, "type": "blood", "status": "profiled"})
            s.add_all(scene.genotypes(f"RS-{rid[2:]}", [("vWA", "10", "10")]))
        s.flush()
    result = cli(NONE, expect=1)
    assert result.stderr == ("Error: victim V-001: only one relative can be the victim's father; correct the "
                             "relatives' relationships\n")


def test_nothing_to_match(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("match run --dropout 0", expect=1)
    assert result.stderr == ("Error: no specimen has a typed sample yet; import the profiles (Profiles sheet) "
                             "first\n")


def test_no_consenting_family(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    scene.build(case, consent=False)
    result = cli("match run --dropout 0", expect=1)
    assert result.stderr == (
        "Error: no victim has a typed relative with an active consent for analysis; record consents "
        "(`chosei relative consent`) and import the relatives' profiles\n")


def test_a_family_the_engine_cannot_compute_is_left_out_and_named(case: str, cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    import numpy as np

    from chosei.services import match_lrs

    real = match_lrs.match_batch

    def too_complex_for_v002(specimens, families, table, **options):  # type: ignore[no-untyped-def]
        result = real(specimens, families, table, **options)
        log10 = result.log10_lr.copy()
        failures = {}
        if "V-002" in result.victims:
            log10[:, result.victims.index("V-002")] = np.nan
            failures["V-002"] = "marker TH01: too many founder-allele combinations; use theta = 0"
        return replace(result, log10_lr=log10, failures=failures)

    monkeypatch.setattr(match_lrs, "match_batch", too_complex_for_v002)
    scene.build(case)
    result = cli(NONE)
    assert result.stderr == ("Warning: victim V-002 was not matched: marker TH01: too many founder-allele "
                             "combinations; use theta = 0\n")
    assert "against 2 victim(s)" in result.stdout
    assert {v for _, v in _pairs(cli)} == {"V-001", "V-003"}
