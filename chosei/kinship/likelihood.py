"""Exact likelihood of the genotypes of a pedigree at one autosomal marker.

The model, written at the level of genes (every person has a paternal and a maternal
gene, each an allele):

* founders' genes: allele frequencies ``p`` (theta = 0);
* each child's paternal gene, given the father's two genes ``(a, b)``:
  ``½ (M[a, x] + M[b, x])``, with ``M`` the mutation matrix (the identity without
  mutation), and the same for the maternal gene;
* each typed person: 1 where the ordered gene pair fits the observed genotype (a
  partial genotype ``a/-`` fits every pair holding ``a``), else 0.

The likelihood is the sum over all genes of the product -- over all typed relatives
at once, never a product of pairwise LRs. Which exact algorithm computes it:

* theta = 0: person-level peeling (`peeling`); a pedigree with loops (never built
  from the vocabulary) falls back to a gene-level `numpy.einsum` contraction along a
  min-degree elimination order.
* theta > 0 (Balding-Nichols as Familias and pedprobr implement it): founder genes
  are drawn jointly from the Polya urn, the m+1-th being allele ``a`` with
  probability ``(n_a θ + (1-θ) p_a) / (1 + (m-1) θ)`` when ``n_a`` of the m already
  drawn are ``a``. Without mutation, `ibd` sums over inheritance patterns. With
  mutation, `flows`: the urn as a sum over set partitions of the open founder genes
  (`urn`), the rest of the pedigree as a sum of products over founder genes (gene
  flows), each product's urn sum a recursion over subsets -- exact, and nothing grows
  as K^N for K alleles and N open founder genes. Before that, exact reductions:
  people with no typed person at or below them are pruned; an untyped founder with
  one child contributes one gene (the urn is exchangeable, so the other sums out);
  alleles nobody typed has are merged into one when the model is lumpable
  (``equal``, ``proportional``; not ``stepwise``); a founder typed ``a/-`` goes
  through inclusion-exclusion (`_founder_terms`). Past `flows.MAX_WORK` operations
  (never for 1-3 vocabulary relatives; six relatives on six lines, 12 open founder
  genes, are past it) the older sums are tried -- the founder-allele combinations
  enumerated against the urn up to `MAX_URN_CELLS`, the set partitions contracted one
  by one up to `MAX_PARTITIONS` -- and then `ComplexityError` is raised rather than
  run for hours.

Everyone outside the pedigree who is typed (the specimen under "unrelated") is
another founder drawn from the same urn.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from chosei.i18n import _
from chosei.kinship import flows, genotype_index, ibd
from chosei.kinship.contraction import contract
from chosei.kinship.errors import ComplexityError, KinshipInputError
from chosei.kinship.frequencies import MarkerFrequencies
from chosei.kinship.genotypes import Genotype
from chosei.kinship.pedigree import Pedigree, Person
from chosei.kinship.peeling import peel
from chosei.kinship.urn import bell, partition_sum

MAX_URN_CELLS = 1 << 22
"""Largest number of founder-allele combinations enumerated for theta > 0 (4 194 304)."""

MAX_PARTITIONS = bell(8)
"""Most set partitions of the open founder genes contracted one by one (4 140)."""


@dataclass(frozen=True)
class Marker:
    """What the engine needs about a marker: frequencies and mutation matrix."""

    freqs: NDArray[np.float64]
    mutation: NDArray[np.float64]
    index: Mapping[str, int]

    @classmethod
    def of(cls, mf: MarkerFrequencies, mutation: NDArray[np.float64]) -> Marker:
        return cls(np.asarray(mf.freqs, dtype=float), np.asarray(mutation, dtype=float), mf.index)

    @property
    def n(self) -> int:
        return len(self.freqs)

    def allele_index(self, genotype: Genotype, who: str) -> tuple[int, int | None]:
        try:
            first = self.index[genotype.first]
            second = None if genotype.second is None else self.index[genotype.second]
        except KeyError as exc:
            raise KinshipInputError(
                _("allele {exc_args} of {who} is not in the marker's allele list; complete the frequency table "
                  "with the profiles' alleles first").format(exc_args=exc.args[0], who=who)
            ) from None
        return first, second


def observation(n: int, genotype: tuple[int, int | None]) -> NDArray[np.float64]:
    """n x n indicator over ordered gene pairs that fit an observed genotype."""
    a, b = genotype
    obs = np.zeros((n, n))
    if b is None:
        obs[a, :] = 1.0
        obs[:, a] = 1.0
    else:
        obs[a, b] = obs[b, a] = 1.0
    return obs


def _transmission(mutation: NDArray[np.float64]) -> NDArray[np.float64]:
    return 0.5 * (mutation[:, None, :] + mutation[None, :, :])


@dataclass
class _Network:
    operands: list[NDArray[np.float64]]
    labels: list[list[int]]
    open_labels: list[int]
    fixed: list[int]  # allele index of each fixed founder gene, in urn order
    weight: float = 1.0
    pairs: list[tuple[int, int]] = field(default_factory=list)  # one founder's two open genes


def _network(
    pedigree: Pedigree,
    typed: Mapping[str, tuple[int, int | None]],
    marker: Marker,
    *,
    theta_mode: bool,
    open_persons: Sequence[str] = (),
    half_fixed: Collection[str] = (),
) -> _Network:
    """Operands of the gene-level contraction.

    In theta mode founder genes get no frequency factor: untyped founder genes become
    open indices (summed later against the urn) and genes of typed founders with a
    full genotype are fixed to their alleles. A founder in `half_fixed`, typed ``a/-``,
    has its paternal gene fixed to ``a`` and its maternal gene open, unobserved (one
    term of the inclusion-exclusion in `_founder_terms`).
    """
    n = marker.n
    children = {p.id: 0 for p in pedigree.persons}
    for person in pedigree.persons:
        if person.parents is not None:
            father, mother = person.parents
            children[father] += 1
            children[mother] += 1
    label_of: dict[tuple[str, int], int] = {}
    net = _Network([], [], [], [])
    fixed_value: dict[int, int] = {}
    trans = _transmission(marker.mutation)

    def new_label(key: tuple[str, int]) -> int:
        label = len(set(label_of.values()))
        label_of[key] = label
        return label

    for person in pedigree.persons:
        pid = person.id
        obs = typed.get(pid)
        single = person.is_founder and obs is None and children[pid] == 1 and pid not in open_persons
        pat = new_label((pid, 0))
        if single:
            mat = label_of[(pid, 1)] = pat
        else:
            mat = new_label((pid, 1))
        if person.is_founder:
            if not theta_mode:
                net.operands.append(marker.freqs)
                net.labels.append([pat])
                if not single:
                    net.operands.append(marker.freqs)
                    net.labels.append([mat])
            elif obs is not None and obs[1] is not None:
                fixed_value[pat], fixed_value[mat] = obs[0], obs[1]
                if obs[0] != obs[1]:
                    net.weight *= 2.0  # both orders of a heterozygous founder
            elif obs is not None and pid in half_fixed:
                fixed_value[pat] = obs[0]
                net.open_labels.append(mat)
            elif single:
                net.open_labels.append(pat)
            else:
                net.pairs.append((len(net.open_labels), len(net.open_labels) + 1))
                net.open_labels.extend([pat, mat])
        elif person.parents is not None:  # not a founder: both parents
            father, mother = person.parents
            for parent, own in ((father, pat), (mother, mat)):
                p_pat, p_mat = label_of[(parent, 0)], label_of[(parent, 1)]
                if p_pat == p_mat:  # a one-child founder: its single gene is passed on
                    net.operands.append(marker.mutation)
                    net.labels.append([p_pat, own])
                else:
                    net.operands.append(trans)
                    net.labels.append([p_pat, p_mat, own])
        if obs is not None and not (theta_mode and pat in fixed_value):
            net.operands.append(observation(n, obs))
            net.labels.append([pat, mat])
    for pid in open_persons:
        net.open_labels.extend([label_of[(pid, 0)], label_of[(pid, 1)]])
    if fixed_value:
        _fix(net, fixed_value)
        net.fixed = list(fixed_value.values())
    return net


def _fix(net: _Network, fixed: Mapping[int, int]) -> None:
    """Slice every operand at the fixed genes' alleles (a fixed gene is no index)."""
    for k, (op, labels) in enumerate(zip(net.operands, net.labels, strict=True)):
        if not any(label in fixed for label in labels):
            continue
        index = tuple(fixed.get(label, slice(None)) for label in labels)
        net.operands[k] = op[index]
        net.labels[k] = [label for label in labels if label not in fixed]


