"""The door every workbook passes before a parser sees it: refuse hostile files quickly.

`check_workbook(path)` looks at the zip container and streams every part once, with
bounded memory, before openpyxl or python-calamine open the file. It refuses, with one
line saying what is wrong and what to do:

- a missing, unreadable or empty file; a file that is not a zip (a CSV, a web page or an
  old .xls saved under a .xlsx name), an OpenDocument or binary (.xlsb) workbook;
- a password-protected workbook (an OLE2 container holding an `EncryptedPackage`);
- a damaged zip: a cut-off central directory, parts that overlap, fail their CRC, or
  hold more or less than their header declares;
- a zip bomb: declared sizes past the limits below, a big part compressed more than any
  real worksheet is, and actual sizes checked while decompressing (declared sizes can
  lie), stopping at the limit;
- XML that declares a DOCTYPE or entities (billion laughs, external entities) or is not
  UTF-8, in any part;
- a text longer than Excel's own cell limit, and a sheet whose cells span a rectangle
  past `MAX_SHEET_CELLS`: python-calamine allocates the whole rectangle (32 bytes a
  cell) and aborts the process, uncatchably, when it cannot (one cell at XFD1048576
  next to one at A1 asks for 512 GiB).

Sheets without a `<dimension>` pass; openpyxl reads such a sheet twice, calamine does not.

On its way it notes which sheets may hold error cells or formulas (`Checked.flagged`),
which python-calamine does not report, so that the reader looks closer at those only.
"""

from __future__ import annotations

import importlib.util
import io
import os
import posixpath
import re
import stat
import struct
import sys
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from chosei.errors import ChoseiError, InvalidInput, WorkbookRejected
from chosei.exchange import schema
from chosei.exchange.guard_xml import (
    Hostile,
    InlineTexts,
    Irregular,
    NeedRows,
    SharedStrings,
    SheetBounds,
    StringRefs,
    TextRuns,
    check_prolog,
    find_declaration,
    has_cell_hints,
    refs_may_matter,
)
from chosei.exchange.limits import (
    GIB,
    KIB,
    MAX_DIRECTORY_BYTES,
    MAX_FILE_BYTES,
    MAX_INDEX_PART_BYTES,
    MAX_PART_BYTES,
    MAX_PARTS,
    MAX_RATIO,
    MAX_SHARED_TEXT_BYTES,
    MAX_SHEET_CELLS,
    MAX_TEXT_CHARS,
    MAX_TOTAL_BYTES,
    MIB,
    RATIO_MIN_BYTES,
)
from chosei.exchange.report import feedback_language
from chosei.i18n import N_, _, in_language

_CHUNK = MIB
_READ = 256 * KIB
# What to do, the end of many refusals (translated where they are given).
_SAVE_AS = N_("open it in Excel or LibreOffice and save it as .xlsx (Excel Workbook)")
_SAVE_AGAIN = N_("open it in Excel or LibreOffice and save it as .xlsx (Excel Workbook) again")
_ASK = N_("ask the sender for the real workbook, or open it in Excel and save it again")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_WORKBOOK = "xl/workbook.xml"
_WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
_CONTENT_TYPES = "[Content_Types].xml"
_XML_SUFFIXES = (".xml", ".rels", ".vml")


@dataclass(frozen=True)
class Checked:
    """A workbook that passed: its bytes as they were checked (the reader reads these,
    never the path again: a file swapped in between is not read), and the sheet parts
    (zip member names) that may hold error cells or formulas."""

    flagged: frozenset[str]
    data: bytes | None = None
    # Sheet name -> "hidden" or "veryHidden", for the sheets a viewer does not see.
    hidden: dict[str, str] = field(default_factory=dict)
    # What the importer tells about the file besides its rows (links, macros).
    warnings: tuple[str, ...] = ()


