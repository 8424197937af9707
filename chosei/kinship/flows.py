"""theta > 0 with mutation: the pedigree as a sum of products over founder genes.

Fix how every gene was passed on -- which of its parent's two genes each child gene
copies (½ each), and which reading of each typed person's genotype holds (``a/b`` is
pat a, mat b or the reverse; ``a/-`` is ``[pat = a] + [mat = a] - [both]``). Then the
genes form a forest rooted at founder genes, and what the typed people below a root
say about it is one vector over the root's allele: ``φ(x) = λ(x) Π_children (M
φ_child)(x)``, computed leaf to root, with ``λ`` the reading's indicator. So

    rest(x_1, ..., x_N) = Σ_flows w · φ_1(x_1) ··· φ_N(x_N)

over the open founder genes, and the urn sum of each product is
`urn.partition_function`: ``Σ_π Π_B (|B|-1)! θ^(|B|-1) Σ_a u(a) Π_{j ∈ B} φ_j(a)``.

Only choices that matter are enumerated: a gene with nothing typed below it sums
out whichever parent gene it copies; a child of a person whose two genes are known
gets ``½ (φ(a) + φ(b))`` without branching; the first gene routed to an untyped
founder's pair goes to its first gene (the two are exchangeable), which halves the
flows per such founder.

`table` gives ``P(typed, one person's ordered genes = (x, y))`` for every x, y at
once: that person's genes are *free* (known, but to every value): a push from them
carries an axis for x or y, at most one root carries each, and the urn sum is then
linear in that root's vector: `urn.partition_gradients` gives the gradient (one such
root) or the mixed second derivative (two).
"""

from __future__ import annotations

import itertools
from collections.abc import Collection, Mapping

import numpy as np
from numpy.typing import NDArray

from chosei.i18n import _
from chosei.kinship.errors import ComplexityError
from chosei.kinship.pedigree import Pedigree
from chosei.kinship.urn import partition_gradients, work

Observed = tuple[int, int | None]
Weight = float | NDArray[np.float64]  # a flow's weight: a number, or a table over the free genes

MAX_WORK = 1 << 30
"""Most operations (gene flows x `urn.work`) spent on one likelihood, some seconds:
with 20 alleles, 79,000 flows over 9 open founder genes, 6,300 over 12. The
families of 1-3 vocabulary relatives need at most 1 % of it for one likelihood, 10 %
for a `table` (20 alleles, the worst family, a partial genotype)."""

_BATCH_BYTES = 1 << 26  # root vectors held before they are summed: bounds the memory
X, Y = -1, -2  # the free person's paternal and maternal gene: axes 0 and 1 of a table


def likelihood(
    ped: Pedigree,
    typed: Mapping[str, Observed],
    freqs: NDArray[np.float64],
    mutation: NDArray[np.float64],
    theta: float,
    half_fixed: Collection[str] = (),
) -> float:
    """P(typed genotypes), founder genes from the Polya urn, with mutation.

    Typed founders must have a full genotype (fixed genes), or ``a/-`` and be in
    `half_fixed` (paternal gene fixed to ``a``, maternal gene open and unobserved).
    """
    return float(_Setup(ped, typed, freqs, mutation, theta, half_fixed, None).run())


def table(
    ped: Pedigree,
    typed: Mapping[str, Observed],
    freqs: NDArray[np.float64],
    mutation: NDArray[np.float64],
    theta: float,
    free: str,
    half_fixed: Collection[str] = (),
) -> NDArray[np.float64] | None:
    """``P(typed genotypes, free's ordered genes = (x, y))`` as a K x K array.

    `free` is untyped here and must be a founder or a child of founders (as V is in
    every vocabulary pedigree); None otherwise.
    """
    person = ped[free]
    placed = person.parents is None or all(ped[parent].is_founder for parent in person.parents)
    if len(freqs) < 2 or free in typed or not placed:
        return None
    return np.asarray(_Setup(ped, typed, freqs, mutation, theta, half_fixed, free).run())