def _contract(net: _Network, out: Sequence[int]) -> NDArray[np.float64]:
    return contract(net.operands, net.labels, out)


def urn_weights(
    freqs: NDArray[np.float64],
    theta: float,
    fixed: Sequence[int],
    n_open: int | Sequence[Sequence[int] | NDArray[np.intp]],
) -> NDArray[np.float64]:
    """Joint Polya-urn probability of the fixed genes, then of each assignment of the open ones.

    `n_open` is the number of open genes (each ranging over all alleles) or, per open
    gene, the allele indices it may take. Returns an array with one axis per open gene
    (a scalar array when nothing is open).
    """
    n = len(freqs)
    ranges = [range(n)] * n_open if isinstance(n_open, int) else list(n_open)
    k = len(ranges)
    counts = np.zeros(n)
    prob = 1.0
    for drawn, a in enumerate(fixed):
        prob *= (counts[a] * theta + (1 - theta) * freqs[a]) / (1 + (drawn - 1) * theta)
        counts[a] += 1
    weights = np.full((1,) * k, prob)
    axes = [np.asarray(r, dtype=int).reshape([-1 if i == j else 1 for i in range(k)]) for j, r in enumerate(ranges)]
    for j in range(k):
        # how many earlier genes (fixed, then open genes 0..j-1) carry gene j's allele
        same = counts[axes[j]]
        for earlier in range(j):
            same = same + (axes[earlier] == axes[j])
        drawn = len(fixed) + j
        weights = weights * (same * theta + (1 - theta) * freqs[axes[j]]) / (1 + (drawn - 1) * theta)
    return weights


