"""Identification power: how likely each victim's remains would be named, and whom to recruit.

For every victim, simulate `simulations` times the LR `chosei match run` would give if
his remains were tested, and report the **sensitivity** P(LR ≥ threshold | victim), the
**false-positive rate** P(LR ≥ threshold | an unrelated man) and, over the case, the
expected number of identifiable victims and of false candidates.

**What match sees, not an ideal.** The relatives are the ones `match run` uses, with the
same consensus genotypes (`services.profiles`, `services.match_families`: typed, with an
active consent for analysis), the same frequency table (`--population`, else the
victim's nationality's, else the only table) and the same mutation model. The remains
are as degraded as the case's real specimens: marker m is typed in a simulated bone with
the share of typed specimens typed at m, the Y-STR and mtDNA lines with the share of
specimens holding a Y or an mtDNA result, and a heterozygote shows only its shorter allele
(`a/-`) as often as the specimens' results at m are partial (`specimen_quality`,
`_dropout`). With no typed specimen yet, full profiles are assumed and a note says so.

**Autosomal STRs, exact draws.** At θ = 0 the engine's LR of a specimen genotype g is
``P(relatives, V = g) / (P(relatives) · P(g))``, so ``LR(g) · P(g)`` is exactly
``P(V = g | relatives)``. One `kinship.match_batch` call per marker gives the LR of every
genotype; that table is both the conditional distribution of the victim's genotype and
the LR to look up. With θ > 0 the draws stay exact for the θ = 0 model and the LR of
each draw is the engine's LR with θ. Alleles outside the table's list are not drawn.

**False positives at the rates that matter: importance sampling.** A plain simulation of
unrelated men cannot see a rate of 1e-6. Because ``P(g | unrelated) = P(g | victim) /
LR₀(g)`` (LR₀ the θ = 0 LR, the exact density ratio), the victim draws themselves
estimate the tail: ``P(LR ≥ t | unrelated) = E_victim[1{LR ≥ t} / LR₀]``, and each draw
that reaches t adds at most 1/t. Missing markers and drop-out act alike under both
hypotheses, so the weight is the full genotype's, the indicator the LR of what is shown.
The Y and mtDNA lines, independent of the autosomes, are drawn for the unrelated man from
the reference databases (their LRs are bounded, so plain draws serve). The standard
error is reported beside the rate. Over the case the expected number of false candidates
is the sum of the rates times the number of specimens (each meets every victim).

**Y-STR and mtDNA.** A relative on the victim's paternal (maternal) line with a Y
(mtDNA) haplotype: the victim's haplotype is the closest such relative's, with Y-STR
one-step mutations at `kinship.lineage.Y_MUTATION_RATE` per locus and meiosis (mtDNA
without mutation); an unrelated man's is drawn from the database by its counts; each
line's LR is the engine's `y_lr` / `mt_lr`.

**Whom to recruit next** (`recruit`): for each MOIS-eligible kind not yet used, and for
a brother's son and a sister's son together, the sensitivity if that relative were
typed (autosomal STRs on the markers the specimens show; Y-STRs when he is on the
paternal line and the Y line is not yet covered; mtDNA likewise), ranked by the gain.
The recruit's genotype is drawn from the victim's drawn genotype through the pair's IBD
coefficients (κ₀, κ₁, κ₂), without mutation, and his LR multiplies the family's: exact
when the recruit and the typed relatives are related to the victim through different
sides (a son against a brother), a slight overstatement when both descend from his
parents (a brother's son beside a sister's son), which the documentation states. His Y
or mtDNA haplotype is a database haplotype drawn by its counts, so a family whose
haplotype is rare gains more than shown.

Reproducible: each victim's draws come from a numpy Generator seeded with (seed, victim
ID), so one victim's figures are the same alone or in the whole case.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np
from sqlmodel import Session

from chosei.donor_lines import MOIS_ELIGIBLE
from chosei.errors import InvalidInput
from chosei.i18n import _
from chosei.kinship import (
    CANDIDATE_LR_FLOOR,
    FrequencyTable,
    HaplotypeDatabase,
    KinshipError,
    MutationModel,
    build_pedigree,
    match_batch,
    mt_lr,
    y_lr,
)
from chosei.kinship import Family as KinshipFamily
from chosei.kinship import Relative as KinshipRelative
from chosei.kinship.frequencies import REST_ALLELE
from chosei.kinship.genotypes import Genotype, profile_alleles
from chosei.kinship.haplotypes import YHaplotype
from chosei.kinship.lineage import (
    Y_MUTATION_RATE,
    LineageRelative,
    mt_line_meioses,
    y_line_meioses,
)
from chosei.reports.common import NATIONALITIES
from chosei.services.case import require_case
from chosei.services.lookup import get_victim
from chosei.services.match_families import VictimFamily, population_of, victim_family
from chosei.services.match_options import MatchOptions
from chosei.services.profiles import CaseDna, load_case_dna

DEFAULT_SIMULATIONS = 1000
MAX_SIMULATIONS = 1_000_000
Progress = Callable[[int, int], None]

# IBD coefficients (κ0, κ1, κ2) of the MOIS-eligible kinds with the victim.
KAPPA: dict[str, tuple[float, float, float]] = {
    "son": (0.0, 1.0, 0.0), "daughter": (0.0, 1.0, 0.0),
    "brother": (0.25, 0.5, 0.25), "sister": (0.25, 0.5, 0.25),
    "son's son": (0.5, 0.5, 0.0), "brother's son": (0.5, 0.5, 0.0), "brother's daughter": (0.5, 0.5, 0.0),
    "sister's son": (0.5, 0.5, 0.0), "sister's daughter": (0.5, 0.5, 0.0),
}
MALE_KINDS = frozenset({"son", "brother", "son's son", "brother's son", "sister's son"})
PAIR = ("brother's son", "sister's son")  # two distant relatives on both sides, together


@dataclass(frozen=True)
class PowerSettings:
    simulations: int = DEFAULT_SIMULATIONS
    seed: int | None = None
    population: str | None = None
    threshold: float = CANDIDATE_LR_FLOOR
    theta: float = 0.0
    mutation: MutationModel | None = None
    lineage: bool = True  # False: autosomal markers alone
    recruit: bool = True  # the recruitment options

    def checked(self) -> PowerSettings:
        if not 1 <= self.simulations <= MAX_SIMULATIONS:
            raise InvalidInput(_("--simulations must be between 1 and {most:,}, not {simulations}").format(
                most=MAX_SIMULATIONS, simulations=self.simulations))
        if not (self.threshold > 0 and math.isfinite(self.threshold)):
            raise InvalidInput(_("--threshold must be a positive LR such as 10000, not {threshold}").format(
                threshold=self.threshold))
        if not 0 <= self.theta < 1:
            raise InvalidInput(_("--theta must be in [0, 1), not {theta}").format(theta=self.theta))
        if self.seed is not None and self.seed < 0:
            raise InvalidInput(_("--seed must be a whole number 0 or more, not {seed}").format(seed=self.seed))
        return self


@dataclass(frozen=True)
class SpecimenQuality:
    """How complete the case's real specimens are: what a simulated bone shows."""

    specimens: int  # typed specimens
    markers: dict[str, float]  # marker (normalised) → share of specimens typed at it
    y: float
    mt: float
    partial: dict[str, float] = field(default_factory=dict)  # marker → share of its results that are `a/-`

    def as_dict(self, dna: CaseDna) -> dict[str, Any]:
        return {"specimens": self.specimens, "y_share": round(self.y, 4), "mt_share": round(self.mt, 4),
                "marker_share": {dna.display(m): round(q, 4) for m, q in sorted(self.markers.items())},
                "partial_share": {dna.display(m): round(q, 4) for m, q in sorted(self.partial.items()) if q}}


