"""Writing .xlsx files: xlsxwriter for the structure, chosei's own XML for the data rows.

xlsxwriter builds everything but the data rows (header row, column widths and
formats, frozen panes, filters, drop-down validations, the small sheets) in memory;
the data rows are written straight to XML as they stream from the store, and spliced
into the sheets when the zip is assembled. Cell by cell, xlsxwriter's Python costs
several times what a prepared f-string does, and an export must not be slower than it.

Every text is an inline string: a cell written from data is never a formula. Text that
a spreadsheet would take for one when edited (`=`, `+`, `-`, `@`, tab, CR at the
start) also gets Excel's quote prefix. Zip entries carry a fixed timestamp and the
document properties the caller's date, so the same content gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import tempfile
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import xlsxwriter

from chosei.exchange.reader import col_letter

MAX_ROW = 1_048_575
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_EPOCH = dt.date(1899, 12, 30)
_FIRST_SERIAL_DAY = dt.date(1900, 3, 1)  # before it Excel's serials are off by one
_ESC = {ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;", ord("\r"): "&#13;",
        0xFFFE: "", 0xFFFF: ""}
_ESC.update({c: f"_x{c:04X}_" for c in range(32) if c not in (9, 10, 13)})
_XESC = re.compile(r"_(x[0-9A-Fa-f]{4}_)")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def xml_text(text: str) -> str:
    if "_x" in text:
        text = _XESC.sub(r"_x005F_\1", text)
    return text.translate(_ESC)


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def serial(day: dt.date) -> int | None:
    """Excel's 1900-system serial, or None before 1 March 1900 (write those as text)."""
    if day < _FIRST_SERIAL_DAY:
        return None
    return (day - _EPOCH).days


@dataclass(frozen=True)
class Styles:
    """The xf indexes the data rows refer to: the formats `Book` registers first, in
    this order (index 0 is Excel's General), so they are known before the rows are
    written; `Book` checks xlsxwriter agrees."""

    text: int = 1
    quoted: int = 2
    date: int = 3
    datetime: int = 4
    version: int = 5


@dataclass
class DataColumn:
    header: str
    width: int
    cell: Callable[[Any, str, Styles], str]  # (value, ref) → the <c> element or ""
    fmt: str = "text"  # the column's default format: text, date, datetime, version, general
    choices: str | None = None  # name of a drop-down list
    note: str | None = None  # a comment on the header cell


@dataclass
class _Data:
    title: str
    columns: list[DataColumn]
    body: Any  # a temporary file holding the <row> elements
    rows: int


@dataclass
class _Plain:
    title: str
    rows: list[list[Any]]
    widths: list[int]
    bold_rows: set[int] = field(default_factory=set)


def text_cell(value: Any, ref: str, st: Styles) -> str:
    if value is None or value == "":
        return ""
    text = value if isinstance(value, str) else str(value)
    style = st.quoted if text.startswith(FORMULA_START) else st.text
    space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
    return f'<c r="{ref}" s="{style}" t="inlineStr"><is><t{space}>{xml_text(text)}</t></is></c>'


def number_cell(value: Any, ref: str, st: Styles) -> str:
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value \
            or value in (float("inf"), float("-inf")):
        return text_cell(str(value), ref, st)
    return f'<c r="{ref}"><v>{value!r}</v></c>'


def version_cell(value: Any, ref: str, st: Styles) -> str:
    return "" if value is None else f'<c r="{ref}" s="{st.version}"><v>{int(value)}</v></c>'


def date_cell(value: Any, ref: str, st: Styles) -> str:
    """An ISO date: a real date when full (and Excel can hold it), else text."""
    if not value:
        return ""
    if len(value) == 10:
        n = serial(dt.date.fromisoformat(value))
        if n is not None:
            return f'<c r="{ref}" s="{st.date}"><v>{n}</v></c>'
    return text_cell(value, ref, st)


def datetime_cell(value: Any, ref: str, st: Styles) -> str:
    if not value:
        return ""
    if len(value) <= 10:
        return date_cell(value, ref, st)
    moment = dt.datetime.fromisoformat(value)
    n = serial(moment.date())
    if n is None:
        return text_cell(value, ref, st)
    frac = (moment.hour * 3600 + moment.minute * 60 + moment.second) / 86400
    return f'<c r="{ref}" s="{st.datetime}"><v>{n + frac!r}</v></c>'


