"""The characters chosei stores: texts without control characters, IDs of a known set.

One rule for what a case worker types (the models' validators, so `add` and `edit`) and
what a workbook holds (the cell readers, which report each refused cell by its place).

A text may hold tabs and line breaks (notes are written over several lines); any other
control character (NUL — which PostgreSQL cannot store —, escape sequences that would
repaint a terminal, C1 controls) is refused.

An ID is what a case is filed under and what every row refers to, so two IDs that look
the same must be the same ID. After NFKC, an ID is 1 to `MAX_ID_CHARS` characters, each
a letter of any script (Latin, hangul, kana, kanji…), a digit, or one of `ID_PUNCTUATION`.
That leaves out spaces, invisible characters (zero-width spaces and joiners, soft
hyphens, byte-order marks, hangul fillers), text-direction controls and combining marks,
with a message saying which character to delete.
"""

from __future__ import annotations

import re
import unicodedata

from chosei.i18n import _

MAX_ID_CHARS = 64
ID_PUNCTUATION = "-_./:#"
# Tab, line feed and carriage return (Windows line breaks) are allowed in texts.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_PLAIN_ID = re.compile(rf"[A-Za-z0-9_./:#-]{{1,{MAX_ID_CHARS}}}")
# Letters by category that show nothing: hangul fillers (U+3164 becomes U+1160 under NFKC).
_INVISIBLE_LETTERS = frozenset("\u115f\u1160\u3164\uffa0")
_SHOWN_MAX = 24


class TextError(ValueError):
    """A text or ID chosei does not store; the message says what to fix."""


def has_control(text: str) -> bool:
    """Does `text` hold a control character other than tab and line breaks?"""
    return not text.isprintable() and _CONTROL.search(text) is not None


def check_text(text: str) -> str:
    """`text` itself, or `TextError` for a control character other than tab and line breaks."""
    if not text.isprintable():
        found = _CONTROL.search(text)
        if found:
            raise TextError(_("holds the control character {character}, which chosei does not store: "
                              "delete it (tabs and line breaks are the only control characters a text "
                              "may hold)").format(character=_code(found[0])))
    return text


def is_plain_id(text: str) -> bool:
    """Is `text` an ID as `check_id` leaves it, by a quick look (ASCII only)?"""
    return _PLAIN_ID.fullmatch(text) is not None


def check_id(text: str) -> str:
    """`text` (already NFKC and trimmed) if it is a valid ID, else `TextError` naming
    the first character to change."""
    if is_plain_id(text):
        return text
    shown = shown_id(text)
    for ch in text:
        if ch.isspace():
            raise TextError(_("the ID {id} holds a space: IDs have no spaces; write a hyphen instead "
                              "(CH-001) or nothing").format(id=shown))
        kind = unicodedata.category(ch)
        if kind in ("Cf", "Cc", "Co", "Cs", "Cn") or kind[0] == "M" or ch in _INVISIBLE_LETTERS:
            raise TextError(_("the ID {id} holds the invisible or control character {character}: delete "
                              "it (retype the ID)").format(id=shown, character=_code(ch)))
        if not (kind[0] == "L" or kind == "Nd" or ch in ID_PUNCTUATION):
            raise TextError(_("the ID {id} holds '{character}', which IDs may not hold: use letters, "
                              "digits and {punctuation}").format(
                                  id=shown, character=ch, punctuation=" ".join(ID_PUNCTUATION)))
    if len(text) > MAX_ID_CHARS:
        raise TextError(_("the ID {id} is {length:,} characters long: IDs have at most {limit}").format(
            id=shown, length=len(text), limit=MAX_ID_CHARS))
    return text


def shown_id(text: str) -> str:
    """An ID as a message quotes it: quoted, cut short, every character that shows nothing
    written as its code point."""
    out = []
    for ch in text[:_SHOWN_MAX]:
        kind = unicodedata.category(ch)
        hidden = kind[0] in ("C", "M", "Z") and ch != " " or ch in _INVISIBLE_LETTERS
        out.append(f"<U+{ord(ch):04X}>" if hidden else ch)
    return "'" + "".join(out) + ("…'" if len(text) > _SHOWN_MAX else "'")


def _code(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return f"U+{ord(ch):04X} {name}" if name else f"U+{ord(ch):04X}"


def display_width(text: str) -> int:
    """Columns `text` takes on a terminal or in a spreadsheet cell: an East Asian wide or
    full-width character (hangul, kana, kanji) takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
