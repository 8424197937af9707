"""`chosei import`, `export`, `template` through the command line."""

from __future__ import annotations

import json
import sqlite3
from contextlib import contextmanager

from openpyxl import load_workbook

from chosei.cli import exchange_cmd
from chosei.models import Victim
from chosei.store import session_scope
from tests.exchange.conftest import one, write_book

V_HEAD = ["Victim ID", "Nationality", "Name (Hangul)", "Notes"]


def test_template_then_import_it(cli, lite, tmp_path):
    out = cli("template", str(tmp_path / "blank.xlsx"), "--lang", "ko")
    assert out.stdout == f"Wrote the ko template to {tmp_path / 'blank.xlsx'}.\n"
    result = cli("import", str(tmp_path / "blank.xlsx"))
    # the summary of a Korean workbook is in Korean (issue 16)
    assert result.stdout.splitlines()[-1] == "blank.xlsx에서 0행을 추가하고 0행을 변경했습니다."


def test_import_and_dry_run_output(cli, lite, tmp_path):
    path = write_book(tmp_path / "v.xlsx", {"Victims": [V_HEAD, ["V-001", "KR", "김정웅", None]]})
    cli("import", str(path))
    path2 = write_book(tmp_path / "v2.xlsx", {"Victims": [V_HEAD, ["V-001", None, None, "x"],
                                                          ["V-002", "JP", "박", None]]})
    result = cli("import", str(path2), "--dry-run")
    assert result.stdout.splitlines() == [
        "Dry run of v2.xlsx: nothing was written.",
        "  change Victims V-001: Notes: (blank) → 'x'",
        "  add Victims V-002",
        "sheet    added  changed  unchanged  conflicts",
        "Victims  1      1        0          0",
        "Would add 1 and would change 1 row(s) from v2.xlsx.",
    ]
    assert one(lite, Victim, "V-001")["notes"] is None


def test_a_rejected_workbook_exits_6_and_marks_the_cells(cli, lite, tmp_path):
    path = write_book(tmp_path / "bad.xlsx", {"Victims": [V_HEAD, ["V-001", "Korae", "김", None],
                                                          ["V-002", "KR", None, None]]})
    marked = tmp_path / "marked.xlsx"
    result = cli("import", str(path), "--errors", str(marked), expect=6)
    assert result.stderr.splitlines() == [
        "  Victims, row 2, Nationality: 'Korae' is not a nationality (did you mean Korea: KR?); "
        "expected one of: KR, JP",
        "  Victims, row 3: a victim needs at least one name (hangul, hanja, japanese, reading "
        "or latin)",
        f"Marked 2 cell(s) in {marked}.",
        "Error: bad.xlsx has 2 problems; nothing was imported",
    ]
    ws = load_workbook(marked)["Victims"]
    assert ws["B2"].fill.fgColor.rgb == "FFFF9999"
    assert ws["B2"].comment.text.startswith("Nationality: 'Korae' is not a nationality")
    assert ws["A3"].comment.text.startswith("a victim needs at least one name")
    assert ws["C2"].comment is None
    assert one(lite, Victim, "V-002") is None


def test_long_problem_lists_are_cut_short(cli, lite, tmp_path):
    rows = [[f"V-{i:03d}", "XX", "김", None] for i in range(60)]
    path = write_book(tmp_path / "many.xlsx", {"Victims": [V_HEAD, *rows]})
    result = cli("import", str(path), expect=6)
    lines = result.stderr.splitlines()
    assert len(lines) == 52
    assert lines[-2] == "  … and 10 more; --errors OUT.xlsx marks them all"


def _conflicting_book(cli, store, tmp_path):
    """V-001 and V-002 exported, V-001 edited in the store after, both edited in the book."""
    path = tmp_path / "out.xlsx"
    write = write_book(tmp_path / "v.xlsx", {"Victims": [V_HEAD, ["V-001", "KR", "김", None],
                                                         ["V-002", "KR", "박", None]]})
    cli("import", str(write))
    cli("export", str(path))
    with session_scope(store, write=True) as s:
        s.get(Victim, "V-001").notes = "store"
    wb = load_workbook(path)
    wb["Victims"]["N2"].value = "book"
    wb["Victims"]["N3"].value = "book too"
    wb.save(path)
    return path


def _dump(url):
    """Every row of every table, in order: what "the store is unchanged" compares."""
    from sqlalchemy import create_engine, text
    from sqlmodel import SQLModel

    engine = create_engine(url)
    with engine.connect() as conn:
        dump = {t.name: conn.execute(text(f'SELECT * FROM "{t.name}" ORDER BY 1')).all()
                for t in SQLModel.metadata.sorted_tables}
    engine.dispose()
    return dump


