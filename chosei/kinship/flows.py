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
out whichever parent gene it copies; a child of a typed person whose two genes are
read gets ``½ (φ(a) + φ(b))`` without branching; the first gene routed to an untyped
founder's pair goes to its first gene (the two are exchangeable), which halves the
flows per such founder.
"""

from __future__ import annotations

import itertools
from collections.abc import Collection, Mapping

import numpy as np

from chosei.kinship.errors import ComplexityError
from chosei.kinship.pedigree import Pedigree
from chosei.kinship.urn import partition_function, work

Observed = tuple[int, int | None]

MAX_WORK = 1 << 30
"""Most operations (gene flows x `urn.work`) spent on one likelihood, some seconds:
with 20 alleles, 80,000 flows over 9 open founder genes, 3,700 over 12. The
families of 1-3 vocabulary relatives need at most about 1 % of it."""

_BATCH_BYTES = 1 << 26  # root vectors held before they are summed: bounds the memory


def likelihood(
    ped: Pedigree,
    typed: Mapping[str, Observed],
    freqs: np.ndarray,
    mutation: np.ndarray,
    theta: float,
    half_fixed: Collection[str] = (),
) -> float:
    """P(typed genotypes), founder genes from the Polya urn, with mutation.

    Typed founders must have a full genotype (fixed genes), or ``a/-`` and be in
    `half_fixed` (paternal gene fixed to ``a``, maternal gene open and unobserved).
    """
    n = len(freqs)
    children: dict[str, int] = {p.id: 0 for p in ped.persons}
    for p in ped.persons:
        if p.father is not None:
            children[p.father] += 1
            children[p.mother] += 1  # type: ignore[index]
    genes: dict[str, tuple[int, ...]] = {}
    fixed: dict[int, int] = {}  # founder gene -> allele, in urn order
    roots: list[int] = []  # open founder genes, in urn order
    paired: set[int] = set()  # first genes of untyped founders with two open genes
    weight = 1.0
    steps: list[tuple[int, tuple[int, ...]]] = []
    readers: list[tuple[int, int, Observed]] = []
    count = 0
    for p in ped.persons:
        obs = typed.get(p.id)
        if p.is_founder and obs is None and children[p.id] == 1:
            genes[p.id] = (count,)
            roots.append(count)
            count += 1
            continue
        pat, mat = count, count + 1
        count += 2
        genes[p.id] = (pat, mat)
        if not p.is_founder:
            steps.append((pat, genes[p.father]))  # type: ignore[index]
            steps.append((mat, genes[p.mother]))  # type: ignore[index]
            if obs is not None:
                readers.append((pat, mat, obs))
        elif obs is None:
            roots.extend((pat, mat))
            paired.add(pat)
        elif obs[1] is not None:
            fixed[pat], fixed[mat] = obs
            weight *= 2.0 if obs[0] != obs[1] else 1.0  # both orders of a heterozygous founder
        elif p.id in half_fixed:
            fixed[pat] = obs[0]
            roots.append(mat)
        else:
            raise ValueError(f"founder {p.id!r} typed a/- must be in half_fixed")
    steps.reverse()
    passed_on = {g for _, parents in steps for g in parents}
    roots = [g for g in roots if g in passed_on]  # an unobserved gene of nobody sums out (exchangeable urn)
    counts = np.bincount(np.asarray(list(fixed.values()), dtype=int), minlength=n)
    u = counts * theta + (1 - theta) * freqs
    flows = _Flows(mutation, fixed, paired, steps, roots, u, theta)
    for reading in itertools.product(*(_readings(pat, mat, obs) for pat, mat, obs in readers)):
        sign = 1.0
        seen = dict(fixed)
        for s, assigned in reading:
            sign *= s
            seen.update(assigned)
        flows.walk(seen, sign)
    denominators = 1 + (len(fixed) + np.arange(len(roots)) - 1) * theta
    scale = _urn_probability(freqs, theta, list(fixed.values())) / float(np.prod(denominators))
    return weight * scale * flows.total()


def _urn_probability(freqs: np.ndarray, theta: float, alleles: list[int]) -> float:
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


class _Flows:
    """Depth-first enumeration of the gene flows; their products are summed in batches."""

    def __init__(
        self,
        mutation: np.ndarray,
        fixed: Mapping[int, int],
        paired: set[int],
        steps: list[tuple[int, tuple[int, ...]]],
        roots: list[int],
        u: np.ndarray,
        theta: float,
    ) -> None:
        self.mutation = mutation
        self.columns = np.ascontiguousarray(mutation.T)  # row v: M[:, v], pushing up an allele known to be v
        self.fixed = fixed
        self.paired = paired
        self.steps = steps
        self.roots = roots
        self.u = u
        self.theta = theta
        self.ones = np.ones(len(u))
        self.limit = MAX_WORK // work(len(roots), len(u))
        # hold every flow up to the limit when that fits, so a refusal costs no urn sums
        self.batch = max(1, _BATCH_BYTES // (8 * len(u) * max(len(roots), 1)))
        if self.limit == 0:
            self._refuse()
        self.count = 0
        self.sum = 0.0
        self.weights: list[float] = []
        self.vectors: list[list[np.ndarray]] = []
        self.seen: Mapping[int, int] = {}

    def walk(self, seen: Mapping[int, int], weight: float) -> None:
        self.seen = seen
        self._step(0, {}, weight)

    def total(self) -> float:
        self._flush()
        return self.sum

    def _flush(self) -> None:
        if self.weights:
            phi = np.array(self.vectors).reshape(len(self.weights), len(self.roots), len(self.u))
            self.sum += float(np.dot(self.weights, partition_function(phi, self.u, self.theta)))
            self.weights, self.vectors = [], []

    def _emit(self, down: dict[int, np.ndarray], weight: float) -> None:
        for gene, allele in self.fixed.items():
            if gene in down:
                weight *= float(down[gene][allele])
        if weight == 0.0:
            return
        self.count += 1
        if self.count > self.limit:
            self._refuse()
        self.weights.append(weight)
        self.vectors.append([down.get(g, self.ones) for g in self.roots])
        if len(self.weights) >= self.batch:
            self._flush()

    def _refuse(self) -> None:
        raise ComplexityError(
            f"theta > 0 with mutation needs more than {self.limit:,} gene flows over {len(self.roots)} open "
            f"founder genes at this marker (limit {MAX_WORK:,} operations); use theta = 0 or fewer relatives"
        )

    def _step(self, k: int, down: dict[int, np.ndarray], weight: float) -> None:
        steps, seen = self.steps, self.seen
        while k < len(steps):
            gene, parents = steps[k]
            k += 1
            vec = down.get(gene)
            value = seen.get(gene)
            if value is not None:
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
                weight *= 0.5 * (pushed[a] + pushed[b])
                continue
            if first in self.paired and first not in down and second not in down:
                down = _times(down, first, pushed)  # the pair's genes are exchangeable
                continue
            self._step(k, _times(down, first, pushed), 0.5 * weight)
            down, weight = _times(down, second, pushed), 0.5 * weight
        self._emit(down, weight)


def _times(down: dict[int, np.ndarray], gene: int, vec: np.ndarray) -> dict[int, np.ndarray]:
    out = dict(down)
    held = out.get(gene)
    out[gene] = vec if held is None else held * vec
    return out
