"""The run's shortcut gives the library's answers: the Y/mtDNA screen excludes only what
`y_lr`/`mt_lr` would exclude. Checked on the demo case (fictional)."""

from __future__ import annotations

import numpy as np
import pytest

from chosei.services import matching
from chosei.services.profiles import load_case_dna
from chosei.store import open_store, session_scope


@pytest.fixture
def demo_dna(sqlite_url: str, cli):  # type: ignore[no-untyped-def]
    cli("demo")
    store = open_store(sqlite_url)
    try:
        with session_scope(store) as s:
            yield load_case_dna(s)
    finally:
        store.dispose()


def test_the_screen_changes_no_lineage_lr(demo_dna, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    families, _ = matching.families_of(demo_dna, matching.MatchOptions().checked())
    specimens = demo_dna.specimens
    args = (demo_dna, specimens, list(specimens), families, list(families))
    y, mt, _ = matching._lineage(*args)
    assert np.count_nonzero(y == 0) > 0 and np.count_nonzero(mt == 0) > 0
    monkeypatch.setattr(matching, "_screen", lambda a, b, line: np.zeros((len(a), len(b)), dtype=bool))
    y_exact, mt_exact, _ = matching._lineage(*args)
    assert np.array_equal(y, y_exact, equal_nan=True)
    assert np.array_equal(mt, mt_exact, equal_nan=True)
