"""The append-only, hash-chained audit log.

Each entry's `hash` is SHA-256 over its own content and the previous entry's hash, so an
entry edited, deleted or moved breaks the chain from there on; `seq` runs 1, 2, 3… with
no gaps. `chosei.audit` writes and verifies it. `actor` is whom a change was made for
(`--as`, `CHOSEI_USER`); `db_user` the database role that wrote it (PostgreSQL's
`session_user`; NULL on SQLite).
"""

from __future__ import annotations

from sqlmodel import Field

from chosei.models._base import Record


class AuditEntry(Record, table=True):
    __tablename__ = "audit_entry"
    seq: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    at: str = Field(max_length=32)
    actor: str
    action: str = Field(max_length=8)
    entity: str = Field(max_length=32)
    entity_key: str = Field(index=True)
    subject: str = Field(index=True)
    before: str | None = None
    after: str | None = None
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)
    db_user: str | None = Field(default=None, max_length=64)
