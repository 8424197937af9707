"""SNP evidence in `chosei match run` and `match show` (the hand-built scene of tests/match)."""

from __future__ import annotations

import math

import pytest

from chosei.models import MatchResult
from tests.cli.storeview import fetch
from tests.kinship.test_snp_lr import PARENT_CHILD, hand_lr
from tests.match import scene
from tests.samples_at import add_sample_at

TABLE = "chrom\tpos\tref\talt\taf\n1\t100\tA\tG\t0.2\n2\t100\tA\tG\t0.2\n3\t100\tA\tG\t0.2\nX\t100\tA\tG\t0.2\n"
VCF = (
    "##fileformat=VCFv4.3\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tSS-001\tRS-001\n"
    "1\t100\t.\tA\tG\t.\t.\t.\tGT\t1/1\t1/1\n"
    "2\t100\t.\tA\tG\t.\t.\t.\tGT\t0/1\t1/1\n"
    "3\t100\t.\tA\tG\t.\t.\t.\tGT\t0/0\t0/0\n"
    "X\t100\t.\tA\tG\t.\t.\t.\tGT\t1/1\t1/1\n"  # X: only autosomes are weighed (skipped)
)
# son R-001 of V-001 against specimen SP-001, three unlinked SNPs at epsilon 0.01 (about
# 5 * 2.5 * 1.25 = 15.6 without errors; the 1 % error rate weighs most on the rare homozygote)
SNP_LR = hand_lr(PARENT_CHILD, 2, 2, 0.01) * hand_lr(PARENT_CHILD, 1, 2, 0.01) * hand_lr(PARENT_CHILD, 0, 0, 0.01)


