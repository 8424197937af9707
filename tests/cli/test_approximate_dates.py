"""Approximate birth dates kept as such, and the date as the source wrote it kept beside
the ISO one; through the CLI and the workbook, on both backends. Names made up."""

from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook

from chosei.models import Victim
from tests.cli.storeview import one, snapshot


@pytest.mark.parametrize(("born", "iso", "shown"), [
    ("1915?", "1915", "1915 (approximate; written 1915?)"),
    ("circa 1915", "1915", "1915 (approximate; written circa 1915)"),
    ("1915년경", "1915", "1915 (approximate; written 1915년경)"),
    ("1915年頃", "1915", "1915 (approximate; written 1915年頃)"),
    ("大正4年3月頃", "1915-03", "1915-03 (approximate; written 大正4年3月頃)"),
    ("大正4年3月2日", "1915-03-02", "1915-03-02 (written 大正4年3月2日)"),
    ("1915-03-02", "1915-03-02", "1915-03-02"),
])
def test_born_kept_as_written(case: str, cli, born: str, iso: str, shown: str) -> None:  # type: ignore[no-untyped-def]
    cli("victim", "add", "V-001", "--nationality", "KR", "--hangul", "김가온", "--born", born)
    row = one(case, Victim, "V-001")
    written = None if born == iso else born
    assert (row["birth_date"], row["birth_date_written"]) == (iso, written)
    assert f"birth_date     {shown}\n" in cli("victim show V-001").stdout
    data = json.loads(cli("victim show V-001 --json").stdout)["victim"]
    assert (data["birth_date"], data["birth_date_written"], data["birth_date_approximate"]) == (
        iso, written, "approximate" in shown)


def test_edits_keep_the_written_date_until_the_date_changes(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    cli("victim", "add", "V-001", "--nationality", "KR", "--hangul", "김가온", "--born", "1915년경")
    assert cli("victim edit V-001 --notes x").stdout == "Updated victim V-001:\n    notes: ∅ -> x\n"
    assert one(case, Victim, "V-001")["birth_date_written"] == "1915년경"
    # The same date typed again in ISO: the date did not change, how the source wrote it stays.
    assert cli("victim edit V-001 --born 1915").stdout == (
        "Victim V-001 unchanged: it already holds these values.\n")
    assert cli("victim", "edit", "V-001", "--born", "circa 1916").stdout == (
        "Updated victim V-001:\n    birth_date: 1915 -> 1916\n    birth_date_written: 1915년경 -> circa 1916\n")
    assert cli("victim edit V-001 --clear born").stdout == (
        "Updated victim V-001:\n    birth_date: 1916 -> ∅\n    birth_date_written: circa 1916 -> ∅\n")
    assert cli("victim edit V-001 --clear birth_date_written", expect=1).stderr.startswith(
        "Error: 'birth_date_written' is not a victim field; editable fields: ")


@pytest.mark.parametrize(("born", "message"), [
    ("circa", "birth date: 'circa' is not a date: write the date it approximates, such as circa 1915"),
    ("1915-13?", "birth date: '1915-13?' is not a date: the month must be between 1 and 12"),
])
def test_bad_approximate_dates_are_refused(case: str, cli, born: str, message: str) -> None:  # type: ignore[no-untyped-def]
    before = snapshot(case)
    result = cli("victim", "add", "V-001", "--nationality", "KR", "--hangul", "김", "--born", born, expect=1)
    assert result.stderr == f"Error: {message}\n"
    assert snapshot(case) == before


def test_only_birth_dates_may_be_approximate(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    cli("victim add V-001 --nationality KR --hangul 김가온")
    cli("relative add R-001 --victim V-001 --relationship son")
    result = cli("relative", "consent", "R-001", "--scope", "analysis", "--on", "circa 2025", expect=1)
    assert result.stderr == ("Error: date: 'circa 2025' is not a date: write YYYY-MM-DD, YYYY-MM or YYYY, "
                             "or an era date such as 昭和17年2月3日\n")


def test_a_workbook_changing_the_birth_date_drops_the_old_text(case: str, cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    cli("victim", "add", "V-001", "--nationality", "KR", "--hangul", "김가온", "--born", "1915年頃")
    cli("victim", "add", "V-002", "--nationality", "KR", "--hangul", "박나래", "--born", "大正4年")
    path = tmp_path / "out.xlsx"
    cli("export", str(path), "--sheets", "Victims")
    wb = load_workbook(path)
    ws = wb["Victims"]
    col = [c.value for c in ws[1]].index("Birth date") + 1
    assert (ws.cell(2, col).value, ws.cell(3, col).value) == ("1915", "1915")
    ws.cell(2, col).value = "1916"
    wb.save(path)
    cli("import", str(path))
    assert (one(case, Victim, "V-001")["birth_date"], one(case, Victim, "V-001")["birth_date_written"]) == (
        "1916", None)
    assert one(case, Victim, "V-002")["birth_date_written"] == "大正4年"  # unchanged row, text kept


def test_a_workbook_keeps_approximate_and_era_birth_dates(case: str, cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tests.exchange.conftest import write_book

    head = ["Victim ID", "Nationality", "Name (Hangul)", "Birth date"]
    path = write_book(tmp_path / "v.xlsx", {"Victims": [
        head, ["V-001", "KR", "김가온", "1915년경"], ["V-002", "KR", "박나래", "大正4年3月2日"],
        ["V-003", "KR", "정길동", "1915-03"], ["V-004", "KR", "이바다", 1915]]})
    cli("import", str(path))
    rows = {v: (one(case, Victim, v)["birth_date"], one(case, Victim, v)["birth_date_written"])
            for v in ("V-001", "V-002", "V-003", "V-004")}
    assert rows == {"V-001": ("1915", "1915년경"), "V-002": ("1915-03-02", "大正4年3月2日"),
                    "V-003": ("1915-03", None), "V-004": ("1915", None)}
    bad = write_book(tmp_path / "bad.xlsx", {"Victims": [head, ["V-005", "KR", "김", "circa"]]})
    result = cli("import", str(bad), expect=6)
    assert result.stderr.splitlines()[0] == (
        "  Victims, row 2, Birth date: 'circa' is not a date: write the date it approximates, such as circa 1915")
