"""`validate_many` column by column against its oracle, the model's own `model_validate`
row by row: the same values for good rows, the same errors, word for word, for bad ones."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from chosei.exchange.row_models import FrequencyRow, GenotypeRow, HaplotypeRow, IdentificationRow
from chosei.models.family import FamilyPersonCreate
from chosei.models.many import column_plan, validate_many, validate_plain
from chosei.models.recovery import CustodyEventCreate, OperationCreate, SpecimenCreate
from chosei.models.relatives import ConsentEventCreate, RelativeCreate
from chosei.models.samples import SampleCreate
from chosei.models.victims import VictimCreate, VictimNameCreate
from chosei.services.validation import validation_problems

FW_ID = "ＣＨ－００１"  # full width: NFKC makes it CH-001

RELATIVES: list[dict[str, Any]] = [
    # good, as a workbook's cells read them, then as a person types them
    {"id": "R-1", "victim_id": "V-1", "relationship": "son", "sex": "M", "birth_year": 1930,
     "name": "가족 1", "contact": "010-0000-0000", "notes": "two\nlines"},
    {"id": " R-2 ", "victim_id": FW_ID, "relationship": "아들", "sex": "남", "birth_year": 1930.0},
    {"id": 12.0, "victim_id": 7, "relationship": "Son's son", "sex": "m", "name": "  x  "},
    {"id": "R-4", "victim_id": "V-1", "relationship": "sister", "sex": None, "notes": ""},
    {"id": "R-5", "victim_id": "V-1", "relationship": "brother", "extra": "ignored"},
    # bad, each its own way
    {"id": "R 6", "victim_id": "V-1", "relationship": "son"},
    {"id": "R-7", "victim_id": "V-1", "relationship": "조카"},
    {"id": "R-8", "victim_id": "V-1", "relationship": "nephw"},
    {"id": "R-9", "victim_id": "V-1", "relationship": "daughter", "sex": "M"},
    {"id": "R-10", "victim_id": "V-1", "relationship": "son", "birth_year": 1849},
    {"id": "R-11", "victim_id": "V-1", "relationship": "son", "birth_year": 2999},
    {"id": "R-12", "victim_id": "V-1", "relationship": "son", "birth_year": 1930.5},
    {"id": "R-13", "victim_id": "V-1", "relationship": "son", "birth_year": "1930"},
    {"id": "R-14", "victim_id": "V-1", "relationship": "son", "name": "bell\x07"},
    {"id": "R-15", "relationship": "son"},
    {"id": "x" * 65, "victim_id": "V-1", "relationship": "son"},
    {"id": True, "victim_id": "V-1", "relationship": "son"},
    {"id": "R-17", "victim_id": None, "relationship": None, "sex": "Q", "birth_year": "old"},
    {"id": "R-18", "victim_id": "V-1", "relationship": "son", "notes": 5},
]

VICTIMS: list[dict[str, Any]] = [
    {"id": "V-1", "nationality": "KR", "name_hangul": "김영", "sex": "M", "birth_date": "1915-03-02"},
    {"id": "V-2", "nationality": "조선", "name_japanese": "金本", "birth_date": "大正4年3月2日"},
    {"id": "V-3", "nationality": "JP", "name_latin": "Kim", "birth_date": "circa 1915",
     "age_at_death": 27},
    {"id": "V-4", "nationality": "KR", "name_hangul": "김", "birth_date": "1915",
     "birth_date_written": "1915年頃"},
    {"id": "V-5", "nationality": "KR", "name_hangul": "김", "birth_date": "1916",
     "birth_date_written": "1915年頃"},
    {"id": "V-6", "nationality": "KR", "name_hangul": "김", "birth_date": "1942-05-01"},
    {"id": "V-7", "nationality": "KR", "name_hangul": "김", "birth_date": "2999-01-01"},
    {"id": "V-8", "nationality": "KR"},
    {"id": "V-9", "nationality": "KR", "name_hangul": "Kim"},
    {"id": "V-10", "nationality": "KR", "name_hangul": "김", "birth_date": "1915",
     "age_at_death": 60},
    {"id": "V-11", "nationality": "XX", "name_hangul": "김", "birth_date": "yesterday"},
    {"id": "V-12", "nationality": "KR", "name_hangul": "김", "age_at_death": 121},
]

SAMPLES: list[dict[str, Any]] = [
    {"id": "X-1", "relative_id": "R-1", "type": "saliva", "collected_on": "2025-01-02",
     "lab": "NPA", "lab_ref": "L-1", "status": "collected", "status_date": "2025-01"},
    {"id": "X-2", "specimen_id": "S-1", "type": "tooth", "status": None},
    {"id": "X-3", "relative_id": "R-1", "type": "타액", "collected_on": "2025년 1월 2일"},
    {"id": "X-4", "relative_id": "R-1", "specimen_id": "S-1", "type": "saliva"},
    {"id": "X-5", "specimen_id": "S-1", "type": "saliva"},
    {"id": "X-6", "relative_id": "R-1", "type": "saliva", "collected_on": "2999-01-01"},
    {"id": "X-7", "relative_id": "R-1", "type": "saliva", "status": "lost"},
    {"id": "X-8", "relative_id": "R-1", "type": "saliva", "status_date": "2025-13"},
]

IDENTIFICATIONS: list[dict[str, Any]] = [
    {"specimen_id": "S-1", "victim_id": "V-1"},
    {"specimen_id": "S-1", "victim_id": "V-2", "lr": 1e6, "posterior": 0.99, "status": "confirmed",
     "decided_on": "2025-05-01", "decided_by": "kim"},
    {"specimen_id": "S-1", "victim_id": "V-3", "posterior": 1.5, "status": "maybe"},
    {"specimen_id": "S-1", "victim_id": "V-4", "lr": -1, "decided_on": "2999"},
]

FREQUENCIES: list[dict[str, Any]] = [
    {"population": "KR", "marker": "D8S1179", "allele": "13", "frequency": 0.25},
    {"population": " KR ", "marker": "vWA", "allele": "17", "frequency": 1.25, "sample_size": 0},
    {"population": "KR" * 20, "marker": "TH01", "allele": "9.3", "frequency": "x"},
]

HAPLOTYPES: list[dict[str, Any]] = [
    {"population": "KR", "kind": "Y", "haplotype": "DYS19=14", "count": 3},
    {"population": "KR", "kind": "mtDNA", "haplotype": "16223T", "count": -1},
    {"population": "KR", "kind": "Z", "haplotype": None, "count": 1},
]

NAMES: list[dict[str, Any]] = [
    {"victim_id": "V-1", "name": "김영", "script": "hangul", "source": "list"},
    {"victim_id": "V-1", "name": "金本", "script": "한자"},
    {"victim_id": "V-1", "name": "Kim", "script": "hangul"},
    {"victim_id": "V-1", "name": " ", "script": "runes"},
]

OPERATIONS: list[dict[str, Any]] = [
    {"id": "OP-1", "date": "2024-02-03", "site": "Chosei", "team": "KR/JP"},
    {"id": "OP-2", "date": "令和6年2月3日", "notes": " n "},
    {"id": "OP-3", "date": "2999-01-01"},
    {"id": "OP 4"},
]

FAMILY: list[dict[str, Any]] = [
    {"victim_id": "V-1", "label": "F", "sex": "M"},
    {"victim_id": "V-1", "label": "R-1", "father": "F", "mother": "M", "relative_id": "R-1",
     "sex": "여"},
    {"victim_id": "V-1", "label": "a b"},
    {"victim_id": "V-1", "label": "C", "sex": "X", "father": "z" * 65},
]

CASES: list[tuple[type[BaseModel], list[dict[str, Any]]]] = [
    (RelativeCreate, RELATIVES), (VictimCreate, VICTIMS), (SampleCreate, SAMPLES),
    (IdentificationRow, IDENTIFICATIONS), (FrequencyRow, FREQUENCIES), (HaplotypeRow, HAPLOTYPES),
    (VictimNameCreate, NAMES), (OperationCreate, OPERATIONS), (FamilyPersonCreate, FAMILY),
]


def _shown(result: dict[str, Any] | ValidationError) -> Any:
    """A result as compared: the values with their types, or the error as its text and as
    the messages an import shows."""
    if isinstance(result, ValidationError):
        return ("error", str(result), validation_problems(result))
    return {name: (type(v).__name__, v) for name, v in result.items()}


def _oracle(model: type[BaseModel], rows: list[dict[str, Any]]) -> list[Any]:
    return [_shown(validate_plain(model, r)) for r in rows]


@pytest.mark.parametrize(("model", "rows"), CASES, ids=[m.__name__ for m, _ in CASES])
def test_by_columns_as_row_by_row(model: type[BaseModel], rows: list[dict[str, Any]]) -> None:
    assert column_plan(model) is not None  # the fast way is the one tested
    good = [r for r in rows if not isinstance(validate_plain(model, r), ValidationError)]
    assert 0 < len(good) < len(rows)  # both kinds are there
    # the rows together, each alone, the good ones alone (columns a normaliser keeps), many
    for batch in (rows, *([r] for r in rows), good, good * 50, rows * 20):
        assert list(map(_shown, validate_many(model, batch))) == _oracle(model, batch)


def test_the_plain_way_is_the_models() -> None:
    done = validate_many(RelativeCreate, RELATIVES[:1], fast=False)
    assert done == [{"id": "R-1", "victim_id": "V-1", "relationship": "son", "name": "가족 1",
                     "sex": "M", "birth_year": 1930, "contact": "010-0000-0000",
                     "notes": "two\nlines"}]
    second = validate_many(RelativeCreate, RELATIVES[1:2])[0]
    assert second == {"id": "R-2", "victim_id": "CH-001", "relationship": "son", "name": None,
                      "sex": "M", "birth_year": 1930, "contact": None, "notes": None}
    assert type(second["birth_year"]) is int


def test_a_bad_row_gets_the_models_own_messages() -> None:
    [done] = validate_many(RelativeCreate, [RELATIVES[8]])
    assert isinstance(done, ValidationError)
    assert validation_problems(done) == [
        ("sex", "a daughter is female, not M: correct the sex or the relationship")]
    [done] = validate_many(VictimCreate, [VICTIMS[7]])
    assert isinstance(done, ValidationError)
    assert validation_problems(done) == [
        (None, "a victim needs at least one name (hangul, hanja, japanese, reading or latin)")]


def test_written_dates_kept_as_the_model_keeps_them() -> None:
    done = validate_many(VictimCreate, VICTIMS[:5])
    assert [(d["birth_date"], d["birth_date_written"]) for d in done if isinstance(d, dict)] == [
        ("1915-03-02", None), ("1915-03-02", "大正4年3月2日"), ("1915", "circa 1915"),
        ("1915", "1915年頃"), ("1916", None)]


@pytest.mark.parametrize("model", [GenotypeRow, ConsentEventCreate, SpecimenCreate,
                                   CustodyEventCreate])
def test_models_with_their_own_validators_are_validated_the_plain_way(model: type[BaseModel]) -> None:
    assert column_plan(model) is None
    rows = [{"sample_id": "X-1", "marker": "TH01", "allele1": "9.3"}, {}]
    assert list(map(_shown, validate_many(model, rows))) == _oracle(model, rows)


def test_the_plan_knows_each_fields_normaliser() -> None:
    plan = column_plan(RelativeCreate)
    assert plan is not None
    assert sorted(plan.normalisers) == ["contact", "id", "name", "notes", "relationship", "sex",
                                        "victim_id"]
    assert len(plan.rules) == 1
    victims = column_plan(VictimCreate)
    assert victims is not None
    assert victims.written == (("birth_date", "birth_date_written"),) and len(victims.rules) == 2
