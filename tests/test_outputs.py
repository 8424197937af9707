"""Outputs never hurt inputs: every file chosei writes appears whole or not at all, and
never over the store or the command's input, by whatever path it is named."""

from __future__ import annotations

import errno
import hashlib
import os
from pathlib import Path

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from tests.exchange.conftest import write_book

V_HEAD = ["Victim ID", "Nationality", "Name (Hangul)", "Notes"]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _audit_count(cli) -> int:  # type: ignore[no-untyped-def]
    import json

    return len(json.loads(cli("audit", "log", "--json").stdout))


@pytest.fixture
def store(tmp_path: Path, cli, monkeypatch: pytest.MonkeyPatch) -> Path:  # type: ignore[no-untyped-def]
    """A SQLite store named like a workbook (so every writer accepts its name as a target)."""
    db = tmp_path / "case.xlsx"
    monkeypatch.setenv("CHOSEI_DB", str(db))
    cli("init", "--name", "Test case")
    cli("victim", "add", "V-001", "--nationality", "KR", "--hangul", "김가온")
    return db


WRITERS = {
    "export": ["export"],
    "template": ["template"],
    "report": ["report"],
    "backup": ["db", "backup"],
}


@pytest.mark.parametrize("command", WRITERS.values(), ids=WRITERS.keys())
@pytest.mark.parametrize("how", ["same path", "symlink", "hard link", "relative path"])
def test_no_command_writes_over_the_store(store: Path, cli, command: list[str], how: str,  # type: ignore[no-untyped-def]
                                          tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = _digest(store)
    target = {"same path": store, "symlink": tmp_path / "link.xlsx",
              "hard link": tmp_path / "hard.xlsx", "relative path": Path("case.xlsx")}[how]
    if how == "symlink":
        target.symlink_to(store)
    elif how == "hard link":
        os.link(store, target)
    elif how == "relative path":
        monkeypatch.chdir(tmp_path)
    result = cli(*command, str(target), expect=1)
    if how in ("same path", "relative path"):
        what = "the store or this command's input"
    else:
        what = f"the same file as {store} (the store or this command's input) by another path"
    assert result.stderr == f"Error: {target} is {what}: writing there would destroy it; name another file\n"
    assert _digest(store) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_the_journal_beside_the_store_is_protected_too(store: Path, cli) -> None:  # type: ignore[no-untyped-def]
    wal = Path(f"{store}-wal")
    result = cli("template", str(wal), expect=1)
    assert result.stderr == (f"Error: {wal} is the store or this command's input: writing there "
                             "would destroy it; name another file\n")
    assert not wal.exists()


def test_the_marked_copy_never_overwrites_the_partners_workbook(store: Path, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    book = write_book(tmp_path / "from-partner.xlsx", {"Victims": [V_HEAD, ["V-002", "Korae", "김", None]]})
    original = _digest(book)
    link = tmp_path / "alias.xlsx"
    link.symlink_to(book)
    for target in (book, link):
        result = cli("import", str(book), "--errors", str(target), expect=1)
        assert result.stderr.startswith(f"Error: {target} is ")
        assert _digest(book) == original
    result = cli("import", str(book), "--errors", str(store), expect=1)
    assert "writing there would destroy it" in result.stderr


@pytest.mark.parametrize("command", [["export"], ["template"], ["report"]], ids=["export", "template", "report"])
def test_a_missing_folder_is_one_line_and_leaves_nothing(store: Path, cli, command: list[str], tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "no such folder" / "out.xlsx"
    result = cli(*command, str(target), expect=1)
    assert result.stderr == (f"Error: the folder {target.parent} does not exist; create it or "
                             "write out.xlsx elsewhere\n")
    assert not target.parent.exists()


@pytest.mark.parametrize("command", [["export"], ["template"], ["db", "backup"]],
                         ids=["export", "template", "backup"])
def test_a_device_is_not_a_target(store: Path, cli, command: list[str]) -> None:  # type: ignore[no-untyped-def]
    result = cli(*command, "/dev/full", expect=1)
    assert result.stderr == "Error: /dev/full is not a regular file (a device or a pipe); name a file to write\n"


@pytest.mark.parametrize("command", [["export"], ["template"], ["report"], ["db", "backup"]],
                         ids=["export", "template", "report", "backup"])
def test_a_full_disk_leaves_the_old_file_and_no_temporary_file(store: Path, cli, command: list[str],  # type: ignore[no-untyped-def]
                                                              tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out" / "file.xlsx"
    out.parent.mkdir()
    out.write_bytes(b"yesterday's export")
    entries = _audit_count(cli)

    def full(path: Path) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr("chosei.outputs._fsync", full)
        result = cli(*command, str(out), expect=1)
    assert result.stderr == f"Error: cannot write {out}: the disk is full; nothing was written\n"
    assert out.read_bytes() == b"yesterday's export"
    assert [p.name for p in out.parent.iterdir()] == ["file.xlsx"]
    assert _audit_count(cli) == entries  # no export is recorded that did not happen


def test_an_unwritable_folder_is_one_line(store: Path, cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    import tempfile

    def denied(*args, **kwargs):  # type: ignore[no-untyped-def]  # root ignores chmod: say it as the OS would
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", denied)
    result = cli("export", str(tmp_path / "out.xlsx"), expect=1)
    assert result.stderr == f"Error: cannot write {tmp_path / 'out.xlsx'}: permission denied; nothing was written\n"


def test_an_export_whose_audit_entry_cannot_commit_leaves_no_file(db_url: str, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A store that refuses writes (a read-only file or role) gets no unaudited export."""
    cli("init", "--name", "Test case")
    cli("victim", "add", "V-001", "--nationality", "KR", "--hangul", "김가온")
    out = tmp_path / "out.xlsx"

    def read_only(dbapi_conn, _record):  # type: ignore[no-untyped-def]
        cur = dbapi_conn.cursor()
        if db_url.startswith("sqlite"):
            cur.execute("PRAGMA query_only = 1")
        else:
            cur.execute("SET default_transaction_read_only = on")
        cur.close()
        if not db_url.startswith("sqlite"):
            dbapi_conn.commit()

    event.listen(Engine, "connect", read_only)
    try:
        result = cli("export", str(out), expect=5)
    finally:
        event.remove(Engine, "connect", read_only)
    assert result.stderr.startswith("Error: the store at ")
    assert "is read-only (the file or its folder is not writable)" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir() if "out" in p.name) == []
    cli("export", str(out))
    assert out.is_file()


def test_a_report_and_template_replace_an_old_file_whole(store: Path, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "status.html"
    out.write_text("old")
    cli("report", str(out))
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert oct(out.stat().st_mode & 0o777) == oct(0o666 & ~_umask())


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
