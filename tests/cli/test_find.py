"""Finding things: the lists' filters, `operation show`, `relative search`, on both backends.

All names are made up.
"""

from __future__ import annotations

import json

import pytest

from chosei.models import Identification
from chosei.services.recovery import add_operation, add_specimen
from chosei.services.relatives import add_relative, give_consent, withdraw_consent
from chosei.services.samples import add_sample
from chosei.services.victims import add_victim
from tests.cli.storeview import add_rows, snapshot, writing


def _case(url: str) -> None:
    """V-001 consented, V-002 located (consent withdrawn), V-003 no relative and a candidate
    identification, V-004 located (never consented); two operations, three specimens."""
    with writing(url) as s:
        add_victim(s, {"id": "V-001", "nationality": "KR", "name_hangul": "김가온", "birth_date": "1915"})
        add_victim(s, {"id": "V-002", "nationality": "KR", "name_hangul": "박나래", "birth_date": "1912-05"})
        add_victim(s, {"id": "V-003", "nationality": "JP", "name_japanese": "山田次郎", "birth_date": "1910"})
        add_victim(s, {"id": "V-004", "nationality": "KR", "name_hangul": "정길동", "name_hanja": "鄭吉童"})
        add_relative(s, {"id": "R-001", "victim_id": "V-001", "relationship": "son", "name": "김하늘"})
        add_relative(s, {"id": "R-002", "victim_id": "V-002", "relationship": "daughter", "name": "박바다"})
        add_relative(s, {"id": "R-003", "victim_id": "V-004", "relationship": "brother's son", "name": "정하나"})
        give_consent(s, "R-001", ["analysis"], "2025-10-01")
        give_consent(s, "R-002", ["analysis"], "2025-10-01")
        withdraw_consent(s, "R-002", [], "2025-11-01")
        add_operation(s, {"id": "OP-1", "date": "2025-08-26", "site": "T-junction", "team": "divers"})
        add_operation(s, {"id": "OP-2", "date": "2026-02"})
        add_specimen(s, {"id": "CH-001", "operation_id": "OP-1", "element": "femur", "side": "left",
                         "recovered_on": "2025-08-26", "other_ids": "P-25-01"})
        add_specimen(s, {"id": "CH-002", "operation_id": "OP-1", "element": "humerus"})
        add_specimen(s, {"id": "CH-003", "operation_id": "OP-2", "element": "cranium"})
        add_sample(s, {"id": "S-001", "specimen_id": "CH-001", "type": "bone"})
        add_sample(s, {"id": "S-002", "specimen_id": "CH-002", "type": "bone"})
        add_sample(s, {"id": "S-003", "relative_id": "R-001", "type": "saliva"})
    add_rows(url, Identification(specimen_id="CH-003", victim_id="V-003", lr=100.0, posterior=0.5))


