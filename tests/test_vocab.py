import pytest
from hypothesis import given
from hypothesis import strategies as st

from chosei.vocab import (
    CONSENT_SCOPE,
    CUSTODY_EVENT,
    ELEMENT,
    LANGS,
    NATIONALITY,
    RELATIONSHIP,
    SAMPLE_STATUS,
    SAMPLE_TYPE,
    SCRIPT,
    SEX,
    SIDE,
    VOCABULARIES,
    VocabError,
    Vocabulary,
    normalize_id,
)

# Every term the exchange contract (docs/exchange.md, "The workbook") names, and other
# common ones.
TERMS = [
    (NATIONALITY, ["KR", "Korea", "Korean", "한국", "조선", "韓国", "朝鮮", "대한민국", "kr"],
     "KR"),
    (NATIONALITY, ["JP", "Japan", "Japanese", "일본", "日本", "japan"], "JP"),
    (SEX, ["M", "m", "male", "남", "남성", "男"], "M"),
    (SEX, ["F", "female", "여", "여성", "女"], "F"),
    (SEX, ["U", "unknown", "미상", "不明"], "U"),
    (SCRIPT, ["hangul", "한글", "ハングル"], "hangul"),
    (SCRIPT, ["hanja", "한자", "漢字"], "hanja"),
    (SCRIPT, ["japanese", "일본식", "日本名"], "japanese"),
    (SCRIPT, ["kana", "가나", "かな"], "kana"),
    (SCRIPT, ["latin", "로마자", "ローマ字"], "latin"),
    (RELATIONSHIP, ["son", "Son", "아들", "장남", "차남", "息子", "長男", "次男"], "son"),
    (RELATIONSHIP, ["daughter", "딸", "娘", "長女"], "daughter"),
    (RELATIONSHIP, ["father", "아버지", "부친", "父"], "father"),
    (RELATIONSHIP, ["mother", "어머니", "모친", "母"], "mother"),
    (RELATIONSHIP, ["brother", "형", "오빠", "남동생", "형제", "兄", "弟"], "brother"),
    (RELATIONSHIP, ["sister", "누나", "언니", "여동생", "자매", "姉", "妹"], "sister"),
    (RELATIONSHIP, ["half-brother (paternal)", "half brother (paternal)",
                    "Half-Brother (Paternal)", "이복형제", "異母兄弟"], "half-brother (paternal)"),
    (RELATIONSHIP, ["half-brother (maternal)", "이부형제", "異父兄弟"], "half-brother (maternal)"),
    (RELATIONSHIP, ["half-sister (paternal)", "이복자매", "異母姉妹"], "half-sister (paternal)"),
    (RELATIONSHIP, ["half-sister (maternal)", "이부자매", "異父姉妹"], "half-sister (maternal)"),
    (RELATIONSHIP, ["son's son", "son’s son", "sons son", "Son's Son", "친손자", "息子の息子"],
     "son's son"),
    (RELATIONSHIP, ["son's daughter", "친손녀"], "son's daughter"),
    (RELATIONSHIP, ["daughter's son", "daughter‘s son", "외손자"], "daughter's son"),
    (RELATIONSHIP, ["daughter's daughter", "외손녀"], "daughter's daughter"),
    (RELATIONSHIP, ["brother's son", "brothers son", "형제의 아들", "兄の息子"], "brother's son"),
    (RELATIONSHIP, ["brother's daughter", "형제의 딸"], "brother's daughter"),
    (RELATIONSHIP, ["sister's son", "생질", "姉の息子"], "sister's son"),
    (RELATIONSHIP, ["sister's daughter", "생질녀"], "sister's daughter"),
    (RELATIONSHIP, ["spouse", "배우자", "아내", "처", "妻", "夫", "配偶者"], "spouse"),
    (RELATIONSHIP, ["other", "기타", "その他"], "other"),
    (ELEMENT, ["cranium", "skull", "두개골", "頭蓋骨", "頭骨"], "cranium"),
    (ELEMENT, ["mandible", "jaw", "하악골", "下顎骨"], "mandible"),
    (ELEMENT, ["tooth", "teeth", "치아", "이", "歯", "歯牙"], "tooth"),
    (ELEMENT, ["vertebra", "척추", "척추뼈", "椎骨", "脊椎", "경추", "頸椎"], "vertebra"),
    (ELEMENT, ["rib", "늑골", "갈비뼈", "肋骨"], "rib"),
    (ELEMENT, ["clavicle", "쇄골", "鎖骨"], "clavicle"),
    (ELEMENT, ["scapula", "견갑골", "肩甲骨"], "scapula"),
    (ELEMENT, ["humerus", "상완골", "上腕骨"], "humerus"),
    (ELEMENT, ["radius", "요골", "橈骨"], "radius"),
    (ELEMENT, ["ulna", "척골", "尺骨"], "ulna"),
    (ELEMENT, ["hand", "손뼈", "手骨"], "hand"),
    (ELEMENT, ["pelvis", "골반", "寛骨", "骨盤"], "pelvis"),
    (ELEMENT, ["sacrum", "천골", "仙骨"], "sacrum"),
    (ELEMENT, ["femur", "Femur", "대퇴골", "大腿骨"], "femur"),
    (ELEMENT, ["patella", "슬개골", "膝蓋骨"], "patella"),
    (ELEMENT, ["tibia", "경골", "脛骨"], "tibia"),
    (ELEMENT, ["fibula", "비골", "腓骨"], "fibula"),
    (ELEMENT, ["foot", "발뼈", "足骨"], "foot"),
    (ELEMENT, ["fragment", "골편", "骨片"], "fragment"),
    (SIDE, ["left", "L", "l", "좌", "왼쪽", "左"], "left"),
    (SIDE, ["right", "R", "우", "오른쪽", "右"], "right"),
    (SIDE, ["midline", "중앙", "正中"], "midline"),
    (SIDE, ["unknown", "미상", "不明"], "unknown"),
    (SAMPLE_TYPE, ["bone", "뼈", "骨"], "bone"),
    (SAMPLE_TYPE, ["tooth", "치아", "歯"], "tooth"),
    (SAMPLE_TYPE, ["saliva", "타액", "唾液"], "saliva"),
    (SAMPLE_TYPE, ["buccal swab", "Buccal Swab", "buccal-swab", "구강상피", "口腔粘膜"],
     "buccal swab"),
    (SAMPLE_TYPE, ["blood", "혈액", "血液"], "blood"),
    (SAMPLE_TYPE, ["other", "기타", "その他"], "other"),
    *[(SAMPLE_STATUS, [code], code) for code in (
        "planned", "collected", "shipped", "received", "extracted", "profiled", "failed",
        "consumed")],
    *[(CUSTODY_EVENT, [code], code) for code in (
        "recovered", "transferred", "received", "stored", "sampled", "shipped", "returned",
        "consumed")],
    (CUSTODY_EVENT, ["수습", "収容"], "recovered"),
    (CUSTODY_EVENT, ["인계", "引渡し"], "transferred"),
]


