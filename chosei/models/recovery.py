"""Recovery operations (dives), the specimens they bring up, and custody of every item."""

from __future__ import annotations

from pydantic import field_validator
from sqlmodel import Field, UniqueConstraint

from chosei.models._base import (
    Record,
    as_datetime,
    as_id,
    date_validator,
    id_validator,
    text_validator,
    vocab_validator,
)
from chosei.vocab import CUSTODY_EVENT, ELEMENT, SIDE


class OperationBase(Record):
    id: str = Field(primary_key=True, max_length=64)
    date: str | None = Field(default=None, max_length=10)
    site: str | None = None
    team: str | None = None
    notes: str | None = None


class Operation(OperationBase, table=True):
    __tablename__ = "operation"
    version: int = 1


class OperationCreate(OperationBase):
    _text = text_validator("site", "team", "notes")
    _id = id_validator("id")
    _date = date_validator("date")


class SpecimenBase(Record):
    id: str = Field(primary_key=True, max_length=64)
    operation_id: str | None = Field(default=None, foreign_key="operation.id", index=True)
    recovered_on: str | None = Field(default=None, max_length=10)
    location: str | None = None
    depth_m: float | None = Field(default=None, ge=0, le=1000)
    element: str | None = Field(default=None, max_length=16, index=True)
    side: str | None = Field(default=None, max_length=8)
    portion: str | None = None
    condition: str | None = None
    custodian: str | None = None
    other_ids: str | None = None
    notes: str | None = None


class Specimen(SpecimenBase, table=True):
    __tablename__ = "specimen"
    version: int = 1


class SpecimenCreate(SpecimenBase):
    _element = vocab_validator("element", ELEMENT)
    _side = vocab_validator("side", SIDE)
    _text = text_validator("location", "portion", "condition", "custodian", "notes")
    _id = id_validator("id", "operation_id")
    _date = date_validator("recovered_on")

    @field_validator("other_ids", mode="before")
    @classmethod
    def _others(cls, value: object) -> object:
        if value is None:
            return None
        parts = [p for p in (as_id(x) for x in str(value).replace(",", ";").split(";")) if p]
        return ";".join(parts) or None


class CustodyEventBase(Record):
    item_id: str = Field(index=True, max_length=64)
    event: str = Field(max_length=16)
    at: str = Field(max_length=19)
    from_party: str | None = None
    to_party: str | None = None
    place: str | None = None
    notes: str | None = None


class CustodyEvent(CustodyEventBase, table=True):
    """One hand-over or handling of a specimen or sample (ISO/IEC 17025 chain of custody)."""

    __tablename__ = "custody_event"
    __table_args__ = (UniqueConstraint("item_id", "event", "at"),)
    id: int | None = Field(default=None, primary_key=True)
    version: int = 1


class CustodyEventCreate(CustodyEventBase):
    _event = vocab_validator("event", CUSTODY_EVENT)
    _text = text_validator("from_party", "to_party", "place", "notes")
    _id = id_validator("item_id")

    @field_validator("at", mode="before")
    @classmethod
    def _at(cls, value: object) -> object:
        return as_datetime(value)
