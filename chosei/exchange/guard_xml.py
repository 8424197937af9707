"""Pattern scans of a workbook's XML parts as they stream, for `guard` (no XML parser).

Each scan sees the decompressed bytes in pieces that start at a `<` and end just before
one, so a tag is never split. The scans only need to be conservative: whatever a real
parser could read as a DOCTYPE, a long text or a far-away cell, they see too.
"""

from __future__ import annotations

import array
import codecs
import functools
import re
from collections import Counter

from chosei.exchange.limits import (
    EXCEL_COLS,
    EXCEL_ROWS,
    MAX_PROLOG_BYTES,
    MAX_SHARED_TEXT_BYTES,
    MAX_SHEET_CELLS,
    MAX_TEXT_CHARS,
)
from chosei.i18n import _


class Hostile(Exception):
    """The part is refused; `what` picks the message, `detail` fills it."""

    def __init__(self, what: str, detail: str = "") -> None:
        super().__init__(what, detail)
        self.what, self.detail = what, detail


class Irregular(Exception):
    """The fast cell scan met a cell it cannot read by pattern: scan the part again, slowly."""


class NeedRows(Irregular):
    """The sheet is wider than `NARROW_COLS`: scan it again, finding its rows too."""


# --- DOCTYPE, entities, encoding ----------------------------------------------------------

# Case-insensitive: some parsers are lenient about `<!doctype`.
_DECLARATION = re.compile(rb"<!(?i:doctype|entity|element|attlist)")
_XML_DECL = re.compile(rb"<\?xml\b[^>]*?\bencoding\s*=\s*[\"']([^\"']*)[\"']", re.S)
_PROLOG_ITEM = re.compile(rb"\s+|<\?.*?\?>|<!--.*?-->", re.S)
_NAME_START = re.compile(rb"<[A-Za-z_]")
_ASCII = bytes(range(0x20, 0x7F))


# Substrings any error cell (t="e") or formula (an <f> element, prefixed or not) of a
# sheet contains. A few false alarms only cost the reader an exact pass over the sheet.
CELL_HINTS = (b't="e"', b"t='e'", b"<f", b":f")


def has_cell_hints(data: bytes) -> bool:
    return any(hint in data for hint in CELL_HINTS)


def find_declaration(data: bytes) -> bool:
    # A lone "!" first: `in` finds a rare byte at memory speed (not so `<!`: `<` is
    # everywhere in XML), the pattern is many times slower.
    return b"!" in data and _DECLARATION.search(data) is not None