def check_workbook(path: str | os.PathLike[str]) -> Checked:
    """Raise `InvalidInput` unless `path` is an .xlsx a parser may safely open.

    The file is opened once; past the size check its bytes are read into memory and
    everything after (this guard, then the reader) looks at those bytes only."""
    _require_defusedxml()
    path = Path(path)
    name = f"'{path.name}'"
    try:
        # O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with open(fd, "rb", closefd=True) as fh:
            info = os.fstat(fh.fileno())
            if stat.S_ISDIR(info.st_mode):
                raise InvalidInput(_("{file} is a folder, not a workbook; give the path of an .xlsx file").format(
                    file=name))
            if not stat.S_ISREG(info.st_mode):
                raise InvalidInput(_("{file} is not a regular file (a pipe, socket or device?); save the workbook "
                                     "as a file and give its path").format(file=name))
            _check_size(info.st_size, name)
            data = fh.read(MAX_FILE_BYTES + 1)
        _check_size(len(data), name)
        scanner = _check_open_file(io.BytesIO(data), len(data), name)
        return Checked(frozenset(scanner.flagged), data, scanner.hidden, scanner.warnings())
    except IsADirectoryError:
        raise InvalidInput(_("{file} is a folder, not a workbook; give the path of an .xlsx file").format(
            file=name)) from None
    except FileNotFoundError:
        raise InvalidInput(_("no file {file} at {folder}; check the path").format(
            file=name, folder=path.parent)) from None
    except PermissionError:
        raise InvalidInput(_("cannot read {file}: permission denied; check that you may read it").format(
            file=name)) from None
    except OSError as exc:
        raise InvalidInput(_("cannot read {file}: {error}; copy it to a local disk and try again").format(
            file=name, error=exc.strerror or exc)) from None


def _require_defusedxml() -> None:
    # openpyxl decides at import (from OPENPYXL_DEFUSEDXML and whether defusedxml is
    # there); an import that never needs openpyxl need not load it to ask.
    openpyxl = sys.modules.get("openpyxl")
    if openpyxl is not None:
        safe = openpyxl.DEFUSEDXML
    else:
        safe = os.environ.get("OPENPYXL_DEFUSEDXML", "True") == "True" and \
            importlib.util.find_spec("defusedxml") is not None
    if not safe:
        raise ChoseiError(_(
            "openpyxl is not using defusedxml, so it would parse workbook XML unsafely; "
            "install defusedxml and unset OPENPYXL_DEFUSEDXML"))


def _check_size(size: int, name: str) -> None:
    if size == 0:
        raise InvalidInput(_("{file} is empty (0 bytes); {fix}").format(file=name, fix=_(_SAVE_AGAIN)))
    if size > MAX_FILE_BYTES:
        raise InvalidInput(_("{file} is {size}, past the {limit} chosei reads; split the data into smaller "
                             "workbooks").format(file=name, size=_human(size), limit=_human(MAX_FILE_BYTES)))


def _check_open_file(fh, size: int, name: str) -> _Scanner:
    head = fh.read(4096)
    if not head.startswith(b"PK\x03\x04") and not head.startswith(b"PK\x05\x06"):
        raise InvalidInput(_what_is_it(fh, head, size).format(file=name, fix=_(_SAVE_AS)))
    _check_directory(fh, size, name)
    try:
        zf = zipfile.ZipFile(fh)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, struct.error,
            NotImplementedError, OverflowError):
        raise InvalidInput(_damaged(name, _("its zip directory cannot be read"))) from None
    with zf:
        infos = zf.infolist()
        _check_kind({i.filename for i in infos}, name)
        _check_declared(infos, size, name)
        scanner = _Scanner(fh, size, name, infos)
        scanner.run()
        return scanner


# --- What a non-zip file is ----------------------------------------------------------


