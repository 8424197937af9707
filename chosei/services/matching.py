"""`chosei match run`: every profiled specimen against every victim's family, stored.

The conventions (pedigree, theta, mutation, frequencies, Y/mtDNA, prior, thresholds)
are in `docs/kinship.md`; the maths is `chosei.kinship`. Here:

* **Who is compared.** Every specimen with a typed sample (several samples merged, see
  `profiles`) against every victim with at least one typed relative who has an active
  consent for analysis. A relative without that consent is never used.
* **Autosomal LR** from `kinship.match_batch`, once per frequency table (population):
  every specimen against the families of the victims matched with that table; its
  per-marker exclusions name the excluding markers.
* **Y-STR and mtDNA** from `kinship.y_lr_batch` / `kinship.mt_lr_batch` (each pair's
  LR is `y_lr` / `mt_lr`'s) against the relatives on V's paternal / maternal line,
  with the haplotype database of the same population: one call per line and
  population.
* **Combined LR** = autosomal × Y × mtDNA (`kinship.combined_lr`); the **posterior**
  uses a uniform prior 1/N over the N victims without a confirmed identification.
* **Stored**: one `MatchResult` per pair (the previous run's rows are replaced), and
  an `Identification` candidate for each pair at or above the threshold. Candidate rows
  are the tracker's: created, refreshed, or removed when the pair falls below the
  threshold. Rows people decided on (confirmed, rejected) are never touched.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np
from sqlalchemy import delete, select
from sqlmodel import Session

from chosei.errors import InvalidInput
from chosei.kinship import (
    CANDIDATE_LR_FLOOR,
    BatchResult,
    Family,
    KinshipError,
    LineageFamily,
    LineageRelative,
    MutationModel,
    Pedigree,
    Relative,
    build_pedigree,
    match_batch,
    mt_lr_batch,
    y_lr_batch,
)
from chosei.kinship.lineage import mt_line_meioses, y_line_meioses
from chosei.kinship.pedigree import NON_GENETIC
from chosei.models import Identification, MatchResult
from chosei.services.profiles import CaseDna, Profile, RelativeDna, load_case_dna

DEFAULT_THETA = 0.0
DEFAULT_MUTATION = "stepwise"
DEFAULT_MUTATION_RATE = 0.002
DEFAULT_MUTATION_RANGE = 0.5
DEFAULT_THRESHOLD = CANDIDATE_LR_FLOOR
MUTATION_KINDS = ("none", "equal", "proportional", "stepwise")
MAX_LOG10_LR = 300.0
"""Stored LRs are capped at 1e300 so they stay finite numbers (never reached in practice)."""

NO_CONSENT = "no active consent for analysis: not used"
NOT_GENETIC = "carries no genetic information about the victim: not used"

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class MatchOptions:
    """The parameters of a run, as typed by a user; `checked()` validates them."""

    population: str | None = None
    theta: float = DEFAULT_THETA
    mutation: str = DEFAULT_MUTATION
    mutation_rate: float | None = None
    mutation_range: float | None = None
    threshold: float = DEFAULT_THRESHOLD

    def checked(self) -> MatchOptions:
        if not (isinstance(self.theta, int | float) and 0 <= self.theta < 1):
            raise InvalidInput(f"--theta must be at least 0 and below 1, not {self.theta:g}")
        if self.mutation not in MUTATION_KINDS:
            raise InvalidInput(f"--mutation '{self.mutation}' is unknown; choose one of: {', '.join(MUTATION_KINDS)}")
        if self.mutation == "none" and self.mutation_rate not in (None, 0):
            raise InvalidInput("--mutation-rate needs a mutation model; add e.g. --mutation stepwise")
        if self.mutation != "stepwise" and self.mutation_range is not None:
            raise InvalidInput("--mutation-range applies to the stepwise model only; add --mutation stepwise")
        if self.mutation_rate is not None and not 0 <= self.mutation_rate < 1:
            raise InvalidInput(f"--mutation-rate must be at least 0 and below 1, not {self.mutation_rate:g}")
        if self.mutation_range is not None and not self.mutation_range > 0:
            raise InvalidInput(f"--mutation-range must be above 0, not {self.mutation_range:g}")
        if not (math.isfinite(self.threshold) and self.threshold >= 1):
            raise InvalidInput(f"--threshold must be a likelihood ratio of at least 1, not {self.threshold:g}")
        rate = 0.0 if self.mutation == "none" else (
            DEFAULT_MUTATION_RATE if self.mutation_rate is None else self.mutation_rate)
        rng = (DEFAULT_MUTATION_RANGE if self.mutation_range is None else self.mutation_range) \
            if self.mutation == "stepwise" else None
        pop = self.population.strip() if self.population else None
        return MatchOptions(pop or None, float(self.theta), self.mutation, rate, rng, float(self.threshold))

    def model(self) -> MutationModel:
        opts = self.checked()
        if opts.mutation == "stepwise":
            step = opts.mutation_range or DEFAULT_MUTATION_RANGE
            return MutationModel("stepwise", opts.mutation_rate or 0.0, range=step)
        return MutationModel(opts.mutation, opts.mutation_rate or 0.0)  # type: ignore[arg-type]

    def describe(self) -> str:
        return f"theta {self.theta:g}, mutation {self.model().describe()}"

    def parameters(self, population: str, prior_n: int) -> str:
        """The JSON stored with each `MatchResult` row: how its numbers were computed."""
        data = {**asdict(self), "population": population, "prior_n": prior_n,
                "chosen_population": self.population}
        return json.dumps(data, sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_parameters(cls, text: str | None) -> MatchOptions:
        data = json.loads(text) if text else {}
        keys = ("theta", "mutation", "mutation_rate", "mutation_range", "threshold")
        return cls(population=data.get("chosen_population"), **{k: data[k] for k in keys if k in data})


@dataclass
class VictimFamily:
    """A victim, the relatives whose DNA is used for him, and those left out (and why)."""

    victim: str
    sex: str
    population: str
    used: list[RelativeDna]
    unused: list[tuple[RelativeDna, str]]
    pedigree: Pedigree
    y_line: list[tuple[LineageRelative, int]] = field(default_factory=list)  # with meioses
    mt_line: list[tuple[LineageRelative, int]] = field(default_factory=list)

    @property
    def family(self) -> Family:
        rels = tuple(Relative(r.id, r.relationship, r.profile.autosomal)  # type: ignore[union-attr]
                     for r in self.used if r.relationship not in NON_GENETIC)
        return Family(self.victim, rels, self.sex)  # type: ignore[arg-type]

    def lineage(self, line: str) -> list[LineageRelative]:
        return [r for r, _ in (self.y_line if line == "Y" else self.mt_line)]


def population_of(dna: CaseDna, options: MatchOptions, victim: str) -> str:
    """The frequency table for `victim`: the chosen one, else his nationality's, else the only one."""
    if options.population:
        dna.table(options.population)  # refuses an unknown population, naming the known ones
        return options.population
    nationality = dna.victims[victim][0]
    if nationality in dna.frequency_rows:
        return nationality
    if len(dna.populations) == 1:
        return dna.populations[0]
    if not dna.populations:
        dna.table(nationality)  # raises: no table at all
    raise InvalidInput(
        f"no allele frequency table for population '{nationality}' (the nationality of victim {victim}); "
        f"give --population, one of: {', '.join(dna.populations)}"
    )


