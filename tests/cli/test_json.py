"""`--json` on the commands that report a result: what they print is the result as JSON,
the same facts as their text, sensitive values left out; on both backends. Names made up."""

from __future__ import annotations

import json
import shlex

import pytest

from tests.cli.storeview import snapshot
from tests.match import scene


def _json(cli, command: str, *args: str, stderr: str = "") -> dict:  # type: ignore[no-untyped-def]
    result = cli(*shlex.split(command), *args, "--json")
    assert result.stderr == stderr
    return json.loads(result.stdout)


def test_victim_add_edit_and_name(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    assert _json(cli, "victim add V-001 --nationality KR --hangul 김가온 --born 1915") == {
        "added": "victim", "record": {
            "id": "V-001", "nationality": "KR", "name_hangul": "김가온", "name_hanja": None,
            "name_japanese": None, "name_reading": None, "name_latin": None, "sex": None,
            "birth_date": "1915", "birth_date_written": None, "age_at_death": None, "domicile": None, "address": None,
            "sources": None, "notes": None, "version": 1}}
    assert _json(cli, "victim edit V-001 --age-at-death 27 --notes x") == {
        "updated": "victim", "id": "V-001", "changes": [
            {"field": "age_at_death", "before": None, "after": 27},
            {"field": "notes", "before": None, "after": "x"}]}
    assert _json(cli, "victim edit V-001 --notes x") == {"updated": "victim", "id": "V-001", "changes": []}
    assert _json(cli, "victim add-name V-001 金本一郎 --script japanese --source tablet") == {
        "added": "name", "record": {"victim_id": "V-001", "name": "金本一郎", "script": "japanese",
                                    "source": "tablet", "version": 1}}


def test_relative_json_never_holds_the_contact(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    cli("victim add V-001 --nationality KR --hangul 김가온")
    out = cli("relative add R-001 --victim V-001 --relationship son --name 김하늘 "
              "--contact 010-1111-2222 --json").stdout
    assert "010-1111-2222" not in out
    assert json.loads(out) == {"added": "relative", "record": {
        "id": "R-001", "victim_id": "V-001", "relationship": "son", "name": "김하늘", "sex": None,
        "birth_year": None, "notes": None, "version": 1}}
    out = cli("relative edit R-001 --contact 010-9999-0000 --birth-year 1938 --json").stdout
    assert "010-" not in out
    assert json.loads(out)["changes"] == [{"field": "birth_year", "before": None, "after": 1938},
                                          {"field": "contact"}]
    consented = _json(cli, "relative consent R-001 --scope analysis --on 2025-10-01")
    assert consented == {"consented": [{"relative_id": "R-001", "scope": "analysis", "event": "given",
                                        "date": "2025-10-01", "agency": None, "form_ref": None, "version": 1}]}
    assert _json(cli, "relative consent R-001 --scope analysis --on 2025-10-01") == {"consented": []}
    assert _json(cli, "relative withdraw R-001 --on 2025-11-01") == {
        "withdrawn": [{"relative_id": "R-001", "scope": "analysis", "event": "withdrawn", "date": "2025-11-01",
                       "agency": None, "form_ref": None, "version": 1}]}


def test_recovery_and_samples(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    assert _json(cli, "operation add OP-1 --date 2025-08-26") == {"added": "operation", "record": {
        "id": "OP-1", "date": "2025-08-26", "site": None, "team": None, "notes": None, "version": 1}}
    assert _json(cli, "operation edit OP-1 --site T-junction")["changes"] == [
        {"field": "site", "before": None, "after": "T-junction"}]
    specimen = _json(cli, "specimen add CH-001 --operation OP-1 --element femur --other-id P-1")
    assert (specimen["added"], specimen["record"]["element"], specimen["record"]["other_ids"]) == (
        "specimen", "femur", "P-1")
    assert _json(cli, "specimen edit CH-001 --side left")["changes"] == [
        {"field": "side", "before": None, "after": "left"}]
    sample = _json(cli, "sample add S-001 --specimen P-1 --type bone")
    assert (sample["record"]["specimen_id"], sample["record"]["status"]) == ("CH-001", "planned")
    assert _json(cli, "sample edit S-001 --lab NFS")["changes"] == [{"field": "lab", "before": None, "after": "NFS"}]
    advanced = _json(cli, "sample advance S-001 collected --on 2025-09-01")
    assert (advanced["advanced"], advanced["record"]["status"], advanced["record"]["status_date"]) == (
        "sample", "collected", "2025-09-01")
    gap = ("the chain starts with 'transferred' at 2025-08-26T16:00: where the item was before is not "
           "recorded")
    event = _json(cli, "custody record CH-001 transferred --at 2025-08-26T16:00 --from divers --to police",
                  stderr=f"Warning: custody gap: {gap}\n")
    assert event["added"] == "custody event"
    assert {k: event["record"][k] for k in ("item_id", "event", "at", "from_party", "to_party")} == {
        "item_id": "CH-001", "event": "transferred", "at": "2025-08-26T16:00", "from_party": "divers",
        "to_party": "police"}
    assert event["gaps"] == [gap]


def test_a_refused_command_with_json_prints_no_json(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    before = snapshot(case)
    result = cli("victim add V-001 --nationality XX --hangul 김 --json", expect=1)
    assert (result.stdout, result.stderr) == ("", "Error: 'XX' is not a nationality; expected one of: KR, JP\n")
    assert snapshot(case) == before


def test_match_run_and_decisions(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    scene.build(case)
    run = _json(cli, "match run --mutation none --dropout 0 --threshold 100")
    assert (run["specimens"], run["samples"], run["victims"], run["pairs"], run["exclusions"]) == (5, 5, 3, 15, 1)
    assert (run["created"], run["refreshed"], run["withdrawn"], run["prior_n"]) == (3, 0, 0, 183)
    assert run["populations"] == {"KR": 3}
    assert run["options"]["mutation"] == "none" and run["options"]["threshold"] == 100
    first = run["candidates"][0]
    assert (first["specimen_id"], first["victim_id"], first["status"]) == ("SP-001", "V-001", "candidate")
    assert first["lr"] == pytest.approx(200, rel=1e-9)
    decided = _json(cli, "match confirm SP-001 V-001 --by board")
    assert (decided["added"], decided["previous"]) == ("identification", "candidate")
    assert {k: decided["record"][k] for k in ("specimen_id", "victim_id", "status", "decided_by")} == {
        "specimen_id": "SP-001", "victim_id": "V-001", "status": "confirmed", "decided_by": "board"}
    rejected = _json(cli, "match reject SP-001 V-001 --by board --note 'second look'")
    assert (rejected["previous"], rejected["record"]["status"], rejected["record"]["notes"]) == (
        "confirmed", "rejected", "second look")


def test_export_and_audit_verify(case: str, cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    cli("victim add V-001 --nationality KR --hangul 김가온")
    out = tmp_path / "out.xlsx"
    exported = _json(cli, "export", str(out), "--sheets", "Victims")
    head = exported.pop("audit_head")
    assert exported == {"file": str(out), "profile": "full", "partner": None, "lang": "en",
                        "rows": {"Victims": 1}, "total": 1, "withheld": {}, "snp": None}
    seq, digest = head.split(":")
    verified = _json(cli, "audit verify --head-from", str(out))
    assert verified == {"intact": True, "entries": int(seq), "rows": verified["rows"],
                        "heads": [{"seq": int(seq), "hash": digest}], "checkpoints": [], "untrusted": {}}
    assert verified["rows"] >= 1


def test_init_and_report(db_url: str, cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    created = _json(cli, "init --name 'Test case' --expected 10 --expected-kr 6 --expected-jp 4")
    store = created.pop("store")
    assert created == {"case": "Test case", "expected_total": 10, "expected_kr": 6, "expected_jp": 4}
    assert store.startswith(("sqlite:///", "postgresql+psycopg://"))
    cli("victim add V-001 --nationality KR --hangul 김가온")
    out = tmp_path / "status.html"
    assert _json(cli, "report", str(out)) == {
        "path": str(out), "format": "html", "lang": "en", "profile": "full", "partner": None, "demo": False,
        "victims": 1, "specimens": 0, "mni": 0}


def test_snp_frequencies(case: str, cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    table = tmp_path / "t.tsv"
    table.write_text("chrom\tpos\tref\talt\taf\tcm\n1\t1000\tA\tG\t0.25\t0.5\n1\t2000\tC\tT\t0.5\t\n",
                     encoding="utf-8")
    assert _json(cli, "snp frequencies", str(table), "--population", "KR") == {
        "population": "KR", "sites": 2, "with_cm": 1, "replaced": False}


def test_files_keys_and_schema(sqlite_url: str, cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from chosei.migrations import HEAD_REVISION

    cli("init")
    assert _json(cli, "template", str(tmp_path / "blank.xlsx"), "--lang", "ko") == {
        "file": str(tmp_path / "blank.xlsx"), "lang": "ko"}
    keys = _json(cli, "audit keygen --out", str(tmp_path / "kr.pem"))
    assert (keys["private_key"], keys["public_key"]) == (str(tmp_path / "kr.pem"), str(tmp_path / "kr.pub.pem"))
    text = cli("audit", "keygen", "--out", str(tmp_path / "jp.pem")).stdout
    assert text.splitlines()[-1].startswith("Key ID: ") and len(keys["key_id"]) == len(text.split()[-1])
    assert _json(cli, "db upgrade") == {"store": sqlite_url, "before": HEAD_REVISION, "after": HEAD_REVISION}
    copy = _json(cli, "db backup", str(tmp_path / "copy.db"))
    assert (copy["store"], copy["path"]) == (sqlite_url, str(tmp_path / "copy.db"))
    assert copy["bytes"] == (tmp_path / "copy.db").stat().st_size and copy["pages"] * 4096 == copy["bytes"]


def test_match_reassociate(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    scene.build(case)
    result = cli("match reassociate --dropout 0 --threshold 1000 --json")
    assert result.stderr == "Warning: specimen SP-004 has no autosomal profile: left out\n"
    data = json.loads(result.stdout)
    assert (data["individuals"], data["created"], data["changed"], data["removed"]) == (3, 4, 0, 0)
    several = [g for g in data["groups"] if len(g["specimens"]) > 1]
    assert [(g["group_id"], g["specimens"]) for g in several] == [("G-SP-001", ["SP-001", "SP-005"])]
    assert several[0]["links"][0]["lr"] == pytest.approx(40_000)
