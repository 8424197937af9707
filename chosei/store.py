"""Opening the store: one engine per invocation, one transaction per command.

The command owns the transaction: services may `flush()`, never `commit()`, so a whole
command (a whole workbook) lands or none of it. Writers are serialised (SQLite
`BEGIN IMMEDIATE`, a PostgreSQL advisory lock) because the audit log is one hash chain.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import event, text
from sqlalchemy.engine import Connection, Engine, create_engine, make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, NoSuchModuleError

from chosei.config import mask_url, quote_password
from chosei.errors import StoreError
from chosei.i18n import N_, _
from chosei.migrations import HEAD_REVISION
from chosei.privileges import privilege_is_one_line

if TYPE_CHECKING:
    from sqlmodel import Session

# Any constant works; it names chosei's writer lock among other users of the server.
_PG_WRITE_LOCK = 0x43484F5345  # "CHOSE"
BUSY_TIMEOUT_S = 60
"""How long a writer waits for another to finish; `CHOSEI_BUSY_TIMEOUT` (seconds) overrides."""


def busy_timeout() -> int:
    value = os.environ.get("CHOSEI_BUSY_TIMEOUT", "").strip()
    if not value:
        return BUSY_TIMEOUT_S
    if not value.isdigit() or int(value) < 1:
        raise StoreError(_("CHOSEI_BUSY_TIMEOUT must be a whole number of seconds, at least 1, not '{value}'")
                         .format(value=value))
    return int(value)


@dataclass
class Store:
    engine: Engine
    url: str

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def display_url(self) -> str:
        return mask_url(self.url)

    def dispose(self) -> None:
        self.engine.dispose()


def _sqlite_events(engine: Engine) -> None:
    timeout = busy_timeout()

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        # Let SQLAlchemy's begin event issue BEGIN itself, so writers can take IMMEDIATE.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={timeout * 1000}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        mode = "IMMEDIATE" if conn.get_execution_options().get("chosei_write") else "DEFERRED"
        conn.exec_driver_sql(f"BEGIN {mode}")


def open_store(url: str, *, create: bool = True, upgrade: bool = True,
               check_schema: bool = True) -> Store:
    """Build the engine for `url`; make sure its schema is at the head revision.

    A SQLite store is created and upgraded on open; any other server must be upgraded
    explicitly with `chosei db upgrade` (many users share it, so no command surprises them).
    """
    try:
        parsed = make_url(quote_password(url))
    except ArgumentError:
        raise StoreError(_("'{url}' is not a database URL; use a path or e.g. "
                           "postgresql+psycopg://user@host/db").format(url=mask_url(url))) from None
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    sqlite = parsed.drivername.startswith("sqlite")
    if sqlite and parsed.database and parsed.database != ":memory:":
        path = Path(parsed.database)
        if not path.exists():
            if not create:
                raise StoreError(_("no store at {path}: check the path, or create one with "
                                   "`chosei --db {path} init` (or `demo`)").format(path=path))
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(_("cannot create the folder of the store {path}: {reason}").format(
                    path=path, reason=exc.strerror or exc)) from None
        elif not path.is_file():
            raise StoreError(_("{path} is not a file; --db names the store's SQLite file").format(path=path))
    try:
        engine = create_engine(parsed, pool_pre_ping=not sqlite)
    except (NoSuchModuleError, ModuleNotFoundError) as exc:
        raise StoreError(_("cannot use '{url}': {reason}; for PostgreSQL install chosei[postgres]").format(
            url=mask_url(url), reason=exc)) from None
    if sqlite:
        _sqlite_events(engine)
    store = Store(engine=engine, url=url)
    if not check_schema:
        return store
    try:
        with privilege_is_one_line(store.engine.url), store_faults(store):
            _ensure_schema(store, upgrade=upgrade and sqlite)
    except DatabaseError as exc:
        store.dispose()
        raise StoreError(_("cannot open the store at {url}: {reason}").format(
            url=store.display_url, reason=_first_line(exc))) from None
    except BaseException:
        store.dispose()
        raise
    return store


def _first_line(exc: Exception) -> str:
    orig = getattr(exc, "orig", None) or exc
    return str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__


def current_revision(store: Store) -> str | None:
    with store.engine.connect() as conn:
        dialect = store.engine.dialect
        if not dialect.has_table(conn, "alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _ensure_schema(store: Store, *, upgrade: bool) -> None:
    # A cheap check against the head we ship, so a normal command never imports alembic.
    revision = current_revision(store)
    if revision == HEAD_REVISION:
        return
    from chosei.migrations.runner import known_revisions

    if revision is not None and revision not in known_revisions(store.engine):
        raise StoreError(_("the store at {url} was written by a newer chosei (schema revision {revision}; "
                           "this chosei knows up to {head}): upgrade chosei to use it").format(
                               url=store.display_url, revision=revision, head=HEAD_REVISION))
    if not upgrade:
        raise StoreError(_("the store at {url} is not at schema revision {head}; run `chosei db upgrade`")
                         .format(url=store.display_url, head=HEAD_REVISION))
    upgrade_store(store)


def upgrade_store(store: Store) -> tuple[str | None, str]:
    """Run the migrations up to head; return (revision before, revision after)."""
    from chosei.migrations.runner import upgrade

    before = current_revision(store)
    upgrade(store.engine)
    return before, HEAD_REVISION


# What SQLite (and PostgreSQL) say about a store that cannot do its work, and what the
# user can do about it. Checked on the driver's first line, lower-cased.
_FAULTS = (
    (("locked", "lock timeout"), "busy"),
    (("readonly database", "read-only", "read only"),
     N_("the store at {url} is read-only (the file or its folder is not writable): ask for "
        "write access, or run only commands that read")),
    (("database or disk is full", "no space left", "disk full"),
     N_("the disk holding the store at {url} is full: nothing was changed; free some space "
        "and run the command again")),
    (("not a database",),
     N_("{url} is not a chosei store ({reason}): check --db; if it was the store, it is "
        "damaged: restore it from a backup (see `chosei db backup`) and keep the damaged file "
        "for inspection")),
    (("malformed", "disk i/o error", "corrupt"),
     N_("the store at {url} is damaged ({reason}): nothing was changed; restore it from a "
        "backup (see `chosei db backup`) and keep the damaged file for inspection")),
    (("unable to open database file",),
     N_("cannot open the store at {url} ({reason}): check that the file and its folder exist "
        "and are readable and writable by you")),
)


def fault_message(store: Store, exc: Exception) -> str | None:
    """The one line for a store that cannot work (busy, read-only, full, damaged), if it is one."""
    reason = _first_line(exc)
    lowered = reason.lower()
    for needles, message in _FAULTS:
        if any(n in lowered for n in needles):
            if message == "busy":
                return _("the store is busy with another writer for more than {seconds} s; try again "
                         "when it has finished (CHOSEI_BUSY_TIMEOUT sets the wait)").format(seconds=busy_timeout())
            return _(message).format(url=store.display_url, reason=reason)
    return None


@contextmanager
def store_faults(store: Store) -> Iterator[None]:
    """A store that cannot do its work is the user's to fix: one line, exit 5, not a bug."""
    # Bulk writes use the driver's cursor directly (COPY, executemany): its errors come unwrapped.
    driver_error = store.engine.dialect.loaded_dbapi.Error
    try:
        yield
    except (DatabaseError, driver_error) as exc:
        message = fault_message(store, exc)
        if message is None:
            raise
        raise StoreError(message) from None


