"""Relationship paths in the Relatives sheet: entered in en/ko/ja, written back in the
export's language, read again as the same path (all names made up)."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from chosei.errors import WorkbookRejected
from chosei.models import Relative
from tests.exchange.conftest import do_export, do_import, dump, rows_of

VICTIMS = {"Victims": [["Victim ID", "Nationality", "Name (hangul)"], ["V-001", "KR", "김가온"]]}
HEAD = {"en": ["Relative ID", "Victim ID", "Relationship"],
        "ko": ["유족 번호", "희생자 번호", "관계"],
        "ja": ["遺族番号", "犠牲者番号", "続柄"]}
SHEET = {"en": "Relatives", "ko": "유족", "ja": "遺族"}

ENTERED = {  # language -> [(as entered, stored path)]
    "en": [("Brother’s son's son", "brother's son's son"),
           ("father's brother's son", "father's brother's son"),
           ("half-brother (maternal)'s daughter", "half-brother (maternal)'s daughter"),
           ("mother's sister", "mother's sister")],
    "ko": [("형의 아들의 아들", "brother's son's son"),
           ("큰아버지의 아들", "father's brother's son"),
           ("이부형제의 딸", "half-brother (maternal)'s daughter"),
           ("이모", "mother's sister")],
    "ja": [("兄の息子の息子", "brother's son's son"),
           ("父方の伯父の息子", "father's brother's son"),
           ("異父兄弟の娘", "half-brother (maternal)'s daughter"),
           ("母方の叔母", "mother's sister")],
}
WRITTEN = {  # language -> the Relationship cells an export writes for R-1 .. R-4
    "en": ["brother's son's son", "father's brother's son", "half-brother (maternal)'s daughter",
           "mother's sister"],
    "ko": ["종손", "삼촌의 아들", "이부형제의 딸", "이모"],
    "ja": ["兄弟の息子の息子", "父方のおじの息子", "異父兄弟の娘", "母方のおば"],
}


def _book(book, lang: str, rows: list[list[str]]):  # type: ignore[no-untyped-def]
    return book({**VICTIMS, SHEET[lang]: [HEAD[lang], *rows]})


@pytest.mark.parametrize("lang", ["en", "ko", "ja"])
def test_paths_are_entered_in_each_language(store, book, lang) -> None:  # type: ignore[no-untyped-def]
    rows = [[f"R-{i}", "V-001", entered] for i, (entered, _) in enumerate(ENTERED[lang], start=1)]
    do_import(store, _book(book, lang, rows))
    stored = [r["relationship"] for r in rows_of(store, Relative)]
    assert stored == [path for _, path in ENTERED[lang]]


@pytest.mark.parametrize("lang", ["en", "ko", "ja"])
def test_an_export_writes_the_path_in_its_language_and_reads_it_back(store, book, tmp_path, lang) -> None:  # type: ignore[no-untyped-def]
    rows = [[f"R-{i}", "V-001", entered] for i, (entered, _) in enumerate(ENTERED["en"], start=1)]
    do_import(store, _book(book, "en", rows))
    path = tmp_path / f"out-{lang}.xlsx"
    do_export(store, path, lang=lang)
    sheet = [list(r) for r in load_workbook(path)[SHEET[lang]].iter_rows(values_only=True)]
    column = sheet[0].index(HEAD[lang][2])
    assert [r[column] for r in sheet[1:]] == WRITTEN[lang]
    before = dump(store)
    report = do_import(store, path)
    assert (report.added, report.changed, report.conflicts) == (0, 0, [])
    assert dump(store) == before


@pytest.mark.parametrize(
    ("lang", "term", "message"),
    [
        ("ko", "사촌", "유족, row 2, 관계: '사촌'만으로는 어느 쪽 계통인지 알 수 없습니다: 삼촌의 아들 (father's "
                       "brother's son), 삼촌의 딸 (father's brother's daughter), 고모의 아들 (father's sister's "
                       "son), 고모의 딸 (father's sister's daughter), 외삼촌의 아들 (mother's brother's son), "
                       "외삼촌의 딸 (mother's brother's daughter), 이모의 아들 (mother's sister's son) 또는 이모의 "
                       "딸 (mother's sister's daughter) 중 하나로 쓰십시오"),
        ("ko", "조카의 아들", "유족, row 2, 관계: '조카의 아들' 안의 '조카'만으로는 어느 쪽 계통인지 알 수 없습니다: "
                              "형제의 아들 (brother's son), 형제의 딸 (brother's daughter), 생질 (sister's son) "
                              "또는 생질녀 (sister's daughter) 중 하나로 쓰십시오"),
        ("ja", "伯父", "遺族, row 2, 続柄: '伯父'だけではどちらの系統か分かりません: 父方のおじ (father's brother) "
                       "または 母方のおじ (mother's brother) のいずれかを書いてください"),
        ("ja", "甥の息子", "遺族, row 2, 続柄: '甥の息子' の中の '甥'だけではどちらの系統か分かりません: 兄弟の息子 "
                           "(brother's son) または 姉妹の息子 (sister's son) のいずれかを書いてください"),
        ("ja", "兄弟の父", "遺族, row 2, 続柄: relationship '兄弟の父' walks back: `brother's father` is "
         "`father`"),
        ("en", "son's son's son's son's son's son's son's son's son",
         "Relatives, row 2, Relationship: relationship \"son's son's son's son's son's son's son's son's "
         "son\" has 9 steps; a path has at most 8"),
    ],
)
def test_a_term_that_hides_the_line_or_walks_back_is_refused(store, book, lang, term, message) -> None:  # type: ignore[no-untyped-def]
    before = dump(store)
    with pytest.raises(WorkbookRejected) as exc:
        do_import(store, _book(book, lang, [["R-1", "V-001", term]]))
    assert [str(p) for p in exc.value.problems] == [message]
    assert dump(store) == before
