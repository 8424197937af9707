"""`chosei export --snp-vcf`: SNP calls as a VCF beside the workbook, as the profile allows."""

from __future__ import annotations

import gzip
import json

from sqlalchemy import select

from chosei.models import AuditEntry, SnpCalls
from chosei.services.relatives import give_consent, withdraw_consent
from chosei.store import open_store, session_scope
from tests.cli.storeview import writing
from tests.match import scene
from tests.snp.test_snp_match import TABLE

VCF = (
    "##fileformat=VCFv4.3\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tSS-001\tRS-001\tSS-002\n"
    "1\t100\t.\tA\tG\t.\t.\t.\tGT\t1/1\t0|1\t./.\n"
    "2\t100\t.\tG\tA\t.\t.\t.\tGT\t0/1\t0/0\t1/1\n"  # REF/ALT swapped against the table: stored as A>G
    "3\t100\t.\tA\tG\t.\t.\t.\tGT\t0/0\t./.\t0/1\n"
)
HEADER = ("##fileformat=VCFv4.3\n##source=chosei\n##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n"
          "##contig=<ID=1>\n##contig=<ID=2>\n##contig=<ID=3>\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT")


def _setup(url: str, cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    scene.build(url)
    (tmp_path / "t.tsv").write_text(TABLE)
    (tmp_path / "c.vcf").write_text(VCF)
    cli(f"snp frequencies {tmp_path / 't.tsv'} --population KR")
    cli(f"snp import {tmp_path / 'c.vcf'} --population KR")


def _calls(url: str) -> dict[str, tuple[str, str]]:
    store = open_store(url)
    try:
        with session_scope(store) as s:
            return {c.sample_id: (c.panel_id, c.digest) for c in s.execute(select(SnpCalls)).scalars()}
    finally:
        store.dispose()


def _last_audit(url: str) -> AuditEntry:
    store = open_store(url)
    try:
        with session_scope(store) as s:
            entry = s.execute(select(AuditEntry).order_by(AuditEntry.seq.desc())).scalars().first()
            s.expunge(entry)
            return entry
    finally:
        store.dispose()


def test_full_export_writes_every_call_and_snp_import_reads_it_back(case: str, cli, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _setup(case, cli, tmp_path)
    out = cli(f"export {tmp_path / 'out.xlsx'} --snp-vcf {tmp_path / 'out.snp.vcf.gz'}").stdout
    assert f"Wrote the SNP calls of 3 sample(s) at 3 site(s) to {tmp_path / 'out.snp.vcf.gz'}." in out
    text = gzip.decompress((tmp_path / "out.snp.vcf.gz").read_bytes()).decode()
    assert text == HEADER + "\tRS-001\tSS-001\tSS-002\n" + (
        "1\t100\t.\tA\tG\t.\t.\t.\tGT\t0/1\t1/1\t./.\n"
        "2\t100\t.\tA\tG\t.\t.\t.\tGT\t1/1\t0/1\t0/0\n"
        "3\t100\t.\tA\tG\t.\t.\t.\tGT\t./.\t0/0\t0/1\n"
    )
    entry = _last_audit(case)
    assert json.loads(entry.after)["snp_vcf"] == {"file": "out.snp.vcf.gz", "samples": 3, "sites": 3,
                                                  "withheld_samples": 0}
    # into a fresh store holding the same samples and SNP table: the same calls
    fresh = f"sqlite:///{tmp_path / 'fresh.db'}"
    monkeypatch.setenv("CHOSEI_DB", fresh)
    cli("init --name Fresh")
    scene.build(fresh)
    cli(f"snp frequencies {tmp_path / 't.tsv'} --population KR")
    cli(f"snp import {tmp_path / 'out.snp.vcf.gz'} --population KR")
    assert _calls(fresh) == _calls(case)
    assert len(_calls(fresh)) == 3


def test_partner_export_carries_only_relatives_consenting_to_share_with_the_agency(case: str, cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _setup(case, cli, tmp_path)
    vcf = tmp_path / "kr.vcf"
    out = cli(f"export {tmp_path / 'kr.xlsx'} --profile partner --partner KR --snp-vcf {vcf}").stdout
    # R-001 consents to analysis only: RS-001 stays home
    assert f"Wrote the SNP calls of 2 sample(s) at 3 site(s) to {vcf}; 1 sample(s) withheld by the partner " \
           "profile." in out
    assert vcf.read_text().splitlines()[6] == "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tSS-001\tSS-002"
    assert "RS-001" not in vcf.read_text()
    with writing(case) as s:
        give_consent(s, "R-001", ["share:KR"], "2025-11-01")
    cli(f"export {tmp_path / 'kr.xlsx'} --profile partner --partner KR --snp-vcf {vcf}")
    assert vcf.read_text().splitlines()[6].endswith("FORMAT\tRS-001\tSS-001\tSS-002")
    cli(f"export {tmp_path / 'jp.xlsx'} --profile partner --partner JP --snp-vcf {tmp_path / 'jp.vcf'}")
    assert "RS-001" not in (tmp_path / "jp.vcf").read_text()  # consent to share with KR is not with JP


def test_lab_export_leaves_out_relatives_without_analysis_consent(case: str, cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _setup(case, cli, tmp_path)
    with writing(case) as s:
        withdraw_consent(s, "R-001", ["analysis"], "2025-11-01")
    cli(f"export {tmp_path / 'lab.xlsx'} --profile lab --snp-vcf {tmp_path / 'lab.vcf'}")
    assert (tmp_path / "lab.vcf").read_text().splitlines()[6].endswith("FORMAT\tSS-001\tSS-002")


def test_a_bad_snp_vcf_target_writes_nothing(case: str, cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _setup(case, cli, tmp_path)
    before = _last_audit(case).seq
    folder = tmp_path / "out"
    folder.mkdir()
    result = cli(f"export {folder / 'out.xlsx'} --snp-vcf {folder / 'out.txt'}", expect=1)
    assert result.stderr.strip() == "Error: --snp-vcf must name a .vcf or .vcf.gz file, not out.txt"
    assert list(folder.iterdir()) == []
    assert _last_audit(case).seq == before


def test_no_snp_calls_the_profile_may_carry_is_an_error(case: str, cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    scene.build(case)
    folder = tmp_path / "out"
    folder.mkdir()
    result = cli(f"export {folder / 'out.xlsx'} --snp-vcf {folder / 'out.vcf'}", expect=1)
    assert result.stderr.strip() == "Error: there are no SNP calls to export; leave out --snp-vcf"
    assert list(folder.iterdir()) == []
