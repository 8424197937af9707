"""`chosei relative/operation/specimen/sample edit`: the same partial update as `victim edit`,
on both backends. All names and contacts are made up.
"""

from __future__ import annotations

import pytest

from chosei.models import Operation, Relative, Sample, Specimen
from chosei.services.recovery import add_operation, add_specimen
from chosei.services.relatives import add_relative
from chosei.services.samples import add_sample
from chosei.services.victims import add_victim
from tests.cli.storeview import one, snapshot, writing

CONTACT = "010-5555-0199, 서울 종로구"


def _setup(url: str) -> None:
    with writing(url) as s:
        add_victim(s, {"id": "V-001", "nationality": "KR", "name_hangul": "김가온"})
        add_victim(s, {"id": "V-002", "nationality": "KR", "name_hangul": "박나래"})
        add_relative(s, {"id": "R-001", "victim_id": "V-001", "relationship": "son",
                         "name": "김하늘", "birth_year": 1938, "contact": CONTACT,
                         "notes": "met 2025-10"})
        add_relative(s, {"id": "R-002", "victim_id": "V-002", "relationship": "brother"})
        add_operation(s, {"id": "OP-1", "date": "2025-08-26", "site": "entrance",
                          "notes": "low visibility"})
        add_operation(s, {"id": "OP-2", "date": "2025-10-29"})
        add_specimen(s, {"id": "CH-001", "operation_id": "OP-1", "element": "femur",
                         "side": "left", "depth_m": 43.0, "other_ids": "P-25-01",
                         "notes": "stained"})
        add_specimen(s, {"id": "CH-002", "element": "tooth"})
        add_sample(s, {"id": "S-001", "specimen_id": "CH-001", "type": "bone", "lab": "NFS",
                       "notes": "cut at mid-shaft"})
        add_sample(s, {"id": "S-002", "relative_id": "R-001", "type": "saliva"})


# --- a two-field edit, with its exact output and what the store then holds ---------------


@pytest.mark.parametrize(
    ("args", "output", "model", "key", "expected"),
    [
        pytest.param(
            "relative edit R-001 --relationship 아들 --birth-year 1939 --name 김하늘빛",
            "Updated relative R-001:\n"
            "    name: 김하늘 -> 김하늘빛\n"
            "    birth_year: 1938 -> 1939\n",
            Relative, "R-001", {"name": "김하늘빛", "birth_year": 1939, "relationship": "son",
                                "contact": CONTACT, "version": 2},
            id="relative"),
        pytest.param(
            "operation edit OP-1 --date 令和7年8月27日 --team 'KUMA divers'",
            "Updated operation OP-1:\n"
            "    date: 2025-08-26 -> 2025-08-27\n"
            "    team: ∅ -> KUMA divers\n",
            Operation, "OP-1", {"date": "2025-08-27", "team": "KUMA divers", "site": "entrance",
                                "version": 2},
            id="operation"),
        pytest.param(
            "specimen edit P-25-01 --element 脛骨 --side right --depth 43",
            "Updated specimen CH-001:\n"
            "    element: femur -> tibia\n"
            "    side: left -> right\n",
            Specimen, "CH-001", {"element": "tibia", "side": "right", "depth_m": 43.0,
                                 "other_ids": "P-25-01", "version": 2},
            id="specimen-by-other-id"),
        pytest.param(
            "sample edit S-001 --lab-ref NFS-25-0117 --collected-on 2025-09-01 --lab NFS",
            "Updated sample S-001:\n"
            "    collected_on: ∅ -> 2025-09-01\n"
            "    lab_ref: ∅ -> NFS-25-0117\n",
            Sample, "S-001", {"collected_on": "2025-09-01", "lab_ref": "NFS-25-0117",
                              "status": "planned", "version": 2},
            id="sample"),
    ],
)
def test_edit(case: str, cli, args: str, output: str, model, key: str,  # type: ignore[no-untyped-def]
              expected: dict) -> None:
    _setup(case)
    assert cli(args).stdout == output
    row = one(case, model, key)
    assert row is not None
    assert {k: row[k] for k in expected} == expected


