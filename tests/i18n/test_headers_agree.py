"""A workbook column's Korean and Japanese header (exchange/schema.py, the contract) is also
what the CLI's tables call that field and what an error message names it: the three
cannot drift apart (issue 16). `id` is the one deliberate exception: a table of victims
heads it 번호 / 番号, the workbook 희생자 번호 / 犠牲者番号."""

from __future__ import annotations

import pytest

from chosei import i18n
from chosei.cli._headers import headers
from chosei.exchange import schema
from chosei.services.validation import field_label

COLUMNS = [(sheet.name, col) for sheet in vars(schema).values() if isinstance(sheet, schema.Sheet)
           for col in sheet.columns if col.field != "id"]


@pytest.mark.parametrize("lang", ["ko", "ja"])
def test_the_cli_tables_name_a_field_as_the_workbook_heads_it(lang: str) -> None:
    with i18n.in_language(lang):
        words = headers()
    compared = [(sheet, col.field, words[col.field], col.header(lang)) for sheet, col in COLUMNS
                if col.field in words]
    assert len(compared) >= 80  # so the test can fail: most columns are compared
    assert [c for c in compared if c[2] != c[3]] == []


@pytest.mark.parametrize("lang", ["ko", "ja"])
def test_a_message_names_a_field_as_the_workbook_heads_it(lang: str) -> None:
    with i18n.in_language(lang):
        labels = [(sheet, col.field, field_label(col.field), col.header(lang)) for sheet, col in COLUMNS]
    translated = [c for c in labels if c[2] != c[1].replace("_", " ")]
    assert len(translated) >= 60
    assert [c for c in translated if c[2] != c[3]] == []


def test_english_names_stay_the_field_names() -> None:
    with i18n.in_language("en"):
        assert headers().get("nationality", "nationality") == "nationality"
        assert field_label("birth_date") == "birth date"
