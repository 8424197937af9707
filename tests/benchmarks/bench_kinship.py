"""Benchmark of the kinship library on fictional data (seeded): prints figures.

    python tests/benchmarks/bench_kinship.py [--quick]

1. Batch matching: 1,000 specimens x 183 victims, each victim with 1-3 profiled
   relatives of random relationships from the vocabulary, 23 markers with 8-20
   alleles. Genotypes are dropped down each family's pedigree; 150 specimens come
   from victims (bone: 20 % of markers untyped, 10 % partial), the rest from
   unrelated people. Target: under 10 s on a 2-core machine (theta 0, no mutation).
   Also timed: stepwise mutation, theta = 0.01, and theta = 0.01 with stepwise
   mutation (tables over the specimen's genotype by gene flows, all 1,000).
2. theta = 0.01 with stepwise mutation (rate 0.002, range 0.5), one LR over 23
   markers of 20 alleles each, for families of 1, 2 and 3 relatives (son; son and
   brother; brother's son, sister's son and paternal half-brother) and for the
   slowest vocabulary family of 3 (son's daughter, daughter's son, sister's
   daughter: 9 open founder genes), with partial genotypes in the specimen.
3. Pairwise single-relative LRs: 10,000 specimens x 10,000 relatives, consumed block
   by block (best LR per specimen, count above 10,000), with time and peak memory.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from chosei.kinship import (
    ComplexityError,
    Family,
    FrequencyTable,
    MutationModel,
    Relative,
    kinship_lr,
    match_batch,
    pairwise_lr,
)
from chosei.kinship.pedigree import NON_GENETIC, RELATIONSHIPS, build_pedigree

SEED = 1942
MARKERS = [
    "D3S1358", "VWA", "D16S539", "CSF1PO", "TPOX", "D8S1179", "D21S11", "D18S51",
    "D2S441", "D19S433", "TH01", "FGA", "D22S1045", "D5S818", "D13S317", "D7S820",
    "SE33", "D10S1248", "D1S1656", "D12S391", "D2S1338", "PENTAE", "PENTAD",
]  # fmt: skip
GENETIC = [t for t in RELATIONSHIPS if t not in NON_GENETIC]


def make_table(rng: np.random.Generator) -> tuple[FrequencyTable, dict[str, tuple[list[str], np.ndarray]]]:
    freqs, draw = {}, {}
    for marker in MARKERS:
        n = int(rng.integers(8, 21))
        start = int(rng.integers(5, 20))
        alleles = [str(start + i) for i in range(n)]
        p = rng.dirichlet(np.full(n, 2.0))
        freqs[marker] = dict(zip(alleles, p.tolist(), strict=True))
        draw[marker] = (alleles, p / p.sum())
    return FrequencyTable("fictional", freqs, n={m: 500 for m in MARKERS}), draw


def drop_genes(pedigree, draw, rng) -> dict[str, dict[str, tuple[str, str]]]:
    out: dict[str, dict[str, tuple[str, str]]] = {p.id: {} for p in pedigree.persons}
    for marker, (alleles, p) in draw.items():
        genes: dict[str, tuple[int, int]] = {}
        for person in pedigree.persons:
            if person.is_founder:
                genes[person.id] = tuple(rng.choice(len(alleles), 2, p=p))
            else:
                genes[person.id] = (genes[person.father][rng.integers(2)], genes[person.mother][rng.integers(2)])
            out[person.id][marker] = tuple(alleles[g] for g in genes[person.id])
    return out


def as_profile(genes: dict[str, tuple[str, str]], rng, untyped=0.0, partial=0.0) -> dict[str, str]:
    profile = {}
    for marker, (a, b) in genes.items():
        roll = rng.random()
        if roll < untyped:
            continue
        profile[marker] = f"{a}/-" if roll < untyped + partial else f"{a}/{b}"
    return profile


def random_person(draw, rng) -> dict[str, tuple[str, str]]:
    return {m: tuple(alleles[i] for i in rng.choice(len(alleles), 2, p=p)) for m, (alleles, p) in draw.items()}


def make_case(rng, draw, n_victims=183, n_specimens=1000, from_victims=150):
    families, victims = [], []
    for v in range(n_victims):
        terms: list[str] = []
        while not terms:
            chosen = rng.choice(GENETIC, int(rng.integers(1, 4)))
            terms = [str(t) for t in chosen]
            if terms.count("father") > 1 or terms.count("mother") > 1:
                terms = []
        vid = f"V{v:03d}"
        pedigree = build_pedigree([(f"{vid}-R{i}", t) for i, t in enumerate(terms)], victim_id=vid)
        genes = drop_genes(pedigree, draw, rng)
        relatives = tuple(
            Relative.of(f"{vid}-R{i}", t, as_profile(genes[f"{vid}-R{i}"], rng)) for i, t in enumerate(terms)
        )
        families.append(Family(vid, relatives))
        victims.append(genes[vid])
    specimens = {}
    sources = rng.choice(n_victims, from_victims, replace=False)
    for k in range(n_specimens):
        genes = victims[sources[k]] if k < from_victims else random_person(draw, rng)
        specimens[f"S{k:05d}"] = as_profile(genes, rng, untyped=0.2, partial=0.1)
    return specimens, families, sources


def bench_batch(quick: bool) -> None:
    rng = np.random.default_rng(SEED)
    table, draw = make_table(rng)
    specimens, families, sources = make_case(rng, draw)
    n_rel = sum(len(f.relatives) for f in families)
    print(f"batch: {len(specimens)} specimens x {len(families)} victims ({n_rel} relatives), {len(MARKERS)} markers")
    for label, options, subset in [
        ("theta 0, no mutation", {}, None),
        ("theta 0, stepwise 0.002", {"mutation": MutationModel("stepwise", 0.002, range=0.5)}, None),
        ("theta 0.01, no mutation", {"theta": 0.01}, None),
        ("theta 0.01, stepwise 0.002", {"theta": 0.01, "mutation": MutationModel("stepwise", 0.002, range=0.5)}, None),
    ]:
        chosen = specimens if subset is None else dict(list(specimens.items())[:subset])
        start = time.perf_counter()
        result = match_batch(chosen, families, table, **options)
        elapsed = time.perf_counter() - start
        true_hits = sum(result.log10_lr[k, sources[k]] >= 4 for k in range(min(150, len(chosen))))
        failed = f", victims too large for the exact engine: {len(result.failures)}" if (result.failures) else ""
        print(
            f"  {label:28s} {len(chosen):5d} specimens: {elapsed:6.2f} s   "
            f"true victim at LR >= 10,000: {true_hits}/{min(150, len(chosen))}, "
            f"candidate pairs: {len(result.candidates())}{failed}"
        )


THETA_FAMILIES = [
    ["son"],
    ["son", "brother"],
    ["brother's son", "sister's son", "half-brother (paternal)"],
    ["son's daughter", "daughter's son", "sister's daughter"],
]


def bench_theta_mutation(quick: bool) -> None:
    rng = np.random.default_rng(SEED + 2)
    freqs, draw = {}, {}
    for marker in MARKERS:
        start = int(rng.integers(5, 12))
        alleles = [str(start + i) for i in range(20)]
        p = rng.dirichlet(np.full(20, 2.0))
        freqs[marker] = dict(zip(alleles, p.tolist(), strict=True))
        draw[marker] = (alleles, p / p.sum())
    table = FrequencyTable("fictional", freqs)
    model = MutationModel("stepwise", 0.002, range=0.5)
    print(f"theta 0.01 + stepwise 0.002: one LR, {len(MARKERS)} markers of 20 alleles")
    for terms in THETA_FAMILIES:
        pedigree = build_pedigree([(f"R{i}", t) for i, t in enumerate(terms)])
        genes = drop_genes(pedigree, draw, rng)
        relatives = [Relative.of(f"R{i}", t, as_profile(genes[f"R{i}"], rng)) for i, t in enumerate(terms)]
        specimen = as_profile(genes["V"], rng, partial=0.1)
        start = time.perf_counter()
        try:
            result = kinship_lr(specimen, relatives, table, theta=0.01, mutation=model)
        except ComplexityError as exc:
            print(f"  {' + '.join(terms):58s} {time.perf_counter() - start:6.2f} s   refused: {exc}")
            continue
        elapsed = time.perf_counter() - start
        plain = kinship_lr(specimen, relatives, table, mutation=model).total_lr
        print(
            f"  {' + '.join(terms):58s} {elapsed:6.2f} s   LR {result.total_lr:.4g} (theta 0: {plain:.4g})"
        )


def bench_pairwise(quick: bool) -> None:
    rng = np.random.default_rng(SEED + 1)
    table, draw = make_table(rng)
    size = 2_000 if quick else 10_000
    specimens = {f"S{k}": as_profile(random_person(draw, rng), rng, 0.2, 0.1) for k in range(size)}
    terms = rng.choice(GENETIC, size)
    relatives = [Relative.of(f"R{k}", str(t), as_profile(random_person(draw, rng), rng)) for k, t in enumerate(terms)]
    tracemalloc.start()
    start = time.perf_counter()
    best = np.full(size, -np.inf, dtype=np.float32)
    above = 0
    offset = 0
    blocks = 0
    for block in pairwise_lr(specimens, relatives, table):
        rows = len(block.specimens)
        best[offset : offset + rows] = block.log10_lr.max(axis=1)
        above += int(np.count_nonzero(block.log10_lr >= 4))
        offset += rows
        blocks += 1
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    pairs = size * size
    print(f"pairwise: {size:,} specimens x {size:,} single-relative LRs = {pairs:,} pairs, {len(MARKERS)} markers")
    print(
        f"  {elapsed:6.2f} s ({pairs / elapsed / 1e6:.1f} M pairs/s), {blocks} blocks, "
        f"peak traced memory {peak / 2**20:.0f} MiB, max RSS {rss:.0f} MiB, "
        f"pairs with LR >= 10,000: {above}"
    )
    # With theta and a mutation model the tables, one flow sum per relative observation,
    # cost far more than the look-ups: time them on a few pairs of every relationship.
    few = dict(list(specimens.items())[:200])
    start = time.perf_counter()
    for _ in pairwise_lr(few, relatives[:200], table, theta=0.01, mutation=MutationModel("stepwise", 0.002)):
        pass
    kinds = len(set(map(str, terms[:200])))
    print(f"  theta 0.01 with stepwise mutation: the tables of {kinds} relationships x {len(MARKERS)} "
          f"markers in {time.perf_counter() - start:.1f} s (200 x 200 pairs)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller pairwise run")
    parser.add_argument("--only", choices=["batch", "theta", "pairwise"], help="run one part")
    args = parser.parse_args()
    for name, part in [("batch", bench_batch), ("theta", bench_theta_mutation), ("pairwise", bench_pairwise)]:
        if args.only in (None, name):
            part(args.quick)


if __name__ == "__main__":
    main()