# --- --clear ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "output", "model", "key", "field"),
    [
        pytest.param("relative edit R-001 --clear notes",
                     "Updated relative R-001:\n    notes: met 2025-10 -> ∅\n",
                     Relative, "R-001", "notes", id="relative"),
        pytest.param("operation edit OP-1 --clear site",
                     "Updated operation OP-1:\n    site: entrance -> ∅\n",
                     Operation, "OP-1", "site", id="operation"),
        pytest.param("specimen edit CH-001 --clear other-id",
                     "Updated specimen CH-001:\n    other_ids: P-25-01 -> ∅\n",
                     Specimen, "CH-001", "other_ids", id="specimen"),
        pytest.param("sample edit S-001 --clear notes",
                     "Updated sample S-001:\n    notes: cut at mid-shaft -> ∅\n",
                     Sample, "S-001", "notes", id="sample"),
    ],
)
def test_clear(case: str, cli, args: str, output: str, model, key: str,  # type: ignore[no-untyped-def]
               field: str) -> None:
    _setup(case)
    assert cli(args).stdout == output
    row = one(case, model, key)
    assert row is not None
    assert row[field] is None


# --- refused: nothing changes -------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        pytest.param("relative edit R-001 --clear relationship", 1,
                     "relationship is required", id="relative-required"),
        pytest.param("relative edit R-001 --clear victim", 1,
                     "victim ID is required", id="relative-victim"),
        pytest.param("relative edit R-009 --notes x", 3,
                     "no relative with ID 'R-009'; did you mean R-002, R-001?",
                     id="relative-unknown"),
        pytest.param("relative edit R-001 --sex X", 1,
                     "'X' is not a sex; expected one of: M, F, U", id="relative-bad-sex"),
        pytest.param("relative edit R-001 --victim V-009", 3,
                     "no victim with ID 'V-009'; did you mean V-002, V-001?",
                     id="relative-unknown-victim"),
        pytest.param("relative edit R-001 --clear consent", 1,
                     "'consent' is not a relative field; editable fields: victim_id, "
                     "relationship, name, sex, birth_year, contact, notes", id="relative-consent"),
        pytest.param("operation edit OP-1 --clear id", 1,
                     "'id' is not an operation field; editable fields: date, site, team, notes",
                     id="operation-id"),
        pytest.param("operation edit OP-3 --notes x", 3,
                     "no operation with ID 'OP-3'; did you mean OP-2, OP-1?",
                     id="operation-unknown"),
        pytest.param("operation edit OP-1 --date 'next week'", 1,
                     "date: 'next week' is not a date: write YYYY-MM-DD, YYYY-MM or YYYY, or "
                     "an era date such as 昭和17年2月3日", id="operation-bad-date"),
        pytest.param("specimen edit CH-003 --notes x", 3,
                     "no specimen with ID 'CH-003'; did you mean CH-002, CH-001?",
                     id="specimen-unknown"),
        pytest.param("specimen edit CH-001 --element wing", 1,
                     "'wing' is not a skeletal element; expected one of: cranium, mandible, "
                     "tooth, vertebra, rib, clavicle, scapula, humerus, radius, ulna, hand, "
                     "pelvis, sacrum, femur, patella, tibia, fibula, foot, fragment", id="specimen-bad-element"),
        pytest.param("specimen edit CH-002 --other-id P-25-01", 4,
                     "P-25-01 already names specimen CH-001 (as an other ID); one ID may name "
                     "one item only", id="specimen-other-id-taken"),
        pytest.param("specimen edit CH-002 --operation OP-9", 3,
                     "no operation with ID 'OP-9'; did you mean OP-2, OP-1?",
                     id="specimen-unknown-operation"),
        pytest.param("sample edit S-001 --clear specimen", 1,
                     "a sample needs its source: give a specimen or a relative (or --type elimination for a "
                     "staff member's reference profile)",
                     id="sample-required"),
        pytest.param("sample edit S-003 --notes x", 3,
                     "no sample with ID 'S-003'; did you mean S-002, S-001?",
                     id="sample-unknown"),
        pytest.param("sample edit S-001 --type feather", 1,
                     "'feather' is not a sample type (did you mean other?); expected one of: "
                     "bone, tooth, saliva, buccal swab, blood, other, elimination", id="sample-bad-type"),
        pytest.param("sample edit S-001 --clear status", 1,
                     "'status' is not a sample field; editable fields: specimen_id, "
                     "relative_id, type, collected_on, lab, lab_ref, notes", id="sample-status"),
        pytest.param("sample edit S-001 --relative R-002", 1,
                     "a sample comes from one specimen or one relative, not both",
                     id="sample-two-sources"),
    ],
)
def test_refused(case: str, cli, args: str, code: int, message: str) -> None:  # type: ignore[no-untyped-def]
    _setup(case)
    before = snapshot(case)
    assert cli(args, expect=code).stderr == f"Error: {message}\n"
    assert snapshot(case) == before


