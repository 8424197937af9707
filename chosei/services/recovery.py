"""Recovery operations (dives) and the specimens they bring up.

Custody events name items by ID, and a specimen may also be named by its other IDs
(police or lab numbers), so one ID names at most one item: a specimen's ID or other ID
may not be another specimen's, nor a sample's.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session, col

from chosei.custody import find_gaps
from chosei.errors import AlreadyExists, InvalidInput
from chosei.i18n import _
from chosei.models import CustodyEvent, Identification, Operation, Sample, Specimen
from chosei.models.recovery import OperationCreate, SpecimenCreate
from chosei.plausible import recovery_problem
from chosei.services.edits import Change, update_row
from chosei.services.lookup import ensure_absent, get_operation, get_specimen, item_id_taken, plain
from chosei.services.validation import parse_term, validate
from chosei.vocab import ELEMENT, SIDE

OPERATION_FIELDS = tuple(f for f in OperationCreate.model_fields if f != "id")
SPECIMEN_FIELDS = tuple(f for f in SpecimenCreate.model_fields if f != "id")


def add_operation(session: Session, data: OperationCreate | Mapping[str, Any]) -> Operation:
    new = validate(OperationCreate, data)
    ensure_absent(session, Operation, "operation", new.id, _("`chosei operation list` shows it"))
    operation = Operation.model_validate(new.model_dump())
    session.add(operation)
    session.flush()
    return operation


def update_operation(
    session: Session, ident: str, changes: Mapping[str, Any], clear: Iterable[str] = ()
) -> tuple[Operation, list[Change]]:
    """Set the fields in `changes`, empty those in `clear`; the rest stay as they are."""
    operation = get_operation(session, ident)

    def check(new: OperationCreate) -> None:
        for spec_id, recovered in session.execute(
                select(col(Specimen.id), col(Specimen.recovered_on)).where(
                    col(Specimen.operation_id) == operation.id).order_by(Specimen.recovered_on)):
            problem = recovery_problem(recovered, operation.id, new.date)
            if problem:
                raise InvalidInput(_("date: specimen {spec_id} was recovered on {recovered}, before {new_date}: "
                                     "correct one of the two dates").format(
                                       spec_id=spec_id, recovered=recovered, new_date=new.date))

    return operation, update_row(session, operation, OperationCreate, "operation",
                                 OPERATION_FIELDS, changes, clear, check=check)


def list_operations(session: Session) -> list[dict[str, Any]]:
    """Operations by date (undated last), each with how many specimens it recovered."""
    counts = dict(session.execute(
        select(col(Specimen.operation_id), func.count()).group_by(Specimen.operation_id)
    ).all())
    ops = session.execute(
        select(Operation).order_by(col(Operation.date).is_(None), col(Operation.date), Operation.id)
    ).scalars()
    return [{**plain(op), "specimens": counts.get(op.id, 0)} for op in ops]


def add_specimen(session: Session, data: SpecimenCreate | Mapping[str, Any]) -> Specimen:
    """Add a recovered specimen; its ID and other IDs must name no other item."""
    new = validate(SpecimenCreate, data)
    ensure_absent(session, Specimen, "specimen", new.id,
                  _("`chosei specimen show {new_id}` shows it").format(new_id=new.id))
    _check_specimen(session, new, [new.id])
    specimen = Specimen.model_validate(new.model_dump())
    session.add(specimen)
    session.flush()
    return specimen


def _check_specimen(
    session: Session, new: SpecimenCreate, fresh: Iterable[str], own: Iterable[str] = ()
) -> None:
    """Other IDs without repeats nor the specimen's own ID; each ID in `fresh` and each
    other ID not in `own` (those it already has) names no other item; the operation exists."""
    others = [o for o in dict.fromkeys((new.other_ids or "").split(";")) if o and o != new.id]
    new.other_ids = ";".join(others) or None
    mine = set(own)
    for ident in [*fresh, *others]:
        taken = None if ident in mine else item_id_taken(session, ident)
        if taken:
            raise AlreadyExists(_("{ident} already names {taken}; one ID may name one item only").format(
                                    ident=ident, taken=taken))
    if new.operation_id:
        operation = get_operation(session, new.operation_id)
        new.operation_id = operation.id
        problem = recovery_problem(new.recovered_on, operation.id, operation.date)
        if problem:
            raise InvalidInput(_("recovered on: {problem}").format(problem=problem))


def update_specimen(
    session: Session, ident: str, changes: Mapping[str, Any], clear: Iterable[str] = ()
) -> tuple[Specimen, list[Change]]:
    """Set the fields in `changes`, empty those in `clear`; the rest stay as they are.

    The specimen may be named by an other ID; new other IDs must name no other item.
    """
    specimen = get_specimen(session, ident)
    return specimen, update_row(
        session, specimen, SpecimenCreate, "specimen", SPECIMEN_FIELDS, changes, clear,
        check=lambda new: _check_specimen(
            session, new, [], (specimen.other_ids or "").split(";")),
    )


def list_specimens(
    session: Session, element: str | None = None, side: str | None = None, *,
    operation: str | None = None,
) -> list[Specimen]:
    """Specimens by ID, filtered in SQL by bone, side and the operation that recovered
    them (an unknown operation is an error)."""
    query = select(Specimen).order_by(Specimen.id)
    element_code = parse_term(ELEMENT, element)
    side_code = parse_term(SIDE, side)
    if element_code:
        query = query.where(col(Specimen.element) == element_code)
    if side_code:
        query = query.where(col(Specimen.side) == side_code)
    if operation is not None:
        query = query.where(col(Specimen.operation_id) == get_operation(session, operation).id)
    return list(session.execute(query).scalars())


def operation_detail(session: Session, ident: str) -> dict[str, Any]:
    """An operation with the specimens it recovered, by ID."""
    operation = get_operation(session, ident)
    return {"operation": plain(operation),
            "specimens": [plain(sp, include=("id", "recovered_on", "element", "side", "depth_m",
                                             "custodian"))
                          for sp in list_specimens(session, operation=operation.id)]}


def specimen_detail(session: Session, ident: str) -> dict[str, Any]:
    """A specimen (found by its ID or an other ID) with its samples, custody and identifications."""
    specimen = get_specimen(session, ident)
    samples = session.execute(
        select(Sample).where(col(Sample.specimen_id) == specimen.id).order_by(Sample.id)
    ).scalars()
    events = list(session.execute(
        select(CustodyEvent).where(col(CustodyEvent.item_id) == specimen.id)
        .order_by(CustodyEvent.at, col(CustodyEvent.id))
    ).scalars())
    gaps = find_gaps(specimen.id, events)
    holder = next((e.to_party for e in reversed(events) if e.to_party), None)
    idents = session.execute(
        select(Identification).where(col(Identification.specimen_id) == specimen.id)
        .order_by(Identification.victim_id)
    ).scalars()
    return {
        "specimen": plain(specimen),
        "samples": [plain(s, include=("id", "type", "status", "status_date", "lab", "lab_ref"))
                    for s in samples],
        "custody": {
            "events": len(events),
            "first": f"{events[0].event} {events[0].at}" if events else None,
            "last": f"{events[-1].event} {events[-1].at}" if events else None,
            "holder": holder,
            "gaps": [g.message for g in gaps],
        },
        "identifications": [plain(i, exclude={"id"}) for i in idents],
    }

