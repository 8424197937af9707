"""The Pedigrees sheet (가계도 / 家系図): family trees in Korean and Japanese workbooks,
checked whole, all or nothing, and a tree's round trip workbook → store → .ped → store →
workbook. All people are fictional."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from chosei.errors import WorkbookRejected
from chosei.models import FamilyPerson
from chosei.services.family import export_ped, import_ped
from chosei.store import session_scope
from tests.exchange.conftest import do_export, do_import, dump, rows_of

KO = {
    "희생자": [["희생자 번호", "국적", "한글 이름", "성별"], ["V-1", "한국", "김가온", "남"]],
    "유족": [["유족 번호", "희생자 번호", "관계", "성별"], ["R-1", "V-1", "형", "남"]],
    "가계도": [["희생자 번호", "사람", "부", "모", "성별", "유족 번호", "비고"],
              ["V-1", "F", None, None, "남", None, None],
              ["V-1", "M", None, None, "여", None, None],
              ["V-1", "V-1", "F", "M", None, None, None],
              ["V-1", "R-1", "F", "M", None, None, "형"]],
}


def _ja(mother_sex: str = "女") -> dict:
    return {
        "犠牲者": [["犠牲者番号", "国籍", "日本名", "性別"], ["V-2", "日本", "山田一郎", "男"]],
        "遺族": [["遺族番号", "犠牲者番号", "続柄", "性別"], ["R-2", "V-2", "兄", "男"]],
        "家系図": [["犠牲者番号", "人物", "父", "母", "性別", "遺族番号"],
                ["V-2", "父", None, None, "男", None],
                ["V-2", "母", None, None, mother_sex, None],
                ["V-2", "V-2", "父", "母", "男", None],
                ["V-2", "兄", "父", "母", "男", "R-2"]],
    }


def _tree(store, victim: str) -> list[tuple]:
    rows = rows_of(store, FamilyPerson, FamilyPerson.victim_id == victim)
    return sorted((r["label"], r["father"], r["mother"], r["sex"], r["relative_id"]) for r in rows)


def test_a_korean_workbook_brings_a_tree_and_places_relatives_by_label(store, book):
    report = do_import(store, book(KO))
    assert report.counts["Pedigrees"].added == 4
    assert _tree(store, "V-1") == [("F", None, None, "M", None), ("M", None, None, "F", None),
                                   ("R-1", "F", "M", "M", "R-1"), ("V-1", "F", "M", "M", None)]


def test_a_japanese_workbook_brings_a_tree(store, book):
    do_import(store, book(_ja()))
    assert _tree(store, "V-2") == [("V-2", "父", "母", "M", None), ("兄", "父", "母", "M", "R-2"),
                                   ("母", None, None, "F", None), ("父", None, None, "M", None)]


def test_a_broken_tree_rejects_the_whole_workbook(store, book):
    before = dump(store)
    with pytest.raises(WorkbookRejected) as err:
        do_import(store, book(_ja(mother_sex="男")))
    assert [(p.sheet, p.row, p.message) for p in err.value.problems] == [
        # A Japanese workbook's problem is told in Japanese (issue 16).
        ("家系図", 2, "V-2 の家系図: V-2 の母とされる「母」が男性です。母は女性でなければなりません")]
    assert dump(store) == before  # the victims and relatives of the same workbook are not written either


def test_a_tree_round_trips_through_a_ped_file(store, book, tmp_path):
    do_import(store, book(KO))
    first = tmp_path / "first.xlsx"
    do_export(store, first, lang="ko")
    with session_scope(store, write=True, actor="tester") as s:
        text = export_ped(s, "V-1")
    assert text == "id\tfid\tmid\tsex\nF\t0\t0\t1\nM\t0\t0\t2\nV-1\tF\tM\t1\nR-1\tF\tM\t1\n"
    with session_scope(store, write=True, actor="tester") as s:
        assert import_ped(s, "V-1", text) == ({"added": 0, "changed": 0, "removed": 0}, [])
    second = tmp_path / "second.xlsx"
    do_export(store, second, lang="ko")

    def sheet(path):
        ws = load_workbook(path, read_only=True)["가계도"]
        return [list(r) for r in ws.iter_rows(values_only=True)]

    assert sheet(first) == sheet(second)
    assert sheet(first)[0][:6] == ["희생자 번호", "사람", "부", "모", "성별", "유족 번호"]
    assert len(sheet(first)) == 5
    # and the exported workbook imports back unchanged
    assert do_import(store, second).changed == 0


def test_a_partner_export_hides_notes_and_relatives_it_may_not_see(store, book, tmp_path):
    """R-1 has no consent to share with JP: the JP partner sees the person, not who he is."""
    do_import(store, book(KO))
    path = tmp_path / "partner.xlsx"
    do_export(store, path, profile="partner", partner="JP")
    rows = [list(r) for r in load_workbook(path, read_only=True)["Pedigrees"].iter_rows(values_only=True)]
    assert rows[0][:6] == ["Victim ID", "Person", "Father", "Mother", "Sex", "Relative ID"]
    assert "Notes" not in rows[0]
    assert [r[:6] for r in rows[1:]] == [["V-1", "F", None, None, "M", None], ["V-1", "M", None, None, "F", None],
                                         ["V-1", "V-1", "F", "M", "M", None], ["V-1", "R-1", "F", "M", "M", None]]


def test_a_tree_comes_back_from_its_ped_file_into_an_empty_family(store, book, tmp_path):
    """Workbook → store → .ped → (the tree removed) → store → workbook: unchanged. A
    .ped file has no column for the Relative ID: a typed relative's person is labelled
    with his Relative ID, as chosei writes it (docs/exchange.md)."""
    from chosei.services.family import remove_family

    ja = _ja()
    ja["家系図"][4] = ["V-2", "R-2", "父", "母", "男", "R-2"]
    do_import(store, book(ja))
    first = tmp_path / "first.xlsx"
    do_export(store, first, lang="ja")
    with session_scope(store, write=True, actor="tester") as s:
        text = export_ped(s, "V-2")
    before = _tree(store, "V-2")
    with session_scope(store, write=True, actor="tester") as s:
        remove_family(s, "V-2")
    assert _tree(store, "V-2") == []
    with session_scope(store, write=True, actor="tester") as s:
        import_ped(s, "V-2", text)
    assert _tree(store, "V-2") == before
    second = tmp_path / "second.xlsx"
    do_export(store, second, lang="ja")

    def sheet(path):
        ws = load_workbook(path, read_only=True)["家系図"]
        return [list(r) for r in ws.iter_rows(values_only=True)]

    assert sheet(first) == sheet(second)
    assert [r[:6] for r in sheet(second)[1:]] == [
        ["V-2", "父", None, None, "男", None], ["V-2", "母", None, None, "女", None],
        ["V-2", "V-2", "父", "母", "男", None], ["V-2", "R-2", "父", "母", "男", "R-2"]]
