"""`chosei import`, `chosei export`, `chosei template`: the exchange workbooks."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Annotated, Any

import typer

from chosei.cli._app import (
    AppState,
    JsonOpt,
    banner,
    emit_json,
    emit_result,
    emit_table,
    printable,
    state,
    stderr_is_tty,
)
from chosei.i18n import _

# Below this many rows an import or export is over before a bar would help.
PROGRESS_MIN_ROWS = 5000
SHOW_PROBLEMS = 50

LangOpt = Annotated[str | None, typer.Option(
    "--lang", help="Headers and terms in en, ko or ja; by default the language chosei speaks "
                   "(chosei --lang, $CHOSEI_LANG, the locale).")]


def register(app: typer.Typer) -> None:
    app.command("import")(import_)
    app.command("export")(export)
    app.command("template")(template)


@contextmanager
def _progress(label: str, *, halves: bool = False) -> Iterator[Callable[[int, int], None] | None]:
    """A rich progress bar on stderr, shown only on a terminal and for big workbooks."""
    if not stderr_is_tty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TaskID, TaskProgressColumn, TimeRemainingColumn

    bar: list[Progress] = []
    task: list[TaskID] = []
    minimum = PROGRESS_MIN_ROWS * (2 if halves else 1)

    def update(done: int, total: int) -> None:
        if not bar:
            if total <= minimum:
                return
            bar.append(Progress(f"[progress.description]{label}", BarColumn(),
                                TaskProgressColumn(), TimeRemainingColumn(),
                                console=Console(stderr=True), transient=True))
            bar[0].start()
            task.append(bar[0].add_task(label, total=total))
        bar[0].update(task[0], completed=done, total=total)

    try:
        yield update
    finally:
        if bar:
            bar[0].stop()


def import_(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(metavar="FILE", help="The workbook (.xlsx) to import.")],
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Show what would be added and changed, field by field; write nothing.")
    ] = False,
    skip_conflicts: Annotated[bool, typer.Option(
        "--skip-conflicts", help="Write the other rows and leave those that changed in the store "
                                 "after the export as the store has them.")] = False,
    force: Annotated[bool, typer.Option(
        "--force", help="Also apply rows that changed in the store after the export.")] = False,
    errors: Annotated[Path | None, typer.Option(
        "--errors", metavar="OUT.xlsx",
        help="If the workbook is rejected, write a copy with each bad cell marked.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Import an exchange workbook: all of it, or nothing if anything is wrong.

    Rows are matched by their key and added or updated; a blank cell never erases, and
    (clear) in a cell empties it. Rows changed in the store after the workbook was
    exported are conflicts: they are reported and nothing is imported, unless
    --skip-conflicts (the rest is written, they are left alone) or --force (they are
    overwritten too). Hidden sheets are read with a warning; links and macros are never
    followed nor run.

    Example: chosei import returned.xlsx --dry-run --errors marked.xlsx
    """
    from chosei.cli._app import error_line
    from chosei.errors import ImportConflicts, RuleViolation, WorkbookRejected
    from chosei.exchange.guard import check_workbook
    from chosei.exchange.importer import import_workbook
    from chosei.i18n import current, in_language
    from chosei.outputs import check_target

    st = state(ctx)
    if errors is not None:  # refused before anything happens: the input is not an output
        check_target(errors, [file, *st.store_files()])
    checked = check_workbook(file)  # before the session: a hostile file never holds the lock
    try:
        with st.session(write=not dry_run) as s, _progress(_("Importing"), halves=True) as bar:
            report = import_workbook(s, file, dry_run=dry_run, force=force,
                                     skip_conflicts=skip_conflicts, progress=bar, checked=checked)
    # What is said of the workbook, its error line too, is said in its language
    # (`exchange.report.feedback_language`).
    except WorkbookRejected as exc:
        with in_language(exc.problems[0].lang if exc.problems and exc.problems[0].lang else current()):
            _show_problems(exc.problems, file, errors, st.store_files())
            error_line(exc.message)
        raise typer.Exit(exc.exit_code) from None
    except ImportConflicts as exc:
        with in_language(exc.report.lang):
            _show_import(st, exc.report, file, as_json=as_json, blocked=True)
            error_line(exc.message)
        raise typer.Exit(exc.exit_code) from None
    with in_language(report.lang):
        _show_import(st, report, file, as_json=as_json)
    if report.skipped and dry_run and not skip_conflicts:
        raise RuleViolation(_(
            "{n} row(s) changed in the store after the export and differ in the "
            "workbook: the import would write nothing; export again, or import with "
            "--skip-conflicts to write the other rows and leave these as the store has them, "
            "or with --force to overwrite them").format(n=report.skipped))


