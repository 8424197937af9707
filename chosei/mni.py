"""Minimum number of individuals (MNI) from recovered skeletal elements.

For each element that a skeleton has once (cranium, mandible, sacrum) or once per side
(femur, humerus, …), MNI is its largest count; for paired elements the count is the
larger side, and not less than half of all of them when some sides are unknown.
Elements a skeleton has many of (teeth, vertebrae, ribs, hand and foot bones,
fragments) do not count one per person and are left out. Where DNA re-association
exists, each DNA group is a distinct individual, so the MNI is at least their number.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

MANY_PER_SKELETON = frozenset({"tooth", "vertebra", "rib", "hand", "foot", "fragment"})
UNPAIRED = frozenset({"cranium", "mandible", "sacrum"})


def once_per_skeleton(element: str | None, side: str | None) -> tuple[str, str] | None:
    """The bone a skeleton has only once, as a key two specimens share when they cannot be
    one man: (element, "") for an unpaired element, (element, side) for a paired one
    with its side known; None for elements a skeleton has many of, or a side unknown."""
    if not element or element in MANY_PER_SKELETON:
        return None
    if element in UNPAIRED:
        return (element, "")
    if side in ("left", "right"):
        return (element, side)
    return None


def element_mni(counts: Mapping[tuple[str, str | None], int]) -> dict[str, int]:
    """Per countable element, its MNI, from counts by (element, side)."""
    by_element: dict[str, dict[str, int]] = {}
    for (element, side), n in counts.items():
        if not element or element in MANY_PER_SKELETON:
            continue
        sides = by_element.setdefault(element, {})
        key = side if side in ("left", "right") else "other"
        sides[key] = sides.get(key, 0) + n
    result = {}
    for element, sides in by_element.items():
        left, right, other = sides.get("left", 0), sides.get("right", 0), sides.get("other", 0)
        if element in UNPAIRED:
            result[element] = left + right + other
        else:
            result[element] = max(left, right, math.ceil((left + right + other) / 2))
    return result


def mni(counts: Mapping[tuple[str, str | None], int], dna_groups: int = 0) -> int:
    per_element = element_mni(counts)
    return max([dna_groups, *per_element.values()], default=0)
