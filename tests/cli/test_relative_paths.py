"""`chosei relative add/edit --relationship` with relationship paths, on both backends."""

from __future__ import annotations

import pytest

from chosei.models import Relative
from tests.cli.storeview import one, snapshot


@pytest.mark.parametrize(
    ("entered", "stored"),
    [
        ("Father's Brother's Son's Son", "father's brother's son's son"),
        ("종질", "father's brother's son's son"),
        ("삼촌의 아들의 아들", "father's brother's son's son"),
        ("父方のおじの息子の息子", "father's brother's son's son"),
        ("외할머니", "mother's mother"),
        ("母方の祖母", "mother's mother"),
        ("증손자", "son's son's son"),
    ],
)
def test_add_a_path(case: str, cli, entered: str, stored: str) -> None:  # type: ignore[no-untyped-def]
    cli("victim add V-001 --nationality KR --hangul 김가온")
    out = cli("relative", "add", "R-001", "--victim", "V-001", "--relationship", entered).stdout
    assert out == f"Added relative R-001: {stored} of victim V-001\n"
    assert one(case, Relative, "R-001")["relationship"] == stored


@pytest.mark.parametrize(
    ("entered", "message"),
    [
        ("son's mother", "relationship \"son's mother\" walks back: `son's mother` is the victim's wife, "
         "who shares no DNA: use `spouse`"),
        ("형의 아버지", "relationship '형의 아버지' walks back: `brother's father` is `father`"),
        ("brother's nephew", "'nephew' in 'brother's nephew' hides the line: write brother's son or "
         "sister's son"),
        ("외사촌", "'외사촌'만으로는 성별을 알 수 없습니다: 외삼촌의 아들 (mother's brother's son) 또는 외삼촌의 딸 "
                   "(mother's brother's daughter) 중 하나로 쓰십시오"),
        ("叔父", "'叔父'だけではどちらの系統か分かりません: 父方のおじ (father's brother) または 母方のおじ "
                 "(mother's brother) のいずれかを書いてください"),
        ("brother's cook", "'cook' in 'brother's cook' is not a relationship; a relationship path joins "
         "terms with 's, 의 or の, e.g. brother's son's son, 형제의 아들의 아들, 兄弟の息子の息子"),
    ],
)
def test_a_bad_path_is_refused_and_changes_nothing(case: str, cli, entered: str, message: str) -> None:  # type: ignore[no-untyped-def]
    cli("victim add V-001 --nationality KR --hangul 김가온")
    before = snapshot(case)
    result = cli("relative", "add", "R-001", "--victim", "V-001", "--relationship", entered, expect=1)
    assert result.stderr == f"Error: {message}\n"
    assert snapshot(case) == before


def test_edit_to_a_path(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    cli("victim add V-001 --nationality KR --hangul 김가온")
    cli("relative add R-001 --victim V-001 --relationship son")
    out = cli("relative", "edit", "R-001", "--relationship", "누나의 딸의 아들").stdout
    assert out == "Updated relative R-001:\n    relationship: son -> sister's daughter's son\n"
    assert one(case, Relative, "R-001")["relationship"] == "sister's daughter's son"
    before = snapshot(case)
    result = cli("relative", "edit", "R-001", "--relationship", "sister's brother", expect=1)
    assert result.stderr == "Error: relationship \"sister's brother\" walks back: `sister's brother` is `brother`\n"
    assert snapshot(case) == before
