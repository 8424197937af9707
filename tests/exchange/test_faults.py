"""Imports that die, and imports that race: the store is never half-written.

`chosei import` runs as a real process, killed with SIGKILL right after each step of its
write (`killpoint.py` kills it from inside, so the moment is exact) and from outside at
moments drawn from a seed (CHOSEI_FAULT_SEED replays a failure); two imports of
different workbooks are started at once. Every test waits on process exit, never on a
sleep; each runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import xlsxwriter

from chosei.store import open_store, session_scope
from tests.cli.storeview import snapshot

ROWS = 500  # victims, and as many relatives: 1,000 rows a workbook
RANDOM_KILLS = 3
SEED = int(os.environ.get("CHOSEI_FAULT_SEED", "1945"))


# Tags spelled in hangul for the hangul name (a name field holds its own script).
_HANGUL_TAG = {"A": "가", "B": "나", "C": "다", "D": "라", "E": "마"}


def _book(path: Path, tag: str, n: int = ROWS, note: str = "note") -> Path:
    wb = xlsxwriter.Workbook(str(path))
    victims, relatives = wb.add_worksheet("Victims"), wb.add_worksheet("Relatives")
    victims.write_row(0, 0, ["Victim ID", "Nationality", "Name (Hangul)", "Name (Japanese)", "Birth date", "Notes"])
    relatives.write_row(0, 0, ["Relative ID", "Victim ID", "Relationship", "Name", "Sex", "Birth year"])
    for i in range(1, n + 1):
        hangul = f"김{_HANGUL_TAG.get(tag, tag)}{i}"
        victims.write_row(i, 0, [f"V-{tag}{i:05d}", "KR" if i % 3 else "JP", hangul, f"金本{i}",
                                 f"19{10 + i % 20}-0{1 + i % 9}-1{i % 10}", f"{note} {i}"])
        relatives.write_row(i, 0, [f"R-{tag}{i:05d}", f"V-{tag}{i:05d}", "son" if i % 2 else "daughter",
                                   f"가족{tag}{i}", "M" if i % 2 else "F", 1941 + i % 3])
    wb.close()
    return path


def _start(url: str, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "CHOSEI_DB": url, "CHOSEI_USER": "tester"}
    return subprocess.Popen([sys.executable, "-m", "chosei", *args], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _verified(cli, url: str) -> None:
    result = cli("--db", url, "audit", "verify")
    assert "Audit trail intact" in result.stdout


def _ids(url: str, tag: str) -> tuple[int, int]:
    """How many of a workbook's victims and relatives the store holds."""
    from sqlalchemy import func, select

    from chosei.models import Relative, Victim

    store = open_store(url)
    try:
        with session_scope(store) as s:
            return tuple(  # type: ignore[return-value]
                s.execute(select(func.count()).select_from(m).where(m.id.like(f"{p}-{tag}%"))).scalar_one()
                for m, p in ((Victim, "V"), (Relative, "R")))
    finally:
        store.dispose()


def _notes(url: str, victim: str) -> str | None:
    from chosei.models import Victim

    store = open_store(url)
    try:
        with session_scope(store) as s:
            return s.get(Victim, victim).notes  # type: ignore[union-attr]
    finally:
        store.dispose()


@pytest.fixture
def prepared(db_url: str, cli, tmp_path: Path) -> str:
    """A case holding the first 100 rows of workbook A with other notes, so that an
    import of A both adds and changes rows."""
    cli("init", "--name", "Test case")
    cli("import", str(_book(tmp_path / "seed.xlsx", "A", n=100, note="older note")))
    return db_url


def _killed(url: str, args: list[str], moment: float | None = None) -> subprocess.CompletedProcess[str]:
    """Run an import that dies: at a named point (`args` start with killpoint's), or
    killed from outside after `moment` seconds. Waits on the process, never on a sleep."""
    env = {**os.environ, "CHOSEI_DB": url, "CHOSEI_USER": "tester"}
    runner = ["-m", "tests.exchange.killpoint"] if moment is None else ["-m", "chosei"]
    proc = subprocess.Popen([sys.executable, *runner, *args], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        proc.wait(timeout=moment if moment is not None else 300)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    out, err = proc.communicate()
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def _landed_whole(url: str) -> bool:
    return _ids(url, "A") == (ROWS, ROWS) and _notes(url, "V-A00001") == "note 1"


def test_an_import_killed_at_any_moment_leaves_the_store_as_it_was(prepared: str, cli, tmp_path: Path) -> None:
    url = prepared
    book = str(_book(tmp_path / "a.xlsx", "A"))
    before = snapshot(url)
    rnd = random.Random(SEED)
    # Inside the import, at each step of the write; then from outside, at moments drawn
    # from the seed (start-up, reading, validating, writing: wherever they fall).
    attempts: list[tuple[str, list[str], float | None]] = [
        (f"at {point}", [point, "import", book], None) for point in ("read", "insert", "update", "audit")
    ]
    attempts += [(f"after {m:.2f} s", ["import", book], m)
                 for m in sorted(rnd.uniform(0.2, 3.0) for _ in range(RANDOM_KILLS))]
    for when, args, moment in attempts:
        done = _killed(url, args, moment)
        context = f"killed {when} (seed {SEED}): exit {done.returncode}\n{done.stderr}"
        assert done.returncode in (0, -signal.SIGKILL), context
        _verified(cli, url)
        if snapshot(url) != before:
            # Only a kill after the commit may change the store, and then it holds it all.
            assert moment is not None and _landed_whole(url), context
            return
    # Killed just after its commit: the import is all there.
    done = _killed(url, ["committed", "import", book])
    assert done.returncode == -signal.SIGKILL, done.stderr
    assert _landed_whole(url)
    _verified(cli, url)


def test_two_imports_at_once_land_whole_or_not_at_all(prepared: str, cli, tmp_path: Path) -> None:
    url = prepared
    books = {tag: _book(tmp_path / f"{tag}.xlsx", tag) for tag in ("B", "C")}
    before = _ids(url, "B"), _ids(url, "C")
    assert before == ((0, 0), (0, 0))
    procs = {tag: _start(url, "import", str(path)) for tag, path in books.items()}
    results = {tag: (proc.wait(timeout=300), *proc.communicate()) for tag, proc in procs.items()}
    landed = 0
    for tag, (code, out, err) in results.items():
        if code == 0:
            landed += 1
            assert _ids(url, tag) == (ROWS, ROWS), f"{tag}: {out}"
        else:
            # Waited past the busy timeout: refused in one line, nothing written.
            assert code == 5 and err.count("\n") == 1 and "busy" in err, f"{tag}: exit {code}\n{err}"
            assert _ids(url, tag) == (0, 0)
    assert landed >= 1
    _verified(cli, url)