def victim_family(dna: CaseDna, options: MatchOptions, victim: str) -> VictimFamily | None:
    """The family used for `victim`, or None when no relative is typed at all."""
    relatives = dna.relatives.get(victim, [])
    typed = [r for r in relatives if r.profile is not None]
    if not typed:
        return None
    used = [r for r in typed if r.consented and r.relationship not in NON_GENETIC]
    unused = [(r, NO_CONSENT) for r in typed if not r.consented]
    unused += [(r, f"{r.relationship} {NOT_GENETIC}") for r in typed
               if r.consented and r.relationship in NON_GENETIC]
    sex = dna.victims[victim][1]
    try:
        pedigree = build_pedigree([(r.id, r.relationship) for r in used], victim_sex=sex, victim_id=victim)
    except KinshipError as exc:
        raise InvalidInput(f"victim {victim}: {exc}; correct the relatives' relationships") from None
    fam = VictimFamily(victim, sex, population_of(dna, options, victim) if used else "", used, unused, pedigree)
    for r in used:
        prof: Profile = r.profile  # type: ignore[assignment]
        if prof.y is not None:
            k = y_line_meioses(pedigree, r.id)
            if k is not None:
                fam.y_line.append((LineageRelative(r.id, r.relationship, prof.y), k))
        if prof.mt is not None:
            k = mt_line_meioses(pedigree, r.id)
            if k is not None:
                fam.mt_line.append((LineageRelative(r.id, r.relationship, prof.mt), k))
    return fam


