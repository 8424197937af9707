"""`chosei db backup`: a consistent copy of a SQLite store, even while a writer works."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest


def test_a_backup_is_a_store_holding_what_was_committed(sqlite_url: str, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli("init", "--name", "Test case")
    cli("victim", "add", "V-001", "--nationality", "KR", "--hangul", "김가온")
    copy = tmp_path / "backups" / "monday.db"
    copy.parent.mkdir()
    writer = sqlite3.connect(tmp_path / "store.db", isolation_level=None)
    try:  # another writer is half-way through a transaction while the copy is taken
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("UPDATE victim SET notes = 'uncommitted' WHERE id = 'V-001'")
        result = cli("db", "backup", str(copy))
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert result.stdout.startswith(f"Backed up {sqlite_url} to {copy}: ")
    assert result.stdout.endswith(f" pages, {copy.stat().st_size} bytes.\n")
    assert "Audit trail intact: 2 entries, 2 rows" in cli("--db", str(copy), "audit", "verify").stdout
    with sqlite3.connect(copy) as check:
        assert check.execute("SELECT id, notes FROM victim").fetchall() == [("V-001", None)]
    assert sorted(p.name for p in copy.parent.iterdir()) == ["monday.db"]


def test_restoring_a_backup_is_putting_it_in_the_stores_place(sqlite_url: str, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli("init", "--name", "Test case")
    cli("victim", "add", "V-001", "--nationality", "KR", "--hangul", "김가온")
    cli("db", "backup", str(tmp_path / "copy.db"))
    cli("victim", "add", "V-002", "--nationality", "JP", "--japanese", "金本")
    shutil.copyfile(tmp_path / "copy.db", tmp_path / "store.db")  # as docs/security.md says
    assert "1 victim(s)" in cli("victim", "list").stdout
    assert "Audit trail intact" in cli("audit", "verify").stdout


@pytest.mark.postgres
def test_a_postgresql_store_is_backed_up_with_pg_dump(pg_database: str, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("--db", pg_database, "db", "backup", str(tmp_path / "copy.db"), expect=1)
    assert result.stderr == (
        f"Error: `chosei db backup` copies SQLite stores; back up the postgresql store at "
        f"{pg_database} with the server's own tools: pg_dump --format=custom (see "
        "docs/security.md, Store faults and backups)\n")
    assert list(tmp_path.glob("*copy*")) == []
