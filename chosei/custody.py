"""Chain-of-custody rules: what makes a gap in an item's chain.

An item's events, in time order, must tell one unbroken story (ISO/IEC 17025 asks for
documented handling, transfer and storage of every test item). A gap is flagged when:
- the chain does not start where an item starts (`recovered` for remains, `sampled`
  for a sample cut or collected): where it was before is not on record;
- an event hands the item over *from* someone who was not its last recorded holder
  (the `to` of the latest earlier event that names one);
- anything happens after the item was `returned` or `consumed`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from chosei.i18n import _

ORIGIN_EVENTS = frozenset({"recovered", "sampled"})
FINAL_EVENTS = frozenset({"returned", "consumed"})


@dataclass(frozen=True)
class Gap:
    item_id: str
    at: str
    message: str


def _norm(party: str | None) -> str | None:
    return " ".join(party.casefold().split()) if party else None


def find_gaps(item_id: str, events: Iterable[Any]) -> list[Gap]:
    """`events` have .event, .at, .from_party, .to_party and come sorted by `at`."""
    from chosei.plausible import shown_term
    from chosei.vocab import CUSTODY_EVENT

    def shown(event: str) -> str:
        return shown_term(CUSTODY_EVENT, event)

    gaps: list[Gap] = []
    holder: str | None = None
    holder_raw: str | None = None
    ended: str | None = None
    for i, ev in enumerate(events):
        if i == 0 and ev.event not in ORIGIN_EVENTS:
            gaps.append(Gap(item_id, ev.at, _("the chain starts with '{event}' at {at}: where the item was "
                                              "before is not recorded").format(event=shown(ev.event), at=ev.at)))
        if ended is not None:
            gaps.append(Gap(item_id, ev.at, _("'{event}' at {at} comes after the item was {ended}").format(
                event=shown(ev.event), at=ev.at, ended=shown(ended))))
        if ev.from_party and holder is not None and _norm(ev.from_party) != holder:
            gaps.append(Gap(item_id, ev.at, _("'{event}' at {at} is from {party}, but the last recorded holder "
                                              "was {holder}").format(event=shown(ev.event), at=ev.at,
                                                                     party=ev.from_party, holder=holder_raw)))
        if ev.to_party:
            holder, holder_raw = _norm(ev.to_party), ev.to_party
        if ev.event in FINAL_EVENTS:
            ended = ev.event
    return gaps
