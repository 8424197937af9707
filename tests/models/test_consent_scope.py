"""A consent event's scope is read by the vocabulary (one home), not by a copy on the model."""

import pytest
from pydantic import ValidationError

from chosei.models.relatives import ConsentEventCreate


def _event(scope: str) -> ConsentEventCreate:
    return ConsentEventCreate.model_validate(
        {"relative_id": "R-001", "scope": scope, "event": "given", "date": "2025-10-01"})


@pytest.mark.parametrize(("written", "code"), [
    ("analysis", "analysis"), ("Analyze", "analysis"), ("분석", "analysis"), ("分析", "analysis"),
    ("share:kr", "share:KR"), ("공유:KR", "share:KR"), ("共有:JP", "share:JP"),
])
def test_scope_terms(written: str, code: str) -> None:
    assert _event(written).scope == code


def test_scope_refused_with_the_vocabulary_message() -> None:
    with pytest.raises(ValidationError) as err:
        _event("share:CN")
    assert err.value.errors()[0]["msg"] == (
        "Value error, 'share:CN' is not a consent scope (did you mean share:KR?); "
        "expected one of: analysis, share:KR, share:JP")
