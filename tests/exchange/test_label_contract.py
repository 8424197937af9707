"""The exchange contract across a change of label: a vocabulary's preferred Korean or
Japanese label comes from the catalogue (docs/terms.md), and a workbook written with
the label an older chosei wrote still imports as the same code."""

from __future__ import annotations

from openpyxl import load_workbook

from chosei.models import Sample
from tests.exchange.conftest import do_export, do_import, dump, one


def _cells(path, sheet, header):
    ws = load_workbook(path)[sheet]
    col = [c.value for c in ws[1]].index(header) + 1
    return {ws.cell(r, 1).value: ws.cell(r, col) for r in range(2, ws.max_row + 1)}


def test_a_workbook_with_the_former_label_imports_unchanged(rich, tmp_path):
    path = tmp_path / "case-ko.xlsx"
    do_export(rich, path, lang="ko")
    status = _cells(path, "시료", "상태")
    # "DNA형 확보" (the glossary's DNA형) replaced "프로필 확보" as the label of profiled.
    assert (status["S-001"].value, status["S-002"].value) == ("DNA형 확보", "DNA형 확보")
    wb = load_workbook(path)
    ws = wb["시료"]
    col = [c.value for c in ws[1]].index("상태") + 1
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, col).value == "DNA형 확보":
            ws.cell(r, col).value = "프로필 확보"
    wb.save(path)
    before = dump(rich)
    report = do_import(rich, path)
    assert (report.added, report.changed, report.conflicts, report.warnings) == (0, 0, [], [])
    assert dump(rich) == before
    assert one(rich, Sample, "S-001")["status"] == "profiled"
