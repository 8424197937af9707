"""The Identifications sheet cannot forge an identification: a new row names a computed
pair and takes the tracker's numbers, a decision names who and when, a confirmation
passes the guard rails of `match confirm`; anything else is a per-cell error and
nothing is imported (exit 6)."""

from __future__ import annotations

from datetime import date

import pytest

from chosei.models import Identification
from chosei.services.recovery import add_specimen
from tests.cli.storeview import fetch, snapshot, writing
from tests.exchange.conftest import write_book
from tests.match import scene

RUN = "match run --dropout 0 --mutation none --threshold 100"
HEAD = ["Specimen ID", "Victim ID", "LR", "Posterior", "Status", "Decided on", "Decided by"]
TODAY = date.today().isoformat()


@pytest.fixture
def computed(case: str, cli) -> str:  # type: ignore[no-untyped-def]
    """The match scene, run: SP-001..SP-005 against V-001..V-003 (15 computed pairs)."""
    scene.build(case)
    cli(RUN)
    return case


def _import(cli, tmp_path, rows: list[list], code: int = 0):  # type: ignore[no-untyped-def]
    path = write_book(tmp_path / "decisions.xlsx", {"Identifications": [HEAD, *rows]})
    return cli(f"import {path}", expect=code)


def test_the_forged_workbook_of_the_issue_is_refused(computed: str, cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A `confirmed` identification for a specimen with no DNA and no computed match, no decider."""
    with writing(computed) as s:
        add_specimen(s, {"id": "SP-009", "element": "cranium"})
    before = snapshot(computed)
    result = _import(cli, tmp_path, [["SP-009", "V-001", 3.2e15, 0.99999, "confirmed", None, None]], code=6)
    assert result.stderr.splitlines() == [
        "  Identifications, row 2, Victim ID: specimen SP-009 and victim V-001 have no computed match: a new "
        "identification names a pair `chosei match run` computed; run it, or remove the row",
        "  Identifications, row 2, Decided on: a confirmed identification needs when: fill it in",
        "  Identifications, row 2, Decided by: a confirmed identification needs who decided: fill it in",
        "Error: decisions.xlsx has 3 problems; nothing was imported",
    ]
    assert snapshot(computed) == before
    assert fetch(computed, Identification, Identification.specimen_id == "SP-009") == []


def test_a_new_row_takes_the_trackers_numbers_and_the_cells_must_agree(computed: str, cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    before = snapshot(computed)
    result = _import(cli, tmp_path, [["SP-002", "V-002", 3.2e15, 0.99999, "rejected", "2026-02-01", "board"]],
                     code=6)
    assert result.stderr.splitlines()[:-1] == [
        "  Identifications, row 2, LR: is not the tracker's value (2.14285714285714): the numbers come from "
        "`chosei match run`; clear the cell or put the tracker's value back",
        "  Identifications, row 2, Posterior: is not the tracker's value (0.0116369278510473): the numbers come "
        "from `chosei match run`; clear the cell or put the tracker's value back",
    ]
    assert snapshot(computed) == before
    _import(cli, tmp_path, [["SP-002", "V-002", None, None, "rejected", "2026-02-01", "board"]])
    row = fetch(computed, Identification, Identification.specimen_id == "SP-002")[0]
    assert (row["status"], row["lr"], row["posterior"], row["method"]) == (
        "rejected", pytest.approx(15 / 7), pytest.approx(15 / 1289),  # 15/7 / (15/7 + 182)
        "chosei match run (population KR, theta 0, mutation none)")


def test_a_confirmation_from_a_workbook_records_the_recomputed_numbers(computed: str, cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _import(cli, tmp_path, [["SP-001", "V-001", None, None, "confirmed", "2026-02-01", "joint board"]])
    row = fetch(computed, Identification, Identification.specimen_id == "SP-001")[0]
    assert (row["status"], row["decided_by"], row["lr"]) == ("confirmed", "joint board", pytest.approx(200))
    assert row["posterior"] == pytest.approx(200 / 382)  # closed set: the other pairs and uncompared victims add 182


def test_a_workbook_cannot_confirm_past_the_guard_rails(computed: str, cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    before = snapshot(computed)
    result = _import(cli, tmp_path, [["SP-003", "V-001", None, None, "confirmed", "2026-02-01", "board"]], code=6)
    assert result.stderr.splitlines()[:-1] == [
        "  Identifications, row 2, Status: specimen SP-003 is not confirmed as victim V-001: the DNA excludes it "
        "(at D3S1358); and its posterior 0 is below 0.5; if other evidence settles it, confirm it with "
        "`chosei match confirm SP-003 V-001 --by NAME --override \"REASON\"`"]
    assert snapshot(computed) == before


def test_a_workbook_confirmation_of_a_forged_result_is_refused(computed: str, cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tests.match.test_match_forgery import FORGE, _sql

    _sql(computed, FORGE)
    before = snapshot(computed)
    result = _import(cli, tmp_path, [["SP-003", "V-001", None, None, "confirmed", "2026-02-01", "board"]], code=6)
    assert result.stderr.splitlines()[0].startswith(
        "  Identifications, row 2, Status: the stored match of specimen SP-003 and victim V-001 is not the "
        "tracker's (stored LR 3.2e+15, posterior 0.99999; recomputed LR 0, posterior 0 from the store's genotypes)")
    assert snapshot(computed) == before


def test_an_exported_workbook_imports_back_unchanged(computed: str, cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    cli("match confirm SP-001 V-001 --by board")
    cli("match confirm SP-003 V-001 --by board --override 'dental chart'")
    path = tmp_path / "out.xlsx"
    cli(f"export {path}")
    before = snapshot(computed)
    cli(f"import {path}")
    assert {k: v for k, v in snapshot(computed).items() if k != "audit_entries"} == \
        {k: v for k, v in before.items() if k != "audit_entries"}