def _what_is_it(fh, head: bytes, size: int) -> str:
    """What a file that is no zip is: a message with {file} and {fix} to fill in."""
    if head.startswith(_OLE_MAGIC):
        streams = _ole_stream_names(fh, size)
        if "EncryptedPackage" in streams:
            return _("{file} is protected with a password; open it in Excel, remove the password "
                     "(File > Info > Protect Workbook > Encrypt with Password, clear it) and save it again")
        if {"Workbook", "Book"} & streams:
            return _("{file} is an Excel 97-2003 workbook (.xls), not .xlsx; {fix}")
        return _("{file} is an old Office file, not an Excel workbook; {fix}")
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith(b"%pdf"):
        return _("{file} is a PDF, not a workbook; ask the sender for the .xlsx file")
    if text.startswith((b"<!doctype html", b"<html", b"<table")) or b"<html" in text[:1024]:
        return _("{file} is a web page (HTML) with a spreadsheet name; {fix}")
    if text.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in head:
        return _("{file} is an Excel 2003 XML spreadsheet, not .xlsx; {fix}")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" not in head:
        return _("{file} is a text file (CSV or similar), not an Excel workbook; {fix}")
    return _("{file} is not an Excel workbook (it does not start like an .xlsx file); {fix}")


def _ole_stream_names(fh, size: int) -> set[str]:
    """Names in an OLE2 (CFB) directory; entries start 128-byte aligned after the header."""
    wanted = {n: n.encode("utf-16-le") + b"\0\0" for n in ("EncryptedPackage", "Workbook", "Book")}
    found: set[str] = set()
    fh.seek(0)
    offset = 0
    while offset < size and len(found) < len(wanted):
        block = fh.read(4 * MIB)
        if not block:
            break
        for stream, raw in wanted.items():
            at = block.find(raw)
            while at >= 0:
                entry = block[at : at + 128]
                if (offset + at) % 128 == 0 and len(entry) == 128:
                    length, kind = struct.unpack_from("<HB", entry, 64)
                    if length == len(raw) and kind == 2:
                        found.add(stream)
                        break
                at = block.find(raw, at + 1)
        offset += len(block)
    return found


# --- The zip container -----------------------------------------------------------------


def _check_directory(fh, size: int, name: str) -> None:
    """Count the parts from the end record before zipfile builds an object for each."""
    tail_len = min(size, 22 + 65_535 + 20)
    fh.seek(size - tail_len)
    tail = fh.read(tail_len)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        raise InvalidInput(_damaged(name, _("its zip directory is missing (the file was cut short?)")))
    entries, dir_size = struct.unpack_from("<4xHHHHIIH", tail, at)[3:5]
    if entries == 0xFFFF or dir_size == 0xFFFFFFFF:
        loc = at - 20
        if loc < 0 or tail[loc : loc + 4] != b"PK\x06\x07":
            raise InvalidInput(_damaged(name, _("its zip64 directory is missing")))
        (rec_at,) = struct.unpack_from("<8xQ", tail, loc)
        fh.seek(rec_at)
        rec = fh.read(56)
        if len(rec) < 56 or rec[:4] != b"PK\x06\x06":
            raise InvalidInput(_damaged(name, _("its zip64 directory is missing")))
        entries, dir_size = struct.unpack_from("<32xQQ", rec)
    if entries > MAX_PARTS:
        raise InvalidInput(_("{file} holds {n:,} parts, past the {limit:,} chosei accepts; it is not a "
                             "normal workbook: {fix}").format(file=name, n=entries, limit=MAX_PARTS, fix=_(_ASK)))
    if dir_size > MAX_DIRECTORY_BYTES:
        raise InvalidInput(_("{file} has a zip directory of {size}, past the {limit} chosei accepts; {fix}").format(
            file=name, size=_human(dir_size), limit=_human(MAX_DIRECTORY_BYTES), fix=_(_ASK)))


def _check_kind(names: set[str], name: str) -> None:
    if _WORKBOOK in names and _CONTENT_TYPES in names:
        return
    if "mimetype" in names and any(n.startswith("content.xml") for n in names):
        raise InvalidInput(_("{file} is an OpenDocument spreadsheet (.ods), not .xlsx; {fix}").format(
            file=name, fix=_(_SAVE_AS)))
    if "xl/workbook.bin" in names:
        raise InvalidInput(_("{file} is an Excel binary workbook (.xlsb), not .xlsx; {fix}").format(
            file=name, fix=_(_SAVE_AS)))
    if any(n.startswith(("word/", "ppt/")) for n in names):
        raise InvalidInput(_("{file} is a Word or PowerPoint file, not an Excel workbook; {fix}").format(
            file=name, fix=_(_SAVE_AS)))
    missing = _WORKBOOK if _WORKBOOK not in names else _CONTENT_TYPES
    raise InvalidInput(_("{file} is a zip archive but not an Excel workbook (it has no {part}); {fix}").format(
        file=name, part=missing, fix=_(_SAVE_AS)))


