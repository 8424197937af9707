"""Bulk writes straight to the database driver, inside the session's transaction.

For the hundred thousand rows of a workbook and their audit entries, SQLAlchemy's
per-row parameter handling costs more than the writes themselves. These helpers hand
plain tuples to the DBAPI cursor of the session's own connection (so they commit or
roll back with everything else): `executemany` on SQLite; on PostgreSQL (psycopg)
inserts go through `COPY … FROM STDIN` and updates through psycopg's pipelined
`executemany`. PostgreSQL refuses COPY FROM into a table whose row-level security applies
to the writer (`chosei db roles` sets some): those inserts use `executemany` too.
Values must already be what the columns hold (text, numbers, None).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection


def _quoted(conn: Connection, names: Iterable[str]) -> list[str]:
    quote = conn.dialect.identifier_preparer.quote
    return [quote(n) for n in names]


def _cursor(conn: Connection) -> Any:
    return conn.connection.cursor()


def insert(conn: Connection, table: str, columns: Sequence[str],
           rows: Iterable[Sequence[Any]]) -> None:
    """INSERT `rows` (tuples in `columns` order) into `table`."""
    name = _quoted(conn, [table])[0]
    cols = ", ".join(_quoted(conn, columns))
    cur = _cursor(conn)
    try:
        postgres = conn.dialect.name == "postgresql"
        if postgres and not _row_security_active(cur, name):
            with cur.copy(f"COPY {name} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(("%s" if postgres else "?") for _ in columns)
            cur.executemany(f"INSERT INTO {name} ({cols}) VALUES ({marks})", rows)
    finally:
        cur.close()


def _row_security_active(cur: Any, table: str) -> bool:
    cur.execute("SELECT row_security_active(%s::regclass)", (table,))
    return bool(cur.fetchone()[0])


def update(conn: Connection, table: str, columns: Sequence[str], key: str,
           rows: Iterable[Sequence[Any]]) -> None:
    """UPDATE `table` SET `columns` WHERE `key` = …; each row is (*values, key value)."""
    name = _quoted(conn, [table])[0]
    mark = "%s" if conn.dialect.name == "postgresql" else "?"
    sets = ", ".join(f"{c} = {mark}" for c in _quoted(conn, columns))
    where = _quoted(conn, [key])[0]
    cur = _cursor(conn)
    try:
        cur.executemany(f"UPDATE {name} SET {sets} WHERE {where} = {mark}", rows)
    finally:
        cur.close()
