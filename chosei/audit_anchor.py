"""Audit heads: a point of the hash chain named outside the store, checked later.

The chain (`chosei.audit`) shows that no entry was changed in place, but not that the
newest entries are still there, nor that the whole chain was not rewritten with fresh
hashes: whoever can write the database can do either and the chain still holds together.
A head, `SEQ:HASH` of the last entry, given to someone else (a partner's copy of an
export carries it on its About sheet; an agency publishes it) pins the chain: if entry
SEQ no longer exists, or no longer has that hash, the log was truncated or rewritten at
or before SEQ, since every hash covers all the entries before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from sqlalchemy import select
from sqlmodel import Session, col

from chosei.audit import GENESIS
from chosei.errors import InvalidInput
from chosei.i18n import N_, _
from chosei.models import AuditEntry

_HEAD = re.compile(r"([0-9]{1,18}):([0-9a-fA-F]{64})")
HEAD_FORMAT = N_("SEQ:HASH as `chosei audit head` prints it (e.g. 42:3f5a… with all 64 hex digits)")


class Head(NamedTuple):
    seq: int
    hash: str

    def __str__(self) -> str:
        return f"{self.seq}:{self.hash}"

    def as_dict(self) -> dict[str, int | str]:
        return {"seq": self.seq, "hash": self.hash}


EMPTY = Head(0, GENESIS)


def current_head(session: Session) -> Head:
    """The last entry's seq and hash; `EMPTY` (0 and the genesis hash) for an empty log."""
    last = session.execute(
        select(col(AuditEntry.seq), col(AuditEntry.hash)).order_by(col(AuditEntry.seq).desc()).limit(1)
    ).first()
    return Head(last[0], last[1]) if last else EMPTY


def parse_head(text: str, *, source: str = "--head") -> Head:
    """A head as SEQ:HASH; `source` names where it was given (an option, or a sentence
    in the current language)."""
    match = _HEAD.fullmatch(text.strip())
    if match is None:
        shown = text if len(text) <= 80 else text[:77] + "..."
        raise InvalidInput(_("{source} must be {format}, not {value!r}").format(
            source=source, format=_(HEAD_FORMAT), value=shown))
    return Head(int(match[1]), match[2].lower())


@dataclass(frozen=True)
class WorkbookHead:
    """A head read from an exported workbook, with the store it names."""

    name: str
    head: Head
    store_id: str


def head_from_workbook(path: Path) -> WorkbookHead:
    """The audit head on an exported workbook's About sheet. The file passes the
    exchange guard before it is read: a workbook from outside may be hostile."""
    from chosei.exchange.guard import check_workbook
    from chosei.exchange.reader import read_about

    about = read_about(path, check_workbook(path).data)  # the bytes the guard checked
    value = about.get("audit_head")
    if value is None or not str(value).strip():
        raise InvalidInput(_("{name} has no audit head on its About sheet; only workbooks exported by a "
                             "chosei that records one carry it").format(name=path.name))
    head = parse_head(str(value), source=_("the audit head on the About sheet of {name}").format(name=path.name))
    return WorkbookHead(path.name, head, str(about.get("store_id") or "").strip())


def check_workbook_head(session: Session, found: WorkbookHead) -> str | None:
    """As `check_head`, after comparing the store ID the workbook names with this store's.
    The ID is the first entry's hash, so they differ for a workbook from another store
    and for a trail rewritten from its first entry alike: both are said."""
    from chosei.exchange.about import store_id

    here = store_id(session)
    if found.store_id != here:
        if here:
            message = _("{name} names the store {named} and this store's is {here}: either it was exported "
                        "from another store (check it there), or this store's trail was rewritten or wiped "
                        "from its first entry")
        else:
            message = _("{name} names the store {named} and this store's log is empty: either it was exported "
                        "from another store (check it there), or this store's trail was rewritten or wiped "
                        "from its first entry")
        return message.format(name=found.name, named=found.store_id or _("(none)"), here=here)
    return check_head(session, found.head)


def check_head(session: Session, head: Head) -> str | None:
    """None when the chain still holds entry `head.seq` with `head.hash`; else what is
    wrong. Meaningful once `audit.verify` found the chain whole: then an entry with the
    pinned hash vouches for every entry before it."""
    if head == EMPTY:
        return None
    if head.seq == 0:
        return _("head 0 is the empty log, whose hash is {genesis}…, not {hash}…").format(
            genesis=GENESIS[:12], hash=head.hash[:12])
    found = session.execute(select(col(AuditEntry.hash)).where(col(AuditEntry.seq) == head.seq)).scalar()
    if found is None:
        last = current_head(session)
        if last == EMPTY:
            message = _("the audit trail no longer holds entry {seq} of head {head} (the log is empty): "
                        "entries were removed since that head was taken")
        else:
            message = _("the audit trail no longer holds entry {seq} of head {head} (it ends at entry {last}): "
                        "entries were removed since that head was taken")
        return message.format(seq=head.seq, head=_short(head), last=last.seq)
    if found != head.hash:
        return _("entry {seq} has hash {found}…, not {hash}… as head {head} says: the trail was rewritten at "
                 "or before entry {seq} since that head was taken").format(
                     seq=head.seq, found=found[:12], hash=head.hash[:12], head=_short(head))
    return None


def _short(head: Head) -> str:
    return f"{head.seq}:{head.hash[:12]}…"
