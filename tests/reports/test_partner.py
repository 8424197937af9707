"""Profiles: a partner report holds nothing the partner may not see."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from tests.reports.htmlread import ReportPage
from tests.reports.minicase import (
    SENTINEL_CONTACT,
    SENTINEL_NOTES,
    SENTINEL_UNSHARED,
    fill,
    mini_rows,
)


def _text_of(path: Path) -> str:
    if path.suffix == ".html":
        return path.read_text(encoding="utf-8")
    with zipfile.ZipFile(path) as z:  # every XML part of the workbook, shared strings too
        return "".join(z.read(name).decode("utf-8") for name in z.namelist())


@pytest.mark.parametrize("suffix", [".html", ".xlsx"])
def test_partner_report_holds_nothing_excluded(mini_case: str, cli, tmp_path: Path,
                                               suffix: str) -> None:
    full, partner = tmp_path / f"full{suffix}", tmp_path / f"partner{suffix}"
    cli("report", str(full))
    cli("report", str(partner), "--profile", "partner", "--partner", "KR")
    full_text, partner_text = _text_of(full), _text_of(partner)
    # The unshared relative's name reaches the case team through a custody gap ...
    assert SENTINEL_UNSHARED in full_text
    # ... and never a partner; contacts and relatives' notes reach no report at all.
    for sentinel in (SENTINEL_UNSHARED, SENTINEL_CONTACT, SENTINEL_NOTES):
        assert sentinel not in partner_text
    for sentinel in (SENTINEL_CONTACT, SENTINEL_NOTES):
        assert sentinel not in full_text


def test_partner_counts_only_shared_relatives(mini_case: str, cli, tmp_path: Path) -> None:
    out = tmp_path / "kr.html"
    cli("report", str(out), "--profile", "partner", "--partner", "kr")
    page = ReportPage(out.read_text(encoding="utf-8"))
    family = page.tables["family-stage-table"]
    # Only R-001 shares with KR: V-002's brother's son and V-003's daughter vanish.
    assert {stage: (row["KR"], row["JP"]) for stage, row in family.items()} == {
        "no relative known": ("1", "2"), "located": ("0", "0"), "consented": ("0", "0"),
        "reference collected": ("0", "0"), "reference profiled": ("1", "0"),
        "total": ("2", "2")}
    assert page.tables["samples-table"]["total"]["total"] == "4"  # S-R2 is left out
    assert set(page.tables["custody-table"]) == {"SP-02"}
    assert page.ids["profile"].startswith("Profile: partner KR")
    assert page.tables["victim-table"]["V-002"]["family"] == "No relative known"


def test_a_jp_partner_sees_no_relative_at_all(mini_case: str, cli, tmp_path: Path) -> None:
    out = tmp_path / "jp.html"
    cli("report", str(out), "--profile", "partner", "--partner", "JP")
    family = ReportPage(out.read_text(encoding="utf-8")).tables["family-stage-table"]
    assert family["no relative known"]["total"] == "4"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["r.pdf"], "cannot tell the report format of 'r.pdf': name it OUT.xlsx"),
        (["r.html", "--profile", "partner"],
         "a partner report needs the partner agency's country: --partner KR or --partner JP"),
        (["r.html", "--partner", "KR"], "--partner goes with --profile partner"),
        (["r.html", "--profile", "lab"], "'lab' is not a report profile; use full or partner"),
        (["r.html", "--lang", "zh"], "'zh' is not a report language; use en, ko or ja"),
    ],
    ids=["format", "partner-missing", "partner-without-profile", "profile", "lang"],
)
def test_bad_options_are_one_line_errors(sqlite_url: str, cli, tmp_path: Path,
                                         args: list[str], message: str,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    fill(sqlite_url, mini_rows)
    monkeypatch.chdir(tmp_path)
    result = cli("report", *args, expect=1)
    assert result.stderr.startswith(f"Error: {message}")
    assert list(tmp_path.glob("r.*")) == []
