"""Data-quality checks, each naming the IDs to fix.

Every check is one SQL statement (custody: one streamed pass; the elimination set, when
the store has one, reads the DNA once with `load_case_dna`), so the number of
statements does not grow with the store. The flags on confirmed identifications are in
`check_confirmations`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import and_, exists, func, select
from sqlmodel import Session, col

from chosei.custody import find_gaps
from chosei.models import Consent, CustodyEvent, Sample, Specimen, Victim, VictimName
from chosei.models.victims import NAME_FIELDS
from chosei.services.case import require_case
from chosei.services.check_confirmations import confirmation_findings
from chosei.services.profiles import ELIMINATION, load_case_dna
from chosei.services.qc import elimination_hits

SHOW_IDS = 50


@dataclass
class Problem:
    check: str
    message: str
    count: int
    ids: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _ids(session: Session, query: Any, limit: int) -> tuple[int, list[str]]:
    total = session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    ids = list(session.execute(query.limit(limit)).scalars()) if total else []
    return total, ids


def run_checks(session: Session, *, limit: int = SHOW_IDS) -> list[Problem]:
    case_info = require_case(session)
    problems: list[Problem] = []

    counts = dict(session.execute(select(col(Victim.nationality), func.count()).group_by(Victim.nationality)).all())
    total, kr, jp = sum(counts.values()), counts.get("KR", 0), counts.get("JP", 0)
    expected = (case_info.expected_total, case_info.expected_kr, case_info.expected_jp)
    if (total, kr, jp) != expected:
        problems.append(Problem(
            "roster",
            f"the roster has {total} victims ({kr} KR, {jp} JP); the case expects "
            f"{expected[0]} ({expected[1]} KR, {expected[2]} JP): add the missing victims or "
            "correct their nationality",
            abs(total - expected[0]) or abs(kr - expected[1]),
        ))

    unnamed = select(col(Victim.id)).where(
        and_(*(getattr(Victim, f).is_(None) for f in NAME_FIELDS)),
        ~exists().where(col(VictimName.victim_id) == Victim.id),
    ).order_by(Victim.id)
    n, ids = _ids(session, unnamed, limit)
    if n:
        problems.append(Problem("unnamed-victims",
                                f"{n} victim(s) have no name: give each at least one name", n, ids))

    active = exists().where(
        col(Consent.relative_id) == Sample.relative_id,
        col(Consent.scope) == "analysis",
        col(Consent.withdrawn_on).is_(None),
    )
    no_consent = select(col(Sample.id)).where(col(Sample.relative_id).is_not(None), ~active).order_by(Sample.id)
    n, ids = _ids(session, no_consent, limit)
    if n:
        problems.append(Problem(
            "sample-without-consent",
            f"{n} sample(s) come from relatives without an active consent for analysis: record "
            "the consent (`chosei relative consent`) or stop the analysis",
            n, ids,
        ))

    sourceless = select(col(Sample.id)).where(
        col(Sample.specimen_id).is_(None), col(Sample.relative_id).is_(None),
        col(Sample.type).is_distinct_from(ELIMINATION)
    ).order_by(Sample.id)
    n, ids = _ids(session, sourceless, limit)
    if n:
        problems.append(Problem("sample-without-source",
                                f"{n} sample(s) name no source specimen or relative: set their source",
                                n, ids))

    no_custody = select(col(Specimen.id)).where(
        ~exists().where(col(CustodyEvent.item_id) == Specimen.id)
    ).order_by(Specimen.id)
    n, ids = _ids(session, no_custody, limit)
    if n:
        problems.append(Problem("specimen-without-custody",
                                f"{n} specimen(s) have no custody record: record at least "
                                "their recovery (`chosei custody record`)", n, ids))

    gap_items: list[str] = []
    gap_count = 0
    events = session.execute(
        select(col(CustodyEvent.item_id), col(CustodyEvent.event), col(CustodyEvent.at),
               col(CustodyEvent.from_party), col(CustodyEvent.to_party))
        .order_by(CustodyEvent.item_id, CustodyEvent.at, col(CustodyEvent.id))
        .execution_options(yield_per=10_000)
    )
    current: str | None = None
    chain: list[Any] = []
    for row in [*events, None]:
        if row is None or row.item_id != current:
            if current is not None and chain and find_gaps(current, chain):  # a chain has its item
                gap_count += 1
                if len(gap_items) < limit:
                    gap_items.append(current)
            chain = []
            current = row.item_id if row is not None else None
        if row is not None:
            chain.append(row)
    if gap_count:
        problems.append(Problem("custody-gap",
                                f"{gap_count} item(s) have gaps in their custody chain: "
                                "`chosei custody show ID` names each gap", gap_count, gap_items))
    if session.execute(select(col(Sample.id)).where(col(Sample.type) == ELIMINATION).limit(1)).first():
        hits = elimination_hits(load_case_dna(session))
        if hits:
            problems.append(Problem(
                "elimination-hit",
                f"{len(hits)} specimen(s) agree with a staff member's elimination profile: their DNA may be "
                "the handler's, not the bone's; re-sample them (`chosei match show SPECIMEN` names the profile)",
                len(hits), sorted(hits)[:limit]))
    problems += [Problem(*finding) for finding in confirmation_findings(session, limit)]
    return problems
