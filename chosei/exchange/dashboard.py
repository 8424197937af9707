"""The Dashboard sheet of an export: the numbers of `chosei status`, in its language."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from chosei.rules import FAMILY_STAGES, REMAINS_STAGES
from chosei.services.status import dashboard
from chosei.vocab import ELEMENT, SAMPLE_STATUS, SIDE

_WORDS: dict[str, tuple[str, str, str]] = {
    "case": ("Case", "사건", "事案"),
    "victims": ("Victims", "희생자", "犠牲者"),
    "expected": ("expected", "예상", "想定"),
    "families": ("Families", "유족", "遺族"),
    "remains": ("Remains", "유해", "遺骨"),
    "stage": ("stage", "단계", "段階"),
    "total": ("total", "합계", "計"),
    "specimens": ("Specimens", "유해 표본", "遺骨標本"),
    "element": ("element", "부위", "部位"),
    "side": ("side", "좌우", "左右"),
    "count": ("count", "수", "数"),
    "mni": ("Minimum number of individuals", "최소 개체 수", "最小個体数"),
    "dna_groups": ("DNA groups", "DNA 그룹", "DNAグループ"),
    "samples": ("Samples", "시료", "試料"),
    "status": ("status", "상태", "状態"),
    "specimen": ("specimen", "유해", "遺骨"),
    "relative": ("relative", "유족", "遺族"),
    "unknown": ("unknown", "미상", "不明"),
}
_STAGES: dict[str, tuple[str, str]] = {
    "no relative known": ("유족 미확인", "遺族不明"),
    "located": ("유족 확인", "遺族判明"),
    "consented": ("동의", "同意"),
    "reference collected": ("대조 시료 채취", "対照試料採取"),
    "reference profiled": ("대조 DNA형 확보", "対照DNA型判明"),
    "none attributed": ("미귀속", "未帰属"),
    "candidate": ("후보", "候補"),
    "identified": ("신원 확인", "身元確認"),
    "returned": ("반환", "返還"),
}
assert set(FAMILY_STAGES) | set(REMAINS_STAGES) <= set(_STAGES)


def dashboard_rows(session: Session, lang: str,
                   shared_with: str | None = None) -> tuple[list[list[Any]], set[int]]:
    """The sheet's rows, and which of them are headings; a partner export passes its
    agency as `shared_with`, so the sheet counts only what the partner may see."""
    i = ("en", "ko", "ja").index(lang)

    def w(key: str) -> str:
        return _WORDS[key][i]

    def stage(label: str) -> str:
        return label if i == 0 else _STAGES[label][i - 1]

    def term(vocab: Any, code: str) -> str:
        return vocab.label(code, lang) if code in vocab else w("unknown")

    data = dashboard(session, shared_with)
    v = data["victims"]
    rows: list[list[Any]] = [[w("case"), data["case"]], []]
    bold = {0}
    bold.add(len(rows))
    rows.append([w("victims"), "KR", "JP", w("total")])
    rows.append(["", v["KR"], v["JP"], v["total"]])
    rows.append([w("expected"), v["expected"]["KR"], v["expected"]["JP"], v["expected"]["total"]])
    for key, table in (("families", data["family_stage"]), ("remains", data["remains_stage"])):
        rows.append([])
        bold.add(len(rows))
        rows.append([f"{w(key)}: {w('stage')}", "KR", "JP", w("total")])
        rows.extend([stage(r["stage"]), r["KR"], r["JP"], r["total"]] for r in table)
    rows.append([])
    bold.add(len(rows))
    rows.append([f"{w('specimens')}: {data['specimen_total']}", w("side"), w("count")])
    rows.extend([term(ELEMENT, r["element"]), term(SIDE, r["side"]), r["count"]]
                for r in data["specimens"])
    rows.append([w("mni"), data["mni"]])
    if data["dna_groups"]:
        rows.append([w("dna_groups"), data["dna_groups"]])
    rows.append([])
    bold.add(len(rows))
    rows.append([w("samples"), w("specimen"), w("relative"), w("unknown"), w("total")])
    rows.extend([term(SAMPLE_STATUS, r["status"]), r["specimen"], r["relative"], r["unknown"],
                 r["total"]] for r in data["samples"] if r["total"])
    return rows, bold
