"""The command line's own messages, tables and dashboard in Korean and Japanese.

Help texts are tested elsewhere; this is what commands print: `status` on the demo store,
an error raised by the CLI, confirmations and an edit's changes, table headers. The
dashboard's stage words are the catalogue's (context "stage", which the report and the
Dashboard sheet read too) and its vocabulary words the vocabularies' labels: the whole
dashboard is built from them here, and a few lines are pinned word for word.
"""

from __future__ import annotations

import unicodedata

import pytest

from chosei import i18n
from chosei.rules import FAMILY_STAGES, REMAINS_STAGES
from chosei.vocab import ELEMENT, SAMPLE_STATUS, SIDE

BANNER = {
    "ko": "데모 사례: 생성된 가상 데이터입니다 — 실제 희생자나 유족이 아닙니다.",
    "ja": "デモ事案：生成された架空のデータです — 実在の犠牲者・遺族ではありません。",
}


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _table(title: str, header: list[str], rows: list[list[object]]) -> list[str]:
    """A table as `emit_table` aligns it: columns two spaces apart, padded to the widest
    cell (wide characters count two), trailing spaces cut."""
    cells = [header, *[[str(c) for c in row] for row in rows]]
    widths = [max(_width(row[i]) for row in cells) for i in range(len(header))]
    lines = ["  ".join(c + " " * (w - _width(c)) for c, w in zip(row, widths, strict=True)).rstrip()
             for row in cells]
    return [title, *lines]


FAMILY = [("no relative known", 41, 27), ("located", 6, 3), ("consented", 5, 2), ("reference collected", 8, 3),
          ("reference profiled", 76, 12)]
REMAINS = [("none attributed", 133, 46), ("candidate", 1, 1), ("identified", 1, 0), ("returned", 1, 0)]
SPECIMENS = [("cranium", "midline", 2), ("femur", "left", 2), ("femur", "right", 4), ("fibula", "right", 1),
             ("fragment", "unknown", 6), ("humerus", "left", 5), ("humerus", "right", 5),
             ("mandible", "midline", 1), ("pelvis", "left", 1), ("radius", "left", 3), ("radius", "right", 2),
             ("rib", "left", 1), ("rib", "unknown", 1), ("scapula", "left", 1), ("tibia", "left", 4),
             ("tibia", "right", 4), ("tooth", "left", 1), ("tooth", "right", 2), ("vertebra", "midline", 4)]
SAMPLES = [("planned", 3, 22, 0), ("collected", 2, 3, 0), ("shipped", 2, 3, 0), ("received", 3, 2, 1),
           ("extracted", 3, 3, 0), ("profiled", 14, 130, 0), ("failed", 3, 10, 0), ("consumed", 1, 4, 0)]

WORDS = {
    "ko": {"case": "사안: Chosei demo case (fictional)",
           "victims": "희생자: 183명 중 183명 (한국 136명 중 136명, 일본 47명 중 47명)",
           "families": "유족", "remains": "유해", "specimens": "유해: 50", "samples": "시료",
           "mni": "최소 개체 수(MNI): 5",
           "stage": ["단계", "한국", "일본", "합계"], "element": ["부위", "좌우", "수"],
           "status": ["상태", "유해", "유족", "미상", "합계"]},
    "ja": {"case": "事案：Chosei demo case (fictional)",
           "victims": "犠牲者：183 人中 183 人（韓国 136 人中 136 人、日本 47 人中 47 人）",
           "families": "遺族", "remains": "遺骨", "specimens": "遺骨：50", "samples": "試料",
           "mni": "最小個体数（MNI）：5",
           "stage": ["段階", "韓国", "日本", "合計"], "element": ["部位", "左右", "数"],
           "status": ["状態", "遺骨", "遺族", "不明", "合計"]},
}


def _expected_status(lang: str) -> list[str]:
    w = WORDS[lang]
    unknown = {"ko": "미상", "ja": "不明"}[lang]

    def stage(s: str) -> str:
        return i18n.pgettext_in(lang, "stage", s)

    def element(code: str) -> str:
        return ELEMENT.label(code, lang) if code in ELEMENT else unknown

    return [
        BANNER[lang], w["case"], w["victims"], "",
        *_table(w["families"], w["stage"], [[stage(s), kr, jp, kr + jp] for s, kr, jp in FAMILY]), "",
        *_table(w["remains"], w["stage"], [[stage(s), kr, jp, kr + jp] for s, kr, jp in REMAINS]), "",
        *_table(w["specimens"], w["element"],
                [[element(e), SIDE.label(s, lang), n] for e, s, n in SPECIMENS]),
        w["mni"], "",
        *_table(w["samples"], w["status"],
                [[SAMPLE_STATUS.label(st, lang), sp, rel, unk, sp + rel + unk] for st, sp, rel, unk in SAMPLES]),
    ]


