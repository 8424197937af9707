"""The import writes and audits a sheet's rows a part at a time (`importer.WRITTEN_AT_ONCE`);
the rows and the audit entries are those of one write of them all:
table by table (the foreign keys' order), new rows then changed ones, each in sheet order."""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import select

from chosei import audit
from chosei.exchange import import_workbook, importer
from chosei.models import AuditEntry, ConsentEvent
from chosei.store import Store, open_store, session_scope
from tests.exchange.conftest import rows_of, write_book

V_HEAD = ["Victim ID", "Nationality", "Name (Hangul)", "Notes"]
R_HEAD = ["Relative ID", "Victim ID", "Relationship", "Notes", "Consent date", "Consent scope"]
FIRST = {
    "Victims": [V_HEAD, ["V-001", "KR", "김일", None], ["V-002", "KR", "김이", None],
                ["V-003", "JP", "김삼", "note"]],
    "Relatives": [R_HEAD, ["R-001", "V-001", "son", None, "2025-03-01", "analysis"],
                  ["R-002", "V-001", "daughter", None, None, None],
                  ["R-003", "V-002", "brother", "n3", "2025-04-01", "analysis;share:KR"],
                  ["R-004", "V-003", "sister", None, None, None],
                  ["R-005", "V-003", "son", None, None, None]],
}
SECOND = {
    "Relatives": [R_HEAD, ["R-001", None, None, None, "2025-06-01", "analysis"],
                  ["R-002", None, "sister", "now a sister", None, None],
                  ["R-006", "V-002", "son", None, "2025-05-01", "analysis"],
                  ["R-004", None, None, "n4", None, None]],
}


def _import(store: Store, path: Path, at: str | None = None) -> None:
    with session_scope(store, write=True, actor="tester") as s:
        if at is not None:
            s.info["audit_at"] = at  # one time for every entry: hashes comparable between stores
        import_workbook(s, path)


def _entries(store: Store, since: int = 0) -> list[tuple[object, ...]]:
    with session_scope(store) as s:
        return [tuple(r) for r in s.execute(
            select(AuditEntry.__table__).where(AuditEntry.seq > since).order_by(AuditEntry.seq))]


def test_entries_in_one_write_order_across_parts(store, tmp_path, monkeypatch):
    """Parts of two rows: the order is still table by table, new rows first."""
    monkeypatch.setattr(importer, "WRITTEN_AT_ONCE", 2)
    start = len(_entries(store))
    _import(store, write_book(tmp_path / "first.xlsx", FIRST))
    _import(store, write_book(tmp_path / "second.xlsx", SECOND))
    got = [(e[3], e[4], e[5]) for e in _entries(store, start)]  # action, entity, key
    assert got == [
        ("import", "workbook", "first.xlsx"),
        ("create", "victim", "V-001"), ("create", "victim", "V-002"), ("create", "victim", "V-003"),
        *[("create", "relative", f"R-00{n}") for n in range(1, 6)],
        ("create", "consent_event", "1"), ("create", "consent_event", "2"),
        ("create", "consent_event", "3"),
        ("import", "workbook", "second.xlsx"),
        ("create", "relative", "R-006"),
        ("update", "relative", "R-002"), ("update", "relative", "R-004"),
        ("create", "consent_event", "4"), ("create", "consent_event", "5"),
    ]
    assert [(c["id"], c["relative_id"], c["scope"], c["date"]) for c in
            sorted(rows_of(store, ConsentEvent), key=lambda c: c["id"])] == [
        (1, "R-001", "analysis", "2025-03-01"), (2, "R-003", "analysis", "2025-04-01"),
        (3, "R-003", "share:KR", "2025-04-01"), (4, "R-001", "analysis", "2025-06-01"),
        (5, "R-006", "analysis", "2025-05-01")]
    with session_scope(store) as s:
        assert audit.verify(s).ok


def test_parts_write_what_one_write_does(_lite_template, tmp_path, monkeypatch):
    """The same workbooks imported in parts of two rows and in one part: the same rows and
    the same audit entries, hashes included."""
    first = write_book(tmp_path / "first.xlsx", FIRST)
    second = write_book(tmp_path / "second.xlsx", SECOND)
    logs, tables = [], []
    for size in (2, 10_000):
        monkeypatch.setattr(importer, "WRITTEN_AT_ONCE", size)
        path = tmp_path / f"store{size}.db"
        shutil.copyfile(_lite_template, path)
        st = open_store(f"sqlite:///{path}")
        _import(st, first, "2026-01-01T00:00:00.000000+00:00")
        _import(st, second, "2026-01-02T00:00:00.000000+00:00")
        logs.append(_entries(st))
        with session_scope(st) as s:
            tables.append({t: [tuple(r) for r in s.execute(select(AuditEntry.metadata.tables[t]))]
                           for t in ("victim", "relative", "consent_event")})
        st.dispose()
    assert len(logs[0]) == 1 + 18  # the case, then the two imports
    assert logs[0] == logs[1]
    assert tables[0] == tables[1]
