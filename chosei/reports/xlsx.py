"""The report as an Excel workbook: one sheet per topic, each table with a native chart.

Charts are openpyxl charts whose series point at the table beside them, so a reader who
corrects nothing still sees where every bar comes from. No cell written from data can
become a formula: text starting with `=`, `+`, `-`, `@`, a tab or a carriage return is
written as a string with Excel's quote prefix, as the exchange workbooks do.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.chart.axis import ChartLines
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from chosei.reports.common import NATIONALITIES
from chosei.reports.labels import Labels
from chosei.text import display_width
from chosei.vocab import SIDE

HEADER_ROW = 4  # row 1 title, row 2 demo banner / profile, row 3 blank, then the table
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_BOLD = Font(bold=True)
_HEAD_FILL = PatternFill("solid", fgColor="E8ECF0")
_DEMO_FONT = Font(bold=True, color="9C5700")


def put(ws: Worksheet, row: int, col: int, value: Any) -> Any:
    """Write one cell; text that a spreadsheet would read as a formula stays text."""
    cell = ws.cell(row=row, column=col)
    cell.value = value
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def _width(text: Any) -> int:
    return display_width(str(text or ""))


class _Sheets:
    def __init__(self, data: dict[str, Any], lab: Labels) -> None:
        self.data, self.lab = data, lab
        self.wb = Workbook()
        self._first = True
        aud = data["audience"]
        self.profile = (lab.t("profile_full") if aud["profile"] == "full"
                        else lab.t("profile_partner", partner=aud["partner"]))

    def sheet(self, key: str, title: str) -> Worksheet:
        ws = self.wb.active if self._first else self.wb.create_sheet()
        assert isinstance(ws, Worksheet)  # a new workbook's first sheet is a worksheet
        self._first = False
        ws.title = self.lab.t(key)[:31]
        # Printed, each sheet is one landscape page wide, so a chart is never cut.
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        fit = ws.sheet_properties.pageSetUpPr
        assert fit is not None  # openpyxl gives every new worksheet its page set-up
        fit.fitToPage = True
        put(ws, 1, 1, title).font = Font(bold=True, size=14)
        if self.data["case"]["demo"]:
            put(ws, 2, 1, self.lab.t("demo")).font = _DEMO_FONT
        else:
            put(ws, 2, 1, self.profile)
        return ws

    def table(self, ws: Worksheet, headers: Sequence[str], rows: Sequence[Sequence[Any]],
              *, row: int = HEADER_ROW) -> tuple[int, int]:
        """Write a header and rows from `row`; return (first data row, last data row)."""
        widths = [_width(h) for h in headers]
        for col, header in enumerate(headers, start=1):
            cell = put(ws, row, col, header)
            cell.font, cell.fill = _BOLD, _HEAD_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for r, values in enumerate(rows, start=row + 1):
            for col, value in enumerate(values, start=1):
                put(ws, r, col, value)
                widths[col - 1] = max(widths[col - 1], _width(value))
        for col, w in enumerate(widths, start=1):
            letter = get_column_letter(col)
            current = ws.column_dimensions[letter].width or 0
            ws.column_dimensions[letter].width = max(current, min(60, w + 2))
        return row + 1, row + len(rows)


def _bar(title: str, ws: Worksheet, first: int, last: int, min_col: int, max_col: int, *,
         stacked: bool = False, horizontal: bool = True) -> BarChart:
    chart = BarChart()
    chart.type = "bar" if horizontal else "col"
    chart.title = title
    if stacked:
        chart.grouping, chart.overlap = "stacked", 100
    data = Reference(ws, min_col=min_col, max_col=max_col, min_row=first - 1, max_row=last)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=first, max_row=last))
    if horizontal:
        chart.x_axis.scaling.orientation = "maxMin"  # first row on top, as in the table
    chart.x_axis.delete = chart.y_axis.delete = False
    chart.height = max(7.5, 1.2 + 0.9 * (last - first + 1) * (1 if stacked else 1.4))
    chart.width = 18
    return chart


def _stage_sheet(sh: _Sheets, key: str, title: str, rows_in: list[dict[str, Any]]) -> None:
    lab = sh.lab
    ws = sh.sheet(key, title)
    headers = [lab.t("stage"), *(lab.nationality(n) for n in NATIONALITIES), lab.t("total")]
    rows = [[lab.stage(r["stage"]), *(r[n] for n in NATIONALITIES), r["total"]]
            for r in rows_in]
    first, last = sh.table(ws, headers, rows)
    ws.add_chart(_bar(title, ws, first, last, 2, 1 + len(NATIONALITIES)), "G4")


def _summary(sh: _Sheets) -> None:
    d, lab = sh.data, sh.lab
    ws = sh.sheet("summary", lab.t("title"))
    rem = {r["stage"]: r["total"] for r in d["remains_stage"]}
    fam = {r["stage"]: r["total"] for r in d["family_stage"]}
    v = d["victims"]
    rows = [
        [lab.t("case"), d["case"]["name"]],
        [lab.t("generated"), d["generated_on"]],
        [lab.t("audit_head"), d["audit_head"]],
        [lab.t("profile"), sh.profile],
        [lab.t("victims"), lab.t("of_expected", n=v["total"], expected=v["expected"]["total"])],
        *([lab.nationality(n), lab.t("of_expected", n=v[n], expected=v["expected"][n])]
          for n in NATIONALITIES),
        [lab.stage("reference profiled"), fam["reference profiled"]],
        [lab.t("identified_total"), rem["identified"] + rem["returned"]],
        [lab.t("specimen_total"), d["specimens"]["total"]],
        [lab.t("mni"), d["specimens"]["mni"]],
        [lab.t("dna_groups"), d["specimens"]["dna_groups"]],
    ]
    sh.table(ws, [lab.t("figure"), lab.t("value")], rows)
    if d["case"]["demo"]:
        put(ws, 3, 1, sh.profile)


def _specimens(sh: _Sheets) -> None:
    lab, spec = sh.lab, sh.data["specimens"]
    ws = sh.sheet("sheet_specimens", lab.t("specimens"))
    headers = [lab.t("element"), *(lab.side(s) for s in SIDE.codes), lab.t("total"),
               lab.t("element_mni")]
    rows = [[lab.element(r["element"]), *(r[s] for s in SIDE.codes), r["total"],
             "–" if r["mni"] is None else r["mni"]] for r in spec["by_element"]]
    first, last = sh.table(ws, headers, rows)
    end = last + 2
    put(ws, end, 1, lab.t("element_mni")).font = _BOLD
    put(ws, end, 2, spec["mni"]).font = _BOLD
    put(ws, end + 1, 1, lab.t("dna_groups"))
    put(ws, end + 1, 2, spec["dna_groups"])
    put(ws, end + 2, 1, f'{lab.t("mni")}: {lab.t("mni_note")}')
    if rows:
        ws.add_chart(_bar(lab.t("specimens"), ws, first, last, 2, 1 + len(SIDE.codes),
                          stacked=True), "J4")


_TIMELINE = ("recovered", "collected", "profiled", "identified")


def _timeline(sh: _Sheets) -> None:
    lab, rows_in = sh.lab, sh.data["timeline"]
    ws = sh.sheet("sheet_timeline", lab.t("timeline"))
    headers = [lab.t("month"), *(lab.t(k) for k in _TIMELINE)]
    first, last = sh.table(ws, headers, [[r["month"], *(r[k] for k in _TIMELINE)]
                                         for r in rows_in])
    if not rows_in:
        return
    chart = LineChart()
    chart.title = lab.t("timeline")
    chart.add_data(Reference(ws, min_col=2, max_col=1 + len(_TIMELINE), min_row=first - 1,
                             max_row=last), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=first, max_row=last))
    for series in chart.series:
        series.smooth = False  # counts per month: straight segments, no invented curves
    chart.x_axis.delete = chart.y_axis.delete = False
    chart.y_axis.majorGridlines = ChartLines()
    chart.width, chart.height = 22, 9
    ws.add_chart(chart, "G4")


def _samples(sh: _Sheets) -> None:
    lab, smp = sh.lab, sh.data["samples"]
    ws = sh.sheet("sheet_samples", lab.t("samples"))
    used = smp["used_statuses"]
    headers = [lab.t("lab"), *(lab.sample_status(s) for s in used), lab.t("total")]
    rows = [[r["lab"] or lab.t("no_lab"), *(r[s] for s in used), r["total"]]
            for r in smp["by_lab"]]
    first, last = sh.table(ws, headers, rows)
    by_status = {r["status"]: r["total"] for r in smp["by_status"]}
    total_row = last + 1
    for col, value in enumerate([lab.t("total"), *(by_status[s] for s in used), smp["total"]],
                                start=1):
        put(ws, total_row, col, value).font = _BOLD
    if rows and used:
        ws.add_chart(_bar(lab.t("samples"), ws, first, last, 2, 1 + len(used), stacked=True),
                     f"{get_column_letter(len(headers) + 2)}4")


def _coverage(sh: _Sheets) -> None:
    lab, rows_in = sh.lab, sh.data["coverage"]
    ws = sh.sheet("sheet_coverage", lab.t("coverage"))
    headers = [lab.t("line"), *(lab.nationality(n) for n in NATIONALITIES), lab.t("total")]
    first, last = sh.table(ws, headers, [[lab.line(r["line"]), *(r[n] for n in NATIONALITIES),
                                          r["total"]] for r in rows_in])
    put(ws, last + 2, 1, lab.t("coverage_note"))
    ws.add_chart(_bar(lab.t("coverage"), ws, first, last, 2, 1 + len(NATIONALITIES)), "G4")


def _recruit(sh: _Sheets) -> None:
    """A sheet only with `report --power` (as the HTML section)."""
    lab, data = sh.lab, sh.data
    if "recruit" not in data:
        return
    pw = data["power"]
    ws = sh.sheet("sheet_recruit", lab.t("recruit"))
    put(ws, 3, 1, lab.t("recruit_note", threshold=pw["threshold"], simulations=pw["simulations"], seed=pw["seed"],
                        expected=pw["expected_identifiable"], false=pw["expected_false_candidates"]))
    sh.table(ws, [lab.t("id"), lab.t("names"), lab.t("nationality"), lab.t("now"), lab.t("recruit_who"),
                  lab.t("lines"), lab.t("then"), lab.t("gain")],
             [[r["victim_id"], r["name"], lab.nationality(r["nationality"]), r["now"],
               " + ".join(lab.relationship(k) for k in r["relationships"]),
               ", ".join(lab.recruit_line(x) for x in r["lines"]), r["then"], r["gain"]] for r in data["recruit"]])


def _custody(sh: _Sheets) -> None:
    lab, cus = sh.lab, sh.data["custody"]
    ws = sh.sheet("sheet_custody", lab.t("custody"))
    put(ws, 3, 1, lab.t("custody_summary", items=cus["items"], gaps=cus["items_with_gaps"]))
    rows = [[item["item"], g["at"], lab.t(g["kind"]), g["message"]]
            for item in cus["gaps"] for g in item["gaps"]]
    sh.table(ws, [lab.t("item"), lab.t("at"), lab.t("gap"), lab.t("detail")], rows)
    if cus["more"]:
        put(ws, HEADER_ROW + len(rows) + 2, 1, lab.t("custody_more", n=cus["more"]))


def _overrides(sh: _Sheets) -> None:
    """A sheet only when there are overridden confirmations (as the HTML section)."""
    lab, rows_in = sh.lab, sh.data.get("overrides") or []
    if not rows_in:
        return
    ws = sh.sheet("sheet_overrides", lab.t("overrides"))
    put(ws, 3, 1, lab.t("overrides_note"))
    sh.table(ws, [lab.t("specimen"), lab.t("victim"), "LR", lab.t("posterior"), lab.t("decided"),
                  lab.t("reason")],
             [[o["specimen_id"], o["victim_id"], o["lr"], o["posterior"],
               f"{o['decided_on'] or ''} {o['decided_by'] or ''}".strip(), o["override"]] for o in rows_in])


def _victims(sh: _Sheets) -> None:
    lab = sh.lab
    ws = sh.sheet("sheet_victims", lab.t("victim_table"))
    headers = [lab.t("id"), lab.t("names"), lab.t("nationality"), lab.t("family"),
               lab.t("remains"), lab.t("lines"), lab.t("northern")]
    rows = [[v["victim_id"], v["name"], lab.nationality(v["nationality"]),
             lab.stage(v["family"]), lab.stage(v["remains"]),
             ", ".join(lab.line(x) for x in v["lines"]), "▲" if v["northern"] else ""]
            for v in sh.data["victim_table"]]
    first, last = sh.table(ws, headers, rows)
    ws.freeze_panes = ws.cell(row=first, column=2).coordinate
    ws.auto_filter.ref = f"A{HEADER_ROW}:{ws.cell(row=max(last, first), column=7).coordinate}"
    put(ws, 3, 1, lab.t("northern_note"))


def write_xlsx(data: dict[str, Any], out: str | Path | IO[bytes], lang: str = "en") -> None:
    lab = Labels(lang)
    sh = _Sheets(data, lab)
    _summary(sh)
    _stage_sheet(sh, "sheet_families", lab.t("family_stage"), data["family_stage"])
    _stage_sheet(sh, "sheet_remains", lab.t("remains_stage"), data["remains_stage"])
    _specimens(sh)
    _timeline(sh)
    _samples(sh)
    _coverage(sh)
    _recruit(sh)
    _custody(sh)
    _overrides(sh)
    _victims(sh)
    sh.wb.save(out)
