"""Reading workbooks: sheet and header names in three languages, IDs, dates, formulas,
error cells, the 1904 date system, unknown sheets and columns. About files, not the
store: SQLite only."""

from __future__ import annotations

import datetime as dt

import pytest
import xlsxwriter

from chosei.errors import WorkbookRejected
from chosei.models import Victim
from tests.exchange.conftest import do_import, one, rows_of

VICTIM_HEADERS = {
    "en": ("Victims", ["Victim ID", "Nationality", "Name (Hangul)", "Birth date", "Notes"]),
    "ko": ("희생자", ["희생자 번호", "국적", "한글 이름", "생년월일", "비고"]),
    "ja": ("犠牲者", ["犠牲者番号", "国籍", "ハングル氏名", "生年月日", "備考"]),
    "messy": ("  ＶＩＣＴＩＭＳ ", ["victim  id", " NATIONALITY", "name(hangul)", "Birth Date ",
                                   "ｎｏｔｅｓ"]),
}


@pytest.mark.parametrize("lang", list(VICTIM_HEADERS))
def test_sheet_and_headers_are_read_in_any_language(lite, book, lang):
    title, headers = VICTIM_HEADERS[lang]
    path = book({title: [headers, ["V-001", "한국", "김정웅", "1915-03-02", "n"]]})
    report = do_import(lite, path)
    assert report.added == 1
    victim = one(lite, Victim, "V-001")
    assert (victim["nationality"], victim["name_hangul"], victim["birth_date"], victim["notes"]) \
        == ("KR", "김정웅", "1915-03-02", "n")


def test_unknown_sheets_and_columns_are_warnings(lite, book):
    path = book({
        "Victims": [["Victim ID", "Nationality", "Name (Latin)", "Shoe size"],
                    ["V-001", "KR", "Kim", 42]],
        "Scratch": [["anything"]],
    })
    report = do_import(lite, path)
    assert report.warnings == [
        "sheet 'Scratch' is not one chosei reads; it was skipped (sheets: Victims, Names, "
        "Relatives, Pedigrees, Operations, Specimens, Samples, Custody, Profiles, Frequencies, Haplotypes, "
        "Identifications)",
        "Victims: column 'Shoe size' (D) is not one chosei reads; it was skipped",
    ]
    assert report.added == 1


@pytest.mark.parametrize(("cell", "expected"), [
    ("ＣＨ－００１", "CH-001"),
    ("  CH-001 ", "CH-001"),
    (12, "12"),
    (12.0, "12"),
    ("CH‐001", "CH-001"),  # a Unicode hyphen
], ids=["full-width", "spaces", "int", "float", "unicode-hyphen"])
def test_ids_are_normalised(lite, book, cell, expected):
    path = book({"Victims": [["Victim ID", "Nationality", "Name (Latin)"], [cell, "KR", "Kim"]]})
    do_import(lite, path)
    assert [r["id"] for r in rows_of(lite, Victim)] == [expected]


@pytest.mark.parametrize(("cell", "expected"), [
    (dt.datetime(1915, 3, 2), "1915-03-02"),
    ("1915-03-02", "1915-03-02"),
    ("１９１５－０３－０２", "1915-03-02"),
    ("1915", "1915"),
    (1915, "1915"),
    ("1915-03", "1915-03"),
    ("大正4年3月2日", "1915-03-02"),
    ("昭和17年", "1942"),
    ("S16.2.3", "1941-02-03"),
    ("昭和元年", "1926"),
    ("단기 4248년", "1915"),
], ids=["excel-date", "iso", "full-width", "year-text", "year-number", "year-month",
        "taisho", "showa-year", "abbreviated-era", "gannen", "dangi"])
def test_date_forms(lite, book, cell, expected):
    path = book({"Victims": [["Victim ID", "Nationality", "Name (Latin)", "Birth date"],
                             ["V-001", "KR", "Kim", cell]]})
    do_import(lite, path)
    assert one(lite, Victim, "V-001")["birth_date"] == expected


def test_1904_date_system(lite, book):
    serial = (dt.date(1915, 3, 2) - dt.date(1904, 1, 1)).days
    path = book({"Victims": [["Victim ID", "Nationality", "Name (Latin)", "Birth date"],
                             ["V-001", "KR", "Kim", serial],
                             ["V-002", "KR", "Lee", dt.datetime(1920, 7, 1)]]}, date1904=True)
    do_import(lite, path)
    assert one(lite, Victim, "V-001")["birth_date"] == "1915-03-02"
    assert one(lite, Victim, "V-002")["birth_date"] == "1920-07-01"


