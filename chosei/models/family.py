"""Family trees: the people of a victim's family with their parents and sex.

One row per person of the family owned by a victim (`victim_id`): a label unique in
that family, the labels of the father and mother (both or neither: a founder), the
sex, and the Relative ID when the person is a relative who may give DNA. A relative
is placed at most once in all the trees of the store. A label equal to a Victim ID is
that victim: the owner's own label, or another victim of the same family (brothers who
died together).
"""

from __future__ import annotations

from sqlmodel import Field, UniqueConstraint

from chosei.models._base import Record, id_validator, text_validator, vocab_validator
from chosei.vocab import SEX


class FamilyPersonBase(Record):
    victim_id: str = Field(foreign_key="victim.id", index=True, max_length=64)
    label: str = Field(max_length=64)
    father: str | None = Field(default=None, max_length=64)
    mother: str | None = Field(default=None, max_length=64)
    sex: str | None = Field(default=None, max_length=1)
    relative_id: str | None = Field(default=None, foreign_key="relative.id", unique=True, max_length=64)
    notes: str | None = None


class FamilyPerson(FamilyPersonBase, table=True):
    __tablename__ = "family_person"
    __table_args__ = (UniqueConstraint("victim_id", "label"),)
    id: int | None = Field(default=None, primary_key=True)
    version: int = 1


class FamilyPersonCreate(FamilyPersonBase):
    _sex = vocab_validator("sex", SEX)
    _text = text_validator("notes")
    _id = id_validator("victim_id", "label", "father", "mother", "relative_id")
