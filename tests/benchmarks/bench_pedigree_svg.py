"""Benchmark: drawing families (`chosei.reports.pedigree_svg`) and the HTML report with them.

Run: python tests/benchmarks/bench_pedigree_svg.py [--generations 6] [--children 3]

Prints the time (median of 5) and the SVG size for: a family of the vocabulary's every
term (about 30 people); a generated family of G generations in which each couple has C
children and every child marries in (all fictional ids; a two-cousin marriage loop is
added at the bottom); and `chosei report OUT.html` on the demo case (a fresh demo store),
with the number of families it draws.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from chosei.kinship import build_pedigree
from chosei.kinship.pedigree import RELATIONSHIPS, Pedigree, Person
from chosei.reports.pedigree_svg import pedigree_svg


def _median(fn, n: int = 5) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    times, out = [], None
    for _ in range(n):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def generated(generations: int, children: int) -> Pedigree:
    persons = [Person("G0-M", "M", None, None, "", False), Person("G0-F", "F", None, None, "", False)]
    couples = [("G0-M", "G0-F")]
    n = 0
    for g in range(1, generations):
        nxt = []
        for dad, mum in couples:
            for _ in range(children):
                n += 1
                sex = "M" if n % 2 else "F"
                kid = f"P{n}"
                persons.append(Person(kid, sex, dad, mum, "", g == generations - 1))
                if g < generations - 1:
                    spouse = f"S{n}"
                    persons.append(Person(spouse, "F" if sex == "M" else "M", None, None, "", False))
                    nxt.append((kid, spouse) if sex == "M" else (spouse, kid))
        couples = nxt
    last = [p for p in persons if p.id.startswith("P") and p.father is not None]
    males = [p.id for p in last[-children * 3:] if p.sex == "M"]
    females = [p.id for p in last[: children * 3] if p.sex == "F"]
    persons.append(Person("LOOP", "M", males[0], females[0], "", True))
    victim = next(p.id for p in reversed(persons) if p.sex == "M" and p.father is not None)
    return Pedigree(tuple(persons), victim)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--generations", type=int, default=6)
    parser.add_argument("--children", type=int, default=3)
    args = parser.parse_args()
    every = build_pedigree([(f"R{i}", t) for i, t in enumerate(RELATIONSHIPS)], victim_id="CH-1")
    took, svg = _median(lambda: pedigree_svg(every))
    print(f"every vocabulary term: {len(every.persons)} people, {took * 1000:.1f} ms, {len(svg):,} bytes")  # type: ignore[arg-type]
    big = generated(args.generations, args.children)
    took, svg = _median(lambda: pedigree_svg(big))
    print(f"generated {args.generations} generations x {args.children} children: {len(big.persons)} people, "
          f"{took * 1000:.1f} ms, {len(svg):,} bytes")  # type: ignore[arg-type]

    from typer.testing import CliRunner

    from chosei.cli import app

    with tempfile.TemporaryDirectory() as tmp:
        db = f"sqlite:///{Path(tmp) / 'demo.db'}"
        runner = CliRunner()
        runner.invoke(app, ["--db", db, "demo"], catch_exceptions=False)
        out = Path(tmp) / "r.html"
        took, _ = _median(lambda: runner.invoke(app, ["--db", db, "report", str(out)], catch_exceptions=False), 3)
        raw = out.read_text(encoding="utf-8")
        drawn = raw.count('<div class="family"')
        print(f"demo report: {took:.2f} s, {len(raw):,} bytes, {drawn} families drawn")


if __name__ == "__main__":
    main()
