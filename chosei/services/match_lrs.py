"""The LRs of a match run: every specimen against every victim's family, as arrays.

* **Autosomal**: `kinship.match_batch`, once per frequency table (population): every
  specimen against the families of the victims matched with that table. Its
  per-marker exclusions name the excluding markers; a victim the engine cannot
  compute with these options (`BatchResult.failures`) is left out and named. A marker
  typed on both sides that the table lacks is refused before anything is computed.
* **Y-STR and mtDNA**: `kinship.y_lr_batch` / `kinship.mt_lr_batch` (each pair's LR is
  `y_lr` / `mt_lr`'s) against the relatives on V's paternal / maternal line, with the
  haplotype database of the same population: one call per line and population. No
  database for a population: the line is not used for its victims, and a note says so.
* **DNA groups** (`match reassociate`), with the dropout model on: a group of several
  matched specimens is matched as one individual (`match_batch`'s `groups`: all its
  members' typings at once) and every member inherits the group's autosomal LR; its Y
  and mtDNA LRs are those of the member with the most Y-STR loci typed / the first
  member typed for mtDNA (a bone's lineage typing says nothing new about another bone
  of the same man). With ``--dropout 0`` members are matched one by one, as before.
* Nothing here touches the store: `match_results` writes what this computes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from chosei.errors import InvalidInput
from chosei.i18n import _
from chosei.kinship import BatchResult, KinshipError, LineageFamily, MutationModel, match_batch, mt_lr_batch, y_lr_batch
from chosei.kinship.dropout import estimate_dropout, homozygosity
from chosei.services.match_families import VictimFamily
from chosei.services.match_options import MatchOptions
from chosei.services.profiles import CaseDna, Profile

Progress = Callable[[int, int], None]


@dataclass
class PairLRs:
    """Specimens (rows) against victims (columns): what a run computed."""

    specimens: list[str]
    victims: list[str]
    populations: dict[str, list[int]]  # population → the victims' columns matched with its table
    autosomal: np.ndarray  # log10 LR; -inf an exclusion
    y: np.ndarray  # LR; NaN where the line does not apply
    mt: np.ndarray
    # per population: its columns, excluded[specimen, victim, marker], the markers as the store names them
    excluded: list[tuple[list[int], np.ndarray, list[str]]]
    failed: dict[str, str]  # victim → why the engine could not compute him
    notes: list[str]
    snp: np.ndarray | None = None  # log10 SNP LR; NaN where a pair has no SNP evidence (`match_snp`)
    dropout: dict[str, dict[str, float]] | None = None  # population → {specimen: dropout probability used}
    grouped: dict[str, str] | None = None  # specimen → the DNA group it was matched as

    @property
    def log10(self) -> np.ndarray:
        """log10 of the combined LR, autosomal × Y × mtDNA (a line that does not apply counts 1);
        the autosomal part is the SNP LR where a pair has one (`match_snp` says why)."""
        autosomal = self.autosomal if self.snp is None else np.where(np.isnan(self.snp), self.autosomal, self.snp)
        with np.errstate(divide="ignore"):
            return autosomal + np.log10(np.nan_to_num(self.y, nan=1.0)) + np.log10(np.nan_to_num(self.mt, nan=1.0))


def pair_lrs(dna: CaseDna, specimens: dict[str, Profile], families: dict[str, VictimFamily], options: MatchOptions,
             progress: Progress | None = None, dna_groups: dict[str, list[str]] | None = None) -> PairLRs:
    """Every specimen against every family; `progress(done, total)` per marker and table, then once for the lines.
    `dna_groups` ({group: members}, several members each): matched as one individual (module docstring)."""
    model = options.model()
    spec_ids = list(specimens)
    vic_ids = list(families)
    groups: dict[str, list[int]] = {}
    for col, vid in enumerate(vic_ids):
        groups.setdefault(families[vid].population, []).append(col)
    per_population = _markers_compared(dna, specimens, families, groups)
    total = sum(per_population.values()) + 1
    aut = np.zeros((len(spec_ids), len(vic_ids)))
    excluded: list[tuple[list[int], np.ndarray, list[str]]] = []
    failed: dict[str, str] = {}
    rates: dict[str, dict[str, float]] = {}
    grouped = {m: gid for gid, members in (dna_groups or {}).items() for m in members}
    done = 0
    for pop, cols in groups.items():
        def step(k: int, _total: int, before: int = done) -> None:
            if progress:
                progress(before + k, total)

        rates[pop] = specimen_dropout(dna, specimens, pop, options)
        result = _autosomal(dna, specimens, spec_ids, [families[vic_ids[c]] for c in cols], pop, options, model,
                            rates[pop], step, dna_groups or {})
        done += per_population[pop]
        for vid, why in result.failures.items():
            failed.setdefault(vid, why)
        log10, marked = result.log10_lr, result.excluded
        row = {sid: r for r, sid in enumerate(result.specimens)}
        inherit = [row[grouped[sid]] if sid in grouped else row[sid] for sid in spec_ids]
        aut[:, cols] = np.nan_to_num(log10[inherit], nan=0.0, neginf=-np.inf, posinf=np.inf)
        excluded.append((cols, marked[inherit], [dna.display(m) for m in result.markers]))
    y, mt, notes = _lineage(dna, specimens, spec_ids, families, vic_ids, options)
    for members in (dna_groups or {}).values():
        rows = [spec_ids.index(m) for m in members]
        by_y = max(rows, key=lambda r: (len(specimens[spec_ids[r]].y_text), -r))
        by_mt = next((r for r in rows if specimens[spec_ids[r]].mt is not None), rows[0])
        y[rows], mt[rows] = y[by_y], mt[by_mt]
    if progress:
        progress(total, total)
    return PairLRs(spec_ids, vic_ids, groups, aut, y, mt, excluded, failed, notes, dropout=rates, grouped=grouped)


def specimen_dropout(dna: CaseDna, specimens: dict[str, Profile], population: str,
                     options: MatchOptions) -> dict[str, float]:
    """Each specimen's dropout probability: --dropout P for all, or (the default) estimated from its
    own profile with the population's frequencies (`kinship.dropout.estimate_dropout`)."""
    if options.dropout is not None:
        return dict.fromkeys(specimens, float(options.dropout))
    homozygous = homozygosity(dna.table(population))
    return {sid: estimate_dropout(p.autosomal, homozygous) for sid, p in specimens.items()}


