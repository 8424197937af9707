"""Allele dropout and drop-in in a degraded specimen's observation.

Bone that spent decades in seawater gives little DNA: an allele of the true genotype
may not be seen (*dropout*) and a stray allele may be (*drop-in*). Without a model a
true ``12/14`` typed as ``12/12`` is an exclusion. The model is the semi-continuous
one of Gill et al. (2000) and Balding & Buckleton (2009), as Familias 3 and the R
packages relMix/forensim implement it (Haned et al. 2012, appendix; Egeland, Kling &
Mostad, *Relationship Inference with Familias and R*, 2016, ch. 5). Given the true
genotype ``g`` of the specimen and the set ``O`` of alleles the lab reported:

* each allele copy drops out independently with probability ``d``: an allele of a
  heterozygote ``a/b`` is seen with probability ``1 - d``; the allele of a homozygote
  ``a/a`` (two copies) is missed only if both are, probability ``d²`` (relMix's
  ``c(d, d^2)`` convention);
* the alleles of ``g`` in ``O`` survived, those not in ``O`` dropped out;
* the alleles of ``O`` not in ``g`` dropped in, each with probability ``c · p_x``
  (``p_x`` its frequency); if none did, the factor is ``1 - c``.

So, for example, ``P(O = {12} | 12/14) = d (1 - d) (1 - c)``, ``P(O = {12} | 12/12)
= (1 - d²)(1 - c)``, ``P(O = {12} | 15/16) = d² c p_12`` and ``P(O = {12, 14} | 12/12)
= (1 - d²) c p_14``. A specimen typed ``12/12`` is read as ``O = {12}``. A partial
genotype ``12/-`` (the lab declared the second allele unreadable) keeps its meaning
without the model: every genotype holding 12 fits. An untyped marker is ``O = {}``,
``d² (1 - c)`` whatever ``g``: it still carries no information.

The references (relatives' blood or saliva) are good-quality DNA and read as typed;
only the specimen's observation has the model. With ``d = c = 0`` the probability is
the usual indicator, but callers keep their exact path for that case so published
numbers reproduce bit for bit.

Every ``P(O | g)`` is a polynomial of degree 2 in ``d`` (survival factors ``1 - d``,
``d``, ``1 - d²``, ``d²``, products of at most two), so `observation_terms` returns
three matrices ``A0, A1, A2`` with ``P = A0 + d A1 + d² A2``: a batch contracts the
victims' tables with them once, and each specimen's own ``d`` costs two
multiply-adds per pair.

`estimate_dropout` gives a specimen's ``d`` from its own profile.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from functools import lru_cache

import numpy as np

from chosei.kinship.errors import KinshipInputError
from chosei.kinship.frequencies import FrequencyTable
from chosei.kinship.genotypes import Genotype

DEFAULT_DROP_IN = 0.05
"""Drop-in rate per marker: the value of Familias' and relMix's examples, and the upper end
of what laboratories report for low-template work (0.01-0.05); see docs/kinship.md."""

MIN_DROPOUT = 0.01
"""Least dropout an estimated specimen gets: even a full-looking profile of old bone
may have lost an allele, and a 20-marker profile cannot tell 0 from 0.01."""

MAX_DROPOUT = 0.6
"""Most dropout an estimate gives: beyond it a profile is mostly noise and the LR is
dominated by the model, not the data; give --dropout explicitly to go further."""

_GRID = np.linspace(0.0, 0.99, 991)  # candidate d values of the estimate, step 0.001


def check_rates(dropout: float, drop_in: float) -> None:
    """Refuse a dropout probability outside [0, 1) or a drop-in rate outside [0, 1)."""
    for name, value in (("dropout probability", dropout), ("drop-in rate", drop_in)):
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value < 1:
            raise KinshipInputError(f"the {name} must be a number in [0, 1), not {value!r}")


@lru_cache(maxsize=64)
def genotype_pairs(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Allele indices (i, j), i <= j, of every full genotype in `tables.index_of` order."""
    i, j = np.triu_indices(n)
    for arr in (i, j):
        arr.setflags(write=False)
    return i, j


