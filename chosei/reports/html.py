"""The report as one self-contained HTML page: inline CSS and SVG, no script, no network.

Every value from the store is escaped (`html.escape`), so a name holding `<` shows as
written. Tables carry `data-row` / `data-col` attributes naming the codes behind the
translated labels, so a program (the tests) can read the numbers back in any language.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape
from typing import Any

from chosei.reports import svg
from chosei.reports.common import NATIONALITIES
from chosei.reports.families import family_picture
from chosei.reports.labels import Labels
from chosei.vocab import SIDE

_FONTS = {
    "en": '"Noto Sans", "Segoe UI", "Helvetica Neue", Arial',
    "ko": '"Noto Sans KR", "Noto Sans CJK KR", "Apple SD Gothic Neo", "Malgun Gothic", '
          '"Nanum Gothic"',
    "ja": '"Noto Sans JP", "Noto Sans CJK JP", "Hiragino Sans", "Hiragino Kaku Gothic ProN", '
          '"Yu Gothic", "Meiryo"',
}
# Han characters are drawn differently in Korea and Japan: a page puts its language's
# CJK fonts before the other's, then the system's.
_FONT_ORDER = {"en": ("en", "ko", "ja"), "ko": ("en", "ko", "ja"), "ja": ("en", "ja", "ko")}

CSS = """
:root { --ink: #1b1b1b; --muted: #5a5a5a; --rule: #d0d0d0; --band: #f4f6f8; }
* { box-sizing: border-box; }
body { font-family: FONTS; color: var(--ink); margin: 0 auto; max-width: 980px;
       padding: 24px 32px 48px; line-height: 1.45; font-size: 14px; }
header { border-bottom: 3px solid var(--ink); margin-bottom: 16px; padding-bottom: 8px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid var(--rule);
     padding-bottom: 4px; }
.meta { color: var(--muted); margin: 2px 0; }
#audit-head { word-break: break-all; }
.demo { background: #fff3cd; border: 2px solid #b58100; padding: 8px 12px; font-weight: 700;
        margin: 12px 0; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 12px 0; }
.card { border: 1px solid var(--rule); border-radius: 6px; padding: 8px 14px;
        min-width: 150px; background: var(--band); }
.card .n { font-size: 24px; font-weight: 700; display: block; }
.card .l { color: var(--muted); font-size: 12px; }
table { border-collapse: collapse; margin: 8px 0 4px; font-size: 13px; }
th, td { border-bottom: 1px solid var(--rule); padding: 3px 10px; text-align: left;
         vertical-align: top; }
th { background: var(--band); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.total td { font-weight: 700; border-top: 2px solid var(--ink); }
.pair { display: flex; flex-wrap: wrap; gap: 8px 28px; align-items: center; }
.chart { max-width: 100%; height: auto; display: block; margin: 8px 0; }
svg.pedigree { max-width: 100%; height: auto; display: block; margin: 8px 0 20px;
               font-family: inherit; }
.family { break-inside: avoid; }
.note { color: var(--muted); font-size: 12px; margin: 4px 0; }
.muted { color: var(--muted); }
.nowrap { white-space: nowrap; }
.flag { color: #b00020; font-weight: 700; }
.mni { font-size: 16px; margin: 8px 0; }
table.victims td { white-space: nowrap; }
table.victims td.name { white-space: normal; min-width: 16em; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  h2 { break-after: avoid; }
  section { break-inside: avoid-page; }
  section.long { break-inside: auto; }
  tr { break-inside: avoid; }
  thead { display: table-header-group; }
  .demo { border-width: 1pt; }
  @page { size: A4; margin: 14mm 12mm; }
}
"""


def _e(value: Any) -> str:
    return escape("" if value is None else str(value), quote=True)


def _cls(numeric: bool | str) -> str:
    if not numeric:
        return ""
    return ' class="num"' if numeric is True else f' class="{numeric}"'


_Column = tuple[str, str, bool | str]  # code, header, True if numeric or a CSS class


def _table(table_id: str, columns: Sequence[_Column],
           rows: Iterable[tuple[str, Sequence[Any]]], *, cls: str = "",
           total: tuple[str, Sequence[Any]] | None = None) -> str:
    """columns: (code, header, True if numeric or a CSS class); rows: (row code, cells)."""
    head = "".join(f'<th data-col="{_e(code)}"{_cls(num)}>{_e(text)}</th>'
                   for code, text, num in columns)
    out = [f'<table id="{_e(table_id)}"{_cls(cls)}>'
           f"<thead><tr>{head}</tr></thead><tbody>"]
    for code, cells in [*rows, *([total] if total else [])]:
        row_cls = ' class="total"' if total and code == total[0] else ""
        tds = "".join(
            f'<td data-col="{_e(c[0])}"{_cls(c[2])}>{cell}</td>'
            for c, cell in zip(columns, cells, strict=True))
        out.append(f'<tr data-row="{_e(code)}"{row_cls}>{tds}</tr>')
    out.append("</tbody></table>")
    return "".join(out)


def _stage_section(sid: str, title: str, stages: list[dict[str, Any]], lab: Labels) -> str:
    cats = [lab.stage(r["stage"]) for r in stages]
    series = [(lab.nationality(nat), [r[nat] for r in stages]) for nat in NATIONALITIES]
    cols = [("stage", lab.t("stage"), False),
            *((nat, lab.nationality(nat), True) for nat in NATIONALITIES),
            ("total", lab.t("total"), True)]
    rows = [(r["stage"], [_e(lab.stage(r["stage"])), *(r[n] for n in NATIONALITIES),
                          r["total"]]) for r in stages]
    total = ("total", [_e(lab.t("total")),
                       *(sum(r[n] for r in stages) for n in NATIONALITIES),
                       sum(r["total"] for r in stages)])
    chart = svg.hbar(title, cats, series, width=560)
    return (f'<section id="{sid}"><h2>{_e(title)}</h2><div class="pair">{chart}'
            f"{_table(sid + '-table', cols, rows, total=total)}</div></section>")


def _specimens(data: dict[str, Any], lab: Labels) -> str:
    spec = data["specimens"]
    rows_in = spec["by_element"]
    sides = [s for s in SIDE.codes if any(r[s] for r in rows_in)] or ["left", "right"]
    chart = svg.hbar(lab.t("specimens"), [lab.element(r["element"]) for r in rows_in],
                     [(lab.side(s), [r[s] for r in rows_in]) for s in sides],
                     stacked=True) if rows_in else ""
    cols = [("element", lab.t("element"), False),
            *((s, lab.side(s), True) for s in SIDE.codes),
            ("total", lab.t("total"), True), ("mni", lab.t("element_mni"), True)]
    rows = [(r["element"], [_e(lab.element(r["element"])), *(r[s] for s in SIDE.codes),
                            r["total"], "–" if r["mni"] is None else r["mni"]])
            for r in rows_in]
    groups = (f' · {_e(lab.t("dna_groups"))}: <b id="dna-groups">{spec["dna_groups"]}</b>'
              if spec["dna_groups"] else "")
    return (f'<section id="specimens"><h2>{_e(lab.t("specimens"))}</h2>{chart}'
            f'<p class="mni">{_e(lab.t("mni"))}: <b id="mni">{spec["mni"]}</b>{groups} · '
            f'{_e(lab.t("specimen_total"))}: <b id="specimen-total">{spec["total"]}</b></p>'
            f'<p class="note">{_e(lab.t("mni_note"))}</p>'
            + (_table("specimens-table", cols, rows) if rows else f"<p>{_e(lab.t('none'))}</p>")
            + "</section>")


_TIMELINE = ("recovered", "collected", "profiled", "identified")


def _timeline(data: dict[str, Any], lab: Labels) -> str:
    rows_in = data["timeline"]
    title = lab.t("timeline")
    if not rows_in:
        return f'<section id="timeline"><h2>{_e(title)}</h2><p>{_e(lab.t("none"))}</p></section>'
    chart = svg.lines(title, [r["month"] for r in rows_in],
                      [(lab.t(k), [r[k] for r in rows_in]) for k in _TIMELINE])
    cols = [("month", lab.t("month"), False), *((k, lab.t(k), True) for k in _TIMELINE)]
    rows = [(r["month"], [_e(r["month"]), *(r[k] for k in _TIMELINE)]) for r in rows_in]
    return (f'<section id="timeline" class="long"><h2>{_e(title)}</h2>{chart}'
            f"{_table('timeline-table', cols, rows)}</section>")


def _samples(data: dict[str, Any], lab: Labels) -> str:
    smp = data["samples"]
    title = lab.t("samples")
    if not smp["total"]:
        return f'<section id="samples"><h2>{_e(title)}</h2><p>{_e(lab.t("none"))}</p></section>'
    used = smp["used_statuses"]
    labs = smp["by_lab"]
    names = [r["lab"] or lab.t("no_lab") for r in labs]
    chart = svg.hbar(title, names, [(lab.sample_status(s), [r[s] for r in labs]) for s in used],
                     stacked=True)
    cols = [("lab", lab.t("lab"), False), *((s, lab.sample_status(s), True) for s in used),
            ("total", lab.t("total"), True)]
    rows = [(r["lab"] or "", [_e(n), *(r[s] for s in used), r["total"]])
            for r, n in zip(labs, names, strict=True)]
    by_status = {r["status"]: r["total"] for r in smp["by_status"]}
    total = ("total", [_e(lab.t("total")), *(by_status[s] for s in used), smp["total"]])
    return (f'<section id="samples"><h2>{_e(title)}</h2>{chart}'
            f"{_table('samples-table', cols, rows, total=total)}</section>")


def _coverage(data: dict[str, Any], lab: Labels) -> str:
    rows_in = data["coverage"]
    cols = [("line", lab.t("line"), False),
            *((nat, lab.nationality(nat), True) for nat in NATIONALITIES),
            ("total", lab.t("total"), True)]
    rows = [(r["line"], [_e(lab.line(r["line"])), *(r[n] for n in NATIONALITIES), r["total"]])
            for r in rows_in]
    return (f'<section id="coverage"><h2>{_e(lab.t("coverage"))}</h2>'
            f"{_table('coverage-table', cols, rows)}"
            f'<p class="note">{_e(lab.t("coverage_note"))}</p></section>')


def _recruit(data: dict[str, Any], lab: Labels) -> str:
    """Only with `report --power`: the best relative to recruit for each victim below one half."""
    if "recruit" not in data:
        return ""
    pw = data["power"]
    cols: list[_Column] = [("victim_id", lab.t("id"), False), ("name", lab.t("names"), "name"),
            ("nationality", lab.t("nationality"), False), ("now", lab.t("now"), True),
            ("recruit", lab.t("recruit_who"), False), ("lines", lab.t("lines"), False),
            ("then", lab.t("then"), True), ("gain", lab.t("gain"), True)]
    rows = [(r["victim_id"], [
        _e(r["victim_id"]), _e(r["name"]), _e(lab.nationality(r["nationality"])),
        _e("-" if r["now"] is None else f"{r['now']:.2f}"),
        _e(" + ".join(lab.relationship(k) for k in r["relationships"])),
        _e(", ".join(lab.recruit_line(x) for x in r["lines"])),
        _e(f"{r['then']:.2f}"), _e(f"{r['gain']:+.2f}")]) for r in data["recruit"]]
    note = lab.t("recruit_note", threshold=pw["threshold"], simulations=pw["simulations"], seed=pw["seed"],
                 expected=pw["expected_identifiable"], false=pw["expected_false_candidates"])
    return (f'<section id="recruit" class="long"><h2>{_e(lab.t("recruit"))}</h2>'
            f'<p class="note">{_e(note)}</p>{_table("recruit-table", cols, rows)}</section>')


def _custody(data: dict[str, Any], lab: Labels) -> str:
    cus = data["custody"]
    head = (f'<section id="custody" class="long"><h2>{_e(lab.t("custody"))}</h2>'
            f'<p id="custody-summary">'
            f'{_e(lab.t("custody_summary", items=cus["items"], gaps=cus["items_with_gaps"]))}'
            "</p>")
    if not cus["gaps"]:
        return head + "</section>"
    cols: list[_Column] = [("item", lab.t("item"), "nowrap"), ("at", lab.t("at"), "nowrap"),
            ("gap", lab.t("gap"), False), ("detail", lab.t("detail"), False)]
    rows = [(item["item"], [_e(item["item"]), _e(g["at"].replace("T", " ")[:16]),
                            _e(lab.t(g["kind"])),
                            _e(g["message"])])
            for item in cus["gaps"] for g in item["gaps"]]
    more = (f'<p class="note">{_e(lab.t("custody_more", n=cus["more"]))}</p>'
            if cus["more"] else "")
    return head + _table("custody-table", cols, rows) + more + "</section>"


def _overrides(data: dict[str, Any], lab: Labels) -> str:
    """Shown only when there are some: each is a decision a review board must be able to defend."""
    if not data.get("overrides"):
        return ""
    cols: list[_Column] = [("specimen", lab.t("specimen"), "nowrap"), ("victim", lab.t("victim"), "nowrap"),
            ("lr", "LR", True), ("posterior", lab.t("posterior"), True),
            ("decided", lab.t("decided"), False), ("reason", lab.t("reason"), False)]
    rows = [(f"{o['specimen_id']}-{o['victim_id']}", [
        _e(o["specimen_id"]), _e(o["victim_id"]), _e(f"{o['lr']:.3g}" if o["lr"] is not None else "-"),
        _e(f"{o['posterior']:.3g}" if o["posterior"] is not None else "-"),
        _e(f"{o['decided_on'] or ''} {o['decided_by'] or ''}".strip()), _e(o["override"])])
        for o in data["overrides"]]
    return (f'<section id="overrides"><h2>{_e(lab.t("overrides"))}</h2>'
            f'<p class="note">{_e(lab.t("overrides_note"))}</p>'
            f"{_table('overrides-table', cols, rows)}</section>")


def _victims(data: dict[str, Any], lab: Labels) -> str:
    cols: list[_Column] = [("victim_id", lab.t("id"), False), ("name", lab.t("names"), "name"),
            ("nationality", lab.t("nationality"), False), ("family", lab.t("family"), False),
            ("remains", lab.t("remains"), False), ("lines", lab.t("lines"), False),
            ("northern", lab.t("northern"), False)]
    rows = []
    for v in data["victim_table"]:
        lines = ", ".join(lab.line_short(x) for x in v["lines"])
        if not v["useful"]:
            lines = f'<span class="muted">{_e(lab.line("uncovered"))}</span>' + (
                f" ({_e(lines)})" if lines else "")
        else:
            lines = _e(lines)
        rows.append((v["victim_id"], [
            _e(v["victim_id"]), _e(v["name"]), _e(lab.nationality(v["nationality"])),
            _e(lab.stage(v["family"])), _e(lab.stage(v["remains"])), lines,
            f'<span class="flag" title="{_e(lab.t("northern"))}">▲</span>' if v["northern"] else "",
        ]))
    body = _table("victim-table", cols, rows, cls="victims")
    return (f'<section id="victims" class="long"><h2>{_e(lab.t("victim_table"))}</h2>'
            f'<p class="note">{_e(lab.t("northern_note"))}<br>{_e(lab.t("lines_note"))}</p>'
            f"{body}</section>")


def _families(data: dict[str, Any], lab: Labels) -> str:
    """Each victim's family as matching sees it, drawn with the standard pedigree symbols."""
    entries = data.get("families", [])
    names = {v["victim_id"]: v["name"].split(" / ")[0] for v in data["victim_table"]}
    parts = [f'<section id="families" class="long"><h2>{_e(lab.t("families"))}</h2>'
             f'<p class="note">{_e(lab.t("families_note"))}</p>']
    for entry in entries:
        vid = entry["victim_id"]
        if entry["error"]:
            body = f'<p class="flag">{_e(lab.t("family_error", victim=vid, error=entry["error"]))}</p>'
        else:
            body = family_picture(entry, names, lab)
        parts.append(f'<div class="family" data-victim="{_e(vid)}">{body}</div>')
    if not entries:
        parts.append(f"<p>{_e(lab.t('none'))}</p>")
    parts.append("</section>")
    return "".join(parts)


def _cards(data: dict[str, Any], lab: Labels) -> str:
    v = data["victims"]
    fam = {r["stage"]: r["total"] for r in data["family_stage"]}
    rem = {r["stage"]: r for r in data["remains_stage"]}
    identified = rem["identified"]["total"] + rem["returned"]["total"]
    cards = [
        ("victims", lab.t("victims"),
         lab.t("of_expected", n=v["total"], expected=v["expected"]["total"]),
         " · ".join(f"{lab.nationality(n)} {v[n]}" for n in NATIONALITIES)),
        ("profiled", lab.stage("reference profiled"), str(fam["reference profiled"]), ""),
        ("identified", lab.stage("identified"), str(identified), ""),
        ("specimens", lab.t("specimen_total"), str(data["specimens"]["total"]), ""),
        ("mni", lab.t("element_mni"), str(data["specimens"]["mni"]), ""),
    ]
    return '<div class="cards">' + "".join(
        f'<div class="card" data-card="{key}"><span class="l">{_e(label)}</span>'
        f'<span class="n">{_e(value)}</span><span class="l">{_e(sub)}</span></div>'
        for key, label, value, sub in cards) + "</div>"


def render_html(data: dict[str, Any], lang: str = "en") -> str:
    lab = Labels(lang)
    fonts = ", ".join(_FONTS[key] for key in _FONT_ORDER[lab.lang])
    css = CSS.replace("FONTS", f"{fonts}, system-ui, sans-serif")
    aud = data["audience"]
    profile = (lab.t("profile_full") if aud["profile"] == "full"
               else lab.t("profile_partner", partner=aud["partner"]))
    demo = f'<p class="demo" id="demo">{_e(lab.t("demo"))}</p>' if data["case"]["demo"] else ""
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{lab.lang}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(lab.t('title'))} — {_e(data['case']['name'])}</title>",
        f"<style>{css}</style></head><body>",
        f"<header><h1>{_e(lab.t('title'))}</h1>",
        f'<p class="meta" id="case-name">{_e(data["case"]["name"])}</p>',
        f'<p class="meta">{_e(lab.t("generated"))}: {_e(data["generated_on"])} · '
        f'<span id="profile">{_e(profile)}</span></p>',
        f'<p class="meta">{_e(lab.t("audit_head"))}: <code id="audit-head">{_e(data["audit_head"])}</code></p>',
        f"{demo}</header>",
        _cards(data, lab),
        _stage_section("family-stage", lab.t("family_stage"), data["family_stage"], lab),
        _stage_section("remains-stage", lab.t("remains_stage"), data["remains_stage"], lab),
        _specimens(data, lab),
        _timeline(data, lab),
        _samples(data, lab),
        _coverage(data, lab),
        _recruit(data, lab),
        _custody(data, lab),
        _overrides(data, lab),
        _victims(data, lab),
        _families(data, lab),
        f"{demo}</body></html>",
    ]
    return "\n".join(parts)
