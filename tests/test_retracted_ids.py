"""`corrections.retracted_ids`: a few IDs are looked up in one query; a workbook's worth
(more than a chunk) is matched against the entity's retractions read whole. Both ways
give the same answer: only retractions in force, only of the entity asked about."""

from __future__ import annotations

from chosei.models import Retraction
from chosei.services import corrections
from chosei.services.corrections import restore, retract, retracted_ids
from chosei.services.victims import add_victim
from tests.cli.storeview import fetch, writing


def test_few_and_many_ids_find_the_same_retractions(case: str) -> None:
    with writing(case) as s:
        for n in (1, 2, 3, 4):
            add_victim(s, {"id": f"V-00{n}", "nationality": "KR", "name_hangul": "김가온"})
        retract(s, "victim", "V-002", "same man as V-001")
        retract(s, "victim", "V-003", "typed twice")
        restore(s, "victim", "V-003", "not a duplicate after all")
        retract(s, "victim", "V-004", "not asked about")
    many = ["V-001", "V-002", "V-003"] + [f"N-{i}" for i in range(corrections._CHUNK + 1)]
    with writing(case) as s:
        few_found = retracted_ids(s, "victim", ["V-001", "V-002", "V-003"])
        many_found = retracted_ids(s, "victim", many)
        assert retracted_ids(s, "relative", many) == {}
        assert retracted_ids(s, "victim", []) == {}
    assert sorted(few_found) == sorted(many_found) == ["V-002"]
    assert few_found == many_found
    at, by, why = few_found["V-002"]
    assert (by, why) == ("tester", "same man as V-001")
    assert len(at) >= 10 and at[4] == "-"
    assert len(fetch(case, Retraction)) == 3