CONFLICT_LINE = (
    "Conflict: conflict Victims V-001 (row 2): changed in the store after the export (store "
    "version 2, workbook version 1); not applied; Notes: 'store' → 'book'")


def test_conflicts_exit_4_and_nothing_is_imported(cli, store, case, tmp_path):
    path = _conflicting_book(cli, store, tmp_path)
    before = _dump(case)
    result = cli("import", str(path), expect=4)
    assert result.stdout.splitlines() == [
        CONFLICT_LINE,
        "sheet    added  changed  unchanged  conflicts",
        "Victims  0      1        0          1",
        "Nothing was imported from out.xlsx: it would have added 0 and changed 1 row(s).",
    ]
    assert result.stderr.splitlines()[-1] == (
        "Error: 1 row(s) changed in the store after the export and differ in the workbook: "
        "nothing was imported; export again, or import with --skip-conflicts to write the other "
        "rows and leave these as the store has them, or with --force to overwrite them")
    assert _dump(case) == before
    assert one(store, Victim, "V-002")["notes"] is None


def test_skip_conflicts_writes_the_other_rows(cli, store, case, tmp_path):
    path = _conflicting_book(cli, store, tmp_path)
    result = cli("import", str(path), "--skip-conflicts")
    assert result.stdout.splitlines() == [
        CONFLICT_LINE,
        "sheet    added  changed  unchanged  conflicts",
        "Victims  0      1        0          1",
        "Added 0 and changed 1 row(s) from out.xlsx.",
        "Left 1 conflicting row(s) as the store has them (--skip-conflicts).",
    ]
    assert one(store, Victim, "V-002")["notes"] == "book too"
    assert one(store, Victim, "V-001")["notes"] == "store"
    cli("import", str(path), "--force")
    assert one(store, Victim, "V-001")["notes"] == "book"


def test_conflicts_in_a_dry_run_and_in_json(cli, lite, tmp_path):
    path = _conflicting_book(cli, lite, tmp_path)
    result = cli("import", str(path), "--dry-run", expect=4)
    assert result.stdout.splitlines()[:3] == [
        "Dry run of out.xlsx: nothing was written.",
        "  change Victims V-002: Notes: (blank) → 'book too'",
        CONFLICT_LINE,
    ]
    assert result.stderr.splitlines()[-1].startswith(
        "Error: 1 row(s) changed in the store after the export and differ in the workbook: the "
        "import would write nothing;")
    data = json.loads(cli("import", str(path), "--json", expect=4).stdout)
    assert {k: data[k] for k in ("dry_run", "written", "added", "changed", "skipped")} == {
        "dry_run": False, "written": False, "added": 0, "changed": 1, "skipped": 1}
    assert data["conflicts"] == [{
        "sheet": "Victims", "key": "V-001", "action": "conflict", "row": 2,
        "fields": [{"column": "Notes", "old": "store", "new": "book"}],
        "reason": "changed in the store after the export (store version 2, workbook version 1); "
                  "not applied"}]
    data = json.loads(cli("import", str(path), "--skip-conflicts", "--json").stdout)
    assert {k: data[k] for k in ("written", "changed", "skipped")} == {
        "written": True, "changed": 1, "skipped": 1}
    assert data["sheets"] == {"Victims": {"added": 0, "changed": 1, "unchanged": 0, "conflicts": 1}}
    assert cli("import", str(path), "--force", "--skip-conflicts", expect=1).stderr == (
        "Error: --force and --skip-conflicts contradict each other: choose one\n")


def test_export_options_are_checked(cli, lite, tmp_path):
    out = str(tmp_path / "x.xlsx")
    assert cli("export", out, "--profile", "partner", expect=1).stderr == (
        "Error: the partner profile needs --partner KR or --partner JP\n")
    assert cli("export", out, "--sheets", "Victims,Bones", expect=1).stderr == (
        "Error: 'Bones' is not a sheet; choose from: Victims, Names, Relatives, Pedigrees, Operations, "
        "Specimens, Samples, Custody, Profiles, Frequencies, Haplotypes, Identifications\n")
    assert cli("export", out, "--profile", "lab", "--sheets", "희생자", expect=1).stderr == (
        "Error: the lab profile does not carry the Victims sheet; it carries: Samples\n")
    assert cli("export", out, "--lang", "fr", expect=1).stderr == (
        "Error: 'fr' is not a language; choose from: en, ko, ja\n")