def _check_declared(infos: list[zipfile.ZipInfo], size: int, name: str) -> None:
    total = 0
    seen: set[str] = set()
    for info in infos:
        part = info.filename
        if part in seen:
            raise InvalidInput(_damaged(name, _("it holds two parts named {part}").format(part=part)))
        seen.add(part)
        if info.flag_bits & 0x41:
            raise InvalidInput(_("{file} has encrypted parts ({part}); open it in Excel, remove the password "
                                 "and save it again").format(file=name, part=part))
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise InvalidInput(_("{file} stores {part} with zip compression method {method}, which Excel never "
                                 "writes; {fix}").format(file=name, part=part, method=info.compress_type,
                                                         fix=_(_SAVE_AGAIN)))
        if info.file_size > MAX_PART_BYTES:
            raise InvalidInput(_bomb(name, _declares(part, info.file_size),
                                     _("the limit for one part is {limit}").format(limit=_human(MAX_PART_BYTES))))
        total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise InvalidInput(_bomb(name, _("it declares more than {limit} uncompressed").format(
                limit=_human(MAX_TOTAL_BYTES)), _("split the data into smaller workbooks")))
    for info in infos:
        part = info.filename
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size >= RATIO_MIN_BYTES and ratio > MAX_RATIO:
            raise InvalidInput(_bomb(name, _("its part {part} is compressed {ratio:,.0f}:1").format(
                part=part, ratio=ratio), _("real workbooks stay under {limit}:1").format(limit=MAX_RATIO)))
        if info.header_offset < 0 or info.header_offset + info.compress_size > size:
            raise InvalidInput(_damaged(name, _("its part {part} lies outside the file").format(part=part)))
    ordered = sorted(infos, key=lambda i: i.header_offset)
    for one, nxt in zip(ordered, ordered[1:], strict=False):
        end = one.header_offset + 30 + len(one.orig_filename.encode("utf-8", "replace")) + one.compress_size
        if end > nxt.header_offset:
            raise InvalidInput(_damaged(name, _("its parts {part} and {other} overlap").format(
                part=one.filename, other=nxt.filename)))


def _damaged(name: str, what: str) -> str:
    return _("{file} is damaged: {what}; copy or download it again, or open it in Excel and save it "
             "again").format(file=name, what=what)


def _bomb(name: str, what: str, limit: str) -> str:
    return _("{file} is refused as a possible zip bomb: {what} ({limit}); {fix}").format(
        file=name, what=what, limit=limit, fix=_(_ASK))


def _declares(part: str, size: int) -> str:
    return _("its part {part} declares {size}").format(part=part, size=_human(size))


def _human(n: int) -> str:
    for unit, size in (("GiB", GIB), ("MiB", MIB), ("KiB", KIB)):
        if n >= size:
            return f"{n / size:,.1f} {unit}".replace(".0 ", " ")
    return _("{n} bytes").format(n=n)


# --- Streaming every part ----------------------------------------------------------------

@dataclass
class _Part:
    """What one part turned out to be, filled in while it streams."""

    name: str
    kind: str  # "sheet", "strings", "xml" or "other"
    label: str
    keep: bool = False


