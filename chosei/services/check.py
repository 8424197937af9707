"""Data-quality checks, each naming the IDs to fix.

Every check is one SQL statement (custody: one streamed pass; the elimination set, when
the store has one, reads the DNA once with `load_case_dna`), so the number of
statements does not grow with the store. The flags on confirmed identifications are in
`check_confirmations`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import String, and_, exists, func, select
from sqlmodel import Session, col

from chosei.custody import find_gaps
from chosei.i18n import _
from chosei.models import (
    ConsentEvent,
    CustodyEvent,
    Identification,
    Operation,
    Relative,
    Sample,
    Specimen,
    Victim,
    VictimName,
)
from chosei.models.victims import NAME_FIELDS
from chosei.plausible import relationship_sex_problem, relative_birth_problem
from chosei.services.case import require_case
from chosei.services.check_confirmations import confirmation_findings
from chosei.services.profiles import ELIMINATION, load_case_dna
from chosei.services.qc import elimination_hits
from chosei.services.stages import consent_in_effect, has_profile

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
            _("the roster has {total} victims ({kr} KR, {jp} JP); the case expects {expected_total} ({expected_kr} KR, "
              "{expected_jp} JP): add the missing victims or correct their nationality").format(
                total=total, kr=kr, jp=jp,
                expected_total=expected[0], expected_kr=expected[1], expected_jp=expected[2]),
            abs(total - expected[0]) or abs(kr - expected[1]),
        ))

    unnamed = select(col(Victim.id)).where(
        and_(*(getattr(Victim, f).is_(None) for f in NAME_FIELDS)),
        ~exists().where(col(VictimName.victim_id) == Victim.id),
    ).order_by(Victim.id)
    n, ids = _ids(session, unnamed, limit)
    if n:
        problems.append(Problem("unnamed-victims",
                                _("{n} victim(s) have no name: give each at least one name").format(n=n), n, ids))

    active = consent_in_effect(Sample.relative_id, "analysis")
    no_consent = select(col(Sample.id)).where(col(Sample.relative_id).is_not(None), ~active).order_by(col(Sample.id))
    n, ids = _ids(session, no_consent, limit)
    if n:
        problems.append(Problem(
            "sample-without-consent",
            _("{n} sample(s) come from relatives without an active consent for analysis: record the consent "
              "(`chosei relative consent`) or stop the analysis").format(n=n),
            n, ids,
        ))

    sourceless = select(col(Sample.id)).where(
        col(Sample.specimen_id).is_(None), col(Sample.relative_id).is_(None),
        col(Sample.type).is_distinct_from(ELIMINATION)
    ).order_by(Sample.id)
    n, ids = _ids(session, sourceless, limit)
    if n:
        problems.append(Problem("sample-without-source",
                                _("{n} sample(s) name no source specimen or relative: set their source").format(n=n),
                                n, ids))

    no_custody = select(col(Specimen.id)).where(
        ~exists().where(col(CustodyEvent.item_id) == Specimen.id)
    ).order_by(Specimen.id)
    n, ids = _ids(session, no_custody, limit)
    if n:
        problems.append(Problem("specimen-without-custody",
                                _("{n} specimen(s) have no custody record: record at least their recovery "
                                  "(`chosei custody record`)").format(n=n), n, ids))

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
                                _("{gap_count} item(s) have gaps in their custody chain: `chosei custody show "
                                  "ID` names each gap").format(gap_count=gap_count), gap_count, gap_items))
    if session.execute(select(col(Sample.id)).where(col(Sample.type) == ELIMINATION).limit(1)).first():
        hits = elimination_hits(load_case_dna(session))
        if hits:
            problems.append(Problem(
                "elimination-hit",
                _("{n_hits} specimen(s) agree with a staff member's elimination profile: their DNA may be the "
                  "handler's, not the bone's; re-sample them (`chosei match show SPECIMEN` names the profile)").format(
                    n_hits=len(hits)),
                len(hits), sorted(hits)[:limit]))
    problems += [Problem(*finding) for finding in confirmation_findings(session, limit)]
    problems += plausibility_findings(session, limit)
    return problems


# What tells two victims apart; victims with the same names and none of the rest are one
# person entered twice, or two people the file cannot tell apart.
_NAMED = (*NAME_FIELDS, "nationality")
_IDENTITY = (*_NAMED, "birth_date", "age_at_death", "domicile", "address")


def plausibility_findings(session: Session, limit: int) -> list[Problem]:
    """The rules of `chosei.plausible` over the rows in the store: soft ones (a name twice)
    and hard ones on rows entered before the rules, or made wrong by a later edit of
    another row (a victim's birth date changed under their relatives)."""
    problems: list[Problem] = []

    def add(check: str, message: str, query: Any) -> None:
        # One statement: what these find is rare, so every ID is read and counted here.
        ids = list(session.execute(query).scalars())
        if ids:
            problems.append(Problem(check, message.format(n=len(ids)), len(ids), ids[:limit]))

    # Only victims with nothing but a name can be alike in everything: a cheap filter
    # before the window's sort.
    bare = and_(*(getattr(Victim, f).is_(None) for f in _IDENTITY if f not in _NAMED))
    twins = func.count().over(partition_by=[getattr(Victim, f) for f in _NAMED])
    alike = select(col(Victim.id).label("id"), twins.label("n")).where(bare).subquery()
    add("same-victim-twice", _("{n} victim(s) share their name with another and nothing else is recorded to tell "
                               "them apart (birth, age, domicile, address): merge the two, or record what differs"),
                               select(alike.c.id).where(alike.c.n > 1).order_by(alike.c.id))

    add("recovered-before-operation", _("{n} specimen(s) are recovered before the date of their operation: "
                                        "correct the date or the operation"),
        select(col(Specimen.id)).join(Operation, col(Operation.id) == col(Specimen.operation_id)).where(
            func.substr(Specimen.recovered_on, 1, func.length(Operation.date))
            < func.substr(Operation.date, 1, func.length(Specimen.recovered_on)))
        .order_by(Specimen.id))

    confirmed = exists().where(col(Identification.specimen_id) == col(CustodyEvent.item_id),
                               col(Identification.status) == "confirmed")
    add("returned-unidentified", _("{n} item(s) are recorded as returned to a family but are not identified: "
                                   "correct the custody record, or confirm the identification"),
        select(col(CustodyEvent.item_id)).where(col(CustodyEvent.event) == "returned", ~confirmed)
        .distinct().order_by(CustodyEvent.item_id))

    add("profiled-without-profile", _("{n} sample(s) are profiled but the store holds no genotypes or SNP calls "
                                      "for them: import the profile, or correct the status"),
        select(col(Sample.id)).where(col(Sample.status) == "profiled", ~has_profile(col(Sample.id)))
        .order_by(Sample.id))

    add("consent-before-birth", _("{n} relative(s) have a consent dated before their birth year: correct the "
                                  "date or the birth year"),
        select(col(Relative.id)).where(col(Relative.birth_year).is_not(None), exists().where(
            col(ConsentEvent.relative_id) == col(Relative.id),
            func.substr(col(ConsentEvent.date), 1, 4) < func.cast(col(Relative.birth_year), String)))
        .order_by(Relative.id))

    bad: list[str] = []
    rows = session.execute(
        select(col(Relative.id), col(Relative.relationship), col(Relative.birth_year), col(Relative.sex),
               col(Victim.id), col(Victim.birth_date), col(Victim.age_at_death))
        .join(Victim, col(Victim.id) == col(Relative.victim_id))
        .where(col(Relative.birth_year).is_not(None) | col(Relative.sex).is_not(None))
        .order_by(Relative.id).execution_options(yield_per=10_000))
    for rid, rel, born, sex, vid, vborn, vage in rows:
        if relative_birth_problem(rel, born, vid, vborn, vage) or relationship_sex_problem(rel, sex):
            bad.append(rid)
    if bad:
        problems.append(Problem("relative-implausible", _(
            "{n} relative(s) have a birth year or sex that does not fit their relationship to the victim: "
            "correct the birth year, the sex or the relationship (`chosei relative edit`)").format(n=len(bad)),
            len(bad), bad[:limit]))
    return problems
