"""Dense SNP data: population site tables and samples' calls, stored compactly.

`SnpSite` is one biallelic SNP of a population's table (ALT frequency, map position).
A sample's calls are ONE `SnpCalls` row per sample and panel: `calls` holds one int8
per site of the panel (0, 1, 2 ALT copies; -1 no call), aligned with the panel's site
list in `SnpPanel.sites` -- ten thousand calls are ten kilobytes, not ten thousand rows.
These tables are not in `AUDITED`: an import writes one audit entry per sample with a
digest of its calls (the calls themselves never enter the audit trail).
"""

from __future__ import annotations

from sqlmodel import Column as SaColumn
from sqlmodel import Field, LargeBinary, UniqueConstraint

from chosei.models._base import Record


class SnpSite(Record, table=True):
    __tablename__ = "snp_site"
    __table_args__ = (UniqueConstraint("population", "chrom", "pos"),)
    id: int | None = Field(default=None, primary_key=True)
    population: str = Field(max_length=32, index=True)
    chrom: str = Field(max_length=8)
    pos: int = Field(ge=1)
    snp_id: str | None = Field(default=None, max_length=64)
    ref: str = Field(max_length=1)
    alt: str = Field(max_length=1)
    af: float = Field(gt=0, lt=1)
    cm: float | None = None


class SnpPanel(Record, table=True):
    """A list of sites (``chrom:pos:ref:alt`` lines, UTF-8, newline-joined); its id is
    a digest of that list, so equal lists are one panel."""

    __tablename__ = "snp_panel"
    id: str = Field(primary_key=True, max_length=16)
    n_sites: int = Field(ge=1)
    sites: bytes = Field(sa_column=SaColumn(LargeBinary, nullable=False))


class SnpCalls(Record, table=True):
    __tablename__ = "snp_calls"
    __table_args__ = (UniqueConstraint("sample_id", "panel_id"),)
    id: int | None = Field(default=None, primary_key=True)
    sample_id: str = Field(foreign_key="sample.id", index=True, max_length=64)
    panel_id: str = Field(foreign_key="snp_panel.id", max_length=16)
    calls: bytes = Field(sa_column=SaColumn(LargeBinary, nullable=False))
    n_called: int = Field(ge=0)
    digest: str = Field(max_length=64)
    source: str | None = Field(default=None, max_length=255)
