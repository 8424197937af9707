"""Texts and IDs from outside: control characters refused per cell, IDs of one documented
character set, in a workbook and on the command line alike, on both backends."""

from __future__ import annotations

from pathlib import Path

import pytest

from chosei.errors import WorkbookRejected
from chosei.models import Victim
from tests.cli.storeview import one
from tests.exchange.conftest import do_import, dump, rows_of
from tests.exchange.hostile import sheet_xml, strings_xml, workbook

HEAD = ("Victim ID", "Nationality", "Name (Latin)", "Notes")
CONTROL = ("holds the control character {}, which chosei does not store: delete it (tabs and "
           "line breaks are the only control characters a text may hold)")


def _raw_book(path: Path, *rows: tuple[str, str, str, str]) -> Path:
    """Victims rows as inline strings, written into the XML as they are (escapes and raw
    control characters included: openpyxl would refuse to write them)."""
    def cell(ref: str, text: str) -> str:
        return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>' if text else ""

    xml = '<row r="1">' + "".join(f'<c r="{c}1" t="s"><v>{i}</v></c>' for i, c in enumerate("ABCD"))
    xml += "</row>"
    for n, row in enumerate(rows, start=2):
        xml += f'<row r="{n}">' + "".join(cell(f"{c}{n}", v) for c, v in zip("ABCD", row, strict=True))
        xml += "</row>"
    return workbook(path, sheet=sheet_xml(xml), strings=strings_xml(*HEAD))


def test_nul_and_control_characters_are_refused_per_cell(store, tmp_path: Path) -> None:
    before = dump(store)
    path = _raw_book(tmp_path / "victims.xlsx",
                     ("V-001", "KR", "Kim A", "seen_x0000_twice"),  # NUL, as Excel escapes it
                     ("V-002", "KR", "Kim\x00B", ""),  # NUL, raw
                     ("V-003", "KR", "Kim \x1b[31mC", ""),  # a terminal escape sequence
                     ("V-004", "KR", "Kim D", "line one\nline two\tand a tab"))  # allowed
    with pytest.raises(WorkbookRejected) as caught:
        do_import(store, path)
    assert [str(p) for p in caught.value.problems] == [
        f"Victims, row 2, Notes: {CONTROL.format('U+0000')}",
        f"Victims, row 3, Name (Latin): {CONTROL.format('U+0000')}",
        f"Victims, row 4, Name (Latin): {CONTROL.format('U+001B')}",
    ]
    assert dump(store) == before


def test_tabs_and_line_breaks_stay_in_notes(store, tmp_path: Path) -> None:
    do_import(store, _raw_book(tmp_path / "victims.xlsx",
                               ("V-004", "KR", "Kim D", "line one\nline two\tand a tab")))
    assert [r["notes"] for r in rows_of(store, Victim)] == ["line one\nline two\tand a tab"]


ZWSP = "holds the invisible or control character U+200B ZERO WIDTH SPACE: delete it (retype the ID)"


def test_look_alike_ids_are_refused(store, tmp_path: Path) -> None:
    before = dump(store)
    path = _raw_book(tmp_path / "victims.xlsx",
                     ("V-001", "KR", "Kim A", ""),
                     ("V-001\u200b", "KR", "Kim B", ""),
                     ("\u202eV-003", "KR", "Kim C", ""),  # right-to-left override
                     ("V\u00ad004", "KR", "Kim D", ""),  # soft hyphen
                     ("\ufeffV-005", "KR", "Kim E", ""),  # byte-order mark
                     ("V 006", "KR", "Kim F", ""),
                     ("V-007" + "7" * 60, "KR", "Kim G", ""),
                     ("V@008", "KR", "Kim H", ""),
                     ("ＣＨ－００９", "KR", "Kim I", ""),  # full width: NFKC makes it CH-009
                     ("희생자-10", "KR", "Kim J", ""))
    with pytest.raises(WorkbookRejected) as caught:
        do_import(store, path)
    assert [str(p) for p in caught.value.problems] == [
        f"Victims, row 3, Victim ID: the ID 'V-001<U+200B>' {ZWSP}",
        "Victims, row 4, Victim ID: the ID '<U+202E>V-003' holds the invisible or control "
        "character U+202E RIGHT-TO-LEFT OVERRIDE: delete it (retype the ID)",
        "Victims, row 5, Victim ID: the ID 'V<U+00AD>004' holds the invisible or control "
        "character U+00AD SOFT HYPHEN: delete it (retype the ID)",
        "Victims, row 6, Victim ID: the ID '<U+FEFF>V-005' holds the invisible or control "
        "character U+FEFF ZERO WIDTH NO-BREAK SPACE: delete it (retype the ID)",
        "Victims, row 7, Victim ID: the ID 'V 006' holds a space: IDs have no spaces; write a "
        "hyphen instead (CH-001) or nothing",
        "Victims, row 8, Victim ID: the ID 'V-0077777777777777777777…' is 65 characters long: IDs "
        "have at most 64",
        "Victims, row 9, Victim ID: the ID 'V@008' holds '@', which IDs may not hold: use letters, "
        "digits and - _ . / : #",
    ]
    assert dump(store) == before
    do_import(store, _raw_book(tmp_path / "fine.xlsx", ("V-001", "KR", "Kim A", ""),
                               ("ＣＨ－００９", "KR", "Kim I", ""), ("희생자-10", "KR", "Kim J", "")))
    assert sorted(r["id"] for r in rows_of(store, Victim)) == ["CH-009", "V-001", "희생자-10"]


def test_the_command_line_keeps_the_same_rules(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    def refused(*args: str) -> tuple[int, str]:
        result = cli(*args, expect=None)
        return result.exit_code, result.stderr

    # the command line refuses such characters in any argument before a command runs
    assert refused("victim", "add", "V-001\u200b", "--nationality", "KR", "--latin", "Kim") == (
        1, "Error: argument 3 ('V-001<U+200B>') holds the control or invisible character U+200B; retype it "
        "without it\n")
    assert refused("victim", "add", "V 001", "--nationality", "KR", "--latin", "Kim")[0] == 1
    assert refused("victim", "add", "V-001", "--nationality", "KR", "--latin", "Kim\x1b[2J") == (
        1, "Error: argument 7 ('Kim<U+001B>[2J') holds the control or invisible character U+001B; retype it "
        "without it\n")
    assert one(case, Victim, "V-001") is None
    cli("victim", "add", "V-001", "--nationality", "KR", "--latin", "Kim")
    assert refused("victim", "edit", "V-001", "--notes", "a\x07bell") == (
        1, "Error: argument 5 ('a<U+0007>bell') holds the control or invisible character U+0007; retype it "
        "without it\n")
    assert one(case, Victim, "V-001")["notes"] is None  # type: ignore[index]
