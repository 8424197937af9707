"""DNA typing results and the population data the kinship maths needs.

`Genotype` holds one marker of one sample: autosomal STRs carry two alleles (either may
be missing in a partial profile), Y-STRs one (two for multi-copy loci such as DYS385),
and the `mtDNA` row the haplotype's variants in `allele1`.
"""

from __future__ import annotations

from sqlmodel import Field, UniqueConstraint

from chosei.models._base import Record


class GenotypeBase(Record):
    """A genotype's fields and limits: the table's and the import's (`exchange.row_models`)."""

    sample_id: str = Field(foreign_key="sample.id", index=True, max_length=64)
    marker: str = Field(max_length=32)
    allele1: str | None = None
    allele2: str | None = None


class Genotype(GenotypeBase, table=True):
    __tablename__ = "genotype"
    __table_args__ = (UniqueConstraint("sample_id", "marker"),)
    id: int | None = Field(default=None, primary_key=True)
    version: int = 1


class AlleleFrequencyBase(Record):
    population: str = Field(max_length=32, index=True)
    marker: str = Field(max_length=32)
    allele: str = Field(max_length=16)
    frequency: float = Field(ge=0, le=1)
    sample_size: int | None = Field(default=None, ge=1)


class AlleleFrequency(AlleleFrequencyBase, table=True):
    __tablename__ = "allele_frequency"
    __table_args__ = (UniqueConstraint("population", "marker", "allele"),)
    id: int | None = Field(default=None, primary_key=True)
    version: int = 1


class HaplotypeCountBase(Record):
    population: str = Field(max_length=32, index=True)
    kind: str = Field(max_length=2)
    haplotype: str
    count: int = Field(ge=0)


class HaplotypeCount(HaplotypeCountBase, table=True):
    """A Y-STR or mtDNA reference database: how often each haplotype was seen."""

    __tablename__ = "haplotype_count"
    __table_args__ = (UniqueConstraint("population", "kind", "haplotype"),)
    id: int | None = Field(default=None, primary_key=True)
    version: int = 1
