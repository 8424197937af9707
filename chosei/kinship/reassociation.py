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

**Dropout** (`dropout` module): bones are degraded, so each specimen may carry a
dropout probability and the comparison a drop-in rate. Then "same person" is
``Σ_g P(g) P(O_a | g, d_a) P(O_b | g, d_b)`` and "unrelated" ``Σ_{g,h} P(g, h) P(O_a | g,
d_a) P(O_b | h, d_b)`` over the full genotypes, so ``12/14`` against ``12/12`` is a
(weaker) link rather than an exclusion; with drop-in nothing is excluded outright, and
`DirectMatch.discordant_markers` names the markers whose observations differ. The
random match probability multiplies only the markers where the two agree. With every
rate 0 the model is off and the numbers are the exact ones above.

**Grouping** (`group_specimens`): specimens are the nodes of a graph with an edge for
every pair whose LR reaches `threshold` (default `DEFAULT_REASSOCIATION_LR` =
10⁶); each connected component is one individual. Why 10⁶: under "unrelated",
``P(LR ≥ t) ≤ 1/t`` whatever the profiles, so among the ~45,000 pairs of 300
specimens fewer than 0.05 false links are expected. Close relatives (two brothers
among the dead) can exceed it without being one person: review every group. A chain
of partial profiles can join specimens that exclude each other; such pairs, and pairs
the caller says cannot be one person (e.g. two left femurs), are reported as
`Reassociation.conflicts` and never silently split.

**Many specimens** (`group_specimens`): the LR depends on a pair only through its two
observations at each marker, so per marker one table over every pair of observations
(indexed as in `genotype_index`) holds the log LR term and whether they exclude each other, and
all pairs are looked up with numpy, a block of rows at a time. A genotype with an
allele the table does not list (floored per pair, so its frequencies depend on the
pair) gets `direct_match`'s own per-marker term instead. The sums only pick the
candidates: every pair within a hair of the threshold, and every pair a group's
conflicts need, is compared again with `direct_match`, so the links, the groups and
every number reported are `direct_match`'s.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations
from typing import Any, cast

import numpy as np
from numpy.typing import NDArray

from chosei.i18n import _
from chosei.kinship import genotype_index
from chosei.kinship.dropout import check_rates, is_off, observation_terms, probability
from chosei.kinship.errors import KinshipInputError
from chosei.kinship.frequencies import FrequencyTable
from chosei.kinship.genotypes import Genotype, Profile, parse_profile
from chosei.kinship.likelihood import urn_weights
from chosei.kinship.markers import normalise_marker

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
    discordant_markers: tuple[str, ...] = ()  # observations differ, explained by dropout / drop-in

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
    dropout: tuple[float, float] = (0.0, 0.0),
    drop_in: float = 0.0,
) -> DirectMatch:
    """Compare two specimen profiles: LR "same person" vs "unrelated" and the RMP.

    `dropout` is the two specimens' dropout probabilities, `drop_in` the drop-in rate
    (module docstring); all 0 is the exact model without them.
    """
    if not 0 <= theta < 1:
        raise KinshipInputError(_("theta must be in [0, 1), not {theta!r}").format(theta=theta))
    for d in dropout:
        check_rates(d, drop_in)
    modelled = not is_off(np.asarray(dropout), drop_in)
    a = _profile(profile_a, ids[0])
    b = _profile(profile_b, ids[1])
    compared, mismatched, discordant = [], [], []
    log_lr = 0.0
    rmp = 1.0
    for marker in [m for m in a if m in b]:
        compared.append(marker)
        if modelled:
            term = _dropout_term(a[marker], b[marker], table, marker, theta, dropout, drop_in)
            if _shared(a[marker], b[marker]) is None:
                discordant.append(marker)
        else:
            term = _marker_term(a[marker], b[marker], table, marker, theta)
        if term is None:
            mismatched.append(marker)
            continue
        log_lr += term[0]
        rmp *= term[1]
    lr = 0.0 if mismatched else math.exp(log_lr)
    return DirectMatch(ids[0], ids[1], lr, rmp, tuple(compared), tuple(mismatched), tuple(discordant))


def _dropout_term(
    ga: Genotype,
    gb: Genotype,
    table: FrequencyTable,
    marker: str,
    theta: float,
    dropout: tuple[float, float],
    drop_in: float,
) -> tuple[float, float] | None:
    """(ln LR, RMP factor) with dropout and drop-in; None when "same person" is impossible.
    The RMP factor is the exact one where the observations agree, 1 where they differ."""
    mf = table.marker(marker, set(ga.alleles) | set(gb.alleles))
    one, two = _genotype_weights(mf.freqs, theta)
    obs = [_observed(g, mf.index) for g in (ga, gb)]
    terms = observation_terms(obs, mf.freqs, drop_in)
    pa = probability(tuple(t[:1] for t in terms), dropout[0])[0]  # type: ignore[arg-type]
    pb = probability(tuple(t[1:] for t in terms), dropout[1])[0]  # type: ignore[arg-type]
    same = float(np.sum(one * pa * pb))
    unrelated = float(pa @ two @ pb)
    if same <= 0:
        return None
    exact = _marker_term(ga, gb, table, marker, theta) if _shared(ga, gb) is not None else None
    return math.log(same) - math.log(unrelated), (exact[1] if exact is not None else 1.0)


