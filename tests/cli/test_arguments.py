"""Hostile command-line arguments and hostile stored text: one line, no traceback, and
nothing printed that could drive the terminal."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import create_engine, text


def test_an_argument_that_is_not_utf8(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("victim", "show", "V-\udcff01", expect=1)  # bytes 0xFF as Python passes them
    assert result.stderr == ("Error: argument 3 ('V-\ufffd01') is not valid UTF-8; retype it, or "
                             "set the terminal's encoding to UTF-8\n")


def test_a_number_no_store_can_hold(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("audit", "log", "--last", "99999999999999999999999", expect=1)
    assert result.stderr == ("Error: --last 99999999999999999999999 is too large a number; the "
                             "most is 9,223,372,036,854,775,807\n")


def test_a_number_that_is_not_finite(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("specimen", "edit", "SP-001", "--depth", "nan", expect=1)
    assert result.stderr == "Error: --depth must be a finite number, not nan\n"


def test_a_100kb_value_is_refused_and_shown_cut(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("victim", "add", "V-001", "--nationality", "KR", "--notes", "n" * 100_000, expect=1)
    assert result.stderr == (f"Error: argument 7 ('{'n' * 79}…') is 100,000 characters long; the "
                             "most is 4,000: put long text in a workbook\n")


@pytest.mark.parametrize(("value", "code"), [("V-\x1b[2J001", "001B"), ("V-\x9b001", "009B"),
                                             ("V-001\u200b", "200B"), ("V-\u202e100", "202E")],
                         ids=["escape", "c1-csi", "zero-width", "bidi-override"])
def test_control_and_invisible_characters_are_refused(case: str, cli, value: str, code: str) -> None:  # type: ignore[no-untyped-def]
    result = cli("victim", "add", value, "--nationality", "KR", "--hangul", "김", expect=1)
    assert result.stderr.startswith("Error: argument 3 ('V-")
    assert result.stderr.endswith(f"') holds the control or invisible character U+{code}; retype it without it\n")
    assert "\x1b" not in result.stderr and "\x9b" not in result.stderr
    assert "(no victims)" in cli("victim", "list").stdout


def test_newlines_and_tabs_in_notes_are_kept(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    cli("victim", "add", "V-001", "--nationality", "KR", "--hangul", "김", "--notes", "a\tb\nc")
    assert json.loads(cli("victim", "show", "V-001", "--json").stdout)["victim"]["notes"] == "a\tb\nc"


def test_an_error_quoting_a_long_value_stays_on_one_line(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    ident = "V-" + "9" * 3000
    result = cli("victim", "show", ident, expect=3)
    assert result.stderr == f"Error: no victim with ID '{ident[:79]}…'; `chosei victim list` shows them\n"


def test_stored_text_cannot_drive_the_terminal(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    """A name written into the store by other means (an old import, SQL) prints inert."""
    cli("victim", "add", "V-001", "--nationality", "KR", "--hangul", "김")
    engine = create_engine(case)
    with engine.begin() as conn:
        conn.execute(text("UPDATE victim SET name_hangul = :n, notes = :m WHERE id = 'V-001'"),
                     {"n": "김\x1b]0;pwned\x07\x1b[2J", "m": "a\x9b31m\u202eb\nc"})
    engine.dispose()
    shown = cli("victim", "show", "V-001").stdout
    listed = cli("victim", "list").stdout
    as_json = cli("victim", "show", "V-001", "--json").stdout
    for out in (shown, listed, as_json):
        assert not any(ch in out for ch in "\x1b\x07\x9b\u202e"), out
    assert "김\ufffd]0;pwned\ufffd\ufffd[2J" in listed
    assert "a\ufffd31m\ufffdb c" in shown  # a record's value keeps to its line
    assert json.loads(as_json)["victim"]["notes"] == "a\x9b31m\u202eb\nc"  # JSON escapes, never loses


def test_an_id_starting_with_a_dash_after_double_dash(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("victim", "show", "-V-1", expect=2).stderr.endswith("No such option: -V\n")
    result = cli("victim", "show", "--", "-V-1", expect=3)
    assert result.stderr == "Error: no victim with ID '-V-1'; `chosei victim list` shows them\n"
    result = cli("relative", "add", "R-001", "--victim=-V-1", "--relationship", "son", "--name", "김",
                 "--sex", "M", expect=3)
    assert result.stderr.startswith("Error: no victim with ID '-V-1'")
