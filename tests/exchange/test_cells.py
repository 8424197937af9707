"""A column read at once reads as its cells do one by one, whatever they hold."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chosei.exchange import cells, schema

# One column of each kind (and each vocabulary), as the sheets declare them.
COLUMNS = {(c.kind, c.vocab.name if c.vocab else ""): c for s in schema.SHEETS for c in s.columns}

# What python-calamine hands over: text, floats, ints, booleans, dates and times.
POOL = ["", None, " ", "\u3000", "CH-001", " CH-001", "CH-001 ", "ＣＨ－００１", "ch  1", "가-1",
        "(clear)", " （ＣＬＥＡＲ） ", "'(clear)", "''(clear)", "#N/A", " #REF! ", "#hash", "=1+1",
        "son", "아들", "조카", "M", "kr", "1915-03-02", "大正4年3月2日", "1915", "1915-13", "S17",
        "analysis;share:KR", "DYS19", "vwa", "16223T 16362C", "0.25", "9.3", "12", "a ", "\ta",
        "x\ud800y", 1915.0, 1915, 12.0, 12.5, 0, 1, 0.0, 1.0, -1.0, 0.25, 45000.0, True, False,
        float("nan"), dt.datetime(1915, 3, 2), dt.datetime(2025, 8, 26, 14, 30), dt.date(1915, 3, 2),
        dt.time(0, 0), dt.time(12, 30)]
cell = st.one_of(st.sampled_from(POOL), st.text(max_size=8), st.floats(), st.integers(-5, 3000))


def _one_by_one(col: schema.Column, date1904: bool, values: list[Any]) -> list[tuple[str, Any]]:
    """Each cell read by a reader of its own: nothing read before can answer for it."""
    out = []
    for v in values:
        try:
            out.append(("value", cells.cell_reader(col, date1904=date1904)(v)))
        except cells.CellError as exc:
            out.append(("error", str(exc)))
    return out


def _typed(items: list[tuple[str, Any]]) -> list[tuple[str, type, Any]]:
    return [(what, type(v), repr(v)) for what, v in items]


@pytest.mark.parametrize("col", list(COLUMNS.values()), ids=lambda c: f"{c.kind}-{c.field}")
@pytest.mark.parametrize("date1904", [False, True], ids=["1900", "1904"])
@settings(max_examples=40, deadline=None)
@given(values=st.lists(cell, max_size=40))
def test_a_column_reads_as_its_cells_do(col: schema.Column, date1904: bool, values: list[Any]) -> None:
    expected = _one_by_one(col, date1904, values)
    read = cells.column_reader(col, date1904=date1904)
    for _ in range(2):  # the second time, with what the first read cached
        out, errors = read(values)
        got = [("error", errors[k]) if k in errors else ("value", v) for k, v in enumerate(out)]
        assert _typed(got) == _typed(expected)
        assert all(out[k] is None for k in errors)


# Columns of text only, mostly cells taken as they are: read by the whole-column pass
# (`cells._all_plain`) when every cell allows it, else cell by cell; alike either way.
TEXT_POOL = ["", "CH-001", "CH 1", "CH  1", " CH", "CH ", "(1)", "#1", "'x", "가-1", "a\u00a0",
             "x\ny", "x\n", "\n", "a\tb", "(clear)", "#N/A", "ＣＨ－００１", "a\u2028", "\u3000a"]
TEXT_COLUMNS = [c for c in COLUMNS.values() if c.kind in (schema.ID, schema.TEXT)]


def _read_alike(col: schema.Column, values: list[str]) -> None:
    out, errors = cells.column_reader(col)(values)
    got = [("error", errors[k]) if k in errors else ("value", v) for k, v in enumerate(out)]
    assert _typed(got) == _typed(_one_by_one(col, False, values))


@pytest.mark.parametrize("col", TEXT_COLUMNS, ids=lambda c: f"{c.kind}-{c.field}")
@pytest.mark.parametrize("odd", TEXT_POOL)
def test_one_odd_cell_among_plain_ones(col: schema.Column, odd: str) -> None:
    _read_alike(col, ["CH-001", "", odd, "V 2", "note"])


@pytest.mark.parametrize("col", TEXT_COLUMNS, ids=lambda c: f"{c.kind}-{c.field}")
@settings(max_examples=100, deadline=None)
@given(values=st.lists(st.one_of(st.sampled_from(TEXT_POOL), st.text(max_size=6)), max_size=30))
def test_a_column_of_text_reads_as_its_cells_do(col: schema.Column, values: list[str]) -> None:
    _read_alike(col, values)
