"""Exact likelihood with theta > 0 and no mutation, by inheritance patterns.

Without mutation every gene is a copy of one founder gene. An *inheritance pattern*
says which parental gene each child received (probability ½ per gene); it maps every
typed person's two genes to founder genes. Given the pattern, the typed genotypes
only constrain the founder genes that reach a typed person, and the likelihood is
the Polya-urn probability of those genes taking the alleles the genotypes require,
summed over the ways to read the genotypes (two phases of a heterozygote; a partial
``a/-`` by inclusion-exclusion: ``[g1 = a] + [g2 = a] - [g1 = g2 = a]``). Founder genes
that reach nobody typed sum out, because the urn is exchangeable (this is also why
the result is the same as drawing every founder gene).

Patterns are built person by person in parents-first order, keeping only the people
still needed and merging identical partial patterns, and at the end founder genes are
relabelled by first appearance, so the number of distinct patterns evaluated stays
small. This is the classical "allele graph" computation for pedigree likelihoods.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Mapping

import numpy as np
from numpy.typing import NDArray

from chosei.kinship.pedigree import Pedigree

Observed = tuple[int, int | None]


def likelihood(pedigree: Pedigree, typed: Mapping[str, Observed], freqs: NDArray[np.float64], theta: float) -> float:
    """P(typed genotypes) without mutation, founder genes drawn from the Polya urn."""
    typed_ids = [p.id for p in pedigree.persons if p.id in typed]
    observed = [typed[pid] for pid in typed_ids]
    cache: dict[tuple[tuple[int, int], ...], float] = {}
    total = 0.0
    for pattern, weight in _patterns(pedigree, typed_ids).items():
        for sign, assigned in _readings(pattern, observed):
            total += weight * sign * _urn(Counter(assigned.values()), freqs, theta, cache)
    return total


def open_table(
    pedigree: Pedigree, typed: Mapping[str, Observed], freqs: NDArray[np.float64], theta: float, open_person: str
) -> NDArray[np.float64]:
    """P(typed genotypes, open person's ordered genes = (x, y)) as an n x n array.

    The open person's genes are read last: given the alleles the typed genotypes
    fix, each of its founder genes is either fixed already or one more draw from the
    urn, whose probability is the urn formula itself.
    """
    n = len(freqs)
    typed_ids = [p.id for p in pedigree.persons if p.id in typed]
    observed = [typed[pid] for pid in typed_ids]
    cache: dict[tuple[tuple[int, int], ...], float] = {}
    table = np.zeros((n, n))
    for pattern, weight in _patterns(pedigree, [*typed_ids, open_person]).items():
        g1, g2 = pattern[-1]
        for sign, assigned in _readings(pattern[:-1], observed):
            counts = Counter(assigned.values())
            base = weight * sign * _urn(counts, freqs, theta, cache)
            k = np.zeros(n)
            for allele, c in counts.items():
                k[allele] = c
            drawn = sum(counts.values())
            first = (k * theta + (1 - theta) * freqs) / (1 + (drawn - 1) * theta)
            a, b = assigned.get(g1), assigned.get(g2)
            if g1 == g2:
                if a is None:
                    table[np.arange(n), np.arange(n)] += base * first
                else:
                    table[a, a] += base
            elif a is not None and b is not None:
                table[a, b] += base
            elif a is not None:
                table[a, :] += base * first
            elif b is not None:
                table[:, b] += base * first
            else:
                second = ((k[None, :] + np.eye(n)) * theta + (1 - theta) * freqs[None, :]) / (1 + drawn * theta)
                table += base * first[:, None] * second
    return table


def _patterns(pedigree: Pedigree, wanted: list[str]) -> dict[tuple[tuple[int, int], ...], float]:
    """Inheritance patterns of the `wanted` people's genes, founder genes relabelled."""
    keep_ids = set(wanted)
    last_child: dict[str, int] = {}
    for k, p in enumerate(pedigree.persons):
        if p.parents is not None:
            father, mother = p.parents
            last_child[father] = last_child[mother] = k
    states: dict[tuple[tuple[str, int, int], ...], float] = {(): 1.0}  # ((person, pat gene, mat gene), ...) -> weight
    next_gene = 0
    for k, person in enumerate(pedigree.persons):
        grown: dict[tuple[tuple[str, int, int], ...], float] = defaultdict(float)
        if person.is_founder:
            founder_genes = (next_gene, next_gene + 1)
            next_gene += 2
        for state, weight in states.items():
            options: list[tuple[tuple[int, int], float]]
            if person.parents is None:
                options = [(founder_genes, 1.0)]
            else:
                held = {pid: (a, b) for pid, a, b in state}
                father, mother = person.parents
                dad, mum = held[father], held[mother]
                options = [((x, y), 0.25) for x in dad for y in mum]
            for (a, b), w in options:
                entries = [*state, (person.id, a, b)]
                kept = tuple(e for e in entries if e[0] in keep_ids or last_child.get(e[0], -1) > k)
                grown[kept] += weight * w
        states = dict(grown)
    patterns: defaultdict[tuple[tuple[int, int], ...], float] = defaultdict(float)  # pattern -> probability
    for state, weight in states.items():
        genes = {pid: (a, b) for pid, a, b in state}
        patterns[_canonical([genes[pid] for pid in wanted])] += weight
    return patterns


def _readings(pattern: tuple[tuple[int, int], ...], observed: list[Observed]) -> list[tuple[int, dict[int, int]]]:
    """Signed consistent assignments {founder gene: allele} that read the genotypes."""
    out = []
    choices = [_options(genes, obs) for genes, obs in zip(pattern, observed, strict=True)]
    for combo in itertools.product(*choices):
        sign = 1
        assigned: dict[int, int] = {}
        ok = True
        for s, equalities in combo:
            sign *= s
            for gene, allele in equalities:
                if assigned.setdefault(gene, allele) != allele:
                    ok = False
                    break
            if not ok:
                break
        if ok:
            out.append((sign, assigned))
    return out


def _canonical(pairs: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    label: dict[int, int] = {}
    out = []
    for a, b in pairs:
        for g in (a, b):
            label.setdefault(g, len(label))
        out.append((label[a], label[b]))
    return tuple(out)


def _options(genes: tuple[int, int], obs: Observed) -> list[tuple[int, list[tuple[int, int]]]]:
    """Signed lists of (founder gene, allele) equalities that together read `obs`."""
    g1, g2 = genes
    a, b = obs
    if b is None:
        return [(1, [(g1, a)]), (1, [(g2, a)]), (-1, [(g1, a), (g2, a)])]
    if a == b:
        return [(1, [(g1, a), (g2, a)])]
    return [(1, [(g1, a), (g2, b)]), (1, [(g1, b), (g2, a)])]


def _urn(
    counts: Mapping[int, int], freqs: NDArray[np.float64], theta: float, cache: dict[tuple[tuple[int, int], ...], float]
) -> float:
    """Polya-urn probability of one sequence of genes with these allele counts."""
    key = tuple(sorted(counts.items()))
    if key not in cache:
        prob = 1.0
        for allele, k in key:
            for i in range(k):
                prob *= i * theta + (1 - theta) * freqs[allele]
        for m in range(sum(counts.values())):
            prob /= 1 + (m - 1) * theta
        cache[key] = prob
    return cache[key]
