"""Numbers that cannot be forged: `match confirm` recomputes the pair, `audit verify`
checks a run's results against the digest its audit entry holds, and the guard rails
(an exclusion, a posterior below 0.5) need `--override`."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import create_engine, text

from chosei.models import Identification, MatchResult
from chosei.services.match_digest import DIGEST_COLUMNS, results_digest
from chosei.services.match_results import MATCH_COLUMNS
from tests.cli.storeview import fetch, snapshot
from tests.match import scene

RUN = "match run --dropout 0 --mutation none --threshold 100"
TODAY = date.today().isoformat()
# The forgery: an exclusion turned into a confirmed identification at LR 3.2e15.
FORGE = ("UPDATE match_result SET lr = 3.2e15, autosomal_lr = 3.2e15, posterior = 0.99999, "
         "excluded_markers = NULL WHERE specimen_id = 'SP-003' AND victim_id = 'V-001'")


def _sql(url: str, *statements: str) -> None:
    """Change the store behind the tracker's back."""
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            for statement in statements:
                conn.execute(text(statement))
    finally:
        engine.dispose()


def _verify(cli, code: int = 7) -> str:  # type: ignore[no-untyped-def]
    return cli("audit verify", expect=code).stderr


def test_the_digest_covers_every_column_a_run_writes() -> None:
    assert DIGEST_COLUMNS == MATCH_COLUMNS


def test_the_digest_is_of_the_sorted_rows_column_by_column() -> None:
    import hashlib
    import struct

    columns = [["SP-2", "SP-1"], ["V-1", "V-1"], [None, "S-1"], [0.5, 200.0], [1.0, 200.0], [None, None],
               [None, 3.0], [None, None], [0.25, 0.99], ["TH01", None], ["t", "t"], ["{}", "{}"], [1, 1]]
    # sorted: SP-1 first; text as distinct values then uint32 indexes; numbers as a NULL bit
    # mask then doubles; integers as int64; all big-endian
    def text(values: list, rows: list[int]) -> bytes:
        return json.dumps(values, separators=(",", ":")).encode() + b"\n" + struct.pack(">2I", *rows)

    def number(nulls: int, values: list[float]) -> bytes:
        return bytes([nulls]) + struct.pack(">2d", *values)

    parts = [("specimen_id", text(["SP-1", "SP-2"], [0, 1])), ("victim_id", text(["V-1"], [0, 0])),
             ("sample_id", text(["S-1", None], [0, 1])), ("lr", number(0, [200.0, 0.5])),
             ("autosomal_lr", number(0, [200.0, 1.0])), ("y_lr", number(0b11000000, [0, 0])),
             ("mt_lr", number(0b01000000, [3.0, 0])), ("snp_lr", number(0b11000000, [0, 0])),
             ("posterior", number(0, [0.99, 0.25])),
             ("excluded_markers", text([None, "TH01"], [0, 1])), ("computed_at", text(["t"], [0, 0])),
             ("parameters", text(["{}"], [0, 0])), ("version", struct.pack(">2q", 1, 1))]
    sha = hashlib.sha256(b"2\n")
    for name, part in parts:
        sha.update(f"{name}:{len(part)}\n".encode() + part)
    assert results_digest(columns) == (2, sha.hexdigest())
    assert results_digest([[] for _ in DIGEST_COLUMNS])[0] == 0


