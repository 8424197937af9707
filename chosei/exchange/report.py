"""What an import or export tells its caller: problems, changes, conflicts, counts."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a workbook, where a case worker can find it.

    `row` is the Excel row number (1 = the header row); `column` the header as written
    in the workbook; `col` the 0-based column index in the sheet, for marking the cell.
    """

    sheet: str
    row: int
    column: str | None
    message: str
    col: int | None = None

    def __str__(self) -> str:
        where = f"{self.sheet}, row {self.row}"
        if self.column:
            where += f", {self.column}"
        return f"{where}: {self.message}"


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
        head = f"{self.action} {self.sheet} {self.key}"
        if self.action == "conflict":
            head += f" (row {self.row}): {self.reason}"
        parts = [f"{f.column}: {_q(f.old)} → {_q(f.new)}" for f in self.fields]
        if self.action == "add" or not parts:
            return head
        return head + ("; " if self.action == "conflict" else ": ") + "; ".join(parts)


def _q(value: Any) -> str:
    return "(blank)" if value is None or value == "" else f"'{value}'"


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
    changes: list[RowChange] = field(default_factory=list)
    conflicts: list[RowChange] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    audit_entries: int = 0

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