def families_of(dna: CaseDna, options: MatchOptions) -> tuple[dict[str, VictimFamily], list[VictimFamily]]:
    """(victims with a usable relative → family, families whose typed relatives are all unusable)."""
    usable: dict[str, VictimFamily] = {}
    unusable: list[VictimFamily] = []
    for victim in sorted(dna.relatives):
        if victim not in dna.victims:
            continue
        fam = victim_family(dna, options, victim)
        if fam is None:
            continue
        (usable.__setitem__(victim, fam) if fam.used else unusable.append(fam))
    return usable, unusable


@dataclass
class RunSummary:
    options: MatchOptions
    specimens: int
    samples: int
    victims: int
    populations: dict[str, int]  # population → victims matched with it
    prior_n: int
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
    model = options.model()
    dna = load_case_dna(session)
    specimens = {sid: p for sid, p in dna.specimens.items() if p.autosomal or p.y or p.mt}
    if not specimens:
        raise InvalidInput("no specimen has a typed sample yet; import the profiles (Profiles sheet) first")
    families, unusable = families_of(dna, options)
    if not families:
        raise InvalidInput("no victim has a typed relative with an active consent for analysis; "
                           "record consents (`chosei relative consent`) and import the relatives' profiles")
    decisions = list(session.execute(select(Identification)).scalars())
    confirmed = {d.victim_id for d in decisions if d.status == "confirmed"}
    prior_n = max(1, len(dna.victims) - len(confirmed & set(dna.victims)))
    spec_ids = list(specimens)
    vic_ids = list(families)
    groups: dict[str, list[int]] = {}
    for col, vid in enumerate(vic_ids):
        groups.setdefault(families[vid].population, []).append(col)
    per_population = _markers_compared(dna, specimens, families, groups)
    total = sum(per_population.values()) + 1
    aut = np.zeros((len(spec_ids), len(vic_ids)))
    excluded: list[tuple[list[int], np.ndarray, list[str]]] = []  # columns, [specimen, victim, marker], names
    failed: dict[str, str] = {}
    done = 0
    for pop, cols in groups.items():
        def step(k: int, _total: int, before: int = done) -> None:
            if progress:
                progress(before + k, total)

        result = _autosomal(dna, specimens, spec_ids, [families[vic_ids[c]] for c in cols], pop, options, model,
                            step)
        done += per_population[pop]
        for vid, why in result.failures.items():
            failed.setdefault(vid, why)
        aut[:, cols] = np.nan_to_num(result.log10_lr, nan=0.0, neginf=-np.inf, posinf=np.inf)
        excluded.append((cols, result.excluded, [dna.display(m) for m in result.markers]))
    y, mt, notes = _lineage(dna, specimens, spec_ids, families, vic_ids)
    if progress:
        progress(total, total)
    with np.errstate(divide="ignore"):
        log10 = aut + np.log10(np.nan_to_num(y, nan=1.0)) + np.log10(np.nan_to_num(mt, nan=1.0))
    lr = _as_lr(log10)
    pi = 1.0 / prior_n
    post = lr * pi / (lr * pi + 1 - pi)
    now = datetime.now(UTC).isoformat(timespec="seconds")
    params = {pop: options.parameters(pop, prior_n) for pop in groups}
    aut_lr = _as_lr(aut)
    keep = [c for c, vid in enumerate(vic_ids) if vid not in failed]
    names = _exclusion_labels(lr.shape, excluded, y, mt)

    def column(arr: np.ndarray) -> list[Any]:
        return arr[:, keep].ravel().tolist()

    def optional(arr: np.ndarray) -> list[float | None]:
        return [None if v != v else v for v in column(arr)]  # NaN: the line does not apply

    n_spec, n_kept = len(spec_ids), len(keep)
    rows = list(zip(
        [sid for sid in spec_ids for _ in range(n_kept)],
        [vic_ids[c] for _ in range(n_spec) for c in keep],
        [specimens[sid].sample_label for sid in spec_ids for _ in range(n_kept)],
        column(lr), column(aut_lr), optional(y), optional(mt), column(post), column(names),
        [now] * (n_spec * n_kept),
        [params[families[vic_ids[c]].population] for _ in range(n_spec) for c in keep],
        [1] * (n_spec * n_kept),
        strict=True,
    ))
    session.execute(delete(MatchResult))
    _bulk_insert(session, MatchResult.__table__.name, MATCH_COLUMNS, rows)
    floor = math.log10(options.threshold)
    hits = {(spec_ids[r], vic_ids[c]): (float(lr[r, c]), float(post[r, c]))
            for r, c in zip(*np.nonzero(log10 >= floor), strict=True) if vic_ids[c] not in failed}
    notes = [f"victim {vid} was not matched: {why}" for vid, why in sorted(failed.items())] + notes
    created, refreshed, withdrawn, listed = _update_candidates(session, decisions, hits, options, families)
    unconsented = sorted((r.id, r.victim_id) for fam in [*families.values(), *unusable]
                         for r, why in fam.unused if why == NO_CONSENT)
    conflicts = [f"{'specimen' if p.owner in dna.specimens else 'relative'} {p.owner}: samples "
                 f"{', '.join(p.samples)} disagree at {', '.join(p.conflicts)}; left out"
                 for p in [*specimens.values(), *(r.profile for rs in dna.relatives.values() for r in rs
                                                 if r.usable)] if p and p.conflicts]
    return RunSummary(
        options=options, specimens=len(spec_ids), samples=sum(len(p.samples) for p in specimens.values()),
        victims=len(vic_ids) - len(failed), populations={p: len(c) for p, c in sorted(groups.items())}, prior_n=prior_n,
        pairs=len(rows), exclusions=sum(1 for row in rows if row[3] == 0), candidates=listed,
        created=created, refreshed=refreshed, withdrawn=withdrawn, unconsented=unconsented,
        conflicts=conflicts, notes=notes,
    )


