import pytest

from chosei.mni import element_mni, mni


def test_mni_by_hand() -> None:
    # 3 left femurs, 2 right femurs, 4 crania, 1 left humerus -> 4 (the crania)
    counts = {("femur", "left"): 3, ("femur", "right"): 2, ("cranium", None): 4, ("humerus", "left"): 1}
    assert element_mni(counts) == {"femur": 3, "cranium": 4, "humerus": 1}
    assert mni(counts) == 4


def test_elements_many_per_skeleton_do_not_count() -> None:
    assert mni({("tooth", None): 30, ("vertebra", None): 12, ("femur", "left"): 1}) == 1


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ({("femur", "left"): 1, ("femur", "unknown"): 4}, 3),
        ({("femur", "left"): 2, ("femur", "right"): 2}, 2),
        ({}, 0),
    ],
    ids=["unknown-sides-half", "pairs", "empty"],
)
def test_paired_elements(counts: dict, expected: int) -> None:
    assert mni(counts) == expected


def test_dna_groups_raise_the_floor() -> None:
    assert mni({("femur", "left"): 2}, dna_groups=5) == 5
