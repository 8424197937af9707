"""`chosei retract` and `chosei undo`: wrong records and mistaken commands taken back,
audited, on both backends."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from chosei.models import AuditEntry, Genotype, Identification, MatchResult, Relative, Retraction, Victim
from chosei.services.custody import record_event
from chosei.services.recovery import add_operation, add_specimen
from chosei.services.relatives import add_relative
from chosei.services.samples import add_sample
from chosei.services.victims import add_name, add_victim
from tests.cli.storeview import add_rows, fetch, snapshot, writing
from tests.exchange.conftest import write_book


def _scene(url: str) -> None:
    """Two victims; V-001 with a second name, a son, an identification; operation OP-1 with
    specimen CH-001, its sample S-001 (two genotypes) and a custody event, and CH-002 with
    sample S-002; operation OP-2 and specimen CH-003 with nothing."""
    with writing(url) as s:
        add_victim(s, {"id": "V-001", "nationality": "KR", "name_hangul": "김가온"})
        add_victim(s, {"id": "V-002", "nationality": "KR", "name_hangul": "이나래"})
        add_name(s, "V-001", "金本一郎", "japanese")
        add_relative(s, {"id": "R-001", "victim_id": "V-001", "relationship": "son", "name": "김하늘",
                         "contact": "010-5555-0101"})
        add_operation(s, {"id": "OP-1", "date": "2025-08-26"})
        add_specimen(s, {"id": "CH-001", "element": "femur", "operation_id": "OP-1"})
        add_sample(s, {"id": "S-001", "specimen_id": "CH-001", "type": "bone"})
        record_event(s, "CH-001", "stored", "2025-08-27", to_party="police")
        add_operation(s, {"id": "OP-2", "date": "2025-09-30"})
        add_specimen(s, {"id": "CH-002", "element": "tooth", "operation_id": "OP-1"})
        add_specimen(s, {"id": "CH-003", "element": "rib"})
        add_sample(s, {"id": "S-002", "specimen_id": "CH-002", "type": "tooth"})
    add_rows(url, Genotype(sample_id="S-001", marker="D3S1358", allele1="15", allele2="16"),
             Genotype(sample_id="S-001", marker="vWA", allele1="17", allele2="18"),
             Identification(specimen_id="CH-001", victim_id="V-001", status="candidate", notes="pair of run 7"))


def _exported(cli, tmp_path: Path) -> set[str]:  # type: ignore[no-untyped-def]
    """Every cell of every sheet of a full export, as text."""
    path = tmp_path / f"out-{len(list(tmp_path.glob('out-*')))}.xlsx"
    cli("export", str(path))
    book = load_workbook(path, read_only=True)
    return {str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row if v is not None}


def _verified(cli) -> str:  # type: ignore[no-untyped-def]
    return cli("audit", "verify").stdout.splitlines()[0]


@pytest.mark.parametrize(
    ("args", "view", "gone", "stays", "exported"),
    [
        pytest.param("victim V-002", "victim list", "이나래", "김가온", "이나래", id="victim"),
        pytest.param("name V-001/金本一郎", "victim show V-001", "金本一郎", "김가온", "金本一郎", id="name"),
        pytest.param("relative R-001", "relative list", "김하늘", None, "김하늘", id="relative"),
        pytest.param("operation OP-2", "operation list", "OP-2", "OP-1", "OP-2", id="operation"),
        pytest.param("specimen CH-003", "specimen list", "CH-003", "CH-001", "CH-003", id="specimen"),
        pytest.param("sample S-002", "sample list", "S-002", "S-001", "S-002", id="sample"),
        pytest.param("custody CH-001/stored/2025-08-27", "custody show CH-001", "police", None, "police",
                     id="custody"),
        pytest.param("profile S-001", "sample list", None, "S-001", "D3S1358", id="profile"),
        pytest.param("identification CH-001/V-001", "victim show V-001", "candidate", "김하늘", "pair of run 7",
                     id="identification"),
    ],
)
def test_a_retracted_record_leaves_every_view(case: str, cli, tmp_path: Path, args: str, view: str,  # type: ignore[no-untyped-def]
                                              gone: str | None, stays: str | None, exported: str) -> None:
    _scene(case)
    kind, ident = args.split()
    before = cli(view).stdout
    assert gone is None or gone in before
    assert exported in _exported(cli, tmp_path)
    result = cli("retract", kind, ident, "--why", "entered by mistake")
    assert result.stdout == f"Retracted {kind} {ident}\n"
    after = cli(view).stdout
    assert gone is None or gone not in after
    assert stays is None or stays in after
    assert exported not in _exported(cli, tmp_path)
    assert [(r["kind"], r["ident"], r["why"], r["retracted_by"]) for r in fetch(case, Retraction)][-1] \
        == (kind, ident, "entered by mistake", "tester")
    assert _verified(cli).startswith("Audit trail intact")


def test_a_retracted_profile_leaves_the_export_and_status(case: str, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _scene(case)
    assert "D3S1358" in _exported(cli, tmp_path)
    cli("retract profile S-001 --why 'contaminated run'")
    assert fetch(case, Genotype) == []
    assert "D3S1358" not in _exported(cli, tmp_path)
    assert [r["ident"] for r in fetch(case, Retraction)] == ["S-001", "S-001"]  # one per genotype row


def test_a_retracted_victim_leaves_status_and_lists(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    _scene(case)
    total = json.loads(cli("status --json").stdout)["victims"]["total"]
    cli("retract victim V-002 --why 'entered twice'")
    assert json.loads(cli("status --json").stdout)["victims"]["total"] == total - 1
    assert "V-002" not in cli("victim list").stdout
    assert cli("victim show V-002", expect=3).stderr.startswith("Error: no victim with ID 'V-002'")


def test_retracting_what_others_depend_on_is_refused_naming_them(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    _scene(case)
    before = snapshot(case)
    result = cli("retract victim V-001 --why duplicate", expect=4)
    assert result.stderr == (
        "Error: victim V-001 cannot be retracted alone: name V-001/金本一郎, relative R-001, "
        "identification CH-001/V-001 depend on it; retract those first, or all of them with "
        "--with-dependents\n")
    assert snapshot(case) == before
    result = cli("retract specimen CH-001 --why wrong", expect=4)
    assert result.stderr == (
        "Error: specimen CH-001 cannot be retracted alone: sample S-001, custody CH-001/stored/2025-08-27, "
        "identification CH-001/V-001 depend on it; retract those first, or all of them with "
        "--with-dependents\n")
    assert snapshot(case) == before


def test_with_dependents_retracts_them_all_and_restores_them_all(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    _scene(case)
    before = {k: v for k, v in snapshot(case).items() if k not in ("retraction", "audit_entries")}
    result = cli("retract specimen CH-001 --why 'not from the mine' --with-dependents")
    assert result.stdout.splitlines() == [
        "Retracted specimen CH-001",
        "Retracted with it 4 record(s) depending on it:",  # the profile is two genotype rows
        "    sample S-001",
        "    custody CH-001/stored/2025-08-27",
        "    profile S-001",
        "    identification CH-001/V-001",
    ]
    assert "CH-001" not in cli("specimen list").stdout
    assert "S-001" not in cli("sample list").stdout
    assert _verified(cli).startswith("Audit trail intact")
    restored = cli("retract --undo specimen CH-001 --why 'it was' --with-dependents")
    assert restored.stdout.splitlines()[0] == "Restored specimen CH-001"
    after = {k: v for k, v in snapshot(case).items() if k not in ("retraction", "audit_entries")}
    # Everything is back, each row one version on.
    strip = lambda t: [[(k, v) for k, v in row if k not in ("version", "id")] for row in t]  # noqa: E731
    assert {k: strip(v) for k, v in after.items()} == {k: strip(v) for k, v in before.items()}
    marks = fetch(case, Retraction)
    assert {(m["restored_by"], m["restored_why"]) for m in marks} == {("tester", "it was")}
    assert _verified(cli).startswith("Audit trail intact")


def test_restore_of_one_whose_parent_is_retracted_is_refused(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    _scene(case)
    cli("retract victim V-001 --why dup --with-dependents")
    before = snapshot(case)
    result = cli("retract --undo relative R-001 --why back", expect=4)
    assert result.stderr == ("Error: relative R-001 cannot be restored: it needs victim V-001, which is "
                             "not in the case; restore that first\n")
    assert snapshot(case) == before


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        pytest.param("retract victim V-009 --why x", 3, "no victim 'V-009' in the case", id="missing"),
        pytest.param("retract widget V-001 --why x", 1,
                     "cannot retract a 'widget': KIND is one of victim, name, relative, operation, specimen, "
                     "sample, custody, profile, identification", id="kind"),
        pytest.param("retract name V-001 --why x", 1, "a name is named VICTIM/NAME, not 'V-001'", id="shape"),
        pytest.param("retract victim V-002 --why ' '", 1, "--why must say why: the audit trail keeps it",
                     id="blank-why"),
        pytest.param("retract --undo victim V-002 --why x", 4, "victim V-002 is not retracted: it is in the case",
                     id="not-retracted"),
        pytest.param("undo 999", 3, "no audit entry #999; `chosei audit log --last 20` shows the newest",
                     id="no-entry"),
        pytest.param("undo 1", 4, "entry #1 created the case itself: undo cannot remove it (start a new "
                     "store instead)", id="the-case"),
    ],
)
def test_bad_requests_change_nothing(case: str, cli, args: str, code: int, message: str) -> None:  # type: ignore[no-untyped-def]
    _scene(case)
    before = snapshot(case)
    assert cli(args, expect=code).stderr == f"Error: {message}\n"
    assert snapshot(case) == before


def test_retracting_twice_says_so(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    _scene(case)
    cli("retract victim V-002 --why dup")
    result = cli("retract victim V-002 --why dup", expect=4)
    assert result.stderr == ("Error: victim V-002 is already retracted; `chosei retract --undo victim V-002` "
                             "brings it back\n")


# --- undo ----------------------------------------------------------------------------

V_HEAD = ["Victim ID", "Nationality", "Name (Hangul)", "Notes"]


def _import(cli, tmp_path: Path, name: str, *rows: list) -> int:  # type: ignore[no-untyped-def, type-arg]
    """Import a Victims sheet; return the number of the import's own audit entry."""
    path = write_book(tmp_path / name, {"Victims": [V_HEAD, *rows]})
    cli("import", str(path))
    entries = json.loads(cli("audit log --json").stdout)
    return next(e["seq"] for e in reversed(entries) if e["action"] == "import")


