"""Reading a workbook: its sheets, headers and rows, with their Excel row numbers.

Cell values come from python-calamine (fast; formulas as their cached values) and are
kept by column, the way the import reads them (one column of a hundred thousand cells
is converted in one pass, see `cells.column_reader`). Two things calamine does not say
are read from the sheet XML directly: which cells hold an error (`#REF!`, `#N/A`:
calamine gives them as blank) and which formulas have no saved value; the XML is only
parsed when a quick byte scan (the guard's, see `guard.Checked`) finds either. The 1904
date system flag comes from `xl/workbook.xml`. The file has passed
`guard.check_workbook` before anything here opens it.

Date cells before 1 March 1900, and date cells calamine gives as a time of day, are
read again from their serials (`_early_dates`): calamine reads serial 0 (1904-01-01 in
the 1904 system) as 00:00 and turns Excel's phantom 29 February 1900 into the 28th,
and cannot know that LibreOffice counts those early serials from 30 December 1899
without the phantom day (it writes 1900-01-01 as 2 where Excel writes 1), which
`docProps/app.xml` tells.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import itertools
import posixpath
import re
import zipfile
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from defusedxml import ElementTree
from python_calamine import CalamineError, CalamineWorkbook

from chosei.errors import InvalidInput
from chosei.exchange import schema
from chosei.exchange.guard_xml import has_cell_hints
from chosei.exchange.report import Problem, feedback_language
from chosei.i18n import _, gettext_in

_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_NS_APP = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"
_CHUNK = 1 << 22


# Column letters through openpyxl.utils, imported where used: openpyxl takes a tenth of a
# second to import, and only a problem's message or a rare re-read of cells needs them.


def col_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _col_index(letters: str) -> int:
    """A → 0 (the guard has checked every reference is within XFD)."""
    from openpyxl.utils import column_index_from_string

    return column_index_from_string(letters) - 1


@dataclass
class RawSheet:
    """One recognised sheet: headers as written, and the data under them by column.

    `numbers` are the Excel row numbers of the data rows (blank rows left out);
    `columns[i]` holds column i's cells of those rows, in the same order."""

    title: str
    spec: schema.Sheet
    header_row: int = 1
    col_offset: int = 0
    headers: list[str] = field(default_factory=list)
    col_of: dict[str, int] = field(default_factory=dict)
    extra: list[tuple[int, str]] = field(default_factory=list)
    duplicate: list[tuple[int, str]] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)
    columns: list[Sequence[Any]] = field(default_factory=list)
    bad_cells: dict[tuple[int, int], str] = field(default_factory=dict)

    def column(self, index: int) -> Sequence[Any]:
        """Column `index`'s cells, one per data row ("" past the sheet's last column)."""
        if index < len(self.columns):
            return self.columns[index]
        return [""] * len(self.numbers)

    def bad_in(self, index: int) -> dict[int, str]:
        """Position in `numbers` → why, for the error cells of column `index`."""
        if not self.bad_cells:
            return {}
        where = {n: k for k, n in enumerate(self.numbers)}
        col = self.col_offset + index
        return {where[r]: why for (r, c), why in self.bad_cells.items() if c == col and r in where}

    def free(self) -> None:
        """Let the cells go once they are read."""
        self.columns = []

    def header_of(self, index: int) -> str:
        return self.headers[index] if index < len(self.headers) else col_letter(index)

    def letter(self, index: int) -> str:
        return col_letter(self.col_offset + index)

    def problem(self, row: int, index: int | None, message: str,
                header: str | None = None) -> Problem:
        """A problem at (Excel row, column index of this sheet's table)."""
        if index is None:
            return Problem(self.title, row, header, message, None)
        return Problem(self.title, row, header or self.header_of(index), message,
                       self.col_offset + index)


@dataclass
class RawWorkbook:
    sheets: list[RawSheet]
    about: dict[str, Any]
    date1904: bool
    unknown_sheets: list[str]
    # The language it is written in (`schema.workbook_language`): its feedback's, when ko or ja.
    lang: str = "en"
    about_title: str = "About"  # the About sheet's name in the workbook, when it has one

    @property
    def row_count(self) -> int:
        return sum(len(s.numbers) for s in self.sheets)


