"""Import semantics on both backends: upsert, blanks, clearing, dry run, idempotence,
all-or-nothing, error messages, references, audit."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from chosei import audit
from chosei.errors import WorkbookRejected
from chosei.models import AuditEntry, Relative, Victim
from chosei.store import session_scope
from tests.exchange.conftest import do_import, dump, one

V_HEAD = ["Victim ID", "Nationality", "Name (Hangul)", "Name (Latin)", "Birth date", "Notes"]


def _victims(*rows):
    return {"Victims": [V_HEAD, *rows]}


def test_rows_are_added_then_updated_by_key(store, book):
    do_import(store, book(_victims(["V-001", "KR", "김정웅", None, "1915", "first"])))
    report = do_import(store, book(_victims(["V-001", None, None, "Kim Jeong-ung", None, None],
                                            ["V-002", "JP", None, "Yamada", None, None])))
    assert (report.added, report.changed) == (1, 1)
    v = one(store, Victim, "V-001")
    # Blank cells kept what the store held; the filled one changed.
    assert (v["nationality"], v["name_hangul"], v["name_latin"], v["birth_date"], v["notes"]) \
        == ("KR", "김정웅", "Kim Jeong-ung", "1915", "first")
    assert v["version"] == 2


@pytest.mark.parametrize("marker", ["(clear)", "（ＣＬＥＡＲ）", " (Clear) "],
                         ids=["plain", "full-width", "spaced"])
def test_clear_empties_a_value(store, book, marker):
    do_import(store, book(_victims(["V-001", "KR", "김정웅", "Kim", "1915", "note"])))
    do_import(store, book(_victims(["V-001", None, None, marker, marker, marker])))
    v = one(store, Victim, "V-001")
    assert (v["name_hangul"], v["name_latin"], v["birth_date"], v["notes"]) \
        == ("김정웅", None, None, None)


def test_clearing_a_required_value_or_the_last_name_is_refused(store, book):
    do_import(store, book(_victims(["V-001", "KR", "김정웅", None, None, None],
                                   ["V-002", "KR", "박영수", None, None, None])))
    with pytest.raises(WorkbookRejected) as exc:
        do_import(store, book(_victims(["V-001", "(clear)", None, None, None, None],
                                       ["V-002", None, "(clear)", None, None, None])))
    assert [str(p) for p in exc.value.problems] == [
        "Victims, row 2, Nationality: is required: fill it in",
        "Victims, row 3: a victim needs at least one name (hangul, hanja, japanese, reading or "
        "latin)",
    ]


def test_clearing_a_key_is_refused(store, book):
    with pytest.raises(WorkbookRejected) as exc:
        do_import(store, book(_victims(["(clear)", "KR", "김", None, None, None])))
    assert [str(p) for p in exc.value.problems] == [
        "Victims, row 2, Victim ID: a key cannot be cleared: the row is found by it"]


def test_dry_run_lists_adds_and_field_changes_and_writes_nothing(store, book):
    do_import(store, book(_victims(["V-001", "KR", "김정웅", None, "1915", "old"])))
    before = dump(store)
    report = do_import(store, book(_victims(["V-001", None, "김정웅", "Kim", "1915-03", "(clear)"],
                                            ["V-002", "JP", None, "Yamada", None, None])),
                       dry_run=True)
    assert dump(store) == before
    assert [str(c) for c in report.changes] == [
        "change Victims V-001: Name (Latin): (blank) → 'Kim'; Birth date: '1915' → '1915-03'; "
        "Notes: 'old' → (blank)",
        "add Victims V-002",
    ]
    assert report.dry_run and not report.written


def test_importing_the_same_workbook_twice_changes_nothing_the_second_time(store, book):
    path = book(_victims(["V-001", "KR", "김정웅", None, "大正4年3月2日", "note"]))
    first = do_import(store, path)
    state = dump(store)
    second = do_import(store, path)
    assert (first.added, second.added, second.changed) == (1, 0, 0)
    assert dump(store) == state  # the audit log did not grow either


def test_a_rejected_workbook_leaves_the_store_exactly_as_it_was(store, book):
    do_import(store, book(_victims(["V-001", "KR", "김정웅", None, None, None])))
    before = dump(store)
    path = book({
        "Victims": [V_HEAD, ["V-001", None, None, "Kim", None, None],
                    ["V-002", "JP", None, "Yamada", None, None]],
        "Relatives": [["Relative ID", "Victim ID", "Relationship"], ["R-001", "V-002", "조카"]],
    })
    with pytest.raises(WorkbookRejected) as exc:
        do_import(store, path)
    assert dump(store) == before
    assert exc.value.message == f"{path.name} has 1 problem; nothing was imported"


def test_each_problem_names_sheet_row_column_value_and_fix(store, book):
    # An English workbook: a Korean one is answered in Korean (test_feedback_lang.py).
    path = book({
        "Victims": [["Victim ID", "Nationality", "Name (Hangul)", "Birth date", "Age at death"],
                    ["V-001", "Korae", "김", "1915-02-30", 130],
                    ["V-001", "KR", "박", None, None]],
        "Relatives": [["Relative ID", "Victim ID", "Relationship", "Contact", "Birth year"],
                      ["R-001", "V-404", "조카", "010-0000-0000", "sometime"],
                      [None, "V-001", "아들", None, None]],
    })
    with pytest.raises(WorkbookRejected) as exc:
        do_import(store, path)
    assert [str(p) for p in exc.value.problems] == [
        "Victims, row 2, Nationality: 'Korae' is not a nationality (did you mean Korea: KR?); expected "
        "one of: KR, JP",
        "Victims, row 2, Birth date: '1915-02-30' is not a date: February 1915 has 28 days",
        "Victims, row 2, Age at death: '130' is not an age: an age at death is at most 120",
        "Victims, row 3, Victim ID: 'V-001' is also in row 2: a row is found by its key, so merge "
        "the two rows",
        "Relatives, row 2, Relationship: '조카'만으로는 어느 쪽 계통인지 알 수 없습니다: "
        "형제의 아들 (brother's son), 형제의 딸 (brother's daughter), 생질 (sister's son) 또는 "
        "생질녀 (sister's daughter) 중 하나로 쓰십시오",
        "Relatives, row 2, Birth year: 'sometime' is not a date: write YYYY-MM-DD, YYYY-MM or YYYY, or "
        "an era date such as 昭和17年2月3日",
        "Relatives, row 3, Relative ID: is empty: every row needs it, the row is found by it",
    ]


def test_a_relative_needs_a_victim_in_the_workbook_or_the_store(store, book):
    do_import(store, book(_victims(["V-001", "KR", "김", None, None, None])))
    head = ["Relative ID", "Victim ID", "Relationship"]
    ok = book({"Victims": [V_HEAD, ["V-002", "KR", "박", None, None, None]],
               "Relatives": [head, ["R-001", "V-001", "son"], ["R-002", "V-002", "딸"]]})
    assert do_import(store, ok).added == 3
    bad = book({"Relatives": [head, ["R-003", "V-003", "son"]]})
    with pytest.raises(WorkbookRejected) as exc:
        do_import(store, bad)
    assert [str(p) for p in exc.value.problems] == [
        "Relatives, row 2, Victim ID: 'V-003' names no victim in the workbook or the store "
        "(did you mean V-002 or V-001?): add it to the Victims sheet, or correct the ID"]


def test_contact_values_are_never_repeated_in_messages(store, book):
    path = book({"Relatives": [["Relative ID", "Victim ID", "Relationship", "Contact"],
                               ["R-001", "V-001", "son", "#REF!"]]})
    with pytest.raises(WorkbookRejected) as exc:
        do_import(store, path)
    assert str(exc.value.problems[0]) == (
        "Relatives, row 2, Contact: cannot be read (the value is not shown: it is sensitive)")


def test_changes_of_contact_are_shown_masked(store, book):
    head = ["Relative ID", "Victim ID", "Relationship", "Contact"]
    do_import(store, book({"Victims": [V_HEAD, ["V-001", "KR", "김", None, None, None]],
                           "Relatives": [head, ["R-001", "V-001", "son", "010-1"]]}))
    report = do_import(store, book({"Relatives": [head, ["R-001", None, None, "010-2"]]}),
                       dry_run=True)
    assert [str(c) for c in report.changes] == [
        "change Relatives R-001: Contact: '(not shown: sensitive)' → '(not shown: sensitive)'"]


def test_an_import_is_audited_row_by_row(store, book):
    with session_scope(store) as s:
        start = audit.entry_count(s)
    do_import(store, book(_victims(["V-001", "KR", "김", None, None, None],
                                   ["V-002", "JP", None, "Yamada", None, None])))
    do_import(store, book(_victims(["V-001", None, None, "Kim", None, None])))
    with session_scope(store) as s:
        entries = s.execute(select(AuditEntry).where(AuditEntry.seq > start)
                            .order_by(AuditEntry.seq)).scalars().all()
        assert [(e.action, e.entity, e.entity_key, e.actor) for e in entries] == [
            ("import", "workbook", "book0.xlsx", "tester"),
            ("create", "victim", "V-001", "tester"),
            ("create", "victim", "V-002", "tester"),
            ("import", "workbook", "book1.xlsx", "tester"),
            ("update", "victim", "V-001", "tester"),
        ]
        assert '"name_latin":"Kim"' in entries[-1].after and '"version":2' in entries[-1].after
        assert audit.verify(s).ok


def test_a_demo_workbook_is_refused_by_a_real_case(store, book):
    path = book({**_victims(["V-001", "KR", "김", None, None, None]),
                 "About": [["Demo", "yes"]]})
    with pytest.raises(WorkbookRejected) as exc:
        do_import(store, path)
    assert [str(p) for p in exc.value.problems] == [
        f"About, row 1: {path.name} comes from a demo case (fictional data) and this store "
        "holds a real case: import it into a demo store"]


def test_relatives_consent_cells(store, book):
    head = ["Relative ID", "Victim ID", "Relationship", "Consent date", "Consent scope",
            "Consent withdrawn"]
    do_import(store, book({"Victims": [V_HEAD, ["V-001", "KR", "김", None, None, None]],
                           "Relatives": [head, ["R-001", "V-001", "아들", "2025-03-01",
                                                "분석; 공유:KR", None]]}))
    from chosei.models import ConsentEvent
    from chosei.services.stages import consent_states

    def consents():
        with session_scope(store) as s:
            rows = s.execute(select(ConsentEvent)).scalars().all()
            return [(c["scope"], c["given_on"], c["withdrawn_on"]) for c in consent_states(rows)]

    def history():
        with session_scope(store) as s:
            rows = s.execute(select(ConsentEvent).order_by(ConsentEvent.id)).scalars().all()
            return [(c.scope, c.event, c.date) for c in rows]

    assert consents() == [("analysis", "2025-03-01", None), ("share:KR", "2025-03-01", None)]
    # Withdraw sharing only; the scope list names what the withdrawal applies to.
    do_import(store, book({"Relatives": [head, ["R-001", None, None, None, "share:KR",
                                                "2025-09-01"]]}))
    assert consents() == [("analysis", "2025-03-01", None),
                          ("share:KR", "2025-03-01", "2025-09-01")]
    # Consent anew: list the scope again with a new date.
    do_import(store, book({"Relatives": [head, ["R-001", None, None, "2026-01-05",
                                                "analysis;share:KR", None]]}))
    assert consents() == [("analysis", "2026-01-05", None), ("share:KR", "2026-01-05", None)]
    # Each import added events; none was overwritten.
    assert history() == [
        ("analysis", "given", "2025-03-01"), ("share:KR", "given", "2025-03-01"),
        ("share:KR", "withdrawn", "2025-09-01"),
        ("analysis", "given", "2026-01-05"), ("share:KR", "given", "2026-01-05")]
    rel = one(store, Relative, "R-001")
    assert rel["relationship"] == "son" and rel["version"] == 1


def test_consent_cannot_be_cleared_and_withdrawal_follows_consent(store, book):
    head = ["Relative ID", "Victim ID", "Relationship", "Consent date", "Consent scope",
            "Consent withdrawn"]
    do_import(store, book({"Victims": [V_HEAD, ["V-001", "KR", "김", None, None, None]],
                           "Relatives": [head, ["R-001", "V-001", "son", "2025-03-01",
                                                "analysis", None]]}))
    with pytest.raises(WorkbookRejected) as exc:
        do_import(store, book({"Relatives": [head, ["R-001", None, None, None, "(clear)", None],
                                             ["R-002", "V-001", "son", "2025-03", "analysis",
                                              "2025-02"]]}))
    assert [str(p) for p in exc.value.problems] == [
        "Relatives, row 2, Consent scope: consent cannot be cleared: enter the date it was "
        "withdrawn in the withdrawal column instead",
        "Relatives, row 3, Consent withdrawn: '2025-02' is before the consent was given "
        "(2025-03): correct one of the two dates",
    ]


def test_rows_added_by_an_import_leave_ids_ready_for_the_next_insert(store, book):
    from chosei.models import VictimName

    do_import(store, book({**_victims(["V-001", "KR", "김", None, None, None]),
                           "Names": [["Victim ID", "Name"], ["V-001", "金"], ["V-001", "Kim"]]}))
    with session_scope(store, write=True) as s:
        s.add(VictimName(victim_id="V-001", name="かねもと"))
        s.flush()
    do_import(store, book({"Names": [["Victim ID", "Name"], ["V-001", "Gim"]]}))
    with session_scope(store) as s:
        ids = sorted(s.execute(select(VictimName.id)).scalars())
    assert ids == [1, 2, 3, 4]
