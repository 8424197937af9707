"""`chosei check` flags on confirmed identifications, each pinned with its exact text:
an override, relatives who no longer consent, one victim with two of a bone he had
once, and a confirmation the latest run puts below the threshold."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import select

from chosei.models import AlleleFrequency
from chosei.services.recovery import add_specimen
from tests.cli.storeview import writing
from tests.match import scene
from tests.samples_at import add_sample_at

RUN = "match run --dropout 0 --mutation none --threshold 100"
MINE = ("overridden-confirmation", "confirmation-without-consent", "victim-confirmed-twice-for-one-bone",
        "confirmation-below-threshold")


def _flags(cli) -> dict[str, tuple[str, int, list[str]]]:  # type: ignore[no-untyped-def]
    found = json.loads(cli("check --json", expect=8).stdout)  # the scene's roster is short of 183: always 8
    return {p["check"]: (p["message"], p["count"], p["ids"]) for p in found if p["check"] in MINE}


def test_a_sound_confirmation_raises_no_flag(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    scene.build(case)
    cli(RUN)
    cli("match confirm SP-001 V-001 --by board")
    cli("match confirm SP-005 V-001 --by board")  # the right femur: one man may be several bones
    assert _flags(cli) == {}


def test_an_overridden_confirmation_is_listed(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    scene.build(case)
    cli(RUN)
    cli("match confirm SP-003 V-001 --by board --override 'dental chart'")
    assert _flags(cli) == {"overridden-confirmation": (
        "1 confirmation(s) rest on an override (the DNA excludes the pair or does not single it out): review each "
        "reason (`chosei report` lists them)", 1, ["SP-003 = V-001"])}
    out = cli("check", expect=8).stdout
    assert "[overridden-confirmation] 1 confirmation(s) rest on an override" in out
    assert "    SP-003 = V-001\n" in out


def test_a_withdrawn_consent_flags_the_confirmation(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    scene.build(case)
    cli(RUN)
    cli("match confirm SP-001 V-001 --by board")
    cli("relative withdraw R-001 --scope analysis --on 2026-02-01")
    assert _flags(cli) == {"confirmation-without-consent": (
        "1 confirmation(s) rest on relatives who no longer consent to analysis (no relative of the victim both "
        "consents and is typed): review them with the family, or record the consent again "
        "(`chosei relative consent`)", 1, ["SP-001 = V-001"])}


def test_one_victim_confirmed_for_two_left_femurs(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    scene.build(case)
    with writing(case) as s:  # a second left femur with SP-001's profile
        add_specimen(s, {"id": "SP-006", "element": "femur", "side": "left"})
        add_sample_at(s, {"id": "SS-006", "specimen_id": "SP-006", "type": "bone", "status": "profiled"})
        s.add_all(scene.genotypes("SS-006", [("D3S1358", "10", "10"), ("vWA", "10", "10")]))
    cli(RUN)
    cli("match confirm SP-001 V-001 --by board")
    cli("match confirm SP-005 V-001 --by board")
    cli("match confirm SP-006 V-001 --by board")
    assert _flags(cli) == {"victim-confirmed-twice-for-one-bone": (
        "1 victim(s) are confirmed for two specimens of a bone a skeleton has once: reject all but one "
        "(`chosei match reject`)", 1, ["V-001: SP-001, SP-006 (left femur)"])}


def test_a_confirmation_that_new_data_weakened_is_flagged(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    scene.build(case)
    cli(RUN)
    cli("match confirm SP-001 V-001 --by board")  # LR 200, threshold 100
    with writing(case) as s:  # a new frequency study: allele 10 of D3S1358 is common (LR 2 × 10 = 20)
        row = s.execute(select(AlleleFrequency).where(AlleleFrequency.marker == "D3S1358",
                                                      AlleleFrequency.allele == "10")).scalar_one()
        row.frequency = 0.5
    cli(RUN)
    assert _flags(cli) == {"confirmation-below-threshold": (
        "1 confirmation(s) fell below the candidate threshold (100) in the latest run: new data weakened them; "
        "review each (`chosei match show SPECIMEN VICTIM`)", 1, ["SP-001 = V-001"])}


def test_the_report_lists_overridden_confirmations(case: str, cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    scene.build(case)
    cli(RUN)
    cli("match confirm SP-003 V-001 --by board --override 'dental chart & a ring'")
    html = tmp_path / "status.html"
    cli(f"report {html}")
    text = html.read_text()
    assert '<section id="overrides"><h2>Confirmations made with an override</h2>' in text
    assert ('<tr data-row="SP-003-V-001"><td data-col="specimen" class="nowrap">SP-003</td>'
            '<td data-col="victim" class="nowrap">V-001</td>') in text
    assert '<td data-col="reason">dental chart &amp; a ring</td>' in text
    book = tmp_path / "status.xlsx"
    cli(f"report {book}")
    ws = load_workbook(book)["Overrides"]
    assert [c.value for c in ws[5]][:6] == ["SP-003", "V-001", 0, 0, f"{date.today().isoformat()} board",
                                            "dental chart & a ring"]
    partner = tmp_path / "partner.html"
    cli(f"report {partner} --profile partner --partner JP")
    assert 'id="overrides"' not in partner.read_text()
