"""Alembic environment: the engine comes from chosei (see runner.py), never from a file."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import chosei.models  # noqa: F401  (registers every table on the metadata)

target_metadata = SQLModel.metadata


def run_migrations_online() -> None:
    engine = context.config.attributes["engine"]
    # A writer's transaction from the start (SQLite BEGIN IMMEDIATE): several commands that
    # open a fresh store at once then wait for each other instead of failing as "locked".
    with engine.connect().execution_options(chosei_write=True) as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
            # One transaction for the whole upgrade, on SQLite too (alembic would otherwise
            # commit after each revision there): a second command opening the same fresh
            # store meanwhile would take the lock between two revisions and run the next
            # ones again ("duplicate column").
            transactional_ddl=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run_migrations_online()
