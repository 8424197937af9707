"""Benchmark: `chosei match run` on a store of 1,000 specimens × 183 victims. Prints figures.

    python tests/benchmarks/bench_match.py [--specimens 1000] [--victims 183] [--keep PATH]

The store (SQLite, fictional, seeded) is built with raw inserts so building does not
dominate: 183 victims (136 KR, 47 JP, one frequency table each), each with 1-3
relatives of random relationships from the vocabulary who consent to analysis and are
typed at 23 autosomal STRs (plus 16 Y-STRs for the men and mtDNA for everybody);
1,000 specimens, 150 of them from victims, typed like old bone (20 % of markers
untyped, 10 % partial) with Y-STR and mtDNA. Y haplotypes are drawn around a few
clades, as real databases look, so many unrelated pairs survive the cheap Y screen and
get the exact comparison. Y and mtDNA databases of 500 haplotypes per population.

Then `chosei match run` (defaults: theta 0, stepwise mutation, dropout estimated per
specimen) runs in a fresh process:
wall time, CPU seconds (user + system of that process, from `getrusage`) and peak memory
are printed (target: under 10 s), with how many of the 150 specimens from victims have
their victim ranked first and how many candidates there are. On a shared, loaded
machine wall time includes waiting for a core; the CPU seconds are the figure to
compare between runs. `--repeat N` runs the match N times on the same store and prints
each run and the best. `--theta T`, `--mutation M`, `--y-frequency F` and `--mt-frequency F` are passed
to the match run; `--dropout P` is passed too; `--compare-dropout` times `--dropout 0` and
the dropout model on the same store and prints both best CPU times and their ratio
(target: under 2). `--demo` matches the store `chosei demo` builds instead (14 specimens, 88 victims with
typed relatives), e.g. `--demo --theta 0.01 --mutation stepwise`. `--assign` then times
`chosei match assign --json` on the stored run (the issue's target: 300 specimens × 183
victims under 10 s: `--specimens 300 --assign`).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from chosei.kinship.pedigree import NON_GENETIC, RELATIONSHIPS, build_pedigree

PY = sys.executable
SEED = 1942
MARKERS = [
    "D3S1358", "vWA", "D16S539", "CSF1PO", "TPOX", "D8S1179", "D21S11", "D18S51", "D2S441", "D19S433",
    "TH01", "FGA", "D22S1045", "D5S818", "D13S317", "D7S820", "SE33", "D10S1248", "D1S1656", "D12S391",
    "D2S1338", "Penta E", "Penta D",
]  # fmt: skip
Y_MARKERS = ["DYS19", "DYS389I", "DYS389II", "DYS390", "DYS391", "DYS392", "DYS393", "DYS385", "DYS437",
             "DYS438", "DYS439", "DYS448", "DYS456", "DYS458", "DYS635", "Y-GATA-H4"]
GENETIC = [t for t in RELATIONSHIPS if t not in NON_GENETIC]
POPS = ("KR", "JP")


class World:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.alleles = {}
        for m in MARKERS:
            start = rng.randint(5, 12)
            self.alleles[m] = [str(start + i) for i in range(rng.randint(8, 20))]
        self.freqs = {}
        for pop in POPS:
            table = {}
            for m, names in self.alleles.items():
                w = [rng.gammavariate(2.0, 1.0) for _ in names]
                counts = [max(1, round(x / sum(w) * 1000)) for x in w]  # out of 2N = 1000
                table[m] = [c / sum(counts) for c in counts]
            self.freqs[pop] = table
        self.clades = [[rng.randint(10, 20) for _ in Y_MARKERS] for _ in range(15)]
        self.motifs = [sorted(rng.sample(range(16024, 16366), 5)) for _ in range(12)]

    def person(self, pop: str) -> dict[str, tuple[str, str]]:
        return {m: tuple(self.rng.choices(self.alleles[m], weights=self.freqs[pop][m], k=2))  # type: ignore[misc]
                for m in MARKERS}

    def y(self) -> list[int]:
        hap = list(self.rng.choice(self.clades))
        for _ in range(self.rng.choice((0, 1, 1, 2, 3))):
            i = self.rng.randrange(len(hap))
            hap[i] += self.rng.choice((-1, 1))
        return hap

    def mt(self) -> str:
        motif = self.rng.choice(self.motifs)
        extra = {self.rng.randint(16024, 16365) for _ in range(self.rng.choice((0, 1, 2)))} - set(motif)
        return " ".join(sorted([f"{p}T" for p in motif] + [f"{p}C" for p in extra]))


def y_text(hap: list[int]) -> str:
    return ";".join(f"{m}={a}" for m, a in sorted(zip(Y_MARKERS, hap, strict=True)))


def genotype_rows(sample: str, auto, y=None, mt=None, rng=None, bone=False):  # type: ignore[no-untyped-def]
    for m, (a, b) in auto.items():
        roll = rng.random() if bone else 1.0
        if roll < 0.2:
            continue
        a, b = sorted((a, b), key=float)
        yield (sample, m, a, None if roll < 0.3 else b)
    if y is not None:
        for m, a in zip(Y_MARKERS, y, strict=True):
            yield (sample, m, str(a), None)
    if mt is not None:
        yield (sample, "mtDNA", mt, None)


def build(path: Path, n_specimens: int, n_victims: int) -> list[tuple[str, str]]:
    """Write the store; return (specimen, victim) for the specimens that come from victims."""
    from chosei.store import open_store

    open_store(f"sqlite:///{path}").dispose()  # schema via the migrations
    rng = random.Random(SEED)
    world = World(rng)
    con = sqlite3.connect(path)
    con.execute("PRAGMA synchronous=OFF")
    con.execute("INSERT INTO case_info (id, name, expected_total, expected_kr, expected_jp, demo, created_at, "
                "version) VALUES (1, 'bench', 183, 136, 47, 0, '2026-01-01', 1)")
    victims, relatives, consents, samples, genotypes = [], [], [], [], []
    truth_people = {}
    for v in range(n_victims):
        vid = f"V{v:04d}"
        pop = "KR" if v < round(n_victims * 136 / 183) else "JP"
        victims.append((vid, pop, f"Victim {v}", "M"))
        while True:
            terms = rng.sample(GENETIC, rng.randint(1, 3))
            if terms.count("father") <= 1 and terms.count("mother") <= 1:
                break
        ids = [f"{vid}-R{i}" for i in range(len(terms))]
        ped = build_pedigree(list(zip(ids, terms, strict=True)), victim_id=vid)
        auto, ys, mts = {}, {}, {}
        for p in ped.persons:
            if p.father is None:
                auto[p.id], mts[p.id] = world.person(pop), world.mt()
                ys[p.id] = world.y() if p.sex == "M" else None
            else:
                auto[p.id] = {m: (rng.choice(auto[p.father][m]), rng.choice(auto[p.mother][m])) for m in MARKERS}
                ys[p.id] = ys[p.father] if p.sex == "M" else None
                mts[p.id] = mts[p.mother]
        truth_people[vid] = (auto[vid], ys[vid], mts[vid])
        for rid, term in zip(ids, terms, strict=True):
            relatives.append((rid, vid, term))
            consents.append((rid,))
            sid = f"RS-{rid}"
            samples.append((sid, None, rid, "saliva"))
            genotypes += genotype_rows(sid, auto[rid], ys[rid], mts[rid], rng)
    sources = rng.sample(sorted(truth_people), min(150, n_victims))
    truth = []
    specimens = []
    for k in range(n_specimens):
        spid = f"SP{k:05d}"
        if k < len(sources):
            auto, y, mt = truth_people[sources[k]]
            truth.append((spid, sources[k]))
        else:
            auto, y, mt = world.person(rng.choice(POPS)), world.y(), world.mt()
        specimens.append((spid, rng.choice(("femur", "humerus", "tibia", "tooth", "cranium")),
                          rng.choice(("left", "right"))))
        samples.append((f"SS-{spid}", spid, None, "bone"))
        genotypes += genotype_rows(f"SS-{spid}", auto, y, mt, rng, bone=True)
    con.executemany("INSERT INTO victim (id, nationality, name_latin, sex, version) VALUES (?, ?, ?, ?, 1)", victims)
    con.executemany("INSERT INTO relative (id, victim_id, relationship, version) VALUES (?, ?, ?, 1)", relatives)
    con.executemany("INSERT INTO consent_event (relative_id, scope, event, date, version) "
                    "VALUES (?, 'analysis', 'given', '2025-10-01', 1)", consents)
    con.executemany("INSERT INTO specimen (id, element, side, version) VALUES (?, ?, ?, 1)", specimens)
    con.executemany("INSERT INTO sample (id, specimen_id, relative_id, type, status, version) "
                    "VALUES (?, ?, ?, ?, 'profiled', 1)", samples)
    con.executemany("INSERT INTO genotype (sample_id, marker, allele1, allele2, version) VALUES (?, ?, ?, ?, 1)",
                    genotypes)
    con.executemany(
        "INSERT INTO allele_frequency (population, marker, allele, frequency, sample_size, version) "
        "VALUES (?, ?, ?, ?, 500, 1)",
        [(pop, m, a, p) for pop in POPS for m in MARKERS
         for a, p in zip(world.alleles[m], world.freqs[pop][m], strict=True)])
    haps: dict[tuple[str, str, str], int] = {}
    for pop in POPS:
        for _ in range(500):
            for key in ((pop, "Y", y_text(world.y())), (pop, "mt", world.mt())):
                haps[key] = haps.get(key, 0) + 1
    con.executemany("INSERT INTO haplotype_count (population, kind, haplotype, count, version) "
                    "VALUES (?, ?, ?, ?, 1)", [(*k, n) for k, n in haps.items()])
    con.commit()
    con.close()
    print(f"store: {n_specimens} specimens, {n_victims} victims, {len(relatives)} relatives, "
          f"{len(genotypes):,} genotype rows")
    return truth


def run(path: Path, options: list[str], command: str = "run") -> tuple[float, float, float, str]:
    """`chosei match COMMAND` in a fresh process: wall time, CPU seconds, peak memory (MiB), stdout."""
    cmd = [PY, "-m", "chosei", "--db", str(path), "match", command, *options]
    code = (
        "import resource, subprocess, sys, time;"
        "t = time.perf_counter();"
        f"p = subprocess.run({cmd!r}, capture_output=True, text=True);"
        "w = time.perf_counter() - t;"
        "u = resource.getrusage(resource.RUSAGE_CHILDREN);"
        "sys.stderr.write(p.stderr); print(p.stdout);"
        "print(w, u.ru_utime + u.ru_stime, u.ru_maxrss / 1024, p.returncode)"
    )
    out = subprocess.run([PY, "-c", code], env=os.environ.copy(), capture_output=True, text=True, check=True)
    *lines, last = out.stdout.strip().splitlines()
    wall, cpu, peak, rc = last.split()
    if int(rc) != 0:
        raise SystemExit(f"match {command} exited {rc}: {out.stderr}")
    return float(wall), float(cpu), float(peak), "\n".join(lines)


def check(path: Path, truth: list[tuple[str, str]]) -> tuple[int, int, int]:
    """(specimens from victims whose victim ranks first, candidate pairs, wrong candidate pairs)."""
    con = sqlite3.connect(path)
    best = dict(con.execute(
        "SELECT specimen_id, victim_id FROM match_result m WHERE lr = "
        "(SELECT max(lr) FROM match_result WHERE specimen_id = m.specimen_id)"))
    pairs = con.execute("SELECT specimen_id, victim_id FROM identification WHERE status = 'candidate'").fetchall()
    con.close()
    true = set(truth)
    return sum(best.get(s) == v for s, v in truth), len(pairs), sum((s, v) not in true for s, v in pairs)


def compare_dropout(path: Path, options: list[str], repeat: int, truth: list[tuple[str, str]]) -> None:
    """Best CPU seconds of `repeat` runs without the dropout model and with it, and their ratio."""
    best = {}
    for label, extra in (("--dropout 0", ["--dropout", "0"]), ("--dropout auto", ["--dropout", "auto"])):
        cpus = []
        for _ in range(repeat):
            wall, cpu, peak, out = run(path, [*options, *extra])
            cpus.append(cpu)
            print(f"match run {label}: {wall:.2f} s wall, {cpu:.2f} s CPU, peak memory {peak:.0f} MiB")
        best[label] = min(cpus)
        first, candidates, wrong = check(path, truth)
        print(f"  {out.splitlines()[3] if len(out.splitlines()) > 3 else out}")
        print(f"  true victim ranked first for {first} of the {len(truth)} specimens from victims; "
              f"{candidates} candidate pairs, {wrong} wrong")
    ratio = best["--dropout auto"] / best["--dropout 0"]
    print(f"best CPU: {best['--dropout 0']:.2f} s without the model, {best['--dropout auto']:.2f} s with it: "
          f"ratio {ratio:.2f} (target: under 2)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--specimens", type=int, default=1000)
    parser.add_argument("--victims", type=int, default=183)
    parser.add_argument("--keep", type=Path, help="Build the store here and keep it.")
    parser.add_argument("--repeat", type=int, default=1, help="Run the match this many times (default 1).")
    parser.add_argument("--theta", type=float, help="Passed to match run (e.g. 0.01).")
    parser.add_argument("--mutation", help="Passed to match run (e.g. stepwise).")
    parser.add_argument("--y-frequency", help="Passed to match run (kappa, count, disclap or guarded).")
    parser.add_argument("--mt-frequency", help="Passed to match run (kappa or count).")
    parser.add_argument("--dropout", help="Passed to match run (auto, the default, or a number; 0: no model).")
    parser.add_argument("--compare-dropout", action="store_true",
                        help="Time --dropout 0 and the dropout model (auto) on the same store; print both and the "
                             "ratio (target: under 2).")
    parser.add_argument("--demo", action="store_true", help="Match the store `chosei demo` builds instead.")
    parser.add_argument("--assign", action="store_true",
                        help="Then time `chosei match assign --json` (target: 300 specimens × 183 victims under 10 s).")
    args = parser.parse_args()
    options = [*(["--theta", str(args.theta)] if args.theta is not None else [])]
    options += ["--mutation", args.mutation] if args.mutation else []
    options += ["--y-frequency", args.y_frequency] if args.y_frequency else []
    options += ["--mt-frequency", args.mt_frequency] if args.mt_frequency else []
    options += ["--dropout", args.dropout] if args.dropout else []
    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or Path(tmp) / "bench.db"
        path.unlink(missing_ok=True)
        start = time.perf_counter()
        if args.demo:
            subprocess.run([PY, "-m", "chosei", "--db", str(path), "demo"], check=True, capture_output=True)
            truth = []
        else:
            truth = build(path, args.specimens, args.victims)
        print(f"built in {time.perf_counter() - start:.1f} s")
        if args.compare_dropout:
            compare_dropout(path, options, max(1, args.repeat), truth)
            return
        figures = []
        for _ in range(max(1, args.repeat)):
            wall, cpu, peak, out = run(path, options)
            figures.append((wall, cpu, peak))
            print(f"match run: {wall:.2f} s wall, {cpu:.2f} s CPU, peak memory {peak:.0f} MiB "
                  "(target: under 10 s)")
        print(next((line for line in out.splitlines() if line.startswith("Pairs computed")), out))
        first, candidates, wrong = check(path, truth)
        if len(figures) > 1:
            print(f"best of {len(figures)}: {min(f[0] for f in figures):.2f} s wall, "
                  f"{min(f[1] for f in figures):.2f} s CPU, peak memory {min(f[2] for f in figures):.0f} MiB")
        ranked = f"true victim ranked first for {first} of the {len(truth)} specimens from victims; " if truth else ""
        wrong_text = f" ({wrong} of them wrong)" if truth else ""
        print(f"{ranked}{candidates} candidate pairs{wrong_text}")
        if args.assign:
            wall, cpu, peak, out = run(path, ["--json"], "assign")
            data = json.loads(out)
            print(f"match assign: {wall:.2f} s wall, {cpu:.2f} s CPU, peak memory {peak:.0f} MiB (target: under "
                  f"10 s); {len(data['units'])} units, {data['assigned']} assigned, {data['undisputed']} undisputed, "
                  f"{len(data['conflicts'])} conflicts")


if __name__ == "__main__":
    main()
