"""Vectorised matching of N specimens against M victims' families.

What does not depend on the specimen is computed once per victim and marker: the LR
as a function of the specimen's observation at that marker, a table indexed by
`genotype_index.index_of` (every full genotype, every partial genotype, untyped). Matching a
specimen is then a lookup per marker and a sum of log10 LRs, done for all specimens
at once with numpy.

* theta = 0: one contraction per victim and marker gives
  ``P(relatives, V = x/y)`` for every ordered pair (`likelihood.victim_table`); divided
  by ``P(relatives) · P(x/y)`` it is the LR for every specimen genotype at once.
* theta > 0: H2 depends on the specimen too (it shares the urn with the family);
  one computation per victim and marker gives both tables over the specimen's genes
  (`likelihood.victim_tables_theta`): without mutation an enumeration of inheritance
  patterns, with mutation the gene flows with V's (or the specimen's) genes left
  free (`flows.table`). If that refuses, the table is filled only at the
  observations some specimen has, each with the exact engine; a victim whose family
  is too large even for that (`ComplexityError`) gets NaN in its column and an entry
  in `BatchResult.failures` instead of stopping the batch.

The frequency table is first completed with every allele in any profile of the batch
(`FrequencyTable.completed`), so each LR equals `autosomal.kinship_lr` with that
completed table. Rules are those of `autosomal`: untyped (in the specimen or all
relatives) gives 1, an impossible genotype under H1 gives 0 (an exclusion), and a
family whose own genotypes are impossible raises `InconsistentFamilyError`.

The markers compared (typed in some specimen and some relative) are taken in sorted
order, and the total is summed in that order. `BatchResult.excluded` says which
marker excludes which pair (what `KinshipResult.excluded_markers` names for one pair),
and `progress(done, total)` is called after each marker.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import cast

import numpy as np
from numpy.typing import NDArray

from chosei.i18n import _
from chosei.kinship import genotype_index
from chosei.kinship.autosomal import NO_MUTATION, Relative, as_profile, check_theta
from chosei.kinship.dropout import check_rates, genotype_pairs, is_off, observation_terms, probability
from chosei.kinship.errors import ComplexityError, InconsistentFamilyError, KinshipInputError
from chosei.kinship.frequencies import FrequencyTable
from chosei.kinship.genotypes import Genotype, Profile, consensus_genotype, profile_alleles
from chosei.kinship.likelihood import (
    Marker,
    observation_tables,
)
from chosei.kinship.mutation import MutationModel
from chosei.kinship.pedigree import Pedigree, Sex, build_pedigree
from chosei.kinship.posterior import CANDIDATE_LR_FLOOR


@dataclass(frozen=True)
class Family:
    """A victim and the relatives who gave reference DNA.

    Without `pedigree` the relatives' relationship terms build it (`build_pedigree`);
    a ready `pedigree` (a family tree, `kinship.trees`) is used as it is: its victim is
    `victim`, and relatives not in it are left out.
    """

    victim: str
    relatives: tuple[Relative, ...]
    victim_sex: Sex = "M"
    pedigree: Pedigree | None = None


@dataclass(frozen=True)
class BatchResult:
    """log10 LRs of every specimen (rows) against every victim (columns).

    `excluded[i, j, k]` is True where marker `markers[k]` excludes specimen i for
    victim j (LR 0 at that marker); all False in a victim's column in `failures`.
    """

    specimens: tuple[str, ...]
    victims: tuple[str, ...]
    log10_lr: NDArray[np.float64]
    excluded: NDArray[np.bool_]
    markers: tuple[str, ...]
    failures: Mapping[str, str] = field(default_factory=dict)

    @property
    def excluded_markers(self) -> NDArray[np.int32]:
        """How many markers exclude each pair."""
        counts: NDArray[np.int32] = self.excluded.sum(axis=2, dtype=np.int32)
        return counts

    def excluded_at(self, specimen: int, victim: int) -> tuple[str, ...]:
        """The markers excluding one pair (row, column), in `markers` order."""
        return tuple(self.markers[k] for k in np.flatnonzero(self.excluded[specimen, victim]))

    @property
    def lr(self) -> NDArray[np.float64]:
        with np.errstate(over="ignore"):
            return np.power(10.0, self.log10_lr)

    def candidates(self, floor: float = CANDIDATE_LR_FLOOR) -> list[tuple[str, str, float]]:
        """(specimen, victim, LR) with LR >= floor, strongest first."""
        rows, cols = np.nonzero(self.log10_lr >= math.log10(floor))
        found = [(self.specimens[r], self.victims[c], float(self.lr[r, c])) for r, c in zip(rows, cols, strict=True)]
        return sorted(found, key=lambda t: -t[2])


def match_batch(
    specimens: Mapping[str, Mapping[str, object]],
    families: Sequence[Family],
    table: FrequencyTable,
    *,
    theta: float = 0.0,
    mutation: MutationModel | None = None,
    progress: Callable[[int, int], None] | None = None,
    dropout: float | Mapping[str, float] = 0.0,
    drop_in: float = 0.0,
    groups: Mapping[str, Sequence[str]] | None = None,
) -> BatchResult:
    """LRs of every specimen ({id: profile}) against every family.

    `dropout` is the specimens' dropout probability (one for all, or {specimen id: d},
    0 for a specimen not named) and `drop_in` the drop-in rate (`dropout` module);
    both 0 (the default) is the exact model without them.
    `groups` ({group id: member specimen ids}) are specimens known to be one person
    (DNA groups): each gets a row after the specimens', matched as one individual with
    all its members' typings. With the dropout model its observation at a marker is
    every member's at once, ``P(O_1, ..., O_k | g) = Π P(O_i | g, d_i)`` (independent
    typings of one genotype); without it, the members' consensus (`consensus_genotype`;
    a marker where they disagree is left out of the group's row).
    `progress(done, total)`, if given, is called after each of the `total` markers.
    """
    mutation = mutation or NO_MUTATION
    check_theta(theta)
    spec_ids = tuple(specimens)
    rates = np.array([float(dropout.get(s, 0.0)) if isinstance(dropout, Mapping) else dropout for s in spec_ids],
                     dtype=float)
    for d in {*rates.tolist(), 0.0}:
        check_rates(d, drop_in)
    modelled = not is_off(rates, drop_in)
    spec = [as_profile(specimens[s], _("profile of specimen {id!r}").format(id=s)) for s in spec_ids]
    groups = dict(groups or {})
    members = []
    for gid, ids in groups.items():
        unknown = [m for m in ids if m not in spec_ids]
        if unknown or not ids:
            raise KinshipInputError(_("group {gid!r} must name specimens of the batch; {value} given").format(
                                        gid=gid, value=unknown or 'none'))
        members.append([spec_ids.index(m) for m in ids])
    rows = [*spec, *(_consensus([spec[i] for i in m]) for m in members)] if not modelled else spec
    fams = [_family(f) for f in families]
    if len({f[0] for f in fams}) != len(fams):
        raise KinshipInputError(_("families name the same victim twice; give one per victim"))
    everything = [*spec, *(p for _, _, profiles in fams for p in profiles.values())]
    seen = profile_alleles(everything)
    complete = table.completed(seen)
    # a marker typed only in specimens or only in relatives contributes 1 everywhere
    in_specimens = set(profile_alleles(spec))
    in_families = set(profile_alleles(everything[len(spec) :]))
    markers = tuple(sorted(m for m in seen if m in in_specimens and m in in_families))
    failures: dict[str, str] = {}
    log10 = np.zeros((len(spec_ids) + len(groups), len(fams)))
    excluded = np.zeros((len(spec_ids) + len(groups), len(fams), len(markers)), dtype=bool)
    for k, marker in enumerate(markers):
        mf = complete.marker(marker)
        engine = Marker.of(mf, mutation.matrix(mf))
        n = engine.n
        idx = np.array([genotype_index.index_of(p.get(marker), mf.index, n) for p in rows])
        needed = np.unique(idx)
        if modelled:  # every full genotype may explain what a specimen shows
            needed = np.union1d(needed, np.arange(n * (n + 1) // 2))
        h1s = np.ones((len(fams), genotype_index.size(n)))
        h2s = np.ones((len(fams), genotype_index.size(n)))
        active = np.zeros(len(fams), dtype=bool)  # a victim whose relatives are typed here, computed
        for v, (victim, pedigree, profiles) in enumerate(fams):
            family = {rid: p[marker] for rid, p in profiles.items() if marker in p}
            if not family or victim in failures:
                continue
            try:
                h1s[v], h2s[v] = observation_tables(pedigree, family, engine, theta, needed)
                if h2s[v][-1] <= 0 or np.any(h2s[v][needed] <= 0):
                    raise _inconsistent(victim, marker, family)
                active[v] = True
            except ComplexityError as exc:
                failures[victim] = _("marker {marker}: {exc}").format(marker=marker, exc=exc)
                h1s[v] = h2s[v] = 1.0
        if modelled:
            gathered = _observed(h1s, h2s, idx, rates, engine, drop_in, members, active,
                                 h1s[:, -1] if theta == 0 else None)
        else:
            with np.errstate(divide="ignore"):
                stacked = np.log10(np.array([_ratio(h1, h2) for h1, h2 in zip(h1s, h2s, strict=True)]))
            gathered = stacked[:, idx].T
        log10 += gathered
        excluded[:, :, k] = np.isneginf(gathered)
        if progress is not None:
            progress(k + 1, len(markers))
    victims = tuple(f[0] for f in fams)
    for v, victim in enumerate(victims):
        if victim in failures:
            log10[:, v] = np.nan
            excluded[:, v, :] = False
    return BatchResult((*spec_ids, *groups), victims, log10, excluded, markers, failures)


def _consensus(profiles: Sequence[Profile]) -> Profile:
    """A group's profile without the dropout model: per marker the members' consensus; a
    marker where they disagree is left out."""
    out: Profile = {}
    for marker in sorted({m for p in profiles for m in p}):
        merged = consensus_genotype([p[marker] for p in profiles if marker in p])
        if merged is not None:
            out[marker] = merged
    return out


def _family(family: Family) -> tuple[str, Pedigree, dict[str, Profile]]:
    if not isinstance(family, Family):
        raise KinshipInputError(_("each family must be a Family(victim, relatives), not {family!r}").format(
                                    family=family))
    rels = list(family.relatives)
    pedigree = family.pedigree
    if pedigree is None:
        pedigree = build_pedigree(
            [(r.id, r.relationship) for r in rels], victim_sex=family.victim_sex, victim_id=family.victim
        )
    elif pedigree.victim != family.victim:
        raise KinshipInputError(
            _("the pedigree of victim {family_victim!r} has {pedigree_victim!r} as its victim").format(
                                    family_victim=family.victim, pedigree_victim=pedigree.victim))
    ids = set(pedigree.ids)
    profiles = {r.id: as_profile(r.profile, _("profile of relative {id!r}").format(id=r.id))
                for r in rels if r.id in ids}
    return family.victim, pedigree, profiles


def _inconsistent(victim: str, marker: str, family: Mapping[str, Genotype]) -> InconsistentFamilyError:
    who = ", ".join(f"{rid} {g}" for rid, g in family.items())
    return InconsistentFamilyError(
        _("victim {victim}, marker {marker}: the relatives' genotypes ({who}) cannot arise from the stated "
          "relationships; check the typing and the relationships, or use a mutation model").format(
            victim=victim, marker=marker, who=who)
    )


def _observed(
    h1s: np.ndarray,
    h2s: np.ndarray,
    idx: np.ndarray,
    rates: np.ndarray,
    engine: Marker,
    drop_in: float,
    members: Sequence[Sequence[int]],
    active: np.ndarray,
    totals: np.ndarray | None,
) -> np.ndarray:
    """log10 LR (specimens, then groups, x victims) with dropout and drop-in at one marker.

    ``LR = Σ_g H1(g) P(O | g) / Σ_g H2(g) P(O | g)`` over the full genotypes g, with
    ``P(O | g) = A0 + d A1 + d² A2`` (`dropout.observation_terms`): three products of
    the victims' tables with the distinct observations, then each specimen's own d.
    A group's ``P(O | g)`` is the product of its typed members'. An untyped marker,
    and a victim not `active` (no relative typed here), stay 1. With θ = 0 H2 is
    ``P(relatives) · HW(g)`` (`totals` the former), so its products are one row.
    """
    n = engine.n
    full = n * (n + 1) // 2
    gi, gj = genotype_pairs(n)
    typed = idx != genotype_index.untyped(n)
    distinct, where = np.unique(idx[typed], return_inverse=True)
    out = np.zeros((len(idx) + len(members), len(h1s)))
    if not len(distinct):
        return out
    observed = [(int(gi[k]), int(gj[k])) if k < full else (int(k) - full, None) for k in distinct]
    terms = observation_terms(observed, engine.freqs, drop_in)
    d = rates[typed][None, :]
    parts = []
    hardy = genotype_index.hardy_weinberg(engine.freqs)[:full]
    for h in (h1s[:, :full], h2s[:, :full] if totals is None else None):
        # h is None only in the H2 pass with `totals` given
        c0, c1, c2 = (h @ a.T if h is not None else cast(np.ndarray, totals)[:, None] * (hardy @ a.T)[None, :]
                      for a in terms)
        parts.append(c0[:, where] + d * c1[:, where] + d * d * c2[:, where])
    num, den = parts
    with np.errstate(divide="ignore", invalid="ignore"):
        lr = np.where(den > 0, np.maximum(num, 0.0) / np.where(den > 0, den, 1.0), 0.0)
        out[: len(idx)][typed] = np.log10(lr).T
    position = np.full(len(idx), -1)
    position[typed] = where
    for k, group in enumerate(members):
        seen = [i for i in group if typed[i]]
        if not seen:
            continue
        joint = np.prod([probability(tuple(a[position[i]] for a in terms), rates[i]) for i in seen], axis=0)
        num, den = h1s[:, :full] @ joint, h2s[:, :full] @ joint
        with np.errstate(divide="ignore", invalid="ignore"):
            out[len(idx) + k] = np.log10(np.where(den > 0, np.maximum(num, 0.0) / np.where(den > 0, den, 1.0), 0.0))
    out[:, ~active] = 0.0
    return out


def _ratio(h1: np.ndarray, h2: np.ndarray) -> np.ndarray:
    """The LR per observation index; untyped (the last) is 1."""
    with np.errstate(divide="ignore", invalid="ignore"):
        lr = np.where(h2 > 0, h1 / np.where(h2 > 0, h2, 1.0), 0.0)
    lr[-1] = 1.0
    return lr
