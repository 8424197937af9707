"""LINKAGE / pedtools `.ped` files: read and write a family tree as text.

What is read (as pedtools' `readPed` reads it):

* one person per line, fields separated by tabs or spaces; blank lines and lines
  starting with `#` are skipped;
* a header line (pedtools' `writePed` writes one) is recognised when it has a field
  holding `id` and one holding `sex`; columns are then found by name (`famid`, `id`,
  `fid`, `mid`, `sex`), whatever their order;
* without a header the columns are `id fid mid sex`, or `famid id fid mid sex` (the
  LINKAGE layout) when the first column repeats a value or the third and fourth are
  all `0` -- pedtools' own guess;
* `0` is a missing parent; sex `1` is male, `2` female, `0` unknown;
* further columns (marker genotypes) are ignored, with a note: profiles come in
  through the Profiles sheet, where the lab's results are checked;
* a file with several family IDs is refused: one victim's family at a time.

`write_ped` writes what pedtools' `writePed(famid = FALSE)` writes: a tab-separated
`id fid mid sex` header and one line per person, parents before children.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from chosei.errors import InvalidInput
from chosei.i18n import _, ngettext

_SEX_IN = {"1": "M", "2": "F", "0": None}
_SEX_OUT = {"M": "1", "F": "2"}


@dataclass(frozen=True)
class PedRow:
    label: str
    father: str | None
    mother: str | None
    sex: str | None  # "M", "F" or None


def read_ped(text: str, name: str | None = None) -> tuple[list[PedRow], list[str]]:
    """(the people, notes for the user) of a `.ped` text; `InvalidInput` naming the line
    (`name` is the file's, by default "the .ped file" in the current language)."""
    name = name or _("the .ped file")
    lines = [(n, line.split()) for n, line in enumerate(text.splitlines(), 1)
             if line.strip() and not line.lstrip().startswith("#")]
    if not lines:
        raise InvalidInput(_("{name} holds no person").format(name=name))
    first = [f.lower() for f in lines[0][1]]
    notes: list[str] = []
    if any("id" in f for f in first) and any("sex" in f for f in first):
        cols = {key: first.index(key) for key in ("famid", "id", "fid", "mid", "sex") if key in first}
        missing = [key for key in ("id", "fid", "mid", "sex") if key not in cols]
        if missing:
            raise InvalidInput(_("{name}, line {line}: the header has no column {columns}; expected id fid mid sex")
                               .format(name=name, line=lines[0][0], columns=", ".join(missing)))
        extra = len(first) - len(cols)
        lines = lines[1:]
    else:
        width = len(lines[0][1])
        firsts = [f[0] for _, f in lines]
        famid = len(set(firsts)) < len(firsts) or (
            width >= 4 and all(len(f) >= 4 and f[2] == "0" and f[3] == "0" for _, f in lines))
        if width < (5 if famid else 4):
            raise InvalidInput(_("{name}, line {line}: {width} columns; a .ped line is id fid mid sex (or famid "
                                 "id fid mid sex)").format(name=name, line=lines[0][0], width=width))
        cols = dict(zip(("famid", "id", "fid", "mid", "sex") if famid else ("id", "fid", "mid", "sex"),
                        range(5), strict=False))
        extra = width - len(cols)
    if extra > 0:
        notes.append(ngettext("{n} marker column ignored: genotypes come in through the Profiles sheet",
                              "{n} marker columns ignored: genotypes come in through the Profiles sheet",
                              extra).format(n=extra))
    need = max(cols.values()) + 1
    rows: list[PedRow] = []
    families: list[str] = []
    for n, fields in lines:
        if len(fields) < need:
            raise InvalidInput(_("{name}, line {line}: {count} fields, expected at least {need}").format(
                name=name, line=n, count=len(fields), need=need))
        if "famid" in cols and fields[cols["famid"]] not in families:
            families.append(fields[cols["famid"]])
        label, fid, mid, sex = (fields[cols[k]] for k in ("id", "fid", "mid", "sex"))
        if label == "0":
            raise InvalidInput(_("{name}, line {line}: 0 is no person's id (it means a missing parent)").format(
                name=name, line=n))
        if sex not in _SEX_IN:
            raise InvalidInput(_("{name}, line {line}: sex '{sex}' of {label}; write 1 (male), 2 (female) or 0 "
                                 "(unknown)").format(name=name, line=n, sex=sex, label=label))
        rows.append(PedRow(label, None if fid == "0" else fid, None if mid == "0" else mid, _SEX_IN[sex]))
    if len(families) > 1:
        raise InvalidInput(_("{name} holds {count} families ({families}); import one victim's family at a time")
                           .format(name=name, count=len(families), families=", ".join(families[:5])))
    return rows, notes


def write_ped(rows: Sequence[PedRow]) -> str:
    """The `.ped` text of a family: a header, then one tab-separated line per person."""
    out = ["id\tfid\tmid\tsex"]
    for r in rows:
        out.append("\t".join((r.label, r.father or "0", r.mother or "0", _SEX_OUT.get(r.sex or "", "0"))))
    return "\n".join(out) + "\n"


def read_ped_file(path: Path) -> str:
    """The text of a `.ped` file (UTF-8, a BOM allowed); `InvalidInput` if unreadable."""
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(_("{path} is not UTF-8 text; save the .ped file as UTF-8").format(path=path)) from None
    except OSError as exc:
        raise InvalidInput(_("cannot read {path}: {reason}").format(path=path, reason=exc.strerror or exc)) from None
