"""The store's tables. Importing this package registers them all on `SQLModel.metadata`."""

from chosei.models._base import sensitive_fields
from chosei.models.audit import AuditEntry
from chosei.models.case import CaseInfo
from chosei.models.corrections import Retraction
from chosei.models.family import FamilyPerson
from chosei.models.genetics import AlleleFrequency, Genotype, HaplotypeCount
from chosei.models.identification import DnaGroup, Identification, MatchResult
from chosei.models.recovery import CustodyEvent, Operation, Specimen
from chosei.models.relatives import ConsentEvent, Relative
from chosei.models.samples import Sample
from chosei.models.snp import SnpCalls, SnpPanel, SnpSite
from chosei.models.victims import Victim, VictimName

# Tables whose every change is audited, in the order a restore would replay them.
AUDITED = (
    CaseInfo,
    Victim,
    VictimName,
    Relative,
    ConsentEvent,
    FamilyPerson,
    Operation,
    Specimen,
    Sample,
    CustodyEvent,
    Genotype,
    AlleleFrequency,
    HaplotypeCount,
    Identification,
    DnaGroup,
    Retraction,
)

# Fields declared sensitive on any audited table (`_base.SENSITIVE`): hidden in the audit
# log, in error messages, in import reports and from partners.
SENSITIVE_FIELDS: frozenset[str] = frozenset().union(*(sensitive_fields(m) for m in AUDITED))

__all__ = [
    "AUDITED",
    "AlleleFrequency",
    "AuditEntry",
    "CaseInfo",
    "ConsentEvent",
    "CustodyEvent",
    "DnaGroup",
    "FamilyPerson",
    "Genotype",
    "HaplotypeCount",
    "Identification",
    "MatchResult",
    "Operation",
    "Relative",
    "Retraction",
    "SENSITIVE_FIELDS",
    "Sample",
    "SnpCalls",
    "SnpPanel",
    "SnpSite",
    "Specimen",
    "Victim",
    "VictimName",
]
