"""The import's row models take their fields and limits from their tables' `XBase`."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import annotated_types
import pytest
from pydantic import BaseModel

import chosei.exchange.row_models
from chosei.exchange.row_models import FrequencyRow, GenotypeRow, HaplotypeRow, IdentificationRow
from chosei.models import AlleleFrequency, Genotype, HaplotypeCount, Identification
from chosei.models.genetics import AlleleFrequencyBase, GenotypeBase, HaplotypeCountBase
from chosei.models.identification import IdentificationBase
from chosei.vocab import DECIDED_STATUSES, IDENTIFICATION_STATUS

TRIPLES = [(GenotypeRow, GenotypeBase, Genotype), (FrequencyRow, AlleleFrequencyBase, AlleleFrequency),
           (HaplotypeRow, HaplotypeCountBase, HaplotypeCount),
           (IdentificationRow, IdentificationBase, Identification)]
ROOT = Path(__file__).resolve().parents[2]


def _limits(model: type[BaseModel]) -> dict[str, list[str]]:
    """Each field's pydantic limits (max length, bounds), as text; SQL options left out."""
    return {name: sorted(repr(m) for m in info.metadata if isinstance(m, annotated_types.BaseMetadata))
            for name, info in model.model_fields.items()}


@pytest.mark.parametrize(("row", "base", "table"), TRIPLES, ids=[r.__name__ for r, _, _ in TRIPLES])
def test_a_row_model_is_its_tables_base(row: type[BaseModel], base: type[BaseModel], table: Any) -> None:
    assert issubclass(row, base) and issubclass(table, base)
    assert list(row.model_fields) == list(base.model_fields)
    assert _limits(row) == _limits(base) == {n: _limits(table)[n] for n in base.model_fields}
    assert set(table.model_fields) - set(base.model_fields) <= {"id", "version", "override"}


def test_the_limits_compared_are_there() -> None:
    assert _limits(IdentificationRow)["posterior"] == ["Ge(ge=0)", "Le(le=1)"]
    assert _limits(FrequencyRow)["allele"] == ["MaxLen(max_length=16)"]


def test_no_limit_is_written_twice() -> None:
    """Each table's limits are written once, on its model (`chosei/models`)."""
    rows = Path(chosei.exchange.row_models.__file__).read_text(encoding="utf-8")
    assert re.findall(r"\b(?:max_length|min_length|ge|le|gt|lt)\s*=", rows) == []
    declared: dict[tuple[str, str], list[str]] = {}
    for path in sorted((ROOT / "chosei" / "models").glob("*.py")):
        klass = None
        for line in path.read_text(encoding="utf-8").splitlines():
            if m := re.match(r"class (\w+)", line):
                klass = m[1]
            elif (m := re.match(r"    (\w+): .*Field\(.*\b(?:max_length|ge|le)=", line)) and klass:
                table = re.sub(r"(Base|Create)$", "", klass)
                declared.setdefault((table, m[1]), []).append(f"{path.name}:{klass}")
    assert declared[("Identification", "posterior")] == ["identification.py:IdentificationBase"]
    assert {k: v for k, v in declared.items() if len(v) > 1} == {}


def test_identification_statuses_come_from_the_vocabulary() -> None:
    assert IDENTIFICATION_STATUS.codes == ("candidate", "confirmed", "rejected")
    assert set(DECIDED_STATUSES) < set(IDENTIFICATION_STATUS.codes)
    assert Identification.model_fields["status"].default == "candidate"
    assert IdentificationRow.model_validate({"specimen_id": "S-1", "victim_id": "CH-001"}).status \
        == "candidate"
    for blank in (None, "", "  "):
        assert IdentificationRow.model_validate(
            {"specimen_id": "S-1", "victim_id": "CH-001", "status": blank}).status == "candidate"
    assert IdentificationRow.model_validate(
        {"specimen_id": "S-1", "victim_id": "CH-001", "status": " Confirmed "}).status == "confirmed"
