"""Cells: what a case worker typed, as the value a model validates.

`cell_reader` reads one cell; `column_reader` reads a whole column with it, taking
cells it would return unchanged (plain IDs and text) and values it has read before
(terms, dates, numbers) without a call per cell.

Blank cells never erase. A cell holding exactly `(clear)` (any case, full-width
brackets too) clears the stored value; a real value that happens to read `(clear)` is
written by the export with one more leading apostrophe (`'(clear)`), and the import
takes one apostrophe off again, so it survives a round trip.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Sequence
from itertools import repeat
from typing import Any

from chosei import i18n
from chosei.dates import DateError, age_from, parse_approximate, parse_date, parse_datetime, written_date
from chosei.exchange import genetics, schema
from chosei.exchange.genetics import GeneticsError
from chosei.i18n import _
from chosei.text import MAX_ID_CHARS, TextError, check_text, has_control
from chosei.vocab import VocabError, Vocabulary, is_plain_id, normalize_id


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
    if isinstance(value, bool | dt.date | dt.time | dt.timedelta):
        raise CellError(_("'{value}' is not a number: write a number").format(value=as_text(value)))
    if isinstance(value, str):
        shown = value.strip()
        text = unicodedata.normalize("NFKC", value).strip().replace(",", "")
        try:
            value = float(text)
        except ValueError:
            raise CellError((_("'{value}' is not a number: write a number such as 12") if whole else
                             _("'{value}' is not a number: write a number such as 0.25")).format(value=shown)) from None
    number = float(value)  # type: ignore[arg-type]  # a cell's value: a number by now (the reader gives no other)
    if number != number or number in (float("inf"), float("-inf")):
        raise CellError(_("'{value}' is not a number: write a number").format(value=value))
    if whole:
        if not number.is_integer():
            raise CellError(_("'{value}' is not a whole number: write e.g. 12").format(value=as_text(value)))
        return int(number)
    return number


def term(vocab: Vocabulary, code: str) -> str:
    """A vocabulary's code as a message names it: the code in English; in Korean or
    Japanese the term, with the code after it (`수습 완료 (recovered)`)."""
    lang = i18n.current()
    if lang == "en" or code not in vocab:
        return code
    label = vocab.label(code, lang)
    return code if label == code else f"{label} ({code})"


def _year(value: object, date1904: bool) -> int:
    parsed = parse_date(value, date1904=date1904, until_today=True)
    assert parsed is not None
    return parsed.year


def _parser(col: schema.Column, date1904: bool) -> Callable[[Any], Any]:
    """How a filled cell of `col` is read; raises DateError, VocabError or GeneticsError."""
    kind = col.kind
    if kind == schema.TEXT or kind == schema.ALLELE:
        # Alleles are made canonical per marker (amelogenin takes X, Y) by the row's model.
        return lambda v: check_text(as_text(v))
    if kind == schema.ID:
        # Checked by the row's model, after a name in a Victim ID cell is linked.
        return lambda v: normalize_id(as_text(v) if isinstance(v, str) else v, check=False)
    if kind == schema.VOCAB:
        vocab = col.vocab
        assert vocab is not None

        def term_of(v: Any) -> Any:
            text = as_text(v)
            try:
                return vocab.parse(text)
            except VocabError as exc:
                raise CellError(str(exc)) from None
        return term_of
    if kind == schema.DATE and col.approximate:
        def approximate(v: Any) -> Any:
            parsed, _written = parse_approximate(v, date1904=date1904)
            return v.strip() if written_date(v) else parsed.iso() if parsed else None
        return approximate
    if kind == schema.DATE:
        def date(v: Any) -> Any:
            parsed = parse_date(v, date1904=date1904, until_today=True)
            return parsed.iso() if parsed else None
        return date
    if kind == schema.DATETIME:
        return lambda v: parse_datetime(v, date1904=date1904, until_today=True)
    if kind == schema.YEAR:
        return lambda v: _year(v, date1904)
    if kind == schema.AGE:
        return age_from
    if kind == schema.INT or kind == schema.VERSION:
        return lambda v: _number(v, whole=True)
    if kind == schema.FLOAT:
        return lambda v: _number(v, whole=False)
    if kind == schema.SCOPES:
        def scopes(v: Any) -> Any:
            try:
                return ";".join(schema.CONSENT_SCOPE.parse(as_text(v))) or None
            except VocabError as exc:
                raise CellError(str(exc)) from None
        return scopes
    if kind == schema.IDLIST:
        def idlist(v: Any) -> Any:
            parts = [normalize_id(p) for p in re.split(r"[;,、\n]", as_text(v))]
            return ";".join(p for p in parts if p) or None
        return idlist
    if kind == schema.MARKER:
        return genetics.canonical_marker
    if kind == schema.VARIANTS:
        return genetics.mt_haplotype
    raise AssertionError(f"unknown column kind {kind}")


# Columns whose cells repeat a few values (terms, dates, years): their readings are cached.
_CACHED = frozenset({schema.VOCAB, schema.DATE, schema.DATETIME, schema.YEAR, schema.AGE,
                     schema.SCOPES, schema.MARKER, schema.INT, schema.FLOAT, schema.VERSION})
_CACHE_MAX = 50_000
# Columns whose reading of a number depends on its type (str(12.0) is not str(12)).
_BY_TYPE = frozenset({schema.MARKER})


def cell_reader(col: schema.Column, *, date1904: bool = False) -> Callable[[Any], Any]:
    """A function reading cells of `col`: the value ready for validation, CLEAR, or None
    for a blank cell. It raises `CellError` for a value no model could accept."""
    return _reader(col, date1904)[0]


def _cacheable(value: Any, numbers: bool) -> bool:
    """May the reading of `value` be cached? The cache is looked up by equality, and
    1 == 1.0 == True: a cached 1 must not answer for True, which reads differently, nor
    (in a column reading 12 and 12.0 differently) a cached 12.0 for 12."""
    if type(value) is str:
        return True
    return numbers and type(value) is not bool and value not in (0, 1)


def _reader(col: schema.Column,
            date1904: bool) -> tuple[Callable[[Any], Any], dict[Any, Any] | None, bool]:
    """The cell reader, its cache (None when it keeps none), and whether the cache may
    hold numbers."""
    parse = _parser(col, date1904)
    is_id = col.kind == schema.ID
    cache: dict[Any, Any] | None = {} if col.kind in _CACHED else None
    numbers = col.kind not in _BY_TYPE

    def read(value: Any) -> Any:
        if value is None or value == "":
            return None
        if type(value) is str:
            first = value[0]
            if is_id and first not in _SPECIAL and is_plain_id(value):
                return value  # already what normalize_id would make of it
            if first in _SPECIAL or value[-1].isspace():
                stripped = value.strip()
                if not stripped:
                    return None
                if stripped[0] in "(（" and is_clear(stripped):
                    return CLEAR
                if stripped in EXCEL_ERRORS:
                    raise CellError(_("'{value}' is an error value from a formula: correct the formula "
                                      "or type the value").format(value=stripped))
        if cache is not None and _cacheable(value, numbers):
            try:
                hit = cache[value]
            except (KeyError, TypeError):
                pass
            else:
                if isinstance(hit, CellError):
                    raise hit
                return hit
        try:
            result = parse(value)
        except (DateError, VocabError, GeneticsError, CellError, TextError) as exc:
            error = exc if isinstance(exc, CellError) else CellError(str(exc))
            if cache is not None and len(cache) < _CACHE_MAX and _cacheable(value, numbers):
                cache[value] = error
            raise error from None
        if cache is not None and len(cache) < _CACHE_MAX and _cacheable(value, numbers):
            cache[value] = result
        return result

    return read, cache, numbers


# A text cell needs a closer look when it starts with one of these or ends in a space.
_SPECIAL = frozenset(" \t\n\r\u3000(（#")
_TEXT_SPECIAL = _SPECIAL | {"'"}
_UNREAD = object()


def _plain_id(value: Any) -> bool:
    """A cell `cell_reader` returns as it is, for an ID column."""
    return type(value) is str and value[:1] not in _SPECIAL and is_plain_id(value)


def _plain_text(value: Any) -> bool:
    """A cell `cell_reader` returns as it is, for a text column."""
    return (type(value) is str and value != "" and value[0] not in _TEXT_SPECIAL
            and not value[-1].isspace() and not has_control(value))


# A cell that `_plain_text` or `_plain_id` would not pass, in a column joined with "\n"
# (found in one pass, for columns with no "\n" in any cell): what starts or ends it.
_ODD_TEXT = re.compile("(?m)^[ \t\r\u3000(（#']|[^\\S\n]$")
_ODD_ID = re.compile("(?m)^[(#]")
# A column of plain IDs or blanks, joined with "\n" (their length is checked apart).
_PLAIN_IDS = re.compile(r"[A-Za-z0-9_./:#\n-]*")


def _all_plain(values: Sequence[Any], is_id: bool) -> bool:
    """Is every cell of the column blank ("") or one `_plain_id` (`is_id`) or
    `_plain_text` passes? The whole column is looked at in a few passes at C speed."""
    if set(map(type, values)) != {str}:
        return False
    joined = "\n".join(values)
    if is_id:  # an ID holds no "\n"; one starting with ( or # needs the closer look
        return (_PLAIN_IDS.fullmatch(joined) is not None and _ODD_ID.search(joined) is None
                and joined.count("\n") == len(values) - 1
                and max(map(len, values), default=0) <= MAX_ID_CHARS)
    return (joined.count("\n") == len(values) - 1 and _ODD_TEXT.search(joined) is None
            and not has_control(joined))


ColumnReader = Callable[[Sequence[Any]], tuple[list[Any], dict[int, str]]]


def column_reader(col: schema.Column, *, date1904: bool = False) -> ColumnReader:
    """A function reading a column of cells of `col`: the values `cell_reader` gives
    for them, and position → message for the cells it refuses (their value is None)."""
    read, cache, numbers = _reader(col, date1904)
    if cache is not None:
        cache.update({"": None, None: None})  # read() answers these before its cache
    plain = _plain_id if col.kind == schema.ID else \
        _plain_text if col.kind in (schema.TEXT, schema.ALLELE) else None

    def read_column(values: Sequence[Any]) -> tuple[list[Any], dict[int, str]]:
        if plain is not None and _all_plain(values, col.kind == schema.ID):
            out = [v or None for v in values]
        elif plain is not None:
            out = [v if plain(v) else None if v == "" else _UNREAD for v in values]
        elif cache is not None:
            for v in set(values):  # each value read once; then the column from the cache
                if v not in cache and _cacheable(v, numbers):
                    with contextlib.suppress(CellError):  # a refusal is cached too
                        read(v)
            out = list(map(cache.get, values, repeat(_UNREAD)))
        else:
            out = [_UNREAD] * len(values)
        errors: dict[int, str] = {}
        for k in [k for k, v in enumerate(out) if v is _UNREAD]:
            try:
                out[k] = read(values[k])
            except CellError as exc:
                out[k] = None
                errors[k] = str(exc)
        if cache is not None and any(isinstance(v, CellError) for v in cache.values()):
            for k, v in enumerate(out):
                if isinstance(v, CellError):  # a refusal read before, from the cache
                    out[k] = None
                    errors[k] = str(v)
        return out, errors

    return read_column


def shown(value: object) -> str:
    """A cell value as a message quotes it."""
    if value is None:
        return ""
    return as_text(value)
