"""Shared by the services: finding rows by ID, and turning bad values into one-line errors.

Every lookup normalises the ID first (`ＣＨ－００１` is `CH-001`) and, when nothing
matches, raises `NotFound` suggesting the closest existing IDs. Every validation error
becomes an `InvalidInput` whose message names the field and says what to fix; the
workbook import reuses `validation_problems` to report the same thing per cell.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from sqlalchemy import func, literal, select
from sqlmodel import Session, col

from chosei.errors import AlreadyExists, InvalidInput, NotFound
from chosei.models import Operation, Relative, Sample, Specimen, Victim
from chosei.vocab import VocabError, normalize_id

M = TypeVar("M", bound=BaseModel)

# What a person calls a field, where its name alone would read oddly.
FIELD_LABELS = {
    "id": "ID",
    "name_hangul": "hangul name",
    "name_hanja": "hanja name",
    "name_japanese": "Japanese name",
    "name_reading": "reading",
    "name_latin": "latin name",
    "depth_m": "depth (m)",
    "other_ids": "other IDs",
    "from_party": "from",
    "to_party": "to",
    "lab_ref": "lab ref",
    "victim_id": "victim ID",
    "relative_id": "relative ID",
    "specimen_id": "specimen ID",
    "operation_id": "operation ID",
    "item_id": "item ID",
}
# Values never repeated in a message: error text ends up in terminals, logs and tickets.
SENSITIVE_FIELDS = frozenset({"contact"})

_PLAIN = {
    "missing": "is required",
    "int_parsing": "must be a whole number",
    "int_type": "must be a whole number",
    "int_from_float": "must be a whole number",
    "float_parsing": "must be a number",
    "float_type": "must be a number",
    "string_type": "must be text",
    "bool_parsing": "must be yes or no",
}


def field_label(name: str) -> str:
    return FIELD_LABELS.get(name, name.replace("_", " "))


def _num(value: Any) -> Any:
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _describe(err: Mapping[str, Any]) -> tuple[str, bool]:
    """The message for one pydantic error, and whether it already says what it is about."""
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    if kind in ("value_error", "assertion_error") and "error" in ctx:
        return str(ctx["error"]), isinstance(ctx["error"], VocabError)
    if kind.endswith("_type") and err.get("input") is None:
        return "is required", False  # a required field left (or made) empty
    if kind in _PLAIN:
        what = _PLAIN[kind]
    elif kind in ("less_than_equal", "less_than"):
        what = f"must be at most {_num(ctx.get('le', ctx.get('lt')))}"
    elif kind in ("greater_than_equal", "greater_than"):
        what = f"must be at least {_num(ctx.get('ge', ctx.get('gt')))}"
    elif kind == "string_too_long":
        what = f"must be at most {ctx.get('max_length')} characters"
    else:
        what = str(err.get("msg", "is not acceptable"))
    if kind == "missing":
        return what, False
    return f"'{_num(err.get('input'))}' {what}", False


def _problems(exc: ValidationError) -> list[tuple[str | None, str, bool]]:
    out: list[tuple[str | None, str, bool]] = []
    for err in exc.errors():
        loc = err.get("loc") or ()
        name = str(loc[0]) if loc else None
        if name in SENSITIVE_FIELDS:
            out.append((name, "is not acceptable (the value is not shown: it is sensitive)", False))
        else:
            out.append((name, *_describe(err)))
    return out


def validation_problems(exc: ValidationError) -> list[tuple[str | None, str]]:
    """(field, message) for each error; the field is None for a rule about the whole row.

    Messages from the vocabularies and dates name the value and what to write instead;
    the others read after the field's name (`age_at_death`, "'130' must be at most 120").
    """
    return [(name, message) for name, message, _ in _problems(exc)]


def invalid_input(exc: ValidationError) -> InvalidInput:
    """One line naming each bad field and what would fix it."""
    parts = []
    for name, message, complete in _problems(exc):
        if name is None or complete:
            parts.append(message)
        elif message.startswith(("is ", "must ")):
            parts.append(f"{field_label(name)} {message}")
        else:
            parts.append(f"{field_label(name)}: {message}")
    return InvalidInput("; ".join(parts))


def validate(model: type[M], data: M | Mapping[str, Any]) -> M:
    """`data` as a validated `model`, or `InvalidInput`."""
    if isinstance(data, model):
        return data
    try:
        return model.model_validate(dict(data))
    except ValidationError as exc:
        raise invalid_input(exc) from None


def parse_term(vocab: Any, value: str | None) -> str | None:
    """A controlled-vocabulary term typed by a user, as its code (None stays None)."""
    if value is None or not str(value).strip():
        return None
    try:
        return vocab.parse(value)
    except VocabError as exc:  # its message names the value and the terms to use
        raise InvalidInput(str(exc)) from None


def parse_day(value: str | None, label: str, *, default_today: bool = False) -> str | None:
    """A date typed by a user as ISO text (maybe partial); today when omitted and asked to."""
    from chosei.models._base import as_date

    if value is None or not str(value).strip():
        return date.today().isoformat() if default_today else None
    try:
        return as_date(value)
    except ValueError as exc:
        raise InvalidInput(f"{label}: {exc}") from None


def require_id(value: Any, kind: str) -> str:
    # Only normalised: an ID no row can have is simply not found (with the IDs close to it).
    ident = normalize_id(value, check=False)
    if not ident:
        raise InvalidInput(f"give the {kind}'s ID")
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
            f"'{ident}' is an other ID of several specimens ({', '.join(s.id for s in found)}); "
            "name the specimen by its own ID"
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
        f"no specimen or sample with ID '{key}'; `chosei specimen list` and "
        "`chosei sample list` show them"
    )


def item_id_taken(session: Session, ident: str) -> str | None:
    """What already goes by `ident` among custody items (specimen IDs, other IDs, samples)."""
    if session.get(Specimen, ident) is not None:
        return f"specimen {ident}"
    others = specimens_with_other_id(session, ident)
    if others:
        return f"specimen {others[0].id} (as an other ID)"
    if session.get(Sample, ident) is not None:
        return f"sample {ident}"
    return None


def ensure_absent(session: Session, model: Any, kind: str, ident: str, hint: str) -> None:
    if session.get(model, ident) is not None:
        raise AlreadyExists(f"{kind} {ident} exists; {hint}")


def plain(row: Any, *, exclude: Iterable[str] = (), include: Iterable[str] | None = None
          ) -> dict[str, Any]:
    """A row as a JSON-ready dict, its fields in declaration order.

    (`model_dump` on a row loaded from the database follows the order SQLAlchemy happened
    to fill it in, which makes listings and JSON shuffle from one command to the next.)
    """
    skip = set(exclude)
    names = list(include) if include is not None else list(type(row).model_fields)
    return {name: getattr(row, name) for name in names if name not in skip}