def _lump(marker: Marker, seen: set[int]) -> tuple[Marker, dict[int, int]] | None:
    """The marker with unseen alleles merged into one, if the mutation model allows."""
    n = marker.n
    unseen = [i for i in range(n) if i not in seen]
    if len(unseen) < 2:
        return None
    kept = sorted(seen)
    m = marker.mutation
    reference = m[unseen[0], kept]
    if not all(np.allclose(m[u, kept], reference, rtol=1e-12, atol=1e-15) for u in unseen[1:]):
        return None
    new = {old: k for k, old in enumerate(kept)}
    r = len(kept)
    lumped = np.zeros((r + 1, r + 1))
    lumped[:r, :r] = m[np.ix_(kept, kept)]
    lumped[:r, r] = m[np.ix_(kept, unseen)].sum(axis=1)
    lumped[r, :r] = reference
    lumped[r, r] = m[unseen[0], unseen].sum()
    freqs = np.append(marker.freqs[kept], marker.freqs[unseen].sum())
    return Marker(freqs, lumped, {}), new


def marker_likelihood(
    pedigree: Pedigree,
    genotypes: Mapping[str, Genotype],
    marker: Marker,
    *,
    theta: float = 0.0,
    unrelated: Sequence[Genotype] = (),
) -> float:
    """P(the typed people's genotypes) at one marker, exactly.

    `genotypes` maps person ids to genotypes (people not in it are untyped);
    `unrelated` are genotypes of further people outside the pedigree, founders from
    the same population (with theta > 0 they share its urn).
    """
    if not 0 <= theta < 1:
        raise KinshipInputError(_("theta must be in [0, 1), not {theta!r}").format(theta=theta))
    typed = {pid: marker.allele_index(g, pid) for pid, g in genotypes.items()}
    for pid in typed:
        if pid not in pedigree.ids:
            raise KinshipInputError(_("genotype given for {pid!r}, who is not in the pedigree").format(pid=pid))
    extra = [marker.allele_index(g, "an unrelated person") for g in unrelated]
    ped = pedigree.pruned(typed)
    if theta == 0:
        value = _theta0(ped, typed, marker, None).sum() if ped.persons else 1.0
        for g in extra:
            value *= float(np.sum(observation(marker.n, g) * np.outer(marker.freqs, marker.freqs)))
        return float(value)
    # Unrelated people become one-person founders of the same urn.
    outsiders = tuple(Person(f"\0unrelated{i}", "M", None, None, "unrelated", True) for i in range(len(extra)))
    ped = Pedigree(ped.persons + outsiders, ped.victim, ped.victim_sex)
    typed = {**typed, **{p.id: g for p, g in zip(outsiders, extra, strict=True)}}
    if not np.any(marker.mutation - np.eye(marker.n)):
        return ibd.likelihood(ped, typed, marker.freqs, theta)
    seen = {a for g in typed.values() for a in g if a is not None}
    lumped = _lump(marker, seen)
    if lumped is not None:
        marker, new = lumped
        typed = {pid: (new[a], None if b is None else new[b]) for pid, (a, b) in typed.items()}
    total = 0.0
    for coefficient, terms, half in _founder_terms(ped, typed):
        try:
            value = flows.likelihood(ped, terms, marker.freqs, marker.mutation, theta, half)
        except ComplexityError as refusal:
            net = _network(ped, terms, marker, theta_mode=True, half_fixed=half)
            value = _urn_sum(net, marker, theta, refusal)
        total += coefficient * value
    return float(max(total, 0.0))


