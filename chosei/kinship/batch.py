"""Vectorised matching of N specimens against M victims' families.

What does not depend on the specimen is computed once per victim and marker: the LR
as a function of the specimen's observation at that marker, a table indexed by
`tables.index_of` (every full genotype, every partial genotype, untyped). Matching a
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

import numpy as np
from numpy.typing import NDArray

from chosei.kinship import tables
from chosei.kinship.autosomal import NO_MUTATION, Relative, as_profile, check_theta
from chosei.kinship.errors import ComplexityError, InconsistentFamilyError, KinshipInputError
from chosei.kinship.frequencies import FrequencyTable
from chosei.kinship.genotypes import Genotype, Profile, profile_alleles
from chosei.kinship.likelihood import (
    Marker,
    marker_likelihood,
    victim_table,
    victim_tables_theta,
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
) -> BatchResult:
    """LRs of every specimen ({id: profile}) against every family.

    `progress(done, total)`, if given, is called after each of the `total` markers.
    """
    mutation = mutation or NO_MUTATION
    check_theta(theta)
    spec_ids = tuple(specimens)
    spec = [as_profile(specimens[s], f"profile of specimen {s!r}") for s in spec_ids]
    fams = [_family(f) for f in families]
    if len({f[0] for f in fams}) != len(fams):
        raise KinshipInputError("families name the same victim twice; give one per victim")
    everything = [*spec, *(p for _, _, profiles in fams for p in profiles.values())]
    seen = profile_alleles(everything)
    complete = table.completed(seen)
    # a marker typed only in specimens or only in relatives contributes 1 everywhere
    in_specimens = set(profile_alleles(spec))
    in_families = set(profile_alleles(everything[len(spec) :]))
    markers = tuple(sorted(m for m in seen if m in in_specimens and m in in_families))
    failures: dict[str, str] = {}
    log10 = np.zeros((len(spec_ids), len(fams)))
    excluded = np.zeros((len(spec_ids), len(fams), len(markers)), dtype=bool)
    for k, marker in enumerate(markers):
        mf = complete.marker(marker)
        engine = Marker.of(mf, mutation.matrix(mf))
        n = engine.n
        idx = np.array([tables.index_of(p.get(marker), mf.index, n) for p in spec])
        needed = np.unique(idx)
        stacked = np.zeros((len(fams), tables.size(n)))
        for v, (victim, pedigree, profiles) in enumerate(fams):
            family = {rid: p[marker] for rid, p in profiles.items() if marker in p}
            if not family:
                continue
            if victim in failures:
                continue
            try:
                if theta == 0:
                    lr = _lr_table(pedigree, family, engine, victim, marker)
                else:
                    lr = _lr_table_theta(pedigree, family, engine, theta, needed, victim, marker)
            except ComplexityError as exc:
                failures[victim] = f"marker {marker}: {exc}"
                continue
            with np.errstate(divide="ignore"):
                stacked[v] = np.log10(lr)
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
    return BatchResult(spec_ids, victims, log10, excluded, markers, failures)


def _family(family: Family) -> tuple[str, Pedigree, dict[str, Profile]]:
    if not isinstance(family, Family):
        raise KinshipInputError(f"each family must be a Family(victim, relatives), not {family!r}")
    rels = list(family.relatives)
    pedigree = family.pedigree
    if pedigree is None:
        pedigree = build_pedigree(
            [(r.id, r.relationship) for r in rels], victim_sex=family.victim_sex, victim_id=family.victim
        )
    elif pedigree.victim != family.victim:
        raise KinshipInputError(f"the pedigree of victim {family.victim!r} has {pedigree.victim!r} as its victim")
    ids = set(pedigree.ids)
    profiles = {r.id: as_profile(r.profile, f"profile of relative {r.id!r}") for r in rels if r.id in ids}
    return family.victim, pedigree, profiles


def _inconsistent(victim: str, marker: str, family: Mapping[str, Genotype]) -> InconsistentFamilyError:
    who = ", ".join(f"{rid} {g}" for rid, g in family.items())
    return InconsistentFamilyError(
        f"victim {victim}, marker {marker}: the relatives' genotypes ({who}) cannot arise "
        "from the stated relationships; check the typing and the relationships, or use a "
        "mutation model"
    )


def _lr_table(
    pedigree: Pedigree, family: Mapping[str, Genotype], engine: Marker, victim: str, marker: str
) -> NDArray[np.float64]:
    joint = tables.fold(victim_table(pedigree, family, engine))
    total = joint[-1]
    if total <= 0:
        raise _inconsistent(victim, marker, family)
    with np.errstate(divide="ignore", invalid="ignore"):
        lr = joint / (total * tables.hardy_weinberg(engine.freqs))
    lr[-1] = 1.0
    cleaned: NDArray[np.float64] = np.nan_to_num(lr, nan=0.0)
    return cleaned


def _lr_table_theta(
    pedigree: Pedigree,
    family: Mapping[str, Genotype],
    engine: Marker,
    theta: float,
    needed: NDArray[np.intp],
    victim: str,
    marker: str,
) -> NDArray[np.float64]:
    n = engine.n
    try:
        both = victim_tables_theta(pedigree, family, engine, theta)
    except ComplexityError:
        both = None  # the tables refused: each genotype alone may still fit (or refuses too)
    if both is not None:
        h1, h2 = (tables.fold(t) for t in both)
        if h2[-1] <= 0:
            raise _inconsistent(victim, marker, family)
        with np.errstate(divide="ignore", invalid="ignore"):
            lr = np.where(h2 > 0, h1 / np.where(h2 > 0, h2, 1.0), 0.0)
        lr[-1] = 1.0
        return lr
    by_index = _genotypes_by_index(engine)
    lr = np.ones(tables.size(n))
    for k in needed:
        g = by_index.get(int(k))
        if g is None:
            continue
        p1 = marker_likelihood(pedigree, {**family, pedigree.victim: g}, engine, theta=theta)
        p2 = marker_likelihood(pedigree, family, engine, theta=theta, unrelated=[g])
        if p2 == 0:
            raise _inconsistent(victim, marker, family)
        lr[k] = p1 / p2
    return lr


def _genotypes_by_index(engine: Marker) -> dict[int, Genotype]:
    n = engine.n
    alleles = sorted(engine.index, key=engine.index.__getitem__)
    out = {}
    for i in range(n):
        for j in range(i, n):
            g = Genotype(alleles[i], alleles[j])
            out[tables.index_of(g, engine.index, n)] = g
        out[tables.index_of(Genotype(alleles[i], None), engine.index, n)] = Genotype(alleles[i], None)
    return out
