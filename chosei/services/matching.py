"""`chosei match run`: every profiled specimen against every victim's family, stored.

The conventions (pedigree, theta, mutation, frequencies, Y/mtDNA, prior, thresholds)
are in `docs/kinship.md`; the maths is `chosei.kinship`. A run is `run_matching`,
in four steps, each its own module: the options (`match_options`), who is compared
(`match_families`), the LRs (`match_lrs`) and what is stored (`match_results`).

* **Who is compared.** Every specimen with a typed sample (STR, Y, mtDNA or dense SNP
  calls; several samples merged, see `profiles`) against every victim with at least one typed relative who has an active
  consent for analysis. A relative without that consent is never used.
* **Autosomal LR** from `kinship.match_batch`, once per frequency table (population):
  every specimen against the families of the victims matched with that table; its
  per-marker exclusions name the excluding markers.
* **Y-STR and mtDNA** from `kinship.y_lr_batch` / `kinship.mt_lr_batch` (each pair's
  LR is `y_lr` / `mt_lr`'s) against the relatives on V's paternal / maternal line,
  with the haplotype database of the same population: one call per line and
  population.
* **Degraded specimens**: each specimen's dropout probability (`--dropout`, by default
  estimated from its profile) and the drop-in rate enter its autosomal LR
  (`kinship.dropout`); replicates differing by dropout are merged (`profiles`) and the
  specimens of a DNA group are matched as one individual, its members inheriting the
  group's result (`match_lrs`). `--dropout 0` is the exact computation without them.
* **Dense SNPs** (`match_snp`): where a pair has SNP calls on both sides, the SNP LR
  replaces the autosomal STR LR in the combined LR.
* **Combined LR** = autosomal × Y × mtDNA (`kinship.combined_lr`); the **posterior**
  is closed-set (`kinship.closed_set`): a uniform prior over the case's expected roster
  (`init --expected`, 183), not over the victims entered; identified victims stay
  candidates (a second bone of an identified man is still his); victims not compared
  count with LR 1; `--open P` gives a prior mass P to "none of them".
* **Elimination set** (`qc`): every specimen is compared directly with the staff's
  elimination profiles; a hit is named in the run's notes (its LRs are still stored).
* **Stored**: one `MatchResult` per pair (the previous run's rows are replaced), and
  an `Identification` candidate for each pair at or above the threshold. Candidate rows
  are the tracker's: created, refreshed, or removed when the pair falls below the
  threshold. Rows people decided on (confirmed, rejected) are never touched.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from chosei.errors import InvalidInput
from chosei.i18n import _
from chosei.models import DnaGroup, Identification
from chosei.services.case import expected_roster
from chosei.services.match_families import NO_CONSENT, families_of
from chosei.services.match_lrs import Progress, pair_lrs
from chosei.services.match_options import MatchOptions
from chosei.services.match_results import store_results, update_candidates
from chosei.services.match_snp import snp_evidence
from chosei.services.profiles import load_case_dna
from chosei.services.qc import elimination_hits


def groups_to_match(session: Session, specimens: dict[str, Any]) -> dict[str, list[str]]:
    """The DNA groups (`match reassociate`) with several of these specimens: {group: members}."""
    found: dict[str, list[str]] = {}
    for sid, gid in session.execute(select(col(DnaGroup.specimen_id), col(DnaGroup.group_id))
                                    .order_by(DnaGroup.specimen_id)):
        if sid in specimens:
            found.setdefault(gid, []).append(sid)
    return {gid: members for gid, members in found.items() if len(members) > 1}


@dataclass
class RunSummary:
    options: MatchOptions
    specimens: int
    samples: int
    victims: int
    populations: dict[str, int]  # population → victims matched with it
    prior_n: int  # the expected roster N of the closed-set prior
    pairs: int
    exclusions: int
    candidates: list[dict[str, Any]]
    created: int
    refreshed: int
    withdrawn: int
    unconsented: list[tuple[str, str]]  # (relative, victim) typed but not consenting
    conflicts: list[str]
    notes: list[str]


def run_matching(session: Session, options: MatchOptions, progress: Progress | None = None) -> RunSummary:
    """Compute, store and summarise every (specimen, victim) pair; see the module docstring."""
    options = options.checked()
    dna = load_case_dna(session)
    modelled = options.dropout != 0
    specimens = {sid: p.for_matching(modelled) for sid, p in dna.specimens.items()
                 if p.autosomal or p.recovered or p.y or p.mt or p.snp}
    if not specimens:
        raise InvalidInput(_("no specimen has a typed sample yet; import the profiles (Profiles sheet) first"))
    families, unusable = families_of(dna, options)
    if not families:
        raise InvalidInput(_("no victim has a typed relative with an active consent for analysis; record "
                             "consents (`chosei relative consent`) and import the relatives' profiles"))
    prior_n = expected_roster(session)
    if len(families) > prior_n:
        raise InvalidInput(_("{n_families} victims have typed relatives but the case expects only {prior_n}; the "
                             "expected roster (`chosei init --expected`) must count every victim").format(
                               n_families=len(families), prior_n=prior_n))
    decisions = list(session.execute(select(Identification)).scalars())
    dna_groups = groups_to_match(session, specimens) if modelled else {}
    lrs = pair_lrs(dna, specimens, families, options, progress, dna_groups)
    snp = snp_evidence(session, specimens, families, lrs.specimens, lrs.victims, options)
    lrs.snp, lrs.notes = snp.log10, lrs.notes + snp.notes
    pairs, exclusions, hits = store_results(session, lrs, specimens, families, options, prior_n)
    notes = [_("victim {vid} was not matched: {why}").format(vid=vid, why=why)
             for vid, why in sorted(lrs.failed.items())] + lrs.notes
    notes += [_("ELIMINATION SET: {message}").format(message=hit.message())
              for hits in elimination_hits(dna, list(specimens)).values() for hit in hits]
    notes += [_("specimen {sid}: replicates differ by dropout at {text}; every allele seen is kept").format(
                  sid=sid, text=text)
              for sid, p in specimens.items() for text in p.recovered_notes]
    notes += [_("DNA group {gid} ({members}) matched as one individual: its members share its result").format(
                  gid=gid, members=', '.join(members))
              for gid, members in sorted(dna_groups.items())]
    created, refreshed, withdrawn, listed = update_candidates(session, decisions, hits, options, families)
    unconsented = sorted((r.id, r.victim_id) for fam in [*families.values(), *unusable]
                         for r, why in fam.unused if why == _(NO_CONSENT))
    conflicts = [(_("specimen {owner}: samples {samples} disagree at {conflicts}; left out")
                  if p.owner in dna.specimens else
                  _("relative {owner}: samples {samples} disagree at {conflicts}; left out")).format(
                      owner=p.owner, samples=", ".join(p.samples), conflicts=", ".join(p.conflicts))
                 for p in [*specimens.values(), *(r.profile for rs in dna.relatives.values() for r in rs
                                                 if r.usable)] if p and p.conflicts]
    return RunSummary(
        options=options, specimens=len(lrs.specimens), samples=sum(len(p.samples) for p in specimens.values()),
        victims=len(lrs.victims) - len(lrs.failed),
        populations={p: len(c) for p, c in sorted(lrs.populations.items())}, prior_n=prior_n,
        pairs=pairs, exclusions=exclusions, candidates=listed,
        created=created, refreshed=refreshed, withdrawn=withdrawn, unconsented=unconsented,
        conflicts=conflicts, notes=notes,
    )
