"""Turning validation errors into messages that name the field and what to fix.

`validation_problems` is also what the workbook import reports per cell, so its
(field, message) pairs are pinned here; no store is needed.
"""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from chosei.errors import InvalidInput
from chosei.models.recovery import SpecimenCreate
from chosei.models.relatives import RelativeCreate
from chosei.models.victims import VictimCreate
from chosei.services.lookup import require_id
from chosei.services.validation import invalid_input, parse_day, validate, validation_problems


def _error(model: type, data: dict) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        model.model_validate(data)
    return info.value


@pytest.mark.parametrize(
    ("model", "data", "problems"),
    [
        pytest.param(VictimCreate, {"id": "V1", "name_hangul": "김가온"},
                     [("nationality", "is required")], id="missing"),
        pytest.param(VictimCreate, {"id": "V1", "nationality": "KR", "name_hangul": "김가온",
                                    "age_at_death": "twenty"},
                     [("age_at_death", "'twenty' must be a whole number")], id="not-a-number"),
        pytest.param(SpecimenCreate, {"id": "S1", "depth_m": -2.5},
                     [("depth_m", "'-2.5' must be at least 0")], id="below-minimum"),
        pytest.param(VictimCreate, {"id": "V1", "nationality": "KR", "name_hangul": "김가온",
                                    "birth_date": "1915-02-30"},
                     [("birth_date", "'1915-02-30' is not a date: February 1915 has 28 days")],
                     id="date-message"),
        pytest.param(RelativeCreate, {"id": "R1", "victim_id": "V1", "relationship": "손자"},
                     [("relationship", "'손자'만으로는 어느 쪽 계통인지 알 수 없습니다: 친손자 (son's son) 또는 "
                                       "외손자 (daughter's son) 중 하나로 쓰십시오")],
                     id="vocab-message"),
        pytest.param(VictimCreate, {"id": "V1", "nationality": "JP"},
                     [(None, "a victim needs at least one name (hangul, hanja, japanese, "
                             "reading or latin)")], id="whole-row"),
    ],
)
def test_validation_problems(model: type, data: dict, problems: list) -> None:
    assert validation_problems(_error(model, data)) == problems


def test_sensitive_values_are_not_repeated() -> None:
    exc = _error(RelativeCreate, {"id": "R1", "victim_id": "V1", "relationship": "son",
                                  "contact": 12345})
    assert validation_problems(exc) == [
        ("contact", "is not acceptable (the value is not shown: it is sensitive)")]
    assert "12345" not in invalid_input(exc).message


def test_invalid_input_is_one_line_naming_each_field() -> None:
    exc = _error(VictimCreate, {"id": "V1", "nationality": "XX", "name_hangul": "김가온",
                                "age_at_death": 130})
    error = invalid_input(exc)
    assert isinstance(error, InvalidInput) and error.exit_code == 1
    # A vocabulary message already names what it is about; others get the field's name.
    assert error.message == ("'XX' is not a nationality; expected one of: KR, JP; "
                             "age at death: '130' must be at most 120")


def test_validate_passes_a_model_through() -> None:
    model = VictimCreate.model_validate({"id": "V1", "nationality": "KR", "name_latin": "Kim"})
    assert validate(VictimCreate, model) is model
    assert validate(VictimCreate, {"id": " Ｖ１ ", "nationality": "Korea",
                                   "name_latin": "Kim"}).id == "V1"


def test_require_id_and_parse_day() -> None:
    assert require_id("ＣＨ－００１", "specimen") == "CH-001"
    with pytest.raises(InvalidInput, match="^give the specimen's ID$"):
        require_id("  ", "specimen")
    assert parse_day("昭和17年2月3日", "date") == "1942-02-03"
    assert parse_day(None, "date") is None
    with pytest.raises(InvalidInput, match="^date: '1942-13' is not a date: the month must be "):
        parse_day("1942-13", "date")