def _markers_compared(dna: CaseDna, specimens: dict[str, Profile], families: dict[str, VictimFamily],
                      groups: dict[str, list[int]]) -> dict[str, int]:
    """Per population, how many markers are typed in a specimen and in a relative of that group;
    refuses a marker the population's table lacks, before anything is computed."""
    in_specimens = {m for p in specimens.values() for m in p.autosomal}
    vic_ids = list(families)
    counts = {}
    for pop, cols in groups.items():
        table = dna.table(pop)
        in_families = {m for c in cols for r in families[vic_ids[c]].used
                       for m in r.dna.autosomal}
        for marker in sorted(in_specimens & in_families):
            if marker not in table:
                raise InvalidInput(
                    _("marker {display} is typed in specimens and relatives but the frequency table '{pop}' has "
                      "no frequencies for it; import them (Frequencies sheet) or choose another table with "
                      "--population").format(display=dna.display(marker), pop=pop))
        counts[pop] = len(in_specimens & in_families)
    return counts


def _autosomal(dna: CaseDna, specimens: dict[str, Profile], spec_ids: list[str], fams: list[VictimFamily],
               pop: str, options: MatchOptions, model: MutationModel, dropout: dict[str, float],
               progress: Progress, dna_groups: dict[str, list[str]]) -> BatchResult:
    """Every specimen against these families (one population): one `match_batch`; each DNA group one more row."""
    try:
        return match_batch({sid: specimens[sid].autosomal for sid in spec_ids}, [f.family for f in fams],
                           dna.table(pop), theta=options.theta, mutation=model, progress=progress,
                           dropout=dropout, drop_in=options.drop_in or 0.0, groups=dna_groups)
    except KinshipError as exc:
        raise InvalidInput(kinship_message(exc)) from None


def kinship_message(exc: KinshipError) -> str:
    """A kinship library error as one line that says what to do."""
    return str(exc).rstrip(".")


def _lineage(dna: CaseDna, specimens: dict[str, Profile], spec_ids: list[str],
             families: dict[str, VictimFamily], vic_ids: list[str],
             options: MatchOptions) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Y and mtDNA LRs per pair (Y with the options' mutation model and frequency method);
    NaN where the line does not apply (nothing to compare)."""
    y_model = options.y_model()
    shape = (len(spec_ids), len(vic_ids))
    y = np.full(shape, np.nan)
    mt = np.full(shape, np.nan)
    notes: list[str] = []
    for line, kind, out in (("Y", "Y", y), ("mtDNA", "mt", mt)):
        haps = {sid: specimens[sid].y if line == "Y" else specimens[sid].mt for sid in spec_ids}
        if all(h is None for h in haps.values()):
            continue
        by_population: dict[str, list[int]] = {}  # victims with a relative on the line
        for c, vid in enumerate(vic_ids):
            if families[vid].lineage(line):
                by_population.setdefault(families[vid].population, []).append(c)
        for pop, cols in by_population.items():
            db = dna.database(pop, kind)
            if db is None:
                notes.append(_("no {line} haplotype database for population '{pop}': the {line} line is not used "
                               "for its victims").format(line=line, pop=pop))
                continue
            fams = [LineageFamily(vic_ids[c], tuple(families[vic_ids[c]].lineage(line)),
                                  families[vic_ids[c]].sex, families[vic_ids[c]].pedigree)
                    for c in cols]
            try:
                if line == "Y":
                    # haps: the specimens' haplotypes of this line; y_frequency: MatchOptions.checked
                    result = y_lr_batch(haps, fams, db, mutation=y_model,  # type: ignore[arg-type]
                                        frequency=options.y_frequency)  # type: ignore[arg-type]
                else:
                    result = mt_lr_batch(haps, fams, db,  # type: ignore[arg-type]  # mtDNA haplotypes on this line
                                         frequency=options.mt_frequency)  # type: ignore[arg-type]  # checked
            except KinshipError as exc:
                raise InvalidInput(kinship_message(exc)) from None
            out[:, cols] = result.lr
    return y, mt, notes
