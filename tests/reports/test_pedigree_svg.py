"""The family picture: standard symbols, lines that join the right people, no overlap,
marriage loops, escaped labels, the same bytes for the same family."""

from __future__ import annotations

import itertools
import re
from typing import Any

import pytest
from defusedxml import ElementTree

from chosei.kinship import build_pedigree
from chosei.kinship.pedigree import Pedigree, Person
from chosei.reports.pedigree_svg import HALF, MAX_LABEL_CHARS, ROW, clean_label, pedigree_svg

NS = "{http://www.w3.org/2000/svg}"
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def _parse(text: str) -> Any:
    return ElementTree.fromstring(text)


def _symbols(root: Any) -> dict[str, tuple[str, float, float, str, str]]:
    """person id → (shape, centre x, centre y, fill, class)."""
    out = {}
    for el in root.iter():
        pid = el.get("data-person")
        if pid is None or el.get("class", "").startswith("victim-arrow"):
            continue
        tag = el.tag.removeprefix(NS)
        if tag == "rect":
            x, y = float(el.get("x")) + HALF, float(el.get("y")) + HALF
        elif tag == "circle":
            x, y = float(el.get("cx")), float(el.get("cy"))
        else:
            pts = [float(v) for v in NUMBER.findall(el.get("points"))]
            x, y = pts[0], (pts[1] + pts[5]) / 2
        out[pid] = (tag, x, y, el.get("fill"), el.get("class"))
    return out


def _paths(root: Any, cls: str) -> list[Any]:
    return [el for el in root.iter(f"{NS}path") if cls in el.get("class", "").split()]


def _nums(d: str) -> list[float]:
    return [float(v) for v in NUMBER.findall(d)]


# V (CH-1) with a mother, a daughter and a brother's son: the builder adds V's father,
# an untyped brother and his partner, and the partner of V.
FAMILY = {"R-3": "mother", "R-1": "brother's son", "R-2": "daughter"}


@pytest.fixture
def family() -> Pedigree:
    return build_pedigree(FAMILY, victim_id="CH-1")


def test_symbols_by_sex_and_filled_when_typed(family: Pedigree) -> None:
    sym = _symbols(_parse(pedigree_svg(family)))
    assert sorted(sym) == sorted(["CH-1:father", "R-3", "CH-1", "CH-1:brother", "CH-1:brother:partner", "R-1",
                                  "CH-1:partner", "R-2"])
    squares = sorted(p for p, s in sym.items() if s[0] == "rect")
    circles = sorted(p for p, s in sym.items() if s[0] == "circle")
    assert squares == ["CH-1", "CH-1:brother", "CH-1:father", "R-1"]
    assert circles == ["CH-1:brother:partner", "CH-1:partner", "R-2", "R-3"]
    # Filled: the three relatives with DNA; the victim's own DNA is the remains', open.
    assert sorted(p for p, s in sym.items() if s[3] != "#ffffff") == ["R-1", "R-2", "R-3"]
    assert sorted(p for p, s in sym.items() if "typed" in s[4].split()) == ["R-1", "R-2", "R-3"]


def test_unknown_sex_is_a_diamond() -> None:
    ped = Pedigree((Person("F", "M", None, None, "", False), Person("M", "F", None, None, "", False),
                    Person("V", "M", "F", "M", "victim", True), Person("X", "U", "F", "M", "", False)), "V")
    sym = _symbols(_parse(pedigree_svg(ped)))
    assert [p for p, s in sym.items() if s[0] == "polygon"] == ["X"]
    assert "sex unknown" in pedigree_svg(ped)


def test_the_victim_is_marked_with_arrow_slash_and_year(family: Pedigree) -> None:
    root = _parse(pedigree_svg(family))
    arrows = [g for g in root.iter(f"{NS}g") if g.get("class") == "victim-arrow"]
    assert [a.get("data-person") for a in arrows] == ["CH-1"]
    assert len(_paths(root, "deceased")) == 1
    texts = [t.text for t in root.iter(f"{NS}text")]
    assert texts.count("d. 1942") == 1
    sym = _symbols(root)
    assert "victim" in sym["CH-1"][4].split()
    # The arrow's head touches the symbol's lower left, from outside it.
    head = _nums(list(arrows[0])[1].get("d"))
    assert head[0] == pytest.approx(sym["CH-1"][1] - HALF - 2)
    assert sym["CH-1"][2] < head[1] < sym["CH-1"][2] + HALF


