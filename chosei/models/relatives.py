"""Relatives of victims (potential reference donors) and their consents.

Consent is per purpose and per agency: one row per scope (`analysis`, `share:KR`,
`share:JP`), each with the day it was given and, once withdrawn, the day of withdrawal.
"""

from __future__ import annotations

from pydantic import field_validator
from sqlmodel import Field, UniqueConstraint

from chosei.models._base import SENSITIVE, Record, date_validator, id_validator, text_validator, vocab_validator
from chosei.vocab import RELATIONSHIP, SEX

CONSENT_SCOPES = ("analysis", "share:KR", "share:JP")


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


class RelativeCreate(RelativeBase):
    _rel = vocab_validator("relationship", RELATIONSHIP)
    _sex = vocab_validator("sex", SEX)
    _text = text_validator("name", "contact", "notes")
    _id = id_validator("id", "victim_id")


class ConsentBase(Record):
    relative_id: str = Field(foreign_key="relative.id", index=True, max_length=64)
    scope: str = Field(max_length=16)
    given_on: str | None = Field(default=None, max_length=10)
    withdrawn_on: str | None = Field(default=None, max_length=10)


class Consent(ConsentBase, table=True):
    __tablename__ = "consent"
    __table_args__ = (UniqueConstraint("relative_id", "scope"),)
    id: int | None = Field(default=None, primary_key=True)
    version: int = 1


class ConsentCreate(ConsentBase):
    @field_validator("scope", mode="before")
    @classmethod
    def _scope(cls, value: object) -> object:
        text = str(value).strip()
        for scope in CONSENT_SCOPES:
            if text.casefold() == scope.casefold():
                return scope
        raise ValueError(f"'{text}' is not a consent scope; expected one of: {', '.join(CONSENT_SCOPES)}")

    _dates = date_validator("given_on", "withdrawn_on")
