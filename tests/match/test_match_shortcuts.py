"""The run's Y/mtDNA LRs are the library's `y_lr` / `mt_lr` for every pair (the run uses
the batch forms, which skip the full comparison for pairs they can tell are excluded).
Checked on the demo case (fictional)."""

from __future__ import annotations

import math

import pytest

from chosei.kinship import mt_lr, y_lr
from chosei.services.match_families import families_of
from chosei.services.match_lrs import _lineage
from chosei.services.match_options import MatchOptions
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


def test_the_runs_lineage_lrs_are_the_librarys(demo_dna) -> None:  # type: ignore[no-untyped-def]
    options = MatchOptions().checked()
    families, _ = families_of(demo_dna, options)
    specimens = demo_dna.specimens
    y, mt, _ = _lineage(demo_dna, specimens, list(specimens), families, list(families), options)
    seen = {"Y": set(), "mtDNA": set()}
    for i, sid in enumerate(specimens):
        for j, vid in enumerate(families):
            fam = families[vid]
            for line, kind, single, got in (("Y", "Y", y_lr, y[i, j]), ("mtDNA", "mt", mt_lr, mt[i, j])):
                hap = specimens[sid].y if line == "Y" else specimens[sid].mt
                db = demo_dna.database(fam.population, kind)
                if hap is None or db is None or not fam.lineage(line):
                    assert math.isnan(got)
                    continue
                result = single(hap, fam.lineage(line), db, victim_sex=fam.sex)  # type: ignore[arg-type]
                seen[line].add(result.status)
                assert math.isnan(got) if result.status == "not applicable" else got == result.lr, (sid, vid, line)
    assert {"match", "exclusion"} <= seen["Y"] and {"match", "exclusion"} <= seen["mtDNA"]
