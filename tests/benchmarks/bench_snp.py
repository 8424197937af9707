"""Benchmark and case simulation of dense SNP kinship, fictional data, seeded.

    python tests/benchmarks/bench_snp.py [--quick] [--skip-import]

1. Speed: 10,000 SNPs on 22 autosomes x 183 victims (one to three donors each, first to
   third degree) x 300 specimens, at theta 0 with chosei's defaults: CPU seconds, wall
   seconds, peak memory (target: under 2 minutes, under 2 GB).
2. The simulated Chosei case: the same 183 families with ONE donor each (a third of
   them third-degree: great-nephews and first cousins), 35 specimens from victims and
   265 from unrelated people, specimens missing 30 % of calls with 0.5 % wrong calls
   (donors: 2 % missing, 0.5 % wrong). Prints how many of the 35 are identified (true
   victim first, LR >= 10^4), wrong pairs at 10^4 or more, and over all wrong pairs the
   share with LR >= t against 1/t.
3. VCF import of 10,000 SNPs x 150 samples into a fresh SQLite store (target: 10 s).
"""

from __future__ import annotations

import argparse
import gzip
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from chosei.kinship.pedigree import build_pedigree
from chosei.kinship.snp_lr import SnpFamily, snp_lr_batch
from tests.kinship.snp_simulation import degrade, drop, linked_map, third_degree, unrelated

CLOSE = ["son", "brother", "father", "half-brother (paternal)", "son's son", "brother's son", "sister's son"]
THIRD = ["great-nephew", "first cousin"]