class _Scanner:
    def __init__(self, fh, size: int, name: str, infos: list[zipfile.ZipInfo]) -> None:
        self.fh, self.size, self.name = fh, size, name
        self.infos = {i.filename: i for i in infos}
        self.flagged: set[str] = set()
        self.hidden: dict[str, str] = {}
        self.sheet_bytes = 0
        self.strings: SharedStrings | None = None
        self.refs: StringRefs | None = None  # over all sheets, once the strings are known
        self.lang = "en"  # the language of the sheets' names, once they are known

    def run(self) -> None:
        # The workbook and its relationships first: they name the sheets for the messages.
        index = [n for n in (_WORKBOOK, _WORKBOOK_RELS) if n in self.infos]
        kept = {n: self._stream(_Part(n, "xml", n, keep=True)) for n in index}
        sheets, strings, self.hidden = _workbook_parts(kept, self.name)
        # Past here the sheets have names: a refusal is given in the language they are in.
        self.lang = feedback_language(schema.workbook_language(sheets.values()))
        with in_language(self.lang):
            self._run_parts(kept, sheets, strings)

    def _run_parts(self, kept: dict[str, list[bytes]], sheets: dict[str, str], strings: set[str]) -> None:
        rest = sorted((i for n, i in self.infos.items() if n not in kept), key=lambda i: i.header_offset)
        # The shared strings before the sheets: the cells referring to them are counted
        # against the strings' lengths.
        rest.sort(key=lambda i: not (i.filename in strings or i.filename == "xl/sharedStrings.xml"))
        is_sheet = [i.filename in sheets or re.fullmatch(r"xl/worksheets/[^/]+\.xml", i.filename) is not None
                    for i in rest]
        self.sheet_bytes = sum(i.file_size for i, sheet in zip(rest, is_sheet, strict=True) if sheet)
        for info, sheet in zip(rest, is_sheet, strict=True):
            part = info.filename
            if sheet:
                label = _("sheet '{sheet}'").format(sheet=sheets[part]) if part in sheets else part
                self._stream(_Part(part, "sheet", label))
            elif part in strings or part == "xl/sharedStrings.xml":
                self._stream(_Part(part, "strings", _("the shared strings part")))
            elif part.lower().endswith(_XML_SUFFIXES):
                self._stream(_Part(part, "xml", part))
            elif not part.endswith("/"):
                self._stream(_Part(part, "other", part))

    def warnings(self) -> tuple[str, ...]:
        """External links and macros: chosei reads neither, and says so (in the language
        of the workbook's sheet names)."""
        with in_language(self.lang):
            return self._warnings()

    def _warnings(self) -> tuple[str, ...]:
        parts = [p.lower() for p in self.infos]
        out = []
        if any(p.startswith("xl/externallinks/") for p in parts):
            out.append(_("the workbook links to other files (external links): chosei read the "
                         "values saved in it and opened none of the linked files"))
        if any(p.rsplit("/", 1)[-1].startswith("vbaproject") for p in parts):
            out.append(_("the workbook holds macros (VBA): chosei never runs them and imported "
                         "nothing from them"))
        return tuple(out)

    def _raw(self, info: zipfile.ZipInfo):
        """Yield the compressed bytes of one part, checking its local header."""
        self.fh.seek(info.header_offset)
        header = self.fh.read(30)
        if len(header) < 30 or header[:4] != b"PK\x03\x04":
            raise InvalidInput(_damaged(self.name, _("the header of {part} is missing").format(part=info.filename)))
        name_len, extra_len = struct.unpack_from("<HH", header, 26)
        if self.fh.read(name_len) != info.orig_filename.encode("utf-8" if info.flag_bits & 0x800 else "cp437"):
            raise InvalidInput(_damaged(self.name, _("the header of {part} names another part").format(
                part=info.filename)))
        self.fh.seek(info.header_offset + 30 + name_len + extra_len)
        left = info.compress_size
        while left > 0:
            data = self.fh.read(min(_READ, left))
            if not data:
                raise InvalidInput(_damaged(self.name, _("{part} is cut short").format(part=info.filename)))
            left -= len(data)
            yield data

    def _chunks(self, info: zipfile.ZipInfo):
        """Yield the decompressed bytes of one part, never more than declared, never past the limits."""
        declared = info.file_size
        produced = 0
        crc = 0
        inflate = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
        for data in self._raw(info):
            if inflate is not None and inflate.eof:
                break
            while data:
                if inflate is None:
                    out, data = data, b""
                else:
                    try:
                        out = inflate.decompress(data, _CHUNK)
                    except zlib.error:
                        raise InvalidInput(_damaged(self.name, _("{part} does not decompress").format(
                            part=info.filename))) from None
                    data = inflate.unconsumed_tail
                produced += len(out)
                if produced > declared:
                    raise InvalidInput(_bomb(self.name, _("its part {part} holds more than it declares").format(
                        part=info.filename), _("declared sizes must not lie")))
                if out:
                    crc = zlib.crc32(out, crc)
                    yield out
                if inflate is not None and inflate.eof:
                    break
        if inflate is not None and not inflate.eof:
            raise InvalidInput(_damaged(self.name, _("{part} is cut short").format(part=info.filename)))
        if produced != declared:
            raise InvalidInput(_damaged(self.name, _("{part} holds less than its header declares").format(
                part=info.filename)))
        if crc != info.CRC:
            raise InvalidInput(_damaged(self.name, _("{part} fails its checksum (CRC)").format(part=info.filename)))

    def _stream(self, part: _Part) -> list[bytes]:
        info = self.infos[part.name]
        if part.keep and info.file_size > MAX_INDEX_PART_BYTES:
            raise InvalidInput(_bomb(self.name, _declares(part.name, info.file_size),
                                     _("the limit for it is {limit}").format(limit=_human(MAX_INDEX_PART_BYTES))))
        if part.kind == "sheet":
            # Patterns first, not finding rows while the sheet is narrow; then patterns
            # with rows; then tag by tag, for sheets written in some unusual way.
            try:
                return self._scan(part, info, fast=True, rows=False)
            except NeedRows:
                try:
                    return self._scan(part, info, fast=True, rows=True)
                except Irregular:
                    return self._scan(part, info, fast=False)
            except Irregular:
                return self._scan(part, info, fast=False)
        return self._scan(part, info, fast=True)

    def _scan(self, part: _Part, info: zipfile.ZipInfo, *, fast: bool, rows: bool = True) -> list[bytes]:
        xml = part.kind != "other"
        cells = SheetBounds(fast=fast, rows=rows) if part.kind == "sheet" else None
        runs = TextRuns() if part.kind in ("sheet", "strings") else None
        strings = SharedStrings(self.sheet_bytes) if part.kind == "strings" else None
        inline = InlineTexts() if part.kind == "sheet" else None
        if (part.kind == "sheet" and self.refs is None and self.strings is not None
                and refs_may_matter(self.strings.lengths, self.sheet_bytes)):
            self.refs = StringRefs(self.strings.lengths)
        refs = self.refs if part.kind == "sheet" else None
        counted = refs.total if refs is not None else 0
        tail = b""
        prolog: bytes | None = b""
        carry = b""
        kept: list[bytes] = []
        try:
            for chunk in self._chunks(info):
                if part.keep:
                    kept.append(chunk)
                if not xml:
                    continue
                if prolog is not None:
                    prolog += chunk
                    if check_prolog(prolog, final=False):
                        prolog = None
                window = tail + chunk
                if find_declaration(window):
                    raise Hostile("doctype")
                if cells is not None and part.name not in self.flagged and has_cell_hints(window):
                    self.flagged.add(part.name)
                tail = chunk[-16:]
                if runs is None and cells is None:
                    continue
                buf = carry + chunk
                cut = buf.rfind(b"<")
                cut = len(buf) if cut < 0 else cut
                scan, carry = buf[:cut], buf[cut:]
                if runs is not None:
                    runs.feed(scan, carry)
                if strings is not None:
                    strings.feed(scan)
                if inline is not None:
                    inline.feed(scan)
                if cells is not None:
                    cells.feed(scan)
                if refs is not None:
                    refs.feed(scan)
            if xml:
                if prolog is not None:
                    check_prolog(prolog, final=True)
                if runs is not None:
                    runs.feed(carry, b"")
                if strings is not None:
                    strings.feed(carry)
                    self.strings = strings
                if inline is not None:
                    inline.feed(carry)
                if cells is not None:
                    cells.feed(carry)
                    cells.finish()
                if refs is not None:
                    refs.feed(carry)
        except Hostile as exc:
            if exc.what == "expansion":
                raise WorkbookRejected(self._message(part, exc)) from None
            raise InvalidInput(self._message(part, exc)) from None
        except Irregular:
            if refs is not None:
                refs.total = counted  # the sheet is scanned again, and counted again
            raise
        return kept

    def _message(self, part: _Part, exc: Hostile) -> str:
        n = self.name
        values = {"file": n, "part": part.label, "detail": exc.detail, "limit": MAX_SHEET_CELLS}
        if exc.what == "doctype":
            return _("{file} is refused: {part} declares a DOCTYPE or entities, which Excel never writes (an "
                     "XML bomb?); {fix}").format(**values, fix=_(_ASK))
        if exc.what == "encoding":
            return _("{file} is refused: {part} is not UTF-8 ({detail}), as every spreadsheet program writes "
                     "it; {fix}").format(**values, fix=_(_SAVE_AGAIN))
        if exc.what == "prolog":
            return _damaged(n, _("{part} does not start like XML").format(**values))
        if exc.what == "text":
            return _("{file} is refused: {part} holds a text longer than {chars:,} characters, Excel's limit "
                     "for a cell; shorten it and save the workbook again").format(**values, chars=MAX_TEXT_CHARS)
        if exc.what == "beyond":
            return _("{file} is refused: {part} has a cell at {detail}, outside Excel's sheet (A1 to "
                     "XFD1048576); delete it and save the workbook again").format(**values)
        if exc.what == "area":
            return _("{file} is refused: {part} spreads its cells over {detail}, more than the {limit:,} cells "
                     "chosei reads from one sheet; delete the rows and columns beyond the data and save the "
                     "workbook again").format(**values)
        if exc.what == "expansion":
            return _("{file} is refused: its cells repeat shared texts to more than the {size} of text chosei "
                     "reads from one workbook (by {part}; a shared-strings bomb?); {fix}").format(
                         **values, size=_human(MAX_SHARED_TEXT_BYTES), fix=_(_ASK))
        if exc.what == "merged":
            return _("{file} is refused: {part} merges {detail} cells, more than the {limit:,} chosei reads "
                     "from one sheet; unmerge them and save the workbook again").format(**values)
        return _damaged(n, _("{part} is not well-formed ({detail})").format(**values))


