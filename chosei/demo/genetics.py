"""Simulated DNA for the demo: population tables, founders and Mendelian transmission.

The frequency tables are fictional: bell-shaped allele spectra around East Asian modes,
jittered per population, then turned into whole allele counts out of 2N so that every
frequency is a count the stated sample size N could have produced (and the 5/2N
minimum of the kinship engine means what it says). Y-STR and mtDNA databases are drawn
from a handful of clades or haplogroups per population plus private variation, the way
real databases look: a few shared haplotypes, many seen once.

Founders draw their alleles from the same tables the kinship engine will use, so a
true relative in the demo looks like one to the maths.
"""

from __future__ import annotations

import math
import random
import re
from collections import Counter
from dataclasses import dataclass

Autosomal = dict[str, tuple[str, str]]
YHaplotype = dict[str, tuple[int, ...]]


def _ints(lo: int, hi: int) -> tuple[str, ...]:
    return tuple(str(a) for a in range(lo, hi + 1))


# Marker: (alleles, mode, spread). Alleles in ladder order; modes near East Asian data.
STR_SPEC: dict[str, tuple[tuple[str, ...], float, float]] = {
    "D3S1358": (_ints(11, 20), 15.5, 1.3),
    "vWA": (_ints(12, 21), 16.5, 1.6),
    "D16S539": (_ints(8, 14), 10.5, 1.3),
    "CSF1PO": (_ints(7, 14), 11.3, 1.0),
    "TPOX": (_ints(7, 12), 9.0, 1.5),
    "D8S1179": (_ints(9, 17), 13.5, 1.6),
    "D21S11": (("27", "28", "29", "30", "30.2", "31", "31.2", "32", "32.2", "33", "33.2",
                "34.2"), 30.5, 1.6),
    "D18S51": (_ints(11, 24), 15.5, 2.2),
    "D2S441": (("9", "9.1", "10", "11", "11.3", "12", "13", "14", "15"), 11.5, 1.8),
    "D19S433": (("11", "12", "12.2", "13", "13.2", "14", "14.2", "15", "15.2", "16", "17"),
                13.8, 1.2),
    "TH01": (("5", "6", "7", "8", "9", "9.3", "10"), 7.5, 1.4),
    "FGA": (("18", "19", "20", "21", "21.2", "22", "22.2", "23", "23.2", "24", "25", "26",
             "27"), 23.0, 1.8),
    "D22S1045": (_ints(10, 18), 15.0, 1.8),
    "D5S818": (_ints(7, 14), 11.0, 1.3),
    "D13S317": (_ints(7, 14), 10.0, 1.8),
    "D7S820": (_ints(7, 14), 11.0, 1.2),
    "D10S1248": (_ints(11, 18), 14.0, 1.2),
    "D1S1656": (("11", "12", "13", "14", "15", "15.3", "16", "16.3", "17", "17.3", "18",
                 "18.3", "19"), 15.5, 1.6),
    "D12S391": (("15", "16", "17", "17.3", "18", "18.3", "19", "19.3", "20", "21", "22",
                 "23", "24"), 19.0, 1.7),
    "D2S1338": (_ints(16, 27), 21.0, 2.2),
    "Penta E": (_ints(5, 24), 13.0, 4.0),
    "Penta D": (("2.2", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15"), 10.0,
                1.7),
    "SE33": (("14", "15", "16", "17", "18", "19", "20", "20.2", "21", "21.2", "22.2",
              "23.2", "24.2", "25.2", "26.2", "27.2", "28.2", "29.2", "30.2", "31.2"), 23.0,
             4.5),
}
MARKERS = tuple(STR_SPEC)
# What each lab's kit types: a 23-marker kit in Korea, a 21-marker one (no Penta) in Japan.
KIT_KR = MARKERS
KIT_JP = tuple(m for m in MARKERS if not m.startswith("Penta"))
# Long amplicons fail first in degraded bone; these drop out of partial profiles.
LONG_MARKERS = ("SE33", "Penta E", "D2S1338", "FGA", "D18S51", "Penta D", "D21S11", "CSF1PO")

POPULATION_SIZE = {"KR": 500, "JP": 400}  # individuals typed for each frequency table

Y_MARKERS = ("DYS19", "DYS389I", "DYS389II", "DYS390", "DYS391", "DYS392", "DYS393",
             "DYS385", "DYS437", "DYS438", "DYS439", "DYS448", "DYS456", "DYS458", "DYS635",
             "Y-GATA-H4")
# A typical East Asian modal haplotype; clades are drawn around it.
Y_MODAL: YHaplotype = {
    "DYS19": (15,), "DYS389I": (13,), "DYS389II": (29,), "DYS390": (23,), "DYS391": (10,),
    "DYS392": (13,), "DYS393": (13,), "DYS385": (13, 18), "DYS437": (14,), "DYS438": (10,),
    "DYS439": (12,), "DYS448": (19,), "DYS456": (15,), "DYS458": (17,), "DYS635": (21,),
    "Y-GATA-H4": (12,),
}
Y_DATABASE_MEN = {"KR": 420, "JP": 330}
Y_MUTATION_RATE = 0.003  # per locus per meiosis, a typical Y-STR rate
# One-step differences a man carries from his clade's haplotype, on average (Poisson). The
# demo's value gives a database of 420 men about 75 % of men with a haplotype seen once;
# tests/benchmarks/bench_degraded.py calibrates a larger one against published Korean data.
Y_PRIVATE_STEPS = 1.8

# Control-region motifs of common East Asian haplogroups (simplified), with weights.
MT_MOTIFS = {
    "D4": "16223T 16362C 73G 263G 315.1C 489C",
    "D5": "16164G 16172C 16182C 16183C 16189C 16223T 16266T 16362C 73G 150T 263G 489C",
    "M7a": "16209C 16223T 16324C 73G 199C 263G 315.1C 489C",
    "M7b": "16129A 16192T 16223T 16297C 73G 150T 199C 263G 315.1C 489C",
    "B4": "16189C 16217C 73G 263G 315.1C",
    "B5": "16140C 16189C 16266A 73G 263G 315.1C",
    "A": "16223T 16290T 16319A 16362C 73G 235G 263G 315.1C",
    "F": "16304C 73G 249d 263G 315.1C",
    "G": "16017C 16223T 16335G 73G 263G 315.1C 489C",
    "N9a": "16223T 16257A 16261T 73G 150T 263G 315.1C",
}
MT_WEIGHTS = {
    "KR": {"D4": 20, "D5": 5, "M7a": 3, "M7b": 6, "B4": 10, "B5": 5, "A": 8, "F": 6,
           "G": 7, "N9a": 6},
    "JP": {"D4": 24, "D5": 5, "M7a": 8, "M7b": 5, "B4": 8, "B5": 4, "A": 7, "F": 5,
           "G": 7, "N9a": 5},
}
MT_DATABASE_WOMEN = {"KR": 400, "JP": 300}


@dataclass(frozen=True)
class Population:
    code: str
    n: int
    alleles: dict[str, tuple[str, ...]]
    counts: dict[str, tuple[int, ...]]  # allele counts out of 2n, same order as alleles
    y_clades: tuple[tuple[YHaplotype, float], ...]
    mt_motifs: tuple[tuple[str, float], ...]

    def frequency(self, marker: str, allele: str) -> float:
        return self.counts[marker][self.alleles[marker].index(allele)] / (2 * self.n)


def _whole_counts(weights: list[float], total: int) -> tuple[int, ...]:
    """Counts summing to `total`, each at least 1, proportional to `weights`
    (largest remainder, ties to the first allele, so the result is reproducible)."""
    free = total - len(weights)
    scale = free / sum(weights)
    raw = [w * scale for w in weights]
    counts = [1 + math.floor(r) for r in raw]
    short = total - sum(counts)
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - math.floor(raw[i])), i))
    for i in order[:short]:
        counts[i] += 1
    return tuple(counts)


