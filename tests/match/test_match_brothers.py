"""Victims who were each other's relatives split the posterior (closed set), on both backends.

V-004 and V-005 were brothers in the mine; their surviving brother gave reference DNA,
entered as a relative of each (R-006 under V-004, R-007 under V-005, the same
genotype TH01 7/7). SP-006 is TH01 7/7. Full-sibling LR for AA/AA at p(7) = 0.2:
1/4 + (1/2)/0.2 + (1/4)/0.04 = 0.25 + 2.5 + 6.25 = 9, for both brothers. Against
the scene's others: V-001 and V-003 have no TH01 (LR 1), V-002's son is TH01 6/8
(LR 0 without mutation). A case expecting 5 victims: every one is compared, so
posterior(V-004) = 9 / (9 + 9 + 1 + 0 + 1) = 0.45 for each brother; the per-pair
formula gave 9·0.2 / (9·0.2 + 0.8) = 0.69 to each, 1.38 together.
"""

from __future__ import annotations

import json

import pytest

from chosei.services.recovery import add_specimen
from chosei.services.relatives import add_relative, give_consent
from chosei.services.victims import add_victim
from tests.cli.storeview import writing
from tests.match import scene
from tests.samples_at import add_sample_at

RUN = "match run --dropout 0 --mutation none --threshold 5"


def _brothers(url: str) -> None:
    scene.build(url)
    with writing(url) as s:
        for vid, name, rid, sample in (("V-004", "최한결", "R-006", "RS-006"), ("V-005", "최한빛", "R-007", "RS-007")):
            add_victim(s, {"id": vid, "nationality": "KR", "name_hangul": name})
            add_relative(s, {"id": rid, "victim_id": vid, "relationship": "brother"})
            give_consent(s, rid, ["analysis"], "2025-10-01")
            add_sample_at(s, {"id": sample, "relative_id": rid, "type": "saliva", "status": "profiled"})
            s.add_all(scene.genotypes(sample, [("TH01", "7", "7")]))
        add_specimen(s, {"id": "SP-006", "element": "cranium"})
        add_sample_at(s, {"id": "SS-006", "specimen_id": "SP-006", "type": "bone", "status": "profiled"})
        s.add_all(scene.genotypes("SS-006", [("TH01", "7", "7")]))
        s.flush()


def test_brother_victims_split_the_posterior(db_url: str, cli) -> None:  # type: ignore[no-untyped-def]
    cli("init --name Brothers --expected 5 --expected-kr 5 --expected-jp 0")
    _brothers(db_url)
    cli(RUN)
    rows = {r["victim_id"]: r for r in json.loads(cli("match list --all --specimen SP-006 --json").stdout)}
    assert (rows["V-004"]["lr"], rows["V-005"]["lr"]) == (pytest.approx(9, rel=1e-12), pytest.approx(9, rel=1e-12))
    assert rows["V-004"]["posterior"] == rows["V-005"]["posterior"] == pytest.approx(0.45, rel=1e-12)
    assert sum(r["posterior"] for r in rows.values()) == pytest.approx(1, rel=1e-12)  # nobody left uncompared
    out = cli("match show SP-006 V-004").stdout
    assert out.splitlines()[:3] == [
        "The DNA is 9 times more likely if this bone is 최한결's than if it is an unrelated man's.",
        "Among the 5 expected victims, the probability that it is 최한결's is 0.45.",
        "The DNA cannot tell V-004 from V-005: they share the same evidence, so the probability is split between "
        "them.",
    ]
    assert ("The DNA cannot tell V-004 from V-005 (최한빛): the same LR, so they split the posterior "
            "(V-005: 0.45)") in out
    detail = json.loads(cli("match show SP-006 V-004 --json").stdout)
    assert (detail["posterior"], detail["remainder"], detail["open_share"]) == (pytest.approx(0.45), 0, 0)
    assert [d["victim_id"] for d in detail["indistinguishable"]] == ["V-005"]


def test_the_words_in_korean_and_japanese(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    """183 expected: 9 / (9 + 9 + 1 + 0 + 1 + 178) = 9 / 198 = 0.0455."""
    _brothers(case)
    cli(RUN)
    ko = cli("match show SP-006 V-004 --lang ko").stdout.splitlines()
    assert ko[:3] == [
        "이 유해가 최한결의 것이라면, 관계없는 남성의 것일 때보다 이 DNA 결과가 나올 가능성이 9배 높습니다.",
        "예상 희생자 183명 가운데 이 유해가 최한결의 것일 확률은 0.0455입니다.",
        "DNA로는 V-004와(과) V-005을(를) 구별할 수 없습니다: 같은 증거를 공유하므로 확률이 이들 사이에 나뉩니다.",
    ]
    assert ko[3] == ("다음이 있으면 더 확실해집니다: 다른 근친 유족(부모·자녀·형제자매)의 DNA, "
                     "부계 유족(아들·형제·친손자·형제의 아들)의 Y-STR 검사, "
                     "모계 유족(어머니·형제자매·자매의 자녀)의 mtDNA 검사.")
    ja = cli("match show SP-006 V-004 --lang ja").stdout.splitlines()
    assert ja[1] == "想定される犠牲者183人のうち、この遺骨が최한결のものである確率は0.0455です。"


def test_what_would_strengthen_it(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    """SP-004 → V-003: Y and mtDNA relatives typed and matched, no close relative: another one."""
    scene.build(case)
    cli(RUN)
    lines = cli("match show SP-004 V-003").stdout.splitlines()
    assert lines[2] == "It would be strengthened by: another close relative's DNA (a parent, child or full sibling)."
    # SP-001 → V-001: one son typed at STRs only, the bone has no Y or mtDNA result
    lines = cli("match show SP-001 V-001").stdout.splitlines()
    assert lines[2] == (
        "It would be strengthened by: another close relative's DNA (a parent, child or full sibling), a relative on "
        "the paternal line typed for Y-STR (son, brother, son's son, brother's son), a relative on the maternal line "
        "typed for mtDNA (mother, full sibling, sister's child).")


def test_a_bad_language_is_refused(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    scene.build(case)
    cli(RUN)
    result = cli("match show SP-001 V-001 --lang fr", expect=1)
    assert result.stderr == "Error: 'fr' is not a report language; use en, ko or ja\n"
