"""`chosei match list` and `chosei match show`: candidates, every pair, a ranking, a pair
explained (per-marker LRs, relatives and pedigree, Y/mtDNA, exclusions)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from chosei.models import Genotype, Identification
from tests.cli.storeview import add_rows, writing
from tests.match import scene

RUN = "match run --dropout 0 --mutation none --threshold 100"


def test_list_shows_the_candidates(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    scene.build(case)
    cli(RUN)
    assert cli("match list").stdout == (
        "specimen_id  victim_id  lr         posterior     status     excluded\n"
        "SP-001       V-001      200        0.5235602094  candidate\n"  # 200 / (200 + 1 + 1 + 180)
        "SP-004       V-003      1.817e+04  0.9900847362  candidate\n"  # scene.Y_LR x scene.MT_LR
        "SP-005       V-001      200        0.5235602094  candidate\n"
        "3 pair(s)\n"
    )


def test_list_json_carries_the_numbers(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    scene.build(case)
    cli(RUN)
    cli("match reject SP-003 V-001 --by board")
    rows = json.loads(cli("match list --victim V-001 --json").stdout)
    assert [(r["specimen_id"], r["lr"], r["status"]) for r in rows] == [
        ("SP-001", pytest.approx(200), "candidate"), ("SP-003", 0, "rejected"),
        ("SP-005", pytest.approx(200), "candidate")]
    first = rows[0]
    assert set(first) >= {"specimen_id", "victim_id", "lr", "posterior", "status", "autosomal_lr", "y_lr", "mt_lr",
                          "excluded_markers", "computed", "population", "sample_id"}
    assert (first["posterior"], first["computed"], first["population"], first["sample_id"]) == (
        pytest.approx(200 / 382), True, "KR", "SS-001")
    assert rows[1]["excluded_markers"] == ["D3S1358"]


def test_list_filters_and_all(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    scene.build(case)
    cli(RUN)
    rows = json.loads(cli("match list --all --specimen SP-002 --json").stdout)
    assert [(r["victim_id"], r["status"]) for r in rows] == [("V-002", None), ("V-001", None), ("V-003", None)]
    assert json.loads(cli("match list --specimen SP-002 --json").stdout) == []
    empty = "(no candidates; `chosei match run` computes them)\n0 pair(s)\n"
    assert cli("match list --specimen SP-002").stdout == empty


def test_list_shows_decisions_without_a_computed_match(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    scene.build(case)
    add_rows(case, Identification(specimen_id="SP-002", victim_id="V-003", lr=35.0, status="rejected",
                                  decided_on="2026-01-10", decided_by="board"))
    rows = json.loads(cli("match list --json").stdout)
    assert [(r["specimen_id"], r["victim_id"], r["lr"], r["status"], r["computed"]) for r in rows] == [
        ("SP-002", "V-003", 35.0, "rejected", False)]


def test_unknown_specimen_in_list(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    scene.build(case)
    result = cli("match list --specimen SP-099", expect=3)
    assert result.stderr == "Error: no specimen with ID 'SP-099'; did you mean SP-005, SP-004, SP-003?\n"


def test_show_ranks_a_specimen(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    scene.build(case)
    cli(RUN)
    assert cli("match show SP-003").stdout == (
        "Specimen SP-003: victims by likelihood ratio (candidate from 100)\n"
        "rank  victim_id  lr  posterior       autosomal  y  mt  status  excluded\n"
        "1     V-002      1   0.005494505495  1          -  -   -\n"  # 1 / (0 + 1 + 1 + 180)
        "2     V-003      1   0.005494505495  1          -  -   -\n"
        "1 victim(s) excluded (LR 0); `chosei match list --all --specimen SP-003` lists them\n"
        "Remainder 0.989010989: a victim with no usable relatives (closed set over the N = 183 expected victims)\n"
    )  # 180 / (0 + 1 + 1 + 180)


def test_show_before_any_run(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    scene.build(case)
    assert cli("match show SP-001").stdout == (
        "No computed matches for specimen SP-001: `chosei match run` computes them (the specimen needs a "
        "typed sample)\n")


def test_show_explains_an_exclusion(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    scene.build(case)
    cli(RUN)
    out = cli("match show SP-003 V-001").stdout
    assert out == (
        "The DNA excludes 김가온: this bone cannot be his.\n"
        "Among the 183 expected victims, the probability that it is 김가온's is 0.\n"
        "\n"
        "Specimen SP-003 (samples SS-003) against victim V-001 (김가온)\n"
        "Parameters: population KR, theta 0, mutation none; Y-STR: published per-locus rates, rate2 1e-05, "
        "frequency kappa if unseen, else counting bound; mtDNA frequency kappa if unseen, else counting bound\n"
        "\n"
        "Relatives (y line / mt line: meioses from the victim)\n"
        "relative_id  relationship  typed  y line  mt line  use\n"
        "R-001        son           2 STR  -       -        used\n"
        "\n"
        "Pedigree\n"
        "  V-001: victim (male, typed, founder)\n"
        "  V-001:partner: untyped other parent of V's children (female, untyped, founder)\n"
        "  R-001: son (male, typed, child of V-001 and V-001:partner)\n"
        "\n"
        "Autosomal STR (mendel: consistent with the pedigree without mutation; floored: alleles absent from the "
        "table, given the minimum frequency)\n"
        "marker   specimen  R-001  lr  status       mendel  floored\n"
        "D3S1358  11/11     10/10  0   exclusion    no\n"
        "vWA      10/10     10/10  10  informative  yes\n"
        "Inconsistent with the pedigree without mutation: 1 marker(s) (D3S1358)\n"
        "\n"
        "Y-STR: not applicable — the specimen has no Y result\n"
        "\n"
        "mtDNA: not applicable — the specimen has no mtDNA result\n"
        "\n"
        "Autosomal LR 0; combined LR 0\n"
        "Posterior 0: closed set over the N = 183 expected victims (3 compared for this specimen, the others "
        "with LR 1)\n"
        "Remainder 0.989010989: a victim with no usable relatives\n"
        "Excluded at: D3S1358\n"
    )


def test_show_son_and_brother_per_marker(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    scene.build(case)
    cli(RUN)
    data = json.loads(cli("match show SP-002 V-002 --json").stdout)
    assert data["markers"] == [{"marker": "TH01", "specimen": "6/7", "relatives": {"R-002": "6/8", "R-003": "6/9"},
                                "lr": pytest.approx(2.142857, rel=1e-6), "status": "informative", "floored": [],
                                "mendel": "consistent"}]
    assert data["lr"] == pytest.approx(data["stored"]["lr"], rel=1e-12)
    assert data["posterior"] == pytest.approx(data["stored"]["posterior"], rel=1e-12)
    assert data["notes"] == []
    assert "R-002: son (male, typed, child of V-002 and V-002:partner)" in data["pedigree"]
    assert "R-003: brother (male, typed, child of V-002:father and V-002:mother)" in data["pedigree"]


def test_show_lineage_findings(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    scene.build(case)
    cli(RUN)
    out = cli("match show SP-004 V-003").stdout
    assert (
        "Y-STR: match, LR 101\n"
        "  haplotype seen 0 time(s) in 100 of the database; Brenner's kappa frequency (unseen) 0.00989851\n"
        "  R-004 (brother's son, 3 meioses): match (identical)\n"
        "\n"
        "mtDNA: match, LR 179.9\n"
        "  haplotype seen 1 time(s) in 1000 of the database; 95% upper bound 0.00555892\n"
        "  R-005 (sister's son, 3 meioses): match (identical)\n"
        "\n"
        "Autosomal LR 1; combined LR 1.817e+04\n"
    ) in out
    assert "no autosomal marker typed in both the specimen and a relative" in out


def test_show_names_a_lineage_exclusion(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    scene.build(case)
    with writing(case) as s:
        row = s.execute(select(Genotype).where(Genotype.sample_id == "SS-004", Genotype.marker == "DYS19")
                        ).scalar_one()
        row.allele1, row.allele2 = "15", "16"  # a second copy: no mutation model explains it
    cli(RUN)
    pair = json.loads(cli("match list --all --specimen SP-004 --victim V-003 --json").stdout)[0]
    assert (pair["lr"], pair["y_lr"], pair["excluded_markers"]) == (0, 0, ["Y-STR"])
    out = cli("match show SP-004 V-003").stdout
    assert "  R-004 (brother's son, 3 meioses): exclusion (DYS19: 15/16 vs 15)\n" in out
    assert "Excluded at: Y-STR\n" in out


def test_show_says_when_the_store_changed(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    scene.build(case)
    cli(RUN)
    with writing(case) as s:
        s.add_all(scene.genotypes("RS-002", [("vWA", "10", "10")]))
        s.add_all(scene.genotypes("SS-002", [("vWA", "10", "10")]))
        s.flush()
    notes = json.loads(cli("match show SP-002 V-002 --json").stdout)["notes"]
    assert notes == ["the store changed since the last run (stored LR 2.14286); run `chosei match run` to refresh it"]
