"""The models' fast path is the model, on the rows it takes: checked on generated rows.

For every validating model the workbook import uses, rows are drawn field by field from
values of the field's own kind (plain and awkward IDs, codes and other terms, full,
partial and impossible ISO dates, text with and without surrounding space), numbers
around the constraints, None, and values of the wrong type. Whenever `FastPath`
answers, its answer must equal the model's, value and type. Canonical rows must take
the fast path (else it would pass these tests by never answering).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from chosei.exchange.rows import FrequencyRow, GenotypeRow, HaplotypeRow, IdentificationRow
from chosei.exchange.schema import HAPLOTYPE_KIND, IDENTIFICATION_STATUS
from chosei.models import _base
from chosei.models._base import fast_path
from chosei.models.recovery import CustodyEventCreate, OperationCreate, SpecimenCreate
from chosei.models.relatives import ConsentCreate, RelativeCreate
from chosei.models.samples import SampleCreate
from chosei.models.victims import VictimCreate, VictimNameCreate
from chosei.vocab import (
    CUSTODY_EVENT,
    ELEMENT,
    NATIONALITY,
    RELATIONSHIP,
    SAMPLE_STATUS,
    SAMPLE_TYPE,
    SCRIPT,
    SEX,
    SIDE,
    VOCABULARIES,
)

MODELS = [VictimCreate, VictimNameCreate, RelativeCreate, ConsentCreate, OperationCreate,
          SpecimenCreate, SampleCreate, CustodyEventCreate, FrequencyRow, HaplotypeRow,
          IdentificationRow]

_TERMS = sorted({t for v in VOCABULARIES.values() for c in v.codes
                 for t in (c, c.lower(), c.upper(), f" {c}", v.label(c, "ko"), v.label(c, "ja"))}
                | {"candidate", "confirmed", "Y", "mt", "mtDNA", "조카", "nope"})
_SPACES = ["", " ", "\t", "\u3000", "\xa0", "\x1c", "\n"]

ids = st.one_of(
    st.from_regex(r"[A-Z]{1,3}-?[0-9]{1,6}", fullmatch=True),
    st.builds(lambda a, b, c: a + b + c, st.sampled_from(_SPACES),
              st.sampled_from(["CH-001", "ＣＨ－００１", "ch 1", "a  b", "R‐12", "AーB", "ー1", "1.5"]),
              st.sampled_from(_SPACES)),
    st.text(max_size=70),
)
dates = st.one_of(
    st.dates(min_value=dt.date(1, 1, 1)).map(dt.date.isoformat),
    st.dates().map(lambda d: d.isoformat()[:7]),
    st.integers(0, 9999).map(lambda y: f"{y:04d}"),
    st.sampled_from(["1915-02-29", "1916-02-29", "1915-13", "1915-00", "0000-01-01", "1915-3-2",
                     "１９１５", "大正4年3月2日", "S17.2.3", " 1915-03-02", "1915/03/02", "915",
                     "2025-01-01T10:00", "2025-01-01 10:00"]),
)
texts = st.builds(lambda a, b, c: a + b + c, st.sampled_from(_SPACES),
                  st.one_of(st.text(max_size=12), st.sampled_from(["x\ud800y", "가족 1", "(clear)"])),
                  st.sampled_from(_SPACES))
numbers = st.one_of(st.integers(-10, 3000), st.floats(allow_nan=True, allow_infinity=True),
                    st.sampled_from([0, 1, 0.5, 1.0, 1850, 2100, 120, 121, 1000.0, 1e-9]),
                    st.booleans())
anything = st.one_of(st.none(), ids, dates, texts, numbers, st.sampled_from(_TERMS),
                     st.text(min_size=60, max_size=70, alphabet="ab"))
_RANDOM = {"id": ids, "date": dates, "text": texts, "term": st.sampled_from(_TERMS), "number": numbers}


def _kind(model: type, name: str) -> str:
    """Which of the strategies above suits a field best, from its validators."""
    for dec in model.__pydantic_decorators__.field_validators.values():
        if name in dec.info.fields:
            keeps = getattr(dec.func, "keeps", None)
            return {_base._keeps_id: "id", _base._keeps_date: "date",
                    _base._keeps_text: "text"}.get(keeps, "term")
    annotation = model.model_fields[name].annotation
    return "text" if annotation in (str, str | None) else \
        "float" if annotation in (float, float | None) else "int"


_VOCAB = {"nationality": NATIONALITY, "sex": SEX, "relationship": RELATIONSHIP, "script": SCRIPT,
          "element": ELEMENT, "side": SIDE, "type": SAMPLE_TYPE, "event": CUSTODY_EVENT,
          "kind": HAPLOTYPE_KIND}


def _canonical(model: type, name: str) -> st.SearchStrategy[Any]:
    """Values of the field's kind that its validators keep as they are."""
    kind = _kind(model, name)
    if kind == "id":
        return st.from_regex(r"[A-Z]{1,3}(-[0-9]{1,6})?( [a-z]{1,3})?", fullmatch=True)
    if kind == "date":
        return st.dates(min_value=dt.date(1, 1, 1)).flatmap(
            lambda d: st.sampled_from([d.isoformat(), d.isoformat()[:7], d.isoformat()[:4]]))
    if kind == "text":
        return st.text(min_size=1, max_size=12).map(str.strip).filter(bool)
    if kind == "term":
        vocab = _VOCAB.get(name) or (IDENTIFICATION_STATUS if model is IdentificationRow
                                     else SAMPLE_STATUS)
        return st.sampled_from(vocab.codes)
    bounds = {m.__class__.__name__: next(iter(vars(m).values()))
              for m in model.model_fields[name].metadata if hasattr(m, "__dict__") and len(vars(m)) == 1}
    lo, hi = bounds.get("Ge", 0), bounds.get("Le", 10_000)
    return st.integers(lo, hi) if kind == "int" else st.floats(lo, hi)