def _founder_terms(
    ped: Pedigree, typed: Mapping[str, tuple[int, int | None]]
) -> list[tuple[float, dict[str, tuple[int, int | None]], frozenset[str]]]:
    """Inclusion-exclusion over founders typed ``a/-``: no open gene carries an observation.

    ``[g1 = a or g2 = a] = [g1 = a] + [g2 = a] - [g1 = g2 = a]``, and the first two
    terms are equal (a founder's genes are exchangeable in the urn and symmetric in
    transmission), so each such founder gives 2 x (one gene fixed to a, the other
    open) - 1 x (homozygous a/a): two open genes fewer or one, instead of two more.
    """
    partial = [p.id for p in ped.persons if p.is_founder and p.id in typed and typed[p.id][1] is None]
    terms = [(1.0, dict(typed), frozenset[str]())]
    for pid in partial:
        a = typed[pid][0]
        step = []
        for coefficient, known, half in terms:
            step.append((2.0 * coefficient, known, half | {pid}))
            step.append((-coefficient, {**known, pid: (a, a)}, half))
        terms = step
    return terms


def _drop_unused(net: _Network) -> None:
    """Forget open genes no factor holds: an unobserved gene of nobody sums out (exchangeable urn)."""
    used = {label for labels in net.labels for label in labels}
    keep = [k for k, label in enumerate(net.open_labels) if label in used]
    if len(keep) < len(net.open_labels):
        position = {old: new for new, old in enumerate(keep)}
        net.open_labels = [net.open_labels[k] for k in keep]
        net.pairs = [(position[i], position[j]) for i, j in net.pairs if i in position and j in position]