def _workbook_parts(kept: dict[str, list[bytes]],
                    name: str) -> tuple[dict[str, str], set[str], dict[str, str]]:
    """Worksheet part -> sheet name, the shared-strings parts, and hidden sheet name ->
    its state, from workbook.xml and its rels."""
    from defusedxml import ElementTree
    from defusedxml.common import DefusedXmlException

    def parse(part: str):
        try:
            return ElementTree.fromstring(b"".join(kept[part]))
        except (ElementTree.ParseError, DefusedXmlException, ValueError) as exc:
            raise InvalidInput(_damaged(name, _("{part} is not well-formed XML ({error})").format(
                part=part, error=exc))) from None

    sheets: dict[str, str] = {}
    strings: set[str] = set()
    hidden: dict[str, str] = {}
    if _WORKBOOK in kept:
        for el in parse(_WORKBOOK).iter():
            state = el.get("state") or "visible"
            if el.tag.rsplit("}", 1)[-1] == "sheet" and state != "visible":
                hidden[el.get("name") or ""] = state
    if _WORKBOOK_RELS not in kept:
        return sheets, strings, hidden
    targets: dict[str, str] = {}
    for rel in parse(_WORKBOOK_RELS):
        target = rel.get("Target") or ""
        resolved = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
        kind = (rel.get("Type") or "").rsplit("/", 1)[-1]
        targets[rel.get("Id") or ""] = resolved
        if kind == "sharedStrings":
            strings.add(resolved)
    for el in parse(_WORKBOOK).iter():
        if el.tag.rsplit("}", 1)[-1] != "sheet":
            continue
        rid = next((v for k, v in el.attrib.items() if k.rsplit("}", 1)[-1] == "id"), None)
        if rid in targets:
            sheets[targets[rid]] = el.get("name") or targets[rid]
    return sheets, strings, hidden
