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

`--limits [--typed N] [--theta T] [--mutation M]` instead times one family at the size
limits of `kinship.trees` (the figures in docs/kinship.md): a loop-free family of 47
people with up to 12 typed grandsons of V's siblings, and two first-cousin marriages
under five generations of ancestors (25 people, up to 8 typed), each against 1,000
specimens at 23 markers of 12 alleles.
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
    from chosei.services.family import relatives_with_dna, set_family
    from chosei.store import open_store, session_scope

    store = open_store(f"sqlite:///{path}")
    done = []
    try:
        with session_scope(store, actor="bench", write=True) as s:
            relatives = list(s.execute(select(Relative).order_by(Relative.id)).scalars())
            typed = relatives_with_dna(s, [r.id for r in relatives])
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


def _flat_family():  # type: ignore[no-untyped-def]
    """No loop: G0 × G0W, five children (V the first son), each married with three
    children, each of them married with a son; the typed are the grandsons."""
    from chosei.kinship.trees import TreePerson

    people = [TreePerson("G0", sex="M"), TreePerson("G0W", sex="F")]
    typed = []
    for k in range(5):
        pid, sex = f"P{k}", "M" if k < 3 else "F"
        people += [TreePerson(pid, "G0", "G0W", sex), TreePerson(f"{pid}S", sex="F" if sex == "M" else "M")]
        parents = (pid, f"{pid}S") if sex == "M" else (f"{pid}S", pid)
        for j in range(3):
            child, csex = f"{pid}c{j}", "F" if j == 1 else "M"
            people += [TreePerson(child, *parents, csex), TreePerson(f"{child}S", sex="F" if csex == "M" else "M")]
            cparents = (child, f"{child}S") if csex == "M" else (f"{child}S", child)
            people.append(TreePerson(f"{child}k", *cparents, "M"))
            if k:
                typed.append(f"{child}k")
    return people, "P0", typed


def _cousin_family(generations: int, above: int):  # type: ignore[no-untyped-def]
    """`above` paternal ancestors over G0 × G0W, then `generations` first-cousin marriages."""
    from chosei.kinship.trees import TreePerson

    people: list = []
    parents: tuple = (None, None)
    for a in range(above, 0, -1):
        people += [TreePerson(f"A{a}", *parents, "M"), TreePerson(f"AW{a}", sex="F")]
        parents = (f"A{a}", f"AW{a}")
    people += [TreePerson("G0", *parents, "M"), TreePerson("G0W", sex="F")]
    couple = ("G0", "G0W")
    for g in range(1, generations + 1):
        people += [TreePerson(f"S{g}", *couple, "M"), TreePerson(f"D{g}", *couple, "F"),
                   TreePerson(f"SW{g}", sex="F"), TreePerson(f"DH{g}", sex="M"),
                   TreePerson(f"C{g}", f"S{g}", f"SW{g}", "M"), TreePerson(f"K{g}", f"DH{g}", f"D{g}", "F")]
        couple = (f"C{g}", f"K{g}")
    return [*people, TreePerson("V", *couple, "M")], "V", ["SW1", "DH1", "SW2", "DH2", "C1", "K1", "S1", "D1"]


def limits(n_typed: int, theta: float, mutation: str, specimens: int) -> None:
    """Time one family at the size limits: `match_batch`, 23 markers of 12 alleles,
    genotypes gene-dropped through the tree, `specimens` random specimens."""
    import random

    import numpy as np

    from chosei.kinship import Family, FrequencyTable, Genotype, MutationModel, Relative, match_batch
    from chosei.kinship.trees import check_size, loops, tree_pedigree

    rng = random.Random(1942)
    alleles = [str(8 + i) for i in range(12)]
    table = FrequencyTable("X", {f"M{i}": dict(zip(alleles, np.random.default_rng(i).dirichlet(np.ones(12)),
                                                    strict=True)) for i in range(23)})
    model = None if mutation == "none" else MutationModel(mutation, 0.002)  # type: ignore[arg-type]
    for name, (people, victim, typed) in (("no loop", _flat_family()), ("two loops", _cousin_family(2, 5))):
        typed = typed[:n_typed]
        ped = tree_pedigree(people, victim, [victim, *typed])
        check_size(ped, victim)
        genes: dict = {}
        for p in people:
            for m in table.markers:
                genes[p.label, m] = ((rng.choice(alleles), rng.choice(alleles)) if p.father is None else
                                     (rng.choice(genes[p.father, m]), rng.choice(genes[p.mother, m])))
        rels = tuple(Relative(t, "other", {m: Genotype(*genes[t, m]) for m in table.markers}) for t in typed)
        specs = {f"S{i}": {m: Genotype(rng.choice(alleles), rng.choice(alleles)) for m in table.markers}
                 for i in range(specimens)}
        start = time.process_time()
        result = match_batch(specs, [Family(victim, rels, ped.victim_sex, ped)], table, theta=theta, mutation=model)
        cpu = time.process_time() - start
        spread = float(np.nanstd(result.log10_lr))
        print(f"{name}: {len(ped.persons)} people, {len(typed)} typed, {loops(ped)[0]} loops; theta {theta:g}, "
              f"mutation {mutation}: {cpu:.2f} s CPU for {specimens} specimens x {len(result.markers)} markers "
              f"(sd of log10 LR {spread:.2f})" + (f"; refused: {result.failures}" if result.failures else ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--share", type=float, default=0.25, help="Share of the families given as trees.")
    parser.add_argument("--theta", type=float)
    parser.add_argument("--mutation")
    parser.add_argument("--limits", action="store_true",
                        help="Instead, time one family at the size limits (see docs/kinship.md).")
    parser.add_argument("--typed", type=int, default=12, help="With --limits: typed relatives (at most 12).")
    args = parser.parse_args()
    if args.limits:
        limits(args.typed, args.theta or 0.0, args.mutation or "stepwise", 1000)
        return
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