def _urn_sum(net: _Network, marker: Marker, theta: float, refusal: ComplexityError) -> float:
    """Σ over the open founder genes' alleles of urn probability x the rest of the network.

    The fallback when `flows` would need too many gene flows: the founder-allele
    combinations enumerated if there are at most `MAX_URN_CELLS`, else the set
    partitions contracted one by one if there are at most `MAX_PARTITIONS`, else
    `refusal` is raised.
    """
    _drop_unused(net)
    n_open = len(net.open_labels)
    if bell(n_open) > MAX_PARTITIONS and marker.n**n_open > MAX_URN_CELLS:
        raise refusal
    allowed = _allowed_alleles(net)
    if allowed is None:
        return 0.0
    if n_open == 0 or math.prod(len(a) for a in allowed) <= MAX_URN_CELLS:
        _restrict(net, allowed)
        rest = _contract(net, net.open_labels)
        urn = urn_weights(marker.freqs, theta, net.fixed, allowed)
        return float(net.weight * np.sum(urn * rest))
    if bell(n_open) > MAX_PARTITIONS:
        raise refusal
    union = np.unique(np.concatenate(allowed))
    _restrict(net, [union] * n_open)
    counts = np.bincount(np.asarray(net.fixed, dtype=int), minlength=marker.n)
    u = (counts * theta + (1 - theta) * marker.freqs)[union]
    first = float(urn_weights(marker.freqs, theta, net.fixed, 0))
    drawn = len(net.fixed) + np.arange(n_open)
    scale = first / float(np.prod(1 + (drawn - 1) * theta))
    value = partition_sum(net.operands, net.labels, net.open_labels, u, theta, tuple(sorted(net.pairs)))
    return net.weight * scale * value


def _allowed_alleles(net: _Network) -> list[NDArray[np.intp]] | None:
    """The alleles each open founder gene can have (genotype elimination).

    Every factor is non-negative, so an allele whose marginal is 0 contributes 0
    wherever it appears. None when nothing is possible.
    """
    allowed = []
    for label in net.open_labels:
        marginal = _contract(net, [label])
        keep = np.flatnonzero(marginal > 0)
        if keep.size == 0:
            return None
        allowed.append(keep)
    return allowed


def _restrict(net: _Network, allowed: Sequence[NDArray[np.intp]]) -> None:
    """Slice every operand's open-gene axes to those genes' allowed alleles, in place."""
    where = dict(zip(net.open_labels, allowed, strict=True))
    for k, (op, labels) in enumerate(zip(net.operands, net.labels, strict=True)):
        for axis, label in enumerate(labels):
            if label in where:
                op = np.take(op, where[label], axis=axis)
        net.operands[k] = op


def victim_table(
    pedigree: Pedigree,
    genotypes: Mapping[str, Genotype],
    marker: Marker,
    *,
    open_persons: Sequence[str] | None = None,
) -> NDArray[np.float64]:
    """P(the typed genotypes, open persons' ordered genes = ...) for every gene value.

    theta = 0 only. By default V is the open person and the result is the n x n table
    ``P(relatives' genotypes, V's genes = (x, y))``; summing it gives P(relatives'
    genotypes). With several `open_persons` the result has two axes per person, in
    order. Open persons must not be in `genotypes`.
    """
    opened = [pedigree.victim] if open_persons is None else list(open_persons)
    typed = {pid: marker.allele_index(g, pid) for pid, g in genotypes.items()}
    if set(opened) & set(typed):
        raise KinshipInputError(_("a person cannot be both typed and open in victim_table"))
    ped = pedigree.pruned(set(typed) | set(opened))
    if len(opened) == 1:
        return _theta0(ped, typed, marker, opened[0])
    net = _network(ped, typed, marker, theta_mode=False, open_persons=opened)
    return _contract(net, net.open_labels)


def _theta0(
    ped: Pedigree, typed: Mapping[str, tuple[int, int | None]], marker: Marker, root: str | None,
) -> NDArray[np.float64]:
    """theta = 0: peel towards `root` (n x n over its genes), or contract if there are loops."""
    evidence = {pid: observation(marker.n, g) for pid, g in typed.items()}
    start = root if root is not None else next(iter(typed), ped.persons[0].id)
    table = peel(ped, evidence, marker.freqs, marker.mutation, start)
    if table is not None:
        return table
    net = _network(ped, typed, marker, theta_mode=False, open_persons=[start])
    return _contract(net, net.open_labels)


