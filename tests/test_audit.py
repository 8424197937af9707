"""The audit trail: every change recorded, tampering caught."""

from __future__ import annotations

import hashlib
import json

import pytest

from chosei.models import Operation
from chosei.store import open_store, session_scope
from tests.tampering import tamper


@pytest.fixture
def store(db_url: str, cli):  # type: ignore[no-untyped-def]
    cli("--as", "kim", "init", "--name", "Audit case")
    st = open_store(db_url)
    with session_scope(st, actor="lee", write=True) as s:
        s.add(Operation(id="OP-1", site="entrance"))
        s.add(Operation(id="OP-2", site="piya"))
    with session_scope(st, actor="park", write=True) as s:
        op = s.get(Operation, "OP-1")
        op.site = "T-junction"
    with session_scope(st, actor="park", write=True) as s:
        s.delete(s.get(Operation, "OP-2"))
    yield st
    st.dispose()


def test_every_change_is_logged_with_who_before_and_after(store, cli) -> None:  # type: ignore[no-untyped-def]
    out = cli("audit", "log", "OP-1", "--json").stdout
    entries = json.loads(out)
    assert [(e["actor"], e["action"]) for e in entries] == [("lee", "create"), ("park", "update")]
    assert entries[1]["before"]["site"] == "entrance"
    assert entries[1]["after"]["site"] == "T-junction"
    assert entries[1]["after"]["version"] == 2
    text = cli("audit", "log", "OP-1").stdout
    assert "    site: 'entrance' -> 'T-junction'" in text


def test_whole_log_in_order(store, cli) -> None:  # type: ignore[no-untyped-def]
    entries = json.loads(cli("audit", "log", "--json").stdout)
    assert [e["seq"] for e in entries] == [1, 2, 3, 4, 5]
    assert [(e["action"], e["entity"], e["entity_key"]) for e in entries] == [
        ("create", "case_info", "1"),
        ("create", "operation", "OP-1"),
        ("create", "operation", "OP-2"),
        ("update", "operation", "OP-1"),
        ("delete", "operation", "OP-2"),
    ]
    assert entries[0]["actor"] == "kim"


def test_each_entry_names_the_database_role_apart_from_the_person(store, cli) -> None:  # type: ignore[no-untyped-def]
    # The fixture connects as the server's `postgres` role; a SQLite file knows no users.
    entries = json.loads(cli("audit", "log", "OP-1", "--json").stdout)
    expected = "postgres" if store.dialect == "postgresql" else None
    assert [(e["db_user"], e["actor"]) for e in entries] == [(expected, "lee"), (expected, "park")]
    line = next(x for x in cli("audit", "log", "OP-1").stdout.splitlines() if x.startswith("#2 "))
    assert (" postgres for lee create operation OP-1" in line) == (expected is not None)
    assert (" lee create operation OP-1" in line)


def test_the_database_role_is_part_of_the_hash(store, cli) -> None:  # type: ignore[no-untyped-def]
    # Re-attributing an entry to another role breaks the chain there; a NULL db_user (a
    # SQLite entry, or one written before the column) adds nothing to the hashed text.
    from chosei.audit import GENESIS, entry_hash

    args = (GENESIS, 1, "2026-01-01T00:00:00", "kim", "create", "victim", "V-1", "V-1", None, "{}")
    assert entry_hash(*args) == entry_hash(*args, None)
    assert entry_hash(*args, "chosei_kim") != entry_hash(*args)
    assert entry_hash(*args, "a") != entry_hash(*args, "b")
    _tamper(store, "UPDATE audit_entry SET db_user = 'intruder' WHERE seq = 2")
    result = cli("audit", "verify", expect=7)
    assert "entry 2 (create operation OP-1) does not match its hash" in result.stderr


def test_intact_trail_verifies(store, cli) -> None:  # type: ignore[no-untyped-def]
    out = cli("audit", "verify").stdout
    assert out.strip() == "Audit trail intact: 5 entries, 2 rows match their last logged state."


