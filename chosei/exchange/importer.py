"""`import_workbook`: a workbook into the store, all of it or nothing.

The file is checked (`guard`), read, and validated whole against itself and the store;
any problem rejects it before a single write. Otherwise its rows are written in the
caller's transaction straight through the driver (`chosei.bulk`), and every row written
is recorded in the audit chain, as an ORM change would be, after an `import` entry
naming the file and its counts. Conflicting rows (changed in the store after the
export the workbook came from, and different in it) stop the whole import
(`ImportConflicts`, nothing written) unless the caller chose: `skip_conflicts` writes
the other rows and leaves those as the store has them, `force` overwrites them too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from operator import itemgetter
from pathlib import Path
from typing import Any

from sqlalchemy import Integer, func, select, text
from sqlmodel import Session

from chosei import audit, bulk
from chosei.errors import ImportConflicts, InvalidInput, WorkbookRejected
from chosei.exchange import about, schema
from chosei.exchange.adapters import Op
from chosei.exchange.guard import Checked, check_workbook
from chosei.exchange.reader import RawWorkbook, read_workbook
from chosei.exchange.report import FieldChange, ImportReport, Problem, RowChange, SheetCounts, feedback_language
from chosei.exchange.validate import Plan, Planned, Progress, plan_workbook
from chosei.i18n import N_, _, in_language, ngettext
from chosei.models import AUDITED, SENSITIVE_FIELDS
from chosei.services.case import require_case

_TABLE_ORDER = [cls.__tablename__ for cls in AUDITED]
_HIDDEN = N_("(not shown: sensitive)")


def import_workbook(session: Session, path: Path | str, *, dry_run: bool = False,
                    force: bool = False, skip_conflicts: bool = False,
                    progress: Progress | None = None,
                    checked: Checked | None = None) -> ImportReport:
    """Validate the workbook at `path` and, unless `dry_run`, write it in `session`.

    Raises `InvalidInput` for a file that is not a sane workbook, `WorkbookRejected`
    (with every problem) for one that does not validate, and `ImportConflicts` (with the
    report) for one holding conflicts when neither `skip_conflicts` nor `force` is given;
    nothing is written then. A dry run reports conflicts without raising.
    `checked`: what `guard.check_workbook(path)` said, when the caller ran it first
    (before opening its session, so that a hostile file never holds the writer lock).
    """
    if force and skip_conflicts:
        raise InvalidInput(_("--force and --skip-conflicts contradict each other: choose one"))
    return _import(session, Path(path), dry_run=dry_run, force=force,
                   skip_conflicts=skip_conflicts, progress=progress, checked=checked)


def _import(session: Session, path: Path, *, dry_run: bool, force: bool, skip_conflicts: bool,
            progress: Progress | None, checked: Checked | None) -> ImportReport:
    if checked is None:
        checked = check_workbook(path)
    case = require_case(session)
    wb = read_workbook(path, checked.flagged, data=checked.data)
    # What the import says of the workbook is said in its language (a Korean or Japanese
    # workbook's), with its sheets and headers named as it names them.
    lang = feedback_language(wb.lang)
    with in_language(lang):
        try:
            report = _import_read(session, path, wb, case.demo, lang, dry_run=dry_run, force=force,
                                  skip_conflicts=skip_conflicts, progress=progress, checked=checked)
        except WorkbookRejected as exc:
            exc.problems = [replace(p, lang=lang) for p in exc.problems]
            raise
    return report


def _import_read(session: Session, path: Path, wb: RawWorkbook, demo: bool, lang: str, *,
                 dry_run: bool, force: bool, skip_conflicts: bool, progress: Progress | None,
                 checked: Checked) -> ImportReport:
    total_rows = wb.row_count
    sid = about.store_id(session)
    about_matches = bool(sid) and str(wb.about.get("store_id") or "").strip() == sid
    # Progress runs over twice the rows: validating them, then writing them.
    halves = (lambda done, total: progress(done, 2 * total)) if progress else None
    titles = {raw.spec.name: raw.title for raw in wb.sheets}
    plan = plan_workbook(session, wb, about_matches=about_matches, progress=halves)
    _warn_unseen(checked, wb, plan)
    _check_about(wb.about, demo, plan, path, wb.about_title)
    if not demo:
        _check_demo_content(plan, path)
    if plan.problems:
        raise _rejected(path, sorted(plan.problems, key=_problem_order))
    report = _report(plan, path, dry_run=dry_run, force=force)
    report.lang, report.titles = lang, titles
    trees = _trees_touched(plan, force)
    if dry_run:
        if trees:
            report.warnings.append(_("family trees ({sheet}) are checked whole only when imported, "
                                     "after their rows are written: a dry run does not check them"
                                     ).format(sheet=titles.get("Pedigrees", "Pedigrees")))
        return report
    if report.skipped and not skip_conflicts:
        report.dry_run = True  # as a dry run: what the import would have done
        raise ImportConflicts(_(
            "{n} row(s) changed in the store after the export and differ in "
            "the workbook: nothing was imported; export again, or import with "
            "--skip-conflicts to write the other rows and leave these as the store has "
            "them, or with --force to overwrite them").format(n=report.skipped), report)
    if report.written:
        report.audit_entries = _apply(session, plan, report, progress=progress,
                                      total_rows=total_rows)
        _check_trees(session, trees, path)
    return report


def _rejected(path: Path, problems: list[Problem]) -> WorkbookRejected:
    n = len(problems)
    return WorkbookRejected(ngettext("{file} has {n} problem; nothing was imported",
                                     "{file} has {n} problems; nothing was imported", n
                                     ).format(file=path.name, n=n), problems)


def _trees_touched(plan: Plan, force: bool) -> dict[str, tuple[str, int]]:
    """The victims whose Pedigrees rows the import writes: (sheet title, first row)."""
    out: dict[str, tuple[str, int]] = {}
    for p in plan.rows:
        if p.adapter.spec is schema.PEDIGREES and (p.action in ("add", "change")
                                                   or (force and p.action == "conflict")):
            out.setdefault(p.clean["victim_id"], (p.raw.title, p.entry.row))
    return out


def _check_trees(session: Session, trees: dict[str, tuple[str, int]], path: Path) -> None:
    """Each family tree the import changed, checked whole as `chosei family set` checks
    it (`services.family.set_family`, which also places relatives by label and fills a
    blank sex from the record, audited). A broken tree raises `WorkbookRejected`, and the
    caller's transaction, holding every row of the import, is rolled back."""
    from chosei.errors import InvalidInput
    from chosei.services.family import FIELDS, family_rows, set_family
    from chosei.services.lookup import plain

    problems = []
    for victim, (title, row) in trees.items():
        people = [plain(r, include=FIELDS) for r in family_rows(session, victim)]
        try:
            set_family(session, victim, people)
        except InvalidInput as exc:
            problems.append(Problem(title, row, None, str(exc)))
    if problems:
        raise _rejected(path, problems)