def victim_tables_theta(
    pedigree: Pedigree,
    genotypes: Mapping[str, Genotype],
    marker: Marker,
    theta: float,
) -> tuple[NDArray[np.float64], NDArray[np.float64]] | None:
    """theta > 0: (H1, H2) tables over the specimen's ordered genes.

    H1: ``P(relatives, V = (x, y))``; H2: ``P(relatives, unrelated specimen = (x, y))``
    with the specimen's genes drawn from the family's urn. Without mutation by `ibd`,
    with mutation by `flows.table` (the founder terms of `_founder_terms` summed).
    None when `flows.table` cannot (V must be a founder or a child of founders, as
    in every vocabulary pedigree): then each specimen genotype needs its own
    computation. Raises `ComplexityError` like `marker_likelihood`.
    """
    typed = {pid: marker.allele_index(g, pid) for pid, g in genotypes.items()}
    h1_ped = pedigree.pruned(set(typed) | {pedigree.victim})
    outsider = Person("\0specimen", "M", None, None, "unrelated", True)
    rel = pedigree.pruned(typed)
    h2_ped = Pedigree((*rel.persons, outsider), rel.victim, rel.victim_sex)
    if not np.any(marker.mutation - np.eye(marker.n)):
        h1 = ibd.open_table(h1_ped, typed, marker.freqs, theta, pedigree.victim)
        return h1, ibd.open_table(h2_ped, typed, marker.freqs, theta, outsider.id)
    tables = []
    for ped, free in ((h1_ped, pedigree.victim), (h2_ped, outsider.id)):
        total = np.zeros((marker.n, marker.n))
        for coefficient, terms, half in _founder_terms(ped, typed):
            got = flows.table(ped, terms, marker.freqs, marker.mutation, theta, free, half)
            if got is None:
                return None
            total += coefficient * got
        tables.append(np.maximum(total, 0.0))
    return tables[0], tables[1]


def observation_tables(
    pedigree: Pedigree,
    genotypes: Mapping[str, Genotype],
    marker: Marker,
    theta: float,
    needed: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """(H1, H2) per observation index (`genotype_index.index_of`) of the specimen, relatives typed.

    H1: ``P(relatives, V observed so)``; H2: ``P(relatives, an unrelated specimen
    observed so)``; their ratio is the LR of every observation at once, and with
    dropout (`dropout`) the full-genotype entries are what the specimen's observation
    probabilities are summed against. theta = 0: H1 folds `victim_table`, H2 is
    ``P(relatives)`` times Hardy-Weinberg. theta > 0: both folded from
    `victim_tables_theta`; if that refuses, only the `needed` indices are computed
    (each with `marker_likelihood`), the others hold 1. A family whose own genotypes
    are impossible gives ``H2 <= 0`` (at the last index, or at a needed one): the
    caller says so.
    """
    if theta == 0:
        joint = genotype_index.fold(victim_table(pedigree, genotypes, marker))
        return joint, joint[-1] * genotype_index.hardy_weinberg(marker.freqs)
    both = None
    with contextlib.suppress(ComplexityError):  # the tables refused: one genotype at a time may still fit
        both = victim_tables_theta(pedigree, genotypes, marker, theta)
    if both is not None:
        h1, h2 = (genotype_index.fold(t) for t in both)
        return h1, h2
    n = marker.n
    full = n * (n + 1) // 2
    alleles = sorted(marker.index, key=marker.index.__getitem__)
    gi, gj = np.triu_indices(n)
    h1, h2 = np.ones(genotype_index.size(n)), np.ones(genotype_index.size(n))
    for k in (int(k) for k in needed):
        if k >= full + n:
            continue  # untyped
        g = Genotype(alleles[gi[k]], alleles[gj[k]]) if k < full else Genotype(alleles[k - full], None)
        h1[k] = marker_likelihood(pedigree, {**genotypes, pedigree.victim: g}, marker, theta=theta)
        h2[k] = marker_likelihood(pedigree, genotypes, marker, theta=theta, unrelated=[g])
        if h2[k] == 0:
            break
    return h1, h2
