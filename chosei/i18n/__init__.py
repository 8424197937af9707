"""Which language chosei speaks, and its message catalogues.

Every user-facing string is written in English in the code and translated through
gettext catalogues: ``chosei/locale/<lang>/LC_MESSAGES/chosei.po``, maintained with
Babel (`pybabel extract / update`, see README "Languages") and compiled to ``.mo`` by the
package build (setup.py), so an installed chosei carries them.

The language is, in order: `--lang`, else ``$CHOSEI_LANG``, else the locale (``LANGUAGE``,
``LC_ALL``, ``LC_MESSAGES``, ``LANG``, as gettext reads them), else English. It is held in a
context variable, so a workbook's feedback can be given in the workbook's language
(`in_language`) while the rest of a command speaks the user's.

* ``_("text {name}")`` translates now, in the current language; format afterwards
  (``_("…{n}…").format(n=n)``): the English text with its ``{placeholders}`` is the msgid.
* ``N_("text")`` only marks a string for extraction (tables of labels, help texts); it is
  translated where it is shown, with ``_(value)``; ``NP_(context, "text")`` the same with
  a context, translated with ``pgettext(context, value)``.
* ``pgettext(context, text)`` for a short word whose translation depends on what it names
  (a vocabulary's code, a sheet's header).
* ``translation(lang)`` is one language's catalogue, whatever the current language is.

Reading a catalogue costs about a millisecond; nothing is read until a string is
translated into Korean or Japanese.
"""

from __future__ import annotations

import gettext as _gettext
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

DOMAIN = "chosei"
LANGS = ("en", "ko", "ja")
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"

_current: ContextVar[str] = ContextVar("chosei_language", default="")


class LanguageError(ValueError):
    """A language chosei does not speak."""


def normalise(value: str) -> str | None:
    """'ko', 'ko_KR.UTF-8', 'ja-JP', 'en_US', 'C' → ko / ja / en; None for any other."""
    head = value.strip().replace("-", "_").split(".")[0].split("@")[0].split("_")[0].casefold()
    if head in ("c", "posix"):
        return "en"
    return head if head in LANGS else None


def from_environment(environ: os._Environ[str] | dict[str, str] | None = None) -> str:
    """$CHOSEI_LANG, else the locale as gettext reads it, else English.

    A $CHOSEI_LANG chosei does not speak is an error (it was set for chosei); a locale in
    another language is not (it was set for everything): chosei speaks English then.
    """
    env = os.environ if environ is None else environ
    if chosen := env.get("CHOSEI_LANG", "").strip():
        lang = normalise(chosen)
        if lang is None:
            raise LanguageError(f"CHOSEI_LANG={chosen!r} is not a language chosei speaks; use one of: "
                                + ", ".join(LANGS))
        return lang
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        if value := env.get(var, "").strip():
            # LANGUAGE is a priority list ("ja:en"); the first chosei speaks wins.
            for part in value.split(":") if var == "LANGUAGE" else (value,):
                if part and (lang := normalise(part)) is not None:
                    return lang
            if var != "LANGUAGE":
                return "en"  # the locale names a language chosei does not speak
    return "en"


def choose(lang: str | None) -> str:
    """`--lang` if given (ko, ja, en), else the environment's; sets and returns it."""
    if lang is not None:
        chosen = normalise(lang)
        if chosen is None:
            raise LanguageError(f"--lang {lang!r} is not a language chosei speaks; use one of: " + ", ".join(LANGS))
    else:
        chosen = from_environment()
    set_language(chosen)
    return chosen


def set_language(lang: str) -> None:
    if lang not in LANGS:
        raise LanguageError(f"{lang!r} is not one of {', '.join(LANGS)}")
    _current.set(lang)


def current() -> str:
    """The language being spoken: the one chosen, else the environment's."""
    lang = _current.get()
    if not lang:
        try:
            lang = from_environment()
        except LanguageError:
            lang = "en"
        _current.set(lang)
    return lang


@contextmanager
def in_language(lang: str) -> Iterator[None]:
    """Speak `lang` inside the block (a workbook's feedback in the workbook's language)."""
    token = _current.set(lang if lang in LANGS else "en")
    try:
        yield
    finally:
        _current.reset(token)


@cache
def translation(lang: str) -> _gettext.NullTranslations:
    """One language's compiled catalogue; English (and a missing catalogue, e.g. a source
    checkout never built) is the identity."""
    if lang == "en":
        return _gettext.NullTranslations()
    return _gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang], fallback=True)


def catalogue_missing(lang: str) -> bool:
    """True when `lang`'s compiled catalogue is absent (chosei was not installed: run
    `pip install -e .` to compile it)."""
    return lang != "en" and not (LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo").is_file()


def _(message: str) -> str:
    """`message` in the current language."""
    lang = current()
    return message if lang == "en" else translation(lang).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    lang = current()
    return translation(lang).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    lang = current()
    return message if lang == "en" else translation(lang).pgettext(context, message)


def N_(message: str) -> str:
    """Marks `message` for the catalogue; translated where it is shown."""
    return message


def NP_(context: str, message: str) -> str:
    """Marks `message` with a `context` for the catalogue (a table of labels); translated
    where it is shown, with ``pgettext(context, value)``."""
    return message


def gettext_in(lang: str, message: str) -> str:
    """`message` in `lang`, whatever the current language is."""
    return message if lang == "en" else translation(lang).gettext(message)


def pgettext_in(lang: str, context: str, message: str) -> str:
    return message if lang == "en" else translation(lang).pgettext(context, message)