def _formula_book(path, formula: str, value: object):
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Victims")
    for j, h in enumerate(["Victim ID", "Nationality", "Name (Latin)", "Age at death"]):
        ws.write_string(0, j, h)
    ws.write_string(1, 0, "V-001")
    ws.write_string(1, 1, "KR")
    ws.write_string(1, 2, "Kim")
    ws.write_formula(1, 3, formula, None, value)
    wb.close()
    return path


def test_formulas_are_read_as_their_cached_values(lite, tmp_path):
    do_import(lite, _formula_book(tmp_path / "f.xlsx", "=20+6", 26))
    assert one(lite, Victim, "V-001")["age_at_death"] == 26


@pytest.mark.parametrize("error", ["#REF!", "#N/A"])
def test_error_cells_are_errors(lite, tmp_path, error):
    path = _formula_book(tmp_path / "e.xlsx", "=A1/0" if error == "#REF!" else "=NA()", error)
    with pytest.raises(WorkbookRejected) as exc:
        do_import(lite, path)
    assert [str(p) for p in exc.value.problems] == [
        f"Victims, row 2, Age at death: '{error}' is an error value from a formula: correct "
        "the formula or type the value"]


def test_error_text_pasted_as_a_value_is_an_error(lite, book):
    path = book({"Victims": [["Victim ID", "Nationality", "Name (Latin)"],
                             ["V-001", "#N/A", "Kim"]]})
    with pytest.raises(WorkbookRejected) as exc:
        do_import(lite, path)
    assert [str(p) for p in exc.value.problems] == [
        "Victims, row 2, Nationality: '#N/A' is an error value from a formula: correct the "
        "formula or type the value"]


def test_a_formula_without_a_saved_value_is_an_error(lite, book):
    path = book({"Victims": [["Victim ID", "Nationality", "Name (Latin)", "Age at death"],
                             ["V-001", "KR", "Kim", "=20+6"]]})
    with pytest.raises(WorkbookRejected) as exc:
        do_import(lite, path)
    assert [str(p) for p in exc.value.problems] == [
        "Victims, row 2, Age at death: the formula has no saved value: open the file in Excel "
        "or LibreOffice and save it, or type the value"]


def test_rows_keep_their_excel_numbers_past_blank_rows(lite, book):
    path = book({"Victims": [["Victim ID", "Nationality", "Name (Latin)"],
                             ["V-001", "KR", "Kim"], [], [None, None, None],
                             ["V-002", "Korae", "Lee"]]})
    with pytest.raises(WorkbookRejected) as exc:
        do_import(lite, path)
    assert [(p.row, p.column) for p in exc.value.problems] == [(5, "Nationality")]


def test_a_table_that_does_not_start_in_a1(lite, tmp_path):
    wb = xlsxwriter.Workbook(str(tmp_path / "offset.xlsx"))
    ws = wb.add_worksheet("Victims")
    for j, h in enumerate(["Victim ID", "Nationality", "Name (Latin)"]):
        ws.write_string(2, 1 + j, h)
    for j, v in enumerate(["V-001", "Koria", "Kim"]):
        ws.write_string(3, 1 + j, v)
    wb.close()
    with pytest.raises(WorkbookRejected) as exc:
        do_import(lite, tmp_path / "offset.xlsx")
    (p,) = exc.value.problems
    assert (p.row, p.column, p.col) == (4, "Nationality", 2)



def test_rows_read_in_parts_keep_their_numbers_and_cells(lite, tmp_path, monkeypatch):
    """The reader takes rows from calamine a part at a time (3 here): blank rows at the
    edge of a part, a part of blank rows only, and a column first filled late keep every
    row's Excel number and cells."""
    from chosei.exchange import reader

    monkeypatch.setattr(reader, "_ROWS_AT_ONCE", 3)
    wb = xlsxwriter.Workbook(str(tmp_path / "parts.xlsx"))
    ws = wb.add_worksheet("Victims")
    ws.write_row(0, 0, ["Victim ID", "Nationality", "Name (Latin)", "Notes"])
    # Parts: Excel rows 2-4, 5-7, 8-10, 11-12. Rows 4, 5-7 (a whole part) and 10 blank;
    # Notes first filled in row 11.
    for excel_row, values in {2: ["V-001", "KR", "Kim"], 3: ["V-002", "KR", "Lee"],
                              8: ["V-003", "JP", "Abe"], 9: ["V-004", "KR", "Park"],
                              11: ["V-005", "KR", "Choi", "late note"], 12: ["V-006", "Korae", "Han"]}.items():
        ws.write_row(excel_row - 1, 0, values)
    wb.close()
    raw = reader.read_workbook(tmp_path / "parts.xlsx").sheets[0]
    assert raw.numbers == [2, 3, 8, 9, 11, 12]
    assert list(raw.column(raw.col_of["name_latin"])) == ["Kim", "Lee", "Abe", "Park", "Choi", "Han"]
    assert list(raw.column(raw.col_of["notes"])) == ["", "", "", "", "late note", ""]
    with pytest.raises(WorkbookRejected) as exc:
        do_import(lite, tmp_path / "parts.xlsx")
    assert [(p.row, p.column) for p in exc.value.problems] == [(12, "Nationality")]

