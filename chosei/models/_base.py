"""Shared column helpers, the validators every `XCreate` model uses, and their fast path.

Dates are stored as ISO text that may be partial (`1915`, `1915-03`, `1915-03-02`):
text sorts correctly and a year alone is never widened to 1 January.

Each validator made here says which values it keeps as they are (`keeps`), and each
rule on a whole row is a function of the row's values (`row_rule`). From these and the
fields' types and constraints, `FastPath` validates a row that needs no change without
building the model: for such rows it is the model (a property test checks it on
generated rows); any other row, and every row that breaks a rule, goes through the
model, which gives the result or the error.
"""

from __future__ import annotations

import functools
import re
import types
import typing
from collections.abc import Callable
from typing import Any

from annotated_types import Ge, Gt, Le, Lt, MaxLen, MinLen
from pydantic import BaseModel, field_validator, model_validator
from sqlmodel import Field, SQLModel
from sqlmodel.main import SQLModelConfig

from chosei.dates import is_iso_date, parse_date, parse_datetime
from chosei.text import check_text, has_control
from chosei.vocab import is_plain_id, normalize_id


class Record(SQLModel):
    """The base of every chosei model, tables and validating models alike.

    Pydantic builds a model's validator when it is first used rather than when the
    class is defined (`defer_build`): most commands validate a few models or none, and
    building all of them on every start-up cost more than the commands' queries.
    """

    model_config = SQLModelConfig(defer_build=True)


def version_field() -> Any:
    """Per-row version: bumped on every change; exports carry it for conflict detection."""
    return Field(default=1, nullable=False)


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


# --- What each validator keeps as it is ------------------------------------------------


def _keeps_id(value: Any) -> bool:
    return value is None or (type(value) is str and is_plain_id(value))


def _keeps_date(value: Any) -> bool:
    return value is None or (type(value) is str and is_iso_date(value))


def _keeps_text(value: Any) -> bool:
    return value is None or (type(value) is str and value != "" and not value[0].isspace()
                             and not value[-1].isspace() and not has_control(value))


def as_text(value: Any) -> Any:
    """Trimmed text, blank text None; control characters refused (`chosei.text`)."""
    value = blank_to_none(value)
    return check_text(value) if type(value) is str else value


def _before(fields: tuple[str, ...], fn: Callable[[Any], Any],
            keeps: Callable[[Any], bool]) -> Any:
    def _validate(cls: type, value: Any) -> Any:
        return fn(value)

    _validate.keeps = keeps  # type: ignore[attr-defined]
    return field_validator(*fields, mode="before")(_validate)


def id_validator(*fields: str) -> Any:
    """A `mode='before'` validator reading IDs (`normalize_id`)."""
    return _before(fields, as_id, _keeps_id)


def date_validator(*fields: str) -> Any:
    """A `mode='before'` validator reading dates, full or partial, into ISO text."""
    return _before(fields, as_date, _keeps_date)


def vocab_validator(field: str, vocab: Any) -> Any:
    """A `mode='before'` validator that maps any accepted term onto its code."""

    def _parse(value: Any) -> Any:
        value = blank_to_none(value)
        return None if value is None else vocab.parse(value)

    return _before((field,), _parse, lambda v: v is None or (type(v) is str and v in vocab))


def text_validator(*fields: str) -> Any:
    """A `mode='before'` validator trimming text; blank text is None; a control character
    other than tab and line breaks is refused."""
    return _before(fields, as_text, _keeps_text)


def row_rule(rule: Callable[[dict[str, Any]], dict[str, Any] | None]) -> Any:
    """A `mode='after'` model validator from a rule on the row's values: `rule(values)`
    raises ValueError when the row breaks it, and may return values to set. It must
    not change `values` itself. `FastPath` applies the same function."""

    def _after(self: Any) -> Any:
        changes = rule({name: getattr(self, name) for name in type(self).model_fields})
        for name, value in (changes or {}).items():
            setattr(self, name, value)
        return self

    _after.rule = rule  # type: ignore[attr-defined]
    return model_validator(mode="after")(_after)


# --- The fast path -------------------------------------------------------------------------

_SURROGATE = re.compile("[\ud800-\udfff]")
_MISSING = object()
# Model settings that leave validation as the fast path assumes it.
_KNOWN_CONFIG = frozenset({"from_attributes", "registry", "table", "title", "extra",
                           "str_strip_whitespace", "defer_build", "arbitrary_types_allowed"})


def _never(value: Any) -> bool:
    return False


