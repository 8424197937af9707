"""`chosei audit verify` and `checkpoint` as one call each: the chain and the rows
(`chosei.audit`), then the heads given from outside (`chosei.audit_anchor`), then the
checkpoints signed by trusted keys (`chosei.checkpoints`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import text
from sqlmodel import Session

from chosei import audit, checkpoints
from chosei.audit_anchor import Head, WorkbookHead, check_head, check_workbook_head
from chosei.errors import AuditBroken
from chosei.i18n import _

# Made by migration 0006; `verify` finds them all there on a store at head (tested).
TRIGGERS = {
    "sqlite": ("audit_entry_no_update", "audit_entry_no_delete"),
    "postgresql": ("audit_entry_append_only", "audit_entry_no_truncate"),
}
_PRESENT = {
    "sqlite": "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_entry'",
    "postgresql": "SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_entry'::regclass "
                  "AND NOT tgisinternal AND tgenabled <> 'D'",
}


def missing_triggers(session: Session) -> list[str]:
    """The append-only triggers absent or switched off: a sign of an owner's tampering."""
    dialect = session.get_bind().dialect.name
    if dialect not in TRIGGERS:
        return []
    present = set(session.execute(text(_PRESENT[dialect])).scalars())
    return [name for name in TRIGGERS[dialect] if name not in present]


@dataclass
class TrailReport:
    entries: int
    rows: int
    heads: list[Head] = field(default_factory=list)
    checkpoints: list[checkpoints.Checkpoint] = field(default_factory=list)
    untrusted: dict[str, int] = field(default_factory=dict)


def verify_trail(session: Session, heads: Sequence[Head | WorkbookHead] = (),
                 trusted: Sequence[Ed25519PublicKey] = ()) -> TrailReport:
    """Raise `AuditBroken` naming the first thing wrong; else say what was checked."""
    result = audit.verify(session)
    if not result.ok:
        raise AuditBroken(result.problem or _("the audit trail is broken"))
    missing = missing_triggers(session)
    if missing:
        raise AuditBroken(
            _("the append-only triggers of the audit trail are missing or disabled ({missing}): someone with the "
              "database's own rights removed them and may have changed the trail unseen; check it against heads "
              "taken before (--head), and have the administrator restore the triggers (migration 0006)").format(
                missing=', '.join(missing)))
    for head in heads:
        if isinstance(head, WorkbookHead):
            problem = check_workbook_head(session, head)
        else:
            problem = check_head(session, head)
        if problem:
            raise AuditBroken(problem)
    report = TrailReport(result.entries, result.rows,
                         heads=[h.head if isinstance(h, WorkbookHead) else h for h in heads])
    if trusted:
        signed = checkpoints.verify_checkpoints(session, trusted)
        if signed.problem:
            raise AuditBroken(signed.problem)
        report.checkpoints, report.untrusted = signed.checked, signed.untrusted
    return report


def checkpoint(session: Session, key: Ed25519PrivateKey, agency: str) -> checkpoints.Checkpoint:
    """Sign the head of a trail that verifies: a signature over a tampered trail would
    vouch for the tampering."""
    result = audit.verify(session)
    if not result.ok:
        raise AuditBroken(_("{result_problem}; nothing was signed").format(result_problem=result.problem))
    return checkpoints.add_checkpoint(session, key, agency)