MATCH_COLUMNS = ("specimen_id", "victim_id", "sample_id", "lr", "autosomal_lr", "y_lr", "mt_lr", "posterior",
                 "excluded_markers", "computed_at", "parameters", "version")


def _bulk_insert(session: Session, table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """Insert many rows in one driver-level executemany: a run writes one per pair."""
    conn = session.connection()
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join([mark] * len(columns))})"
    for start in range(0, len(rows), 50_000):
        conn.exec_driver_sql(sql, rows[start:start + 50_000])


def _as_lr(log10: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        return np.where(np.isneginf(log10), 0.0, np.power(10.0, np.minimum(log10, MAX_LOG10_LR)))


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
                       for m in r.profile.autosomal}  # type: ignore[union-attr]
        for marker in sorted(in_specimens & in_families):
            if marker not in table:
                raise InvalidInput(
                    f"marker {dna.display(marker)} is typed in specimens and relatives but the frequency "
                    f"table '{pop}' has no frequencies for it; import them (Frequencies sheet) or choose "
                    "another table with --population")
        counts[pop] = len(in_specimens & in_families)
    return counts


def _autosomal(dna: CaseDna, specimens: dict[str, Profile], spec_ids: list[str], fams: list[VictimFamily],
               pop: str, options: MatchOptions, model: MutationModel, progress: Progress) -> BatchResult:
    """Every specimen against these families (one population): one `match_batch`."""
    try:
        return match_batch({sid: specimens[sid].autosomal for sid in spec_ids}, [f.family for f in fams],
                           dna.table(pop), theta=options.theta, mutation=model, progress=progress)
    except KinshipError as exc:
        raise InvalidInput(kinship_message(exc)) from None


