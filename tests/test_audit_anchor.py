"""An anchored, append-only audit trail: heads, the triggers, and what they catch.

Each attack below is one of issue 14's: it passes plain `chosei audit verify` (asserted
first, so the test shows the defect) and fails with the head taken before it.
"""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import exc, select, text
from sqlmodel import SQLModel

from chosei import audit
from chosei.models import AUDITED, AuditEntry
from chosei.store import open_store, session_scope
from tests.tampering import tamper

APPEND_ONLY = "the audit trail is append-only"


@pytest.fixture
def store(db_url: str, cli):  # type: ignore[no-untyped-def]
    cli("--as", "kim", "init", "--name", "Anchor case")
    cli("--as kim victim add V-001 --nationality KR --hangul 김가온")
    cli("--as kim relative add R-001 --victim V-001 --relationship son")
    cli("--as kim relative consent R-001 --scope analysis --scope share:KR --on 2025-10-01")
    st = open_store(db_url)
    yield st
    st.dispose()


def _head(cli) -> str:  # type: ignore[no-untyped-def]
    return cli("audit", "head").stdout.strip()


def _entries(store) -> list[AuditEntry]:  # type: ignore[no-untyped-def]
    with session_scope(store) as s:
        return list(s.scalars(select(AuditEntry).order_by(AuditEntry.seq)).all())


def _intact(cli) -> str:  # type: ignore[no-untyped-def]
    return cli("audit", "verify").stdout.splitlines()[0]


# --- audit head ------------------------------------------------------------------------


def test_head_is_the_last_entry(store, cli) -> None:  # type: ignore[no-untyped-def]
    last = _entries(store)[-1]
    assert last.seq == 5  # case, victim, relative, two consents
    assert _head(cli) == f"5:{last.hash}"
    assert json.loads(cli("audit", "head", "--json").stdout) == {"seq": 5, "hash": last.hash}
    assert cli("audit", "verify", "--head", f"5:{last.hash.upper()}").stdout.splitlines()[1] == (
        f"Head 5:{last.hash[:12]}… is held: nothing at or before entry 5 was removed or rewritten.")


def test_head_of_an_empty_log_is_zero_and_the_genesis_hash(db_url: str, cli) -> None:  # type: ignore[no-untyped-def]
    from chosei.store import open_store

    open_store(db_url).dispose()  # a store, with its schema and no entry yet
    assert _head(cli) == "0:" + "0" * 64
    assert cli("audit", "verify", "--head", "0:" + "0" * 64).exit_code == 0


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("12", "Error: --head must be SEQ:HASH as `chosei audit head` prints it (e.g. 42:3f5a… with all "
               "64 hex digits), not '12'\n"),
        ("5:abc", "Error: --head must be SEQ:HASH as `chosei audit head` prints it (e.g. 42:3f5a… with "
                  "all 64 hex digits), not '5:abc'\n"),
        ("9" * 30 + ":" + "a" * 64, "Error: --head must be SEQ:HASH as `chosei audit head` prints it "
                                    "(e.g. 42:3f5a… with all 64 hex digits), not '" + "9" * 30 + ":"
                                    + "a" * 46 + "...'\n"),
        ("\u0663:" + "a" * 64, "Error: --head must be SEQ:HASH as `chosei audit head` prints it (e.g. "
                                "42:3f5a… with all 64 hex digits), not '\u0663:" + "a" * 64 + "'\n"),
    ],
    ids=["no-hash", "short-hash", "huge-seq", "arabic-digit"],
)
def test_a_malformed_head_is_one_line(store, cli, value: str, message: str) -> None:  # type: ignore[no-untyped-def]
    assert cli("audit", "verify", "--head", value, expect=1).stderr == message


