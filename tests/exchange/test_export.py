"""Exports: round trips, what a spreadsheet sees, profiles, conflicts on return."""

from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook
from sqlalchemy import select

from chosei.errors import ImportConflicts
from chosei.exchange.about import store_id
from chosei.models import AuditEntry, Victim
from chosei.store import session_scope
from tests.exchange.conftest import do_export, do_import, dump, one

LANGS = ["en", "ko", "ja"]


def _sheet(path, title):
    return load_workbook(path)[title]


def _rows(path, title):
    return [list(r) for r in _sheet(path, title).iter_rows(values_only=True)]


def _by_header(path, title):
    rows = _rows(path, title)
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


@pytest.mark.parametrize("lang", LANGS)
def test_export_then_import_changes_nothing(rich, tmp_path, lang):
    path = tmp_path / f"case-{lang}.xlsx"
    do_export(rich, path, lang=lang)
    before = dump(rich)
    report = do_import(rich, path)
    assert (report.added, report.changed, report.conflicts) == (0, 0, [])
    assert sum(c.unchanged for c in report.counts.values()) == 38
    assert dump(rich) == before


def test_text_that_looks_like_a_formula_stays_text(rich, tmp_path):
    path = tmp_path / "case.xlsx"
    do_export(rich, path)
    ws = _sheet(path, "Victims")
    notes = {ws.cell(r, 1).value: ws.cell(r, 14) for r in range(2, ws.max_row + 1)}
    for ident, text in [("V-001", "=SUM(A1:A2)"), ("V-002", "-5 degrees"), ("V-003", "@home"),
                        ("12", "\t=cmd")]:
        cell = notes[ident]
        assert (cell.value, cell.data_type, cell.quotePrefix) == (text, "s", True)
    sources = {ws.cell(r, 1).value: ws.cell(r, 13).value for r in range(2, ws.max_row + 1)}
    assert sources["V-004"] == "+82 register"
    calamine = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Victims").to_python()
    assert "=SUM(A1:A2)" in [r[13] for r in calamine]


def test_text_that_looks_like_markup_is_written_as_text(rich, tmp_path):
    """xlsxwriter's constant-memory mode writes a string wrapped in <r>…</r> as raw
    rich-text XML; chosei's notes are text, whatever they look like."""
    texts = {"V-001": "<r><t>bold</t></r>", "V-002": "a _x0041_ & <b>c</b>",
             "V-003": "<r>\t</r>"}
    with session_scope(rich, write=True, actor="tester") as s:
        for ident, text in texts.items():
            s.get(Victim, ident).notes = text
    path = tmp_path / "case.xlsx"
    do_export(rich, path)
    calamine = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Victims").to_python()
    assert {r[0]: r[13] for r in calamine if r[0] in texts} == texts
    report = do_import(rich, path)
    assert (report.added, report.changed, report.conflicts) == (0, 0, [])


def test_a_real_value_reading_clear_survives(rich, tmp_path):
    path = tmp_path / "case.xlsx"
    do_export(rich, path)
    assert {v["Victim ID"]: v["Notes"] for v in _by_header(path, "Victims")}["V-004"] == "'(clear)"
    do_import(rich, path)
    assert one(rich, Victim, "V-004")["notes"] == "(clear)"


def test_layout_a_case_worker_expects(rich, tmp_path):
    path = tmp_path / "case.xlsx"
    do_export(rich, path)
    wb = load_workbook(path)
    ws = wb["Victims"]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:O7"
    lists = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}
    assert lists == {"B2:B1048576": "'_lists'!$A$1:$A$2", "H2:H1048576": "'_lists'!$B$1:$B$3"}
    assert wb["_lists"].sheet_state == "hidden"
    assert [c.value for c in wb["_lists"]["A"] if c.value] == ["KR", "JP"]
    assert ws.column_dimensions["K"].width > 20  # Registered domicile
    birth = {ws.cell(r, 1).value: ws.cell(r, 9) for r in range(2, ws.max_row + 1)}
    assert birth["V-001"].is_date and birth["V-001"].number_format == "yyyy-mm-dd"
    assert birth["V-005"].is_date and birth["V-005"].value.year == 1904
    for ident, text in [("V-002", "1915"), ("V-004", "1920-07"), ("V-003", "1899-11-30")]:
        assert (birth[ident].value, birth[ident].data_type) == (text, "s")
    at = _sheet(path, "Custody")["C2"]
    assert at.is_date and at.number_format == "yyyy-mm-dd hh:mm"


