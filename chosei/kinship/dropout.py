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

`estimate_dropout` gives a specimen's ``d`` from its own profile (and the markers'
homozygosity, `homozygosity`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from functools import lru_cache

import numpy as np

from chosei.i18n import _
from chosei.kinship.errors import KinshipInputError
from chosei.kinship.frequencies import FrequencyTable
from chosei.kinship.genotypes import Genotype

DEFAULT_DROP_IN = 0.05
"""Drop-in rate per marker: the value of Familias' and relMix's examples, and the upper end
of what laboratories report for low-template work (0.01-0.05); see docs/kinship.md."""

MIN_DROPOUT = 0.1
"""Least dropout an estimated specimen gets: even a full-looking profile of old bone
may have lost an allele, and a 15-20-marker profile cannot tell 0 from 0.1 (at d = 0.1
all of ten heterozygous markers still show both alleles one time in eight). Bone from
eighty years in seawater is low-template DNA, for which laboratories see dropout of
0.1 and more. On the simulated case (tests/benchmarks/bench_degraded.py, ten seeded
cases) 0.1 instead of 0.01 lost no identification, gained two and removed the one wrong
pair at LR >= 10^4; see docs/kinship.md ("Defaults, and why")."""

MAX_DROPOUT = 0.6
"""Most dropout an estimate gives: beyond it a profile is mostly noise and the LR is
dominated by the model, not the data; give --dropout explicitly to go further."""

_GRID = np.linspace(0.0, 0.99, 991)  # candidate d values of the estimate, step 0.001


def check_rates(dropout: float, drop_in: float) -> None:
    """Refuse a dropout probability outside [0, 1) or a drop-in rate outside [0, 1)."""
    for name, value in (("dropout probability", dropout), ("drop-in rate", drop_in)):
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value < 1:
            raise KinshipInputError(_("the {name} must be a number in [0, 1), not {value!r}").format(
                                        name=name, value=value))


@lru_cache(maxsize=64)
def genotype_pairs(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Allele indices (i, j), i <= j, of every full genotype in `genotype_index.index_of` order."""
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
    hom = (gi == gj)[None, :]
    first = np.array([a for a, _ in observations], dtype=int)[:, None]
    partial = np.array([b is None for _, b in observations])[:, None]
    second = np.array([a if b is None else b for a, b in observations], dtype=int)[:, None]
    has_a = (gi == first) | (gj == first)  # the genotype holds the observation's first allele
    has_b = (gi == second) | (gj == second)
    one = first == second  # one allele seen (a/a)
    # drop-in: each observed allele the genotype does not hold, c·p_x; none of them: 1 - c
    factor = np.where(has_a, 1.0, drop_in * freqs[first])
    factor = factor * np.where(has_b | one, 1.0, drop_in * freqs[second])
    factor = np.where(has_a & (has_b | one), factor * (1.0 - drop_in), factor)
    # survival of the genotype's own alleles, as coefficients of 1, d, d²
    in_i = (gi == first) | (gi == second)
    in_j = (gj == first) | (gj == second)
    both = ~hom & in_i & in_j  # (1-d)²
    single = ~hom & (in_i ^ in_j)  # (1-d) d
    none = ~in_i & ~in_j  # d² (either zygosity)
    hom_seen = hom & in_i  # 1 - d²
    a0 = factor * (both | hom_seen)
    a1 = factor * (single.astype(float) - 2.0 * both)
    a2 = factor * (both.astype(float) - single + none - hom_seen)
    indicator = has_a.astype(float)  # a/-: every genotype holding a, without the model
    return (np.where(partial, indicator, a0), np.where(partial, 0.0, a1), np.where(partial, 0.0, a2))


def probability(terms: tuple[np.ndarray, np.ndarray, np.ndarray], dropout: float | np.ndarray) -> np.ndarray:
    """``A0 + d A1 + d² A2`` (rows: observations; `dropout` a number or one per row)."""
    a0, a1, a2 = terms
    d = np.asarray(dropout, dtype=float)
    if d.ndim:
        d = d[:, None]
    result: np.ndarray = a0 + d * a1 + d * d * a2
    return result


def homozygosity(table: FrequencyTable) -> dict[str, float]:
    """``h = Σ p²`` of every marker of the table, as `estimate_dropout` reads it."""
    return {m: float(np.sum(np.square(table.marker(m).freqs))) for m in table.markers}


def estimate_dropout(profile: Mapping[str, Genotype], homozygous: Mapping[str, float]) -> float:
    """A specimen's dropout probability from its own profile, in [MIN_DROPOUT, MAX_DROPOUT].

    The maximum-likelihood ``d`` given how many typed markers show two alleles and how
    many one: at a marker with homozygosity ``h = Σ p²`` (`homozygosity` of the
    frequency table; a marker it lacks is left out), a typed marker shows two alleles
    with probability ``(1 - h)(1 - d) / (1 + d)`` (a heterozygote with neither allele
    lost, given that something was seen). Partial genotypes (``12/-``) count as one
    allele seen; untyped markers are left out, since a missing marker may just not be
    in the kit. Drop-in is ignored here (it is rare and would make a one-allele marker
    look better). Clipped to the bounds so a clean-looking profile still allows a
    little dropout and a bad one is not written off.
    """
    twos: list[float] = []
    ones: list[float] = []
    for marker, g in profile.items():
        if marker in homozygous:
            (ones if g.is_partial or g.first == g.second else twos).append(homozygous[marker])
    if not twos and not ones:
        return MIN_DROPOUT
    q = (1 - _GRID) / (1 + _GRID)
    with np.errstate(divide="ignore"):
        loglik = np.log(1 - np.asarray(twos))[:, None].sum() + len(twos) * np.log(q)
        if ones:
            loglik = loglik + np.log(1 - (1 - np.asarray(ones))[:, None] * q[None, :]).sum(axis=0)
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
