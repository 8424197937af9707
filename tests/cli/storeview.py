"""Reading a test's store through the library, to check what a command did (or did not do)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session

from chosei.models import AUDITED, AuditEntry
from chosei.store import open_store, session_scope


def snapshot(url: str) -> dict[str, Any]:
    """Every audited row and the length of the audit log: equal before and after a
    failed command when that command changed nothing."""
    store = open_store(url)
    try:
        with session_scope(store) as s:
            tables = {
                cls.__tablename__: sorted(
                    (sorted(r.model_dump().items()) for r in s.execute(select(cls)).scalars()),
                    key=repr,
                )
                for cls in AUDITED
            }
            tables["audit_entries"] = s.execute(select(func.count()).select_from(AuditEntry)).scalar_one()
            return tables
    finally:
        store.dispose()


def fetch(url: str, model: Any, *where: Any, order: Iterable[Any] = ()) -> list[dict[str, Any]]:
    """Rows of `model` matching `where`, as dicts without their surrogate `id`."""
    store = open_store(url)
    try:
        with session_scope(store) as s:
            query = select(model).where(*where).order_by(*order)
            return [
                {k: v for k, v in r.model_dump().items() if not (k == "id" and isinstance(v, int))}
                for r in s.execute(query).scalars()
            ]
    finally:
        store.dispose()


def one(url: str, model: Any, key: Any) -> dict[str, Any] | None:
    store = open_store(url)
    try:
        with session_scope(store) as s:
            row = s.get(model, key)
            return row.model_dump() if row is not None else None
    finally:
        store.dispose()


def add_rows(url: str, *rows: Any) -> None:
    """Insert rows through the library (audited), e.g. identifications no command makes here."""
    store = open_store(url)
    try:
        with session_scope(store, actor="tester", write=True) as s:
            for row in rows:
                s.add(row)
                s.flush()
    finally:
        store.dispose()


@contextmanager
def writing(url: str) -> Iterator[Session]:
    """One write session on the test's store, to set a scene through the services faster
    than a string of commands would."""
    store = open_store(url)
    try:
        with session_scope(store, actor="tester", write=True) as s:
            yield s
    finally:
        store.dispose()
