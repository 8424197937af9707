"""`write_annotated`: a copy of a rejected workbook with each bad cell marked.

Each cell a problem names is filled red and carries a comment with the message; a
problem about a whole row marks the row's first cell, one about a sheet its header row.
openpyxl is used here (calamine cannot write): the copy is for a person to read and
correct, and is only made when asked for. openpyxl fails on some files other programs
write (and a disk can be full): then `MarkedCopyFailed` says why, and the import still
reports its problems.
"""

from __future__ import annotations

import warnings
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from chosei.errors import ChoseiError
from chosei.exchange.report import Problem
from chosei.i18n import _
from chosei.outputs import output_file

RED = "FFFF9999"


class MarkedCopyFailed(Exception):
    """The marked copy could not be written; the message says why."""


def write_annotated(source: Path | str, out: Path | str, problems: Iterable[Problem],
                    protected: Iterable[Path] = ()) -> int:
    """Write the marked copy to `out`; return how many cells were marked. Raises
    `MarkedCopyFailed` when it cannot be written (nothing is left behind, and `out` is
    never `source` nor a `protected` file: see `chosei.outputs`)."""
    try:
        with output_file(out, [Path(source), *protected]) as tmp:
            return _write(source, tmp, problems)
    except ChoseiError as exc:
        reason = exc.message
    except Exception as exc:  # openpyxl fails on some files in its own ways
        reason = _("openpyxl cannot rewrite this workbook ({error})").format(error=f"{type(exc).__name__}: {exc}")
    raise MarkedCopyFailed(reason)


def _write(source: Path | str, out: Path, problems: Iterable[Problem]) -> int:
    from openpyxl import load_workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # e.g. Gnumeric's files have no default style
        wb = load_workbook(source)
    fill = PatternFill("solid", fgColor=RED)
    cells: dict[tuple[str, int, int], list[str]] = defaultdict(list)
    for p in problems:
        if p.sheet not in wb.sheetnames:
            continue
        ws = wb[p.sheet]
        col = p.col if p.col is not None else max((ws.min_column or 1) - 1, 0)
        text = f"{p.column}: {p.message}" if p.column else p.message
        cells[(p.sheet, p.row, col)].append(text)
    for (sheet, row, col), messages in cells.items():
        cell = wb[sheet].cell(row=row, column=col + 1)
        cell.fill = fill
        comment = Comment("\n".join(messages), "chosei")
        comment.width, comment.height = 320, 40 + 40 * len(messages)
        cell.comment = comment
    wb.save(out)
    return len(cells)
