"""Identification power: how likely each victim's remains would be named, were they tested.

For a victim with usable references (see `references`), simulate `simulations` times

* the LR if the tested remains **are the victim**: his genotypes drawn conditionally on
  his relatives' observed genotypes, and
* the LR if they are an **unrelated** person's: genotypes drawn from the population,

and report the sensitivity P(LR ≥ threshold | victim) and the false-positive rate
P(LR ≥ threshold | unrelated). Over the case the expected number of identifiable
victims is the sum of the sensitivities (a victim without references adds 0).

**Autosomal STRs, exact and fast.** At θ = 0 the engine's LR of a specimen genotype g
is ``P(relatives, V = g) / (P(relatives) · P(g))``, so ``LR(g) · P(g)`` is exactly
``P(V = g | relatives)`` under the pedigree, frequencies and mutation model. Per marker
one call of `kinship.match_batch` gives the LR of every possible genotype at once;
that table is both the conditional distribution of the victim's genotype and the
LR to look up, so drawing N victims is N table look-ups per marker: no rejection
sampling, no Mendelian simulation of untyped connecting people. Markers are
independent, so the total is the sum of the per-marker log10 LRs. With θ > 0 the
draws stay exact for the θ = 0 population model and the LR of each drawn genotype is
the engine's LR with θ. The remains are assumed to give a full profile at every
marker any usable relative was typed at (old bone often gives less: a partial profile
lowers these figures). Alleles outside the table's listed alleles (its "rest") are not
drawn.

**Y-STR and mtDNA.** When a relative on the victim's paternal (maternal) line has a Y
(mtDNA) haplotype and the store has a reference database for the population, the
victim's haplotype is the closest such relative's, with Y-STR one-step mutations at
`kinship.lineage.Y_MUTATION_RATE` per locus and meiosis along the meioses between
them (mtDNA without mutation); an unrelated man's is drawn from the database by its
counts. The engine's `y_lr` / `mt_lr` give each line's LR, multiplied into the total
(the lines are inherited independently of the autosomes).

Reproducible: each victim's draws come from a numpy Generator seeded with
(seed, victim ID), so one victim's figures are the same alone or in the whole case.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlmodel import Session

from chosei.errors import InvalidInput
from chosei.kinship import (
    CANDIDATE_LR_FLOOR,
    FrequencyTable,
    HaplotypeDatabase,
    KinshipError,
    MutationModel,
    Relative,
    build_pedigree,
    match_batch,
    mt_lr,
    y_lr,
)
from chosei.kinship import (
    Family as KinshipFamily,
)
from chosei.kinship.frequencies import REST_ALLELE
from chosei.kinship.genotypes import Genotype, profile_alleles
from chosei.kinship.lineage import (
    Y_MUTATION_RATE,
    LineageRelative,
    YHaplotype,
    mt_line_meioses,
    y_line_meioses,
)
from chosei.reports.common import NATIONALITIES
from chosei.reports.references import (
    Family,
    families,
    frequency_tables,
    haplotype_databases,
    populations,
)
from chosei.services.case import require_case
from chosei.services.lookup import get_victim

DEFAULT_SIMULATIONS = 1000
MAX_SIMULATIONS = 1_000_000


@dataclass(frozen=True)
class PowerSettings:
    simulations: int = DEFAULT_SIMULATIONS
    seed: int | None = None
    population: str | None = None
    threshold: float = CANDIDATE_LR_FLOOR
    theta: float = 0.0
    mutation: MutationModel | None = None
    lineage: bool = True  # False: autosomal markers alone

    def checked(self) -> PowerSettings:
        if not 1 <= self.simulations <= MAX_SIMULATIONS:
            raise InvalidInput(f"--simulations must be between 1 and {MAX_SIMULATIONS:,}, "
                               f"not {self.simulations}")
        if not (self.threshold > 0 and math.isfinite(self.threshold)):
            raise InvalidInput(f"--threshold must be a positive LR such as 10000, "
                               f"not {self.threshold}")
        if not 0 <= self.theta < 1:
            raise InvalidInput(f"--theta must be in [0, 1), not {self.theta}")
        if self.seed is not None and self.seed < 0:
            raise InvalidInput(f"--seed must be a whole number 0 or more, not {self.seed}")
        return self


def power(session: Session, victim: str | None = None,
          settings: PowerSettings | None = None) -> dict[str, Any]:
    """Power for one victim, or for every victim with the case's expected totals."""
    settings = (settings or PowerSettings()).checked()
    demo = require_case(session).demo
    seed = settings.seed
    if seed is None:
        seed = int(np.random.SeedSequence().entropy % 2**32)  # shown, so a run can be redone
    victim_id = get_victim(session, victim).id if victim is not None else None
    tables = frequency_tables(session)
    databases = haplotype_databases(session) if settings.lineage else {}
    if settings.population is not None and settings.population not in tables:
        raise InvalidInput(f"no allele frequency table for population '{settings.population}'; "
                           f"the store has: {populations(tables)}")
    results = [_victim(fam, tables, databases, settings, seed)
               for fam in families(session, victim_id)]
    expected = {nat: 0.0 for nat in NATIONALITIES}
    referenced = {nat: 0 for nat in NATIONALITIES}
    victims = {nat: 0 for nat in NATIONALITIES}
    for r in results:
        nat = r["nationality"]
        victims[nat] = victims.get(nat, 0) + 1
        if r["sensitivity"] is not None:
            referenced[nat] = referenced.get(nat, 0) + 1
            expected[nat] = expected.get(nat, 0.0) + r["sensitivity"]
    return {
        "demo": demo,
        "settings": {
            "simulations": settings.simulations, "seed": seed,
            "threshold": settings.threshold, "theta": settings.theta,
            "mutation": (settings.mutation or MutationModel()).describe(),
            "population": settings.population, "lines": settings.lineage,
        },
        "victims": results,
        "expected_identifiable": {**{k: round(v, 3) for k, v in expected.items()},
                                  "total": round(sum(expected.values()), 3)},
        "with_references": {**referenced, "total": sum(referenced.values())},
        "victim_count": {**victims, "total": sum(victims.values())},
    }