_NAN, _INF = float("nan"), float("inf")
# Values just outside (or on) what each sort of validator keeps.
_EDGES = {
    "id": ["CH-001 ", " CH-001", "ＣＨ－００１", "ch  1", "R‐12", "AーB", "A\tB", "", " ", "(clear)",
           "x\ud800", "A" * 64, "A" * 65, "가-1", "A\x1f", 12, 12.0, 12.5, True, None, _NAN],
    "date": ["1915-13", "1915-00", "1915-02-29", "1916-02-29", "0000", "0000-01", "0001", "1915-3-2",
             "１９１５", " 1915", "1915 ", "大正4年", "S17.2.3", "1915/03/02", "2025-01-01T10:00",
             "1915-03-02x", 1915, 1915.0, 40000.0, True, None, "", "x\ud800"],
    "text": [" a", "a ", "\ta", "a\n", "\xa0a", "a\x1c", "\u3000", "", " ", "x\ud800y", "(clear)",
             12, 1.5, True, None, "a" * 70, "ｆｕｌｌ"],
    "term": ["son", "Son", " son", "son ", "SON", "아들", "M", "m", "KR", "kr", "Y", "y", "mt", "조카",
             "", None, 1, True, "x\ud800"],
    "number": [-1, 0, 1, 120, 121, 1849, 1850, 2100, 2101, 1000, 1001, 0.0, 1.0, 0.5, 1.5, 1930.0,
               1e-9, -1e-9, True, False, "12", "0.5", None, _NAN, _INF, -_INF],
}
@st.composite
def rows(draw: st.DrawFn, model: type) -> dict[str, Any]:
    """Values the model keeps in every field but up to two, which get any other sort of
    value or are left out; optional fields are often left out."""
    names = list(model.model_fields)
    disturbed = draw(st.sets(st.sampled_from(names), max_size=2))
    row: dict[str, Any] = {}
    for name in names:
        if name in disturbed:
            choice = draw(st.integers(0, 4))
            kind = "number" if _kind(model, name) in ("int", "float") else _kind(model, name)
            if choice == 1:
                row[name] = draw(anything)
            elif choice in (2, 3):
                row[name] = draw(st.sampled_from(_EDGES[kind]))
            elif choice == 4:
                row[name] = draw(_RANDOM[kind])
        elif model.model_fields[name].is_required() or draw(st.booleans()):
            row[name] = draw(_canonical(model, name))
    if draw(st.booleans()):
        row["not_a_field"] = draw(anything)
    return row


