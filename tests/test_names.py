"""Names here are generated and fictional, not those of the victims."""

import pytest

from chosei.names import kana_romanizations, name_matches, normalize, romanizations, search_keys


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kim Jeong-ung", "kimjeongung"),
        ("KIM  JEONG UNG", "kimjeongung"),
        ("ｋｉｍ", "kim"),
        ("Kim Chŏng-ŭng", "kimchongung"),
        ("O'Neill", "oneill"),
        ("O’Neill", "oneill"),
        ("金本 正雄", "金本正雄"),
        ("金本\u3000正雄", "金本正雄"),
        ("カネモト・マサオ", "かねもとまさお"),
        ("ｶﾈﾓﾄ", "かねもと"),
        ("ガーデン", "がーでん"),
        ("김 정웅", "김정웅"),
        ("Kim, J.", "kimj"),
        ("", ""),
    ],
    ids=["rr-hyphen", "upper-spaces", "full-width", "mr-breves", "apostrophe",
         "typographic-apostrophe", "kanji-space", "ideographic-space", "katakana-middle-dot",
         "half-width-kana", "long-vowel-mark-kept", "hangul-space", "comma-period", "empty"],
)
def test_normalize(text, expected):
    assert normalize(text) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("김정웅", {"kimjeongung", "gimjeongung", "kimchongung", "kimcheongung",
                    "kimjungwoong", "jeongungkim"}),
        ("이도겸", {"leedogyeom", "yidogyeom", "rheedogyeom", "idogyeom", "ritogyom"}),
        ("박순복", {"parksunbok", "paksunbok", "baksunbok", "parksoonbok"}),
        ("최석일", {"choiseokil", "choeseogil", "choesogil", "choisukil"}),
        ("한종로", {"hanjongno", "hanjongro", "hanchongno"}),
        ("정신라", {"jeongsilla", "chungsilla", "chongshilla", "jeongsinra"}),
        ("강백마", {"kangbaengma", "gangbaekma", "kangpaengma"}),
        ("송시우", {"songsiu", "songshiu", "songsiwoo"}),
        ("남궁민수", {"namgungminsu", "namkungminsu", "namgoongminsoo"}),
        ("김 정웅", {"kimjeongung"}),
    ],
    ids=["rr-mr-popular", "surname-i", "surname-park", "liaison", "nasalisation",
         "lateralisation", "nasal-after-k", "mr-shi", "two-syllable-surname", "spaced"],
)
def test_romanizations_include(name, expected):
    keys = romanizations(name)
    assert expected <= keys, expected - keys


def test_romanizations_are_normalised_and_bounded():
    for name in ("김정웅", "남궁가나다라마", "이도겸", "류하늘별"):
        keys = romanizations(name)
        assert all(key == normalize(key) and key.isascii() for key in keys)
        assert len(keys) <= 200, (name, len(keys))


@pytest.mark.parametrize("text", ["金本正雄", "Kim", "かねもと", ""],
                         ids=["kanji", "latin", "kana", "empty"])
def test_romanizations_of_no_hangul(text):
    assert romanizations(text) == set()


def test_romanizations_of_mixed_text_romanise_the_hangul():
    assert "kimjeongung" in romanizations("김정웅 (金正雄)")


def test_search_keys():
    assert search_keys("金本 正雄") == {"金本正雄"}
    assert search_keys("カネモト マサオ") == {"かねもとまさお", "kanemotomasao"}
    assert search_keys("Kim Jeong-ung") == {"kimjeongung"}
    keys = search_keys("김정웅")
    assert "김정웅" in keys
    assert "kimchongung" in keys
    assert search_keys("") == set()


KIM = search_keys("김정웅")


@pytest.mark.parametrize(
    "query",
    ["Kim Jeong-ung", "kimjeongung", "Gim Jeongung", "KIM CHONG UNG", "Kim Chŏng-ung",
     "김 정웅", "김정웅", "ｋｉｍ", "정웅", "Jeong-ung", "Jeong-ung Kim", "Kim Jung Woong",
     "KIM JEONG"],
    ids=lambda q: q,
)
def test_hangul_name_found_by(query):
    assert name_matches(query, KIM)


