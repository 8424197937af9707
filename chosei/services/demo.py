"""`chosei demo`: fill a store of its own with the fictional demo case.

Rows go through the same `XCreate` validation as anything a user types, and through
the ORM, so the audit log records the demo like any other change. A store that already
holds the demo is emptied (through the ORM too, so the deletions are logged) and
rebuilt; a store holding a real case, or data without a case, is refused.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session, SQLModel, select

from chosei.demo import build_world
from chosei.errors import AlreadyExists
from chosei.i18n import N_, _
from chosei.models import (
    AlleleFrequency,
    CaseInfo,
    ConsentEvent,
    CustodyEvent,
    DnaGroup,
    Genotype,
    HaplotypeCount,
    Identification,
    MatchResult,
    Operation,
    Relative,
    Retraction,
    Sample,
    Specimen,
    Victim,
    VictimName,
)
from chosei.models.recovery import CustodyEventCreate, OperationCreate, SpecimenCreate
from chosei.models.relatives import ConsentEventCreate, RelativeCreate
from chosei.models.samples import SampleCreate
from chosei.models.victims import VictimCreate, VictimNameCreate
from chosei.services.case import get_case, init_case, is_empty
from chosei.services.match_digest import DIGEST_COLUMNS, record_run

DEMO_NAME = "Chosei demo case (fictional)"
OWN_STORE = N_("the demo needs a store of its own: use another --db, e.g. `chosei --db demo.db demo`")

# Children before parents: the order rows are deleted in (and, reversed, created in).
_TABLES: tuple[type[SQLModel], ...] = (
    Retraction, MatchResult, DnaGroup, Identification, Genotype, HaplotypeCount, AlleleFrequency,
    CustodyEvent, Sample, Specimen, Operation, ConsentEvent, Relative, VictimName, Victim, CaseInfo,
)


def _clear_or_refuse(session: Session) -> None:
    case = get_case(session)
    if case is None:
        if not is_empty(session):
            raise AlreadyExists(_("this store holds data but no case; {own_store}").format(own_store=_(OWN_STORE)))
        return
    if not case.demo:
        raise AlreadyExists(_("this store holds the case '{case_name}', not a demo; {own_store}").format(
                                case_name=case.name, own_store=_(OWN_STORE)))
    for table in _TABLES:
        rows = session.exec(select(table)).all()
        for row in rows:
            session.delete(row)
        session.flush()  # one table at a time: no relationships tell the ORM the FK order
        if table is MatchResult and rows:  # not audited row by row: the log learns they are gone
            record_run(session, datetime.now(UTC).isoformat(timespec="seconds"), DIGEST_COLUMNS,
                       [[] for _ in DIGEST_COLUMNS])


def _validated(create: type[SQLModel], table: type[SQLModel], rows: list[dict[str, Any]]
               ) -> list[SQLModel]:
    return [table.model_validate(create.model_validate(row)) for row in rows]


def build_demo(session: Session, *, seed: int = 1942) -> dict[str, int]:
    """Build the demo case from `seed`; return how many rows of each kind it holds."""
    _clear_or_refuse(session)
    init_case(session, DEMO_NAME, demo=True)
    world = build_world(seed)
    groups: list[tuple[str, list[SQLModel]]] = [
        (N_("victims"), _validated(VictimCreate, Victim, world.victims)),
        (N_("name variants"), _validated(VictimNameCreate, VictimName, world.names)),
        (N_("relatives"), _validated(RelativeCreate, Relative, world.relatives)),
        (N_("consents"), _validated(ConsentEventCreate, ConsentEvent, world.consents)),
        (N_("operations"), _validated(OperationCreate, Operation, world.operations)),
        (N_("specimens"), _validated(SpecimenCreate, Specimen, world.specimens)),
        (N_("samples"), _validated(SampleCreate, Sample, world.samples)),
        (N_("custody events"), _validated(CustodyEventCreate, CustodyEvent, world.custody)),
        # Typing results and population tables have no user-facing Create model.
        (N_("allele frequencies"), [AlleleFrequency(**r) for r in world.frequencies]),
        (N_("haplotypes"), [HaplotypeCount(**r) for r in world.haplotypes]),
        (N_("genotypes"), [Genotype(**r) for r in world.genotypes]),
        (N_("identifications"), [Identification(**r) for r in world.identifications]),
    ]
    summary = {}
    for label, rows in groups:
        session.add_all(rows)
        session.flush()
        summary[label] = len(rows)
    return summary
