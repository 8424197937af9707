"""Validating many rows of one model at once: `validate_many`.

The plain way is the model's own, `Model.model_validate` row by row: it calls the
model's `mode="before"` validators (IDs, texts, terms, dates: `models._base`) once per
field of every row, some seven Python calls a row, which is most of what an import's
validation costs. `validate_many` does the same work column by column:

1. each `mode="before"` model validator the helpers made (`written_date_validator`),
   row by row, as the model would;
2. each field's normaliser (`as_id`, `as_text`, the vocabulary's `parse`, `as_date`…)
   once per distinct text of the column, and not at all for a column of texts it would
   leave unchanged (plain IDs, trimmed texts without control characters: one look at the
   column joined, at C speed);
3. each field's type and limits (the model's own field declaration: its annotation and
   constraints) through one `pydantic.TypeAdapter` call per column;
4. the model's row rules (`row_rule`) row by row, on the values as the model would give
   them to the rules.

A row any of these refuses (or finds anything unusual in: a required field missing, a
normaliser or a rule raising) is validated the plain way, so its error is the model's
own, word for word. A model with a validator not made by the helpers in `_base`, or a
field or setting this does not know how to treat as pydantic does, is validated the
plain way throughout. tests/models/test_many.py runs both ways on the same rows, good
and bad, and compares the values and the errors.
"""

from __future__ import annotations

import functools
import re
import types
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, cast

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError
from pydantic_core import PydanticUndefined

from chosei.models import _base
from chosei.text import MAX_ID_CHARS, has_control

Result = dict[str, Any] | ValidationError


class _Marker:
    """A value no cell holds: a field missing from a row, a value a normaliser refused."""


_MISSING: Any = _Marker()
_FAIL: Any = _Marker()
_TEXTS_OR_BLANKS = frozenset({str, type(None), _Marker})

# Settings of a model that change how a field's value is validated, passed on to the
# columns' TypeAdapters; the settings that do not; any other makes the model plain-only.
_FIELD_SETTINGS = ("str_strip_whitespace", "str_to_lower", "str_to_upper", "str_min_length",
                   "str_max_length", "strict", "coerce_numbers_to_str", "allow_inf_nan")
_OTHER_SETTINGS = frozenset({"from_attributes", "registry", "defer_build", "table", "extra"})
_IMMUTABLE = (type(None), str, int, float, bool)


def validate_plain(model: type[BaseModel], data: dict[str, Any]) -> Result:
    """The model's field values made from `data`, or the ValidationError it raises."""
    try:
        obj = model.model_validate(data)
    except ValidationError as exc:
        return exc
    return {name: getattr(obj, name) for name in model.model_fields}


def validate_many(model: type[BaseModel], rows: Sequence[dict[str, Any]], *,
                  fast: bool = True) -> list[Result]:
    """For each of `rows`, what `validate_plain` gives for it. `fast`: column by column
    where the model allows it (the plain way is its test oracle)."""
    plan = column_plan(model) if fast else None
    if plan is None or not rows:
        return [validate_plain(model, r) for r in rows]
    return plan.run(model, rows)


# --- Columns a normaliser leaves as they are --------------------------------------------

_PLAIN_IDS = re.compile(r"[A-Za-z0-9_./:#\n-]*")
_EDGE_SPACE = re.compile(r"(?m)^[^\S\n]|[^\S\n]$")


def _ids_unchanged(texts: list[str]) -> bool:
    """Does `as_id` (`vocab.normalize_id`) return each of `texts` as it is?"""
    joined = "\n".join(texts)
    return (_PLAIN_IDS.fullmatch(joined) is not None and joined.count("\n") == len(texts) - 1
            and min(map(len, texts)) > 0 and max(map(len, texts)) <= MAX_ID_CHARS)


def _texts_unchanged(texts: list[str]) -> bool:
    """Does `as_text` return each of `texts` as it is (trimmed, not blank, without a
    control character)?"""
    joined = "\n".join(texts)
    return (joined.count("\n") == len(texts) - 1 and min(map(len, texts)) > 0
            and _EDGE_SPACE.search(joined) is None and not has_control(joined))


_UNCHANGED: dict[Callable[[Any], Any], Callable[[list[str]], bool]] = {
    _base.as_id: _ids_unchanged, _base.as_text: _texts_unchanged,
}


def _call(fn: Callable[[Any], Any], value: Any) -> Any:
    try:
        return fn(value)
    except Exception:
        return _FAIL


def _normalised(fn: Callable[[Any], Any], values: list[Any]) -> list[Any]:
    """`fn` of each value (`_FAIL` where it raises; `_MISSING` left as it is): once per
    distinct text, never for a column of texts `_UNCHANGED` says it keeps."""
    if not set(map(type, values)) <= _TEXTS_OR_BLANKS:  # numbers, dates…: one call each
        return [v if v is _MISSING else _call(fn, v) for v in values]
    distinct = set(values)
    texts = [v for v in distinct if type(v) is str]
    check = _UNCHANGED.get(fn)
    if check is not None and texts and check(texts):
        if len(texts) == len(distinct):
            return values
        cache: dict[Any, Any] = {v: v for v in texts}
    else:
        cache = {v: _call(fn, v) for v in texts}
    cache[_MISSING] = _MISSING
    if None in distinct:
        cache[None] = _call(fn, None)
    return list(map(cache.__getitem__, values))


# --- The plan of a model ----------------------------------------------------------------


