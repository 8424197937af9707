"""The relationship vocabulary with paths: kin terms that fix the line, possessive
paths in Korean and Japanese, labels written back per language (docs/relationships.md)."""

from __future__ import annotations

import pytest

from chosei.vocab import RELATIONSHIP, VocabError
from tests.kinship.test_paths import ALL_PATHS

KIN_TERMS = {  # written out again from docs/relationships.md
    "친할아버지": "father's father", "조부": "father's father", "父方の祖父": "father's father",
    "친할머니": "father's mother", "父方の祖母": "father's mother",
    "외할아버지": "mother's father", "외조부": "mother's father", "外祖父": "mother's father",
    "母方の祖父": "mother's father",
    "외할머니": "mother's mother", "母方の祖母": "mother's mother",
    "증조할아버지": "father's father's father", "증조할머니": "father's father's mother",
    "큰아버지": "father's brother", "작은아버지": "father's brother", "삼촌": "father's brother",
    "백부": "father's brother", "숙부": "father's brother",
    "父方の伯父": "father's brother", "父方の叔父": "father's brother", "父方のおじ": "father's brother",
    "고모": "father's sister", "父方の伯母": "father's sister", "父方の叔母": "father's sister",
    "외삼촌": "mother's brother", "외숙부": "mother's brother", "母方の伯父": "mother's brother",
    "母方の叔父": "mother's brother",
    "이모": "mother's sister", "母方の伯母": "mother's sister", "母方の叔母": "mother's sister",
    "종조부": "father's father's brother", "큰할아버지": "father's father's brother",
    "대고모": "father's father's sister",
    "당숙": "father's father's brother's son", "종숙": "father's father's brother's son",
    "종질": "father's brother's son's son", "종질녀": "father's brother's son's daughter",
    "종손": "brother's son's son", "종손녀": "brother's son's daughter",
    "증손자": "son's son's son", "증손녀": "son's son's daughter",
}


@pytest.mark.parametrize(("term", "path"), KIN_TERMS.items(), ids=list(KIN_TERMS))
def test_kin_terms_that_fix_the_line(term: str, path: str) -> None:
    assert RELATIONSHIP.parse(term) == path


@pytest.mark.parametrize(
    ("term", "message"),
    [
        ("할아버지", "'할아버지'만으로는 어느 쪽 계통인지 알 수 없습니다: 친할아버지 (father's father) 또는 "
                     "외할아버지 (mother's father) 중 하나로 쓰십시오"),
        ("祖母", "'祖母'だけではどちらの系統か分かりません: 父方の祖母 (father's mother) または 母方の祖母 (mother's "
                 "mother) のいずれかを書いてください"),
        ("叔母", "'叔母'だけではどちらの系統か分かりません: 父方のおば (father's sister) または 母方のおば (mother's "
                 "sister) のいずれかを書いてください"),
        ("고종사촌", "'고종사촌'만으로는 성별을 알 수 없습니다: 고모의 아들 (father's sister's son) 또는 고모의 딸 "
                     "(father's sister's daughter) 중 하나로 쓰십시오"),
        ("従兄", "'従兄'だけではどちらの系統か分かりません: 父方のおじの息子 (father's brother's "
                 "son)、父方のおばの息子 (father's sister's son)、母方のおじの息子 (mother's brother's son) または "
                 "母方のおばの息子 (mother's sister's son) のいずれかを書いてください"),
        ("大甥", "'大甥'だけではどちらの系統か分かりません: 兄弟の息子の息子 (brother's son's son)、兄弟の娘の息子 "
                 "(brother's daughter's son)、姉妹の息子の息子 (sister's son's son) または 姉妹の娘の息子 "
                 "(sister's daughter's son) のいずれかを書いてください"),
        ("内孫", "'内孫'だけでは性別が分かりません: 息子の息子 (son's son) または 息子の娘 (son's daughter) "
                 "のいずれかを書いてください"),
        ("이복동생의 아들", "'이복동생의 아들' 안의 '이복동생'만으로는 성별을 알 수 없습니다: 이복형제 (half-brother "
                            "(paternal)) 또는 이복자매 (half-sister (paternal)) 중 하나로 쓰십시오"),
        ("great-grandson", "'great-grandson' hides the line: write son's son's son, son's daughter's "
         "son, daughter's son's son or daughter's daughter's son"),
        ("배우자의 아들", "'배우자의 아들': spouse cannot be part of a relationship path"),
    ],
)
def test_terms_that_hide_the_line_or_the_sex(term: str, message: str) -> None:
    with pytest.raises(VocabError) as err:
        RELATIONSHIP.parse(term)
    assert str(err.value) == message


@pytest.mark.parametrize(
    ("path", "ko", "ja"),
    [
        ("brother's son's son", "종손", "兄弟の息子の息子"),
        ("father's brother's son", "삼촌의 아들", "父方のおじの息子"),
        ("father's brother's son's son's son", "종질의 아들", "父方のおじの息子の息子の息子"),
        ("mother's sister's daughter", "이모의 딸", "母方のおばの娘"),
        ("half-sister (paternal)'s son", "이복자매의 아들", "異母姉妹の息子"),
        ("sister's son's son", "생질의 아들", "姉妹の息子の息子"),
    ],
)
def test_labels_use_the_longest_terms(path: str, ko: str, ja: str) -> None:
    assert (RELATIONSHIP.label(path, "en"), RELATIONSHIP.label(path, "ko"), RELATIONSHIP.label(path, "ja")) \
        == (path, ko, ja)
    assert path in RELATIONSHIP


@pytest.mark.parametrize("lang", ["en", "ko", "ja"])
def test_every_path_reads_back_from_its_label(lang: str) -> None:
    """All 130 canonical paths of up to three steps: label, then parse, gives the path."""
    assert [p for p in ALL_PATHS if RELATIONSHIP.parse(RELATIONSHIP.label(p, lang)) != p] == []


def test_possessives_with_and_without_spaces() -> None:
    assert RELATIONSHIP.parse("형의아들의 아들") == "brother's son's son"
    assert RELATIONSHIP.parse("兄 の 息子") == "brother's son"
    assert RELATIONSHIP.parse("남동생의 딸의 아들") == "brother's daughter's son"
