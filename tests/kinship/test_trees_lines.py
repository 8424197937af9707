"""The Y and mtDNA lines read from a family tree: who is on them, and how many meioses.

V's brother B1 has a son R-Y (V's Y line: V ← F → B1 → R-Y, 3 meioses); his sister S1
has a daughter R-MT (V's mt line: V ← M → S1 → R-MT, 3 meioses); B1's wife's son is
on neither of V's lines through her. The vocabulary would say `brother's son` and
`sister's daughter`; the tree gives the same lines.
"""

from __future__ import annotations

import pytest

from chosei.kinship import HaplotypeDatabase, LineageRelative, MtHaplotype, YHaplotype, mt_lr, y_lr
from chosei.kinship.lineage import mt_line_meioses, y_line_meioses
from chosei.kinship.trees import TreePerson, relationship_conflict, tree_pedigree

TREE = [
    TreePerson("F", sex="M"), TreePerson("M", sex="F"),
    TreePerson("V", "F", "M", "M"), TreePerson("B1", "F", "M", "M"), TreePerson("S1", "F", "M", "F"),
    TreePerson("W1", sex="F"), TreePerson("H1", sex="M"),
    TreePerson("R-Y", "B1", "W1", "M"), TreePerson("R-MT", "H1", "S1", "F"),
]
Y = YHaplotype.parse({"DYS19": 14, "DYS390": 23})
MT = MtHaplotype.parse("16223T 16362C")


def test_lines_and_meioses_come_from_the_tree() -> None:
    ped = tree_pedigree(TREE, "V", ["R-Y", "R-MT"])
    assert (y_line_meioses(ped, "R-Y"), mt_line_meioses(ped, "R-Y")) == (3, None)
    assert (y_line_meioses(ped, "R-MT"), mt_line_meioses(ped, "R-MT")) == (None, 3)
    assert relationship_conflict(ped, "R-Y", "brother's son") is None
    assert relationship_conflict(ped, "R-MT", "sister's daughter") is None
    assert relationship_conflict(ped, "R-MT", "brother's daughter") == (
        "in the tree R-MT has kinship 0.125, k2 0, on V's mt line; 'brother's daughter' means kinship 0.125, "
        "k2 0, on neither of V's lines")


def test_the_line_lrs_use_the_tree_whatever_the_terms() -> None:
    """Entered as `other`, the relatives are still on V's lines: the tree places them."""
    ped = tree_pedigree(TREE, "V", ["R-Y", "R-MT"])
    ydb = HaplotypeDatabase("KR", ((YHaplotype.parse({"DYS19": 15, "DYS390": 23}), 100),))
    mtdb = HaplotypeDatabase("KR", ((MtHaplotype.parse("16189C"), 999), (MT, 1)))
    y = y_lr(Y, [LineageRelative("R-Y", "other", Y)], ydb, pedigree=ped, frequency="count")
    assert (y.status, [c.meioses for c in y.comparisons]) == ("match", [3])
    assert y.lr == pytest.approx(1 / 0.036216693, rel=1e-6)  # 0 of 100, 95 % Clopper-Pearson
    mt = mt_lr(MT, [LineageRelative("R-MT", "other", MT)], mtdb, pedigree=ped)
    assert (mt.status, [c.meioses for c in mt.comparisons]) == ("match", [3])
    assert mt.lr == pytest.approx(1 / 0.0055589243, rel=1e-6)  # 1 of 1000
    assert y_lr(Y, [LineageRelative("R-MT", "other", Y)], ydb, pedigree=ped).status == "not applicable"
