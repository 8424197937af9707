"""Reports on the demo case (built once for this module, on SQLite)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from tests.reports.htmlread import ReportPage

BANNER = "DEMO CASE: fictional, generated data — not real victims or families."


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    from typer.testing import CliRunner

    from chosei.cli import app

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    result = CliRunner().invoke(app, ["--db", str(path), "demo", "--seed", "1942"])
    assert result.exit_code == 0, result.stderr
    return str(path)


@pytest.fixture
def on_demo(demo_db: str, cli):
    def run(*args: str, expect: int = 0) -> Any:
        return cli("--db", demo_db, *args, expect=expect)
    return run


def test_html_of_the_demo_shows_the_numbers_of_status(on_demo, tmp_path: Path) -> None:
    status = json.loads(on_demo("status", "--json").stdout)
    out = tmp_path / "demo.html"
    assert on_demo("report", str(out), "--lang", "ko").stdout.startswith(BANNER)
    page = ReportPage(out.read_text(encoding="utf-8"))
    assert "demo" in page.ids
    for section in ("family_stage", "remains_stage"):
        table = page.tables[section.replace("_", "-") + "-table"]
        assert {r["stage"]: (r["KR"], r["JP"]) for r in status[section]} == {
            stage: (int(row["KR"]), int(row["JP"])) for stage, row in table.items()
            if stage != "total"}
    specimens = page.tables["specimens-table"]
    assert {(r["element"], r["side"]): r["count"] for r in status["specimens"]} == {
        (e, side): int(n) for e, row in specimens.items()
        for side, n in row.items() if side in ("left", "right", "midline", "unknown")
        and n != "0"}
    assert int(page.ids["mni"]) == status["mni"]
    samples = page.tables["samples-table"]["total"]
    assert {r["status"]: r["total"] for r in status["samples"] if r["total"]} == {
        k: int(v) for k, v in samples.items() if k not in ("lab", "total")}
    assert len(page.tables["victim-table"]) == status["victims"]["total"] == 183


def test_workbook_of_the_demo_charts_the_status(on_demo, tmp_path: Path) -> None:
    status = json.loads(on_demo("status", "--json").stdout)
    out = tmp_path / "demo.xlsx"
    on_demo("report", str(out))
    wb = openpyxl.load_workbook(out)
    ws = wb["Families"]
    [chart] = ws._charts
    kr = chart.series[0].val.numRef.f
    assert kr == "'Families'!$B$5:$B$9"
    assert [ws[f"B{r}"].value for r in range(5, 10)] == [r["KR"] for r in status["family_stage"]]
    assert all(ws["A2"].value == BANNER for ws in wb)


def test_coverage_of_the_demo_flags_the_five_northern_victims(on_demo) -> None:
    data = json.loads(on_demo("coverage", "--json").stdout)
    assert data["demo"] is True
    assert sum(v["northern"] for v in data["victims"]) == 5
    assert all(u["recruit"] for u in data["uncovered"])
    assert on_demo("coverage", "--uncovered").stdout.startswith(BANNER)


def test_power_of_one_demo_victim_is_reproducible(on_demo) -> None:
    args = ("power", "CH-001", "--simulations", "100", "--seed", "7", "--json")
    first = json.loads(on_demo(*args).stdout)
    assert first == json.loads(on_demo(*args).stdout)
    assert first["demo"] is True
    victim = first["victims"][0]
    assert 0 <= victim["false_positive_rate"] <= victim["sensitivity"] <= 1
