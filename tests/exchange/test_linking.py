"""Rows keyed by a victim's name rather than the ID: a register from a family association."""

from __future__ import annotations

import pytest

from chosei.errors import WorkbookRejected
from chosei.models import Identification, Relative, VictimName
from chosei.store import session_scope
from tests.exchange.conftest import do_import, rows_of

V_HEAD = ["Victim ID", "Nationality", "Name (Hangul)", "Name (Japanese)", "Reading", "Name (Latin)"]
KIM = ["V-001", "KR", "김정웅", "金本正雄", "かねもと まさお", None]
PARK = ["V-002", "KR", "박영수", "新井英洙", None, None]
R_HEAD = ["Relative ID", "Victim ID", "Relationship"]


@pytest.fixture
def roster(store, book):  # type: ignore[no-untyped-def]
    do_import(store, book({"Victims": [V_HEAD, KIM, PARK]}))
    return store


def test_a_victim_id_cell_holding_a_name_links_the_row(roster, book):
    # A workbook adds no identification the tracker did not compute: this one is in the store.
    do_import(roster, book({"Specimens": [["Specimen ID"], ["S-1"]]}))
    with session_scope(roster, write=True, actor="tester") as s:
        s.add(Identification(specimen_id="S-1", victim_id="V-002"))
    path = book({
        "Names": [["Victim ID", "Name", "Script"], ["カネモト　マサオ", "金本 正男", "japanese"]],
        "Relatives": [R_HEAD, ["R-001", "金本正雄", "son"], ["R-002", "Park Yeong-su", "daughter"]],
        "Specimens": [["Specimen ID"], ["S-1"]],
        "Identifications": [["Specimen ID", "Victim ID", "Status"], ["S-1", "박영수", "candidate"]],
    })
    report = do_import(roster, path)
    assert report.warnings == [
        "Names, row 2: Victim ID 'カネモト マサオ' is no victim ID but the name of V-001 "
        "(かねもと まさお); the row was linked to V-001",
        "Relatives, row 2: Victim ID '金本正雄' is no victim ID but the name of V-001 (金本正雄); "
        "the row was linked to V-001",
        "Relatives, row 3: Victim ID 'Park Yeong-su' is no victim ID but the name of V-002 "
        "(박영수); the row was linked to V-002",
        "Identifications, row 2: Victim ID '박영수' is no victim ID but the name of V-002 (박영수); "
        "the row was linked to V-002",
    ]
    assert [(r["id"], r["victim_id"]) for r in rows_of(roster, Relative)] == [
        ("R-001", "V-001"), ("R-002", "V-002")]
    assert [(n["victim_id"], n["name"]) for n in rows_of(roster, VictimName)] == [("V-001", "金本 正男")]
    assert [i["victim_id"] for i in rows_of(roster, Identification)] == ["V-002"]
    # The same workbook again changes nothing: the linked rows are found by their key.
    again = do_import(roster, path)
    assert (again.added, again.changed) == (0, 0)


def test_a_name_in_the_same_workbook_links_too(store, book):
    report = do_import(store, book({"Victims": [V_HEAD, KIM],
                                    "Relatives": [R_HEAD, ["R-001", "김정웅", "son"]]}))
    assert report.warnings == ["Relatives, row 2: Victim ID '김정웅' is no victim ID but the name of "
                               "V-001 (김정웅); the row was linked to V-001"]
    assert rows_of(store, Relative)[0]["victim_id"] == "V-001"


def test_a_name_shared_by_several_victims_asks_for_the_id(roster, book):
    do_import(roster, book({"Victims": [V_HEAD, ["V-003", "KR", None, "金本正雄", None, None]]}))
    with pytest.raises(WorkbookRejected) as exc:
        do_import(roster, book({"Relatives": [R_HEAD, ["R-001", "金本正雄", "son"]]}))
    assert [str(p) for p in exc.value.problems] == [
        "Relatives, row 2, Victim ID: '金本正雄' is no victim ID but a name of V-001 (金本正雄) "
        "and V-003 (金本正雄): write the ID of the victim meant"]
    assert rows_of(roster, Relative) == []


def test_neither_an_id_nor_a_name_gets_close_ids_and_names(roster, book):
    with pytest.raises(WorkbookRejected) as exc:
        do_import(roster, book({"Relatives": [R_HEAD, ["R-001", "金本", "son"],
                                              ["R-002", "V-00l", "son"]]}))
    assert [str(p) for p in exc.value.problems] == [
        "Relatives, row 2, Victim ID: '金本' names no victim in the workbook or the store (did you "
        "mean V-001 (金本正雄)?): add it to the Victims sheet, or correct the ID",
        "Relatives, row 3, Victim ID: 'V-00l' names no victim in the workbook or the store (did you "
        "mean V-002 or V-001?): add it to the Victims sheet, or correct the ID"]


def test_a_hangul_name_is_not_romanised_to_match_another(roster, book):
    """김종웅 and 김정웅 share a McCune-Reischauer spelling; they are different people."""
    with pytest.raises(WorkbookRejected) as exc:
        do_import(roster, book({"Relatives": [R_HEAD, ["R-001", "김종웅", "son"]]}))
    assert "'김종웅' names no victim" in str(exc.value.problems[0])
