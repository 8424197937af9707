"""Kinship matches computed by `chosei match run` and the decisions people take on them.

`MatchResult` holds every computed (specimen, victim) pair of the latest run; the
numbers are the tracker's. `Identification` holds the candidates and the people's
decisions (confirmed, rejected); nothing is ever confirmed automatically.
`DnaGroup` records which specimens DNA re-associates into one individual.
"""

from __future__ import annotations

from sqlmodel import Field, UniqueConstraint

from chosei.models._base import Record


class MatchResult(Record, table=True):
    __tablename__ = "match_result"
    # The unique constraint's index, (specimen_id, victim_id), serves lookups by specimen.
    __table_args__ = (UniqueConstraint("specimen_id", "victim_id"),)
    id: int | None = Field(default=None, primary_key=True)
    specimen_id: str = Field(foreign_key="specimen.id", max_length=64)
    victim_id: str = Field(foreign_key="victim.id", index=True, max_length=64)
    sample_id: str | None = Field(default=None, max_length=64)
    lr: float
    autosomal_lr: float | None = None
    y_lr: float | None = None
    mt_lr: float | None = None
    snp_lr: float | None = None  # dense SNPs; where present it stands for the autosomal LR in `lr`
    posterior: float | None = None
    excluded_markers: str | None = None
    computed_at: str = Field(max_length=32)
    parameters: str | None = None
    version: int = 1


class IdentificationBase(Record):
    """An identification's fields and limits: the table's and the import's (`exchange.row_models`)."""

    specimen_id: str = Field(foreign_key="specimen.id", index=True, max_length=64)
    victim_id: str = Field(foreign_key="victim.id", index=True, max_length=64)
    lr: float | None = Field(default=None, ge=0)
    posterior: float | None = Field(default=None, ge=0, le=1)
    method: str | None = None
    status: str = Field(default="candidate", max_length=16, index=True)  # vocab.IDENTIFICATION_STATUS
    decided_on: str | None = Field(default=None, max_length=10)
    decided_by: str | None = None
    notes: str | None = None


class Identification(IdentificationBase, table=True):
    __tablename__ = "identification"
    __table_args__ = (UniqueConstraint("specimen_id", "victim_id"),)
    id: int | None = Field(default=None, primary_key=True)
    # Why people confirmed a pair the DNA excludes or does not single out (`--override`).
    override: str | None = None
    version: int = 1


class DnaGroup(Record, table=True):
    __tablename__ = "dna_group"
    specimen_id: str = Field(foreign_key="specimen.id", primary_key=True, max_length=64)
    group_id: str = Field(max_length=64, index=True)
    version: int = 1
