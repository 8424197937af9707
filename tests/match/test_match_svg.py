"""`chosei match show SPECIMEN VICTIM --svg FILE`: the victim's family as a pedigree picture."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from defusedxml import ElementTree

from tests.match import scene

RUN = "match run --mutation none --threshold 100"
NS = "{http://www.w3.org/2000/svg}"


def _people(path: Path) -> dict[str, tuple[str, str]]:
    """person id → (shape, class)."""
    root = ElementTree.fromstring(path.read_text(encoding="utf-8"))
    return {el.get("data-person"): (el.tag.removeprefix(NS), el.get("class")) for el in root.iter()
            if el.get("data-person") and el.tag != f"{NS}g"}


def _texts(path: Path) -> list[str]:
    root = ElementTree.fromstring(path.read_text(encoding="utf-8"))
    return [t.text for t in root.iter(f"{NS}text")]


def test_show_writes_the_family_picture(case: str, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    scene.build(case)
    cli(RUN)
    out = tmp_path / "v-002.svg"
    result = cli("match", "show", "SP-002", "V-002", "--svg", str(out))
    assert result.stdout.endswith(f"\nWrote the family picture of victim V-002 to {out}\n")
    people = _people(out)
    # V-002 with a son and a brother: his parents and the son's mother join them.
    assert people == {
        "V-002:father": ("rect", "person male untyped"), "V-002:mother": ("circle", "person female untyped"),
        "V-002": ("rect", "person male untyped victim"), "R-003": ("rect", "person male typed"),
        "V-002:partner": ("circle", "person female untyped"), "R-002": ("rect", "person male typed"),
    }
    texts = _texts(out)
    assert texts[0] == "Family of V-002 이나래"
    assert {"R-002", "son", "R-003", "brother", "이나래", "d. 1942"} <= set(texts)


def test_the_picture_speaks_the_language(case: str, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    scene.build(case)
    out = tmp_path / "ko.svg"
    cli("match", "show", "SP-002", "V-002", "--svg", str(out), "--lang", "ko")
    texts = _texts(out)
    assert texts[0] == "V-002 이나래의 가족"
    assert {"아들", "형제", "1942년 사망", "DNA형 확보"} <= set(texts)


def test_svg_needs_a_victim(case: str, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    scene.build(case)
    out = tmp_path / "f.svg"
    result = cli("match", "show", "SP-002", "--svg", str(out), expect=1)
    assert result.stderr == ("Error: --svg draws a victim's family: give the VICTIM too, e.g. "
                             "`chosei match show SP-001 CH-105 --svg family.svg`\n")
    assert not out.exists()


def test_no_usable_relative_no_picture(case: str, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    scene.build(case, consent=False)
    out = tmp_path / "f.svg"
    out.write_text("kept", encoding="utf-8")
    result = cli("match", "show", "SP-002", "V-002", "--svg", str(out), expect=1)
    assert result.stderr == ("Error: victim V-002 has no typed relative whose DNA may be used: there is no "
                             "family to draw; leave out --svg\n")
    assert out.read_text(encoding="utf-8") == "kept"
    assert result.stdout == ""


def test_svg_never_writes_over_the_store(case: str, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    if not case.startswith("sqlite"):
        pytest.skip("the store is a file only on SQLite")
    scene.build(case)
    store = Path(case.removeprefix("sqlite:///"))
    before = hashlib.sha256(store.read_bytes()).hexdigest()
    result = cli("match", "show", "SP-002", "V-002", "--svg", str(store), expect=1)
    assert result.stderr == (f"Error: {store} is the store or this command's input: writing there would "
                             "destroy it; name another file\n")
    assert hashlib.sha256(store.read_bytes()).hexdigest() == before
    assert [p.name for p in store.parent.iterdir() if p.name.startswith(".")] == []


def test_json_stays_json_with_svg(case: str, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import json

    scene.build(case)
    out = tmp_path / "f.svg"
    data = json.loads(cli("match", "show", "SP-001", "V-001", "--svg", str(out), "--json").stdout)
    assert data["victim_id"] == "V-001"
    assert set(_people(out)) == {"V-001", "V-001:partner", "R-001"}
