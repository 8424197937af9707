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
