"""Dropout and drop-in in `chosei match run` / `match show`, on the hand-built scene.

SP-001 gets a second sample typed D3S1358 10/11 (its first says 10/10): replicates that
differ by dropout. With the model (d = 0.2, c = 0.05) the consensus is 10/11 and, against
V-001's son 10/10 (D3S1358 p10 = 0.05, p11 = 0.2, rest 0.75; vWA p10 = 0.1, rest 0.9):

D3S1358, O = {10, 11}: P(O | 10/11) = (1-d)²(1-c) = 0.608, P(O | 10/10) = (1-d²) c p11 =
0.0096, P(O | 10/x) = (1-d) d c p11 = 0.0016, P(O | 11/11) = (1-d²) c p10 = 0.0024,
P(O | 11/x) = (1-d) d c p10 = 0.0004, P(O | x/x) = d² c² p10 p11 = 0.000001.
  H1 / P(son) ∝ Σ_g P(g) t(g) P(O | g), t = P(V passes 10) = 1, ½, 0:
     0.0025·0.0096 + 0.02·½·0.608 + 0.075·½·0.0016 = 0.006164 (× p10, the son's other gene)
  H2 / P(son) = Σ_g P(g) P(O | g) = 0.01216 + 0.000024 + 0.000096 + 0.00012 + 0.00012
     + 0.5625·0.000001 = 0.0125205625 (× p10², the son's genotype)
  LR = 0.006164 / (0.05 · 0.0125205625) = 9.846203...
vWA, O = {10}: H1 ∝ 0.01·0.912 + 0.18·½·0.152 = 0.0228; H2 ∝ 0.036642 (tests/kinship/
test_dropout.py); LR = 0.0228 / (0.1 · 0.036642) = 6.22237...
"""

from __future__ import annotations

import json

import pytest

from tests.cli.storeview import writing
from tests.match import scene

# the defaults' frequencies (Brenner's kappa for a haplotype in no database)
KAPPA = "kappa if unseen, else counting bound; mtDNA frequency kappa if unseen, else counting bound"

D3 = 0.006164 / (0.05 * 0.0125205625)
VWA = 0.0228 / (0.1 * 0.036642)
RUN = "match run --mutation none --threshold 100 --dropout 0.2 --drop-in 0.05"


def _second_sample(case: str) -> None:
    with writing(case) as s:
        from tests.samples_at import add_sample_at

        add_sample_at(s, {"id": "SS-006", "specimen_id": "SP-001", "type": "bone", "status": "profiled"})
        s.add_all(scene.genotypes("SS-006", [("D3S1358", "10", "11")]))
        s.flush()


def _lr(cli, specimen: str, victim: str) -> float:  # type: ignore[no-untyped-def]
    rows = json.loads(cli(f"match list --all --json --specimen {specimen}").stdout)
    return next(r["lr"] for r in rows if r["victim_id"] == victim)


