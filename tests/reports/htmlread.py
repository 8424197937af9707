"""Read a report page back with html.parser: tables by id, elements by id, all text."""

from __future__ import annotations

from html.parser import HTMLParser


class ReportPage(HTMLParser):
    """`tables[id][row code][col code]` is a cell's text; `ids[id]` an element's text."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: dict[str, dict[str, dict[str, str]]] = {}
        self.ids: dict[str, str] = {}
        self.text: list[str] = []
        self.tags: set[str] = set()
        self._table: str | None = None
        self._row: str | None = None
        self._col: str | None = None
        self._open_ids: list[tuple[str, str, list[str]]] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.add(tag)
        if tag == "table":
            self._table = a.get("id") or ""
            self.tables[self._table] = {}
        elif tag == "tr" and self._table is not None:
            self._row = a.get("data-row")
            if self._row is not None:
                self.tables[self._table][self._row] = {}
        elif tag == "td" and self._row is not None:
            self._col = a.get("data-col")
            self.tables[self._table][self._row][self._col or ""] = ""
        if a.get("id"):
            self._open_ids.append((tag, a["id"] or "", []))

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._table = None
        elif tag == "tr":
            self._row = None
        elif tag == "td":
            self._col = None
        if self._open_ids and self._open_ids[-1][0] == tag:
            _, ident, parts = self._open_ids.pop()
            self.ids[ident] = "".join(parts).strip()

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._col is not None and self._table is not None and self._row is not None:
            self.tables[self._table][self._row][self._col] += data
        for _, _, parts in self._open_ids:
            parts.append(data)

    def number(self, table: str, row: str, col: str) -> int:
        return int(self.tables[table][row][col])