def specimen_quality(dna: CaseDna) -> SpecimenQuality:
    """Per marker the share of typed specimens typed at it, and the shares with Y and mtDNA.
    No typed specimen: every marker any relative was typed at, at 1 (full profiles)."""
    typed = [p for p in dna.specimens.values() if p.autosomal or p.y or p.mt]
    if not typed:
        markers = {m for rs in dna.relatives.values() for r in rs if r.profile for m in r.profile.autosomal}
        return SpecimenQuality(0, dict.fromkeys(markers, 1.0), 1.0, 1.0)
    counts: dict[str, int] = {}
    partial: dict[str, int] = {}
    for p in typed:
        for m, g in p.autosomal.items():
            counts[m] = counts.get(m, 0) + 1
            partial[m] = partial.get(m, 0) + g.is_partial
    n = len(typed)
    return SpecimenQuality(n, {m: c / n for m, c in counts.items()},
                           sum(p.y is not None for p in typed) / n, sum(p.mt is not None for p in typed) / n,
                           {m: partial[m] / c for m, c in counts.items()})


def power(session: Session, victim: str | None = None, settings: PowerSettings | None = None,
          progress: Progress | None = None) -> dict[str, Any]:
    """Power for one victim, or for every victim with the case's totals; `progress(done, total)`
    after each victim."""
    settings = (settings or PowerSettings()).checked()
    demo = require_case(session).demo
    seed = settings.seed
    if seed is None:
        entropy = np.random.SeedSequence().entropy
        assert isinstance(entropy, int)  # a SeedSequence made without entropy draws an int
        seed = entropy % 2**32  # shown, so a run can be redone
    victim_id = get_victim(session, victim).id if victim is not None else None
    dna = load_case_dna(session)
    options = MatchOptions(population=settings.population)
    if settings.population is not None:
        dna.table(settings.population)  # refuses an unknown population, naming the known ones
    quality = specimen_quality(dna)
    ids = [victim_id] if victim_id is not None else sorted(dna.victims)
    results = []
    cache: dict[Any, Any] = {}  # what does not depend on the victim, computed once per run
    for done, vid in enumerate(ids, 1):
        results.append(_victim(dna, options, vid, settings, quality, seed, cache))
        if progress is not None:
            progress(done, len(ids))
    expected = dict.fromkeys(NATIONALITIES, 0.0)
    referenced = dict.fromkeys(NATIONALITIES, 0)
    victims = dict.fromkeys(NATIONALITIES, 0)
    false_rate = 0.0
    for r in results:
        nat = r["nationality"]
        victims[nat] = victims.get(nat, 0) + 1
        if r["sensitivity"] is not None:
            referenced[nat] = referenced.get(nat, 0) + 1
            expected[nat] = expected.get(nat, 0.0) + r["sensitivity"]
            false_rate += r["false_positive_rate"]
    notes = [] if quality.specimens else [_("no specimen is typed yet: full profiles assumed for the remains")]
    return {
        "demo": demo,
        "settings": {
            "simulations": settings.simulations, "seed": seed,
            "threshold": settings.threshold, "theta": settings.theta,
            "mutation": (settings.mutation or MutationModel()).describe(),
            "population": settings.population, "lines": settings.lineage,
        },
        "specimen_quality": quality.as_dict(dna),
        "victims": results,
        "expected_identifiable": {**{k: round(v, 3) for k, v in expected.items()},
                                  "total": round(sum(expected.values()), 3)},
        "with_references": {**referenced, "total": sum(referenced.values())},
        "victim_count": {**victims, "total": sum(victims.values())},
        "false_candidates": {
            "per_specimen": false_rate,
            "specimens": quality.specimens,
            "pairs": quality.specimens * sum(referenced.values()),
            "expected": false_rate * quality.specimens,
        },
        "notes": notes,
    }


