"""`chosei demo`: the fictional case, its numbers, determinism, rebuild and refusal.

The pinned numbers are what seed 1942 gives; they are also counted here independently
of `status`, through the models.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Integer, distinct, func, select
from sqlmodel import SQLModel

from chosei.demo import build_world, demo_truth
from chosei.demo.families import CLOSE
from chosei.demo.genetics import KIT_JP, MARKERS, Y_MARKERS
from chosei.demo.names import BLOCKED, JP_SURNAMES, KR_SURNAMES, KR_SYLLABLES
from chosei.exchange import genetics
from chosei.models import ConsentEvent, Relative, Sample, Victim
from chosei.rules import is_northern
from chosei.store import open_store, session_scope

BANNER = "DEMO CASE: fictional, generated data — not real victims or families."
REFUSED = ("Error: this store holds the case 'Test case', not a demo; the demo needs a store "
           "of its own: use another --db, e.g. `chosei --db demo.db demo`")


def _dump(url: str, *, surrogate_ids: bool = True) -> dict[str, list[tuple[str, ...]]]:
    """Every table but the audit log, rows sorted; `created_at` of the case left out.

    Without `surrogate_ids` the integer keys are left out too: PostgreSQL sequences go
    on counting after a rebuild, while the rows themselves are the same.
    """
    import chosei.models  # noqa: F401  (registers the tables)

    store = open_store(url)
    out = {}
    try:
        with store.engine.connect() as conn:
            for table in SQLModel.metadata.sorted_tables:
                if table.name == "audit_entry":
                    continue
                cols = [c for c in table.columns
                        if not (table.name == "case_info" and c.name == "created_at")
                        and (surrogate_ids or not (c.primary_key and isinstance(c.type, Integer)
                                                   and table.name != "case_info"))]
                rows = conn.execute(select(*cols)).all()
                out[table.name] = sorted(tuple(repr(v) for v in row) for row in rows)
    finally:
        store.dispose()
    return out


def _count(url: str, query: Any) -> dict[str, int]:
    store = open_store(url)
    try:
        with session_scope(store) as s:
            return dict(s.execute(query).all())
    finally:
        store.dispose()


def _stage(data: dict[str, Any], table: str) -> dict[str, tuple[int, int]]:
    return {row["stage"]: (row["KR"], row["JP"]) for row in data[table]}


# --- Through the CLI, on each backend ----------------------------------------------------


def test_demo_dashboard_counts_and_checks(db_url: str, cli) -> None:  # type: ignore[no-untyped-def]
    built = cli("demo")
    assert "183 victims" in built.stdout and "50 specimens" in built.stdout

    result = cli("status", "--json")
    assert result.stderr.strip() == BANNER
    data = json.loads(result.stdout)
    assert data["demo"] is True
    assert data["case"] == "Chosei demo case (fictional)"
    assert (data["victims"]["total"], data["victims"]["KR"], data["victims"]["JP"]) == (183, 136, 47)
    assert _stage(data, "family_stage") == {
        "no relative known": (41, 27),
        "located": (6, 3),
        "consented": (5, 2),
        "reference collected": (8, 3),
        "reference profiled": (76, 12),
    }
    assert _stage(data, "remains_stage") == {
        "none attributed": (133, 46), "candidate": (1, 1), "identified": (1, 0),
        "returned": (1, 0),
    }
    assert data["specimen_total"] == 50
    assert data["mni"] == 5
    assert {r["status"]: r["total"] for r in data["samples"]} == {
        "planned": 25, "collected": 5, "shipped": 5, "received": 6, "extracted": 6,
        "profiled": 144, "failed": 13, "consumed": 5,
    }

    # The same family numbers counted straight from the rows, not through `status`.
    located = select(Victim.nationality, func.count(distinct(Relative.victim_id))) \
        .join(Relative, Relative.victim_id == Victim.id).group_by(Victim.nationality)
    assert _count(db_url, located) == {"KR": 95, "JP": 20}
    profiled = (
        select(Victim.nationality, func.count(distinct(Victim.id)))
        .join(Relative, Relative.victim_id == Victim.id)
        .join(Sample, Sample.relative_id == Relative.id)
        .join(ConsentEvent, ConsentEvent.relative_id == Relative.id)
        .where(Sample.status == "profiled", ConsentEvent.scope == "analysis",
               ConsentEvent.event == "given",
               ~select(ConsentEvent.id).where(  # the demo withdraws at most once
                   ConsentEvent.relative_id == Relative.id, ConsentEvent.scope == "analysis",
                   ConsentEvent.event == "withdrawn").correlate(Relative).exists())
        .group_by(Victim.nationality)
    )
    assert _count(db_url, profiled) == {"KR": 76, "JP": 12}

    checked = cli("check", "--json", expect=8)
    assert checked.stderr.splitlines()[0] == BANNER
    found = {p["check"]: p["ids"] for p in json.loads(checked.stdout)}
    assert found == {
        "sample-without-consent": ["RS-0152", "RS-0153"],
        "sample-without-source": ["SS-032"],
        "custody-gap": ["SP-010", "SP-031", "SS-009"],
    }
    assert found == build_world(1942).problems

    for args in (["status"], ["check"], ["victim", "list"], ["specimen", "list"]):
        out = cli(*args, expect=None)
        assert out.stdout.splitlines()[0] == BANNER, args


def test_demo_output_carries_the_banner(sqlite_url: str, cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("demo").stdout.splitlines()[0] == BANNER


def test_same_seed_same_rows_and_rebuild(db_url: str, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli("demo")
    first = _dump(db_url)
    other = f"sqlite:///{tmp_path / 'other.db'}"
    cli("--db", other, "demo")
    # On the PostgreSQL run this compares a PostgreSQL store with a SQLite one.
    assert _dump(other) == first

    cli("demo")  # rebuild in place
    assert _dump(db_url, surrogate_ids=False) == _dump(other, surrogate_ids=False)
    verify = cli("audit", "verify")
    assert "Audit trail intact" in verify.stdout
    log = cli("audit", "log", "CH-001")
    assert "delete" in log.stdout



def test_demo_refuses_a_real_case(db_url: str, cli) -> None:  # type: ignore[no-untyped-def]
    cli("init", "--name", "Test case")
    cli("victim", "add", "V-1", "--nationality", "KR", "--hangul", "김가나")
    before = _dump(db_url)
    result = cli("demo", expect=4)
    assert result.stderr.strip() == REFUSED
    assert _dump(db_url) == before


def test_demo_refuses_data_without_a_case(db_url: str, cli) -> None:  # type: ignore[no-untyped-def]
    store = open_store(db_url)
    try:
        with session_scope(store, write=True) as s:
            s.add(Victim(id="V-1", nationality="KR", name_hangul="김가나"))
    finally:
        store.dispose()
    before = _dump(db_url)
    result = cli("demo", expect=4)
    assert result.stderr.strip() == (
        "Error: this store holds data but no case; the demo needs a store of its own: use "
        "another --db, e.g. `chosei --db demo.db demo`")
    assert _dump(db_url) == before


# --- The generator, without a store ----------------------------------------------------


def test_world_is_deterministic_and_seeded() -> None:
    # A different seed is checked on the generator: a store adds nothing to that question.
    a, b, c = build_world(1942), build_world(1942), build_world(7)
    assert a.victims == b.victims and a.genotypes == b.genotypes and a.custody == b.custody
    assert a.victims != c.victims and a.genotypes != c.genotypes


def test_no_real_names_only_syllables_and_surnames() -> None:
    assert all(len(s[0]) == 1 and len(s[1]) == 1 for s in KR_SYLLABLES)
    assert all(len(s.hangul) == 1 and len(s.hanja) == 1 for s in KR_SURNAMES)
    assert all(len(s[0]) <= 2 for s in JP_SURNAMES)
    for seed in (1942, 7):
        world = build_world(seed)
        texts = {str(v) for rows in (world.victims, world.names, world.relatives)
                 for row in rows for v in row.values() if v}
        assert not texts & BLOCKED
        assert sum(is_northern(str(v["domicile"])) for v in world.victims) == 5
        contacts = [str(r["contact"]) for r in world.relatives]
        assert all(c.startswith(("010-0000-", "090-0000-")) for c in contacts)
        assert all(c.endswith("@example.org") for c in contacts if "@" in c)


def test_demo_truth_gives_the_matcher_something_real_to_find() -> None:
    world = build_world(1942)
    truth = demo_truth(1942)
    assert truth == world.truth
    assert sorted(truth) == [f"SP-{n:03d}" for n in range(1, 51)]
    assert set(truth.values()) <= {v["id"] for v in world.victims}

    genotypes: dict[str, dict[str, tuple[Any, Any]]] = defaultdict(dict)
    for g in world.genotypes:
        genotypes[str(g["sample_id"])][str(g["marker"])] = (g["allele1"], g["allele2"])
    typed: dict[str, list[tuple[str, str]]] = defaultdict(list)
    related = {r["victim_id"] for r in world.relatives}
    for s in world.samples:
        if s.get("relative_id") and s["status"] == "profiled":
            rel = next(r for r in world.relatives if r["id"] == s["relative_id"])
            typed[str(rel["victim_id"])].append((str(rel["relationship"]), str(s["id"])))

    victims = [truth[spec] for spec in world.profiled_specimens.values()]
    assert any(v not in related for v in victims), "a specimen nobody can match"
    assert any(victims.count(v) >= 2 for v in victims), "two bones of one man"
    close = [(sample, spec) for sample, spec in world.profiled_specimens.items()
             if any(rel in CLOSE for rel, _ in typed[truth[spec]])]
    assert len(close) >= 3
    # A true parent, child or sibling shares an allele at every marker both typed fully.
    for sample, spec in close:
        for rel, ref in typed[truth[spec]]:
            if rel not in ("son", "daughter"):
                continue
            for marker in MARKERS:
                bone, kin = genotypes[sample].get(marker), genotypes[ref].get(marker)
                if bone and kin and None not in bone:
                    assert set(bone) & set(kin), (sample, ref, marker)

    partial = [s for s in world.profiled_specimens
               if any(v[1] is None and m in KIT_JP for m, v in genotypes[s].items())]
    untyped = [s for s in world.profiled_specimens
               if not set(KIT_JP) <= set(genotypes[s])]
    assert partial and untyped
    assert all("mtDNA" in genotypes[s] and Y_MARKERS[0] in genotypes[s] or
               Y_MARKERS[0] not in genotypes[s] for s in world.profiled_specimens)

    decided = {(i["specimen_id"], i["victim_id"]): i["status"] for i in world.identifications}
    for (spec, victim), status in decided.items():
        assert (truth[spec] == victim) == (status != "rejected"), (spec, victim, status)


def test_haplotypes_and_markers_are_in_the_stores_spelling() -> None:
    world = build_world(1942)
    for row in world.haplotypes:
        text = str(row["haplotype"])
        if row["kind"] == "Y":
            assert genetics.y_haplotype(genetics.parse_y_haplotype(text)) == text
        else:
            assert genetics.mt_haplotype(text) == text
    for g in world.genotypes:
        assert genetics.canonical_marker(g["marker"]) == g["marker"]
        if g["marker"] == "mtDNA":
            assert genetics.mt_haplotype(g["allele1"]) == g["allele1"]
        else:
            assert genetics.canonical_allele(g["allele1"]) == g["allele1"]
    assert {r["sample_size"] for r in world.frequencies} == {500, 400}
    for population in ("KR", "JP"):
        for marker in MARKERS:
            total = sum(float(str(r["frequency"])) for r in world.frequencies
                        if r["population"] == population and r["marker"] == marker)
            assert total == pytest.approx(1.0)


def test_demo_json(sqlite_url: str, cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("demo", "--json")
    assert result.stderr.strip() == BANNER
    data = json.loads(result.stdout)
    assert data["store"] == sqlite_url
    assert (data["built"]["victims"], data["built"]["specimens"]) == (183, 50)
    assert data["status"]["demo"] is True