def test_replicates_differing_by_dropout_keep_every_allele_seen(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    scene.build(case)
    _second_sample(case)
    result = cli(RUN)
    assert result.stderr == ("Warning: specimen SP-001: replicates differ by dropout at D3S1358: 10/10 + 10/11 → "
                             "10/11; every allele seen is kept\n")
    assert "theta 0, mutation none, specimen dropout 0.2, drop-in 0.05" in result.stdout
    assert pytest.approx(9.846203, rel=1e-6) == D3
    assert _lr(cli, "SP-001", "V-001") == pytest.approx(D3 * VWA, rel=1e-9)
    shown = cli("match show SP-001 V-001").stdout
    assert ("Parameters: population KR, theta 0, mutation none, specimen dropout 0.2, drop-in 0.05"
            "; Y-STR: published per-locus rates, rate2 1e-05, frequency " + KAPPA + "\n") in shown
    assert "Replicates differing by dropout, every allele seen kept: D3S1358: 10/10 + 10/11 → 10/11\n" in shown
    assert "the store changed" not in shown  # match show recomputes the stored number
    detail = json.loads(cli("match show SP-001 V-001 --json").stdout)
    assert {m["marker"]: m["lr"] for m in detail["markers"]} == pytest.approx({"D3S1358": D3, "vWA": VWA}, rel=1e-9)


def test_dropout_zero_keeps_the_published_numbers(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    scene.build(case)
    _second_sample(case)
    result = cli("match run --mutation none --threshold 100 --dropout 0")
    assert result.stderr == ("Warning: specimen SP-001: samples SS-001, SS-006 disagree at D3S1358 (10/10, "
                             "10/11); left out\n")
    assert _lr(cli, "SP-001", "V-001") == pytest.approx(10, rel=1e-12)
    assert ("Parameters: population KR, theta 0, mutation none; Y-STR: published per-locus rates, "
            "rate2 1e-05, frequency " + KAPPA + "\n") in cli("match show SP-001 V-001").stdout


def test_the_default_estimates_each_specimens_dropout(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    """SP-002 (TH01 6/7, the only marker, h = 0.01+0.04+0.09+0.16 = 0.3) shows two alleles: the
    estimate is d = 0, raised to the floor 0.1. SP-003 (D3S1358 11/11, h = 0.605; vWA 10/10, h =
    0.82) shows one allele everywhere: the ceiling 0.6."""
    scene.build(case)
    out = cli("match run --mutation none --threshold 100").stdout
    assert "theta 0, mutation none, specimen dropout estimated per specimen, drop-in 0.05" in out
    assert ("specimen dropout 0.1 (estimated from its profile), drop-in 0.05"
            in cli("match show SP-002 V-002").stdout)
    assert "specimen dropout 0.6 (estimated from its profile)" in cli("match show SP-003 V-001").stdout
    # SP-003's 11/11 against a son 10/10 is no longer an exclusion: with d = 0.6 it may be 10/11
    rows = json.loads(cli("match list --all --json --specimen SP-003").stdout)
    pair = next(r for r in rows if r["victim_id"] == "V-001")
    assert pair["excluded_markers"] == []
    assert pair["lr"] == pytest.approx(2.6657232, rel=1e-7)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ("--dropout lots", "--dropout must be 'auto' or a probability such as 0.1, not 'lots'"),
        ("--dropout 1", "--dropout must be 'auto' or a probability at least 0 and below 1, not 1"),
        ("--drop-in 1.5", "--drop-in must be a probability at least 0 and below 1, not 1.5"),
        ("--dropout 0 --drop-in 0.05",
         "--drop-in needs the dropout model, which --dropout 0 turns off; give --dropout auto or a probability "
         "above 0"),
    ],
)
def test_bad_rates_are_refused(case: str, cli, args: str, message: str) -> None:  # type: ignore[no-untyped-def]
    scene.build(case)
    result = cli(f"match run {args}", expect=1)
    assert result.stderr == f"Error: {message}\n"
    assert json.loads(cli("match list --all --json").stdout) == []


def test_reassociation_links_bones_that_differ_by_dropout(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    """SP-006 shows D3S1358 10/11 where SP-001 shows 10/10 (vWA 10/10 both); d = 0.2, c = 0.
    D3S1358: same = P(10/11) (1-d)² d(1-d) = 0.02·0.64·0.16; unrelated = 0.02·0.64 · (0.0025·0.96 +
    0.095·0.16) = 0.0128·0.0176: LR 100/11. vWA: same = 0.01·0.96² + 0.18·0.16² = 0.013824, unrelated
    = 0.0384²: LR 9.375. Together 85.23; the random match probability counts vWA only (0.01)."""
    scene.build(case)
    with writing(case) as s:
        from chosei.services.recovery import add_specimen
        from tests.samples_at import add_sample_at

        add_specimen(s, {"id": "SP-006", "element": "tooth"})
        add_sample_at(s, {"id": "SS-006", "specimen_id": "SP-006", "type": "bone", "status": "profiled"})
        s.add_all(scene.genotypes("SS-006", [("D3S1358", "10", "11"), ("vWA", "10", "10")]))
    assert "SP-006" not in cli("match reassociate --dropout 0 --threshold 50").stdout.split("DNA groups")[0]
    out = cli("match reassociate --dropout 0.2 --drop-in 0 --threshold 50").stdout
    assert "G-SP-001: SP-001, SP-005, SP-006\n" in out
    assert f"  SP-001 = SP-006: LR {100 / 11 * 9.375:.3e}, random match probability 1.000e-02 (2 markers)\n" in out


def test_a_dna_group_is_matched_as_one_individual(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    """SP-001 and SP-005 (both 10/10 at D3S1358 and vWA) are grouped; d = 0.2, c = 0. The group's
    observation is both bones' at once: P(O | 10/10) = (1-d²)² = 0.9216, P(O | 10/x) = (d(1-d))² =
    0.0256. Against V-001's son 10/10:
    D3S1358 (p10 0.05, P(10/x) 0.095): (0.0025·0.9216 + 0.095·½·0.0256) / (0.05 · (0.0025·0.9216 +
    0.095·0.0256)) = 0.00352 / (0.05 · 0.004736) = 14.865;
    vWA (p10 0.1, P(10/x) 0.18): 0.01152 / (0.1 · 0.013824) = 8.3333. Group: 123.87, which each
    member inherits (one bone alone: 11.364 · 6.25 = 71.02)."""
    scene.build(case)
    cli("match reassociate --dropout 0 --threshold 1000")
    result = cli("match run --mutation none --threshold 100 --dropout 0.2 --drop-in 0")
    assert ("Warning: DNA group G-SP-001 (SP-001, SP-005) matched as one individual: its members share its "
            "result\n") in result.stderr
    group = 0.00352 / (0.05 * 0.004736) * (0.01152 / (0.1 * 0.013824))
    assert group == pytest.approx(123.87, rel=1e-4)
    assert _lr(cli, "SP-001", "V-001") == pytest.approx(group, rel=1e-9)
    assert _lr(cli, "SP-005", "V-001") == pytest.approx(group, rel=1e-9)
    shown = cli("match show SP-005 V-001").stdout
    assert (f"Note: matched as DNA group G-SP-001 (SP-001, SP-005), all its members' typings together: "
            f"autosomal LR {group:.6g}; the markers below are this specimen's own\n") in shown
    assert "the store changed" not in shown
    cli("match run --mutation none --threshold 100 --dropout 0")  # one by one, as published
    assert _lr(cli, "SP-005", "V-001") == pytest.approx(200, rel=1e-12)