def _exclusion_labels(shape: tuple[int, ...], excluded: list[tuple[list[int], np.ndarray, list[str]]],
                      y: np.ndarray, mt: np.ndarray) -> np.ndarray:
    """Per pair, what excludes it ("D3S1358, TH01, Y-STR"), None when nothing does.

    Each distinct pattern of excluding markers is written once and shared by its pairs.
    """
    out = np.full(shape, None, dtype=object)
    for cols, markers, names in excluded:
        every = np.concatenate([markers, (y[:, cols] == 0)[:, :, None], (mt[:, cols] == 0)[:, :, None]], axis=2)
        rows, sub = np.nonzero(every.any(axis=2))
        if not len(rows):
            continue
        hit = every[rows, sub]
        if hit.shape[1] < 63:  # one integer per pattern: much faster to sort than rows of booleans
            codes = hit @ (np.int64(1) << np.arange(hit.shape[1], dtype=np.int64))
            _, first, which = np.unique(codes, return_index=True, return_inverse=True)
            patterns = hit[first]
        else:
            patterns, which = np.unique(hit, axis=0, return_inverse=True)
        labels = [*names, "Y-STR", "mtDNA"]
        texts = np.array([", ".join(labels[k] for k in np.flatnonzero(p)) for p in patterns], dtype=object)
        out[rows, np.asarray(cols)[sub]] = texts[which.ravel()]
    return out


def kinship_message(exc: KinshipError) -> str:
    """A kinship library error as one line that says what to do."""
    return str(exc).rstrip(".")


def _lineage(dna: CaseDna, specimens: dict[str, Profile], spec_ids: list[str],
             families: dict[str, VictimFamily], vic_ids: list[str]) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Y and mtDNA LRs per pair; NaN where the line does not apply (nothing to compare)."""
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
                notes.append(f"no {line} haplotype database for population '{pop}': "
                             f"the {line} line is not used for its victims")
                continue
            fams = [LineageFamily(vic_ids[c], tuple(families[vic_ids[c]].lineage(line)),
                                  families[vic_ids[c]].sex) for c in cols]  # type: ignore[arg-type]
            try:
                result = (y_lr_batch if line == "Y" else mt_lr_batch)(haps, fams, db)  # type: ignore[arg-type]
            except KinshipError as exc:
                raise InvalidInput(kinship_message(exc)) from None
            out[:, cols] = result.lr
    return y, mt, notes


def method_text(options: MatchOptions, population: str) -> str:
    """How a pair's numbers were computed, for `Identification.method`."""
    return f"chosei match run (population {population}, {options.describe()})"


def _update_candidates(session: Session, decisions: list[Identification],
                       hits: dict[tuple[str, str], tuple[float, float]], options: MatchOptions,
                       families: dict[str, VictimFamily]) -> tuple[int, int, int, list[dict[str, Any]]]:
    by_pair = {(d.specimen_id, d.victim_id): d for d in decisions}
    created = refreshed = withdrawn = 0
    for pair, row in by_pair.items():
        if row.status == "candidate" and pair not in hits:
            session.delete(row)
            withdrawn += 1
    listed = []
    for (sid, vid), (lr, post) in sorted(hits.items(), key=lambda kv: (kv[0][0], -kv[1][0], kv[0][1])):
        row = by_pair.get((sid, vid))
        method = method_text(options, families[vid].population)
        if row is None:
            session.add(Identification(specimen_id=sid, victim_id=vid, lr=lr, posterior=post, method=method,
                                       status="candidate"))
            created += 1
        elif row.status == "candidate" and (row.lr, row.posterior, row.method) != (lr, post, method):
            row.lr, row.posterior, row.method = lr, post, method
            refreshed += 1
        listed.append({"specimen_id": sid, "victim_id": vid, "lr": lr, "posterior": post,
                       "status": row.status if row is not None else "candidate"})
    session.flush()
    return created, refreshed, withdrawn, listed
