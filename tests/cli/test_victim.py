"""`chosei victim`: add, list, show, edit, add-name, search, on both backends.

All names are made up.
"""

from __future__ import annotations

import json

import pytest

from chosei.models import Identification, Specimen, Victim, VictimName
from chosei.services.victims import add_victim
from tests.cli.storeview import add_rows, fetch, one, snapshot, writing


def _roster(url: str) -> None:
    with writing(url) as s:
        add_victim(s, {"id": "V-001", "nationality": "KR", "name_hangul": "김가온",
                       "name_hanja": "金佳溫", "name_japanese": "金本一郎",
                       "birth_date": "大正4年3月2日", "age_at_death": 27, "domicile": "평안북도"})
        add_victim(s, {"id": "V-002", "nationality": "한국", "name_hangul": "박나래", "sex": "여"})
        add_victim(s, {"id": "V-003", "nationality": "JP", "name_japanese": "山田次郎",
                       "name_reading": "やまだじろう", "birth_date": "1910"})


def test_add(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    out = cli("victim", "add", "Ｖ－００１", "--nationality", "Korea", "--hangul", "김가온",
              "--japanese", "金本一郎", "--born", "大正4年3月2日", "--age-at-death", "27",
              "--sex", "남", "--sources", "Saikoji tablet").stdout
    assert out == "Added victim V-001 (KR): 김가온\n"
    row = one(case, Victim, "V-001")
    assert row == {
        "id": "V-001", "nationality": "KR", "name_hangul": "김가온", "name_hanja": None,
        "name_japanese": "金本一郎", "name_reading": None, "name_latin": None, "sex": "M",
        "birth_date": "1915-03-02", "birth_date_written": "大正4年3月2日", "age_at_death": 27,
        "domicile": None, "address": None, "sources": "Saikoji tablet", "notes": None, "version": 1,
    }


def test_partial_birth_date_stays_partial(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    cli("victim add V-009 --nationality JP --japanese 山田次郎 --born 昭和2年")
    assert one(case, Victim, "V-009")["birth_date"] == "1927"


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        pytest.param("V-001 --nationality KR --hangul 김다른", 4,
                     "victim V-001 exists; use `chosei victim edit` to change it", id="exists"),
        pytest.param("V-010 --nationality XX --hangul 김다른", 1,
                     "'XX' is not a nationality; expected one of: KR, JP", id="bad-nationality"),
        pytest.param("V-010 --nationality KR --notes x", 1,
                     "a victim needs at least one name (hangul, hanja, japanese, reading or latin)",
                     id="no-name"),
        pytest.param("V-010 --nationality KR --hangul 김다른 --born 1915-13 --age-at-death 130", 1,
                     "birth date: '1915-13' is not a date: the month must be between 1 and 12; "
                     "age at death: '130' must be at most 120", id="bad-date-and-age"),
        pytest.param("V-010 --nationality KR --hangul 김다른 --sex X", 1,
                     "'X' is not a sex; expected one of: M, F, U", id="bad-sex"),
    ],
)
def test_add_refused(case: str, cli, args: str, code: int, message: str) -> None:  # type: ignore[no-untyped-def]
    _roster(case)
    before = snapshot(case)
    result = cli(f"victim add {args}", expect=code)
    assert result.stderr == f"Error: {message}\n"
    assert result.stdout == ""
    assert snapshot(case) == before


