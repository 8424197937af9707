"""Commingled remains, jointly: the most probable assignment of remains to victims that
respects one man's bones, its conflicts, and the undisputed identifications.

A *unit* is what DNA says is one man's (a DNA group, or a single specimen) and holds
*slots*: the bones a skeleton has only once (`mni.exclusive_slot`: a cranium, a
mandible, a left femur...). One victim can receive many units, but never two holding
the same slot.

* **Model.** Under the closed set every unit is one of the expected victims. The
  likelihood of an assignment, against "every unit from an unrelated man", is the
  product of the units' LRs to their victims; a unit left unassigned counts with LR 1
  (a victim not compared, or none). The most probable assignment maximises
  Σ log10 LR over the assigned units, subject to the slots. Only LRs above 1 are worth
  assigning.
* **Solution.** A unit with no slot (teeth, ribs...) takes its best victim. A unit with
  several slots (a DNA group of a cranium and a left femur) is placed greedily, the
  strongest first, on its best victim whose slots are free. The units with one slot are
  then an assignment problem per slot (cranium, left femur...): units against victims
  plus one "unassigned" column per unit (cost 0), cost −log10 LR, solved exactly with
  `scipy.optimize.linear_sum_assignment`, with the slots the several-slot units took
  forbidden.
* **Conflicts**: in the units' separate best choices, one victim given two units with
  the same slot (two left femurs); the joint assignment resolves them.
* **Undisputed** (after dvir's `findUndisputed`, relaxed form): a unit's best LR is at
  or above the threshold and at least threshold times every other victim's LR for that
  unit, and every other unit holding one of its slots has an LR for that victim at most
  the best LR / threshold.

Limits: this is not dvir's joint likelihood over all assignments (no posterior per
assignment, the LRs are the pairwise ones, not recomputed jointly), the greedy step for
several-slot units is not guaranteed optimal, and a paired bone of unknown side has no
slot.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import linear_sum_assignment

from chosei.i18n import _
from chosei.kinship.errors import KinshipInputError

Slot = tuple[str, str]
_FORBIDDEN = 1e12  # a cost no real -log10 LR reaches (LRs are capped at 1e300)


@dataclass(frozen=True)
class Conflict:
    victim: int  # column
    slot: Slot
    units: tuple[int, ...]  # rows whose best victim it is


@dataclass(frozen=True)
class JointAssignment:
    """Per unit (row): its best victim alone, its victim in the joint assignment (a column,
    or None: unassigned), and whether the identification is undisputed."""

    best: list[int | None]
    assigned: list[int | None]
    undisputed: list[bool]
    conflicts: list[Conflict]
    log10_lr: float  # Σ log10 LR of the joint assignment


def assign(lrs: object, slots: Sequence[frozenset[Slot]], threshold: float) -> JointAssignment:
    """The joint assignment of units (rows of `lrs`) to victims (columns); `slots[u]` the
    bones unit u holds; `threshold` the LR of an undisputed identification."""
    arr = np.asarray(lrs, dtype=float)
    if arr.ndim != 2 or len(slots) != arr.shape[0]:
        raise KinshipInputError(_("lrs must be a table of units × victims, with one set of slots per unit"))
    if not np.all(np.isfinite(arr)) or np.any(arr < 0):
        raise KinshipInputError(_("every LR must be a finite number >= 0"))
    if not (math.isfinite(threshold) and threshold >= 1):
        raise KinshipInputError(_("threshold must be an LR of at least 1, not {threshold:g}").format(
                                    threshold=threshold))
    with np.errstate(divide="ignore"):
        log = np.log10(arr)
    n_units = arr.shape[0]
    best: list[int | None] = [None] * n_units
    if arr.shape[1]:
        top = log.argmax(axis=1)
        best = [int(c) if log[u, c] > 0 else None for u, c in enumerate(top)]
    assigned: list[int | None] = [None] * n_units
    taken: set[tuple[int, Slot]] = set()
    for u in range(n_units):
        if not slots[u]:
            assigned[u] = best[u]
    several = sorted((u for u in range(n_units) if len(slots[u]) > 1 and best[u] is not None),
                     key=lambda u: -log[u, best[u]])
    for u in several:
        for c in np.argsort(-log[u], kind="stable"):
            if log[u, c] <= 0:
                break
            if not any((int(c), s) in taken for s in slots[u]):
                assigned[u] = int(c)
                taken.update((int(c), s) for s in slots[u])
                break
    by_slot: dict[Slot, list[int]] = {}
    for u in range(n_units):
        if len(slots[u]) == 1:
            by_slot.setdefault(next(iter(slots[u])), []).append(u)
    for slot, units in by_slot.items():
        for u, c in _solve(log, units, {c for c, s in taken if s == slot}).items():
            assigned[u] = c
    total = float(sum(log[u, c] for u, c in enumerate(assigned) if c is not None))
    return JointAssignment(best, assigned, _undisputed(log, slots, best, math.log10(threshold)),
                           _conflicts(slots, best), total)


def _solve(log: NDArray[np.float64], units: list[int], forbidden: set[int]) -> dict[int, int | None]:
    """One slot: units against victims and one "unassigned" column each, cost −log10 LR."""
    gain = log[units]
    cost = np.where(gain > 0, -np.where(gain > 0, gain, 0.0), _FORBIDDEN)
    if forbidden:
        cost[:, sorted(forbidden)] = _FORBIDDEN
    cost = np.hstack([cost, np.zeros((len(units), len(units)))])
    rows, cols = linear_sum_assignment(cost)
    n_victims = log.shape[1]
    return {units[r]: (int(c) if c < n_victims and cost[r, c] < _FORBIDDEN else None)
            for r, c in zip(rows, cols, strict=True)}


def _undisputed(log: NDArray[np.float64], slots: Sequence[frozenset[Slot]], best: list[int | None],
                factor: float) -> list[bool]:
    out = []
    for u, c in enumerate(best):
        if c is None or log[u, c] < factor:
            out.append(False)
            continue
        others = np.delete(log[u], c)
        rivals = [r for r in range(len(slots)) if r != u and slots[r] & slots[u]]
        out.append(bool(np.all(others <= log[u, c] - factor) and np.all(log[rivals, c] <= log[u, c] - factor)))
    return out


def _conflicts(slots: Sequence[frozenset[Slot]], best: list[int | None]) -> list[Conflict]:
    holders: dict[tuple[int, Slot], list[int]] = {}
    for u, c in enumerate(best):
        if c is not None:
            for s in slots[u]:
                holders.setdefault((c, s), []).append(u)
    return [Conflict(c, s, tuple(units)) for (c, s), units in sorted(holders.items()) if len(units) > 1]
