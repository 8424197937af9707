"""Kinship LRs from dense biallelic SNPs, linkage accounted for.

The LR that a specimen is victim V, given the SNP calls of V's donor relatives:

    LR = P(specimen, donors | pedigree) / (P(specimen) · P(donors | pedigree without V))

Both likelihoods are exact hidden-Markov sums over the inheritance vectors of
`snp_linkage` (Lander–Green): recombination between adjacent SNPs from the genetic
map (Haldane), independence between chromosomes, alleles in Hardy–Weinberg and
linkage equilibrium at theta = 0. The default uses every SNP the panel and the
frequency table share (``selection="linked"``); ``selection="unlinked"`` keeps a
subset at least `min_cm` apart with minor-allele frequency at least `min_maf` (as
KinSNP-LR does) and multiplies per-SNP pedigree LRs -- the same engine with r = ½
between the kept SNPs. docs/kinship.md says why the linked model is the default.

Calls are int8 codes: 0, 1, 2 copies of the ALT allele, `MISSING` (-1) for no call.
Each call of every typed person is wrong with probability `epsilon`, then one of the
two other genotypes equally (so one wrong call never excludes); a missing call
contributes a factor 1 at its locus.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import product
from typing import Any

import numpy as np
from numpy.typing import NDArray
from threadpoolctl import threadpool_limits

from chosei.i18n import _
from chosei.kinship.errors import InconsistentFamilyError, KinshipInputError
from chosei.kinship.pedigree import Pedigree
from chosei.kinship.snp_linkage import LinkageModel, factors, haldane, kron_factors, transition_matrices

MISSING = -1
DEFAULT_EPSILON = 0.01
"""Per-call genotyping error rate: twice the 0.5 % wrong calls of degraded-bone MPS."""
DEFAULT_MIN_CM = 30.0
DEFAULT_MIN_MAF = 0.2
_BLOCK_BYTES = 128 * 1024 * 1024


@dataclass(frozen=True)
class SnpMap:
    """The SNPs compared, in chromosome then map order: ALT frequency and position."""

    chrom: NDArray[Any]  # chromosome names or numbers
    cm: NDArray[np.float64]
    af: NDArray[np.float64]

    def __post_init__(self) -> None:
        n = len(self.af)
        if len(self.chrom) != n or len(self.cm) != n:
            raise KinshipInputError(_("chrom, cm and af must have one entry per SNP"))
        af = np.asarray(self.af, dtype=float)
        if n and not (np.all(af > 0.0) and np.all(af < 1.0)):
            raise KinshipInputError(_("every SNP's ALT frequency must lie strictly between 0 and 1"))
        cm = np.asarray(self.cm, dtype=float)
        same = np.asarray(self.chrom[1:]) == np.asarray(self.chrom[:-1])
        if np.any(np.isnan(cm)) or np.any(np.diff(cm)[same] < 0):
            raise KinshipInputError(_("SNPs must come sorted by chromosome and map position, every one with a cM"))

    def __len__(self) -> int:
        return len(self.af)

    def recombination(self) -> NDArray[np.float64]:
        """r of the interval ending at each SNP (the first SNP's entry is unused)."""
        r = np.full(len(self), 0.5)
        same = np.asarray(self.chrom[1:]) == np.asarray(self.chrom[:-1])
        r[1:][same] = haldane(np.diff(np.asarray(self.cm, dtype=float))[same])
        return r

    def subset(self, keep: NDArray[np.intp]) -> SnpMap:
        return SnpMap(np.asarray(self.chrom)[keep], np.asarray(self.cm)[keep], np.asarray(self.af)[keep])


def select_unlinked(snps: SnpMap, min_cm: float = DEFAULT_MIN_CM, min_maf: float = DEFAULT_MIN_MAF) -> NDArray[np.intp]:
    """Indices of SNPs at least `min_cm` apart on a chromosome, each with MAF >= `min_maf`.

    Greedy along each chromosome, in map order: a stable, documented choice.
    """
    maf = np.minimum(snps.af, 1.0 - np.asarray(snps.af))
    keep: list[int] = []
    last_chrom, last_cm = None, -np.inf
    for i in range(len(snps)):
        if maf[i] < min_maf:
            continue
        if snps.chrom[i] != last_chrom:
            last_chrom, last_cm = snps.chrom[i], -np.inf
        if snps.cm[i] - last_cm >= min_cm:
            keep.append(i)
            last_cm = snps.cm[i]
    return np.asarray(keep, dtype=np.intp)


def error_matrix(epsilon: float) -> NDArray[np.float64]:
    """P(observed code | true genotype), rows true 0..2, columns observed 0..2 and missing."""
    if not 0.0 <= epsilon < 0.5:
        raise KinshipInputError(_("epsilon {epsilon!r} must be at least 0 and below 0.5").format(epsilon=epsilon))
    m = np.full((3, 4), epsilon / 2.0)
    np.fill_diagonal(m, 1.0 - epsilon)
    m[:, 3] = 1.0
    return m


def genotype_probability(af: NDArray[np.float64], calls: NDArray[np.int8], epsilon: float) -> NDArray[np.float64]:
    """P(observed call) per SNP for an unrelated person (1 where missing)."""
    p = np.asarray(af, dtype=float)
    hwe = np.stack([(1 - p) ** 2, 2 * p * (1 - p), p**2])  # (3, L)
    err = error_matrix(epsilon)
    probability: NDArray[np.float64] = np.einsum("tl,tl->l", hwe, err[:, _codes(calls)])
    return probability


def _codes(calls: NDArray[np.int8]) -> NDArray[np.intp]:
    c = np.asarray(calls).astype(np.intp)
    return np.where(c == MISSING, 3, c)


def _pattern_emissions(
    pattern: tuple[int, ...], af: NDArray[np.float64], donor_codes: list[NDArray[np.intp]], err: NDArray[np.float64],
) -> NDArray[np.float64]:
    """(L, 4) P(specimen code, donors' calls | founder-gene pattern) per SNP.

    Person 0 of the pattern is the specimen (V); persons 1.. are the donors.
    """
    n_genes = max(pattern) + 1
    p = np.asarray(af, dtype=float)
    out = np.zeros((p.size, 4))
    for alleles in product((0, 1), repeat=n_genes):
        weight = np.ones(p.size)
        for a in alleles:
            weight = weight * (p if a else 1.0 - p)
        for k, codes in enumerate(donor_codes, start=1):
            true = alleles[pattern[2 * k]] + alleles[pattern[2 * k + 1]]
            weight = weight * err[true, codes]
        out += weight[:, None] * err[alleles[pattern[0]] + alleles[pattern[1]]][None, :]
    return out


@dataclass(frozen=True)
class SnpFamily:
    """V (`pedigree.victim`) with donors typed at the SNPs: {person id: calls}."""

    pedigree: Pedigree
    donors: Mapping[str, NDArray[np.int8]]


class _Prepared:
    def __init__(self, family: SnpFamily, snps: SnpMap, err: NDArray[np.float64]) -> None:
        victim = family.pedigree.victim
        donor_ids = tuple(family.donors)
        if not donor_ids:
            raise KinshipInputError(_("victim {victim!r} has no donor with SNP calls").format(victim=victim))
        if victim in family.donors:
            raise KinshipInputError(_("the victim cannot also be a donor"))
        self.model = LinkageModel.of(family.pedigree, (victim, *donor_ids))
        codes = []
        for pid in donor_ids:
            calls = np.asarray(family.donors[pid])
            if calls.shape != (len(snps),):
                raise KinshipInputError(_("donor {pid!r} has {calls_size} calls; the SNP map has {n_snps}").format(
                                            pid=pid, calls_size=calls.size, n_snps=len(snps)))
            codes.append(_codes(calls))
        self.codes, self.af, self.err = codes, snps.af, err

    def emissions(self) -> NDArray[np.float64]:
        """(L, 4, S), built when its chunk is computed: all families' at once would take GBs."""
        distinct = sorted(set(self.model.patterns))
        tables = np.stack([_pattern_emissions(pt, self.af, self.codes, self.err) for pt in distinct])  # (P, L, 4)
        index = np.array([distinct.index(pt) for pt in self.model.patterns])
        return np.ascontiguousarray(tables[index].transpose(1, 2, 0))


_DENSE_MAX_STATES = 32
"""Up to this many states a step is one product with the S x S matrix; above it the
matrix (S² per locus: gigabytes over 10,000 SNPs) is applied as the Kronecker product
of two halves, S1 x S1 and S2 x S2 (S·(S1 + S2) per step). The dense step is the oracle
of the split one in the tests."""


def _forward(
    emissions: NDArray[np.float64], layout: tuple[tuple[int, ...], int], r: NDArray[np.float64], codes: NDArray[np.intp]
) -> NDArray[np.float64]:
    """log-likelihoods (F, n) of n specimens' codes (n, L) for F families sharing a layout.

    `emissions` (F, L, 4, S); `r[l]` the recombination fraction before locus l.
    """
    f, n_snps, _, s = emissions.shape
    n = codes.shape[0]
    if s <= _DENSE_MAX_STATES:
        dense, halves = transition_matrices(layout, r), None
    else:
        parts = factors(layout)
        bits, half = 0, 0
        while bits < s.bit_length() // 2:
            bits += parts[half][1]
            half += 1
        dense, halves = None, (kron_factors(parts[:half], r), kron_factors(parts[half:], r))
    alpha = np.full((f * n, s), 1.0 / s)
    loglik = np.zeros(f * n)
    for locus in range(n_snps):
        if locus and dense is not None:
            alpha = alpha @ dense[locus]
        elif locus and halves is not None:
            t1, t2 = halves[0][locus], halves[1][locus]
            s1, s2 = t1.shape[0], t2.shape[0]
            a = (alpha.reshape(-1, s2) @ t2).reshape(-1, s1, s2).transpose(0, 2, 1).reshape(-1, s1) @ t1
            alpha = a.reshape(-1, s2, s1).transpose(0, 2, 1).reshape(f * n, s)
        alpha = alpha.reshape(f, n, s)
        alpha *= emissions[:, locus][:, codes[:, locus], :]
        alpha = alpha.reshape(f * n, s)
        scale = alpha.sum(axis=1)
        with np.errstate(divide="ignore"):
            loglik += np.log(scale)
        alpha /= np.where(scale > 0, scale, 1.0)[:, None]
    return loglik.reshape(f, n)


def snp_lr_batch(
    families: Sequence[SnpFamily],
    specimens: NDArray[np.int8],
    snps: SnpMap,
    *,
    epsilon: float = DEFAULT_EPSILON,
) -> NDArray[np.float64]:
    """log10 LR (families × specimens); -inf where a specimen is excluded (only if epsilon = 0).

    `specimens` is (n, L) int8 calls aligned with `snps`, as are the donors' calls.
    To use the unlinked selection, pass `snps.subset(keep)` with r = ½ between the kept
    SNPs -- `unlinked_map` does both.
    """
    # one BLAS thread: the products here are narrow (S <= 128 columns), where OpenBLAS's
    # threads cost more CPU than they save (3-10x measured on 2 cores)
    with threadpool_limits(limits=1, user_api="blas"):
        return _lr_batch(families, specimens, snps, epsilon)


def _lr_batch(
    families: Sequence[SnpFamily], specimens: NDArray[np.int8], snps: SnpMap, epsilon: float,
) -> NDArray[np.float64]:
    err = error_matrix(epsilon)
    specimens = np.asarray(specimens)
    if specimens.ndim != 2 or specimens.shape[1] != len(snps):
        raise KinshipInputError(_("specimen calls must be an (n, {n_snps}) array aligned with the SNP map").format(
                                    n_snps=len(snps)))
    codes = _codes(specimens)
    prepared = [_Prepared(fam, snps, err) for fam in families]
    r = snps.recombination()
    log_h2 = np.array([np.log(genotype_probability(snps.af, row, epsilon)).sum() for row in specimens])
    out = np.empty((len(families), len(specimens)))
    by_layout: dict[tuple[tuple[int, ...], int], list[int]] = {}
    for i, prep in enumerate(prepared):
        by_layout.setdefault(prep.model.layout, []).append(i)
    absent = np.full((1, len(snps)), 3, dtype=np.intp)
    for layout, members in by_layout.items():
        states = prepared[members[0]].model.states
        per_family = (len(snps) * 4 + 4 * len(specimens)) * states * 8  # emissions + forward temporaries
        step = max(1, _BLOCK_BYTES // per_family)
        for start in range(0, len(members), step):
            chunk = members[start : start + step]
            emissions = np.stack([prepared[i].emissions() for i in chunk])
            donors_only = _forward(emissions, layout, r, absent)[:, 0]
            if np.any(~np.isfinite(donors_only)):
                bad = next(i for i, v in zip(chunk, donors_only, strict=True) if not np.isfinite(v))
                raise InconsistentFamilyError(
                    _("the donors of victim {pedigree_victim!r} cannot be related as stated at epsilon 0; allow "
                      "genotyping errors (epsilon > 0) or check the relationships").format(
                        pedigree_victim=families[bad].pedigree.victim)
                )
            joint = _forward(emissions, layout, r, codes)
            out[chunk] = (joint - donors_only[:, None] - log_h2[None, :]) / np.log(10.0)
    return out


def unlinked_map(
    snps: SnpMap, min_cm: float = DEFAULT_MIN_CM, min_maf: float = DEFAULT_MIN_MAF
) -> tuple[NDArray[np.intp], SnpMap]:
    """(kept indices, a map of the kept SNPs on separate 'chromosomes': r = ½ between all)."""
    keep = select_unlinked(snps, min_cm, min_maf)
    return keep, SnpMap(np.arange(keep.size), np.zeros(keep.size), np.asarray(snps.af)[keep])
