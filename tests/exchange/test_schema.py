"""The declarative workbook table, and the library's manners."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from chosei.exchange import cells, schema

VOCAB_COLUMNS = {c.vocab.name: c for s in schema.SHEETS for c in s.columns if c.vocab}


@pytest.mark.parametrize("lang", schema.LANGS)
@pytest.mark.parametrize("name", sorted(VOCAB_COLUMNS))
def test_every_exported_label_reads_back_as_its_code(name, lang):
    col = VOCAB_COLUMNS[name]
    read = cells.cell_reader(col)
    for code in col.vocab.codes:
        label = col.vocab.label(code, lang)
        assert read(label) == code, f"{name}: {label!r} ({lang}) does not read back as {code}"


def test_sheet_names_are_unique_in_every_language():
    names = [schema.header_key(n) for s in schema.SHEETS for n in set(s.names)]
    extra = [schema.header_key(n) for n in (*schema.DASHBOARD, *schema.ABOUT,
                                            *schema.INSTRUCTIONS)]
    assert len(names + extra) == len(set(names + extra))


def test_headers_are_unique_within_each_sheet():
    for sheet in schema.SHEETS:
        for col in sheet.columns:
            for name in col.names:
                assert sheet.match(name) is col
                assert sheet.match(f"  {name.upper()} ") is col


@pytest.mark.parametrize(("value", "escaped"), [
    ("(clear)", "'(clear)"), ("'(clear)", "''(clear)"), ("（CLEAR）", "'（CLEAR）"),
    ("clear", "clear"), ("(cleared)", "(cleared)"), ("'quoted'", "'quoted'"),
], ids=["marker", "escaped-marker", "full-width", "word", "other", "apostrophes"])
def test_a_value_equal_to_the_clear_marker_is_escaped_and_unescaped(value, escaped):
    assert cells.escape_text(value) == escaped
    read = cells.cell_reader(schema.VICTIMS.column("notes"))
    assert read(escaped) == value


def test_the_library_never_prints():
    root = Path(cells.__file__).parent
    for path in root.glob("*.py"):
        assert not re.search(r"^\s*print\(|sys\.std(out|err)\.write", path.read_text(), re.M), path