EARLY = [dt.date(1900, 1, 1), dt.date(1900, 2, 28), dt.date(1900, 3, 1)]


def _early_book(path, dates, *, date1904: bool = False):  # type: ignore[no-untyped-def]
    """Birth dates as Excel keeps them: serials (1, 59, 61 for EARLY), date-formatted."""
    wb = xlsxwriter.Workbook(str(path), {"date_1904": date1904})
    ws = wb.add_worksheet("Victims")
    ws.write_row(0, 0, ["Victim ID", "Nationality", "Name (Latin)", "Birth date"])
    fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    for i, day in enumerate(dates, start=1):
        ws.write_row(i, 0, [f"V-{i:03d}", "KR", "Kim"])
        ws.write_number(i, 3, day if isinstance(day, float) else _serial(day, date1904), fmt)
    wb.close()
    return path


def _serial(day: dt.date, date1904: bool) -> float:
    if date1904:
        return (day - dt.date(1904, 1, 1)).days
    return (day - dt.date(1899, 12, 31)).days + (1 if day >= dt.date(1900, 3, 1) else 0)


def _births(store):  # type: ignore[no-untyped-def]
    return [v["birth_date"] for v in rows_of(store, Victim)]


def test_dates_in_the_first_months_of_1900(lite, tmp_path):
    do_import(lite, _early_book(tmp_path / "early.xlsx", EARLY))
    assert _births(lite) == ["1900-01-01", "1900-02-28", "1900-03-01"]


def test_day_0_and_excels_29_february_1900_are_refused(lite, tmp_path):
    """Serial 0 (python-calamine gives it as 00:00; xlsxwriter writes a datetime of
    1900-01-01 so) and serial 60, the 29 February 1900 Excel pretends existed."""
    with pytest.raises(WorkbookRejected) as exc:
        do_import(lite, _early_book(tmp_path / "odd.xlsx", [0.0, 60.0]))
    assert [str(p) for p in exc.value.problems] == [
        "Victims, row 2, Birth date: '0' is not a date: Excel's day 0 is no date; leave the cell "
        "empty or enter the date",
        "Victims, row 3, Birth date: '60' is not a date: Excel's serial 60 is 29 February 1900, a "
        "day that never existed; enter the date again"]


def test_the_first_day_of_the_1904_system(lite, tmp_path):
    do_import(lite, _early_book(tmp_path / "mac.xlsx", [dt.date(1904, 1, 1), dt.date(1904, 1, 2)],
                                date1904=True))
    assert _births(lite) == ["1904-01-01", "1904-01-02"]


@pytest.mark.programs
def test_early_dates_typed_in_libreoffice(lite, tmp_path):
    """LibreOffice counts serials from 30 December 1899 with no phantom 29 February 1900:
    it writes 1900-01-01 as 2 and 1899-12-31 as 1, where Excel's 1 is 1900-01-01."""
    from tests.programs import CSV_UTF8, libreoffice_convert, require

    require("libreoffice")
    typed = tmp_path / "Victims.csv"
    typed.write_text("Victim ID,Nationality,Name (Latin),Birth date\n"
                     "V-001,KR,Kim,1900-01-01\nV-002,KR,Kim,1900-02-28\nV-003,KR,Kim,1900-03-01\n"
                     "V-004,KR,Kim,1899-12-31\nV-005,KR,Kim,1915-03-02\n", encoding="utf-8")
    saved = libreoffice_convert([typed], tmp_path / "lo", infilter=CSV_UTF8)[0]
    do_import(lite, saved)
    assert _births(lite) == ["1900-01-01", "1900-02-28", "1900-03-01", "1899-12-31", "1915-03-02"]
