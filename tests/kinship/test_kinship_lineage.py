"""Y-STR and mtDNA lines: who is on them, counting, tolerance, exclusion."""

from __future__ import annotations

import random

import numpy as np
import pytest

from chosei.kinship import (
    HaplotypeDatabase,
    KinshipInputError,
    LineageFamily,
    LineageRelative,
    MtHaplotype,
    YHaplotype,
    build_pedigree,
    clopper_pearson_upper,
    combined_lr,
    mt_lr,
    mt_lr_batch,
    y_lr,
    y_lr_batch,
)
from chosei.kinship.lineage import (
    _certainly_excluded,
    mt_line_meioses,
    y_line_meioses,
)
from chosei.kinship.pedigree import NON_GENETIC, RELATIONSHIPS
from chosei.kinship.y_mutation import Y_MAX_LOCI

GENETIC = [t for t in RELATIONSHIPS if t not in NON_GENETIC]
Y_LINE = {"father": 1, "son": 1, "brother": 2, "half-brother (paternal)": 2, "son's son": 2, "brother's son": 3}
MT_LINE_MALE = {
    "mother": 1,
    "brother": 2,
    "sister": 2,
    "half-brother (maternal)": 2,
    "half-sister (maternal)": 2,
    "sister's son": 3,
    "sister's daughter": 3,
}
MT_LINE_FEMALE = {**MT_LINE_MALE, "son": 1, "daughter": 1, "daughter's son": 2, "daughter's daughter": 2}


@pytest.mark.parametrize("term", GENETIC)
def test_lines_from_the_pedigree(term):
    male = build_pedigree({"R": term})
    assert y_line_meioses(male, "R") == Y_LINE.get(term)
    assert mt_line_meioses(male, "R") == MT_LINE_MALE.get(term)
    female = build_pedigree({"R": term}, victim_sex="F")
    assert y_line_meioses(female, "R") is None
    assert mt_line_meioses(female, "R") == MT_LINE_FEMALE.get(term)


HAP = {"DYS19": 14, "DYS385": "11,14", "DYS390": 24, "DYS391": 10}


def y_database(count: int = 0, others: int = 1000) -> HaplotypeDatabase:
    entries = [(YHaplotype.parse({**HAP, "DYS19": 15}), others - count)]
    if count:
        entries.append((YHaplotype.parse(HAP), count))
    return HaplotypeDatabase("Korean", tuple(entries))


def y_relative(rid: str, term: str, **changes: object) -> LineageRelative:
    return LineageRelative(rid, term, YHaplotype.parse({**HAP, **changes}))


def test_identical_y_gives_one_over_the_upper_bound():
    result = y_lr(YHaplotype.parse(HAP), [y_relative("S", "son")], y_database(), frequency="count")
    assert result.status == "match" and result.best == "S"
    assert (result.count, result.total) == (0, 1000)
    assert result.lr == pytest.approx(1 / 0.0036820839, rel=1e-7)


def test_multicopy_loci_compare_unordered():
    specimen = YHaplotype.parse({**HAP, "DYS385": (14, 11)})
    result = y_lr(specimen, [y_relative("S", "son", DYS385="14/11")], y_database(count=1))
    assert result.status == "match" and result.count == 1


def test_one_step_is_a_reduced_lr():
    specimen = YHaplotype.parse({**HAP, "DYS390": 25})
    result = y_lr(specimen, [y_relative("B", "brother")], y_database(), frequency="count")
    assert result.status == "mutation"
    assert result.comparisons[0].differences == ("DYS390: 25 vs 24",)
    # DYS390 (YHRD rate 2.08e-3), brother 2 meioses: one step up, by hand in test_kinship_y_mutation
    a1 = 2.08e-3 / 2 * 0.95 / (1 - 0.05**3)
    one_step = (2 * (1 - 2.08e-3 - 1e-5) * a1 + 2 * a1 * a1 * 0.05 + 2 * (a1 * 0.05) * (a1 * 0.05**2)
                + 3 * (1e-5 / 6) ** 2)
    assert result.lr == pytest.approx(one_step / 0.0036820839, rel=1e-7)


