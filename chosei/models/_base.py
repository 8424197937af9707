"""Shared column helpers and the validators every `XCreate` model uses.

Dates are stored as ISO text that may be partial (`1915`, `1915-03`, `1915-03-02`):
text sorts correctly and a year alone is never widened to 1 January.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import field_validator, model_validator
from sqlmodel import SQLModel
from sqlmodel.main import SQLModelConfig

if TYPE_CHECKING:
    from sqlalchemy import Table

from chosei.dates import is_iso_date, parse_date, parse_datetime
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


def blank_to_none(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def as_date(value: Any) -> str | None:
    if type(value) is str and is_iso_date(value):
        return value
    parsed = parse_date(blank_to_none(value))
    return parsed.iso() if parsed else None


def as_datetime(value: Any) -> str | None:
    return parse_datetime(blank_to_none(value))


def as_id(value: Any) -> str | None:
    return normalize_id(value)


def as_text(value: Any) -> Any:
    """Trimmed text, blank text None; control characters refused (`chosei.text`)."""
    value = blank_to_none(value)
    return check_text(value) if type(value) is str else value


def _before(fields: tuple[str, ...], fn: Callable[[Any], Any]) -> Any:
    def _validate(cls: type, value: Any) -> Any:
        return fn(value)

    return field_validator(*fields, mode="before")(_validate)


def id_validator(*fields: str) -> Any:
    """A `mode='before'` validator reading IDs (`normalize_id`)."""
    return _before(fields, as_id)


def date_validator(*fields: str) -> Any:
    """A `mode='before'` validator reading dates, full or partial, into ISO text."""
    return _before(fields, as_date)


def vocab_validator(field: str, vocab: Any) -> Any:
    """A `mode='before'` validator that maps any accepted term onto its code."""

    def _parse(value: Any) -> Any:
        value = blank_to_none(value)
        return None if value is None else vocab.parse(value)

    return _before((field,), _parse)


def text_validator(*fields: str) -> Any:
    """A `mode='before'` validator trimming text; blank text is None; a control character
    other than tab and line breaks is refused."""
    return _before(fields, as_text)


def row_rule(rule: Callable[[dict[str, Any]], dict[str, Any] | None]) -> Any:
    """A `mode='after'` model validator from a rule on the row's values: `rule(values)`
    raises ValueError when the row breaks it, and may return values to set. It must
    not change `values` itself."""

    def _after(self: Any) -> Any:
        changes = rule({name: getattr(self, name) for name in type(self).model_fields})
        for name, value in (changes or {}).items():
            setattr(self, name, value)
        return self

    return model_validator(mode="after")(_after)
