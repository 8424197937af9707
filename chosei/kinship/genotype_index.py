"""Genotype indices: one integer per possible observation at a marker with n alleles.

Vectorised matching stores, per marker, a value for every possible observation of a
genotype, and looks the specimens' observations up with numpy. The index of

* a full genotype of allele indices ``i <= j`` is ``i*n - i*(i-1)/2 + (j - i)``
  (``0 .. n(n+1)/2 - 1``, row by row of the upper triangle);
* a partial genotype ``a/-`` is ``n(n+1)/2 + a``;
* an untyped marker is the last index, ``n(n+1)/2 + n``.

`fold` turns a likelihood over *ordered* gene pairs (paternal, maternal) into one
over these observations: a heterozygote sums both orders, a partial genotype sums
every pair holding its allele, untyped sums everything.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

from chosei.kinship.genotypes import Genotype


def size(n: int) -> int:
    """Number of observation indices for n alleles."""
    return n * (n + 1) // 2 + n + 1


def untyped(n: int) -> int:
    return size(n) - 1


def index_of(genotype: Genotype | None, alleles: Mapping[str, int], n: int) -> int:
    """The observation index of a genotype (None = untyped)."""
    if genotype is None:
        return untyped(n)
    i = alleles[genotype.first]
    if genotype.second is None:
        return n * (n + 1) // 2 + i
    j = alleles[genotype.second]
    i, j = min(i, j), max(i, j)
    return i * n - i * (i - 1) // 2 + (j - i)


@lru_cache(maxsize=64)
def fold_matrix(n: int) -> NDArray[np.float64]:
    """(size(n), n*n) 0/1 matrix mapping ordered gene pairs to observation indices."""
    f = np.zeros((size(n), n * n))
    k = 0
    for i in range(n):
        for j in range(i, n):
            f[k, i * n + j] = 1.0
            f[k, j * n + i] = 1.0
            k += 1
    for a in range(n):
        f[k + a, a * n : (a + 1) * n] = 1.0
        f[k + a, a::n] = 1.0
    f[-1, :] = 1.0
    f.setflags(write=False)
    return f


def fold(ordered: NDArray[np.float64]) -> NDArray[np.float64]:
    """Fold the last two axes (n, n) of `ordered` into observation indices."""
    n = ordered.shape[-1]
    flat = ordered.reshape(*ordered.shape[:-2], n * n)
    return flat @ fold_matrix(n).T


def hardy_weinberg(freqs: NDArray[np.float64]) -> NDArray[np.float64]:
    """P(observation) for an unrelated person without theta, per observation index."""
    return fold(np.outer(freqs, freqs))
