"""Recording and reading the chain of custody of specimens and samples.

Events are stored under the item's own ID even when it was named by an other ID
(a police or lab number), so one item has one chain.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from chosei.custody import Gap, find_gaps
from chosei.errors import AlreadyExists, RuleViolation
from chosei.i18n import _
from chosei.models import CustodyEvent, Identification, Specimen
from chosei.models.recovery import CustodyEventCreate
from chosei.services.lookup import find_item, plain
from chosei.services.validation import validate


def _chain(session: Session, item_id: str) -> list[CustodyEvent]:
    return list(session.execute(
        select(CustodyEvent).where(col(CustodyEvent.item_id) == item_id)
        .order_by(CustodyEvent.at, col(CustodyEvent.id))
    ).scalars())


def _identified(session: Session, item_id: str) -> bool:
    return session.execute(select(col(Identification.id)).where(
        col(Identification.specimen_id) == item_id, col(Identification.status) == "confirmed")
    ).first() is not None


def record_event(
    session: Session,
    item: str,
    event: str,
    at: str,
    *,
    from_party: str | None = None,
    to_party: str | None = None,
    place: str | None = None,
    notes: str | None = None,
) -> tuple[CustodyEvent, list[Gap]]:
    """Record one event in an item's chain; return it and the gaps the chain now has at it."""
    found = find_item(session, item)
    new = validate(CustodyEventCreate, {
        "item_id": found.id, "event": event, "at": at, "from_party": from_party,
        "to_party": to_party, "place": place, "notes": notes,
    })
    duplicate = session.execute(
        select(col(CustodyEvent.id)).where(col(CustodyEvent.item_id) == new.item_id,
                                      col(CustodyEvent.event) == new.event, col(CustodyEvent.at) == new.at)
    ).first()
    if new.event == "returned" and not _identified(session, new.item_id):
        raise RuleViolation(_("{new_item_id} is not identified: only remains with a confirmed identification are "
                              "returned to a family; confirm it first (`chosei match confirm`)").format(
                                new_item_id=new.item_id))
    if duplicate is not None:
        raise AlreadyExists(_("{new_item_id} already has a '{new_event}' event at {new_at}; `chosei custody show "
                              "{new_item_id}` shows its chain").format(
                                new_item_id=new.item_id, new_event=new.event, new_at=new.at))
    row = CustodyEvent.model_validate(new.model_dump())
    session.add(row)
    session.flush()
    chain = _chain(session, row.item_id)
    return row, _gaps_by_event(row.item_id, chain)[chain.index(row)]


def _gaps_by_event(item_id: str, events: list[CustodyEvent]) -> list[list[Gap]]:
    # A gap at an event depends only on the events before it, so the gaps a prefix of the
    # chain adds are the ones at its last event; chains are short, the quadratic is cheap.
    out: list[list[Gap]] = []
    seen = 0
    for i in range(len(events)):
        gaps = find_gaps(item_id, events[: i + 1])
        out.append(gaps[seen:])
        seen = len(gaps)
    return out


def custody_chain(session: Session, item: str) -> dict[str, Any]:
    """An item's events in time order, each with the gaps found at it."""
    found = find_item(session, item)
    events = _chain(session, found.id)
    per_event = _gaps_by_event(found.id, events)
    return {
        "item": found.id,
        "kind": "specimen" if isinstance(found, Specimen) else "sample",
        "events": [
            {**plain(e, exclude={"id", "version"}), "gaps": [g.message for g in gaps]}
            for e, gaps in zip(events, per_event, strict=True)
        ],
        "gaps": [g.message for gaps in per_event for g in gaps],
    }
