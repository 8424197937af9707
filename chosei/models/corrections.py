"""Retractions: records taken out of the case by `chosei retract`, and why.

A retracted row leaves its table (an audited delete whose `before` keeps its last
state in the hash-chained trail), so no list, count, match or export can see it
without anyone having to remember a filter. This table says which rows were
retracted, when, by whom and why, and (once `chosei retract --undo` brings one back)
when, by whom and why it was restored. `kind` and `ident` are what the user typed
(`victim V-001`, `name V-001/金哲洙`); `entity` and `entity_key` name the row as the
audit trail does.
"""

from __future__ import annotations

from sqlmodel import Field

from chosei.models._base import Record


class Retraction(Record, table=True):
    __tablename__ = "retraction"
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16)
    ident: str = Field(index=True)
    entity: str = Field(max_length=32)
    entity_key: str
    retracted_at: str = Field(max_length=32)
    retracted_by: str
    why: str
    restored_at: str | None = Field(default=None, max_length=32)
    restored_by: str | None = None
    restored_why: str | None = None
    version: int = 1