@pytest.mark.parametrize(
    ("vocab", "term", "code"),
    [(vocab, term, code) for vocab, terms, code in TERMS for term in terms],
    ids=lambda v: v.name if isinstance(v, Vocabulary) else None,
)
def test_term_parses_to_code(vocab, term, code):
    assert vocab.parse(term) == code


@pytest.mark.parametrize(
    "term",
    ["  Korea  ", "ＫＯＲＥＡ", "korea", "\u3000한국\u3000"],
    ids=["spaces", "full-width", "lower", "ideographic-space"],
)
def test_matching_ignores_case_width_and_spaces(term):
    assert NATIONALITY.parse(term) == "KR"


@pytest.mark.parametrize(
    ("term", "message"),
    [
        ("조카", "'조카'만으로는 어느 쪽 계통인지 알 수 없습니다: 형제의 아들 (brother's son), 형제의 딸 (brother's "
                 "daughter), 생질 (sister's son) 또는 생질녀 (sister's daughter) 중 하나로 쓰십시오"),
        ("손자", "'손자'만으로는 어느 쪽 계통인지 알 수 없습니다: 친손자 (son's son) 또는 외손자 (daughter's son) 중 "
                 "하나로 쓰십시오"),
        ("손녀", "'손녀'만으로는 어느 쪽 계통인지 알 수 없습니다: 친손녀 (son's daughter) 또는 외손녀 (daughter's "
                 "daughter) 중 하나로 쓰십시오"),
        ("甥", "'甥'だけではどちらの系統か分かりません: 兄弟の息子 (brother's son) または 姉妹の息子 (sister's son) "
               "のいずれかを書いてください"),
        ("姪", "'姪'だけではどちらの系統か分かりません: 兄弟の娘 (brother's daughter) または 姉妹の娘 (sister's "
               "daughter) のいずれかを書いてください"),
        ("甥っ子", "'甥っ子'だけではどちらの系統か分かりません: 兄弟の息子 (brother's son) または 姉妹の息子 "
                   "(sister's son) のいずれかを書いてください"),
        ("姪っ子", "'姪っ子'だけではどちらの系統か分かりません: 兄弟の娘 (brother's daughter) または 姉妹の娘 "
                   "(sister's daughter) のいずれかを書いてください"),
        ("孫", "'孫'だけではどちらの系統か分かりません: 息子の息子 (son's son)、息子の娘 (son's daughter)、娘の息子 "
               "(daughter's son) または 娘の娘 (daughter's daughter) のいずれかを書いてください"),
        ("nephew", "'nephew' hides the line: write brother's son or sister's son"),
        ("half-brother", "'half-brother' hides the line: write half-brother (paternal) or "
         "half-brother (maternal)"),
        ("동생", "'동생'만으로는 성별을 알 수 없습니다: 형제 (brother) 또는 자매 (sister) 중 하나로 쓰십시오"),
    ],
    ids=lambda v: v if len(v) < 15 else None,
)
def test_ambiguous_relationship(term, message):
    with pytest.raises(VocabError) as err:
        RELATIONSHIP.parse(term)
    assert str(err.value) == message


