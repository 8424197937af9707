"""Plain words for one (specimen, victim) pair, in English, Korean and Japanese.

`match show SPECIMEN VICTIM` opens with two sentences a family or an official can read
(how many times more likely the DNA is if the bone is the victim's than an unrelated
man's; the probability among the expected victims), then whom the DNA cannot tell
apart from him, then what would strengthen the finding: another close relative, a
Y-STR or mtDNA typing of the bone, or a relative on the paternal / maternal line. The
numbers are the pair's detail (`services.match_review.match_detail`); which relatives
cover which line is `chosei.lineage`'s table.
"""

from __future__ import annotations

import math
from typing import Any

from chosei.lineage import CLOSE, MT, Y, lines_for
from chosei.reports.labels import Labels
from chosei.vocab import LANGS

_TEXT: dict[str, tuple[str, str, str]] = {
    # key: (en, ko, ja)
    "more": ("The DNA is {lr} times more likely if this bone is {victim}'s than if it is an unrelated man's.",
             "이 유해가 {victim}의 것이라면, 관계없는 남성의 것일 때보다 이 DNA 결과가 나올 가능성이 {lr}배 "
             "높습니다.",
             "この遺骨が{victim}のものであれば、無関係の男性のものである場合に比べ、このDNA結果が得られる"
             "可能性は{lr}倍高くなります。"),
    "less": ("The DNA is {lr} times less likely if this bone is {victim}'s than if it is an unrelated man's.",
             "이 유해가 {victim}의 것이라면, 관계없는 남성의 것일 때보다 이 DNA 결과가 나올 가능성이 {lr}배 "
             "낮습니다.",
             "この遺骨が{victim}のものであれば、無関係の男性のものである場合に比べ、このDNA結果が得られる"
             "可能性は{lr}分の1です。"),
    "zero": ("The DNA excludes {victim}: this bone cannot be his.",
             "DNA가 {victim}을(를) 배제합니다: 이 유해는 그의 것일 수 없습니다.",
             "DNAは{victim}を除外します：この遺骨は彼のものではあり得ません。"),
    "probability": ("Among the {n} expected victims, the probability that it is {victim}'s is {p}.",
                    "예상 희생자 {n}명 가운데 이 유해가 {victim}의 것일 확률은 {p}입니다.",
                    "想定される犠牲者{n}人のうち、この遺骨が{victim}のものである確率は{p}です。"),
    "tied": ("The DNA cannot tell {victim} from {others}: they share the same evidence, so the probability is "
             "split between them.",
             "DNA로는 {victim}와(과) {others}을(를) 구별할 수 없습니다: 같은 증거를 공유하므로 확률이 "
             "이들 사이에 나뉩니다.",
             "DNAでは{victim}と{others}を区別できません：同じ証拠を共有するため、確率はその間で分かれます。"),
    "strengthen": ("It would be strengthened by: {items}.", "다음이 있으면 더 확실해집니다: {items}.",
                   "次があればより確かになります：{items}。"),
    "another_close": ("another close relative's DNA (a parent, child or full sibling)",
                      "다른 근친 유족(부모·자녀·형제자매)의 DNA", "別の近親の遺族（親・子・きょうだい）のDNA"),
    "type_y": ("a Y-STR typing of the bone", "유해의 Y-STR 검사", "遺骨のY-STR検査"),
    "recruit_y": ("a relative on the paternal line typed for Y-STR (son, brother, son's son, brother's son)",
                  "부계 유족(아들·형제·친손자·형제의 아들)의 Y-STR 검사",
                  "父系の遺族（息子・兄弟・息子の息子・兄弟の息子）のY-STR検査"),
    "type_mt": ("an mtDNA typing of the bone", "유해의 mtDNA 검사", "遺骨のmtDNA検査"),
    "recruit_mt": ("a relative on the maternal line typed for mtDNA (mother, full sibling, sister's child)",
                   "모계 유족(어머니·형제자매·자매의 자녀)의 mtDNA 검사",
                   "母系の遺族（母・きょうだい・姉妹の子）のmtDNA検査"),
    "and": (", ", ", ", "、"),
    "above": ("above {p}", "{p} 초과", "{p}超"),
}


def times(lr: float) -> str:
    """An LR (or its inverse) as a reader writes it: 200, 4,700, 3.2 × 10^15."""
    if lr < 1e6:
        return f"{lr:,.0f}" if lr >= 10 else f"{lr:.3g}"
    exp = math.floor(math.log10(lr))
    return f"{lr / 10 ** exp:.1f} × 10^{exp}"


def plain_words(detail: dict[str, Any], lang: str = "en") -> list[str]:
    """The sentences that open `match show` for a computed pair, in `lang` (en, ko, ja)."""
    i = LANGS.index(Labels(lang).lang)

    def t(key: str, **values: Any) -> str:
        return _TEXT[key][i].format(**values)

    victim = detail.get("victim_name") or detail["victim_id"]
    lr, p = detail["lr"], detail["posterior"]
    if lr == 0:
        first = t("zero", victim=victim)
    elif lr >= 1:
        first = t("more", lr=times(lr), victim=victim)
    else:
        first = t("less", lr=times(1 / lr), victim=victim)
    shown = t("above", p="0.9999") if p > 0.9999 and p < 1 else f"{p:.4f}".rstrip("0").rstrip(".")
    out = [first, t("probability", n=detail["prior_n"], victim=victim, p=shown)]
    if detail.get("indistinguishable"):
        others = t("and").join(d["victim_id"] for d in detail["indistinguishable"])
        out.append(t("tied", victim=detail["victim_id"], others=others))
    items = [t(k) for k in strengtheners(detail)]
    if items and lr > 0:
        out.append(t("strengthen", items=t("and").join(items)))
    return out


def strengtheners(detail: dict[str, Any]) -> list[str]:
    """What would strengthen the pair (keys of `_TEXT`): a second close relative, and per line (Y, mt)
    a typed relative on it, or else the bone's own typing."""
    used = [r for r in detail["relatives"] if r["use"] == "used"]
    close = sum(1 for r in used if CLOSE in lines_for(r["relationship"]))
    keys = ["another_close"] if close < 2 else []
    for line, meioses in ((Y, "y_meioses"), (MT, "mt_meioses")):
        on_line = [r for r in detail["relatives"] if r[meioses] is not None]
        if not on_line:
            keys.append(f"recruit_{line.lower()}")
        elif not detail["specimen_typed"][line]:
            keys.append(f"type_{line.lower()}")
    return keys
