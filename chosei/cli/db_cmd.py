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