def test_a_head_the_log_never_reached_fails(store, cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("audit", "verify", "--head", "9:" + "a" * 64, expect=7)
    assert result.stderr == ("Error: the audit trail no longer holds entry 9 of head 9:aaaaaaaaaaaa… "
                             "(it ends at entry 5): entries were removed since that head was taken\n")


# --- The triggers ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "statement",
    ["UPDATE audit_entry SET actor = 'mallory' WHERE seq = 2",
     "DELETE FROM audit_entry WHERE seq = 5",
     "DELETE FROM audit_entry"],
    ids=["update", "delete-last", "delete-all"],
)
def test_chosei_connection_cannot_change_or_remove_entries(store, cli, statement: str) -> None:  # type: ignore[no-untyped-def]
    before = [(e.seq, e.actor, e.hash) for e in _entries(store)]
    with pytest.raises(exc.DBAPIError) as err, session_scope(store, write=True) as s:
        s.execute(text(statement))
    assert APPEND_ONLY in str(err.value)
    assert [(e.seq, e.actor, e.hash) for e in _entries(store)] == before
    # Appending still works: the next command writes its entry.
    cli("victim add V-002 --nationality JP --japanese 金本")
    assert len(_entries(store)) == 6


POSTGRES_ONLY = pytest.mark.parametrize(
    "db_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True)


@POSTGRES_ONLY
def test_truncate_is_refused_on_postgres(store) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(exc.DBAPIError) as err, session_scope(store, write=True) as s:
        s.execute(text("TRUNCATE audit_entry"))
    assert APPEND_ONLY in str(err.value)
    assert len(_entries(store)) == 5


@POSTGRES_ONLY
def test_public_holds_no_right_to_change_entries_on_postgres(store) -> None:  # type: ignore[no-untyped-def]
    with session_scope(store) as s:
        rights = s.execute(text(
            "SELECT privilege_type FROM information_schema.role_table_grants "
            "WHERE table_name = 'audit_entry' AND grantee = 'PUBLIC'")).scalars().all()
    assert not {"UPDATE", "DELETE", "TRUNCATE"} & set(rights)


# --- The attacks of issue 14, each caught by a head --------------------------------------


def _caught(cli, head: str, message: str) -> None:  # type: ignore[no-untyped-def]
    result = cli("audit", "verify", "--head", head, expect=7)
    assert result.stderr == f"Error: {message}\n"


def test_truncating_a_partner_export_record_is_caught(store, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "kr.xlsx"
    cli("export", str(out), "--profile", "partner", "--partner", "KR")
    head = _head(cli)
    assert head.startswith("6:")
    tamper(store, "DELETE FROM audit_entry WHERE seq = 6")  # the export's own entry
    assert _intact(cli) == "Audit trail intact: 5 entries, 5 rows match their last logged state."
    _caught(cli, head, f"the audit trail no longer holds entry 6 of head {head[:14]}… (it ends at "
                       "entry 5): entries were removed since that head was taken")
    # The partner's copy carries the same head: it catches the truncation too.
    result = cli("audit", "verify", "--head-from", str(out), expect=7)
    assert result.stderr.startswith("Error: the audit trail no longer holds entry 6 of head")


def test_rolling_back_a_consent_withdrawal_is_caught(store, cli) -> None:  # type: ignore[no-untyped-def]
    cli("--as kim relative withdraw R-001 --scope share:KR --on 2026-01-15")
    head = _head(cli)
    last = _entries(store)[-1]
    assert (last.seq, last.action, last.entity) == (6, "create", "consent_event")
    after = json.loads(last.after)
    assert after["event"] == "withdrawn"
    # Delete the withdrawal, drop the entry that recorded it.
    tamper(store, ["DELETE FROM consent_event WHERE id = ?",
                   "DELETE FROM audit_entry WHERE seq = 6"],
           [(after["id"],), ()])
    shown = json.loads(cli("relative", "show", "R-001", "--json").stdout)
    assert "share:KR" in json.dumps(shown)  # the consent is back in effect…
    assert _intact(cli) == "Audit trail intact: 5 entries, 5 rows match their last logged state."
    _caught(cli, head, f"the audit trail no longer holds entry 6 of head {head[:14]}… (it ends at "
                       "entry 5): entries were removed since that head was taken")


def _rewrite(store, seq: int, actor: str) -> None:  # type: ignore[no-untyped-def]
    """Re-attribute entry `seq` and recompute every later hash, as chosei would have."""
    entries = _entries(store)
    prev = entries[seq - 2].hash if seq > 1 else audit.GENESIS
    statements, params = [], []
    for e in entries[seq - 1:]:
        who = actor if e.seq == seq else e.actor
        digest = audit.entry_hash(prev, e.seq, e.at, who, e.action, e.entity, e.entity_key,
                                  e.subject, e.before, e.after, e.db_user)
        statements.append("UPDATE audit_entry SET actor = ?, prev_hash = ?, hash = ? WHERE seq = ?")
        params.append((who, prev, digest, e.seq))
        prev = digest
    tamper(store, statements, params)


def test_re_attributing_an_entry_with_recomputed_hashes_is_caught(store, cli) -> None:  # type: ignore[no-untyped-def]
    head = _head(cli)
    _rewrite(store, 3, "mallory")
    assert [e["actor"] for e in json.loads(cli("audit", "log", "R-001", "--json").stdout)][0] == "mallory"
    assert _intact(cli) == "Audit trail intact: 5 entries, 5 rows match their last logged state."
    now = _entries(store)[-1].hash
    _caught(cli, head, f"entry 5 has hash {now[:12]}…, not {head[2:14]}… as head {head[:14]}… says: "
                       "the trail was rewritten at or before entry 5 since that head was taken")


def _wipe(store, *, log_only: bool) -> None:  # type: ignore[no-untyped-def]
    tables = [t.name for t in reversed(SQLModel.metadata.sorted_tables)
              if t.name == "audit_entry" or not log_only]
    if store.dialect == "postgresql":
        tamper(store, f"TRUNCATE {', '.join(tables)} CASCADE")
    else:
        tamper(store, [f"DELETE FROM {name}" for name in tables])


def test_wiping_the_store_and_its_log_is_caught(store, cli) -> None:  # type: ignore[no-untyped-def]
    head = _head(cli)
    _wipe(store, log_only=False)
    assert _intact(cli) == "Audit trail intact: 0 entries, 0 rows match their last logged state."
    _caught(cli, head, f"the audit trail no longer holds entry 5 of head {head[:14]}… (the log is "
                       "empty): entries were removed since that head was taken")


def test_wiping_the_log_and_forging_a_fresh_one_is_caught(store, cli) -> None:  # type: ignore[no-untyped-def]
    head = _head(cli)
    _wipe(store, log_only=True)
    # A clean history, made with chosei's own code: one "create" per row as it stands.
    with session_scope(store, actor="mallory", write=True) as s:
        changes = []
        for cls in AUDITED:
            table = cls.__table__
            for values in s.execute(select(table)).mappings():
                snap = audit.row_snapshot(table, values)
                changes.append(audit.Change("create", table.name, audit.row_key(table, snap), None, snap))
        audit.record(s, changes)
    assert _intact(cli) == "Audit trail intact: 5 entries, 5 rows match their last logged state."
    now = _entries(store)[-1].hash
    _caught(cli, head, f"entry 5 has hash {now[:12]}…, not {head[2:14]}… as head {head[:14]}… says: "
                       "the trail was rewritten at or before entry 5 since that head was taken")


# --- Exports and reports carry the head -----------------------------------------------------


def _about(path: Path, sheet: str = "About") -> dict[str, str]:
    wb = openpyxl.load_workbook(path, read_only=True)
    return {row[0]: row[1] for row in wb[sheet].iter_rows(values_only=True)}


def test_an_export_carries_the_head_that_includes_its_own_entry(store, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "full.xlsx"
    cli("export", str(out))
    last = _entries(store)[-1]
    assert (last.action, last.entity_key) == ("export", "full.xlsx")
    assert _about(out)["Audit head"] == f"{last.seq}:{last.hash}" == _head(cli)
    ko = tmp_path / "ko.xlsx"
    cli("export", str(ko), "--lang", "ko")
    assert _about(ko, "정보")["감사 기록 최종 항목"] == _head(cli)
    cli("victim add V-002 --nationality JP --japanese 金本")  # later entries do not matter
    lines = cli("audit", "verify", "--head-from", str(out), "--head-from", str(ko)).stdout.splitlines()
    assert lines[1:] == [
        f"Head {last.seq}:{last.hash[:12]}… is held: nothing at or before entry 6 was removed or rewritten.",
        f"Head 7:{_entries(store)[6].hash[:12]}… is held: nothing at or before entry 7 was removed or "
        "rewritten.",
    ]


def test_head_from_a_file_that_is_no_export(store, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text_file = tmp_path / "notes.xlsx"
    text_file.write_text("not a workbook")
    assert cli("audit", "verify", "--head-from", str(text_file), expect=1).stderr == (  # the guard's
        "Error: 'notes.xlsx' is a text file (CSV or similar), not an Excel workbook; open it in Excel "
        "or LibreOffice and save it as .xlsx (Excel Workbook)\n")
    template = tmp_path / "blank.xlsx"
    cli("template", str(template))
    assert cli("audit", "verify", "--head-from", str(template), expect=1).stderr == (
        "Error: blank.xlsx has no audit head on its About sheet; only workbooks exported by a "
        "chosei that records one carry it\n")
    doctored = tmp_path / "doctored.xlsx"
    cli("export", str(doctored))
    wb = openpyxl.load_workbook(doctored)
    wb["About"]["B3"].value = "six"
    wb.save(doctored)
    assert cli("audit", "verify", "--head-from", str(doctored), expect=1).stderr == (
        "Error: the audit head on the About sheet of doctored.xlsx must be SEQ:HASH as `chosei audit "
        "head` prints it (e.g. 42:3f5a… with all 64 hex digits), not 'six'\n")


def test_reports_carry_the_head(store, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    head = _head(cli)
    html = tmp_path / "r.html"
    cli("report", str(html))
    assert f'<code id="audit-head">{head}</code>' in html.read_text(encoding="utf-8")
    xlsx = tmp_path / "r.xlsx"
    cli("report", str(xlsx), "--lang", "ja")
    wb = openpyxl.load_workbook(xlsx, read_only=True)
    rows = {row[0]: row[1] for row in wb.worksheets[0].iter_rows(values_only=True) if row}
    assert rows["監査ログ最終項目"] == head


def test_a_workbook_from_another_store_is_named_as_such(store, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    other = tmp_path / "other.db"
    cli("--db", str(other), "init", "--name", "Another case")
    out = tmp_path / "other.xlsx"
    cli("--db", str(other), "export", str(out))
    theirs = _about(out)["Store ID"]
    ours = _entries(store)[0].hash[:16]
    assert cli("audit", "verify", "--head-from", str(out), expect=7).stderr == (
        f"Error: other.xlsx names the store {theirs} and this store's is {ours}: either it was exported "
        "from another store (check it there), or this store's trail was rewritten or wiped from its "
        "first entry\n")


def test_a_trail_rewritten_from_its_first_entry_fails_a_workbook_head(store, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "kr.xlsx"
    cli("export", str(out), "--profile", "partner", "--partner", "KR")
    theirs = _about(out)["Store ID"]
    _rewrite(store, 1, "mallory")
    ours = _entries(store)[0].hash[:16]
    assert _intact(cli) == "Audit trail intact: 6 entries, 5 rows match their last logged state."
    assert cli("audit", "verify", "--head-from", str(out), expect=7).stderr == (
        f"Error: kr.xlsx names the store {theirs} and this store's is {ours}: either it was exported "
        "from another store (check it there), or this store's trail was rewritten or wiped from its "
        "first entry\n")


def test_verify_says_when_the_triggers_are_gone(store, cli) -> None:  # type: ignore[no-untyped-def]
    if store.dialect == "sqlite":
        names = "audit_entry_no_delete"
        with store.engine.begin() as conn:
            conn.execute(text("DROP TRIGGER audit_entry_no_delete"))
    else:
        names = "audit_entry_append_only, audit_entry_no_truncate"
        with store.engine.begin() as conn:
            conn.execute(text("ALTER TABLE audit_entry DISABLE TRIGGER USER"))
    try:
        assert cli("audit", "verify", expect=7).stderr == (
            f"Error: the append-only triggers of the audit trail are missing or disabled ({names}): "
            "someone with the database's own rights removed them and may have changed the trail "
            "unseen; check it against heads taken before (--head), and have the administrator "
            "restore the triggers (migration 0006)\n")
    finally:
        if store.dialect == "postgresql":  # the server's database outlives this test
            with store.engine.begin() as conn:
                conn.execute(text("ALTER TABLE audit_entry ENABLE TRIGGER USER"))
