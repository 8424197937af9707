"""Fixtures of the report tests: the small case of `minicase.py` on each backend."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.reports.minicase import fill, mini_rows


@pytest.fixture
def mini_case(db_url: str) -> Iterator[str]:
    fill(db_url, mini_rows)
    yield db_url
