"""`write_template`: the empty exchange workbook, with its Instructions sheet.

The same columns, formats and drop-down lists as an export, no rows and no Version
column. The file's timestamps are fixed, so the same code writes the same bytes and
the committed templates in `imports/` can be checked against it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from chosei.errors import InvalidInput
from chosei.exchange import schema, xlsx
from chosei.exchange.instructions import instruction_rows
from chosei.exchange.writer import LIST_MESSAGE, add_lists, data_columns
from chosei.i18n import _
from chosei.outputs import output_file

# Any fixed moment will do; it only has to be the same every time.
TEMPLATE_TIME = dt.datetime(2026, 1, 1)


def template_columns(spec: schema.Sheet) -> list[schema.Column]:
    return [c for c in spec.columns if c.kind != schema.VERSION]


def write_template(path: Path | str, lang: str = "en", protected: Iterable[Path] = ()) -> Path:
    """Write the empty workbook in `lang` (en, ko or ja) to `path`, whole or not at all;
    never over one of the `protected` files (the store's)."""
    if lang not in schema.LANGS:
        raise InvalidInput(_("'{lang}' is not a language; choose from: {langs}").format(
            lang=lang, langs=", ".join(schema.LANGS)))
    path = Path(path)
    with output_file(path, protected) as tmp:
        _write(tmp, lang)
    return path


def _write(path: Path, lang: str) -> None:
    book = xlsx.Book(path, created=TEMPLATE_TIME, list_message=LIST_MESSAGE[lang])
    rows, bold = instruction_rows(lang)
    book.add_plain(schema.INSTRUCTIONS[schema.LANGS.index(lang)], rows, [40, 24, 16, 16], bold)
    for spec in schema.SHEETS:
        columns = template_columns(spec)
        add_lists(book, columns, lang)
        book.add_data(spec.title(lang), data_columns(columns, lang), [])
    book.close()