@dataclass(frozen=True)
class _Plan:
    fields: tuple[str, ...]
    required: frozenset[str]
    defaults: dict[str, Any]
    written: tuple[tuple[str, str], ...]
    normalisers: dict[str, Callable[[Any], Any]]
    checks: dict[str, TypeAdapter[list[Any]]]
    rules: tuple[Callable[[dict[str, Any]], dict[str, Any] | None], ...]

    def run(self, model: type[BaseModel], rows: Sequence[dict[str, Any]]) -> list[Result]:
        slow: set[int] = set()
        columns: dict[str, list[Any]] = {}
        written_cols: dict[str, list[Any]] = {}
        for field, written in self.written:  # the model's mode="before" model validators
            said: dict[Any, Any] = {}
            wcol = []
            for r in rows:
                pair = (r.get(field), r.get(written))
                try:
                    wcol.append(said[pair])
                except (KeyError, TypeError):
                    value = _call(lambda p: _base.written_date(_base.blank_to_none(p[0]), p[1]), pair)
                    if type(pair[0]) in _TEXTS_OR_BLANKS and type(pair[1]) in _TEXTS_OR_BLANKS:
                        said[pair] = value
                    wcol.append(value)
            if _FAIL in wcol:
                slow.update(i for i, v in enumerate(wcol) if v is _FAIL)
            written_cols[written] = wcol
        for name in self.fields:
            col = written_cols.get(name) or [r.get(name, _MISSING) for r in rows]
            fn = self.normalisers.get(name)
            if fn is not None:
                col = _normalised(fn, col)
            if _MISSING not in col and _FAIL not in col:
                columns[name] = _check_column(self.checks[name], col, None, slow)
                continue
            slow.update(i for i, v in enumerate(col) if v is _FAIL)
            if name in self.required:
                slow.update(i for i, v in enumerate(col) if v is _MISSING)
            given = [i for i, v in enumerate(col) if v is not _MISSING and v is not _FAIL]
            default = self.defaults.get(name)
            col = [default if v is _MISSING or v is _FAIL else v for v in col]
            columns[name] = _check_column(self.checks[name], col, given, slow)
        names = self.fields
        out: list[Result] = []
        rules = self.rules
        for i, values_row in enumerate(zip(*(columns[f] for f in names), strict=True)):
            if i in slow:
                out.append(validate_plain(model, rows[i]))
                continue
            values = dict(zip(names, values_row, strict=True))
            try:
                for rule in rules:
                    changes = rule(values)
                    if changes:
                        values.update(changes)
            except Exception:
                out.append(validate_plain(model, rows[i]))
                continue
            out.append(values)
        return out


def _check_column(check: TypeAdapter[list[Any]], col: list[Any], given: list[int] | None,
                  slow: set[int]) -> list[Any]:
    """`col` with the values at `given` (None: all) as the field's declaration makes
    them; the rows whose value it refuses added to `slow` (their value left as it was)."""
    if given is None:
        try:
            return check.validate_python(col)
        except ValidationError as exc:
            refused = {int(e["loc"][0]) for e in exc.errors(include_url=False, include_input=False)}
        given = list(range(len(col)))
    else:
        refused = set()
    slow.update(refused)
    keep = [i for i in given if i not in refused]
    try:
        checked = check.validate_python([col[i] for i in keep])
    except ValidationError:  # refused again: leave the whole column to the plain way
        slow.update(given)
        return col
    col = list(col)
    for i, v in zip(keep, checked, strict=True):
        col[i] = v
    return col


def _chosei_classes(model: type[BaseModel]) -> list[type]:
    return [k for k in reversed(model.__mro__) if k.__module__.startswith("chosei.")]


@functools.cache
def column_plan(model: type[BaseModel]) -> _Plan | None:
    """How to validate `model` by columns, or None when only the plain way will do."""
    config = dict(model.model_config)
    if set(config) - _OTHER_SETTINGS - set(_FIELD_SETTINGS) or config.get("extra") not in (None, "ignore"):
        return None
    settings = cast(ConfigDict, {k: config[k] for k in _FIELD_SETTINGS if k in config})
    normalisers: dict[str, Callable[[Any], Any]] = {}
    written: list[tuple[str, str]] = []
    rules: list[Callable[[dict[str, Any]], dict[str, Any] | None]] = []
    for klass in _chosei_classes(model):
        for value in vars(klass).values():
            fn = value.__func__ if isinstance(value, classmethod | staticmethod) else value
            if not isinstance(fn, types.FunctionType):
                if isinstance(value, property):
                    return None
                continue
            if fn in _base._NORMALISERS:
                fields, normaliser = _base._NORMALISERS[fn]
                for f in fields:
                    if f in normalisers:  # two before-validators on one field
                        return None
                    normalisers[f] = normaliser
            elif fn in _base._WRITTEN:
                written.append(_base._WRITTEN[fn])
            elif fn in _base._RULES:
                rules.append(_base._RULES[fn])
            else:
                return None  # a validator (or anything callable) the helpers did not make
    required, defaults, checks = set(), {}, {}
    for name, info in model.model_fields.items():
        if info.default_factory is not None or info.validation_alias is not None or info.alias is not None:
            return None
        if info.is_required():
            required.add(name)
        elif info.default is PydanticUndefined or not isinstance(info.default, _IMMUTABLE):
            return None
        else:
            defaults[name] = info.default
        # The field's type with its constraints, as a type made at run time (mypy sees Any).
        item: Any = Annotated[info.annotation, *info.metadata] if info.metadata else info.annotation
        checks[name] = TypeAdapter(list[item], config=settings)
    if any(w in normalisers for _, w in written):
        return None
    return _Plan(tuple(model.model_fields), frozenset(required), defaults, tuple(written),
                 normalisers, checks, tuple(rules))
