"""`chosei match assign`: the joint assignment, its conflicts and the undisputed, by hand.

The scene (`scene.py`) plus SP-007, a left femur typed D3S1358 10/10 and TH01 6/7:
against V-001 (son D3S1358 10/10) LR 1/0.05 = 20, against V-002 (son TH01 6/8, brother
TH01 6/9) 2.142857. SP-001 is also a left femur, LR 200 to V-001. Alone, both left
femurs choose V-001: a conflict. Jointly, SP-001 → V-001 (200) and SP-007 → V-002
(2.142857) give log10 (200 × 2.142857) = 2.632; the other way, 20 × 1 = 20, is worse.
Undisputed from LR 100: SP-005 (200, right femur, nobody else's rival), SP-004 (4967,
a tooth); not SP-001, whose rival left femur SP-007 has LR 20 > 200 / 100 for V-001.
"""

from __future__ import annotations

import json
import math

import pytest

from chosei.models import DnaGroup
from chosei.services.recovery import add_specimen
from tests.cli.storeview import snapshot, writing
from tests.match import scene
from tests.samples_at import add_sample_at

RUN = "match run --dropout 0 --mutation none --threshold 100"


def _second_left_femur(url: str) -> None:
    scene.build(url)
    with writing(url) as s:
        add_specimen(s, {"id": "SP-007", "element": "femur", "side": "left"})
        add_sample_at(s, {"id": "SS-007", "specimen_id": "SP-007", "type": "bone", "status": "profiled"})
        s.add_all(scene.genotypes("SS-007", [("D3S1358", "10", "10"), ("TH01", "6", "7")]))
        s.flush()


def test_two_left_femurs_are_not_one_mans(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    _second_left_femur(case)
    cli(RUN)
    before = snapshot(case)
    out = cli("match assign").stdout
    assert out == (
        "Joint assignment (alone: the unit's best victim when it differs; undisputed from LR 100)\n"
        "unit    specimens  bones        victim  lr         posterior      alone  undisputed\n"
        "SP-001  SP-001     femur left   V-001   200        0.5235602094\n"
        "SP-002  SP-002     -            V-002   2.143      0.01163692785\n"
        "SP-003  SP-003     -            -       -          -\n"
        "SP-004  SP-004     -            V-003   1.817e+04  0.9900847362          yes\n"  # Y_LR x MT_LR
        "SP-005  SP-005     femur right  V-001   200        0.5235602094          yes\n"
        "SP-007  SP-007     femur left   V-002   2.143      0.01054852321  V-001\n"
        "Conflict: V-001 is the best victim of SP-001, SP-007, each holding a femur left\n"
        "5 of 6 unit(s) assigned; 2 undisputed; 1 conflict(s)\n"
    )
    data = json.loads(cli("match assign --json").stdout)
    lrs = 200 * 2.142857 * 2.142857 * scene.Y_LR * scene.MT_LR * 200
    assert data["log10_lr"] == pytest.approx(math.log10(lrs), rel=1e-6)
    sp7 = next(u for u in data["units"] if u["unit"] == "SP-007")
    assert (sp7["best"]["victim_id"], sp7["best"]["lr"]) == ("V-001", pytest.approx(20, rel=1e-12))
    # SP-007's row: V-001 20, V-002 2.142857, V-003 1, and 180 not compared
    assert sp7["assigned"]["posterior"] == pytest.approx(2.142857 / (20 + 2.142857 + 1 + 180), rel=1e-6)
    assert data["conflicts"] == [{"victim_id": "V-001", "bone": "femur left", "units": ["SP-001", "SP-007"]}]
    assert snapshot(case) == before  # a view: nothing changes


def test_a_dna_group_holds_its_bones_together(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    """SP-001 (left femur) and SP-005 (right femur) in one DNA group: the group takes V-001
    with both femurs, so SP-007 (left femur) cannot; it goes to V-002."""
    _second_left_femur(case)
    with writing(case) as s:
        s.add_all([DnaGroup(specimen_id="SP-001", group_id="G-SP-001"),
                   DnaGroup(specimen_id="SP-005", group_id="G-SP-001")])
        s.flush()
    cli(RUN)
    data = json.loads(cli("match assign --json").stdout)
    units = {u["unit"]: u for u in data["units"]}
    group = units["G-SP-001"]
    assert (group["specimens"], group["bones"]) == (["SP-001", "SP-005"], ["femur left", "femur right"])
    assert group["assigned"]["victim_id"] == "V-001"
    assert units["SP-007"]["assigned"]["victim_id"] == "V-002"


def test_undisputed_needs_every_rival_weaker_by_the_factor(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    """From LR 10: SP-001's rival SP-007 has 20 <= 200 / 10 for V-001: undisputed now."""
    _second_left_femur(case)
    cli(RUN)
    data = json.loads(cli("match assign --threshold 10 --json").stdout)
    assert {u["unit"] for u in data["units"] if u["undisputed"]} == {"SP-001", "SP-004", "SP-005"}


@pytest.mark.parametrize(
    ("args", "message"),
    [("--threshold 0.5", "--threshold must be a likelihood ratio of at least 1, not 0.5"),
     ("--threshold nan", "--threshold must be a finite number, not nan")],
    ids=["below-one", "nan"],
)
def test_bad_threshold(case: str, cli, args: str, message: str) -> None:  # type: ignore[no-untyped-def]
    scene.build(case)
    cli(RUN)
    assert cli(f"match assign {args}", expect=1).stderr == f"Error: {message}\n"


def test_nothing_to_assign_before_a_run(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    scene.build(case)
    assert cli("match assign", expect=1).stderr == "Error: no computed matches yet; run `chosei match run` first\n"