def _xml(zf: zipfile.ZipFile, name: str) -> Any:
    try:
        return ElementTree.fromstring(zf.read(name))
    except KeyError:
        return None


Source = Path | bytes


def _zip(source: Source) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source)


def _parts(source: Source) -> tuple[bool, dict[str, str], bool]:
    """The 1904 flag, each sheet's XML member by sheet name, and whether LibreOffice
    saved the file."""
    with _zip(source) as zf:
        book = _xml(zf, "xl/workbook.xml")
        rels = _xml(zf, "xl/_rels/workbook.xml.rels")
        app = _xml(zf, "docProps/app.xml")
    application = app.find(f"{_NS_APP}Application") if app is not None else None
    libreoffice = application is not None and (application.text or "").startswith("LibreOffice")
    if book is None:
        return False, {}, libreoffice
    pr = book.find(f"{_NS_MAIN}workbookPr")
    date1904 = pr is not None and pr.get("date1904", "").lower() in ("1", "true")
    targets = {}
    if rels is not None:
        for rel in rels.iter(f"{_NS_PKG}Relationship"):
            target = rel.get("Target", "")
            target = target.lstrip("/") if target.startswith("/") else \
                posixpath.normpath(posixpath.join("xl", target))
            targets[rel.get("Id")] = target
    members = {}
    sheets = book.find(f"{_NS_MAIN}sheets")
    for sh in sheets if sheets is not None else ():
        rid = sh.get(f"{_NS_REL}id")
        if rid in targets:
            members[sh.get("name", "")] = targets[rid]
    return date1904, members, libreoffice


# A cell: its attributes, and its body up to its end tag. Neither may run past the next
# tag opening or closing a cell, so each byte is looked at a bounded number of times: a
# lazy `.*?` to `</c>` made the scan quadratic (tens of thousands of `<c:a>` elements of
# another namespace, which are not cells, each scanned to the end of the sheet).
_CELL = re.compile(rb"<(?:\w+:)?c(?=[\s/>])([^<>]*?)(?:/>|>((?:[^<]|<(?!/?(?:\w+:)?c[\s/>]))*)"
                   rb"</(?:\w+:)?c>)")
_REF = re.compile(rb"""\br=["']([A-Z]+)(\d+)["']""")
_ERR = re.compile(rb"""\bt=["']e["']""")
_F = re.compile(rb"<(?:\w+:)?f[\s/>]")
_V = re.compile(rb"<(?:\w+:)?v>[^<]")


def _bad_cells(source: Source, member: str, *, flagged: bool = False) -> dict[tuple[int, int], str]:
    """(Excel row, column index) → why, for error cells and formulas with no saved value.
    A quick scan comes first, unless the guard `flagged` the sheet already."""
    with _zip(source) as zf:
        try:
            stream = zf.open(member)
        except KeyError:
            return {}
        with stream:
            tail, found = b"", flagged
            while not found and (chunk := stream.read(_CHUNK)):
                found = has_cell_hints(tail + chunk)
                tail = chunk[-16:]
        if not found:
            return {}
        data = zf.read(member)
    bad: dict[tuple[int, int], str] = {}
    for m in _CELL.finditer(data):
        attrs, body = m.group(1), m.group(2) or b""
        ref = _REF.search(attrs)
        if not ref:
            continue
        where = (int(ref.group(2)), _col_index(ref.group(1).decode()))
        if _ERR.search(attrs):
            value = re.search(rb"<(?:\w+:)?v>([^<]*)<", body)
            text = value.group(1).decode("utf-8", "replace") if value else "#ERROR"
            bad[where] = (f"'{text}' is an error value from a formula: correct the formula "
                          "or type the value")
        elif _F.search(body) and not _V.search(body):
            bad[where] = ("the formula has no saved value: open the file in Excel or "
                          "LibreOffice and save it, or type the value")
    return bad


_EARLY = (1900, 3)
# LibreOffice's day 0; not openpyxl's `from_excel`, which (rightly, for Excel) shifts
# serials before 61 by the phantom 29 February 1900 that LibreOffice does not count.
_LIBREOFFICE_EPOCH = dt.datetime(1899, 12, 30)
_V_TEXT = re.compile(rb"<(?:\w+:)?v>([^<]*)<")