@pytest.mark.parametrize(
    ("vocab", "term", "message"),
    [
        (ELEMENT, "femr", "'femr' is not a skeletal element (did you mean femur?); expected "
         "one of: cranium, mandible, tooth, vertebra, rib, clavicle, scapula, humerus, radius, "
         "ulna, hand, pelvis, sacrum, femur, patella, tibia, fibula, foot, fragment"),
        (ELEMENT, "대퇴곤", "'대퇴곤' is not a skeletal element (did you mean 대퇴골: femur?); "
         "expected one of: cranium, mandible, tooth, vertebra, rib, clavicle, scapula, "
         "humerus, radius, ulna, hand, pelvis, sacrum, femur, patella, tibia, fibula, foot, "
         "fragment"),
        (SEX, "x", "'x' is not a sex; expected one of: M, F, U"),
        (SEX, None, "'' is not a sex; expected one of: M, F, U"),
        (NATIONALITY, "China", "'China' is not a nationality; expected one of: KR, JP"),
        (RELATIONSHIP, "nephw", "'nephw' is not a relationship (did you mean nephew: brother's "
         "son or sister's son?); expected one of: son, daughter, father, mother, brother, "
         "sister, half-brother (paternal), half-brother (maternal), half-sister (paternal), "
         "half-sister (maternal), son's son, son's daughter, daughter's son, daughter's "
         "daughter, brother's son, brother's daughter, sister's son, sister's daughter, "
         "spouse, other, a Korean or Japanese term that fixes the line, or a path of steps "
         "joined by 's such as brother's son's son"),
    ],
    ids=["close-english", "close-korean", "no-hint", "none", "nationality", "close-ambiguous"],
)
def test_unknown_term(vocab, term, message):
    with pytest.raises(VocabError) as err:
        vocab.parse(term)
    assert str(err.value) == message


def test_vocab_error_is_a_value_error():
    with pytest.raises(ValueError):
        SIDE.parse("up")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", list(VOCABULARIES))
def test_every_label_parses_back(name, lang):
    vocab = VOCABULARIES[name]
    for code, label in zip(vocab.codes, vocab.choices(lang), strict=True):
        parsed = vocab.parse(label)
        assert parsed == ((code,) if vocab is CONSENT_SCOPE else code), (code, lang, label)


@pytest.mark.parametrize(
    ("vocab", "code", "en", "ko", "ja"),
    [
        (RELATIONSHIP, "son's son", "son's son", "친손자", "息子の息子"),
        (RELATIONSHIP, "sister's son", "sister's son", "생질", "姉妹の息子"),
        (ELEMENT, "femur", "femur", "대퇴골", "大腿骨"),
        (SIDE, "left", "left", "좌", "左"),
        (NATIONALITY, "KR", "KR", "한국", "韓国"),
        (SEX, "F", "F", "여", "女"),
    ],
    ids=lambda v: v.name if isinstance(v, Vocabulary) else None,
)
def test_label(vocab, code, en, ko, ja):
    assert (vocab.label(code, "en"), vocab.label(code, "ko"), vocab.label(code, "ja")) == (
        en, ko, ja)


def test_label_errors():
    with pytest.raises(VocabError) as err:
        SIDE.label("left", "fr")
    assert str(err.value) == "'fr' is not a language; expected one of: en, ko, ja"
    with pytest.raises(VocabError) as err:
        SIDE.label("up", "en")
    assert str(err.value) == ("'up' is not a side code; expected one of: left, right, "
                              "midline, unknown")


def test_codes_and_registry():
    assert ELEMENT.codes[:3] == ("cranium", "mandible", "tooth")
    assert "femur" in ELEMENT
    assert "skull" not in ELEMENT
    assert set(VOCABULARIES) == {
        "nationality", "sex", "relationship", "element", "side", "sample_type",
        "sample_status", "custody_event", "script", "consent_scope"}
    assert all(len(set(v.choices(lang))) == len(v.codes)
               for v in VOCABULARIES.values() for lang in LANGS)