def test_brothers_who_died_together_are_all_marked() -> None:
    ped = build_pedigree({"R-1": "brother", "R-2": "mother"}, victim_id="CH-1")
    root = _parse(pedigree_svg(ped, victims=["R-1", "not-in-this-family"]))
    arrows = sorted(g.get("data-person") for g in root.iter(f"{NS}g") if g.get("class") == "victim-arrow")
    assert arrows == ["CH-1", "R-1"]
    assert len(_paths(root, "deceased")) == 2
    assert [t.text for t in root.iter(f"{NS}text")].count("d. 1942") == 2
    sym = _symbols(root)
    assert sym["R-1"][3] == "#ffffff"  # a victim is not a reference: open


def test_partner_lines_join_the_partners(family: Pedigree) -> None:
    root = _parse(pedigree_svg(family))
    sym = _symbols(root)
    lines = _paths(root, "partner")
    assert sorted((p.get("data-a"), p.get("data-b")) for p in lines) == [
        ("CH-1", "CH-1:partner"), ("CH-1:brother", "CH-1:brother:partner"), ("CH-1:father", "R-3")]
    for line in lines:
        a, b = sym[line.get("data-a")], sym[line.get("data-b")]
        x1, y1, x2 = _nums(line.get("d"))
        assert (x1, x2) == (pytest.approx(a[1] + HALF), pytest.approx(b[1] - HALF))
        assert y1 == pytest.approx(a[2]) == pytest.approx(b[2])


def test_sibship_lines_drop_to_each_child(family: Pedigree) -> None:
    root = _parse(pedigree_svg(family))
    sym = _symbols(root)
    descents = {(p.get("data-a"), p.get("data-b")): _nums(p.get("d")) for p in _paths(root, "descent")}
    # Down from the middle of the parents' line to the sibship line over V and his brother.
    mx, my, sib, *span = descents[("CH-1:father", "R-3")]
    assert mx == pytest.approx((sym["CH-1:father"][1] + sym["R-3"][1]) / 2)
    assert my == pytest.approx(sym["R-3"][2])
    drops = {p.get("data-child"): _nums(p.get("d")) for p in _paths(root, "drop")}
    for child in ("CH-1", "CH-1:brother"):
        x, top, bottom = drops[child]
        assert (x, top, bottom) == (pytest.approx(sym[child][1]), pytest.approx(sib),
                                    pytest.approx(sym[child][2] - HALF))
    lo, _, hi = span
    assert (lo, hi) == (pytest.approx(min(sym["CH-1"][1], sym["CH-1:brother"][1], mx)),
                        pytest.approx(max(sym["CH-1"][1], sym["CH-1:brother"][1], mx)))
    assert sorted(drops) == ["CH-1", "CH-1:brother", "R-1", "R-2"]


def test_generations_and_marrying_in(family: Pedigree) -> None:
    sym = _symbols(_parse(pedigree_svg(family)))
    y = {p: s[2] for p, s in sym.items()}
    assert y["CH-1:father"] == y["R-3"]
    assert y["CH-1"] == y["CH-1:brother"] == y["CH-1:partner"] == y["CH-1:brother:partner"] == y["R-3"] + ROW
    assert y["R-1"] == y["R-2"] == y["CH-1"] + ROW


def _overlap(a: tuple[Any, ...], b: tuple[Any, ...]) -> bool:
    return abs(a[1] - b[1]) < 2 * HALF and abs(a[2] - b[2]) < 2 * HALF


def test_no_two_symbols_overlap_in_a_large_family() -> None:
    terms = ["son", "son", "daughter", "father", "mother", "brother", "brother", "sister",
             "half-brother (paternal)", "half-sister (maternal)", "son's son", "son's daughter",
             "daughter's son", "brother's son", "brother's daughter", "sister's son", "sister's daughter"]
    ped = build_pedigree([(f"R-{i:02d}", t) for i, t in enumerate(terms)], victim_id="CH-9")
    sym = _symbols(_parse(pedigree_svg(ped)))
    assert len(sym) == len(ped.persons)
    for (pa, a), (pb, b) in itertools.combinations(sym.items(), 2):
        assert not _overlap(a, b), (pa, pb)


