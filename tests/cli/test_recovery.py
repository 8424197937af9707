"""`chosei operation` and `chosei specimen`, on both backends."""

from __future__ import annotations

import json

import pytest

from chosei.models import Identification, Specimen, Victim
from chosei.services.recovery import add_operation, add_specimen
from tests.cli.storeview import add_rows, one, snapshot, writing


def _dives(url: str) -> None:
    with writing(url) as s:
        add_operation(s, {"id": "OP-2", "date": "2026-02", "site": "piya", "team": "divers"})
        add_operation(s, {"id": "OP-1", "date": "2025-08-26", "site": "T-junction",
                          "team": "divers", "notes": "-43 m"})
        add_operation(s, {"id": "OP-X"})
        add_specimen(s, {"id": "CH-001", "operation_id": "OP-1", "element": "대퇴골",
                         "side": "좌", "depth_m": 43, "other_ids": "P-25-01;LAB_7",
                         "custodian": "police"})
        add_specimen(s, {"id": "CH-002", "operation_id": "OP-1", "element": "humerus",
                         "side": "left", "recovered_on": "2025-08-26"})
        add_specimen(s, {"id": "CH-003", "operation_id": "OP-2", "element": "頭蓋骨",
                         "other_ids": "P-26-01"})


def test_operation_add(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("operation add OP-1 --date 2025-08-26 --site T-junction").stdout == (
        "Added operation OP-1 on 2025-08-26\n")
    assert cli("operation add OP-2").stdout == "Added operation OP-2\n"


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        pytest.param("OP-1", 4, "operation OP-1 exists; `chosei operation list` shows it",
                     id="exists"),
        pytest.param("OP-3 --date 2025-08-32", 1,
                     "date: '2025-08-32' is not a date: August 2025 has 31 days", id="bad-date"),
    ],
)
def test_operation_add_refused(case: str, cli, args: str, code: int, message: str) -> None:  # type: ignore[no-untyped-def]
    _dives(case)
    before = snapshot(case)
    assert cli(f"operation add {args}", expect=code).stderr == f"Error: {message}\n"
    assert snapshot(case) == before


