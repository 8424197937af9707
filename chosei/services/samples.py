"""DNA samples: from a specimen (bone, tooth) or a relative (saliva, swab, blood), or a
staff member's elimination profile (type `elimination`, no source: see `services/qc.py`).

A sample's status moves one documented step at a time (`chosei.rules.SAMPLE_TRANSITIONS`);
its history is read back from the audit log, so it cannot disagree with what happened.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import exists, select
from sqlmodel import Session, col

from chosei.audit import history, record
from chosei.errors import AlreadyExists, InvalidInput, RuleViolation
from chosei.i18n import N_, _
from chosei.models import Genotype, Sample, SnpCalls
from chosei.models.samples import SampleCreate
from chosei.rules import check_transition
from chosei.services.edits import Change, update_row
from chosei.services.lookup import ensure_absent, get_relative, get_sample, get_specimen, item_id_taken, plain
from chosei.services.profiles import ELIMINATION
from chosei.services.stages import consent_in_effect
from chosei.services.validation import parse_day, parse_term, validate
from chosei.vocab import SAMPLE_STATUS

NO_SOURCE = (N_("a sample needs its source: give a specimen or a relative (or --type elimination for a staff "
               "member's reference profile)"))
FIRST_STATUSES = ("planned", "collected")
NEEDS_CONSENT = ("extracted", "profiled")
OVERRIDE_ENTITY = "bench"  # what an override entry is about: a step at the bench

# The status is not among them: it moves one step at a time, through advance_sample.
EDITABLE = tuple(f for f in SampleCreate.model_fields if f not in ("id", "status", "status_date"))


def add_sample(
    session: Session, data: SampleCreate | Mapping[str, Any]
) -> tuple[Sample, list[str]]:
    """Add a sample of one specimen (by its ID or an other ID) or one relative, or a staff
    member's elimination profile (type `elimination`, neither).

    Returns the sample and warnings: a relative's sample without an active consent for
    analysis may be planned, but should not be analysed.
    """
    new = validate(SampleCreate, data)
    ensure_absent(session, Sample, "sample", new.id, _("`chosei sample show {new_id}` shows it").format(new_id=new.id))
    taken = item_id_taken(session, new.id)
    if taken:
        raise AlreadyExists(_("{new_id} already names {taken}; one ID may name one item only").format(
                                new_id=new.id, taken=taken))
    if not new.specimen_id and not new.relative_id and new.type != ELIMINATION:
        raise InvalidInput(_(NO_SOURCE))
    if new.status not in FIRST_STATUSES:
        raise RuleViolation(_("a new sample starts as planned or collected, not {new_status}: add it, then "
                              "`chosei sample advance {new_id} STATUS` moves it on one step at a time").format(
                                new_status=new.status, new_id=new.id))
    warnings: list[str] = []
    if new.specimen_id:
        new.specimen_id = get_specimen(session, new.specimen_id).id
    elif new.relative_id:
        new.relative_id = get_relative(session, new.relative_id).id
        warnings = consent_warnings(session, new.relative_id)
    sample = Sample.model_validate(new.model_dump())
    session.add(sample)
    session.flush()
    return sample, warnings


def has_consent(session: Session, relative_id: str, scope: str = "analysis") -> bool:
    """Is consent for `scope` in effect today for this relative (`stages.consent_in_effect`)?"""
    return bool(session.execute(select(consent_in_effect(relative_id, scope))).scalar())


def consent_warnings(session: Session, relative_id: str) -> list[str]:
    """Why a sample of this relative should not be analysed yet, if it should not."""
    if has_consent(session, relative_id):
        return []
    return [_("relative {relative_id} has no active consent for analysis; record it (`chosei relative consent`) "
              "before the sample is analysed").format(relative_id=relative_id)]


def update_sample(
    session: Session, ident: str, changes: Mapping[str, Any], clear: Iterable[str] = ()
) -> tuple[Sample, list[Change], list[str]]:
    """Set the fields in `changes`, empty those in `clear`; the rest stay as they are.

    Not the status: `advance_sample` moves it, one documented step at a time. Returns
    the sample, the changes and warnings (as `add_sample`'s, when it moves to a relative).
    """
    sample = get_sample(session, ident)
    warnings: list[str] = []

    def check(new: SampleCreate) -> None:
        if not new.specimen_id and not new.relative_id and new.type != ELIMINATION:
            raise InvalidInput(_(NO_SOURCE))
        if new.specimen_id and new.specimen_id != sample.specimen_id:
            new.specimen_id = get_specimen(session, new.specimen_id).id
        if new.relative_id and new.relative_id != sample.relative_id:
            new.relative_id = get_relative(session, new.relative_id).id
            warnings.extend(consent_warnings(session, new.relative_id))

    done = update_row(session, sample, SampleCreate, "sample", EDITABLE, changes, clear, check=check)
    return sample, done, warnings


def list_samples(
    session: Session, status: str | None = None, lab: str | None = None, *,
    specimen: str | None = None, relative: str | None = None,
) -> list[Sample]:
    """Samples by ID, filtered in SQL: by status, lab, the specimen (its ID or an other
    ID) or the relative they were taken from; an unknown specimen or relative is an error."""
    query = select(Sample).order_by(Sample.id)
    code = parse_term(SAMPLE_STATUS, status)
    if code:
        query = query.where(col(Sample.status) == code)
    if lab and lab.strip():
        query = query.where(col(Sample.lab) == lab.strip())
    if specimen is not None:
        query = query.where(col(Sample.specimen_id) == get_specimen(session, specimen).id)
    if relative is not None:
        query = query.where(col(Sample.relative_id) == get_relative(session, relative).id)
    return list(session.execute(query).scalars())


def status_history(session: Session, sample_id: str) -> list[dict[str, Any]]:
    """Each status the sample took, from the audit log, oldest first."""
    steps = []
    for entry in history(session, sample_id):
        if entry.entity != "sample" or entry.entity_key != sample_id:
            continue
        before = json.loads(entry.before) if entry.before else {}
        after = json.loads(entry.after) if entry.after else {}
        if after.get("status") and after.get("status") != before.get("status"):
            steps.append({
                "status": after["status"],
                "from": before.get("status"),
                "date": after.get("status_date"),
                "recorded": entry.at,
                "by": entry.actor,
            })
    return steps


def sample_detail(session: Session, ident: str) -> dict[str, Any]:
    from chosei.services.snp import sample_snp_summary  # only `show` needs the SNP tables

    sample = get_sample(session, ident)
    return {"sample": plain(sample), "history": status_history(session, sample.id),
            "snp": sample_snp_summary(session, sample.id)}


def has_profile(session: Session, sample_id: str) -> bool:
    """Does the store hold a profile of this sample: STR genotypes or SNP calls?"""
    return session.execute(select(
        exists().where(col(Genotype.sample_id) == sample_id)
        | exists().where(col(SnpCalls.sample_id) == sample_id))).scalar_one()


def bench_problem(session: Session, sample: Sample, target: str) -> str | None:
    """Why the consent rule stops this sample from becoming `target`, or None: a relative's
    DNA is extracted and typed only with consent for analysis in effect."""
    if target not in NEEDS_CONSENT or sample.relative_id is None:
        return None
    if has_consent(session, sample.relative_id):
        return None
    return (_("relative {sample_relative_id} has no active consent for analysis: sample {sample_id} cannot "
              "become {target}").format(sample_relative_id=sample.relative_id, sample_id=sample.id, target=target))


def advance_sample(session: Session, ident: str, status: str, on: str | None = None,
                   override: str | None = None) -> Sample:
    """Move a sample one step along its status graph, dated `on` (today by default).

    Reaching `collected` also fills the collection date when none is recorded. A
    relative's sample becomes `extracted` or `profiled` only with consent for analysis
    in effect, unless `override` says why it must go on (the reason is logged in the
    audit trail as an `override` entry about the sample); `profiled` needs the profile
    (genotypes or SNP calls) in the store.
    """
    reason = (override or "").strip() or None
    if override is not None and reason is None:
        raise InvalidInput(_("--override needs the reason, e.g. --override 'consent form signed, not yet entered'"))
    sample = get_sample(session, ident)
    target = parse_term(SAMPLE_STATUS, status)
    if target is None:
        raise InvalidInput(_("give the status to advance to"))
    check_transition(sample.id, sample.status, target)
    problem = bench_problem(session, sample, target)
    if problem and reason is None:
        raise RuleViolation(_("{problem}; record the consent (`chosei relative consent {sample_relative_id} "
                              "--scope analysis`) or, if it must go on, re-run with --override \"REASON\"").format(
                                problem=problem, sample_relative_id=sample.relative_id))
    if reason is not None and problem is None:
        raise InvalidInput(_("sample {sample_id} needs no --override to become {target}: leave it out").format(
                               sample_id=sample.id, target=target))
    if target == "profiled" and not has_profile(session, sample.id):
        raise RuleViolation(_("sample {sample_id} has no genotypes or SNP calls: import its profile (the "
                              "Genotypes sheet, or `chosei snp import`) before it becomes profiled").format(
                                sample_id=sample.id))
    day = parse_day(on, "date", default_today=True)
    assert day is not None
    if sample.status_date and len(sample.status_date) == len(day) and day < sample.status_date:
        raise InvalidInput(_("sample {sample_id} became {sample_status} on {sample_status_date}; it cannot "
                             "become {target} earlier, on {day}").format(
                               sample_id=sample.id, sample_status=sample.status,
                               sample_status_date=sample.status_date, target=target, day=day))
    sample.status, sample.status_date = target, day
    if target == "collected" and not sample.collected_on:
        sample.collected_on = day
    session.flush()
    if reason is not None:
        record(session, [("override", OVERRIDE_ENTITY, sample.id, None, {
            "sample": sample.id, "relative": sample.relative_id, "status": target,
            "rule": "consent for analysis", "reason": reason})])
    return sample
