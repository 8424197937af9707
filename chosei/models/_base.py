"""Shared column helpers and the validators every `XCreate` model uses.

Dates are stored as ISO text that may be partial (`1915`, `1915-03`, `1915-03-02`):
text sorts correctly and a year alone is never widened to 1 January.
"""

from __future__ import annotations

from typing import Any

from pydantic import field_validator
from sqlmodel import Field

from chosei.dates import parse_date, parse_datetime
from chosei.vocab import normalize_id


def version_field() -> Any:
    """Per-row version: bumped on every change; exports carry it for conflict detection."""
    return Field(default=1, nullable=False)


def blank_to_none(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def as_date(value: Any) -> str | None:
    parsed = parse_date(blank_to_none(value))
    return parsed.iso() if parsed else None


def as_datetime(value: Any) -> str | None:
    return parse_datetime(blank_to_none(value))


def as_id(value: Any) -> str | None:
    return normalize_id(value)


def vocab_validator(field: str, vocab: Any) -> Any:
    """A `mode='before'` validator that maps any accepted term onto its code."""

    def _parse(cls: type, value: Any) -> Any:
        value = blank_to_none(value)
        return None if value is None else vocab.parse(value)

    return field_validator(field, mode="before")(_parse)


def text_validator(*fields: str) -> Any:
    def _clean(cls: type, value: Any) -> Any:
        return blank_to_none(value)

    return field_validator(*fields, mode="before")(_clean)