def _y_clades(rng: random.Random) -> list[YHaplotype]:
    clades = []
    for _ in range(14):
        hap = dict(Y_MODAL)
        for marker in rng.sample(Y_MARKERS, 5):
            hap[marker] = tuple(a + rng.choice((-2, -1, 1, 2)) for a in hap[marker])
        clades.append(hap)
    return clades


def build_populations(rng: random.Random) -> dict[str, Population]:
    """The KR and JP populations: allele counts, Y clades and mtDNA haplogroups."""
    base = {m: [rng.lognormvariate(0, 0.35) for _ in spec[0]] for m, spec in STR_SPEC.items()}
    clades = _y_clades(rng)
    pops = {}
    for code, n in POPULATION_SIZE.items():
        alleles, counts = {}, {}
        shift = rng.uniform(-0.3, 0.3)
        for marker, (names, mode, spread) in STR_SPEC.items():
            weights = [
                math.exp(-((float(a) - mode - shift) ** 2) / (2 * spread**2)) * b
                * rng.lognormvariate(0, 0.2)
                for a, b in zip(names, base[marker], strict=True)
            ]
            alleles[marker] = names
            counts[marker] = _whole_counts(weights, 2 * n)
        # Both peoples share the clades, in different proportions.
        y_weights = tuple((c, rng.uniform(0.2, 3.0)) for c in clades)
        mt = tuple(MT_WEIGHTS[code].items())
        pops[code] = Population(code, n, alleles, counts, y_weights, mt)
    return pops


# --- Founders and transmission --------------------------------------------------------


def founder(pop: Population, rng: random.Random) -> Autosomal:
    """An unrelated person of the population: two alleles per marker."""
    person: Autosomal = {}
    for m in MARKERS:
        a, b = rng.choices(pop.alleles[m], weights=pop.counts[m], k=2)
        person[m] = (a, b)
    return person


def child(father: Autosomal, mother: Autosomal, rng: random.Random) -> Autosomal:
    """One allele from each parent per marker (no mutation: a demo match stays clean)."""
    return {m: (rng.choice(father[m]), rng.choice(mother[m])) for m in MARKERS}


