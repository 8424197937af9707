"""Labels have one home, the catalogue: every vocabulary code (context: the vocabulary's
name) and every stage (context "stage") is a msgid, translated into Korean and Japanese,
and what chosei writes is that translation."""

from __future__ import annotations

import pytest
from babel.messages.pofile import read_po

from chosei import vocab
from chosei.i18n.catalogue import POT, po_path
from chosei.reports.labels import Labels, stage_label
from chosei.rules import FAMILY_STAGES, REMAINS_STAGES

ALL_VOCABULARIES = [v for v in vars(vocab).values() if isinstance(v, vocab.Vocabulary)]


def _entries(path) -> dict[tuple[str | None, str], str]:
    with path.open("rb") as f:
        return {(m.context, m.id): m.string for m in read_po(f) if m.id}


def test_every_vocabulary_is_counted() -> None:
    assert len(ALL_VOCABULARIES) == 12
    assert sum(len(v.codes) for v in ALL_VOCABULARIES) == 103


def test_every_code_and_stage_is_extracted() -> None:
    pot = _entries(POT)
    missing = [(v.name, c) for v in ALL_VOCABULARIES for c in v.codes if (v.name, c) not in pot]
    missing += [("stage", s) for s in (*FAMILY_STAGES, *REMAINS_STAGES) if ("stage", s) not in pot]
    assert missing == []


@pytest.mark.parametrize("lang", ["ko", "ja"])
def test_labels_are_the_catalogues_translations(lang: str) -> None:
    po = _entries(po_path(lang))
    for v in ALL_VOCABULARIES:
        for code in v.codes:
            assert po[(v.name, code)], (v.name, code, lang)
            assert v.label(code, lang) == po[(v.name, code)], (v.name, code, lang)
    for stage in (*FAMILY_STAGES, *REMAINS_STAGES):
        assert stage_label(stage, lang) == po[("stage", stage)] != stage
        assert Labels(lang).stage(stage) == po[("stage", stage)]


def test_stage_words() -> None:
    assert stage_label("located") == "located"  # English: the stage itself
    assert Labels("en").stage("no relative known") == "No relative known"
    assert [stage_label(s, "ko") for s in REMAINS_STAGES] == ["해당 유해 없음", "후보", "신원확인", "봉환"]
    assert [stage_label(s, "ja") for s in FAMILY_STAGES] == [
        "遺族未確認", "遺族所在確認", "分析同意", "対照試料採取", "対照DNA型検出"]
    with pytest.raises(ValueError, match="'found' is not a stage"):
        stage_label("found", "ko")


def test_a_catalogue_label_is_accepted_and_a_former_one_too() -> None:
    assert vocab.SAMPLE_STATUS.label("profiled", "ko") == "DNA형 확보"
    assert vocab.SAMPLE_STATUS.parse("DNA형 확보") == "profiled"
    assert vocab.SAMPLE_STATUS.parse("프로필 확보") == "profiled"  # written before the glossary


@pytest.mark.parametrize(("lang", "vocabulary", "term", "message"), [
    ("ja", vocab.SEX, "オス",
     "'オス' は性別の値ではありません。次のいずれかを書いてください：男 (M)、女 (F)、不明 (U)"),
    ("ko", vocab.SEX, "남자아이",
     "'남자아이'은(는) 성별 값이 아닙니다(남자: M을(를) 뜻했습니까?). "
     "다음 중 하나로 쓰십시오: 남 (M), 여 (F), 미상 (U)"),
    ("ja", vocab.SAMPLE_STATUS, "完了",
     "'完了' は試料の状態の値ではありません。次のいずれかを書いてください：予定 (planned)、採取済 (collected)、"
     "発送済 (shipped)、受領 (received)、抽出済 (extracted)、DNA型検出 (profiled)、失敗 (failed)、消費 (consumed)"),
    ("ko", vocab.HAPLOTYPE_KIND, "X", "'X'은(는) 일배체형 종류 값이 아닙니다. 다음 중 하나로 쓰십시오: Y, mt"),
    # An English term in a Korean workbook: the refusal in Korean, the choices as it writes them.
    ("ko", vocab.RELATIONSHIP, "nephew",
     "'nephew'만으로는 어느 쪽 계통인지 알 수 없습니다: 형제의 아들 (brother's son) 또는 생질 (sister's son) 중 "
     "하나로 쓰십시오"),
    ("ja", vocab.RELATIONSHIP, "配偶者の息子", "'配偶者の息子'：配偶者 (spouse) は関係の経路の一部にできません"),
    ("ko", vocab.RELATIONSHIP, "형제의 친구",
     "'형제의 친구' 안의 '친구'은(는) 관계 값이 아닙니다. 관계 경로는 형제의 아들의 아들처럼 호칭을 '의'로 "
     "잇습니다(brother's son's son, 兄弟の息子の息子도 됩니다)"),
])
def test_a_term_refused_in_the_language_spoken(lang: str, vocabulary: vocab.Vocabulary, term: str,
                                               message: str) -> None:
    from chosei import i18n

    with i18n.in_language(lang), pytest.raises(vocab.VocabError) as err:
        vocabulary.parse(term)
    assert str(err.value) == message
    with pytest.raises(vocab.VocabError) as err:  # English outside
        vocabulary.parse(term)
    assert any(words in str(err.value) for words in (" is not ", " hides the line: write ", " cannot be part of "))


def test_the_stage_words_load_without_the_store_models() -> None:
    # `chosei status` speaks its stages through `reports.labels`; it must not pay for the ORM.
    import subprocess
    import sys

    code = ("import sys, chosei.reports.labels; "
            "print(sorted(m for m in ('sqlmodel', 'chosei.models', 'chosei.reports.common') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_an_unknown_term_carries_the_term_and_the_suggestion() -> None:
    with pytest.raises(vocab.VocabError) as err:
        vocab.SEX.parse("mle")
    assert (err.value.term, err.value.suggestion) == ("mle", ("male", "M"))
    with pytest.raises(vocab.VocabError) as err:
        vocab.SEX.parse("zzz")
    assert (err.value.term, err.value.suggestion) == ("zzz", None)
