"""What an import or export tells its caller: problems, changes, conflicts, counts."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from chosei import i18n
from chosei.i18n import _, gettext_in


def feedback_language(lang: str) -> str:
    """The language of a workbook's feedback: a Korean or Japanese workbook's own, else
    (an English one) the user's (`i18n.current`)."""
    return lang if lang in ("ko", "ja") else i18n.current()


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a workbook, where a case worker can find it.

    `row` is the Excel row number (1 = the header row); `column` the header as written
    in the workbook; `col` the 0-based column index in the sheet, for marking the cell.
    `lang`: the language `message` is in (the workbook's feedback's, `feedback_language`),
    which the line naming the row is given in too; "" for the current language.
    """

    sheet: str
    row: int
    column: str | None
    message: str
    col: int | None = None
    lang: str = ""

    def __str__(self) -> str:
        lang = self.lang or i18n.current()
        if self.column:
            return gettext_in(lang, "{sheet}, row {row}, {column}: {message}").format(
                sheet=self.sheet, row=self.row, column=self.column, message=self.message)
        return gettext_in(lang, "{sheet}, row {row}: {message}").format(
            sheet=self.sheet, row=self.row, message=self.message)


@dataclass(frozen=True)
class FieldChange:
    column: str
    old: Any
    new: Any


class RowChange(NamedTuple):
    """A row the import adds, changes, or leaves alone because of a conflict."""

    sheet: str
    key: str
    action: str  # add | change | conflict
    row: int
    fields: tuple[FieldChange, ...] = ()
    reason: str = ""

    def __str__(self) -> str:
        """The change in the current language (the CLI speaks the workbook's)."""
        parts = "; ".join(f"{f.column}: {_q(f.old)} → {_q(f.new)}" for f in self.fields)
        values = {"sheet": self.sheet, "key": self.key, "row": self.row, "reason": self.reason,
                  "fields": parts}
        if self.action == "conflict":
            text = (_("conflict {sheet} {key} (row {row}): {reason}; {fields}") if parts
                    else _("conflict {sheet} {key} (row {row}): {reason}"))
        elif self.action == "add":
            text = _("add {sheet} {key}")
        else:
            text = _("change {sheet} {key}: {fields}") if parts else _("change {sheet} {key}")
        return text.format(**values)


def _q(value: Any) -> str:
    return _("(blank)") if value is None or value == "" else f"'{value}'"


@dataclass
class SheetCounts:
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    conflicts: int = 0


@dataclass
class ImportReport:
    path: Path
    dry_run: bool
    forced: bool
    counts: dict[str, SheetCounts] = field(default_factory=dict)
    # Each row change as a plain tuple in `RowChange`'s order (`changes` gives them as
    # RowChanges): CPython's collector stops looking at a tuple of plain values after
    # one look, and walked a RowChange per added row at each full collection (0.2-0.3 s
    # of a 100,000-row import).
    row_changes: list[tuple[Any, ...]] = field(default_factory=list)
    conflicts: list[RowChange] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    audit_entries: int = 0
    # The language its messages are in (`feedback_language`), and each sheet's title as
    # the workbook names it (`counts` is keyed by the English names).
    lang: str = "en"
    titles: dict[str, str] = field(default_factory=dict)

    @property
    def changes(self) -> tuple[RowChange, ...]:
        """The rows the import adds or changes, in the workbook's order (made from
        `row_changes`: add to that)."""
        return tuple(RowChange(*c) for c in self.row_changes)

    @property
    def added(self) -> int:
        return sum(c.added for c in self.counts.values())

    @property
    def changed(self) -> int:
        return sum(c.changed for c in self.counts.values())

    @property
    def skipped(self) -> int:
        """Conflicting rows left as the store has them."""
        return sum(c.conflicts for c in self.counts.values())

    @property
    def written(self) -> bool:
        return not self.dry_run and bool(self.added or self.changed)


@dataclass
class ExportReport:
    path: Path
    profile: str
    partner: str | None
    lang: str
    rows: dict[str, int] = field(default_factory=dict)
    withheld: dict[str, int] = field(default_factory=dict)
    audit_head: str = ""  # SEQ:HASH on the About sheet, the export's own entry included
    snp: Any = None  # `services.snp_export.SnpExport` when --snp-vcf wrote SNP calls

    @property
    def total(self) -> int:
        return sum(self.rows.values())