def test_export_reports_rows_and_what_was_withheld(cli, lite, tmp_path):
    path = write_book(tmp_path / "v.xlsx", {
        "Victims": [V_HEAD, ["V-001", "KR", "김", None]],
        "Relatives": [["Relative ID", "Victim ID", "Relationship", "Consent scope",
                       "Consent date"], ["R-001", "V-001", "son", "analysis", "2025"]]})
    cli("import", str(path))
    result = cli("export", str(tmp_path / "kr.xlsx"), "--profile", "partner", "--partner", "kr",
                 "--sheets", "Victims", "--sheets", "Relatives")
    head = cli("audit", "head").stdout.strip()  # the export's own entry: the log's last
    assert result.stdout.splitlines() == [
        f"Exported 1 row(s) to {tmp_path / 'kr.xlsx'} (partner KR, en): Victims 1, Relatives 0.",
        "Withheld by the partner profile: Relatives 1.",
        f"Audit head {head} (on the About sheet; `chosei audit verify --head-from kr.xlsx` "
        "checks that the store still holds it).",
    ]


def test_a_file_that_is_not_a_workbook_is_one_line(cli, lite, tmp_path):
    path = tmp_path / "notes.xlsx"
    path.write_text("name,nationality\nKim,KR\n")
    result = cli("import", str(path), expect=1)
    assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith("Error: ")


def test_no_progress_bar_off_a_terminal(cli, lite, tmp_path):
    rows = [[f"V-{i:05d}", "KR", "김", None] for i in range(6000)]
    path = write_book(tmp_path / "big.xlsx", {"Victims": [V_HEAD, *rows]})
    result = cli("import", str(path))
    assert result.stderr == ""


def test_progress_bar_on_a_terminal_only_for_big_workbooks(monkeypatch):
    monkeypatch.setattr(exchange_cmd, "stderr_is_tty", lambda: True)
    started = []
    import rich.progress

    monkeypatch.setattr(rich.progress.Progress, "start", lambda self: started.append(self))
    monkeypatch.setattr(rich.progress.Progress, "stop", lambda self: None)
    with exchange_cmd._progress("Importing", halves=True) as bar:
        bar(10, 2 * 4000)
    assert started == []
    with exchange_cmd._progress("Importing", halves=True) as bar:
        bar(10, 2 * 6000)
        bar(20, 2 * 6000)
    assert len(started) == 1


def test_a_hostile_file_is_refused_without_waiting_for_the_writer_lock(cli, store, tmp_path, monkeypatch):
    """The file is checked before the import opens its write session: while another writer
    holds the lock, a file that is no workbook is refused at once, not after the wait."""
    import chosei.store

    monkeypatch.setattr(chosei.store, "BUSY_TIMEOUT_S", 1)
    path = tmp_path / "notes.xlsx"
    path.write_text("name,nationality\nKim,KR\n")
    with _writer_lock(store):
        result = cli("import", str(path), expect=1)
    assert result.stderr == ("Error: 'notes.xlsx' is a text file (CSV or similar), not an Excel "
                             "workbook; open it in Excel or LibreOffice and save it as .xlsx "
                             "(Excel Workbook)\n")


@contextmanager
def _writer_lock(store):  # type: ignore[no-untyped-def]
    """Another process's writer lock: SQLite's reserved lock, or chosei's advisory lock."""
    if store.dialect == "sqlite":
        con = sqlite3.connect(store.engine.url.database, isolation_level=None)
        con.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            con.rollback()
            con.close()
        return
    import psycopg

    from chosei.store import _PG_WRITE_LOCK

    url = store.url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(url, autocommit=True) as con:
        con.execute("SELECT pg_advisory_lock(%s)", (_PG_WRITE_LOCK,))
        yield


def test_a_marked_copy_into_a_missing_folder_is_refused_before_the_import(cli, lite, tmp_path):
    path = write_book(tmp_path / "bad.xlsx", {"Victims": [V_HEAD, ["V-001", "Korae", "김", None]]})
    marked = tmp_path / "no such folder" / "marked.xlsx"
    result = cli("import", str(path), "--errors", str(marked), expect=1)
    assert result.stderr == (f"Error: the folder {marked.parent} does not exist; create it or "
                             "write marked.xlsx elsewhere\n")


def test_a_marked_copy_that_cannot_be_written_is_one_line(cli, lite, tmp_path, monkeypatch):
    import errno

    path = write_book(tmp_path / "bad.xlsx", {"Victims": [V_HEAD, ["V-001", "Korae", "김", None]]})
    marked = tmp_path / "marked.xlsx"

    def full(path):  # the disk fills while the copy is written
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("chosei.outputs._fsync", full)
    result = cli("import", str(path), "--errors", str(marked), expect=6)
    assert result.stderr.splitlines()[1:] == [
        f"The marked copy {marked} could not be written: cannot write {marked}: the disk is "
        "full; nothing was written",
        "Error: bad.xlsx has 1 problem; nothing was imported",
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.xlsx", "lite.db"]