def families(rng, snps, n_victims, *, one_donor: bool):
    """(families, the victims' own genotypes, relationship labels)."""
    fams, victims, labels = [], [], []
    for i in range(n_victims):
        vid = f"V{i}"
        if one_donor:
            kind = THIRD[i % 2] if i % 3 == 0 else CLOSE[i % len(CLOSE)]
            ped = third_degree(kind, vid, f"D{i}") if kind in THIRD else build_pedigree({f"D{i}": kind}, victim_id=vid)
            donors = [f"D{i}"]
            labels.append(kind)
        else:
            k = 1 + i % 3
            terms = {f"D{i}.{j}": CLOSE[(i + 2 * j) % len(CLOSE)] for j in range(k)}
            if k == 1 and i % 2:
                ped = third_degree(THIRD[i % 4 // 2], vid, f"D{i}.0")
                labels.append(THIRD[i % 4 // 2])
            else:
                if "father" in terms.values() and list(terms.values()).count("father") > 1:
                    terms = {key: ("son" if t == "father" else t) for key, t in terms.items()}
                ped = build_pedigree(terms, victim_id=vid)
                labels.append(" + ".join(terms.values()))
            donors = [p.id for p in ped.persons if p.typed and p.id != vid]
        genotypes = drop(rng, ped, snps)
        fams.append(SnpFamily(ped, {d: degrade(rng, genotypes[d], 0.02, 0.005) for d in donors}))
        victims.append(genotypes[vid])
    return fams, victims, labels


def speed(rng, snps, quick: bool) -> None:
    n_vic = 30 if quick else 183
    fams, _, labels = families(rng, snps, n_vic, one_donor=False)
    specimens = degrade(rng, unrelated(rng, snps, 300), 0.3, 0.005)
    states = sorted({len(f.donors) for f in fams})
    cpu, wall = time.process_time(), time.perf_counter()
    snp_lr_batch(fams, specimens, snps)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    print(f"1. {len(snps):,} SNPs x {n_vic} victims (donors per family {states}) x 300 specimens: "
          f"CPU {cpu:.1f} s, wall {wall:.1f} s, peak RSS {peak_mb():.0f} MB")


def simulation(rng, snps, quick: bool) -> None:
    n_vic = 60 if quick else 183
    fams, victims, labels = families(rng, snps, n_vic, one_donor=True)
    truth = rng.choice(n_vic, size=35, replace=False)
    own = np.stack([victims[v] for v in truth])
    specimens = degrade(rng, np.concatenate([own, unrelated(rng, snps, 265)]), 0.3, 0.005)
    cpu = time.process_time()
    lr = snp_lr_batch(fams, specimens, snps).T  # (specimens, victims), log10
    cpu = time.process_time() - cpu
    identified = 0
    missed = []
    for s, v in enumerate(truth):
        best = int(np.argmax(lr[s]))
        if best == v and lr[s, v] >= 4:
            identified += 1
        else:
            missed.append(f"{labels[v]} (log10 LR {lr[s, v]:.2f}, best V{best} {lr[s, best]:.2f})")
    wrong = np.ones(lr.shape, dtype=bool)
    wrong[np.arange(35), truth] = False
    print(f"2. case simulation ({n_vic} families, 300 specimens, CPU {cpu:.1f} s): identified {identified} of 35; "
          f"wrong pairs with LR >= 10^4: {int((lr[wrong] >= 4).sum())} of {int(wrong.sum()):,}")
    for t in (1, 2, 3, 4):
        share = float(np.mean(lr[wrong] >= t))
        print(f"   wrong pairs with LR >= 10^{t}: share {share:.2e} (bound 1e-{t})")
    third = [lr[s, v] for s, v in enumerate(truth) if labels[v] in THIRD]
    if third:
        print(f"   true third-degree pairs: {len(third)}, log10 LR min {min(third):.2f}, median {np.median(third):.2f}")
    for m in missed:
        print(f"   not identified: {m}")


def vcf_import(rng, snps) -> None:
    from chosei.services.recovery import add_specimen
    from chosei.services.samples import add_sample
    from chosei.services.snp import import_frequencies, import_vcf
    from chosei.store import open_store, session_scope

    n = 150
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        table = root / "kr.tsv"
        lines = ["chrom\tpos\tref\talt\taf\tcm"]
        pos = {}
        for i in range(len(snps)):
            pos[i] = pos.get(i - 1, 0) + 1000 if i and snps.chrom[i] == snps.chrom[i - 1] else 1000
            lines.append(f"{snps.chrom[i]}\t{pos[i]}\tA\tG\t{snps.af[i]:.4f}\t{snps.cm[i]:.4f}")
        table.write_text("\n".join(lines) + "\n")
        calls = unrelated(rng, snps, n)
        text = {0: "0/0", 1: "0/1", 2: "1/1"}
        vcf = root / "run.vcf.gz"
        with gzip.open(vcf, "wt") as out:
            out.write("##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\t")
            out.write("\t".join(f"S-{k:03d}" for k in range(n)) + "\n")
            for i in range(len(snps)):
                out.write(f"{snps.chrom[i]}\t{pos[i]}\t.\tA\tG\t.\tPASS\t.\tGT\t")
                out.write("\t".join(text[int(c)] for c in calls[:, i]) + "\n")
        store = open_store(f"sqlite:///{root / 'bench.db'}")
        with session_scope(store, write=True) as s:
            add_specimen(s, {"id": "CH-001", "element": "femur"})
            for k in range(n):
                add_sample(s, {"id": f"S-{k:03d}", "specimen_id": "CH-001"})
            import_frequencies(s, table, "KR")
        wall = time.perf_counter()
        with session_scope(store, write=True) as s:
            result = import_vcf(s, vcf, "KR")
        wall = time.perf_counter() - wall
        store.dispose()
    print(f"3. VCF import, {len(snps):,} SNPs x {n} samples (gzip) into SQLite: {wall:.2f} s "
          f"({result['written']} samples written, {result['sites']:,} sites)")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--skip-import", action="store_true")
    args = parser.parse_args()
    rng = np.random.default_rng(13)
    snps = linked_map(rng, 10_000)
    speed(rng, snps, args.quick)
    simulation(rng, snps, args.quick)
    if not args.skip_import:
        vcf_import(rng, snps)


if __name__ == "__main__":
    main()
