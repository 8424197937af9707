"""`chosei relative`: add, list, show, consent, withdraw, on both backends.

Contact details are sensitive: the tests check they appear only with `--contacts` and
never in an error message. All names and contacts are made up.
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from chosei.models import ConsentEvent, Relative
from chosei.services.relatives import add_relative
from chosei.services.victims import add_victim
from tests.cli.storeview import fetch, one, snapshot, writing

CONTACT = "010-2222-3333"


def _family(url: str) -> None:
    with writing(url) as s:
        add_victim(s, {"id": "V-001", "nationality": "KR", "name_hangul": "김가온"})
        add_victim(s, {"id": "V-002", "nationality": "JP", "name_japanese": "山田次郎"})
        add_relative(s, {"id": "R-001", "victim_id": "V-001", "relationship": "아들",
                         "name": "김하늘", "sex": "M", "birth_year": 1938, "contact": CONTACT})
        add_relative(s, {"id": "R-002", "victim_id": "V-001", "relationship": "sister's son",
                         "name": "이바다"})
        add_relative(s, {"id": "R-003", "victim_id": "V-002", "relationship": "娘",
                         "name": "山田花子", "contact": "hanako@example.jp"})


def test_add(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    cli("victim add V-001 --nationality KR --hangul 김가온")
    out = cli("relative", "add", "R-001", "--victim", "V-001", "--relationship", "생질",
              "--name", "이바다", "--birth-year", "1941", "--contact", CONTACT).stdout
    assert out == "Added relative R-001: sister's son of victim V-001\n"
    assert one(case, Relative, "R-001") == {
        "id": "R-001", "victim_id": "V-001", "relationship": "sister's son", "name": "이바다",
        "sex": None, "birth_year": 1941, "contact": CONTACT, "notes": None, "version": 1,
    }


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        pytest.param("R-009 --victim V-001 --relationship 조카", 1,
                     "'조카'만으로는 어느 쪽 계통인지 알 수 없습니다: 형제의 아들 (brother's son), 형제의 딸 "
                     "(brother's daughter), 생질 (sister's son) 또는 생질녀 (sister's "
                     "daughter) 중 하나로 쓰십시오", id="ambiguous-term"),
        pytest.param("R-009 --victim V-404 --relationship son", 3,
                     "no victim with ID 'V-404'; did you mean V-002, V-001?", id="unknown-victim"),
        pytest.param("R-001 --victim V-001 --relationship son", 4,
                     "relative R-001 exists; `chosei relative show R-001` shows it", id="exists"),
        pytest.param("R-009 --victim V-001 --relationship son --birth-year 1800", 1,
                     "birth year: '1800' must be at least 1850", id="birth-year"),
    ],
)
def test_add_refused(case: str, cli, args: str, code: int, message: str) -> None:  # type: ignore[no-untyped-def]
    _family(case)
    before = snapshot(case)
    result = cli(f"relative add {args} --contact {CONTACT}", expect=code)
    assert result.stderr == f"Error: {message}\n"
    assert CONTACT not in result.stdout + result.stderr
    assert snapshot(case) == before


def test_list_hides_contacts(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    _family(case)
    cli("relative consent R-001 --scope analysis --scope share:KR --on 2025-10-01")
    out = cli("relative list").stdout
    assert out == (
        "id     victim_id  relationship  name      sex  birth_year  consent\n"
        "R-001  V-001      son           김하늘    M    1938        analysis;share:KR\n"
        "R-002  V-001      sister's son  이바다\n"
        "R-003  V-002      daughter      山田花子\n"
        "3 relative(s)\n"
    )
    data = json.loads(cli("relative list --json").stdout)
    assert all("contact" not in r for r in data)
    assert data[0]["consent"] == ["analysis", "share:KR"]


def test_list_with_contacts(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    _family(case)
    out = cli("relative list --victim V-001 --contacts").stdout
    assert out == (
        "id     victim_id  relationship  name    sex  birth_year  consent  contact\n"
        f"R-001  V-001      son           김하늘  M    1938                 {CONTACT}\n"
        "R-002  V-001      sister's son  이바다\n"
        "2 relative(s)\n"
    )
    data = json.loads(cli("relative list --victim V-002 --contacts --json").stdout)
    assert [(r["id"], r["contact"]) for r in data] == [("R-003", "hanako@example.jp")]


def test_list_unknown_victim(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    _family(case)
    result = cli("relative list --victim V-003", expect=3)
    assert result.stderr == "Error: no victim with ID 'V-003'; did you mean V-002, V-001?\n"


def test_show(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    _family(case)
    cli("relative consent R-001 --scope analysis --scope share:JP --on 2025-10-01")
    cli("relative withdraw R-001 --scope share:JP --on 2026-01-15")
    cli("sample add S-001 --relative R-001 --type saliva --lab NFS")
    out = cli("relative show R-001").stdout
    assert CONTACT not in out
    assert out == (
        "Relative R-001\n"
        "id            R-001\n"
        "victim_id     V-001\n"
        "relationship  son\n"
        "name          김하늘\n"
        "sex           M\n"
        "birth_year    1938\n"
        "notes         \n"
        "version       1\n"
        "\n"
        "Consent\n"
        "scope     active  given_on    withdrawn_on\n"
        "analysis  yes     2025-10-01\n"
        "share:JP  no      2025-10-01  2026-01-15\n"
        "\n"
        "Consent history\n"
        "date        event      scope     agency  form_ref\n"
        "2025-10-01  given      analysis\n"
        "2025-10-01  given      share:JP\n"
        "2026-01-15  withdrawn  share:JP\n"
        "\n"
        "Samples\n"
        "id     type    status   status_date  lab\n"
        "S-001  saliva  planned               NFS\n"
    )
    assert f"contact       {CONTACT}\n" in cli("relative show R-001 --contacts").stdout
    data = json.loads(cli("relative show R-002 --json").stdout)
    assert data == {
        "relative": {"id": "R-002", "victim_id": "V-001", "relationship": "sister's son",
                     "name": "이바다", "sex": None, "birth_year": None, "notes": None,
                     "version": 1},
        "consent": [],
        "consents": [],
        "samples": [],
    }


def test_show_unknown(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    _family(case)
    result = cli("relative show R-0001", expect=3)
    assert result.stderr == (
        "Error: no relative with ID 'R-0001'; did you mean R-001, R-003, R-002?\n")


def test_consent(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    _family(case)
    out = cli("relative consent R-001 --scope analysis;공유:KR --scope share:kr --on 2025-10-01").stdout
    assert out == (
        "Consent of R-001 for analysis given on 2025-10-01\n"
        "Consent of R-001 for share:KR given on 2025-10-01\n"
    )
    assert fetch(case, ConsentEvent, order=[ConsentEvent.scope]) == [
        {"relative_id": "R-001", "scope": "analysis", "event": "given", "date": "2025-10-01",
         "agency": None, "form_ref": None, "version": 1},
        {"relative_id": "R-001", "scope": "share:KR", "event": "given", "date": "2025-10-01",
         "agency": None, "form_ref": None, "version": 1},
    ]


def test_consent_defaults_to_today(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    _family(case)
    today = date.today().isoformat()
    assert cli("relative consent R-002 --scope 분석").stdout == (
        f"Consent of R-002 for analysis given on {today}\n")


def test_consent_again(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    _family(case)
    cli("relative consent R-001 --scope analysis --on 2025-10-01")
    before = snapshot(case)
    out = cli("relative consent R-001 --scope analysis --on 2025-11-01").stdout
    assert out == "Consent unchanged: those scopes are already active.\n"
    assert snapshot(case) == before


def test_consent_after_withdrawal_is_new(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    _family(case)
    cli("relative consent R-001 --scope analysis --on 2025-10-01")
    cli("relative withdraw R-001 --on 2025-12-01")
    cli("relative consent R-001 --scope analysis --on 2026-02-01 --agency 유족회 --form CF-7")
    # Nothing is overwritten: the withdrawal stays in the history.
    assert [(r["event"], r["date"], r["agency"], r["form_ref"])
            for r in fetch(case, ConsentEvent, order=[ConsentEvent.id])] == [
        ("given", "2025-10-01", None, None), ("withdrawn", "2025-12-01", None, None),
        ("given", "2026-02-01", "유족회", "CF-7")]
    data = json.loads(cli("relative show R-001 --json").stdout)
    assert data["consent"] == [{"scope": "analysis", "active": True, "given_on": "2026-02-01",
                                "withdrawn_on": None}]
    assert [c["event"] for c in data["consents"]] == ["given", "withdrawn", "given"]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        pytest.param("R-001 --scope research", 1,
                     "'research' is not a consent scope; expected one of: analysis, share:KR, "
                     "share:JP", id="bad-scope"),
        pytest.param("R-001 --scope analysis --on 2025-02-30", 1,
                     "date: '2025-02-30' is not a date: February 2025 has 28 days", id="bad-date"),
        pytest.param("R-404 --scope analysis", 3,
                     "no relative with ID 'R-404'; did you mean R-003, R-002, R-001?", id="unknown"),
    ],
)
def test_consent_refused(case: str, cli, args: str, code: int, message: str) -> None:  # type: ignore[no-untyped-def]
    _family(case)
    before = snapshot(case)
    assert cli(f"relative consent {args}", expect=code).stderr == f"Error: {message}\n"
    assert snapshot(case) == before


def test_consent_needs_a_scope(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    _family(case)
    assert "Missing option '--scope'" in cli("relative consent R-001", expect=2).stderr


def test_withdraw_one_scope(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    _family(case)
    cli("relative consent R-001 --scope analysis --scope share:KR --scope share:JP --on 2025-10-01")
    out = cli("relative withdraw R-001 --scope 共有:JP --on 2026-01-15").stdout
    assert out == "Consent of R-001 for share:JP withdrawn on 2026-01-15\n"
    rows = [(r["scope"], r["event"], r["date"]) for r in fetch(case, ConsentEvent, order=[ConsentEvent.id])]
    assert rows == [("analysis", "given", "2025-10-01"), ("share:KR", "given", "2025-10-01"),
                    ("share:JP", "given", "2025-10-01"), ("share:JP", "withdrawn", "2026-01-15")]


def test_withdraw_all(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    _family(case)
    cli("relative consent R-001 --scope analysis --scope share:KR --on 2025-10-01")
    today = date.today().isoformat()
    assert cli("relative withdraw R-001").stdout == (
        f"Consent of R-001 for analysis withdrawn on {today}\n"
        f"Consent of R-001 for share:KR withdrawn on {today}\n"
    )
    assert json.loads(cli("relative list --json").stdout)[0]["consent"] == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param("R-002", "relative R-002 has no active consent to withdraw", id="none-active"),
        pytest.param("R-001 --scope share:JP",
                     "relative R-001 has no active consent for share:JP; active: analysis",
                     id="scope-not-active"),
        pytest.param("R-001 --on 2025-09-30",
                     "the withdrawal date 2025-09-30 is before consent for analysis was given "
                     "(2025-10-01)", id="before-consent"),
    ],
)
def test_withdraw_refused(case: str, cli, args: str, message: str) -> None:  # type: ignore[no-untyped-def]
    _family(case)
    cli("relative consent R-001 --scope analysis --on 2025-10-01")
    before = snapshot(case)
    assert cli(f"relative withdraw {args}", expect=1).stderr == f"Error: {message}\n"
    assert snapshot(case) == before