def import_details(report: ImportReport) -> dict[str, Any]:
    """What the audit entry of an import records: the file and its counts, no data."""
    return {
        "file": report.path.name,
        "forced": report.forced,
        "sheets": {name: {"added": c.added, "changed": c.changed, "conflicts": c.conflicts}
                   for name, c in report.counts.items() if c.added or c.changed or c.conflicts},
    }


def _apply(session: Session, plan: Plan, report: ImportReport, *,
           progress: Progress | None, total_rows: int) -> int:
    """Write the planned rows sheet by sheet (the sheets' order is the foreign keys'),
    each sheet's rows turned into table rows as they are written (`_SheetWriter`): a
    sheet's new rows of its own table are written and audited `WRITTEN_AT_ONCE` at a
    time, the rest when the sheet is done."""
    force = report.forced
    by_sheet: dict[str, list[Planned]] = {}
    for p in plan.rows:
        if p.action in ("add", "change") or (force and p.action == "conflict"):
            by_sheet.setdefault(p.adapter.spec.name, []).append(p)
    plan.rows.clear()
    entry = audit.Change("import", "workbook", report.path.name, None, import_details(report))
    written = audit.record(session, [entry])
    done = 0
    for rows in by_sheet.values():
        rows.reverse()
        writer = _SheetWriter(session, rows[-1].adapter.table)
        while rows:
            p = rows.pop()
            for op in p.adapter.ops(p.stored, p.clean, p.changed if p.stored else [], plan.resolved):
                writer.add(op)
                done += 1
        written += writer.finish()
        if progress:
            progress(total_rows + min(done, total_rows), 2 * total_rows)
    return written


def _warn_unseen(checked: Checked, wb: RawWorkbook, plan: Plan) -> None:
    """Hidden sheets are read like the others (their rows are the sender's data too), but
    whoever imports is told, as of the links and macros chosei leaves alone."""
    for raw in wb.sheets:
        state = checked.hidden.get(raw.title)
        if state is not None:
            plan.warnings.append((
                _("sheet '{sheet}' is very hidden (only a macro shows it) in the workbook; its rows "
                  "were read like any other's: unhide it to see what is imported")
                if state == "veryHidden" else
                _("sheet '{sheet}' is hidden in the workbook; its rows were read like any other's: "
                  "unhide it to see what is imported")).format(sheet=raw.title))
    plan.warnings.extend(checked.warnings)