def _field_check(annotation: Any, metadata: list[Any], strip: bool,
                 keeps: list[Callable[[Any], bool]]) -> Callable[[Any], bool]:
    """Which values the field's validation returns unchanged: those every validator
    keeps and pydantic's own validation of the type and constraints accepts as they
    are. A type or constraint this does not know keeps nothing."""
    optional = False
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        rest = [a for a in args if a is not type(None)]
        optional = len(rest) < len(args)
        if len(rest) != 1:
            return _never
        annotation = rest[0]
    if annotation not in (str, int, float) or _never in keeps:
        return _never
    lo = hi = low = high = min_len = max_len = None
    for item in metadata:
        if isinstance(item, MaxLen):
            max_len = item.max_length
        elif isinstance(item, MinLen):
            min_len = item.min_length
        elif isinstance(item, Ge):
            lo = item.ge
        elif isinstance(item, Le):
            hi = item.le
        elif isinstance(item, Gt):
            low = item.gt
        elif isinstance(item, Lt):
            high = item.lt
        elif type(item).__name__ != "FieldInfoMetadata":  # SQLModel's column settings
            return _never
    kind = annotation
    none_ok = optional and all(keep(None) for keep in keeps)
    keep = keeps[0] if len(keeps) == 1 else (lambda v: all(k(v) for k in keeps)) if keeps else None

    if kind is str:
        def check(value: Any) -> bool:
            if value is None:
                return none_ok
            if type(value) is not str or (not value.isascii() and _SURROGATE.search(value)):
                return False
            if strip and value and (value[0].isspace() or value[-1].isspace()):
                return False
            n = len(value)
            if (max_len is not None and n > max_len) or (min_len is not None and n < min_len):
                return False
            return keep is None or keep(value)
    else:
        def check(value: Any) -> bool:
            if value is None:
                return none_ok
            if type(value) is not kind or value != value:  # NaN: leave it to the model
                return False
            if ((lo is not None and value < lo) or (hi is not None and value > hi)
                    or (low is not None and value <= low) or (high is not None and value >= high)):
                return False
            return keep is None or keep(value)

    return check


class FastPath:
    """A model's validation for rows every value of which it keeps as it is."""

    def __init__(self, checks: dict[str, Callable[[Any], bool]], required: frozenset[str],
                 defaults: dict[str, Any], rules: tuple[Callable[..., Any], ...]) -> None:
        self.checks = checks
        self.required = required
        self.defaults = defaults
        self.rules = rules
        self.fields = tuple(checks)
        # (name, check, default); the default of a required field is _MISSING
        self._plan = tuple((name, check, defaults.get(name, _MISSING))
                           for name, check in checks.items())

    def validate(self, data: dict[str, Any]) -> dict[str, Any] | None:
        """The model's field values for `data`, or None when only the model can tell."""
        values = {}
        get = data.get
        for name, check, default in self._plan:
            value = get(name, _MISSING)
            if value is _MISSING:
                if default is _MISSING:
                    return None
                value = default
            elif not check(value):
                return None
            values[name] = value
        for rule in self.rules:
            try:
                changes = rule(values)
            except ValueError:
                return None
            if changes:
                values.update(changes)
        return values


@functools.cache
def fast_path(model: type[BaseModel]) -> FastPath | None:
    """The fast path of `model`, or None when its validation has parts it cannot see."""
    config = model.model_config
    if set(config) - _KNOWN_CONFIG or config.get("extra") not in (None, "ignore"):
        return None
    decorators = model.__pydantic_decorators__
    if decorators.validators or decorators.root_validators:
        return None
    rules = []
    for dec in decorators.model_validators.values():
        rule = getattr(dec.func, "rule", None)
        if dec.info.mode != "after" or rule is None:
            return None
        rules.append(rule)
    keeps: dict[str, list[Callable[[Any], bool]]] = {}
    for dec in decorators.field_validators.values():
        keep = getattr(dec.func, "keeps", None)
        for name in dec.info.fields:
            keeps.setdefault(name, []).append(
                keep if dec.info.mode == "before" and keep is not None else _never)
    strip = bool(config.get("str_strip_whitespace"))
    checks: dict[str, Callable[[Any], bool]] = {}
    required, defaults = set(), {}
    for name, info in model.model_fields.items():
        if info.validate_default or info.default_factory is not None:
            return None
        checks[name] = _field_check(info.annotation, info.metadata, strip, keeps.get(name, []))
        if info.is_required():
            required.add(name)
        else:
            defaults[name] = info.default
    return FastPath(checks, frozenset(required), defaults, tuple(rules))
