"""`chosei db`: the store's schema."""

import typer

from chosei.cli._app import new_app, state

app = new_app("The store's schema: migrations.")


@app.command("upgrade")
def upgrade(ctx: typer.Context) -> None:
    """Bring the store's schema to the version this chosei needs. PostgreSQL stores need
    this after installing a new chosei; SQLite stores upgrade themselves on open.

    Example: chosei --db postgresql+psycopg://me@server/chosei db upgrade
    """
    from chosei.config import resolve_db_url
    from chosei.store import open_store, upgrade_store

    store = open_store(resolve_db_url(state(ctx).db), check_schema=False)
    try:
        before, after = upgrade_store(store)
    finally:
        store.dispose()
    if before == after:
        typer.echo(f"{store.display_url} is already at revision {after}.")
    else:
        typer.echo(f"Upgraded {store.display_url} from {before or 'empty'} to {after}.")


@app.command("roles")
def roles(ctx: typer.Context) -> None:
    """Create (or bring up to date) chosei's PostgreSQL group roles and their rights:
    chosei_caseworker, chosei_lab, chosei_partner_kr, chosei_partner_jp, chosei_auditor.
    Run it as the tables' owner, after `db upgrade` too (new tables get their grants);
    then grant a group to each person's login role, e.g. GRANT chosei_lab TO lee;
    docs/security.md says what each group may see and change.

    Example: chosei --db postgresql+psycopg://admin@server/chosei db roles
    """
    from chosei.config import resolve_db_url
    from chosei.roles import require_postgres, set_roles
    st = state(ctx)
    url = resolve_db_url(st.db)
    require_postgres(url)
    store = st.store(create=False)
    with st.session(write=True) as s:
        done = set_roles(s)
    created = ", ".join(done["created"]) or "none (all existed)"
    typer.echo(f"Roles in {store.display_url}: {', '.join(done['groups'])}.")
    typer.echo(f"Created: {created}. Rights set on {done['tables']} tables; row-level security "
               f"on {', '.join(done['row_security'])}.")
    typer.echo("Grant a role to a login role with e.g.: GRANT chosei_caseworker TO kim;")
