"""People's decisions on matches: `chosei match confirm` and `chosei match reject`.

Nothing is ever confirmed automatically: a confirmation is a person's act, recorded on
the `Identification` row (audited) with who and when, and the remains stage follows
(`stages.remains_ranks`). The rules:

* A confirmation rests on a computed match: the pair must have a `MatchResult`, and its
  numbers are the tracker's: the pair is recomputed from the store and checked against
  the stored row and the run's audited digest (`pair_evidence`); the identification
  records the recomputed LR and posterior. Confirming below the candidate threshold is
  allowed -- other evidence may support it -- but the caller is told.
* Guard rails: a pair the DNA excludes (any marker, Y-STR or mtDNA) or whose posterior
  is below 0.5 is confirmed only with an override, the reason people give, recorded on
  the identification (`override`, audited like the rest of the row) and listed by
  `chosei check` and the report. An override a pair does not need is refused.
* One confirmed victim per specimen: confirming a second victim is refused, naming the
  confirmed one; reject that first. (One victim may be confirmed for several
  specimens: the remains are commingled and one man may be several bones.)
* Rejecting needs a computed match or an existing identification row; rejecting a
  confirmed identification is how a confirmation is withdrawn.
* Deciding again what is already decided is refused, so a repeated command changes
  nothing silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlmodel import Session, col

from chosei.errors import InvalidInput, RuleViolation
from chosei.i18n import _
from chosei.models import Identification, MatchResult
from chosei.services.lookup import get_specimen, get_victim
from chosei.services.match_digest import results_intact
from chosei.services.pair_evidence import method_of, needs_override, pair_evidence
from chosei.vocab import DECIDED_STATUSES


@dataclass
class Decision:
    identification: Identification
    previous: str | None
    warnings: list[str]


def decide(session: Session, specimen: str, victim: str, status: str, by: str, note: str | None = None,
           on: date | None = None, override: str | None = None) -> Decision:
    """Record that `by` confirmed or rejected the pair (specimen, victim); `override`: why
    people confirm a pair the guard rails hold back (see the module docstring)."""
    if status not in DECIDED_STATUSES:
        raise InvalidInput(_("a decision is confirmed or rejected, not '{status}'").format(status=status))
    who = (by or "").strip()
    if not who:
        raise InvalidInput(_("--by must name who decides, e.g. --by 'KR-JP joint review board'"))
    reason = (override or "").strip() or None
    if override is not None and reason is None:
        raise InvalidInput(_("--override needs the reason, e.g. --override 'dental records and a ring'"))
    if reason is not None and status != "confirmed":
        raise InvalidInput(_("--override applies to a confirmation only"))
    spec = get_specimen(session, specimen)
    vic = get_victim(session, victim)
    match = session.execute(
        select(MatchResult).where(col(MatchResult.specimen_id) == spec.id, col(MatchResult.victim_id) == vic.id)
    ).scalar_one_or_none()
    rows = list(session.execute(select(Identification).where(col(Identification.specimen_id) == spec.id)).scalars())
    row = next((r for r in rows if r.victim_id == vic.id), None)
    warnings: list[str] = []
    if row is not None and row.status == status:
        by_whom = _(" by {row_decided_by}").format(row_decided_by=row.decided_by) if row.decided_by else ""
        when = _(" on {row_decided_on}").format(row_decided_on=row.decided_on) if row.decided_on else ""
        raise RuleViolation(_("specimen {spec_id} is already {status} as victim {vic_id}{when}{by_whom}").format(
                                spec_id=spec.id, status=status, vic_id=vic.id, when=when, by_whom=by_whom))
    if status == "confirmed":
        other = next((r for r in rows if r.status == "confirmed" and r.victim_id != vic.id), None)
        if other is not None:
            raise RuleViolation(
                _("specimen {spec_id} is already confirmed as victim {other_victim_id}; one specimen is one "
                  "person: reject that first (`chosei match reject {spec_id} {other_victim_id} --by NAME`)").format(
                    spec_id=spec.id, other_victim_id=other.victim_id))
        if match is None:
            raise RuleViolation(
                _("no computed match for specimen {spec_id} and victim {vic_id}; a confirmation rests on a "
                  "computed likelihood ratio: run `chosei match run` (the victim needs a typed relative who "
                  "consents to analysis)").format(spec_id=spec.id, vic_id=vic.id))
        evidence = pair_evidence(session, match, results_intact(session))
        reasons = needs_override(evidence)
        if reasons and reason is None:
            raise RuleViolation(
                _("specimen {spec_id} is not confirmed as victim {vic_id}: {reasons}; if other evidence settles "
                  "it, re-run with --override \"REASON\"").format(
                    spec_id=spec.id, vic_id=vic.id, reasons='; and '.join(reasons)))
        if reason is not None and not reasons:
            raise InvalidInput(_("specimen {spec_id} and victim {vic_id} need no --override (no exclusion, "
                                 "posterior {evidence_posterior:.4g}): leave it out").format(
                                   spec_id=spec.id, vic_id=vic.id, evidence_posterior=evidence.posterior))
        if evidence.lr < evidence.threshold:
            warnings.append(_("the LR ({evidence_lr:.6g}) is below the candidate threshold "
                              "({evidence_threshold:,.0f}); confirmed on the strength of other evidence").format(
                                evidence_lr=evidence.lr, evidence_threshold=evidence.threshold))
    elif match is None and row is None:
        raise RuleViolation(
            _("nothing to reject: no computed match or identification for specimen {spec_id} and victim "
              "{vic_id}; `chosei match list --specimen {spec_id}` shows its candidates").format(
                spec_id=spec.id, vic_id=vic.id))
    previous = row.status if row is not None else None
    if row is None:
        row = Identification(specimen_id=spec.id, victim_id=vic.id)
        session.add(row)
    if status == "confirmed":
        row.lr, row.posterior = evidence.lr, evidence.posterior
    elif match is not None:
        row.lr, row.posterior = match.lr, match.posterior
    if match is not None:
        row.method = method_of(match)
    row.status = status
    row.override = reason  # an override belongs to one confirmation: a rejection clears it
    row.decided_on = (on or date.today()).isoformat()
    row.decided_by = who
    if note is not None and note.strip():
        row.notes = note.strip()
    session.flush()
    return Decision(row, previous, warnings)
