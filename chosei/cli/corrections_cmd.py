"""Top-level commands that correct mistakes: retract (and restore) a record, undo a command."""

from typing import Annotated

import typer

from chosei.cli._app import JsonOpt, banner, emit_json, printable, state
from chosei.i18n import _

# The kinds of `chosei.services.corrections.KINDS` (a test compares them): importing the
# service here would load the store's models for `chosei --help`.
KIND_HELP = ("victim ID, name VICTIM/NAME, relative ID, operation ID, specimen ID, sample ID, "
             "custody ITEM/EVENT/AT, profile SAMPLE (its genotypes), identification SPECIMEN/VICTIM")


def register(app: typer.Typer) -> None:
    app.command("retract")(retract)
    app.command("undo")(undo)


def retract(
    ctx: typer.Context,
    kind: Annotated[str, typer.Argument(metavar="KIND", help=(  # KIND_HELP, as a literal for the catalogue
        "What to retract: victim ID, name VICTIM/NAME, relative ID, operation ID, specimen ID, sample ID, "
        "custody ITEM/EVENT/AT, profile SAMPLE (its genotypes), identification SPECIMEN/VICTIM."))],
    ident: Annotated[str, typer.Argument(metavar="ID", help="Its ID, as KIND says.")],
    why: Annotated[str, typer.Option("--why", help="Why (kept in the audit trail).")],
    with_dependents: Annotated[bool, typer.Option(
        "--with-dependents", help="Retract (or restore) what depends on it too, and list them.")] = False,
    restore: Annotated[bool, typer.Option(
        "--undo", help="Bring a retracted record back instead.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Take a wrong record out of the case: it disappears from every list, count, check,
    match, report and export, while the store and the audit trail keep it. A record
    others depend on (a victim's relatives, a specimen's samples) is refused, naming
    them, unless --with-dependents retracts them too. --undo brings a retracted record
    back (with --with-dependents, what was retracted with it). KIND and ID: victim ID,
    name VICTIM/NAME, relative ID, operation ID, specimen ID, sample ID, custody
    ITEM/EVENT/AT, profile SAMPLE (all its genotypes), identification SPECIMEN/VICTIM.

    Example: chosei retract victim V-184 --why "entered twice; same man as V-017"
    """
    from chosei.services import corrections

    st = state(ctx)
    action = corrections.restore if restore else corrections.retract
    with st.session(write=True, create=False) as s:
        done = action(s, kind, ident, why, with_dependents=with_dependents)
    verb = "restored" if restore else "retracted"
    if as_json:
        banner(st, as_json=True)
        emit_json({verb: done.records, "match_results_removed": done.match_results})
        return
    banner(st)
    typer.echo(printable((_("Restored {record}") if restore else _("Retracted {record}")).format(
        record=done.records[0])))
    if len(done.records) > 1:
        typer.echo((_("Restored with it {n} record(s) depending on it:") if restore else
                    _("Retracted with it {n} record(s) depending on it:")).format(n=len(done.records) - 1))
        for record in done.records[1:]:
            typer.echo(printable(f"    {record}"))
    if done.match_results:
        typer.echo(_("Removed {n} match result(s) computed from it; `chosei match run` computes the matches "
                     "again.").format(n=done.match_results))
    if restore and done.records[0].split()[0] in ("victim", "specimen", "sample"):
        typer.echo(_("Match results are not restored: `chosei match run` computes them again."))


def undo(
    ctx: typer.Context,
    seq: Annotated[int, typer.Argument(
        metavar="SEQ", help="An audit entry's number, as `chosei audit log` shows it (#SEQ).")],
    why: Annotated[str | None, typer.Option("--why", help="Why (kept in the audit trail).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Revert everything the command that wrote audit entry SEQ changed (an import, an
    edit, a retraction): rows it added are removed, rows it changed get their old values
    back, rows it removed return. Refused, naming the later entries, when a later command
    touched those rows or depends on them. The undo is itself audited, and can be undone.

    Example: chosei undo 1204 --why "imported the wrong workbook"
    """
    from chosei.errors import InvalidInput
    from chosei.services.corrections import undo as undo_entry

    if seq < 1:
        raise InvalidInput(_("SEQ is an audit entry's number (1 or more), not {seq}").format(seq=seq))
    st = state(ctx)
    with st.session(write=True, create=False) as s:
        done = undo_entry(s, seq, why)
    if as_json:
        banner(st, as_json=True)
        emit_json({"entries": [done.first, done.last], "actor": done.actor, "at": done.at,
                   "deleted": done.deleted, "changed": done.changed, "restored": done.restored,
                   "not_reverted": done.skipped})
        return
    banner(st)
    span = f"#{done.first}" if done.first == done.last else f"#{done.first}–#{done.last}"
    typer.echo(printable(_("Undid entries {span} ({actor}, {at}): {deleted} record(s) removed, {changed} changed "
                           "back, {restored} brought back.").format(
        span=span, actor=done.actor, at=done.at, deleted=done.deleted, changed=done.changed,
        restored=done.restored)))
    for skipped in done.skipped:
        typer.echo(printable("    " + _("not reverted (not a record): {entry}").format(entry=skipped)))
