"""The whole demo case planned as plain rows, with the truth no store ever holds.

Each part draws from its own random stream (named by seed and part), so the same seed
gives the same case, row for row, and a change to one part's generator does not
reshuffle the others.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from chosei.demo.custody import relative_custody
from chosei.demo.dna import Person, simulate
from chosei.demo.families import build_families
from chosei.demo.genetics import build_populations, frequency_rows, genotype_rows, haplotype_rows
from chosei.demo.recovery import plan_recovery
from chosei.demo.roster import VictimPlan, build_roster

Rows = list[dict[str, Any]]  # column -> value, read by the models built from them


@dataclass
class World:
    seed: int
    victims: Rows
    names: Rows
    relatives: Rows
    consents: Rows
    operations: Rows
    specimens: Rows
    samples: Rows
    custody: Rows
    frequencies: Rows
    haplotypes: Rows
    genotypes: Rows
    identifications: Rows
    truth: dict[str, str]  # specimen → the victim it really is
    profiled_specimens: dict[str, str]  # profiled bone sample → its specimen
    family_stage: dict[str, str]  # victim → family stage as planned
    problems: dict[str, list[str]] = field(default_factory=dict)  # check → IDs planted
    hidden: dict[str, Person] = field(default_factory=dict, repr=False)


def _rng(seed: int, part: str) -> random.Random:
    return random.Random(f"chosei-demo:{seed}:{part}")


def plan_roster(seed: int = 1942) -> list[VictimPlan]:
    """The demo's victims for `seed`, as `build_world` plans them (and nothing else)."""
    return build_roster(_rng(seed, "roster"))


def build_world(seed: int = 1942) -> World:
    roster = build_roster(_rng(seed, "roster"))
    fam = build_families(_rng(seed, "families"), roster)
    pops = build_populations(_rng(seed, "populations"))
    hidden, relative_genotypes = simulate(_rng(seed, "dna"), pops, roster, fam.relatives)
    rec = plan_recovery(_rng(seed, "recovery"), roster, fam)
    specimen_of = {str(s["id"]): str(s["specimen_id"]) for s in rec.samples
                   if s.get("specimen_id")}
    bone_genotypes: Rows = []
    for sample_id, victim_id, kit, untyped, dropped in rec.profiles:
        who = hidden[victim_id]
        bone_genotypes += genotype_rows(sample_id, who.auto, kit=kit, y=who.y, mt=who.mt,
                                        untyped=untyped, dropped=dropped)
    problems = {**fam.problems}
    for check, ids in rec.problems.items():
        problems[check] = [*problems.get(check, []), *ids]
    return World(
        seed=seed,
        victims=[v.row for v in roster],
        names=[n for v in roster for n in v.names],
        relatives=[r.row for r in fam.relatives],
        consents=fam.consents,
        operations=rec.operations,
        specimens=rec.specimens,
        samples=fam.samples + rec.samples,
        custody=rec.custody + relative_custody(_rng(seed, "custody"), fam.samples, fam.timelines),
        frequencies=frequency_rows(pops),
        haplotypes=haplotype_rows(pops, _rng(seed, "databases")),
        genotypes=relative_genotypes + bone_genotypes,
        identifications=rec.identifications,
        truth=dict(rec.truth),
        profiled_specimens={sid: specimen_of[sid] for sid, *_ in rec.profiles},
        family_stage=dict(fam.stage),
        problems=problems,
        hidden=hidden,
    )


def demo_truth(seed: int = 1942) -> dict[str, str]:
    """Which victim each demo specimen really is (specimen ID → victim ID).

    The store never holds this; a test regenerates it to check that `match run` names
    the right victims. Only specimens with a profiled sample can be matched
    (`build_world(seed).profiled_specimens`).
    """
    return build_world(seed).truth
