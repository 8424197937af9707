"""The dashboard: where the victims stand, what was recovered, where the samples are.

A fixed number of SQL statements whatever the size of the store: everything is counted
by the database with GROUP BY over the stage expressions of `stages.py`. Core over
`chosei.tables`, on a connection or a session: it builds no model (see `chosei.tables`).

`shared_with` (`KR`, `JP`) gives the figures a partner agency may see (its export's
Dashboard): only relatives whose consent covers sharing with it count towards a family's
stage, and the samples of the other relatives are not counted.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, func, or_, select

from chosei.mni import element_mni, mni
from chosei.rules import FAMILY_STAGES, REMAINS_STAGES, SAMPLE_STATUSES
from chosei.services.case import require_case
from chosei.services.stages import consent_in_effect, victim_stages
from chosei.tables import dna_group, sample, specimen

NATIONALITIES = ("KR", "JP")


def _stage_table(rows: list[Any], labels: tuple[str, ...], index: int) -> list[dict[str, Any]]:
    table = []
    for rank, label in enumerate(labels):
        counts = {nat: 0 for nat in NATIONALITIES}
        for row in rows:
            if row[index] == rank and row[0] in counts:
                counts[row[0]] += row[3]
        table.append({"stage": label, **counts, "total": sum(counts.values())})
    return table


def dashboard(session: Any, shared_with: str | None = None) -> dict[str, Any]:
    """The dashboard's figures; `session` is a Session or a Connection."""
    case_info = require_case(session)
    stages = victim_stages(shared_with).subquery()
    rows = session.execute(
        select(stages.c.nationality, stages.c.family, stages.c.remains, func.count())
        .group_by(stages.c.nationality, stages.c.family, stages.c.remains)
    ).all()
    victims = {nat: 0 for nat in NATIONALITIES}
    for nat, _fam, _rem, n in rows:
        victims[nat] = victims.get(nat, 0) + n

    element_rows = session.execute(
        select(specimen.c.element, specimen.c.side, func.count())
        .group_by(specimen.c.element, specimen.c.side)
    ).all()
    counts = {(e, s): n for e, s, n in element_rows}
    groups = session.execute(select(func.count(func.distinct(dna_group.c.group_id)))).scalar_one()
    specimens = [
        {"element": e or "unknown", "side": s or "unknown", "count": n}
        for (e, s), n in sorted(counts.items(), key=lambda kv: (kv[0][0] or "~", kv[0][1] or "~"))
    ]

    source = case((sample.c.specimen_id.is_not(None), "specimen"),
                  (sample.c.relative_id.is_not(None), "relative"), else_="unknown")
    sample_query = select(sample.c.status, source, func.count()).group_by(sample.c.status, source)
    if shared_with is not None:
        sample_query = sample_query.where(or_(
            sample.c.relative_id.is_(None),
            consent_in_effect(sample.c.relative_id, f"share:{shared_with}")))
    sample_rows = session.execute(sample_query).all()
    samples = []
    for status in SAMPLE_STATUSES:
        by_source = {src: 0 for src in ("specimen", "relative", "unknown")}
        for st, src, n in sample_rows:
            if st == status:
                by_source[src] += n
        samples.append({"status": status, **by_source, "total": sum(by_source.values())})

    return {
        "case": case_info.name,
        "demo": case_info.demo,
        "victims": {
            **victims,
            "total": sum(victims.values()),
            "expected": {"KR": case_info.expected_kr, "JP": case_info.expected_jp,
                         "total": case_info.expected_total},
        },
        "family_stage": _stage_table(rows, FAMILY_STAGES, 1),
        "remains_stage": _stage_table(rows, REMAINS_STAGES, 2),
        "specimens": specimens,
        "specimen_total": sum(counts.values()),
        "mni_by_element": element_mni(counts),
        "dna_groups": groups,
        "mni": mni(counts, groups),
        "samples": samples,
    }
