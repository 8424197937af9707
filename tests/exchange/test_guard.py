"""The guard refuses hostile files with one line before any parser sees them.

Every file is built in code (see `hostile.py`); the bombs are real but cheap to build,
and every case is refused after reading at most a few MiB.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from chosei.errors import ChoseiError, InvalidInput
from chosei.exchange import limits
from chosei.exchange.guard import check_workbook
from chosei.store import open_store
from tests.exchange.hostile import (
    DECL,
    NS,
    Member,
    base_members,
    forged_zip,
    member,
    ole_file,
    sheet_xml,
    strings_xml,
    workbook,
    zero_bomb,
)

SAVE_AS = "open it in Excel or LibreOffice and save it as .xlsx (Excel Workbook)"
ASK = "ask the sender for the real workbook, or open it in Excel and save it again"
AGAIN = "copy or download it again, or open it in Excel and save it again"
CELLS = f"{limits.MAX_SHEET_CELLS:,}"
BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i + 1} "{("&lol" + (str(i) if i else "") + ";") * 10}">' for i in range(9))
    + f"]><sst {NS}><si><t>&lol9;</t></si></sst>"
)
EXTERNAL_ENTITY = (
    '<?xml version="1.0"?><!DOCTYPE w [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    f'<worksheet {NS}><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row>'
    "</sheetData></worksheet>"
)


def _refused(path: Path) -> str:
    with pytest.raises(InvalidInput) as caught:
        check_workbook(path)
    message = caught.value.message
    assert "\n" not in message
    return message


# --- Files that are not workbooks ------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    assert _refused(tmp_path / "victims.xlsx") == f"no file 'victims.xlsx' at {tmp_path}; check the path"


def test_folder(tmp_path: Path) -> None:
    (tmp_path / "victims.xlsx").mkdir()
    assert _refused(tmp_path / "victims.xlsx") == (
        "'victims.xlsx' is a folder, not a workbook; give the path of an .xlsx file"
    )


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = workbook(tmp_path / "victims.xlsx")

    real_open = os.open

    def denied(file: object, *args: object, **kwargs: object) -> int:
        if Path(file) == path:  # type: ignore[arg-type]
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", denied)  # root reads any file whatever its mode
    assert _refused(path) == "cannot read 'victims.xlsx': permission denied; check that you may read it"


NOT_ZIP: dict[str, tuple[bytes, str]] = {
    "empty": (b"", f"is empty (0 bytes); {SAVE_AS} again"),
    "csv": (
        "Victim ID,Nationality,Name (Hangul)\nCH-001,KR,김철수\n".encode(),
        f"is a text file (CSV or similar), not an Excel workbook; {SAVE_AS}",
    ),
    "csv-bom": (
        "\ufeff희생자 번호,국적\r\nCH-001,KR\r\n".encode(),
        f"is a text file (CSV or similar), not an Excel workbook; {SAVE_AS}",
    ),
    "csv-utf16": (
        "\ufeffVictim ID\tNationality\r\nCH-001\tKR\r\n".encode("utf-16-le"),
        f"is a text file (CSV or similar), not an Excel workbook; {SAVE_AS}",
    ),
    "html-as-xls": (
        b"<html><body><table><tr><td>CH-001</td></tr></table></body></html>",
        f"is a web page (HTML) with a spreadsheet name; {SAVE_AS}",
    ),
    "xml-2003": (
        b'<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"/>',
        f"is an Excel 2003 XML spreadsheet, not .xlsx; {SAVE_AS}",
    ),
    "pdf": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "is a PDF, not a workbook; ask the sender for the .xlsx file"),
    "binary": (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        f"is not an Excel workbook (it does not start like an .xlsx file); {SAVE_AS}",
    ),
}


@pytest.mark.parametrize("kind", NOT_ZIP)
def test_not_a_zip(tmp_path: Path, kind: str) -> None:
    data, expected = NOT_ZIP[kind]
    path = tmp_path / "victims.xlsx"
    path.write_bytes(data)
    assert _refused(path) == f"'victims.xlsx' {expected}"


OLE: dict[str, tuple[tuple[str, ...], str]] = {
    "encrypted": (
        ("\x06DataSpaces", "EncryptionInfo", "EncryptedPackage"),
        "is protected with a password; open it in Excel, remove the password "
        "(File > Info > Protect Workbook > Encrypt with Password, clear it) and save it again",
    ),
    "xls": (("Workbook", "\x05SummaryInformation"), f"is an Excel 97-2003 workbook (.xls), not .xlsx; {SAVE_AS}"),
    "xls-95": (("Book",), f"is an Excel 97-2003 workbook (.xls), not .xlsx; {SAVE_AS}"),
    "doc": (("WordDocument",), f"is an old Office file, not an Excel workbook; {SAVE_AS}"),
}


@pytest.mark.parametrize("kind", OLE)
def test_ole2_files(tmp_path: Path, kind: str) -> None:
    streams, expected = OLE[kind]
    assert _refused(ole_file(tmp_path / "victims.xlsx", *streams)) == f"'victims.xlsx' {expected}"


def test_other_zips(tmp_path: Path) -> None:
    path = tmp_path / "victims.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", "<office:document-content/>")
    assert _refused(path) == f"'victims.xlsx' is an OpenDocument spreadsheet (.ods), not .xlsx; {SAVE_AS}"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.bin", b"\x83\x01\x00")
    assert _refused(path) == f"'victims.xlsx' is an Excel binary workbook (.xlsb), not .xlsx; {SAVE_AS}"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    assert _refused(path) == f"'victims.xlsx' is a Word or PowerPoint file, not an Excel workbook; {SAVE_AS}"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("victims.csv", "CH-001,KR\n")
    assert _refused(path) == (
        f"'victims.xlsx' is a zip archive but not an Excel workbook (it has no xl/workbook.xml); {SAVE_AS}"
    )
    workbook(path, types=None)
    assert _refused(path) == (
        f"'victims.xlsx' is a zip archive but not an Excel workbook (it has no [Content_Types].xml); {SAVE_AS}"
    )


# --- Damaged zips ----------------------------------------------------------------------------------


def test_truncated(tmp_path: Path) -> None:
    whole = workbook(tmp_path / "whole.xlsx").read_bytes()
    path = tmp_path / "victims.xlsx"
    for keep in (len(whole) // 2, len(whole) - 10, 100):
        path.write_bytes(whole[:keep])
        assert _refused(path) == (
            f"'victims.xlsx' is damaged: its zip directory is missing (the file was cut short?); {AGAIN}"
        )


def test_bad_crc(tmp_path: Path) -> None:
    path = workbook(tmp_path / "victims.xlsx", method=zipfile.ZIP_STORED)
    data = bytearray(path.read_bytes())
    at = data.find(b"CH-001")
    data[at] = ord("X")
    path.write_bytes(bytes(data))
    assert _refused(path) == (
        f"'victims.xlsx' is damaged: xl/worksheets/sheet1.xml fails its checksum (CRC); {AGAIN}"
    )


def test_corrupt_deflate_and_short_parts(tmp_path: Path) -> None:
    path = tmp_path / "victims.xlsx"
    sheet = member("xl/worksheets/sheet1.xml", sheet_xml(""))
    forged_zip(path, base_members(s=Member(sheet.name, b"\xff" * 40, size=sheet.size, crc=sheet.crc)))
    assert _refused(path) == f"'victims.xlsx' is damaged: xl/worksheets/sheet1.xml does not decompress; {AGAIN}"
    forged_zip(path, base_members(s=Member(sheet.name, sheet.data[:-5], size=sheet.size, crc=sheet.crc)))
    assert _refused(path) == f"'victims.xlsx' is damaged: xl/worksheets/sheet1.xml is cut short; {AGAIN}"
    forged_zip(path, base_members(s=Member(sheet.name, sheet.data, size=(sheet.size or 0) + 7, crc=sheet.crc)))
    assert _refused(path) == (
        f"'victims.xlsx' is damaged: xl/worksheets/sheet1.xml holds less than its header declares; {AGAIN}"
    )


def test_overlapping_and_duplicate_parts(tmp_path: Path) -> None:
    path = tmp_path / "victims.xlsx"
    members = base_members()
    members.append(member("xl/media/image1.png", b"\x89PNG" * 100, offset=0))
    forged_zip(path, members)
    assert _refused(path) == (
        f"'victims.xlsx' is damaged: its parts [Content_Types].xml and xl/media/image1.png overlap; {AGAIN}"
    )
    members = base_members()
    members.append(member("xl/workbook.xml", "<workbook/>"))
    forged_zip(path, members)
    assert _refused(path) == f"'victims.xlsx' is damaged: it holds two parts named xl/workbook.xml; {AGAIN}"


def test_encrypted_part_and_odd_compression(tmp_path: Path) -> None:
    path = tmp_path / "victims.xlsx"
    sheet = member("xl/worksheets/sheet1.xml", sheet_xml(""), flags=1)
    forged_zip(path, base_members(s=sheet))
    assert _refused(path) == (
        "'victims.xlsx' has encrypted parts (xl/worksheets/sheet1.xml); open it in Excel, "
        "remove the password and save it again"
    )
    workbook(path, method=zipfile.ZIP_BZIP2)
    assert _refused(path) == (
        "'victims.xlsx' stores [Content_Types].xml with zip compression method 12, which Excel never "
        f"writes; {SAVE_AS} again"
    )


# --- Bombs --------------------------------------------------------------------------------------------


def test_too_many_parts(tmp_path: Path) -> None:
    path = workbook(tmp_path / "victims.xlsx")
    with zipfile.ZipFile(path, "a", zipfile.ZIP_STORED) as zf:
        for i in range(limits.MAX_PARTS):
            zf.writestr(f"xl/media/x{i}.bin", b"")
    assert _refused(path) == (
        f"'victims.xlsx' holds 10,006 parts, past the 10,000 chosei accepts; it is not a normal workbook: {ASK}"
    )


def test_declared_sizes_past_the_limits(tmp_path: Path) -> None:
    path = tmp_path / "victims.xlsx"
    sheet = member("xl/worksheets/sheet1.xml", sheet_xml(""))
    forged_zip(path, base_members(s=Member(sheet.name, sheet.data, size=2 << 30, crc=sheet.crc)))
    assert _refused(path) == (
        "'victims.xlsx' is refused as a possible zip bomb: its part xl/worksheets/sheet1.xml declares 2 GiB "
        f"(the limit for one part is 512 MiB); {ASK}"
    )
    members = base_members()
    members += [Member(f"xl/media/big{i}.bin", b"\x03\x00", size=400 << 20) for i in range(3)]
    forged_zip(path, members)
    assert _refused(path) == (
        "'victims.xlsx' is refused as a possible zip bomb: it declares more than 1 GiB uncompressed "
        f"(split the data into smaller workbooks); {ASK}"
    )
    book = member("xl/workbook.xml", "<workbook/>")
    forged_zip(path, base_members(b=Member(book.name, book.data, size=9 << 20, crc=book.crc)))
    assert _refused(path) == (
        "'victims.xlsx' is refused as a possible zip bomb: its part xl/workbook.xml declares 9 MiB "
        f"(the limit for it is 8 MiB); {ASK}"
    )


def test_real_deflate_bomb_declared_honestly(tmp_path: Path) -> None:
    # 2 GiB of zeros in a 2 MiB file, sizes declared as they are.
    path = tmp_path / "victims.xlsx"
    forged_zip(path, base_members(s=Member("xl/worksheets/sheet1.xml", zero_bomb(2048), size=2 << 30, crc=0)))
    assert path.stat().st_size < 3 << 20
    assert _refused(path) == (
        "'victims.xlsx' is refused as a possible zip bomb: its part xl/worksheets/sheet1.xml declares 2 GiB "
        f"(the limit for one part is 512 MiB); {ASK}"
    )
    # 200 MiB: under the size limits, but no worksheet compresses 1000:1.
    forged_zip(path, base_members(s=Member("xl/worksheets/sheet1.xml", zero_bomb(200), size=200 << 20, crc=0)))
    assert _refused(path) == (
        "'victims.xlsx' is refused as a possible zip bomb: its part xl/worksheets/sheet1.xml is compressed "
        f"1,011:1 (real workbooks stay under 100:1); {ASK}"
    )


@pytest.mark.parametrize("name", ["xl/worksheets/sheet1.xml", "xl/media/image1.png"])
def test_real_deflate_bomb_that_lies_about_its_size(tmp_path: Path, name: str) -> None:
    # 2 GiB of zeros declared as 1 MiB: decompression stops just past the declared size.
    path = tmp_path / "victims.xlsx"
    opening = f"{DECL}<worksheet {NS}><sheetData>".encode()
    forged_zip(path, base_members(s=Member(name, zero_bomb(2048, fill=b"<x/>", prefix=opening), size=1 << 20, crc=0)))
    assert _refused(path) == (
        f"'victims.xlsx' is refused as a possible zip bomb: its part {name} holds more than it declares "
        f"(declared sizes must not lie); {ASK}"
    )


# --- XML bombs and tricks ------------------------------------------------------------------------------

DOCTYPE = "declares a DOCTYPE or entities, which Excel never writes (an XML bomb?); " + ASK
NOT_UTF8 = "is not UTF-8 ({}), as every spreadsheet program writes it; " + SAVE_AS + " again"
XML_CASES: dict[str, tuple[dict[str, str | bytes], str]] = {
    "billion-laughs": ({"strings": BILLION_LAUGHS}, f"the shared strings part {DOCTYPE}"),
    "external-entity": ({"sheet": EXTERNAL_ENTITY}, f"sheet 'Victims' {DOCTYPE}"),
    "doctype-in-workbook": (
        {"book": '<?xml version="1.0"?><!DOCTYPE workbook SYSTEM "http://example.invalid/x.dtd"><workbook/>'},
        f"xl/workbook.xml {DOCTYPE}",
    ),
    "lowercase-doctype": ({"strings": f'<!doctype sst [<!entity a "b">]><sst {NS}/>'},
                          f"the shared strings part {DOCTYPE}"),
    "entity-after-comment": (
        {"types": '<?xml version="1.0"?><!-- hi --><!DOCTYPE Types [<!ENTITY a "b">]><Types/>'},
        f"[Content_Types].xml {DOCTYPE}",
    ),
    "utf16": ({"sheet": sheet_xml("").replace("UTF-8", "UTF-16").encode("utf-16")},
              "sheet 'Victims' " + NOT_UTF8.format("UTF-16 or UTF-32")),
    "utf7": ({"strings": strings_xml("x").replace("UTF-8", "UTF-7")},
             "the shared strings part " + NOT_UTF8.format("UTF-7")),
    "ebcdic": ({"book": '<?xml version="1.0" encoding="cp037"?><workbook/>'},
               "xl/workbook.xml " + NOT_UTF8.format("cp037")),
}


@pytest.mark.parametrize("case", XML_CASES)
def test_xml_declarations_and_encodings(tmp_path: Path, case: str) -> None:
    parts, expected = XML_CASES[case]
    assert _refused(workbook(tmp_path / "victims.xlsx", **parts)) == f"'victims.xlsx' is refused: {expected}"


def test_text_before_the_first_element(tmp_path: Path) -> None:
    path = workbook(tmp_path / "victims.xlsx", sheet="CH-001,KR\n")
    assert _refused(path) == f"'victims.xlsx' is damaged: sheet 'Victims' does not start like XML; {AGAIN}"


def test_openpyxl_uses_defusedxml(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert openpyxl.DEFUSEDXML is True
    monkeypatch.setattr(openpyxl, "DEFUSEDXML", False)
    with pytest.raises(ChoseiError, match="^openpyxl is not using defusedxml, so it would parse workbook XML "
                                          "unsafely; install defusedxml and unset OPENPYXL_DEFUSEDXML$"):
        check_workbook(workbook(tmp_path / "victims.xlsx"))


def test_openpyxl_would_use_defusedxml_when_it_is_not_loaded_yet(monkeypatch: pytest.MonkeyPatch,
                                                                 tmp_path: Path) -> None:
    monkeypatch.delitem(sys.modules, "openpyxl")
    monkeypatch.setenv("OPENPYXL_DEFUSEDXML", "False")
    with pytest.raises(ChoseiError, match="^openpyxl is not using defusedxml"):
        check_workbook(workbook(tmp_path / "victims.xlsx"))
    monkeypatch.delenv("OPENPYXL_DEFUSEDXML")
    check_workbook(workbook(tmp_path / "victims.xlsx"))
    assert "openpyxl" not in sys.modules


# --- Huge texts and far-away cells -----------------------------------------------------------------------

TEXT = "is refused: {} holds a text longer than 32,767 characters, Excel's limit for a cell; " \
       "shorten it and save the workbook again"


def _inline(text: str, ref: str = "A3") -> str:
    return f'<row r="3"><c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c></row>'


def test_long_texts(tmp_path: Path) -> None:
    path = tmp_path / "victims.xlsx"
    strings, sheet = TEXT.format("the shared strings part"), TEXT.format("sheet 'Victims'")
    assert _refused(workbook(path, strings=strings_xml("가" * 40_000))) == f"'victims.xlsx' {strings}"
    assert _refused(workbook(path, sheet=sheet_xml(_inline("a" * 32_768)))) == f"'victims.xlsx' {sheet}"
    # 5 MiB of text: longer than one piece of the stream.
    assert _refused(workbook(path, strings=strings_xml("b" * (5 << 20)))) == f"'victims.xlsx' {strings}"


def test_texts_at_the_limit_pass(tmp_path: Path) -> None:
    path = tmp_path / "victims.xlsx"
    check_workbook(workbook(path, strings=strings_xml("가" * 32_767, "&amp;" * 32_767, "_x000D_" * 32_767)))
    check_workbook(workbook(path, sheet=sheet_xml(_inline("遺" * 32_767))))


AREA = ("is refused: sheet 'Victims' spreads its cells over {}, more than the " + CELLS + " cells chosei reads "
        "from one sheet; delete the rows and columns beyond the data and save the workbook again")
FAR = '<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>2</v></c></row>'

SHEETS: dict[str, tuple[str, str]] = {
    "far-cell": (sheet_xml(FAR), AREA.format("A1:XFD1048576 (17,179,869,184 cells)")),
    "far-styled-cell": (
        sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576" s="1"/></row>'),
        AREA.format("A1:XFD1048576 (17,179,869,184 cells)"),
    ),
    "far-column": (sheet_xml('<row r="1"><c r="A1"><v>1</v></c><c r="ZZZ1"><v>1</v></c></row>'),
                   "is refused: sheet 'Victims' has a cell at ZZZ1, outside Excel's sheet (A1 to XFD1048576); "
                   "delete it and save the workbook again"),
    # `<cols>` starts like a cell: the piece holding it takes the patterns one by one.
    "far-column-beside-cols": (
        sheet_xml('<row r="1"><c r="A1"><v>1</v></c><c r="ZZZ1"><v>1</v></c></row>',
                  before='<cols><col min="1" max="2" width="9"/></cols>'),
        "is refused: sheet 'Victims' has a cell at ZZZ1, outside Excel's sheet (A1 to XFD1048576); "
        "delete it and save the workbook again"),
    "beyond-rows": (sheet_xml('<row r="1"><c r="B9999999"><v>1</v></c></row>'),
                    "is refused: sheet 'Victims' has a cell at B9999999, outside Excel's sheet (A1 to XFD1048576); "
                    "delete it and save the workbook again"),
    "dimension": (sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>', before='<dimension ref="A1:XFD1048576"/>'),
                  AREA.format("A1:XFD1048576 (17,179,869,184 cells)")),
    "merged": (
        sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>',
                  after='<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>'),
        f"is refused: sheet 'Victims' merges 17,179,869,184 cells, more than the {CELLS} chosei reads from "
        "one sheet; unmerge them and save the workbook again",
    ),
    "wide-and-tall": (sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="Q1048576">'
                                '<v>1</v></c></row>'), AREA.format("A1:Q1048576 (17,825,792 cells)")),
    "wide-late": (  # narrow for the first few MiB, then one far cell: the scan starts again
        sheet_xml("".join(f'<row r="{i}"><c r="A{i}"><v>{i}</v></c></row>' for i in range(1, 120_000))
                  + '<row r="1048576"><c r="Z1048576"><v>1</v></c></row>'),
        AREA.format("A1:Z1048576 (27,262,976 cells)"),
    ),
    "row-zero": (sheet_xml('<row r="1"><c r="A0"><v>1</v></c></row>'),
                 "is refused: sheet 'Victims' has a cell at A0, outside Excel's sheet (A1 to XFD1048576); "
                 "delete it and save the workbook again"),
    # The slow path: cells and rows without `r`, prefixes, odd attribute order and quoting.
    "rowless-cells": (
        sheet_xml('<row r="1"><c><v>1</v></c></row><row r="1048576">' + "<c><v>1</v></c>" * 17 + "</row>"),
        AREA.format("A1:Q1048576 (17,825,792 cells)"),
    ),
    "prefixed": (
        f'<x:worksheet xmlns:x="{NS[7:-1]}"><x:sheetData><x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c>'
        '<x:c r="XFD1048576"><x:v>1</x:v></x:c></x:row></x:sheetData></x:worksheet>',
        AREA.format("A1:XFD1048576 (17,179,869,184 cells)"),
    ),
    "attribute-tricks": (
        sheet_xml("<row r='1'><c r='A1'><v>1</v></c><c t=\">\" r='XFD1048576'><v>1</v></c></row>"),
        AREA.format("A1:XFD1048576 (17,179,869,184 cells)"),
    ),
    "escaped-ref": (sheet_xml('<row r="1"><c r="A1"><v>1</v></c><c s="1" r="&#88;FD1048576"><v>1</v></c></row>'),
                    AREA.format("A1:XFD1048576 (17,179,869,184 cells)")),
}


@pytest.mark.parametrize("case", SHEETS)
def test_far_away_cells(tmp_path: Path, case: str) -> None:
    sheet, expected = SHEETS[case]
    assert _refused(workbook(tmp_path / "victims.xlsx", sheet=sheet)) == f"'victims.xlsx' {expected}"


# --- Real workbooks pass -----------------------------------------------------------------------------------


def _openpyxl(path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "희생자"
    ws.append(["희생자 번호", "국적", "한글 이름", "비고"])
    for i in range(1, 300):
        ws.append([f"CH-{i:03d}", "KR", "김철수", "=not a formula" if i % 7 == 0 else None])
    ws.merge_cells("D1:E1")
    ws["A400"] = "가" * 32_767
    wb.save(path)


def _xlsxwriter(path: Path, **options: object) -> None:
    wb = xlsxwriter.Workbook(str(path), options)
    ws = wb.add_worksheet("犠牲者")
    for i in range(2000):
        ws.write_row(i, 0, [f"CH-{i:03d}", "JP", "山田太郎", 1915 + i % 30, None, "note"])
    ws.write(2000, 30, "far but fine")
    wb.close()


def _no_dimension(path: Path) -> None:
    workbook(path, sheet=f"{DECL}<worksheet {NS}><sheetData>"
                        + "".join(f'<row r="{i}"><c r="A{i}"><v>{i}</v></c></row>' for i in range(1, 2000))
                        + "</sheetData></worksheet>")


def _rowless(path: Path) -> None:
    workbook(path, sheet=sheet_xml("".join(f"<row><c><v>{i}</v></c><c><v>2</v></c></row>" for i in range(50))))


def _prefixed(path: Path) -> None:
    workbook(path, sheet=f'<x:worksheet xmlns:x="{NS[7:-1]}"><x:sheetData><x:row r="1"><x:c r="A1">'
                         "<x:v>1</x:v></x:c></x:row></x:sheetData></x:worksheet>")


def _big_stored(path: Path) -> None:
    workbook(path, method=zipfile.ZIP_STORED, sheet=sheet_xml(
        "".join(f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>CH-{i:05d}</t></is></c><c r="B{i}"><v>{i}</v></c></row>'
                for i in range(1, 40_000))))


def _narrow_and_tall(path: Path) -> None:
    # 16 columns down to Excel's last row is just within MAX_SHEET_CELLS.
    workbook(path, sheet=sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>'
                                   '<row r="1048576"><c r="P1048576"><v>1</v></c></row>'))


GOOD: dict[str, Callable[[Path], None]] = {
    "narrow-and-tall": _narrow_and_tall,
    "openpyxl": _openpyxl,
    "xlsxwriter": _xlsxwriter,
    "xlsxwriter-constant-memory": lambda p: _xlsxwriter(p, constant_memory=True),
    "minimal": lambda p: workbook(p) and None,
    "no-dimension": _no_dimension,
    "cells-without-r": _rowless,
    "prefixed": _prefixed,
    "stored-big": _big_stored,
}


@pytest.mark.parametrize("kind", GOOD)
def test_real_workbooks_pass(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "victims.xlsx"
    GOOD[kind](path)
    check_workbook(path)
    check_workbook(str(path))


@pytest.mark.parametrize("method", [zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED], ids=["deflated", "stored"])
def test_damaged_bytes_give_one_line_never_a_crash(tmp_path: Path, method: int) -> None:
    # Random bytes flipped, cut out or slipped in: refused with one line, or still fine.
    whole = workbook(tmp_path / "whole.xlsx", method=method).read_bytes()
    path = tmp_path / "victims.xlsx"
    rnd = random.Random(f"guard-{method}")
    for _ in range(200):
        data = bytearray(whole)
        for _ in range(rnd.randint(1, 4)):
            at = rnd.randrange(len(data))
            roll = rnd.random()
            if roll < 0.6:
                data[at] = rnd.randrange(256)
            elif roll < 0.8:
                del data[at : at + rnd.randint(1, 50)]
            else:
                data[at:at] = rnd.randbytes(rnd.randint(1, 20))
        path.write_bytes(bytes(data))
        try:
            check_workbook(path)
        except InvalidInput as exc:
            assert "\n" not in exc.message


def test_deflate_bomb_helper_is_what_it_says() -> None:
    d = zlib.decompressobj(-15)
    assert d.decompress(zero_bomb(3), 4 << 20) == bytes(3 << 20) and d.eof
    d = zlib.decompressobj(-15)
    assert d.decompress(zero_bomb(2, fill=b" ", prefix=b"<a>"), 4 << 20) == b"<a>" + b" " * (2 << 20) and d.eof


# --- Through the command line ------------------------------------------------------------------------------

HOSTILE_FILES: dict[str, Callable[[Path], object]] = {
    "empty": lambda p: p.write_bytes(b""),
    "csv": lambda p: p.write_text("Victim ID,Nationality\nCH-001,KR\n"),
    "xls": lambda p: ole_file(p, "Workbook"),
    "encrypted": lambda p: ole_file(p, "EncryptionInfo", "EncryptedPackage"),
    "truncated": lambda p: p.write_bytes(workbook(p).read_bytes()[:300]),
    "bad-crc": lambda p: forged_zip(p, base_members(s=Member(
        "xl/worksheets/sheet1.xml", b"<worksheet/>", method=0, crc=1))),
    "bomb": lambda p: forged_zip(p, base_members(s=Member("xl/worksheets/sheet1.xml", zero_bomb(2048), size=2 << 30))),
    "lying-bomb": lambda p: forged_zip(p, base_members(s=Member("xl/worksheets/sheet1.xml", zero_bomb(64),
                                                                size=1 << 20))),
    "billion-laughs": lambda p: workbook(p, strings=BILLION_LAUGHS),
    "external-entity": lambda p: workbook(p, sheet=EXTERNAL_ENTITY),
    "long-text": lambda p: workbook(p, strings=strings_xml("a" * 40_000)),
    "far-cell": lambda p: workbook(p, sheet=sheet_xml(FAR)),
}


def _one_line_refusal(kind: str, code: int, err: str) -> None:
    lines = err.strip().splitlines()
    assert code not in (0, 70), f"{kind}: exit {code}\n{err}"
    assert "Traceback" not in err, f"{kind}:\n{err}"
    assert len(lines) == 1 and lines[0].startswith(f"Error: '{kind}.xlsx' "), f"{kind}:\n{err}"


@pytest.mark.parametrize("kind", HOSTILE_FILES)
def test_chosei_import_refuses_each_hostile_file_in_one_line(tmp_path: Path, sqlite_url: str, cli, kind: str) -> None:
    path = tmp_path / f"{kind}.xlsx"
    HOSTILE_FILES[kind](path)
    result = cli("import", str(path), expect=None)
    _one_line_refusal(kind, result.exit_code, result.stderr)
    assert result.stdout == ""


# A real process each (python-calamine can abort one): the main kinds, run side by side.
IN_A_PROCESS = ["csv", "encrypted", "truncated", "lying-bomb", "billion-laughs", "far-cell"]


def test_chosei_import_in_a_process_exits_with_one_line(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    open_store(url).dispose()  # created and migrated once, not by each process at once
    env = {**os.environ, "CHOSEI_DB": url}
    procs = {}
    for kind in IN_A_PROCESS:
        path = tmp_path / f"{kind}.xlsx"
        HOSTILE_FILES[kind](path)
        procs[kind] = subprocess.Popen(
            [sys.executable, "-m", "chosei", "import", str(path)], env=env,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
    for kind, proc in procs.items():
        _, err = proc.communicate(timeout=120)
        _one_line_refusal(kind, proc.returncode, err)
