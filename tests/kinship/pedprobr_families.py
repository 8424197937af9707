"""The pedprobr reference families (data/pedprobr_families.json), read for the tests.

The JSON is written by data/pedprobr_families.R with pedtools, pedprobr and pedmut (see
that script's header for how to regenerate it); CI never runs R, it only reads the
numbers. Each family is a tree (people with father, mother and sex; V the victim), the
typed relatives' genotypes at four markers, and for each specimen the per-marker and
total LRs of "the specimen is V" against "unrelated", without mutation ("none") and
with pedmut's "equal", "proportional" and "stepwise" models at the file's rates, theta 0.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chosei.kinship import ComplexityError, FrequencyTable, MutationModel
from chosei.kinship.pedigree import Pedigree, Person

DATA = json.loads((Path(__file__).parent / "data" / "pedprobr_families.json").read_text(encoding="utf-8"))
FAMILIES = {family["name"]: family for family in DATA["families"]}
TABLE = FrequencyTable("pedprobr reference", DATA["frequencies"])
MARKERS = tuple(DATA["frequencies"])
MODELS = {"none": MutationModel()} | {kind: MutationModel(kind, **args) for kind, args in DATA["mutation"].items()}
"""The mutation models of the file: "none", "equal" (what the issue asks), and
"proportional" and "stepwise" (pedmut's definitions too)."""
TOLERANCE = 1e-6
"""Relative tolerance of every comparison with pedprobr (never loosened)."""

CASES = [
    (name, specimen, model) for name, family in FAMILIES.items() for specimen in family["specimens"] for model in MODELS
]
"""(family, specimen, mutation model) for every reference LR in the file."""


REFUSED_TODAY: dict[str, str] = {}
"""Families the engine raises `ComplexityError` for although pedprobr computes them (strict
xfail: fixing the engine turns them into failures to remove). None today."""


def case_id(case: tuple[str, str, str]) -> str:
    return "-".join(case)


def case_params(cases=CASES) -> list:
    """`cases` as pytest params, a family the engine refuses today marked strict xfail."""
    return [
        pytest.param(
            case,
            id=case_id(case),
            marks=[pytest.mark.xfail(raises=ComplexityError, reason=REFUSED_TODAY[case[0]])]
            if case[0] in REFUSED_TODAY
            else [],
        )
        for case in cases
    ]


def tree(name: str) -> Pedigree:
    """The family as the pedigree pedprobr computed on: the same people and parents."""
    family = FAMILIES[name]
    typed = set(family["typed"])
    persons = tuple(
        Person(
            p["id"],
            p["sex"],
            p["father"],
            p["mother"],
            "victim" if p["id"] == family["victim"] else "relative" if p["id"] in typed else "untyped",
            p["id"] in typed or p["id"] == family["victim"],
        )
        for p in family["people"]
    )
    return Pedigree(persons, family["victim"])


def expected(name: str, specimen: str, model: str) -> tuple[float, dict[str, float]]:
    """pedprobr's total LR and its LR per marker."""
    lr = FAMILIES[name]["specimens"][specimen]["lr"][model]
    return lr["total"], {marker: row["lr"] for marker, row in lr["markers"].items()}


def specimen_profile(name: str, specimen: str) -> dict[str, str]:
    return dict(FAMILIES[name]["specimens"][specimen]["genotypes"])


def relative_profiles(name: str) -> dict[str, dict[str, str]]:
    """{relative id: {marker: genotype}} of the family's typed relatives."""
    family = FAMILIES[name]
    return {rid: {m: family["relatives"][m][rid] for m in MARKERS} for rid in family["typed"]}
