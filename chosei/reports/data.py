"""Everything a report shows, gathered into plain dicts for the xlsx and HTML writers.

`report_data` runs a fixed number of SQL statements (about a dozen) whatever the size of
the store, and applies the audience (`common.Audience`): a partner report counts only
the relatives, and their samples and custody, that the partner may see. The family and
remains stages use the expressions of `services/stages.py`, and the MNI `chosei.mni`,
so a full report shows the numbers `chosei status` shows. The families drawn
(`reports/families.py`) are the pedigrees matching uses, read with `load_case_dna`
(its seven statements).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import case, func, literal, or_, select, true
from sqlmodel import Session, col

from chosei import i18n
from chosei.audit_anchor import current_head
from chosei.custody import find_gaps
from chosei.mni import MANY_PER_SKELETON, element_mni, mni
from chosei.models import (
    CustodyEvent,
    DnaGroup,
    Identification,
    Operation,
    Relative,
    Sample,
    Specimen,
    Victim,
)
from chosei.reports.common import NATIONALITIES, Audience, month, victim_name
from chosei.reports.coverage import coverage
from chosei.reports.families import family_entries
from chosei.rules import FAMILY_STAGES, REMAINS_STAGES, SAMPLE_STATUSES, is_northern
from chosei.services.case import require_case
from chosei.services.check_confirmations import overridden_confirmations
from chosei.services.stages import has_profile, relative_ranks, remains_ranks
from chosei.vocab import ELEMENT, SIDE

CUSTODY_ROWS = 500  # items with gaps listed in a report; `chosei check` names them all
SIDES = SIDE.codes


def report_data(session: Session, audience: Audience | None = None, power: Any = None) -> dict[str, Any]:
    """The report's figures; with `power` (`power.PowerSettings`) also `recruit`: for each
    victim below `RECRUIT_BELOW` the best relative to recruit (kinds and lines only, no
    person: it is the same for every audience)."""
    audience = audience or Audience()
    info = require_case(session)
    victims = _victims(session, audience)
    cover = coverage(session, audience)
    lines = {row["victim_id"]: row for row in cover["victims"]}
    for v in victims:
        row = lines[v["victim_id"]]
        v["lines"] = [line for line, ids in row["lines"].items() if ids]
        v["useful"] = row["useful"]
    counts = {nat: sum(1 for v in victims if v["nationality"] == nat) for nat in NATIONALITIES}
    return {
        "case": {"name": info.name, "demo": info.demo},
        "audience": audience.as_dict(),
        "generated_on": datetime.now(UTC).date().isoformat(),
        # The history the figures come from, for a reader to check (`audit verify --head`).
        "audit_head": str(current_head(session)),
        "victims": {**counts, "total": len(victims),
                    "expected": {"KR": info.expected_kr, "JP": info.expected_jp,
                                 "total": info.expected_total}},
        "family_stage": _stage_table(victims, "family", FAMILY_STAGES),
        "remains_stage": _stage_table(victims, "remains", REMAINS_STAGES),
        "specimens": _specimens(session),
        "timeline": _timeline(session, audience),
        "samples": _samples(session, audience),
        "custody": _custody(session, audience),
        # The reasons are the case team's words: a partner report leaves them out.
        "overrides": overridden_confirmations(session) if audience.profile == "full" else [],
        "coverage": cover["summary"],
        "victim_table": victims,
        "families": family_entries(session, audience),
        **(_recruit(session, power, {v["victim_id"]: v["name"] for v in victims}) if power is not None else {}),
    }


RECRUIT_BELOW = 0.5


def _recruit(session: Session, settings: Any, names: dict[str, str]) -> dict[str, Any]:
    from chosei.reports.power import best_option, power

    data = power(session, None, settings)
    rows = [{"victim_id": r["victim_id"], "name": names.get(r["victim_id"], ""), "nationality": r["nationality"],
             "now": r["sensitivity"], "relationships": best["relationships"], "lines": best["lines"],
             "then": best["sensitivity"], "gain": best["gain"]}
            for r in data["victims"] if (r["sensitivity"] or 0.0) < RECRUIT_BELOW
            and (best := best_option(r["recruit"])) is not None]
    return {"recruit": rows, "power": {"seed": data["settings"]["seed"],
                                       "simulations": data["settings"]["simulations"],
                                       "threshold": data["settings"]["threshold"],
                                       "expected_identifiable": data["expected_identifiable"]["total"],
                                       "expected_false_candidates": data["false_candidates"]["expected"]}}


def _visible_sample(audience: Audience) -> Any:
    if audience.profile == "full":
        return true()
    return or_(col(Sample.relative_id).is_(None),
               col(Sample.relative_id).in_(select(col(Relative.id)).where(audience.relative_visible())))


def _victims(session: Session, audience: Audience) -> list[dict[str, Any]]:
    ranks = relative_ranks()
    fam = (
        select(col(Relative.victim_id).label("victim_id"), func.max(ranks.c.rank).label("rank"))
        .join(ranks, ranks.c.relative_id == Relative.id)
        .where(audience.relative_visible())
        .group_by(Relative.victim_id)
        .subquery("family")
    )
    rem = remains_ranks()
    rows = session.execute(
        select(col(Victim.id), col(Victim.nationality), col(Victim.domicile), col(Victim.name_hangul),
               col(Victim.name_hanja), col(Victim.name_japanese), col(Victim.name_latin),
               func.coalesce(fam.c.rank, literal(0)).label("family"),
               func.coalesce(rem.c.rank, literal(0)).label("remains"))
        .outerjoin(fam, fam.c.victim_id == Victim.id)
        .outerjoin(rem, rem.c.victim_id == Victim.id)
        .order_by(Victim.id)
    ).all()
    return [{
        "victim_id": r.id,
        "name": victim_name(r),
        "nationality": r.nationality,
        "family": FAMILY_STAGES[r.family],
        "remains": REMAINS_STAGES[r.remains],
        "northern": is_northern(r.domicile),
    } for r in rows]


def _stage_table(victims: list[dict[str, Any]], key: str,
                 labels: tuple[str, ...]) -> list[dict[str, Any]]:
    table = []
    for label in labels:
        counts = {nat: sum(1 for v in victims if v[key] == label and v["nationality"] == nat)
                  for nat in NATIONALITIES}
        table.append({"stage": label, **counts, "total": sum(counts.values())})
    return table


def _specimens(session: Session) -> dict[str, Any]:
    rows = session.execute(
        select(col(Specimen.element), col(Specimen.side), func.count())
        .group_by(Specimen.element, col(Specimen.side))
    ).all()
    counts = {(e, s): n for e, s, n in rows}
    groups = session.execute(select(func.count(func.distinct(DnaGroup.group_id)))).scalar_one()
    per_element = element_mni(counts)
    order = {code: i for i, code in enumerate(ELEMENT.codes)}
    elements = sorted({e or "unknown" for e, _ in counts}, key=lambda e: (order.get(e, 99), e))
    table = []
    for element in elements:
        by_side = {side: 0 for side in SIDES}
        for (e, s), n in counts.items():
            if (e or "unknown") == element:
                by_side[s if s in by_side else "unknown"] += n
        table.append({"element": element, **by_side, "total": sum(by_side.values()),
                      "mni": None if element in MANY_PER_SKELETON else per_element.get(element)})
    return {
        "by_element": table,
        "total": sum(counts.values()),
        "dna_groups": groups,
        "mni": mni(counts, groups),
    }


def _by_month(session: Session, column: Any, *where: Any) -> dict[str, int]:
    key = func.substr(column, 1, 7)
    rows = session.execute(select(key, func.count()).where(*where).group_by(key)).all()
    out: dict[str, int] = {}
    for value, n in rows:
        m = month(value)
        if m:
            out[m] = out.get(m, 0) + n
    return out


def _timeline(session: Session, audience: Audience) -> list[dict[str, Any]]:
    recovered_on = func.coalesce(Specimen.recovered_on, Operation.date)
    key = func.substr(recovered_on, 1, 7)
    recovered: dict[str, int] = {}
    for value, n in session.execute(
        select(key, func.count()).select_from(Specimen)
        .outerjoin(Operation, col(Operation.id) == Specimen.operation_id).group_by(key)
    ).all():
        if month(value):
            recovered[value] = recovered.get(value, 0) + n
    visible = _visible_sample(audience)
    series = {
        "recovered": recovered,
        "collected": _by_month(session, Sample.collected_on, visible),
        "profiled": _by_month(session, Sample.status_date, Sample.status == "profiled",
                                has_profile(Sample.id), visible),
        "identified": _by_month(session, Identification.decided_on,
                                Identification.status == "confirmed"),
    }
    months = sorted({m for counts in series.values() for m in counts})
    if not months:
        return []
    out = []
    year, mon = int(months[0][:4]), int(months[0][5:7])
    while (current := f"{year:04d}-{mon:02d}") <= months[-1]:
        out.append({"month": current, **{name: counts.get(current, 0)
                                         for name, counts in series.items()}})
        year, mon = (year + 1, 1) if mon == 12 else (year, mon + 1)
    return out


def _samples(session: Session, audience: Audience) -> dict[str, Any]:
    source = case((col(Sample.specimen_id).is_not(None), "specimen"),
                  (col(Sample.relative_id).is_not(None), "relative"), else_="unknown")
    rows = session.execute(
        select(col(Sample.lab), col(Sample.status), source, func.count())
        .where(_visible_sample(audience))
        .group_by(Sample.lab, Sample.status, source)
    ).all()
    labs: dict[str | None, dict[str, int]] = {}
    by_status = {st: {"specimen": 0, "relative": 0, "unknown": 0} for st in SAMPLE_STATUSES}
    for lab, status, src, n in rows:
        counts = labs.setdefault(lab, {st: 0 for st in SAMPLE_STATUSES})
        counts[status] = counts.get(status, 0) + n
        by_status.setdefault(status, {"specimen": 0, "relative": 0, "unknown": 0})[src] += n
    statuses = [st for st in SAMPLE_STATUSES if sum(by_status[st].values())] or []
    return {
        "statuses": list(SAMPLE_STATUSES),
        "by_lab": [{"lab": lab, **counts, "total": sum(counts.values())}
                   for lab, counts in sorted(labs.items(), key=lambda kv: (kv[0] is None,
                                                                            kv[0] or ""))],
        "by_status": [{"status": st, **by_status[st], "total": sum(by_status[st].values())}
                      for st in by_status],
        "used_statuses": statuses,
        "total": sum(n for *_, n in rows),
    }


def _gap_kinds(item_id: str, chain: list[Any]) -> list[str]:
    """The kind of each gap of a chain (a key of the report's words), from the rules'
    English messages, whatever language the messages are shown in."""
    with i18n.in_language("en"):
        return [_gap_kind(g.message) for g in find_gaps(item_id, chain)]


def _gap_kind(message: str) -> str:
    # `chosei.custody` words each rule's message; the kind lets a report translate it.
    if message.startswith("the chain starts with"):
        return "gap_start"
    if " comes after the item was " in message:
        return "gap_final"
    if " but the last recorded holder was " in message:
        return "gap_holder"
    return "gap_other"


def _custody(session: Session, audience: Audience) -> dict[str, Any]:
    query = (
        select(col(CustodyEvent.item_id), col(CustodyEvent.event), col(CustodyEvent.at),
               col(CustodyEvent.from_party), col(CustodyEvent.to_party))
        .order_by(CustodyEvent.item_id, CustodyEvent.at, col(CustodyEvent.id))
        .execution_options(yield_per=10_000)
    )
    if audience.profile != "full":
        hidden = select(col(Sample.id)).where(col(Sample.relative_id).is_not(None), ~_visible_sample(audience))
        query = query.where(col(CustodyEvent.item_id).not_in(hidden))
    items = with_gaps = 0
    listed: list[dict[str, Any]] = []
    chain: list[Any] = []
    for row in [*session.execute(query), None]:
        if chain and (row is None or row.item_id != chain[0].item_id):
            items += 1
            gaps = find_gaps(chain[0].item_id, chain)
            if gaps:
                with_gaps += 1
                if len(listed) < CUSTODY_ROWS:
                    kinds = _gap_kinds(chain[0].item_id, chain)
                    listed.append({"item": chain[0].item_id, "events": len(chain),
                                   "gaps": [{"at": g.at, "kind": kind, "message": g.message}
                                            for g, kind in zip(gaps, kinds, strict=True)]})
            chain = []
        if row is not None:
            chain.append(row)
    return {"items": items, "items_with_gaps": with_gaps, "gaps": listed,
            "more": with_gaps - len(listed)}
