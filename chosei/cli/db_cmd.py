"""`chosei db`: the store's schema and backups."""

from pathlib import Path
from typing import Annotated

import typer

from chosei.cli._app import JsonOpt, emit_result, new_app, state
from chosei.i18n import _

app = new_app("The store itself: schema migrations, backups.")


@app.command("upgrade")
def upgrade(ctx: typer.Context, as_json: JsonOpt = False) -> None:
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
        line = _("{store} is already at revision {revision}.").format(store=store.display_url, revision=after)
    elif before:
        line = _("Upgraded {store} from {before} to {after}.").format(store=store.display_url, before=before,
                                                                       after=after)
    else:
        line = _("Upgraded {store} from empty to {after}.").format(store=store.display_url, after=after)
    emit_result(None, {"store": store.display_url, "before": before, "after": after}, [line], as_json=as_json)


@app.command("backup")
def backup(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(metavar="FILE", help="Where to write the copy (a SQLite file).")],
    as_json: JsonOpt = False,
) -> None:
    """Copy a SQLite store to FILE, consistently, even while others are using it (SQLite's
    online backup). The copy is a store: use it with --db FILE, or put it in the store's
    place to restore. A PostgreSQL store is backed up with pg_dump instead.

    Example: chosei db backup ~/backups/chosei-2026-12-05.db
    """
    from chosei.backup import backup_store

    st = state(ctx)
    done = backup_store(st.store(), file, st.store_files())
    emit_result(None, {"store": st.store().display_url, **done},
                [_("Backed up {store} to {file}: {pages} pages, {bytes} bytes.").format(
                    store=st.store().display_url, file=done["path"], pages=done["pages"], bytes=done["bytes"])],
                as_json=as_json)


@app.command("roles")
def roles(ctx: typer.Context, as_json: JsonOpt = False) -> None:
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
    created = ", ".join(done["created"]) or _("none (all existed)")
    emit_result(None, {"store": store.display_url, **done}, [
        _("Roles in {store}: {roles}.").format(store=store.display_url, roles=", ".join(done["groups"])),
        _("Created: {created}. Rights set on {tables} tables; row-level security on {secured}.").format(
            created=created, tables=done["tables"], secured=", ".join(done["row_security"])),
        _("Grant a role to a login role with e.g.: GRANT chosei_caseworker TO kim;")], as_json=as_json)
