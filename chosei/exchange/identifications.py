"""The Identifications sheet's rules: the numbers are the tracker's, the decisions people's.

A workbook row may change only the status, the decision (Decided on, Decided by) and
the notes of a pair; everything else is a per-cell problem and nothing is imported:

* A new row names a pair the tracker computed (a `MatchResult` of the last run), and
  its LR, posterior and method are the tracker's, copied from that result (checked
  against the run's audited digest), never from the cells.
* An LR, Posterior or Method cell that differs from the tracker's value (numbers to 15
  significant digits, what LibreOffice keeps) is a problem: clear it or put the
  tracker's value back. A row exported before the store refreshed it (its version is
  older) is not checked: the import reports it as a conflict instead.
* `confirmed` or `rejected` needs Decided by and Decided on.
* A row that becomes `confirmed` passes the guard rails of `chosei match confirm`
  (`services.pair_evidence`): the pair is recomputed and checked against the stored
  result, and it records the recomputed LR and posterior. A pair that needs an
  override (an exclusion, a posterior below 0.5) is not confirmed from a workbook: the
  command records the reason.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from chosei.errors import ChoseiError
from chosei.exchange.adapters import chunks
from chosei.exchange.cells import term
from chosei.i18n import _
from chosei.models import MatchResult
from chosei.services.match_digest import results_intact
from chosei.services.pair_evidence import method_of, needs_override, pair_evidence
from chosei.vocab import DECIDED_STATUSES, IDENTIFICATION_STATUS

NUMBERS = ("lr", "posterior", "method")


def same_number(new: Any, old: Any) -> bool:
    """Equal, numbers to 15 significant digits: LibreOffice saves no more of them, so an
    LR of 125000.123456789012 comes back as 125000.123456789."""
    if new == old:
        return True
    numbers = (int, float)
    if isinstance(new, numbers) and isinstance(old, numbers) and \
            not isinstance(new, bool) and not isinstance(old, bool):
        return f"{new:.15g}" == f"{old:.15g}"
    return False


def identification_problems(session: Session, rows: list[Any]) -> list[tuple[Any, str, str]]:
    """(planned row, field, message) for each rule a planned Identifications row breaks;
    the tracker's numbers are set on the rows that pass (see the module docstring)."""
    out: list[tuple[Any, str, str]] = []
    todo = [p for p in rows if p.action != "same"]
    matches = _matches(session, {p.key for p in todo})
    digest: list[str | None] = []

    def broken() -> str | None:  # the run's digest, checked once and only if needed
        if not digest:
            digest.append(results_intact(session))
        return digest[0]

    for p in todo:
        sid, vid = p.key
        match = matches.get(p.key)
        status = p.clean.get("status")
        if status in DECIDED_STATUSES:
            for name in ("decided_by", "decided_on"):
                if p.clean.get(name) is None:
                    needs = (_("a {status} identification needs who decided: fill it in") if name == "decided_by"
                             else _("a {status} identification needs when: fill it in"))
                    out.append((p, name, needs.format(status=term(IDENTIFICATION_STATUS, status))))
        if p.stored is None and match is None:
            out.append((p, "victim_id", _("specimen {specimen} and victim {victim} have no computed match: a new "
                                          "identification names a pair `chosei match run` computed; run it, or "
                                          "remove the row").format(specimen=sid, victim=vid)))
            continue
        tracker = dict(p.stored.view) if p.stored is not None else _numbers(match)
        stale = p.stored is not None and p.entry.version is not None and p.stored.version > p.entry.version
        for name in NUMBERS:
            if not stale and name in p.given and not same_number(p.clean.get(name), tracker.get(name)):
                out.append((p, name, _("is not the tracker's value ({value}): the numbers come from `chosei match "
                                       "run`; clear the cell or put the tracker's value back").format(
                                           value=_text(tracker.get(name)))))
        numbers = tracker
        if status == "confirmed" and (p.stored is None or p.stored.view.get("status") != "confirmed"):
            if match is None:
                out.append((p, "status", _("specimen {specimen} and victim {victim} have no computed match: a "
                                           "confirmation rests on a computed likelihood ratio; run `chosei match "
                                           "run`").format(specimen=sid, victim=vid)))
                continue
            try:
                evidence = pair_evidence(session, match, broken())
            except ChoseiError as exc:
                out.append((p, "status", exc.message))
                continue
            reasons = needs_override(evidence)
            if reasons:
                out.append((p, "status", _("specimen {specimen} is not confirmed as victim {victim}: {reasons}; if "
                                           "other evidence settles it, confirm it with `chosei match confirm "
                                           "{specimen} {victim} --by NAME --override \"REASON\"`").format(
                                               specimen=sid, victim=vid, reasons=_("; and ").join(reasons))))
                continue
            numbers = {"lr": evidence.lr, "posterior": evidence.posterior, "method": method_of(match)}
        elif p.stored is None and (problem := broken()):
            out.append((p, "victim_id", _("the computed match of specimen {specimen} and victim {victim} is not "
                                          "the tracker's: {problem}").format(specimen=sid, victim=vid,
                                                                             problem=problem)))
            continue
        _take(p, numbers)
    return out


def _take(p: Any, numbers: dict[str, Any]) -> None:
    """Put the tracker's numbers on the row: all of them on a new row; on an existing
    row, those a confirmation recomputed."""
    p.clean = {**p.clean, **{name: numbers[name] for name in NUMBERS}}
    if p.stored is not None:
        p.changed = [*p.changed, *(n for n in ("lr", "posterior") if numbers[n] != p.stored.view.get(n)
                                   and n not in p.changed)]


def _matches(session: Session, keys: set[tuple[str, str]]) -> dict[tuple[str, str], MatchResult]:
    out = {}
    for part in chunks(sorted({sid for sid, _vid in keys})):
        for m in session.execute(select(MatchResult).where(col(MatchResult.specimen_id).in_(part))).scalars():
            if (m.specimen_id, m.victim_id) in keys:
                out[(m.specimen_id, m.victim_id)] = m
    return out


def _numbers(match: MatchResult | None) -> dict[str, Any]:
    if match is None:
        return {}
    return {"lr": match.lr, "posterior": match.posterior, "method": method_of(match)}


def _text(value: Any) -> str:
    if value is None:
        return "blank"
    return f"{value:.15g}" if isinstance(value, float) else str(value)
