"""DNA samples, from a specimen (bone, tooth) or from a relative (saliva, swab, blood).

A sample moves along a documented graph of statuses; see `chosei.rules.SAMPLE_TRANSITIONS`.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import CheckConstraint, Field

from chosei.i18n import _
from chosei.models._base import (
    Record,
    date_validator,
    id_validator,
    plausible,
    row_rule,
    text_validator,
    vocab_validator,
)
from chosei.plausible import sample_type_problem
from chosei.vocab import SAMPLE_STATUS, SAMPLE_TYPE


class SampleBase(Record):
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


def _one_source(values: dict[str, Any]) -> dict[str, Any] | None:
    if values["specimen_id"] and values["relative_id"]:
        raise ValueError(_("a sample comes from one specimen or one relative, not both"))
    plausible(("type", sample_type_problem(values["type"], values["specimen_id"],
                                           values["relative_id"])))
    return {"status": "planned"} if values["status"] is None else None


class SampleCreate(SampleBase):
    _type = vocab_validator("type", SAMPLE_TYPE)
    _status = vocab_validator("status", SAMPLE_STATUS)
    _text = text_validator("lab", "lab_ref", "notes")
    _id = id_validator("id", "specimen_id", "relative_id")
    _date = date_validator("collected_on", "status_date")
    _source = row_rule(_one_source)
