"""`chosei sample`: add, list, show, advance, on both backends."""

from __future__ import annotations

import json
from datetime import date

import pytest

from chosei.models import Sample
from chosei.services.recovery import add_specimen
from chosei.services.relatives import add_relative, give_consent
from chosei.services.victims import add_victim
from tests.cli.storeview import one, snapshot, writing


def _setup(url: str) -> None:
    with writing(url) as s:
        add_victim(s, {"id": "V-001", "nationality": "KR", "name_hangul": "김가온"})
        add_relative(s, {"id": "R-001", "victim_id": "V-001", "relationship": "son"})
        add_relative(s, {"id": "R-002", "victim_id": "V-001", "relationship": "brother"})
        give_consent(s, "R-001", ["analysis"], "2025-10-01")
        add_specimen(s, {"id": "CH-001", "element": "femur", "other_ids": "P-25-01"})


def test_add_from_specimen_by_other_id(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    _setup(case)
    result = cli("sample add S-001 --specimen P-25-01 --type 뼈 --lab NFS --lab-ref N-1")
    assert result.stdout == "Added sample S-001 of specimen CH-001 (planned)\n"
    assert result.stderr == ""
    assert one(case, Sample, "S-001") == {
        "id": "S-001", "specimen_id": "CH-001", "relative_id": None, "type": "bone",
        "collected_on": None, "lab": "NFS", "lab_ref": "N-1", "status": "planned",
        "status_date": None, "notes": None, "version": 1,
    }


def test_add_from_relative(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    _setup(case)
    result = cli("sample add S-002 --relative R-001 --type 'buccal swab' --status collected "
                 "--collected-on 2025-10-03")
    assert result.stdout == "Added sample S-002 of relative R-001 (collected)\n"
    assert result.stderr == ""
    row = one(case, Sample, "S-002")
    assert (row["relative_id"], row["type"], row["status"], row["collected_on"]) == (
        "R-001", "buccal swab", "collected", "2025-10-03")


def test_add_without_consent_warns(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    _setup(case)
    result = cli("sample add S-003 --relative R-002 --type saliva")
    assert result.stdout == "Added sample S-003 of relative R-002 (planned)\n"
    assert result.stderr == (
        "Warning: relative R-002 has no active consent for analysis; record it "
        "(`chosei relative consent`) before the sample is analysed\n"
    )


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        pytest.param("S-009", 1, "a sample needs its source: give a specimen or a relative (or --type "
                     "elimination for a staff member's reference profile)",
                     id="no-source"),
        pytest.param("S-009 --specimen CH-001 --relative R-001", 1,
                     "a sample comes from one specimen or one relative, not both", id="two-sources"),
        pytest.param("S-009 --specimen CH-01", 3,
                     "no specimen with ID 'CH-01'; did you mean CH-001?", id="unknown-specimen"),
        pytest.param("S-009 --relative R-9", 3,
                     "no relative with ID 'R-9'; `chosei relative list` shows them",
                     id="unknown-relative"),
        pytest.param("S-001 --specimen CH-001", 4,
                     "sample S-001 exists; `chosei sample show S-001` shows it", id="exists"),
        pytest.param("P-25-01 --specimen CH-001", 4,
                     "P-25-01 already names specimen CH-001 (as an other ID); one ID may name "
                     "one item only", id="specimen-other-id"),
        pytest.param("S-009 --specimen CH-001 --type hair", 1,
                     "'hair' is not a sample type; expected one of: bone, tooth, saliva, "
                     "buccal swab, blood, other, elimination", id="bad-type"),
        pytest.param("S-009 --specimen CH-001 --status lost", 1,
                     "'lost' is not a sample status; expected one of: planned, collected, "
                     "shipped, received, extracted, profiled, failed, consumed", id="bad-status"),
    ],
)
def test_add_refused(case: str, cli, args: str, code: int, message: str) -> None:  # type: ignore[no-untyped-def]
    _setup(case)
    cli("sample add S-001 --specimen CH-001")
    before = snapshot(case)
    result = cli(f"sample add {args}", expect=code)
    assert result.stderr == f"Error: {message}\n"
    assert snapshot(case) == before


def test_list(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    _setup(case)
    cli("sample add S-001 --specimen CH-001 --type bone --lab NFS")
    cli("sample add S-002 --relative R-001 --type saliva --lab NPA --status collected")
    cli("sample add S-003 --specimen CH-001 --type bone --lab NPA")
    assert cli("sample list").stdout == (
        "id     specimen_id  relative_id  type    status     status_date  lab  lab_ref\n"
        "S-001  CH-001                    bone    planned                 NFS\n"
        "S-002               R-001        saliva  collected               NPA\n"
        "S-003  CH-001                    bone    planned                 NPA\n"
        "3 sample(s)\n"
    )
    data = json.loads(cli("sample list --status planned --lab NPA --json").stdout)
    assert [s["id"] for s in data] == ["S-003"]
    assert cli("sample list --lab KCL").stdout == "(no samples)\n0 sample(s)\n"
    assert cli("sample list --status lost", expect=1).stderr.startswith(
        "Error: 'lost' is not a sample status; ")


def test_advance_along_the_graph(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    _setup(case)
    cli("sample add S-001 --specimen CH-001 --type bone")
    steps = [("collected", "2025-09-01"), ("shipped", "2025-09-05"), ("received", "2025-09-07"),
             ("extracted", "2025-09-20"), ("failed", "2025-10-01"), ("consumed", "2025-10-02")]
    for status, on in steps:
        out = cli(f"sample advance S-001 {status} --on {on}").stdout
        assert out == f"Sample S-001 is now {status} (since {on})\n"
    row = one(case, Sample, "S-001")
    assert (row["status"], row["status_date"], row["collected_on"], row["version"]) == (
        "consumed", "2025-10-02", "2025-09-01", 7)


def test_advance_defaults_to_today(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    _setup(case)
    cli("sample add S-001 --specimen CH-001")
    today = date.today().isoformat()
    assert cli("sample advance S-001 채취").stdout == f"Sample S-001 is now collected (since {today})\n"


@pytest.mark.parametrize(
    ("status", "target", "code", "message"),
    [
        pytest.param("planned", "shipped", 4,
                     "sample S-001 is planned: it can become collected, not shipped", id="skip"),
        pytest.param("extracted", "received", 4,
                     "sample S-001 is extracted: it can become profiled or failed, not received",
                     id="backwards"),
        pytest.param("consumed", "profiled", 4,
                     "sample S-001 is consumed: that is final, it cannot become profiled",
                     id="final"),
        pytest.param("planned", "lost", 1,
                     "'lost' is not a sample status; expected one of: planned, collected, "
                     "shipped, received, extracted, profiled, failed, consumed", id="unknown"),
    ],
)
def test_advance_refused(case: str, cli, status: str, target: str, code: int, message: str) -> None:  # type: ignore[no-untyped-def]
    _setup(case)
    with writing(case) as s:  # a sample added at its first status, then advanced
        s.add(Sample(id="S-001", specimen_id="CH-001", status=status))
    before = snapshot(case)
    assert cli(f"sample advance S-001 {target}", expect=code).stderr == f"Error: {message}\n"
    assert snapshot(case) == before


def test_advance_refuses_an_earlier_date(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    _setup(case)
    cli("sample add S-001 --specimen CH-001")
    cli("sample advance S-001 collected --on 2025-09-01")
    before = snapshot(case)
    assert cli("sample advance S-001 shipped --on 2025-08-31", expect=1).stderr == (
        "Error: sample S-001 became collected on 2025-09-01; it cannot become shipped earlier, "
        "on 2025-08-31\n"
    )
    assert snapshot(case) == before


def test_advance_unknown_sample(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    _setup(case)
    cli("sample add S-001 --specimen CH-001")
    assert cli("sample advance S-01 collected", expect=3).stderr == (
        "Error: no sample with ID 'S-01'; did you mean S-001?\n")


def test_show_with_history(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    _setup(case)
    cli("sample add S-001 --specimen CH-001 --type bone --lab NFS")
    cli("--as", "lab-clerk", "sample", "advance", "S-001", "collected", "--on", "2025-09-01")
    cli("sample advance S-001 shipped --on 2025-09-05")
    data = json.loads(cli("sample show S-001 --json").stdout)
    assert data["sample"]["status"] == "shipped"
    assert [(h["status"], h["from"], h["date"], h["by"]) for h in data["history"]] == [
        ("planned", None, None, "tester"),
        ("collected", "planned", "2025-09-01", "lab-clerk"),
        ("shipped", "collected", "2025-09-05", "tester"),
    ]
    lines = cli("sample show S-001").stdout.splitlines()
    assert lines[:3] == ["Sample S-001", "id            S-001", "specimen_id   CH-001"]
    history = lines[lines.index("Status history") + 1:]
    assert history[0].split() == ["status", "date", "recorded", "by"]
    # The planned row has no date: its second cell is when it was recorded.
    assert [row.split()[0] for row in history[1:]] == ["planned", "collected", "shipped"]
    assert [row.split()[1] for row in history[2:]] == ["2025-09-01", "2025-09-05"]
    assert [row.split()[-1] for row in history[1:]] == ["tester", "lab-clerk", "tester"]


def test_show_unknown(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("sample show S-404", expect=3).stderr == (
        "Error: no sample with ID 'S-404'; `chosei sample list` shows them\n")