@dataclass
class _Draws:
    """One victim's simulated remains: per marker the drawn genotype and whether it was typed."""

    n: int
    log10: np.ndarray  # the LR `match` would give (θ as asked), victim draws
    log10_exact: np.ndarray  # autosomal θ = 0 LR: the importance weight's density ratio
    autosomal: np.ndarray  # autosomal part of `log10`
    unrelated: np.ndarray  # plain unrelated draws (for the median)
    unrelated_lines: np.ndarray  # Y and mtDNA LRs of unrelated men (for the false positives)
    genotypes: dict[str, tuple[list[tuple[str, str]], np.ndarray, np.ndarray, np.ndarray]] = \
        field(default_factory=dict)  # marker → (genotypes, HW probabilities, drawn index, typed mask)


def _victim(dna: CaseDna, options: MatchOptions, vid: str, settings: PowerSettings, quality: SpecimenQuality,
            seed: int, cache: dict[Any, Any]) -> dict[str, Any]:
    nationality, sex = dna.victims[vid]
    fam = victim_family(dna, options, vid)
    used = fam.used if fam is not None else []
    out: dict[str, Any] = {
        "victim_id": vid, "nationality": nationality,
        "references": [{"id": r.id, "relationship": r.relationship,
                        "autosomal_markers": len(r.dna.autosomal),
                        "Y": r.dna.y is not None, "mt": r.dna.mt is not None}
                       for r in used],
        "population": None, "markers": 0, "lines": [], "notes": [],
        "sensitivity": None, "false_positive_rate": None, "false_positive_se": None,
        "autosomal_sensitivity": None, "median_log10_lr": None, "median_log10_lr_unrelated": None,
        "recruit": [],
    }
    if not used:
        out["notes"].append(_("no usable reference: no typed relative with an active consent for analysis"))
    try:
        pop = fam.population if fam is not None and used else population_of(dna, options, vid)
    except InvalidInput as exc:
        if used:
            raise
        out["notes"].append(_("no recruitment options: {reason}").format(reason=exc))
        return out
    out["population"] = pop
    table = dna.table(pop)
    rng = np.random.default_rng([seed, zlib.crc32(vid.encode("utf-8"))])
    n = settings.simulations
    draws = _Draws(n, np.zeros(n), np.zeros(n), np.zeros(n), np.zeros(n), np.zeros(n))
    try:
        markers, skipped = _autosomal(fam if used else None, table, quality, settings, rng, draws)
        if skipped:
            out["notes"].append(_("markers without frequencies, left out: {markers}").format(
                markers=", ".join(skipped)))
        out["markers"] = markers
        if markers:
            out["lines"].append("autosomal")
        if settings.lineage and used and fam is not None:  # used relatives come from fam
            for line in ("Y", "mt"):
                if _lineage(fam, line, dna.database(pop, line), quality, rng, draws, out["notes"]):
                    out["lines"].append(line)
    except KinshipError as exc:
        out["notes"].append(_("cannot compute: {reason}").format(reason=exc))
        return out
    cut = math.log10(settings.threshold)
    if used and out["lines"]:
        out["sensitivity"] = float(np.mean(draws.log10 >= cut))
        weights = np.where(draws.log10 + draws.unrelated_lines >= cut, 10.0 ** -draws.log10_exact, 0.0)
        out["false_positive_rate"] = float(weights.mean())
        out["false_positive_se"] = float(weights.std() / math.sqrt(n))
        out["autosomal_sensitivity"] = float(np.mean(draws.autosomal >= cut)) if markers else 0.0
        out["median_log10_lr"] = _median(draws.log10)
        out["median_log10_lr_unrelated"] = _median(draws.unrelated)
    elif used:
        out["notes"].append(_("no reference line usable with the store's tables"))
    if settings.recruit:
        out["recruit"] = _recruit(dna, fam if used else None, vid, sex, pop, quality, settings, rng, draws,
                                  out["sensitivity"] or 0.0, cut, cache)
    return out


