"""chosei's .xlsx writer on xlsxwriter: what it hands back when the file cannot be written."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from chosei.exchange import xlsx


def test_a_file_that_cannot_be_written_is_an_os_error(tmp_path: Path) -> None:
    """xlsxwriter wraps the OSError in its own FileCreateError; `outputs.output_file`
    turns an OSError into a one-line error, so the book hands back the OSError."""
    book = xlsx.Book(tmp_path / "gone" / "case.xlsx", created=dt.datetime(2026, 1, 1))
    book.add_plain("About", [["a", 1]], [10, 10])
    with pytest.raises(FileNotFoundError):
        book.close()
