"""Kinship mathematics for the Chosei identifications: pure Python and numpy/scipy.

No database, no terminal: callers (the store services, the CLI) pass profiles in and
get result objects back; errors are `errors.KinshipError` (a `ValueError`).

Modules, one concept each: `markers` (marker names: the store's spelling and the
engine's key), `genotypes` (alleles, genotypes, profiles), `frequencies` (allele frequency
tables, minimum frequencies), `mutation` (mutation models), `dropout` (dropout and drop-in
in a degraded specimen's observation), `paths` (relationship paths), `pedigree`
(pedigrees from relationship paths), `likelihood` (the
exact pedigree likelihood engine), `autosomal` (the kinship LR), `haplotypes` (Y-STR and
mtDNA haplotypes and their databases), `lineage` (the Y-STR and mtDNA LRs), `posterior`
(closed-set posteriors), `reassociation` (commingled remains), `assignment` (the joint
assignment of remains to victims), `genotype_index`, `batch` and `pairwise` (vectorised
matching); inside the engine, `peeling` (theta = 0), `ibd` (theta > 0 without mutation),
`flows` and `urn` (theta > 0 with mutation) and `contraction` (gene-level networks).
Dense SNPs: `snp_linkage` (inheritance vectors, Lander–Green) and `snp_lr` (the linked
SNP LR, batched).
"""

from chosei.kinship.autosomal import KinshipResult, MarkerResult, Relative, kinship_lr
from chosei.kinship.batch import BatchResult, Family, match_batch
from chosei.kinship.errors import (
    ComplexityError,
    InconsistentFamilyError,
    KinshipError,
    KinshipInputError,
    UnknownMarkerError,
)
from chosei.kinship.frequencies import DEFAULT_FLOOR, FrequencyTable
from chosei.kinship.genotypes import Genotype, parse_genotype, parse_profile
from chosei.kinship.haplotypes import HaplotypeDatabase, MtHaplotype, YHaplotype, clopper_pearson_upper
from chosei.kinship.lineage import (
    LineageBatch,
    LineageFamily,
    LineageRelative,
    LineageResult,
    combined_lr,
    mt_lr,
    mt_lr_batch,
    y_clans,
    y_lr,
    y_lr_batch,
)
from chosei.kinship.mutation import MutationModel
from chosei.kinship.pairwise import PairwiseBlock, pairwise_lr
from chosei.kinship.pedigree import RELATIONSHIPS, Pedigree, build_pedigree
from chosei.kinship.posterior import CANDIDATE_LR_FLOOR, STRONG_LR, ClosedSet, closed_set, is_candidate
from chosei.kinship.reassociation import (
    DEFAULT_REASSOCIATION_LR,
    DirectMatch,
    Reassociation,
    direct_match,
    group_specimens,
)

__all__ = [
    "CANDIDATE_LR_FLOOR",
    "ClosedSet",
    "DEFAULT_FLOOR",
    "DEFAULT_REASSOCIATION_LR",
    "RELATIONSHIPS",
    "STRONG_LR",
    "BatchResult",
    "ComplexityError",
    "DirectMatch",
    "Family",
    "FrequencyTable",
    "Genotype",
    "HaplotypeDatabase",
    "InconsistentFamilyError",
    "KinshipError",
    "KinshipInputError",
    "KinshipResult",
    "LineageBatch",
    "LineageFamily",
    "LineageRelative",
    "LineageResult",
    "MarkerResult",
    "MtHaplotype",
    "MutationModel",
    "PairwiseBlock",
    "Pedigree",
    "Reassociation",
    "Relative",
    "UnknownMarkerError",
    "YHaplotype",
    "build_pedigree",
    "clopper_pearson_upper",
    "combined_lr",
    "direct_match",
    "group_specimens",
    "closed_set",
    "is_candidate",
    "kinship_lr",
    "match_batch",
    "mt_lr",
    "mt_lr_batch",
    "pairwise_lr",
    "parse_genotype",
    "parse_profile",
    "y_clans",
    "y_lr",
    "y_lr_batch",
]