def test_list(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    _roster(case)
    assert cli("victim list").stdout == (
        "id     nationality  name_hangul  name_hanja  name_japanese  birth_date  age_at_death\n"
        "V-001  KR           김가온       金佳溫      金本一郎       1915-03-02  27\n"
        "V-002  KR           박나래\n"
        "V-003  JP                                    山田次郎       1910\n"
        "3 victim(s)\n"
    )
    assert cli("victim list --nationality 日本").stdout.splitlines()[1:] == [
        "V-003  JP                                    山田次郎       1910", "1 victim(s)"]


def test_list_json(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    _roster(case)
    data = json.loads(cli("victim list --json --nationality KR").stdout)
    assert [v["id"] for v in data] == ["V-001", "V-002"]
    assert data[1] == {
        "id": "V-002", "nationality": "KR", "name_hangul": "박나래", "name_hanja": None,
        "name_japanese": None, "name_reading": None, "name_latin": None, "sex": "F",
        "birth_date": None, "birth_date_written": None, "age_at_death": None, "domicile": None,
        "address": None, "sources": None, "notes": None, "version": 1,
    }


def test_list_bad_filter(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("victim list --nationality Mars", expect=1)
    assert result.stderr == "Error: 'Mars' is not a nationality; expected one of: KR, JP\n"


def test_list_empty(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("victim list").stdout == "(no victims)\n0 victim(s)\n"


def test_show(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    _roster(case)
    cli("victim add-name V-001 金本佳温 --script japanese --source 殉職産業人名簿")
    cli("relative add R-001 --victim V-001 --relationship 아들 --name 김하늘 --birth-year 1938 "
        "--contact 010-0000-1111")
    cli("relative consent R-001 --scope analysis --on 2025-10-01")
    add_rows(case, Specimen(id="CH-001", element="femur"),
             Identification(specimen_id="CH-001", victim_id="V-001", lr=25000.0, posterior=0.99))
    out = cli("victim show V-001").stdout
    assert "010-0000-1111" not in out
    assert out == (
        "Victim V-001\n"
        "id             V-001\n"
        "nationality    KR\n"
        "sex            \n"
        "birth_date     1915-03-02 (written 大正4年3月2日)\n"
        "age_at_death   27\n"
        "domicile       평안북도\n"
        "address        \n"
        "sources        \n"
        "notes          \n"
        "version        1\n"
        "family stage   consented\n"
        "remains stage  candidate\n"
        "Registered domicile in the north of the peninsula: tracing the family needs its own "
        "channel.\n"
        "\n"
        "Names\n"
        "name      script    source\n"
        "김가온    hangul    roster\n"
        "金佳溫    hanja     roster\n"
        "金本一郎  japanese  roster\n"
        "金本佳温  japanese  殉職産業人名簿\n"
        "\n"
        "Relatives\n"
        "id     relationship  name    sex  birth_year\n"
        "R-001  son           김하늘       1938\n"
        "\n"
        "Identifications\n"
        "specimen_id  status     lr     posterior  decided_on\n"
        "CH-001       candidate  25000  0.99\n"
    )


def test_show_json(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    _roster(case)
    cli("relative add R-001 --victim V-003 --relationship 娘 --contact secret@example.org")
    data = json.loads(cli("victim show V-003 --json").stdout)
    assert data["names"] == [
        {"name": "山田次郎", "script": "japanese", "source": "roster"},
        {"name": "やまだじろう", "script": "kana", "source": "roster"},
    ]
    assert (data["family_stage"], data["remains_stage"]) == ("located", "none attributed")
    assert data["northern_domicile"] is False
    assert data["relatives"] == [{"id": "R-001", "victim_id": "V-003", "relationship": "daughter",
                                  "name": None, "sex": None, "birth_year": None, "notes": None,
                                  "version": 1}]
    assert data["identifications"] == []


def test_show_unknown(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    _roster(case)
    result = cli("victim show V-01", expect=3)
    assert result.stderr == "Error: no victim with ID 'V-01'; did you mean V-001, V-003, V-002?\n"
    result = cli("victim show X", expect=3)
    assert result.stderr == "Error: no victim with ID 'X'; `chosei victim list` shows them\n"


def test_edit(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    _roster(case)
    out = cli("victim edit V-001 --latin 'Kim Gaon' --born 1915 --clear domicile --clear notes").stdout
    assert out == (
        "Updated victim V-001:\n"
        "    name_latin: ∅ -> Kim Gaon\n"
        "    birth_date: 1915-03-02 -> 1915\n"
        "    domicile: 평안북도 -> ∅\n"
        "    birth_date_written: 大正4年3月2日 -> ∅\n"
    )
    row = one(case, Victim, "V-001")
    assert (row["name_latin"], row["birth_date"], row["domicile"], row["version"]) == (
        "Kim Gaon", "1915", None, 2)
    assert row["name_hangul"] == "김가온"  # fields not given stay as they were
    log = cli("audit log V-001").stdout
    assert "    birth_date: '1915-03-02' -> '1915'\n" in log


def test_edit_same_values(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    _roster(case)
    before = snapshot(case)
    out = cli("victim edit V-002 --hangul 박나래").stdout
    assert out == "Victim V-002 unchanged: it already holds these values.\n"
    assert snapshot(case) == before


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        pytest.param("V-004 --notes x", 3,
                     "no victim with ID 'V-004'; did you mean V-003, V-002, V-001?", id="unknown"),
        pytest.param("V-002", 1, "nothing to change: give a field to set, or one to clear",
                     id="nothing"),
        pytest.param("V-002 --clear hangul", 1,
                     "a victim needs at least one name (hangul, hanja, japanese, reading or latin)",
                     id="last-name"),
        pytest.param("V-002 --clear nationality", 1, "nationality is required",
                     id="nationality"),
        pytest.param("V-002 --clear shoe-size", 1,
                     "'shoe-size' is not a victim field; editable fields: nationality, "
                     "name_hangul, name_hanja, name_japanese, name_reading, name_latin, sex, "
                     "birth_date, age_at_death, domicile, address, sources, notes", id="no-field"),
        pytest.param("V-002 --notes x --clear notes", 1,
                     "notes is both set and cleared; do one or the other", id="set-and-clear"),
        pytest.param("V-002 --born 'next year'", 1,
                     "birth date: 'next year' is not a date: write YYYY-MM-DD, YYYY-MM or YYYY, "
                     "or an era date such as 昭和17年2月3日", id="bad-date"),
    ],
)
def test_edit_refused(case: str, cli, args: str, code: int, message: str) -> None:  # type: ignore[no-untyped-def]
    _roster(case)
    before = snapshot(case)
    assert cli(f"victim edit {args}", expect=code).stderr == f"Error: {message}\n"
    assert snapshot(case) == before


def test_add_name(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    _roster(case)
    out = cli("victim add-name V-002 'Park Na-rae' --script latin --source 'MOIS list'").stdout
    assert out == "Added the name Park Na-rae (latin) to victim V-002\n"
    assert fetch(case, VictimName) == [{"victim_id": "V-002", "name": "Park Na-rae",
                                        "script": "latin", "source": "MOIS list", "version": 1}]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        pytest.param("V-001 金本佳温 --script japanese", 4,
                     "victim V-001 already has the name 金本佳温", id="variant-twice"),
        pytest.param("V-001 金佳溫 --script hanja", 4,
                     "victim V-001 already has the name 金佳溫 (as its hanja name)",
                     id="roster-name"),
        pytest.param("V-001 金本佳温 --script klingon", 1,
                     "'klingon' is not a script; expected one of: hangul, hanja, japanese, kana, "
                     "latin", id="bad-script"),
        pytest.param("V-404 金本佳温 --script japanese", 3,
                     "no victim with ID 'V-404'; did you mean V-003, V-002, V-001?", id="unknown"),
    ],
)
def test_add_name_refused(case: str, cli, args: str, code: int, message: str) -> None:  # type: ignore[no-untyped-def]
    _roster(case)
    cli("victim add-name V-001 金本佳温 --script japanese")
    before = snapshot(case)
    assert cli(f"victim add-name {args}", expect=code).stderr == f"Error: {message}\n"
    assert snapshot(case) == before


@pytest.mark.parametrize(
    ("query", "found"),
    [
        pytest.param("김가온", ["V-001"], id="hangul"),
        pytest.param("김 가온", ["V-001"], id="hangul-spaced"),
        pytest.param("kim gaon", ["V-001"], id="romanised"),
        pytest.param("金本 一郎", ["V-001"], id="imposed-name"),
        pytest.param("金本佳温", ["V-001"], id="variant"),
        pytest.param("やまだじろう", ["V-003"], id="reading"),
        pytest.param("Yamada Jiro", ["V-003"], id="reading-romanised"),
        pytest.param("山田次郎", ["V-003"], id="japanese"),
        pytest.param("이순신", [], id="nobody"),
    ],
)
def test_search(case: str, cli, query: str, found: list[str]) -> None:  # type: ignore[no-untyped-def]
    _roster(case)
    cli("victim add-name V-001 金本佳温 --script japanese")
    data = json.loads(cli("victim", "search", query, "--json").stdout)
    assert [h["id"] for h in data] == found


def test_search_text(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    _roster(case)
    assert cli("victim search 박나래").stdout == (
        "id     nationality  names\n"
        "V-002  KR           박나래\n"
    )
    assert cli("victim search 최").stdout == "(no victim named like '최')\n"
    assert cli("victim", "search", " ", expect=1).stderr == "Error: give a name to search for\n"
