"""`kinship.assignment.assign`: the joint assignment, by hand."""

from __future__ import annotations

import numpy as np
import pytest

from chosei.kinship.assignment import Conflict, assign
from chosei.kinship.errors import KinshipInputError

LEFT_FEMUR = frozenset({("femur", "left")})
CRANIUM = frozenset({("cranium", "")})


def test_the_joint_optimum_is_not_each_units_best():
    """Two left femurs. Each alone picks V1; A → V1, B unassigned gives 10^6;
    A → V2, B → V1 gives 10^5 × 10^5 = 10^10: the joint choice."""
    found = assign([[1e6, 1e5], [1e5, 1.0]], [LEFT_FEMUR, LEFT_FEMUR], threshold=100)
    assert found.best == [0, 0]
    assert found.assigned == [1, 0]
    assert found.log10_lr == pytest.approx(10)
    assert found.conflicts == [Conflict(0, ("femur", "left"), (0, 1))]
    assert found.undisputed == [False, False]  # A's other victim V2 is 10^5 > 10^6 / 100


def test_bones_that_are_not_exclusive_all_go_to_their_best_victim():
    found = assign([[1e6, 1.0], [1e5, 1.0], [0.5, 0.0]], [frozenset(), frozenset(), frozenset()], threshold=100)
    assert found.assigned == [0, 0, None]  # LR below 1: better left unassigned
    assert found.conflicts == []
    assert found.undisputed == [True, True, False]  # teeth do not dispute each other


def test_a_unit_with_several_bones_takes_them_all():
    """A DNA group (cranium + left femur) takes V1; the other left femur cannot, the other
    cranium neither; both go to V2 or nowhere."""
    group = CRANIUM | LEFT_FEMUR
    found = assign([[1e8, 1.0], [1e4, 1e2], [1e3, 0.0]], [group, LEFT_FEMUR, CRANIUM], threshold=100)
    assert found.assigned == [0, 1, None]
    assert found.log10_lr == pytest.approx(10)


def test_undisputed_checks_rivals_for_the_same_bone():
    """A cranium at 10^6 for V1; another cranium at 10^5 for V1 disputes it (10^5 > 10^6 / 100),
    a tooth at 10^5 for V1 does not."""
    tooth = assign([[1e6, 1.0], [1e5, 1.0]], [CRANIUM, frozenset()], threshold=100)
    assert tooth.undisputed == [True, True]
    cranium = assign([[1e6, 1.0], [1e5, 1.0]], [CRANIUM, CRANIUM], threshold=100)
    assert cranium.undisputed == [False, False]


def test_an_exclusion_is_never_assigned():
    found = assign(np.array([[0.0, 0.0]]), [LEFT_FEMUR], threshold=100)
    assert (found.best, found.assigned, found.log10_lr) == ([None], [None], 0.0)


@pytest.mark.parametrize(
    ("lrs", "slots", "threshold", "message"),
    [([[1.0]], [], 100, "lrs must be a table of units × victims, with one set of slots per unit"),
     ([[float("inf")]], [frozenset()], 100, "every LR must be a finite number >= 0"),
     ([[1.0]], [frozenset()], 0.5, "threshold must be an LR of at least 1, not 0.5")],
    ids=["slots-missing", "infinite", "threshold"],
)
def test_refuses(lrs, slots, threshold, message):
    with pytest.raises(KinshipInputError) as info:
        assign(lrs, slots, threshold)
    assert str(info.value) == message
