"""Lineage coverage: which lines each victim's profiled relatives cover, whom to recruit.

A relative *covers* the lines `chosei.donor_lines` gives its relationship once it is usable
as a reference: profiled (genotypes or SNP calls in the store) with an active consent
for analysis, the same rule that puts a victim's family at "reference profiled"; the Y
and mtDNA lines only once the relative was actually typed for them (a Y-STR or an mtDNA
genotype row): a brother typed for autosomal STRs alone says nothing of the Y. A victim
is covered *usefully* by a close relative or by a Y or mtDNA line; one with only distant
relatives, or none, is listed with the MOIS-eligible kinds to recruit, best first
(`chosei.donor_lines.recruit_order`), and the known relatives of those kinds not yet usable.

Three SQL statements, whatever the number of victims. With `clans=True` (the `coverage`
command) also the clans (`services.clans`: victims whose paternal lines carry one Y
haplotype), read from the case's DNA; only for the full audience, as they are read
from relatives' DNA.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from chosei.donor_lines import LINES, MT, Y, lines_for, recruit_order, useful
from chosei.kinship import markers
from chosei.models import Genotype, Relative, Sample, Victim
from chosei.reports.common import NATIONALITIES, Audience, victim_name
from chosei.rules import is_northern
from chosei.services.case import require_case
from chosei.services.clans import clans as y_clans
from chosei.services.profiles import load_case_dna
from chosei.services.stages import relative_ranks

USABLE_RANK = 4  # "reference profiled" in `services/stages.py`


def coverage(session: Session, audience: Audience | None = None, *, clans: bool = False) -> dict[str, Any]:
    """Per victim the lines covered (with the relatives covering each) and who is missing;
    with `clans`, the clans too (full audience only; else an empty list)."""
    audience = audience or Audience()
    demo = require_case(session).demo
    victims = session.execute(
        select(col(Victim.id), col(Victim.nationality), col(Victim.sex), col(Victim.domicile), col(Victim.name_hangul),
               col(Victim.name_hanja), col(Victim.name_japanese), col(Victim.name_latin)).order_by(Victim.id)
    ).all()
    ranks = relative_ranks()
    relatives = session.execute(
        select(col(Relative.id), col(Relative.victim_id), col(Relative.relationship), ranks.c.rank)
        .join(ranks, ranks.c.relative_id == Relative.id)
        .where(audience.relative_visible())
        .order_by(Relative.victim_id, Relative.id)
    ).all()
    typed_lines: dict[str, set[str]] = {}
    for rid, marker in session.execute(
        select(col(Sample.relative_id), col(Genotype.marker)).distinct()
        .join(Genotype, col(Genotype.sample_id) == Sample.id).where(col(Sample.relative_id).is_not(None))
    ):
        if marker == markers.MT:
            typed_lines.setdefault(rid, set()).add(MT)
        elif markers.is_y_str(marker):
            typed_lines.setdefault(rid, set()).add(Y)
    by_victim: dict[str, list[Any]] = {}
    for rel in relatives:
        by_victim.setdefault(rel.victim_id, []).append(rel)

    rows, uncovered = [], []
    summary = {line: {nat: 0 for nat in NATIONALITIES} for line in (*LINES, "uncovered")}
    for v in victims:
        lines: dict[str, list[str]] = {line: [] for line in LINES}
        waiting: dict[str, list[str]] = {}
        for rel in by_victim.get(v.id, ()):
            if rel.rank >= USABLE_RANK:
                for line in lines_for(rel.relationship, v.sex):
                    if line not in (Y, MT) or line in typed_lines.get(rel.id, ()):
                        lines[line].append(rel.id)
            else:
                waiting.setdefault(rel.relationship, []).append(rel.id)
        covered = frozenset(line for line, ids in lines.items() if ids)
        row = {
            "victim_id": v.id,
            "nationality": v.nationality,
            "name": victim_name(v),
            "northern": is_northern(v.domicile),
            "lines": lines,
            "useful": useful(covered),
        }
        rows.append(row)
        for line in covered:
            summary[line][v.nationality] = summary[line].get(v.nationality, 0) + 1
        if not row["useful"]:
            summary["uncovered"][v.nationality] = summary["uncovered"].get(v.nationality, 0) + 1
            uncovered.append({
                **{k: row[k] for k in ("victim_id", "nationality", "name", "northern")},
                "covered": [line for line in LINES if line in covered],
                "recruit": [
                    {"relationship": kind, "lines": gain, "known": waiting.get(kind, [])}
                    for kind, gain in recruit_order(covered, v.sex)
                ],
            })
    return {
        "demo": demo,
        "audience": audience.as_dict(),
        "victims": rows,
        "uncovered": uncovered,
        "summary": [{"line": line, **counts, "total": sum(counts.values())}
                    for line, counts in summary.items()],
        "clans": [list(c) for c in y_clans(load_case_dna(session))] if clans and audience.profile == "full" else [],
    }