@pytest.mark.parametrize("lang", ["ko", "ja"])
def test_every_stage_has_its_word(lang: str) -> None:
    """The stages of `chosei.rules` are all in the catalogue, each worded differently."""
    words = [i18n.pgettext_in(lang, "stage", s) for s in (*FAMILY_STAGES, *REMAINS_STAGES)]
    assert len(set(words)) == len(words) == 9
    assert not set(words) & {*FAMILY_STAGES, *REMAINS_STAGES}


@pytest.mark.parametrize("lang", ["ko", "ja"])
def test_status_of_the_demo_reads_in_the_language(sqlite_url: str, cli, lang: str) -> None:  # type: ignore[no-untyped-def]
    cli("demo")
    assert cli("--lang", lang, "status").stdout.splitlines() == _expected_status(lang)


def test_status_pins_the_stage_words(sqlite_url: str, cli) -> None:  # type: ignore[no-untyped-def]
    """The stage tables exactly, words included (docs/terms.md gives their sources)."""
    cli("demo")
    assert cli("--lang", "ko", "status").stdout.splitlines()[4:19] == [
        "유족",
        "단계             한국  일본  합계",
        "유족 미확인      41    27    68",
        "유족 소재 확인   6     3     9",
        "분석 동의        5     2     7",
        "대조 시료 채취   8     3     11",
        "대조 DNA형 확보  76    12    88",
        "",
        "유해",
        "단계            한국  일본  합계",
        "해당 유해 없음  133   46    179",
        "후보            1     1     2",
        "신원확인        1     0     1",
        "봉환            1     0     1",
        "",
    ]
    assert cli("--lang", "ja", "status").stdout.splitlines()[4:19] == [
        "遺族",
        "段階           韓国  日本  合計",
        "遺族未確認     41    27    68",
        "遺族所在確認   6     3     9",
        "分析同意       5     2     7",
        "対照試料採取   8     3     11",
        "対照DNA型検出  76    12    88",
        "",
        "遺骨",
        "段階          韓国  日本  合計",
        "該当遺骨なし  133   46    179",
        "候補          1     1     2",
        "身元確認      1     0     1",
        "返還          1     0     1",
        "",
    ]


def test_status_in_english_is_unchanged(sqlite_url: str, cli) -> None:  # type: ignore[no-untyped-def]
    cli("demo")
    out = cli("status").stdout.splitlines()
    assert out[:7] == [
        "DEMO CASE: fictional, generated data — not real victims or families.",
        "Case: Chosei demo case (fictional)",
        "Victims: 183 of 183 (KR 136 of 136, JP 47 of 47)",
        "",
        "Families",
        "stage                KR  JP  total",
        "no relative known    41  27  68",
    ]