class _Setup:
    """Genes, founders and transmission steps of one pedigree, then the flows summed."""

    def __init__(
        self,
        ped: Pedigree,
        typed: Mapping[str, Observed],
        freqs: NDArray[np.float64],
        mutation: NDArray[np.float64],
        theta: float,
        half_fixed: Collection[str],
        free: str | None,
    ) -> None:
        n = len(freqs)
        children: dict[str, int] = {p.id: 0 for p in ped.persons}
        for p in ped.persons:
            if p.parents is not None:
                father, mother = p.parents
                children[father] += 1
                children[mother] += 1
        genes: dict[str, tuple[int, ...]] = {}
        self.fixed: dict[int, int] = {}  # founder gene -> allele, in urn order
        roots: list[int] = []  # open founder genes, in urn order
        self.paired: set[int] = set()  # first genes of untyped founders with two open genes
        self.weight = 1.0
        self.steps: list[tuple[int, tuple[int, ...]]] = []
        self.readers: list[tuple[int, int, Observed]] = []
        self.free_genes: dict[int, int] = {}
        self.start: dict[int, NDArray[np.float64]] = {}
        count = 0
        for p in ped.persons:
            obs = typed.get(p.id)
            if p.is_founder and obs is None and children[p.id] == 1 and p.id != free:
                genes[p.id] = (count,)
                roots.append(count)
                count += 1
                continue
            pat, mat = count, count + 1
            count += 2
            genes[p.id] = (pat, mat)
            if p.id == free:
                self.free_genes = {pat: X, mat: Y}
            if p.parents is not None:
                father, mother = p.parents
                self.steps.append((pat, genes[father]))
                self.steps.append((mat, genes[mother]))
                if obs is not None:
                    self.readers.append((pat, mat, obs))
            elif p.id == free:
                roots.extend((pat, mat))  # open draws, each its own table axis
                self.start = {pat: np.eye(n)[:, :, None], mat: np.eye(n)[:, None, :]}
            elif obs is None:
                roots.extend((pat, mat))
                self.paired.add(pat)
            elif obs[1] is not None:
                self.fixed[pat], self.fixed[mat] = obs[0], obs[1]
                self.weight *= 2.0 if obs[0] != obs[1] else 1.0  # both orders of a heterozygous founder
            elif p.id in half_fixed:
                self.fixed[pat] = obs[0]
                roots.append(mat)
            else:
                raise ValueError(f"founder {p.id!r} typed a/- must be in half_fixed")
        self.steps.reverse()
        passed_on = {g for _, parents in self.steps for g in parents} | set(self.start)
        self.roots = [g for g in roots if g in passed_on]  # an unobserved gene of nobody sums out
        counts = np.bincount(np.asarray(list(self.fixed.values()), dtype=int), minlength=n)
        self.u = counts * theta + (1 - theta) * freqs
        self.freqs, self.mutation, self.theta = freqs, mutation, theta
        self.tabled = free is not None

    def run(self) -> NDArray[np.float64] | float:
        flows = _Flows(self)
        for reading in itertools.product(*(_readings(pat, mat, obs) for pat, mat, obs in self.readers)):
            sign = 1.0
            seen = {**self.fixed, **self.free_genes}
            for s, assigned in reading:
                sign *= s
                seen.update(assigned)
            flows.walk(seen, sign)
        theta = self.theta
        denominators = 1 + (len(self.fixed) + np.arange(len(self.roots)) - 1) * theta
        scale = _urn_probability(self.freqs, theta, list(self.fixed.values())) / float(np.prod(denominators))
        return self.weight * scale * flows.total()


def _urn_probability(freqs: NDArray[np.float64], theta: float, alleles: list[int]) -> float:
    """Polya-urn probability of drawing these alleles in this order."""
    counts = np.zeros(len(freqs))
    prob = 1.0
    for drawn, a in enumerate(alleles):
        prob *= (counts[a] * theta + (1 - theta) * freqs[a]) / (1 + (drawn - 1) * theta)
        counts[a] += 1
    return prob


def _readings(pat: int, mat: int, obs: Observed) -> list[tuple[float, dict[int, int]]]:
    a, b = obs
    if b is None:
        return [(1.0, {pat: a}), (1.0, {mat: a}), (-1.0, {pat: a, mat: a})]
    if a == b:
        return [(1.0, {pat: a, mat: a})]
    return [(1.0, {pat: a, mat: b}), (1.0, {pat: b, mat: a})]


def _pick(vec: NDArray[np.float64], value: int) -> NDArray[np.float64]:
    """A message over its gene's allele (first axis), read at a known or free allele."""
    if value >= 0:
        picked: NDArray[np.float64] = vec[value]
        return picked
    return vec[:, None] if value == X else vec[None, :]


def _times(down: dict[int, NDArray[np.float64]], gene: int, vec: NDArray[np.float64]) -> dict[int, NDArray[np.float64]]:
    out = dict(down)
    held = out.get(gene)
    if held is None:
        out[gene] = vec
    elif held.ndim == vec.ndim:
        out[gene] = held * vec
    else:  # one of them carries a free axis: align on the allele axis
        out[gene] = held.reshape(held.shape + (1,) * (3 - held.ndim)) * vec.reshape(vec.shape + (1,) * (3 - vec.ndim))
    return out


