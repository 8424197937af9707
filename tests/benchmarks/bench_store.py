"""Benchmark: `chosei status` and `chosei check` on a large store, and start-up costs.

Run: python tests/benchmarks/bench_store.py [--victims 100000] [--samples 1000000]

Prints, for a store of N victims, N relatives and M samples (SQLite, built with raw
executemany so building does not dominate): wall time and peak memory of `chosei status`
and `chosei check` (each in a fresh process), and the number of SQL statements each
issues at two store sizes (it must not grow with the rows). Then start-up: `chosei --help`
against `python -c "import typer"` (target ≤ 2×) and `chosei status` on a small store
against `python -c "import sqlmodel"` (target ≤ 1.2×), in English and with Korean
selected (CHOSEI_LANG=ko: help from the catalogue, wrapped by columns).
`--startup-only` skips the large store. Data is generated, fictional.

chosei's modules are compiled to bytecode first, as installing a wheel does and as the
libraries they are compared with are: with PYTHONDONTWRITEBYTECODE set (as on the
development machines) an editable install would otherwise compile every module it
imports on every start. Start-up figures are medians of wall and of CPU time.
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PY = sys.executable
CHOSEI = [PY, "-m", "chosei"]


def build(path: Path, victims: int, samples: int, seed: int = 7) -> None:
    from chosei.store import open_store

    open_store(f"sqlite:///{path}").dispose()  # schema via the migrations
    rng = random.Random(seed)
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=OFF")
    con.execute(
        "INSERT INTO case_info (id, name, expected_total, expected_kr, expected_jp, demo, created_at, version)"
        " VALUES (1, 'bench', 183, 136, 47, 0, '2026-01-01', 1)"
    )
    con.executemany(
        "INSERT INTO victim (id, nationality, name_latin, version) VALUES (?, ?, ?, 1)",
        ((f"V{i:06d}", "KR" if i % 4 else "JP", f"Name {i}") for i in range(victims)),
    )
    rels = ["son", "daughter", "brother", "son's son", "brother's son", "sister's son"]
    con.executemany(
        "INSERT INTO relative (id, victim_id, relationship, version) VALUES (?, ?, ?, 1)",
        ((f"R{i:06d}", f"V{i:06d}", rng.choice(rels)) for i in range(victims)),
    )
    con.executemany(
        "INSERT INTO consent_event (relative_id, scope, event, date, version) "
        "VALUES (?, 'analysis', 'given', '2025-10-01', 1)",
        ((f"R{i:06d}",) for i in range(0, victims, 2)),
    )
    con.executemany(
        "INSERT INTO operation (id, date, version) VALUES (?, '2025-08-25', 1)", [("OP-1",)]
    )
    specimens = max(1, samples // 10)
    elements = ["femur", "humerus", "cranium", "tooth", "radius", "tibia"]
    sides = ["left", "right", None]
    con.executemany(
        "INSERT INTO specimen (id, operation_id, element, side, version) VALUES (?, 'OP-1', ?, ?, 1)",
        ((f"S{i:07d}", rng.choice(elements), rng.choice(sides)) for i in range(specimens)),
    )
    statuses = ["planned", "collected", "shipped", "received", "extracted", "profiled", "failed"]

    def sample_rows():
        for i in range(samples):
            if i % 2:
                yield (f"X{i:07d}", f"S{i % specimens:07d}", None, "bone", rng.choice(statuses))
            else:
                yield (f"X{i:07d}", None, f"R{i % victims:06d}", "saliva", rng.choice(statuses))

    con.executemany(
        "INSERT INTO sample (id, specimen_id, relative_id, type, status, version) VALUES (?, ?, ?, ?, ?, 1)",
        sample_rows(),
    )
    con.executemany(
        "INSERT INTO custody_event (item_id, event, at, to_party, version)"
        " VALUES (?, 'recovered', '2025-08-25', 'divers', 1)",
        ((f"S{i:07d}",) for i in range(specimens)),
    )
    con.commit()
    con.close()


def peak_of(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall time and peak memory, measured in a wrapper process so peaks don't mix."""
    code = (
        "import resource, subprocess, sys, time;"
        "t = time.perf_counter();"
        f"p = subprocess.run({cmd!r}, capture_output=True);"
        "w = time.perf_counter() - t;"
        "print(w, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, p.returncode)"
    )
    out = subprocess.run([PY, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    wall, peak, rc = out.split()
    if int(rc) not in (0, 8):
        raise SystemExit(f"{' '.join(cmd)} exited {rc}")
    return float(wall), float(peak)


def count_statements(path: Path) -> dict[str, int]:
    from sqlalchemy import event

    from chosei.services.check import run_checks
    from chosei.services.status import dashboard
    from chosei.store import open_store, read_scope, session_scope

    store = open_store(f"sqlite:///{path}")
    counts = {}
    n = [0]

    @event.listens_for(store.engine, "before_cursor_execute")
    def _count(*_args):  # type: ignore[no-untyped-def]
        n[0] += 1

    # As the commands run them: the dashboard on a Core connection, the checks in a session.
    for name, fn, scope in (("status", dashboard, read_scope), ("check", run_checks, session_scope)):
        n[0] = 0
        with scope(store) as s:
            fn(s)
        counts[name] = n[0]
    store.dispose()
    return counts


def median_time(cmd: list[str], env: dict[str, str], repeat: int) -> tuple[float, float]:
    """Median wall and CPU (user + sys) seconds of a command; CPU is steadier on a busy machine."""
    import resource

    walls, cpus = [], []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(cmd, env=env, capture_output=True, check=False)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--victims", type=int, default=100_000)
    parser.add_argument("--samples", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--startup-only", action="store_true", help="only the start-up figures")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        env = {**os.environ, "CHOSEI_USER": "bench", "XDG_DATA_HOME": str(tmpdir)}
        if not args.startup_only:
            large_store(tmpdir, env, args.victims, args.samples)
        startup(tmpdir, env, args.repeat)


def large_store(tmpdir: Path, env: dict[str, str], victims: int, samples: int) -> None:
    """`chosei status` and `check` on a large store: time, memory, SQL statements."""
    small, large = tmpdir / "small.db", tmpdir / "large.db"
    t = time.perf_counter()
    build(small, victims // 100, samples // 100)
    build(large, victims, samples)
    print(f"built stores in {time.perf_counter() - t:.1f} s: "
          f"{victims} victims, {victims} relatives, {samples} samples")

    for name in ("status", "check"):
        wall, peak = peak_of([*CHOSEI, "--db", str(large), name], env)
        print(f"chosei {name:6s} on the large store: {wall:6.2f} s wall, {peak:6.1f} MB peak")
    small_counts, large_counts = count_statements(small), count_statements(large)
    for name in ("status", "check"):
        print(f"SQL statements, chosei {name}: {small_counts[name]} at 1/100 size, "
              f"{large_counts[name]} at full size")


def startup(tmpdir: Path, env: dict[str, str], repeat: int) -> None:
    import compileall

    import chosei

    compileall.compile_dir(Path(chosei.__file__).parent, quiet=1)
    demo = tmpdir / "demo.db"
    subprocess.run([*CHOSEI, "--db", str(demo), "demo"], env=env, capture_output=True, check=True)
    pairs = [
        ("chosei --help", [*CHOSEI, "--help"], "import typer", [PY, "-c", "import typer"], 2.0),
        ("chosei status (demo)", [*CHOSEI, "--db", str(demo), "status"],
         "import sqlmodel", [PY, "-c", "import sqlmodel"], 1.2),
    ]
    for name, cmd, base_name, base_cmd, target in pairs:
        base_wall, base_cpu = median_time(base_cmd, env, repeat)
        for lang in ("en", "ko"):
            wall, cpu = median_time(cmd, {**env, "CHOSEI_LANG": lang}, repeat)
            print(f"start-up [{lang}]: {name} {wall * 1000:.0f} ms wall / {cpu * 1000:.0f} ms CPU vs {base_name} "
                  f"{base_wall * 1000:.0f} / {base_cpu * 1000:.0f} ms = {wall / base_wall:.2f}x wall, "
                  f"{cpu / base_cpu:.2f}x CPU (target <= {target}x)")


if __name__ == "__main__":
    main()
