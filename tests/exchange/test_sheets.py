"""Each sheet of the contract lands in its table, on both backends."""

from __future__ import annotations

import datetime as dt

import pytest

from chosei.errors import WorkbookRejected
from chosei.models import (
    AlleleFrequency,
    CustodyEvent,
    Genotype,
    HaplotypeCount,
    Identification,
    Operation,
    Sample,
    Specimen,
    VictimName,
)
from chosei.store import session_scope
from tests.exchange.conftest import do_import, one, rows_of

BASE = {
    "Victims": [["Victim ID", "Nationality", "Name (Hangul)"], ["V-001", "KR", "김정웅"],
                ["V-002", "KR", "박영수"]],
    "Relatives": [["Relative ID", "Victim ID", "Relationship"], ["R-001", "V-001", "son"]],
    "Operations": [["Operation ID", "Date", "Site"], ["OP-1", "2025-08-26", "piya"]],
    "Specimens": [["Specimen ID", "Operation ID", "Element", "Side"],
                  ["CH-001", "OP-1", "大腿骨", "左"]],
}


def _strip(rows, *drop):
    return [{k: v for k, v in r.items() if k not in ("id", "version", *drop)} for r in rows]


def test_names(store, book):
    do_import(store, book({**BASE, "이름": [["희생자 번호", "이름", "문자", "출처"],
                                           ["V-001", " 金本正雄 ", "일본식", "位牌"],
                                           ["V-001", "Kim Chŏng-ung", "로마자", None]]}))
    assert _strip(rows_of(store, VictimName)) == [
        {"victim_id": "V-001", "name": "Kim Chŏng-ung", "script": "latin", "source": None},
        {"victim_id": "V-001", "name": "金本正雄", "script": "japanese", "source": "位牌"},
    ]


def test_operations_and_specimens(store, book):
    sheets = {k: v for k, v in BASE.items() if k != "Specimens"}
    do_import(store, book({**sheets, "遺骨": [
        ["遺骨番号", "作業番号", "収容日", "水深(m)", "部位", "左右", "別番号"],
        ["CH-001", "OP-1", None, None, "大腿骨", "左", None],
        ["CH-002", "OP-1", "令和7年8月26日", 43, "頭蓋骨", "正中", "P-17, LAB-3"]]}))
    assert one(store, Operation, "OP-1")["date"] == "2025-08-26"
    s = one(store, Specimen, "CH-002")
    assert (s["recovered_on"], s["depth_m"], s["element"], s["side"], s["other_ids"]) \
        == ("2025-08-26", 43.0, "cranium", "midline", "P-17;LAB-3")
    assert one(store, Specimen, "CH-001")["element"] == "femur"


def test_samples_name_their_source_specimen_or_relative(store, book):
    do_import(store, book({**BASE, "Samples": [
        ["Sample ID", "Source ID", "Type", "Collected on", "Status"],
        ["S-001", "CH-001", "뼈", "2025-09-10", "profiled"],
        ["S-002", "R-001", "buccal", "2025-03", "採取済"]],
        "Profiles": [["Sample ID", "Marker", "Allele 1", "Allele 2"],  # profiled: typed
                     ["S-001", "TH01", "6", "9"]]}))
    s1, s2 = one(store, Sample, "S-001"), one(store, Sample, "S-002")
    assert (s1["specimen_id"], s1["relative_id"], s1["type"], s1["status"]) \
        == ("CH-001", None, "bone", "profiled")
    assert (s2["specimen_id"], s2["relative_id"], s2["type"], s2["collected_on"], s2["status"]) \
        == (None, "R-001", "buccal swab", "2025-03", "collected")


def test_a_sample_source_must_exist(store, book):
    with pytest.raises(WorkbookRejected) as exc:
        do_import(store, book({**BASE, "Samples": [["Sample ID", "Source ID"],
                                                   ["S-001", "CH-999"]]}))
    assert [str(p) for p in exc.value.problems] == [
        "Samples, row 2, Source ID: 'CH-999' names no specimen or relative in the workbook or "
        "the store: add it to the Specimens or Relatives sheet, or correct the ID"]


def test_a_sample_source_naming_a_specimen_and_a_relative_is_refused(store, book):
    relatives = [*BASE["Relatives"], ["CH-001", "V-002", "daughter"]]
    with pytest.raises(WorkbookRejected) as exc:
        do_import(store, book({**BASE, "Relatives": relatives, "Samples": [
            ["Sample ID", "Source ID"], ["S-001", "R-001"], ["S-002", "CH-001"],
            ["S-003", "CH-999"]]}))
    assert [str(p) for p in exc.value.problems] == [
        "Samples, row 3, Source ID: 'CH-001' is both a specimen and a relative ID: give one of "
        "them another ID",
        "Samples, row 4, Source ID: 'CH-999' names no specimen or relative in the workbook or "
        "the store: add it to the Specimens or Relatives sheet, or correct the ID"]


