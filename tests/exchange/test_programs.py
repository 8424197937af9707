"""What chosei exports, LibreOffice and Gnumeric open with the same values; what they save,
chosei imports back with no change; and a workbook LibreOffice wrote from scratch imports.

One export of each store (the rich case in English and Japanese, the demo case), one
LibreOffice run for all of them and one ssconvert run each, shared by the whole module.
"""

from __future__ import annotations

import math
import shutil
import warnings
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import select

from chosei.exchange import export_workbook, import_workbook
from chosei.models import Victim
from chosei.services.case import init_case
from chosei.services.demo import build_demo
from chosei.store import open_store, session_scope
from tests.cli.storeview import snapshot
from tests.exchange import richstore
from tests.programs import CSV_UTF8, gnumeric_roundtrip, libreoffice_convert, require

pytestmark = pytest.mark.programs

EXPORTS = {"rich-en": ("rich", "en"), "rich-ja": ("rich", "ja"), "demo-en": ("demo", "en")}
PROGRAMS = ["libreoffice", "gnumeric"]

# Typed into a spreadsheet program, not exported by chosei: Korean headers and terms, a
# full ISO date, a bare year, a Japanese era date, and a formula whose cached value counts.
SCRATCH_CSV = (
    "희생자 번호,국적,한글 이름,일본식 이름,생년월일,사망 당시 나이,비고\n"
    "V-101,KR,김철수,金本鉄洙,1915-03-02,=20+6,잠수 조사\n"
    "V-102,한국,박영수,,1915,,\n"
    "V-103,일본,,山田太郎,大正4年3月2日,26,\n"
)


def _store(tmp: Path, kind: str) -> str:
    url = f"sqlite:///{tmp / f'{kind}.db'}"
    store = open_store(url)
    try:
        with session_scope(store, write=True, actor="tester") as s:
            if kind == "demo":
                build_demo(s, seed=1942)
            else:
                init_case(s, "Test case")
                richstore.fill(s)
    finally:
        store.dispose()
    return url


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """chosei's exports, and what LibreOffice and Gnumeric saved from them."""
    require("libreoffice", "gnumeric")
    tmp = tmp_path_factory.mktemp("programs")
    stores = {kind: _store(tmp, kind) for kind in ("rich", "demo")}
    ours: dict[str, Path] = {}
    for name, (kind, lang) in EXPORTS.items():
        store = open_store(stores[kind])
        with session_scope(store, write=True, actor="tester") as s:
            export_workbook(s, tmp / f"{name}.xlsx", profile="full", partner=None, lang=lang, sheets=None)
        store.dispose()
        ours[name] = tmp / f"{name}.xlsx"
    # The scratch workbook: a CSV opened in LibreOffice and saved as .ods, the way a case
    # worker starts one; then saved as .xlsx by each program like the exports.
    (tmp / "csv").mkdir()
    csv = tmp / "csv" / "희생자.csv"
    csv.write_text(SCRATCH_CSV, encoding="utf-8")
    ods = libreoffice_convert([csv], tmp / "csv", target="ods", infilter=CSV_UTF8)[0]
    lo_out = libreoffice_convert([*ours.values(), ods], tmp / "libreoffice")
    saved = {("libreoffice", name): path for name, path in zip([*ours, "scratch"], lo_out, strict=True)}
    for name, path in [*ours.items(), ("scratch", ods)]:
        saved["gnumeric", name] = gnumeric_roundtrip(path, tmp / "gnumeric")
    # Stores are copied before each import, so every test starts from the exported state.
    return {"tmp": tmp, "stores": stores, "ours": ours, "saved": saved}


