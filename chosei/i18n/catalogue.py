"""Maintaining the message catalogues (needs Babel, in the `test` extra):

    python -m chosei.i18n.catalogue update    # extract every message, update ko/ja .po
    python -m chosei.i18n.catalogue compile   # .po -> .mo (pip install does this too)
    python -m chosei.i18n.catalogue check     # what is untranslated, fuzzy or mismatched
    python -m chosei.i18n.catalogue todo ko   # the untranslated messages of ko, as JSON
    python -m chosei.i18n.catalogue fill ko FILE.json   # set translations from JSON

`update` runs Babel's extract (with chosei's extractor, babel.cfg) into
chosei/locale/chosei.pot and Babel's update into each language's .po: new messages
arrive untranslated, messages gone from the code are dropped. Then translate the empty
`msgstr ""` entries (any PO editor, or a text editor), `compile`, and check.
"""

from __future__ import annotations

import string
import sys
from pathlib import Path

from chosei.i18n import DOMAIN, LANGS, LOCALE_DIR

ROOT = LOCALE_DIR.parent.parent
POT = LOCALE_DIR / f"{DOMAIN}.pot"
KEYWORDS = "_ N_ gettext ngettext:1,2 pgettext:1c,2 gettext_in:2 pgettext_in:2c,3"


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def _pybabel(*args: str) -> None:
    from babel.messages.frontend import CommandLineInterface

    CommandLineInterface().run(["pybabel", "-q", *args])


def update() -> None:
    keywords = [f"-k{k}" for k in KEYWORDS.split()]
    _pybabel("extract", "-F", str(ROOT / "babel.cfg"), *keywords, "--no-location", "--sort-output",
             "--project", "chosei", "-o", str(POT), str(ROOT))
    for lang in LANGS[1:]:
        if po_path(lang).exists():
            _pybabel("update", "-i", str(POT), "-d", str(LOCALE_DIR), "-D", DOMAIN, "-l", lang,
                     "--no-fuzzy-matching", "--ignore-obsolete", "--no-wrap")
        else:
            _pybabel("init", "-i", str(POT), "-d", str(LOCALE_DIR), "-D", DOMAIN, "-l", lang, "--no-wrap")


def compile_all() -> None:
    _pybabel("compile", "-d", str(LOCALE_DIR), "-D", DOMAIN)


def fields(text: str) -> set[str]:
    """The {placeholders} of a message (str.format's fields, with their format specs)."""
    found = set()
    for _literal, field, spec, conversion in string.Formatter().parse(text):
        if field is not None:
            found.add(f"{{{field}{'!' + conversion if conversion else ''}{':' + spec if spec else ''}}}")
    return found


def problems(lang: str) -> list[str]:
    """Each message of `lang`'s catalogue that is untranslated, fuzzy, or whose
    placeholders differ from the English (a line each)."""
    from babel.messages.pofile import read_po

    with po_path(lang).open("rb") as f:
        catalog = read_po(f)
    found = []
    for message in catalog:
        if not message.id:
            continue
        ids = tuple(message.id) if isinstance(message.id, list | tuple) else (str(message.id),)
        strs = tuple(message.string) if isinstance(message.string, list | tuple) else (str(message.string or ""),)
        where = f"{lang}: {ids[0]!r}" + (f" (context {message.context!r})" if message.context else "")
        if message.fuzzy:
            found.append(f"{where} is fuzzy")
        elif not all(strs):
            found.append(f"{where} is not translated")
        else:
            try:
                wanted = fields(ids[-1] if len(ids) > 1 else ids[0])
                for text in strs:
                    if fields(text) != wanted:
                        found.append(f"{where}: placeholders {sorted(fields(text))} differ from {sorted(wanted)}")
            except ValueError as exc:
                found.append(f"{where}: {exc}")
    return found


def _key(message: object) -> str:
    msgid = message.id if isinstance(message.id, str) else message.id[0]  # type: ignore[attr-defined]
    context = message.context  # type: ignore[attr-defined]
    return f"{context}\x04{msgid}" if context else msgid


def todo(lang: str) -> dict[str, str]:
    """The untranslated (or fuzzy) messages of `lang`: {msgid: ""}, a context as
    "context\x04msgid" (gettext's own separator)."""
    from babel.messages.pofile import read_po

    with po_path(lang).open("rb") as f:
        catalog = read_po(f)
    def done(m: object) -> bool:
        text = m.string  # type: ignore[attr-defined]
        return bool(all(text) if isinstance(text, list | tuple) else text)

    return {_key(m): "" for m in catalog if m.id and (m.fuzzy or not done(m))}


def fill(lang: str, translations: dict[str, str]) -> int:
    """Set `lang`'s translations from {msgid: msgstr} (keys as `todo` gives them; a plural
    message's msgstr as a list); returns how many were set. Unknown msgids are an error."""
    from babel.messages.pofile import read_po, write_po

    path = po_path(lang)
    with path.open("rb") as f:
        catalog = read_po(f)
    by_key = {_key(m): m for m in catalog if m.id}
    unknown = [k for k in translations if k not in by_key]
    if unknown:
        raise SystemExit(f"not in the {lang} catalogue (run update first?): {unknown[:5]}")
    for key, text in translations.items():
        message = by_key[key]
        message.string = tuple(text) if isinstance(text, list) else text
        message.flags.discard("fuzzy")
    with path.open("wb") as f:
        write_po(f, catalog, width=0, no_location=True, sort_output=True)
    return len(translations)


def main(argv: list[str]) -> int:
    command = argv[0] if argv else ""
    if command == "update":
        update()
    elif command == "compile":
        compile_all()
    elif command == "todo" and len(argv) == 2:
        import json

        print(json.dumps(todo(argv[1]), ensure_ascii=False, indent=1))
    elif command == "fill" and len(argv) == 3:
        import json

        print(f"{fill(argv[1], json.loads(Path(argv[2]).read_text(encoding='utf-8')))} translations set")
    elif command == "check":
        found = [line for lang in LANGS[1:] for line in problems(lang)]
        print("\n".join(found) or "every message has its Korean and Japanese translation")
        return 1 if found else 0
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
