"""Help and tables in wide characters.

typer's help formatter wraps text counting characters, and a Korean or Japanese character
takes two columns on a terminal: its lines would run twice as wide as the terminal.
`ColumnsFormatter` wraps text holding wide characters by columns (Japanese may break
between any two characters, not before closing punctuation; Korean, like English,
between words); text without them goes to typer's own formatter, unchanged. `pad`
lines up a table's columns the same way.
"""

import re
from collections.abc import Sequence
from typing import Any

import typer

from chosei.text import display_width

WIDE = re.compile("[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff"
                   "\ua960-\ua97f\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]")
# A chunk: a run of spaces, one character Japanese may break after, or a run of anything else.
_CHUNK = re.compile("\\s+|[\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
                    "\uff00-\uff60]|[^\\s\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff"
                    "\uf900-\ufaff\uff00-\uff60]+")
_NO_LINE_START = "、。，．）」』】〕〉》！？：；ー）ぁぃぅぇぉっゃゅょァィゥェォッャュョ,.)]:;!?"
_NO_LINE_END = "（「『【〔〈《([“‘"


def wrap_columns(text: str, width: int, initial_indent: str = "", subsequent_indent: str = "") -> str:
    """`text`'s paragraphs (separated by blank lines) wrapped to `width` terminal columns;
    as typer's wrapping does, a paragraph's lines are joined by a space, and spaces within
    a line are kept."""
    paragraphs = [" ".join(line.strip() for line in p.splitlines()) for p in re.split(r"\n\s*\n", text.strip())]
    return "\n\n".join(_wrap_paragraph(p, width, initial_indent, subsequent_indent) for p in paragraphs if p)


def _wrap_paragraph(text: str, width: int, initial_indent: str, subsequent_indent: str) -> str:
    lines: list[str] = []
    indent, chunks = initial_indent, list[str]()  # the line being filled, as its chunks
    for chunk in _CHUNK.findall(text):
        if chunk.isspace():
            if chunks:
                chunks.append(chunk)
            continue
        if not chunks or display_width(indent + "".join(chunks) + chunk) <= width:
            chunks.append(chunk)
            continue
        # Closing punctuation takes the character before it along ("ん)。"), and an opening
        # bracket the text after it.
        carried: list[str] = []
        while (len(chunks) > 1 and not chunks[-1].isspace()
               and ((carried or [chunk])[0][0] in _NO_LINE_START or chunks[-1][-1] in _NO_LINE_END)):
            carried.insert(0, chunks.pop())
        lines.append((indent + "".join(chunks)).rstrip())
        indent, chunks = subsequent_indent, [*carried, chunk]
    lines.append((indent + "".join(chunks)).rstrip())
    return "\n".join(lines)


def cut_to(text: str, columns: int) -> str:
    """`text` cut to at most `columns` terminal columns, "..." marking the cut."""
    if display_width(text) <= columns:
        return text
    kept = ""
    for ch in text:
        if display_width(kept + ch) > columns - 3:
            break
        kept += ch
    if " " in kept and display_width(kept.rpartition(" ")[0]) > columns // 2:
        kept = kept.rpartition(" ")[0]  # Korean: end at a word
    return kept.rstrip(" ,、:：") + "..."


_TyperFormatter: Any = typer.Context.formatter_class  # typer's HelpFormatter, public as this


class ColumnsFormatter(_TyperFormatter):
    """typer's help formatter, wrapping text with wide characters by terminal columns."""

    def write_text(self, text: str) -> None:
        if not WIDE.search(text):
            return super().write_text(text)
        indent = " " * self.current_indent
        self.write(wrap_columns(text, self.width, indent, indent))
        self.write("\n")
        return None

    def write_dl(self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        rows = list(rows)
        if not any(WIDE.search(second) for _first, second in rows):
            return super().write_dl(rows, col_max, col_spacing)
        first_col = min(max((display_width(first) for first, _second in rows), default=0), col_max) + col_spacing
        for first, second in rows:
            if second and not WIDE.search(second):
                # typer's own, the term padded so that its column is the list's
                super().write_dl([(first.ljust(first_col - col_spacing), second)], col_max, col_spacing)
                continue
            self.write(f"{'':>{self.current_indent}}{first}")
            if not second:
                self.write("\n")
                continue
            if display_width(first) <= first_col - col_spacing:
                self.write(" " * (first_col - display_width(first)))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            lines = wrap_columns(second, max(self.width - first_col - 2, 10)).splitlines() or [""]
            self.write(f"{lines[0]}\n")
            for text in lines[1:]:
                self.write(f"{'':>{first_col + self.current_indent}}{text}\n")
        return None


class ChoseiContext(typer.Context):
    formatter_class = ColumnsFormatter


def pad(text: str, width: int) -> str:
    """`text` padded with spaces to `width` terminal columns."""
    return text + " " * (width - display_width(text))