def test_a_term_meaning_two_codes_is_refused_when_built():
    with pytest.raises(ValueError, match="'up' means both a and b"):
        Vocabulary("t", "a test", {"a": {"en": ("up",), "ko": ("가",), "ja": ("あ",)},
                                   "b": {"en": ("up",), "ko": ("나",), "ja": ("い",)}})


# --- Consent scope ---------------------------------------------------------------------

@pytest.mark.parametrize(
    ("value", "codes"),
    [
        ("analysis;share:KR;share:JP", ("analysis", "share:JP", "share:KR")),
        ("share:JP, analysis", ("analysis", "share:JP")),
        ("analysis；share：KR", ("analysis", "share:KR")),
        ("분석;공유:KR", ("analysis", "share:KR")),
        ("分析、共有:JP", ("analysis", "share:JP")),
        ("share:Korea", ("share:KR",)),
        ("공유:일본", ("share:JP",)),
        ("analysis;analysis", ("analysis",)),
        ("", ()),
        (None, ()),
    ],
    ids=["all", "comma", "full-width", "korean", "japanese", "nationality-word",
         "korean-nationality", "duplicate", "empty", "none"],
)
def test_consent_scope(value, codes):
    assert CONSENT_SCOPE.parse(value) == codes


def test_consent_scope_errors():
    with pytest.raises(VocabError) as err:
        CONSENT_SCOPE.parse("analysis;share:CN")
    assert str(err.value) == ("'share:CN' is not a consent scope (did you mean share:KR?); "
                              "expected one of: analysis, share:KR, share:JP")


def test_consent_scope_format():
    assert CONSENT_SCOPE.format(["share:KR", "analysis"], "en") == "analysis;share:KR"
    assert CONSENT_SCOPE.format(["share:KR", "analysis"], "ja") == "分析;共有:KR"
    assert CONSENT_SCOPE.parse(CONSENT_SCOPE.format(["share:JP", "analysis"], "ko")) == (
        "analysis", "share:JP")


# --- IDs -------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("ＣＨ－００１", "CH-001"),
        ("  CH-001 ", "CH-001"),
        ("CH\u2212001", "CH-001"),
        ("CH\u2010001", "CH-001"),
        ("CH\u2013001", "CH-001"),
        ("CH\u2015001", "CH-001"),
        ("CHー001", "CH-001"),
        ("ｶﾈﾓﾄ", "カネモト"),
        ("カーボン", "カーボン"),
        (12, "12"),
        (12.0, "12"),
        (12.5, "12.5"),
        ("12", "12"),
        ("", None),
        ("   ", None),
        (None, None),
    ],
    ids=["full-width", "trim", "minus", "hyphen", "en-dash", "bar", "prolonged-mark",
         "half-width-kana", "kana-prolonged-mark-kept", "int", "float",
         "fraction", "text-number", "empty", "spaces", "none"],
)
def test_normalize_id(value, expected):
    assert normalize_id(value) == expected


@pytest.mark.parametrize("value", [True, float("nan")], ids=["bool", "nan"])
def test_normalize_id_errors(value):
    with pytest.raises(VocabError) as err:
        normalize_id(value)
    assert str(err.value) == f"'{value}' is not an ID: write the ID as text or a number"


@given(st.one_of(st.text(), st.from_regex(r"[A-Za-z0-9 \-]{1,12}", fullmatch=True),
                 st.sampled_from(["CH-001", "CH 001", "CH  001", " CH", "CH ", "A\x1fB", "A\tB",
                                  "ＣＨ－００１", "R‐12", "AーB", ""])))
def test_ids_taken_as_plain_at_a_glance_are_normalised_to_themselves(text: str) -> None:
    """`is_plain_id` lets `normalize_id` skip normalising: normalising must agree."""
    from chosei.vocab import _normalize_text_id, is_plain_id

    def outcome(fn, value):  # the ID, or the message refusing it
        try:
            return fn(value)
        except VocabError as exc:
            return f"refused: {exc}"

    if is_plain_id(text):
        assert _normalize_text_id(text) == text
    assert outcome(normalize_id, text) == outcome(_normalize_text_id, text)


@pytest.mark.parametrize("vocab", list(VOCABULARIES.values()), ids=lambda v: v.name)
def test_every_code_is_its_own_term(vocab: Vocabulary) -> None:
    """`parse` returns a code as it is: the terms must read it as itself too."""
    for code in vocab.codes:
        assert Vocabulary.parse(vocab, f" {code} ") == code  # by its terms
        assert Vocabulary.parse(vocab, code) == code  # at a glance
