"""A workbook's feedback in the workbook's language (issue 16, point 3).

A Korean or Japanese workbook's problems, warnings and summary are given in its language,
naming its sheets and headers as it names them and its terms in that language with the
code in parentheses, in the terminal and in the marked copy's comments; an English
workbook's follow the user's language. Lines another part of chosei words (the CLI's
`Marked …`, `Error: …`, a date's refusal) are taken from the catalogue, so this test pins
the workbook's lines exactly and the others as the catalogue has them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from chosei import i18n
from chosei.dates import DateError, parse_date
from chosei.exchange import schema
from chosei.i18n import gettext_in
from chosei.vocab import SEX
from tests.exchange.conftest import write_book

KO_BOOK = {
    "희생자": [["희생자 번호", "국적", "한글 이름", "성별", "생년월일"],
            ["V-001", "한국", "김정웅", "수컷", "1915-03-02"],
            ["V-002", "한국", "박", "남", "1915-02-30"]],
    "유족": [["유족 번호", "희생자 번호", "관계", "이름", "동의일", "동의 범위", "동의 철회일"],
           ["R-001", "V-404", "아들", "김하늘", None, None, None],
           ["R-002", "V-001", "딸", "김바다", "2024-05-01", "분석", "2024-04-01"]],
}
JA_BOOK = {
    "犠牲者": [["犠牲者番号", "国籍", "日本名", "性別", "生年月日"],
            ["V-001", "韓国", "金本正雄", "オス", "1915-03-02"],
            ["V-002", "日本", "山田太郎", "男", "1915-02-30"]],
    "遺族": [["遺族番号", "犠牲者番号", "続柄", "氏名"],
           ["R-001", "V-404", "息子", "金本花子"]],
}


def _sexes(lang: str, sep: str) -> str:
    return sep.join(f"{SEX.label(code, lang)} ({code})" for code in SEX.codes)


def _date_problem(lang: str, value: str) -> str:
    """What chosei.dates says of an impossible date, in `lang` (its own slice's words)."""
    with i18n.in_language(lang), pytest.raises(DateError) as err:
        parse_date(value)
    return str(err.value)


def _error(lang: str, message: str) -> str:
    return gettext_in(lang, "Error: {message}").format(message=message)


@pytest.mark.parametrize("user", ["ko", "en"])
def test_a_bad_korean_workbook_is_reported_in_korean(cli, lite, tmp_path: Path, user: str) -> None:
    path = write_book(tmp_path / "ko.xlsx", KO_BOOK)
    marked = tmp_path / "marked.xlsx"
    result = cli("--lang", user, "import", str(path), "--errors", str(marked), expect=6)
    problems = [
        f"희생자, 2행, 성별: '수컷'은(는) 성별 값이 아닙니다. 다음 중 하나로 쓰십시오: "
        f"{_sexes('ko', ', ')}",
        f"희생자, 3행, 생년월일: {_date_problem('ko', '1915-02-30')}",
        "유족, 2행, 희생자 번호: 'V-404'은(는) 통합 문서에도 저장소에도 없는 희생자 번호입니다: 희생자 시트에 "
        "추가하거나 번호를 바로잡으십시오",
        "유족, 3행, 동의 철회일: '2024-04-01'은(는) 동의한 날(2024-05-01) 이전입니다: 두 날짜 중 하나를 "
        "바로잡으십시오",
    ]
    # The workbook's lines in its language, whoever imports it.
    assert result.stderr.splitlines() == [
        *(f"  {p}" for p in problems),
        gettext_in("ko", "Marked {n} cell(s) in {file}.").format(n=4, file=marked),
        _error("ko", "ko.xlsx에 문제가 4개 있습니다. 아무것도 가져오지 않았습니다"),
    ]
    book = load_workbook(marked)
    comments = [(ws.title, cell.coordinate, cell.comment.text) for ws in book.worksheets
                for row in ws.iter_rows() for cell in row if cell.comment is not None]
    assert comments == [
        ("희생자", "D2", problems[0].removeprefix("희생자, 2행, ")),
        ("희생자", "E3", problems[1].removeprefix("희생자, 3행, ")),
        ("유족", "B2", problems[2].removeprefix("유족, 2행, ")),
        ("유족", "G3", problems[3].removeprefix("유족, 3행, ")),
    ]


@pytest.mark.parametrize("user", ["ja", "en"])
def test_a_bad_japanese_workbook_is_reported_in_japanese(cli, lite, tmp_path: Path, user: str) -> None:
    path = write_book(tmp_path / "ja.xlsx", JA_BOOK)
    marked = tmp_path / "marked.xlsx"
    result = cli("--lang", user, "import", str(path), "--errors", str(marked), expect=6)
    problems = [
        f"犠牲者、2 行目、性別: 'オス' は性別の値ではありません。次のいずれかを書いてください："
        f"{_sexes('ja', '、')}",
        f"犠牲者、3 行目、生年月日: {_date_problem('ja', '1915-02-30')}",
        "遺族、2 行目、犠牲者番号: 'V-404' はブックにもデータベースにもない犠牲者番号です: 犠牲者シートに追加するか、"
        "番号を訂正してください",
    ]
    assert result.stderr.splitlines() == [
        *(f"  {p}" for p in problems),
        gettext_in("ja", "Marked {n} cell(s) in {file}.").format(n=3, file=marked),
        _error("ja", "ja.xlsx に問題が 3 件あります。何も取り込んでいません"),
    ]
    comments = {ws.title: [c.comment.text for row in ws.iter_rows() for c in row if c.comment]
                for ws in load_workbook(marked).worksheets}
    assert comments == {
        "犠牲者": [problems[0].removeprefix("犠牲者、2 行目、"), problems[1].removeprefix("犠牲者、3 行目、")],
        "遺族": [problems[2].removeprefix("遺族、2 行目、")],
    }


def test_an_english_workbook_speaks_the_users_language(cli, lite, tmp_path: Path) -> None:
    path = write_book(tmp_path / "en.xlsx", {
        "Victims": [["Victim ID", "Nationality", "Name (Hangul)"], ["V-001", "Korae", "김"]],
        "Relatives": [["Relative ID", "Victim ID", "Relationship"], ["R-001", "V-404", "son"]],
    })
    result = cli("--lang", "ko", "import", str(path), expect=6)
    nationalities = ", ".join(f"{schema.NATIONALITY.label(code, 'ko')} ({code})" for code in ("KR", "JP"))
    assert result.stderr.splitlines() == [
        "  Victims, 2행, Nationality: 'Korae'은(는) 국적 값이 아닙니다(Korea: KR을(를) "
        f"뜻했습니까?). 다음 중 하나로 쓰십시오: {nationalities}",
        "  Relatives, 2행, Victim ID: 'V-404'은(는) 통합 문서에도 저장소에도 없는 희생자 번호입니다: Victims "
        "시트에 추가하거나 번호를 바로잡으십시오",
        _error("ko", "en.xlsx에 문제가 2개 있습니다. 아무것도 가져오지 않았습니다"),
    ]
    english = cli("--lang", "en", "import", str(path), expect=6)  # as before for an English user
    assert english.stderr.splitlines() == [
        "  Victims, row 2, Nationality: 'Korae' is not a nationality (did you mean Korea: KR?); "
        "expected one of: KR, JP",
        "  Relatives, row 2, Victim ID: 'V-404' names no victim in the workbook or the store: add it "
        "to the Victims sheet, or correct the ID",
        "Error: en.xlsx has 2 problems; nothing was imported",
    ]


def test_the_summary_of_a_korean_workbook_names_its_sheets(cli, lite, tmp_path: Path) -> None:
    path = write_book(tmp_path / "ko.xlsx", {
        "희생자": [["희생자 번호", "국적", "한글 이름"], ["V-001", "한국", "김정웅"]],
        "유족": [["유족 번호", "희생자 번호", "관계"], ["R-001", "V-001", "아들"]],
    })
    result = cli("import", str(path), "--dry-run")
    lines = result.stdout.splitlines()
    ko = lambda text, **kw: gettext_in("ko", text).format(**kw)  # noqa: E731
    assert lines[:3] == [ko("Dry run of {file}: nothing was written.", file="ko.xlsx"),
                         "  추가 희생자 V-001", "  추가 유족 R-001"]
    assert [line.split()[0] for line in lines[4:6]] == ["희생자", "유족"]  # the table's rows
    assert lines[-1] == ko("Would add {added} and would change {changed} row(s) from {file}.",
                           added=2, changed=0, file="ko.xlsx")
    assert len(lines) == 7


def test_the_language_of_a_workbook() -> None:
    lang = schema.workbook_language
    assert lang(["희생자", "유족", "정보"]) == "ko"
    assert lang(["犠牲者", "Relatives", "遺族"]) == "ja"
    assert lang(["Victims", "Sheet1"]) == "en"
    assert lang(["희생자", "犠牲者"]) == "en"  # undecided: the user's language
    # Sheet names chosei does not know: the headers decide, then the About sheet.
    assert lang(["Sheet1"], [(schema.VICTIMS, "희생자 번호"), (schema.VICTIMS, "성별"),
                             (schema.IDENTIFICATIONS, "LR")]) == "ko"
    assert lang(["Sheet1"], [(schema.IDENTIFICATIONS, "LR")], "ja") == "ja"
    assert lang([], [], "fr") == "en"


def test_a_guard_refusal_naming_a_korean_sheet_is_in_korean(tmp_path: Path) -> None:
    from chosei.errors import InvalidInput
    from chosei.exchange.guard import check_workbook
    from tests.exchange.hostile import DECL, NS, OFFICE, workbook

    book = (f'{DECL}<workbook {NS} xmlns:r="{OFFICE}"><sheets>'
            '<sheet name="희생자" sheetId="1" r:id="rId1"/></sheets></workbook>')
    sheet = '<?xml version="1.0"?><!DOCTYPE w [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><worksheet/>'
    path = workbook(tmp_path / "victims.xlsx", book=book, sheet=sheet)
    with pytest.raises(InvalidInput) as refused:
        check_workbook(path)
    assert refused.value.message == (
        "'victims.xlsx'을(를) 거부합니다: 시트 '희생자'에 Excel이 결코 쓰지 않는 DOCTYPE이나 엔터티 선언이 "
        "있습니다(XML 폭탄?): 보낸 곳에 실제 통합 문서를 요청하거나, Excel에서 열어 다시 저장하십시오")
    # Before the sheets have names, a refusal is the user's language's (English here).
    with pytest.raises(InvalidInput) as missing:
        check_workbook(tmp_path / "none.xlsx")
    assert missing.value.message == f"no file 'none.xlsx' at {tmp_path}; check the path"


@pytest.mark.parametrize(("lang", "expected"), [
    ("ko", "'analysys'은(는) 동의 범위 값이 아닙니다(analysis을(를) 뜻했습니까?). 다음 중 하나로 "
           "쓰십시오: {choices}"),
    ("ja", "'analysys' は同意範囲の値ではありません（analysis のことですか？）。次のいずれかを書いてください："
           "{choices}"),
    ("en", "'analysys' is not a consent scope (did you mean analysis?); expected one of: analysis, share:KR, "
           "share:JP"),
])
def test_a_term_is_refused_with_the_terms_of_the_language(lang: str, expected: str) -> None:
    from chosei.exchange import cells

    sep = {"ko": ", ", "ja": "、"}.get(lang, ", ")
    choices = sep.join(f"{schema.CONSENT_SCOPE.label(c, lang)} ({c})" for c in schema.CONSENT_SCOPE.codes)
    read = cells.cell_reader(schema.RELATIVES.column("consent_scope"))
    with i18n.in_language(lang), pytest.raises(cells.CellError) as refused:
        read("analysys;share:KR")
    assert str(refused.value) == expected.format(choices=choices)


def test_a_relationship_is_refused_with_the_short_list_and_paths() -> None:
    from chosei.exchange import cells
    from chosei.vocab import RELATIONSHIP

    short = ["son", "daughter", "father", "mother", "brother", "sister", "half-brother (paternal)",
             "half-brother (maternal)", "half-sister (paternal)", "half-sister (maternal)", "son's son",
             "son's daughter", "daughter's son", "daughter's daughter", "brother's son", "brother's daughter",
             "sister's son", "sister's daughter", "spouse", "other"]
    read = cells.cell_reader(schema.RELATIVES.column("relationship"))
    with i18n.in_language("ko"), pytest.raises(cells.CellError) as refused:
        read("아덜")
    assert str(refused.value) == (
        "'아덜'은(는) 관계 값이 아닙니다. 다음 중 하나로 쓰십시오: "
        + ", ".join(f"{RELATIONSHIP.label(c, 'ko')} ({c})" for c in short)
        + ", 계통이 드러나는 한국어·일본어 호칭, 또는 형제의 아들의 아들처럼 '의'로 이은 관계 경로")