def _show_import(st: AppState, report: Any, file: Path, *, as_json: bool, blocked: bool = False) -> None:
    """What an import did, would do, or (`blocked` by conflicts) would have done."""
    banner(st, as_json=as_json)
    for warning in report.warnings:
        typer.echo(_("Warning: {warning}").format(warning=printable(warning)), err=True)
    if as_json:
        emit_json({
            "file": file.name, "dry_run": report.dry_run and not blocked, "written": report.written,
            "forced": report.forced, "added": report.added, "changed": report.changed,
            "skipped": report.skipped,
            "sheets": {sheet: vars(c) for sheet, c in report.counts.items()},
            "changes": [_change_json(c) for c in report.changes] if report.dry_run else [],
            "conflicts": [_change_json(c) for c in report.conflicts],
        })
        return
    if report.dry_run and not blocked:
        typer.echo(_("Dry run of {file}: nothing was written.").format(file=file.name))
        for change in report.changes:
            typer.echo(f"  {printable(str(change))}")
    for conflict in report.conflicts:
        typer.echo(_("Conflict: {conflict}").format(conflict=printable(str(conflict))))
    rows = [{"sheet": report.titles.get(sheet, sheet), "added": c.added, "changed": c.changed,
             "unchanged": c.unchanged, "conflicts": c.conflicts}
            for sheet, c in report.counts.items()]
    emit_table(rows, ["sheet", "added", "changed", "unchanged", "conflicts"],
               empty=_("the workbook holds no rows chosei reads"))
    if blocked:
        typer.echo(_("Nothing was imported from {file}: it would have added {added} and changed {changed} "
                     "row(s).").format(file=file.name, added=report.added, changed=report.changed))
        return
    line = (_("Would add {added} and would change {changed} row(s) from {file}.") if report.dry_run
            else _("Added {added} and changed {changed} row(s) from {file}."))
    typer.echo(line.format(added=report.added, changed=report.changed, file=file.name))
    if report.skipped and not report.dry_run:
        typer.echo(_("Left {n} conflicting row(s) as the store has them (--skip-conflicts).").format(
            n=report.skipped))


def _change_json(change: Any) -> dict[str, Any]:
    """A row change as JSON: its fields' values are the ones the text shows (a contact never)."""
    return {"sheet": change.sheet, "key": change.key, "action": change.action, "row": change.row,
            "fields": [{"column": f.column, "old": f.old, "new": f.new} for f in change.fields],
            **({"reason": change.reason} if change.reason else {})}


def _show_problems(problems: list, file: Path, errors: Path | None, store_files: list[Path]) -> None:
    for p in problems[:SHOW_PROBLEMS]:
        typer.echo(f"  {printable(str(p))}", err=True)
    if len(problems) > SHOW_PROBLEMS:
        more = len(problems) - SHOW_PROBLEMS
        typer.echo("  " + (_("… and {n} more").format(n=more) if errors else
                           _("… and {n} more; --errors OUT.xlsx marks them all").format(n=more)), err=True)
    if errors is not None:
        from chosei.exchange.annotate import MarkedCopyFailed, write_annotated

        try:
            marked = write_annotated(file, errors, problems, store_files)
        except MarkedCopyFailed as exc:
            typer.echo(_("The marked copy {file} could not be written: {error}").format(file=errors, error=exc),
                       err=True)
        else:
            typer.echo(_("Marked {n} cell(s) in {file}.").format(n=marked, file=errors), err=True)


