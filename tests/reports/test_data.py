"""`report_data` asks the database a fixed number of questions, whatever the store holds."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event

from chosei.models import ConsentEvent, CustodyEvent, Relative, Sample, Specimen, Victim
from chosei.reports.common import Audience
from chosei.reports.data import report_data
from chosei.store import open_store, session_scope
from tests.reports.minicase import fill, mini_rows


def _statements(url: str, audience: Audience) -> int:
    store = open_store(url)
    seen: list[str] = []
    event.listen(store.engine, "before_cursor_execute",
                 lambda *args: seen.append(args[2]))
    try:
        with session_scope(store) as s:
            report_data(s, audience)
    finally:
        store.dispose()
    return len(seen)


def _bigger() -> list[Any]:
    rows = mini_rows()
    for i in range(40):
        vid, rid = f"W-{i:03d}", f"Q-{i:03d}"
        rows += [
            Victim(id=vid, nationality="KR" if i % 3 else "JP", name_hangul=f"이름{i}"),
            Relative(id=rid, victim_id=vid, relationship="sister's son"),
            ConsentEvent(relative_id=rid, scope="analysis"),
            Sample(id=f"T-{i:03d}", relative_id=rid, status="profiled",
                   status_date=f"2025-{1 + i % 12:02d}-01"),
            Specimen(id=f"X-{i:03d}", element="rib", recovered_on="2026-03-01"),
            CustodyEvent(item_id=f"X-{i:03d}", event="recovered", at="2026-03-01T08:00:00"),
        ]
    return rows


def test_statement_count_does_not_grow_with_the_store(tmp_path) -> None:
    small, big = f"sqlite:///{tmp_path / 'small.db'}", f"sqlite:///{tmp_path / 'big.db'}"
    fill(small, mini_rows)
    fill(big, _bigger)
    for audience in (Audience(), Audience.of("partner", "KR")):
        # the overrides list and the audit head are read once each; coverage reads which
        # relatives were typed for Y-STR or mtDNA once; the families drawn read the case's
        # DNA (`load_case_dna`: 7) and, for a partner, who is visible (1)
        assert _statements(small, audience) == _statements(big, audience) <= 25