def _observed(g: Genotype, index: Mapping[str, int]) -> tuple[int, int | None]:
    """A specimen genotype as the dropout model reads it: ``a/a`` is one allele seen."""
    first = index[g.first]
    return (first, None) if g.second is None else (first, index[g.second])


def _genotype_weights(freqs: np.ndarray, theta: float) -> tuple[np.ndarray, np.ndarray]:
    """P(g) for one person and P(g, h) for two unrelated people, over full genotypes (with
    theta their genes share one urn)."""
    full = len(freqs) * (len(freqs) + 1) // 2
    if theta == 0:
        one = genotype_index.hardy_weinberg(freqs)[:full]
        return one, np.outer(one, one)
    one = genotype_index.fold(urn_weights(freqs, theta, [], 2))[:full]
    two = genotype_index.fold(np.moveaxis(genotype_index.fold(urn_weights(freqs, theta, [], 4)), -1, 0)).T[:full, :full]
    return one, two


def _marker_term(
    ga: Genotype, gb: Genotype, table: FrequencyTable, marker: str, theta: float
) -> tuple[float, float] | None:
    """(ln LR, RMP factor) of two genotypes at one marker; None when they exclude each other."""
    shared = _shared(ga, gb)
    if shared is None:
        return None
    mf = table.marker(marker, set(ga.alleles) | set(gb.alleles))
    p, idx = mf.freqs, mf.index
    same = sum(_urn_genotypes(p, theta, [g]) for g in _fits(idx, shared))
    fits_a, fits_b = _fits(idx, ga), _fits(idx, gb)
    unrelated = sum(_urn_genotypes(p, theta, [x, y]) for x in fits_a for y in fits_b)
    fits_shared = _fits(idx, shared)
    joint = sum(_urn_genotypes(p, theta, [x, y]) for x in fits_shared for y in fits_shared)
    return math.log(same) - math.log(unrelated), joint / same


def group_specimens(
    profiles: Mapping[str, Mapping[str, object]],
    table: FrequencyTable,
    *,
    threshold: float = DEFAULT_REASSOCIATION_LR,
    theta: float = 0.0,
    cannot_link: Iterable[tuple[str, str]] = (),
    dropout: float | Mapping[str, float] = 0.0,
    drop_in: float = 0.0,
) -> Reassociation:
    """Group specimens ({id: profile}) into individuals by direct matches.

    `dropout`: one dropout probability for all, or {specimen id: d} (0 for one not
    named); `drop_in` the drop-in rate (module docstring).
    """
    if not threshold > 1:
        raise KinshipInputError(_("threshold must be an LR above 1, not {threshold!r}").format(threshold=threshold))
    if not 0 <= theta < 1:
        raise KinshipInputError(_("theta must be in [0, 1), not {theta!r}").format(theta=theta))
    ids = list(profiles)
    rates = np.array([float(dropout.get(i, 0.0)) if isinstance(dropout, Mapping) else dropout for i in ids])
    for d in {*rates.tolist(), 0.0}:
        check_rates(d, drop_in)
    model = None if is_off(rates, drop_in) else (rates, drop_in)
    parsed = {i: _profile(profiles[i], i) for i in ids}
    parent = {i: i for i in ids}

    def root(i: str) -> str:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    matches: dict[tuple[int, int], DirectMatch] = {}

    def match(i: int, j: int) -> DirectMatch:
        if (i, j) not in matches:
            matches[i, j] = direct_match(parsed[ids[i]], parsed[ids[j]], table, theta=theta, ids=(ids[i], ids[j]),
                                         dropout=(float(rates[i]), float(rates[j])), drop_in=drop_in)
        return matches[i, j]

    for i, j in _candidates([parsed[x] for x in ids], table, theta, threshold, model):
        if match(i, j).lr >= threshold:
            parent[root(ids[i])] = root(ids[j])
    groups: dict[str, list[str]] = {}
    for x in ids:
        groups.setdefault(root(x), []).append(x)
    position = {x: k for k, x in enumerate(ids)}
    within = sorted((position[x], position[y]) for g in groups.values() for x, y in combinations(g, 2))
    conflicts = [
        (m.a, m.b, _("profiles exclude each other at {markers}").format(markers=", ".join(m.mismatched_markers)))
        for m in (match(i, j) for i, j in within)
        if m.is_exclusion
    ]
    for x, y in cannot_link:
        if x not in parent or y not in parent:
            raise KinshipInputError(_("cannot_link names {x!r} or {y!r}, not among the profiles").format(x=x, y=y))
        if root(x) == root(y):
            conflicts.append((x, y, _("marked as not the same person but grouped together")))
    links = tuple(matches[pair] for pair in sorted(matches) if matches[pair].lr >= threshold)
    return Reassociation(tuple(tuple(g) for g in groups.values()), links, tuple(conflicts), threshold)