def _tamper(store, sql: str) -> None:  # type: ignore[no-untyped-def]
    """Change the database behind chosei's back, its append-only triggers bypassed."""
    tamper(store, sql)


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        (
            "UPDATE operation SET site = 'elsewhere' WHERE id = 'OP-1'",
            "operation OP-1 differs from its last logged state: it was edited behind the tracker's back",
        ),
        (
            "INSERT INTO operation (id, version) VALUES ('OP-9', 1)",
            "operation OP-9 is in the store but the audit log has no live record of it: "
            "it was added behind the tracker's back",
        ),
        (
            "DELETE FROM operation WHERE id = 'OP-1'",
            "operation OP-1 is logged as present but missing from the store: "
            "it was deleted behind the tracker's back",
        ),
        (
            "DELETE FROM audit_entry WHERE seq = 3",
            "entry 3 is missing (next entry is 4): entries were deleted or reordered",
        ),
        (
            "UPDATE audit_entry SET actor = 'someone else' WHERE seq = 2",
            "entry 2 (create operation OP-1) does not match its hash: it was edited, "
            "or an entry before it was removed",
        ),
        (
            "UPDATE audit_entry SET seq = -1 WHERE seq = 2; "
            "UPDATE audit_entry SET seq = 2 WHERE seq = 3; "
            "UPDATE audit_entry SET seq = 3 WHERE seq = -1",
            "entry 2 (create operation OP-2) does not match its hash: it was edited, "
            "or an entry before it was removed",
        ),
    ],
    ids=["row-edited", "row-inserted", "row-deleted", "entry-deleted", "entry-edited", "entries-swapped"],
)
def test_tampering_is_caught(store, cli, sql: str, message: str) -> None:  # type: ignore[no-untyped-def]
    _tamper(store, sql)
    result = cli("audit", "verify", expect=7)
    assert result.stderr.strip() == f"Error: {message}"


def test_deleting_the_last_entry_is_caught(store, cli) -> None:  # type: ignore[no-untyped-def]
    _tamper(store, "DELETE FROM audit_entry WHERE seq = 5")
    result = cli("audit", "verify", expect=7)
    assert "operation OP-2 is in the store" not in result.stderr
    assert result.stderr.strip() == (
        "Error: operation OP-2 is logged as present but missing from the store: "
        "it was deleted behind the tracker's back"
    )


def test_the_hash_is_sha256_of_the_fields_joined_by_unit_separators() -> None:
    from chosei.audit import entry_hash

    after = '{"id":"OP-1","version":1}'
    text = "\x1f".join(["0" * 64, "1", "2026-01-01T00:00:00+00:00", "kim", "create", "operation",
                        "OP-1", "OP-1", "-+", "", after])
    assert entry_hash("0" * 64, 1, "2026-01-01T00:00:00+00:00", "kim", "create", "operation",
                      "OP-1", "OP-1", None, after) == hashlib.sha256(text.encode()).hexdigest()
    # None and empty text differ; so do fields that a plain join would run together.
    assert entry_hash("0" * 64, 1, "t", "kim", "update", "operation", "OP-1", "OP-1", "", after) \
        != entry_hash("0" * 64, 1, "t", "kim", "update", "operation", "OP-1", "OP-1", None, after)
    assert entry_hash("0" * 64, 1, "t", "a\x1fb", "c", "operation", "OP-1", "OP-1", None, None) \
        != entry_hash("0" * 64, 1, "t", "a", "b\x1fc", "operation", "OP-1", "OP-1", None, None)


def test_entries_about_no_row_keep_details_in_after_and_verify(store, cli) -> None:  # type: ignore[no-untyped-def]
    from chosei import audit

    with session_scope(store, actor="kim", write=True) as s:
        audit.record(s, [audit.Change("import", "workbook", "b.xlsx", None, {"file": "b.xlsx", "rows": 3})])
    assert cli("audit", "verify").stdout.strip() == \
        "Audit trail intact: 6 entries, 2 rows match their last logged state."
    _tamper(store, "UPDATE audit_entry SET \"after\" = replace(\"after\", '3', '4') WHERE seq = 6")
    assert cli("audit", "verify", expect=7).stderr.strip() == (
        "Error: entry 6 (import workbook b.xlsx) does not match its hash: it was edited, "
        "or an entry before it was removed")



def test_contacts_are_hidden_in_the_log_unless_asked(store, cli) -> None:  # type: ignore[no-untyped-def]
    from chosei.models import Relative, Victim

    with session_scope(store, actor="lee", write=True) as s:
        s.add(Victim(id="V1", nationality="KR", name_hangul="김가온"))
        s.flush()
        s.add(Relative(id="R1", victim_id="V1", relationship="son", contact="010-0000-1234"))
    with session_scope(store, actor="lee", write=True) as s:
        s.get(Relative, "R1").contact = "010-0000-9999"
    text = cli("audit", "log", "R1").stdout
    assert "010-0000" not in text
    assert "    contact: ∅ -> '(hidden)'" in text
    assert "    contact: '(hidden)' -> '(hidden, changed)'" in text
    entries = json.loads(cli("audit", "log", "R1", "--json").stdout)
    assert [e["after"]["contact"] for e in entries] == ["(hidden)", "(hidden, changed)"]
    shown = json.loads(cli("audit", "log", "R1", "--json", "--contacts").stdout)
    assert [e["after"]["contact"] for e in shown] == ["010-0000-1234", "010-0000-9999"]