def _median(values: np.ndarray) -> float | None:
    m = float(np.median(values))
    return None if math.isinf(m) else round(m, 2)


def _autosomal(fam: VictimFamily | None, table: FrequencyTable, quality: SpecimenQuality,
               settings: PowerSettings, rng: np.random.Generator, draws: _Draws) -> tuple[int, list[str]]:
    """Draw the victim's genotype at every marker the specimens show (conditionally on his
    relatives where they are typed) and add the LRs; return (markers with a relative, skipped)."""
    relatives = list(fam.family.relatives) if fam is not None else []
    profiles = {r.id: r.profile for r in relatives}
    skipped = sorted({m for p in profiles.values() for m in p if m not in table})
    complete = table.completed(profile_alleles([{m: g for m, g in p.items() if m in table}
                                                for p in profiles.values()]))
    used_markers = 0
    n = draws.n
    for marker in sorted(m for m in quality.markers if m in table):
        mf = complete.marker(marker)
        alleles = [a for a in mf.alleles if a != REST_ALLELE]
        freq = dict(zip(mf.alleles, mf.freqs, strict=True))
        pairs = [(a, b) for i, a in enumerate(alleles) for b in alleles[i:]]
        hw = np.array([freq[a] * freq[b] * (1 if a == b else 2) for a, b in pairs])
        typed = rng.random(n) < quality.markers[marker]
        family = tuple(KinshipRelative(r.id, r.relationship, {marker: r.profile[marker]})
                       for r in relatives if marker in r.profile)
        if family and fam is not None:  # relatives come from fam
            used_markers += 1
            kin = KinshipFamily(fam.victim, family, fam.sex)
            # Every full genotype, then every partial one (`a/-`, as drop-out shows it).
            shown = [Genotype.of(a, b) for a, b in pairs] + [Genotype.of(a, None) for a in alleles]
            specimens = {str(k): {marker: g} for k, g in enumerate(shown)}
            exact = match_batch(specimens, [kin], complete, mutation=settings.mutation)
            conditional = exact.lr[: len(pairs), 0] * hw
            lr_exact = exact.log10_lr[:, 0]
            lr_used = lr_exact if not settings.theta else match_batch(
                specimens, [kin], complete, theta=settings.theta, mutation=settings.mutation).log10_lr[:, 0]
            drawn = rng.choice(len(pairs), size=n, p=conditional / conditional.sum())
            unrelated = rng.choice(len(pairs), size=n, p=hw / hw.sum())
            dropped = _dropout(pairs, alleles, hw, quality.partial.get(marker, 0.0))
            seen = np.where(rng.random(n) < dropped[1][drawn], dropped[0][drawn], drawn)
            # The weight is the full genotype's: drop-out acts alike under both hypotheses.
            draws.autosomal += np.where(typed, lr_used[seen], 0.0)
            draws.log10_exact += np.where(typed, lr_exact[drawn], 0.0)
            seen_u = np.where(rng.random(n) < dropped[1][unrelated], dropped[0][unrelated], unrelated)
            draws.unrelated += np.where(rng.random(n) < quality.markers[marker], lr_used[seen_u], 0.0)
        else:
            drawn = rng.choice(len(pairs), size=n, p=hw / hw.sum())
        draws.genotypes[marker] = (pairs, hw / hw.sum(), drawn, typed)
    draws.log10 += draws.autosomal
    return used_markers, skipped


