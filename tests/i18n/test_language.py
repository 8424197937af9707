"""Which language chosei speaks: --lang, else $CHOSEI_LANG, else the locale, else English."""

from __future__ import annotations

import pytest

from chosei import i18n
from chosei.cli._app import language_argument


@pytest.mark.parametrize(("env", "expected"), [
    ({}, "en"),
    ({"LANG": "ko_KR.UTF-8"}, "ko"),
    ({"LANG": "ja_JP.eucJP"}, "ja"),
    ({"LANG": "fr_FR.UTF-8"}, "en"),
    ({"LANG": "C"}, "en"),
    ({"LANG": "ko_KR.UTF-8", "LC_ALL": "ja_JP.UTF-8"}, "ja"),
    ({"LANG": "ko_KR.UTF-8", "LC_MESSAGES": "en_US.UTF-8"}, "en"),
    ({"LANGUAGE": "fr:ja:ko", "LANG": "ko_KR.UTF-8"}, "ja"),
    ({"LANGUAGE": "fr", "LANG": "ko_KR.UTF-8"}, "ko"),
    ({"CHOSEI_LANG": "ja", "LANG": "ko_KR.UTF-8"}, "ja"),
    ({"CHOSEI_LANG": "en", "LC_ALL": "ko_KR.UTF-8"}, "en"),
])
def test_the_environment_chooses(env: dict[str, str], expected: str) -> None:
    assert i18n.from_environment(env) == expected


def test_a_chosei_lang_chosei_does_not_speak_is_an_error() -> None:
    expected = r"CHOSEI_LANG='fr' is not a language chosei speaks; use one of: en, ko, ja"
    with pytest.raises(i18n.LanguageError, match=expected):
        i18n.from_environment({"CHOSEI_LANG": "fr"})


@pytest.mark.parametrize(("args", "expected"), [
    (["--lang", "ko", "status"], "ko"),
    (["--db", "x.db", "--lang=ja", "victim", "add"], "ja"),
    (["--db", "--lang", "status"], None),  # --lang is --db's value here... and then 'status'
    (["export", "--lang", "ko"], None),  # the export's own --lang: the workbook's language
    (["--as", "kim", "status", "--lang", "ja"], None),
])
def test_the_root_lang_is_found_before_the_command(args: list[str], expected: str | None) -> None:
    assert language_argument(args) == expected


def test_in_language_is_undone_after_the_block() -> None:
    i18n.set_language("en")
    with i18n.in_language("ko"):
        assert i18n.current() == "ko"
    assert i18n.current() == "en"
