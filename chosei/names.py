"""Finding a victim by any of their names, in any script.

A Korean victim may be recorded as 김정웅, 金正雄, 金本正雄 (かねもと まさお) or
Kim Chŏng-ung. Every name is stored with its search keys: the name normalised, for
hangul its romanisations, for kana its Hepburn spellings (so `Kanemoto` finds the
reading かねもと; kanji alone carry no reading, which is why the roster keeps one). A
query matches when, normalised, it is a key or part of one.

Romanisation is done here, on the arithmetic of the Unicode hangul block, rather than
with a PyPI package: the packages available apply liaison but not nasalisation or
lateralisation (종로 comes out `jongro`, not `jongno`), none gives McCune-Reischauer,
and the surname spellings people actually use (Lee, Park, Choi) are a table anyway.
"""

from __future__ import annotations

import re
import unicodedata

import jaconv

_HANGUL = re.compile(r"[\uac00-\ud7a3]+")
_DROPPED = re.compile(r"[\s\-‐‑‒–—―−_'’‘ʼ`´·・ㆍ‧,.]")
_MIN_QUERY = 2


def _fold_char(ch: str) -> str:
    if "\u30a1" <= ch <= "\u30f6" or ch in "ヽヾ":
        return chr(ord(ch) - 0x60)  # katakana to hiragana
    if ord(ch) < 0x250 or "\u1e00" <= ch <= "\u1eff":
        # Latin with diacritics (ŏ, ŭ in McCune-Reischauer) to the bare letter.
        return "".join(c for c in unicodedata.normalize("NFD", ch)
                       if not unicodedata.combining(c))
    return ch


def normalize(s: str) -> str:
    """NFKC, casefold, no spaces, hyphens, middle dots, apostrophes, commas or periods;
    katakana folded to hiragana and Latin diacritics dropped."""
    text = _DROPPED.sub("", unicodedata.normalize("NFKC", s).casefold())
    return "".join(_fold_char(ch) for ch in text)


# --- Hangul -----------------------------------------------------------------------------
# A syllable is 0xAC00 + (initial * 21 + vowel) * 28 + final. Sounds are handled as
# onset symbols (below) and coda classes K N T L M P NG before being spelled.

_ONSETS = ("G", "KK", "N", "D", "TT", "R", "M", "B", "PP", "S", "SS", "", "J", "JJ",
           "CH", "K", "T", "P", "H")
_RR_VOWELS = ("a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo",
              "u", "wo", "we", "wi", "yu", "eu", "ui", "i")
_MR_VOWELS = ("a", "ae", "ya", "yae", "ŏ", "e", "yŏ", "ye", "o", "wa", "wae", "oe", "yo",
              "u", "wŏ", "we", "wi", "yu", "ŭ", "ŭi", "i")
# English-style spellings common in passports: 정 jung, 준 joon, 현 hyun, 웅 woong.
_POP_VOWELS = ("a", "ae", "ya", "yae", "u", "e", "yu", "ye", "o", "wa", "wae", "oe", "yo",
               "oo", "wo", "we", "wi", "yu", "eu", "ui", "i")
_I_LIKE = {2, 3, 6, 7, 12, 17, 20, 16}  # vowels after which MR writes ㅅ as sh
_I = 20

# Per final: (coda alone, coda left when the next syllable starts with a vowel, onset
# carried over to it). ㅎ is silent before a vowel; a double final splits.
_FINALS = (
    ("", "", ""), ("K", "", "G"), ("K", "", "KK"), ("K", "K", "SS"), ("N", "", "N"),
    ("N", "N", "J"), ("N", "", "N"), ("T", "", "D"), ("L", "", "R"), ("K", "L", "G"),
    ("M", "L", "M"), ("L", "L", "B"), ("L", "L", "SS"), ("L", "L", "T"), ("P", "L", "P"),
    ("L", "", "R"), ("M", "", "M"), ("P", "", "B"), ("P", "P", "SS"), ("T", "", "S"),
    ("T", "", "SS"), ("NG", "NG", ""), ("T", "", "J"), ("T", "", "CH"), ("K", "", "K"),
    ("T", "", "T"), ("P", "", "P"), ("T", "", ""),
)
_H_FINAL = 27
_NASAL = {"K": "NG", "T": "N", "P": "M"}
_ASPIRATED = {"K": "K", "T": "T", "P": "P", "G": "K", "D": "T", "J": "CH"}

Syllable = tuple[str, int, str]  # onset, vowel, coda class


