"""The plausibility rules that need another row, for a workbook before anything is written.

The rules about one row run in the models' validators, as for the CLI. These look at
the other row each needs, in the workbook itself or else in the store
(`chosei.plausible`, `services/samples.py`): a relative's birth year and the victim's
birth, a specimen's recovery and its operation, a sample's type and its source, a
sample's status against the one stored (never back), consent at the bench (a relative's
sample becomes extracted or profiled only with consent for analysis in effect; a
workbook cannot override it) and a profile for `profiled`. Each problem names its row and
cell. A return to a family of remains not identified is a warning here (`rule_warnings`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from chosei.exchange import schema
from chosei.exchange.adapters import chunks
from chosei.exchange.cells import term
from chosei.i18n import _
from chosei.models import Genotype, Identification, Operation, Relative, SnpCalls, Victim
from chosei.plausible import recovery_problem, relative_birth_problem, sample_type_problem
from chosei.rules import SAMPLE_STATUSES
from chosei.services.samples import NEEDS_CONSENT
from chosei.services.stages import consent_in_effect
from chosei.vocab import SAMPLE_STATUS

Found = tuple[Any, str, str]  # (planned row, field, message)

# How far along a status is: a workbook may move a sample on, never back.
_RANK = {s: i for i, s in enumerate(SAMPLE_STATUSES)}
_RANK["failed"] = _RANK["profiled"]
_RANK["consumed"] = _RANK["failed"] + 1


def _of(rows: Iterable[Any], spec: Any) -> list[Any]:
    return [p for p in rows if p.adapter.spec is spec]


def _in_store(session: Session, column: Any, ids: set[str], *cols: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for part in chunks(sorted(ids)):
        for row in session.execute(select(column, *cols).where(column.in_(part))):
            out[row[0]] = row[1:] if len(cols) > 1 else row[1] if cols else True
    return out


def rule_problems(session: Session, rows: list[Any], resolved: dict[str, str]) -> list[Found]:
    found: list[Found] = []
    found += _relatives(session, rows)
    found += _specimens(session, rows)
    found += _samples(session, rows, resolved)
    return found


def rule_warnings(session: Session, rows: list[Any]) -> list[str]:
    """What a workbook may hold but `chosei check` will flag: a return to a family of
    remains identified neither in the store nor in the workbook. The chain of custody
    records what happened; a workbook may come before the identification it rests on
    (the demo workbook leaves its Identifications out). `chosei custody record` refuses
    it."""
    return [_("{sheet}, row {row}: {item} is recorded as returned to a family but is not identified in "
              "the store or the workbook; `chosei check` lists it (returned-unidentified) until it is").format(
                  sheet=p.raw.title, row=p.entry.row, item=p.key[0]) for p in _custody(session, rows)]


def _relatives(session: Session, rows: list[Any]) -> list[Found]:
    relatives = [p for p in _of(rows, schema.RELATIVES) if p.clean.get("birth_year") is not None]
    if not relatives:
        return []
    victims = {p.key[0]: (p.clean.get("birth_date"), p.clean.get("age_at_death"))
               for p in _of(rows, schema.VICTIMS)}
    missing = {p.clean["victim_id"] for p in relatives} - set(victims)
    victims.update(_in_store(session, Victim.id, missing, Victim.birth_date, Victim.age_at_death))
    out = []
    for p in relatives:
        vid = p.clean["victim_id"]
        if vid in victims:
            problem = relative_birth_problem(p.clean.get("relationship"), p.clean["birth_year"],
                                             vid, *victims[vid])
            if problem:
                out.append((p, "birth_year", problem))
    return out


def _specimens(session: Session, rows: list[Any]) -> list[Found]:
    specimens = [p for p in _of(rows, schema.SPECIMENS)
                 if p.clean.get("recovered_on") and p.clean.get("operation_id")]
    if not specimens:
        return []
    dates = {p.key[0]: p.clean.get("date") for p in _of(rows, schema.OPERATIONS)}
    missing = {p.clean["operation_id"] for p in specimens} - set(dates)
    dates.update(_in_store(session, Operation.id, missing, Operation.date))
    out = []
    for p in specimens:
        op = p.clean["operation_id"]
        problem = recovery_problem(p.clean["recovered_on"], op, dates.get(op))
        if problem:
            out.append((p, "recovered_on", problem))
    return out


def _consented(session: Session, rows: list[Any], relative_ids: set[str]) -> set[str]:
    """The relatives with consent for analysis in effect once the workbook is imported:
    as its Relatives rows show it, or else as the store holds it."""
    out: set[str] = set()
    in_book = {}
    for p in _of(rows, schema.RELATIVES):
        if p.key[0] in relative_ids and p.clean.get("consent_scope"):
            in_book[p.key[0]] = ("analysis" in p.clean["consent_scope"].split(";")
                                 and not p.clean.get("consent_withdrawn"))
    out |= {rid for rid, active in in_book.items() if active}
    rest = sorted(relative_ids - set(in_book))
    for part in chunks(rest):
        out |= set(session.execute(select(col(Relative.id)).where(
            col(Relative.id).in_(part), consent_in_effect(col(Relative.id), "analysis"))).scalars())
    return out


def _samples(session: Session, rows: list[Any], resolved: dict[str, str]) -> list[Found]:
    samples = _of(rows, schema.SAMPLES)
    if not samples:
        return []
    out: list[Found] = []
    bench: list[tuple[Any, str, str]] = []  # (row, status, relative) for a status needing consent
    profiled: list[Any] = []
    for p in samples:
        source = p.clean.get("source_id")
        kind = resolved.get(source) if source else None
        if kind is None and p.stored is not None:  # the source the store holds
            source = p.stored.view.get("source_id")
            kind = "specimen" if p.stored.row.get("specimen_id") else "relative" if source else None
        problem = sample_type_problem(p.clean.get("type"), source if kind == "specimen" else None,
                                      source if kind == "relative" else None)
        if problem:
            out.append((p, "type", problem))
        status = p.clean.get("status")
        old = p.stored.view.get("status") if p.stored is not None else None
        if status and old and _RANK.get(status, 0) < _RANK.get(old, 0):
            out.append((p, "status", _("sample {sample} is {old} in the store: it cannot go back to {status}; a "
                                       "sample moves on, never back").format(
                                           sample=p.key[0], old=term(SAMPLE_STATUS, old),
                                           status=term(SAMPLE_STATUS, status))))
        elif status and status != old:  # moved on: the rules of its new status
            if status in NEEDS_CONSENT and kind == "relative" and source:
                bench.append((p, status, source))
            if status == "profiled":
                profiled.append(p)
    consented = _consented(session, rows, {rid for _, _, rid in bench}) if bench else set()
    for p, status, rid in bench:
        if rid not in consented:
            out.append((p, "status", _("relative {relative} has no active consent for analysis: sample {sample} "
                                       "cannot become {status}; record the consent first (or `chosei sample "
                                       "advance {sample} {code} --override \"REASON\"`)").format(
                                           relative=rid, sample=p.key[0], status=term(SAMPLE_STATUS, status),
                                           code=status)))
    if profiled:
        have = {p.key[0] for p in _of(rows, schema.PROFILES)}
        rest = {p.key[0] for p in profiled} - have
        have |= set(_in_store(session, Genotype.sample_id, rest))
        have |= set(_in_store(session, SnpCalls.sample_id, rest - have))
        for p in profiled:
            if p.key[0] not in have:
                out.append((p, "status", _("sample {sample} has no genotypes or SNP calls in the store or the "
                                           "{sheet} sheet: add its profile before it becomes {status}").format(
                                               sample=p.key[0], sheet=schema.PROFILES.title(sheet_lang(p)),
                                               status=term(SAMPLE_STATUS, "profiled"))))
    return out


def sheet_lang(p: Any) -> str:
    """The language the workbook names a planned row's sheet in."""
    return schema.title_language(p.raw.title) or "en"


def _custody(session: Session, rows: list[Any]) -> list[Any]:
    returned = [p for p in _of(rows, schema.CUSTODY) if p.clean.get("event") == "returned"]
    if not returned:
        return []
    confirmed = {p.key[0] for p in _of(rows, schema.IDENTIFICATIONS)
                 if p.clean.get("status") == "confirmed"}
    items = {p.key[0] for p in returned} - confirmed
    for part in chunks(sorted(items)):
        confirmed |= set(session.execute(select(col(Identification.specimen_id)).where(
            col(Identification.specimen_id).in_(part),
            col(Identification.status) == "confirmed")).scalars())
    return [p for p in returned if p.key[0] not in confirmed]
