"""Who is compared in a match run: each victim's family as the kinship library needs it.

* A victim is compared when at least one of his typed relatives has an active consent
  for analysis; a typed relative without it is never used (and `match show` says so),
  nor is a spouse or an `other` relative, who carry no genetic information about him.
* One pedigree per victim holds all his usable relatives (`kinship.build_pedigree`);
  the relatives on his Y and mtDNA lines are read from it with their meioses.
* A victim in a family tree (his own, or another victim's that holds him) is matched
  on that tree instead (`kinship.trees.tree_pedigree`): V, the usable relatives of
  every victim of the tree who are placed in it, and the untyped people joining them.
  A typed relative not placed is never used (and `match show` says so); `other` and
  `spouse` count like any placed relative, since the tree says where they stand.
  Victims of one tree are each V in turn, the others untyped: their LRs come from the
  same family, and the closed-set posterior splits between them when the DNA cannot
  tell them apart.
* The frequency table (population) of each victim: `--population`, else his
  nationality's table, else the store's only table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import cast

from chosei.errors import InvalidInput
from chosei.i18n import N_, _
from chosei.kinship import Family, KinshipError, LineageRelative, Pedigree, Relative, build_pedigree
from chosei.kinship.lineage import mt_line_meioses, y_line_meioses
from chosei.kinship.paths import in_words
from chosei.kinship.pedigree import NON_GENETIC, Sex
from chosei.kinship.trees import TreePerson, tree_pedigree
from chosei.services.match_options import MatchOptions
from chosei.services.profiles import CaseDna, RelativeDna

NO_CONSENT = N_("no active consent for analysis: not used")
NOT_IN_TREE = N_("not placed in the family tree: not used")


@dataclass
class VictimFamily:
    """A victim, the relatives whose DNA is used for him, and those left out (and why)."""

    victim: str
    sex: Sex
    population: str
    used: list[RelativeDna]
    unused: list[tuple[RelativeDna, str]]
    pedigree: Pedigree
    y_line: list[tuple[LineageRelative, int]] = field(default_factory=list)  # with meioses
    mt_line: list[tuple[LineageRelative, int]] = field(default_factory=list)

    @property
    def family(self) -> Family:
        ids = set(self.pedigree.ids)
        rels = tuple(Relative(r.id, r.relationship, r.dna.autosomal)
                     for r in self.used if r.id in ids)
        return Family(self.victim, rels, self.sex, self.pedigree)

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
        _("no allele frequency table for population '{nationality}' (the nationality of victim {victim}); give "
          "--population, one of: {dna_populations}").format(
            nationality=nationality, victim=victim, dna_populations=', '.join(dna.populations))
    )


def victim_family(dna: CaseDna, options: MatchOptions | None, victim: str) -> VictimFamily | None:
    """The family used for `victim`, or None when no relative is typed at all. Without
    `options` (a picture of the family, not a comparison) no frequency table is chosen."""
    owner = dna.tree_owner(victim)
    if owner is not None:
        return _tree_family(dna, options, victim, owner)
    relatives = dna.relatives.get(victim, [])
    typed = [r for r in relatives if r.profile is not None]
    if not typed:
        return None
    used = [r for r in typed if r.consented and r.relationship not in NON_GENETIC]
    unused = [(r, _(NO_CONSENT)) for r in typed if not r.consented]
    unused += [(r, _("{relationship} carries no genetic information about the victim: not used").format(
                   relationship=r.relationship)) for r in typed
               if r.consented and r.relationship in NON_GENETIC]
    sex = dna.victims[victim][1]
    try:
        pedigree = build_pedigree([(r.id, r.relationship) for r in used], victim_sex=cast(Sex, sex),
                                  victim_id=victim)  # build_pedigree refuses a sex other than M or F
    except KinshipError as exc:
        raise InvalidInput(_("victim {victim}: {exc}; correct the relatives' relationships").format(
                               victim=victim, exc=exc)) from None
    return _with_lines(VictimFamily(victim, pedigree.victim_sex, _population(dna, options, victim, used), used, unused,
                                    pedigree))


def _tree_family(dna: CaseDna, options: MatchOptions | None, victim: str, owner: str) -> VictimFamily | None:
    people = dna.trees[owner]
    victims = [p[0] for p in people if p[0] in dna.victims]
    relatives = sorted((r for v in victims for r in dna.relatives.get(v, [])), key=lambda r: r.id)
    typed = [r for r in relatives if r.profile is not None]
    if not typed:
        return None
    label_of = {p[4]: p[0] for p in people if p[4]}
    used = [r for r in typed if r.consented and r.id in label_of]
    unused = [(r, _(NO_CONSENT)) for r in typed if not r.consented]
    unused += [(r, _(NOT_IN_TREE)) for r in typed if r.consented and r.id not in label_of]
    tree = [TreePerson(label, father, mother, sex if sex in ("M", "F") else None)
            for label, father, mother, sex, _ in people]
    roles = {label_of[r.id]: in_words(r.relationship) for r in relatives if r.id in label_of}
    roles.update({v: _("another victim of this family (untyped)") for v in victims if v != victim})
    try:
        pedigree = tree_pedigree(tree, victim, [label_of[r.id] for r in used],
                                 ids={p[0]: p[4] for p in people if p[4]}, roles=roles)
    except KinshipError as exc:
        raise InvalidInput(_("victim {victim}: {exc}; correct the family tree (chosei family show {owner})").format(
                               victim=victim, exc=exc, owner=owner)) from None
    return _with_lines(VictimFamily(victim, pedigree.victim_sex, _population(dna, options, victim, used), used,
                                    unused, pedigree))


def _population(dna: CaseDna, options: MatchOptions | None, victim: str, used: list[RelativeDna]) -> str:
    return population_of(dna, options, victim) if used and options is not None else ""


def _with_lines(fam: VictimFamily) -> VictimFamily:
    """The family with its relatives on V's Y and mtDNA lines, read from its pedigree."""
    pedigree = fam.pedigree
    for r in fam.used:
        if r.id not in pedigree.ids:
            continue
        prof = r.dna
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
    in_trees = {p[0] for people in dna.trees.values() for p in people if p[0] in dna.victims}
    for victim in sorted(set(dna.relatives) | in_trees):
        if victim not in dna.victims:
            continue
        fam = victim_family(dna, options, victim)
        if fam is None:
            continue
        (usable.__setitem__(victim, fam) if fam.used else unusable.append(fam))
    return usable, unusable
