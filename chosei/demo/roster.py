"""The demo roster: 183 generated victims, 136 Korean and 47 Japanese.

Each victim's true birth date is drawn first; what the roster shows is what a source
would have written: a full date, a year and month, a year, or only an age at death,
and in the form the source used (ISO, a Japanese era date, a Korean Dangi year), so
the store's date parsing is exercised on the way in.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from chosei.demo.names import (
    SRC_FAMILY,
    SRC_REGISTER,
    SRC_ROSTER,
    SRC_TABLET,
    JapaneseName,
    KoreanName,
    japanese_victim_name,
    korean_victim_name,
)

DISASTER = dt.date(1942, 2, 3)
TOTAL, KOREAN, NORTHERN = 183, 136, 5
ONLY_JAPANESE_NAME = 12  # Korean victims known only by the imposed name

KR_PROVINCES = {
    "경상남도": (("사천군", "고성군", "하동군", "의령군", "창원군"), 30),
    "경상북도": (("안동군", "예천군", "상주군", "영일군"), 18),
    "전라남도": (("순천군", "보성군", "고흥군", "영암군"), 16),
    "전라북도": (("김제군", "정읍군", "고창군"), 10),
    "충청남도": (("논산군", "공주군", "서산군"), 10),
    "충청북도": (("청주군", "옥천군", "괴산군"), 7),
    "경기도": (("수원군", "이천군", "용인군"), 5),
    "강원도": (("춘천군", "원주군", "강릉군"), 4),
}
NORTH_PROVINCES = {
    "평안남도": ("평원군", "순천군"),
    "평안북도": ("정주군", "의주군"),
    "함경남도": ("함주군", "북청군"),
    "함경북도": ("길주군",),
    "황해도": ("해주군", "연백군"),
}
JP_DOMICILES = (("山口県宇部市", 40), ("山口県厚狭郡", 12), ("山口県小野田町", 8),
                ("山口県吉敷郡", 6), ("福岡県嘉穂郡", 4), ("広島県安芸郡", 3),
                ("島根県那賀郡", 3), ("佐賀県東松浦郡", 2), ("大分県宇佐郡", 2))


@dataclass
class VictimPlan:
    """A generated victim: the roster row, extra names, and facts only the generator knows."""

    id: str
    nationality: str
    name: KoreanName | JapaneseName
    born: dt.date
    korean_known: bool = True
    northern: bool = False
    row: dict[str, object] = field(default_factory=dict)
    names: list[dict[str, object]] = field(default_factory=list)

    @property
    def age(self) -> int:
        before_birthday = (DISASTER.month, DISASTER.day) < (self.born.month, self.born.day)
        return DISASTER.year - self.born.year - before_birthday

    @property
    def surname(self) -> str:
        """The family name relatives on the paternal line carry (hangul or kanji)."""
        if isinstance(self.name, KoreanName):
            return self.name.surname.hangul
        return self.name.surname[0]


def _era(day: dt.date, precision: str) -> str:
    if day >= dt.date(1926, 12, 25):
        era, year = "昭和", day.year - 1925
    elif day >= dt.date(1912, 7, 30):
        era, year = "大正", day.year - 1911
    else:
        era, year = "明治", day.year - 1867
    text = f"{era}{'元' if year == 1 else year}年"
    if precision in ("month", "full"):
        text += f"{day.month}月"
    if precision == "full":
        text += f"{day.day}日"
    return text


def _birth_cell(rng: random.Random, born: dt.date, nationality: str) -> tuple[str | None, bool]:
    """(what the roster's birth cell says, whether the age at death is recorded too)."""
    r = rng.random()
    precision = "full" if r < 0.45 else "month" if r < 0.6 else "year" if r < 0.85 else None
    if precision is None:
        return None, True
    iso = {"full": born.isoformat(), "month": born.isoformat()[:7], "year": str(born.year)}
    # A year alone in an era at its change-over year would be ambiguous; write it in ISO.
    era_safe = precision != "year" or born.year not in (1912, 1926)
    if nationality == "JP" and era_safe and rng.random() < 0.6:
        return _era(born, precision), precision == "full" and rng.random() < 0.2
    if nationality == "KR" and precision != "full" and rng.random() < 0.4:
        month = f" {born.month}월" if precision == "month" else ""
        return f"단기 {born.year + 2333}년{month}", False
    return iso[precision], precision == "full" and rng.random() < 0.2


def _born(rng: random.Random, nationality: str) -> dt.date:
    # Korean labourers were mostly young men; the Japanese miners were older on average.
    low, high, mode = (16, 45, 23) if nationality == "KR" else (15, 58, 31)
    age = round(rng.triangular(low, high, mode))
    return DISASTER - dt.timedelta(days=age * 365 + rng.randrange(365))


def _domicile(rng: random.Random, nationality: str, northern: bool) -> str:
    if northern:
        province = rng.choice(sorted(NORTH_PROVINCES))
        return f"{province} {rng.choice(NORTH_PROVINCES[province])}"
    if nationality == "KR":
        names = list(KR_PROVINCES)
        province = rng.choices(names, weights=[KR_PROVINCES[p][1] for p in names])[0]
        return f"{province} {rng.choice(KR_PROVINCES[province][0])}"
    return rng.choices([d for d, _ in JP_DOMICILES], weights=[w for _, w in JP_DOMICILES])[0]


def build_roster(rng: random.Random) -> list[VictimPlan]:
    nationalities = ["KR"] * KOREAN + ["JP"] * (TOTAL - KOREAN)
    rng.shuffle(nationalities)
    korean_ids = [i for i, n in enumerate(nationalities) if n == "KR"]
    picked = rng.sample(korean_ids, NORTHERN + ONLY_JAPANESE_NAME)
    northern, only_japanese = set(picked[:NORTHERN]), set(picked[NORTHERN:])
    taken: set[str] = set()
    plans = []
    for i, nationality in enumerate(nationalities):
        vid = f"CH-{i + 1:03d}"
        born = _born(rng, nationality)
        if nationality == "KR":
            plan = VictimPlan(vid, "KR", korean_victim_name(rng, taken), born,
                              korean_known=i not in only_japanese, northern=i in northern)
        else:
            plan = VictimPlan(vid, "JP", japanese_victim_name(rng, taken), born)
        _fill_row(rng, plan)
        plans.append(plan)
    return plans


def _fill_row(rng: random.Random, plan: VictimPlan) -> None:
    birth, with_age = _birth_cell(rng, plan.born, plan.nationality)
    sources = [SRC_TABLET, SRC_REGISTER]
    if rng.random() < 0.4:
        sources.append(SRC_ROSTER)
    notes = None
    name = plan.name
    if isinstance(name, KoreanName):
        variants = name.variants(rng, korean_known=plan.korean_known)
        row: dict[str, object] = {"name_japanese": name.japanese, "name_reading": name.reading}
        if plan.korean_known:
            row.update(name_hangul=name.hangul, name_hanja=name.hanja, name_latin=name.latin)
        else:
            notes = "Korean name not yet known: the records give only the Japanese-style name"
        if any(source == SRC_TABLET for _, _, source in variants):
            notes = "Korean name written on the back of the Saikoji tablet"
    else:
        variants = name.variants(rng)
        row = {"name_japanese": name.kanji, "name_reading": name.reading,
               "name_latin": name.latin}
    sources += [s for _, _, s in variants if s not in sources]
    address = None
    if plan.nationality == "KR" and rng.random() < 0.5:
        address = "山口県宇部市 長生炭鉱 飯場 (worker housing)"
    plan.row = {
        "id": plan.id, "nationality": plan.nationality, **row, "sex": "M",
        "birth_date": birth, "age_at_death": plan.age if with_age else None,
        "domicile": _domicile(rng, plan.nationality, plan.northern), "address": address,
        "sources": "; ".join(sources), "notes": notes,
    }
    plan.names = [{"victim_id": plan.id, "name": text, "script": script, "source": source}
                  for text, script, source in variants]


def add_source(plan: VictimPlan, source: str = SRC_FAMILY) -> None:
    """Record that a family register was found (the family was traced through it)."""
    sources = str(plan.row["sources"]).split("; ")
    if source not in sources:
        plan.row["sources"] = "; ".join([*sources, source])