def _model(model: type, data: dict[str, Any]) -> Any:
    try:
        obj = model.__pydantic_validator__.validate_python(data)
    except ValidationError:
        return "rejected"
    return _typed({name: getattr(obj, name) for name in model.model_fields})


def _typed(values: dict[str, Any]) -> dict[str, tuple[type, Any]]:
    return {k: (type(v), v) for k, v in values.items()}


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_fast_path_answers_as_the_model_does(model: type, data: st.DataObject) -> None:
    row = data.draw(rows(model))
    fast = fast_path(model)
    assert fast is not None
    answer = fast.validate(row)
    event("fast" if answer is not None else "model")
    if answer is not None:
        assert _typed(answer) == _model(model, row)


CANONICAL = {
    VictimCreate: {"id": "V-001", "nationality": "KR", "name_hangul": "김영", "birth_date": "1915-03",
                   "sex": "M", "age_at_death": 27, "notes": "from the 1942 list"},
    VictimNameCreate: {"victim_id": "V-001", "name": "金本", "script": "japanese"},
    RelativeCreate: {"id": "R-1", "victim_id": "V-001", "relationship": "son's son", "birth_year": 1950},
    OperationCreate: {"id": "OP-1", "date": "2024-10-29", "site": "piya"},
    SpecimenCreate: {"id": "S-1", "operation_id": "OP-1", "depth_m": 31.5, "element": "femur",
                     "side": "left"},
    SampleCreate: {"id": "X-1", "type": "bone", "collected_on": "2025", "status": "received"},
    FrequencyRow: {"population": "KR", "marker": "D3S1358", "allele": "15", "frequency": 0.25},
    HaplotypeRow: {"population": "KR", "kind": "Y", "haplotype": "DYS19=14", "count": 3},
    IdentificationRow: {"specimen_id": "S-1", "victim_id": "V-001", "lr": 1e6, "status": "confirmed",
                        "decided_on": "2025-06-01"},
}


@pytest.mark.parametrize("model", list(CANONICAL), ids=lambda m: m.__name__)
def test_canonical_rows_take_the_fast_path(model: type) -> None:
    row = CANONICAL[model]
    answer = fast_path(model).validate(row)  # type: ignore[union-attr]
    assert answer is not None
    assert _typed(answer) == _model(model, row)


def test_rows_breaking_a_rule_go_to_the_model() -> None:
    fast = fast_path(VictimCreate)
    assert fast is not None
    assert fast.validate({"id": "V-1", "nationality": "KR"}) is None  # no name: the model says why
    assert fast_path(SampleCreate).validate({"id": "X-1", "status": None}) is None  # type: ignore[union-attr]


def test_fields_with_validators_it_cannot_see_keep_their_rows_on_the_model() -> None:
    assert fast_path(GenotypeRow) is None  # its allele rule reads the marker
    # A custody time and a consent scope are read by validators that say nothing of
    # what they keep: a row holding one goes to the model.
    assert fast_path(CustodyEventCreate).validate(  # type: ignore[union-attr]
        {"item_id": "S-1", "event": "stored", "at": "2025-01-02"}) is None
    assert fast_path(ConsentCreate).validate(  # type: ignore[union-attr]
        {"relative_id": "R-1", "scope": "analysis"}) is None


@pytest.mark.parametrize("model", list(CANONICAL), ids=lambda m: m.__name__)
def test_each_edge_value_in_each_field_of_a_canonical_row(model: type) -> None:
    """Every value of `_EDGES` in every field, the rest of the row canonical, and every
    field left out in turn: the fast path answers as the model does, or not at all."""
    fast = fast_path(model)
    assert fast is not None
    base = CANONICAL[model]
    answered = 0
    for name in model.model_fields:
        kind = "number" if _kind(model, name) in ("int", "float") else _kind(model, name)
        variants = [{**base, name: value} for value in _EDGES[kind]]
        variants.append({k: v for k, v in base.items() if k != name})
        for row in variants:
            answer = fast.validate(row)
            if answer is not None:
                answered += 1
                assert _typed(answer) == _model(model, row), row
    assert answered
