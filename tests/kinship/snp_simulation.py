"""Genotypes dropped down a pedigree with recombination, for the SNP engine's tests.

Independent of the engine: gametes are built marker by marker from a Haldane
crossover process (switch parental haplotype with the interval's r), founders draw
haplotypes from the ALT frequencies. Fictional data only.
"""

from __future__ import annotations

import numpy as np

from chosei.kinship.pedigree import Pedigree
from chosei.kinship.snp_lr import MISSING, SnpMap


def gamete(rng: np.random.Generator, haplotypes: np.ndarray, r: np.ndarray) -> np.ndarray:
    """One recombinant gamete from a (2, L) pair of haplotypes; r[0] is ignored (start at ½)."""
    switch = rng.random(r.size) < r
    switch[0] = rng.random() < 0.5
    which = np.cumsum(switch) % 2
    return haplotypes[which, np.arange(r.size)]


def drop(rng: np.random.Generator, pedigree: Pedigree, snps: SnpMap) -> dict[str, np.ndarray]:
    """Genotypes (ALT counts, int8) of everyone in `pedigree`."""
    r = snps.recombination()
    haps: dict[str, np.ndarray] = {}
    for person in pedigree.persons:
        if person.is_founder:
            haps[person.id] = (rng.random((2, len(snps))) < snps.af).astype(np.int8)
        else:
            haps[person.id] = np.stack([gamete(rng, haps[person.father], r), gamete(rng, haps[person.mother], r)])
    return {pid: h.sum(axis=0).astype(np.int8) for pid, h in haps.items()}


def unrelated(rng: np.random.Generator, snps: SnpMap, n: int) -> np.ndarray:
    """(n, L) genotypes of unrelated people."""
    return (rng.random((n, 2, len(snps))) < snps.af).sum(axis=1).astype(np.int8)


def degrade(rng: np.random.Generator, calls: np.ndarray, missing: float, wrong: float) -> np.ndarray:
    """Calls with a share `missing` dropped and a share `wrong` replaced by another genotype."""
    out = calls.copy()
    bad = rng.random(out.shape) < wrong
    out[bad] = (out[bad] + rng.integers(1, 3, size=int(bad.sum()))) % 3
    out[rng.random(out.shape) < missing] = MISSING
    return out


def linked_map(rng: np.random.Generator, n_snps: int, chromosomes: int = 22, length_cm: float = 150.0) -> SnpMap:
    """`n_snps` SNPs spread over `chromosomes` of `length_cm` each, MAF 0.1-0.5."""
    chrom = np.sort(rng.integers(1, chromosomes + 1, size=n_snps))
    cm = np.empty(n_snps)
    for c in np.unique(chrom):
        at = chrom == c
        cm[at] = np.sort(rng.random(at.sum()) * length_cm)
    af = rng.uniform(0.1, 0.9, size=n_snps)
    return SnpMap(chrom, cm, af)


def third_degree(kind: str, victim: str = "V", donor: str = "D") -> Pedigree:
    """Third-degree pedigrees the vocabulary cannot write yet: a great-nephew (brother's
    son's son) or a first cousin (father's brother's son), built directly."""
    from chosei.kinship.pedigree import Person

    def p(pid, sex, father=None, mother=None, typed=False):
        return Person(pid, sex, father, mother, pid, typed)

    if kind == "great-nephew":
        people = [p("F", "M"), p("M", "F"), p(victim, "M", "F", "M", True), p("B", "M", "F", "M"), p("BW", "F"),
                  p("BS", "M", "B", "BW"), p("BSW", "F"), p(donor, "M", "BS", "BSW", True)]  # fmt: skip
    elif kind == "first cousin":
        people = [p("GF", "M"), p("GM", "F"), p("F", "M", "GF", "GM"), p("M", "F"), p(victim, "M", "F", "M", True),
                  p("U", "M", "GF", "GM"), p("UW", "F"), p(donor, "M", "U", "UW", True)]  # fmt: skip
    else:
        raise ValueError(kind)
    return Pedigree(tuple(people), victim)