def test_vocabularies_are_written_in_the_export_language(rich, tmp_path):
    path = tmp_path / "case-ko.xlsx"
    do_export(rich, path, lang="ko")
    rel = _by_header(path, "유족")[0]
    assert (rel["유족 번호"], rel["관계"], rel["성별"], rel["동의 범위"]) \
        == ("R-001", "아들", "남", "분석;공유:KR")
    assert load_workbook(path)["_lists"]["A1"].value == "한국"


def test_partner_profile_shares_only_consenting_families(rich, tmp_path):
    path = tmp_path / "kr.xlsx"
    report = do_export(rich, path, profile="partner", partner="KR")
    relatives = _by_header(path, "Relatives")
    assert [r["Relative ID"] for r in relatives] == ["R-001"]
    assert "Contact" not in relatives[0] and "Notes" not in relatives[0]
    assert [r["Sample ID"] for r in _by_header(path, "Samples")] == ["S-001", "S-002"]
    assert {r["Sample ID"] for r in _by_header(path, "Profiles")} == {"S-001", "S-002"}
    assert {r["Item ID"] for r in _by_header(path, "Custody")} == {"CH-001"}
    assert report.withheld == {"Relatives": 3, "Samples": 3, "Custody": 1, "Profiles": 1}
    jp = tmp_path / "jp.xlsx"
    do_export(rich, jp, profile="partner", partner="JP")
    assert [r["Relative ID"] for r in _by_header(jp, "Relatives")] == ["R-002"]


def test_lab_profile_is_blind(rich, tmp_path):
    path = tmp_path / "lab.xlsx"
    do_export(rich, path, profile="lab")
    wb = load_workbook(path)
    assert wb.sheetnames == ["Samples", "About", "_lists"]
    rows = _rows(path, "Samples")
    assert rows[0] == ["Sample ID", "Type", "Collected on", "Status date", "Version"]
    # S-003 comes from a relative who withdrew consent to analysis.
    assert [r[0] for r in rows[1:]] == ["S-001", "S-002", "S-004", "S-005"]
    text = " ".join(str(c) for ws in wb for row in ws.iter_rows(values_only=True) for c in row)
    for secret in ("김", "CH-001", "R-001", "V-001", "010-"):
        assert secret not in text


def test_dashboard_and_about(rich, tmp_path):
    path = tmp_path / "case-ja.xlsx"
    do_export(rich, path, lang="ja")
    about = dict(_rows(path, "情報"))
    with session_scope(rich) as s:
        sid = store_id(s)
    assert (about["ストアID"], about["プロファイル"], about["言語"], about["デモ"], about["様式版"]) \
        == (sid, "full", "ja", "いいえ", "1")
    dashboard = _rows(path, "現況")
    assert dashboard[0][:2] == ["事案", "Test case"]
    assert dashboard[3][:4] == [None, 4, 2, 6]  # victims: KR, JP, total


def test_an_export_is_audited_with_its_details_in_after(rich, tmp_path, cli):
    do_export(rich, tmp_path / "out.xlsx", profile="partner", partner="JP", lang="ko")
    with session_scope(rich) as s:
        last = s.execute(select(AuditEntry).order_by(AuditEntry.seq.desc())).scalars().first()
        assert (last.action, last.entity, last.entity_key, last.actor, last.before) == (
            "export", "workbook", "out.xlsx", "tester", None)
        assert json.loads(last.after) == {
            "file": "out.xlsx", "profile": "partner", "partner": "JP", "lang": "ko",
            "sheets": {"Victims": 6, "Names": 2, "Relatives": 1, "Pedigrees": 0, "Operations": 2, "Specimens": 3,
                       "Samples": 2, "Custody": 2, "Profiles": 3, "Frequencies": 2,
                       "Haplotypes": 2, "Identifications": 2},  # 27 rows
            "withheld": {"Relatives": 3, "Samples": 3, "Custody": 1, "Profiles": 4}}
    # An entry about no table row is not taken for a row missing from the store.
    assert "Audit trail intact" in cli("audit", "verify").stdout