def y_founder(pop: Population, rng: random.Random, private: float = Y_PRIVATE_STEPS) -> YHaplotype:
    """An unrelated man's haplotype: his clade's, with `private` one-step differences on
    average (Poisson)."""
    clade = rng.choices([c for c, _ in pop.y_clades], weights=[w for _, w in pop.y_clades])[0]
    hap = dict(clade)
    for _ in range(_poisson(rng, private)):
        marker = rng.choice(Y_MARKERS)
        values = list(hap[marker])
        i = rng.randrange(len(values))
        values[i] += rng.choice((-1, 1))
        hap[marker] = tuple(values)
    return hap


def y_transmit(hap: YHaplotype, rng: random.Random) -> YHaplotype:
    """Father to son: each locus mutates one step with the per-meiosis rate."""
    out = {}
    for marker in Y_MARKERS:
        values = list(hap[marker])
        for i in range(len(values)):
            if rng.random() < Y_MUTATION_RATE:
                values[i] += rng.choice((-1, 1))
        out[marker] = tuple(values)
    return out


_POSITION = re.compile(r"\d+")


def mt_founder(pop: Population, rng: random.Random) -> str:
    motif = rng.choices([m for m, _ in pop.mt_motifs], weights=[w for _, w in pop.mt_motifs])[0]
    variants = MT_MOTIFS[motif].split()
    used = {int(_POSITION.match(v).group()) for v in variants}  # type: ignore[union-attr]  # motifs start with a position
    for _ in range(_poisson(rng, 1.2)):
        pos = rng.randint(16024, 16365) if rng.random() < 0.8 else rng.randint(60, 340)
        if pos not in used:
            used.add(pos)
            variants.append(f"{pos}{rng.choice('ACGT')}")
    return mt_text(variants)


def _poisson(rng: random.Random, mean: float) -> int:
    # Knuth's method: few draws for these small means, and only `rng` is used.
    limit, k, p = math.exp(-mean), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


# --- Rows -------------------------------------------------------------------------


# The store keeps haplotypes as one canonical text so a count is found by equality
# (the exchange workbook's spelling): Y `DYS19=15;DYS385=13,18;…` with the markers
# sorted, mtDNA the variants sorted as text and space-separated.
def y_text(hap: YHaplotype) -> str:
    return ";".join(f"{m}={','.join(str(a) for a in sorted(hap[m]))}" for m in sorted(hap))


def mt_text(variants: list[str]) -> str:
    return " ".join(sorted(set(variants)))


def frequency_rows(pops: dict[str, Population]) -> list[dict[str, object]]:
    rows = []
    for pop in pops.values():
        for marker in MARKERS:
            for allele, count in zip(pop.alleles[marker], pop.counts[marker], strict=True):
                rows.append({"population": pop.code, "marker": marker, "allele": allele,
                             "frequency": count / (2 * pop.n), "sample_size": pop.n})
    return rows


def haplotype_rows(pops: dict[str, Population], rng: random.Random,
                   y_private: float = Y_PRIVATE_STEPS) -> list[dict[str, object]]:
    """Y-STR and mtDNA reference databases, counted from simulated unrelated people
    (`y_private`: as `y_founder`'s `private`)."""
    rows = []
    for pop in pops.values():
        y = Counter(y_text(y_founder(pop, rng, y_private)) for _ in range(Y_DATABASE_MEN[pop.code]))
        mt = Counter(mt_founder(pop, rng) for _ in range(MT_DATABASE_WOMEN[pop.code]))
        for kind, counted in (("Y", y), ("mt", mt)):
            for hap, count in sorted(counted.items()):
                rows.append({"population": pop.code, "kind": kind, "haplotype": hap,
                             "count": count})
    return rows


def _allele_key(allele: str) -> float:
    return float(allele)


def genotype_rows(sample_id: str, auto: Autosomal | None, *, kit: tuple[str, ...] = MARKERS,
                  y: YHaplotype | None = None, mt: str | None = None,
                  untyped: frozenset[str] = frozenset(),
                  dropped: frozenset[str] = frozenset()) -> list[dict[str, object]]:
    """The Genotype rows a lab would report: `untyped` markers are left out (no result),
    and a heterozygote at a `dropped` marker shows one allele only (allele drop-out)."""
    rows: list[dict[str, object]] = []
    if auto is not None:
        for marker in kit:
            if marker in untyped:
                continue
            a, b = sorted(auto[marker], key=_allele_key)
            # The longer allele amplifies worse from degraded DNA, so it is the one lost.
            allele2 = None if marker in dropped else b
            rows.append({"sample_id": sample_id, "marker": marker, "allele1": a, "allele2": allele2})
    if y is not None:
        for marker in Y_MARKERS:
            if marker in untyped:
                continue
            values = sorted(y[marker])
            rows.append({"sample_id": sample_id, "marker": marker, "allele1": str(values[0]),
                         "allele2": str(values[1]) if len(values) > 1 else None})
    if mt is not None:
        rows.append({"sample_id": sample_id, "marker": "mtDNA", "allele1": mt, "allele2": None})
    return rows