def observation_terms(
    observations: Sequence[tuple[int, int | None]], freqs: np.ndarray, drop_in: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(A0, A1, A2), each (len(observations), n(n+1)/2): ``P(O | g) = A0 + d A1 + d² A2``.

    Rows are the observations (allele indices ``(a, b)``; ``(a, a)`` is one allele seen;
    ``(a, None)`` a partial genotype), columns the full genotypes in `genotype_pairs`
    order.
    """
    n = len(freqs)
    gi, gj = genotype_pairs(n)
    hom = gi == gj
    shape = (len(observations), len(gi))
    a0, a1, a2 = np.zeros(shape), np.zeros(shape), np.zeros(shape)
    for row, (a, b) in enumerate(observations):
        if b is None:
            a0[row] = (gi == a) | (gj == a)
            continue
        seen = {a, b}
        in_i = np.isin(gi, list(seen))
        in_j = np.isin(gj, list(seen))
        # drop-in: observed alleles the genotype does not hold, each c·p_x; none: 1 - c
        factor = np.ones(len(gi))
        for x in seen:
            unexplained = (gi != x) & (gj != x)
            factor = np.where(unexplained, factor * drop_in * freqs[x], factor)
        explained = np.ones(len(gi), dtype=bool)
        for x in seen:
            explained &= ~((gi != x) & (gj != x))
        factor = np.where(explained, factor * (1.0 - drop_in), factor)
        # survival of the genotype's own alleles, as coefficients of 1, d, d²
        both = (~hom & in_i & in_j).astype(float)  # (1-d)²
        one = (~hom & (in_i ^ in_j)).astype(float)  # (1-d) d
        none = (~in_i & ~in_j).astype(float)  # d² (either zygosity)
        hom_seen = (hom & in_i).astype(float)  # 1 - d²
        a0[row] = factor * (both + hom_seen)
        a1[row] = factor * (-2.0 * both + one)
        a2[row] = factor * (both - one + none - hom_seen)
    return a0, a1, a2


def probability(terms: tuple[np.ndarray, np.ndarray, np.ndarray], dropout: float | np.ndarray) -> np.ndarray:
    """``A0 + d A1 + d² A2`` (rows: observations; `dropout` a number or one per row)."""
    a0, a1, a2 = terms
    d = np.asarray(dropout, dtype=float)
    if d.ndim:
        d = d[:, None]
    return a0 + d * a1 + d * d * a2


def estimate_dropout(profile: Mapping[str, Genotype], table: FrequencyTable) -> float:
    """A specimen's dropout probability from its own profile, in [MIN_DROPOUT, MAX_DROPOUT].

    The maximum-likelihood ``d`` given how many typed markers show two alleles and how
    many one: at a marker with homozygosity ``h = Σ p²`` (from `table`), a typed marker
    shows two alleles with probability ``(1 - h)(1 - d) / (1 + d)`` (a heterozygote
    with neither allele lost, given that something was seen). Partial genotypes
    (``12/-``) count as one allele seen; untyped markers are left out, since a
    missing marker may just not be in the kit. Drop-in is ignored here (it is rare
    and would make a one-allele marker look better). Clipped to the bounds so a
    clean-looking profile still allows a little dropout and a bad one is not written
    off.
    """
    twos, ones = [], []
    for marker, g in profile.items():
        try:
            mf = table.marker(marker, set(g.alleles))
        except KinshipInputError:
            continue
        h = float(np.sum(np.square(mf.freqs)))
        (ones if g.is_partial or g.first == g.second else twos).append(h)
    if not twos and not ones:
        return MIN_DROPOUT
    q = (1 - _GRID) / (1 + _GRID)
    loglik = np.zeros_like(_GRID)
    with np.errstate(divide="ignore"):
        for h in twos:
            loglik += np.log((1 - h) * q)
        for h in ones:
            loglik += np.log(1 - (1 - h) * q)
    best = float(_GRID[int(np.argmax(loglik))])
    return min(max(best, MIN_DROPOUT), MAX_DROPOUT)


def describe(dropout: float, drop_in: float) -> str:
    """``dropout 0.12, drop-in 0.05`` or ``no dropout model``."""
    if dropout == 0 and drop_in == 0:
        return "no dropout model"
    return f"dropout {dropout:.3g}, drop-in {drop_in:g}"


def is_off(dropout: float | np.ndarray, drop_in: float) -> bool:
    """True when the model changes nothing (every d = 0 and c = 0): the exact path applies."""
    return drop_in == 0 and not bool(np.any(np.asarray(dropout) != 0)) and not math.isnan(drop_in)