def _dropout(pairs: list[tuple[str, str]], alleles: list[str], hw: np.ndarray,
             share: float) -> tuple[np.ndarray, np.ndarray]:
    """Per full genotype: the index of the partial genotype drop-out would show (the shorter
    allele kept: the longer amplifies worse from degraded DNA), and the probability it does.
    A heterozygote loses an allele with the probability that makes the expected share of
    partial results the specimens' `share` at this marker (share / heterozygosity, at most 1)."""
    het = np.array([a != b for a, b in pairs])
    heterozygosity = float((hw / hw.sum())[het].sum())
    rate = min(1.0, share / heterozygosity) if heterozygosity > 0 else 0.0
    index = {a: i for i, a in enumerate(alleles)}
    target = np.array([len(pairs) + index[a] for a, _ in pairs])
    return target, np.where(het, rate, 0.0)


def _lineage(fam: VictimFamily, line: str, database: HaplotypeDatabase | None, quality: SpecimenQuality,
             rng: np.random.Generator, draws: _Draws, notes: list[str]) -> bool:
    on_line = fam.y_line if line == "Y" else fam.mt_line
    if not on_line:
        return False
    if database is None:
        notes.append(_("no {line} reference database for the population: {line} line left out").format(line=line))
        return False
    relatives = [r for r, _ in on_line]
    best, k = min(on_line, key=lambda rk: (rk[1], rk[0].id))
    lr_of = _cached_lr(line, relatives, database, fam.sex)
    n = draws.n
    victim = _mutated(cast(YHaplotype, best.haplotype), k, rng, n) if line == "Y" else [best.haplotype] * n
    share = quality.y if line == "Y" else quality.mt
    draws.log10 += np.where(rng.random(n) < share, [lr_of(h) for h in victim], 0.0)
    counts = np.array([c for _, c in database.entries], dtype=float)
    picks = rng.choice(len(counts), size=n, p=counts / counts.sum())
    unrelated = np.where(rng.random(n) < share, [lr_of(database.entries[i][0]) for i in picks], 0.0)
    draws.unrelated += unrelated
    draws.unrelated_lines += unrelated
    return True


