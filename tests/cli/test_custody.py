"""`chosei custody`: recording events and reading chains with their gaps, on both backends."""

from __future__ import annotations

import json

import pytest

from chosei.models import CustodyEvent, Identification
from chosei.services.recovery import add_specimen
from chosei.services.samples import add_sample
from chosei.services.victims import add_victim
from tests.cli.storeview import fetch, snapshot, writing


def _items(url: str) -> None:
    with writing(url) as s:
        add_specimen(s, {"id": "CH-001", "element": "femur", "other_ids": "P-25-01"})
        add_specimen(s, {"id": "CH-002", "element": "humerus"})
        add_sample(s, {"id": "S-001", "specimen_id": "CH-001", "type": "bone"})
        # CH-001 is identified, so it may be returned to a family.
        add_victim(s, {"id": "V-001", "nationality": "KR", "name_hangul": "김가온"})
        s.add(Identification(specimen_id="CH-001", victim_id="V-001", status="confirmed",
                             decided_on="2025-08-30", decided_by="board"))


def test_record(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    _items(case)
    result = cli("custody", "record", "CH-001", "recovered", "--at", "2025-08-26T10:00",
                 "--to", "dive team", "--place", "T-junction, -43 m", "--notes", "in a net bag")
    assert result.stdout == "Recorded recovered of CH-001 at 2025-08-26T10:00\n"
    assert result.stderr == ""
    assert fetch(case, CustodyEvent) == [{
        "item_id": "CH-001", "event": "recovered", "at": "2025-08-26T10:00",
        "from_party": None, "to_party": "dive team", "place": "T-junction, -43 m",
        "notes": "in a net bag", "version": 1,
    }]


def test_record_by_other_id_files_under_the_specimen(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    _items(case)
    cli("custody record CH-001 recovered --at 2025-08-26T10:00 --to divers")
    result = cli("custody record P-25-01 인계 --at 2025-08-26T16:00 --from divers --to police")
    assert result.stdout == "Recorded transferred of CH-001 at 2025-08-26T16:00\n"
    assert [e["item_id"] for e in fetch(case, CustodyEvent)] == ["CH-001", "CH-001"]


@pytest.mark.parametrize(
    ("before", "args", "warning"),
    [
        pytest.param([], "CH-002 stored --at 2025-08-27 --to 'police store'",
                     "the chain starts with 'stored' at 2025-08-27: where the item was before is "
                     "not recorded", id="no-origin"),
        pytest.param([], "CH-001 transferred --at 2025-08-27 --from lab --to police",
                     "'transferred' at 2025-08-27 is from lab, but the last recorded holder was "
                     "divers", id="wrong-holder"),
        pytest.param(["CH-001 returned --at 2025-09-01 --from divers --to family"],
                     "CH-001 stored --at 2025-09-02 --to divers",
                     "'stored' at 2025-09-02 comes after the item was returned",
                     id="after-return"),
    ],
)
def test_record_warns_of_a_gap(case: str, cli, before: list[str], args: str, warning: str) -> None:  # type: ignore[no-untyped-def]
    _items(case)
    for earlier in ["CH-001 recovered --at 2025-08-26T10:00 --to divers", *before]:
        assert cli(f"custody record {earlier}").stderr == ""
    result = cli(f"custody record {args}")
    assert result.stderr == f"Warning: custody gap: {warning}\n"
    assert len(fetch(case, CustodyEvent)) == 2 + len(before)  # recorded all the same


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        pytest.param("CH-001 recovered --at 2025-08-26T10:00", 4,
                     "CH-001 already has a 'recovered' event at 2025-08-26T10:00; "
                     "`chosei custody show CH-001` shows its chain", id="duplicate"),
        pytest.param("CH-001 lost --at 2025-08-27", 1,
                     "'lost' is not a custody event; expected one of: recovered, transferred, "
                     "received, stored, sampled, shipped, returned, consumed", id="bad-event"),
        pytest.param("CH-001 stored --at yesterday", 1,
                     "at: 'yesterday' is not a date: write YYYY-MM-DD, YYYY-MM or YYYY, or an era "
                     "date such as 昭和17年2月3日", id="bad-time"),
        pytest.param("CH-01 stored --at 2025-08-27", 3,
                     "no specimen or sample with ID 'CH-01'; did you mean CH-001, CH-002, S-001?",
                     id="close-id"),
        pytest.param("Z-9 stored --at 2025-08-27", 3,
                     "no specimen or sample with ID 'Z-9'; `chosei specimen list` and "
                     "`chosei sample list` show them", id="no-close-id"),
    ],
)
def test_record_refused(case: str, cli, args: str, code: int, message: str) -> None:  # type: ignore[no-untyped-def]
    _items(case)
    cli("custody record CH-001 recovered --at 2025-08-26T10:00 --to divers")
    before = snapshot(case)
    assert cli(f"custody record {args}", expect=code).stderr == f"Error: {message}\n"
    assert snapshot(case) == before


def test_record_needs_a_time(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    _items(case)
    assert "Missing option '--at'" in cli("custody record CH-001 stored", expect=2).stderr


def _chain(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    _items(case)
    # Recorded out of order on purpose: the chain is shown in time order.
    cli("custody record CH-001 stored --at 2025-08-27T09:00 --from someone --to 'police store'")
    cli("custody record CH-001 recovered --at 2025-08-26T10:00 --to divers --place T-junction")
    cli("custody record P-25-01 transferred --at 2025-08-26T16:00 --from divers --to police")
    cli("custody record CH-001 sampled --at 2025-09-01 --from 'police store' --to NFS")


def test_show(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    _chain(case, cli)
    assert cli("custody show P-25-01").stdout == (
        "Custody of specimen CH-001\n"
        "at                event        from          to            place\n"
        "2025-08-26T10:00  recovered                  divers        T-junction\n"
        "2025-08-26T16:00  transferred  divers        police\n"
        "2025-08-27T09:00  stored       someone       police store\n"
        "  GAP: 'stored' at 2025-08-27T09:00 is from someone, but the last recorded holder was "
        "police\n"
        "2025-09-01        sampled      police store  NFS\n"
        "4 event(s), 1 gap(s)\n"
    )


def test_show_json(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    _chain(case, cli)
    data = json.loads(cli("custody show CH-001 --json").stdout)
    assert (data["item"], data["kind"]) == ("CH-001", "specimen")
    assert [(e["event"], len(e["gaps"])) for e in data["events"]] == [
        ("recovered", 0), ("transferred", 0), ("stored", 1), ("sampled", 0)]
    assert data["events"][0] == {
        "item_id": "CH-001", "event": "recovered", "at": "2025-08-26T10:00", "from_party": None,
        "to_party": "divers", "place": "T-junction", "notes": None, "gaps": [],
    }
    assert data["gaps"] == [
        "'stored' at 2025-08-27T09:00 is from someone, but the last recorded holder was police"]


def test_show_sample_and_empty_chain(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    _items(case)
    assert cli("custody show S-001").stdout == "Custody of sample S-001\n(no events recorded)\n"
    cli("custody record S-001 sampled --at 2025-09-01 --to NFS")
    cli("custody record S-001 shipped --at 2025-09-02 --from NFS --to courier")
    assert cli("custody show S-001").stdout.splitlines()[-1] == "2 event(s), no gaps"


def test_show_unknown(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    _items(case)
    assert cli("custody show S-01", expect=3).stderr == (
        "Error: no specimen or sample with ID 'S-01'; did you mean S-001, CH-001?\n")
