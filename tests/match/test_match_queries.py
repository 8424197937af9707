"""A run reads the store in a fixed number of statements, whatever its size."""

from __future__ import annotations

from sqlalchemy import event

from chosei.models import Genotype
from chosei.services.match_options import MatchOptions
from chosei.services.matching import run_matching
from chosei.services.profiles import load_case_dna
from chosei.services.recovery import add_specimen
from chosei.services.relatives import add_relative, give_consent
from chosei.services.victims import add_victim
from chosei.store import open_store, session_scope
from tests.cli.storeview import writing
from tests.match import scene
from tests.samples_at import add_sample_at


def _grow(url: str, start: int, n: int) -> None:
    """n more victims with a son each, and n more specimens, all typed."""
    with writing(url) as s:
        for i in range(start, start + n):
            add_victim(s, {"id": f"V-{i:03d}", "nationality": "KR", "name_latin": f"Victim {i}"})
            add_relative(s, {"id": f"R-{i:03d}", "victim_id": f"V-{i:03d}", "relationship": "son"})
            give_consent(s, f"R-{i:03d}", ["analysis"], "2025-10-01")
            add_sample_at(s, {"id": f"RS-{i:03d}", "relative_id": f"R-{i:03d}", "status": "profiled"})
            add_specimen(s, {"id": f"SP-{i:03d}", "element": "tooth"})
            add_sample_at(s, {"id": f"SS-{i:03d}", "specimen_id": f"SP-{i:03d}", "status": "profiled"})
            s.add_all([Genotype(sample_id=f"RS-{i:03d}", marker="TH01", allele1="6", allele2="7"),
                       Genotype(sample_id=f"SS-{i:03d}", marker="TH01", allele1="8", allele2="9")])
        s.flush()


def _statements(url: str, action) -> int:  # type: ignore[no-untyped-def]
    store = open_store(url)
    count = 0

    def tally(*_args: object) -> None:
        nonlocal count
        count += 1

    try:
        with session_scope(store, actor="tester", write=True) as s:
            event.listen(store.engine, "before_cursor_execute", tally)
            action(s)
            event.remove(store.engine, "before_cursor_execute", tally)
    finally:
        store.dispose()
    return count


def test_load_and_run_use_a_fixed_number_of_statements(case: str) -> None:
    scene.build(case)
    options = MatchOptions(mutation="none", threshold=1e9)  # no candidate: the writes stay the same too
    small = (_statements(case, load_case_dna), _statements(case, lambda s: run_matching(s, options)))
    _grow(case, 10, 30)
    large = (_statements(case, load_case_dna), _statements(case, lambda s: run_matching(s, options)))
    assert small == large
    assert small[0] == 8  # victims, consents, genotypes, SNP samples, relatives, frequencies, haplotypes, trees


def test_progress_is_reported_step_by_step(case: str) -> None:
    scene.build(case)
    calls: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> None:
        calls.append((done, total))

    _statements(case, lambda s: run_matching(s, MatchOptions(mutation="none"), progress))
    # one step per (population, marker) typed on both sides -- D3S1358, TH01, vWA -- then the lineage
    assert calls == [(1, 4), (2, 4), (3, 4), (4, 4)]