class Book:
    """Sheets added in order; `close` writes the file."""

    def __init__(self, path: Path, *, created: dt.datetime, list_message: str = "") -> None:
        self.path = Path(path)
        self.created = created
        self.list_message = list_message
        self.styles = Styles()
        self._sheets: list[_Data | _Plain] = []
        self._lists: dict[str, list[str]] = {}

    def add_list(self, name: str, values: Sequence[str]) -> None:
        self._lists[name] = list(values)

    def add_data(self, title: str, columns: list[DataColumn], rows: Iterable[Sequence[Any]],
                 progress: Callable[[int], None] | None = None) -> int:
        """Stream `rows` (values in column order) to XML now; return how many."""
        # Kept open until `close` splices it into the zip.
        body = tempfile.SpooledTemporaryFile(  # noqa: SIM115
            max_size=8 << 20, mode="w+", encoding="utf-8")
        letters = [col_letter(i) for i in range(len(columns))]
        cells = [c.cell for c in columns]
        st = self.styles
        n = 1
        buf: list[str] = []
        for values in rows:
            n += 1
            r = str(n)
            parts = [f'<row r="{r}">']
            for fn, letter, value in zip(cells, letters, values, strict=False):
                if value is not None:
                    parts.append(fn(value, letter + r, st))
            parts.append("</row>")
            buf.append("".join(parts))
            if len(buf) >= 2000:
                body.write("".join(buf))
                buf.clear()
                if progress:
                    progress(2000)
        body.write("".join(buf))
        if progress and buf:
            progress(len(buf))
        self._sheets.append(_Data(title, columns, body, n - 1))
        return n - 1

    def add_plain(self, title: str, rows: list[list[Any]], widths: list[int],
                  bold_rows: set[int] | None = None) -> None:
        self._sheets.append(_Plain(title, rows, widths, bold_rows or set()))

    def close(self) -> None:
        skeleton = self._skeleton()
        data = {i + 1: s for i, s in enumerate(self._sheets) if isinstance(s, _Data)}
        with zipfile.ZipFile(io.BytesIO(skeleton)) as src, \
                zipfile.ZipFile(self.path, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as out:
            for info in src.infolist():
                member = zipfile.ZipInfo(info.filename, _ZIP_TIME)
                member.compress_type = zipfile.ZIP_DEFLATED
                m = re.fullmatch(r"xl/worksheets/sheet(\d+)\.xml", info.filename)
                sheet = data.get(int(m.group(1))) if m else None
                if sheet is None:
                    out.writestr(member, src.read(info.filename))
                    continue
                xml = src.read(info.filename).decode("utf-8")
                head, _, tail = xml.partition("</sheetData>")
                last = f"{col_letter(len(sheet.columns) - 1)}{sheet.rows + 1}"
                head = re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="A1:{last}"/>', head)
                with out.open(member, "w", force_zip64=True) as dst:
                    dst.write(head.encode("utf-8"))
                    sheet.body.seek(0)
                    while chunk := sheet.body.read(1 << 20):
                        dst.write(chunk.encode("utf-8"))
                    dst.write(b"</sheetData>" + tail.encode("utf-8"))
                sheet.body.close()

    def _skeleton(self) -> bytes:
        buf = io.BytesIO()
        wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_numbers": False,
                                       "strings_to_formulas": False, "strings_to_urls": False})
        wb.set_properties({"created": self.created, "author": "chosei", "title": ""})
        fmt = {
            "header": wb.add_format({"bold": True, "bg_color": "#DDEBF7", "bottom": 1,
                                     "text_wrap": True, "valign": "top"}),
            "text": wb.add_format({"num_format": "@"}),
            "quoted": wb.add_format({"num_format": "@", "quote_prefix": True}),
            "date": wb.add_format({"num_format": "yyyy-mm-dd"}),
            "datetime": wb.add_format({"num_format": "yyyy-mm-dd hh:mm"}),
            "version": wb.add_format({"font_color": "#808080"}),
            "bold": wb.add_format({"bold": True}),
            "general": None,
        }
        # The data rows name these formats by index: give each one its index now.
        for name in ("text", "quoted", "date", "datetime", "version"):
            if fmt[name]._get_xf_index() != getattr(self.styles, name):
                raise AssertionError(f"xlsxwriter gave the {name} format another index")
        list_ranges = {}
        for sheet in self._sheets:
            ws = wb.add_worksheet(sheet.title)
            if isinstance(sheet, _Plain):
                self._write_plain(ws, sheet, fmt)
            else:
                self._write_frame(ws, sheet, fmt, list_ranges)
        if self._lists:
            ws = wb.add_worksheet("_lists")
            for j, (name, values) in enumerate(self._lists.items()):
                for i, value in enumerate(values):
                    ws.write_string(i, j, value)
                letter = col_letter(j)
                list_ranges[name] = f"='_lists'!${letter}$1:${letter}${max(len(values), 1)}"
            ws.hide()
            for sheet, ws_ in zip(self._sheets, wb.worksheets(), strict=False):
                if isinstance(sheet, _Data):
                    self._validations(ws_, sheet, list_ranges, self.list_message)
        wb.close()
        return buf.getvalue()

    @staticmethod
    def _write_plain(ws: Any, sheet: _Plain, fmt: dict[str, Any]) -> None:
        for j, width in enumerate(sheet.widths):
            ws.set_column(j, j, width, fmt["text"] if j == 0 else None)
        for i, row in enumerate(sheet.rows):
            style = fmt["bold"] if i in sheet.bold_rows else None
            for j, value in enumerate(row):
                if value is None or value == "":
                    continue
                if isinstance(value, bool) or not isinstance(value, int | float):
                    ws.write_string(i, j, str(value), style)
                else:
                    ws.write_number(i, j, value, style)

    @staticmethod
    def _write_frame(ws: Any, sheet: _Data, fmt: dict[str, Any], _ranges: dict[str, str]) -> None:
        for j, col in enumerate(sheet.columns):
            width = max(col.width, min(display_width(col.header) + 3, 40))
            ws.set_column(j, j, width, fmt.get(col.fmt))
            ws.write_string(0, j, col.header, fmt["header"])
            if col.note:
                ws.write_comment(0, j, col.note, {"x_scale": 2, "y_scale": 1.5, "author": "chosei"})
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, max(sheet.rows, 1), len(sheet.columns) - 1)

    @staticmethod
    def _validations(ws: Any, sheet: _Data, ranges: dict[str, str], message: str) -> None:
        for j, col in enumerate(sheet.columns):
            if col.choices and col.choices in ranges:
                ws.data_validation(1, j, MAX_ROW, j, {
                    "validate": "list", "source": ranges[col.choices],
                    "error_type": "warning", "ignore_blank": True,
                    "error_title": col.header[:32],
                    "error_message": message[:255],
                })
