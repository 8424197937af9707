"""Y-STR mutation between relatives on one paternal line: per-locus rates, stepwise.

A relative k meioses from the victim V along father links carries V's Y haplotype
barring mutation. `YMutation.probability` gives, per locus, the probability that the
specimen's allele (if it is V) differs from the relative's by what is seen, after k
meioses; `lineage` multiplies those of the differing loci into the line's LR.

**Per meiosis, per locus** (rate mu of the locus, `rate2`, `multistep` omega):

* no change: ``1 - mu - rate2``;
* a gain or a loss of j whole repeats (j = 1 .. `max_jump`), each direction
  ``mu / 2 * (1 - omega) * omega ** (j - 1) / (1 - omega ** max_jump)``: the
  mutations sum to mu, most are one step and each further step is omega times rarer;
* a partial-repeat change (integer <-> microvariant, e.g. 14 -> 14.2): a gain or loss
  of 1, 2 or 3 bases, each of the six ``rate2 / 6``. The repeat unit is taken as 4
  bases, as for almost every forensic Y-STR, so 14 -> 13.2 is a loss of 2 bases.

**Over k meioses** the per-meiosis law is convolved k times: every path of mutations
through the k transmissions that ends at the observed difference is summed (paths
whose single mutations stay within `max_jump` repeats: that is the limit of the
sum). A difference no such path reaches has probability 0, an exclusion.

**Loci with no difference** contribute 1, not the probability of no mutation (above
0.95 per locus for k <= 3 at these rates): an identical haplotype keeps ``LR = 1 /
frequency``, the forensic convention. **More than `max_loci` differing loci** are an
exclusion: at these rates four differences have a probability of at most about 1e-7
(the four fastest loci, three meioses; about 1e-10 at typical loci), far below what
any database frequency makes up.

A multi-copy locus (DYS385 a/b, DYF387S1) compares copy by copy, both sorted, each
copy with the locus rate; a different number of copies is an exclusion.

The default rates (`Y_RATES`) and their sources are in docs/kinship.md.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

from chosei import i18n
from chosei.kinship.errors import KinshipInputError
from chosei.kinship.markers import normalise_marker

YHRD = "YHRD release 61 (June 2019), as tabulated in Genes 2020;11:566, Table 1"
SANCHEZ_DIZ = "Sanchez-Diz et al., Forensic Sci Int Genet 2008 (31 mutations in 14,896 meioses)"
SCI_REP = "father-son study, Sci Rep 2019;9:9032, Table 1 (13 mutations in 1,166 meioses)"

Y_RATES: dict[str, tuple[float, str]] = {
    "DYS19": (2.20e-3, YHRD),
    "DYS385": (2.1e-3, SANCHEZ_DIZ),
    "DYS389I": (2.72e-3, YHRD),
    "DYS389II": (4.33e-3, YHRD),
    "DYS390": (2.08e-3, YHRD),
    "DYS391": (2.53e-3, YHRD),
    "DYS392": (4.96e-4, YHRD),
    "DYS393": (1.07e-3, YHRD),
    "DYS437": (1.32e-3, YHRD),
    "DYS438": (3.51e-4, YHRD),
    "DYS439": (5.46e-3, YHRD),
    "DYS448": (1.39e-3, YHRD),
    "DYS449": (9.44e-3, YHRD),
    "DYS456": (4.41e-3, YHRD),
    "DYS458": (6.17e-3, YHRD),
    "DYS460": (5.82e-3, YHRD),
    "DYS481": (4.88e-3, YHRD),
    "DYS518": (1.46e-2, YHRD),
    "DYS533": (3.68e-3, YHRD),
    "DYS570": (1.14e-2, YHRD),
    "DYS576": (1.26e-2, YHRD),
    "DYS627": (1.32e-2, YHRD),
    "DYS635": (4.21e-3, YHRD),
    "YGATAH4": (3.01e-3, YHRD),
    "DYF387S1": (1.115e-2, SCI_REP),
}
"""Published mutation rate per locus and meiosis, with its source."""

ALIASES = {"GATAH4": "YGATAH4", "GATAH4.1": "YGATAH4", "YGATAH4.1": "YGATAH4"}

Y_DEFAULT_RATE = 0.0025
"""A locus missing from the table: the average Y-STR rate (Ballantyne et al., AJHG 2010)."""

Y_RATE2 = 1e-5
"""Partial-repeat (integer <-> microvariant) mutations per locus and meiosis."""

Y_MULTISTEP = 0.05
"""omega: a mutation of j+1 repeats is this many times as likely as one of j."""

Y_MAX_JUMP = 3
"""The most repeats one mutation changes: the limit of the sum over mutation paths."""

Y_MAX_LOCI = 4
"""More differing loci than this exclude."""

REPEAT_BASES = 4


def canonical_locus(name: str) -> str:
    """A Y-STR name as the table keys it (``Y-GATA-H4`` -> ``YGATAH4``)."""
    key = normalise_marker(name)
    return ALIASES.get(key, key)


@dataclass(frozen=True)
class YMutation:
    """The Y-STR mutation model: per-locus rates (`rates` replace the table's), `rate2`,
    `multistep`, and the limits `max_jump` and `max_loci`."""

    rates: Mapping[str, float] = field(default_factory=dict)
    rate2: float = Y_RATE2
    multistep: float = Y_MULTISTEP
    max_jump: int = Y_MAX_JUMP
    max_loci: int = Y_MAX_LOCI
    default_rate: float = Y_DEFAULT_RATE

    def __post_init__(self) -> None:
        clean = {}
        for name, value in dict(self.rates).items():
            if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value < 0.5:
                raise KinshipInputError(i18n._("Y mutation rate of {name} must be at least 0 and below 0.5, not "
                                          "{value!r}").format(name=name, value=value))
            clean[canonical_locus(name)] = float(value)
        object.__setattr__(self, "rates", clean)
        for name in ("rate2", "default_rate"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value < 0.5:
                raise KinshipInputError(
                    i18n._("Y mutation {name} must be at least 0 and below 0.5, not {value!r}").format(
                        name=name, value=value))
        if not (isinstance(self.multistep, int | float) and 0 <= self.multistep < 1):
            raise KinshipInputError(i18n._("Y multistep must be at least 0 and below 1, not {multistep!r}").format(
                                        multistep=self.multistep))
        if not (isinstance(self.max_jump, int) and self.max_jump >= 1):
            raise KinshipInputError(i18n._("Y max_jump must be a whole number of at least 1, not {max_jump!r}").format(
                                        max_jump=self.max_jump))
        if not (isinstance(self.max_loci, int) and self.max_loci >= 0):
            raise KinshipInputError(i18n._("Y max_loci must be a whole number of at least 0, not {max_loci!r}").format(
                                        max_loci=self.max_loci))

    def rate(self, locus: str) -> float:
        """The locus's rate: given in `rates`, else the table's, else `default_rate`."""
        key = canonical_locus(locus)
        if key in self.rates:
            return self.rates[key]
        return Y_RATES[key][0] if key in Y_RATES else self.default_rate

    def probability(self, locus: str, specimen: str, relative: str, meioses: int) -> float:
        """P(the specimen's allele | the relative's, `meioses` apart) at one copy of a locus."""
        delta = bases(specimen) - bases(relative)
        return step_probability(delta, meioses, self.rate(locus), self.rate2, self.multistep, self.max_jump)


def bases(allele: str) -> int:
    """An allele as a length in bases, 4 per repeat: ``14`` -> 56, ``13.2`` -> 54."""
    tenths = round(float(allele) * 10)
    return REPEAT_BASES * (tenths // 10) + tenths % 10


def step_probability(delta: int, meioses: int, rate: float, rate2: float, multistep: float, max_jump: int) -> float:
    """P(a change of `delta` bases over `meioses` transmissions) under the per-meiosis law."""
    if not (isinstance(meioses, int) and meioses >= 1):
        raise KinshipInputError(i18n._("meioses must be a whole number of at least 1, not {meioses!r}").format(
                                    meioses=meioses))
    if rate + rate2 > 1:
        raise KinshipInputError(i18n._("Y rate + rate2 must be at most 1, not {rate}").format(rate=rate + rate2))
    law = _law(rate, rate2, multistep, max_jump, meioses)
    half = len(law) // 2
    return float(law[half + delta]) if abs(delta) <= half else 0.0


@lru_cache(maxsize=1024)
def _law(rate: float, rate2: float, multistep: float, max_jump: int, meioses: int) -> NDArray[np.float64]:
    """The k-fold convolution of the one-meiosis law, indexed from -k·span to +k·span bases."""
    span = REPEAT_BASES * max_jump
    one = np.zeros(2 * span + 1)
    one[span] = 1 - rate - rate2
    scale = 1 - multistep**max_jump if multistep else 1.0
    for j in range(1, max_jump + 1):
        p = rate / 2 * (1 - multistep) * multistep ** (j - 1) / scale
        one[span + REPEAT_BASES * j] = one[span - REPEAT_BASES * j] = p
    for b in range(1, REPEAT_BASES):
        one[span + b] = one[span - b] = rate2 / (2 * (REPEAT_BASES - 1))
    law = one
    for _ in range(meioses - 1):
        law = np.convolve(law, one)
    law.setflags(write=False)
    return law


def line_factor(
    model: YMutation, differences: list[tuple[str, tuple[str, ...], tuple[str, ...]]], meioses: int
) -> float:
    """The product of `probability` over the differing loci ((locus, specimen copies,
    relative copies), copies sorted); 0 beyond `max_loci` or for a copy-number change."""
    if len(differences) > model.max_loci:
        return 0.0
    out = 1.0
    for locus, xs, ys in differences:
        if len(xs) != len(ys):
            return 0.0
        for x, y in zip(xs, ys, strict=True):
            if x != y:
                out *= model.probability(locus, x, y, meioses)
    return out if math.isfinite(out) else 0.0
