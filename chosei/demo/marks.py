"""Demo data recognised by what it holds, not by an About sheet anyone can delete.

The demo's contacts are fictional by construction: phone numbers with a 0000 exchange
(010-0000-0041, 090-0000-0007), which no Korean or Japanese carrier issues, and mail
addresses at example.org, a domain reserved for examples. The default demo's roster is
known too: its victims' IDs each with its Japanese-style name, regenerated here from
the same seed as `chosei demo` uses. A workbook holding `MATCHES` of either is the
demo's, whatever its About sheet says or whether it has one.
"""

from __future__ import annotations

import functools
import re
from typing import Any

DEFAULT_SEED = 1942
_CONTACT = re.compile(r"\b0[19]0-0000-[0-9]{4}\b|@example\.org\b", re.IGNORECASE)
# A real case may share a victim's ID and name with the demo's by chance, or write a
# placeholder phone number like the demo's: not three times.
MATCHES = 3
_DEMO_ID = re.compile(r"CH-[0-9]{3}")


@functools.cache
def _roster() -> frozenset[tuple[str, str]]:
    from chosei.demo.case import plan_roster  # the generator: only once a Victims row is seen

    return frozenset((str(v.row["id"]), str(v.row.get("name_japanese")))
                     for v in plan_roster(DEFAULT_SEED))


def is_demo_contact(contact: Any) -> bool:
    """Is `contact` one of the demo's fictional phone numbers or addresses?"""
    return isinstance(contact, str) and _CONTACT.search(contact) is not None


def is_demo_victim(victim_id: Any, name_japanese: Any) -> bool:
    """Are this ID and Japanese-style name one of the default demo's victims?"""
    # The demo numbers its victims CH-001 to CH-183: any other ID needs no roster.
    if not (isinstance(victim_id, str) and _DEMO_ID.fullmatch(victim_id) and name_japanese):
        return False
    return (victim_id, str(name_japanese)) in _roster()
