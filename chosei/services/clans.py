"""Clans: victims whose paternal lines carry one Y haplotype (`kinship.y_clans`).

Miners from one clan or village may descend from one paternal line. A specimen with
that line's haplotype then gets the same Y LR against each of those victims: the Y
line alone cannot tell them apart, and the closed-set posterior splits between them
unless autosomal or mtDNA evidence differs. `match show` names the other victims of a
pair's clan; `coverage` lists the clans.

The relatives read are those a match run uses (typed, with an active consent for
analysis, genetic relatives); a family whose relationships do not form one pedigree is
left out here (`match run` names it).
"""

from __future__ import annotations

from chosei.kinship import KinshipError, LineageFamily, LineageRelative, y_clans
from chosei.kinship.pedigree import NON_GENETIC
from chosei.services.profiles import CaseDna


def clans(dna: CaseDna) -> list[tuple[str, ...]]:
    """The case's clans, each a sorted tuple of victim IDs."""
    families = []
    for victim, relatives in sorted(dna.relatives.items()):
        if victim not in dna.victims or dna.victims[victim][1] == "F":
            continue
        rels = tuple(LineageRelative(r.id, r.relationship, r.dna.y) for r in relatives
                     if r.usable and r.relationship not in NON_GENETIC and r.dna.y is not None)
        if not rels:
            continue
        family = LineageFamily(victim, rels, "M")
        try:
            y_clans([family])  # the relationships form one pedigree
        except KinshipError:
            continue
        families.append(family)
    return y_clans(families)


def clan_of(dna: CaseDna, victim: str) -> list[str]:
    """The other victims of `victim`'s clan (none when he has no clan)."""
    for clan in clans(dna):
        if victim in clan:
            return [v for v in clan if v != victim]
    return []
