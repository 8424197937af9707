"""Families described by relationship paths give pedprobr's LRs through the product's API.

For every family of data/pedprobr_families.json that a set of relationship paths
describes (``father's brother``, ``mother's sister's daughter``, ``brother's son's son``
...), the relatives are given to `kinship_lr` and `match_batch` by their paths alone:
`build_pedigree` must make the same family as the tree pedprobr computed on, so the
LRs equal pedprobr's to 1e-6, without mutation and with the ``equal`` model.

Paths that are not among the 18 fixed terms wait for relationship paths
(`chosei.kinship.paths`): until that module exists, those families are expected to
fail (strict xfail) with `KinshipInputError`; once it exists they run for real.
"""

from __future__ import annotations

import importlib.util

import pytest

from chosei.kinship import Family, KinshipInputError, Relative, kinship_lr, match_batch
from tests.kinship.pedprobr_families import (
    FAMILIES,
    MARKERS,
    MODELS,
    TABLE,
    TOLERANCE,
    expected,
    relative_profiles,
    specimen_profile,
)

PATH_FAMILIES = tuple(name for name, family in FAMILIES.items() if family["paths"])

WAITING_FOR_PATHS = frozenset(
    {
        "paternal_uncle",
        "maternal_aunt",
        "cousin_paternal",
        "cousin_maternal",
        "great_nephew",
        "great_grandson",
        "cousin_once_removed",
        "three_lines",
        "half_nephew",
        "cousin_fathers_sister",
        "cousin_mothers_brother",
    }
)
"""Families whose paths the 18 fixed terms do not say."""

HAVE_PATHS = importlib.util.find_spec("chosei.kinship.paths") is not None


def _cases():
    for name in PATH_FAMILIES:
        marks = (
            [pytest.mark.xfail(raises=KinshipInputError, reason="waits for relationship paths in build_pedigree")]
            if name in WAITING_FOR_PATHS and not HAVE_PATHS
            else []
        )
        for specimen in FAMILIES[name]["specimens"]:
            for model in MODELS:
                yield pytest.param(name, specimen, model, id=f"{name}-{specimen}-{model}", marks=marks)


def relatives(name: str) -> list[Relative]:
    paths = FAMILIES[name]["paths"]
    return [Relative.of(rid, paths[rid], profile) for rid, profile in relative_profiles(name).items()]


@pytest.mark.parametrize(("name", "specimen", "model"), list(_cases()))
def test_kinship_lr_by_paths_equals_pedprobr(name, specimen, model):
    total, per_marker = expected(name, specimen, model)
    result = kinship_lr(specimen_profile(name, specimen), relatives(name), TABLE, mutation=MODELS[model])
    assert result.per_marker == pytest.approx(per_marker, rel=TOLERANCE, abs=0)
    assert result.total_lr == pytest.approx(total, rel=TOLERANCE, abs=0)


@pytest.mark.parametrize(("name", "specimen", "model"), list(_cases()))
def test_match_batch_by_paths_equals_pedprobr(name, specimen, model):
    total, _ = expected(name, specimen, model)
    result = match_batch(
        {specimen: specimen_profile(name, specimen)},
        [Family("V", tuple(relatives(name)))],
        TABLE,
        mutation=MODELS[model],
    )
    assert result.markers == MARKERS
    assert float(result.lr[0, 0]) == pytest.approx(total, rel=TOLERANCE, abs=0)
    assert bool(result.excluded[0, 0].any()) == (total == 0)


def test_the_path_families():
    """Which families paths describe, and the paths given for them."""
    assert {name: FAMILIES[name]["paths"] for name in PATH_FAMILIES} == {
        "paternal_uncle": {"U": "father's brother"},
        "maternal_aunt": {"A": "mother's sister"},
        "cousin_paternal": {"C": "father's brother's son"},
        "cousin_maternal": {"C": "mother's sister's daughter"},
        "great_nephew": {"G": "brother's son's son"},
        "great_grandson": {"G": "son's son's son"},
        "cousin_once_removed": {"CS": "father's brother's son's son"},
        "nephews_one_brother": {"N1": "brother's son", "N2": "brother's son"},
        "grandchildren_one_son": {"G1": "son's son", "G2": "son's daughter"},
        "three_lines": {"U": "father's brother", "C": "mother's sister's daughter", "G": "brother's son's son"},
        "half_nephew": {"N": "half-brother (paternal)'s son"},
        "cousin_fathers_sister": {"C": "father's sister's son"},
        "cousin_mothers_brother": {"C": "mother's brother's daughter"},
    }
    assert set(PATH_FAMILIES) > WAITING_FOR_PATHS
