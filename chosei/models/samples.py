"""DNA samples, from a specimen (bone, tooth) or from a relative (saliva, swab, blood).

A sample moves along a documented graph of statuses; see `chosei.rules.SAMPLE_TRANSITIONS`.
"""

from __future__ import annotations

from pydantic import field_validator, model_validator
from sqlmodel import CheckConstraint, Field, SQLModel

from chosei.models._base import as_date, as_id, text_validator, vocab_validator
from chosei.vocab import SAMPLE_STATUS, SAMPLE_TYPE


class SampleBase(SQLModel):
    id: str = Field(primary_key=True, max_length=64)
    specimen_id: str | None = Field(default=None, foreign_key="specimen.id", index=True)
    relative_id: str | None = Field(default=None, foreign_key="relative.id", index=True)
    type: str | None = Field(default=None, max_length=16)
    collected_on: str | None = Field(default=None, max_length=10)
    lab: str | None = Field(default=None, index=True)
    lab_ref: str | None = None
    status: str = Field(default="planned", max_length=16, index=True)
    status_date: str | None = Field(default=None, max_length=10)
    notes: str | None = None


class Sample(SampleBase, table=True):
    __tablename__ = "sample"
    __table_args__ = (
        CheckConstraint(
            "specimen_id IS NULL OR relative_id IS NULL", name="sample_one_source"
        ),
    )
    version: int = 1


class SampleCreate(SampleBase):
    _type = vocab_validator("type", SAMPLE_TYPE)
    _status = vocab_validator("status", SAMPLE_STATUS)
    _text = text_validator("lab", "lab_ref", "notes")

    @field_validator("id", "specimen_id", "relative_id", mode="before")
    @classmethod
    def _id(cls, value: object) -> object:
        return as_id(value)

    @field_validator("collected_on", "status_date", mode="before")
    @classmethod
    def _date(cls, value: object) -> object:
        return as_date(value)

    @model_validator(mode="after")
    def _one_source(self) -> SampleCreate:
        if self.specimen_id and self.relative_id:
            raise ValueError("a sample comes from one specimen or one relative, not both")
        if self.status is None:
            self.status = "planned"
        return self
