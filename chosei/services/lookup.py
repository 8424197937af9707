"""Shared by the services: finding rows by ID, and a row as plain data.

Every lookup normalises the ID first (`ＣＨ－００１` is `CH-001`) and, when nothing
matches, raises `NotFound` suggesting the closest existing IDs. Turning bad values into
one-line errors is `services.validation`'s; which fields are sensitive, the models'.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, literal, select
from sqlmodel import Session, col

from chosei.errors import AlreadyExists, InvalidInput, NotFound
from chosei.i18n import N_, _
from chosei.models import Operation, Relative, Sample, Specimen, Victim
from chosei.vocab import normalize_id


def require_id(value: Any, kind: str) -> str:
    # Only normalised: an ID no row can have is simply not found (with the IDs close to it).
    ident = normalize_id(value, check=False)
    if not ident:
        raise InvalidInput(_("give the {kind}'s ID").format(kind=kind))
    return ident


# --- Lookups -----------------------------------------------------------------------


def _ids(session: Session, column: Any) -> list[str]:
    return list(session.execute(select(column).order_by(column)).scalars())


def _get(session: Session, model: Any, kind: str, ident: Any) -> Any:
    key = require_id(ident, kind)
    row = session.get(model, key)
    if row is None:
        raise NotFound.for_id(kind, key, _ids(session, model.id))
    return row


def get_victim(session: Session, ident: Any) -> Victim:
    return _get(session, Victim, "victim", ident)


def get_relative(session: Session, ident: Any) -> Relative:
    return _get(session, Relative, "relative", ident)


def get_operation(session: Session, ident: Any) -> Operation:
    return _get(session, Operation, "operation", ident)


def get_sample(session: Session, ident: Any) -> Sample:
    return _get(session, Sample, "sample", ident)


def _padded(column: Any) -> Any:
    # ';A;B;' so that one other ID matches whole, never as part of a longer one.
    return literal(";") + func.coalesce(column, "") + literal(";")


def specimens_with_other_id(session: Session, other: str) -> list[Specimen]:
    query = select(Specimen).where(
        _padded(Specimen.other_ids).contains(f";{other};", autoescape=True)
    ).order_by(Specimen.id)
    return list(session.execute(query).scalars())


def find_specimen(session: Session, ident: str) -> Specimen | None:
    """The specimen with this ID, else the one carrying it as an other ID (police, lab)."""
    row = session.get(Specimen, ident)
    if row is not None:
        return row
    found = specimens_with_other_id(session, ident)
    if len(found) > 1:
        raise InvalidInput(
            _("'{ident}' is an other ID of several specimens ({s_id}); name the specimen by its own ID").format(
                ident=ident, s_id=', '.join(s.id for s in found))
        )
    return found[0] if found else None


def _specimen_ids(session: Session) -> list[str]:
    ids: list[str] = []
    for sid, others in session.execute(select(col(Specimen.id), col(Specimen.other_ids))):
        ids.append(sid)
        ids.extend(o for o in (others or "").split(";") if o)
    return ids


def get_specimen(session: Session, ident: Any) -> Specimen:
    key = require_id(ident, "specimen")
    row = find_specimen(session, key)
    if row is None:
        raise NotFound.for_id("specimen", key, _specimen_ids(session))
    return row


def find_item(session: Session, ident: Any) -> Specimen | Sample:
    """A custody item: a specimen (by its ID or an other ID) or a sample."""
    key = require_id(ident, "item")
    specimen = find_specimen(session, key)
    if specimen is not None:
        return specimen
    sample = session.get(Sample, key)
    if sample is not None:
        return sample
    existing = _specimen_ids(session) + _ids(session, Sample.id)
    if difflib.get_close_matches(key, existing, n=1, cutoff=0.6):
        raise NotFound.for_id("specimen or sample", key, existing)
    raise NotFound(
        _("no specimen or sample with ID '{key}'; `chosei specimen list` and `chosei sample list` show them").format(
            key=key)
    )


def item_id_taken(session: Session, ident: str) -> str | None:
    """What already goes by `ident` among custody items (specimen IDs, other IDs, samples)."""
    if session.get(Specimen, ident) is not None:
        return _("specimen {ident}").format(ident=ident)
    others = specimens_with_other_id(session, ident)
    if others:
        return _("specimen {id} (as an other ID)").format(id=others[0].id)
    if session.get(Sample, ident) is not None:
        return _("sample {ident}").format(ident=ident)
    return None


def ensure_absent(session: Session, model: Any, kind: str, ident: str, hint: str) -> None:
    if session.get(model, ident) is not None:
        raise AlreadyExists(_("{kind} {ident} exists; {hint}").format(kind=_(kind), ident=ident, hint=hint))


# The kinds `ensure_absent` names, for the catalogue.
_KINDS = (N_("victim"), N_("relative"), N_("specimen"), N_("sample"), N_("operation"))


def plain(row: Any, *, exclude: Iterable[str] = (), include: Iterable[str] | None = None
          ) -> dict[str, Any]:
    """A row as a JSON-ready dict, its fields in declaration order.

    (`model_dump` on a row loaded from the database follows the order SQLAlchemy happened
    to fill it in, which makes listings and JSON shuffle from one command to the next.)
    """
    skip = set(exclude)
    names = list(include) if include is not None else list(type(row).model_fields)
    return {name: getattr(row, name) for name in names if name not in skip}