def test_operation_list(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    _dives(case)
    assert cli("operation list").stdout == (
        "id    date        site        team    specimens\n"
        "OP-1  2025-08-26  T-junction  divers  2\n"
        "OP-2  2026-02     piya        divers  1\n"
        "OP-X                                  0\n"
    )
    data = json.loads(cli("operation list --json").stdout)
    assert data[0] == {"id": "OP-1", "date": "2025-08-26", "site": "T-junction", "team": "divers",
                       "notes": "-43 m", "version": 1, "specimens": 2}


def test_operation_list_empty(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("operation list").stdout == "(no operations)\n"


def test_specimen_add(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    cli("operation add OP-1")
    out = cli("specimen add ＣＨ－００１ --operation ＯＰ－１ --element 上腕骨 --side 左 --depth 43.5 "
              "--other-id P-25-01 --other-id 'LAB-9; LAB-9' --other-id CH-001").stdout
    # The own ID and the repeated LAB-9 are dropped from the other IDs.
    assert out == "Added specimen CH-001 (left humerus), also known as P-25-01, LAB-9\n"
    row = one(case, Specimen, "CH-001")
    assert (row["operation_id"], row["element"], row["side"], row["depth_m"], row["other_ids"]) == (
        "OP-1", "humerus", "left", 43.5, "P-25-01;LAB-9")


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        pytest.param("CH-001", 4, "specimen CH-001 exists; `chosei specimen show CH-001` shows it",
                     id="exists"),
        pytest.param("CH-009 --other-id P-25-01", 4,
                     "P-25-01 already names specimen CH-001 (as an other ID); one ID may name "
                     "one item only", id="other-id-taken"),
        pytest.param("P-26-01", 4,
                     "P-26-01 already names specimen CH-003 (as an other ID); one ID may name "
                     "one item only", id="id-is-an-other-id"),
        pytest.param("CH-009 --other-id S-001", 4,
                     "S-001 already names sample S-001; one ID may name one item only",
                     id="other-id-is-a-sample"),
        pytest.param("CH-009 --operation OP-9", 3,
                     "no operation with ID 'OP-9'; did you mean OP-X, OP-2, OP-1?",
                     id="unknown-operation"),
        pytest.param("CH-009 --element femurr", 1,
                     "'femurr' is not a skeletal element (did you mean femur?); expected one of: "
                     "cranium, mandible, tooth, vertebra, rib, clavicle, scapula, humerus, radius, "
                     "ulna, hand, pelvis, sacrum, femur, patella, tibia, fibula, foot, fragment",
                     id="bad-element"),
        pytest.param("CH-009 --depth -3", 1, "depth (m): '-3' must be at least 0",
                     id="negative-depth"),
    ],
)
def test_specimen_add_refused(case: str, cli, args: str, code: int, message: str) -> None:  # type: ignore[no-untyped-def]
    _dives(case)
    cli("sample add S-001 --specimen CH-001")
    before = snapshot(case)
    assert cli(f"specimen add {args}", expect=code).stderr == f"Error: {message}\n"
    assert snapshot(case) == before


def test_specimen_list(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    _dives(case)
    assert cli("specimen list").stdout == (
        "id      operation_id  recovered_on  element  side  depth_m  custodian  other_ids\n"
        "CH-001  OP-1                        femur    left  43       police     P-25-01;LAB_7\n"
        "CH-002  OP-1          2025-08-26    humerus  left\n"
        "CH-003  OP-2                        cranium                            P-26-01\n"
        "3 specimen(s)\n"
    )
    data = json.loads(cli("specimen list --side L --json").stdout)
    assert [s["id"] for s in data] == ["CH-001", "CH-002"]
    data = json.loads(cli("specimen list --element 上腕骨 --side left --json").stdout)
    assert [s["id"] for s in data] == ["CH-002"]
    assert cli("specimen list --element tibia").stdout == "(no specimens)\n0 specimen(s)\n"


def test_specimen_list_bad_filter(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("specimen list --side up", expect=1)
    assert result.stderr == (
        "Error: 'up' is not a side; expected one of: left, right, midline, unknown\n")


def test_specimen_show(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    _dives(case)
    cli("sample add S-001 --specimen CH-001 --type bone --lab NFS --lab-ref N-77")
    cli("custody record CH-001 recovered --at 2025-08-26T10:00 --to divers")
    cli("custody record CH-001 transferred --at 2025-08-26T16:00 --from divers --to police")
    cli("custody record CH-001 stored --at 2025-08-27 --from someone --to 'police store'")
    add_rows(case, Victim(id="V-001", nationality="KR", name_hangul="김가온"),
             Identification(specimen_id="CH-001", victim_id="V-001", status="confirmed",
                            lr=1.5e6, posterior=0.9999, decided_on="2026-03-01"))
    out = cli("specimen show P-25-01").stdout
    assert out == (
        "Specimen CH-001\n"
        "id            CH-001\n"
        "operation_id  OP-1\n"
        "recovered_on  \n"
        "location      \n"
        "depth_m       43\n"
        "element       femur\n"
        "side          left\n"
        "portion       \n"
        "condition     \n"
        "custodian     police\n"
        "other_ids     P-25-01;LAB_7\n"
        "notes         \n"
        "version       1\n"
        "\n"
        "Samples\n"
        "id     type  status   status_date  lab  lab_ref\n"
        "S-001  bone  planned               NFS  N-77\n"
        "\n"
        "Custody: 3 event(s), from recovered 2025-08-26T10:00 to stored 2025-08-27; "
        "held by police store\n"
        "    GAP: 'stored' at 2025-08-27 is from someone, but the last recorded holder was police\n"
        "\n"
        "Identifications\n"
        "victim_id  status     lr       posterior  decided_on\n"
        "V-001      confirmed  1.5e+06  0.9999     2026-03-01\n"
    )


def test_specimen_show_json(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    _dives(case)
    data = json.loads(cli("specimen show LAB_7 --json").stdout)
    assert data["specimen"]["id"] == "CH-001"
    assert data["samples"] == [] and data["identifications"] == []
    assert data["custody"] == {"events": 0, "first": None, "last": None, "holder": None, "gaps": []}
    assert "Custody: no events recorded\n" in cli("specimen show CH-002").stdout


@pytest.mark.parametrize(
    ("ident", "message"),
    [
        pytest.param("CH-01", "no specimen with ID 'CH-01'; did you mean CH-001, CH-003, CH-002?",
                     id="close"),
        # LIKE wildcards in an ID match only themselves.
        pytest.param("LAB%7", "no specimen with ID 'LAB%7'; did you mean LAB_7?", id="percent"),
        pytest.param("P-25", "no specimen with ID 'P-25'; did you mean P-25-01?",
                     id="part-of-an-other-id"),
        pytest.param("Z", "no specimen with ID 'Z'; `chosei specimen list` shows them",
                     id="nothing-close"),
    ],
)
def test_specimen_show_unknown(case: str, cli, ident: str, message: str) -> None:  # type: ignore[no-untyped-def]
    _dives(case)
    assert cli(f"specimen show {ident}", expect=3).stderr == f"Error: {message}\n"