def _population(fam: Family, tables: dict[str, FrequencyTable], chosen: str | None,
                needs_table: bool) -> str:
    """The population of the tables and databases: chosen, else the victim's nationality."""
    pop = chosen or fam.nationality
    if needs_table and pop not in tables:
        raise InvalidInput(f"no allele frequency table is named after victim {fam.victim_id}'s "
                           f"nationality ({fam.nationality}); give --population (the store "
                           f"has: {populations(tables)})")
    return pop


def _victim(fam: Family, tables: dict[str, FrequencyTable],
            databases: dict[tuple[str, str], HaplotypeDatabase], settings: PowerSettings,
            seed: int) -> dict[str, Any]:
    out: dict[str, Any] = {
        "victim_id": fam.victim_id, "nationality": fam.nationality,
        "references": [{"id": r.id, "relationship": r.relationship,
                        "autosomal_markers": len(r.autosomal), "Y": r.y is not None,
                        "mt": r.mt is not None} for r in fam.references],
        "population": None, "markers": 0, "lines": [], "notes": [],
        "sensitivity": None, "false_positive_rate": None, "autosomal_sensitivity": None,
        "median_log10_lr": None, "median_log10_lr_unrelated": None,
    }
    if not fam.references:
        out["notes"].append("no usable reference: no profiled relative with consent")
        return out
    rng = np.random.default_rng([seed, zlib.crc32(fam.victim_id.encode("utf-8"))])
    n = settings.simulations
    victim_log = np.zeros(n)
    unrelated_log = np.zeros(n)
    aut_log = np.zeros(n)
    needs_table = any(r.autosomal for r in fam.references)
    pop = _population(fam, tables, settings.population, needs_table)
    out["population"] = pop
    try:
        if needs_table:
            markers, skipped = _autosomal(fam, tables[pop], settings, rng, aut_log, unrelated_log)
            victim_log += aut_log
            out["markers"] = markers
            if markers:
                out["lines"].append("autosomal")
            if skipped:
                out["notes"].append(f"markers without frequencies, left out: {', '.join(skipped)}")
        if settings.lineage:
            for line in ("Y", "mt"):
                used = _lineage(fam, line, databases.get((pop, line)), rng,
                                victim_log, unrelated_log, out["notes"])
                if used:
                    out["lines"].append(line)
    except KinshipError as exc:
        out["notes"].append(f"cannot compute: {exc}")
        return out
    if not out["lines"]:
        out["notes"].append("no reference line usable with the store's tables")
        return out
    cut = math.log10(settings.threshold)
    out["sensitivity"] = float(np.mean(victim_log >= cut))
    out["false_positive_rate"] = float(np.mean(unrelated_log >= cut))
    out["autosomal_sensitivity"] = float(np.mean(aut_log >= cut)) if out["markers"] else 0.0
    out["median_log10_lr"] = _median(victim_log)
    out["median_log10_lr_unrelated"] = _median(unrelated_log)
    return out


def _median(values: np.ndarray) -> float | None:
    m = float(np.median(values))
    return None if math.isinf(m) else round(m, 2)