@pytest.mark.parametrize(
    "changes",
    [{"DYS385": "11,14,15"}, {"DYS390": 25, "DYS19": 15, "DYS391": 11, "DYS385": "12,14", "DYS448": 20}],
    ids=["copy-number", "five-loci"],
)
def test_beyond_the_model_is_an_exclusion(changes):
    specimen = YHaplotype.parse({**HAP, **changes, "DYS448": 20})
    relative = y_relative("S", "son", DYS448=19)
    result = y_lr(specimen, [relative], y_database())
    assert result.status == "exclusion" and result.lr == 0
    assert result.note == "the specimen's Y haplotype excludes it against S (son)"


def test_one_excluding_relative_excludes():
    specimen = YHaplotype.parse(HAP)
    relatives = [y_relative("S", "son"), y_relative("N", "brother's son", DYS385="11,12,14")]
    result = y_lr(specimen, relatives, y_database())
    assert result.status == "exclusion" and "N (brother's son)" in result.note


def test_exact_match_beats_a_closer_relative_with_a_step():
    specimen = YHaplotype.parse(HAP)
    relatives = [y_relative("S", "son", DYS390=25), y_relative("B", "brother")]
    result = y_lr(specimen, relatives, y_database())
    assert result.best == "B" and result.status == "match"


def test_y_needs_a_relative_on_the_line_and_a_male_victim():
    specimen = YHaplotype.parse(HAP)
    db = y_database()
    assert y_lr(specimen, [y_relative("D", "daughter's son")], db).status == "not applicable"
    assert y_lr(specimen, [y_relative("S", "son")], db, victim_sex="F").status == "not applicable"


def test_database_entries_without_the_markers_are_not_counted():
    db = HaplotypeDatabase(
        "x",
        (
            (YHaplotype.parse(HAP), 3),
            (YHaplotype.parse({"DYS19": 14}), 50),
            (YHaplotype.parse({**HAP, "DYS19": 13}), 7),
        ),
    )
    assert db.count(YHaplotype.parse(HAP)) == (3, 10)
    with pytest.raises(KinshipInputError, match="no haplotype in database 'x' covers"):
        db.count(YHaplotype.parse({"DYS448": 19}))


MT = "16223T 16362C 73G 263G"


def mt_database() -> HaplotypeDatabase:
    return HaplotypeDatabase("Korean", ((MtHaplotype.parse(MT), 2), (MtHaplotype.parse("16189C 73G 263G"), 998)))


@pytest.mark.parametrize(
    ("relative", "status", "lr"),
    [
        (MT, "match", 1 / clopper_pearson_upper(2, 1000)),
        ("16223T 73G 263G", "inconclusive", 1.0),
        ("16223T 73G", "exclusion", 0.0),
        ("16223C 16362C 73G 263G", "inconclusive", 1.0),
    ],
    ids=["identical", "one-difference", "two-differences", "other-base"],
)
def test_mtdna(relative, status, lr):
    result = mt_lr(MtHaplotype.parse(MT), [LineageRelative("M", "mother", MtHaplotype.parse(relative))], mt_database())
    assert result.status == status
    assert result.lr == pytest.approx(lr)


def test_mtdna_compares_only_the_ranges_both_read():
    specimen = MtHaplotype.parse(MT, ranges="16024-16365")
    relative = MtHaplotype.parse("16223T 16362C 150T 152C", ranges="16024-16365 73-340")
    db = HaplotypeDatabase(
        "x",
        (
            (MtHaplotype.parse("16223T 16362C", ranges="16024-16365"), 1),
            (MtHaplotype.parse("16189C", ranges="16024-16365"), 99),
        ),
    )
    result = mt_lr(specimen, [LineageRelative("B", "brother", relative)], db)
    assert result.status == "match" and (result.count, result.total) == (1, 100)


def test_mtdna_ignores_relatives_off_the_line():
    result = mt_lr(MtHaplotype.parse(MT), [LineageRelative("S", "son", MtHaplotype.parse("73G"))], mt_database())
    assert result.status == "not applicable" and result.lr == 1


@pytest.mark.parametrize("bad", ["16223", "T", "16223T 16223C"], ids=["no-base", "no-position", "twice"])
def test_bad_mtdna_is_refused(bad):
    with pytest.raises(KinshipInputError):
        MtHaplotype.parse(bad)


def test_lines_multiply_with_the_autosomal_lr():
    specimen = YHaplotype.parse(HAP)
    y = y_lr(specimen, [y_relative("S", "son")], y_database())
    mt = mt_lr(MtHaplotype.parse(MT), [], mt_database())
    assert combined_lr(50.0, y, mt) == pytest.approx(50.0 * y.lr)


