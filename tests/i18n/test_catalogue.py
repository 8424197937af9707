"""The message catalogues: complete, current and compiled (issue 16)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from chosei import i18n
from chosei.i18n import catalogue

LANGS = ("ko", "ja")


def _ids(path: Path) -> set[tuple[str | None, str]]:
    with path.open("rb") as f:
        return {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in read_po(f) if m.id}


@pytest.mark.parametrize("lang", LANGS)
def test_every_message_is_translated_without_placeholder_mismatch(lang: str) -> None:
    assert catalogue.problems(lang) == []


def test_the_template_holds_every_message_of_the_code(monkeypatch: pytest.MonkeyPatch) -> None:
    """A `_()` added without `python -m chosei.i18n.catalogue update` fails here."""
    with tempfile.TemporaryDirectory() as tmp:
        pot = Path(tmp) / "chosei.pot"
        monkeypatch.setattr(catalogue, "POT", pot)
        monkeypatch.setattr(catalogue, "LANGS", ("en",))  # extract only; leave the .po alone
        catalogue.update()
        assert _ids(pot) == _ids(catalogue.POT.__class__(i18n.LOCALE_DIR / "chosei.pot"))


@pytest.mark.parametrize("lang", LANGS)
def test_each_language_holds_exactly_the_template_messages(lang: str) -> None:
    assert _ids(catalogue.po_path(lang)) == _ids(i18n.LOCALE_DIR / "chosei.pot")


@pytest.mark.parametrize("lang", LANGS)
def test_the_installed_catalogue_is_compiled_from_the_po(lang: str) -> None:
    """pip install compiles the .po (setup.py); an edited .po needs `pip install -e .` again."""
    assert not i18n.catalogue_missing(lang), "no compiled catalogue: run pip install -e ."
    translation = i18n.translation(lang)
    with catalogue.po_path(lang).open("rb") as f:
        for message in read_po(f):
            if message.id and isinstance(message.id, str) and message.string:
                got = (translation.pgettext(message.context, message.id) if message.context
                       else translation.gettext(message.id))
                assert got == message.string, f"{lang} catalogue is stale: run pip install -e ."


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext's msgfmt is not installed")
@pytest.mark.parametrize("lang", LANGS)
def test_msgfmt_check_passes(lang: str, tmp_path: Path) -> None:
    result = subprocess.run(["msgfmt", "--check", "-o", str(tmp_path / "x.mo"), str(catalogue.po_path(lang))],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_placeholders_are_str_format_fields() -> None:
    assert catalogue.fields("{n:,} rows in {sheet!r}") == {"{n:,}", "{sheet!r}"}
