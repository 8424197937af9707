"""`write_annotated`: a copy of a rejected workbook with each bad cell marked.

Each cell a problem names is filled red and carries a comment with the message; a
problem about a whole row marks the row's first cell, one about a sheet its header row.
openpyxl is used here (calamine cannot write): the copy is for a person to read and
correct, and is only made when asked for.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from chosei.exchange.report import Problem

RED = "FFFF9999"


def write_annotated(source: Path | str, out: Path | str, problems: Iterable[Problem]) -> int:
    """Write the marked copy to `out`; return how many cells were marked."""
    from openpyxl import load_workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

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