def test_clopper_pearson_is_the_beta_quantile():
    from scipy.stats import beta

    for n in (1, 2, 7, 100, 499, 1000, 5000):
        for x in sorted({0, 1, 2, n // 3, n - 2, n - 1} & set(range(n))):
            for confidence in (0.9, 0.95, 0.99):
                expected = float(beta.ppf(1 - (1 - confidence) / 2, x + 1, n - x))
                assert clopper_pearson_upper(x, n, confidence) == expected, (x, n, confidence)


def test_clopper_pearson_all_successes_and_bad_input():
    assert clopper_pearson_upper(5, 5) == 1.0
    with pytest.raises(KinshipInputError, match="need whole numbers 0 <= x <= n and n >= 1"):
        clopper_pearson_upper(3, 2)


# --- indexed counting equals counting entry by entry ---------------------------------


def _naive_count(db: HaplotypeDatabase, query: YHaplotype | MtHaplotype) -> tuple[int, int]:
    """The database count written out: compare the query with every entry."""
    x = n = 0
    for entry, count in db.entries:
        if isinstance(query, YHaplotype):
            if not isinstance(entry, YHaplotype) or any(m not in entry.alleles for m in query.alleles):
                continue
            same = all(entry.alleles[m] == v for m, v in query.alleles.items())
        else:
            if not isinstance(entry, MtHaplotype):
                continue
            if (query.ranges is not None and entry.ranges is not None
                    and not all(any(lo <= a and b <= hi for lo, hi in entry.ranges) for a, b in query.ranges)):
                continue
            same = entry.states(query.ranges) == query.states(query.ranges)
        n += count
        x += count if same else 0
    return x, n


def _random_y(rng: random.Random, markers: list[str]) -> YHaplotype:
    values: dict[str, object] = {}
    for m in markers:
        if rng.random() < 0.15:
            continue  # untyped here
        if m == "DYS385":
            values[m] = f"{rng.randint(11, 13)},{rng.randint(13, 15)}" if rng.random() < 0.9 else "12"
        else:
            values[m] = rng.choice(["14", "15", "15", "16", "15.2"])
    return YHaplotype.parse(values)


def _random_mt(rng: random.Random) -> MtHaplotype:
    variants = sorted(rng.sample([16223, 16362, 16189, 73, 263, 150, 152], rng.randint(0, 4)))
    text = " ".join(f"{p}{rng.choice('TC')}" for p in variants)
    ranges = rng.choice([None, "16024-16365", "16024-16365 73-340", "16100-16300"])
    return MtHaplotype.parse(text, ranges=ranges)


def test_indexed_counts_equal_a_naive_count():
    rng = random.Random(4)
    markers = ["DYS19", "DYS385", "DYS390", "DYS391", "DYS392"]
    entries = [(_random_y(rng, markers), rng.randint(1, 5)) for _ in range(300)]
    entries += [(_random_mt(rng), rng.randint(1, 5)) for _ in range(300)]
    rng.shuffle(entries)
    db = HaplotypeDatabase("x", tuple(entries))
    queries = [h for h, _ in entries[:100]]
    queries += [_random_y(rng, markers) for _ in range(100)] + [_random_mt(rng) for _ in range(100)]
    counted = 0
    for query in queries:
        naive = _naive_count(db, query)
        if naive[1] == 0:
            with pytest.raises(KinshipInputError, match="covers the specimen's markers"):
                db.count(query)
            continue
        assert db.count(query) == naive, query
        counted += naive[0] > 0
    assert counted > 50  # the queries do find copies, not only zeros
    assert db == HaplotypeDatabase("x", tuple(entries))  # the index is no part of the value


# --- the batch forms give y_lr / mt_lr for every pair ---------------------------------

Y_LINE_TERMS = ["son", "brother", "father", "brother's son", "son's son", "daughter", "sister's son"]
MT_LINE_TERMS = ["mother", "brother", "sister", "sister's son", "son", "daughter's son"]


def _near(rng: random.Random, hap: YHaplotype) -> YHaplotype:
    """The haplotype with 0-2 one-step changes (so many pairs come close)."""
    values: dict[str, object] = dict(hap.alleles)
    for _ in range(rng.choice((0, 0, 1, 2))):
        marker = rng.choice(sorted(values))
        if isinstance(values[marker], str):
            values[marker] = str(float(values[marker]) + rng.choice((-1, 1))).removesuffix(".0")
    return YHaplotype.parse(values)


def _near_mt(rng: random.Random, hap: MtHaplotype) -> MtHaplotype:
    """The haplotype with 0-2 changes: a base swapped, a variant lost or gained."""
    variants = set(hap.variants)
    for _ in range(rng.choice((0, 0, 1, 2))):
        change = rng.choice(("swap", "lose", "gain"))
        if change == "swap" and variants:
            v = rng.choice(sorted(variants))
            variants = (variants - {v}) | {v[:-1] + ("C" if v.endswith("T") else "T")}
        elif change == "lose" and variants:
            variants.discard(rng.choice(sorted(variants)))
        elif change == "gain":
            variants.add(rng.choice(["16093C", "16311C", "195C"]))
    return MtHaplotype(frozenset(variants), hap.ranges if rng.random() < 0.5 else None)


def test_batches_equal_the_single_lrs():
    rng = random.Random(11)
    markers = ["DYS19", "DYS385", "DYS390", "DYS391", "DYS392"]
    founders = [_random_y(rng, markers) for _ in range(6)]
    y_db = HaplotypeDatabase("x", tuple((_near(rng, rng.choice(founders)), rng.randint(1, 9)) for _ in range(200)))
    mothers = [_random_mt(rng) for _ in range(6)]
    mt_db = HaplotypeDatabase("x", tuple((_near_mt(rng, rng.choice(mothers)), rng.randint(1, 9)) for _ in range(200)))
    families = []
    for v in range(12):
        rels = [LineageRelative(f"V{v}Y{i}", t, _near(rng, rng.choice(founders)))
                for i, t in enumerate(rng.sample(Y_LINE_TERMS, 2))]
        rels += [LineageRelative(f"V{v}M{i}", t, _near_mt(rng, rng.choice(mothers)))
                 for i, t in enumerate(rng.sample(MT_LINE_TERMS, 2))]
        families.append(LineageFamily(f"V{v}", tuple(rels), "F" if v % 5 == 4 else "M"))
    y_specimens = {f"S{i}": None if i % 7 == 6 else _near(rng, rng.choice(founders)) for i in range(40)}
    mt_specimens = {f"S{i}": None if i % 7 == 5 else _near_mt(rng, rng.choice(mothers)) for i in range(40)}
    y = y_lr_batch(y_specimens, families, y_db)
    mt = mt_lr_batch(mt_specimens, families, mt_db)
    statuses: set[str] = set()
    for i, sid in enumerate(y_specimens):
        for j, f in enumerate(families):
            for batch, hap, single, db in ((y, y_specimens[sid], y_lr, y_db), (mt, mt_specimens[sid], mt_lr, mt_db)):
                got = batch.lr[i, j]
                if hap is None:
                    assert np.isnan(got)
                    continue
                result = single(hap, list(f.relatives), db, victim_sex=f.victim_sex)
                statuses.add(result.status)
                assert np.isnan(got) if result.status == "not applicable" else got == result.lr, (sid, f.victim)
    assert statuses == {"match", "mutation", "inconclusive", "exclusion", "not applicable"}
    # the vectorised screen does the work for many excluded pairs, and never more
    lines = ((YHaplotype, y_lr, y_db, y_specimens), (MtHaplotype, mt_lr, mt_db, mt_specimens))
    for kind, single, db, specimens in lines:
        haps = [h for h in specimens.values() if h is not None]
        rels = [r.haplotype for f in families for r in f.relatives if isinstance(r.haplotype, kind)]
        screened = _certainly_excluded(haps, rels, "Y" if kind is YHaplotype else "mtDNA", Y_MAX_LOCI)
        assert screened.any() and not screened.all()
        term = "son" if kind is YHaplotype else "mother"
        for a in range(len(haps)):
            for b in range(len(rels)):
                status = single(haps[a], [LineageRelative("R", term, rels[b])], db).status  # type: ignore[arg-type]
                assert status == "exclusion" or not screened[a, b]


def test_a_batch_names_the_pair_the_database_cannot_count():
    db = HaplotypeDatabase("x", ((YHaplotype.parse({"DYS19": 14}), 10),))
    family = LineageFamily("V1", (y_relative("S", "son"),))
    with pytest.raises(KinshipInputError, match=r"^specimen X, victim V1: no haplotype in database 'x' covers"):
        y_lr_batch({"X": YHaplotype.parse(HAP)}, [family], db)
