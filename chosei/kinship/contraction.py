"""Contracting gene-level networks along a min-degree elimination order.

Each step of the order is one `numpy.einsum` call over the factors that hold the gene
being summed out, written with its own local letters. numpy.einsum accepts at most 52
distinct indices per call; a step only sees the genes of its few factors, so the size of a
pedigree is bounded by the largest intermediate factor (`MAX_FACTOR_GENES`), not by its
number of people.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache, partial
from string import ascii_letters

import numpy as np
from numpy.typing import NDArray

from chosei.i18n import _
from chosei.kinship.errors import ComplexityError

MAX_FACTOR_GENES = 12
"""The most genes an intermediate factor may join: n**12 numbers for n alleles. Beyond it
the pedigree's loops are too tangled to compute exactly, and it is refused."""


@dataclass(frozen=True)
class _Step:
    chosen: tuple[int, ...]  # positions in the current factor list, taken out
    subscripts: str  # einsum subscripts in local letters
    result: tuple[int, ...]  # the new factor's labels, appended to the list


@lru_cache(maxsize=1 << 16)
def _plan(signature: tuple[tuple[int, ...], ...], out: tuple[int, ...]) -> tuple[_Step, ...]:
    """Variable elimination in min-degree order, as einsum steps.

    Each step sums out the gene whose elimination creates the smallest factor (all
    genes have about the same number of alleles), contracting every factor that holds
    it. On the loop-free pedigrees of the vocabulary the factors stay at a few genes,
    which is what peeling achieves; numpy's generic greedy path can build huge
    intermediates. Cached: the same network shape recurs for every marker, and, with
    theta, for every set partition of the founder genes.
    """
    factors = [tuple(s) for s in signature]
    keep = frozenset(out)
    pending = set().union(*map(set, factors)) - keep
    steps: list[_Step] = []
    while pending:
        best = min(pending, key=partial(_elimination_cost, factors))
        chosen = tuple(i for i, f in enumerate(factors) if best in f)
        rest = [f for i, f in enumerate(factors) if i not in chosen]
        merged = _ordered(factors[i] for i in chosen)
        needed = set().union(*map(set, rest)) | keep
        result = tuple(label for label in merged if label in needed)
        if len(merged) > MAX_FACTOR_GENES:
            raise ComplexityError(
                _("the pedigree's loops join {n_merged} genes in one step of the computation (at most "
                  "{max_factor_genes}); simplify the family tree").format(
                    n_merged=len(merged), max_factor_genes=MAX_FACTOR_GENES)
            )
        steps.append(_Step(chosen, _subscripts([factors[i] for i in chosen], result), result))
        factors = [*rest, result]
        pending -= set(merged) - needed
    final = tuple(out)
    steps.append(_Step(tuple(range(len(factors))), _subscripts(factors, final), final))
    return tuple(steps)


def _ordered(groups: Iterable[Iterable[int]]) -> tuple[int, ...]:
    seen: dict[int, None] = {}
    for group in groups:
        for label in group:
            seen.setdefault(label, None)
    return tuple(seen)


def _subscripts(inputs: Sequence[tuple[int, ...]], result: tuple[int, ...]) -> str:
    letter: dict[int, str] = {}
    for label in _ordered([*inputs, result]):
        letter[label] = ascii_letters[len(letter)]
    return ",".join("".join(letter[x] for x in f) for f in inputs) + "->" + "".join(letter[x] for x in result)


def _elimination_cost(factors: list[tuple[int, ...]], label: int) -> tuple[int, int, int]:
    holding = [f for f in factors if label in f]
    return (len(set().union(*map(set, holding))) - 1, len(holding), label)


def contract(
    operands: Sequence[NDArray[np.float64]], labels: Sequence[Sequence[int]], out: Sequence[int],
) -> NDArray[np.float64]:
    """Σ over every label not in `out` of the product of the operands (einsum semantics)."""
    if not operands:
        return np.ones(())
    factors = list(operands)
    for step in _plan(tuple(tuple(lab) for lab in labels), tuple(out)):
        chosen = [factors[i] for i in step.chosen]
        factors = [f for i, f in enumerate(factors) if i not in step.chosen]
        factors.append(np.einsum(step.subscripts, *chosen))
    return np.asarray(factors[0])