def test_custody_keyed_by_item_event_and_time(store, book):
    head = ["Item ID", "Event", "At", "From", "To"]
    do_import(store, book({**BASE, "인계기록": [
        ["물품 번호", "사건", "일시", "인계자", "인수자"],
        ["CH-001", "수습", dt.datetime(2025, 8, 26, 10, 30), "divers", "Kizamu Kai"],
        ["CH-001", "인계", "2025-08-27 14:00", "Kizamu Kai", "police"]]}))
    do_import(store, book({"Custody": [head, ["CH-001", "transferred", "2025-08-27T14:00",
                                              None, "Yamaguchi police"]]}))
    assert _strip(rows_of(store, CustodyEvent), "place", "notes") == [
        {"item_id": "CH-001", "event": "recovered", "at": "2025-08-26T10:30",
         "from_party": "divers", "to_party": "Kizamu Kai"},
        {"item_id": "CH-001", "event": "transferred", "at": "2025-08-27T14:00",
         "from_party": "Kizamu Kai", "to_party": "Yamaguchi police"},
    ]


def test_profiles_from_a_genemapper_export(store, book):
    do_import(store, book({**BASE,
                           "Samples": [["Sample ID", "Source ID"], ["S-001", "CH-001"]],
                           "Profiles": [["Sample Name", "Marker", "Allele 1", "Allele 2"],
                                        ["S-001", "d8s1179", 13, 14.0],
                                        ["S-001", "TH01", 9.3, "9.3"],
                                        ["S-001", "Amelogenin", "x", "Y"],
                                        ["S-001", "DYS385", "11", "14"],
                                        ["S-001", "mtDNA", "73G  16362C 16223T", None]]}))
    got = {r["marker"]: (r["allele1"], r["allele2"]) for r in rows_of(store, Genotype)}
    assert got == {"D8S1179": ("13", "14"), "TH01": ("9.3", "9.3"), "AMEL": ("X", "Y"),
                   "DYS385": ("11", "14"), "mtDNA": ("16223T 16362C 73G", None)}


def test_a_bad_allele_says_what_to_write(store, book):
    with pytest.raises(WorkbookRejected) as exc:
        do_import(store, book({**BASE,
                               "Samples": [["Sample ID", "Source ID"], ["S-001", "CH-001"]],
                               "DNA型": [["試料番号", "マーカー", "アレル1", "アレル2"],
                                        ["S-001", "FGA", "22.25", None]]}))
    assert [str(p) for p in exc.value.problems] == [
        "DNA型, row 2, アレル1: '22.25' is not an allele: write a repeat number with at most "
        "one decimal, such as 14 or 9.3"]


def test_frequencies_long_and_wide(store, book):
    do_import(store, book({"Frequencies": [["Population", "Marker", "Allele", "Frequency",
                                            "Sample size"],
                                           ["KOR", "vwa", 16, 0.2, 500]]}))
    do_import(store, book({"대립유전자빈도": [["집단", "대립유전자", "D8S1179", "TH01"],
                                           ["JPN", 13, 0.3, None],
                                           ["JPN", "9.3", None, 0.05]]}))
    got = [(r["population"], r["marker"], r["allele"], r["frequency"], r["sample_size"])
           for r in rows_of(store, AlleleFrequency)]
    assert sorted(got) == [("JPN", "D8S1179", "13", 0.3, None), ("JPN", "TH01", "9.3", 0.05, None),
                           ("KOR", "vWA", "16", 0.2, 500)]


def test_a_frequency_above_one_is_refused(store, book):
    with pytest.raises(WorkbookRejected) as exc:
        do_import(store, book({"Frequencies": [["Population", "Allele", "FGA"],
                                               ["KOR", 22, 1.5]]}))
    assert [str(p) for p in exc.value.problems] == [
        "Frequencies, row 2, FGA: '1.5' must be at most 1"]


def test_haplotypes_y_and_mt_as_canonical_text(store, book):
    do_import(store, book({"Haplotypes": [
        ["Population", "Kind", "Count", "DYS390", "DYS19", "DYS385", "mtDNA"],
        ["KOR", "Y", 3, 24, 14, "14-11", None],
        ["KOR", None, 7, None, None, None, "73G 16223T"],
    ]}))
    got = sorted((r["kind"], r["haplotype"], r["count"]) for r in rows_of(store, HaplotypeCount))
    assert got == [("Y", "DYS19=14;DYS385=11,14;DYS390=24", 3), ("mt", "16223T 73G", 7)]
    # The same haplotype again, columns in another order: its count is updated.
    report = do_import(store, book({"일배체형": [["집단", "종류", "수", "DYS385", "DYS19", "DYS390"],
                                              ["KOR", "Y", 4, "11,14", 14, 24]]}))
    assert (report.added, report.changed) == (0, 1)