def refuse_damaged(session: Session, *, quick: bool = True) -> None:
    """Raise `StoreError` when SQLite finds the store's file damaged: `quick_check` (every
    page read once, about linear in the file) or the full `integrity_check` (indexes too),
    for `chosei audit verify`. Nothing on PostgreSQL, whose server checks its own pages.

    Writers run the quick check first: a write into a damaged file can spread the damage.
    Only writers pay it, so reads such as `chosei status` start as fast as before.
    """
    conn = session.connection()
    if conn.dialect.name != "sqlite":
        return
    first = conn.exec_driver_sql("PRAGMA quick_check(1)" if quick else "PRAGMA integrity_check(1)").scalar()
    if first != "ok":
        url = conn.engine.url.render_as_string()  # a SQLite URL: no password to hide
        raise StoreError(_("the store at {url} is damaged ({reason}): nothing was changed; restore it from "
                           "a backup (see `chosei db backup`) and keep the damaged file for inspection")
                         .format(url=url, reason=first))


@contextmanager
def read_scope(store: Store) -> Iterator[Connection]:
    """A read-only transaction on a Core connection, for queries that need no ORM
    (`chosei status`: see `chosei.tables`). Closing it rolls back: nothing is written."""
    with privilege_is_one_line(store.engine.url), store_faults(store), store.engine.connect() as conn:
        yield conn


@contextmanager
def session_scope(store: Store, *, actor: str = "system", write: bool = False) -> Iterator[Session]:
    """One transaction: committed when the block ends, rolled back on any exception."""
    with privilege_is_one_line(store.engine.url), _session_scope(store, actor, write) as session:
        yield session


@contextmanager
def _session_scope(store: Store, actor: str, write: bool) -> Iterator[Session]:
    from sqlmodel import Session

    from chosei import audit

    if write:
        conn = store.engine.connect().execution_options(chosei_write=True)
    else:
        conn = store.engine.connect()
    try:
        session = Session(bind=conn, expire_on_commit=False, autoflush=True)
        session.info["actor"] = actor
        try:
            with store_faults(store), session.begin():
                if write:
                    _take_write_lock(session, store)
                    refuse_damaged(session)
                    audit.install(session)
                    from chosei.services.corrections import guard

                    guard(session)  # no add under a retracted record's ID
                yield session
        finally:
            session.close()
    finally:
        conn.close()


def _take_write_lock(session: Session, store: Store) -> None:
    if store.dialect == "postgresql":
        session.execute(text(f"SET LOCAL lock_timeout = '{busy_timeout()}s'"))
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_WRITE_LOCK})
    elif store.dialect == "sqlite":
        # BEGIN IMMEDIATE already holds the writer lock; touch the connection to start it.
        session.execute(text("SELECT 1"))