def test_a_run_logs_one_entry_with_its_digest_and_verify_passes(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    scene.build(case)
    cli(RUN)
    cli(RUN)
    runs = [e for e in json.loads(cli("audit log --json").stdout) if e["entity"] == "match_run"]
    assert len(runs) == 2
    assert runs[-1]["entity_key"] == "match_result"
    assert runs[-1]["after"]["rows"] == 15  # 5 specimens × 3 victims
    assert set(runs[-1]["after"]) == {"computed_at", "rows", "digest", "specimens", "victims"}
    assert cli("audit verify").exit_code == 0


def test_confirm_refuses_the_forged_row_and_verify_catches_it(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    scene.build(case)
    cli(RUN)
    _sql(case, FORGE)
    before = snapshot(case)
    result = cli("match confirm SP-003 V-001 --by board", expect=7)
    assert result.stderr == (
        "Error: the stored match of specimen SP-003 and victim V-001 is not the tracker's (stored LR 3.2e+15, "
        "posterior 0.99999; recomputed LR 0, posterior 0 from the store's genotypes): match_result differs from "
        f"the match run of {_run_time(case)} (15 row(s) logged, 15 stored): a row was changed behind the tracker's "
        "back; `chosei match run` recomputes them\n")
    assert result.stdout == ""
    assert snapshot(case) == before
    assert fetch(case, Identification, Identification.specimen_id == "SP-003") == []
    assert _verify(cli) == (
        f"Error: match_result differs from the match run of {_run_time(case)} (15 row(s) "
        "logged, 15 stored): a row was changed behind the tracker's back; `chosei match run` recomputes them\n")
    # a new run replaces the forged rows and logs their digest: intact again
    cli(RUN)
    assert cli("audit verify").exit_code == 0


def test_a_forged_row_of_another_pair_also_stops_a_confirmation(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    scene.build(case)
    cli(RUN)
    _sql(case, FORGE)
    result = cli("match confirm SP-001 V-001 --by board", expect=7)
    assert result.stderr.startswith("Error: cannot decide on specimen SP-001 and victim V-001: match_result "
                                    "differs from the match run of ")


@pytest.mark.parametrize(
    ("statement", "what"),
    [
        pytest.param("DELETE FROM match_result WHERE specimen_id = 'SP-002' AND victim_id = 'V-003'",
                     "(15 row(s) logged, 14 stored): 1 row(s) were deleted", id="deleted"),
        pytest.param("INSERT INTO match_result (specimen_id, victim_id, lr, posterior, computed_at, version) "
                     "VALUES ('SP-003', 'V-004', 3.2e15, 0.99999, '2026-01-01T00:00:00+00:00', 1)",
                     "(15 row(s) logged, 16 stored): 1 row(s) were added", id="added"),
        pytest.param("UPDATE match_result SET posterior = 0.9 WHERE specimen_id = 'SP-002' AND victim_id = 'V-002'",
                     "(15 row(s) logged, 15 stored): a row was changed", id="changed"),
    ],
)
def test_verify_catches_a_row_changed_added_or_deleted(case: str, cli, statement: str, what: str) -> None:  # type: ignore[no-untyped-def]
    scene.build(case)
    cli("victim add V-004 --nationality JP --japanese 山田一郎")  # no relative: not compared
    cli(RUN)
    _sql(case, statement)
    assert _verify(cli) == (f"Error: match_result differs from the match run of "
                            f"{_run_time(case)} {what} behind the tracker's back; `chosei match run` "
                            "recomputes them\n")


def test_verify_catches_results_added_without_a_run(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    scene.build(case)
    _sql(case, "INSERT INTO match_result (specimen_id, victim_id, lr, posterior, computed_at, version) "
               "VALUES ('SP-003', 'V-001', 3.2e15, 0.99999, '2026-01-01T00:00:00+00:00', 1)")
    assert _verify(cli) == ("Error: match_result holds 1 row(s) but no match run is logged: "
                            "they were added behind the tracker's back; `chosei match run` recomputes them\n")


def test_confirm_records_the_recomputed_numbers(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    scene.build(case)
    cli(RUN)
    # the stored posterior changed within float noise is not a forgery: the row agrees to 1e-9
    cli("match confirm SP-001 V-001 --by board")
    row = fetch(case, Identification, Identification.specimen_id == "SP-001")[0]
    assert row["lr"] == pytest.approx(200, rel=1e-12)
    # closed set: V-001's LR 200 against the scene's other pairs and uncompared victims, which add 182
    assert row["posterior"] == pytest.approx(200 / (200 + 182), rel=1e-12)
    assert row["override"] is None


def test_a_store_changed_since_the_run_is_refused_as_stale(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    scene.build(case)
    cli(RUN)
    # the son withdraws his consent: his DNA may no longer be used, V-001 cannot be compared
    cli("relative withdraw R-001 --scope analysis --on 2026-02-01")
    before = snapshot(case)
    result = cli("match confirm SP-001 V-001 --by board", expect=4)
    assert result.stderr == ("Error: specimen SP-001 and victim V-001 can no longer be compared (victim V-001 has "
                             "no typed relative whose DNA may be used: nothing to compare); run `chosei match run`, "
                             "then decide\n")
    assert snapshot(case) == before


def test_new_data_since_the_run_is_refused_as_stale(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    scene.build(case)
    cli(RUN)
    _sql(case, "UPDATE allele_frequency SET frequency = 0.1 WHERE marker = 'D3S1358' AND allele = '10'")
    result = cli("match confirm SP-001 V-001 --by board", expect=4)
    assert result.stderr == ("Error: the store changed since the last run for specimen SP-001 and victim V-001 "
                             "(stored LR 200, posterior 0.52356; recomputed LR 100, posterior 0.35461): run "
                             "`chosei match run`, then decide\n")


# --- Guard rails -------------------------------------------------------------------------


def test_an_exclusion_needs_an_override_recorded_and_audited(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    scene.build(case)
    cli(RUN)
    before = snapshot(case)
    refused = cli("match confirm SP-003 V-001 --by board", expect=4)
    assert refused.stderr == ("Error: specimen SP-003 is not confirmed as victim V-001: the DNA excludes it (at "
                              "D3S1358); and its posterior 0 is below 0.5; if other evidence settles it, re-run "
                              "with --override \"REASON\"\n")
    assert snapshot(case) == before
    done = cli("match confirm SP-003 V-001 --by board --override 'dental chart and a ring, see file 12'")
    assert done.stdout == (f"Confirmed: specimen SP-003 is victim V-001; LR 0, posterior 0; decided by board on "
                           f"{TODAY}\nOverride: dental chart and a ring, see file 12\n")
    row = fetch(case, Identification, Identification.specimen_id == "SP-003")[0]
    assert (row["status"], row["lr"], row["posterior"], row["override"]) == (
        "confirmed", 0.0, 0.0, "dental chart and a ring, see file 12")
    logged = [e for e in json.loads(cli("audit log SP-003 --json").stdout) if e["entity"] == "identification"]
    assert logged[-1]["after"]["override"] == "dental chart and a ring, see file 12"
    # withdrawing the confirmation clears the override
    cli("match reject SP-003 V-001 --by board")
    assert fetch(case, Identification, Identification.specimen_id == "SP-003")[0]["override"] is None


def test_a_posterior_below_one_half_needs_an_override(case: str, cli) -> None:  # type: ignore[no-untyped-def]
    scene.build(case)
    cli(RUN)
    # SP-001 against V-002: nothing typed in common, LR 1, posterior 1/3 with three victims
    result = cli("match confirm SP-001 V-002 --by board", expect=4)
    assert result.stderr == ("Error: specimen SP-001 is not confirmed as victim V-002: its posterior 0.002618 is "
                             "below 0.5; if other evidence settles it, re-run with --override \"REASON\"\n")
    cli("match confirm SP-001 V-002 --by board --override 'identity tag found with the femur'")


@pytest.mark.parametrize(
    ("options", "code", "message"),
    [
        pytest.param("--override 'not needed'", 1,
                     "specimen SP-001 and victim V-001 need no --override (no exclusion, posterior 0.5236): leave "
                     "it out", id="not-needed"),
        pytest.param("--override ' '", 1, "--override needs the reason, e.g. --override 'dental records and a "
                     "ring'", id="blank"),
    ],
)
def test_override_misuse_is_refused(case: str, cli, options: str, code: int, message: str) -> None:  # type: ignore[no-untyped-def]
    scene.build(case)
    cli(RUN)
    before = snapshot(case)
    result = cli(f"match confirm SP-001 V-001 --by board {options}", expect=code)
    assert result.stderr == f"Error: {message}\n"
    assert snapshot(case) == before


def _run_time(url: str) -> str:
    rows = fetch(url, MatchResult)
    return rows[0]["computed_at"]
