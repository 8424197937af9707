"""Mutation models for autosomal STR transmission, as in Familias and pedmut.

A mutation model turns a marker's allele list into a matrix ``M`` where ``M[i, j]``
is the probability that a parent's allele ``i`` is passed on as allele ``j``. The
definitions follow pedmut's ``mutationMatrix()`` (Vigeland, used by pedtools/forrel)
and Familias (Egeland, Kling & Mostad, *Relationship Inference with Familias and R*,
2016, ch. 4). One model applies to both sexes.

* ``none``: the identity; any Mendelian inconsistency gives likelihood 0 and the
  marker is reported as an exclusion.
* ``equal``: every other allele equally likely; ``M[i, i] = 1 - rate`` and
  ``M[i, j] = rate / (n - 1)`` for n alleles.
* ``proportional``: mutations land on allele j in proportion to its frequency:
  ``M = (1 - a) I + a 1 pᵀ`` with ``a = rate / Σ p_k (1 - p_k)``, so that the overall
  mutation rate at equilibrium is `rate`.
* ``stepwise`` (Familias' "extended stepwise"): alleles are split into groups by
  their decimal part (integers, x.1, x.2, x.3 ...). Within a group a mutation of k
  repeat steps has weight ``range ** k``, the weights scaled to total `rate`;
  jumping to another group has total probability `rate2`, spread equally. The
  diagonal is ``1 - rate - rate2`` (``1 - rate`` when every allele is in one group,
  ``1 - rate2`` for an allele alone in its group). The decimal part is found with
  round-half-to-even, as R does, so the groups equal pedmut's.

The rest allele of a table (`frequencies.REST_ALLELE`) is one more allele for
``equal`` and ``proportional``; having no repeat length, it neither mutates nor is
mutated into under ``stepwise``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from chosei.i18n import _
from chosei.kinship.errors import KinshipInputError
from chosei.kinship.frequencies import REST_ALLELE, MarkerFrequencies

MutationKind = Literal["none", "equal", "proportional", "stepwise"]
KINDS: tuple[str, ...] = ("none", "equal", "proportional", "stepwise")


@dataclass(frozen=True)
class MutationModel:
    """A mutation model: its kind, rate and, for ``stepwise``, `range` and `rate2`.

    `rate` is the probability per meiosis that the transmitted allele differs from
    the parent's. `range` (stepwise) is the relative weight of a k+1-step versus a
    k-step mutation; `rate2` (stepwise) the probability of a mutation between an
    integer allele and a microvariant (0 by default: such jumps are then impossible).
    """

    kind: MutationKind = "none"
    rate: float = 0.0
    range: float = 0.5
    rate2: float = 0.0

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise KinshipInputError(_("mutation model {kind!r} is unknown; choose one of {kinds}").format(
                                        kind=self.kind, kinds=', '.join(KINDS)))
        for name in ("rate", "rate2"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
                raise KinshipInputError(_("mutation {name} must be between 0 and 1, not {value!r}").format(
                                            name=name, value=value))
        if self.kind == "stepwise":
            if not (isinstance(self.range, int | float) and self.range > 0):
                raise KinshipInputError(_("stepwise mutation range must be a positive number, not {range!r}").format(
                                            range=self.range))
            if self.rate + self.rate2 > 1:
                raise KinshipInputError(_("stepwise rate + rate2 must be at most 1, not {rate}").format(
                                            rate=self.rate + self.rate2))

    @property
    def is_trivial(self) -> bool:
        """True when no mutation can happen (the identity matrix)."""
        return self.kind == "none" or (self.rate == 0 and (self.kind != "stepwise" or not self.rate2))

    def describe(self) -> str:
        if self.kind == "none":
            return "none"
        if self.kind == "stepwise":
            return f"stepwise (rate {self.rate:g}, range {self.range:g}, rate2 {self.rate2:g})"
        return f"{self.kind} (rate {self.rate:g})"

    def matrix(self, mf: MarkerFrequencies) -> NDArray[np.float64]:
        """The n x n transmission matrix over `mf.alleles` (rows sum to 1)."""
        n = mf.n_alleles
        if self.kind == "none" or n == 1:
            return np.eye(n)
        if self.kind == "equal":
            m = np.full((n, n), self.rate / (n - 1))
            np.fill_diagonal(m, 1 - self.rate)
            return m
        if self.kind == "proportional":
            return _proportional(mf, self.rate)
        return _stepwise(mf, self.rate, self.rate2, self.range)


def _proportional(mf: MarkerFrequencies, rate: float) -> NDArray[np.float64]:
    p = mf.freqs
    n = len(p)
    alpha = rate / float(np.sum(p * (1 - p)))
    m = (1 - alpha) * np.eye(n) + alpha * np.tile(p, (n, 1))
    if np.any(m > 1 + 1e-12) or np.any(m < -1e-12):
        raise KinshipInputError(
            _("proportional mutation rate {rate} is impossible at marker {mf_marker} (a probability leaves [0, "
              "1]); reduce the rate").format(rate=rate, mf_marker=mf.marker)
        )
    return m


def _stepwise(mf: MarkerFrequencies, rate: float, rate2: float, range_: float) -> NDArray[np.float64]:
    n = mf.n_alleles
    m = np.eye(n)
    numeric = [i for i, a in enumerate(mf.alleles) if a != REST_ALLELE]
    values = np.array([float(mf.alleles[i]) for i in numeric])
    group = np.array([round((v - round(v)) * 10) for v in values])
    k = len(numeric)
    if k <= 1:
        return m
    sub = np.zeros((k, k))
    for i in range(k):
        same = group == group[i]
        if same.all():
            sub[i, i] = 1 - rate
        elif same.sum() == 1:
            sub[i, i] = 1 - rate2
        else:
            sub[i, i] = 1 - rate - rate2
        for j in range(k):
            if j == i:
                continue
            if same[j]:
                sub[i, j] = range_ ** abs(values[i] - values[j])
            else:
                sub[i, j] = rate2 / (k - same.sum())
        same[i] = False
        if same.any():
            sub[i, same] = sub[i, same] / sub[i, same].sum() * rate
    m[np.ix_(numeric, numeric)] = sub
    return m
