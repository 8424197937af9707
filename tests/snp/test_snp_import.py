"""`chosei snp frequencies / import / show` on both backends, and their bad inputs."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import numpy as np
import pytest
from sqlmodel import select

from chosei.models import AuditEntry, SnpCalls, SnpPanel, SnpSite
from chosei.services.recovery import add_specimen
from chosei.services.relatives import add_relative
from chosei.services.samples import add_sample
from chosei.services.snp import calls_on, population_sites
from chosei.services.victims import add_victim
from tests.cli.storeview import fetch, snapshot, writing

TABLE = """chrom\tpos\tid\tref\talt\taf\tcm
1\t1000\trs1\tA\tG\t0.2\t0.5
1\t2000\trs2\tC\tT\t0.5\t1.5
2\t500\trs3\tG\tA\t0.3\t0.1
2\t900\trs4\tT\tC\t0.4\t2.0
"""

HEADER = "##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS-001\tLAB-7\n"
BODY = (
    "chr1\t1000\trs1\tA\tG\t.\tPASS\t.\tGT:GQ\t0/1:50\t1|1:50\n"
    "1\t2000\trs2\tC\tT,G\t.\tPASS\t.\tGT\t0/1\t0/0\n"  # multi-allelic: skipped
    "2\t500\trs3\tA\tG\t.\tPASS\t.\tGT:GQ\t0/0:50\t0/1:5\n"  # REF/ALT swapped vs the table
    "2\t700\t.\tC\tG\t.\tPASS\t.\tGT\t0/1\t0/0\n"  # not in the table: skipped
    "2\t900\trs4\tT\tC\t.\tPASS\t.\tGT\t./.\t1/1\n"
)


def _setup(url: str) -> None:
    with writing(url) as s:
        add_victim(s, {"id": "V-001", "nationality": "KR", "name_hangul": "김가온"})
        add_relative(s, {"id": "R-001", "victim_id": "V-001", "relationship": "brother"})
        add_specimen(s, {"id": "CH-001", "element": "femur"})
        add_sample(s, {"id": "S-001", "specimen_id": "CH-001", "type": "bone"})
        add_sample(s, {"id": "S-002", "relative_id": "R-001", "type": "buccal swab"})


def _files(tmp_path: Path, body: str = BODY, header: str = HEADER) -> tuple[Path, Path]:
    table = tmp_path / "kr.tsv"
    table.write_text(TABLE)
    vcf = tmp_path / "run.vcf.gz"
    with gzip.open(vcf, "wt") as out:
        out.write(header + body)
    names = tmp_path / "names.tsv"
    names.write_text("S-001\tS-001\nLAB-7\tS-002\n")
    return table, vcf


def _snp_state(url: str) -> dict:
    return {
        "snapshot": snapshot(url),
        "calls": fetch(url, SnpCalls, order=[SnpCalls.sample_id]),
        "panels": fetch(url, SnpPanel),
        "sites": len(fetch(url, SnpSite)),
    }


def test_import_stores_one_compact_row_per_sample_and_one_audit_entry_each(case: str, cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _setup(case)
    table, vcf = _files(tmp_path)
    assert cli(f"snp frequencies {table} --population KR").stdout == "loaded SNP table KR: 4 sites, 4 with cM\n"
    result = cli(f"snp import {vcf} --population KR --sample-map {tmp_path / 'names.tsv'} --min-gq 20 --json")
    assert json.loads(result.stdout) == {
        "file": "run.vcf.gz", "population": "KR", "samples": 2, "written": 2, "unchanged": 0, "sites": 3,
        "skipped_multiallelic": 1, "skipped_not_snp": 0, "skipped_not_in_table": 1, "filtered_calls": 1,
    }  # fmt: skip
    calls = fetch(case, SnpCalls, order=[SnpCalls.sample_id])
    # sites in table order rs1, rs3, rs4; the VCF writes rs3 as A>G, the table as G>A: the
    # VCF's 0/0 (A/A) is two copies of the table's ALT; S-002's GQ 5 call is dropped
    assert [np.frombuffer(c["calls"], dtype=np.int8).tolist() for c in calls] == [[1, 2, -1], [2, -1, 2]]
    assert [(c["sample_id"], c["n_called"]) for c in calls] == [("S-001", 2), ("S-002", 2)]
    with writing(case) as s:
        entries = s.exec(select(AuditEntry).where(AuditEntry.entity == "snp_calls")).all()
        assert [(e.action, e.entity_key) for e in entries] == [("import", "S-001"), ("import", "S-002")]
        assert all('"digest"' in e.after and '"calls"' not in e.after for e in entries)  # never the calls
        aligned = calls_on(s, ["S-001", "S-002"], population_sites(s, "KR"))
    assert aligned["S-001"].tolist() == [1, -1, 2, -1]  # table order: 1:1000, 1:2000, 2:500, 2:900
    shown = cli("snp show S-001").stdout
    assert "3      2       0.3333" in shown
    assert "SNP calls\n" in cli("sample show S-001").stdout
    assert "SNP calls\n" not in cli("sample show S-001 --json").stdout
    assert json.loads(cli("sample show S-002 --json").stdout)["snp"][0]["called"] == 2
    assert cli("audit verify").exit_code == 0
    # the same file again changes nothing
    again = json.loads(
        cli(f"snp import {vcf} --population KR --sample-map {tmp_path / 'names.tsv'} --min-gq 20 --json").stdout
    )
    assert (again["written"], again["unchanged"]) == (0, 2)


BAD = [
    ("unknown-sample", HEADER.replace("LAB-7", "S-404"), BODY, None, 3,
     "Error: run.vcf.gz: no sample with ID 'S-404'; add it or map the lab name with --sample-map\n"),
    ("short-line", HEADER, BODY + "1\t3000\trs9\tA\tG\t.\tPASS\t.\tGT\t0/1\n", None, 1,
     "Error: run.vcf.gz line 8: 10 tab-separated fields; the header has 11\n"),
    ("bad-gt", HEADER, BODY.replace("0/1:50\t1|1:50", "0/2:50\t1|1:50"), None, 1,
     "Error: run.vcf.gz line 3: sample 'S-001' has GT '0/2'; expected 0/0, 0/1, 1/1 (or | phased) or ./. "
     "for a biallelic site\n"),
    ("bad-pos", HEADER, BODY.replace("chr1\t1000", "chr1\tx1000"), None, 1,
     "Error: run.vcf.gz line 3: POS 'x1000' must be a whole number from 1\n"),
    ("not-vcf", "#CHROM\tPOS\n", "", None, 1,
     "Error: run.vcf.gz line 1: a VCF 4.x file must start with '##fileformat=VCFv4.x'\n"),
    ("duplicate-site", HEADER, BODY + BODY.splitlines(keepends=True)[0], None, 1,
     "Error: run.vcf.gz line 8: 1:1000 is also on line 3\n"),
    ("no-table", HEADER, BODY, "JP", 3,
     "Error: no SNP table for population 'JP'; load one with `chosei snp frequencies FILE --population JP`\n"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("header", "body", "population", "code", "message"), [b[1:] for b in BAD], ids=[b[0] for b in BAD]
)
def test_bad_vcf_is_refused_naming_the_line_and_writes_nothing(
    case: str, cli, tmp_path, header, body, population, code, message
) -> None:  # type: ignore[no-untyped-def]
    _setup(case)
    table, vcf = _files(tmp_path, body, header)
    cli(f"snp frequencies {table} --population KR")
    before = _snp_state(case)
    names = "" if "S-404" in header else f" --sample-map {tmp_path / 'names.tsv'}"
    result = cli(f"snp import {vcf} --population {population or 'KR'}{names}", expect=code)
    assert result.stderr == message
    assert _snp_state(case) == before


def test_different_calls_need_replace(case: str, cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _setup(case)
    table, vcf = _files(tmp_path)
    names = f"--sample-map {tmp_path / 'names.tsv'}"
    cli(f"snp frequencies {table} --population KR")
    cli(f"snp import {vcf} --population KR {names}")
    changed = tmp_path / "changed.vcf"
    changed.write_text(HEADER + BODY.replace("0/1:50\t1|1:50", "1/1:50\t1|1:50"))
    before = _snp_state(case)
    result = cli(f"snp import {changed} --population KR {names}", expect=4)
    assert result.stderr == (
        "Error: changed.vcf: sample 'S-001' already holds different SNP calls; pass --replace to replace them\n"
    )
    assert _snp_state(case) == before
    cli(f"snp import {changed} --population KR {names} --replace")
    calls = fetch(case, SnpCalls, SnpCalls.sample_id == "S-001")
    assert np.frombuffer(calls[0]["calls"], dtype=np.int8).tolist() == [2, 2, -1]


BAD_TABLES = [
    ("af-one", TABLE.replace("0.2\t0.5", "1\t0.5"),
     "Error: kr.tsv line 2: af '1' must be a number strictly between 0 and 1\n"),
    ("no-af", TABLE.replace("\taf\t", "\tfreq\t"), "Error: kr.tsv line 1: the header lacks column(s) af\n"),
    ("indel", TABLE.replace("C\tT\t0.5", "C\tCT\t0.5"),
     "Error: kr.tsv line 3: ref 'C' and alt 'CT' must be two different bases A, C, G, T\n"),
    ("bad-cm", TABLE.replace("0.3\t0.1", "0.3\t-1"),
     "Error: kr.tsv line 4: cm '-1' must be a number of centiMorgans, 0 or more\n"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "message"), [b[1:] for b in BAD_TABLES], ids=[b[0] for b in BAD_TABLES])
def test_bad_frequency_table_is_refused(case: str, cli, tmp_path, text, message) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "kr.tsv"
    path.write_text(text)
    before = _snp_state(case)
    assert cli(f"snp frequencies {path} --population KR", expect=1).stderr == message
    assert _snp_state(case) == before


def test_map_gives_cm_and_must_cover_every_site(case: str, cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "kr.csv"
    path.write_text("chrom,pos,ref,alt,af\n1,1000,A,G,0.2\n1,2000,C,T,0.5\n")
    genetic_map = tmp_path / "map.tsv"
    genetic_map.write_text("chrom\tpos\tcm\n1\t1000\t3.5\n")
    result = cli(f"snp frequencies {path} --population KR --map {genetic_map}", expect=1)
    assert result.stderr == "Error: map.tsv: site 1:2000 is not on the map; give a map covering every site\n"
    genetic_map.write_text("chrom\tpos\tcm\n1\t1000\t3.5\n1\t2000\t4.0\n")
    assert cli(f"snp frequencies {path} --population KR --map {genetic_map}").stdout == (
        "loaded SNP table KR: 2 sites, 2 with cM\n"
    )
    assert cli(f"snp frequencies {path} --population KR").stdout == "replaced SNP table KR: 2 sites, 0 with cM\n"


def test_show_unknown_sample(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("snp show S-9", expect=3).stderr == "Error: no sample with ID 'S-9'; `chosei sample list` shows them\n"


def test_missing_and_unreadable_files(case: str, cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _setup(case)
    table, _ = _files(tmp_path)
    cli(f"snp frequencies {table} --population KR")
    before = _snp_state(case)
    assert cli(f"snp import {tmp_path / 'nope.vcf'} --population KR", expect=1).stderr == (
        f"Error: {tmp_path / 'nope.vcf'}: no such file\n"
    )
    broken = tmp_path / "broken.vcf.gz"
    broken.write_bytes(b"\x1f\x8b" + b"not really gzip")
    assert cli(f"snp import {broken} --population KR", expect=1).stderr.startswith(
        "Error: broken.vcf.gz: not a readable VCF text file ("
    )
    assert _snp_state(case) == before
