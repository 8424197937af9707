"""Re-association of commingled remains: which specimens come from the same person.

**Direct match of two specimen profiles** (`direct_match`), marker by marker over the
markers typed in both:

* A mismatch at typed alleles is an exclusion (LR 0 for the pair): full genotypes
  must be equal; a partial genotype ``a/-`` must have ``a`` in the other genotype;
  two partial genotypes are always compatible (``a/-`` and ``c/-`` may be ``a/c``).
* ``LR = P(both profiles | same person) / P(both profiles | two unrelated people)``.
  "Same person" sums over the true genotypes G that fit both profiles; "unrelated"
  sums over a genotype for each (with theta, all their genes share one Polya urn, as
  in `likelihood`). For two equal full genotypes without theta this is ``1 / P(G)``.
* The random match probability of the *shared profile* (the most specific genotype
  both fit: ``a/-`` and ``a/b`` share ``a/b``) is the probability that an unrelated
  person fits it, given that one person does -- ``P(G)`` without theta, the
  NRC II (4.10) conditional match probability with theta; multiplied over markers.

**Grouping** (`group_specimens`): specimens are the nodes of a graph with an edge for
every pair whose LR reaches `threshold` (default `DEFAULT_REASSOCIATION_LR` =
10⁶); each connected component is one individual. Why 10⁶: under "unrelated",
``P(LR ≥ t) ≤ 1/t`` whatever the profiles, so among the ~45,000 pairs of 300
specimens fewer than 0.05 false links are expected. Close relatives (two brothers
among the dead) can exceed it without being one person: review every group. A chain
of partial profiles can join specimens that exclude each other; such pairs, and pairs
the caller says cannot be one person (e.g. two left femurs), are reported as
`Reassociation.conflicts` and never silently split.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import combinations

import numpy as np

from chosei.kinship.errors import KinshipInputError
from chosei.kinship.frequencies import FrequencyTable
from chosei.kinship.genotypes import Genotype, Profile, normalise_marker, parse_profile

DEFAULT_REASSOCIATION_LR = 1e6


@dataclass(frozen=True)
class DirectMatch:
    """Two specimen profiles compared directly."""

    a: str
    b: str
    lr: float
    random_match_probability: float
    compared_markers: tuple[str, ...]
    mismatched_markers: tuple[str, ...]

    @property
    def is_exclusion(self) -> bool:
        return bool(self.mismatched_markers)


@dataclass(frozen=True)
class Reassociation:
    """Specimens grouped into individuals, with the links and the conflicts found."""

    groups: tuple[tuple[str, ...], ...]
    links: tuple[DirectMatch, ...]
    conflicts: tuple[tuple[str, str, str], ...]  # (a, b, why)
    threshold: float


def direct_match(
    profile_a: Mapping[str, object],
    profile_b: Mapping[str, object],
    table: FrequencyTable,
    *,
    theta: float = 0.0,
    ids: tuple[str, str] = ("A", "B"),
) -> DirectMatch:
    """Compare two specimen profiles: LR "same person" vs "unrelated" and the RMP."""
    if not 0 <= theta < 1:
        raise KinshipInputError(f"theta must be in [0, 1), not {theta!r}")
    a = _profile(profile_a, ids[0])
    b = _profile(profile_b, ids[1])
    compared, mismatched = [], []
    log_lr = 0.0
    rmp = 1.0
    for marker in [m for m in a if m in b]:
        compared.append(marker)
        ga, gb = a[marker], b[marker]
        shared = _shared(ga, gb)
        if shared is None:
            mismatched.append(marker)
            continue
        mf = table.marker(marker, set(ga.alleles) | set(gb.alleles))
        p, idx = mf.freqs, mf.index
        same = sum(_urn_genotypes(p, theta, [g]) for g in _fits(idx, shared))
        fits_a, fits_b = _fits(idx, ga), _fits(idx, gb)
        unrelated = sum(_urn_genotypes(p, theta, [x, y]) for x in fits_a for y in fits_b)
        log_lr += math.log(same) - math.log(unrelated)
        fits_shared = _fits(idx, shared)
        joint = sum(_urn_genotypes(p, theta, [x, y]) for x in fits_shared for y in fits_shared)
        rmp *= joint / same
    lr = 0.0 if mismatched else math.exp(log_lr)
    return DirectMatch(ids[0], ids[1], lr, rmp, tuple(compared), tuple(mismatched))


def group_specimens(
    profiles: Mapping[str, Mapping[str, object]],
    table: FrequencyTable,
    *,
    threshold: float = DEFAULT_REASSOCIATION_LR,
    theta: float = 0.0,
    cannot_link: Iterable[tuple[str, str]] = (),
) -> Reassociation:
    """Group specimens ({id: profile}) into individuals by direct matches."""
    if not threshold > 1:
        raise KinshipInputError(f"threshold must be an LR above 1, not {threshold!r}")
    ids = list(profiles)
    parent = {i: i for i in ids}

    def root(i: str) -> str:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    matches = {}
    for x, y in combinations(ids, 2):
        match = direct_match(profiles[x], profiles[y], table, theta=theta, ids=(x, y))
        matches[(x, y)] = match
        if match.lr >= threshold:
            parent[root(x)] = root(y)
    groups: dict[str, list[str]] = {}
    for i in ids:
        groups.setdefault(root(i), []).append(i)
    conflicts = [
        (m.a, m.b, "profiles exclude each other at " + ", ".join(m.mismatched_markers))
        for m in matches.values()
        if m.is_exclusion and root(m.a) == root(m.b)
    ]
    for x, y in cannot_link:
        if x not in parent or y not in parent:
            raise KinshipInputError(f"cannot_link names {x!r} or {y!r}, not among the profiles")
        if root(x) == root(y):
            conflicts.append((x, y, "marked as not the same person but grouped together"))
    links = tuple(m for m in matches.values() if m.lr >= threshold)
    return Reassociation(tuple(tuple(g) for g in groups.values()), links, tuple(conflicts), threshold)


def _profile(values: Mapping[str, object], who: str) -> Profile:
    if isinstance(values, Mapping) and all(isinstance(g, Genotype) for g in values.values()):
        return {normalise_marker(m): g for m, g in values.items()}  # type: ignore[misc]
    return parse_profile(values, what=f"profile of specimen {who!r}")


def _shared(a: Genotype, b: Genotype) -> Genotype | None:
    """The most specific genotype both fit, or None if they exclude each other."""
    if not a.is_partial and not b.is_partial:
        return a if a == b else None
    if a.is_partial and b.is_partial:
        return Genotype.of(a.first, b.first) if a.first != b.first else a
    full, part = (b, a) if a.is_partial else (a, b)
    return full if part.first in full.alleles else None


def _fits(index: Mapping[str, int], g: Genotype) -> list[tuple[int, int]]:
    """Unordered allele-index pairs a genotype can be."""
    first = index[g.first]
    if g.second is not None:
        return [(first, index[g.second])]
    return [(first, k) for k in range(len(index))]


def _urn_genotypes(p: np.ndarray, theta: float, genotypes: list[tuple[int, int]]) -> float:
    """Probability of unordered genotypes of unrelated people, genes from one urn."""
    counts: dict[int, int] = {}
    prob = 1.0
    drawn = 0
    for x, y in genotypes:
        if x != y:
            prob *= 2.0
        for a in (x, y):
            prob *= (counts.get(a, 0) * theta + (1 - theta) * p[a]) / (1 + (drawn - 1) * theta)
            counts[a] = counts.get(a, 0) + 1
            drawn += 1
    return prob