def export(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(metavar="FILE", help="The workbook (.xlsx) to write.")],
    profile: Annotated[str, typer.Option(
        "--profile", help="full (everything), partner (shareable with --partner), "
                          "or lab (blind: sample IDs, types and dates).")] = "full",
    partner: Annotated[str | None, typer.Option(
        "--partner", help="KR or JP: the agency a partner export is for.")] = None,
    lang: LangOpt = None,
    sheets: Annotated[list[str] | None, typer.Option(
        "--sheets", help="Only these sheets (any language; repeat or separate with commas).")
    ] = None,
    snp_vcf: Annotated[Path | None, typer.Option(
        "--snp-vcf", metavar="PATH", help="Also write the dense SNP calls the profile may carry to this "
        ".vcf or .vcf.gz file (never into the workbook); `snp import` reads it.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Export the case as an exchange workbook, showing what the profile allows.

    Example: chosei export for-nfs.xlsx --profile partner --partner KR --lang ko --snp-vcf for-nfs.snp.vcf.gz
    """
    from chosei.exchange.writer import export_workbook
    from chosei.i18n import current

    st = state(ctx)
    lang = current() if lang is None else lang
    # The files take their names only after the session has committed the export's audit entry.
    with st.output(file) as tmp, (st.output(snp_vcf, file) if snp_vcf else nullcontext()) as snp_tmp, \
            st.session(write=True, create=False) as s, _progress(_("Exporting")) as bar:
        report = export_workbook(s, file, profile=profile, partner=partner, lang=lang,
                                 sheets=sheets, progress=bar, into=tmp, snp_vcf=snp_vcf, snp_into=snp_tmp)
    counts = ", ".join(f"{name} {n}" for name, n in report.rows.items())
    label = profile + (f" {report.partner}" if report.partner else "")
    lines = [_("Exported {n} row(s) to {file} ({profile}, {lang}): {counts}.").format(
        n=report.total, file=file, profile=label, lang=lang, counts=counts)]
    if report.withheld:
        held = ", ".join(f"{name} {n}" for name, n in report.withheld.items())
        lines.append(_("Withheld by the {profile} profile: {held}.").format(profile=profile, held=held))
    if report.snp is not None:
        values = {"samples": report.snp.samples, "sites": report.snp.sites, "file": snp_vcf,
                  "withheld": report.snp.withheld, "profile": profile}
        lines.append((_("Wrote the SNP calls of {samples} sample(s) at {sites:,} site(s) to {file}; {withheld} "
                        "sample(s) withheld by the {profile} profile.") if report.snp.withheld else
                      _("Wrote the SNP calls of {samples} sample(s) at {sites:,} site(s) to {file}.")).format(**values))
    lines.append(_("Audit head {head} (on the About sheet; `chosei audit verify --head-from {file}` checks that "
                   "the store still holds it).").format(head=report.audit_head, file=file.name))
    snp = None if report.snp is None else {"file": str(snp_vcf), "samples": report.snp.samples,
                                           "sites": report.snp.sites, "withheld": report.snp.withheld}
    emit_result(st, {"file": str(file), "profile": profile, "partner": report.partner, "lang": lang,
                     "rows": report.rows, "total": report.total, "withheld": report.withheld,
                     "snp": snp, "audit_head": report.audit_head}, lines, as_json=as_json)


def template(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(metavar="FILE", help="The workbook (.xlsx) to write.")],
    lang: LangOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Write the empty exchange workbook, with an Instructions sheet, to fill in by hand.

    Example: chosei template blank-ko.xlsx --lang ko
    """
    from chosei.exchange.template import write_template
    from chosei.i18n import current

    st = state(ctx)
    lang = current() if lang is None else lang
    write_template(file, lang, st.store_files())
    emit_result(None, {"file": str(file), "lang": lang},
                [_("Wrote the {lang} template to {file}.").format(lang=lang, file=file)], as_json=as_json)