def _autosomal(fam: Family, table: FrequencyTable, settings: PowerSettings,
               rng: np.random.Generator, victim_log: np.ndarray,
               unrelated_log: np.ndarray) -> tuple[int, list[str]]:
    """Add each marker's simulated log10 LRs; return (markers used, markers skipped)."""
    pedigree = build_pedigree([(r.id, r.relationship) for r in fam.references],
                              victim_sex=fam.sex, victim_id=fam.victim_id)
    in_pedigree = set(pedigree.ids)
    profiles = {r.id: {m: g for m, g in r.autosomal.items() if m in table}
                for r in fam.references if r.id in in_pedigree and r.autosomal}
    skipped = sorted({m for r in fam.references for m in r.autosomal if m not in table})
    complete = table.completed(profile_alleles(profiles.values()))
    kinds = {r.id: r.relationship for r in fam.references}
    markers = sorted({m for p in profiles.values() for m in p})
    for marker in markers:
        relatives = tuple(Relative(rid, kinds[rid], {marker: p[marker]})
                          for rid, p in profiles.items() if marker in p)
        family = KinshipFamily(fam.victim_id, relatives, fam.sex)  # type: ignore[arg-type]
        mf = complete.marker(marker)
        alleles = [a for a in mf.alleles if a != REST_ALLELE]
        freq = dict(zip(mf.alleles, mf.freqs, strict=True))
        pairs = [(a, b) for i, a in enumerate(alleles) for b in alleles[i:]]
        specimens = {str(k): {marker: Genotype.of(a, b)} for k, (a, b) in enumerate(pairs)}
        hw = np.array([freq[a] * freq[b] * (1 if a == b else 2) for a, b in pairs])
        exact = match_batch(specimens, [family], complete, mutation=settings.mutation)
        conditional = exact.lr[:, 0] * hw
        if settings.theta:
            log10 = match_batch(specimens, [family], complete, theta=settings.theta,
                                mutation=settings.mutation).log10_lr[:, 0]
        else:
            log10 = exact.log10_lr[:, 0]
        n = len(victim_log)
        victim_log += log10[rng.choice(len(pairs), size=n, p=conditional / conditional.sum())]
        unrelated_log += log10[rng.choice(len(pairs), size=n, p=hw / hw.sum())]
    return len(markers), skipped


def _lineage(fam: Family, line: str, database: HaplotypeDatabase | None,
             rng: np.random.Generator, victim_log: np.ndarray, unrelated_log: np.ndarray,
             notes: list[str]) -> bool:
    typed = [r for r in fam.references if (r.y if line == "Y" else r.mt) is not None]
    if not typed or (line == "Y" and fam.sex == "F"):
        return False
    pedigree = build_pedigree([(r.id, r.relationship) for r in typed], victim_sex=fam.sex,
                              victim_id=fam.victim_id)
    meioses = y_line_meioses if line == "Y" else mt_line_meioses
    on_line = [(k, r) for r in typed if r.id in pedigree.ids
               and (k := meioses(pedigree, r.id)) is not None]
    if not on_line:
        return False
    if database is None:
        notes.append(f"no {line} reference database for the population: {line} line left out")
        return False
    k, best = min(on_line, key=lambda kr: (kr[0], kr[1].id))
    relatives = [LineageRelative(r.id, r.relationship, r.y if line == "Y" else r.mt)
                 for _, r in on_line]  # type: ignore[arg-type]
    lr_of = _cached_lr(line, relatives, database, fam.sex)
    n = len(victim_log)
    if line == "Y":
        drawn = _mutated(best.y, k, rng, n)  # type: ignore[arg-type]
    else:
        drawn = [best.mt] * n
    victim_log += np.array([lr_of(h) for h in drawn])
    counts = np.array([c for _, c in database.entries], dtype=float)
    picks = rng.choice(len(counts), size=n, p=counts / counts.sum())
    unrelated_log += np.array([lr_of(database.entries[i][0]) for i in picks])
    return True


def _cached_lr(line: str, relatives: list[LineageRelative], database: HaplotypeDatabase,
               sex: str) -> Callable[[Any], float]:
    cache: dict[Any, float] = {}

    def lr_of(hap: Any) -> float:
        key = tuple(sorted(hap.alleles.items())) if line == "Y" else hap
        if key not in cache:
            try:
                if line == "Y":
                    lr = y_lr(hap, relatives, database, victim_sex=sex).lr  # type: ignore[arg-type]
                else:
                    lr = mt_lr(hap, relatives, database, victim_sex=sex).lr  # type: ignore[arg-type]
            except KinshipError:
                lr = 1.0  # not comparable with the database: the line says nothing
            with np.errstate(divide="ignore"):
                cache[key] = float(np.log10(lr))
        return cache[key]

    return lr_of


def _mutated(hap: YHaplotype, meioses: int, rng: np.random.Generator, n: int) -> list[YHaplotype]:
    """n copies of `hap`, each locus (and copy) stepping ±1 per mutation over `meioses`."""
    slots = [(m, i) for m, v in hap.alleles.items()
             for i in range(1 if isinstance(v, str) else len(v))]
    mutations = rng.binomial(meioses, Y_MUTATION_RATE, size=(n, len(slots)))
    out = []
    for row in range(n):
        if not mutations[row].any():
            out.append(hap)
            continue
        alleles = {m: [v] if isinstance(v, str) else list(v) for m, v in hap.alleles.items()}
        for (marker, i), count in zip(slots, mutations[row], strict=True):
            if count:
                step = int(rng.choice((-1, 1), size=count).sum())
                alleles[marker][i] = f"{float(alleles[marker][i]) + step:g}"
        out.append(YHaplotype.parse({m: ",".join(v) for m, v in alleles.items()}))
    return out