class _Flows:
    """Depth-first enumeration of the gene flows; their urn sums are taken in batches."""

    def __init__(self, setup: _Setup) -> None:
        self.setup = setup
        self.mutation = setup.mutation
        self.columns = np.ascontiguousarray(setup.mutation.T)  # row v: M[:, v], pushing up an allele known to be v
        self.free_push = {X: setup.mutation[:, :, None], Y: setup.mutation[:, None, :]}
        n = len(setup.u)
        self.ones = np.ones(n)
        marked = 2 if setup.tabled else 0
        self.limit = MAX_WORK // work(max(len(setup.roots) - marked, 0), n, marked)
        self.batch = max(1, _BATCH_BYTES // (8 * n * max(len(setup.roots), 1) * (n if setup.tabled else 1)))
        self.count = 0
        self.sum: NDArray[np.float64] | float = np.zeros((n, n)) if setup.tabled else 0.0
        self.held: dict[tuple[bool, bool], list[tuple[Weight, list[NDArray[np.float64]]]]] = {}
        self.size = 0
        self.seen: Mapping[int, int] = {}
        if self.limit == 0:
            self._refuse()

    def walk(self, seen: Mapping[int, int], weight: float) -> None:
        self.seen = seen
        self._step(0, dict(self.setup.start), weight)

    def total(self) -> NDArray[np.float64] | float:
        self._flush()
        return self.sum

    def _refuse(self) -> None:
        raise ComplexityError(
            _("theta > 0 with mutation needs more than {limit:,} gene flows over {n_setup_roots} open founder "
              "genes at this marker (limit {max_work:,} operations); use theta = 0 or fewer relatives").format(
                limit=self.limit, n_setup_roots=len(self.setup.roots), max_work=MAX_WORK)
        )

    def _step(self, k: int, down: dict[int, NDArray[np.float64]], weight: Weight) -> None:
        steps, seen = self.setup.steps, self.seen
        while k < len(steps):
            gene, parents = steps[k]
            k += 1
            vec = down.get(gene)
            value = seen.get(gene)
            if value is not None:
                if value < 0:
                    pushed = self.free_push[value]
                else:
                    scale = 1.0 if vec is None else float(vec[value])
                    if scale == 0.0:
                        return
                    pushed = scale * self.columns[value]
            elif vec is None:
                continue  # nothing typed below: sums out whichever parent gene it copies
            else:
                pushed = self.mutation @ vec
            if len(parents) == 1:
                down = _times(down, parents[0], pushed)
                continue
            first, second = parents
            a, b = seen.get(first), seen.get(second)
            if a is not None and b is not None:
                weight = weight * (0.5 * (_pick(pushed, a) + _pick(pushed, b)))
                continue
            if first in self.setup.paired and first not in down and second not in down:
                down = _times(down, first, pushed)  # the pair's genes are exchangeable
                continue
            self._step(k, _times(down, first, pushed), 0.5 * weight)
            down, weight = _times(down, second, pushed), 0.5 * weight
        self._emit(down, weight)

    def _emit(self, down: dict[int, NDArray[np.float64]], weight: Weight) -> None:
        for gene, allele in self.setup.fixed.items():
            if gene in down:
                weight = weight * down[gene][allele]
        if not np.any(weight):
            return
        self.count += 1
        if self.count > self.limit:
            self._refuse()
        vectors = [down.get(g, self.ones) for g in self.setup.roots]
        key = (
            any(v.ndim == 3 and v.shape[1] > 1 for v in vectors),
            any(v.ndim == 3 and v.shape[2] > 1 for v in vectors),
        )
        self.held.setdefault(key, []).append((weight, vectors))
        self.size += 1
        if self.size >= self.batch:
            self._flush()

    def _flush(self) -> None:
        for key, rows in self.held.items():
            self.sum = self.sum + self._sum(key, rows)
        self.held, self.size = {}, 0

    def _sum(
        self, key: tuple[bool, bool], rows: list[tuple[Weight, list[NDArray[np.float64]]]]
    ) -> NDArray[np.float64] | float:
        """Σ over these flows of weight x urn sum, each a number or an (x, y) table."""
        u, theta = self.setup.u, self.setup.theta
        n = len(u)
        with_x, with_y = key
        carried_x = (
            [next(v[:, :, 0] for v in vecs if v.ndim == 3 and v.shape[1] > 1) for _, vecs in rows] if with_x else []
        )
        carried_y = (
            [next(v[:, 0, :] for v in vecs if v.ndim == 3 and v.shape[2] > 1) for _, vecs in rows] if with_y else []
        )
        marked = int(with_x) + int(with_y)
        width = len(self.setup.roots) - marked
        rest = np.array([[v for v in vecs if v.ndim == 1] for _, vecs in rows]).reshape(len(rows), width, n)
        if not self.setup.tabled:
            values = partition_gradients(rest, u, theta, 0)
            return float(np.dot([float(w) for w, _ in rows], values))
        weights = np.array([np.broadcast_to(w, (n, n)) for w, _ in rows])
        got = partition_gradients(rest, u, theta, marked)
        if marked == 0:
            values = got[:, None, None]
        elif marked == 2:
            values = np.matmul(np.matmul(np.array(carried_x).transpose(0, 2, 1), got), np.array(carried_y))
        elif with_x:
            values = np.matmul(got[:, None, :], np.array(carried_x))[:, 0, :, None]
        else:
            values = np.matmul(got[:, None, :], np.array(carried_y))
        total: NDArray[np.float64] = (weights * values).sum(axis=0)
        return total
