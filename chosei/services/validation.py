"""What a user typed, checked: pydantic's errors as one line that says what to fix.

`validate` turns a model's `ValidationError` into `InvalidInput` naming each bad field by
its label (`field_label`) and what would fix it; `validation_problems` gives the same as
(field, message) pairs for the exchange import's report. A field declared sensitive on
its model (`chosei.models.SENSITIVE_FIELDS`) is named, never shown. `parse_term` and
`parse_day` read a vocabulary term or a date typed on the command line.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from chosei import dates
from chosei.errors import InvalidInput
from chosei.models import SENSITIVE_FIELDS
from chosei.models._base import FieldProblem
from chosei.vocab import VocabError

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
        error = (err.get("ctx") or {}).get("error")
        if isinstance(error, FieldProblem):  # a row rule about one field
            name = error.field
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
        return dates.today().isoformat() if default_today else None
    try:
        return as_date(value)
    except ValueError as exc:
        raise InvalidInput(f"{label}: {exc}") from None
