"""Matching with family trees, on both backends (all people fictional).

Two brother victims in one tree: V-010's tree holds V-010, V-011 and their sister
R-101 (TH01 7/7), children of untyped F and M. SP-010 is TH01 7/7. Full-sibling LR for
AA/AA at p(7) = 0.2: 1/4 + (1/2)/0.2 + (1/4)/0.04 = 9, for each brother, from the one
tree (V-011 has no relative of his own). With 3 victims expected (2 in the roster),
posterior = 9 / (9 + 9 + 1) = 0.4737 each, below one half.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chosei.services.recovery import add_specimen
from tests.cli.storeview import writing
from tests.family import scene
from tests.match.scene import genotypes
from tests.samples_at import add_sample_at

BROTHERS = "id fid mid sex\nF 0 0 1\nM 0 0 2\nV-010 F M 1\nV-011 F M 1\nR-101 F M 2\n"


def _specimen(url: str, sid: str, rows: list[tuple[str, str, str]]) -> None:
    with writing(url) as s:
        add_specimen(s, {"id": sid, "element": "cranium"})
        add_sample_at(s, {"id": f"S{sid}", "specimen_id": sid, "type": "bone", "status": "profiled"})
        s.add_all(genotypes(f"S{sid}", rows))
        s.flush()


def _drop_nephews(url: str) -> None:
    """Only the sister keeps DNA: the nephews' samples go (their DNA must else be placed)."""
    from sqlalchemy import delete

    from chosei.models import Genotype, Sample

    with writing(url) as s:
        s.execute(delete(Genotype).where(Genotype.sample_id.in_(["SR-102", "SR-103"])))
        s.execute(delete(Sample).where(Sample.id.in_(["SR-102", "SR-103"])))


def test_brother_victims_in_one_tree_split_the_posterior(db_url: str, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli("init --name Trees --expected 3 --expected-kr 3 --expected-jp 0")
    scene.build(db_url)
    _drop_nephews(db_url)
    _specimen(db_url, "SP-010", [("TH01", "7", "7")])
    ped = tmp_path / "brothers.ped"
    ped.write_text(BROTHERS, encoding="utf-8")
    cli("family", "import", "V-010", str(ped))
    cli("match run --mutation none --dropout 0 --threshold 5")
    rows = {r["victim_id"]: r for r in json.loads(cli("match list --all --specimen SP-010 --json").stdout)}
    assert (rows["V-010"]["lr"], rows["V-011"]["lr"]) == (pytest.approx(9, rel=1e-12), pytest.approx(9, rel=1e-12))
    assert rows["V-010"]["posterior"] == rows["V-011"]["posterior"] == pytest.approx(9 / 19, rel=1e-12)
    detail = json.loads(cli("match show SP-010 V-011 --json").stdout)
    assert [d["victim_id"] for d in detail["indistinguishable"]] == ["V-010"]
    # V-011 has no relative of his own: the tree's sister (entered under V-010) is his
    assert [(r["relative_id"], r["use"]) for r in detail["relatives"]] == [("R-101", "used")]
    assert detail["autosomal_lr"] == pytest.approx(9, rel=1e-12)
    assert detail["pedigree"] == [  # V-010, untyped with nobody typed below him, sums out
        "F: person of the family tree (male, untyped, founder)",
        "M: person of the family tree (female, untyped, founder)",
        "V-011: victim (male, typed, child of F and M)",
        "R-101: sister (female, typed, child of F and M)",
    ]


def test_a_tree_equivalent_to_the_terms_gives_the_same_lrs(case: str, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Nephews by ONE brother: the tree says what `brother's son` twice says; same LRs."""
    scene.build(case)
    _specimen(case, "SP-010", [("TH01", "7", "8")])
    cli("match run --mutation none --dropout 0 --threshold 1")
    by_terms = json.loads(cli("match list --all --specimen SP-010 --json").stdout)[0]["lr"]
    one_brother = scene.PED.replace("R-103\tB2\tW2", "R-103\tB1\tW1")
    ped = tmp_path / "one.ped"
    ped.write_text(one_brother, encoding="utf-8")
    cli("family", "import", "V-010", str(ped))
    cli("match run --mutation none --dropout 0 --threshold 1")
    by_tree = json.loads(cli("match list --all --specimen SP-010 --json").stdout)[0]["lr"]
    assert by_tree == pytest.approx(by_terms, rel=1e-12)
    two = tmp_path / "two.ped"
    two.write_text(scene.PED, encoding="utf-8")
    cli("family", "import", "V-010", str(two))
    cli("match run --mutation none --dropout 0 --threshold 1")
    by_two = json.loads(cli("match list --all --specimen SP-010 --json").stdout)[0]["lr"]
    assert by_two != pytest.approx(by_terms, rel=1e-3)
