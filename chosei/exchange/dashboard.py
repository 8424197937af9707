"""The Dashboard sheet of an export: the numbers of `chosei status`, in its language."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from chosei.i18n import NP_, pgettext_in
from chosei.reports.labels import Labels, stage_label
from chosei.services.status import dashboard
from chosei.vocab import ELEMENT, SAMPLE_STATUS, SIDE

# The sheet's own words (the report's where they are the same: `Labels.t`), msgids in the
# context "report"; the stages are `stage_label`'s, the terms the vocabularies'.
_WORDS: dict[str, str] = {
    "expected": NP_("report", "expected"),
    "families": NP_("report", "Families: stage"),
    "remains": NP_("report", "Remains: stage"),
    "total": NP_("report", "total"),
    "specimens": NP_("report", "Specimens: {count}"),
    "side": NP_("report", "side"),
    "count": NP_("report", "count"),
    "mni": NP_("report", "Minimum number of individuals"),
    "specimen": NP_("report", "specimen"),
    "relative": NP_("report", "relative"),
    "unknown": NP_("report", "unknown"),
}


def dashboard_rows(session: Session, lang: str,
                   shared_with: str | None = None) -> tuple[list[list[Any]], set[int]]:
    """The sheet's rows, and which of them are headings; a partner export passes its
    agency as `shared_with`, so the sheet counts only what the partner may see."""
    lab = Labels(lang)

    def w(key: str, **values: Any) -> str:
        text = pgettext_in(lab.lang, "report", _WORDS[key]) if key in _WORDS else lab.t(key)
        return text.format(**values) if values else text

    def stage(label: str) -> str:
        return stage_label(label, lab.lang)

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
        rows.append([w(key), "KR", "JP", w("total")])
        rows.extend([stage(r["stage"]), r["KR"], r["JP"], r["total"]] for r in table)
    rows.append([])
    bold.add(len(rows))
    rows.append([w("specimens", count=data["specimen_total"]), w("side"), w("count")])
    rows.extend([term(ELEMENT, r["element"]), term(SIDE, r["side"]), r["count"]]
                for r in data["specimens"])
    rows.append([w("mni"), data["mni"]])
    if data["dna_groups"]:
        rows.append([w("dna_groups"), data["dna_groups"]])
    rows.append([])
    bold.add(len(rows))
    rows.append([w("sheet_samples"), w("specimen"), w("relative"), w("unknown"), w("total")])
    rows.extend([term(SAMPLE_STATUS, r["status"]), r["specimen"], r["relative"], r["unknown"],
                 r["total"]] for r in data["samples"] if r["total"])
    return rows, bold