def test_identifications_change_only_the_decision(store, book):
    do_import(store, book(BASE))
    with session_scope(store, write=True, actor="tester") as s:
        s.add(Identification(specimen_id="CH-001", victim_id="V-001", lr=125000.0, posterior=0.99,
                             method="kinship"))
    sheet = [["유해 번호", "희생자 번호", "LR", "상태", "결정일", "결정자"],
             ["CH-001", "V-001", 1, "기각", "2026-02-01", "panel"]]
    with pytest.raises(WorkbookRejected) as exc:
        do_import(store, book({"신원확인": sheet}))
    assert [str(p) for p in exc.value.problems] == [  # a Korean workbook's problem, in Korean
        "신원확인, 2행, LR: chosei의 값(125000)과 다릅니다: 이 수치는 `chosei match run`이 계산합니다. 셀을 비우거나 "
        "chosei의 값으로 되돌리십시오"]
    sheet[1][2] = None
    do_import(store, book({"신원확인": sheet}))
    ident = rows_of(store, Identification)[0]
    assert (ident["lr"], ident["status"], ident["decided_on"], ident["decided_by"]) \
        == (125000.0, "rejected", "2026-02-01", "panel")


@pytest.mark.parametrize(("posterior", "refused"), [(0.987654321098765, False),
                                                     (0.98765432109877, True)],
                         ids=["15-digits", "14-digits"])
def test_the_trackers_numbers_compare_to_15_significant_digits(store, book, posterior, refused):
    """LibreOffice saves 15 significant digits: a posterior it rounded is the tracker's."""
    do_import(store, book(BASE))
    with session_scope(store, write=True, actor="tester") as s:
        s.add(Identification(specimen_id="CH-001", victim_id="V-001", posterior=0.9876543210987654))
    head = ["Specimen ID", "Victim ID", "Posterior", "Notes"]
    path = book({"Identifications": [head, ["CH-001", "V-001", posterior, "seen"]]})
    if refused:
        with pytest.raises(WorkbookRejected) as exc:
            do_import(store, path)
        assert [str(p) for p in exc.value.problems] == [
            "Identifications, row 2, Posterior: is not the tracker's value (0.987654321098765): the numbers "
            "come from `chosei match run`; clear the cell or put the tracker's value back"]
    else:
        do_import(store, path)
    assert rows_of(store, Identification)[0]["posterior"] == 0.9876543210987654


def test_a_specimen_is_confirmed_as_one_victim_only(store, book):
    head = ["Specimen ID", "Victim ID", "Status"]
    with pytest.raises(WorkbookRejected) as exc:
        do_import(store, book({**BASE, "Identifications": [
            head, ["CH-001", "V-001", "confirmed"], ["CH-001", "V-002", "confirmed"]]}))
    assert [str(p) for p in exc.value.problems] == [
        "Identifications, row 2, Status: specimen CH-001 would be confirmed as V-001 and as "
        "V-002: a specimen is one person; reject all but one",
        "Identifications, row 3, Status: specimen CH-001 would be confirmed as V-002 and as "
        "V-001: a specimen is one person; reject all but one",
    ]


def test_mtdna_ranges_in_allele_2(store, book):
    do_import(store, book({**BASE,
                           "Samples": [["Sample ID", "Source ID"], ["S-001", "CH-001"]],
                           "Profiles": [["Sample Name", "Marker", "Allele 1", "Allele 2"],
                                        ["S-001", "mtDNA", "16093Y 16223T", "73-340, 16024-16365"]]}))
    got = {r["marker"]: (r["allele1"], r["allele2"]) for r in rows_of(store, Genotype)}
    assert got == {"mtDNA": ("16093Y 16223T", "73-340 16024-16365")}


@pytest.mark.parametrize(("ranges", "allele1", "message"), [
    ("16365-16024", "16223T", "Profiles, row 2, Allele 2: '16365-16024' is not an mtDNA range: write start-end "
                              "with 1 <= start <= end <= 16569, e.g. 16024-16365"),
    ("16024-16365", None, "Profiles, row 2: an mtDNA row holds its variants in Allele 1 (Allele 2: the ranges "
                          "read); fill Allele 1"),
])
def test_bad_mtdna_ranges_say_what_to_write(store, book, ranges, allele1, message):
    with pytest.raises(WorkbookRejected) as exc:
        do_import(store, book({**BASE,
                               "Samples": [["Sample ID", "Source ID"], ["S-001", "CH-001"]],
                               "Profiles": [["Sample Name", "Marker", "Allele 1", "Allele 2"],
                                            ["S-001", "mtDNA", allele1, ranges]]}))
    assert [str(p) for p in exc.value.problems] == [message]
