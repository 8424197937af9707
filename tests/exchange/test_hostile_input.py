"""Workbooks from outside, made to hurt: one read of the file, no scan worse than linear,
budgets before anything is materialised (fictional data only; every file built here)."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

from chosei.errors import InvalidInput, WorkbookRejected
from chosei.exchange.guard import check_workbook
from chosei.models import Victim
from chosei.services.case import init_case
from chosei.store import Store, open_store, session_scope
from tests.exchange.conftest import do_import, dump, rows_of, write_book
from tests.exchange.hostile import sheet_xml, strings_xml, workbook

ROOT = Path(__file__).resolve().parents[2]


V_HEAD = ["Victim ID", "Nationality", "Name (Latin)", "Notes"]


def _victims_book(path: Path, *rows: list[object]) -> Path:
    return write_book(path, {"Victims": [V_HEAD, *rows]})


def test_the_reader_reads_the_bytes_the_guard_checked(lite: Store, tmp_path: Path) -> None:
    path = _victims_book(tmp_path / "victims.xlsx", ["CH-001", "KR", "Kim A"])
    checked = check_workbook(path)
    _victims_book(tmp_path / "other.xlsx", ["CH-002", "KR", "Kim B"]).replace(path)  # swapped in after the check
    do_import(lite, path, checked=checked)
    assert [r["id"] for r in rows_of(lite, Victim)] == ["CH-001"]


def test_a_fifo_is_refused_at_once(tmp_path: Path) -> None:
    path = tmp_path / "victims.xlsx"
    os.mkfifo(path)
    # A writer holds it open, so that opening it cannot block whatever the guard does.
    writer = os.open(path, os.O_RDWR | os.O_NONBLOCK)
    try:
        with pytest.raises(InvalidInput) as caught:
            check_workbook(path)
    finally:
        os.close(writer)
    assert caught.value.message == (
        "'victims.xlsx' is not a regular file (a pipe, socket or device?); save the workbook "
        "as a file and give its path")


def _run_limited(script: str, *, cpu_seconds: int, memory: int | None = None,
                 env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`script` in a process of its own, stopped past `cpu_seconds` of work (and past
    `memory` bytes of address space): a bound on the work done, not a timing."""
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))
        if memory is not None:
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    return subprocess.run([sys.executable, "-c", textwrap.dedent(script)], cwd=ROOT,
                          env={**os.environ, **(env or {})}, preexec_fn=limit,
                          capture_output=True, text=True, timeout=600)


def quadratic_bait(path: Path, n: int = 60_000) -> Path:
    """A formula cell (the reader then looks at the sheet's cells) and `n` `<c:a>`
    elements of another namespace: 36 KB that a quadratic scan spends minutes on."""
    rows = '<row r="1"><c r="A1"><f>1+1</f><v>2</v></c></row>'
    other = '<extLst xmlns:c="urn:example:other"><ext>' + "<c:a>" * n + "</ext></extLst>"
    return workbook(path, sheet=sheet_xml(rows, after=other))


def test_no_scan_of_a_sheet_is_worse_than_linear(tmp_path: Path) -> None:
    path = quadratic_bait(tmp_path / "bait.xlsx")
    assert path.stat().st_size < 40_000
    # Linear: a few hundredths of a second. The quadratic scan this replaces needed
    # about 300 CPU seconds for this file; 20 is a bound no linear scan comes near.
    done = _run_limited(f"""
        from pathlib import Path
        from chosei.exchange.guard import check_workbook
        from chosei.exchange.reader import read_workbook
        path = Path({str(path)!r})
        checked = check_workbook(path)
        read_workbook(path, checked.flagged)
        print("read")
        """, cpu_seconds=20)
    assert (done.returncode, done.stdout, done.stderr) == (0, "read\n", "")


