"""Plain words for one (specimen, victim) pair, in English, Korean and Japanese.

`match show SPECIMEN VICTIM` opens with two sentences a family or an official can read
(how many times more likely the DNA is if the bone is the victim's than an unrelated
man's; the probability among the expected victims), then whom the DNA cannot tell
apart from him, then what would strengthen the finding: another close relative, a
Y-STR or mtDNA typing of the bone, or a relative on the paternal / maternal line. The
numbers are the pair's detail (`services.match_review.match_detail`); which relatives
cover which line is `chosei.donor_lines`'s table.
"""

from __future__ import annotations

import math
from typing import Any

from chosei.donor_lines import CLOSE, MT, Y, lines_for
from chosei.i18n import NP_, pgettext_in
from chosei.reports.labels import Labels

_TEXT: dict[str, str] = {
    # key: the English text, a msgid in the context "plain words" (`plain_words`)
    "more": NP_("plain words",
               "The DNA is {lr} times more likely if this bone is {victim}'s than if it is an "
               "unrelated man's."),
    "less": NP_("plain words",
               "The DNA is {lr} times less likely if this bone is {victim}'s than if it is an "
               "unrelated man's."),
    "zero": NP_("plain words", "The DNA excludes {victim}: this bone cannot be his."),
    "probability": NP_("plain words",
               "Among the {n} expected victims, the probability that it is {victim}'s is {p}."),
    "tied": NP_("plain words",
               "The DNA cannot tell {victim} from {others}: they share the same evidence, so the "
               "probability is split between them."),
    "strengthen": NP_("plain words", "It would be strengthened by: {items}."),
    "another_close": NP_("plain words", "another close relative's DNA (a parent, child or full sibling)"),
    "type_y": NP_("plain words", "a Y-STR typing of the bone"),
    "recruit_y": NP_("plain words",
               "a relative on the paternal line typed for Y-STR (son, brother, son's son, brother's "
               "son)"),
    "type_mt": NP_("plain words", "an mtDNA typing of the bone"),
    "recruit_mt": NP_("plain words",
               "a relative on the maternal line typed for mtDNA (mother, full sibling, sister's "
               "child)"),
    "above": NP_("plain words", "above {p}"),
}


def times(lr: float) -> str:
    """An LR (or its inverse) as a reader writes it: 200, 4,700, 3.2 × 10^15."""
    if lr < 1e6:
        return f"{lr:,.0f}" if lr >= 10 else f"{lr:.3g}"
    exp = math.floor(math.log10(lr))
    return f"{lr / 10 ** exp:.1f} × 10^{exp}"


def plain_words(detail: dict[str, Any], lang: str | None = "en") -> list[str]:
    """The sentences that open `match show` for a computed pair, in `lang` (en, ko, ja)."""
    chosen = Labels(lang).lang

    def t(key: str, **values: Any) -> str:
        if key == "and":  # between the items of a list
            return pgettext_in(chosen, "list separator", ", ")
        return pgettext_in(chosen, "plain words", _TEXT[key]).format(**values)

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
