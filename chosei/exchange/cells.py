"""One cell at a time: what a case worker typed, as the value a model validates.

Blank cells never erase. A cell holding exactly `(clear)` (any case, full-width
brackets too) clears the stored value; a real value that happens to read `(clear)` is
written by the export with one more leading apostrophe (`'(clear)`), and the import
takes one apostrophe off again, so it survives a round trip.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

from chosei.dates import DateError, age_from, parse_date, parse_datetime
from chosei.exchange import genetics, schema
from chosei.exchange.genetics import GeneticsError
from chosei.vocab import VocabError, normalize_id


class _Clear:
    def __repr__(self) -> str:
        return "CLEAR"


CLEAR: Any = _Clear()
CLEAR_MARKER = "(clear)"
_ESCAPED_CLEAR = re.compile(r"^('+)\(clear\)$")
EXCEL_ERRORS = frozenset({"#REF!", "#N/A", "#VALUE!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!",
                          "#SPILL!", "#CALC!", "#GETTING_DATA"})
# A spreadsheet takes text starting with these for a formula when it is typed in.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class CellError(ValueError):
    """A cell that cannot be read; the message names the value and what to write."""


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().casefold()


def is_clear(value: object) -> bool:
    return isinstance(value, str) and _fold(value) == CLEAR_MARKER


def escape_text(text: str) -> str:
    """What the export writes for a stored text, so the import reads it back unchanged."""
    head = text.lstrip()[:1]
    if head in ("'", "(", "（") and (is_clear(text) or _ESCAPED_CLEAR.match(_fold(text))):
        return "'" + text
    return text


def unescape_text(text: str) -> str:
    if text[:1] == "'" and _ESCAPED_CLEAR.match(_fold(text)):
        return text[1:]
    return text


def as_text(value: object) -> str:
    if isinstance(value, str):
        return unescape_text(value)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _number(value: object, whole: bool) -> float | int:
    if isinstance(value, bool | dt.date):
        raise CellError(f"'{as_text(value)}' is not a number: write a number")
    if isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip().replace(",", "")
        try:
            value = float(text)
        except ValueError:
            raise CellError(f"'{value.strip()}' is not a number: write a number"
                            + (" such as 12" if whole else " such as 0.25")) from None
    number = float(value)  # type: ignore[arg-type]
    if number != number or number in (float("inf"), float("-inf")):
        raise CellError(f"'{value}' is not a number: write a number")
    if whole:
        if not number.is_integer():
            raise CellError(f"'{as_text(value)}' is not a whole number: write e.g. 12")
        return int(number)
    return number


def _year(value: object, date1904: bool) -> int:
    parsed = parse_date(value, date1904=date1904)
    assert parsed is not None
    return parsed.year


def read_cell(col: schema.Column, value: object, *, date1904: bool = False) -> Any:
    """The cell's value ready for validation, CLEAR, or None for a blank cell.

    Raises `CellError` for a value no model could accept.
    """
    if value is None or value == "":
        return None
    if isinstance(value, str):
        if not value.strip():
            return None
        if value.lstrip()[:1] in ("(", "（") and is_clear(value):
            return CLEAR
        if value.strip() in EXCEL_ERRORS:
            raise CellError(f"'{value.strip()}' is an error value from a formula: correct the "
                            "formula or type the value")
    kind = col.kind
    try:
        if kind == schema.TEXT:
            text = as_text(value)
            return text
        if kind == schema.ID:
            return normalize_id(as_text(value) if isinstance(value, str) else value)
        if kind == schema.VOCAB:
            assert col.vocab is not None
            return col.vocab.parse(as_text(value))
        if kind == schema.DATE:
            parsed = parse_date(value, date1904=date1904)
            return parsed.iso() if parsed else None
        if kind == schema.DATETIME:
            return parse_datetime(value, date1904=date1904)
        if kind == schema.YEAR:
            return _year(value, date1904)
        if kind == schema.AGE:
            return age_from(value)
        if kind == schema.INT or kind == schema.VERSION:
            return _number(value, whole=True)
        if kind == schema.FLOAT:
            return _number(value, whole=False)
        if kind == schema.SCOPES:
            scopes = schema.CONSENT_SCOPE.parse(as_text(value))
            return ";".join(scopes) or None
        if kind == schema.IDLIST:
            parts = [normalize_id(p) for p in re.split(r"[;,、\n]", as_text(value))]
            return ";".join(p for p in parts if p) or None
        if kind == schema.MARKER:
            return genetics.canonical_marker(value)
        if kind == schema.ALLELE:
            # Canonical per marker (amelogenin takes X and Y) in the row's model.
            return as_text(value)
        if kind == schema.VARIANTS:
            return genetics.mt_haplotype(value)
    except (DateError, VocabError, GeneticsError) as exc:
        raise CellError(str(exc)) from None
    raise AssertionError(f"unknown column kind {kind}")


def shown(value: object) -> str:
    """A cell value as a message quotes it."""
    if value is None:
        return ""
    return as_text(value)
