"""What the services, the kinship library and the QC say, in Korean and Japanese.

Representative messages pinned exactly in each language (English is pinned by the
tests of each module, which run in English): a refused relationship path, a refused
consent, a not-found item, an unknown marker name, the
amelogenin and elimination QC lines of `match show`, and a `chosei check` finding.
IDs, codes and numbers stay as they are; a relationship path in backticks is written with the
kin terms of the language (the vocabulary reads them back).
"""

from __future__ import annotations

import pytest

from chosei import i18n
from chosei.errors import NotFound, RuleViolation
from chosei.kinship.errors import KinshipInputError
from chosei.kinship.markers import store_spelling
from chosei.kinship.paths import parse_path, path_of
from chosei.kinship.pedigree import build_pedigree
from chosei.services.family import show_family
from chosei.services.lookup import find_item
from chosei.services.qc import EliminationHit, amelogenin_check
from chosei.services.relatives import add_relative
from chosei.services.samples import add_sample, advance_sample
from chosei.services.victims import add_victim
from tests.cli.storeview import writing


def _raised(lang: str, error: type[Exception], call, *args: object) -> str:  # type: ignore[no-untyped-def]
    with i18n.in_language(lang), pytest.raises(error) as info:
        call(*args)
    return str(info.value)


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", "relationship \"son's son's mother\" walks back: `son's son's mother` is the wife of `son`, "
           "who shares no DNA with the victim"),
    ("ko", "관계 \"son's son's mother\"은(는) 되돌아갑니다: `친손자의 어머니`은(는) `아들`의 아내이며, "
           "희생자와 DNA를 공유하지 않습니다"),
    ("ja", "関係 \"son's son's mother\" は逆戻りしています: `息子の息子の母` は`息子` の妻で、"
           "犠牲者とDNAを共有しません"),
])
def test_a_path_that_walks_back(lang: str, expected: str) -> None:
    assert _raised(lang, KinshipInputError, parse_path, "son's son's mother") == expected


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", "relationship \"father's son\" walks back: `father's son` is `brother` or "
           "`half-brother (paternal)`: write which"),
    ("ko", "관계 \"father's son\"은(는) 되돌아갑니다: `아버지의 아들`은(는) `형제` 또는 `이복형제`입니다. "
           "어느 쪽인지 쓰십시오"),
    ("ja", "関係 \"father's son\" は逆戻りしています: `父の息子` は `兄弟` または `異母兄弟` です。"
           "どれかを書いてください"),
    # a path written with Korean terms is refused with the user's own words quoted
    ("ko-terms", "관계 '아버지의 아들'은(는) 되돌아갑니다: `아버지의 아들`은(는) `형제` 또는 `이복형제`입니다. "
                 "어느 쪽인지 쓰십시오"),
])
def test_a_path_that_needs_a_choice(lang: str, expected: str) -> None:
    if lang == "ko-terms":
        assert _raised("ko", KinshipInputError, path_of, ["father", "son"], "아버지의 아들") == expected
    else:
        assert _raised(lang, KinshipInputError, parse_path, "father's son") == expected


@pytest.mark.parametrize(("lang", "expected"), [
    ("ko", "'D8-S1179!'은(는) 마커 이름이 아닙니다. 키트의 표기대로 쓰십시오(예: D8S1179, vWA, DYS19, mtDNA)"),
    ("ja", "'D8-S1179!' はマーカー名ではありません。キットの表記どおりに書いてください"
           "(例: D8S1179、vWA、DYS19、mtDNA)"),
])
def test_an_unknown_marker_name(lang: str, expected: str) -> None:
    assert _raised(lang, KinshipInputError, store_spelling, "D8-S1179!") == expected


