"""The HTML report: the numbers of `chosei status`, escaped data, nothing external."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from chosei.models import Relative
from tests.reports.htmlread import ReportPage
from tests.reports.minicase import fill, mini_rows
from tests.reports.powercase import power_rows


def _page(cli, tmp_path: Path, *args: str) -> tuple[ReportPage, str]:
    out = tmp_path / "report.html"
    cli("report", str(out), *args)
    raw = out.read_text(encoding="utf-8")
    return ReportPage(raw), raw


def _status(cli) -> dict[str, Any]:
    return json.loads(cli("status", "--json").stdout)


@pytest.mark.parametrize("lang", ["en", "ko", "ja"])
def test_html_shows_the_numbers_of_status(mini_case: str, cli, tmp_path: Path,
                                          lang: str) -> None:
    status = _status(cli)
    page, _ = _page(cli, tmp_path, "--lang", lang)
    for section in ("family_stage", "remains_stage"):
        table = page.tables[section.replace("_", "-") + "-table"]
        for row in status[section]:
            for col in ("KR", "JP", "total"):
                assert int(table[row["stage"]][col]) == row[col], (section, row)
        assert int(table["total"]["total"]) == status["victims"]["total"]
    specimens = page.tables["specimens-table"]
    for row in status["specimens"]:
        assert int(specimens[row["element"]][row["side"]]) == row["count"]
    assert int(page.ids["mni"]) == status["mni"] == 4
    assert int(page.ids["specimen-total"]) == status["specimen_total"] == 15
    samples = page.tables["samples-table"]["total"]
    for row in status["samples"]:
        if row["total"]:
            assert int(samples[row["status"]]) == row["total"]


def test_mni_by_hand(mini_case: str, cli, tmp_path: Path) -> None:
    # 3 left femurs, 2 right femurs, 4 crania, 1 left humerus (and 5 teeth) -> 4.
    assert _status(cli)["mni"] == 4
    page, _ = _page(cli, tmp_path)
    assert page.ids["mni"] == "4"
    table = page.tables["specimens-table"]
    assert {e: table[e]["mni"] for e in table} == {
        "cranium": "4", "tooth": "–", "humerus": "1", "femur": "3"}
    assert (table["femur"]["left"], table["femur"]["right"]) == ("3", "2")


def test_names_are_escaped(mini_case: str, cli, tmp_path: Path) -> None:
    page, raw = _page(cli, tmp_path)
    assert "김&lt;정&gt;웅" in raw
    assert "<정>" not in raw
    assert page.tables["victim-table"]["V-001"]["name"] == "김<정>웅 / 金本正雄"
    assert "정" not in page.tags


def test_page_is_self_contained(mini_case: str, cli, tmp_path: Path) -> None:
    _, raw = _page(cli, tmp_path, "--lang", "ko")
    assert not re.search(r"<script|<link|<img|<iframe|@import|url\(|src=|href=", raw, re.I)
    # The only URL is the SVG namespace, which is a name, never fetched.
    assert set(re.findall(r"https?://[^\s\"']+", raw)) == {"http://www.w3.org/2000/svg"}
    assert "@media print" in raw
    assert '"Noto Sans CJK KR"' in raw and '"Hiragino Sans"' in raw


def test_victim_table_and_north_flag(mini_case: str, cli, tmp_path: Path) -> None:
    page, _ = _page(cli, tmp_path, "--lang", "ja")
    rows = page.tables["victim-table"]
    assert list(rows) == ["V-001", "V-002", "V-003", "V-004"]
    assert rows["V-001"]["northern"] == "▲"
    assert rows["V-002"]["northern"] == ""
    assert rows["V-001"]["nationality"] == "韓国"
    assert rows["V-001"]["family"] == "対照DNA型検出"
    assert rows["V-001"]["remains"] == "返還"
    assert rows["V-003"]["family"] == "遺族所在確認"


def test_timeline_custody_and_coverage(mini_case: str, cli, tmp_path: Path) -> None:
    page, _ = _page(cli, tmp_path)
    timeline = page.tables["timeline-table"]
    assert list(timeline) == ["2025-08", "2025-09", "2025-10", "2025-11", "2025-12",
                              "2026-01", "2026-02"]
    assert timeline["2025-08"] == {"month": "2025-08", "recovered": "6", "collected": "0",
                                   "profiled": "0", "identified": "0"}
    assert timeline["2026-02"]["recovered"] == "9"
    assert timeline["2025-11"]["identified"] == "1"
    assert page.ids["custody-summary"] == "3 items have a custody record; 2 of them have gaps."
    assert set(page.tables["custody-table"]) == {"S-R2", "SP-02"}
    coverage = page.tables["coverage-table"]
    # The son and the brother's son were typed for autosomal STRs only: no Y line yet.
    assert (coverage["Y"]["KR"], coverage["uncovered"]["JP"]) == ("0", "2")


@pytest.mark.parametrize("demo", [True, False], ids=["demo", "real"])
def test_a_demo_report_says_so(db_url: str, cli, tmp_path: Path, demo: bool) -> None:
    fill(db_url, mini_rows, demo=demo)
    page, _ = _page(cli, tmp_path)
    assert ("demo" in page.ids) is demo
    out = tmp_path / "r.xlsx"
    result = cli("report", str(out))
    assert ("DEMO CASE" in result.stdout) is demo


def _with_dna_groups() -> list:
    from chosei.models import DnaGroup

    rows = mini_rows()
    # DNA re-associates the 15 specimens into 6 individuals: more than the 4 crania.
    return [*rows, *(DnaGroup(specimen_id=f"SP-{i:02d}", group_id=f"G{i % 6}")
                     for i in range(1, 16))]


def test_mni_counts_dna_groups_where_they_exist(db_url: str, cli, tmp_path: Path) -> None:
    fill(db_url, _with_dna_groups)
    status = _status(cli)
    assert (status["dna_groups"], status["mni"]) == (6, 6)
    page, _ = _page(cli, tmp_path)
    assert (page.ids["dna-groups"], page.ids["mni"]) == ("6", "6")



@pytest.mark.parametrize(("lang", "title", "sister"), [("en", "Whom to recruit next", "sister"),
                                                       ("ko", "다음에 채취를 요청할 유족", "자매"),
                                                       ("ja", "次に採取を依頼する遺族", "姉妹")])
def test_report_power_adds_whom_to_recruit(sqlite_url: str, cli, tmp_path: Path, lang: str, title: str,
                                           sister: str) -> None:
    # V-1 has a son's son (below one half) and a recorded sister not yet typed: she is advised.
    fill(sqlite_url, lambda: [*power_rows("son's son"), Relative(id="R-9", victim_id="V-1", relationship="sister")])
    page, raw = _page(cli, tmp_path, "--power", "--seed", "4", "--lang", lang)
    assert f"<h2>{title}</h2>" in raw
    [row] = page.tables["recruit-table"].values()
    assert list(row.values())[0] == "V-1"
    assert sister in list(row.values())
    plain, _ = _page(cli, tmp_path)
    assert "recruit-table" not in plain.tables
