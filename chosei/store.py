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
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError

from chosei.config import mask_url
from chosei.errors import StoreError
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
        raise StoreError(f"CHOSEI_BUSY_TIMEOUT must be a whole number of seconds, at least 1, not '{value}'")
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
    def _on_connect(dbapi_conn, _record):  # type: ignore[no-untyped-def]
        # Let SQLAlchemy's begin event issue BEGIN itself, so writers can take IMMEDIATE.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={timeout * 1000}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # type: ignore[no-untyped-def]
        mode = "IMMEDIATE" if conn.get_execution_options().get("chosei_write") else "DEFERRED"
        conn.exec_driver_sql(f"BEGIN {mode}")


def open_store(url: str, *, create: bool = True, upgrade: bool = True,
               check_schema: bool = True) -> Store:
    """Build the engine for `url`; make sure its schema is at the head revision.

    A SQLite store is created and upgraded on open; any other server must be upgraded
    explicitly with `chosei db upgrade` (many users share it, so no command surprises them).
    """
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError(
            f"'{mask_url(url)}' is not a database URL; use a path or e.g. "
            "postgresql+psycopg://user@host/db"
        ) from None
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    sqlite = parsed.drivername.startswith("sqlite")
    if sqlite and parsed.database and parsed.database != ":memory:":
        path = Path(parsed.database)
        if not path.exists():
            if not create:
                raise StoreError(f"no store at {path}; run `chosei init` or `chosei demo` first")
            path.parent.mkdir(parents=True, exist_ok=True)
    try:
        engine = create_engine(parsed, pool_pre_ping=not sqlite)
    except (NoSuchModuleError, ModuleNotFoundError) as exc:
        raise StoreError(
            f"cannot use '{mask_url(url)}': {exc}; for PostgreSQL install chosei[postgres]"
        ) from None
    if sqlite:
        _sqlite_events(engine)
    store = Store(engine=engine, url=url)
    if not check_schema:
        return store
    try:
        with privilege_is_one_line(store.engine.url), _busy_is_one_line():
            _ensure_schema(store, upgrade=upgrade and sqlite)
    except OperationalError as exc:
        store.dispose()
        raise StoreError(f"cannot open the store at {store.display_url}: {_first_line(exc)}") from None
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
    if current_revision(store) == HEAD_REVISION:
        return
    if not upgrade:
        raise StoreError(
            f"the store at {store.display_url} is not at schema revision {HEAD_REVISION}; "
            "run `chosei db upgrade`"
        )
    upgrade_store(store)


def upgrade_store(store: Store) -> tuple[str | None, str]:
    """Run the migrations up to head; return (revision before, revision after)."""
    from chosei.migrations.runner import upgrade

    before = current_revision(store)
    upgrade(store.engine)
    return before, HEAD_REVISION


@contextmanager
def _busy_is_one_line() -> Iterator[None]:
    """A lock waited out for longer than the busy timeout is the user's error to retry."""
    try:
        yield
    except OperationalError as exc:
        message = _first_line(exc)
        # SQLite: "database is locked"; PostgreSQL: "canceling statement due to lock timeout".
        if "locked" in message or "lock timeout" in message:
            raise StoreError(
                f"the store is busy with another writer for more than {busy_timeout()} s; "
                "try again when it has finished (CHOSEI_BUSY_TIMEOUT sets the wait)"
            ) from None
        raise


@contextmanager
def read_scope(store: Store) -> Iterator[Connection]:
    """A read-only transaction on a Core connection, for queries that need no ORM
    (`chosei status`: see `chosei.tables`). Closing it rolls back: nothing is written."""
    with privilege_is_one_line(store.engine.url), _busy_is_one_line(), \
            store.engine.connect() as conn:
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
            with _busy_is_one_line(), session.begin():
                if write:
                    _take_write_lock(session, store)
                    audit.install(session)
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