def test_status_is_not_an_option(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    _setup(case)
    before = snapshot(case)
    assert "No such option: --status" in cli("sample edit S-001 --status shipped",
                                              expect=2).stderr
    assert snapshot(case) == before
    assert "sample advance" in cli("sample edit --help").stdout


@pytest.mark.parametrize(
    ("args", "output"),
    [
        pytest.param("relative edit R-001 --relationship 아들 --contact '" + CONTACT + "'",
                     "Relative R-001 unchanged: it already holds these values.\n", id="relative"),
        pytest.param("operation edit OP-1 --site entrance --date 2025-08-26",
                     "Operation OP-1 unchanged: it already holds these values.\n", id="operation"),
        pytest.param("specimen edit P-25-01 --element 대퇴골 --other-id P-25-01",
                     "Specimen CH-001 unchanged: it already holds these values.\n", id="specimen"),
        pytest.param("sample edit S-001 --specimen P-25-01 --type 뼈",
                     "Sample S-001 unchanged: it already holds these values.\n", id="sample"),
    ],
)
def test_same_values(case: str, cli, args: str, output: str) -> None:  # type: ignore[no-untyped-def]
    _setup(case)
    before = snapshot(case)
    assert cli(args).stdout == output
    assert snapshot(case) == before


# --- contacts are never echoed ------------------------------------------------------------


def test_contact_not_echoed(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    _setup(case)
    new = "010-5555-0123"
    result = cli(f"relative edit R-001 --contact {new} --notes 'moved'")
    assert result.stdout == (
        "Updated relative R-001:\n"
        "    contact: changed\n"
        "    notes: met 2025-10 -> moved\n"
    )
    assert new not in result.stdout + result.stderr and CONTACT not in result.stdout
    assert one(case, Relative, "R-001")["contact"] == new
    cleared = cli("relative edit R-001 --clear contact")
    assert cleared.stdout == "Updated relative R-001:\n    contact: changed\n"
    assert one(case, Relative, "R-001")["contact"] is None


def test_contact_not_echoed_in_errors(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    _setup(case)
    result = cli(f"relative edit R-001 --contact '{CONTACT}' --clear contact", expect=1)
    assert result.stderr == "Error: contact is both set and cleared; do one or the other\n"


# --- the audit log ------------------------------------------------------------------------


def test_edits_are_audited(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    _setup(case)
    cli("specimen edit P-25-01 --custodian 'Ube police' --clear notes")
    log = cli("audit log CH-001").stdout
    assert "    custodian: ∅ -> 'Ube police'\n" in log
    assert "    notes: 'stained' -> ∅\n" in log
    cli("sample edit S-001 --lab KCL")
    assert "    lab: 'NFS' -> 'KCL'\n" in cli("audit log S-001").stdout
    cli("operation edit OP-2 --site shaft")
    assert "    site: ∅ -> 'shaft'\n" in cli("audit log OP-2").stdout
    cli("relative edit R-002 --name 박바다")
    assert "    name: ∅ -> '박바다'\n" in cli("audit log R-002").stdout


def test_moving_a_sample_to_an_unconsented_relative_warns_as_adding_does(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    _setup(case)
    warning = ("Warning: relative R-002 has no active consent for analysis; record it "
               "(`chosei relative consent`) before the sample is analysed\n")
    added = cli("sample add S-003 --relative R-002 --type saliva")
    assert added.stderr == warning
    moved = cli("sample edit S-002 --relative R-002")
    assert moved.stdout == "Updated sample S-002:\n    relative_id: R-001 -> R-002\n"
    assert moved.stderr == warning
    cli("relative consent R-002 --scope analysis")
    assert cli("sample edit S-003 --relative R-001").stderr == (
        "Warning: relative R-001 has no active consent for analysis; record it "
        "(`chosei relative consent`) before the sample is analysed\n")
    assert cli("sample edit S-002 --relative R-001 --notes x").stderr.count("Warning") == 1
    assert cli("sample edit S-003 --relative R-002").stderr == ""