def _ids(cli, command: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [row["id"] for row in json.loads(cli(f"{command} --json").stdout)]


@pytest.mark.parametrize(("args", "ids"), [
    ("--stage consented", ["V-001"]),
    ("--stage located", ["V-002", "V-004"]),
    ("--stage located --nationality KR --limit 1", ["V-002"]),
    ("--stage no-relative-known", ["V-003"]),
    ("--stage Candidate", ["V-003"]),
    ("--stage identified", []),
    ("--stage 'none attributed'", ["V-001", "V-002", "V-004"]),
    ("--sort birth_date", ["V-003", "V-002", "V-001", "V-004"]),
    ("--sort birth-date --limit 2", ["V-003", "V-002"]),
    ("--sort name_hangul", ["V-001", "V-002", "V-004", "V-003"]),
    ("--limit 3", ["V-001", "V-002", "V-003"]),
])
def test_victim_list_filters(case: str, cli, args: str, ids: list[str]) -> None:  # type: ignore[no-untyped-def]
    _case(case)
    assert _ids(cli, f"victim list {args}") == ids


def test_victim_list_table_with_filters(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    _case(case)
    assert cli("victim list --stage located --sort birth_date").stdout == (
        "id     nationality  name_hangul  name_hanja  name_japanese  birth_date  age_at_death\n"
        "V-002  KR           박나래                                  1912-05\n"
        "V-004  KR           정길동       鄭吉童\n"
        "2 victim(s)\n")


@pytest.mark.parametrize(("args", "message"), [
    ("--stage lost", "'lost' is not a stage; choose a family stage (no relative known, located, consented, "
                     "reference collected, reference profiled) or a remains stage (none attributed, "
                     "candidate, identified, returned)"),
    ("--sort contact", "cannot sort victims by 'contact'; choose from: id, nationality, name_hangul, "
                       "name_hanja, name_japanese, name_latin, birth_date, age_at_death"),
    ("--limit 0", "--limit must be at least 1, not 0"),
])
def test_victim_list_bad_filters(case: str, cli, args: str, message: str) -> None:  # type: ignore[no-untyped-def]
    assert cli(f"victim list {args}", expect=1).stderr == f"Error: {message}\n"


@pytest.mark.parametrize(("args", "ids"), [
    ("--consent active", ["R-001"]),
    ("--consent withdrawn", ["R-002"]),
    ("--consent none", ["R-003"]),
    ("--consent NONE --victim V-004", ["R-003"]),
    ("--consent active --victim V-002", []),
])
def test_relative_list_by_consent(case: str, cli, args: str, ids: list[str]) -> None:  # type: ignore[no-untyped-def]
    _case(case)
    assert _ids(cli, f"relative list {args}") == ids


def test_relative_list_consent_table_and_errors(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    _case(case)
    assert cli("relative list --consent active").stdout == (
        "id     victim_id  relationship  name    sex  birth_year  consent\n"
        "R-001  V-001      son           김하늘                   analysis\n"
        "1 relative(s)\n")
    assert cli("relative list --consent maybe", expect=1).stderr == (
        "Error: 'maybe' is not a consent state; choose from: active, withdrawn, none\n")


@pytest.mark.parametrize(("args", "ids"), [
    ("--specimen CH-001", ["S-001"]),
    ("--specimen P-25-01", ["S-001"]),
    ("--relative R-001", ["S-003"]),
    ("--relative R-002", []),
    ("--specimen CH-002 --status planned", ["S-002"]),
    ("--specimen CH-002 --status shipped", []),
])
def test_sample_list_filters(case: str, cli, args: str, ids: list[str]) -> None:  # type: ignore[no-untyped-def]
    _case(case)
    assert _ids(cli, f"sample list {args}") == ids


def test_filters_naming_nothing_are_not_found(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    _case(case)
    assert cli("sample list --specimen CH-009", expect=3).stderr == (
        "Error: no specimen with ID 'CH-009'; did you mean CH-003, CH-002, CH-001?\n")
    assert cli("sample list --relative R-9", expect=3).stderr.startswith("Error: no relative with ID 'R-9'")
    assert cli("specimen list --operation OP-3", expect=3).stderr.startswith(
        "Error: no operation with ID 'OP-3'")


def test_specimen_list_by_operation(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    _case(case)
    assert _ids(cli, "specimen list --operation OP-1") == ["CH-001", "CH-002"]
    assert _ids(cli, "specimen list --operation OP-1 --element femur") == ["CH-001"]
    assert _ids(cli, "specimen list --operation OP-2") == ["CH-003"]


def test_operation_show(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    _case(case)
    assert cli("operation show OP-1").stdout == (
        "Operation OP-1\n"
        "id       OP-1\n"
        "date     2025-08-26\n"
        "site     T-junction\n"
        "team     divers\n"
        "notes    \n"
        "version  1\n"
        "\n"
        "Specimens\n"
        "id      recovered_on  element  side  depth_m  custodian\n"
        "CH-001  2025-08-26    femur    left\n"
        "CH-002                humerus\n")
    data = json.loads(cli("operation show OP-2 --json").stdout)
    assert data == {"operation": {"id": "OP-2", "date": "2026-02", "site": None, "team": None,
                                  "notes": None, "version": 1},
                    "specimens": [{"id": "CH-003", "recovered_on": None, "element": "cranium",
                                   "side": None, "depth_m": None, "custodian": None}]}
    assert cli("operation show OP-3", expect=3).stderr.startswith("Error: no operation with ID 'OP-3'")


def test_relative_search(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    _case(case)
    assert cli("relative search 김하늘").stdout == (
        "id     victim_id  relationship  name    sex  birth_year  consent\n"
        "R-001  V-001      son           김하늘                   analysis\n"
        "1 relative(s)\n")
    assert _ids(cli, "relative search 'Kim Ha-neul'") == ["R-001"]
    assert _ids(cli, "relative search 바다") == ["R-002"]  # the given name alone
    assert cli("relative search nobody").stdout == "(no relatives)\n0 relative(s)\n"
    before = snapshot(case)
    assert cli("relative search ' '", expect=1).stderr == "Error: give a name to search for\n"
    assert snapshot(case) == before


@pytest.mark.parametrize(("query", "ids"), [
    ("김", ["V-001"]),
    ("金", ["V-005"]),
    ("鄭", ["V-004"]),
    ("정", ["V-004"]),
    ("가", []),  # a syllable inside a name is not a surname
    ("Chung Kil-tong", ["V-004"]),
    ("Chung Gil-dong", ["V-004"]),
    ("Kil-tong", ["V-004"]),
    ("K", []),
])
def test_victim_search_by_surname_syllable_and_mr(case: str, cli, query: str, ids: list[str]) -> None:  # type: ignore[no-untyped-def]
    _case(case)
    with writing(case) as s:
        add_victim(s, {"id": "V-005", "nationality": "KR", "name_japanese": "金本一郎"})
    assert [hit["id"] for hit in json.loads(cli("victim", "search", query, "--json").stdout)] == ids


def test_victim_search_one_syllable_table(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    _case(case)
    assert cli("victim search 박").stdout == "id     nationality  names\nV-002  KR           박나래\n"
