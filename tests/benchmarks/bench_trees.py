"""Benchmark: `chosei match run` on the demo case, as it is and with a quarter of its
families rewritten as equivalent family trees. Prints figures.

    python tests/benchmarks/bench_trees.py [--repeat 3] [--share 0.25] [--theta T] [--mutation M]

`chosei demo` builds the store (SQLite, fictional). A copy gets, for every fourth victim
with typed relatives, a family tree saying exactly what the relationship terms say:
`build_pedigree` on his typed relatives, its untyped connecting people relabelled
(`V-001:father` → `V-001-father`), typed `spouse` / `other` relatives as founders. Each
store is matched `--repeat` times in a fresh process (`match run`, defaults theta 0,
stepwise mutation, unless given); the best wall and CPU seconds of each are printed
with their ratio (target: trees ≤ 1.5 × terms), then the stored LRs of the two runs
are compared pair by pair (they must be equal to 1e-9 relative).
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_match import run

PY = sys.executable


def rewrite_as_trees(path: Path, share: float) -> list[str]:
    """Give every 1/share-th victim with typed relatives an equivalent tree; their IDs."""
    from sqlalchemy import select

    from chosei.kinship.pedigree import NON_GENETIC, build_pedigree
    from chosei.models import Relative, Victim
    from chosei.services.family import _typed_relatives, set_family
    from chosei.store import open_store, session_scope

    store = open_store(f"sqlite:///{path}")
    done = []
    try:
        with session_scope(store, actor="bench", write=True) as s:
            relatives = list(s.execute(select(Relative).order_by(Relative.id)).scalars())
            typed = _typed_relatives(s, [r.id for r in relatives])
            by_victim: dict[str, list[Relative]] = {}
            for r in relatives:
                if r.id in typed:
                    by_victim.setdefault(r.victim_id, []).append(r)
            step = round(1 / share)
            for k, vid in enumerate(sorted(by_victim)):
                if k % step:
                    continue
                victim = s.get(Victim, vid)
                sex = victim.sex if victim.sex in ("M", "F") else "M"
                rels = by_victim[vid]
                ped = build_pedigree([(r.id, r.relationship) for r in rels if r.relationship not in NON_GENETIC],
                                     victim_sex=sex, victim_id=vid)
                label = {p.id: p.id.replace(":", "-") for p in ped.persons}
                people = [{"label": label[p.id], "father": label.get(p.father or ""),
                           "mother": label.get(p.mother or ""), "sex": p.sex} for p in ped.persons]
                people += [{"label": r.id, "sex": r.sex if r.sex in ("M", "F") else "M"}
                           for r in rels if r.relationship in NON_GENETIC]
                set_family(s, vid, people)
                done.append(vid)
    finally:
        store.dispose()
    return done


def lrs(path: Path) -> dict[tuple[str, str], float]:
    con = sqlite3.connect(path)
    out = {(s, v): lr for s, v, lr in con.execute("SELECT specimen_id, victim_id, lr FROM match_result")}
    con.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--share", type=float, default=0.25, help="Share of the families given as trees.")
    parser.add_argument("--theta", type=float)
    parser.add_argument("--mutation")
    args = parser.parse_args()
    options = [*(["--theta", str(args.theta)] if args.theta is not None else [])]
    options += ["--mutation", args.mutation] if args.mutation else []
    with tempfile.TemporaryDirectory() as tmp:
        terms, trees = Path(tmp) / "terms.db", Path(tmp) / "trees.db"
        start = time.perf_counter()
        subprocess.run([PY, "-m", "chosei", "--db", str(terms), "demo"], check=True, capture_output=True)
        shutil.copy(terms, trees)
        rewritten = rewrite_as_trees(trees, args.share)
        print(f"built in {time.perf_counter() - start:.1f} s; {len(rewritten)} families rewritten as trees")
        best = {}
        for name, path in (("terms", terms), ("trees", trees)):
            figures = [run(path, options)[:2] for _ in range(max(1, args.repeat))]
            best[name] = (min(f[0] for f in figures), min(f[1] for f in figures))
            print(f"match run, {name}: best of {len(figures)}: {best[name][0]:.2f} s wall, {best[name][1]:.2f} s CPU")
        print(f"ratio trees / terms: {best['trees'][0] / best['terms'][0]:.2f} wall, "
              f"{best['trees'][1] / best['terms'][1]:.2f} CPU (target: at most 1.5)")
        a, b = lrs(terms), lrs(trees)
        differ = [k for k in a if k not in b or abs(a[k] - b[k]) > 1e-9 * max(abs(a[k]), 1e-300)]
        print(f"{len(a)} stored pairs; {len(differ)} differ" + (f": {differ[:5]}" if differ else " (LRs equal)"))
        if differ or set(a) != set(b):
            raise SystemExit("the trees changed some LRs")


if __name__ == "__main__":
    main()
