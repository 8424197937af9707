"""`audit.snapshots(table)`, the import's one call per row, gives what `row_key` and
`row_snapshot` give."""

from __future__ import annotations

from chosei import audit
from chosei.models import ConsentEvent, Relative


def _relative(**over: object) -> dict[str, object]:
    row = dict.fromkeys(c.name for c in Relative.__table__.columns)
    row.update(id="R-001", victim_id="V-001", relationship="son", version=1, **over)
    return row


def test_snapshots_agree_with_row_key_and_row_snapshot() -> None:
    table = Relative.__table__
    snap = audit.snapshots(table)
    cases = [
        _relative(),  # already its own snapshot
        _relative(birth_year=1950),
        _relative(birth_year="1950"),  # a number as text: coerced, as row_snapshot does
        {**_relative(), "extra": 1},  # a column too many: the columns only
    ]
    for values in cases:
        key, after = snap(dict(values))
        assert (key, after) == (audit.row_key(table, audit.row_snapshot(table, values)),
                                audit.row_snapshot(table, values))
        assert audit.canonical(after) == audit.canonical(audit.row_snapshot(table, values))
    key, after = snap(_relative(birth_year="1950"))
    assert key == "R-001" and after["birth_year"] == 1950 and "extra" not in snap({**_relative(), "extra": 1})[1]
    event = {"id": 7, "relative_id": "R-001", "scope": "analysis", "event": "given", "date": "2025-01-02",
             "agency": None, "form_ref": None, "version": 1}
    assert audit.snapshots(ConsentEvent.__table__)(event) == ("7", event)
