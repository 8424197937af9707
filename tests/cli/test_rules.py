"""The plausibility rules, consent history and consent at the bench, through the CLI, on
both backends: each refusal with its exact message, and nothing written.

"Today" is fixed at 2026-06-01 (`dates.today` replaced), so that messages naming it and
consents dated after it are the same on any day. All names are made up.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from chosei import dates
from chosei.models import AuditEntry, Genotype, Identification
from tests.cli.storeview import fetch, snapshot, writing

TODAY = dt.date(2026, 6, 1)


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dates, "today", lambda: TODAY)


def _base(cli) -> None:  # type: ignore[no-untyped-def]
    cli("victim add V-001 --nationality KR --hangul 김가온 --born 1915 --sex M")
    cli("relative add R-001 --victim V-001 --relationship son --birth-year 1938 --sex M")
    cli("operation add OP-1 --date 2025-08-26")
    cli("specimen add CH-001 --operation OP-1 --element femur --recovered-on 2025-08-26")


def _refused(case: str, cli, command: str, code: int, message: str) -> None:  # type: ignore[no-untyped-def]
    before = snapshot(case)
    result = cli(command, expect=code)
    assert result.stderr == f"Error: {message}\n"
    assert snapshot(case) == before


@pytest.mark.parametrize(
    ("command", "code", "message"),
    [
        pytest.param("victim add V-009 --nationality KR --hangul 박 --born 2050", 1,
                     "birth date: '2050' is after today (2026-06-01): the case records only "
                     "what has happened; check the year", id="born-2050"),
        pytest.param("victim add V-009 --nationality KR --hangul 박 --born 1935 --age-at-death 40",
                     1, "age at death: 40 does not fit the birth date 1935: born then, the "
                     "victim was 6 or 7 at the disaster (1942-02-03); correct one of the two",
                     id="age-40-born-1935"),
        pytest.param("victim add V-009 --nationality KR --hangul 박 --born 1942-02-03 "
                     "--age-at-death 27", 1,
                     "birth date: '1942-02-03' is not before the disaster (1942-02-03): a "
                     "victim was born before it; correct the date", id="born-on-the-day"),
        pytest.param("victim add V-009 --nationality KR --hangul 박 --born '단기 9999'", 1,
                     "birth date: '단기 9999' (7666) is after today (2026-06-01): the case "
                     "records only what has happened; check the year", id="dangi-9999"),
        pytest.param("victim add V-009 --nationality KR --hangul 박 --born 9999-12-31", 1,
                     "birth date: '9999-12-31' is after today (2026-06-01): the case records "
                     "only what has happened; check the year", id="9999-12-31"),
        pytest.param("custody record CH-001 recovered --at 1942-02-03T25:00", 1,
                     "at: '1942-02-03T25:00' is not a date and time: the time must be between "
                     "00:00 and 23:59:59", id="hour-25"),
        pytest.param("victim add V-009 --nationality KR --hangul Lee", 1,
                     "hangul name: 'Lee' is not written in hangul ('L' is Latin): put each "
                     "spelling in the field of its script", id="hangul-latin"),
        pytest.param("victim add V-009 --nationality KR --hangul 金正雄", 1,
                     "hangul name: '金正雄' is not written in hangul ('金' is a Chinese "
                     "character): put each spelling in the field of its script",
                     id="hangul-kanji"),
        pytest.param("victim add V-009 --nationality JP --japanese 山田 --reading 山田", 1,
                     "reading: '山田' is not written in kana ('山' is a Chinese character): put "
                     "each spelling in the field of its script", id="kana-hanja"),
        pytest.param("victim add V-009 --nationality KR --hanja 김정웅", 1,
                     "hanja name: '김정웅' is not written in hanja (Chinese characters) ('김' "
                     "is hangul): put each spelling in the field of its script",
                     id="hanja-hangul"),
        pytest.param("relative add R-009 --victim V-001 --relationship son --birth-year 1990", 1,
                     "birth year: 1990 does not fit a son of victim V-001: born between 1927 "
                     "and 1943 (the victim died in 1942); correct the birth year or the "
                     "relationship", id="son-born-1990"),
        pytest.param("relative add R-009 --victim V-001 --relationship son --sex F", 1,
                     "sex: a son is male, not F: correct the sex or the relationship",
                     id="son-female"),
        pytest.param("relative consent R-001 --scope analysis --on 2030-01-01", 1,
                     "date: '2030-01-01' is after today (2026-06-01): the case records only "
                     "what has happened; check the year", id="consent-2030"),
        pytest.param("relative consent R-001 --scope analysis --on 1930-05-01", 1,
                     "the date 1930-05-01 is before relative R-001 was born (1938): correct "
                     "the date or the birth year", id="consent-before-birth"),
        pytest.param("specimen add CH-009 --operation OP-1 --element femur --recovered-on "
                     "2024-08-01", 1,
                     "recovered on: '2024-08-01' is before operation OP-1 (2025-08-26), which "
                     "recovered it: correct the date or the operation", id="recovered-before-op"),
        pytest.param("operation add OP-9 --date 2030-01-01", 1,
                     "date: '2030-01-01' is after today (2026-06-01): the case records only "
                     "what has happened; check the year", id="operation-2030"),
        pytest.param("custody record CH-001 returned --at 2025-12-01 --to family", 4,
                     "CH-001 is not identified: only remains with a confirmed identification "
                     "are returned to a family; confirm it first (`chosei match confirm`)",
                     id="returned-unidentified"),
        pytest.param("sample add S-009 --specimen CH-001 --type saliva", 1,
                     "type: a saliva sample cannot come from a specimen (remains give bone, "
                     "tooth or other): correct the type or the source", id="saliva-from-bone"),
        pytest.param("sample add S-009 --relative R-001 --type bone", 1,
                     "type: a bone sample cannot come from a relative (a relative gives saliva, "
                     "buccal swab, blood or other): correct the type or the source",
                     id="bone-from-relative"),
        pytest.param("sample add S-009 --specimen CH-001 --type bone --status consumed", 4,
                     "a new sample starts as planned or collected, not consumed: add it, then "
                     "`chosei sample advance S-009 STATUS` moves it on one step at a time",
                     id="add-consumed"),
        pytest.param("sample add S-009 --specimen CH-001 --collected-on 2030-01-01", 1,
                     "collected on: '2030-01-01' is after today (2026-06-01): the case records "
                     "only what has happened; check the year", id="sampled-2030"),
    ],
)
def test_refused_at_entry(case: str, cli, command: str, code: int, message: str) -> None:  # type: ignore[no-untyped-def]
    _base(cli)
    _refused(case, cli, command, code, message)


def test_an_edit_is_held_to_the_same_rules(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    _base(cli)
    _refused(case, cli, "relative edit R-001 --birth-year 1990", 1,
             "birth year: 1990 does not fit a son of victim V-001: born between 1927 and 1943 "
             "(the victim died in 1942); correct the birth year or the relationship")
    _refused(case, cli, "operation edit OP-1 --date 2025-09-01", 1,
             "date: specimen CH-001 was recovered on 2025-08-26, before 2025-09-01: correct "
             "one of the two dates")


def test_same_name_twice_is_a_check_finding(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    cli("victim add V-001 --nationality KR --hangul 김가온")
    cli("victim add V-002 --nationality KR --hangul 김가온")
    cli("victim add V-003 --nationality KR --hangul 김가온 --born 1915")
    found = {p["check"]: p for p in json.loads(cli("check", "--json", expect=8).stdout)}
    assert found["same-victim-twice"] == {
        "check": "same-victim-twice", "count": 2, "ids": ["V-001", "V-002"],
        "message": "2 victim(s) share their name with another and nothing else is recorded "
                   "to tell them apart (birth, age, domicile, address): merge the two, or "
                   "record what differs"}


# --- Consent as history -------------------------------------------------------------------


def test_consent_again_after_withdrawal_keeps_the_withdrawal(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    _base(cli)
    cli("relative consent R-001 --scope analysis --on 2025-10-01 --agency 유족회 --form CF-1")
    cli("relative withdraw R-001 --on 2025-12-01 --form CF-1W")
    cli("relative consent R-001 --scope analysis --on 2026-02-01 --form CF-2")
    out = cli("relative show R-001").stdout
    assert out.split("Consent\n", 1)[1].split("Samples\n")[0] == (
        "scope     active  given_on    withdrawn_on\n"
        "analysis  yes     2026-02-01\n"
        "\n"
        "Consent history\n"
        "date        event      scope     agency  form_ref\n"
        "2025-10-01  given      analysis  유족회  CF-1\n"
        "2025-12-01  withdrawn  analysis          CF-1W\n"
        "2026-02-01  given      analysis          CF-2\n"
        "\n"
    )


def _shared_with_kr(cli, out) -> list[str]:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    cli("export", str(out), "--profile", "partner", "--partner", "KR")
    rows = load_workbook(out, read_only=True)["Relatives"].iter_rows(values_only=True)
    return [r[0] for r in rows if r and str(r[0]).startswith("R-")]


def test_a_consent_dated_after_today_is_not_in_effect(case: str, cli, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    # A consent dated 2026-09 (recorded while "today" was later) is not in effect on
    # 2026-06-01: not in status, not in a partner's export, not at the bench.
    _base(cli)
    monkeypatch.setattr(dates, "today", lambda: dt.date(2026, 10, 1))
    cli("relative consent R-001 --scope analysis --scope share:KR --on 2026-09-01")
    monkeypatch.setattr(dates, "today", lambda: TODAY)
    assert json.loads(cli("relative list --json").stdout)[0]["consent"] == []
    family = {r["stage"]: r["KR"] for r in json.loads(cli("status", "--json").stdout)["family_stage"]}
    assert family["located"] == 1 and family["consented"] == 0
    assert _shared_with_kr(cli, tmp_path / "before.xlsx") == []  # not shared yet
    monkeypatch.setattr(dates, "today", lambda: dt.date(2026, 9, 1))
    assert _shared_with_kr(cli, tmp_path / "on-the-day.xlsx") == ["R-001"]
    monkeypatch.setattr(dates, "today", lambda: TODAY)
    cli("sample add S-001 --relative R-001 --type saliva --status collected --collected-on 2026-05-01")
    for step in ("shipped", "received"):
        cli(f"sample advance S-001 {step} --on 2026-05-02")
    _refused(case, cli, "sample advance S-001 extracted --on 2026-05-03", 4,
             "relative R-001 has no active consent for analysis: sample S-001 cannot become "
             "extracted; record the consent (`chosei relative consent R-001 --scope analysis`) "
             "or, if it must go on, re-run with --override \"REASON\"")


# --- Consent at the bench -------------------------------------------------------------------


def _received(cli, consent: bool) -> None:  # type: ignore[no-untyped-def]
    _base(cli)
    if consent:
        cli("relative consent R-001 --scope analysis --on 2025-10-01")
    cli("sample add S-001 --relative R-001 --type saliva --status collected --collected-on 2025-10-02")
    cli("sample advance S-001 shipped --on 2025-10-03")
    cli("sample advance S-001 received --on 2025-10-04")


def test_extracting_without_consent_needs_an_override_which_is_audited(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    _received(cli, consent=False)
    _refused(case, cli, "sample advance S-001 extracted --on 2025-10-05", 4,
             "relative R-001 has no active consent for analysis: sample S-001 cannot become "
             "extracted; record the consent (`chosei relative consent R-001 --scope analysis`) "
             "or, if it must go on, re-run with --override \"REASON\"")
    _refused(case, cli, "sample advance S-001 extracted --override ' '", 1,
             "--override needs the reason, e.g. --override 'consent form signed, not yet "
             "entered'")
    out = cli("sample", "advance", "S-001", "extracted", "--on", "2025-10-05",
              "--override", "court order 2025-77").stdout
    assert out == "Sample S-001 is now extracted (since 2025-10-05)\n"
    [entry] = fetch(case, AuditEntry, AuditEntry.action == "override")
    assert (entry["entity"], entry["entity_key"], json.loads(entry["after"])) == (
        "bench", "S-001", {"sample": "S-001", "relative": "R-001", "status": "extracted",
                           "rule": "consent for analysis", "reason": "court order 2025-77"})
    assert "Audit trail intact" in cli("audit verify").stdout
    logged = json.loads(cli("audit log S-001 --json").stdout)
    assert [(e["action"], e["entity"]) for e in logged][-2:] == [("update", "sample"),
                                                                  ("override", "bench")]


def test_an_override_that_is_not_needed_is_refused(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    _received(cli, consent=True)
    _refused(case, cli, "sample advance S-001 extracted --override because", 1,
             "sample S-001 needs no --override to become extracted: leave it out")


def test_profiled_needs_genotypes(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    _received(cli, consent=True)
    cli("sample advance S-001 extracted --on 2025-10-05")
    _refused(case, cli, "sample advance S-001 profiled --on 2025-10-06", 4,
             "sample S-001 has no genotypes or SNP calls: import its profile (the Genotypes "
             "sheet, or `chosei snp import`) before it becomes profiled")
    with writing(case) as s:
        s.add(Genotype(sample_id="S-001", marker="TH01", allele1="6", allele2="9"))
    assert cli("sample advance S-001 profiled --on 2025-10-06").stdout == \
        "Sample S-001 is now profiled (since 2025-10-06)\n"


def test_returned_once_identified(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    _base(cli)
    with writing(case) as s:
        s.add(Identification(specimen_id="CH-001", victim_id="V-001", status="confirmed",
                             decided_on="2025-11-01", decided_by="board"))
    out = cli("custody record CH-001 returned --at 2025-12-01 --to family").stdout
    assert out == "Recorded returned of CH-001 at 2025-12-01\n"
