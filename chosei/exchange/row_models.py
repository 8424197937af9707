"""Validating models for the tables whose rows only arrive in workbooks.

Profiles, frequencies, haplotype counts and identification decisions have no `XCreate`
in `chosei.models` (no command adds them one by one); these play that part for the
import. Values reach them already read by `cells.cell_reader`. Their fields and limits
(lengths, bounds) are their tables' own: each subclasses its table's `XBase`
(`chosei.models`), as `XCreate` models do, and adds only how a cell is read.
"""

from __future__ import annotations

from pydantic import ValidationInfo, field_validator, model_validator
from sqlmodel.main import SQLModelConfig

from chosei.exchange import genetics
from chosei.i18n import _
from chosei.models._base import (
    as_id,
    blank_to_none,
    date_validator,
    id_validator,
    text_validator,
    vocab_validator,
)
from chosei.models.genetics import AlleleFrequencyBase, GenotypeBase, HaplotypeCountBase
from chosei.models.identification import IdentificationBase
from chosei.vocab import HAPLOTYPE_KIND, IDENTIFICATION_STATUS

# A cell's text is trimmed before its field's limits are checked.
_TRIMMED = SQLModelConfig(str_strip_whitespace=True)


class GenotypeRow(GenotypeBase):
    model_config = _TRIMMED

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


class FrequencyRow(AlleleFrequencyBase):
    model_config = _TRIMMED
    _text = text_validator("population", "marker", "allele")


class HaplotypeRow(HaplotypeCountBase):
    model_config = _TRIMMED
    _text = text_validator("population", "haplotype")
    _kind = vocab_validator("kind", HAPLOTYPE_KIND)


class IdentificationRow(IdentificationBase):
    """A blank or cleared status is a candidate's."""

    model_config = _TRIMMED
    _status = vocab_validator("status", IDENTIFICATION_STATUS, blank="candidate")
    _text = text_validator("method", "decided_by", "notes")
    _ids = id_validator("specimen_id", "victim_id")
    _date = date_validator("decided_on")
