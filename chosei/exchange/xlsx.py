"""Writing .xlsx files through xlsxwriter's public API, in its constant-memory mode.

Data rows stream from the store straight into xlsxwriter, which writes each row out as
the next one starts; the sheet's frame (header row, column widths and formats, frozen
panes, filters, drop-down validations) goes through the same worksheet calls.

Every text is an inline string (constant-memory mode writes them so): a cell written
from data is never a formula. Text that a spreadsheet would take for one when edited
(`=`, `+`, `-`, `@`, tab, CR at the start) also gets Excel's quote prefix. Zip entries
carry xlsxwriter's fixed timestamp and the document properties the caller's date, so
the same content gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import xlsxwriter
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from xlsxwriter.exceptions import FileCreateError
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from chosei.text import display_width

MAX_ROW = 1_048_575
_FIRST_SERIAL_DAY = dt.date(1900, 3, 1)  # before it Excel's serials are off by one
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@functools.lru_cache(maxsize=1 << 16)  # a column repeats its days; to_excel costs 2 µs
def serial(day: dt.date) -> int | None:
    """Excel's 1900-system serial, or None before 1 March 1900 (write those as text)."""
    if day < _FIRST_SERIAL_DAY:
        return None
    return int(to_excel(day))


@dataclass(frozen=True)
class Formats:
    """The cell formats of a book's data sheets."""

    header: Format
    text: Format
    quoted: Format
    date: Format
    datetime: Format
    version: Format
    bold: Format

    def column(self, name: str) -> Format | None:
        """A column's default format by name; `general` is none."""
        return None if name == "general" else getattr(self, name)


# (worksheet, row, column, value, formats): writes the cell, or nothing for no value
CellWriter = Callable[[Worksheet, int, int, Any, Formats], None]


@dataclass
class DataColumn:
    header: str
    width: int
    cell: CellWriter
    fmt: str = "text"  # the column's default format: text, date, datetime, version, general
    choices: str | None = None  # name of a drop-down list
    note: str | None = None  # a comment on the header cell


def text_cell(ws: Worksheet, row: int, col: int, value: Any, f: Formats) -> None:
    if value is None or value == "":
        return
    text = value if isinstance(value, str) else str(value)
    if text.startswith("<r>") and text.endswith("</r>"):
        # Constant-memory mode takes such a string for rich-text XML and writes it
        # unescaped; as plain runs (xlsxwriter wants three at least: `<`, `r>`, the
        # rest, never empty since the text is 7 characters at least) it is escaped.
        # A CR in such a text comes back from calamine as `_x000D_`: it reads escapes
        # in plain inline strings only.
        ws.write_rich_string(row, col, text[:1], text[1:3], text[3:], f.text)
    elif text.startswith(FORMULA_START):
        ws.write_string(row, col, text, f.quoted)
    else:
        ws.write_string(row, col, text, f.text)


def number_cell(ws: Worksheet, row: int, col: int, value: Any, f: Formats) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value \
            or value in (float("inf"), float("-inf")):
        text_cell(ws, row, col, str(value), f)
    else:
        ws.write_number(row, col, value)


def version_cell(ws: Worksheet, row: int, col: int, value: Any, f: Formats) -> None:
    if value is not None:
        ws.write_number(row, col, int(value), f.version)


def date_cell(ws: Worksheet, row: int, col: int, value: Any, f: Formats) -> None:
    """An ISO date: a real date when full (and Excel can hold it), else text."""
    if not value:
        return
    if len(value) == 10:
        n = serial(dt.date.fromisoformat(value))
        if n is not None:
            ws.write_number(row, col, n, f.date)
            return
    text_cell(ws, row, col, value, f)


def datetime_cell(ws: Worksheet, row: int, col: int, value: Any, f: Formats) -> None:
    if not value:
        return
    if len(value) <= 10:
        date_cell(ws, row, col, value, f)
        return
    moment = dt.datetime.fromisoformat(value)
    if serial(moment.date()) is None:
        text_cell(ws, row, col, value, f)
        return
    ws.write_number(row, col, to_excel(moment), f.datetime)


