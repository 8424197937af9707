"""A brute-force pedigree likelihood, independent of the engine under test.

It evaluates the joint probability at EVERY assignment of an allele to every gene of
every person (two genes per person, so every ordered genotype of every person) and
sums: no pruning, no elimination order, no lumping, no single-gene founders, no
fixing of typed founders. Founder genes are drawn jointly by the Polya urn, written
out gene by gene in plain Python; transmissions are ``½ (M[a, x] + M[b, x])``.

Only for tiny cases: the joint array has ``n ** (2 * people)`` cells.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence

import numpy as np

from chosei.kinship.pedigree import Pedigree

Observed = tuple[int, int | None]


def polya(sequence: Sequence[int], freqs: Sequence[float], theta: float) -> float:
    """P(genes drawn in this order) under the Balding-Nichols Polya urn."""
    prob = 1.0
    for m, allele in enumerate(sequence):
        before = sum(1 for a in sequence[:m] if a == allele)
        prob *= (before * theta + (1 - theta) * freqs[allele]) / (1 + (m - 1) * theta)
    return prob


def equal_matrix(n: int, rate: float) -> np.ndarray:
    if n == 1:
        return np.eye(1)
    return np.array([[1 - rate if i == j else rate / (n - 1) for j in range(n)] for i in range(n)])


def proportional_matrix(freqs: Sequence[float], rate: float) -> np.ndarray:
    alpha = rate / sum(p * (1 - p) for p in freqs)
    n = len(freqs)
    return np.array([[(1 - alpha) * (i == j) + alpha * freqs[j] for j in range(n)] for i in range(n)])


def _fits(obs: Observed, a: int, b: int) -> bool:
    x, y = obs
    if y is None:
        return x in (a, b)
    return sorted((a, b)) == sorted((x, y))


def brute_likelihood(
    pedigree: Pedigree,
    typed: Mapping[str, Observed],
    freqs: Sequence[float],
    mutation: np.ndarray,
    theta: float = 0.0,
    unrelated: Sequence[Observed] = (),
) -> float:
    """P(typed genotypes) over the whole unpruned pedigree plus unrelated founders."""
    n = len(freqs)
    people = [(p.id, p.father, p.mother) for p in pedigree.persons]
    people += [(f"unrelated{i}", None, None) for i in range(len(unrelated))]
    observed = dict(typed)
    observed.update({f"unrelated{i}": g for i, g in enumerate(unrelated)})
    axis = {pid: 2 * k for k, (pid, _, _) in enumerate(people)}
    rank = 2 * len(people)
    joint = np.ones((1,) * rank)

    def place(factor: np.ndarray, axes: Sequence[int]) -> np.ndarray:
        order = np.argsort(axes)
        factor = np.transpose(factor, order)
        shape = [1] * rank
        for ax in sorted(axes):
            shape[ax] = n
        return factor.reshape(shape)

    founders = [pid for pid, father, _ in people if father is None]
    founder_axes = [axis[pid] + k for pid in founders for k in (0, 1)]
    urn = np.zeros((n,) * len(founder_axes))
    for genes in itertools.product(range(n), repeat=len(founder_axes)):
        urn[genes] = polya(genes, freqs, theta)
    joint = joint * place(urn, founder_axes)
    transmit = 0.5 * (mutation[:, None, :] + mutation[None, :, :])
    for pid, father, mother in people:
        if father is None:
            continue
        joint = joint * place(transmit, [axis[father], axis[father] + 1, axis[pid]])
        joint = joint * place(transmit, [axis[mother], axis[mother] + 1, axis[pid] + 1])
    for pid, obs in observed.items():
        fits = np.array([[_fits(obs, a, b) for b in range(n)] for a in range(n)], dtype=float)
        joint = joint * place(fits, [axis[pid], axis[pid] + 1])
    return float(joint.sum())
