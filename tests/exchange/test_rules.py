"""The plausibility rules and consent at the bench in a workbook import, on both backends:
each problem names its sheet, row and cell, and a refused workbook writes nothing.

"Today" is fixed at 2026-06-01 (`dates.today` replaced). All data is fictional.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from chosei import dates
from chosei.errors import WorkbookRejected
from chosei.models import Genotype
from chosei.store import session_scope
from tests.exchange.conftest import do_import, dump

TODAY = dt.date(2026, 6, 1)
V_HEAD = ["Victim ID", "Nationality", "Name (Hangul)", "Name (Latin)", "Birth date",
          "Age at death"]
R_HEAD = ["Relative ID", "Victim ID", "Relationship", "Sex", "Birth year", "Consent date",
          "Consent scope"]
S_HEAD = ["Sample ID", "Source ID", "Type", "Status", "Status date"]


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dates, "today", lambda: TODAY)


def _base(store, book) -> None:  # type: ignore[no-untyped-def]
    do_import(store, book({
        "Victims": [V_HEAD, ["V-001", "KR", "김가온", None, "1915", None]],
        "Relatives": [R_HEAD, ["R-001", "V-001", "son", "M", 1938, None, None],
                      ["R-002", "V-001", "brother", "M", 1920, "2025-10-01", "analysis"]],
        "Operations": [["Operation ID", "Date"], ["OP-1", "2025-08-26"]],
        "Specimens": [["Specimen ID", "Operation ID", "Element", "Recovered on"],
                      ["CH-001", "OP-1", "femur", "2025-08-26"]],
        "Samples": [S_HEAD, ["S-001", "R-001", "saliva", "received", "2025-10-04"],
                    ["S-002", "R-002", "saliva", "extracted", "2025-10-05"]],
    }))


def _rejected(store, path) -> list[str]:  # type: ignore[no-untyped-def]
    before = dump(store)
    with pytest.raises(WorkbookRejected) as exc:
        do_import(store, path)
    assert dump(store) == before
    return [str(p) for p in exc.value.problems]


def test_impossible_dates_and_names_are_refused_by_cell(store, book) -> None:  # type: ignore[no-untyped-def]
    _base(store, book)
    problems = _rejected(store, book({
        "Victims": [V_HEAD,
                    ["V-002", "KR", "박", None, "2050", None],
                    ["V-003", "KR", "박", None, "1935", 40],
                    ["V-004", "KR", "박", None, "1942-02-03", 27],
                    ["V-005", "KR", "박", None, "단기 9999", None],
                    ["V-006", "KR", "박", None, "9999-12-31", None],
                    ["V-007", "KR", "Lee", None, None, None]],
        "Custody": [["Item ID", "Event", "At"], ["CH-001", "recovered", "1942-02-03T25:00"]],
    }))
    assert problems == [
        "Victims, row 2, Birth date: '2050' is after today (2026-06-01): the case records "
        "only what has happened; check the year",
        "Victims, row 3, Age at death: 40 does not fit the birth date 1935: born then, the "
        "victim was 6 or 7 at the disaster (1942-02-03); correct one of the two",
        "Victims, row 4, Birth date: '1942-02-03' is not before the disaster (1942-02-03): a "
        "victim was born before it; correct the date",
        "Victims, row 5, Birth date: '단기 9999' (7666) is after today (2026-06-01): the case "
        "records only what has happened; check the year",
        "Victims, row 6, Birth date: '9999-12-31' is after today (2026-06-01): the case "
        "records only what has happened; check the year",
        "Victims, row 7, Name (Hangul): 'Lee' is not written in hangul ('L' is Latin): put "
        "each spelling in the field of its script",
        "Custody, row 2, At: '1942-02-03T25:00' is not a date and time: the time must be "
        "between 00:00 and 23:59:59",
    ]


def test_rules_across_rows_are_refused_by_cell(store, book) -> None:  # type: ignore[no-untyped-def]
    _base(store, book)
    problems = _rejected(store, book({
        "Relatives": [R_HEAD,
                      ["R-003", "V-001", "son", "M", 1990, None, None],
                      ["R-004", "V-001", "son", "F", None, None, None],
                      ["R-005", "V-001", "daughter", "F", 1940, "2030-01-01", "analysis"],
                      ["R-006", "V-001", "daughter", "F", 1940, "1930", "analysis"]],
        "Operations": [["Operation ID", "Date"], ["OP-2", "2030-01-01"]],
        "Specimens": [["Specimen ID", "Operation ID", "Element", "Recovered on"],
                      ["CH-002", "OP-1", "femur", "2024-08-01"]],
        "Samples": [S_HEAD, ["S-003", "CH-001", "saliva", "planned", None],
                    ["S-004", "R-001", "bone", "planned", None]],
    }))
    assert problems == [
        "Relatives, row 2, Birth year: 1990 does not fit a son of victim V-001: born between "
        "1927 and 1943 (the victim died in 1942); correct the birth year or the relationship",
        "Relatives, row 3, Sex: a son is male, not F: correct the sex or the relationship",
        "Relatives, row 4, Consent date: '2030-01-01' is after today (2026-06-01): the case "
        "records only what has happened; check the year",
        "Relatives, row 5, Consent date: '1930' is before the relative was born (1940): "
        "correct the date or the birth year",
        "Operations, row 2, Date: '2030-01-01' is after today (2026-06-01): the case records "
        "only what has happened; check the year",
        "Specimens, row 2, Recovered on: '2024-08-01' is before operation OP-1 (2025-08-26), "
        "which recovered it: correct the date or the operation",
        "Samples, row 2, Type: a saliva sample cannot come from a specimen (remains give "
        "bone, tooth or other): correct the type or the source",
        "Samples, row 3, Type: a bone sample cannot come from a relative (a relative gives "
        "saliva, buccal swab, blood or other): correct the type or the source",
    ]


def test_a_return_of_unidentified_remains_is_a_warning_and_a_check_finding(store, book, cli) -> None:  # type: ignore[no-untyped-def]
    # A workbook may come before the identification it rests on; `chosei custody record`
    # refuses it (tests/cli/test_rules.py).
    _base(store, book)
    report = do_import(store, book({
        "Custody": [["Item ID", "Event", "At"], ["CH-001", "returned", "2025-12-01"]]}))
    assert report.warnings == [
        "Custody, row 2: CH-001 is recorded as returned to a family but is not identified in "
        "the store or the workbook; `chosei check` lists it (returned-unidentified) until it is"]
    found = {p["check"]: p["ids"] for p in json.loads(cli("check", "--json", expect=8).stdout)}
    assert found["returned-unidentified"] == ["CH-001"]


def test_samples_move_on_with_consent_and_a_profile(store, book) -> None:  # type: ignore[no-untyped-def]
    _base(store, book)
    problems = _rejected(store, book({
        "Samples": [S_HEAD, ["S-001", "R-001", "saliva", "extracted", "2025-10-05"],
                    ["S-002", "R-002", "saliva", "received", "2025-10-06"]],
    }))
    assert problems == [
        "Samples, row 2, Status: relative R-001 has no active consent for analysis: sample "
        "S-001 cannot become extracted; record the consent first (or `chosei sample advance "
        "S-001 extracted --override \"REASON\"`)",
        "Samples, row 3, Status: sample S-002 is extracted in the store: it cannot go back to "
        "received; a sample moves on, never back",
    ]
    assert _rejected(store, book({
        "Samples": [S_HEAD, ["S-002", "R-002", "saliva", "profiled", "2025-10-06"]],
    })) == ["Samples, row 2, Status: sample S-002 has no genotypes or SNP calls in the store "
            "or the Profiles sheet: add its profile before it becomes profiled"]
    # Consent given in the same workbook, and a profile in its Profiles sheet: accepted.
    do_import(store, book({
        "Relatives": [R_HEAD, ["R-001", "V-001", "son", "M", 1938, "2025-10-04", "analysis"]],
        "Samples": [S_HEAD, ["S-001", "R-001", "saliva", "extracted", "2025-10-05"],
                    ["S-002", "R-002", "saliva", "profiled", "2025-10-06"]],
        "Profiles": [["Sample ID", "Marker", "Allele 1", "Allele 2"],
                     ["S-002", "TH01", "6", "9"]],
    }))
    with session_scope(store) as s:
        assert s.get(Genotype, 1) is not None
