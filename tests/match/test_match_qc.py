"""Quality checks beside the LR (`services/qc.py`): the elimination set of the staff who
handled the bones, markers inconsistent with the pedigree without mutation, amelogenin."""

from __future__ import annotations

import json

import pytest

from chosei.kinship import Genotype as G
from chosei.models import Genotype, Sample
from chosei.services import qc
from chosei.services.profiles import Profile
from tests.cli.storeview import add_rows, fetch
from tests.match import scene

RUN = "match run --threshold 100"  # the default mutation model: stepwise, rate 0.002


def _profile(owner: str, **genotypes: str) -> Profile:
    return Profile(owner, (owner,), {m: G.of(*g.split("/")) for m, g in genotypes.items()})


TEN = {f"M{i}": "10/12" for i in range(10)}


@pytest.mark.parametrize(("specimen", "hit"), [
    pytest.param(TEN, True, id="identical"),
    pytest.param({**TEN, "M0": "10/10"}, True, id="drop-out-as-homozygote-agrees"),
    pytest.param({**TEN, "M0": "12/-"}, True, id="partial-agrees"),
    pytest.param({**TEN, "M0": "10/13"}, False, id="one-allele-differs"),
    pytest.param(dict(list(TEN.items())[:7]), False, id="seven-markers-too-few"),
])
def test_elimination_hit_allows_dropout_in_the_bone(specimen: dict[str, str], hit: bool) -> None:
    found = qc.elimination_hit("SP-1", _profile("SP-1", **specimen), "ELIM-1", _profile("ELIM-1", **TEN))
    assert (found is not None) is hit
    if hit:
        assert found.markers == len(specimen)


def test_a_y_or_mtdna_difference_clears_the_staff_member() -> None:
    spec, staff = _profile("SP-1", **TEN), _profile("ELIM-1", **TEN)
    spec.mt_text, staff.mt_text = "16223T", "16223T"
    assert qc.elimination_hit("SP-1", spec, "ELIM-1", staff).lines == ("mtDNA",)
    staff.mt_text = "16223T 16362C"
    assert qc.elimination_hit("SP-1", spec, "ELIM-1", staff) is None


@pytest.mark.parametrize(("amel", "sex", "status"), [
    ("X,Y", "M", "consistent"), ("X", "M", "caveat"), ("X,Y", "F", "inconsistent"), ("X", "F", "consistent"),
])
def test_amelogenin_against_the_victims_sex(amel: str, sex: str, status: str) -> None:
    assert qc.amelogenin_check(amel, sex)["status"] == status
    assert qc.amelogenin_check(None, sex) is None


def test_show_counts_markers_the_mutation_model_explains(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    scene.build(case)
    # SP-003 is 11/11 at D3S1358 where V-001's son is 10/10: Mendel excludes, one step of
    # mutation explains; vWA 10/10 against 10/10 is consistent.
    cli(RUN)
    d = json.loads(cli("match show SP-003 V-001 --json").stdout)
    assert d["qc"]["mendel_inconsistent"] == ["D3S1358"]
    assert d["qc"]["explained_by_mutation"] == ["D3S1358"]
    assert [(m["marker"], m["mendel"]) for m in d["markers"]] == [("D3S1358", "inconsistent"),
                                                                 ("vWA", "consistent")]
    assert d["lr"] > 0 and d["excluded"] == []
    out = cli("match show SP-003 V-001").stdout
    assert "Inconsistent with the pedigree without mutation: 1 marker(s) (D3S1358); " \
           "the mutation model explains D3S1358\n" in out


def test_show_without_mutation_lists_the_exclusion_as_inconsistent(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    scene.build(case)
    cli("match run --mutation none --dropout 0 --threshold 100")
    d = json.loads(cli("match show SP-003 V-001 --json").stdout)
    assert (d["qc"]["mendel_inconsistent"], d["qc"]["explained_by_mutation"]) == (["D3S1358"], [])
    assert d["excluded"] == ["D3S1358"]


def test_show_checks_amelogenin(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    scene.build(case)
    add_rows(case, Genotype(sample_id="SS-001", marker="AMEL", allele1="X", allele2=None))
    cli(RUN)
    d = json.loads(cli("match show SP-001 V-001 --json").stdout)
    assert (d["qc"]["amelogenin"]["amelogenin"], d["qc"]["amelogenin"]["status"]) == ("X", "caveat")
    out = cli("match show SP-001 V-001").stdout
    assert ("Amelogenin X (caveat): the specimen shows X only but the victim is male; in degraded bone the Y "
            "peak often drops out") in out
    cli("victim edit V-001 --sex F")
    # A replicate shows the Y peak the first extraction lost: Y seen once is kept.
    cli("sample add SS-001B --specimen SP-001 --type bone --status collected")
    add_rows(case, Genotype(sample_id="SS-001B", marker="AMEL", allele1="X", allele2="Y"))
    d = json.loads(cli("match show SP-001 V-001 --json").stdout)
    assert (d["qc"]["amelogenin"]["amelogenin"], d["qc"]["amelogenin"]["status"]) == ("X,Y", "inconsistent")


def test_elimination_profile_is_flagged_everywhere(case: str, cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    scene.build(case)
    monkeypatch.setattr(qc, "ELIMINATION_MIN_MARKERS", 2)  # the scene types two markers
    cli("sample add ELIM-01 --type elimination --lab NFS --status collected")
    assert fetch(case, Sample, Sample.id == "ELIM-01")[0]["type"] == "elimination"
    add_rows(case, Genotype(sample_id="ELIM-01", marker="D3S1358", allele1="10", allele2="11"),
             Genotype(sample_id="ELIM-01", marker="vWA", allele1="10", allele2="10"))
    message = ("specimen SP-001 agrees with elimination profile ELIM-01 at all 2 autosomal markers typed in "
               "both: its DNA may be the handler's, not the bone's; do not rely on its matches until the bone "
               "is re-sampled")
    run = cli(RUN)
    assert f"Warning: ELIMINATION SET: {message}\n" in run.stderr
    shown = cli("match show SP-001 V-001")
    assert f"WARNING (elimination set): {message}\n" in shown.stdout
    assert f"WARNING (elimination set): {message}\n" in cli("match show SP-001").stdout
    problems = {p["check"]: p for p in json.loads(cli("check --json", expect=None).stdout)}
    assert problems["elimination-hit"]["ids"] == ["SP-001", "SP-003", "SP-005"]
    assert "sample-without-source" not in problems


def test_an_elimination_sample_has_no_source(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    scene.build(case)
    r = cli("sample add ELIM-02 --type elimination --specimen SP-001", expect=None)
    assert "an elimination sample is a staff member's reference: give it no specimen and no relative" in r.stderr
    r = cli("sample add S-X", expect=None)
    assert "a sample needs its source: give a specimen or a relative (or --type elimination" in r.stderr
