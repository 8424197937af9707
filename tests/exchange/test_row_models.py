"""The import's row models restate their tables' limits; these tests hold them equal."""

from __future__ import annotations

from typing import Any

import annotated_types
import pytest
from pydantic import BaseModel

from chosei.exchange.rows import FrequencyRow, GenotypeRow, HaplotypeRow, IdentificationRow
from chosei.models import AlleleFrequency, Genotype, HaplotypeCount, Identification
from chosei.vocab import DECIDED_STATUSES, IDENTIFICATION_STATUS

PAIRS = [(GenotypeRow, Genotype), (FrequencyRow, AlleleFrequency),
         (HaplotypeRow, HaplotypeCount), (IdentificationRow, Identification)]


def _limits(model: type[BaseModel]) -> dict[str, list[str]]:
    """Each field's pydantic limits (max length, bounds), as text; SQL options left out."""
    return {name: sorted(repr(m) for m in info.metadata if isinstance(m, annotated_types.BaseMetadata))
            for name, info in model.model_fields.items()}


@pytest.mark.parametrize(("row", "table"), PAIRS, ids=[r.__name__ for r, _ in PAIRS])
def test_a_row_model_has_its_tables_fields_and_limits(row: type[BaseModel], table: Any) -> None:
    mine, theirs = _limits(row), _limits(table)
    assert set(mine) <= set(theirs)
    assert {n: mine[n] for n in mine} == {n: theirs[n] for n in mine}


def test_the_limits_compared_are_there() -> None:
    assert _limits(IdentificationRow)["posterior"] == ["Ge(ge=0)", "Le(le=1)"]
    assert _limits(FrequencyRow)["allele"] == ["MaxLen(max_length=16)"]


def test_identification_statuses_come_from_the_vocabulary() -> None:
    assert IDENTIFICATION_STATUS.codes == ("candidate", "confirmed", "rejected")
    assert set(DECIDED_STATUSES) < set(IDENTIFICATION_STATUS.codes)
    assert Identification.model_fields["status"].default == "candidate"
    assert IdentificationRow.model_validate({"specimen_id": "S-1", "victim_id": "CH-001"}).status \
        == "candidate"
