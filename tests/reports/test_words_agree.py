"""The export's Dashboard sheet and the report word every stage alike, in every language.

Both are generated from the demo case and read back: the Dashboard sheet of `chosei
export --lang L`, the stage tables and the victim table of `chosei report --lang L` (HTML
and xlsx). They read the one catalogue entry per stage (`reports.labels.stage_label`);
this test fails if any of them words a stage otherwise, and pins the words themselves.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest

from chosei.exchange import schema
from chosei.rules import FAMILY_STAGES, REMAINS_STAGES
from tests.reports.htmlread import ReportPage

# docs/terms.md gives the source of each choice.
WORDS = {
    "en": [*FAMILY_STAGES, *REMAINS_STAGES],
    "ko": ["유족 미확인", "유족 소재 확인", "분석 동의", "대조 시료 채취", "대조 DNA형 확보",
           "해당 유해 없음", "후보", "신원확인", "봉환"],
    "ja": ["遺族未確認", "遺族所在確認", "分析同意", "対照試料採取", "対照DNA型検出",
           "該当遺骨なし", "候補", "身元確認", "返還"],
}


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    from typer.testing import CliRunner

    from chosei.cli import app

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    result = CliRunner().invoke(app, ["--db", str(path), "demo", "--seed", "1942"])
    assert result.exit_code == 0, result.stderr
    return str(path)


def _sentence_case(word: str) -> str:
    return word[:1].upper() + word[1:]


def _dashboard_stages(path: Path, lang: str) -> list[str]:
    """The first cells under the Dashboard's family and remains headings (the headings
    are the rows naming KR and JP after the victims' one), in sheet order."""
    ws = openpyxl.load_workbook(path, read_only=True)[schema.DASHBOARD[schema.LANGS.index(lang)]]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    headings = [i for i, r in enumerate(rows) if r[1:3] == ["KR", "JP"]]
    assert len(headings) == 3, rows
    words = []
    for start in headings[1:]:
        block = []
        for r in rows[start + 1:]:
            if not r or r[0] is None:
                break
            block.append(r[0])
        words.extend(block)
    return words


def _report_stages(page: ReportPage) -> dict[str, str]:
    out = {}
    for table in ("family-stage-table", "remains-stage-table"):
        out.update({code: row["stage"] for code, row in page.tables[table].items() if code != "total"})
    return out


def _report_xlsx_stages(path: Path) -> list[Any]:
    wb = openpyxl.load_workbook(path, read_only=True)
    words = []
    for ws in wb.worksheets[1:3]:  # the summary, then the families' and the remains' sheets
        words.extend(r[0] for r in ws.iter_rows(min_row=5, max_col=1, values_only=True) if r[0] is not None)
    return words


@pytest.mark.parametrize("lang", ["en", "ko", "ja"])
def test_the_dashboard_and_the_report_word_every_stage_alike(demo_db: str, cli, tmp_path: Path,
                                                             lang: str) -> None:
    stages = [*FAMILY_STAGES, *REMAINS_STAGES]
    export, html, xlsx = tmp_path / "export.xlsx", tmp_path / "report.html", tmp_path / "report.xlsx"
    cli("--db", demo_db, "export", str(export), "--lang", lang)
    cli("--db", demo_db, "report", str(html), "--lang", lang)
    cli("--db", demo_db, "report", str(xlsx), "--lang", lang)

    dashboard = _dashboard_stages(export, lang)
    page = ReportPage(html.read_text(encoding="utf-8"))
    report = _report_stages(page)
    report_xlsx = _report_xlsx_stages(xlsx)

    assert dashboard == WORDS[lang]
    assert list(report) == stages
    # The report writes a stage at the head of a row, so English capitalises it.
    assert [report[s] for s in stages] == [_sentence_case(w) for w in dashboard]
    assert report_xlsx == [_sentence_case(w) for w in dashboard]
    # The victim table says a victim's stages with the same words.
    victims = page.tables["victim-table"].values()
    seen = {v["family"] for v in victims} | {v["remains"] for v in victims}
    assert seen <= {_sentence_case(w) for w in dashboard}
    assert len(seen) >= 5
