"""The core modules' messages in Korean and Japanese, pinned exactly: a date that is no
date, an ID that cannot be one, a plausibility refusal, a store that cannot be opened, an
ID that names nothing, a form's problems as one line. English stays as the other tests pin
it; here each message is asked for inside `i18n.in_language`."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from chosei import dates, i18n, plausible
from chosei.errors import NotFound, StoreError
from chosei.models.recovery import SpecimenCreate
from chosei.models.victims import VictimCreate
from chosei.pedfile import read_ped
from chosei.rules import check_transition
from chosei.services.validation import invalid_input, validation_problems
from chosei.store import open_store
from chosei.text import TextError, check_id

pytestmark = pytest.mark.skipif(i18n.catalogue_missing("ko") or i18n.catalogue_missing("ja"),
                                reason="the catalogues are not compiled: run `pip install -e .`")


def _date_error(value: str) -> str:
    with pytest.raises(dates.DateError) as info:
        dates.parse_date(value, until_today=True)
    return str(info.value)


def _validation(model: type, data: dict) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        model.model_validate(data)
    return info.value


@pytest.mark.parametrize(("lang", "value", "expected"), [
    ("ko", "1915-02-30", "'1915-02-30'은(는) 날짜가 아닙니다: 1915년 2월은 28일까지 있습니다"),
    ("ja", "1915-02-30", "'1915-02-30' は日付ではありません: 1915年2月は28日までです"),
    ("ko", "明治46年", "'明治46年'은(는) 날짜가 아닙니다: 메이지(明治) 연호는 45년(1912년)에 끝났습니다. "
                       "다음과 같이 쓰십시오: 1913 또는 大正2年"),
    ("ja", "明治46年", "'明治46年' は日付ではありません: 明治は45年（1912年）で終わりました。1913 または 大正2年 と"
                       "書いてください"),
    ("ko", "2999", "'2999'은(는) 오늘(2026-12-05) 이후입니다: 사안에는 이미 일어난 일만 기록합니다. "
                   "연도를 확인하십시오"),
    ("ja", "2999", "'2999' は今日（2026-12-05）より後です。事案には既に起きたことだけを記録します。"
                   "年を確認してください"),
    ("en", "明治46年", "'明治46年' is not a date: Meiji ended in its 45th year (1912); write 1913 or 大正2年"),
])
def test_a_date_that_is_no_date(lang: str, value: str, expected: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import datetime as dt

    monkeypatch.setattr(dates, "today", lambda: dt.date(2026, 12, 5))
    with i18n.in_language(lang):
        assert _date_error(value) == expected


@pytest.mark.parametrize(("lang", "expected"), [
    ("ko", "ID 'CH 1'에 공백이 있습니다: ID에는 공백을 쓰지 않습니다. 대신 하이픈을 쓰거나(CH-001) "
           "아무것도 쓰지 마십시오"),
    ("ja", "ID 'CH 1' に空白が含まれています。ID に空白は使えません。代わりにハイフンを使うか（CH-001）、"
           "何も入れないでください"),
])
def test_an_id_with_a_space(lang: str, expected: str) -> None:
    with i18n.in_language(lang), pytest.raises(TextError) as info:
        check_id("CH 1")
    assert str(info.value) == expected


@pytest.mark.parametrize(("lang", "found", "listed"), [
    ("ko", "희생자 ID 'V-9'을(를) 찾을 수 없습니다. 혹시 V-2, V-1입니까?",
     "유해 ID 'Z'을(를) 찾을 수 없습니다. `chosei specimen list`로 목록을 볼 수 있습니다"),
    ("ja", "ID が 'V-9' の犠牲者は見つかりません。V-2, V-1 のことですか？",
     "ID が 'Z' の遺骨は見つかりません。`chosei specimen list` で一覧を表示できます"),
])
def test_an_id_that_names_nothing(lang: str, found: str, listed: str) -> None:
    with i18n.in_language(lang):
        assert NotFound.for_id("victim", "V-9", ["V-1", "V-2"]).message == found
        assert NotFound.for_id("specimen", "Z", ["CH-001"]).message == listed


# Vocabulary codes are shown as the language's term with the code in parentheses.
@pytest.mark.parametrize(("lang", "birth", "sex", "sample"), [
    ("ko", "1950은(는) 희생자 V-001의 아들 (son)에게 맞지 않는 출생연도입니다: 1922년에서 1943년 사이에 "
           "태어났어야 합니다(희생자는 1942년에 사망). 출생연도나 관계를 바로잡으십시오",
     "관계가 딸 (daughter)이면 성별은 여성이어야 하며 남 (M)일 수 없습니다: 성별이나 관계를 바로잡으십시오",
     "타액 (saliva) 시료는 유해에서 채취할 수 없습니다(유해에서 채취하는 시료: 뼈 (bone), 치아 (tooth) 또는 "
     "기타 (other)): 종류나 출처를 바로잡으십시오"),
    ("ja", "1950 は犠牲者 V-001 の 息子 (son) として合いません。1922年から1943年の間に生まれているはずです"
           "（犠牲者は1942年に死亡）。生年または続柄を訂正してください",
     "娘 (daughter) は女性で、男 (M) ではありません。性別または続柄を訂正してください",
     "唾液 (saliva) の試料は遺骨からは採取できません（遺骨から採取するのは 骨 (bone), 歯 (tooth) または "
     "その他 (other) です）。種類または由来を訂正してください"),
    ("en", "1950 does not fit a son of victim V-001: born between 1922 and 1943 (the victim died in 1942); "
           "correct the birth year or the relationship",
     "a daughter is female, not M: correct the sex or the relationship",
     "a saliva sample cannot come from a specimen (remains give bone, tooth or other): correct the type or "
     "the source"),
])
def test_plausibility_refusals(lang: str, birth: str, sex: str, sample: str) -> None:
    with i18n.in_language(lang):
        assert plausible.relative_birth_problem("son", 1950, "V-001", "1910", None) == birth
        assert plausible.relationship_sex_problem("daughter", "M") == sex
        assert plausible.sample_type_problem("saliva", "CH-001", None) == sample


@pytest.mark.parametrize(("lang", "line", "problems"), [
    ("ko", "국적 항목은 필수입니다; 생년월일: '1915-02-30'은(는) 날짜가 아닙니다: 1915년 2월은 28일까지 있습니다; "
           "사망 당시 나이: '130'은(는) 120 이하여야 합니다",
     [("nationality", "필수 항목입니다"),
      ("birth_date", "'1915-02-30'은(는) 날짜가 아닙니다: 1915년 2월은 28일까지 있습니다"),
      ("age_at_death", "'130'은(는) 120 이하여야 합니다")]),
    ("ja", "国籍は必須項目です; 生年月日: '1915-02-30' は日付ではありません: 1915年2月は28日までです; "
           "死亡時年齢: '130' は 120 以下でなければなりません",
     [("nationality", "必須項目です"), ("birth_date", "'1915-02-30' は日付ではありません: 1915年2月は28日までです"),
      ("age_at_death", "'130' は 120 以下でなければなりません")]),
])
def test_a_form_s_problems_are_whole_sentences(lang: str, line: str, problems: list) -> None:
    data = {"id": "V1", "name_hangul": "김가온", "birth_date": "1915-02-30", "age_at_death": 130}
    with i18n.in_language(lang):
        exc = _validation(VictimCreate, data)
        assert invalid_input(exc).message == line
        assert validation_problems(exc) == problems


@pytest.mark.parametrize(("lang", "expected"), [
    ("ko", "수심(m): '-2.5'은(는) 0 이상이어야 합니다"),
    ("ja", "水深(m): '-2.5' は 0 以上でなければなりません"),
])
def test_a_field_label_in_the_language(lang: str, expected: str) -> None:
    with i18n.in_language(lang):
        assert invalid_input(_validation(SpecimenCreate, {"id": "S1", "depth_m": -2.5})).message == expected


@pytest.mark.parametrize(("lang", "missing", "not_a_store"), [
    ("ko", "{path}에 저장소가 없습니다: 경로를 확인하거나 `chosei --db {path} init`(또는 `demo`)로 만드십시오",
     "{url}은(는) chosei 저장소가 아닙니다(file is not a database): --db를 확인하십시오. 저장소였다면 손상된 것입니다: "
     "백업에서 복원하고(`chosei db backup` 참조) 손상된 파일은 조사를 위해 보관하십시오"),
    ("ja", "{path} にデータベースがありません。パスを確認するか、`chosei --db {path} init`（または `demo`）で"
           "作成してください",
     "{url} は chosei のデータベースではありません（file is not a database）。--db を確認してください。"
     "データベースだったなら破損しています。バックアップから復元し（`chosei db backup` を参照）、破損したファイルは"
     "調査のために保管してください"),
])
def test_a_store_that_cannot_be_opened(lang: str, missing: str, not_a_store: str, tmp_path: Path) -> None:
    typo = tmp_path / "chosie.db"
    junk = tmp_path / "store.db"
    junk.write_bytes(b"PK\x03\x04 this is a workbook, not a store" * 100)
    with i18n.in_language(lang):
        with pytest.raises(StoreError) as info:
            open_store(f"sqlite:///{typo}", create=False)
        assert info.value.message == missing.format(path=typo)
        with pytest.raises(StoreError) as info:
            open_store(f"sqlite:///{junk}")
        assert info.value.message == not_a_store.format(url=f"sqlite:///{junk}")
    assert not typo.exists()


@pytest.mark.parametrize(("lang", "final", "step", "notes"), [
    ("ko", "시료 S-1의 상태는 소진 (consumed)입니다: 최종 상태이므로 프로필 확보 (profiled) 상태로 바꿀 수 없습니다",
     "시료 S-1의 상태는 추출 (extracted)입니다: 프로필 확보 (profiled) 또는 실패 (failed) 상태로만 바꿀 수 있으며 "
     "발송 (shipped) 상태로는 바꿀 수 없습니다",
     ["마커 열 2개를 무시했습니다: 유전형은 Profiles 시트로 가져옵니다"]),
    ("ja", "試料 S-1 の状態は 消費 (consumed) です。最終状態のため DNA型検出 (profiled) にはできません",
     "試料 S-1 の状態は 抽出済 (extracted) です。DNA型検出 (profiled) または 失敗 (failed) にのみ進めることができ、"
     "発送済 (shipped) にはできません",
     ["マーカー列 2 個を無視しました。遺伝型は Profiles シートで取り込みます"]),
])
def test_a_status_rule_and_a_ped_note(lang: str, final: str, step: str, notes: list[str]) -> None:
    from chosei.errors import RuleViolation

    with i18n.in_language(lang):
        with pytest.raises(RuleViolation) as info:
            check_transition("S-1", "consumed", "profiled")
        assert info.value.message == final
        with pytest.raises(RuleViolation) as info:
            check_transition("S-1", "extracted", "shipped")
        assert info.value.message == step
        assert read_ped("id fid mid sex m1 m2\nA 0 0 1 10 12\n")[1] == notes


@pytest.mark.parametrize(("lang", "gaps"), [
    ("ko", ["인계기록이 2025-01-02의 '인수 (received)' 기록에서 시작합니다: 그 이전에 대상이 어디 있었는지 "
            "기록되어 있지 않습니다",
            "2025-01-03의 '반환 (returned)' 기록은 X에게서 인계된 것이나, 마지막으로 기록된 보관자는 Lab입니다",
            "2025-01-04의 '보관 (stored)' 기록이 대상의 '반환 (returned)' 처리 뒤에 있습니다"]),
    ("ja", ["受渡記録は 2025-01-02 の '受領 (received)' から始まっています。それ以前に対象がどこにあったかは"
            "記録されていません",
            "2025-01-03 の '返還 (returned)' は X からの引渡しですが、最後に記録された保管者は Lab です",
            "2025-01-04 の '保管 (stored)' は、対象の '返還 (returned)' の後に記録されています"]),
])
def test_custody_gaps(lang: str, gaps: list[str]) -> None:
    from types import SimpleNamespace

    from chosei.custody import find_gaps

    events = [SimpleNamespace(event="received", at="2025-01-02", from_party="NFS", to_party="Lab"),
              SimpleNamespace(event="returned", at="2025-01-03", from_party="X", to_party="Family"),
              SimpleNamespace(event="stored", at="2025-01-04", from_party=None, to_party=None)]
    with i18n.in_language(lang):
        assert [g.message for g in find_gaps("CH-001", events)] == gaps


def test_english_plural_of_the_ped_note() -> None:
    with i18n.in_language("en"):
        assert read_ped("A 0 0 1 10\n")[1] == [
            "1 marker column ignored: genotypes come in through the Profiles sheet"]
