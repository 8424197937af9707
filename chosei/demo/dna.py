"""Who carries which DNA: the victims' hidden genotypes and their relatives', by descent.

The pedigree follows the kinship engine's conventions (issue 4): siblings share the
victim's parents; the victim's children share one untyped mother; a son's child
descends through an untyped son, a brother's child through an untyped full brother, a
sister's child through an untyped full sister, each married to an unrelated founder.
The Y haplotype passes father to son (with the per-meiosis mutation rate), mtDNA
mother to child. The victims' own profiles are never stored: only what a lab would
have typed from a relative's sample or from a recovered bone.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from chosei.demo.families import RelativePlan
from chosei.demo.genetics import (
    KIT_JP,
    KIT_KR,
    Autosomal,
    Population,
    YHaplotype,
    child,
    founder,
    genotype_rows,
    mt_founder,
    y_founder,
    y_transmit,
)
from chosei.demo.roster import VictimPlan
from chosei.donor_lines import MT, Y, lines_for

KIT = {"KR": KIT_KR, "JP": KIT_JP}


@dataclass(frozen=True)
class Person:
    auto: Autosomal
    y: YHaplotype | None
    mt: str


@dataclass
class _Family:
    """The victim's untyped parents and wife, drawn once and shared by all his relatives."""

    father: Person
    mother: Person
    victim: Person
    wife: Person


def _founder(pop: Population, rng: random.Random, male: bool) -> Person:
    return Person(founder(pop, rng), y_founder(pop, rng) if male else None, mt_founder(pop, rng))


def _child(father: Person, mother: Person, male: bool, rng: random.Random) -> Person:
    y = y_transmit(father.y, rng) if male and father.y is not None else None
    return Person(child(father.auto, mother.auto, rng), y, mother.mt)


def _relative(fam: _Family, relationship: str, male: bool, pop: Population,
              rng: random.Random) -> Person:
    if relationship in ("son", "daughter"):
        return _child(fam.victim, fam.wife, male, rng)
    if relationship in ("brother", "sister"):
        return _child(fam.father, fam.mother, male, rng)
    link, _, _ = relationship.partition("'s")
    if link == "son":
        parent = _child(fam.victim, fam.wife, True, rng)
        return _child(parent, _founder(pop, rng, False), male, rng)
    if link == "brother":
        parent = _child(fam.father, fam.mother, True, rng)
        return _child(parent, _founder(pop, rng, False), male, rng)
    parent = _child(fam.father, fam.mother, False, rng)  # a sister
    return _child(_founder(pop, rng, True), parent, male, rng)


def simulate(rng: random.Random, pops: dict[str, Population], roster: list[VictimPlan],
             relatives: list[RelativePlan]) -> tuple[dict[str, Person], list[dict[str, object]]]:
    """The victims' true genotypes (hidden) and the genotype rows of typed relatives."""
    by_victim: dict[str, list[RelativePlan]] = {}
    for rel in relatives:
        by_victim.setdefault(rel.victim.id, []).append(rel)
    truth: dict[str, Person] = {}
    rows: list[dict[str, object]] = []
    for victim in roster:
        pop = pops[victim.nationality]
        father, mother = _founder(pop, rng, True), _founder(pop, rng, False)
        fam = _Family(father, mother, _child(father, mother, True, rng),
                      _founder(pop, rng, False))
        truth[victim.id] = fam.victim
        for rel in by_victim.get(victim.id, []):
            if not rel.typed:
                continue
            person = _relative(fam, rel.relationship, rel.sex == "M", pop, rng)
            rows += genotype_rows(
                str(rel.typed_sample), person.auto, kit=KIT[victim.nationality],
                # a lab types Y-STRs for the paternal line, mtDNA for the maternal line
                y=person.y if Y in lines_for(rel.relationship) else None,
                mt=person.mt if MT in lines_for(rel.relationship) else None)
    return truth, rows
