"""Benchmark: `chosei undo` of a large import, and `chosei retract` on a large store.

Run: python tests/benchmarks/bench_undo.py [--victims 20000]

Imports a workbook of N victims (generated, fictional) into a fresh SQLite store, then
prints the wall time of `chosei undo` of that import, of undoing the undo, and of
`chosei retract victim` of one of them (each in a fresh process), and the audit entries
each wrote. `chosei audit verify` must pass at the end.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHOSEI = [sys.executable, "-m", "chosei"]


def run(db: Path, *args: str) -> tuple[float, str]:
    start = time.perf_counter()
    out = subprocess.run([*CHOSEI, "--db", str(db), *args], capture_output=True, text=True, check=True)
    return time.perf_counter() - start, out.stdout


def head(db: Path) -> int:
    return int(run(db, "audit", "head")[1].split(":")[0])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--victims", type=int, default=20_000)
    args = parser.parse_args()
    from openpyxl import Workbook

    with tempfile.TemporaryDirectory() as tmp:
        db, book = Path(tmp) / "bench.db", Path(tmp) / "victims.xlsx"
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("Victims")
        ws.append(["Victim ID", "Nationality", "Name (Latin)"])
        for i in range(args.victims):
            ws.append([f"V-{i:06d}", "KR", f"Name {i}"])
        wb.save(book)
        run(db, "init")
        t, _ = run(db, "import", str(book))
        seq = head(db) - args.victims  # the import's own entry precedes its rows
        print(f"import of {args.victims:,} victims: {t:.2f} s")
        before = head(db)
        t, out = run(db, "undo", str(seq))
        print(f"undo of the import: {t:.2f} s, {head(db) - before:,} entries; {out.strip()}")
        before = head(db)
        t, _ = run(db, "undo", str(before))
        print(f"undo of the undo: {t:.2f} s, {head(db) - before:,} entries")
        before = head(db)
        t, _ = run(db, "retract", "victim", "V-000007", "--why", "bench")
        print(f"retract victim: {t:.2f} s, {head(db) - before:,} entries")
        t, out = run(db, "audit", "verify")
        print(f"audit verify: {t:.2f} s; {out.splitlines()[0]}")


if __name__ == "__main__":
    main()
