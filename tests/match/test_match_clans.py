"""Clans: victims whose paternal lines carry one Y haplotype are named, and the closed-set
posterior splits between them when only the Y line speaks."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import delete

from chosei.kinship import LineageFamily, LineageRelative, YHaplotype, closed_set, y_clans
from chosei.models import Genotype
from chosei.services.relatives import add_relative, give_consent
from chosei.services.victims import add_victim
from tests.cli.storeview import writing
from tests.match import scene
from tests.samples_at import add_sample_at

RUN = "match run --mutation none --threshold 100"


def fam(victim: str, *haps: tuple[str, dict], sex: str = "M") -> LineageFamily:
    return LineageFamily(victim, tuple(LineageRelative(f"{victim}-{i}", term, YHaplotype.parse(h))
                                       for i, (term, h) in enumerate(haps)), sex)  # type: ignore[arg-type]


A = {"DYS19": 15, "DYS390": 23}
B = {"DYS19": 14, "DYS390": 23}


def test_y_clans_join_victims_sharing_a_haplotype_transitively():
    families = [
        fam("V-1", ("son", A)),
        fam("V-2", ("brother", A), ("brother's son", B)),  # joins V-1 by A and V-4 by B
        fam("V-3", ("father", {"DYS19": 16, "DYS390": 23})),
        fam("V-4", ("father", B)),
        fam("V-5", ("sister's son", A)),  # not on the paternal line
        fam("V-6", ("son", A), sex="F"),  # a woman has no Y line
        fam("V-7", ("son", {"DYS19": 15})),  # fewer markers: not the same haplotype
    ]
    assert y_clans(families) == [("V-1", "V-2", "V-4")]
    assert y_clans(families[2:4]) == []


def test_equal_lrs_split_the_closed_set_posterior():
    found = closed_set([27.6, 27.6, 1.0], 183)
    assert found.posteriors[0] == found.posteriors[1]
    assert found.posteriors[0] == pytest.approx(27.6 / (2 * 27.6 + 181), rel=1e-12)


def _clan_scene(case: str) -> None:
    """The scene, plus V-004 whose son R-006 carries R-004's Y haplotype; SP-004 without mtDNA."""
    scene.build(case)
    with writing(case) as s:
        add_victim(s, {"id": "V-004", "nationality": "KR", "name_hangul": "최바다"})
        add_relative(s, {"id": "R-006", "victim_id": "V-004", "relationship": "son"})
        give_consent(s, "R-006", ["analysis"], "2025-10-01")
        add_sample_at(s, {"id": "RS-006", "relative_id": "R-006", "type": "saliva", "status": "profiled"})
        s.add_all(scene.genotypes("RS-006", [("DYS19", "15", None), ("DYS390", "23", None)]))
        s.execute(delete(Genotype).where(Genotype.sample_id == "SS-004", Genotype.marker == "mtDNA"))
        s.flush()


def test_match_show_and_coverage_name_the_clan(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    _clan_scene(case)
    cli(RUN)
    pairs = {p["victim_id"]: p for p in json.loads(cli("match list --all --specimen SP-004 --json").stdout)}
    assert pairs["V-003"]["lr"] == pytest.approx(scene.Y_LR, rel=1e-7)
    assert pairs["V-004"]["lr"] == pytest.approx(scene.Y_LR, rel=1e-7)
    assert pairs["V-003"]["posterior"] == pairs["V-004"]["posterior"]
    assert pairs["V-003"]["posterior"] == pytest.approx(scene.Y_LR / (2 * scene.Y_LR + 181), rel=1e-7)
    out = cli("match show SP-004 V-003").stdout
    assert ("  Clan: the same Y haplotype is on the paternal line of V-004 (최바다); the Y-STR LR alone cannot tell "
            "them apart, and the posterior splits between them unless other evidence differs\n") in out
    assert json.loads(cli("match show SP-004 V-004 --json").stdout)["clan"] == [
        {"victim_id": "V-003", "victim_name": "박다솜"}]
    data = json.loads(cli("coverage --json").stdout)
    assert data["clans"] == [["V-003", "V-004"]]
    text = cli("coverage").stdout
    assert ("Clan: V-003, V-004 — one Y haplotype on their paternal lines; the Y-STR LR alone cannot tell them "
            "apart\n") in text


def test_no_clan_without_a_shared_haplotype(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    scene.build(case)
    cli(RUN)
    assert json.loads(cli("match show SP-004 V-003 --json").stdout)["clan"] == []
    assert json.loads(cli("coverage --json").stdout)["clans"] == []
    assert "Clan:" not in cli("coverage").stdout
