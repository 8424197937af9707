"""Person-level peeling for pedigrees without loops (theta = 0).

The same likelihood as the gene-level contraction in `likelihood`, organised around
nuclear families so that every step is a small matrix product. A person's state is
the ordered gene pair (paternal, maternal), an n x n array. For a family with
father f, mother m and children c:

* a child's message μ_c(x, y), pushed through mutation, is ``G = M μ_c Mᵀ``; given
  the parents' genes (a, b) and (d, e) it weighs ``¼ (G[a,d] + G[a,e] + G[b,d] +
  G[b,e])`` because each parent passes either gene with probability ½;
* with one child this collapses to vectors (a parent's "transmitted gene" weights
  ``½ (row sums + column sums)``); with several children the product over children
  is an n⁴ array over the parents' four genes -- unavoidable, as the children are
  dependent through both parents.

Messages flow over the tree of people and families towards a root person (Pearl's
belief propagation, i.e. Elston-Stewart peeling). `peel` returns None when the
pedigree has a loop (the caller then uses the general contraction).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from numpy.typing import NDArray

from chosei.kinship.pedigree import Pedigree

Family = tuple[str, str, tuple[str, ...]]


def peel(
    pedigree: Pedigree,
    evidence: Mapping[str, NDArray[np.float64]],
    freqs: NDArray[np.float64],
    mutation: NDArray[np.float64],
    root: str,
) -> NDArray[np.float64] | None:
    """Σ over everyone but `root` of the joint, as an n x n array over root's genes.

    `evidence` holds each typed person's n x n indicator (people missing are
    untyped). Founders get ``p pᵀ`` here; the root's own evidence is applied too.
    Returns None if the pedigree (or the root's component) has a loop. People not
    connected to the root are summed separately and multiplied in.
    """
    families: dict[tuple[str, str], list[str]] = {}
    for p in pedigree.persons:
        if p.parents is not None:
            families.setdefault(p.parents, []).append(p.id)
    fams: list[Family] = [(f, m, tuple(c)) for (f, m), c in families.items()]
    member_of: dict[str, list[int]] = {p.id: [] for p in pedigree.persons}
    for k, (f, m, children) in enumerate(fams):
        for pid in (f, m, *children):
            member_of[pid].append(k)
    if sum(2 + len(c) for _, _, c in fams) != len(member_of) + len(fams) - _components(member_of, fams):
        return None
    n = len(freqs)
    prior = np.outer(freqs, freqs)
    founders = {p.id for p in pedigree.persons if p.is_founder}

    def own(pid: str) -> NDArray[np.float64]:
        lam = evidence.get(pid)
        lam = np.ones((n, n)) if lam is None else lam
        return lam * prior if pid in founders else lam

    def person_to_family(pid: str, family: int) -> NDArray[np.float64]:
        msg = own(pid)
        for k in member_of[pid]:
            if k != family:
                msg = msg * family_to_person(k, pid)
        return msg

    def family_to_person(k: int, target: str) -> NDArray[np.float64]:
        f, m, children = fams[k]
        if target in (f, m):
            other = m if target == f else f
            mu_other = person_to_family(other, k)
            g = [mutation @ person_to_family(c, k) @ mutation.T for c in children]
            if target == m:  # index G by the target's gene first
                g = [x.T for x in g]
            if len(g) == 1:
                w = g[0] @ _passed(mu_other)
                return 0.5 * (w[:, None] + w[None, :])
            joint = _children(g)
            return np.tensordot(joint, mu_other, axes=([2, 3], [0, 1]))
        mu_f, mu_m = person_to_family(f, k), person_to_family(m, k)
        siblings = [c for c in children if c != target]
        if not siblings:
            return np.outer(_passed(mu_f) @ mutation, _passed(mu_m) @ mutation)
        joint = _children([mutation @ person_to_family(c, k) @ mutation.T for c in siblings])
        joint *= mu_f[:, :, None, None]
        joint *= mu_m[None, None, :, :]
        to_mother = 0.5 * (joint.sum(axis=3) @ mutation + joint.sum(axis=2) @ mutation)
        message: NDArray[np.float64] = 0.5 * (mutation.T @ to_mother.sum(axis=1) + mutation.T @ to_mother.sum(axis=0))
        return message

    result = own(root)
    for k in member_of[root]:
        result = result * family_to_person(k, root)
    reached = _reach(root, member_of, fams)
    if len(reached) == len(member_of):
        return result
    return _with_others(pedigree, evidence, freqs, mutation, reached, result)


def _passed(mu: NDArray[np.float64]) -> NDArray[np.float64]:
    """Weights of the gene a parent passes on: each of its two genes with prob. ½."""
    passed: NDArray[np.float64] = 0.5 * (mu.sum(axis=1) + mu.sum(axis=0))
    return passed


def _children(g: list[NDArray[np.float64]]) -> NDArray[np.float64]:
    """Π over children of ¼ (G[a,d] + G[a,e] + G[b,d] + G[b,e]) as an [a, b, d, e] array."""
    joint: NDArray[np.float64] | None = None
    for x in g:
        y = x[:, :, None] + x[:, None, :]  # [a, d, e]: G[a,d] + G[a,e]
        k = y[:, None] + y[None, :]
        joint = k if joint is None else np.multiply(joint, k, out=joint)
    assert joint is not None, "a family has at least one child"
    return joint * 0.25 ** len(g)


def _components(member_of: Mapping[str, list[int]], fams: list[Family]) -> int:
    seen: set[str] = set()
    count = 0
    for pid in member_of:
        if pid not in seen:
            count += 1
            seen |= _reach(pid, member_of, fams)
    return count


def _reach(start: str, member_of: Mapping[str, list[int]], fams: list[Family]) -> set[str]:
    seen = {start}
    stack = [start]
    while stack:
        pid = stack.pop()
        for k in member_of[pid]:
            f, m, children = fams[k]
            for other in (f, m, *children):
                if other not in seen:
                    seen.add(other)
                    stack.append(other)
    return seen


def _with_others(
    pedigree: Pedigree,
    evidence: Mapping[str, NDArray[np.float64]],
    freqs: NDArray[np.float64],
    mutation: NDArray[np.float64],
    reached: set[str],
    result: NDArray[np.float64],
) -> NDArray[np.float64] | None:
    """Multiply in the likelihood of the people not connected to the root."""
    persons = tuple(p for p in pedigree.persons if p.id not in reached)
    rest = Pedigree(persons, persons[0].id, pedigree.victim_sex)
    other = peel(rest, evidence, freqs, mutation, persons[0].id)
    return None if other is None else result * float(other.sum())