def check_prolog(data: bytes, *, final: bool) -> bool:
    """True once the part's first element is reached with no DOCTYPE and a safe encoding.

    Raises `Hostile` for a DOCTYPE, an encoding in which `<!DOCTYPE` could hide from a
    byte scan (UTF-16, UTF-7, EBCDIC…), or a prolog longer than `MAX_PROLOG_BYTES`.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:4]:
        raise Hostile("encoding", _("UTF-16 or UTF-32"))
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    decl = _XML_DECL.match(data)
    if decl:
        _check_encoding(decl[1].decode("ascii", "replace"))
    pos = 0
    while True:
        item = _PROLOG_ITEM.match(data, pos)
        if not item or item.end() == pos:
            break
        pos = item.end()
    if pos > MAX_PROLOG_BYTES:
        raise Hostile("prolog")
    if data.startswith(b"<!", pos) and not data.startswith(b"<!--", pos):
        raise Hostile("doctype")
    if _NAME_START.match(data, pos):
        return True
    if pos > MAX_PROLOG_BYTES:
        raise Hostile("prolog")
    unfinished = data.startswith((b"<?", b"<!--"), pos) or len(data) - pos < 2
    if unfinished and not final and len(data) <= MAX_PROLOG_BYTES:
        return False
    if final and not data[pos:].strip():
        return True  # an empty part: the parsers will say what is missing
    raise Hostile("prolog")


def _check_encoding(name: str) -> None:
    try:
        codec = codecs.lookup(name)
        same = _ASCII.decode("ascii").encode(codec.name) == _ASCII
    except (LookupError, UnicodeError, ValueError):
        same = False
    if not same:
        raise Hostile("encoding", name)


# --- Long texts -------------------------------------------------------------------------------

_BLOCK = 16 * 1024
# Past this many bytes a run holds more than MAX_TEXT_CHARS characters however it is
# written (`&#x10FFFF;` spends ten bytes on one character).
_HARD_RUN_BYTES = 10 * MAX_TEXT_CHARS + 4096
_ESCAPE = re.compile(r"&(?:#x[0-9A-Fa-f]+|#[0-9]+|[A-Za-z]+);|_x[0-9A-Fa-f]{4}_")


class TextRuns:
    """Refuses any run of text between two tags longer than Excel's cell limit.

    Memory-cheap and fast: only a block of `_BLOCK` bytes with no `<` in it can belong to
    a long run, and `bytes.find` rules that out for nearly every block.
    """

    def feed(self, scan: bytes, carry: bytes) -> None:
        if len(carry) > _HARD_RUN_BYTES:
            raise Hostile("text")
        n = len(scan)
        i = 0
        while i < n:
            if scan.find(b"<", i, i + _BLOCK) >= 0:
                i += _BLOCK
                continue
            start = scan.rfind(b"<", 0, i) + 1
            end = scan.find(b"<", i + _BLOCK)
            end = n if end < 0 else end
            _check_run(scan[start:end])
            i = max(i + _BLOCK, end)


def _check_run(run: bytes) -> None:
    if len(run) <= MAX_TEXT_CHARS:
        return
    _check_text(run.split(b">", 1)[-1])


def _check_text(text: bytes) -> None:
    if len(text) > _HARD_RUN_BYTES:
        raise Hostile("text")
    chars = len(_ESCAPE.sub("x", text.decode("utf-8", "replace")))
    if chars > MAX_TEXT_CHARS:
        raise Hostile("text")


# --- Shared strings, and how much text the cells repeating them make -----------------------

# Every tag but a shared string's start and end, and a `<` with no `>` before the next `<`:
# what is left of the shared-strings part is its texts, each between its `<si>` and `</si>`.
_NOT_SI_END = re.compile(rb"<(?!/?(?:[A-Za-z_][\w.-]*:)?si[\s>])[^<>]*>|<(?![^<>]*>)")
_SI_END = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?si>")


class SharedStrings:
    """The text length (UTF-8 bytes, at least its characters) of each shared string, in
    order, without building the strings; and each string's whole text (all its rich-text
    runs together) held to Excel's cell limit."""

    def __init__(self, sheet_bytes: int) -> None:
        self.lengths = array.array("q")
        self._open = b""  # the text so far of the string the last piece ended in
        # Strings up to this long cannot exceed the budget however many cells of
        # `sheet_bytes` of sheets repeat them (`refs_may_matter`): longer ones are measured
        # without their markup, so that rich text's markup alone does not count.
        self._exact_above = min(MAX_TEXT_CHARS, max(64, MAX_SHARED_TEXT_BYTES * _MIN_REF_BYTES
                                                    // max(sheet_bytes, 1)))

    def feed(self, scan: bytes) -> None:
        # Split at each `</si>` (bytes.split, at memory speed, unless a prefix is used):
        # each piece's length, markup and all, is at least its string's, and only a piece
        # longer than a cell may be has its markup taken out to be measured exactly.
        pieces = _SI_END.split(scan) if b":si>" in scan else scan.split(b"</si>")
        pieces[0] = self._open + pieces[0]
        self._open = pieces.pop()
        if len(self._open) > _HARD_RUN_BYTES:
            self._open = _NOT_SI_END.sub(b"", self._open)
            if len(self._open) > _HARD_RUN_BYTES:
                raise Hostile("text")
        lengths = list(map(len, pieces))
        limit = self._exact_above
        if max(lengths, default=0) > limit:
            for k, piece in enumerate(pieces):
                if lengths[k] > limit:  # its text is what follows its `<si>`
                    text = _NOT_SI_END.sub(b"", piece)
                    text = text[text.find(b">", text.rfind(b"<")) + 1:]
                    if len(text) > MAX_TEXT_CHARS:
                        _check_text(text)
                    lengths[k] = len(text)
        self.lengths.extend(lengths)


class StringRefs:
    """Adds up the text that a sheet's shared-string cells (`t="s"`) will each hold once
    read: python-calamine copies a shared string into every cell referring to it, so a
    short part can ask for gigabytes (one long string, referred to by many cells)."""

    def __init__(self, lengths: array.array[int]) -> None:
        self.lengths = lengths
        self.total = 0

    def feed(self, scan: bytes) -> None:
        plain = scan.count(b't="s"')
        found = Counter(_USUAL_REF.findall(scan)) if plain else Counter()
        # Cells as Excel, LibreOffice, openpyxl and xlsxwriter write them are found by the
        # quick pattern; any other way of writing `t="s"` sends the piece to the full one.
        if sum(found.values()) != plain or scan.count(b'"s"') != plain or b"'s'" in scan:
            found = Counter(_SHARED_REF.findall(scan))
        lengths, n = self.lengths, len(self.lengths)
        for index, cells in found.items():
            i = int(index)
            if i < n:  # an index past the strings: the reader will say so
                self.total += lengths[i] * cells
        if self.total > MAX_SHARED_TEXT_BYTES:
            raise Hostile("expansion", f"{self.total:,}")


def refs_may_matter(lengths: array.array[int], sheet_bytes: int) -> bool:
    """Could a sheet of `sheet_bytes` bytes refer to these strings past the budget? A
    shared-string cell takes at least `_MIN_REF_BYTES` (`<c t="s"><v>0</v></c>`): most
    workbooks, whose longest string is short, need no counting at all."""
    return bool(lengths) and (sheet_bytes // _MIN_REF_BYTES) * max(lengths) > MAX_SHARED_TEXT_BYTES


_MIN_REF_BYTES = 20
_USUAL_REF = re.compile(rb't="s"><v>([0-9]{1,10})</v>')


# Every tag but an inline string's start and end (and stray `<`s), for `InlineTexts`.
_NOT_IS = re.compile(rb"<(?!/?(?:[A-Za-z_][\w.-]*:)?is[\s>])[^<>]*>|<(?![^<>]*>)")
_IS_END = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?is>")
_IS_HINT = re.compile(rb"is[\s>]")


class InlineTexts:
    """Holds each inline string of a sheet (`<is>`, all its rich-text runs together) to
    Excel's cell limit; only sheets holding inline strings pay for it.

    As `SharedStrings`: the piece is split at each `</is>` as it is (at memory speed),
    and only a piece longer than a cell may be has its markup taken out to be measured
    (taking out markup commutes with cutting at `</is>`, which it never removes, so the
    texts are those of the whole piece stripped first); the tail after the last
    `</is>`, short, is stripped to carry an inline string still open.
    """

    def __init__(self) -> None:
        self._open = b""  # the text so far of an inline string a piece ended in

    def feed(self, scan: bytes) -> None:
        if not self._open and _IS_HINT.search(scan) is None:
            return
        pieces = _IS_END.split(scan) if b":is>" in scan else scan.split(b"</is>")
        tail = pieces.pop()
        opened = self._open
        if pieces and len(opened) + max(map(len, pieces)) > MAX_TEXT_CHARS:
            for k, piece in enumerate(pieces):
                head = opened if k == 0 else b""
                if len(head) + len(piece) > MAX_TEXT_CHARS:
                    text = head + _NOT_IS.sub(b"", piece)
                    if len(text) > MAX_TEXT_CHARS:  # its text is what follows its last `<is>`
                        _check_text(text[text.find(b">", text.rfind(b"<")) + 1:])
        last = (b"" if pieces else opened) + _NOT_IS.sub(b"", tail)
        start = last.rfind(b"<")  # only `<is>` tags are left: an inline string still open
        self._open = last[start:] if start >= 0 else b""
        if len(self._open) > _HARD_RUN_BYTES:
            raise Hostile("text")


_SHARED_REF = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c\s[^<>]*?\bt\s*=\s*[\"']s[\"'][^<>]*>\s*"
                         rb"<(?:[A-Za-z_][\w.-]*:)?v>\s*([0-9]{1,10})\s*<")


# --- Where a sheet's cells lie ------------------------------------------------------------------

# Fast path: every cell written `<c r="B12"…` (or `<x:c r="B12"…` throughout, as the
# OpenXML SDK does), as Excel, LibreOffice, openpyxl and xlsxwriter write them.
_ROOT = re.compile(rb"<([A-Za-z_][\w.-]*:)?worksheet[\s>]")
_PREFIX_HINT = re.compile(rb":c[\s/>]")
_PREFIXED_CELL = re.compile(rb"<([A-Za-z_][\w.-]*:)c[\s/>]")


@functools.cache
def _fast_patterns(prefix: bytes) -> tuple[re.Pattern[bytes], ...]:
    c = re.escape(b"<" + prefix + b"c")
    return (
        re.compile(c + rb"[\s/>]"),  # a cell
        re.compile(c + rb'(?=[\s/>])(?! r="[A-Z]{1,3}[0-9]{1,7}")'),  # a cell the patterns cannot read
        re.compile(c + rb' r="([A-Z]{1,3})[0-9]'),  # its column
        re.compile(c + rb' r="[A-Z]{1,3}([0-9]{1,7})"'),  # its row
        # its column, when the cell is as Excel writes it: a row of one to six digits,
        # the first not 0 (neither irregular nor odd, see `NARROW_COLS`)
        re.compile(c + rb' r="([A-Z]{1,3})[1-9][0-9]{0,5}"'),
    )


# However many rows such a sheet has (up to Excel's last), it stays within MAX_SHEET_CELLS,
# so its rows need not be found: a row past Excel's, or written with a leading zero,
# sends the scan to find them after all.
NARROW_COLS = MAX_SHEET_CELLS // EXCEL_ROWS
_ODD_ROW = re.compile(rb'<c r="[A-Z]{1,3}(?:0|[0-9]{7})')

_RANGES = {
    b"dimension": re.compile(rb'dimension ref="([^"]*)"'),
    b"mergeCell": re.compile(rb'mergeCell ref="([^"]*)"'),
}
# Slow path: any prefix, any attribute order, cells and rows without `r`.
_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c|dimension|mergeCell)(?=[\s/>])")
_ATTR = re.compile(rb"""\s+([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_TAG_END = re.compile(rb"\s*/?>")
_REF = re.compile(r"\$?([A-Za-z]+)\$?([0-9]+)")
_CHAR_REF = re.compile(r"&#(x[0-9A-Fa-f]+|[0-9]+);")


class SheetBounds:
    """The rectangle a worksheet's cells span, as python-calamine will allocate it."""

    def __init__(self, *, fast: bool, rows: bool = True) -> None:
        self.fast = fast
        self.find_rows = rows or not fast
        self.prefix: bytes | None = None  # of the worksheet's elements, from its root
        self.rows: list[int] = []  # min, max (1-based)
        self.cols: list[int] = []
        self.merged = 0
        self._row = 0  # slow path: calamine's row and column counters for cells without `r`
        self._col = 0

    def feed(self, scan: bytes) -> None:
        if self.fast:
            self._feed_fast(scan)
        else:
            self._feed_slow(scan)

    def _feed_fast(self, scan: bytes) -> None:
        if self.prefix is None:
            root = _ROOT.search(scan)
            self.prefix = (root[1] or b"") if root else b""
        tags, irregular, column, row_of, usual = _fast_patterns(self.prefix)
        # When every `<c` of the piece starts a cell as Excel writes it (nearly always: other
        # elements starting so, `<cols>`, are few), one pattern finds the columns and no cell
        # can be irregular or have an odd row: the patterns below need not run.
        letters_found = usual.findall(scan)
        usual_only = len(letters_found) == scan.count(b"<" + self.prefix + b"c") and \
            not (self.prefix and b"<c" in scan)
        if not usual_only:
            letters_found = column.findall(scan)
            if irregular.search(scan) or (self.prefix and b"<c" in scan
                                          and _fast_patterns(b"")[1].search(scan)):
                raise Irregular
        if self.prefix and len(_PREFIX_HINT.findall(scan)) == len(tags.findall(scan)):
            pass  # every `:c` is one of this sheet's own cells
        elif _PREFIX_HINT.search(scan):
            # One pass over the piece: looking back from each `:c` for its `<` read a long
            # text of `:c :c …` again for each of them.
            for other in _PREFIXED_CELL.finditer(scan):
                if other[1] != self.prefix:
                    raise Irregular
        for letters in set(letters_found):
            col = _column_number(letters.decode())
            if col > EXCEL_COLS:
                raise Hostile("beyond", _find_ref(scan, self.prefix, re.escape(letters) + rb"[0-9]+"))
            self._add(self.cols, col, "")
        if not self.find_rows:
            if (self.cols and self.cols[1] - self.cols[0] >= NARROW_COLS) or \
                    (not usual_only and _ODD_ROW.search(scan)):
                raise NeedRows
            rows = set()
        else:
            rows = set(row_of.findall(scan))
        if rows:
            numbers = list(map(int, rows))
            for row in (min(numbers), max(numbers)):
                if not 1 <= row <= EXCEL_ROWS:
                    raise Hostile("beyond", _find_ref(scan, self.prefix, rb"[A-Z]{1,3}" + str(row).encode()))
                self._add(self.rows, row, "")
        for tag, pattern in _RANGES.items():
            if tag not in scan:
                continue
            found = pattern.findall(scan)
            if len(found) != scan.count(tag + b" ") - scan.count(tag + b"s "):
                raise Irregular
            for ref in found:
                self._range(tag, ref.decode("ascii", "replace"))

    def _feed_slow(self, scan: bytes) -> None:
        for m in _TAG.finditer(scan):
            attrs: dict[bytes, str] = {}
            pos = m.end()
            while a := _ATTR.match(scan, pos):
                value = a[2] if a[2] is not None else a[3]
                attrs.setdefault(a[1], _unescape(value.decode("utf-8", "replace")))
                pos = a.end()
            if not _TAG_END.match(scan, pos):
                raise Hostile("malformed", _("a <{tag}> tag").format(tag=m[1].decode()))
            tag, ref = m[1], attrs.get(b"r")
            if tag == b"row":
                self._row = int(ref) if ref and ref.isdigit() else self._row + 1
                self._col = 0
            elif tag == b"c":
                if ref is None:
                    row, col = self._row, self._col + 1
                else:
                    col, row = _parse_ref(ref)
                self._col = col
                self._add(self.rows, row, ref or f"R{row}C{col}")
                self._add(self.cols, col, ref or f"R{row}C{col}")
            else:
                self._range(tag, attrs.get(b"ref", ""))

    def _add(self, bounds: list[int], n: int, ref: str) -> None:
        limit = EXCEL_ROWS if bounds is self.rows else EXCEL_COLS
        if not 1 <= n <= limit:
            raise Hostile("beyond", ref)
        if not bounds:
            bounds.extend((n, n))
        elif n < bounds[0]:
            bounds[0] = n
        elif n > bounds[1]:
            bounds[1] = n

    def _range(self, tag: bytes, ref: str) -> None:
        corners = [_parse_ref(part) for part in ref.split(":", 1)]
        (c1, r1), (c2, r2) = corners[0], corners[-1]
        for col, row in corners:
            if not (1 <= col <= EXCEL_COLS and 1 <= row <= EXCEL_ROWS):
                raise Hostile("beyond", ref)
        area = (abs(r2 - r1) + 1) * (abs(c2 - c1) + 1)
        if tag == b"mergeCell":
            self.merged += area
            if self.merged > MAX_SHEET_CELLS:
                raise Hostile("merged", f"{self.merged:,}")
        elif area > MAX_SHEET_CELLS:
            raise Hostile("area", _("{ref} ({n:,} cells)").format(ref=ref, n=area))

    def finish(self) -> None:
        if not self.rows:
            return  # no cells, or a narrow sheet
        (r1, r2), (c1, c2) = self.rows, self.cols
        area = (r2 - r1 + 1) * (c2 - c1 + 1)
        if area > MAX_SHEET_CELLS:
            raise Hostile("area", _("{ref} ({n:,} cells)").format(ref=f"{_cell(c1, r1)}:{_cell(c2, r2)}", n=area))


def _find_ref(scan: bytes, prefix: bytes, pattern: bytes) -> str:
    m = re.search(re.escape(b"<" + prefix + b"c") + rb' r="(' + pattern + rb')"', scan)
    return m[1].decode() if m else "?"


def _unescape(value: str) -> str:
    if "&" not in value:
        return value
    value = _CHAR_REF.sub(lambda m: chr(int("0" + m[1], 16) if m[1][0] == "x" else int(m[1])), value)
    return value.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace(
        "&apos;", "'").replace("&amp;", "&")


def _parse_ref(ref: str) -> tuple[int, int]:
    m = _REF.fullmatch(ref.strip())
    if not m or len(m[1]) > 7 or len(m[2]) > 12:
        raise Hostile("malformed", _("the cell reference {ref}").format(ref=repr(ref[:40])))
    return _column_number(m[1]), int(m[2])


def _column_number(letters: str) -> int:
    """A → 1, for up to 7 letters: a hostile reference may lie far beyond XFD (where
    openpyxl's `column_index_from_string` stops), and the refusal says how far."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def _cell(col: int, row: int) -> str:
    from openpyxl.utils import get_column_letter  # only for this refusal's message

    return f"{get_column_letter(col)}{row}"