def _cells(path: Path) -> dict[str, list[list[tuple[Any, str, bool]]]]:
    """Every sheet as rows of (value, type, is a date), trailing blanks dropped."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Workbook contains no default style")  # Gnumeric's
        wb = openpyxl.load_workbook(path, read_only=True)
    try:
        out = {}
        for ws in wb.worksheets:
            rows = [[(c.value, c.data_type, bool(getattr(c, "is_date", False))) if c.value is not None
                     else (None, "", False) for c in row] for row in ws.iter_rows()]
            for row in rows:
                while row and row[-1][0] is None:
                    row.pop()
            while rows and not rows[-1]:
                rows.pop()
            out[ws.title] = rows
        return out
    finally:
        wb.close()


def _same(ours: tuple[Any, str, bool], theirs: tuple[Any, str, bool]) -> bool:
    if isinstance(ours[0], float) and isinstance(theirs[0], int | float):
        # LibreOffice writes 15 significant digits, as Excel shows them.
        return math.isclose(ours[0], theirs[0], rel_tol=1e-14) and ours[1:] == theirs[1:]
    return ours == theirs


@pytest.mark.parametrize("name", EXPORTS)
@pytest.mark.parametrize("program", PROGRAMS)
def test_programs_open_the_export_with_the_same_cells(books: dict[str, Any], program: str, name: str) -> None:
    ours = _cells(books["ours"][name])
    theirs = _cells(books["saved"][program, name])
    assert list(theirs) == list(ours)
    diffs = []
    for sheet, rows in ours.items():
        other = theirs[sheet]
        assert len(other) == len(rows), f"{sheet}: {len(other)} rows, not {len(rows)}"
        for r, (row, row2) in enumerate(zip(rows, other, strict=True), start=1):
            for c in range(max(len(row), len(row2))):
                a = row[c] if c < len(row) else (None, "", False)
                b = row2[c] if c < len(row2) else (None, "", False)
                if not _same(a, b):
                    diffs.append(f"{sheet}!{openpyxl.utils.get_column_letter(c + 1)}{r}: {a} became {b}")
    assert not diffs, "\n".join(diffs[:20])


def test_the_comparison_sees_dates_partial_dates_and_formula_like_text(books: dict[str, Any]) -> None:
    # So the test above can fail: the rich export holds each kind it must keep apart.
    cells = [c for rows in _cells(books["ours"]["rich-en"]).values() for row in rows for c in row]
    assert any(is_date for _, _, is_date in cells)
    assert ("1915", "s", False) in cells and ("2026-02", "s", False) in cells
    texts = {v for v, t, _ in cells if t == "s" and isinstance(v, str)}
    assert {"=SUM(A1:A2)", "-5 degrees", "@home", "+82 register", "\t=cmd"} <= texts


def _copy(books: dict[str, Any], kind: str, tag: str) -> str:
    src = Path(books["stores"][kind].removeprefix("sqlite:///"))
    dst = books["tmp"] / f"{kind}-{tag}.db"
    shutil.copy(src, dst)
    return f"sqlite:///{dst}"


@pytest.mark.parametrize("name", EXPORTS)
@pytest.mark.parametrize("program", PROGRAMS)
def test_what_programs_save_imports_back_with_no_change(books: dict[str, Any], cli, program: str,
                                                        name: str) -> None:
    kind = EXPORTS[name][0]
    url = _copy(books, kind, f"{program}-{name}")
    path = books["saved"][program, name]
    before = snapshot(url)
    dry = cli("--db", url, "import", str(path), "--dry-run")
    # the summary is in the workbook's language (issue 16)
    summary = {"en": f"Would add 0 and would change 0 row(s) from {path.name}.",
               "ja": f"{path.name} から 0 行を追加し、0 行を変更することになります。"}[EXPORTS[name][1]]
    assert summary in dry.stdout
    store = open_store(url)
    try:
        with session_scope(store, write=True, actor="tester") as s:
            report = import_workbook(s, path, dry_run=False, force=False)
    finally:
        store.dispose()
    assert (report.added, report.changed, report.conflicts) == (0, 0, [])
    # LibreOffice saves numbers to 15 significant digits: the tracker's own (LR,
    # posterior) compare equal at that precision, so there is nothing to warn about.
    assert report.warnings == []
    assert snapshot(url) == before


@pytest.mark.parametrize("program", PROGRAMS)
def test_a_workbook_a_program_wrote_from_scratch_imports(books: dict[str, Any], program: str) -> None:
    url = f"sqlite:///{books['tmp'] / f'scratch-{program}.db'}"
    store = open_store(url)
    try:
        with session_scope(store, write=True, actor="tester") as s:
            init_case(s, "Test case")
        with session_scope(store, write=True, actor="tester") as s:
            report = import_workbook(s, books["saved"][program, "scratch"], dry_run=False, force=False)
        assert report.added == 3
        with session_scope(store) as s:
            victims = {v.id: v for v in s.execute(select(Victim)).scalars()}
    finally:
        store.dispose()
    got = {i: (v.nationality, v.name_hangul, v.name_japanese, v.birth_date, v.age_at_death, v.notes)
           for i, v in victims.items()}
    assert got == {
        "V-101": ("KR", "김철수", "金本鉄洙", "1915-03-02", 26, "잠수 조사"),
        "V-102": ("KR", "박영수", None, "1915", None, None),
        "V-103": ("JP", None, "山田太郎", "1915-03-02", 26, None),
    }


def test_an_export_saved_by_gnumeric_with_a_bad_cell_is_marked(cli, lite, tmp_path: Path) -> None:
    """Gnumeric writes comments without an author as `<authors/>`, which openpyxl cannot
    load: the export's header comments carry one (chosei)."""
    require("gnumeric")
    from tests.exchange.conftest import write_book

    cli("import", str(write_book(tmp_path / "v.xlsx", {
        "Victims": [["Victim ID", "Nationality", "Name (Hangul)"], ["V-001", "KR", "김"]]})))
    cli("export", str(tmp_path / "export.xlsx"), "--sheets", "Victims")
    # The case worker's typo, made in the file itself (openpyxl would rewrite the comments).
    with zipfile.ZipFile(tmp_path / "export.xlsx") as src, \
            zipfile.ZipFile(tmp_path / "typed.xlsx", "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                assert data.count(b"<t>KR</t>") == 1
                data = data.replace(b"<t>KR</t>", b"<t>Korae</t>")
            dst.writestr(info, data)
    saved = gnumeric_roundtrip(tmp_path / "typed.xlsx", tmp_path / "gnumeric")
    marked = tmp_path / "marked.xlsx"
    result = cli("import", str(saved), "--errors", str(marked), expect=6)
    assert result.stderr.splitlines()[1:] == [
        f"Marked 1 cell(s) in {marked}.", "Error: typed.xlsx has 1 problem; nothing was imported"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Gnumeric's files have no default style
        cell = openpyxl.load_workbook(marked)["Victims"]["B2"]
    assert cell.comment.text.startswith("Nationality: 'Korae' is not a nationality")
