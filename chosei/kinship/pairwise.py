"""Single-relative LRs for very many (specimen, relative) pairs, in bounded memory.

Each relative stands alone here: the LR that a specimen is V, the relative's
``relationship``-relative, against unrelated, from that one relative (the pedigree
of `pedigree.build_pedigree` with one relative). Such an LR depends only on the
relationship and the two observations at each marker, so for every relationship and
marker one table ``log10 LR[specimen observation, relative observation]`` is built
once (observations indexed as in `genotype_index`), and the pairs are looked up.

* theta = 0 (any mutation model): one contraction with V and the relative both open.
* theta > 0 without mutation: from the IBD coefficients (κ0, κ1, κ2) of the
  relationship, the genes of the two people drawn from one Polya urn -- exact for
  these non-inbred relationships and equal to the pedigree computation.
* theta > 0 with mutation: for every observation of the relative, one table over the
  specimen's genes with the relative typed so (`likelihood.victim_tables_theta`, the
  gene-flow sum of `flows`), folded. About n²/2 computations per relationship and
  marker of n alleles: seconds, not milliseconds, but once for all the pairs.

`pairwise_lr` yields blocks of rows (specimens) so that memory stays bounded however
many pairs there are: a caller keeps what it needs (the best victims per specimen,
the pairs above a floor) and drops the rest. The log10 LRs are float32 (about seven
significant digits): enough to rank and screen; recompute a pair that matters with
`autosomal.kinship_lr` for a report.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from chosei.i18n import _
from chosei.kinship import genotype_index
from chosei.kinship.autosomal import NO_MUTATION, Relative, as_profile, check_theta
from chosei.kinship.errors import ComplexityError, KinshipInputError
from chosei.kinship.frequencies import FrequencyTable
from chosei.kinship.genotypes import Genotype, profile_alleles
from chosei.kinship.likelihood import Marker, urn_weights, victim_table, victim_tables_theta
from chosei.kinship.mutation import MutationModel
from chosei.kinship.paths import parse_path
from chosei.kinship.pedigree import NON_GENETIC, build_pedigree, normalise_term

DEFAULT_BLOCK_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class PairwiseBlock:
    """log10 LRs of some specimens (rows) against all relatives (columns); -inf excludes."""

    specimens: tuple[str, ...]
    log10_lr: NDArray[np.float32]


def relationship_table(
    term: str, marker: Marker, theta: float = 0.0, mutation_free: bool = True,
) -> NDArray[np.float64]:
    """log10 LR[specimen observation, relative observation] for one relationship.

    Untyped on either side gives 0 (LR 1); an exclusion gives -inf.
    """
    term = normalise_term(term)
    if term in NON_GENETIC:
        raise KinshipInputError(_("relationship {term!r} carries no genetic information for V").format(term=term))
    if theta == 0:
        pedigree = build_pedigree({"R": term})
        joint = victim_table(pedigree, {}, marker, open_persons=[pedigree.victim, "R"])
        folded = genotype_index.fold(np.moveaxis(genotype_index.fold(joint), -1, 0))  # [rel obs, spec obs]
        h1 = folded.T
        h2 = np.outer(genotype_index.hardy_weinberg(marker.freqs), h1[-1, :])
    elif mutation_free:
        h1, h2 = _kappa_tables(parse_path(term).kappa, marker.freqs, theta)
    else:
        h1, h2 = _flow_tables(term, marker, theta)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.log10(h1) - np.log10(h2)
    out[-1, :] = 0.0
    out[:, -1] = 0.0
    return out


def pairwise_lr(
    specimens: Mapping[str, Mapping[str, object]],
    relatives: Sequence[Relative],
    table: FrequencyTable,
    *,
    theta: float = 0.0,
    mutation: MutationModel | None = None,
    block_bytes: int = DEFAULT_BLOCK_BYTES,
) -> Iterator[PairwiseBlock]:
    """Single-relative log10 LRs of every specimen against every relative, by blocks."""
    mutation = mutation or NO_MUTATION
    check_theta(theta)
    spec_ids = tuple(specimens)
    spec = [as_profile(specimens[s], _("profile of specimen {id!r}").format(id=s)) for s in spec_ids]
    rel_profiles = [as_profile(r.profile, _("profile of relative {id!r}").format(id=r.id)) for r in relatives]
    terms = [normalise_term(r.relationship) for r in relatives]
    for r, term in zip(relatives, terms, strict=True):
        if term in NON_GENETIC:
            raise KinshipInputError(_("relative {r_id!r} is a {term}, who carries no genetic information for V").format(
                                        r_id=r.id, term=term))
    seen = profile_alleles([*spec, *rel_profiles])
    complete = table.completed(seen)
    # a marker typed only on one side contributes 1 to every pair
    both = set(profile_alleles(spec)) & set(profile_alleles(rel_profiles))
    markers = [m for m in seen if m in both]
    by_term: dict[str, NDArray[np.float64]] = {}
    for term in dict.fromkeys(terms):
        by_term[term] = np.array([i for i, t in enumerate(terms) if t == term])
    # per marker: observation indices of specimens / relatives, and one table per term
    spec_idx, rel_idx, lookup = [], [], []
    for marker in markers:
        mf = complete.marker(marker)
        engine = Marker.of(mf, mutation.matrix(mf))
        spec_idx.append(np.array([genotype_index.index_of(p.get(marker), mf.index, engine.n) for p in spec]))
        rel_idx.append(np.array([genotype_index.index_of(p.get(marker), mf.index, engine.n) for p in rel_profiles]))
        lookup.append(
            {t: relationship_table(t, engine, theta, mutation.is_trivial).astype(np.float32) for t in by_term}
        )
    n_rel = len(relatives)
    rows = max(1, block_bytes // max(1, 3 * 4 * n_rel))
    for start in range(0, len(spec_ids), rows):
        stop = min(start + rows, len(spec_ids))
        block = np.zeros((stop - start, n_rel), dtype=np.float32)
        for term, cols in by_term.items():
            sub = np.zeros((stop - start, len(cols)), dtype=np.float32)
            for k in range(len(markers)):
                per_spec = lookup[k][term][spec_idx[k][start:stop]]
                sub += per_spec[:, rel_idx[k][cols]]
            block[:, cols] = sub
        yield PairwiseBlock(spec_ids[start:stop], block)


def _flow_tables(term: str, marker: Marker, theta: float) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """H1 and H2 joint tables [specimen obs, relative obs] with theta and mutation: a
    column per observation of the relative (the untyped one is left at 1, its LR is 1)."""
    pedigree = build_pedigree({"R": term})
    n = marker.n
    labels = sorted(marker.index, key=marker.index.__getitem__)
    seen = [Genotype(labels[i], labels[j]) for i in range(n) for j in range(i, n)]
    seen += [Genotype(label, None) for label in labels]
    h1 = np.ones((genotype_index.size(n), genotype_index.size(n)))
    h2 = np.ones_like(h1)
    for genotype in seen:
        got = victim_tables_theta(pedigree, {"R": genotype}, marker, theta)
        if got is None:  # every one-relative pedigree of the vocabulary has a flow table
            raise ComplexityError(_("no gene-flow table for a {term} with theta and mutation").format(term=term))
        r = genotype_index.index_of(genotype, marker.index, n)
        h1[:, r], h2[:, r] = genotype_index.fold(got[0]), genotype_index.fold(got[1])
    return h1, h2


def _kappa_tables(
    kappa: tuple[float, float, float], freqs: NDArray[np.float64], theta: float,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """H1 and H2 joint tables [specimen obs, relative obs] from IBD coefficients."""
    n = len(freqs)
    eye = np.eye(n)
    u4 = urn_weights(freqs, theta, [], 4)
    joint = kappa[0] * u4
    if kappa[1]:
        u3 = urn_weights(freqs, theta, [], 3)  # (shared, V's other, relative's other)
        placements = ("svr,su->svur", "svr,su->svru", "svr,su->vsur", "svr,su->vsru")
        joint = joint + kappa[1] / 4 * sum(np.einsum(p, u3, eye) for p in placements)
    if kappa[2]:
        u2 = urn_weights(freqs, theta, [], 2)
        joint = joint + kappa[2] * np.einsum("ab,ac,bd->abcd", u2, eye, eye)
    h1 = genotype_index.fold(np.moveaxis(genotype_index.fold(joint), -1, 0)).T
    h2 = genotype_index.fold(np.moveaxis(genotype_index.fold(u4), -1, 0)).T
    return h1, h2
