"""init, status, check through the CLI, on both backends."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from chosei.models import ConsentEvent, CustodyEvent, Genotype, Operation, Relative, Sample, Specimen, Victim
from chosei.store import open_store, session_scope


def test_init_creates_the_case(db_url: str, cli) -> None:  # type: ignore[no-untyped-def]
    out = cli("init", "--name", "Test case").stdout
    assert out.startswith("Created case 'Test case' (expecting 183: 136 KR, 47 JP) in ")


def test_init_twice_is_refused(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("init", expect=4)
    assert result.stderr == "Error: this store already holds a case; `chosei status` shows it\n"


def test_init_totals_must_add_up(db_url: str, cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("init", "--expected", "10", "--expected-kr", "5", "--expected-jp", "4", expect=1)
    assert result.stderr == (
        "Error: the expected totals disagree: 5 KR + 4 JP is not 10; give --expected, "
        "--expected-kr and --expected-jp that add up\n"
    )
    assert cli("status", expect=5).stderr == (
        "Error: this store holds no case yet; run `chosei init` (or `chosei demo`)\n"
    )


def _populate(db_url: str) -> None:
    """A small store: 3 victims, relatives at each family stage, 6 specimens."""
    store = open_store(db_url)
    with session_scope(store, actor="tester", write=True) as s:
        s.add_all([
            Victim(id="V1", nationality="KR", name_hangul="김가온"),
            Victim(id="V2", nationality="KR", name_latin="Pak Narae"),
            Victim(id="V3", nationality="JP", name_japanese="山田一郎"),
            Victim(id="V4", nationality="JP"),  # no name: a check problem
        ])
        s.flush()
        s.add_all([
            Relative(id="R1", victim_id="V1", relationship="son"),
            Relative(id="R2", victim_id="V2", relationship="brother's son"),
            Relative(id="R3", victim_id="V3", relationship="daughter"),
        ])
        s.flush()
        s.add_all([
            ConsentEvent(relative_id="R1", scope="analysis", date="2025-10-01"),
            ConsentEvent(relative_id="R2", scope="analysis", date="2025-10-01"),
            Operation(id="OP-1", date="2025-08-25"),
        ])
        s.flush()
        s.add_all([
            Specimen(id="S1", operation_id="OP-1", element="femur", side="left"),
            Specimen(id="S2", operation_id="OP-1", element="femur", side="left"),
            Specimen(id="S3", operation_id="OP-1", element="femur", side="right"),
            Specimen(id="S4", operation_id="OP-1", element="cranium", side="midline"),
            Specimen(id="S5", operation_id="OP-1", element="tooth"),
            Specimen(id="S6", operation_id="OP-1", element="tooth"),
        ])
        s.flush()
        s.add_all([
            Sample(id="X1", relative_id="R1", type="saliva", status="profiled"),
            Sample(id="X2", relative_id="R2", type="saliva", status="shipped"),
            Sample(id="X3", relative_id="R3", type="blood", status="collected"),  # no consent
            Sample(id="X4", specimen_id="S1", type="bone", status="extracted"),
            Sample(id="X5", type="bone", status="planned"),  # no source
        ])
        s.flush()
        s.add(Genotype(sample_id="X1", marker="TH01", allele1="6", allele2="9"))
        for sid in ("S1", "S2", "S3", "S4", "S5"):
            s.add(CustodyEvent(item_id=sid, event="recovered", at="2025-08-25", to_party="divers"))
        s.add(CustodyEvent(item_id="S1", event="transferred", at="2025-08-26", from_party="police",
                           to_party="lab"))
    store.dispose()


def test_status_counts(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    _populate(case)
    data = json.loads(cli("status", "--json").stdout)
    assert data["victims"] == {"KR": 2, "JP": 2, "total": 4,
                               "expected": {"KR": 136, "JP": 47, "total": 183}}
    family = {row["stage"]: (row["KR"], row["JP"]) for row in data["family_stage"]}
    assert family == {
        "no relative known": (0, 1),
        "located": (0, 1),
        "consented": (0, 0),
        "reference collected": (1, 0),
        "reference profiled": (1, 0),
    }
    assert data["remains_stage"][0] == {"stage": "none attributed", "KR": 2, "JP": 2, "total": 4}
    assert data["mni"] == 2  # femur: 2 left, 1 right; cranium 1; teeth do not count
    assert data["mni_by_element"] == {"femur": 2, "cranium": 1}
    samples = {row["status"]: row["total"] for row in data["samples"]}
    assert samples == {"planned": 1, "collected": 1, "shipped": 1, "received": 0, "extracted": 1,
                       "profiled": 1, "failed": 0, "consumed": 0}


def test_status_text(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    _populate(case)
    out = cli("status").stdout
    assert "Victims: 4 of 183 (KR 2 of 136, JP 2 of 47)" in out
    assert "reference profiled   1   0   1" in out
    assert "Minimum number of individuals: 2" in out


def test_withdrawn_consent_drops_the_family_back(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    _populate(case)
    store = open_store(case)
    with session_scope(store, write=True) as s:
        s.add(ConsentEvent(relative_id="R1", scope="analysis", event="withdrawn",
                           date="2026-01-10"))
    store.dispose()
    family = {r["stage"]: r["KR"] for r in json.loads(cli("status", "--json").stdout)["family_stage"]}
    assert family["reference profiled"] == 0
    assert family["located"] == 1


def test_check_names_the_ids_to_fix(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    _populate(case)
    result = cli("check", expect=8)
    assert result.stdout.splitlines() == [
        "[roster] the roster has 4 victims (2 KR, 2 JP); the case expects 183 (136 KR, 47 JP): "
        "add the missing victims or correct their nationality",
        "[unnamed-victims] 1 victim(s) have no name: give each at least one name",
        "    V4",
        "[sample-without-consent] 1 sample(s) come from relatives without an active consent for "
        "analysis: record the consent (`chosei relative consent`) or stop the analysis",
        "    X3",
        "[sample-without-source] 1 sample(s) name no source specimen or relative: set their source",
        "    X5",
        "[specimen-without-custody] 1 specimen(s) have no custody record: record at least their "
        "recovery (`chosei custody record`)",
        "    S6",
        "[custody-gap] 1 item(s) have gaps in their custody chain: `chosei custody show ID` names each gap",
        "    S1",
    ]
    assert result.stderr == "Error: 6 kind(s) of problem found\n"


def test_check_json_and_limit(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    _populate(case)
    problems = json.loads(cli("check", "--json", "--limit", "0", expect=8).stdout)
    assert [(p["check"], p["count"], p["ids"]) for p in problems] == [
        ("roster", 179, []),
        ("unnamed-victims", 1, []),
        ("sample-without-consent", 1, []),
        ("sample-without-source", 1, []),
        ("specimen-without-custody", 1, []),
        ("custody-gap", 1, []),
    ]


@pytest.mark.parametrize("command", ["status", "check"])
def test_store_without_case(db_url: str, cli, command: str) -> None:  # type: ignore[no-untyped-def]
    from chosei.store import open_store

    open_store(db_url).dispose()  # a store, with its schema and no case
    assert cli(command, expect=5).stderr.startswith("Error: this store holds no case yet")


def test_status_builds_no_model(case: str) -> None:
    """The dashboard reads in Core over `chosei.tables`: no ORM, no SQLModel class."""
    code = (
        "import sys; from chosei.cli import app; import typer.testing as t;"
        "r = t.CliRunner().invoke(app, ['--db', sys.argv[1], 'status']);"
        "assert r.exit_code == 0, r.output;"
        "heavy = [m for m in ('sqlmodel', 'sqlalchemy.orm', 'chosei.models') if m in sys.modules];"
        "print(','.join(heavy) or 'none')"
    )
    out = subprocess.run([sys.executable, "-c", code, case], capture_output=True, text=True, check=True)
    assert out.stdout == "none\n"
