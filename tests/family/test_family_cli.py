"""`chosei family`: trees set, shown, imported and exported, and every refusal (exact
messages, nothing written), on both backends. All people are fictional."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chosei.models import FamilyPerson
from tests.cli.storeview import fetch, snapshot
from tests.family import scene


def _import(cli, tmp_path: Path, text: str, victim: str = "V-010", expect: int = 0):  # type: ignore[no-untyped-def]
    path = tmp_path / "family.ped"
    path.write_text(text, encoding="utf-8")
    return cli("family", "import", victim, str(path), expect=expect)


def test_import_show_and_audit(case: str, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    scene.build(case)
    out = _import(cli, tmp_path, scene.PED)
    assert out.stdout.endswith("10 added, 0 changed, 0 removed\n")
    shown = cli("family show V-010").stdout.splitlines()
    assert shown[:5] == [
        "Family tree of V-010",
        "label  father  mother  sex  relative_id  notes",
        "F                      M",
        "M                      F",
        "V-010  F       M       M",
    ]
    assert shown[5] == "R-101  F       M       F    R-101"
    assert shown[-1] == "10 person(s)"
    rows = fetch(case, FamilyPerson, order=[FamilyPerson.label])
    assert [(r["label"], r["relative_id"]) for r in rows if r["relative_id"]] == [
        ("R-101", "R-101"), ("R-102", "R-102"), ("R-103", "R-103")]
    history = json.loads(cli("audit log V-010 --json").stdout)
    assert sum(e["entity"] == "family_person" and e["action"] == "create" for e in history) == 10
    # the other victim and any relative see the same tree through `show`
    assert json.loads(cli("family show V-010 --json").stdout)["victim_id"] == "V-010"


def test_export_round_trips_and_reads_in_pedtools_layout(case: str, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    scene.build(case)
    _import(cli, tmp_path, scene.PED)
    target = tmp_path / "out.ped"
    assert cli("family", "export", "V-010", str(target)).stdout.endswith(": 10 person(s)\n")
    assert target.read_text(encoding="utf-8") == scene.PED
    before = snapshot(case)
    assert cli("family", "import", "V-010", str(target)).stdout.endswith("0 added, 0 changed, 0 removed\n")
    assert snapshot(case) == before


def test_a_file_written_by_pedtools_writeped_imports(case: str, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """writePed(famid = TRUE) with a marker: a famid column first and genotypes after."""
    scene.build(case)
    lines = scene.PED.splitlines()
    text = "famid\t" + lines[0] + "\tTH01\n" + "".join(f"1\t{line}\t-/-\n" for line in lines[1:])
    out = _import(cli, tmp_path, text)
    assert out.stderr == "Note: 1 marker column ignored: genotypes come in through the Profiles sheet\n"
    assert out.stdout.endswith("10 added, 0 changed, 0 removed\n")


def test_a_linkage_file_without_header_imports(case: str, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    scene.build(case)
    text = "".join(f"7 {line.replace(chr(9), ' ')}\n" for line in scene.PED.splitlines()[1:])
    assert _import(cli, tmp_path, text).stdout.endswith("10 added, 0 changed, 0 removed\n")


def _without(person: str) -> str:
    return "".join(line + "\n" for line in scene.PED.splitlines() if not line.startswith(person + "\t"))


def _replace(old: str, new: str) -> str:
    assert old in scene.PED
    return scene.PED.replace(old, new)


WHERE = "the family tree of V-010"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param(_replace("M\t0\t0\t2", "M\t0\t0\t1"),
                     f"{WHERE}: M, the mother of V-010, is male; a mother must be female", id="parent-sex"),
        pytest.param(_replace("F\t0\t0\t1", "F\tR-102\tW1\t1"),
                     f"{WHERE}: person F is his own ancestor: F ← R-102 ← B1 ← F", id="own-ancestor"),
        pytest.param(_replace("W1\t0\t0\t2", "W0\t0\t0\t2"),
                     f"{WHERE}: the mother of R-102, W1, is not a person of the family; add W1 or correct "
                     "the label", id="dangling"),
        pytest.param(_replace("F\t0\t0\t1", "F\tB1\t0\t1"),
                     f"{WHERE}: person F has a father but no mother; give both parents or neither (an untyped "
                     "founder may stand for the unknown mother)", id="one-parent"),
        pytest.param(_without("R-103"),
                     f"relative R-103 of victim V-010 has DNA but is not in {WHERE}; each relative with DNA "
                     "must appear once (give his Relative ID to a person)", id="unplaced"),
        pytest.param(_replace("V-010\tF\tM\t1", "V-X\tF\tM\t1"),
                     f"{WHERE} has no person V-010, the victim himself; add him", id="no-victim"),
        pytest.param(_replace("R-101\tF\tM\t2", "R-101\tV-010\tW1\t2"),
                     "relative R-101 is 'sister' of victim V-010, which contradicts the family tree of V-010: "
                     "in the tree R-101 has kinship 0.25, k2 0, on neither of V's lines; 'sister' means "
                     "kinship 0.25, k2 0.25, on V's mt line; correct the relationship (or write other) or "
                     "the tree", id="contradiction"),
        pytest.param(_replace("R-102\tB1\tW1\t1", "R-102\tW1\tB1\t1"),
                     f"{WHERE}: W1, the father of R-102, is female; a father must be male", id="swapped"),
        pytest.param(scene.PED + "B1\t0\t0\t1\n",
                     f"{WHERE}: person B1 is listed twice; a label names one person of the family", id="twice"),
    ],
)
def test_a_broken_tree_is_refused_and_nothing_changes(case: str, cli, tmp_path: Path, text: str,  # type: ignore[no-untyped-def]
                                                     message: str) -> None:
    scene.build(case)
    _import(cli, tmp_path, scene.PED)
    before = snapshot(case)
    out = _import(cli, tmp_path, text, expect=1)
    assert out.stderr == f"Error: {message}\n"
    assert snapshot(case) == before


def test_set_adds_and_changes_one_person(case: str, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    scene.build(case)
    _import(cli, tmp_path, scene.PED)
    assert cli("family set V-010 R-104 --father B1 --mother W1 --sex F").stdout == \
        "Family tree of V-010: 1 added, 0 changed, 0 removed\n"
    row = fetch(case, FamilyPerson, FamilyPerson.label == "R-104")[0]
    assert (row["father"], row["mother"], row["sex"], row["relative_id"]) == ("B1", "W1", "F", "R-104")
    before = snapshot(case)
    out = cli("family set V-010 X --relative R-101 --sex F", expect=1)
    assert out.stderr == f"Error: relative R-101 is placed twice in {WHERE}: as R-101 and as X\n"
    assert snapshot(case) == before
    assert cli("family set V-010 R-104 --notes cousin").stdout.endswith("0 added, 1 changed, 0 removed\n")
    assert fetch(case, FamilyPerson, FamilyPerson.label == "R-104")[0]["notes"] == "cousin"
    assert cli("family set V-010 R-104 --clear notes").stdout.endswith("0 added, 1 changed, 0 removed\n")
    assert fetch(case, FamilyPerson, FamilyPerson.label == "R-104")[0]["notes"] is None
    out = cli("family remove V-010 B1", expect=1)
    assert out.stderr == f"Error: {WHERE}: the father of R-102, B1, is not a person of the family; add B1 or " \
        "correct the label\n"
    assert cli("family remove V-010 R-104").stdout.endswith("0 added, 0 changed, 1 removed\n")
    assert cli("family remove V-010 --all").stdout == "Removed the family tree of V-010: 10 person(s)\n"
    assert cli("family show V-010", expect=3).stderr == (
        "Error: victim V-010 has no family tree; `chosei family set` or `chosei family import` gives him one\n")


def test_a_tree_is_started_with_the_victim(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    cli("victim add V-001 --nationality KR --hangul 김가온 --sex M")
    assert cli("family set V-001 0 --sex M", expect=1).stderr == (
        "Error: 0 cannot label a person of the family tree of V-001: a .ped file reads 0 as a missing parent\n")
    assert cli("family set V-001 F --sex M").stdout == "Family tree of V-001: 2 added, 0 changed, 0 removed\n"
    cli("family set V-001 M --sex F")
    assert cli("family set V-001 V-001 --father F --mother M").stdout.endswith("0 added, 1 changed, 0 removed\n")
    assert cli("family show V-001 --json").stdout.count('"label"') == 3


def test_a_victim_belongs_to_one_family(case: str, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    scene.build(case)
    _import(cli, tmp_path, scene.PED + "V-011\tF\tM\t1\n")
    out = _import(cli, tmp_path, "id fid mid sex\nV-011 0 0 1\n", victim="V-011", expect=1)
    assert out.stderr == "Error: victim V-011 is in the family tree of V-010 already; a victim belongs to one family\n"
    assert json.loads(cli("family show V-011 --json").stdout)["victim_id"] == "V-010"


def test_a_family_beyond_the_size_limit_is_refused(case: str, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """67 people: V-010, 60 paternal ancestors and their wives, his sister, two brothers, their sons
    and one wife: more than 60."""
    scene.build(case)
    lines = ["id fid mid sex", "A30 0 0 1", "W30 0 0 2"]
    for k in range(29, 0, -1):
        lines += [f"A{k} A{k + 1} W{k + 1} 1", f"W{k} 0 0 2"]
    lines.append("V-010 A1 W1 1")
    text = "\n".join(lines) + "\n"
    out = _import(cli, tmp_path, text.replace("V-010 A1 W1 1", "V-010 A1 W1 1\nR-101 0 0 2\nR-102 0 0 1\n"
                                              "R-103 0 0 1"), expect=1)
    assert out.stderr.startswith("Error: relative R-101 is 'sister' of victim V-010, which contradicts")
    bare = "\n".join(["id fid mid sex", "X 0 0 2", *lines[1:]]) + "\n"
    with_relatives = bare.replace("V-010 A1 W1 1", "V-010 A1 W1 1\nR-101 A1 W1 2\nB1 A1 W1 1\nB2 A1 W1 1\n"
                                  "R-102 B1 X 1\nR-103 B2 X 1")
    out = _import(cli, tmp_path, with_relatives, expect=1)
    assert out.stderr == (f"Error: {WHERE}: the family of V-010 is too large to compute exactly: 67 people "
                          "(at most 60); leave out relatives or people the typed ones do not need\n")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("id fid mid sex\nA 0 0 3\n", "{f}, line 2: sex '3' of A; write 1 (male), 2 (female) or 0 "
                     "(unknown)", id="sex"),
        pytest.param("1 A 0 0 1\n2 B 0 0 2\n1 C 0 0 1\n", "{f} holds 2 families (1, 2); import one victim's family "
                     "at a time", id="families"),
        pytest.param("A 0 0\n", "{f}, line 1: 3 columns; a .ped line is id fid mid sex (or famid id fid mid sex)",
                     id="columns"),
        pytest.param("# nothing\n\n", "{f} holds no person", id="empty"),
    ],
)
def test_a_malformed_ped_file_is_refused(case: str, cli, tmp_path: Path, text: str, message: str) -> None:  # type: ignore[no-untyped-def]
    scene.build(case)
    before = snapshot(case)
    out = _import(cli, tmp_path, text, expect=1)
    assert out.stderr == "Error: " + message.format(f=tmp_path / "family.ped") + "\n"
    assert snapshot(case) == before