@pytest.mark.parametrize(("lang", "victim_sex", "expected"), [
    ("ko", "F", "유해에서 Y(아멜로제닌 X,Y)가 나타나지만 희생자는 여성으로 기록되어 있습니다. Y 피크는 탈락으로 "
                "생기지 않습니다. 희생자의 기록이나 시료를 확인하십시오"),
    ("ja", "F", "遺骨に Y(アメロゲニン X,Y)が現れていますが、犠牲者は女性と記録されています。Y のピークは脱落によって"
                "現れることはありません。犠牲者の記録か試料を確認してください"),
])
def test_the_amelogenin_line_of_match_show(lang: str, victim_sex: str, expected: str) -> None:
    with i18n.in_language(lang):
        check = amelogenin_check("x,y", victim_sex)
    assert check == {"amelogenin": "X,Y", "status": "inconsistent", "note": expected}


@pytest.mark.parametrize(("lang", "lines", "expected"), [
    ("en", ("Y-STR", "mtDNA"), "specimen CH-007 agrees with elimination profile E-01 at all 15 autosomal markers "
     "typed in both and its Y-STR and mtDNA: its DNA may be the handler's, not the bone's; do not rely on its "
     "matches until the bone is re-sampled"),
    ("ko", ("Y-STR", "mtDNA"), "유해 CH-007이(가) 관계자 배제용 DNA형 E-01과(와) 양쪽에서 분석된 "
     "상염색체 마커 15개 모두와 Y-STR 및 mtDNA에서 일치합니다. 그 DNA는 뼈가 아니라 취급자의 것일 수 "
     "있습니다. 뼈를 다시 채취할 때까지 그 대조 결과에 의존하지 마십시오"),
    ("ja", (), "遺骨 CH-007 が関係者除外用DNA型 E-01 と、両方で型判定された常染色体マーカー15個すべてで一致します。"
     "そのDNAは骨ではなく取扱者のものかもしれません。骨を採取し直すまで、その照合結果に頼らないでください"),
])
def test_the_elimination_line_of_match_show(lang: str, lines: tuple[str, ...], expected: str) -> None:
    with i18n.in_language(lang):
        assert EliminationHit("CH-007", "E-01", 15, lines).message() == expected


def _family(url: str) -> None:
    with writing(url) as s:
        add_victim(s, {"id": "V-001", "nationality": "KR", "name_hangul": "김가온"})
        add_relative(s, {"id": "R-001", "victim_id": "V-001", "relationship": "아들", "name": "김하늘"})
        add_sample(s, {"id": "S-001", "relative_id": "R-001", "type": "saliva", "status": "collected"})
        advance_sample(s, "S-001", "shipped")
        advance_sample(s, "S-001", "received")


def test_a_consent_refusal(case: str) -> None:
    _family(case)
    with writing(case) as s:
        found = {lang: _raised(lang, RuleViolation, advance_sample, s, "S-001", "extracted") for lang in i18n.LANGS}
    assert found == {
        "en": "relative R-001 has no active consent for analysis: sample S-001 cannot become extracted; record the "
              "consent (`chosei relative consent R-001 --scope analysis`) or, if it must go on, re-run with "
              "--override \"REASON\"",
        "ko": "유족 R-001에게 유효한 분석 동의가 없습니다. 시료 S-001은(는) extracted(으)로 될 수 없습니다. 동의를 "
              "기록하거나(`chosei relative consent R-001 --scope analysis`), 꼭 진행해야 한다면 "
              "--override \"REASON\"을 붙여 다시 실행하십시오",
        "ja": "遺族 R-001 に有効な分析の同意がありません。試料 S-001 は extracted になれません。同意を記録するか"
              "(`chosei relative consent R-001 --scope analysis`)、どうしても進める必要があれば --override \"REASON\" "
              "を付けて再実行してください",
    }


