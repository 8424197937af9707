"""Fixtures for the exchange tests: stores on both backends, workbooks built in code.

Workbooks are written with openpyxl (or xlsxwriter where a cached formula value is
needed) from plain lists: `{sheet: [header row, row, row…]}`. All data is fictional.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from chosei.exchange import export_workbook, import_workbook
from chosei.exchange.report import ExportReport, ImportReport
from chosei.models import AUDITED, AuditEntry
from chosei.store import Store, open_store, session_scope
from tests.exchange import richstore

Sheets = dict[str, list[list[Any]]]


def write_book(path: Path, sheets: Sheets, *, date1904: bool = False) -> Path:
    from openpyxl import Workbook
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    wb = Workbook()
    wb.remove(wb.active)
    if date1904:
        wb.epoch = CALENDAR_MAC_1904
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


@pytest.fixture
def store(case: str) -> Iterator[Store]:
    """An initialised, empty case on each backend."""
    st = open_store(case)
    yield st
    st.dispose()


@pytest.fixture(scope="session")
def _lite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from chosei.services.case import init_case

    path = tmp_path_factory.mktemp("lite") / "template.db"
    st = open_store(f"sqlite:///{path}")
    with session_scope(st, write=True, actor="tester") as s:
        init_case(s, "Test case")
    st.dispose()
    return path


@pytest.fixture
def lite(_lite_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    """An initialised, empty case on SQLite only, for tests about reading and writing
    files rather than the store (a copy of one migrated store: quick)."""
    path = tmp_path / "lite.db"
    shutil.copyfile(_lite_template, path)
    monkeypatch.setenv("CHOSEI_DB", f"sqlite:///{path}")
    st = open_store(f"sqlite:///{path}")
    yield st
    st.dispose()


@pytest.fixture
def rich(store: Store) -> Store:
    """The case filled with `richstore`: every sheet, awkward values included."""
    with session_scope(store, write=True, actor="tester") as s:
        richstore.fill(s)
    return store


@pytest.fixture
def book(tmp_path: Path) -> Callable[..., Path]:
    counter = iter(range(1000))

    def make(sheets: Sheets, name: str | None = None, **kw: Any) -> Path:
        return write_book(tmp_path / (name or f"book{next(counter)}.xlsx"), sheets, **kw)

    return make


def do_import(store: Store, path: Path, **kw: Any) -> ImportReport:
    with session_scope(store, write=not kw.get("dry_run"), actor="tester") as s:
        return import_workbook(s, path, **kw)


def do_export(store: Store, path: Path, **kw: Any) -> ExportReport:
    with session_scope(store, write=True, actor="tester") as s:
        return export_workbook(s, path, **kw)


def dump(store: Store, *, versions: bool = True) -> dict[str, Any]:
    """Every audited row (and the audit log's length): the store's whole state."""
    out: dict[str, Any] = {}
    with session_scope(store) as s:
        for cls in AUDITED:
            rows = []
            for r in s.execute(select(cls.__table__)).mappings():
                row = dict(r)
                if not versions:
                    row.pop("version", None)
                rows.append(row)
            out[cls.__tablename__] = sorted(rows, key=repr)
        out["audit"] = s.execute(select(func.count()).select_from(AuditEntry)).scalar_one()
    return out


def rows_of(store: Store, model: Any, *where: Any) -> list[dict[str, Any]]:
    with session_scope(store) as s:
        query = select(model.__table__).where(*where)
        return sorted((dict(r) for r in s.execute(query).mappings()), key=repr)


def one(store: Store, model: Any, key: Any) -> dict[str, Any] | None:
    with session_scope(store) as s:
        row = s.get(model, key)
        return None if row is None else row.model_dump()
