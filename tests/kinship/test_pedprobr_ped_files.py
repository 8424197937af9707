"""The reference families as pedtools writes them (data/ped/NAME.ped, by `writePed`).

The files are what a forrel/QuickPed user sends: a header ``id fid mid sex D1 D2 D3
D4``, one tab-separated line per person, genotypes ``a/b`` for the typed relatives and
``-/-`` for everyone else (the victim too). First: each file holds exactly its family
of data/pedprobr_families.json, so a file read correctly is the tree pedprobr computed
on. Then, with family trees in the product (`chosei.pedfile` and
`chosei.kinship.trees`), a file read by `read_ped` and built by `tree_pedigree` gives
pedprobr's LRs to 1e-6; until those modules exist these tests are expected to fail
(strict xfail on `ModuleNotFoundError`) and run for real as soon as they do.
"""

from __future__ import annotations

import importlib
import importlib.util
import math
from pathlib import Path

import pytest

from chosei.kinship.autosomal import marker_lr
from chosei.kinship.genotypes import parse_genotype
from tests.kinship.pedprobr_families import (
    CASES,
    FAMILIES,
    MARKERS,
    MODELS,
    TABLE,
    TOLERANCE,
    case_id,
    case_params,
    expected,
    relative_profiles,
    specimen_profile,
)

PED_DIR = Path(__file__).parent / "data" / "ped"
SEX = {"1": "M", "2": "F"}


def ped_text(name: str) -> str:
    return (PED_DIR / f"{name}.ped").read_text(encoding="utf-8")


def ped_rows(name: str) -> list[dict[str, str]]:
    lines = [line.split("\t") for line in ped_text(name).splitlines()]
    return [dict(zip(lines[0], fields, strict=True)) for fields in lines[1:]]


def test_one_file_per_family():
    assert sorted(p.stem for p in PED_DIR.glob("*.ped")) == sorted(FAMILIES)


@pytest.mark.parametrize("name", FAMILIES)
def test_file_holds_the_family(name):
    rows = ped_rows(name)
    assert list(rows[0]) == ["id", "fid", "mid", "sex", *MARKERS]
    people = [
        {
            "id": r["id"],
            "father": None if r["fid"] == "0" else r["fid"],
            "mother": None if r["mid"] == "0" else r["mid"],
            "sex": SEX[r["sex"]],
        }
        for r in rows
    ]
    assert sorted(people, key=lambda p: p["id"]) == sorted(FAMILIES[name]["people"], key=lambda p: p["id"])
    typed = {r["id"]: {m: r[m] for m in MARKERS} for r in rows if r[MARKERS[0]] != "-/-"}
    assert typed == relative_profiles(name)


def test_a_line_as_pedtools_writes_it():
    assert ped_text("loop_parents_cousins").splitlines()[8:11] == [
        "M\tBh\tB\t2\t11/12\t15/17\t6/6\t21/21",
        "V\tF\tM\t1\t-/-\t-/-\t-/-\t-/-",
        "Br\tF\tM\t1\t9/12\t15/16\t6/8\t20/21",
    ]


HAVE_TREES = importlib.util.find_spec("chosei.pedfile") is not None

TREE_CASES = (
    case_params()
    if HAVE_TREES
    else [
        pytest.param(
            case,
            id=case_id(case),
            marks=pytest.mark.xfail(
                raises=ModuleNotFoundError, reason="waits for family trees (chosei.pedfile, chosei.kinship.trees)"
            ),
        )
        for case in CASES
    ]
)


def tree_from_ped(name: str):
    """The `Pedigree` the product builds from the family's pedtools file."""
    pedfile = importlib.import_module("chosei.pedfile")
    trees = importlib.import_module("chosei.kinship.trees")
    rows, _ = pedfile.read_ped(ped_text(name), f"{name}.ped")
    people = [trees.TreePerson(r.label, r.father, r.mother, r.sex) for r in rows]
    return trees.tree_pedigree(people, FAMILIES[name]["victim"], FAMILIES[name]["typed"])


@pytest.mark.parametrize("case", TREE_CASES)
def test_lr_from_the_ped_file_equals_pedprobr(case):
    name, specimen, model = case
    pedigree = tree_from_ped(name)
    total, per_marker = expected(name, specimen, model)
    profile = specimen_profile(name, specimen)
    relatives = relative_profiles(name)
    got = {
        m: marker_lr(
            pedigree,
            parse_genotype(profile[m]),
            {rid: parse_genotype(p[m]) for rid, p in relatives.items()},
            TABLE,
            m,
            0.0,
            MODELS[model],
        ).lr
        for m in MARKERS
    }
    assert got == pytest.approx(per_marker, rel=TOLERANCE, abs=0)
    assert math.prod(got.values()) == pytest.approx(total, rel=TOLERANCE, abs=0)
