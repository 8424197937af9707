"""Hostile and odd workbooks built in code, for the guard's tests (fictional data only).

`workbook()` writes a minimal valid .xlsx whose parts can be replaced; `forged_zip()`
writes a zip by hand so sizes, CRCs, flags and offsets can lie; `zero_bomb()` is a raw
deflate stream of N MiB of zeros that costs about 1 KiB per MiB to build.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
RELS_NS = 'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"'
OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def sheet_xml(rows: str, *, before: str = "", after: str = "") -> str:
    return f"{DECL}<worksheet {NS}>{before}<sheetData>{rows}</sheetData>{after}</worksheet>"


def strings_xml(*texts: str) -> str:
    items = "".join(f"<si><t>{t}</t></si>" for t in texts)
    return f'{DECL}<sst {NS} count="{len(texts)}" uniqueCount="{len(texts)}">{items}</sst>'


def base_parts() -> dict[str, str | bytes]:
    return {
        "[Content_Types].xml": (
            f'{DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/></Types>'
        ),
        "_rels/.rels": (
            f'{DECL}<Relationships {RELS_NS}><Relationship Id="rId1" '
            f'Type="{OFFICE}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'{DECL}<workbook {NS} xmlns:r="{OFFICE}"><sheets>'
            '<sheet name="Victims" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'{DECL}<Relationships {RELS_NS}>'
            f'<Relationship Id="rId1" Type="{OFFICE}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{OFFICE}/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>"
        ),
        "xl/worksheets/sheet1.xml": sheet_xml(
            '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
            '<row r="2"><c r="A2" t="inlineStr"><is><t>CH-001</t></is></c><c r="B2"><v>1915</v></c></row>'
        ),
        "xl/sharedStrings.xml": strings_xml("Victim ID", "Birth date"),
    }


def workbook(path: Path, method: int = zipfile.ZIP_DEFLATED, **replace: str | bytes | None) -> Path:
    """A small valid workbook; keyword `sheet`, `strings`, `book`, `rels` replace a part
    (None drops it); any other part is added under its own name via `extra`."""
    parts = base_parts()
    aliases = {
        "sheet": "xl/worksheets/sheet1.xml",
        "strings": "xl/sharedStrings.xml",
        "book": "xl/workbook.xml",
        "rels": "xl/_rels/workbook.xml.rels",
        "types": "[Content_Types].xml",
    }
    for key, value in replace.items():
        name = aliases[key]
        if value is None:
            parts.pop(name, None)
        else:
            parts[name] = value
    with zipfile.ZipFile(path, "w", method) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return path


@dataclass
class Member:
    name: str
    data: bytes  # as stored: already compressed when method is 8
    method: int = 8
    size: int | None = None  # declared uncompressed size; the real one when None
    crc: int | None = None
    flags: int = 0
    offset: int | None = None  # force the central directory's local-header offset


def deflate(data: bytes) -> bytes:
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def member(name: str, text: str | bytes, **kw: object) -> Member:
    raw = text.encode() if isinstance(text, str) else text
    return Member(name, deflate(raw), size=len(raw), crc=zlib.crc32(raw), **kw)  # type: ignore[arg-type]


def base_members(**replace: Member) -> list[Member]:
    members = {name: member(name, data) for name, data in base_parts().items()}
    for m in replace.values():
        members[m.name] = m
    return list(members.values())


def forged_zip(path: Path, members: list[Member], *, entries: int | None = None) -> Path:
    """Write a zip by hand: whatever each Member declares goes into both headers."""
    out = bytearray()
    central = bytearray()
    for m in members:
        offset = len(out)
        name = m.name.encode()
        size = len(m.data) if m.size is None else m.size
        crc = zlib.crc32(m.data) if m.crc is None else m.crc
        fields = (20, m.flags, m.method, 0, 0x21, crc & 0xFFFFFFFF, len(m.data), size, len(name))
        out += struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", *fields, 0) + name + m.data
        central += struct.pack(
            "<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, *fields, 0, 0, 0, 0, 0,
            offset if m.offset is None else m.offset,
        ) + name
    count = len(members) if entries is None else entries
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, count, count, len(central), len(out), 0)
    path.write_bytes(bytes(out + central + end))
    return path


def zero_bomb(mib: int, *, fill: bytes = b"\0", prefix: bytes = b"") -> bytes:
    """A raw deflate stream of `prefix` then `mib` MiB of `fill` (its length a power of two): full flushes
    make every MiB the same few compressed bytes, so 2 GiB costs 2 MiB and no time."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = c.compress(prefix) + c.flush(zlib.Z_FULL_FLUSH) if prefix else b""
    block = c.compress(fill * ((1 << 20) // len(fill))) + c.flush(zlib.Z_FULL_FLUSH)
    return head + block * mib + b"\x03\x00"


def ole_file(path: Path, *streams: str) -> Path:
    """An OLE2 (CFB) header and one directory sector naming `streams`, as Office writes them."""
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHH", header, 0x18, 0x3E, 3, 0xFFFE)
    struct.pack_into("<H", header, 0x1E, 9)  # 512-byte sectors
    struct.pack_into("<I", header, 0x30, 0)  # the directory starts in sector 0
    directory = bytearray()
    for i, name in enumerate(["Root Entry", *streams]):
        entry = bytearray(128)
        raw = name.encode("utf-16-le") + b"\0\0"
        entry[: len(raw)] = raw
        struct.pack_into("<HB", entry, 64, len(raw), 5 if i == 0 else 2)
        directory += entry
    directory += bytes(-len(directory) % 512)
    path.write_bytes(bytes(header + directory) + bytes(2048))
    return path