def test_undo_an_import_of_three_rows(case: str, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _scene(case)
    seq = _import(cli, tmp_path, "wrong.xlsx", ["V-010", "KR", "박하나", None], ["V-011", "KR", "박두리", None],
                  ["V-002", None, None, "changed by the import"])
    assert fetch(case, Victim, Victim.id == "V-002")[0]["notes"] == "changed by the import"
    result = cli("undo", str(seq + 2), "--why", "wrong workbook")  # any entry of the import selects it
    assert result.stdout.splitlines() == [
        f"Undid entries #{seq}–#{seq + 3} (tester, {_at(case, seq)}): 2 record(s) removed, 1 changed "
        "back, 0 brought back.",
        f"    not reverted (not a record): #{seq} import workbook wrong.xlsx",
    ]
    assert [v["id"] for v in fetch(case, Victim, order=[Victim.id])] == ["V-001", "V-002"]
    v2 = fetch(case, Victim, Victim.id == "V-002")[0]
    assert (v2["notes"], v2["version"]) == (None, 3)
    undo_entry = json.loads(cli("audit log --last 4 --json").stdout)[0]
    assert (undo_entry["action"], undo_entry["entity"], undo_entry["entity_key"]) \
        == ("undo", "audit_entry", str(seq + 2))
    assert undo_entry["after"] == {"entries": [seq, seq + 3], "of": "tester", "at": _at(case, seq),
                                   "why": "wrong workbook"}
    assert _verified(cli).startswith("Audit trail intact")
    # The undo is a command like any other: undoing it brings the import's rows back.
    last = json.loads(cli("audit log --last 1 --json").stdout)[0]["seq"]
    cli("undo", str(last))
    assert [v["id"] for v in fetch(case, Victim, order=[Victim.id])] == ["V-001", "V-002", "V-010", "V-011"]
    assert _verified(cli).startswith("Audit trail intact")


def _at(url: str, seq: int) -> str:
    from chosei.store import open_store, session_scope

    store = open_store(url)
    try:
        with session_scope(store) as s:
            return s.execute(select(AuditEntry.at).where(AuditEntry.seq == seq)).scalar_one()
    finally:
        store.dispose()


def test_undo_blocked_by_a_later_edit_names_the_entry(case: str, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _scene(case)
    seq = _import(cli, tmp_path, "v.xlsx", ["V-010", "KR", "박하나", None], ["V-011", "KR", "박두리", None],
                  ["V-012", "KR", "박세리", None])
    cli("--as", "lee", "victim", "edit", "V-011", "--notes", "checked")
    edit = json.loads(cli("audit log --last 1 --json").stdout)[0]
    before = snapshot(case)
    result = cli("undo", str(seq), expect=4)
    assert result.stderr == (
        f"Error: entry #{seq} cannot be undone: later entries changed or depend on its records: "
        f"#{edit['seq']} (lee, {edit['at'][:10]}) update victim V-011; undo those first (newest first) "
        "or correct by hand\n")
    assert snapshot(case) == before
    # Undo the edit first, and the import can go.
    cli("undo", str(edit["seq"]))
    cli("undo", str(seq))
    assert [v["id"] for v in fetch(case, Victim, order=[Victim.id])] == ["V-001", "V-002"]
    assert _verified(cli).startswith("Audit trail intact")


def test_undo_blocked_by_a_later_dependent(case: str, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _scene(case)
    seq = _import(cli, tmp_path, "v.xlsx", ["V-010", "KR", "박하나", None])
    cli("relative add R-010 --victim V-010 --relationship son")
    added = json.loads(cli("audit log --last 1 --json").stdout)[0]
    before = snapshot(case)
    result = cli("undo", str(seq), expect=4)
    assert result.stderr == (
        f"Error: entry #{seq} cannot be undone: later entries changed or depend on its records: "
        f"#{added['seq']} (tester, {added['at'][:10]}) create relative R-010; undo those first (newest "
        "first) or correct by hand\n")
    assert snapshot(case) == before


def test_undo_a_retraction_brings_the_record_back(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    _scene(case)
    cli("retract relative R-001 --why wrong")
    last = json.loads(cli("audit log --last 1 --json").stdout)[0]["seq"]
    cli("undo", str(last))
    assert [r["id"] for r in fetch(case, Relative)] == ["R-001"]
    assert fetch(case, Retraction) == []
    assert "(hidden)" in cli("audit log R-001").stdout  # the contact stays hidden in the log
    assert "010-5555" not in cli("audit log").stdout
    assert _verified(cli).startswith("Audit trail intact")


def test_the_help_names_every_kind() -> None:
    from chosei.cli.corrections_cmd import KIND_HELP
    from chosei.services.corrections import KINDS

    named = [part.split()[0] for part in KIND_HELP.split(", ")]
    assert named == list(KINDS)


def test_retracting_a_matched_specimen_drops_its_match_results(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    from tests.match import scene

    scene.build(case)
    cli("match run --mutation none --dropout 0 --threshold 100")
    assert "SP-005" in cli("match list").stdout
    result = cli("retract specimen SP-005 --why 'same bone as SP-001, entered twice' --with-dependents")
    assert result.stdout.splitlines()[0] == "Retracted specimen SP-005"
    assert result.stdout.splitlines()[-1] == ("Removed 3 match result(s) computed from it; `chosei match run` "
                                              "computes the matches again.")
    assert "SP-005" not in cli("match list --all").stdout
    assert _verified(cli).startswith("Audit trail intact")


def test_undo_blocked_by_a_later_removal_of_what_it_needs(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    _scene(case)
    cli("retract relative R-001 --why 'wrong family'")
    first = json.loads(cli("audit log --last 1 --json").stdout)[0]["seq"]
    cli("--as", "lee", "retract", "victim", "V-001", "--why", "duplicate", "--with-dependents")
    gone = next(e for e in json.loads(cli("audit log --last 8 --json").stdout)
                if (e["action"], e["entity"]) == ("delete", "victim"))
    before = snapshot(case)
    result = cli("undo", str(first), expect=4)
    assert result.stderr == (
        f"Error: entry #{first} cannot be undone: later entries changed or depend on its records: "
        f"#{gone['seq']} (lee, {gone['at'][:10]}) delete victim V-001; undo those first (newest first) "
        "or correct by hand\n")
    assert snapshot(case) == before


def test_json_reports(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    _scene(case)
    out = json.loads(cli("retract victim V-001 --why dup --with-dependents --json").stdout)
    assert out == {"retracted": ["victim V-001", "name V-001/金本一郎", "relative R-001",
                                 "identification CH-001/V-001"], "match_results_removed": 0}
    last = json.loads(cli("audit log --last 1 --json").stdout)[0]["seq"]
    out = json.loads(cli(f"undo {last} --json").stdout)
    assert (out["entries"][1], out["deleted"], out["changed"], out["restored"], out["not_reverted"]) \
        == (last, 4, 0, 4, [])


def test_a_retracted_id_stays_taken(case: str, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _scene(case)
    cli("retract victim V-002 --why 'same man as V-001'")
    before = snapshot(case)
    message = ("victim V-002 was retracted ({day}, tester: same man as V-001); `chosei retract --undo "
               "victim V-002` brings it back, or give the new victim another ID")
    day = fetch(case, Retraction)[0]["retracted_at"][:10]
    result = cli("victim add V-002 --nationality KR --hangul 이나래", expect=4)
    assert result.stderr == f"Error: {message.format(day=day)}\n"
    # A workbook exported before the retraction brings it back no more than a command does.
    path = write_book(tmp_path / "old.xlsx", {"Victims": [V_HEAD, ["V-002", "KR", "이나래", None]]})
    result = cli("import", str(path), expect=6)
    assert result.stderr.splitlines()[0] == f"  Victims, row 2, Victim ID: {message.format(day=day)}"
    assert snapshot(case) == before
    cli("retract --undo victim V-002 --why 'two men after all'")
    assert "V-002" in cli("victim list").stdout


def test_retracting_a_relatives_profile_drops_the_results_it_weighed_in(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    from tests.match import scene

    scene.build(case)
    cli("match run --mutation none --dropout 0 --threshold 100")
    assert len(json.loads(cli("match list --all --victim V-001 --json").stdout)) == 5  # one per specimen
    result = cli("retract profile RS-001 --why 'swapped tubes'")
    assert result.stdout.splitlines() == [
        "Retracted profile RS-001",
        "Removed 5 match result(s) computed from it; `chosei match run` computes the matches again."]
    # The computed pairs are gone; the candidates the run recorded as identifications are
    # records, left for people to reject or retract.
    assert fetch(case, MatchResult, MatchResult.victim_id == "V-001") == []
    assert len(fetch(case, MatchResult, MatchResult.victim_id == "V-002")) == 5
    assert _verified(cli).startswith("Audit trail intact")


def test_undo_drops_the_match_results_of_the_rows_it_removes(case: str, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from chosei.services.match_digest import DIGEST_COLUMNS, record_run

    _scene(case)
    seq = _import(cli, tmp_path, "v.xlsx", ["V-010", "KR", "박하나", None])
    with writing(case) as s:  # a run's results, one naming the imported victim
        rows = [MatchResult(specimen_id="CH-001", victim_id=v, lr=lr, computed_at="2026-01-01T00:00:00")
                for v, lr in (("V-001", 20.0), ("V-010", 0.5))]
        s.add_all(rows)
        s.flush()
        record_run(s, "2026-01-01T00:00:00", DIGEST_COLUMNS,
                   [[getattr(r, c) for r in rows] for c in DIGEST_COLUMNS])
    assert _verified(cli).startswith("Audit trail intact")
    cli("undo", str(seq))
    assert fetch(case, Victim, Victim.id == "V-010") == []
    assert [r["victim_id"] for r in fetch(case, MatchResult)] == ["V-001"]
    assert _verified(cli).startswith("Audit trail intact")


def test_a_sample_with_snp_calls_is_not_retracted(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    from chosei.models import SnpCalls, SnpPanel

    _scene(case)
    add_rows(case, SnpPanel(id="p1", n_sites=1, sites=b"1:100:A:G"),
             SnpCalls(sample_id="S-002", panel_id="p1", calls=b"\x01", n_called=1, digest="0" * 64))
    before = snapshot(case)
    result = cli("retract sample S-002 --why wrong", expect=4)
    assert result.stderr == ("Error: sample S-002 has snp calls rows, which are not audited row by row and "
                             "so cannot be retracted: it stays in the case\n")
    assert snapshot(case) == before