def _cousins() -> Pedigree:
    """V's parents C and D are first cousins: children of the brother A and sister B."""
    return Pedigree((
        Person("GF", "M", None, None, "", False), Person("GM", "F", None, None, "", False),
        Person("A", "M", "GF", "GM", "", False), Person("B", "F", "GF", "GM", "", False),
        Person("AW", "F", None, None, "", False), Person("BH", "M", None, None, "", False),
        Person("C", "M", "A", "AW", "", False), Person("D", "F", "BH", "B", "", False),
        Person("V", "M", "C", "D", "victim", True), Person("S", "F", "C", "D", "", True),
    ), "V")


def test_a_first_cousin_marriage_draws_the_double_line() -> None:
    root = _parse(pedigree_svg(_cousins()))
    sym = _symbols(root)
    double = _paths(root, "consanguineous")
    assert [(p.get("data-a"), p.get("data-b")) for p in double] == [("C", "D"), ("C", "D")]
    ys = sorted(_nums(p.get("d"))[1] for p in double)
    assert ys == [pytest.approx(sym["C"][2] - 2.5), pytest.approx(sym["C"][2] + 2.5)]
    assert len(_paths(root, "partner")) == 5  # GF-GM, A-AW, BH-B single; C-D double
    assert "couple related by blood" in pedigree_svg(_cousins())
    for (pa, a), (pb, b) in itertools.combinations(sym.items(), 2):
        assert not _overlap(a, b), (pa, pb)


def test_an_uncle_marrying_his_niece_draws_across_generations() -> None:
    ped = Pedigree((
        Person("F0", "M", None, None, "", False), Person("M0", "F", None, None, "", False),
        Person("U", "M", "F0", "M0", "", False), Person("S", "F", "F0", "M0", "", False),
        Person("SH", "M", None, None, "", False), Person("N", "F", "SH", "S", "", False),
        Person("V", "M", "U", "N", "victim", True),
    ), "V")
    root = _parse(pedigree_svg(ped))
    sym = _symbols(root)
    assert sym["N"][2] == sym["U"][2] + ROW and sym["V"][2] == sym["N"][2] + ROW
    line = [p for p in _paths(root, "consanguineous")]
    assert len(line) == 2 and {(p.get("data-a"), p.get("data-b")) for p in line} == {("U", "N")}


def test_labels_are_escaped_and_capped(family: Pedigree) -> None:
    text = pedigree_svg(family, labels={"R-1": "<script>alert(1)</script>\nR-1 & co\nthree\nfour"},
                        title='"><script>x</script>')
    assert "<script" not in text
    root = _parse(text)
    texts = [t.text for t in root.iter(f"{NS}text")]
    assert "<script>alert(1)</scrip…" in texts
    assert "R-1 & co" in texts and "three" in texts and "four" not in texts
    assert root.find(f"{NS}title").text == '"><script>x</script>'
    assert not re.search(r"href|<image|<foreignObject|<style|url\(", text, re.I)
    assert set(re.findall(r"https?://[^\s\"']+", text)) == {"http://www.w3.org/2000/svg"}


def test_clean_label_drops_control_characters() -> None:
    assert clean_label("a\x00b\x1bc\r\nd" + "x" * 40) == ("abc", "d" + "x" * (MAX_LABEL_CHARS - 2) + "…")
    assert clean_label("") == ()


def test_same_family_same_bytes(family: Pedigree) -> None:
    again = build_pedigree(dict(FAMILY), victim_id="CH-1")
    assert pedigree_svg(family) == pedigree_svg(again)
    assert pedigree_svg(_cousins(), title="t") == pedigree_svg(_cousins(), title="t")


@pytest.mark.parametrize(("lang", "word"), [("en", "DNA profile"), ("ko", "DNA형 확보"), ("ja", "DNA型あり")])
def test_the_legend_speaks_the_language(family: Pedigree, lang: str, word: str) -> None:
    texts = [t.text for t in _parse(pedigree_svg(family, lang=lang)).iter(f"{NS}text")]
    assert word in texts