def _cached_lr(line: str, relatives: list[LineageRelative], database: HaplotypeDatabase,
               sex: str) -> Callable[[Any], float]:
    cache: dict[Any, float] = {}

    def lr_of(hap: Any) -> float:
        key = tuple(sorted(hap.alleles.items())) if line == "Y" else hap
        if key not in cache:
            try:
                if line == "Y":
                    lr = y_lr(hap, relatives, database, victim_sex=sex).lr  # type: ignore[arg-type]  # the store's sex, M, F or U: the engine refuses U
                else:
                    lr = mt_lr(hap, relatives, database, victim_sex=sex).lr  # type: ignore[arg-type]  # the store's sex, M, F or U: the engine refuses U
            except KinshipError:
                lr = 1.0  # not comparable with the database: the line says nothing
            with np.errstate(divide="ignore"):
                cache[key] = float(np.log10(lr))
        return cache[key]

    return lr_of


def _mutated(hap: YHaplotype, meioses: int, rng: np.random.Generator, n: int) -> list[YHaplotype]:
    """n copies of `hap`, each locus (and copy) stepping ±1 per mutation over `meioses`."""
    slots = [(m, i) for m, v in hap.alleles.items()
             for i in range(1 if isinstance(v, str) else len(v))]
    mutations = rng.binomial(meioses, Y_MUTATION_RATE, size=(n, len(slots)))
    out = []
    for row in range(n):
        if not mutations[row].any():
            out.append(hap)
            continue
        alleles = {m: [v] if isinstance(v, str) else list(v) for m, v in hap.alleles.items()}
        for (marker, i), count in zip(slots, mutations[row], strict=True):
            if count:
                step = int(rng.choice((-1, 1), size=count).sum())
                alleles[marker][i] = f"{float(alleles[marker][i]) + step:g}"
        out.append(YHaplotype.parse({m: ",".join(v) for m, v in alleles.items()}))
    return out


# --- Whom to recruit next ----------------------------------------------------------------


def _recruit(dna: CaseDna, fam: VictimFamily | None, vid: str, sex: str, pop: str, quality: SpecimenQuality,
             settings: PowerSettings, rng: np.random.Generator, draws: _Draws, now: float,
             cut: float, cache: dict[Any, Any]) -> list[dict[str, Any]]:
    """The sensitivity with each relative one could still recruit, best gain first."""
    used_kinds = {r.relationship for r in fam.used} if fam is not None else set()
    has_y = bool(fam and fam.y_line)
    has_mt = bool(fam and fam.mt_line)
    known: dict[str, list[str]] = {}
    for r in dna.relatives.get(vid, []):
        if not (fam and r in fam.used):
            known.setdefault(r.relationship, []).append(r.id)
    options: list[tuple[str, ...]] = [(k,) for k in MOIS_ELIGIBLE if k not in used_kinds]
    if not used_kinds & set(PAIR):
        options.append(PAIR)
    databases = {line: dna.database(pop, line) for line in ("Y", "mt")} if settings.lineage else {}
    rows: list[dict[str, Any]] = []
    for kinds in options:
        total = draws.log10.copy()
        lines = ["autosomal"]
        for kind in kinds:
            total += _recruit_autosomal(kind, rng, draws, cache)
        for line, has, share in (("Y", has_y, quality.y), ("mt", has_mt, quality.mt)):
            db = databases.get(line)
            if has or db is None:
                continue
            on_line = [k for k in kinds if _on_line(k, line, sex)]
            if on_line:
                key = (line, pop, on_line[0], sex, draws.n)
                if key not in cache:  # the same for every victim of the population: drawn once
                    cache[key] = _recruit_line(on_line[0], line, db, sex, rng, draws.n)
                total += np.where(rng.random(draws.n) < share, rng.permutation(cache[key]), 0.0)
                lines.append(line)
        p = float(np.mean(total >= cut))
        rows.append({"relationships": list(kinds), "lines": lines, "sensitivity": p,
                     "gain": round(p - now, 4), "known": sorted(i for k in kinds for i in known.get(k, []))})
    rows.sort(key=lambda r: (-r["gain"], MOIS_ELIGIBLE.index(r["relationships"][0]), len(r["relationships"])))
    return rows


