"""The SNP evidence of a match run: each specimen's dense SNP calls against each family's.

For each population with a SNP table (`chosei snp frequencies`), every specimen whose
samples hold SNP calls against every victim with at least one used relative (consent
for analysis, a genetic relationship) holding SNP calls: `kinship.snp_lr.snp_lr_batch`
with the run's SNP options (`MatchOptions.snp_error`, epsilon, default
`DEFAULT_EPSILON`; `MatchOptions.snp_model`: "linked", every SNP the panel and table
share with linkage, or "unlinked", the subset `kinship.snp_lr.unlinked_map` keeps).
Pairs without SNP evidence stay NaN.

How it combines (docs/kinship.md, "SNPs with STRs"): SNPs and STRs read the same
autosomes, so their LRs are not independent; where a pair has SNP evidence the SNP LR
*replaces* the autosomal STR LR in the combined LR (the thousands of SNPs hold far more
of the IBD information than two dozen STRs), and multiplies with the Y and mtDNA LRs,
which read other chromosomes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sqlmodel import Session, select

from chosei.errors import NotFound
from chosei.i18n import _
from chosei.kinship import KinshipError
from chosei.kinship.snp_lr import SnpFamily, snp_lr_batch, unlinked_map
from chosei.models import SnpCalls
from chosei.services.match_families import VictimFamily
from chosei.services.match_options import MatchOptions
from chosei.services.profiles import Profile
from chosei.services.snp import PopulationSites, calls_on, population_sites


@dataclass
class SnpEvidence:
    log10: np.ndarray  # (specimens, victims); NaN: no SNP evidence for the pair
    compared: np.ndarray  # calls compared: specimen called and at least one donor called
    notes: list[str]


def merged(calls: list[np.ndarray]) -> np.ndarray:
    """One call set from several samples: the calls they agree on or only one makes."""
    out = calls[0].copy()
    for other in calls[1:]:
        take = out < 0
        out[take] = other[take]
        out[(other >= 0) & (out != other)] = -1
    return out


def _owners_calls(
    session: Session, owners: dict[str, tuple[str, ...]], table: PopulationSites
) -> dict[str, np.ndarray]:
    samples = [s for ss in owners.values() for s in ss]
    per_sample = calls_on(session, samples, table)
    out = {}
    for owner, ss in owners.items():
        have = [per_sample[s] for s in ss if s in per_sample]
        if have:
            out[owner] = merged(have)
    return out


def has_snp_calls(session: Session) -> bool:
    return session.exec(select(SnpCalls.id).limit(1)).first() is not None


def snp_evidence(
    session: Session,
    specimens: dict[str, Profile],
    families: dict[str, VictimFamily],
    spec_ids: list[str],
    vic_ids: list[str],
    options: MatchOptions,
) -> SnpEvidence:
    shape = (len(spec_ids), len(vic_ids))
    out = SnpEvidence(np.full(shape, np.nan), np.zeros(shape, dtype=np.int64), [])
    if not has_snp_calls(session):
        return out
    by_population: dict[str, list[int]] = {}
    for c, vid in enumerate(vic_ids):
        by_population.setdefault(families[vid].population, []).append(c)
    for pop, cols in by_population.items():
        try:
            table = population_sites(session, pop)
        except NotFound:
            out.notes.append(_("no SNP table for population '{pop}': SNP calls are not used for its victims").format(
                                 pop=pop))
            continue
        spec_calls = _owners_calls(session, {sid: specimens[sid].samples for sid in spec_ids}, table)
        rows = [r for r, sid in enumerate(spec_ids) if sid in spec_calls]
        if not rows:
            continue
        matrix = np.stack([spec_calls[spec_ids[r]] for r in rows])
        keep: slice | NDArray[np.intp] = slice(None)
        snps = table.snps
        if options.snp_model == "unlinked":
            keep, snps = unlinked_map(table.snps)
        fams, fam_cols = [], []
        for c in cols:
            fam = families[vic_ids[c]]
            donors = _owners_calls(session, {r.id: r.profile.samples for r in fam.used if r.profile is not None}, table)
            donors = {rid: calls for rid, calls in donors.items() if rid in fam.pedigree.ids}
            if not donors:
                continue
            fams.append(SnpFamily(fam.pedigree, {rid: calls[keep] for rid, calls in donors.items()}))
            fam_cols.append(c)
            anyone = np.any(np.stack(list(donors.values())) >= 0, axis=0)[keep]
            out.compared[rows, c] = ((matrix[:, keep] >= 0) & anyone[None, :]).sum(axis=1)
        if not fams:
            continue
        try:  # all families at once (batched by pedigree shape); one by one only to name a failure
            out.log10[np.ix_(rows, fam_cols)] = snp_lr_batch(fams, matrix[:, keep], snps, epsilon=options.snp_error).T
        except KinshipError:
            for snp_family, c in zip(fams, fam_cols, strict=True):
                try:
                    out.log10[rows, c] = snp_lr_batch([snp_family], matrix[:, keep], snps,
                                                   epsilon=options.snp_error)[0]
                except KinshipError as exc:
                    out.notes.append(_("victim {vic_ids}: SNP calls not used: {exc}").format(
                                         vic_ids=vic_ids[c], exc=exc))
    return out


def describe(
    evidence: SnpEvidence, row: int, col_: int, population: str, options: MatchOptions
) -> dict[str, Any] | None:
    """The SNP evidence of one pair, for `match show`; None when there is none."""
    value = evidence.log10[row, col_]
    if np.isnan(value):
        return None
    return {
        "population": population,
        "calls_compared": int(evidence.compared[row, col_]),
        "log10_lr": float(value),
        "epsilon": options.snp_error,
        "selection": options.snp_model,
    }


def pair_evidence(
    session: Session, specimen: str, profile: Profile, family: VictimFamily, options: MatchOptions
) -> dict[str, Any] | None:
    """The SNP evidence of one (specimen, victim) pair, as `match show` lists it."""
    evidence = snp_evidence(session, {specimen: profile}, {family.victim: family}, [specimen], [family.victim],
                            options)
    return describe(evidence, 0, 0, family.population, options)
