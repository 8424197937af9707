"""Benchmark: chosei's import and export against their floors, with peak memory.

Run: python tests/benchmarks/bench_exchange.py [--rows 100000] [--keep DIR]

Builds two workbooks (xlsxwriter, fictional data): ROWS Relatives rows with their
victims (one victim per four relatives) and consents, and ROWS Samples rows taken from
those relatives. Then, each step in a fresh process (time of the work alone, peak RSS
of the process from wait4):

- import: chosei's `import_workbook` through the library, one transaction per workbook,
  audit included, into a fresh SQLite store; against the floor: python-calamine reading
  the same file plus a raw sqlite3 `executemany` of the same rows (victims, relatives,
  consents, samples) into a fresh store with the same schema and PRAGMAs. For reference,
  the floor again with one audit entry per row written, made and inserted with no more
  than the entry format needs (canonical JSON, SHA-256 over the chained fields, one
  INSERT into the indexed audit table): what the audit alone adds to any import.
- export: chosei's `export_workbook` (full, en) of that store; against xlsxwriter in
  constant-memory mode writing the same rows of the same tables, read with sqlite3.

chosei's import is also broken down by phase (guard, read, validate, write and within it
the audit), to show which part of it stands above the floor, and its checks (the guard,
and within validate the models, the rules across rows and the references) are summed:
what the import must do beyond the floor to refuse a bad workbook, at their speed.

Each step reports wall seconds and CPU seconds (user + system of its process, from
`getrusage`, over the same span). The ratios are given in both; on a machine shared
with other work the CPU ratio is the one to trust, since wall time includes waiting
for a core.

Targets (issue 17): import ≤ 1.5× the floor with an audit entry per row (the least work
an audited import must do), export ≤ 1.5× xlsxwriter in constant-memory mode; (issue 3)
import peak < 300 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

RELATIONSHIPS = ["son", "daughter", "brother", "sister", "son's son", "brother's son", "sister's daughter"]
# A sample goes past "received" only with its relative's consent to analysis (every other
# relative has it), and becomes "profiled" only with a profile (none here).
STATUSES = ["planned", "collected", "shipped", "received", "failed"]
CONSENTED_STATUSES = [*STATUSES, "extracted"]
TYPES = ["saliva", "buccal swab", "blood"]


# --- The workbooks ------------------------------------------------------------------------


def build_workbooks(tmp: Path, rows: int, seed: int = 1942) -> tuple[Path, Path]:
    import datetime as dt

    import xlsxwriter

    from chosei.plausible import relationship_shape, relative_birth_window

    rng = random.Random(seed)
    victims = max(1, rows // 4)
    relatives_path, samples_path = tmp / "relatives.xlsx", tmp / "samples.xlsx"
    wb = xlsxwriter.Workbook(str(relatives_path), {"constant_memory": True})
    date = wb.add_format({"num_format": "yyyy-mm-dd"})
    ws = wb.add_worksheet("Victims")
    ws.write_row(0, 0, ["Victim ID", "Nationality", "Name (Hangul)", "Name (Japanese)", "Sex",
                        "Birth date", "Notes"])
    for i in range(victims):
        ws.write_row(i + 1, 0, [f"V{i:06d}", "KR" if i % 4 else "JP", f"김영{i}", f"金本{i}", "M"])
        ws.write_datetime(i + 1, 5, dt.datetime(1901 + i % 30, 1 + i % 12, 1 + i % 28), date)
        ws.write(i + 1, 6, f"fictional victim {i}")
    ws = wb.add_worksheet("Relatives")
    ws.write_row(0, 0, ["Relative ID", "Victim ID", "Relationship", "Name", "Sex", "Birth year",
                        "Contact", "Consent date", "Consent scope", "Notes"])
    for i in range(rows):
        # The sex the relationship says, a birth year its generations allow (chosei.plausible).
        relationship = rng.choice(RELATIONSHIPS)
        shape = relationship_shape(relationship)
        assert shape is not None
        up, down, sex = shape
        low, high = relative_birth_window(up, down, (1901 + i % victims % 30,) * 2)
        ws.write_row(i + 1, 0, [f"R{i:06d}", f"V{i % victims:06d}", relationship,
                                f"가족 {i}", sex, rng.randint(max(low, 1870), min(high, 2000)),
                                f"010-{1000 + i % 9000:04d}-0000"])
        if i % 2 == 0:
            ws.write_datetime(i + 1, 7, dt.datetime(2025, 1 + i % 12, 1 + i % 28), date)
            ws.write(i + 1, 8, "analysis")
        ws.write(i + 1, 9, f"note {rng.randrange(10**6)}" if i % 3 == 0 else None)
    wb.close()
    wb = xlsxwriter.Workbook(str(samples_path), {"constant_memory": True})
    date = wb.add_format({"num_format": "yyyy-mm-dd"})
    ws = wb.add_worksheet("Samples")
    ws.write_row(0, 0, ["Sample ID", "Source ID", "Type", "Collected on", "Lab", "Lab ref", "Status",
                        "Status date", "Notes"])
    for i in range(rows):
        ws.write_row(i + 1, 0, [f"X{i:07d}", f"R{i % rows:06d}", rng.choice(TYPES)])
        ws.write_datetime(i + 1, 3, dt.datetime(2025, 1 + i % 12, 1 + i % 28), date)
        ws.write_row(i + 1, 4, ["NPA" if i % 2 else "NFS", f"L-{i}",
                                rng.choice(STATUSES if i % 2 else CONSENTED_STATUSES)])
        ws.write(i + 1, 7, f"2025-{1 + i % 12:02d}")
        ws.write(i + 1, 8, f"sample note {i}" if i % 5 == 0 else None)
    wb.close()
    return relatives_path, samples_path


# --- Steps, each run in its own process ---------------------------------------------------------


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class Timer:
    """Wall and CPU seconds from construction to `figures()`."""

    def __init__(self) -> None:
        self.wall, self.cpu = time.perf_counter(), _cpu()

    def figures(self, **extra: Any) -> dict[str, Any]:
        return {"seconds": time.perf_counter() - self.wall, "cpu": _cpu() - self.cpu, **extra}


def new_store(path: Path) -> str:
    from chosei.services.case import init_case
    from chosei.store import open_store, session_scope

    url = f"sqlite:///{path}"
    store = open_store(url)
    with session_scope(store, write=True, actor="bench") as s:
        init_case(s, "bench")
    store.dispose()
    return url


# The importer's phases: each is one call of a function of `chosei.exchange.importer`.
_PHASES = (("guard", "check_workbook"), ("read", "read_workbook"), ("validate", "plan_workbook"),
           ("write", "_apply"))


def _time_calls(owner: Any, name: str, spent: dict[str, float], label: str) -> None:
    """Replace `owner.name` by a wrapper adding the CPU seconds of each call to `spent`."""
    fn = getattr(owner, name)

    def timed(*args: Any, **kwargs: Any) -> Any:
        start = _cpu()
        try:
            return fn(*args, **kwargs)
        finally:
            spent[label] = spent.get(label, 0.0) + _cpu() - start

    setattr(owner, name, timed)


# The checks within "validate": the models (each row's fields and row rules, by
# column), the rules across rows, and the references between sheets and to the store.
_CHECKS = (("models", "Adapter", "check_all"), ("rules", None, "_check_rules"),
           ("rules", None, "_check_confirmations"), ("rules", None, "_check_identifications"),
           ("references", None, "_check_refs"))


def step_chosei_import(db: str, book: str) -> dict[str, Any]:
    from chosei import audit
    from chosei.exchange import adapters, import_workbook, importer, validate
    from chosei.store import open_store, session_scope

    spent: dict[str, float] = {}
    for label, name in _PHASES:
        _time_calls(importer, name, spent, label)
    _time_calls(audit, "record", spent, "audit")  # within "write"
    for label, owner, name in _CHECKS:  # within "validate"
        _time_calls(getattr(adapters, owner) if owner else validate, name, spent, label)
    store = open_store(f"sqlite:///{db}")
    timer = Timer()
    with session_scope(store, write=True, actor="bench") as s:
        report = import_workbook(s, Path(book))
    figures = timer.figures(added=report.added, phases=spent)
    store.dispose()
    return figures


# The tables each sheet fills: their columns, and each one's values from a sheet row (None:
# the row as it is).
_FLOOR_TABLES: dict[str, list[tuple[str, str, Any]]] = {
    "Victims": [("victim", "id, nationality, name_hangul, name_japanese, sex, birth_date, notes", None)],
    "Relatives": [("relative", "id, victim_id, relationship, name, sex, birth_year, contact, notes",
                   lambda r: (*r[:7], r[9])),
                  ("consent_event", "relative_id, scope, event, date",
                   lambda r: (r[0], r[8], "given", r[7]) if r[8] else None)],
    "Samples": [("sample", "id, relative_id, type, collected_on, lab, lab_ref, status, status_date, notes",
                 None)],
}


def _floor(db: str, book: str, *, audit: bool) -> dict[str, Any]:
    import datetime as dt
    import hashlib

    from python_calamine import CalamineWorkbook

    def text(v: Any) -> Any:
        if v == "":
            return None
        if isinstance(v, float) and v.is_integer():
            return int(v)
        if isinstance(v, dt.datetime):
            return v.date().isoformat()
        if isinstance(v, dt.date):
            return v.isoformat()
        return v

    encode = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode
    timer = Timer()
    wb = CalamineWorkbook.from_path(book)
    con = sqlite3.connect(db, isolation_level=None)
    con.execute("PRAGMA foreign_keys=ON")
    con.execute("BEGIN IMMEDIATE")
    seq, prev = con.execute("SELECT coalesce(max(seq), 0) FROM audit_entry").fetchone()[0], "0" * 64
    added = 0
    for name in wb.sheet_names:
        rows = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)[1:]
        rows = [[text(v) for v in r] for r in rows]
        for table, columns, pick in _FLOOR_TABLES[name]:
            values = rows if pick is None else [v for v in map(pick, rows) if v is not None]
            marks = ", ".join("?" * (columns.count(",") + 1))
            con.executemany(f"INSERT INTO {table} ({columns}, version) VALUES ({marks}, 1)", values)
            if not audit:
                continue
            # One entry per row: its JSON, its hash chained to the last, one INSERT.
            names = [c.strip() for c in columns.split(",")]
            entries = []
            for v in values:
                seq += 1
                after = encode({**dict(zip(names, v, strict=True)), "version": 1})
                digest = hashlib.sha256(f"{prev}\x1f{seq}\x1fnow\x1fbench\x1fcreate\x1f{table}\x1f"
                                        f"{v[0]}\x1f{v[0]}\x1f-+\x1f\x1f{after}".encode()).hexdigest()
                entries.append((seq, "now", "bench", "create", table, str(v[0]), str(v[0]), after,
                                prev, digest))
                prev = digest
            con.executemany("INSERT INTO audit_entry (seq, at, actor, action, entity, entity_key, "
                            "subject, after, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            entries)
        added += len(rows)
    con.execute("COMMIT")
    con.close()
    return timer.figures(added=added)


def step_floor_import(db: str, book: str) -> dict[str, Any]:
    return _floor(db, book, audit=False)


def step_floor_audit_import(db: str, book: str) -> dict[str, Any]:
    """The floor plus an audit entry per row written, made and inserted as cheaply as the
    entry format allows: what any import audited so costs at least."""
    return _floor(db, book, audit=True)


def step_chosei_export(db: str, out: str) -> dict[str, Any]:
    from chosei.exchange import export_workbook
    from chosei.store import open_store, session_scope

    store = open_store(f"sqlite:///{db}")
    timer = Timer()
    with session_scope(store, write=True, actor="bench") as s:
        report = export_workbook(s, Path(out), profile="full", partner=None, lang="en", sheets=None)
    figures = timer.figures(rows=sum(report.rows.values()))
    store.dispose()
    return figures


def step_xlsxwriter_export(db: str, out: str) -> dict[str, Any]:
    import xlsxwriter

    timer = Timer()
    con = sqlite3.connect(db)
    wb = xlsxwriter.Workbook(out, {"constant_memory": True})
    rows = 0
    # chosei's sheets hold these tables; Relatives carries its consents in its own columns.
    queries = {
        "victim": "SELECT * FROM victim ORDER BY id",
        "victim_name": "SELECT * FROM victim_name ORDER BY id",
        "relative": "SELECT r.*, group_concat(c.scope, ';'), min(c.date), NULL "
                    "FROM relative r LEFT JOIN consent_event c ON c.relative_id = r.id GROUP BY r.id "
                    "ORDER BY r.id",
        **{t: f"SELECT * FROM {t} ORDER BY 1" for t in ("operation", "specimen", "sample", "custody_event",
                                                          "genotype", "identification")},
    }
    for table, query in queries.items():
        cur = con.execute(query)
        ws = wb.add_worksheet(table)
        ws.write_row(0, 0, [d[0] for d in cur.description])
        for r, row in enumerate(cur, start=1):
            ws.write_row(r, 0, row)
            rows += 1
    wb.close()
    con.close()
    return timer.figures(rows=rows)


STEPS = {"chosei-import": step_chosei_import, "floor-import": step_floor_import,
         "floor-audit-import": step_floor_audit_import,
         "chosei-export": step_chosei_export, "xlsxwriter-export": step_xlsxwriter_export}


def run_step(step: str, *args: str) -> dict[str, Any]:
    """Run one step in a fresh process; its figures plus its peak RSS in MB."""
    proc = subprocess.Popen([sys.executable, __file__, "--step", step, *args],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"step {step} {' '.join(args)} failed ({proc.returncode})")
    figures = json.loads(out.strip().splitlines()[-1])
    figures["peak_mb"] = usage.ru_maxrss / 1024
    return figures


# --- The run ---------------------------------------------------------------------------------


def _vs(name: str, ours: dict[str, Any], other: str, theirs: dict[str, Any]) -> str:
    return (f"{name} {ours['cpu']:6.2f} s CPU {ours['seconds']:6.2f} s wall {ours['peak_mb']:4.0f} MB | "
            f"{other} {theirs['cpu']:6.2f} s CPU {theirs['seconds']:6.2f} s wall "
            f"{theirs['peak_mb']:4.0f} MB | {ours['cpu'] / theirs['cpu']:4.2f}x CPU "
            f"{ours['seconds'] / theirs['seconds']:4.2f}x wall")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="keep the workbooks and stores in this folder")
    parser.add_argument("--step", help=argparse.SUPPRESS)
    args, rest = parser.parse_known_args()
    if args.step:
        print(json.dumps(STEPS[args.step](*rest)))
        return

    tmp = Path(tempfile.mkdtemp(prefix="chosei-bench-")) if args.keep is None else args.keep
    tmp.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    books = build_workbooks(tmp, args.rows)
    print(f"{args.rows:,} relatives (+{max(1, args.rows // 4):,} victims) and {args.rows:,} samples; "
          f"workbooks built in {time.perf_counter() - started:.1f} s "
          f"({', '.join(f'{b.name} {b.stat().st_size / 1e6:.1f} MB' for b in books)})")

    chosei_db, floor_db, audited_db = tmp / "chosei.db", tmp / "floor.db", tmp / "floor-audit.db"
    for db in (chosei_db, floor_db, audited_db):
        db.unlink(missing_ok=True)
        new_store(db)
    lines = []
    total = {"chosei": [0.0, 0.0], "floor": [0.0, 0.0], "audited": [0.0, 0.0]}  # wall, CPU
    checks = 0.0  # CPU s of the guard and the checks (models, rules, references)
    peak = 0.0
    for book in books:
        ours = run_step("chosei-import", str(chosei_db), str(book))
        floor = run_step("floor-import", str(floor_db), str(book))
        audited = run_step("floor-audit-import", str(audited_db), str(book))
        assert ours["added"] >= floor["added"] - 1, (ours, floor)
        for who, fig in (("chosei", ours), ("floor", floor), ("audited", audited)):
            total[who][0] += fig["seconds"]
            total[who][1] += fig["cpu"]
        peak = max(peak, ours["peak_mb"])
        lines.append(f"import {book.name:16} {_vs('chosei', ours, 'floor', floor)}")
        lines.append(f"{'':23} floor with an audit entry per row {audited['cpu']:6.2f} s CPU "
                     f"{audited['seconds']:6.2f} s wall ({audited['cpu'] / floor['cpu']:4.2f}x the floor) | "
                     f"chosei {ours['cpu'] / audited['cpu']:4.2f}x that in CPU")
        ph = ours["phases"]
        lines.append(f"{'':23} chosei by phase, CPU s: guard {ph['guard']:.2f}, read {ph['read']:.2f}, "
                     f"validate {ph['validate']:.2f}, write {ph['write'] - ph['audit']:.2f} "
                     f"+ audit {ph['audit']:.2f}, rest {ours['cpu'] - sum(ph[p] for p, _ in _PHASES):.2f}; "
                     f"read and write with audit alone are "
                     f"{(ph['read'] + ph['write']) / floor['cpu']:4.2f}x the floor")
        sheet_checks = ph["guard"] + sum(ph.get(k, 0.0) for k in ("models", "rules", "references"))
        checks += sheet_checks
        lines.append(f"{'':23} of validate: models {ph.get('models', 0.0):.2f}, rules across rows "
                     f"{ph.get('rules', 0.0):.2f}, references {ph.get('references', 0.0):.2f}; with the guard "
                     f"{sheet_checks:.2f} s, {sheet_checks / audited['cpu']:4.2f}x the floor with audit entries")
    ours = run_step("chosei-export", str(chosei_db), str(tmp / "export.xlsx"))
    theirs = run_step("xlsxwriter-export", str(chosei_db), str(tmp / "xlsxwriter.xlsx"))
    lines.append(f"export {'(whole store)':16} {_vs('chosei', ours, 'xlsxwriter', theirs)}"
                 f"  ({ours['rows']:,} and {theirs['rows']:,} rows)")
    print("\n".join(lines))
    audited_cpu = total["chosei"][1] / total["audited"][1]
    audited_wall = total["chosei"][0] / total["audited"][0]
    print(f"import: {audited_cpu:.2f}x the floor with an audit entry per row in CPU, "
          f"{audited_wall:.2f}x in wall (target <= 1.5x) {'ok' if audited_cpu <= 1.5 else 'MISSED'}; "
          f"peak {peak:.0f} MB (target < 300 MB) {'ok' if peak < 300 else 'MISSED'}")
    print(f"        the guard and the checks alone (models, rules across rows, references) are "
          f"{checks / total['audited'][1]:.2f}x that floor: with nothing else above it, an import would "
          f"stand at {1 + checks / total['audited'][1]:.2f}x")
    print(f"        that floor (JSON, SHA-256, INSERT per row) is "
          f"{total['audited'][1] / total['floor'][1]:.2f}x the bare floor; chosei is "
          f"{total['chosei'][1] / total['floor'][1]:.2f}x the bare floor, in CPU")
    export_cpu = ours["cpu"] / theirs["cpu"]
    print(f"export: {export_cpu:.2f}x xlsxwriter's constant-memory mode in CPU, "
          f"{ours['seconds'] / theirs['seconds']:.2f}x in wall (target <= 1.5x) "
          f"{'ok' if export_cpu <= 1.5 else 'MISSED'}")
    if args.keep is None:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
