"""SNP evidence in `chosei match run` and `match show` (the hand-built scene of tests/match)."""

from __future__ import annotations

import math

import pytest

from chosei.models import MatchResult
from tests.cli.storeview import fetch
from tests.kinship.test_snp_lr import PARENT_CHILD, hand_lr
from tests.match import scene

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
    cli("match run --mutation none")
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
