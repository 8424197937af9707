"""Demo chains of custody: divers → police → crime lab → storage → samples → labs.

Three chains are left broken on purpose so `chosei check` has something to show: a
specimen whose recovery was never logged, a specimen whose hand-over to the police is
missing, and a sample whose shipment is missing.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

DIVERS = "Kizamu Kai dive team"
POLICE = "Yamaguchi Prefectural Police (Ube station)"
CRIME_LAB = "Yamaguchi Prefectural Police crime lab"
COURIER = "courier (sealed box)"
RETURNED_TO = "MOIS (KR), for the family"
RETURNED_ON = "2026-09-24"
COLLECTOR = {"NFS (KR)": ("MOIS collection team", "MOIS regional office"),
             "NPA forensic lab (JP)": (POLICE, "Ube police station")}
# The operations whose first generated specimen loses an event (see the module docstring).
GAP_NO_RECOVERY = "OP-2025-10-28"
GAP_NO_HANDOVER = "OP-2026-06-16"

Event = tuple[str, str, str | None, str | None, str | None, str | None]


def _at(day: dt.date | str, hour: int, minute: int = 0) -> str:
    text = day if isinstance(day, str) else day.isoformat()
    return f"{text}T{hour:02d}:{minute:02d}"


def _sample_chain(row: dict[str, Any], days: dict[str, dt.date], holder: str,
                  place: str) -> list[Event]:
    # Hours keep the order right when two steps fall on the same day.
    lab = row["lab"]
    events: list[Event] = [("sampled", _at(days["collected"], 10, 30), None, holder, place,
                            None)]
    if "shipped" in days:
        events.append(("shipped", _at(days["shipped"], 13), holder, COURIER, place, None))
    if "received" in days:
        events.append(("received", _at(days["received"], 15), COURIER, lab, lab, None))
    if "consumed" in days:
        events.append(("consumed", _at(days["consumed"], 17), lab, None, lab, None))
    return events


def _specimen_chain(rng: random.Random, spec: dict[str, Any], cuts: list[tuple[str, str]],
                    returned: bool) -> list[Event]:
    day = dt.date.fromisoformat(spec["recovered_on"])
    up = _at(day, rng.randint(10, 14), rng.choice((0, 15, 30, 45)))
    next_day = day + dt.timedelta(days=1)
    events: list[Event] = [
        ("recovered", up, None, DIVERS, f"Chosei mine, {spec['location']}",
         f"depth {spec['depth_m']} m"),
        ("transferred", _at(day, 16, 30), DIVERS, POLICE, "Tokonami coast, mine entrance",
         None),
        ("received", _at(next_day, 10), POLICE, CRIME_LAB, "Yamaguchi", None),
        ("stored", _at(next_day, 14), None, None, "crime lab evidence store",
         f"box B-{rng.randint(1, 40):02d}"),
    ]
    for sample_id, cut in cuts:
        events.append(("sampled", _at(cut, 9, 30), None, None, CRIME_LAB,
                       f"sample {sample_id} cut"))
    if returned:
        events.append(("returned", _at(RETURNED_ON, 11), CRIME_LAB, RETURNED_TO, "Ube",
                       "remains returned after the confirmed identification"))
    return events


def _rows(item: str, events: list[Event]) -> list[dict[str, Any]]:
    return [{"item_id": item, "event": e, "at": at, "from_party": frm, "to_party": to,
             "place": place, "notes": notes} for e, at, frm, to, place, notes in events]


def record_custody(rng: random.Random, out: Any, *, returned: str) -> None:
    """Fill `out.custody` for every specimen and every bone sample taken."""
    cuts: dict[str, list[tuple[str, str]]] = {}
    for row in out.samples:
        if row.get("specimen_id") and row.get("collected_on"):
            cuts.setdefault(row["specimen_id"], []).append((row["id"], row["collected_on"]))
    gaps = out.problems.setdefault("custody-gap", [])
    pending = {GAP_NO_RECOVERY: "recovered", GAP_NO_HANDOVER: "transferred"}
    for spec in out.specimens:
        events = _specimen_chain(rng, spec, cuts.get(spec["id"], []), spec["id"] == returned)
        missing = pending.pop(str(spec["operation_id"]), None)
        if missing:
            events = [e for e in events if e[0] != missing]
            gaps.append(spec["id"])
        if spec["id"] == returned:
            spec["custodian"] = RETURNED_TO
        out.custody += _rows(spec["id"], events)
    chains = [(row, _sample_chain(row, out.timelines[row["id"]], CRIME_LAB, CRIME_LAB))
              for row in out.samples if row["id"] in out.timelines and row.get("specimen_id")]
    # The first bone sample still in a lab's hands: its shipment is the one never logged.
    for row, events in chains:
        if row["status"] in ("received", "extracted", "failed"):
            events[:] = [e for e in events if e[0] != "shipped"]
            gaps.append(row["id"])
            break
    for row, events in chains:
        out.custody += _rows(row["id"], events)


def relative_custody(rng: random.Random, samples: list[dict[str, Any]],
                     timelines: dict[str, dict[str, dt.date]]) -> list[dict[str, Any]]:
    """Chains for about a third of the reference samples (the rest were never logged)."""
    rows: list[dict[str, Any]] = []
    for row in samples:
        if row["id"] not in timelines or rng.random() >= 0.35:
            continue
        holder, place = COLLECTOR[row["lab"]]
        rows += _rows(row["id"], _sample_chain(row, timelines[row["id"]], holder, place))
    return rows
