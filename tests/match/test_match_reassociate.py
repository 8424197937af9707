"""`chosei match reassociate`: direct matches group specimens into individuals (DNA groups),
and `status` counts at least as many individuals as groups."""

from __future__ import annotations

import json

import pytest

from chosei.models import DnaGroup, Specimen
from tests.cli.storeview import fetch, snapshot, writing
from tests.match import scene


def _groups(url: str) -> dict[str, str]:
    return {r["specimen_id"]: r["group_id"] for r in fetch(url, DnaGroup)}


def test_identical_profiles_are_one_individual(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    scene.build(case)
    status = json.loads(cli("status --json").stdout)
    assert (status["dna_groups"], status["mni"]) == (0, 1)  # a left and a right femur
    result = cli("match reassociate --dropout 0 --threshold 1000")
    # SP-001 = SP-005 at D3S1358 10/10 (p 0.05) and vWA 10/10 (p 0.1): 1 / (0.05² × 0.1²) = 40,000
    assert result.stdout == (
        "3 individual(s) among the profiled specimens: 1 group(s) of several specimens, 2 single "
        "(population KR, link from LR 1e+03)\n"
        "\n"
        "G-SP-001: SP-001, SP-005\n"
        "  SP-001 = SP-005: LR 4.000e+04, random match probability 2.500e-05 (2 markers)\n"
        "\n"
        "DNA groups stored: 4 new, 0 changed, 0 removed\n"
    )
    assert result.stderr == "Warning: specimen SP-004 has no autosomal profile: left out\n"
    assert _groups(case) == {"SP-001": "G-SP-001", "SP-005": "G-SP-001", "SP-002": "G-SP-002",
                             "SP-003": "G-SP-003"}
    status = json.loads(cli("status --json").stdout)
    assert (status["dna_groups"], status["mni"]) == (3, 3)
    assert "Minimum number of individuals: 3, 3 DNA group(s)" in cli("status").stdout
    log = json.loads(cli("audit log SP-005 --json").stdout)
    assert [(e["entity"], e["action"]) for e in log if e["entity"] == "dna_group"] == [("dna_group", "create")]


def test_groups_follow_the_threshold_and_rerunning_changes_nothing(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    scene.build(case)
    cli("match reassociate --dropout 0 --threshold 1000")
    assert cli("match reassociate --dropout 0 --threshold 1000").stdout.endswith(
        "DNA groups stored: 0 new, 0 changed, 0 removed\n")
    out = cli("match reassociate --dropout 0").stdout  # 10⁶: two markers are not enough
    assert out.startswith("4 individual(s) among the profiled specimens: 0 group(s) of several specimens, 4 single")
    assert out.endswith("DNA groups stored: 0 new, 1 changed, 0 removed\n")
    assert _groups(case)["SP-005"] == "G-SP-005"
    assert json.loads(cli("status --json").stdout)["mni"] == 4


def test_two_left_femurs_grouped_are_a_conflict(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    scene.build(case)
    with writing(case) as s:
        s.get(Specimen, "SP-005").side = "left"
    result = cli("match reassociate --dropout 0 --threshold 1000")
    assert result.stderr == (
        "Warning: specimen SP-004 has no autosomal profile: left out\n"
        "Warning: conflict: SP-001 and SP-005: marked as not the same person but grouped together; review this "
        "group\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param("--threshold 1", "--threshold must be a likelihood ratio above 1, not 1", id="threshold"),
        pytest.param("--theta 1", "--theta must be at least 0 and below 1, not 1", id="theta"),
        pytest.param("--population JP", "no allele frequency table for population 'JP'; the store has: KR",
                     id="population"),
    ],
)
def test_refusals_change_nothing(case: str, cli, args: str, message: str) -> None:  # type: ignore[no-untyped-def]
    scene.build(case)
    cli("match reassociate --dropout 0 --threshold 1000")
    before = snapshot(case)
    result = cli(f"match reassociate --dropout 0 {args}", expect=1)
    assert result.stderr == f"Error: {message}\n"
    assert snapshot(case) == before


def test_nothing_to_group(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("match reassociate --dropout 0", expect=1)
    assert result.stderr == "Error: the store holds no allele frequency table; import one (the Frequencies sheet " \
                            "of the exchange workbook) before matching\n"
