"""`chosei match assign`: the joint view of commingled remains over the stored run.

The units are the DNA groups (`match reassociate`; a specimen in none is its own unit),
each holding the bones a skeleton has once (`mni.exclusive_slot` of its specimens'
element and side). A group's LRs are those of its specimen with the strongest LR (its
specimens are one man; their LRs are not multiplied, that would count the same DNA
twice). The assignment, its conflicts and the undisputed identifications are
`kinship.assignment`'s; posteriors are the closed-set ones (`kinship.closed_set`) over
the run's expected roster, from the unit's LRs.
"""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlmodel import Session, col

from chosei.errors import InvalidInput
from chosei.i18n import _
from chosei.kinship import closed_set
from chosei.kinship.assignment import assign
from chosei.mni import exclusive_slot
from chosei.models import DnaGroup, MatchResult, Specimen
from chosei.services.case import expected_roster
from chosei.services.match_review import last_threshold


def joint_assignment(session: Session, threshold: float | None = None) -> dict[str, Any]:
    """Per unit: its best victim alone, its victim in the joint assignment, whether it is
    undisputed; the conflicts; the threshold and roster used."""
    if threshold is not None and not (math.isfinite(threshold) and threshold >= 1):
        raise InvalidInput(_("--threshold must be a likelihood ratio of at least 1, not {threshold:g}").format(
                               threshold=threshold))
    threshold = last_threshold(session) if threshold is None else float(threshold)
    rows = session.execute(select(col(MatchResult.specimen_id), col(MatchResult.victim_id), col(MatchResult.lr))).all()
    if not rows:
        raise InvalidInput(_("no computed matches yet; run `chosei match run` first"))
    params = json.loads(session.execute(select(col(MatchResult.parameters)).limit(1)).scalar_one() or "{}")
    n_expected = int(params.get("prior_n") or expected_roster(session))
    open_prior = float(params.get("open_prior", 0.0))
    spec_ids = sorted({r[0] for r in rows})
    vic_ids = sorted({r[1] for r in rows})
    s_at = {s: i for i, s in enumerate(spec_ids)}
    v_at = {v: i for i, v in enumerate(vic_ids)}
    lrs = np.ones((len(spec_ids), len(vic_ids)))  # a pair not stored counts as not compared: LR 1
    for sid, vid, lr in rows:
        lrs[s_at[sid], v_at[vid]] = lr
    bones = {sid: (element, side) for sid, element, side in session.execute(
        select(col(Specimen.id), col(Specimen.element), col(Specimen.side)).where(col(Specimen.id).in_(spec_ids)))}
    groups: dict[str, list[str]] = {}
    grouped = dict(session.execute(select(col(DnaGroup.specimen_id), col(DnaGroup.group_id))).all())
    for sid in spec_ids:
        groups.setdefault(grouped.get(sid, sid), []).append(sid)
    units = sorted(groups)
    with np.errstate(divide="ignore"):
        strongest = np.log10(lrs).max(axis=1)
    chosen = [max(groups[u], key=lambda s: (strongest[s_at[s]], s)) for u in units]
    table = lrs[[s_at[s] for s in chosen]]
    slots = [frozenset(slot for s in groups[u] if (slot := exclusive_slot(*bones.get(s, (None, None)))))
             for u in units]
    found = assign(table, slots, threshold)
    posts = closed_set(table, n_expected, open_prior).posteriors if units else table

    def pick(u: int, c: int | None) -> dict[str, Any] | None:
        return None if c is None else {"victim_id": vic_ids[c], "lr": float(table[u, c]),
                                       "posterior": float(posts[u, c])}

    out = [{"unit": unit, "specimens": groups[unit], "lrs_from": chosen[u],
            "bones": [_bone(slot) for slot in sorted(slots[u])],
            "best": pick(u, found.best[u]), "assigned": pick(u, found.assigned[u]),
            "undisputed": found.undisputed[u]} for u, unit in enumerate(units)]
    conflicts = [{"victim_id": vic_ids[c.victim], "bone": _bone(c.slot), "units": [units[u] for u in c.units]}
                 for c in found.conflicts]
    return {"threshold": threshold, "prior_n": n_expected, "open_prior": open_prior, "units": out,
            "conflicts": conflicts, "log10_lr": found.log10_lr,
            "undisputed": sum(found.undisputed), "assigned": sum(c is not None for c in found.assigned)}


def _bone(slot: tuple[str, str]) -> str:
    return f"{slot[0]} {slot[1]}".strip()
