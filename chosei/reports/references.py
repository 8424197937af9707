"""The reference data of the store, read for the kinship engine: families, tables, databases.

A victim's *references* are his usable relatives (profiled, with an active consent for
analysis: the rule of `services/stages.py`), each with the autosomal profile, Y-STR
haplotype and mtDNA haplotype their samples' genotype rows hold. Marker names decide
the kind: `mtDNA` is the mitochondrial haplotype, `DYS…`, `DYF…` and `Y-GATA…` are
Y-STRs, amelogenin is left out, everything else is an autosomal STR. A relative with
several typed samples contributes each marker once (the sample with the highest ID).

Frequency tables come from `AlleleFrequency` (one per population) and the Y and mtDNA
reference databases from `HaplotypeCount`. Everything is read in five statements.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from chosei.errors import InvalidInput
from chosei.kinship import FrequencyTable, HaplotypeDatabase, KinshipError, MtHaplotype, YHaplotype
from chosei.kinship.genotypes import Genotype, normalise_marker
from chosei.models import AlleleFrequency, HaplotypeCount, Relative, Sample, Victim
from chosei.models import Genotype as GenotypeRow
from chosei.services.stages import relative_ranks

USABLE_RANK = 4
_Y_MARKER = re.compile(r"^(DYS|DYF|YGATA)")
_AMEL = frozenset({"AMEL", "AMELOGENIN"})


def marker_kind(marker: str) -> str:
    """`mt`, `Y`, `amel` or `autosomal` for a marker name as the store keeps it."""
    key = normalise_marker(marker)
    if key in ("MTDNA", "MT"):
        return "mt"
    if key in _AMEL:
        return "amel"
    return "Y" if _Y_MARKER.match(key) else "autosomal"


@dataclass
class Reference:
    """One usable relative and what its samples were typed for."""

    id: str
    relationship: str
    autosomal: dict[str, Genotype] = field(default_factory=dict)
    y: YHaplotype | None = None
    mt: MtHaplotype | None = None


@dataclass
class Family:
    victim_id: str
    nationality: str
    sex: str
    references: list[Reference]


def families(session: Session, victim_id: str | None = None) -> list[Family]:
    """Every victim (or one) with his usable references, in victim ID order."""
    query = select(Victim.id, Victim.nationality, Victim.sex).order_by(Victim.id)
    if victim_id is not None:
        query = query.where(Victim.id == victim_id)
    victims = session.execute(query).all()
    ranks = relative_ranks()
    usable = Relative.id.in_(select(ranks.c.relative_id).where(ranks.c.rank >= USABLE_RANK))
    rel_query = select(Relative.id, Relative.victim_id, Relative.relationship).where(usable)
    gen_query = (
        select(Relative.id, GenotypeRow.marker, GenotypeRow.allele1, GenotypeRow.allele2)
        .join(Sample, Sample.relative_id == Relative.id)
        .join(GenotypeRow, GenotypeRow.sample_id == Sample.id)
        .where(usable)
        .order_by(Relative.id, Sample.id)
    )
    if victim_id is not None:
        rel_query = rel_query.where(Relative.victim_id == victim_id)
        gen_query = gen_query.where(Relative.victim_id == victim_id)
    refs: dict[str, tuple[str, Reference]] = {
        r.id: (r.victim_id, Reference(r.id, r.relationship))
        for r in session.execute(rel_query.order_by(Relative.id)).all()
    }
    raw: dict[str, dict[str, tuple[str | None, str | None]]] = {}
    for rid, marker, a1, a2 in session.execute(gen_query).all():
        raw.setdefault(rid, {})[marker] = (a1, a2)  # a later sample overrides
    for rid, markers in raw.items():
        if rid in refs:
            _fill(refs[rid][1], markers)
    by_victim: dict[str, list[Reference]] = {}
    for vid, ref in refs.values():
        if ref.autosomal or ref.y or ref.mt:
            by_victim.setdefault(vid, []).append(ref)
    return [Family(v.id, v.nationality, "F" if v.sex == "F" else "M", by_victim.get(v.id, []))
            for v in victims]


def _fill(ref: Reference, markers: dict[str, tuple[str | None, str | None]]) -> None:
    y: dict[str, str] = {}
    try:
        for marker, (a1, a2) in markers.items():
            kind = marker_kind(marker)
            if kind == "mt" and a1:
                ref.mt = MtHaplotype.parse(a1, ranges=a2)
            elif kind == "Y" and a1:
                y[marker] = ",".join(a for a in (a1, a2) if a)
            elif kind == "autosomal" and (a1 or a2):
                first, second = (a1, a2) if a1 else (a2, None)
                ref.autosomal[normalise_marker(marker)] = Genotype.of(first, second,
                                                                      marker=marker)
        if y:
            ref.y = YHaplotype.parse(y)
    except KinshipError as exc:
        raise InvalidInput(f"relative {ref.id}: {exc}; correct the profile") from None


def frequency_tables(session: Session) -> dict[str, FrequencyTable]:
    rows = session.execute(
        select(AlleleFrequency.population, AlleleFrequency.marker, AlleleFrequency.allele,
               AlleleFrequency.frequency, AlleleFrequency.sample_size)
    ).all()
    freqs: dict[str, dict[str, dict[str, float]]] = {}
    sizes: dict[str, dict[str, int]] = {}
    for pop, marker, allele, p, n in rows:
        if marker_kind(marker) != "autosomal":
            continue
        freqs.setdefault(pop, {}).setdefault(marker, {})[allele] = p
        if n:
            sizes.setdefault(pop, {})[marker] = max(n, sizes.get(pop, {}).get(marker, 0))
    try:
        return {pop: FrequencyTable(pop, table, sizes.get(pop)) for pop, table in freqs.items()}
    except KinshipError as exc:
        raise InvalidInput(f"the allele frequency table is not usable: {exc}") from None


def _y_text(text: str) -> dict[str, str]:
    out = {}
    for part in re.split(r"[;\s]+", text.strip()):
        if part:
            marker, _, alleles = part.partition("=")
            out[marker] = alleles
    return out


def haplotype_databases(session: Session) -> dict[tuple[str, str], HaplotypeDatabase]:
    """(population, `Y` or `mt`) → the reference database."""
    rows = session.execute(
        select(HaplotypeCount.population, HaplotypeCount.kind, HaplotypeCount.haplotype,
               HaplotypeCount.count).order_by(HaplotypeCount.id)
    ).all()
    entries: dict[tuple[str, str], list[tuple[Any, int]]] = {}
    for pop, kind, text, count in rows:
        try:
            hap = YHaplotype.parse(_y_text(text)) if kind == "Y" else MtHaplotype.parse(text)
        except KinshipError as exc:
            raise InvalidInput(f"haplotype '{text}' of population {pop}: {exc}") from None
        entries.setdefault((pop, "Y" if kind == "Y" else "mt"), []).append((hap, count))
    return {key: HaplotypeDatabase(key[0], tuple(e)) for key, e in entries.items()}


def populations(tables: Iterable[str]) -> str:
    return ", ".join(sorted(tables)) or "none"