def test_snp_lr_replaces_the_autosomal_str_lr_and_multiplies_with_the_lines(case: str, cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    scene.build(case)
    (tmp_path / "t.tsv").write_text(TABLE)
    (tmp_path / "c.vcf").write_text(VCF)
    cli(f"snp frequencies {tmp_path / 't.tsv'} --population KR")
    cli(f"snp import {tmp_path / 'c.vcf'} --population KR")
    cli("match run --dropout 0 --mutation none")
    rows = {(r["specimen_id"], r["victim_id"]): r for r in fetch(case, MatchResult)}
    pair = rows["SP-001", "V-001"]
    assert round(float(SNP_LR), 3) == 11.947
    assert pair["snp_lr"] == pytest.approx(SNP_LR, rel=1e-9)
    assert pair["autosomal_lr"] == pytest.approx(200, rel=1e-9)  # the STR LR, kept for reading
    assert pair["lr"] == pytest.approx(SNP_LR, rel=1e-9)  # not 200 * SNP_LR: the same chromosomes
    assert rows["SP-005", "V-001"]["snp_lr"] is None  # no SNP calls: the STR LR stands
    assert rows["SP-005", "V-001"]["lr"] == pytest.approx(200, rel=1e-9)
    shown = cli("match show SP-001 V-001").stdout
    assert (
        "SNPs: population KR, 3 calls compared, LR 11.95 (epsilon 0.01, linked model); it stands for the "
        "autosomal STR LR in the combined LR"
    ) in shown
    assert "the store changed since the last run" not in shown
    assert math.isfinite(pair["posterior"])


def _snp_scene(case: str, cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    scene.build(case)
    (tmp_path / "t.tsv").write_text(TABLE)
    (tmp_path / "c.vcf").write_text(VCF)
    cli(f"snp frequencies {tmp_path / 't.tsv'} --population KR")
    cli(f"snp import {tmp_path / 'c.vcf'} --population KR")


def test_snp_error_and_model_are_the_runs_recorded_and_shown(case: str, cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _snp_scene(case, cli, tmp_path)
    cli("match run --dropout 0 --mutation none --snp-error 0 --snp-model unlinked")
    rows = {(r["specimen_id"], r["victim_id"]): r for r in fetch(case, MatchResult)}
    pair = rows["SP-001", "V-001"]
    # epsilon 0: the textbook 1/p * 1/(2p) * 1/q = 5 * 2.5 * 1.25; the three SNPs lie on three
    # chromosomes with MAF 0.2, so the unlinked subset keeps all three
    assert pair["snp_lr"] == pytest.approx(15.625, rel=1e-9)
    assert '"snp_error":0.0' in pair["parameters"] and '"snp_model":"unlinked"' in pair["parameters"]
    shown = cli("match show SP-001 V-001").stdout
    assert "SNPs: population KR, 3 calls compared, LR 15.63 (epsilon 0, unlinked model)" in shown
    # confirm recomputes the pair with the run's recorded SNP options: no "store changed"
    cli("match confirm SP-001 V-001 --by board --override 'dental chart'")


def test_snp_error_changes_the_lr_as_the_hand_formula_says(case: str, cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _snp_scene(case, cli, tmp_path)
    cli("match run --dropout 0 --mutation none --snp-error 0.05")
    pair = {(r["specimen_id"], r["victim_id"]): r for r in fetch(case, MatchResult)}["SP-001", "V-001"]
    expected = hand_lr(PARENT_CHILD, 2, 2, 0.05) * hand_lr(PARENT_CHILD, 1, 2, 0.05) * hand_lr(PARENT_CHILD, 0, 0, 0.05)
    assert pair["snp_lr"] == pytest.approx(expected, rel=1e-9)
    assert "(epsilon 0.05, linked model)" in cli("match show SP-001 V-001").stdout


@pytest.mark.parametrize(("args", "message"), [
    ("--snp-error 0.5", "Error: --snp-error must be at least 0 and below 0.5, not 0.5"),
    ("--snp-error -0.01", "Error: --snp-error must be at least 0 and below 0.5, not -0.01"),
    ("--snp-model exact", "Error: --snp-model 'exact' is unknown; choose one of: linked, unlinked"),
])
def test_bad_snp_options_are_refused_in_one_line(case: str, cli, tmp_path, args: str, message: str) -> None:  # type: ignore[no-untyped-def]
    _snp_scene(case, cli, tmp_path)
    result = cli(f"match run --dropout 0 {args}", expect=1)
    assert result.stderr.strip() == message
    assert fetch(case, MatchResult) == []


def test_specimens_and_relatives_typed_by_snps_only_are_compared(case: str, cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from chosei.services.recovery import add_specimen
    from chosei.services.relatives import add_relative, give_consent
    from chosei.services.victims import add_victim
    from tests.cli.storeview import writing

    scene.build(case)
    with writing(case) as s:  # V-004's son and SP-006: SNP calls only, no STR, Y or mtDNA row
        add_victim(s, {"id": "V-004", "nationality": "KR", "name_hangul": "최하늘"})
        add_relative(s, {"id": "R-006", "victim_id": "V-004", "relationship": "son"})
        give_consent(s, "R-006", ["analysis"], "2025-10-01")
        add_sample_at(s, {"id": "RS-006", "relative_id": "R-006", "type": "saliva", "status": "profiled"})
        add_specimen(s, {"id": "SP-006", "element": "tooth"})
        add_sample_at(s, {"id": "SS-006", "specimen_id": "SP-006", "type": "bone", "status": "profiled"})
        # SP-002's SNP calls come from a second extraction without STR typing
        add_sample_at(s, {"id": "SS-007", "specimen_id": "SP-002", "type": "bone", "status": "profiled"})
        s.flush()
    (tmp_path / "t.tsv").write_text(TABLE)
    (tmp_path / "c.vcf").write_text(
        "##fileformat=VCFv4.3\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tSS-006\tRS-006\tSS-007\n"
        "1\t100\t.\tA\tG\t.\t.\t.\tGT\t1/1\t1/1\t1/1\n"
        "2\t100\t.\tA\tG\t.\t.\t.\tGT\t0/1\t1/1\t0/1\n"
        "3\t100\t.\tA\tG\t.\t.\t.\tGT\t0/0\t0/0\t0/0\n"
    )
    cli(f"snp frequencies {tmp_path / 't.tsv'} --population KR")
    cli(f"snp import {tmp_path / 'c.vcf'} --population KR")
    cli("match run --dropout 0 --mutation none")
    rows = {(r["specimen_id"], r["victim_id"]): r for r in fetch(case, MatchResult)}
    for specimen in ("SP-006", "SP-002"):
        pair = rows[specimen, "V-004"]
        assert pair["snp_lr"] == pytest.approx(SNP_LR, rel=1e-9)
        assert pair["lr"] == pytest.approx(SNP_LR, rel=1e-9)
    assert rows["SP-006", "V-004"]["sample_id"] == "SS-006"
    assert rows["SP-002", "V-004"]["sample_id"] == "SS-002+SS-007"
    assert rows["SP-006", "V-001"]["snp_lr"] is None  # V-001's son has no SNP calls: STRs only, none here
    assert "SNPs: population KR, 3 calls compared, LR 11.95" in cli("match show SP-006 V-004").stdout
