"""The command line's help, and typer's usage errors, in Korean and Japanese: chosen by
--lang, $CHOSEI_LANG or the locale ($LANG), wrapped by terminal columns."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chosei.cli import app

WIDTH = 80  # typer's CliRunner formats help for 80 columns

ROOT_HELP = {
    "ko": [
        "사용법: chosei [OPTIONS] COMMAND [ARGS]...",
        "  조세이 해저탄광 희생자 183명의 신원확인을 추적합니다: 희생자와 그 이름, 유족과",
        "  동의, 수습된 유해와 그 인계기록, DNA 시료와 DNA형, 친족 대조, 신원확인, 봉환.",
        "옵션:",
        "  --as <str>            감사 기록에 남을 행위자. $CHOSEI_USER보다 우선합니다.",
        "  --help                이 도움말을 보이고 끝냅니다.",
        "명령:",
        "  import     교환용 통합 문서를 가져옵니다.",
        "  victim     희생자: 명부, 모든 문자와 출처의 이름, 단계.",
    ],
    "ja": [
        "使い方: chosei [OPTIONS] COMMAND [ARGS]...",
        "  長生炭鉱の海底坑道で亡くなった183人の身元確認を追跡します: 犠牲者とその名前、",
        "  遺族と同意、収容した遺骨とその受渡記録、DNA試料とDNA型、親族照合、身元確認、返",
        "  還。",  # Japanese breaks between any two characters
        "オプション:",
        "  --as <str>            監査記録に残る操作者。$CHOSEI_USER より優先します。",
        "  --help                このヘルプを表示して終了します。",
        "コマンド:",
        "  import     交換用ブックをインポートします。",
        "  victim     犠牲者: 名簿、あらゆる文字と出典での名前、段階。",
    ],
}

VICTIM_ADD_HELP = {
    "ko": [
        "사용법: chosei victim add [OPTIONS] {ID}",
        "  희생자를 명부에 추가합니다. 이름이 하나 이상 필요합니다.",
        "  예: chosei victim add V-001 --nationality KR --hangul 김가온 --born 1915",
        "인수:",
        "  ID <str>  희생자 ID. 예: V-001.  [필수]",
        "옵션:",
        "  --nationality <str>   KR 또는 JP.  [필수]",
        "  --born <str>          생년월일. 일부만이거나 연호로 써도 됩니다: 1915,",
        "                        1915-03, 大正4年3月2日.",
        "  --json                표 대신 JSON으로 출력합니다.",
    ],
    "ja": [
        "使い方: chosei victim add [OPTIONS] {ID}",
        "  犠牲者を名簿に追加します。名前が1つ以上必要です。",
        "  例: chosei victim add V-001 --nationality KR --hangul 김가온 --born 1915",
        "引数:",
        "  ID <str>  犠牲者ID。例: V-001。  [必須]",
        "オプション:",
        "  --nationality <str>   KR または JP。  [必須]",
        "  --born <str>          生年月日。一部だけや元号でも構いません: 1915、1915-03、",
        "                        大正4年3月2日。",
        "  --json                表の代わりに JSON で出力します。",
    ],
}


def _speak(how: str, lang: str, argv: list[str]) -> tuple[list[str], dict[str, str | None]]:
    """`argv` and the environment that choose `lang` the way `how` says."""
    env: dict[str, str | None] = {"COLUMNS": str(WIDTH), "CHOSEI_LANG": None, "LANGUAGE": None,
                                  "LC_ALL": None, "LC_MESSAGES": None, "LANG": "C.UTF-8"}
    if how == "--lang":
        return ["--lang", lang, *argv], env
    if how == "CHOSEI_LANG":
        return argv, {**env, "CHOSEI_LANG": lang}
    return argv, {**env, "LANG": {"ko": "ko_KR.UTF-8", "ja": "ja_JP.UTF-8"}[lang]}


def run(how: str, lang: str, *argv: str) -> tuple[int, str, str]:
    args, env = _speak(how, lang, list(argv))
    result = CliRunner().invoke(app, args, env=env, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def width(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)


def lines_in_order(text: str, expected: list[str]) -> None:
    """Each expected line is a whole line of `text`, in this order."""
    lines = text.splitlines()
    at = 0
    for line in expected:
        assert line in lines[at:], f"{line!r} is not a line of the output after line {at}:\n{text}"
        at = lines.index(line, at) + 1


@pytest.mark.parametrize("how", ["--lang", "CHOSEI_LANG", "LANG"])
@pytest.mark.parametrize("lang", ["ko", "ja"])
def test_the_top_level_help_speaks_the_language(how: str, lang: str) -> None:
    code, out, _err = run(how, lang, "--help")
    assert code == 0
    lines_in_order(out, ROOT_HELP[lang])


@pytest.mark.parametrize("how", ["--lang", "CHOSEI_LANG", "LANG"])
@pytest.mark.parametrize("lang", ["ko", "ja"])
def test_a_command_help_speaks_the_language(how: str, lang: str) -> None:
    code, out, _err = run(how, lang, "victim", "add", "--help")
    assert code == 0
    lines_in_order(out, VICTIM_ADD_HELP[lang])


def test_the_english_help_is_unchanged() -> None:
    code, out, _err = run("--lang", "en", "victim", "add", "--help")
    assert code == 0
    lines_in_order(out, [
        "Usage: chosei victim add [OPTIONS] {ID}",
        "  Add a victim to the roster. At least one name is required.",
        "  Example: chosei victim add V-001 --nationality KR --hangul 김가온 --born 1915",
        "Options:",
        "  --nationality <str>   KR or JP.  [required]",
    ])


def test_no_english_is_left_in_a_korean_command_help() -> None:
    code, out, _err = run("--lang", "ko", "victim", "add", "--help")
    assert code == 0
    prose = []
    for line in out.splitlines():
        if line.startswith("사용법: chosei ") or line.strip().startswith("예: chosei "):
            continue  # the command line itself stays as it is typed
        line = re.sub(r"--[a-z][\w-]*|<(str|int)>|\{ID\}", " ", line)  # option names, metavars
        prose.append(line)
    words = set(re.findall(r"[A-Za-z]{2,}", "\n".join(prose)))
    assert words <= {"ID", "KR", "JP", "JSON"}, sorted(words - {"ID", "KR", "JP", "JSON"})


def test_the_locale_chooses_the_language_of_the_installed_command() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("CHOSEI_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES")}
    env.update(LANG="ko_KR.UTF-8", COLUMNS=str(WIDTH))
    chosei = Path(sys.executable).with_name("chosei")  # the console script pip installed
    out = subprocess.run([str(chosei), "victim", "add", "--help"], env=env,
                         capture_output=True, text=True, check=True).stdout
    lines_in_order(out, VICTIM_ADD_HELP["ko"])  # 78 columns (a terminal's 80, less 2)


@pytest.mark.parametrize("lang", ["ko", "ja"])
@pytest.mark.parametrize("argv", [
    ["--help"], ["victim", "--help"], ["match", "run", "--help"], ["relative", "add", "--help"],
    ["retract", "--help"], ["audit", "verify", "--help"],
])
def test_help_in_wide_characters_fits_the_terminal(lang: str, argv: list[str]) -> None:
    code, out, _err = run("--lang", lang, *argv)
    assert code == 0
    too_wide = [line for line in out.splitlines() if width(line) > WIDTH]
    assert too_wide == []


USAGE_ERRORS = [
    (["victim", "add"], {
        "en": ("Usage: chosei victim add [OPTIONS] {ID}", "Try 'chosei victim add --help' for help.",
               "Error: Missing argument 'ID'."),
        "ko": ("사용법: chosei victim add [OPTIONS] {ID}", "도움말은 'chosei victim add --help'을(를) 실행하십시오.",
               "오류: 인수 'ID'이(가) 없습니다."),
        "ja": ("使い方: chosei victim add [OPTIONS] {ID}", "ヘルプは 'chosei victim add --help' を実行してください。",
               "エラー: 引数 'ID' がありません。"),
    }),
    (["victim", "list", "--bogus"], {
        "en": ("Usage: chosei victim list [OPTIONS]", "Try 'chosei victim list --help' for help.",
               "Error: No such option: --bogus"),
        "ko": ("사용법: chosei victim list [OPTIONS]", "도움말은 'chosei victim list --help'을(를) 실행하십시오.",
               "오류: 그런 옵션은 없습니다: --bogus"),
        "ja": ("使い方: chosei victim list [OPTIONS]", "ヘルプは 'chosei victim list --help' を実行してください。",
               "エラー: そのようなオプションはありません: --bogus"),
    }),
    (["victim", "list", "--limt", "3"], {
        "en": ("Usage: chosei victim list [OPTIONS]", "Try 'chosei victim list --help' for help.",
               "Error: No such option: --limt (Possible options: --limit)"),
        "ko": ("사용법: chosei victim list [OPTIONS]", "도움말은 'chosei victim list --help'을(를) 실행하십시오.",
               "오류: 그런 옵션은 없습니다: --limt (가능한 옵션: --limit)"),
        "ja": ("使い方: chosei victim list [OPTIONS]", "ヘルプは 'chosei victim list --help' を実行してください。",
               "エラー: そのようなオプションはありません: --limt (指定できるオプション: --limit)"),
    }),
    (["victim", "list", "--limit", "abc"], {
        "en": ("Usage: chosei victim list [OPTIONS]", "Try 'chosei victim list --help' for help.",
               "Error: Invalid value for '--limit': Input should be a valid integer, unable to parse string "
               "as an integer"),
        "ko": ("사용법: chosei victim list [OPTIONS]", "도움말은 'chosei victim list --help'을(를) 실행하십시오.",
               "오류: '--limit'의 값이 잘못되었습니다: 'abc'은(는) 정수가 아닙니다."),
        "ja": ("使い方: chosei victim list [OPTIONS]", "ヘルプは 'chosei victim list --help' を実行してください。",
               "エラー: '--limit' の値が不正です: 'abc' は整数ではありません。"),
    }),
    (["match", "run", "--theta", "x"], {
        "en": ("Usage: chosei match run [OPTIONS]", "Try 'chosei match run --help' for help.",
               "Error: Invalid value for '--theta': Input should be a valid number, unable to parse string "
               "as a number"),
        "ko": ("사용법: chosei match run [OPTIONS]", "도움말은 'chosei match run --help'을(를) 실행하십시오.",
               "오류: '--theta'의 값이 잘못되었습니다: 'x'은(는) 숫자가 아닙니다."),
        "ja": ("使い方: chosei match run [OPTIONS]", "ヘルプは 'chosei match run --help' を実行してください。",
               "エラー: '--theta' の値が不正です: 'x' は数値ではありません。"),
    }),
    (["victim", "list", "extra"], {
        "en": ("Usage: chosei victim list [OPTIONS]", "Try 'chosei victim list --help' for help.",
               "Error: Got unexpected extra argument(s) (extra)"),
        "ko": ("사용법: chosei victim list [OPTIONS]", "도움말은 'chosei victim list --help'을(를) 실행하십시오.",
               "오류: 예상하지 못한 인수가 더 있습니다 (extra)"),
        "ja": ("使い方: chosei victim list [OPTIONS]", "ヘルプは 'chosei victim list --help' を実行してください。",
               "エラー: 余分な引数があります (extra)"),
    }),
    (["victim", "ad"], {
        "en": ("Usage: chosei victim [OPTIONS] COMMAND [ARGS]...", "Try 'chosei victim --help' for help.",
               "Error: No such command 'ad'. Did you mean 'add'?"),
        "ko": ("사용법: chosei victim [OPTIONS] COMMAND [ARGS]...",
               "도움말은 'chosei victim --help'을(를) 실행하십시오.",
               "오류: 'ad' 명령은 없습니다. 'add'을(를) 말씀하신 것입니까?"),
        "ja": ("使い方: chosei victim [OPTIONS] COMMAND [ARGS]...",
               "ヘルプは 'chosei victim --help' を実行してください。",
               "エラー: 'ad' というコマンドはありません。'add' のことですか?"),
    }),
    (["--bogus"], {
        "en": ("Usage: chosei [OPTIONS] COMMAND [ARGS]...", "Try 'chosei --help' for help.",
               "Error: No such option: --bogus"),
        "ko": ("사용법: chosei [OPTIONS] COMMAND [ARGS]...", "도움말은 'chosei --help'을(를) 실행하십시오.",
               "오류: 그런 옵션은 없습니다: --bogus"),
        "ja": ("使い方: chosei [OPTIONS] COMMAND [ARGS]...", "ヘルプは 'chosei --help' を実行してください。",
               "エラー: そのようなオプションはありません: --bogus"),
    }),
]


@pytest.mark.parametrize("lang", ["en", "ko", "ja"])
@pytest.mark.parametrize(("argv", "said"), USAGE_ERRORS, ids=[" ".join(a) for a, _ in USAGE_ERRORS])
def test_a_usage_error_speaks_the_language(lang: str, argv: list[str], said: dict[str, tuple[str, ...]]) -> None:
    usage, hint, error = said[lang]
    code, out, err = run("CHOSEI_LANG", lang, *argv)
    assert (code, out) == (2, "")
    assert err == f"{usage}\n{hint}\n\n{error}\n"


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", "Error: Option '--limit' requires an argument.\n"),
    ("ko", "오류: 옵션 '--limit'에는 값이 필요합니다.\n"),
    ("ja", "エラー: オプション '--limit' には値が必要です。\n"),
])
def test_an_option_without_its_value(lang: str, expected: str) -> None:
    code, _out, err = run("--lang", lang, "victim", "list", "--limit")
    assert (code, err) == (2, expected)


def test_a_group_without_its_command_shows_its_help_in_the_language() -> None:
    code, _out, err = run("--lang", "ja", "victim")
    assert code == 2
    lines_in_order(err, ["使い方: chosei victim [OPTIONS] COMMAND [ARGS]...",
                         "  犠牲者: 名簿、あらゆる文字と出典での名前、段階。", "コマンド:"])


@pytest.mark.parametrize(("how", "argv", "expected"), [
    ("CHOSEI_LANG", [], "ko"),  # a Korean user's template is Korean
    ("LANG", [], "ko"),
    ("--lang", [], "ko"),
    ("CHOSEI_LANG", ["--lang", "en"], "en"),  # unless asked otherwise
    ("CHOSEI_LANG", ["--lang", "ja"], "ja"),
])
def test_a_sub_command_lang_defaults_to_the_language_chosei_speaks(
        how: str, argv: list[str], expected: str, tmp_path: Path) -> None:
    target = tmp_path / "blank.xlsx"
    code, out, err = run(how, "ko", "template", str(target), *argv, "--json")
    assert code == 0, err
    assert json.loads(out) == {"file": str(target), "lang": expected}


def test_the_sub_command_lang_help_says_its_default() -> None:
    code, out, _err = run("--lang", "ko", "template", "--help")
    assert code == 0
    lines_in_order(out, ["  --lang <str>  머리글과 용어의 언어: en, ko 또는 ja. 기본값은 chosei가 쓰는",
                         "                언어입니다(chosei --lang, $CHOSEI_LANG, 로캘)."])


def test_registered_commands_and_nouns_have_their_help_in_the_catalogue() -> None:
    """`app.command("init")(init)`'s docstring and `new_app("…")`'s text are extracted."""
    pot = (Path(__file__).parents[2] / "chosei" / "locale" / "chosei.pot").read_text(encoding="utf-8")
    assert 'msgid ""\n"Create the store (if needed) and the case in it.\\n"' in pot
    assert 'msgid "The audit trail: who changed what, when, before and after."' in pot


def _english_texts() -> list[tuple[str, str]]:
    """Every help text typer shows, as the code writes it: (where, text)."""
    import typer

    found: list[tuple[str, str]] = []

    def walk(cmd: object, path: list[str]) -> None:
        where = " ".join(["chosei", *path])
        if getattr(cmd, "help", None):
            found.append((where, cmd.help))  # type: ignore[attr-defined]
        for param in cmd.params:  # type: ignore[attr-defined]
            if getattr(param, "help", None):
                found.append((f"{where} {param.name}", param.help))
        if hasattr(cmd, "list_commands"):
            ctx = cmd.make_context("chosei", [], resilient_parsing=True)  # type: ignore[attr-defined]
            for name in cmd.list_commands(ctx):  # type: ignore[attr-defined]
                walk(cmd.get_command(ctx, name), [*path, name])  # type: ignore[attr-defined]

    walk(typer.main.get_command(app), [])
    return found


@pytest.mark.parametrize("lang", ["ko", "ja"])
def test_every_help_text_is_in_the_catalogue(lang: str) -> None:
    """A help text built at run time (an f-string, a variable) would never be extracted."""
    from chosei import i18n

    texts = _english_texts()
    assert len(texts) > 400
    catalogue = i18n.translation(lang)
    assert [(where, text) for where, text in texts if catalogue.gettext(text) == text] == []


def test_the_retract_kinds_in_the_help_are_the_kinds() -> None:
    from chosei.cli.corrections_cmd import KIND_HELP

    kind = dict(_english_texts())["chosei retract kind"]
    assert kind == f"What to retract: {KIND_HELP}."
