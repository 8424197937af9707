"""DNA as the kinship maths needs it, read from the store in a fixed number of queries.

`load_case_dna` reads victims, relatives, analysis consents, every typed sample's
genotype rows, which samples hold dense SNP calls, the allele frequency tables, the
haplotype databases and the family trees -- eight statements whatever the size of the
store -- and returns them ready for `chosei.kinship`:

* A sample's `Genotype` rows split three ways: the `mtDNA` row is the mtDNA haplotype,
  markers named like Y-STRs (DYS…, DYF…, Y-GATA…) form the Y haplotype, `AMEL` is
  kept aside, everything else is an autosomal STR (allele 2 empty = a partial genotype).
* **Several profiled samples of one specimen (or one relative) are merged into one
  consensus profile**: per marker, agreeing results are kept, a full genotype absorbs
  a partial one it contains (``12/14`` and ``12/-`` give ``12/14``), two partial ones
  with different alleles make the full genotype (``12/-`` and ``14/-`` give
  ``12/14``). A marker where the samples disagree (``12/14`` against ``12/15``) is
  left out and listed in `conflicts`, so a mix-up is seen rather than averaged away.
  Replicate extractions of degraded bone recover different markers, so the consensus
  is more complete than any one of them.
* `AMEL` is kept aside as `amelogenin` (X, or X,Y) for the sex check of `qc`.
* A sample of type `elimination` with no specimen or relative is a staff member's
  elimination profile (someone who handled the bones); `elimination` holds them, keyed
  by sample ID, and `qc.elimination_hits` checks every specimen against them.
* **A specimen's replicates that differ only by dropout** (``12/12`` and ``12/14``: at
  most two alleles seen in all) give the genotype of every allele seen (``12/14``,
  the allele seen once is kept) when matching models dropout (`kinship.dropout`, the
  default): such a marker is in `recovered` with what was seen, and `for_matching`
  puts it in the profile. With ``--dropout 0`` it is a conflict, left out, as
  without the model. A relative's replicates are good-quality DNA: a difference
  there is always a conflict.
* A sample holding dense SNP calls (`snp import`) is a typed sample even without a
  `Genotype` row: its owner's profile lists it and has `snp` set, so a specimen or a
  relative typed by SNPs only is compared (`match_snp` reads the calls themselves).
* A relative's DNA is used only with an active consent for `analysis` (given and
  not withdrawn); the others are kept aside with the reason, for `match show`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from chosei.errors import InvalidInput
from chosei.i18n import _
from chosei.kinship import FrequencyTable, Genotype, HaplotypeDatabase, KinshipError, MtHaplotype, YHaplotype, markers
from chosei.kinship.genotypes import allele_sort_key, consensus_genotype
from chosei.kinship.markers import normalise_marker
from chosei.models import AlleleFrequency, FamilyPerson, HaplotypeCount, Relative, Sample, SnpCalls, Victim
from chosei.models import Genotype as GenotypeRow
from chosei.services.stages import consent_in_effect

ELIMINATION = "elimination"  # the sample type of a staff member's elimination profile


@dataclass
class Profile:
    """The consensus DNA of one specimen or one relative, from all its typed samples."""

    owner: str
    samples: tuple[str, ...]
    autosomal: dict[str, Genotype] = field(default_factory=dict)
    y: YHaplotype | None = None
    mt: MtHaplotype | None = None
    conflicts: tuple[str, ...] = ()
    y_text: dict[str, str] = field(default_factory=dict)
    mt_text: str | None = None
    snp: bool = False  # one of its samples holds dense SNP calls
    amelogenin: str | None = None  # the AMEL result, "X" or "X,Y" (all samples' alleles together)
    # marker → (consensus, the conflict it is without the model, the note with it)
    recovered: dict[str, tuple[Genotype, str, str]] = field(default_factory=dict)

    def for_matching(self, dropout_model: bool) -> Profile:
        """The profile a match uses: with the dropout model the `recovered` markers join it
        (and are no conflict); without it they are conflicts, left out."""
        if not self.recovered:
            return self
        if dropout_model:
            return replace(self, autosomal={**self.autosomal, **{m: r[0] for m, r in self.recovered.items()}})
        return replace(self, conflicts=(*self.conflicts, *(r[1] for r in self.recovered.values())), recovered={})

    @property
    def recovered_notes(self) -> list[str]:
        """One line per recovered marker: ``D3S1358: 12/12 + 12/14 → 12/14``."""
        return [r[2] for _, r in sorted(self.recovered.items())]

    @property
    def sample_label(self) -> str:
        """The samples as one short label for `MatchResult.sample_id` (64 characters)."""
        label = "+".join(self.samples)
        if len(label) <= 64:
            return label
        more = f"+{len(self.samples) - 1} more"
        return self.samples[0][: 64 - len(more)] + more


@dataclass(frozen=True)
class RelativeDna:
    id: str
    victim_id: str
    relationship: str
    consented: bool
    profile: Profile | None

    @property
    def usable(self) -> bool:
        return self.consented and self.profile is not None

    @property
    def dna(self) -> Profile:
        """The profile of a relative known to be typed (a family uses only those)."""
        if self.profile is None:
            raise ValueError(f"relative {self.id} has no DNA profile")
        return self.profile


@dataclass
class CaseDna:
    """Everything a matching run or a detailed comparison reads from the store."""

    victims: dict[str, tuple[str, str]]  # id → (nationality, sex)
    relatives: dict[str, list[RelativeDna]]  # victim id → relatives (typed or not)
    specimens: dict[str, Profile]
    frequency_rows: dict[str, list[tuple[str, str, float, int | None]]]  # population → rows
    haplotype_rows: dict[tuple[str, str], list[tuple[str, int]]]  # (population, kind) → rows
    marker_names: dict[str, str]  # normalised → as the store writes it
    elimination: dict[str, Profile] = field(default_factory=dict)  # staff sample ID → its profile (`qc`)
    # owner victim → his family tree's people: (label, father, mother, sex, relative id)
    trees: dict[str, list[tuple[str, str | None, str | None, str | None, str | None]]] = field(
        default_factory=dict)
    _tables: dict[str, FrequencyTable] = field(default_factory=dict, repr=False)
    _databases: dict[tuple[str, str], HaplotypeDatabase | None] = field(default_factory=dict, repr=False)

    @property
    def populations(self) -> tuple[str, ...]:
        return tuple(sorted(self.frequency_rows))

    def table(self, population: str) -> FrequencyTable:
        """The allele frequency table of `population`, or `InvalidInput` saying what exists."""
        if population not in self._tables:
            rows = self.frequency_rows.get(population)
            if rows is None:
                raise InvalidInput(no_table_message(population, self.populations))
            self._tables[population] = _frequency_table(population, rows)
        return self._tables[population]

    def database(self, population: str, kind: str) -> HaplotypeDatabase | None:
        """The Y (`kind="Y"`) or mtDNA (`"mt"`) database of `population`; None if absent."""
        key = (population, kind)
        if key not in self._databases:
            rows = self.haplotype_rows.get(key)
            # the other populations' databases of the kind: what "unseen" means (`unseen_frequency`)
            others = tuple(_database(pop, kind, more) for (pop, k), more in sorted(self.haplotype_rows.items())
                           if k == kind and pop != population and more)
            self._databases[key] = _database(population, kind, rows, others) if rows else None
        return self._databases[key]

    def tree_owner(self, victim: str) -> str | None:
        """The owner of the family tree holding `victim` (himself or another), or None."""
        if victim in self.trees:
            return victim
        return next((owner for owner, people in self.trees.items()
                     if any(p[0] == victim for p in people)), None)

    def display(self, marker: str) -> str:
        return self.marker_names.get(marker, marker)


def no_table_message(population: str, populations: Iterable[str]) -> str:
    known = ", ".join(populations)
    if not known:
        return (_("the store holds no allele frequency table; import one (the Frequencies sheet of the exchange "
                  "workbook) before matching"))
    return _("no allele frequency table for population '{population}'; the store has: {known}").format(
               population=population, known=known)


def load_case_dna(session: Session) -> CaseDna:
    """Read the DNA side of the case: a fixed number of queries whatever the number of rows."""
    victims = {vid: (nat, (sex or "M")) for vid, nat, sex in
               session.execute(select(col(Victim.id), col(Victim.nationality), col(Victim.sex)))}
    consented = set(session.execute(
        select(col(Relative.id)).where(consent_in_effect(col(Relative.id), "analysis"))
    ).scalars())
    typed: dict[str, list[tuple[str, str, str | None, str | None]]] = {}
    owner_of: dict[str, tuple[str, str]] = {}
    rows = session.execute(
        select(col(Sample.id), col(Sample.specimen_id), col(Sample.relative_id), col(Sample.type),
               col(GenotypeRow.marker), col(GenotypeRow.allele1), col(GenotypeRow.allele2))
        .join(GenotypeRow, col(GenotypeRow.sample_id) == Sample.id)
        .order_by(Sample.id, GenotypeRow.marker)
    )
    for sid, specimen_id, relative_id, kind, marker, a1, a2 in rows:
        if specimen_id:
            owner_of[sid] = ("specimen", specimen_id)
        elif relative_id:
            owner_of[sid] = ("relative", relative_id)
        elif kind == ELIMINATION:
            owner_of[sid] = ("elimination", sid)  # a staff member's reference: its own owner
        else:
            continue  # a sample whose source is lost cannot be compared with anybody
        typed.setdefault(sid, []).append((sid, marker, a1, a2))
    with_snps = set()
    for sid, specimen_id, relative_id in session.execute(
        select(col(Sample.id), col(Sample.specimen_id), col(Sample.relative_id))
        .join(SnpCalls, col(SnpCalls.sample_id) == Sample.id)
    ):
        if specimen_id or relative_id:
            owner_of[sid] = ("specimen", specimen_id) if specimen_id else ("relative", relative_id)
            with_snps.add(sid)
    names: dict[str, str] = {}
    by_owner: dict[tuple[str, str], list[str]] = {}
    for sid, owner in owner_of.items():
        by_owner.setdefault(owner, []).append(sid)
    profiles = {owner: _consensus(owner[1], sorted(sids), typed, names, owner[0] == "specimen")
                for owner, sids in by_owner.items()}
    for owner, sids in by_owner.items():
        profiles[owner].snp = not with_snps.isdisjoint(sids)
    relatives: dict[str, list[RelativeDna]] = {}
    for rid, vid, term in session.execute(
        select(col(Relative.id), col(Relative.victim_id), col(Relative.relationship)).order_by(Relative.id)
    ):
        profile = profiles.get(("relative", rid))
        relatives.setdefault(vid, []).append(RelativeDna(rid, vid, term, rid in consented, profile))
    specimens = {owner[1]: p for owner, p in sorted(profiles.items()) if owner[0] == "specimen"}
    freq: dict[str, list[tuple[str, str, float, int | None]]] = {}
    for pop, marker, allele, p, n in session.execute(
        select(col(AlleleFrequency.population), col(AlleleFrequency.marker), col(AlleleFrequency.allele),
               col(AlleleFrequency.frequency), col(AlleleFrequency.sample_size))
    ):
        freq.setdefault(pop, []).append((marker, allele, p, n))
    haps: dict[tuple[str, str], list[tuple[str, int]]] = {}
    for pop, kind, text, count in session.execute(
        select(col(HaplotypeCount.population), col(HaplotypeCount.kind),
               col(HaplotypeCount.haplotype), col(HaplotypeCount.count))
    ):
        haps.setdefault((pop, kind), []).append((text, count))
    elimination = {owner[1]: p for owner, p in sorted(profiles.items()) if owner[0] == "elimination"}
    trees: dict[str, list[tuple[str, str | None, str | None, str | None, str | None]]] = {}
    for vid, *person in session.execute(
        select(col(FamilyPerson.victim_id), col(FamilyPerson.label), col(FamilyPerson.father), col(FamilyPerson.mother),
               col(FamilyPerson.sex), col(FamilyPerson.relative_id)).order_by(col(FamilyPerson.id))
    ):
        trees.setdefault(vid, []).append(tuple(person))
    return CaseDna(victims, relatives, specimens, freq, haps, names, elimination, trees)


def _consensus(owner: str, samples: list[str], typed: dict[str, list[Any]], names: dict[str, str],
               specimen: bool = False) -> Profile:
    auto: dict[str, list[Genotype]] = {}
    y: dict[str, set[str]] = {}
    mt: set[tuple[str, str | None]] = set()  # (variants, ranges read)
    amel: set[str] = set()
    for sid in samples:
        for _sid, marker, a1, a2 in typed.get(sid, ()):
            if marker == markers.MT:
                if a1:
                    mt.add((a1, a2 or None))
            elif markers.is_amelogenin(marker):
                # Replicates of degraded bone may lose the Y peak: Y seen once is kept.
                amel.update(a.strip().upper() for a in (a1, a2) if a and a.strip())
            elif markers.is_y_str(marker):
                alleles = ",".join(a for a in (a1, a2) if a)
                if alleles:
                    y.setdefault(marker, set()).add(alleles)
            else:
                key = _marker_key(marker, names)
                try:
                    g = _genotype(a1, a2)
                except KinshipError as exc:
                    raise InvalidInput(_("sample {sid}, marker {marker}: {exc}").format(
                                           sid=sid, marker=marker, exc=exc)) from None
                if g is not None:
                    auto.setdefault(key, []).append(g)
    conflicts: list[str] = []
    recovered: dict[str, tuple[Genotype, str, str]] = {}
    profile: dict[str, Genotype] = {}
    for marker, seen in auto.items():
        merged = consensus_genotype(seen)
        if merged is not None:
            profile[marker] = merged
            continue
        shown = sorted({str(g) for g in seen})
        text = f"{names.get(marker, marker)} ({', '.join(shown)})"
        union = dropout_consensus(seen) if specimen else None
        if union is None:
            conflicts.append(text)
        else:
            recovered[marker] = (union, text, f"{names.get(marker, marker)}: {' + '.join(shown)} → {union}")
    y_text: dict[str, str] = {}
    for marker, values in sorted(y.items()):
        if len(values) == 1:
            y_text[marker] = next(iter(values))
        else:
            conflicts.append(f"{marker} ({', '.join(sorted(values))})")
    mt_text = mt_ranges = None
    if len(mt) == 1:
        mt_text, mt_ranges = next(iter(mt))
    elif mt:
        shown = sorted(v + (f" (read {r})" if r else "") for v, r in mt)
        conflicts.append(f"mtDNA ({' | '.join(shown)})")
    try:
        y_hap = YHaplotype.parse(y_text) if y_text else None
        mt_hap = MtHaplotype.parse(mt_text, ranges=mt_ranges) if mt_text else None
    except KinshipError as exc:
        raise InvalidInput(_("{owner} (samples {samples}): {exc}").format(
                               owner=owner, samples=', '.join(samples), exc=exc)) from None
    return Profile(owner, tuple(samples), profile, y_hap, mt_hap, tuple(conflicts), y_text, mt_text,
                   amelogenin=",".join(sorted(amel)) or None, recovered=recovered)


@cache
def _genotype(a1: str | None, a2: str | None) -> Genotype | None:
    return Genotype.of(a1, a2)


def _marker_key(marker: str, names: dict[str, str]) -> str:
    key = _normalised(marker)
    names.setdefault(key, marker)
    return key


@cache
def _normalised(marker: str) -> str:
    return normalise_marker(marker)


def dropout_consensus(seen: list[Genotype]) -> Genotype | None:
    """Replicates that differ only by dropout: every allele seen, when that is at most two
    (``12/12`` + ``12/14`` → ``12/14``); None when more were seen (a mix-up, not dropout)."""
    alleles = sorted({a for g in seen for a in g.alleles}, key=allele_sort_key)
    if len(alleles) != 2:
        return None
    return Genotype(alleles[0], alleles[1])


def _frequency_table(population: str, rows: list[tuple[str, str, float, int | None]]) -> FrequencyTable:
    freqs: dict[str, dict[str, float]] = {}
    sizes: dict[str, int] = {}
    for marker, allele, p, n in rows:
        if p and p > 0:  # a zero is an unseen allele: it gets the minimum frequency instead
            freqs.setdefault(marker, {})[allele] = p
        if n:
            sizes[marker] = max(n, sizes.get(marker, 0))
    try:
        return FrequencyTable(population, freqs, n={m: n for m, n in sizes.items() if m in freqs})
    except KinshipError as exc:
        raise InvalidInput(_("frequency table '{population}': {exc}").format(population=population, exc=exc)) from None


def _database(population: str, kind: str, rows: list[tuple[str, int]],
              others: tuple[HaplotypeDatabase, ...] = ()) -> HaplotypeDatabase:
    entries: list[tuple[YHaplotype | MtHaplotype, int]] = []
    for text, count in rows:
        try:
            if kind == "Y":
                values = dict(part.partition("=")[::2] for part in text.split(";") if part)
                entries.append((YHaplotype.parse(values), count))
            else:
                entries.append((MtHaplotype.parse(text), count))
        except KinshipError as exc:
            raise InvalidInput(_("{kind} haplotype '{text}' of population '{population}': {exc}").format(
                                   kind=kind, text=text, population=population, exc=exc)) from None
    return HaplotypeDatabase(population, tuple(entries), others)