def _edit(path, title, ident, header, value):
    wb = load_workbook(path)
    ws = wb[title]
    col = [c.value for c in ws[1]].index(header) + 1
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == ident)
    ws.cell(row, col).value = value
    wb.save(path)


def test_rows_changed_in_the_store_after_the_export_are_conflicts(rich, tmp_path):
    path = tmp_path / "out.xlsx"
    do_export(rich, path)
    with session_scope(rich, write=True) as s:  # someone edits V-001 meanwhile
        s.get(Victim, "V-001").name_latin = "Kim Chong-ung"
    _edit(path, "Victims", "V-001", "Name (Latin)", "Gim Jeong-ung")
    _edit(path, "Victims", "V-002", "Name (Latin)", "Park Young-soo")
    with pytest.raises(ImportConflicts) as refused:
        do_import(rich, path)
    assert one(rich, Victim, "V-002")["name_latin"] != "Park Young-soo"  # nothing written
    expected = [
        "conflict Victims V-001 (row 3): changed in the store after the export (store version 2, "
        "workbook version 1); not applied; Name (Latin): 'Kim Chong-ung' → 'Gim Jeong-ung'"]
    assert [str(c) for c in refused.value.report.conflicts] == expected
    report = do_import(rich, path, skip_conflicts=True)
    assert [str(c) for c in report.conflicts] == expected
    assert one(rich, Victim, "V-001")["name_latin"] == "Kim Chong-ung"
    assert one(rich, Victim, "V-002")["name_latin"] == "Park Young-soo"
    forced = do_import(rich, path, force=True)
    assert forced.changed == 1 and one(rich, Victim, "V-001")["name_latin"] == "Gim Jeong-ung"


def test_versions_from_another_store_are_not_compared(rich, tmp_path):
    path = tmp_path / "out.xlsx"
    do_export(rich, path)
    with session_scope(rich, write=True) as s:
        s.get(Victim, "V-001").name_latin = "Kim Chong-ung"
    wb = load_workbook(path)
    assert wb["About"]["A2"].value == "Store ID"
    wb["About"]["B2"].value = "another-store"
    wb.save(path)
    _edit(path, "Victims", "V-001", "Name (Latin)", "Gim Jeong-ung")
    report = do_import(rich, path)
    assert (report.changed, report.conflicts) == (1, [])


def _family_stages(path, title="Dashboard"):
    rows = _rows(path, title)
    start = next(i for i, r in enumerate(rows) if r[0] == "Families: stage")
    return {r[0]: r[1:4] for r in rows[start + 1:start + 6]}


def test_a_partner_dashboard_counts_only_families_shared_with_it(rich, tmp_path):
    # V-001: R-001 (profiled, shares with KR) and R-002 (consented, shares with JP).
    # V-002: R-004 (sample shipped; sharing with KR withdrawn). V-003: R-003 (withdrew).
    full, jp, kr = tmp_path / "full.xlsx", tmp_path / "jp.xlsx", tmp_path / "kr.xlsx"
    do_export(rich, full)
    do_export(rich, jp, profile="partner", partner="JP")
    do_export(rich, kr, profile="partner", partner="KR")
    assert _family_stages(full) == {
        "no relative known": [2, 1, 3], "located": [0, 1, 1], "consented": [0, 0, 0],
        "reference collected": [1, 0, 1], "reference profiled": [1, 0, 1]}
    # JP sees V-001 through R-002 only, at R-002's stage; not R-001's KR-only profile.
    assert _family_stages(jp) == {
        "no relative known": [3, 2, 5], "located": [0, 0, 0], "consented": [1, 0, 1],
        "reference collected": [0, 0, 0], "reference profiled": [0, 0, 0]}
    assert _family_stages(kr) == {
        "no relative known": [3, 2, 5], "located": [0, 0, 0], "consented": [0, 0, 0],
        "reference collected": [0, 0, 0], "reference profiled": [1, 0, 1]}
    samples = {r[0]: r[1:] for r in _rows(jp, "Dashboard") if r and r[0] in ("planned", "shipped")}
    assert samples == {"planned": [0, 1, 0, 1]}  # S-004 of R-002; not R-004's shipped S-005
