"""Benchmark of relationship paths on fictional, seeded input: prints figures.

    python tests/benchmarks/bench_paths.py

1. Reading 10,000 Relationship cells as a workbook import does (`RELATIONSHIP.parse`),
   a third each in English, Korean and Japanese, as terms and as paths of 1-4 steps.
2. Building 10,000 pedigrees of 1-4 relatives with random canonical paths of 1-4
   steps (`kinship.build_pedigree`), and deriving the lines of 10,000 paths
   (`lineage.lines_for`).
No target: the figures show that paths cost nothing next to the likelihoods.
"""

from __future__ import annotations

import itertools
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import contextlib

from chosei.donor_lines import lines_for
from chosei.kinship import build_pedigree
from chosei.kinship.errors import KinshipInputError
from chosei.kinship.paths import STEPS, path_of
from chosei.vocab import RELATIONSHIP


def canonical_paths(max_len: int) -> list[str]:
    out = []
    for n in range(1, max_len + 1):
        for steps in itertools.product(STEPS, repeat=n):
            with contextlib.suppress(KinshipInputError):
                out.append(path_of(steps).text)
    return out


def main() -> None:
    rng = random.Random(12)
    paths = canonical_paths(4)
    cells = [RELATIONSHIP.label(rng.choice(paths), ("en", "ko", "ja")[i % 3]) for i in range(10_000)]
    start = time.perf_counter()
    parsed = [RELATIONSHIP.parse(c) for c in cells]
    took = time.perf_counter() - start
    print(f"1. {len(cells):,} Relationship cells (en/ko/ja, {len(paths)} distinct paths of 1-4 steps): "
          f"{took:.2f} s, {took / len(cells) * 1e6:.0f} µs a cell; {len(set(parsed))} distinct read")

    families = []
    for _ in range(10_000):
        chosen = rng.sample(paths, rng.randint(1, 4))
        ups = [p for p in chosen if all(s in ("father", "mother") for s in p.split("'s "))]
        if len(ups) != len(set(ups)):
            continue
        families.append([(f"R{i}", p) for i, p in enumerate(chosen)])
    start = time.perf_counter()
    people = sum(len(build_pedigree(f).persons) for f in families)
    took = time.perf_counter() - start
    print(f"2. {len(families):,} pedigrees of 1-4 relatives ({people:,} people): {took:.2f} s, "
          f"{took / len(families) * 1e6:.0f} µs a pedigree")
    sample = [rng.choice(paths) for _ in range(10_000)]
    start = time.perf_counter()
    for p in sample:
        lines_for(p)
    took = time.perf_counter() - start
    print(f"   lines of {len(sample):,} paths: {took:.3f} s")


if __name__ == "__main__":
    main()
