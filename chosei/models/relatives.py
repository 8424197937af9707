"""Relatives of victims (potential reference donors) and their consents.

Consent is per purpose and per agency (`analysis`, `share:KR`, `share:JP`) and kept as
history: each consent given and each withdrawal is its own `ConsentEvent` row, with its
date, the agency that took it and the reference of the signed form. Rows are only added;
what is in effect is computed from them (`chosei.consent`).
"""

from __future__ import annotations

from typing import Any

from pydantic import field_validator
from sqlmodel import Field

from chosei.i18n import _
from chosei.models._base import (
    SENSITIVE,
    Record,
    date_validator,
    id_validator,
    plausible,
    row_rule,
    text_validator,
    vocab_validator,
)
from chosei.plausible import birth_year_problem, relationship_sex_problem
from chosei.vocab import CONSENT_SCOPE, RELATIONSHIP, SEX

CONSENT_EVENTS = ("given", "withdrawn")


class RelativeBase(Record):
    id: str = Field(primary_key=True, max_length=64)
    victim_id: str = Field(foreign_key="victim.id", index=True, max_length=64)
    relationship: str = Field(max_length=200)  # a path of up to 8 steps
    name: str | None = None
    sex: str | None = Field(default=None, max_length=1)
    birth_year: int | None = Field(default=None, ge=1850, le=2100)
    contact: str | None = Field(default=None, schema_extra=SENSITIVE)
    notes: str | None = None


class Relative(RelativeBase, table=True):
    __tablename__ = "relative"
    version: int = 1


def _sex_fits(values: dict[str, Any]) -> None:
    born = values["birth_year"]
    plausible(("sex", relationship_sex_problem(values["relationship"], values["sex"])),
              ("birth_year", None if born is None else birth_year_problem(born)))


class RelativeCreate(RelativeBase):
    _rel = vocab_validator("relationship", RELATIONSHIP)
    _sex = vocab_validator("sex", SEX)
    _text = text_validator("name", "contact", "notes")
    _id = id_validator("id", "victim_id")
    _sex_fits = row_rule(_sex_fits)


class ConsentEventBase(Record):
    relative_id: str = Field(foreign_key="relative.id", index=True, max_length=64)
    scope: str = Field(max_length=16)
    event: str = Field(default="given", max_length=10)
    date: str | None = Field(default=None, max_length=10)
    agency: str | None = None
    form_ref: str | None = None


class ConsentEvent(ConsentEventBase, table=True):
    """One consent given or withdrawn: rows are only ever added (`chosei.consent`)."""

    __tablename__ = "consent_event"
    id: int | None = Field(default=None, primary_key=True)
    version: int = 1


def _withdrawal_dated(values: dict[str, Any]) -> None:
    if values["event"] == "withdrawn" and values["date"] is None:
        raise ValueError(_("a withdrawal needs its date"))


class ConsentEventCreate(ConsentEventBase):
    # One scope per event, read as the vocabulary reads each term of a scope cell.
    _scope = vocab_validator("scope", CONSENT_SCOPE, parse=CONSENT_SCOPE.parse_term)

    @field_validator("event", mode="before")
    @classmethod
    def _event(cls, value: object) -> object:
        if value not in CONSENT_EVENTS:
            raise ValueError(_("'{value}' is not a consent event; expected given or withdrawn").format(value=value))
        return value

    _dates = date_validator("date")
    _text = text_validator("agency", "form_ref")
    _dated = row_rule(_withdrawal_dated)