def test_a_third_partner_is_joined_over_the_heads_between() -> None:
    ped = Pedigree((
        Person("A", "M", None, None, "", False), *(Person(w, "F", None, None, "", False) for w in ("W1", "W2", "W3")),
        Person("K1", "M", "A", "W1", "", True), Person("K2", "F", "A", "W2", "", False),
        Person("K3", "M", "A", "W3", "victim", True),
    ), "K3")
    root = _parse(pedigree_svg(ped))
    sym = _symbols(root)
    top = sorted((p for p in sym if sym[p][2] == sym["A"][2]), key=lambda p: sym[p][1])
    assert top == ["W1", "A", "W2", "W3"]  # the first partner on the left
    line = next(p for p in _paths(root, "partner") if {p.get("data-a"), p.get("data-b")} == {"A", "W3"})
    x1, y1, over, x2, y2 = _nums(line.get("d"))
    assert (x1, x2) == (pytest.approx(sym["A"][1]), pytest.approx(sym["W3"][1]))
    assert y1 == y2 == pytest.approx(sym["A"][2] - HALF)
    assert over == pytest.approx(sym["A"][2] - HALF - 12)


def test_a_long_title_is_one_capped_line() -> None:
    ped = build_pedigree({"R-1": "son"}, victim_id="CH-1")
    title = _parse(pedigree_svg(ped, title="Family\nof " + "x" * 100)).find(f"{NS}text")
    assert title.text == "Family of " + "x" * 69 + "…"


def _random_family(seed: int) -> Pedigree:
    """A generated family: couples chosen at random among the people so far (relatives
    marrying each other make loops) or with a founder who marries in; 1-3 children each."""
    import random

    rng = random.Random(seed)
    persons = [Person("F0", "M", None, None, "", False), Person("M0", "F", None, None, "", False)]
    couples = [("F0", "M0")]
    n = 0
    for _ in range(8):
        dad, mum = couples[-1] if len(couples) == 1 else rng.choice(couples)
        for _ in range(rng.randint(1, 3)):
            n += 1
            persons.append(Person(f"P{n}", rng.choice("MF"), dad, mum, "", rng.random() < 0.4))
        men = [p.id for p in persons if p.sex == "M" and p.father is not None]
        women = [p.id for p in persons if p.sex == "F" and p.father is not None]
        if men and women and rng.random() < 0.3:
            couples.append((rng.choice(men), rng.choice(women)))
        elif men or women:
            kid = rng.choice(men + women)
            n += 1
            spouse = Person(f"S{n}", "F" if kid in men else "M", None, None, "", False)
            persons.append(spouse)
            couples.append((kid, spouse.id) if kid in men else (spouse.id, kid))
    # Parents first, as Pedigree wants: founders, then the children in the order made.
    order = [p for p in persons if p.father is None] + [p for p in persons if p.father is not None]
    victim = next(p.id for p in reversed(order) if p.father is not None)
    return Pedigree(tuple(order), victim)


@pytest.mark.parametrize("seed", range(12))
def test_generated_families_draw_cleanly(seed: int) -> None:
    ped = _random_family(seed)
    root = _parse(pedigree_svg(ped))
    sym = _symbols(root)
    assert len(sym) == len(ped.persons)
    for (pa, a), (pb, b) in itertools.combinations(sym.items(), 2):
        assert not _overlap(a, b), (seed, pa, pb)
    for p in ped.persons:
        if p.father is not None:
            assert sym[p.id][2] == max(sym[p.father][2], sym[p.mother][2]) + ROW, (seed, p.id)
    drops = {p.get("data-child"): _nums(p.get("d")) for p in _paths(root, "drop")}
    assert sorted(drops) == sorted(p.id for p in ped.persons if p.father is not None)
    for child, (x, _, bottom) in drops.items():
        assert (x, bottom) == (pytest.approx(sym[child][1]), pytest.approx(sym[child][2] - HALF))
    couples = {(p.father, p.mother) for p in ped.persons if p.father is not None}
    drawn = {tuple(sorted((p.get("data-a"), p.get("data-b")))) for p in _paths(root, "partner")}
    assert drawn == {tuple(sorted(c)) for c in couples}