def shared_strings_bomb(path: Path, *, cells: int = 200_000, chars: int = 32_000) -> Path:
    """One `chars`-character shared string referred to by `cells` cells: about 1 MB
    compressed, `cells` × `chars` characters once every cell holds its copy."""
    rows = "".join(f'<row r="{r}">' + "".join(f'<c r="{c}{r}" t="s"><v>0</v></c>' for c in "ABCDEFGHIJ")
                   + "</row>" for r in range(1, cells // 10 + 1))
    return workbook(path, sheet=sheet_xml(rows), strings=strings_xml("x" * chars))


BOMB = ("'bomb.xlsx' is refused: its cells repeat shared texts to more than the 128 MiB of text "
        "chosei reads from one workbook (by sheet 'Victims'; a shared-strings bomb?); ask the "
        "sender for the real workbook, or open it in Excel and save it again")


def test_a_shared_strings_bomb_is_refused_before_it_is_materialised(tmp_path: Path) -> None:
    path = shared_strings_bomb(tmp_path / "bomb.xlsx")
    assert path.stat().st_size < 1_500_000
    url = f"sqlite:///{tmp_path / 'store.db'}"
    store = open_store(url)
    with session_scope(store, write=True, actor="tester") as s:
        init_case(s, "Test case")
    store.dispose()
    # 1.5 GB of address space: the 6.4 GB the cells ask for cannot be had.
    done = _run_limited(f"""
        import sys
        from chosei.cli import main
        sys.argv = ["chosei", "import", {str(path)!r}]
        main()
        """, cpu_seconds=120, memory=1_500_000_000, env={"CHOSEI_DB": url})
    assert (done.returncode, done.stderr) == (6, f"Error: {BOMB}\n")


def test_rich_text_runs_add_up_to_the_cell_limit(tmp_path: Path) -> None:
    runs = '<si><r><t>{}</t></r><r><rPr><b/></rPr><t>{}</t></r></si>'
    strings = strings_xml("Victim ID").replace("</sst>", runs.format("a" * 20_000, "b" * 20_000) + "</sst>")
    with pytest.raises(InvalidInput) as caught:
        check_workbook(workbook(tmp_path / "runs.xlsx", strings=strings))
    assert caught.value.message == (
        "'runs.xlsx' is refused: the shared strings part holds a text longer than 32,767 "
        "characters, Excel's limit for a cell; shorten it and save the workbook again")
    # Runs within the limit together pass.
    strings = strings_xml("Victim ID").replace("</sst>", runs.format("a" * 16_000, "b" * 16_000) + "</sst>")
    check_workbook(workbook(tmp_path / "fine.xlsx", strings=strings))


def test_hidden_sheets_links_and_macros_are_told(lite: Store, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = write_book(tmp_path / "quiet.xlsx", {
        "Victims": [V_HEAD, ["CH-001", "KR", "Kim A"]],
        "Names": [["Victim ID", "Name", "Script"], ["CH-001", "김가", "hangul"]],
        "Notes": [["anything"]],
    })
    wb = load_workbook(path)
    wb["Victims"].sheet_state = "hidden"
    wb["Names"].sheet_state = "veryHidden"
    wb.save(path)
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr("xl/externalLinks/externalLink1.xml", '<?xml version="1.0"?><externalLink/>')
        zf.writestr("xl/vbaProject.bin", b"\0" * 64)
    report = do_import(lite, path)
    assert report.warnings == [
        "sheet 'Notes' is not one chosei reads; it was skipped (sheets: Victims, Names, Relatives, "
        "Pedigrees, Operations, Specimens, Samples, Custody, Profiles, Frequencies, Haplotypes, Identifications)",
        "sheet 'Victims' is hidden in the workbook; its rows were read like any other's: unhide it "
        "to see what is imported",
        "sheet 'Names' is very hidden (only a macro shows it) in the workbook; its rows were read "
        "like any other's: unhide it to see what is imported",
        "the workbook links to other files (external links): chosei read the values saved in it "
        "and opened none of the linked files",
        "the workbook holds macros (VBA): chosei never runs them and imported nothing from them",
    ]
    assert [r["id"] for r in rows_of(lite, Victim)] == ["CH-001"]


DEMO_BOOK = ROOT / "imports" / "demo-case.xlsx"


@pytest.mark.parametrize(("keep", "found"), [
    (None, "Victims, row 4: case.xlsx holds the demo case's fictional data (its victims are the "
           "demo's (3 IDs with the demo's names))"),
    (("Relatives",), "Relatives, row 4: case.xlsx holds the demo case's fictional data (3 "
                     "relatives' contacts are the demo's fictional ones)"),
], ids=["without-about", "relatives-only"])
def test_demo_data_is_known_by_its_content(lite: Store, tmp_path: Path, keep: tuple[str, ...] | None,
                                           found: str) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(DEMO_BOOK)
    for title in list(wb.sheetnames):
        if title == "About" or (keep is not None and title not in keep):
            del wb[title]
    path = tmp_path / "case.xlsx"
    wb.save(path)
    before = dump(lite)
    with pytest.raises(WorkbookRejected) as caught:
        do_import(lite, path)
    demo = [str(p) for p in caught.value.problems if "demo" in p.message]
    assert demo == [f"{found} and this store holds a real case: import it into a demo store"]
    assert dump(lite) == before


def test_inline_rich_text_runs_add_up_to_the_cell_limit(tmp_path: Path) -> None:
    def cell(a: int, b: int) -> str:
        return ('<row r="2"><c r="A2" t="inlineStr"><is><r><t>' + "a" * a + "</t></r><r><rPr><b/></rPr><t>"
                + "b" * b + "</t></r></is></c></row>")

    with pytest.raises(InvalidInput) as caught:
        check_workbook(workbook(tmp_path / "runs.xlsx", sheet=sheet_xml(cell(20_000, 20_000))))
    assert caught.value.message == (
        "'runs.xlsx' is refused: sheet 'Victims' holds a text longer than 32,767 characters, "
        "Excel's limit for a cell; shorten it and save the workbook again")
    check_workbook(workbook(tmp_path / "fine.xlsx", sheet=sheet_xml(cell(16_000, 16_000))))


def test_an_inline_string_across_two_pieces_of_the_scan_is_added_up(tmp_path: Path) -> None:
    # The guard scans 1 MiB at a time: the string starts 15,000 bytes before the end of
    # the first MiB, and its runs end in the second.
    filler = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(1, 40_000))
    head = len(sheet_xml(filler).split("<sheetData>")[0]) + len("<sheetData>")
    filler = filler[:filler.rfind("<row", 0, (1 << 20) - head - 15_000)]
    long = ('<row r="50000"><c r="A50000" t="inlineStr"><is><r><t>' + "a" * 20_000
            + "</t></r><r><t>" + "b" * 20_000 + "</t></r></is></c></row>")
    with pytest.raises(InvalidInput) as caught:
        check_workbook(workbook(tmp_path / "runs.xlsx", sheet=sheet_xml(filler + long)))
    assert "holds a text longer than 32,767 characters" in caught.value.message
