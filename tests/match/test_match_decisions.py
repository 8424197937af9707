"""`chosei match confirm|reject`: people decide, one confirmed victim per specimen, the
remains stage follows, the audit log records it; refusals change nothing."""

from __future__ import annotations

import json
from datetime import date

import pytest

from chosei.models import Identification
from tests.cli.storeview import fetch, snapshot
from tests.match import scene

RUN = "match run --dropout 0 --mutation none --threshold 100"
TODAY = date.today().isoformat()


def _remains(cli) -> dict[str, int]:  # type: ignore[no-untyped-def]
    data = json.loads(cli("status --json").stdout)
    return {row["stage"]: row["KR"] for row in data["remains_stage"]}


def _identification(url: str, specimen: str, victim: str) -> dict:
    rows = fetch(url, Identification, Identification.specimen_id == specimen, Identification.victim_id == victim)
    return rows[0] if rows else {}


def test_confirm_records_the_decision_and_moves_the_remains_stage(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    scene.build(case)
    assert _remains(cli) == {"none attributed": 3, "candidate": 0, "identified": 0, "returned": 0}
    cli(RUN)
    assert _remains(cli) == {"none attributed": 1, "candidate": 2, "identified": 0, "returned": 0}
    result = cli("match confirm SP-001 V-001 --by 'joint review board' --note 'two relatives agree'")
    assert result.stdout == (f"Confirmed: specimen SP-001 is victim V-001 (was candidate); LR 200, posterior "
                             f"0.5235602094; decided by joint review board on {TODAY}\n")
    assert result.stderr == ""
    row = _identification(case, "SP-001", "V-001")
    assert {k: row[k] for k in ("status", "decided_by", "decided_on", "notes", "method")} == {
        "status": "confirmed", "decided_by": "joint review board", "decided_on": TODAY,
        "notes": "two relatives agree", "method": "chosei match run (population KR, theta 0, mutation none)"}
    assert row["lr"] == pytest.approx(200)
    assert _remains(cli) == {"none attributed": 1, "candidate": 1, "identified": 1, "returned": 0}
    cli("custody record SP-001 returned --at 2026-06-01 --from police --to family")
    assert _remains(cli) == {"none attributed": 1, "candidate": 1, "identified": 0, "returned": 1}
    log = json.loads(cli("audit log SP-001 --json").stdout)
    changes = [(e["actor"], e["action"], e["before"]["status"] if e["before"] else None, e["after"]["status"])
               for e in log if e["entity"] == "identification"]
    assert changes == [("tester", "create", None, "candidate"), ("tester", "update", "candidate", "confirmed")]


def test_a_run_never_confirms_and_keeps_decisions(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    scene.build(case)
    cli("match run --dropout 0 --mutation none --threshold 1")
    statuses = {r["status"] for r in fetch(case, Identification)}
    assert statuses == {"candidate"}
    cli("match confirm SP-001 V-001 --by board")
    cli("match reject SP-002 V-002 --by board")
    before = {(r["specimen_id"], r["victim_id"]): r for r in fetch(case, Identification)
              if r["status"] != "candidate"}
    cli("match run --dropout 0 --threshold 1")  # other parameters, other numbers
    after = {(r["specimen_id"], r["victim_id"]): r for r in fetch(case, Identification)
             if r["status"] != "candidate"}
    assert after == before


def test_one_confirmed_victim_per_specimen(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    scene.build(case)
    cli(RUN)
    cli("match confirm SP-001 V-001 --by board")
    before = snapshot(case)
    result = cli("match confirm SP-001 V-002 --by board", expect=4)
    assert result.stderr == ("Error: specimen SP-001 is already confirmed as victim V-001; one specimen is one "
                             "person: reject that first (`chosei match reject SP-001 V-001 --by NAME`)\n")
    assert snapshot(case) == before
    # withdrawing the confirmation frees the specimen
    out = cli("match reject SP-001 V-001 --by board --note 'sample mix-up'").stdout
    assert out == (f"Rejected: specimen SP-001 is not victim V-001 (was confirmed); LR 200, posterior 0.5235602094; "
                   f"decided by board on {TODAY}\n")
    cli("match confirm SP-001 V-002 --by board --override 'dental records'")  # posterior 1/3
    # one victim, several bones: SP-005 may be confirmed as V-001 too
    cli("match confirm SP-005 V-001 --by board")


def test_confirming_below_the_threshold_warns(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    scene.build(case)
    cli(RUN)
    # posterior 0.01164 among the case's 5: the guard rail needs a reason too
    result = cli("match confirm SP-002 V-002 --by board --note 'dental records' --override 'dental records'")
    assert result.stderr == ("Warning: the LR (2.14286) is below the candidate threshold (100); confirmed on the "
                             "strength of other evidence\n")
    assert _identification(case, "SP-002", "V-002")["status"] == "confirmed"


@pytest.mark.parametrize(
    ("command", "code", "message"),
    [
        pytest.param("confirm SP-001 V-001 --by board", 4,
                     "specimen SP-001 is already confirmed as victim V-001 on {today} by board", id="again"),
        pytest.param("confirm SP-003 V-001 --by board", 4,
                     "specimen SP-003 is not confirmed as victim V-001: the DNA excludes it (at D3S1358); and its "
                     "posterior 0 is below 0.5; if other evidence settles it, re-run with --override \"REASON\"",
                     id="excluded"),
        pytest.param("confirm SP-004 V-004 --by board", 4,
                     "no computed match for specimen SP-004 and victim V-004; a confirmation rests on a computed "
                     "likelihood ratio: run `chosei match run` (the victim needs a typed relative who consents to "
                     "analysis)", id="not-computed"),
        pytest.param("reject SP-002 V-004 --by board", 4,
                     "nothing to reject: no computed match or identification for specimen SP-002 and victim V-004; "
                     "`chosei match list --specimen SP-002` shows its candidates", id="nothing-to-reject"),
        pytest.param("confirm SP-009 V-001 --by board", 3,
                     "no specimen with ID 'SP-009'; did you mean SP-005, SP-004, SP-003?", id="unknown-specimen"),
        pytest.param("confirm SP-001 V-009 --by board", 3,
                     "no victim with ID 'V-009'; did you mean V-003, V-002, V-001?", id="unknown-victim"),
        pytest.param("confirm SP-002 V-002 --by ' '", 1,
                     "--by must name who decides, e.g. --by 'KR-JP joint review board'", id="blank-by"),
    ],
)
def test_refusals_change_nothing(case: str, cli, command: str, code: int, message: str) -> None:  # type: ignore[no-untyped-def]
    scene.build(case)
    with_v4 = "V-004" in command
    if with_v4:
        cli("victim add V-004 --nationality JP --japanese 山田一郎")
    cli(RUN)
    cli("match confirm SP-001 V-001 --by board")
    before = snapshot(case)
    result = cli(f"match {command}", expect=code)
    assert result.stderr == f"Error: {message.format(today=TODAY)}\n"
    assert result.stdout == ""
    assert snapshot(case) == before


def test_by_is_required(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    scene.build(case)
    result = cli("match confirm SP-001 V-001", expect=2)
    assert "Missing option '--by'" in result.stderr


def test_confirm_before_any_run(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    scene.build(case)
    result = cli("match confirm SP-001 V-001 --by board", expect=4)
    assert result.stderr.startswith("Error: no computed match for specimen SP-001 and victim V-001;")
