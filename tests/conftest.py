"""Test fixtures: every test gets its own store, and never the user's real one.

`db_url` runs a test on SQLite and, when a server answers, on PostgreSQL
(`CHOSEI_TEST_PG`, default postgresql+psycopg://postgres@127.0.0.1:5432/test). CI sets
`CHOSEI_REQUIRE_PG=1` so an unreachable server fails the run instead of skipping.
"""

from __future__ import annotations

import os
import shlex
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

PG_ADMIN_URL = os.environ.get("CHOSEI_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("CHOSEI_DB", str(tmp_path / "default.db"))
    monkeypatch.setenv("CHOSEI_USER", "tester")
    # English unless a test chooses otherwise; the CLI's `speak` sets LANGUAGE, which
    # monkeypatch restores after the test.
    for var in ("CHOSEI_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.setenv("LANGUAGE", "en")
    from chosei import i18n

    i18n.set_language("en")


def _pg_available() -> str | None:
    try:
        import psycopg
    except ImportError:
        return "psycopg is not installed (pip install chosei[postgres])"
    url = PG_ADMIN_URL.replace("postgresql+psycopg://", "postgresql://")
    try:
        with psycopg.connect(url, connect_timeout=3):
            return None
    except Exception as exc:
        return f"PostgreSQL is not reachable at {PG_ADMIN_URL}: {str(exc).splitlines()[0]}"


_PG_REASON: list[str | None] = []


def pg_reason() -> str | None:
    if not _PG_REASON:
        _PG_REASON.append(_pg_available())
    return _PG_REASON[0]


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session, dropped at the end."""
    reason = pg_reason()
    if reason:
        if os.environ.get("CHOSEI_REQUIRE_PG"):
            pytest.fail(reason)
        pytest.skip(reason)
    import psycopg

    name = f"chosei_test_{uuid.uuid4().hex[:10]}"
    admin = PG_ADMIN_URL.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    url = f"{base}/{name}"
    from chosei.store import open_store, upgrade_store

    store = open_store(url, check_schema=False)
    upgrade_store(store)
    store.dispose()
    try:
        yield url
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _truncate_pg(url: str) -> None:
    from sqlalchemy import create_engine, text
    from sqlmodel import SQLModel

    import chosei.models  # noqa: F401

    engine = create_engine(url)
    names = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
    with engine.begin() as conn:
        # The audit trail refuses TRUNCATE (migration 0006); a test's fresh start is the one
        # deliberate exception, its triggers off only inside this transaction.
        conn.execute(text("ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_no_truncate"))
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        conn.execute(text("ALTER TABLE audit_entry ENABLE TRIGGER audit_entry_no_truncate"))
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The store for one test, on each backend; also exported as CHOSEI_DB."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'store.db'}"
    else:
        url = request.getfixturevalue("pg_database")
        _truncate_pg(url)
    monkeypatch.setenv("CHOSEI_DB", url)
    return url


@pytest.fixture
def sqlite_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A SQLite-only store, for tests about the file itself."""
    url = f"sqlite:///{tmp_path / 'store.db'}"
    monkeypatch.setenv("CHOSEI_DB", url)
    return url


class Cli:
    """Runs `chosei` in-process against the test's store, stdout and stderr apart."""

    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None, expect: int | None = 0):
        from chosei.cli import app

        argv = list(args)
        if len(argv) == 1 and " " in argv[0]:
            argv = shlex.split(argv[0])
        result = self.runner.invoke(app, argv, input=input, catch_exceptions=False)
        if expect is not None and result.exit_code != expect:
            raise AssertionError(
                f"chosei {' '.join(argv)} exited {result.exit_code}, expected {expect}\n"
                f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
            )
        return result


@pytest.fixture
def cli() -> Cli:
    return Cli()


@pytest.fixture
def case(db_url: str, cli: Cli) -> str:
    """A store on each backend holding an initialised (empty) case."""
    cli("init", "--name", "Test case")
    return db_url
