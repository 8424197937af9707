"""A store that cannot do its work is one line with exit 5, never a traceback, and a
command that fails leaves it exactly as it was."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine

from chosei.migrations import HEAD_REVISION


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _fill(cli, url: str) -> str:  # type: ignore[no-untyped-def]
    cli("init", "--name", "Test case")
    for i in range(1, 41):
        cli("victim", "add", f"V-{i:03d}", "--nationality", "KR", "--hangul", "김가온",
            "--notes", "x" * 400)
    return url


@pytest.fixture
def filled(db_url: str, cli) -> str:  # type: ignore[no-untyped-def]
    return _fill(cli, db_url)


@pytest.fixture
def filled_sqlite(sqlite_url: str, cli) -> str:  # type: ignore[no-untyped-def]
    """PostgreSQL checks its own pages: damaged files are SQLite's alone."""
    return _fill(cli, sqlite_url)


def test_a_store_from_a_newer_chosei(filled: str, cli) -> None:  # type: ignore[no-untyped-def]
    engine = create_engine(filled)
    try:
        with engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = '0099'"))
        for command in (["status"], ["victim", "edit", "V-001", "--notes", "y"]):
            result = cli(*command, expect=5)
            assert result.stderr == (
                f"Error: the store at {filled} was written by a newer chosei (schema revision "
                f"0099; this chosei knows up to {HEAD_REVISION}): upgrade chosei to use it\n")
    finally:
        with engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": HEAD_REVISION})
        engine.dispose()


