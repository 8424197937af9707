"""Validating models for the tables whose rows only arrive in workbooks.

Profiles, frequencies, haplotype counts and identification decisions have no `XCreate`
in `chosei.models` (no command adds them one by one); these play that part for the
import. Values reach them already read by `cells.cell_reader`. Their limits (lengths,
bounds) are the table models' own, restated: tests/exchange/test_row_models.py compares
each field's with its table's, so a limit changed on one side fails there.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from chosei.exchange import genetics
from chosei.i18n import _
from chosei.models._base import (
    as_id,
    blank_to_none,
    date_validator,
    id_validator,
    row_rule,
    text_validator,
    vocab_validator,
)
from chosei.vocab import HAPLOTYPE_KIND, IDENTIFICATION_STATUS


class _Row(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)


class GenotypeRow(_Row):
    sample_id: str = Field(max_length=64)
    marker: str = Field(max_length=32)
    allele1: str | None = None
    allele2: str | None = None

    @field_validator("sample_id", mode="before")
    @classmethod
    def _id(cls, value: object) -> object:
        return as_id(value)

    @field_validator("marker", mode="before")
    @classmethod
    def _marker(cls, value: object) -> object:
        return None if value is None else genetics.canonical_marker(value)

    @field_validator("allele1", "allele2", mode="before")
    @classmethod
    def _allele(cls, value: object, info: ValidationInfo) -> object:
        value = blank_to_none(value)
        marker = info.data.get("marker")
        if value is None or marker is None:
            return value
        if marker == genetics.MT:
            # Allele 2 of an mtDNA row: the ranges read (a difference outside them is none)
            return genetics.mt_ranges(value) if info.field_name == "allele2" else genetics.mt_haplotype(value)
        return genetics.canonical_allele(value, marker)

    @model_validator(mode="after")
    def _some_allele(self) -> GenotypeRow:
        if self.allele1 is None and self.allele2 is not None:
            if self.marker == genetics.MT:
                raise ValueError(_("an mtDNA row holds its variants in Allele 1 (Allele 2: the ranges read); "
                                   "fill Allele 1"))
            self.allele1, self.allele2 = self.allele2, None
        if self.allele1 is None:
            raise ValueError(_("marker {marker} has no allele: fill Allele 1, or leave the marker out of "
                               "the sheet").format(marker=self.marker))
        return self


class FrequencyRow(_Row):
    population: str = Field(max_length=32)
    marker: str = Field(max_length=32)
    allele: str = Field(max_length=16)
    frequency: float = Field(ge=0, le=1)
    sample_size: int | None = Field(default=None, ge=1)

    _text = text_validator("population", "marker", "allele")


class HaplotypeRow(_Row):
    population: str = Field(max_length=32)
    kind: str = Field(max_length=2)
    haplotype: str
    count: int = Field(ge=0)

    _text = text_validator("population", "haplotype")
    _kind = vocab_validator("kind", HAPLOTYPE_KIND)


def _candidate_by_default(values: dict[str, Any]) -> dict[str, Any] | None:
    return {"status": "candidate"} if values["status"] is None else None


class IdentificationRow(_Row):
    specimen_id: str = Field(max_length=64)
    victim_id: str = Field(max_length=64)
    lr: float | None = Field(default=None, ge=0)
    posterior: float | None = Field(default=None, ge=0, le=1)
    method: str | None = None
    status: str | None = Field(default="candidate", max_length=16)
    decided_on: str | None = Field(default=None, max_length=10)
    decided_by: str | None = None
    notes: str | None = None

    _status = vocab_validator("status", IDENTIFICATION_STATUS)
    _text = text_validator("method", "decided_by", "notes")
    _ids = id_validator("specimen_id", "victim_id")
    _date = date_validator("decided_on")
    _default_status = row_rule(_candidate_by_default)