def best_option(recruit: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The option to advise first: the best-gaining one whose relatives are already recorded
    (known, so one can ask them), else the best-gaining one; None when nothing gains."""
    gaining = [o for o in recruit if o["gain"] > 0]
    known = [o for o in gaining if o["known"]]
    options = known or gaining
    return options[0] if options else None


def _recruit_autosomal(kind: str, rng: np.random.Generator, draws: _Draws, cache: dict[Any, Any]) -> np.ndarray:
    """log10 of the recruit's pairwise LR at each typed marker, his genotype drawn given the
    victim's drawn genotype through the IBD coefficients of `kind`."""
    out = np.zeros(draws.n)
    for pairs, hw, drawn, typed in draws.genotypes.values():
        key = (kind, tuple(pairs), hw.tobytes())
        if key not in cache:
            cond = _one_shared(pairs, hw, cache)
            k0, k1, k2 = KAPPA[kind]
            cond = k0 * hw[:, None] + k1 * cond + k2 * np.eye(len(pairs))  # [h, g] = P(recruit h | victim g)
            with np.errstate(divide="ignore"):
                log_lr = np.log10(cond / hw[:, None])
            # Column g's CDF shifted by g, flattened: one searchsorted draws h for every g at once.
            cdf = np.cumsum(cond, axis=0)
            cache[key] = ((cdf / cdf[-1]).T + np.arange(len(pairs))[:, None]).ravel(), log_lr
        flat, log_lr = cache[key]
        u = 1.0 - rng.random(draws.n)  # in (0, 1]
        h = np.searchsorted(flat, drawn + u) - drawn * len(pairs)
        h = np.minimum(h, len(pairs) - 1)
        out += np.where(typed, log_lr[h, drawn], 0.0)
    return out


def _one_shared(pairs: list[tuple[str, str]], hw: np.ndarray, cache: dict[Any, Any]) -> np.ndarray:
    """P(relative's genotype h | victim's genotype g, one allele shared IBD, either of g's
    with probability ½), for every (h, g); the recruit's κ0 P(h) + κ1 this + κ2 1{h = g}."""
    key = ("one", tuple(pairs), hw.tobytes())
    if key in cache:
        return cache[key]
    alleles = list(dict.fromkeys(a for p in pairs for a in p))
    index = {a: i for i, a in enumerate(alleles)}
    freq = np.zeros(len(alleles))
    for (a, b), p in zip(pairs, hw, strict=True):
        if a == b:
            freq[index[a]] = math.sqrt(p)
    freq /= freq.sum()
    given = np.zeros((len(pairs), len(alleles)))  # [h, a] = P(h | allele a shared)
    for i, (c, d) in enumerate(pairs):
        if c == d:
            given[i, index[c]] = freq[index[c]]
        else:
            given[i, index[c]] += freq[index[d]]
            given[i, index[d]] += freq[index[c]]
    first = np.array([index[a] for a, _ in pairs])
    second = np.array([index[b] for _, b in pairs])
    cache[key] = 0.5 * (given[:, first] + given[:, second])
    return cache[key]


def _on_line(kind: str, line: str, victim_sex: str) -> bool:
    pedigree = build_pedigree([("R", kind)], victim_sex=victim_sex)  # type: ignore[arg-type]  # the store's sex, M, F or U: the engine refuses U
    meet = y_line_meioses if line == "Y" else mt_line_meioses
    return meet(pedigree, "R") is not None


def _recruit_line(kind: str, line: str, database: HaplotypeDatabase, sex: str, rng: np.random.Generator,
                  n: int) -> np.ndarray:
    """log10 LRs of the line if a relative of `kind` were typed for it: his haplotype a database
    haplotype drawn by its counts, the victim's his (Y: mutated over the meioses between them)."""
    pedigree = build_pedigree([("R", kind)], victim_sex=sex)  # type: ignore[arg-type]  # the store's sex, M, F or U: the engine refuses U
    k = (y_line_meioses if line == "Y" else mt_line_meioses)(pedigree, "R") or 0
    counts = np.array([c for _, c in database.entries], dtype=float)
    picks = rng.choice(len(counts), size=n, p=counts / counts.sum())
    out = np.zeros(n)
    for i in np.unique(picks):
        hap = database.entries[i][0]
        rows = np.flatnonzero(picks == i)
        lr_of = _cached_lr(line, [LineageRelative("R", kind, hap)], database, sex)
        victims = _mutated(hap, k, rng, len(rows)) if line == "Y" else [hap] * len(rows)
        out[rows] = [lr_of(h) for h in victims]
    return out

