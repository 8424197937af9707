"""`chosei audit`: the append-only, hash-chained log of every change."""

from typing import Annotated

import typer

from chosei.cli._app import banner, emit_json, new_app, printable, state

app = new_app("The audit trail: who changed what, when, before and after.")


@app.command("log")
def log(
    ctx: typer.Context,
    ident: Annotated[
        str | None, typer.Argument(help="An ID (victim, relative, specimen, sample…); all when omitted.")
    ] = None,
    last: Annotated[int | None, typer.Option("--last", help="Only the newest N entries.")] = None,
    contacts: Annotated[bool, typer.Option("--contacts", help="Show relatives' contacts (hidden by default).")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show the history of one item, or of the whole store, oldest first. Relatives'
    contacts show as (hidden) unless --contacts. Each entry names whom the change was made
    for (`actor`: --as or CHOSEI_USER) and, on PostgreSQL, the database role that made it
    (`db_user`: "postgres for kim").

    Example: chosei audit log V-001
    """
    from chosei.audit import history, readable

    st = state(ctx)
    with st.session() as s:
        entries = [readable(e, reveal=contacts) for e in history(s, ident, limit=last)]
    if as_json:
        banner(st, as_json=True)
        emit_json(entries)
        return
    banner(st)
    if not entries:
        typer.echo("(no entries)")
    for e in entries:
        # `actor` is whom it was done for (--as); db_user the database role that wrote it.
        who = f"{e['db_user']} for {e['actor']}" if e["db_user"] else e["actor"]
        typer.echo(printable(f"#{e['seq']} {e['at']} {who} {e['action']} {e['entity']} {e['entity_key']}"))
        before, after = e["before"] or {}, e["after"] or {}
        for key in sorted(set(before) | set(after)):
            if key == "version":
                continue
            old, new = before.get(key), after.get(key)
            if old != new:
                typer.echo(printable(f"    {key}: {_show(old)} -> {_show(new)}"))


def _show(value: object) -> str:
    return "∅" if value is None else repr(value) if isinstance(value, str) else str(value)


@app.command("verify")
def verify(ctx: typer.Context) -> None:
    """Check the hash chain and that every stored row matches its last logged state.
    Exits 7 and names the first broken entry or row when something was tampered with.

    Example: chosei audit verify
    """
    from chosei.audit import verify as run_verify
    from chosei.errors import AuditBroken

    st = state(ctx)
    with st.session() as s:
        result = run_verify(s)
    banner(st)
    if not result.ok:
        raise AuditBroken(result.problem or "the audit trail is broken")
    typer.echo(f"Audit trail intact: {result.entries} entries, {result.rows} rows match their last logged state.")
