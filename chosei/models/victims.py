"""Victims and their name variants. Every name carries the script it is written in."""

from __future__ import annotations

from typing import Any

from sqlmodel import Field, UniqueConstraint

from chosei.i18n import _
from chosei.models._base import (
    Record,
    id_validator,
    plausible,
    row_rule,
    text_validator,
    vocab_validator,
    written_date_validator,
)
from chosei.plausible import script_problem, victim_age_problem, victim_birth_problem
from chosei.vocab import NATIONALITY, SCRIPT, SEX

NAME_FIELDS = ("name_hangul", "name_hanja", "name_japanese", "name_reading", "name_latin")


class VictimBase(Record):
    id: str = Field(primary_key=True, max_length=64)
    nationality: str = Field(max_length=2, index=True)
    name_hangul: str | None = None
    name_hanja: str | None = None
    name_japanese: str | None = None
    name_reading: str | None = None
    name_latin: str | None = None
    sex: str | None = Field(default=None, max_length=1)
    birth_date: str | None = Field(default=None, max_length=10)
    # The birth date as the source wrote it, when that says more than `birth_date`: an
    # era (大正4年3月2日) or an approximation (1915年頃, circa 1915). Set from `birth_date`.
    birth_date_written: str | None = Field(default=None, max_length=64)
    age_at_death: int | None = Field(default=None, ge=0, le=120)
    domicile: str | None = None
    address: str | None = None
    sources: str | None = None
    notes: str | None = None


class Victim(VictimBase, table=True):
    __tablename__ = "victim"
    version: int = 1


def _needs_a_name(values: dict[str, Any]) -> None:
    if not any(values[f] for f in NAME_FIELDS):
        raise ValueError(_("a victim needs at least one name (hangul, hanja, japanese, reading or latin)"))


# The script each name field holds (`plausible.script_problem`).
NAME_SCRIPTS = {"name_hangul": "hangul", "name_hanja": "hanja", "name_japanese": "japanese",
                "name_reading": "kana", "name_latin": "latin"}


def _plausible(values: dict[str, Any]) -> None:
    plausible(
        *((f, script_problem(values[f], script)) for f, script in NAME_SCRIPTS.items()),
        ("birth_date", victim_birth_problem(values["birth_date"])),
        ("age_at_death", victim_age_problem(values["birth_date"], values["age_at_death"])),
    )


def _name_script(values: dict[str, Any]) -> None:
    plausible(("name", script_problem(values["name"], values["script"])))


class VictimCreate(VictimBase):
    _nat = vocab_validator("nationality", NATIONALITY)
    _sex = vocab_validator("sex", SEX)
    _text = text_validator(*NAME_FIELDS, "domicile", "address", "sources", "notes")
    _id = id_validator("id")
    _written, _birth = written_date_validator("birth_date", "birth_date_written")
    _named = row_rule(_needs_a_name)
    _plausible = row_rule(_plausible)


class VictimNameBase(Record):
    victim_id: str = Field(foreign_key="victim.id", index=True, max_length=64)
    name: str
    script: str | None = Field(default=None, max_length=16)
    source: str | None = None


class VictimName(VictimNameBase, table=True):
    """An extra spelling of a victim's name, from one source."""

    __tablename__ = "victim_name"
    __table_args__ = (UniqueConstraint("victim_id", "name"),)
    id: int | None = Field(default=None, primary_key=True)
    version: int = 1


class VictimNameCreate(VictimNameBase):
    _script = vocab_validator("script", SCRIPT)
    _text = text_validator("name", "source")
    _id = id_validator("victim_id")
    _in_script = row_rule(_name_script)
