"""What a user typed, checked: pydantic's errors as one line that says what to fix.

`validate` turns a model's `ValidationError` into `InvalidInput` naming each bad field by
its label (`field_label`) and what would fix it; `validation_problems` gives the same as
(field, message) pairs for the exchange import's report. A field declared sensitive on
its model (`chosei.models.SENSITIVE_FIELDS`) is named, never shown. `parse_term` and
`parse_day` read a vocabulary term or a date typed on the command line.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from chosei import dates, i18n
from chosei.errors import InvalidInput
from chosei.i18n import N_, _, pgettext
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


@cache
def _labels(lang: str) -> dict[str, str]:
    """Every field label a message may give, in `lang`: those above and the other fields
    of the models a user fills in (the `…Create` models), named as `field_label` names
    them (with spaces). A context keeps these words apart from the same words elsewhere."""
    with i18n.in_language(lang):
        return {
            "ID": pgettext("field", "ID"),
            "hangul name": pgettext("field", "hangul name"),
            "hanja name": pgettext("field", "hanja name"),
            "Japanese name": pgettext("field", "Japanese name"),
            "reading": pgettext("field", "reading"),
            "latin name": pgettext("field", "latin name"),
            "depth (m)": pgettext("field", "depth (m)"),
            "other IDs": pgettext("field", "other IDs"),
            "from": pgettext("field", "from"),
            "to": pgettext("field", "to"),
            "lab ref": pgettext("field", "lab ref"),
            "victim ID": pgettext("field", "victim ID"),
            "relative ID": pgettext("field", "relative ID"),
            "specimen ID": pgettext("field", "specimen ID"),
            "operation ID": pgettext("field", "operation ID"),
            "item ID": pgettext("field", "item ID"),
            "address": pgettext("field", "address"),
            "age at death": pgettext("field", "age at death"),
            "agency": pgettext("field", "agency"),
            "at": pgettext("field", "at"),
            "birth date": pgettext("field", "birth date"),
            "birth date written": pgettext("field", "birth date written"),
            "birth year": pgettext("field", "birth year"),
            "collected on": pgettext("field", "collected on"),
            "condition": pgettext("field", "condition"),
            "contact": pgettext("field", "contact"),
            "custodian": pgettext("field", "custodian"),
            "date": pgettext("field", "date"),
            "domicile": pgettext("field", "domicile"),
            "element": pgettext("field", "element"),
            "event": pgettext("field", "event"),
            "father": pgettext("field", "father"),
            "form ref": pgettext("field", "form ref"),
            "lab": pgettext("field", "lab"),
            "label": pgettext("field", "label"),
            "location": pgettext("field", "location"),
            "mother": pgettext("field", "mother"),
            "name": pgettext("field", "name"),
            "nationality": pgettext("field", "nationality"),
            "notes": pgettext("field", "notes"),
            "place": pgettext("field", "place"),
            "portion": pgettext("field", "portion"),
            "recovered on": pgettext("field", "recovered on"),
            "relationship": pgettext("field", "relationship"),
            "scope": pgettext("field", "scope"),
            "script": pgettext("field", "script"),
            "sex": pgettext("field", "sex"),
            "side": pgettext("field", "side"),
            "site": pgettext("field", "site"),
            "source": pgettext("field", "source"),
            "sources": pgettext("field", "sources"),
            "status": pgettext("field", "status"),
            "status date": pgettext("field", "status date"),
            "team": pgettext("field", "team"),
            "type": pgettext("field", "type"),
        }


# Values never repeated in a message: error text ends up in terminals, logs and tickets.
# Each problem twice: as it reads after the field's name in a workbook's report
# ("'130' must be at most 120"), and as a whole sentence naming the field.
_PLAIN = {
    "missing": (N_("is required"), N_("{field} is required")),
    "int_parsing": (N_("'{value}' must be a whole number"), N_("{field}: '{value}' must be a whole number")),
    "int_type": (N_("'{value}' must be a whole number"), N_("{field}: '{value}' must be a whole number")),
    "int_from_float": (N_("'{value}' must be a whole number"), N_("{field}: '{value}' must be a whole number")),
    "float_parsing": (N_("'{value}' must be a number"), N_("{field}: '{value}' must be a number")),
    "float_type": (N_("'{value}' must be a number"), N_("{field}: '{value}' must be a number")),
    "string_type": (N_("'{value}' must be text"), N_("{field}: '{value}' must be text")),
    "bool_parsing": (N_("'{value}' must be yes or no"), N_("{field}: '{value}' must be yes or no")),
    "at_most": (N_("'{value}' must be at most {limit}"), N_("{field}: '{value}' must be at most {limit}")),
    "at_least": (N_("'{value}' must be at least {limit}"), N_("{field}: '{value}' must be at least {limit}")),
    "too_long": (N_("'{value}' must be at most {limit} characters"),
                 N_("{field}: '{value}' must be at most {limit} characters")),
    "other": (N_("'{value}' {problem}"), N_("{field}: '{value}' {problem}")),
    "sensitive": (N_("is not acceptable (the value is not shown: it is sensitive)"),
                  N_("{field} is not acceptable (the value is not shown: it is sensitive)")),
}


def field_label(name: str) -> str:
    """What a person calls field `name`, in the current language."""
    label = FIELD_LABELS.get(name, name.replace("_", " "))
    return _labels(i18n.current()).get(label, label)


def _num(value: Any) -> Any:
    return int(value) if isinstance(value, float) and value.is_integer() else value


@dataclass(frozen=True)
class _Problem:
    """One field's problem: `alone` reads after the field's name (a workbook's header);
    `sentence()` is the whole sentence naming the field by its label (`template`, a msgid
    with {field} and `values`, where the problem is chosei's own); `complete` when `alone`
    already says what it is about (a vocabulary's message)."""

    name: str | None
    alone: str
    template: str | None = None  # the whole sentence, with {field} and the same values
    values: dict[str, Any] = field(default_factory=dict)
    complete: bool = False

    def sentence(self) -> str:
        if self.name is None or self.complete:
            return self.alone
        if self.template is not None:
            return _(self.template).format(field=field_label(self.name), **self.values)
        if self.alone.startswith(("is ", "must ")):  # an English clause from a validator
            return _("{field} {problem}").format(field=field_label(self.name), problem=self.alone)
        return _("{field}: {problem}").format(field=field_label(self.name), problem=self.alone)


def _plain(name: str | None, kind: str, **values: Any) -> _Problem:
    alone, template = _PLAIN[kind]
    return _Problem(name, _(alone).format(**values), template, values)


def _describe(name: str | None, err: Mapping[str, Any]) -> _Problem:
    """The message for one pydantic error."""
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    if kind in ("value_error", "assertion_error") and "error" in ctx:
        return _Problem(name, str(ctx["error"]), complete=isinstance(ctx["error"], VocabError))
    if kind.endswith("_type") and err.get("input") is None:
        return _plain(name, "missing")  # a required field left (or made) empty
    if kind == "missing":
        return _plain(name, "missing")
    value = _num(err.get("input"))
    if kind in _PLAIN:
        return _plain(name, kind, value=value)
    if kind in ("less_than_equal", "less_than"):
        return _plain(name, "at_most", value=value, limit=_num(ctx.get("le", ctx.get("lt"))))
    if kind in ("greater_than_equal", "greater_than"):
        return _plain(name, "at_least", value=value, limit=_num(ctx.get("ge", ctx.get("gt"))))
    if kind == "string_too_long":
        return _plain(name, "too_long", value=value, limit=ctx.get("max_length"))
    return _plain(name, "other", value=value, problem=str(err.get("msg", _("is not acceptable"))))


def _problems(exc: ValidationError) -> list[_Problem]:
    out: list[_Problem] = []
    for err in exc.errors():
        loc = err.get("loc") or ()
        name = str(loc[0]) if loc else None
        error = (err.get("ctx") or {}).get("error")
        if isinstance(error, FieldProblem):  # a row rule about one field
            name = error.field
        if name in SENSITIVE_FIELDS:
            out.append(_plain(name, "sensitive"))
        else:
            out.append(_describe(name, err))
    return out


def validation_problems(exc: ValidationError) -> list[tuple[str | None, str]]:
    """(field, message) for each error; the field is None for a rule about the whole row.

    Messages from the vocabularies and dates name the value and what to write instead;
    the others read after the field's name (`age_at_death`, "'130' must be at most 120").
    """
    return [(p.name, p.alone) for p in _problems(exc)]


def invalid_input(exc: ValidationError) -> InvalidInput:
    """One line naming each bad field and what would fix it: each problem a whole
    sentence in the current language."""
    return InvalidInput("; ".join(p.sentence() for p in _problems(exc)))


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
        raise InvalidInput(_("{field}: {problem}").format(field=label, problem=exc)) from None
