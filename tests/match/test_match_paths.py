"""Relationship paths through `match run`: the pedigree the paths give, and the LR of the
exact engine on it (STR and SNP-only), on both backends. All names are made up."""

from __future__ import annotations

import re

import pytest

from chosei.kinship import FrequencyTable, Relative, kinship_lr
from chosei.models import MatchResult
from tests.cli.storeview import fetch, writing
from tests.kinship.test_snp_lr import HWE, PARENT_CHILD
from tests.match import scene
from tests.snp.test_snp_match import TABLE

# V-009's family: two nephews and a great-nephew, all through ONE untyped brother
FAMILY = [  # id, relationship as entered, TH01
    ("R-091", "brother's son", ("6", "7")),
    ("R-092", "Brother’s son", ("6", "8")),
    ("R-093", "형의 아들의 아들", ("6", "6")),
]
SPECIMEN = ("6", "9")
Y_ROWS: list[tuple[str, str, str | None]] = [("DYS19", "15", None), ("DYS390", "23", None)]


def _family(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    from chosei.services.recovery import add_specimen
    from tests.samples_at import add_sample_at

    scene.build(case)
    cli("victim add V-009 --nationality KR --hangul 정바다")
    cli("victim add V-010 --nationality KR --hangul 정하늘")
    for rid, term, _ in FAMILY:
        cli("relative", "add", rid, "--victim", "V-009", "--relationship", term)
    cli("relative", "add", "R-101", "--victim", "V-010", "--relationship", "兄弟の息子の息子")
    for rid in ("R-091", "R-092", "R-093", "R-101"):
        cli(f"relative consent {rid} --scope analysis --on 2025-10-01")
    with writing(case) as s:
        for rid, _, (a, b) in [*FAMILY, ("R-101", "", ("6", "6"))]:
            add_sample_at(s, {"id": f"RS-{rid[2:]}", "relative_id": rid, "type": "saliva", "status": "profiled"})
            s.add_all(scene.genotypes(f"RS-{rid[2:]}", [("TH01", a, b)]))
        s.add_all(scene.genotypes("RS-093", Y_ROWS))  # the great-nephew is on V-009's Y line
        add_specimen(s, {"id": "SP-009", "element": "tooth"})
        add_sample_at(s, {"id": "SS-009", "specimen_id": "SP-009", "type": "bone", "status": "profiled"})
        s.add_all(scene.genotypes("SS-009", [("TH01", *SPECIMEN), *Y_ROWS]))
        add_specimen(s, {"id": "SP-010", "element": "tooth"})
        add_sample_at(s, {"id": "SS-010", "specimen_id": "SP-010", "type": "bone", "status": "profiled"})
        s.add_all(scene.genotypes("SS-010", [("TH01", "6", "6")]))
        s.flush()


def test_nephews_and_a_great_nephew_give_one_pedigree_and_the_engines_lr(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    _family(case, cli)
    cli("match run --mutation none --dropout 0 --threshold 100")
    rows = {(r["specimen_id"], r["victim_id"]): r for r in fetch(case, MatchResult)}
    table = FrequencyTable("KR", scene.FREQUENCIES)
    relatives = [Relative.of(rid, "brother's son's son" if rid == "R-093" else "brother's son",
                             {"TH01": "/".join(g)}) for rid, _, g in FAMILY]
    engine = kinship_lr({"TH01": "/".join(SPECIMEN)}, relatives, table)
    pair = rows["SP-009", "V-009"]
    assert pair["autosomal_lr"] == pytest.approx(engine.total_lr, rel=1e-9)
    # the Y line from the path: the haplotype unseen in 100 (bound 0.0362), 4 meioses
    assert (pair["y_lr"], pair["mt_lr"]) == (pytest.approx(scene.Y_LR, rel=1e-7), None)
    assert pair["lr"] == pytest.approx(engine.total_lr * scene.Y_LR, rel=1e-7)
    assert engine.total_lr == pytest.approx(19 / 12, rel=1e-12)  # pinned: the engine on this pedigree
    # the great-nephew alone, both 6/6 at p(6) = 0.1: kappa1 = 1/4, LR = 3/4 + 1/4 * 1/p = 3.25
    assert rows["SP-010", "V-010"]["lr"] == pytest.approx(3.25, rel=1e-9)
    shown = cli("match show SP-009 V-009").stdout
    pedigree = shown.split("Pedigree\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert [line.split(":")[0].strip() for line in pedigree] == [
        "V-009", "V-009", "V-009", "V-009", "V-009", "R-091", "R-092", "V-009", "V-009", "R-093",
    ]
    assert pedigree[3].strip() == (
        "V-009:brother: untyped brother of V (parent of V's brother's children) "
        "(male, untyped, child of V-009:father and V-009:mother)"
    )
    assert pedigree[-1].strip() == (
        "R-093: brother's son's son (male, typed, child of V-009:brother:son and V-009:brother:son:partner)"
    )
    assert re.search(r"R-093 +brother's son's son +1 STR, Y-STR +4 +- +used", shown)
    assert "  R-093 (brother's son's son, 4 meioses): match (identical)" in shown


def test_a_great_nephew_typed_by_snps_only_is_compared(case: str, cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from chosei.services.recovery import add_specimen
    from chosei.services.relatives import add_relative, give_consent
    from chosei.services.victims import add_victim
    from tests.samples_at import add_sample_at

    scene.build(case)
    with writing(case) as s:
        add_victim(s, {"id": "V-004", "nationality": "KR", "name_hangul": "최하늘"})
        add_relative(s, {"id": "R-006", "victim_id": "V-004", "relationship": "종손"})
        give_consent(s, "R-006", ["analysis"], "2025-10-01")
        add_sample_at(s, {"id": "RS-006", "relative_id": "R-006", "type": "saliva", "status": "profiled"})
        add_specimen(s, {"id": "SP-006", "element": "tooth"})
        add_sample_at(s, {"id": "SS-006", "specimen_id": "SP-006", "type": "bone", "status": "profiled"})
        s.flush()
    (tmp_path / "t.tsv").write_text(TABLE)
    (tmp_path / "c.vcf").write_text(
        "##fileformat=VCFv4.3\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tSS-006\tRS-006\n"
        "1\t100\t.\tA\tG\t.\t.\t.\tGT\t1/1\t1/1\n"
        "2\t100\t.\tA\tG\t.\t.\t.\tGT\t0/1\t1/1\n"
        "3\t100\t.\tA\tG\t.\t.\t.\tGT\t0/0\t0/0\n"
    )
    cli(f"snp frequencies {tmp_path / 't.tsv'} --population KR")
    cli(f"snp import {tmp_path / 'c.vcf'} --population KR")
    cli("match run --mutation none --dropout 0 --snp-error 0 --snp-model unlinked")
    pair = {(r["specimen_id"], r["victim_id"]): r for r in fetch(case, MatchResult)}["SP-006", "V-004"]
    # third degree, unlinked SNPs: per SNP 3/4 + 1/4 * the parent-child LR
    great_nephew = 0.75 * (HWE[:, None] * HWE[None, :]) + 0.25 * PARENT_CHILD

    def one(v: int, d: int) -> float:
        return float(great_nephew[v, d] / (HWE[v] * HWE[d]))

    expected = one(2, 2) * one(1, 2) * one(0, 0)
    assert expected == pytest.approx(2.0 * 1.375 * 1.0625, rel=1e-12)  # 1/p, 1/(2p), 1/q at p = 0.2
    assert pair["snp_lr"] == pytest.approx(expected, rel=1e-9)