def _early_dates(raw: RawSheet, source: Source, member: str, *, date1904: bool,
                 libreoffice: bool) -> None:
    """Date cells calamine cannot be trusted with, read again from their serials (see
    the module's docstring): as a serial for the cell reader to read in the workbook's
    date system, or, from LibreOffice, as the date LibreOffice meant."""
    wanted: dict[tuple[int, int], tuple[int, int]] = {}
    for name, i in raw.col_of.items():
        if raw.spec.column(name).kind not in (schema.DATE, schema.DATETIME) or i >= len(raw.columns):
            continue
        column = raw.columns[i]
        kinds = set(map(type, column))
        if dt.time not in kinds and (date1904 or not kinds & {dt.date, dt.datetime}):
            continue
        for k, v in enumerate(column):
            if type(v) is dt.time or (not date1904 and type(v) in (dt.date, dt.datetime)
                                      and (v.year, v.month) < _EARLY):
                wanted[(raw.numbers[k], raw.col_offset + i)] = (i, k)
    if not wanted:
        return
    with _zip(source) as zf:
        data = zf.read(member)
    for m in _CELL.finditer(data):
        ref = _REF.search(m.group(1))
        where = (int(ref.group(2)), _col_index(ref.group(1).decode())) if ref else None
        if where not in wanted or _ERR.search(m.group(1)):
            continue
        value = _V_TEXT.search(m.group(2) or b"")
        try:
            serial = float(value.group(1)) if value else None
        except ValueError:
            serial = None
        if serial is None:
            continue  # no serial (a date written as text, t="d"): calamine's reading stands
        i, k = wanted[where]
        column = raw.columns[i]
        if not isinstance(column, list):
            column = raw.columns[i] = list(column)
        column[k] = serial
        if libreoffice and not date1904:
            with contextlib.suppress(OverflowError, ValueError):  # else the serial, refused
                moment = _LIBREOFFICE_EPOCH + dt.timedelta(days=serial)
                column[k] = moment.date() if moment.time() == dt.time(0) else moment


def _to_rows(sheet: Any) -> tuple[int, int, Iterator[list[Any]]]:
    """The sheet's used range: its first row and column (0-based), and its rows from the
    first. calamine's `iter_rows` gives the blank rows above the range too (its columns
    start at the range's): those are passed over, the range's first row never being
    blank."""
    start = sheet.start or (0, 0)
    rows = iter(sheet.iter_rows())
    return start[0], start[1], itertools.dropwhile(lambda row: not any(v != "" and v is not None
                                                                       for v in row), rows)


def _read_about(sheet: Any) -> dict[str, Any]:
    about: dict[str, Any] = {}
    for row in sheet.to_python():
        if len(row) >= 2 and isinstance(row[0], str):
            item = schema.ABOUT_BY_KEY.get(schema.header_key(row[0]))
            if item:
                about[item] = row[1]
    return about


def read_about(path: Path, data: bytes | None = None) -> dict[str, Any]:
    """Only the About sheet's items (by key: `store_id`, `audit_head`…); empty without one.
    The file has passed `guard.check_workbook`; `data`: the bytes it checked."""
    try:
        book = (CalamineWorkbook.from_path(str(path)) if data is None
                else CalamineWorkbook.from_filelike(io.BytesIO(data)))
        for title in book.sheet_names:
            if schema.header_key(title) in schema.ABOUT_KEYS:
                return _read_about(book.get_sheet_by_name(title))
    except (CalamineError, OSError, ValueError) as exc:
        raise InvalidInput(_("{file} cannot be read as a workbook ({error}); save it from "
                             "Excel or LibreOffice as .xlsx and try again").format(file=path.name, error=exc)) from None
    return {}