def test_not_found(case: str) -> None:
    _family(case)
    with writing(case) as s:
        item = {lang: _raised(lang, NotFound, find_item, s, "XYZ-9") for lang in ("ko", "ja")}
        tree = {lang: _raised(lang, NotFound, show_family, s, "V-001") for lang in ("ko", "ja")}
    assert item == {
        "ko": "ID가 'XYZ-9'인 유해나 시료가 없습니다. `chosei specimen list`와 `chosei sample list`로 확인할 수 "
              "있습니다",
        "ja": "ID が 'XYZ-9' の遺骨や試料はありません。`chosei specimen list` と `chosei sample list` で確認できます",
    }
    assert tree == {
        "ko": "희생자 V-001에게 가계도가 없습니다. `chosei family set` 또는 `chosei family import`로 만드십시오",
        "ja": "犠牲者 V-001 に家系図がありません。`chosei family set` または `chosei family import` で作成してください",
    }


@pytest.mark.parametrize(("lang", "expected"), [
    ("ko", "[roster] 명부의 희생자는 1명(1 KR, 0 JP)이지만 사안의 예상은 183명(136 KR, 47 JP)입니다. 빠진 희생자를 "
           "추가하거나 국적을 고치십시오"),
    ("ja", "[roster] 名簿の犠牲者は1人(1 KR、0 JP)ですが、事案の予定は183人(136 KR、47 JP)です。足りない犠牲者を"
           "追加するか、国籍を直してください"),
])
def test_a_check_finding(case: str, cli, lang: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    _family(case)
    result = cli(f"--lang {lang} check", expect=None)
    assert result.exit_code != 0
    assert expected in result.stdout.splitlines()


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", ("V:father: untyped father of V (male, untyped, founder)",
            "V:mother: untyped mother of V (female, untyped, founder)",
            "V: victim (male, typed, child of V:father and V:mother)",
            "V:brother: untyped brother of V (parent of V's brother's children) (male, untyped, child of V:father "
            "and V:mother)",
            "V:brother:partner: untyped other parent of V's brother's children (female, untyped, founder)",
            "R1: brother's son (male, typed, child of V:brother and V:brother:partner)",
            "W: spouse (left out: carries no genetic information for V)")),
    ("ko", ("V:father: 희생자의 아버지(미분석) (남성, 미분석, 시조)",
            "V:mother: 희생자의 어머니(미분석) (여성, 미분석, 시조)",
            "V: 희생자 (남성, 분석됨, V:father와(과) V:mother의 자녀)",
            "V:brother: 희생자의 형제(미분석, 희생자의 형제의 자녀의 부모) "
            "(남성, 미분석, V:father와(과) V:mother의 자녀)",
            "V:brother:partner: 희생자의 형제의 자녀의 다른 부모(미분석) (여성, 미분석, 시조)",
            "R1: 형제의 아들 (남성, 분석됨, V:brother와(과) V:brother:partner의 자녀)",
            "W: 배우자 (제외: 희생자에 대한 유전 정보가 없음)")),
    ("ja", ("V:father: 犠牲者の父(未型判定)(男性、未型判定、創始者)",
            "V:mother: 犠牲者の母(未型判定)(女性、未型判定、創始者)",
            "V: 犠牲者(男性、型判定済み、V:father と V:mother の子)",
            "V:brother: 犠牲者の兄弟(未型判定、犠牲者の兄弟の子の親)(男性、未型判定、V:father と V:mother の子)",
            "V:brother:partner: 犠牲者の兄弟の子のもう一方の親(未型判定)(女性、未型判定、創始者)",
            "R1: 兄弟の息子(男性、型判定済み、V:brother と V:brother:partner の子)",
            "W: 配偶者(除外: 犠牲者についての遺伝情報がない)")),
])
def test_the_pedigree_of_match_show(lang: str, expected: tuple[str, ...]) -> None:
    """Roles in the kin terms of the language; IDs as they are."""
    with i18n.in_language(lang):
        pedigree = build_pedigree([("R1", "brother's son"), ("W", "spouse")], victim_sex="M", victim_id="V")
        assert pedigree.describe() == expected
