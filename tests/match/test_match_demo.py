"""`chosei match run` on the demo case: the hidden truth (`demo_truth`) is found.

Every profiled specimen whose victim has a typed relative who consents to analysis has
that victim ranked first; a specimen whose victim has no such relative gets no
candidate; every candidate names the true victim.
"""

from __future__ import annotations

import json

import pytest

from chosei.demo import demo_truth
from chosei.services.profiles import load_case_dna
from chosei.store import open_store, session_scope


def _matchable_victims(url: str) -> set[str]:
    store = open_store(url)
    try:
        with session_scope(store) as s:
            dna = load_case_dna(s)
            return {vid for vid, rels in dna.relatives.items() if any(r.usable for r in rels)}
    finally:
        store.dispose()


def test_demo_run_finds_the_true_victims(db_url: str, cli) -> None:  # type: ignore[no-untyped-def]
    cli("demo")
    out = cli("match run").stdout
    assert ("Prior: closed set, uniform over the N = 183 expected victims (1/183 each); open share 0 (--open); "
            "the 95 not compared count with LR 1") in out
    truth = demo_truth(1942)
    matchable = _matchable_victims(db_url)
    ranked: dict[str, list[dict]] = {}
    for pair in json.loads(cli("match list --all --json").stdout):
        ranked.setdefault(pair["specimen_id"], []).append(pair)
    with_family = [s for s in ranked if truth[s] in matchable]
    without = [s for s in ranked if truth[s] not in matchable]
    assert len(with_family) >= 8 and len(without) >= 1
    for sid in with_family:
        first, second = sorted(ranked[sid], key=lambda p: -p["lr"])[:2]
        assert (sid, first["victim_id"]) == (sid, truth[sid])
        assert first["lr"] > 10 * second["lr"]
    for sid in without:
        assert max(p["lr"] for p in ranked[sid]) < 10_000, sid
    # the simulated case: every stored posterior is the closed-set formula over 183, to 1e-6
    for pairs in ranked.values():
        total = sum(p["lr"] for p in pairs) + 183 - len(pairs)
        for p in pairs:
            assert p["posterior"] == pytest.approx(p["lr"] / total, rel=1e-6, abs=1e-15)
        assert sum(p["posterior"] for p in pairs) <= 1
    candidates = json.loads(cli("match list --json").stdout)
    above = [c for c in candidates if c["lr"] is not None and c["lr"] >= 10_000]
    assert len(above) >= 6
    assert all(c["victim_id"] == truth[c["specimen_id"]] for c in above)