@pytest.mark.parametrize(
    "query",
    ["Park Jeong-ung", "김정남", "Lee", "k", "정", "박", "", "   ", "-"],
    ids=["other-surname", "other-given", "other-name", "one-letter", "inner-syllable",
         "other-syllable", "empty",
         "spaces", "hyphen-only"],
)
def test_hangul_name_not_found_by(query):
    assert not name_matches(query, KIM)


@pytest.mark.parametrize("query", ["Lee", "Yi", "Rhee", "LEE DO-GYEOM", "Yi Togyŏm", "이도겸"])
def test_surname_i_found_by(query):
    assert name_matches(query, search_keys("이도겸"))


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("金本 正雄", "金本正雄"),
        ("正雄", "金本正雄"),
        ("かねもと", "カネモト"),
        ("カネモト", "かねもと"),
        ("ｶﾈﾓﾄ", "かねもと まさお"),
        ("김정웅", "Kim Jeong-ung"),
    ],
    ids=["kanji-space", "kanji-given-name", "hiragana-finds-katakana", "katakana-finds-hiragana",
         "half-width-kana", "hangul-finds-romanised-record"],
)
def test_other_scripts(query, name):
    assert name_matches(query, search_keys(name))


def test_a_one_character_query_is_a_surname_or_a_first_syllable():
    assert name_matches("김", search_keys("김"))
    assert name_matches("김", search_keys("김정웅"))
    assert name_matches("金", search_keys("金本正雄"))
    assert name_matches("か", search_keys("かねもと"))
    assert name_matches("カ", search_keys("かねもと"))
    assert not name_matches("本", search_keys("金本正雄"))
    assert not name_matches("웅", search_keys("김정웅"))
    # One Latin letter still matches only a whole key: `k` is in nearly every name.
    assert not name_matches("k", search_keys("Kim Jeong-ung"))
    assert name_matches("k", search_keys("K"))


@pytest.mark.parametrize("query", ["Chung Kil-tong", "Chŏng Kil-tong", "Chong Kiltong",
                                   "Kil-tong Chung", "Chung Gil-dong", "Jeong Gildong"])
def test_mccune_reischauer_given_names_syllable_by_syllable(query):
    assert name_matches(query, search_keys("정길동"))


def test_syllable_by_syllable_spellings_stay_few():
    assert romanizations("길동") == {"gildong", "giltong", "kildong", "kiltong",
                                     "donggil", "dongkil", "tonggil", "tongkil"}


@pytest.mark.parametrize(
    ("reading", "keys"),
    [
        ("かねもと こういち", {"kanemotokouichi", "kanemotokoichi"}),
        ("ヤマダ イチロー", {"yamadaichiro"}),
        ("おおた", {"oota", "ota"}),
        ("しゅうへい", {"shuuhei", "shuhei"}),
        ("金本正雄", set()),
        ("Kim", set()),
    ],
    ids=["hiragana-long-vowel", "katakana-long-mark", "double-o", "youon", "kanji", "latin"],
)
def test_kana_romanizations(reading, keys):
    assert kana_romanizations(reading) == keys


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("Yamada", "やまだ いちろう"),
        ("kanemoto koichi", "カネモト コウイチ"),
        ("Kanemoto Kouichi", "かねもと こういち"),
        ("Ota", "おおた しんじ"),
        ("おおた", "Ota Shinji"),
    ],
    ids=["surname", "folded-long-vowel", "spelled-long-vowel", "folded-double-o", "kana-query"],
)
def test_a_reading_is_found_by_its_romanisation(query, name):
    assert name_matches(query, search_keys(name))


def test_a_different_reading_is_not_found():
    assert not name_matches("Yamaguchi", search_keys("やまだ いちろう"))