def _problem_order(p: Problem) -> tuple[int, int, int]:
    sheet = schema.find_sheet(p.sheet)
    return (schema.SHEETS.index(sheet) if sheet else -1, p.row, p.col if p.col is not None else -1)


def _check_about(info: dict[str, Any], store_is_demo: bool, plan: Plan, path: Path, title: str) -> None:
    if info.get("demo") is not None and about.is_yes(info["demo"]) and not store_is_demo:
        plan.problems.append(Problem(title, 1, None, _(
            "{file} comes from a demo case (fictional data) and this store holds a real case: "
            "import it into a demo store").format(file=path.name)))
    revision = info.get("workbook")
    try:
        newer = revision is not None and int(float(revision)) > schema.WORKBOOK_REVISION
    except (TypeError, ValueError):
        newer = False
    if newer:
        plan.problems.append(Problem(title, 1, None, _(
            "{file} was made by a newer chosei (workbook revision {revision}, this one reads "
            "{readable}): upgrade chosei").format(file=path.name, revision=revision,
                                                 readable=schema.WORKBOOK_REVISION)))


def _check_demo_content(plan: Plan, path: Path) -> None:
    """Refuse the demo's fictional rows in a real case, found by their content
    (`chosei.demo.marks`): a demo workbook with its About sheet deleted is still the demo's."""
    from chosei.demo import marks

    victims = contacts = 0
    for p in plan.rows:
        sheet = p.adapter.spec.name
        if sheet == "Relatives" and marks.is_demo_contact(p.clean.get("contact")):
            contacts += 1
            if contacts >= marks.MATCHES:
                what = _("{n} relatives' contacts are the demo's fictional ones").format(n=contacts)
                break
        if sheet == "Victims" and marks.is_demo_victim(p.clean.get("id"), p.clean.get("name_japanese")):
            victims += 1
            if victims >= marks.MATCHES:
                what = _("its victims are the demo's ({n} IDs with the demo's names)").format(n=victims)
                break
    else:
        return
    plan.problems.append(Problem(p.raw.title, p.entry.row, None, _(
        "{file} holds the demo case's fictional data ({what}) and this store holds a real case: "
        "import it into a demo store").format(file=path.name, what=what)))


def _fields(p: Planned) -> tuple[FieldChange, ...]:
    out = []
    for name in p.changed:
        col = p.entry.cols.get(name)
        header = p.raw.header_of(col) if col is not None else \
            p.adapter.spec.column(name).header(schema.title_language(p.raw.title) or "en")
        old, new = p.stored.view.get(name) if p.stored else None, p.clean.get(name)
        if name in SENSITIVE_FIELDS:
            hidden = _(_HIDDEN)
            old, new = (hidden if old else None), (hidden if new else None)
        out.append(FieldChange(header, old, new))
    return tuple(out)


def _report(plan: Plan, path: Path, *, dry_run: bool, force: bool) -> ImportReport:
    report = ImportReport(path=path, dry_run=dry_run, forced=force, warnings=list(plan.warnings))
    for p in plan.rows:
        counts = report.counts.get(p.adapter.spec.name)
        if counts is None:
            counts = report.counts[p.adapter.spec.name] = SheetCounts()
        key = p.adapter.key_text(p.key)
        if p.action == "add":
            counts.added += 1
            report.row_changes.append((p.raw.title, key, "add", p.entry.row))
        elif p.action == "change" or (force and p.action == "conflict"):
            counts.changed += 1
            report.row_changes.append((p.raw.title, key, "change", p.entry.row, _fields(p)))
            if p.action == "conflict":
                report.conflicts.append(RowChange(p.raw.title, key, "conflict", p.entry.row, _fields(p),
                                                  _("{reason}; applied (--force)").format(reason=p.reason)))
        elif p.action == "conflict":
            counts.conflicts += 1
            report.conflicts.append(RowChange(p.raw.title, key, "conflict", p.entry.row, _fields(p),
                                              _("{reason}; not applied").format(reason=p.reason)))
        else:
            counts.unchanged += 1
    return report


# --- Writing -----------------------------------------------------------------------