def _syllables(word: str, pronounce: bool) -> list[Syllable]:
    raw = []
    for ch in word:
        index = ord(ch) - 0xAC00
        raw.append((index // 588, (index % 588) // 28, index % 28))
    out: list[list] = [[_ONSETS[lead], vowel, _FINALS[final][0]] for lead, vowel, final in raw]
    if not pronounce:
        return [tuple(s) for s in out]
    for i in range(len(out) - 1):
        final, here, nxt = raw[i][2], out[i], out[i + 1]
        if final and nxt[0] == "" and final != 21:
            here[2], nxt[0] = _FINALS[final][1], _FINALS[final][2]
            if nxt[1] == _I and nxt[0] in ("D", "T"):  # 같이 is gachi
                nxt[0] = "J" if nxt[0] == "D" else "CH"
            continue
        if final == _H_FINAL and nxt[0] in ("G", "D", "J"):
            here[2], nxt[0] = "", _ASPIRATED[nxt[0]]
        elif here[2] in ("K", "T", "P") and nxt[0] == "H":
            here[2], nxt[0] = "", _ASPIRATED[here[2]]
        if nxt[0] == "R":
            if here[2] in ("N", "L"):
                here[2], nxt[0] = "L", "L"  # 신라 Silla
            elif here[2]:
                nxt[0] = "N"  # 종로 Jongno
        elif here[2] == "L" and nxt[0] == "N":
            nxt[0] = "L"
        if nxt[0] in ("N", "M") and here[2] in _NASAL:
            here[2] = _NASAL[here[2]]  # 백마 Baengma
    return [tuple(s) for s in out]


_RR_ONSET = {"G": "g", "KK": "kk", "N": "n", "D": "d", "TT": "tt", "R": "r", "L": "l",
             "M": "m", "B": "b", "PP": "pp", "S": "s", "SS": "ss", "": "", "J": "j",
             "JJ": "jj", "CH": "ch", "K": "k", "T": "t", "P": "p", "H": "h"}
_CODA = {"": "", "K": "k", "N": "n", "T": "t", "L": "l", "M": "m", "P": "p", "NG": "ng"}
# McCune-Reischauer voices ㄱ ㄷ ㅂ ㅈ between voiced sounds; apostrophes are dropped.
_MR_PLAIN = {"G": "k", "D": "t", "B": "p", "J": "ch", "JJ": "tch"}
_MR_VOICED = {"G": "g", "D": "d", "B": "b", "J": "j", "JJ": "tch"}


def _spell(sylls: list[Syllable], vowels: tuple[str, ...], mr_consonants: bool) -> str:
    text = ""
    for i, (onset, vowel, coda) in enumerate(sylls):
        prev = sylls[i - 1][2] if i else None
        if onset == "R" and prev == "L":
            lead = "l"
        elif mr_consonants and onset in _MR_PLAIN:
            voiced = prev is not None and prev in ("", "N", "L", "M", "NG")
            lead = (_MR_VOICED if voiced else _MR_PLAIN)[onset]
        elif mr_consonants and onset in ("S", "SS") and vowel in _I_LIKE:
            lead = "sh" if onset == "S" else "ss"
        else:
            lead = _RR_ONSET[onset]
        spelled = vowels[vowel]
        if onset == "" and vowels is _POP_VOWELS and spelled == "oo":
            spelled = "woo"  # 우 woo, 웅 woong
        text += lead + spelled + _CODA[coda]
    return text


def _renderings(word: str) -> set[str]:
    """A few spellings of one word: RR letter by letter (as RR writes given names), RR as
    pronounced, McCune-Reischauer without breves (ŏ as o and as eo), as pronounced and
    syllable by syllable, and the English-style spelling with either consonant set."""
    if not word:
        return {""}
    plain, spoken = _syllables(word, False), _syllables(word, True)
    mr = _spell(spoken, _MR_VOWELS, True)
    # MR as given names are usually written, syllable by syllable as if each began the
    # word (길동 Kil-tong, not Kildong): no voicing, no sound change across syllables.
    mr_each = "".join(_spell([syllable], _MR_VOWELS, True) for syllable in plain)
    return {
        _spell(plain, _RR_VOWELS, False),
        _spell(spoken, _RR_VOWELS, False),
        normalize(mr),
        mr.replace("ŏ", "eo").replace("ŭ", "eu"),
        normalize(mr_each),
        mr_each.replace("ŏ", "eo").replace("ŭ", "eu"),
        _spell(plain, _POP_VOWELS, False),
        _spell(spoken, _POP_VOWELS, True),
    }


# Spellings of surnames that the rules above do not produce (RR and MR ones they do).
_SURNAMES = {
    "김": "kim", "이": "lee yi rhee i ri", "박": "park pak bak", "최": "choi choe",
    "정": "jung jeong chung chong", "강": "kang gang", "조": "cho jo", "윤": "yoon yun",
    "장": "jang chang", "임": "lim im rim", "한": "han", "오": "oh o", "서": "seo suh so",
    "신": "shin sin", "권": "kwon gwon", "황": "hwang", "안": "ahn an", "송": "song",
    "류": "ryu yu yoo ryoo", "유": "yu yoo ryu", "홍": "hong", "전": "jeon jun chun chon",
    "고": "ko go", "문": "moon mun", "손": "son sohn", "양": "yang", "배": "bae pae",
    "백": "baek paek paik", "허": "heo hur ho", "남": "nam", "노": "noh no roh",
    "심": "shim sim", "하": "ha", "곽": "kwak gwak", "성": "sung seong song",
    "차": "cha", "주": "joo ju chu", "우": "woo u", "구": "koo ku gu", "민": "min",
    "나": "na ra", "진": "jin chin", "지": "ji chi", "엄": "eom um om", "채": "chae",
    "원": "won", "천": "cheon chun chon", "방": "bang pang", "공": "kong gong",
    "현": "hyun hyeon hyon", "함": "ham", "변": "byun byeon pyon", "염": "yeom yum yom",
    "여": "yeo yo yuh", "추": "choo chu", "도": "do to", "석": "seok suk sok",
    "선": "sun seon son", "설": "seol sul sol", "길": "gil kil", "연": "yeon yon youn",
    "위": "wi wee", "명": "myung myeong myong", "기": "ki gi", "반": "ban pan",
    "금": "keum geum kum", "육": "yuk yook", "국": "kook guk kuk", "경": "kyung gyeong kyong",
    "남궁": "namgung namkung", "황보": "hwangbo", "제갈": "jegal chegal",
    "선우": "sunwoo seonu sonu", "독고": "dokgo tokko", "사공": "sagong", "서문": "seomun",
}
_COMPOUND_SURNAMES = {s for s in _SURNAMES if len(s) == 2}


def _split_name(text: str) -> tuple[str, str]:
    words = text.split()
    if len(words) > 1 and len(words[0]) <= 2:
        return words[0], "".join(words[1:])
    joined = "".join(words)
    cut = 2 if len(joined) > 2 and joined[:2] in _COMPOUND_SURNAMES else 1
    return joined[:cut], joined[cut:]


def romanizations(hangul: str) -> set[str]:
    """Normalised romanisations of a hangul name, surname first and given name first.

    The first syllable (or a known two-syllable surname, or the first word when the
    name is spaced) is read as the surname: its common spellings times a few
    renderings of the given name, so the set stays small (well under 200 keys).
    Anything but hangul is ignored; each run of hangul is romanised on its own.
    """
    text = unicodedata.normalize("NFKC", hangul)
    if not _HANGUL.search(text):
        return set()
    if _HANGUL.sub("", _DROPPED.sub(" ", text)).strip():
        return set().union(*(romanizations(run) for run in _HANGUL.findall(text)))
    surname, given = _split_name(_DROPPED.sub(" ", text))
    surnames = _renderings(surname) | set(_SURNAMES.get(surname, "").split())
    givens = _renderings(given)
    keys = {s + g for s in surnames for g in givens}
    keys |= {g + s for s in surnames for g in givens if g}
    return keys


# --- Kana -------------------------------------------------------------------------------

_KANA_ONLY = re.compile(r"[\u3041-\u3096ー]+")
_LONG_VOWELS = (("ou", "o"), ("oo", "o"), ("uu", "u"))


def kana_romanizations(text: str) -> set[str]:
    """Hepburn spellings of a name written in kana, normalised: as spelled kana by kana
    (`kouichi`, jaconv's Hepburn) and with long vowels folded, as passports and most
    registers write them (`koichi`, `ota` for おおた). Empty for anything but kana."""
    hira = normalize(text)
    if not hira or not _KANA_ONLY.fullmatch(hira):
        return set()
    spelled = jaconv.kana2alphabet(hira.replace("ー", ""))
    folded = spelled
    for long, short in _LONG_VOWELS:
        folded = folded.replace(long, short)
    return {spelled, folded}


def search_keys(name: str) -> set[str]:
    """The keys a name is found by: itself normalised (kana as hiragana), for a name
    containing hangul its romanisations, and for a reading in kana its Hepburn spellings."""
    keys = {normalize(name)} | romanizations(name) | kana_romanizations(name)
    keys.discard("")
    return keys


def name_matches(query: str, keys: set[str]) -> bool:
    """Whether a query finds a name with these keys.

    The normalised query must equal a key or be part of one, so `정웅` finds `김정웅`
    and `Jeongung` finds `Kim Jeong-ung`. A query of one character is a surname or a
    syllable: a hangul syllable, a hanja/kanji or a kana finds the names that begin
    with it (`김` finds 김정웅, `金` finds 金本正雄), while one Latin letter or digit
    only matches a key equal to it (it would match nearly every name). A hangul
    query is also tried in its romanisations, so `김정웅` finds a name recorded only
    as `Kim Jeong-ung`, and a kana query in its Hepburn spellings.
    """
    q = normalize(query)
    if not q:
        return False
    if len(q) < _MIN_QUERY:
        if q.isascii():
            return q in keys
        return any(key.startswith(q) for key in keys)
    forms = {q} | romanizations(query) | kana_romanizations(query)
    return any(form in key for form in forms for key in keys)