class Book:
    """Sheets written in the order they are added; `close` adds the drop-down lists and
    finishes the file."""

    def __init__(self, path: Path, *, created: dt.datetime, list_message: str = "") -> None:
        self.path = Path(path)
        self.list_message = list_message
        self._wb = wb = xlsxwriter.Workbook(str(self.path), {
            "constant_memory": True, "strings_to_numbers": False,
            "strings_to_formulas": False, "strings_to_urls": False})
        wb.set_properties({"created": created, "author": "chosei", "title": ""})
        self.formats = Formats(
            header=wb.add_format({"bold": True, "bg_color": "#DDEBF7", "bottom": 1,
                                  "text_wrap": True, "valign": "top"}),
            text=wb.add_format({"num_format": "@"}),
            quoted=wb.add_format({"num_format": "@", "quote_prefix": True}),
            date=wb.add_format({"num_format": "yyyy-mm-dd"}),
            datetime=wb.add_format({"num_format": "yyyy-mm-dd hh:mm"}),
            version=wb.add_format({"font_color": "#808080"}),
            bold=wb.add_format({"bold": True}),
        )
        self._data: list[tuple[Worksheet, list[DataColumn]]] = []
        self._lists: dict[str, list[str]] = {}

    def add_list(self, name: str, values: Sequence[str]) -> None:
        self._lists[name] = list(values)

    def add_data(self, title: str, columns: list[DataColumn], rows: Iterable[Sequence[Any]],
                 progress: Callable[[int], None] | None = None) -> int:
        """Write a sheet of `rows` (values in column order) now; return how many."""
        ws = self._wb.add_worksheet(title)
        f = self.formats
        for j, col in enumerate(columns):
            width = max(col.width, min(display_width(col.header) + 3, 40))
            ws.set_column(j, j, width, f.column(col.fmt))
            ws.write_string(0, j, col.header, f.header)
            if col.note:
                ws.write_comment(0, j, col.note, {"x_scale": 2, "y_scale": 1.5, "author": "chosei"})
        ws.freeze_panes(1, 0)
        writers = [(j, c.cell) for j, c in enumerate(columns)]
        n = 0
        for values in rows:
            n += 1
            for (j, write), value in zip(writers, values, strict=False):
                if value is not None:
                    write(ws, n, j, value, f)
            if progress and n % 2000 == 0:
                progress(2000)
        if progress and n % 2000:
            progress(n % 2000)
        ws.autofilter(0, 0, max(n, 1), len(columns) - 1)
        self._data.append((ws, columns))
        return n

    def add_plain(self, title: str, rows: list[list[Any]], widths: list[int],
                  bold_rows: set[int] | None = None) -> None:
        ws = self._wb.add_worksheet(title)
        bold_rows = bold_rows or set()
        for j, width in enumerate(widths):
            ws.set_column(j, j, width, self.formats.text if j == 0 else None)
        for i, row in enumerate(rows):
            style = self.formats.bold if i in bold_rows else None
            for j, value in enumerate(row):
                if value is None or value == "":
                    continue
                if isinstance(value, bool) or not isinstance(value, int | float):
                    ws.write_string(i, j, str(value), style)
                else:
                    ws.write_number(i, j, value, style)

    def close(self) -> None:
        if self._lists:
            ws = self._wb.add_worksheet("_lists")
            ranges = {}
            for j, (name, values) in enumerate(self._lists.items()):
                for i, value in enumerate(values):
                    ws.write_string(i, j, value)
                letter = get_column_letter(j + 1)
                ranges[name] = f"='_lists'!${letter}$1:${letter}${max(len(values), 1)}"
            ws.hide()
            for data_ws, columns in self._data:
                self._validations(data_ws, columns, ranges, self.list_message)
        try:
            self._wb.close()
        except FileCreateError as exc:
            # xlsxwriter wraps the OSError (a full disk, a folder gone); callers turn an
            # OSError into a one-line error, as they did when chosei wrote the zip itself.
            cause = exc.args[0] if exc.args and isinstance(exc.args[0], OSError) else None
            raise cause or OSError(str(exc)) from None

    @staticmethod
    def _validations(ws: Worksheet, columns: list[DataColumn], ranges: dict[str, str],
                     message: str) -> None:
        for j, col in enumerate(columns):
            if col.choices and col.choices in ranges:
                ws.data_validation(1, j, MAX_ROW, j, {
                    "validate": "list", "source": ranges[col.choices],
                    "error_type": "warning", "ignore_blank": True,
                    "error_title": col.header[:32],
                    "error_message": message[:255],
                })