def _has_serial_id(table: Any) -> bool:
    col = table.c.get("id")
    return col is not None and isinstance(col.type, Integer) and col.primary_key


def _values(names: list[str]) -> Callable[[dict[str, Any]], tuple[Any, ...]]:
    """A function giving a row's values of `names` as a tuple (at C speed)."""
    if len(names) == 1:
        return lambda row: (row[names[0]],)
    return itemgetter(*names)


def _insert(conn: Any, table: Any, rows: list[dict[str, Any]]) -> None:
    names = [str(c.name) for c in table.columns]
    bulk.insert(conn, table.name, names, list(map(_values(names), rows)))


def _update(conn: Any, table: Any, pairs: list[tuple[dict[str, Any], dict[str, Any]]]) -> None:
    pk = str(next(iter(table.primary_key.columns)).name)
    names = [str(c.name) for c in table.columns if c.name != pk]
    values = _values(names)
    bulk.update(conn, table.name, names, pk, [(*values(after), before[pk]) for before, after in pairs])


# How many new rows of a sheet's own table are written and audited at once: the rows
# of a chunk are let go once written, so few stay alive for the garbage collector to walk.
WRITTEN_AT_ONCE = 10_000


class _SheetWriter:
    """Writes one sheet's table rows and their audit entries in the order one write of
    them all would: table by table (`_TABLE_ORDER`, the foreign keys'), each table's new
    rows then its changed rows, and the entries in the same order. The new rows of the
    sheet's own table (`lead`, which sorts before any other table its rows make) are
    written as they come, `WRITTEN_AT_ONCE` at a time; the others (a relative's consent
    events, changed rows) when the sheet is done."""

    def __init__(self, session: Session, lead: Any) -> None:
        self.session = session
        self.lead = lead
        self.adds: list[dict[str, Any]] = []  # the lead's new rows not yet written
        # table name: (table, new rows, changed rows as (before, after))
        self.rest: dict[str, tuple[Any, list[dict[str, Any]], list[tuple[dict[str, Any], dict[str, Any]]]]] = {}
        self.written = 0

    def add(self, op: Op) -> None:
        if op.before is None and op.table is self.lead:
            self.adds.append(op.after)
            if len(self.adds) >= WRITTEN_AT_ONCE:
                adds, self.adds = self.adds, []
                self.written += _write(self.session, self.lead, adds, [])
            return
        entry = self.rest.get(op.table.name)
        if entry is None:
            if _TABLE_ORDER.index(op.table.name) < _TABLE_ORDER.index(self.lead.name):
                raise AssertionError(f"{op.table.name} sorts before {self.lead.name}")
            entry = self.rest[op.table.name] = (op.table, [], [])
        if op.before is None:
            entry[1].append(op.after)
        else:
            entry[2].append((op.before, op.after))

    def finish(self) -> int:
        """Write what is left; how many audit entries the sheet's rows made."""
        lead = self.rest.pop(self.lead.name, None)
        updates = lead[2] if lead is not None else []
        if self.adds or updates:
            adds, self.adds = self.adds, []
            self.written += _write(self.session, self.lead, adds, updates)
        for name in sorted(self.rest, key=_TABLE_ORDER.index):
            table, adds, updates = self.rest.pop(name)
            self.written += _write(self.session, table, adds, updates)
        return self.written


def _write(session: Session, table: Any, adds: list[dict[str, Any]],
           updates: list[tuple[dict[str, Any], dict[str, Any]]]) -> int:
    """Insert `adds` and update `updates` (before, after) in `table`, then record them in
    the audit log, new rows first."""
    conn = session.connection()
    # Plain str name: SQLAlchemy's quoted_name answers attribute lookups in Python.
    name = str(table.name)
    if adds:
        if _has_serial_id(table):
            start = conn.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one()
            for n, after in enumerate(adds, start=start + 1):
                after["id"] = n
        _insert(conn, table, adds)
        if _has_serial_id(table) and conn.dialect.name == "postgresql":
            conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                              f"(SELECT max(id) FROM {name}))"))
    if updates:
        _update(conn, table, updates)

    def changes() -> Iterator[tuple[str, str, str, Any, Any]]:
        # Made one at a time as the audit log is written: a snapshot per row adds up.
        snapshot, key = audit.row_snapshot, audit.row_key
        for row in adds:
            after = snapshot(table, row)
            yield "create", name, key(table, after), None, after
        adds.clear()
        for old, row in updates:
            after = snapshot(table, row)
            yield "update", name, key(table, after), snapshot(table, old), after

    return audit.record(session, changes())
