"""Shared column helpers and the validators every `XCreate` model uses.

Dates are stored as ISO text that may be partial (`1915`, `1915-03`, `1915-03-02`):
text sorts correctly and a year alone is never widened to 1 January. No date the case
records lies after today (`dates.check_past`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, cast

from pydantic import field_validator, model_validator
from sqlmodel import SQLModel
from sqlmodel.main import SQLModelConfig

from chosei.dates import check_past, is_iso_date, parse_approximate, parse_date, parse_datetime, written_date

if TYPE_CHECKING:
    from sqlalchemy import Table
from chosei.text import check_text
from chosei.vocab import normalize_id


class Record(SQLModel):
    """The base of every chosei model, tables and validating models alike.

    Pydantic builds a model's validator when it is first used rather than when the
    class is defined (`defer_build`): most commands validate a few models or none, and
    building all of them on every start-up cost more than the commands' queries.
    """

    model_config = SQLModelConfig(defer_build=True)

    if TYPE_CHECKING:
        # SQLAlchemy sets `__table__` on each `table=True` model, but SQLModel does not
        # declare it; declared here for the type checker only (nothing changes at run time).
        __table__: ClassVar[Table]


# A field whose value no audit log reader, error message, import report or partner may
# see (a relative's contact): `Field(..., schema_extra=SENSITIVE)`. `sensitive_fields`
# reads the declaration back; `chosei.models.SENSITIVE_FIELDS` is every table's.
SENSITIVE: dict[str, Any] = {"json_schema_extra": {"sensitive": True}}


def sensitive_fields(model: type[SQLModel]) -> frozenset[str]:
    """The fields `model` declares sensitive."""
    return frozenset(name for name, info in model.model_fields.items()
                     if isinstance(info.json_schema_extra, dict)
                     and info.json_schema_extra.get("sensitive") is True)


def blank_to_none(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def as_date(value: Any) -> str | None:
    if type(value) is str and is_iso_date(value):
        return check_past(value)
    parsed = parse_date(blank_to_none(value), until_today=True)
    return parsed.iso() if parsed else None


def as_approximate_date(value: Any) -> str | None:
    """A date that may be marked approximate (`circa 1915`), as the ISO date it approximates."""
    if type(value) is str and is_iso_date(value):
        return check_past(value)
    parsed, _ = parse_approximate(blank_to_none(value), until_today=True)
    return parsed.iso() if parsed else None


def as_datetime(value: Any) -> str | None:
    return parse_datetime(blank_to_none(value), until_today=True)


def as_id(value: Any) -> str | None:
    return normalize_id(value)


def as_text(value: Any) -> Any:
    """Trimmed text, blank text None; control characters refused (`chosei.text`)."""
    value = blank_to_none(value)
    return check_text(value) if type(value) is str else value


# What each validator made by the helpers below does, by the function pydantic calls, so
# that `validate_many` can do the same work column by column (`_fast_plan`).
_NORMALISERS: dict[Callable[..., Any], tuple[tuple[str, ...], Callable[[Any], Any]]] = {}
_WRITTEN: dict[Callable[..., Any], tuple[str, str]] = {}
_RULES: dict[Callable[..., Any], Callable[[dict[str, Any]], dict[str, Any] | None]] = {}


def _before(fields: tuple[str, ...], fn: Callable[[Any], Any]) -> Any:
    def _validate(cls: type, value: Any) -> Any:
        return fn(value)

    _NORMALISERS[_validate] = (fields, fn)
    return field_validator(*fields, mode="before")(_validate)


def id_validator(*fields: str) -> Any:
    """A `mode='before'` validator reading IDs (`normalize_id`)."""
    return _before(fields, as_id)


def date_validator(*fields: str) -> Any:
    """A `mode='before'` validator reading dates, full or partial, into ISO text."""
    return _before(fields, as_date)


def written_date_validator(field: str, written: str) -> Any:
    """For a date that may be approximate or written in an era: `field` read as the ISO
    date (`circa 1915` → `1915`), and `written` set to the text as given when it says
    more than that (`chosei.dates.written_date`), so neither is lost. A `written` text
    that no longer reads as the date (the date was changed) is dropped."""

    def _written(cls: type, data: Any) -> Any:
        if isinstance(data, dict):
            data = {**data, written: written_date(blank_to_none(data.get(field)), data.get(written))}
        return data

    _WRITTEN[_written] = (field, written)
    # pydantic takes the classmethod object itself (its stubs only list plain callables)
    validator = cast(Any, classmethod(_written))
    return model_validator(mode="before")(validator), _before((field,), as_approximate_date)


def vocab_validator(field: str, vocab: Any, blank: str | None = None, *,
                    parse: Callable[[Any], Any] | None = None) -> Any:
    """A `mode='before'` validator that maps any accepted term onto its code (with
    `vocab.parse`, or `parse` when given); a blank value (None, empty text) is `blank`."""
    read = parse or vocab.parse

    def _parse(value: Any) -> Any:
        value = blank_to_none(value)
        return blank if value is None else read(value)

    return _before((field,), _parse)


def text_validator(*fields: str) -> Any:
    """A `mode='before'` validator trimming text; blank text is None; a control character
    other than tab and line breaks is refused."""
    return _before(fields, as_text)


class FieldProblem(ValueError):
    """A row rule's error about one field, so that the message names it (a workbook's
    cell, a CLI option) rather than the whole row."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def plausible(*checks: tuple[str, str | None]) -> None:
    """Raise `FieldProblem` for the first (field, problem) whose problem is not None."""
    for field, problem in checks:
        if problem is not None:
            raise FieldProblem(field, problem)


def row_rule(rule: Callable[[dict[str, Any]], dict[str, Any] | None]) -> Any:
    """A `mode='after'` model validator from a rule on the row's values: `rule(values)`
    raises ValueError when the row breaks it, and may return values to set. It must
    not change `values` itself."""

    def _after(self: Any) -> Any:
        changes = rule({name: getattr(self, name) for name in type(self).model_fields})
        for name, value in (changes or {}).items():
            setattr(self, name, value)
        return self

    _RULES[_after] = rule
    return model_validator(mode="after")(_after)
