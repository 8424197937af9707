"""The workbook: native charts whose series point at the cells holding the right numbers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.utils.cell import range_boundaries

from tests.reports.minicase import fill, mini_rows


def _workbook(cli, tmp_path: Path, *args: str) -> Any:
    out = tmp_path / "report.xlsx"
    cli("report", str(out), *args)
    return openpyxl.load_workbook(out)


def _cells(wb: Any, ref: str) -> list[Any]:
    sheet, _, area = ref.rpartition("!")
    ws = wb[sheet.strip("'")]
    min_col, min_row, max_col, max_row = range_boundaries(area.replace("$", ""))
    return [ws.cell(row=r, column=c).value for r in range(min_row, max_row + 1)
            for c in range(min_col, max_col + 1)]


def _series(wb: Any, sheet: str) -> dict[str, tuple[str, list[Any], list[Any]]]:
    """title → (chart type, categories, values) for every series of a sheet's charts."""
    out = {}
    for chart in wb[sheet]._charts:
        for s in chart.series:
            title = _cells(wb, s.tx.strRef.f)[0]
            cats = _cells(wb, s.cat.strRef.f if s.cat.strRef else s.cat.numRef.f)
            out[title] = (type(chart).__name__, cats, _cells(wb, s.val.numRef.f))
    return out


def test_sheets_in_order(mini_case: str, cli, tmp_path: Path) -> None:
    wb = _workbook(cli, tmp_path)
    assert wb.sheetnames == ["Summary", "Families", "Remains", "Specimens", "Timeline",
                             "Samples", "Coverage", "Custody", "Victims"]
    assert _workbook(cli, tmp_path, "--lang", "ko").sheetnames[:3] == [
        "요약", "유족 단계", "유해 단계"]


def test_stage_charts_point_at_the_stage_counts(mini_case: str, cli, tmp_path: Path) -> None:
    status = json.loads(cli("status", "--json").stdout)
    wb = _workbook(cli, tmp_path)
    chart = wb["Families"]._charts[0]
    assert [s.val.numRef.f for s in chart.series] == ["'Families'!$B$5:$B$9",
                                                      "'Families'!$C$5:$C$9"]
    series = _series(wb, "Families")
    stages = [r["stage"].capitalize() for r in status["family_stage"]]
    assert series["KR"] == ("BarChart", stages, [r["KR"] for r in status["family_stage"]])
    assert series["JP"] == ("BarChart", stages, [r["JP"] for r in status["family_stage"]])
    remains = _series(wb, "Remains")
    assert remains["KR"][2] == [1, 0, 0, 1]
    assert remains["JP"][2] == [1, 1, 0, 0]


def test_specimen_chart_by_element_and_side(mini_case: str, cli, tmp_path: Path) -> None:
    wb = _workbook(cli, tmp_path)
    series = _series(wb, "Specimens")
    assert set(series) == {"left", "right", "midline", "unknown"}
    cats = ["cranium", "tooth", "humerus", "femur"]
    assert series["left"] == ("BarChart", cats, [0, 0, 1, 3])
    assert series["right"][2] == [0, 0, 0, 2]
    assert series["unknown"][2] == [4, 5, 0, 0]
    ws = wb["Specimens"]
    mni_row = next(r for r in range(6, 30) if ws.cell(row=r, column=1).value == "MNI")
    assert ws.cell(row=mni_row, column=2).value == 4


def test_timeline_chart(mini_case: str, cli, tmp_path: Path) -> None:
    wb = _workbook(cli, tmp_path)
    series = _series(wb, "Timeline")
    months = ["2025-08", "2025-09", "2025-10", "2025-11", "2025-12", "2026-01", "2026-02"]
    assert series["Specimens recovered"] == ("LineChart", months, [6, 0, 0, 0, 0, 0, 9])
    assert series["Samples collected"][2] == [0, 3, 0, 0, 0, 0, 1]
    # S-B1 is marked profiled in 2025-11 but has no genotypes: it does not count.
    assert series["Samples profiled"][2] == [0, 0, 2, 0, 0, 0, 0]
    assert series["Identifications confirmed"][2] == [0, 0, 0, 1, 0, 0, 0]


def test_samples_chart_by_lab(mini_case: str, cli, tmp_path: Path) -> None:
    series = _series(_workbook(cli, tmp_path), "Samples")
    assert series["profiled"] == ("BarChart", ["NFS", "NPA", "(no lab)"], [2, 1, 0])
    assert series["planned"][2] == [0, 0, 1]


def test_data_never_becomes_a_formula(mini_case: str, cli, tmp_path: Path) -> None:
    wb = _workbook(cli, tmp_path)
    ws = wb["Victims"]
    cell = next(c for row in ws.iter_rows() for c in row
                if isinstance(c.value, str) and c.value.startswith("=HYPERLINK"))
    assert cell.value == '=HYPERLINK("x")'
    assert cell.data_type == "s"
    assert all(c.data_type != "f" for sheet in wb for row in sheet.iter_rows() for c in row)


@pytest.mark.parametrize("demo", [True, False], ids=["demo", "real"])
def test_every_sheet_of_a_demo_workbook_says_so(db_url: str, cli, tmp_path: Path,
                                                demo: bool) -> None:
    fill(db_url, mini_rows, demo=demo)
    wb = _workbook(cli, tmp_path, "--lang", "ja")
    banners = [ws["A2"].value.startswith("デモ事案") for ws in wb]
    assert banners == [demo] * len(wb.sheetnames)


def test_report_power_adds_the_recruit_sheet(sqlite_url: str, cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    from chosei.models import Relative
    from tests.reports.minicase import fill as fill_rows
    from tests.reports.powercase import power_rows

    fill_rows(sqlite_url, lambda: [*power_rows("son's son"),
                                   Relative(id="R-9", victim_id="V-1", relationship="sister")])
    out = tmp_path / "r.xlsx"
    cli("report", str(out), "--power", "--seed", "4", "--lang", "ja")
    ws = load_workbook(out)["遺族依頼"]
    assert ws["A1"].value == "次に採取を依頼する遺族"
    header = [c.value for c in ws[4]]
    assert header[:5] == ["番号", "氏名", "国籍", "現在", "依頼先"]
    assert [c.value for c in ws[5]][4] == "姉妹"