def test_status_follows_chosei_lang(sqlite_url: str, cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    cli("demo")
    monkeypatch.setenv("CHOSEI_LANG", "ja")
    assert cli("status").stdout.splitlines()[:3] == [BANNER["ja"], WORDS["ja"]["case"], WORDS["ja"]["victims"]]


@pytest.mark.parametrize(("lang", "line"), [
    ("ko", "오류: 삭제할 PERSON을 하나 지정하거나, 가계도 전체를 삭제하려면 --all을 지정하십시오\n"),
    ("ja", "エラー: 削除する PERSON を一人指定するか、家系図全体を削除するには --all を指定してください\n"),
    ("en", "Error: name one PERSON to remove, or give --all to remove the whole tree\n"),
])
def test_an_error_of_the_cli(case: str, cli, lang: str, line: str) -> None:  # type: ignore[no-untyped-def]
    result = cli("--lang", lang, "family", "remove", "V-001", expect=1)
    assert (result.stdout, result.stderr) == ("", line)


@pytest.mark.parametrize(("lang", "line"), [
    ("ko", "오류: 인수 5('V<U+0007>1')에 제어 문자 또는 보이지 않는 문자 U+0007이(가) 있습니다. "
           "이 문자 없이 다시 입력하십시오\n"),
    ("ja", "エラー: 引数 5（'V<U+0007>1'）に制御文字または不可視文字 U+0007 が含まれています。"
           "その文字を除いて入力し直してください\n"),
])
def test_a_refused_argument(case: str, cli, lang: str, line: str) -> None:  # type: ignore[no-untyped-def]
    assert cli("--lang", lang, "victim", "show", "V\x071", expect=1).stderr == line


@pytest.mark.parametrize(("lang", "lines"), [
    ("ko", ["희생자 V-001(KR)을(를) 추가했습니다: 김가온",
            "희생자 V-001을(를) 수정했습니다:", "    생년월일: ∅ -> 1915", "    사망 당시 나이: ∅ -> 27",
            "희생자 V-001: 이미 같은 값이어서 변경하지 않았습니다."]),
    ("ja", ["犠牲者 V-001（KR）を追加しました：김가온",
            "犠牲者 V-001 を更新しました：", "    生年月日: ∅ -> 1915", "    死亡時年齢: ∅ -> 27",
            "犠牲者 V-001：すでに同じ値のため変更していません。"]),
])
def test_confirmations_and_changes(case: str, cli, lang: str, lines: list[str]) -> None:  # type: ignore[no-untyped-def]
    out = cli("--lang", lang, "victim", "add", "V-001", "--nationality", "KR", "--hangul", "김가온").stdout
    out += cli("--lang", lang, "victim", "edit", "V-001", "--born", "1915", "--age-at-death", "27").stdout
    out += cli("--lang", lang, "victim", "edit", "V-001", "--born", "1915").stdout
    assert out.splitlines() == lines


@pytest.mark.parametrize(("lang", "lines"), [
    ("ko", ["번호   국적  한글 이름  한자 이름  일본식 이름  생년월일  사망 당시 나이",
            "V-001  KR    김가온                             1915",
            "희생자 1명"]),
    ("ja", ["番号   国籍  ハングル氏名  漢字氏名  日本名  生年月日  死亡時年齢",
            "V-001  KR    김가온                          1915",
            "犠牲者 1 人"]),
])
def test_a_listing_has_headers_in_the_language(case: str, cli, lang: str, lines: list[str]) -> None:  # type: ignore[no-untyped-def]
    cli("victim", "add", "V-001", "--nationality", "KR", "--hangul", "김가온", "--born", "1915")
    assert cli("--lang", lang, "victim", "list").stdout.splitlines() == lines
    empty = {"ko": ["(희생자 없음)", "희생자 0명"], "ja": ["（犠牲者なし）", "犠牲者 0 人"]}[lang]
    assert cli("--lang", lang, "victim", "list", "--nationality", "JP").stdout.splitlines() == empty


def test_json_stays_english(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    cli("victim", "add", "V-001", "--nationality", "KR", "--hangul", "김가온")
    import json

    data = json.loads(cli("--lang", "ko", "victim", "show", "V-001", "--json").stdout)
    assert (data["family_stage"], data["remains_stage"]) == ("no relative known", "none attributed")


def test_korean_status_loads_no_model(case: str) -> None:
    """Speaking Korean costs `chosei status` no ORM: its words come from the catalogue
    through `chosei.reports.labels` (the report's own words), which loads no SQLModel."""
    import subprocess
    import sys

    code = (
        "import sys; from chosei.cli import app; import typer.testing as t;"
        "r = t.CliRunner().invoke(app, ['--lang', 'ko', '--db', sys.argv[1], 'status']);"
        "assert r.exit_code == 0, r.output; assert '유족 미확인' in r.output, r.output;"
        "heavy = [m for m in ('sqlmodel', 'sqlalchemy.orm', 'chosei.models') if m in sys.modules];"
        "print(','.join(heavy) or 'none')"
    )
    out = subprocess.run([sys.executable, "-c", code, case], capture_output=True, text=True, check=True)
    assert out.stdout == "none\n"


@pytest.mark.parametrize(("lang", "lines"), [
    ("ko", ["유족 단계       유족 미확인", "유해 단계       해당 유해 없음"]),
    ("ja", ["遺族の段階  遺族未確認", "遺骨の段階  該当遺骨なし"]),
])
def test_victim_show_words_the_stages(case: str, cli, lang: str, lines: list[str]) -> None:  # type: ignore[no-untyped-def]
    cli("victim", "add", "V-001", "--nationality", "KR", "--hangul", "김가온")
    out = cli("--lang", lang, "victim", "show", "V-001").stdout.splitlines()
    assert out[0] == {"ko": "희생자 V-001", "ja": "犠牲者 V-001"}[lang]
    assert [line for line in out if "단계" in line or "段階" in line] == lines
