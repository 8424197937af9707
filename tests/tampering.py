"""Changing a store behind chosei's back, as an attacker with the database's own rights
would: on SQLite, whoever can write the file drops the append-only triggers (and puts
them back, to hide it); on PostgreSQL the table's owner switches them off for one
transaction. Tests use it to show what the audit chain, heads and checkpoints catch."""

from __future__ import annotations

import sqlite3
from typing import Any


def tamper(store: Any, sql: str | list[str], params: list[tuple[Any, ...]] | None = None) -> None:
    """Run `sql` (statements split on `;`, or a list, each with its `params`) in one
    transaction, the audit trail's triggers bypassed."""
    statements = sql if isinstance(sql, list) else [p.strip() for p in sql.split(";") if p.strip()]
    args = params or [()] * len(statements)
    if store.dialect == "sqlite":
        con = sqlite3.connect(store.engine.url.database)
        triggers = con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                               "AND tbl_name = 'audit_entry'").fetchall()
        for name, _ in triggers:
            con.execute(f"DROP TRIGGER {name}")
        for statement, arg in zip(statements, args, strict=True):
            con.execute(statement, arg)
        for _, create in triggers:
            con.execute(create)
        con.commit()
        con.close()
        return
    from sqlalchemy import text

    with store.engine.begin() as conn:
        conn.execute(text("ALTER TABLE audit_entry DISABLE TRIGGER USER"))
        for statement, arg in zip(statements, args, strict=True):
            raw = conn.connection.driver_connection
            raw.execute(statement.replace("?", "%s"), arg)
        conn.execute(text("ALTER TABLE audit_entry ENABLE TRIGGER USER"))