MARGIN = 1e-6
"""How far below ln(threshold) a looked-up ln LR still gets `direct_match` (rounding is ~1e-13)."""

BLOCK_CELLS = 4_000_000
"""Pairs looked up at once (rows x columns), to bound memory for many specimens."""


def _candidates(
    profiles: list[Profile],
    table: FrequencyTable,
    theta: float,
    threshold: float,
    model: tuple[np.ndarray, float] | None = None,
) -> list[tuple[int, int]]:
    """Pairs (i < j, in order) whose looked-up LR may reach `threshold`: no exclusion, and
    ln LR at least ln(threshold) - `MARGIN`. `model`: (each profile's dropout, the
    drop-in rate), or None without the dropout model."""
    n = len(profiles)
    # per marker: observation index of each profile, the marker's tables, exceptions
    # (the tables: ln LR term and exclusion, or _DropoutTables and None with the model)
    columns: list[tuple[str, np.ndarray, Any, Any, list[int], list[int]]] = []
    for marker in sorted({m for p in profiles for m in p}):
        typed = [i for i, p in enumerate(profiles) if marker in p]
        if len(typed) < 2:
            continue  # no pair compares it
        mf = table.marker(marker)
        k = mf.n_alleles
        obs = np.full(n, genotype_index.untyped(k))
        unlisted = []
        for i in typed:
            g = profiles[i][marker]
            if all(a in mf.index for a in g.alleles):
                obs[i] = genotype_index.index_of(g, mf.index, k)
            else:
                unlisted.append(i)
        if model is None:
            columns.append((marker, obs, *_pair_tables(mf.freqs, theta), typed, unlisted))
        else:
            columns.append((marker, obs, _DropoutTables(mf.freqs, theta, model[1], obs), None, typed, unlisted))
    out: list[tuple[int, int]] = []
    rows = max(1, BLOCK_CELLS // max(1, n))
    floor = math.log(threshold) - MARGIN
    for start in range(0, n, rows):
        stop = min(n, start + rows)
        log_lr = np.zeros((stop - start, n))
        excluded = np.zeros((stop - start, n), dtype=bool)
        for marker, obs, term, exclusion, typed, unlisted in columns:
            if model is None:
                log_lr += term[obs[start:stop, None], obs[None, :]]
                excluded |= exclusion[obs[start:stop, None], obs[None, :]]
            else:
                got, out_here = term.block(obs, model[0], start, stop)
                log_lr += got
                excluded |= out_here
            for i, j in _pairs_with(unlisted, typed, start, stop):
                found = (
                    _marker_term(profiles[i][marker], profiles[j][marker], table, marker, theta)
                    if model is None
                    else _dropout_term(profiles[i][marker], profiles[j][marker], table, marker, theta,
                                       (float(model[0][i]), float(model[0][j])), model[1])
                )
                if found is None:
                    excluded[i - start, j] = True
                else:
                    log_lr[i - start, j] += found[0]
        above = ~excluded & (log_lr >= floor) & (np.arange(start, stop)[:, None] < np.arange(n)[None, :])
        out += [(int(r) + start, int(c)) for r, c in zip(*np.nonzero(above), strict=True)]
    return out


class _DropoutTables:
    """One marker's pair terms with dropout: ``same`` and ``unrelated`` are bilinear in the two
    observations' probability vectors, each ``A0 + d A1 + d² A2``, so per pair of powers
    (k, l) one small table over the observations present gives them for any two rates."""

    def __init__(self, freqs: np.ndarray, theta: float, drop_in: float, obs: np.ndarray) -> None:
        k = len(freqs)
        full = k * (k + 1) // 2
        untyped = genotype_index.untyped(k)
        present = np.unique(obs[obs != untyped])
        gi, gj = np.triu_indices(k)
        observed = [(int(gi[o]), int(gj[o])) if o < full else (int(o) - full, None) for o in present]
        terms = observation_terms(observed, freqs, drop_in)
        one, two = _genotype_weights(freqs, theta)
        m = len(present)
        self.code = np.full(genotype_index.size(k), m)  # observation index -> row; untyped: the last row
        self.code[present] = np.arange(m)
        self.same = np.zeros((3, 3, m + 1, m + 1))
        self.unrelated = np.zeros((3, 3, m + 1, m + 1))
        for p, a in enumerate(terms):
            for q, b in enumerate(terms):
                self.same[p, q, :m, :m] = (a * one) @ b.T
                self.unrelated[p, q, :m, :m] = a @ two @ b.T
        for table in (self.same, self.unrelated):  # untyped on either side: 1 over 1
            table[0, 0, m, :] = table[0, 0, :, m] = 1.0

    def block(self, obs: np.ndarray, rates: np.ndarray, start: int, stop: int) -> tuple[np.ndarray, np.ndarray]:
        """(ln LR term, excluded) for rows start..stop against every column."""
        rows, cols = self.code[obs[start:stop]][:, None], self.code[obs][None, :]
        da, db = rates[start:stop, None], rates[None, :]
        powers_a, powers_b = (np.ones_like(da), da, da * da), (np.ones_like(db), db, db * db)
        same = np.zeros((stop - start, len(obs)))
        unrelated = np.zeros_like(same)
        for p in range(3):
            for q in range(3):
                weight = powers_a[p] * powers_b[q]
                same += weight * self.same[p, q][rows, cols]
                unrelated += weight * self.unrelated[p, q][rows, cols]
        excluded = same <= 0
        with np.errstate(divide="ignore", invalid="ignore"):
            term = np.where(excluded, 0.0, np.log(np.where(excluded, 1.0, same)) - np.log(unrelated))
        return term, excluded


def _pairs_with(unlisted: list[int], typed: list[int], start: int, stop: int) -> set[tuple[int, int]]:
    """Pairs i < j, i in [start, stop), both typed, at least one with an unlisted allele."""
    found = set()
    for u in unlisted:
        for t in typed:
            i, j = min(u, t), max(u, t)
            if i != j and start <= i < stop:
                found.add((i, j))
    return found


def _pair_tables(freqs: NDArray[np.float64], theta: float) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """[observation a, observation b]: the ln LR term, and whether they exclude each other.

    "Same person": P(the shared observation); "unrelated": P(a and b), their genes from one
    urn (`likelihood.urn_weights`). Untyped on either side: 0, no exclusion.
    """
    k = len(freqs)
    if theta == 0:
        one = genotype_index.hardy_weinberg(freqs)
        two = np.outer(one, one)
    else:
        one = genotype_index.fold(urn_weights(freqs, theta, [], 2))
        two = genotype_index.fold(np.moveaxis(genotype_index.fold(urn_weights(freqs, theta, [], 4)), -1, 0)).T
    shared = _shared_observation(k)
    with np.errstate(divide="ignore", invalid="ignore"):
        term = np.where(shared >= 0, np.log(one[np.maximum(shared, 0)]) - np.log(two), 0.0)
    return term, shared == -1


@lru_cache(maxsize=64)
def _shared_observation(k: int) -> NDArray[np.float64]:
    """[observation a, observation b] -> the observation both fit (`_shared`), -1 when they
    exclude each other, -2 when either is untyped; for k alleles, indexed as in `genotype_index`."""
    size = genotype_index.size(k)
    full = k * (k + 1) // 2
    first = np.full(size, -1)
    second = np.full(size, -1)
    first[:full], second[:full] = np.triu_indices(k)  # row by row, as `genotype_index.index_of`
    first[full : full + k] = np.arange(k)
    a, b = np.arange(size)[:, None], np.arange(size)[None, :]
    fa, sa, fb, sb = first[:, None], second[:, None], first[None, :], second[None, :]
    full_a, full_b = sa >= 0, sb >= 0
    part_a, part_b = (fa >= 0) & (sa < 0), (fb >= 0) & (sb < 0)
    lo, hi = np.minimum(fa, fb), np.maximum(fa, fb)
    both_partial = np.where(fa == fb, a, lo * k - lo * (lo - 1) // 2 + (hi - lo))
    out = np.full((size, size), -1)
    out = np.where(full_a & full_b & (a == b), a, out)
    out = np.where(full_a & part_b & ((fb == fa) | (fb == sa)), a, out)
    out = np.where(part_a & full_b & ((fa == fb) | (fa == sb)), b, out)
    out = np.where(part_a & part_b, both_partial, out)
    out[-1, :] = -2
    out[:, -1] = -2
    out.setflags(write=False)
    return out


def _profile(values: Mapping[str, object], who: str) -> Profile:
    if isinstance(values, Mapping) and all(isinstance(g, Genotype) for g in values.values()):
        return {normalise_marker(m): cast(Genotype, g) for m, g in values.items()}  # all checked just above
    return parse_profile(values, what=_("profile of specimen {id!r}").format(id=who))


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


def _urn_genotypes(p: NDArray[np.float64], theta: float, genotypes: list[tuple[int, int]]) -> float:
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
