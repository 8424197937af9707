"""Inheritance vectors of a pedigree, for linked SNPs (the Lander–Green model).

At each locus the *inheritance vector* says, for every meiosis of the pedigree
(a parent passing one gene to a child), whether the parent's paternal (0) or
maternal (1) gene went down. Along a chromosome each meiosis bit flips between two
adjacent loci with the recombination fraction r of the interval, independently of
the others, so the vector is a Markov chain; given the vector, the typed people's
genes are copies of known founder genes and the genotypes at a locus are independent
of every other locus (linkage equilibrium). That is the whole model.

State reduction, exact (Kruglyak et al. 1996, founder-phase symmetry): swapping the
two genes of a founder at every locus changes no likelihood, so only the bits of a
founder's *second and later* children relative to the first child's bit are
tracked. A founder with one child contributes no bit at all; a parent-child pair
needs one state, full siblings four, an uncle and nephew eight, a great-nephew
sixteen. The relative bits of one founder are still a Markov chain: with
probability 1-r the first child's bit stays and each relative bit flips with r;
with probability r it flips and each relative bit flips with 1-r.

Pure numpy, no store: `LinkageModel.of(pedigree, typed)` takes any
`pedigree.Pedigree` (persons with father, mother and sex, parents first), so third-
degree and longer relationships work as soon as a pedigree holds them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import product

import numpy as np
from numpy.typing import NDArray

from chosei.i18n import _
from chosei.kinship.errors import ComplexityError, KinshipInputError
from chosei.kinship.pedigree import Pedigree

MAX_STATES = 1024
"""Largest inheritance space accepted (10 free meioses): about three distant donors."""


def haldane(cm: NDArray[np.float64]) -> NDArray[np.float64]:
    """Recombination fraction for a map distance in centiMorgans (no interference)."""
    return 0.5 * (1.0 - np.exp(-2.0 * np.asarray(cm, dtype=float) / 100.0))


@dataclass(frozen=True)
class LinkageModel:
    """The reduced inheritance space of a pedigree and where each typed gene comes from.

    `groups` lists the size (number of free bits) of each founder group, in bit order,
    then `free_meioses` single bits of non-founder parents. `patterns[s]` is, for
    state s, the founder-gene index of each typed person's two genes (paternal,
    maternal) in `typed` order, relabelled by first appearance so that equal patterns
    compare equal.
    """

    typed: tuple[str, ...]
    groups: tuple[int, ...]
    free_meioses: int
    patterns: tuple[tuple[int, ...], ...]

    @property
    def bits(self) -> int:
        return sum(self.groups) + self.free_meioses

    @property
    def states(self) -> int:
        return 1 << self.bits

    @property
    def layout(self) -> tuple[tuple[int, ...], int]:
        """What the transition matrices depend on: equal layouts share them."""
        return self.groups, self.free_meioses

    @classmethod
    def of(cls, pedigree: Pedigree, typed: Sequence[str]) -> LinkageModel:
        """The model of `pedigree` with `typed` people (ids, in the order genotypes come)."""
        typed = tuple(typed)
        if len(set(typed)) != len(typed) or not typed:
            raise KinshipInputError(_("typed people must be a non-empty list of distinct ids"))
        ids = set(pedigree.ids)
        for pid in typed:
            if pid not in ids:
                raise KinshipInputError(_("typed person {pid!r} is not in the pedigree").format(pid=pid))
        ped = pedigree.pruned(typed)
        founders = [p.id for p in ped.persons if p.is_founder]
        # meioses: (parent, child, side); founder meioses grouped per founder
        founder_children: dict[str, list[tuple[str, int]]] = {f: [] for f in founders}
        other: list[tuple[str, str, int]] = []
        for person in ped.persons:
            if person.is_founder:
                continue
            for side, parent in enumerate((person.father, person.mother)):
                assert parent is not None
                if parent in founder_children:
                    founder_children[parent].append((person.id, side))
                else:
                    other.append((parent, person.id, side))
        groups = tuple(len(kids) - 1 for kids in founder_children.values() if len(kids) > 1)
        bits = sum(groups) + len(other)
        if (1 << bits) > MAX_STATES:
            raise ComplexityError(
                _("the pedigree joining {typed} has {bits} free meioses; at most {bit_length} are supported: "
                  "type fewer distant donors together").format(
                    typed=', '.join(typed), bits=bits, bit_length=MAX_STATES.bit_length() - 1)
            )
        # bit position of each meiosis (None: fixed at 0 by the founder symmetry)
        position: dict[tuple[str, int], int | None] = {}
        at = 0
        for kids in founder_children.values():
            for k, key in enumerate(kids):
                if k == 0:
                    position[key] = None
                else:
                    position[key] = at
                    at += 1
        for _first, child, side in other:
            position[(child, side)] = at
            at += 1
        genes_of_founder = {f: (2 * i, 2 * i + 1) for i, f in enumerate(founders)}
        patterns = []
        for vector in product((0, 1), repeat=bits):
            # bit order of `vector`: most significant first, matching np.kron below
            genes: dict[str, tuple[int, int]] = dict(genes_of_founder)
            for person in ped.persons:
                if person.parents is None:
                    continue
                pair = []
                for side, parent in enumerate(person.parents):
                    pos = position[(person.id, side)]
                    bit = 0 if pos is None else vector[pos]
                    pair.append(genes[parent][bit])
                genes[person.id] = (pair[0], pair[1])
            flat = [g for pid in typed for g in genes[pid]]
            relabel: dict[int, int] = {}
            patterns.append(tuple(relabel.setdefault(g, len(relabel)) for g in flat))
        return cls(typed, groups, len(other), tuple(patterns))

    def transitions(self, r: NDArray[np.float64]) -> NDArray[np.float64]:
        """Transition matrices (len(r), S, S) for intervals of recombination fraction r."""
        return transition_matrices(self.layout, r)


def _flip(r: NDArray[np.float64]) -> NDArray[np.float64]:
    """(n, 2, 2) matrices of one meiosis bit over intervals with fraction r."""
    m = np.empty((r.size, 2, 2))
    m[:, 0, 0] = m[:, 1, 1] = 1.0 - r
    m[:, 0, 1] = m[:, 1, 0] = r
    return m


def _kron(a: NDArray[np.float64], b: NDArray[np.float64]) -> NDArray[np.float64]:
    n, p, q = a.shape
    _n, s, t = b.shape
    product: NDArray[np.float64] = np.einsum("nij,nkl->nikjl", a, b).reshape(n, p * s, q * t)
    return product


def _power(m: NDArray[np.float64], k: int) -> NDArray[np.float64]:
    out = np.ones((m.shape[0], 1, 1))
    for _step in range(k):
        out = _kron(out, m)
    return out


Factor = tuple[str, int]  # ("group", relative bits of one founder) or ("free", 1)


def factors(layout: tuple[tuple[int, ...], int]) -> list[Factor]:
    """The Kronecker factors of a layout's transition matrix, most significant bits first."""
    groups, free = layout
    return [("group", size) for size in groups] + [("free", 1)] * free


def transition_matrices(layout: tuple[tuple[int, ...], int], r: NDArray[np.float64]) -> NDArray[np.float64]:
    """Transition matrices of a layout (see `LinkageModel.layout`) for each r."""
    return kron_factors(factors(layout), r)


def kron_factors(parts: list[Factor], r: NDArray[np.float64]) -> NDArray[np.float64]:
    """(len(r), S, S): the Kronecker product of `parts`' matrices for each r."""
    r = np.asarray(r, dtype=float).reshape(-1)
    out = np.ones((r.size, 1, 1))
    for kind, size in parts:
        if kind == "group":
            keep, flip = _power(_flip(r), size), _power(_flip(1.0 - r), size)
            out = _kron(out, (1.0 - r)[:, None, None] * keep + r[:, None, None] * flip)
        else:
            out = _kron(out, _flip(r))
    return out