def read_workbook(path: Path, flagged: Collection[str] | None = None, *,
                  data: bytes | None = None) -> RawWorkbook:
    """The sheets chosei knows, their headers matched, their rows with Excel numbers.
    `flagged`: the sheet parts `guard.check_workbook` found may hold error cells or
    formulas (the others are not looked at again); None to look at every sheet.
    `data`: the file's bytes as the guard read and checked them (`Checked.data`); then
    `path` only names the file and is not opened again, so the file cannot change
    between the check and the reading."""
    source: Source = path if data is None else data
    try:
        book = (CalamineWorkbook.from_path(str(path)) if data is None
                else CalamineWorkbook.from_filelike(io.BytesIO(data)))
    except (CalamineError, OSError, ValueError) as exc:
        raise InvalidInput(_("{file} cannot be read as a workbook ({error}); save it from "
                             "Excel or LibreOffice as .xlsx and try again").format(file=path.name, error=exc)) from None
    date1904, members, libreoffice = _parts(source)
    # A refusal naming its sheets is given in the language they are named in.
    said = feedback_language(schema.workbook_language(book.sheet_names))
    sheets: list[RawSheet] = []
    unknown: list[str] = []
    about: dict[str, Any] = {}
    about_title = schema.ABOUT[0]
    seen: dict[str, str] = {}
    for title in book.sheet_names:
        key = schema.header_key(title)
        if key in schema.IGNORED_SHEETS:
            continue
        if key in schema.ABOUT_KEYS:
            about, about_title = _read_about(book.get_sheet_by_name(title)), title
            continue
        spec = schema.find_sheet(title)
        if spec is None:
            unknown.append(title)
            continue
        if spec.name in seen:
            raise InvalidInput(gettext_in(said, "the sheets '{first}' and '{second}' are both {sheet}: merge "
                                          "them into one sheet").format(first=seen[spec.name], second=title,
                                                                         sheet=spec.title(said)))
        seen[spec.name] = title
        raw = RawSheet(title=title, spec=spec)
        try:
            first_row, first_col, rows = _to_rows(book.get_sheet_by_name(title))
            raw.col_offset = first_col
            header = next(rows, None)
            if header is not None:
                raw.header_row = first_row + 1
                _match_headers(raw, header)
                _data(raw, rows, first_row)
        except CalamineError as exc:
            raise InvalidInput(gettext_in(said, "sheet '{sheet}' of {file} cannot be read ({error}); save the "
                                          "file again from Excel or LibreOffice").format(
                                              sheet=title, file=path.name, error=exc)) from None
        member = members.get(title)
        if member is not None and (flagged is None or member in flagged):
            raw.bad_cells = _bad_cells(source, member, flagged=flagged is not None)
        if member is not None:
            _early_dates(raw, source, member, date1904=date1904, libreoffice=libreoffice)
        sheets.append(raw)
    lang = schema.workbook_language(book.sheet_names,
                                    [(raw.spec, h) for raw in sheets for h in raw.headers if h],
                                    about.get("lang"))
    return RawWorkbook(sheets=sheets, about=about, date1904=date1904, unknown_sheets=unknown, lang=lang,
                       about_title=about_title)


# How many rows are turned into columns at once: the rows' lists are let go part by
# part (a whole sheet's at once were a hundred thousand objects alive, which CPython's
# collector walked at each full collection).
_ROWS_AT_ONCE = 2000


def _data(raw: RawSheet, rows: Iterator[list[Any]], first_row: int) -> None:
    """The data rows under the header, blank ones left out, turned into columns."""
    columns: list[list[Any]] = []
    numbers: list[int] = []
    number = first_row + 2  # the Excel number of the part's first row
    while part := list(itertools.islice(rows, _ROWS_AT_ONCE)):
        width = max(map(len, part))
        if width > len(columns):  # the rows before this part: blank in the new columns
            columns.extend([""] * len(numbers) for _ in range(width - len(columns)))
        width = len(columns)
        blank = [""] * width
        kept = []
        for k, row in enumerate(part, start=number):
            if len(row) < width:
                row = row + [""] * (width - len(row))
            if row != blank and (None not in row or any(v != "" and v is not None for v in row)):
                kept.append(row)
                numbers.append(k)
        number += len(part)
        for column, values in zip(columns, zip(*kept, strict=True), strict=False):
            column.extend(values)
    raw.numbers = numbers
    raw.columns = list(columns)


def _match_headers(raw: RawSheet, header: list[Any]) -> None:
    for i, cell in enumerate(header):
        text = "" if cell is None else str(cell).strip()
        raw.headers.append(text)
        if not text:
            continue
        col = raw.spec.match(text)
        if col is None:
            raw.extra.append((i, text))
        elif col.field in raw.col_of:
            raw.duplicate.append((i, text))
        else:
            raw.col_of[col.field] = i
