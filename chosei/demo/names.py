"""Fictional names for the demo: common surnames and given-name syllables, combined.

The lists hold syllables and common surnames only, never a person: a generated victim
is a random combination. Korean victims get the forms the real records show (hangul,
hanja, the Japanese-style name imposed by the 1940 name-change order with its reading,
a romanisation) and, for some, the spellings other sources used: a homophone character
on a temple tablet, post-war simplified characters in a register, katakana in a worker
roster, the northern spelling of a surname (리 for 이) in a family register.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

# The example name of the search docs and tests (chosei/names.py, docs/exchange.md):
# never generate it for a victim.
BLOCKED = frozenset({"김정웅", "金正雄", "金本正雄"})

SRC_TABLET = "Saikoji tablet"
SRC_REGISTER = "death register 殉職産業人名簿"
SRC_ROSTER = "worker roster"
SRC_FAMILY = "family register 제적등본"


@dataclass(frozen=True)
class Surname:
    hangul: str
    hanja: str
    latin: str
    weight: int
    imposed: tuple[tuple[str, str], ...]  # Japanese-style surnames (kanji, reading)
    variant: str = ""  # another hangul spelling of the same surname


# Weights roughly follow how common each surname is in Korea.
KR_SURNAMES = (
    Surname("김", "金", "Kim", 22, (("金本", "かねもと"), ("金山", "かなやま"),
                                    ("金田", "かねだ"), ("金村", "かねむら"))),
    Surname("이", "李", "Lee", 15, (("岩本", "いわもと"), ("宮本", "みやもと"),
                                    ("國本", "くにもと")), "리"),
    Surname("박", "朴", "Park", 9, (("新井", "あらい"), ("木村", "きむら"), ("朴山", "ぼくやま"))),
    Surname("최", "崔", "Choi", 5, (("佳山", "かやま"), ("富永", "とみなが"))),
    Surname("정", "鄭", "Jeong", 5, (("東原", "ひがしはら"), ("松原", "まつばら"))),
    Surname("강", "姜", "Kang", 3, (("大山", "おおやま"), ("神田", "かんだ"))),
    Surname("조", "趙", "Cho", 3, (("夏山", "なつやま"), ("松山", "まつやま"))),
    Surname("윤", "尹", "Yun", 2, (("伊東", "いとう"), ("平沼", "ひらぬま"))),
    Surname("장", "張", "Jang", 2, (("張本", "はりもと"), ("玉山", "たまやま"))),
    Surname("임", "林", "Lim", 2, (("林", "はやし"), ("平林", "ひらばやし")), "림"),
    Surname("한", "韓", "Han", 2, (("西原", "にしはら"), ("清原", "きよはら"))),
    Surname("오", "吳", "Oh", 2, (("吳山", "くれやま"), ("吳本", "くれもと"))),
    Surname("신", "申", "Shin", 2, (("平山", "ひらやま"), ("中山", "なかやま"))),
    Surname("권", "權", "Kwon", 2, (("安東", "あんどう"), ("權藤", "ごんどう"))),
    Surname("황", "黃", "Hwang", 2, (("夏川", "なつかわ"), ("黃山", "こうやま"))),
    Surname("안", "安", "Ahn", 2, (("安田", "やすだ"), ("安本", "やすもと"))),
    Surname("송", "宋", "Song", 2, (("野村", "のむら"), ("宋村", "そうむら"))),
    Surname("류", "柳", "Ryu", 2, (("柳川", "やながわ"), ("柳田", "やなぎだ")), "유"),
    Surname("홍", "洪", "Hong", 2, (("德山", "とくやま"), ("洪川", "こうかわ"))),
    Surname("서", "徐", "Seo", 1, (("大峰", "おおみね"), ("徐山", "じょやま"))),
)

# Given-name syllables: hangul, hanja, romanisation, Japanese on-reading, and a
# homophone character another record might use for the same sound ("" when none).
KR_SYLLABLES = (
    ("정", "正", "jeong", "せい", "貞"), ("웅", "雄", "ung", "ゆう", "熊"),
    ("영", "永", "yeong", "えい", "榮"), ("수", "洙", "su", "しゅ", "壽"),
    ("철", "哲", "cheol", "てつ", "鐵"), ("만", "萬", "man", "まん", ""),
    ("복", "福", "bok", "ふく", "卜"), ("석", "錫", "seok", "しゃく", "石"),
    ("용", "龍", "yong", "りゅう", "用"), ("길", "吉", "gil", "きち", ""),
    ("남", "南", "nam", "なん", "男"), ("춘", "春", "chun", "しゅん", ""),
    ("식", "植", "sik", "しょく", "式"), ("호", "浩", "ho", "こう", "鎬"),
    ("근", "根", "geun", "こん", "近"), ("성", "成", "seong", "せい", "聖"),
    ("진", "鎭", "jin", "ちん", "珍"), ("동", "東", "dong", "とう", "童"),
    ("태", "泰", "tae", "たい", "太"), ("상", "相", "sang", "そう", "尙"),
    ("문", "文", "mun", "ぶん", ""), ("병", "炳", "byeong", "へい", "秉"),
    ("덕", "德", "deok", "とく", ""), ("봉", "奉", "bong", "ほう", "鳳"),
    ("갑", "甲", "gap", "こう", ""), ("순", "順", "sun", "じゅん", "淳"),
    ("원", "元", "won", "げん", "源"), ("일", "一", "il", "いち", "日"),
    ("재", "在", "jae", "ざい", "載"), ("학", "學", "hak", "がく", "鶴"),
    ("규", "圭", "gyu", "けい", "奎"), ("달", "達", "dal", "たつ", ""),
    ("두", "斗", "du", "と", ""), ("준", "俊", "jun", "しゅん", "準"),
    ("현", "鉉", "hyeon", "げん", "賢"), ("기", "基", "gi", "き", "起"),
    ("대", "大", "dae", "だい", ""), ("창", "昌", "chang", "しょう", "彰"),
    ("인", "仁", "in", "じん", "寅"), ("환", "煥", "hwan", "かん", "桓"),
    ("천", "千", "cheon", "せん", "天"), ("칠", "七", "chil", "しち", ""),
)

# Syllables more often seen in women's names of the time (for relatives only).
KR_FEMALE_SYLLABLES = ("순", "자", "옥", "숙", "희", "분", "례", "금", "임", "화", "선", "경")
KR_MODERN_SYLLABLES = ("민", "지", "현", "준", "서", "우", "진", "혁", "성", "훈", "재", "영")

# Characters written in simplified (shinjitai) form in post-war Japanese registers.
SHINJITAI = {"萬": "万", "德": "徳", "學": "学", "鎭": "鎮", "榮": "栄", "壽": "寿",
             "鐵": "鉄", "國": "国", "吳": "呉", "黃": "黄", "權": "権", "尙": "尚"}

# Japanese surnames: kanji, reading, romaji, and the old (pre-war) form where it differs.
JP_SURNAMES = (
    ("佐藤", "さとう", "Sato", ""), ("田中", "たなか", "Tanaka", ""),
    ("山本", "やまもと", "Yamamoto", ""), ("中村", "なかむら", "Nakamura", ""),
    ("藤井", "ふじい", "Fujii", ""), ("河村", "かわむら", "Kawamura", ""),
    ("西村", "にしむら", "Nishimura", ""), ("原田", "はらだ", "Harada", ""),
    ("村上", "むらかみ", "Murakami", ""), ("松田", "まつだ", "Matsuda", ""),
    ("岡本", "おかもと", "Okamoto", ""), ("石川", "いしかわ", "Ishikawa", ""),
    ("渡辺", "わたなべ", "Watanabe", "渡邊"), ("沢田", "さわだ", "Sawada", "澤田"),
    ("斉藤", "さいとう", "Saito", "齋藤"), ("広中", "ひろなか", "Hironaka", "廣中"),
    ("浜田", "はまだ", "Hamada", "濱田"), ("桜井", "さくらい", "Sakurai", "櫻井"),
    ("藤本", "ふじもと", "Fujimoto", ""), ("吉村", "よしむら", "Yoshimura", ""),
    ("末永", "すえなが", "Suenaga", ""), ("福田", "ふくだ", "Fukuda", ""),
    ("小野", "おの", "Ono", ""), ("伊藤", "いとう", "Ito", ""),
    ("高橋", "たかはし", "Takahashi", ""), ("山田", "やまだ", "Yamada", ""),
    ("井上", "いのうえ", "Inoue", ""), ("中野", "なかの", "Nakano", ""),
)
JP_MALE_GIVEN = (
    ("一郎", "いちろう", "Ichiro"), ("次郎", "じろう", "Jiro"), ("三郎", "さぶろう", "Saburo"),
    ("正一", "しょういち", "Shoichi"), ("清", "きよし", "Kiyoshi"), ("実", "みのる", "Minoru"),
    ("勇", "いさむ", "Isamu"), ("茂", "しげる", "Shigeru"), ("武", "たけし", "Takeshi"),
    ("進", "すすむ", "Susumu"), ("正雄", "まさお", "Masao"), ("義雄", "よしお", "Yoshio"),
    ("秀雄", "ひでお", "Hideo"), ("春男", "はるお", "Haruo"), ("利夫", "としお", "Toshio"),
    ("久", "ひさし", "Hisashi"), ("正義", "まさよし", "Masayoshi"), ("忠", "ただし", "Tadashi"),
    ("弘", "ひろし", "Hiroshi"), ("勝", "まさる", "Masaru"), ("寅吉", "とらきち", "Torakichi"),
    ("熊市", "くまいち", "Kumaichi"), ("政吉", "まさきち", "Masakichi"),
    ("留吉", "とめきち", "Tomekichi"), ("市太郎", "いちたろう", "Ichitaro"),
)
JP_FEMALE_GIVEN = (
    ("和子", "かずこ", "Kazuko"), ("幸子", "さちこ", "Sachiko"), ("節子", "せつこ", "Setsuko"),
    ("洋子", "ようこ", "Yoko"), ("恵子", "けいこ", "Keiko"), ("久美子", "くみこ", "Kumiko"),
    ("裕子", "ゆうこ", "Yuko"), ("明美", "あけみ", "Akemi"),
)
JP_MODERN_MALE = (
    ("浩", "ひろし", "Hiroshi"), ("誠", "まこと", "Makoto"), ("健一", "けんいち", "Kenichi"),
    ("隆", "たかし", "Takashi"), ("修", "おさむ", "Osamu"), ("哲也", "てつや", "Tetsuya"),
)


def _katakana(kana: str) -> str:
    return "".join(chr(ord(c) + 0x60) if "ぁ" <= c <= "ゖ" else c for c in kana)


def _shinjitai(text: str) -> str:
    return "".join(SHINJITAI.get(c, c) for c in text)


@dataclass(frozen=True)
class KoreanName:
    surname: Surname
    given: tuple[tuple[str, str, str, str, str], ...]
    imposed_surname: tuple[str, str]
    imposed_given: tuple[str, str]  # kanji, reading

    @property
    def hangul(self) -> str:
        return self.surname.hangul + "".join(s[0] for s in self.given)

    @property
    def hanja(self) -> str:
        return self.surname.hanja + "".join(s[1] for s in self.given)

    @property
    def japanese(self) -> str:
        return self.imposed_surname[0] + self.imposed_given[0]

    @property
    def reading(self) -> str:
        return f"{self.imposed_surname[1]} {self.imposed_given[1]}"

    @property
    def latin(self) -> str:
        given = "-".join(s[2] for s in self.given)
        return f"{self.surname.latin} {given[:1].upper()}{given[1:]}"

    def variants(self, rng: random.Random, *, korean_known: bool) -> list[tuple[str, str, str]]:
        """Other spellings, each as (name, script, source); some victims have none."""
        found: list[tuple[str, str, str]] = []
        if korean_known:
            alt = [s for s in self.given if s[4]]
            if alt and rng.random() < 0.35:
                old = rng.choice(alt)
                tablet = self.surname.hanja + "".join(
                    s[4] if s is old else s[1] for s in self.given)
                found.append((tablet, "hanja", SRC_TABLET))
            if self.surname.variant and rng.random() < 0.6:
                spelled = self.surname.variant + "".join(s[0] for s in self.given)
                found.append((spelled, "hangul", SRC_FAMILY))
        simplified = _shinjitai(self.japanese)
        if simplified != self.japanese and rng.random() < 0.7:
            found.append((simplified, "japanese", SRC_REGISTER))
        if rng.random() < 0.25:
            found.append((_katakana(self.reading), "kana", SRC_ROSTER))
        return found


@dataclass(frozen=True)
class JapaneseName:
    surname: tuple[str, str, str, str]
    given: tuple[str, str, str]

    @property
    def kanji(self) -> str:
        return self.surname[0] + self.given[0]

    @property
    def reading(self) -> str:
        return f"{self.surname[1]} {self.given[1]}"

    @property
    def latin(self) -> str:
        return f"{self.surname[2]} {self.given[2]}"

    def variants(self, rng: random.Random) -> list[tuple[str, str, str]]:
        found: list[tuple[str, str, str]] = []
        if self.surname[3] and rng.random() < 0.7:
            found.append((self.surname[3] + self.given[0], "japanese", SRC_TABLET))
        if rng.random() < 0.15:
            found.append((_katakana(self.reading), "kana", SRC_ROSTER))
        return found


def _weighted_surname(rng: random.Random) -> Surname:
    return rng.choices(KR_SURNAMES, weights=[s.weight for s in KR_SURNAMES])[0]


def korean_victim_name(rng: random.Random, taken: set[str]) -> KoreanName:
    """A new Korean name, unique among `taken` (hangul forms) and never a blocked one."""
    while True:
        surname = _weighted_surname(rng)
        given = tuple(rng.sample(KR_SYLLABLES, 2))
        imposed = rng.choice(surname.imposed)
        if rng.random() < 0.7:
            # Most kept their given name's characters, read the Japanese way.
            imposed_given = ("".join(s[1] for s in given), "".join(s[3] for s in given))
        else:
            kanji, kana, _ = rng.choice(JP_MALE_GIVEN)
            imposed_given = (kanji, kana)
        name = KoreanName(surname, given, imposed, imposed_given)
        if name.hangul in taken or {name.hangul, name.hanja, name.japanese} & BLOCKED:
            continue
        taken.add(name.hangul)
        return name


def japanese_victim_name(rng: random.Random, taken: set[str]) -> JapaneseName:
    while True:
        name = JapaneseName(rng.choice(JP_SURNAMES), rng.choice(JP_MALE_GIVEN))
        if name.kanji in taken:
            continue
        taken.add(name.kanji)
        return name


def korean_relative_name(rng: random.Random, surname_hangul: str | None, sex: str,
                         born: int) -> str:
    """A relative's name in hangul; `surname_hangul` None means another family's surname."""
    surname = surname_hangul or _weighted_surname(rng).hangul
    if born >= 1960:
        pool = KR_MODERN_SYLLABLES
        given = "".join(rng.sample(pool, 2))
    elif sex == "F":
        given = rng.choice(KR_SYLLABLES)[0] + rng.choice(KR_FEMALE_SYLLABLES)
    else:
        given = "".join(s[0] for s in rng.sample(KR_SYLLABLES, 2))
    return surname + given


def japanese_relative_name(rng: random.Random, surname_kanji: str | None, sex: str,
                           born: int) -> str:
    surname = surname_kanji or rng.choice(JP_SURNAMES)[0]
    if sex == "F":
        given = rng.choice(JP_FEMALE_GIVEN)[0]
    elif born >= 1960:
        given = rng.choice(JP_MODERN_MALE)[0]
    else:
        given = rng.choice(JP_MALE_GIVEN)[0]
    return surname + given
