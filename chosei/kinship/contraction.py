"""Contracting gene-level networks with `numpy.einsum` along a min-degree elimination order."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np

MAX_LABELS = 52
"""numpy.einsum's limit on distinct indices in one contraction."""


@lru_cache(maxsize=1 << 16)
def elimination_path(signature: tuple[tuple[int, ...], ...], out: tuple[int, ...]) -> list:
    """An einsum contraction path from variable elimination in min-degree order.

    Each step sums out the gene whose elimination creates the smallest factor (all
    genes have about the same number of alleles), contracting every factor that holds
    it. On the loop-free pedigrees of the vocabulary the factors stay at a few genes,
    which is what peeling achieves; numpy's generic greedy path can build huge
    intermediates. Cached: the same network shape recurs for every marker, and, with
    theta, for every set partition of the founder genes.
    """
    factors = [frozenset(s) for s in signature]
    keep = frozenset(out)
    pending = set().union(*factors) - keep
    path: list = ["einsum_path"]
    while pending:
        best = min(pending, key=lambda label, fs=factors: _elimination_cost(fs, label))
        chosen = tuple(i for i, f in enumerate(factors) if best in f)
        rest = [f for i, f in enumerate(factors) if i not in chosen]
        merged = frozenset().union(*(factors[i] for i in chosen))
        needed = frozenset().union(*rest) | keep
        factors = [*rest, frozenset(merged & needed)]
        pending -= merged - needed
        path.append(chosen)
    if len(factors) > 1:
        path.append(tuple(range(len(factors))))
    return path


def _elimination_cost(factors: list[frozenset[int]], label: int) -> tuple[int, int, int]:
    holding = [f for f in factors if label in f]
    return (len(frozenset().union(*holding)) - 1, len(holding), label)


def contract(operands: Sequence[np.ndarray], labels: Sequence[Sequence[int]], out: Sequence[int]) -> np.ndarray:
    """Σ over every label not in `out` of the product of the operands (einsum semantics)."""
    if not operands:
        return np.ones(())
    path = elimination_path(tuple(tuple(lab) for lab in labels), tuple(out))
    args: list = []
    for op, lab in zip(operands, labels, strict=True):
        args.extend([op, list(lab)])
    args.append(list(out))
    return np.asarray(np.einsum(*args, optimize=path))
