"""The families in the HTML report: the pedigree matching uses, inline, self-contained,
only the relatives the audience may see, and no relative's name."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from defusedxml import ElementTree

from chosei.models import ConsentEvent, Genotype, Relative, Sample
from tests.reports.minicase import SENTINEL_CONTACT, SENTINEL_NOTES, SENTINEL_UNSHARED, fill, mini_rows

NS = "{http://www.w3.org/2000/svg}"


def _rows() -> list[Any]:
    """The mini case (where R-002, V-002's brother's son without share:KR, is typed), and
    V-004 given two typed fathers: a family that cannot be drawn."""
    return [*mini_rows(),
            Relative(id="R-041", victim_id="V-004", relationship="father"),
            Relative(id="R-042", victim_id="V-004", relationship="father"),
            *(ConsentEvent(relative_id=r, scope="analysis", date="2025-09-01") for r in ("R-041", "R-042")),
            *(Sample(id=f"S-{r}", relative_id=r, type="saliva", status="profiled") for r in ("R-041", "R-042")),
            *(Genotype(sample_id=f"S-{r}", marker="vWA", allele1="16", allele2="17") for r in ("R-041", "R-042"))]


@pytest.fixture
def families_case(db_url: str) -> str:
    fill(db_url, _rows)
    return db_url


def _families(raw: str) -> dict[str, str]:
    """victim id → the inner HTML of its family block."""
    section = raw[raw.index('<section id="families"'):]
    section = section[:section.index("</section>")]
    return dict(re.findall(r'<div class="family" data-victim="([^"]+)">(.*?)</div>', section, re.S))


def _people(svg: str) -> dict[str, str]:
    root = ElementTree.fromstring(svg)
    return {el.get("data-person"): el.get("class") for el in root.iter()
            if el.get("data-person") and el.tag != f"{NS}g"}


def test_the_full_report_draws_each_family(families_case: str, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "r.html"
    cli("report", str(out))
    raw = out.read_text(encoding="utf-8")
    fams = _families(raw)
    assert sorted(fams) == ["V-001", "V-002", "V-004"]  # V-003's daughter gave no consent
    assert _people(fams["V-001"]) == {"V-001": "person male untyped victim", "V-001:partner": "person female untyped",
                                      "R-001": "person male typed"}
    assert _people(fams["V-002"]) == {
        "V-002:father": "person male untyped", "V-002:mother": "person female untyped",
        "V-002": "person male untyped victim", "V-002:brother": "person male untyped",
        "V-002:brother:partner": "person female untyped", "R-002": "person male typed"}
    # The victim's name is escaped as written; the relatives are named by ID and relationship only.
    assert "Family of V-001 김&lt;정&gt;웅" in fams["V-001"] and "<정>" not in raw
    assert ">son<" in fams["V-001"] and ">brother's son<" in fams["V-002"]
    drawn = "".join(fams.values())
    for secret in ("김철수", SENTINEL_CONTACT, SENTINEL_NOTES, SENTINEL_UNSHARED):  # names, contact, notes
        assert secret not in drawn
    assert fams["V-004"] == ('<p class="flag">The family of V-004 cannot be drawn: victim V-004: only one relative '
                             "can be the victim&#x27;s father; correct the relatives&#x27; relationships</p>")
    # Inline and self-contained: no script, no reference outside the page.
    assert not re.search(r"<script|<link|<img|<iframe|@import|url\(|src=|href=", raw, re.I)
    assert set(re.findall(r"https?://[^\s\"']+", raw)) == {"http://www.w3.org/2000/svg"}


def test_a_partner_report_draws_only_what_the_partner_may_see(families_case: str, cli,  # type: ignore[no-untyped-def]
                                                              tmp_path: Path) -> None:
    out = tmp_path / "kr.html"
    cli("report", str(out), "--profile", "partner", "--partner", "KR")
    fams = _families(out.read_text(encoding="utf-8"))
    assert sorted(fams) == ["V-001"]  # R-001 shares with KR; do not
    out = tmp_path / "jp.html"
    cli("report", str(out), "--profile", "partner", "--partner", "JP")
    raw = out.read_text(encoding="utf-8")
    assert _families(raw) == {}
    section = raw[raw.index('<section id="families"'):]
    assert section[:section.index("</section>")].endswith("<p>None.</p>")


def test_the_pictures_speak_the_report_language(families_case: str, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "ja.html"
    cli("report", str(out), "--lang", "ja")
    fams = _families(out.read_text(encoding="utf-8"))
    texts = [t.text for t in ElementTree.fromstring(fams["V-001"]).iter(f"{NS}text")]
    assert texts[0] == "V-001 김&lt;정&gt;웅の家族".replace("&lt;", "<").replace("&gt;", ">")
    assert {"息子", "1942年死亡", "DNA型あり"} <= set(texts)