def test_a_file_that_is_not_a_database(sqlite_url: str, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "store.db"
    db.write_bytes(b"PK\x03\x04 this is a workbook, not a store" * 100)
    before = _digest(db)
    for command in (["status"], ["victim", "add", "V-001", "--nationality", "KR"], ["audit", "verify"]):
        result = cli(*command, expect=5)
        assert result.stderr == (
            f"Error: {sqlite_url} is not a chosei store (file is not a database): check --db; if "
            "it was the store, it is damaged: restore it from a backup (see `chosei db backup`) "
            "and keep the damaged file for inspection\n")
    assert _digest(db) == before


def _damage(db: Path) -> None:
    """Overwrite the middle of a table's page (not the header): a damaged sector."""
    data = bytearray(db.read_bytes())
    page = 4096
    pages = len(data) // page
    for n in range(pages // 2, pages - 1):
        start = n * page + 100
        data[start:start + 2000] = b"\xff" * 2000
    db.write_bytes(bytes(data))


def test_a_damaged_page_is_never_written_into(filled_sqlite: str, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    filled = filled_sqlite
    db = tmp_path / "store.db"
    _damage(db)
    before = _digest(db)
    result = cli("victim", "edit", "V-001", "--notes", "y", expect=5)
    assert result.stderr.startswith(f"Error: the store at {filled} is damaged (")
    assert result.stderr.endswith("): nothing was changed; restore it from a backup (see "
                                  "`chosei db backup`) and keep the damaged file for inspection\n")
    assert _digest(db) == before


def test_audit_verify_reports_a_damaged_file(filled_sqlite: str, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    filled = filled_sqlite
    _damage(tmp_path / "store.db")
    result = cli("audit", "verify", expect=5)
    assert result.stderr.startswith(f"Error: the store at {filled} is damaged (")
    assert "restore it from a backup" in result.stderr
    assert result.stderr.count("\n") == 1


def test_a_read_only_store_refuses_a_write_in_one_line(filled: str, cli) -> None:  # type: ignore[no-untyped-def]
    def read_only(dbapi_conn, _record):  # type: ignore[no-untyped-def]
        cur = dbapi_conn.cursor()
        if filled.startswith("sqlite"):
            cur.execute("PRAGMA query_only = 1")
        else:
            cur.execute("SET default_transaction_read_only = on")
            dbapi_conn.commit()
        cur.close()

    event.listen(Engine, "connect", read_only)
    try:
        cli("victim", "show", "V-001")  # reading works
        result = cli("victim", "edit", "V-001", "--notes", "y", expect=5)
    finally:
        event.remove(Engine, "connect", read_only)
    assert result.stderr.startswith("Error: the store at ")
    assert result.stderr.endswith(" is read-only (the file or its folder is not writable): ask "
                                  "for write access, or run only commands that read\n")
    assert "x" * 400 in cli("victim", "show", "V-001").stdout


def test_a_full_disk_is_one_line_and_changes_nothing(sqlite_url: str, cli) -> None:  # type: ignore[no-untyped-def]
    cli("init", "--name", "Test case")
    count: list[int] = []

    def tiny(dbapi_conn, _record):  # type: ignore[no-untyped-def]
        cur = dbapi_conn.cursor()
        pages = cur.execute("PRAGMA page_count").fetchone()[0]
        cur.execute(f"PRAGMA max_page_count = {pages}")  # the file may not grow: a full disk
        count.append(pages)
        cur.close()

    event.listen(Engine, "connect", tiny)
    try:  # each victim needs about a page: the file must grow within a few of them
        results = [cli("victim", "add", f"V-{i:03d}", "--nationality", "KR", "--hangul", "김",
                       "--notes", "x" * 3900, expect=None) for i in range(1, 6)]
    finally:
        event.remove(Engine, "connect", tiny)
    codes = [r.exit_code for r in results]
    full = codes.index(5)
    assert codes == [0] * full + [5] * (5 - full)
    assert count
    assert results[full].stderr == (f"Error: the disk holding the store at {sqlite_url} is full: "
                                    "nothing was changed; free some space and run the command again\n")
    assert f"{full} victim(s)" in cli("victim", "list").stdout


def test_reading_a_mistyped_path_does_not_create_a_store(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    typo = tmp_path / "chosie.db"
    for command in (["status"], ["victim", "list"], ["audit", "verify"], ["export", str(tmp_path / "o.xlsx")]):
        result = cli("--db", str(typo), *command, expect=5)
        assert result.stderr == (f"Error: no store at {typo}: check the path, or create one with "
                                 f"`chosei --db {typo} init` (or `demo`)\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == []
    cli("--db", str(typo), "init", "--name", "Test case")
    assert typo.is_file()


def test_the_default_store_is_still_created_on_a_fresh_machine(cli, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CHOSEI_DB")
    result = cli("status", expect=5)
    assert result.stderr == "Error: this store holds no case yet; run `chosei init` (or `chosei demo`)\n"
    assert (tmp_path / "xdg" / "chosei" / "chosei.db").is_file()


@pytest.mark.parametrize("dsn", ["host=db.example dbname=chosei user=me",
                                 "dbname=chosei password=s3cret"])
def test_a_libpq_string_is_not_a_file_name(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dsn: str) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    result = cli("--db", dsn, "init", "--name", "x", expect=5)
    shown = dsn.replace("s3cret", "***")
    assert result.stderr == (f"Error: --db takes a URL or a file path, not a libpq connection string "
                             f"('{shown}'); write it as postgresql+psycopg://USER@HOST/DBNAME\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == []


@pytest.mark.parametrize(("url", "shown"), [
    ("postgresql+psycopg://me:p@ss@127.0.0.1:1/db", "postgresql+psycopg://me:***@127.0.0.1:1/db"),
    ("postgresql+psycopg://me@127.0.0.1:1/db?password=s3cret&connect_timeout=1",
     "postgresql+psycopg://me@127.0.0.1:1/db?password=***&connect_timeout=1"),
], ids=["at-in-password", "query-password"])
def test_passwords_are_never_printed(cli, url: str, shown: str) -> None:  # type: ignore[no-untyped-def]
    from chosei.config import mask_url

    assert mask_url(url) == shown
    result = cli("--db", url, "status", expect=5)
    assert "s3cret" not in result.output and "ss@" not in result.output
    assert result.stderr.startswith(f"Error: cannot open the store at {shown}: ")
