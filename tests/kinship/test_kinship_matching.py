"""Re-association of specimens, vectorised batch matching and pairwise LRs."""

from __future__ import annotations

import math
from itertools import combinations

import numpy as np
import pytest

from chosei.kinship import (
    Family,
    FrequencyTable,
    InconsistentFamilyError,
    KinshipInputError,
    MutationModel,
    Relative,
    direct_match,
    group_specimens,
    kinship_lr,
    match_batch,
    pairwise_lr,
)
from chosei.kinship.genotype_index import fold, index_of, size
from chosei.kinship.genotypes import Genotype, parse_profile, profile_alleles
from chosei.kinship.pedigree import NON_GENETIC, RELATIONSHIPS

FREQS = {"10": 0.1, "11": 0.2, "12": 0.3, "13": 0.4}
TABLE = FrequencyTable("t", {"M1": FREQS, "M2": FREQS})


# --- direct matches and grouping -------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "lr", "rmp"),
    [
        ("10/11", "10/11", 1 / 0.04, 0.04),
        ("10/-", "10/11", 1 / 0.19, 0.04),
        ("10/-", "10/-", 1 / (0.1 * 1.9), 0.19),
        ("10/-", "11/-", 2 * 0.1 * 0.2 / (0.19 * 0.36), 0.04),
        ("10/10", "10/10", 100, 0.01),
    ],
    ids=["full-full", "partial-full", "partial-same", "partial-different", "homozygous"],
)
def test_direct_match_one_marker(a, b, lr, rmp):
    match = direct_match({"M1": a}, {"M1": b}, TABLE)
    assert match.lr == pytest.approx(lr, rel=1e-12)
    assert match.random_match_probability == pytest.approx(rmp, rel=1e-12)
    assert match.compared_markers == ("M1",) and not match.is_exclusion


def test_direct_match_theta_is_the_conditional_match_probability():
    theta = 0.03
    match = direct_match({"M1": "10/11"}, {"M1": "10/11"}, TABLE, theta=theta)
    p, q = 0.1, 0.2
    cmp = 2 * (theta + (1 - theta) * p) * (theta + (1 - theta) * q) / ((1 + theta) * (1 + 2 * theta))
    assert match.random_match_probability == pytest.approx(cmp, rel=1e-12)
    assert match.lr == pytest.approx(1 / cmp, rel=1e-12)


@pytest.mark.parametrize(("a", "b"), [("10/11", "10/12"), ("10/-", "11/12")], ids=["full", "partial"])
def test_mismatch_is_an_exclusion(a, b):
    match = direct_match({"M1": a, "M2": "10/11"}, {"M1": b, "M2": "10/11"}, TABLE)
    assert match.lr == 0 and match.mismatched_markers == ("M1",)


def test_grouping_joins_components_and_reports_conflicts():
    profiles = {
        "femur": {"M1": "10/11", "M2": "12/13"},
        "humerus": {"M1": "10/11", "M2": "12/13"},
        "radius": {"M1": "10/-", "M2": "12/-"},
        "skull": {"M1": "12/13", "M2": "10/10"},
    }
    result = group_specimens(profiles, TABLE, threshold=10, cannot_link=[("femur", "humerus")])
    assert sorted(map(sorted, result.groups)) == [["femur", "humerus", "radius"], ["skull"]]
    assert result.conflicts == (("femur", "humerus", "marked as not the same person but grouped together"),)


def _naive_grouping(profiles, table, threshold, theta, cannot_link=()):
    """Grouping written out: every pair through `direct_match`, in order."""
    ids = list(profiles)
    parent = {i: i for i in ids}

    def root(i):
        while parent[i] != i:
            i = parent[i]
        return i

    matches = [direct_match(profiles[x], profiles[y], table, theta=theta, ids=(x, y)) for x, y in combinations(ids, 2)]
    for m in matches:
        if m.lr >= threshold:
            parent[root(m.a)] = root(m.b)
    groups = {}
    for i in ids:
        groups.setdefault(root(i), []).append(i)
    conflicts = [(m.a, m.b, "profiles exclude each other at " + ", ".join(m.mismatched_markers))
                 for m in matches if m.is_exclusion and root(m.a) == root(m.b)]
    conflicts += [(x, y, "marked as not the same person but grouped together")
                  for x, y in cannot_link if root(x) == root(y)]
    links = tuple(m for m in matches if m.lr >= threshold)
    return sorted(map(tuple, groups.values())), links, tuple(conflicts)


def _degraded(rng, genotypes, partial=0.25, missing=0.25):
    out = {}
    for m, (a, b) in genotypes.items():
        roll = rng.random()
        if roll < missing:
            continue
        out[m] = f"{a}/-" if roll < missing + partial else f"{a}/{b}"
    return out


@pytest.mark.parametrize("theta", [0.0, 0.02], ids=["plain", "theta"])
def test_grouping_equals_comparing_every_pair(theta):
    rng = np.random.default_rng(5)
    alleles = {m: [str(a) for a in range(8, 16)] for m in ("M1", "M2", "M3", "M4", "M5", "M6")}
    table = FrequencyTable("t", {m: {a: 0.1 for a in names[:-1]} for m, names in alleles.items()}, n={"M1": 50})
    # the last allele of each marker is unlisted (floored per pair); 0.3 is left as the rest allele
    people = [{m: tuple(rng.choice(names, 2)) for m, names in alleles.items()} for _ in range(25)]
    profiles = {}
    for k in range(90):
        person = people[k % 25] if k < 60 else people[int(rng.integers(25))]
        profiles[f"S{k:02d}"] = _degraded(rng, person)
    profiles["S90"] = {**profiles["S00"], "M1": "8/-"}  # a partial chain that may join exclusions
    cannot = [("S00", "S25"), ("S01", "S02")]
    found = set()
    for threshold in (20.0, 1e3, 1e5):
        got = group_specimens(profiles, table, threshold=threshold, theta=theta, cannot_link=cannot)
        groups, links, conflicts = _naive_grouping(profiles, table, threshold, theta, cannot)
        assert sorted(got.groups) == groups
        assert got.links == links
        assert got.conflicts == conflicts
        found |= {why.split()[0] for _, _, why in conflicts} | ({"links"} if len(groups) < len(profiles) else set())
    assert found == {"links", "profiles", "marked"}  # the case has links and both kinds of conflict
    # a threshold exactly at a pair's LR links that pair, as `direct_match` would
    edge = sorted(m.lr for m in links)[len(links) // 2]
    got = group_specimens(profiles, table, threshold=edge, theta=theta)
    assert got.links == _naive_grouping(profiles, table, edge, theta)[1]
    assert min(m.lr for m in got.links) == edge


def test_grouping_checks_its_threshold():
    with pytest.raises(KinshipInputError, match="threshold must be an LR above 1"):
        group_specimens({}, TABLE, threshold=0.5)


# --- observation indices -----------------------------------------------------------


def test_fold_covers_every_observation_once():
    n = 4
    ordered = np.arange(16, dtype=float).reshape(4, 4)
    folded = fold(ordered)
    assert folded.shape == (size(n),)
    index = {str(10 + i): i for i in range(n)}
    assert folded[index_of(Genotype("11", "13"), index, n)] == ordered[1, 3] + ordered[3, 1]
    assert folded[index_of(Genotype("12", "12"), index, n)] == ordered[2, 2]
    partial = folded[index_of(Genotype("11", None), index, n)]
    assert partial == ordered[1].sum() + ordered[:, 1].sum() - ordered[1, 1]
    assert folded[index_of(None, index, n)] == ordered.sum()


# --- batch and pairwise agree with the single LR ------------------------------------


def _random_profile(rng, markers, partial=0.2, missing=0.1):
    out = {}
    for m in markers:
        if rng.random() < missing:
            continue
        a, b = rng.choice(list(FREQS), 2, p=list(FREQS.values()))
        out[m] = f"{a}/-" if rng.random() < partial else f"{a}/{b}"
    return out


GENETIC = [t for t in RELATIONSHIPS if t not in NON_GENETIC]


def _families(rng, count):
    families = []
    for v in range(count):
        terms = [t for t in rng.choice(GENETIC, rng.integers(1, 4)) if t not in ("father", "mother")]
        terms = terms or ["son"]
        rels = tuple(
            Relative.of(f"V{v}R{i}", str(t), _random_profile(rng, ["M1", "M2"], 0, 0.2)) for i, t in enumerate(terms)
        )
        families.append(Family(f"V{v}", rels, "M" if v % 3 else "F"))
    return families


@pytest.mark.parametrize(
    ("theta", "mutation"),
    [
        (0.0, None),
        (0.0, MutationModel("stepwise", 0.01)),
        (0.02, None),
        (0.02, MutationModel("proportional", 0.01)),
        (0.02, MutationModel("stepwise", 0.01)),
    ],
    ids=["plain", "stepwise", "theta", "theta-proportional", "theta-stepwise"],
)
def test_batch_equals_single_lrs(theta, mutation):
    rng = np.random.default_rng(7)
    specimens = {f"S{i}": _random_profile(rng, ["M1", "M2"]) for i in range(6)}
    specimens["S0"]["M2"] = "9/10"  # an allele the table lacks: floored in both
    families = _families(rng, 5)
    result = match_batch(specimens, families, TABLE, theta=theta, mutation=mutation)
    every = [parse_profile(p) for p in specimens.values()]
    every += [r.profile for f in families for r in f.relatives]
    completed = TABLE.completed(profile_alleles(every))
    for i, s in enumerate(result.specimens):
        for j, family in enumerate(families):
            single = kinship_lr(
                specimens[s],
                list(family.relatives),
                completed,
                theta=theta,
                mutation=mutation,
                victim_sex=family.victim_sex,
                victim_id=family.victim,
            )
            assert result.log10_lr[i, j] == pytest.approx(single.log10_lr, rel=1e-9, abs=1e-12)
            assert result.excluded_markers[i, j] == len(single.excluded_markers)
            assert result.excluded_at(i, j) == tuple(sorted(single.excluded_markers))


def test_batch_candidates():
    table = FrequencyTable("t", {"M1": {"10": 0.01, "11": 0.99}})
    family = Family("V1", (Relative.of("S", "son", {"M1": "10/10"}),))
    other = Family("V2", (Relative.of("S2", "son", {"M1": "11/11"}),))
    result = match_batch({"X": {"M1": "10/10"}}, [family, other], table)
    assert result.lr[0, 0] == pytest.approx(100)
    assert result.candidates(floor=50) == [("X", "V1", pytest.approx(100))]
    assert math.isinf(result.log10_lr[0, 1]) and result.excluded_markers[0, 1] == 1


def test_batch_names_each_excluding_marker_and_reports_progress():
    table = FrequencyTable("t", {m: {"10": 0.1, "11": 0.2, "12": 0.3, "13": 0.4} for m in ("M3", "M1", "M2")})
    family = Family("V1", (Relative.of("S", "son", {"M1": "10/10", "M2": "11/11", "M3": "12/12"}),))
    other = Family("V2", (Relative.of("S2", "son", {"M1": "13/13", "M3": "12/13"}),))
    specimens = {
        "X": {"M3": "13/13", "M2": "11/12", "M1": "10/11"},
        "Y": {"M1": "13/13", "M3": "10/11"},
        "Z": {"M2": "11/12", "M1": "10/11"},
    }
    calls: list[tuple[int, int]] = []
    result = match_batch(specimens, [family, other], table, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 3), (2, 3), (3, 3)]
    assert result.markers == ("M1", "M2", "M3")  # sorted, whatever order the profiles give
    assert result.excluded.shape == (3, 2, 3)
    assert [[result.excluded_at(i, j) for j in range(2)] for i in range(3)] == [
        [("M3",), ("M1",)],
        [("M1", "M3"), ("M3",)],
        [(), ("M1",)],
    ]
    assert result.excluded_markers.tolist() == [[1, 1], [2, 1], [0, 1]]
    # Z and V1's son: AB/AA at M1 (1 / (2 × 0.1) = 5) and AB/BB at M2 (1 / (2 × 0.2) = 2.5)
    assert result.lr[2, 0] == pytest.approx(5 * 2.5, rel=1e-12)


def test_batch_names_the_inconsistent_family():
    family = Family(
        "V9",
        (
            Relative.of("F", "father", {"M1": "10/10"}),
            Relative.of("M", "mother", {"M1": "10/10"}),
            Relative.of("B", "brother", {"M1": "12/13"}),
        ),
    )
    with pytest.raises(InconsistentFamilyError, match="victim V9, marker M1"):
        match_batch({"X": {"M1": "10/11"}}, [family], TABLE)


@pytest.mark.parametrize(
    ("theta", "mutation"),
    [
        (0.0, None),
        (0.0, MutationModel("equal", 0.02)),
        (0.03, None),
        (0.03, MutationModel("equal", 0.02)),
        (0.03, MutationModel("stepwise", 0.01)),
    ],
    ids=["plain", "equal", "theta", "theta-equal", "theta-stepwise"],
)
def test_pairwise_equals_single_lrs(theta, mutation):
    rng = np.random.default_rng(3)
    specimens = {f"S{i}": _random_profile(rng, ["M1", "M2"]) for i in range(5)}
    relatives = [Relative.of(f"R{i}", t, _random_profile(rng, ["M1", "M2"])) for i, t in enumerate(GENETIC)]
    blocks = list(pairwise_lr(specimens, relatives, TABLE, theta=theta, mutation=mutation, block_bytes=1000))
    assert len(blocks) > 1  # the block size is honoured
    every = [parse_profile(p) for p in specimens.values()] + [r.profile for r in relatives]
    completed = TABLE.completed(profile_alleles(every))
    for block in blocks:
        for i, s in enumerate(block.specimens):
            for j, rel in enumerate(relatives):
                single = kinship_lr(specimens[s], [rel], completed, theta=theta, mutation=mutation)
                got = float(block.log10_lr[i, j])
                if single.total_lr == 0:
                    assert got == -math.inf
                else:
                    assert got == pytest.approx(single.log10_lr, abs=1e-5)




def test_batch_reports_victims_too_large_for_theta_with_mutation():
    alleles = {str(a): 1 / 20 for a in range(5, 25)}
    table = FrequencyTable("t", {"M": alleles})
    big = Family(
        "V1",
        tuple(
            Relative.of(f"R{i}", t, {"M": "10/11"})
            for i, t in enumerate(
                [
                    "son's son",
                    "daughter's son",
                    "brother's son",
                    "sister's son",
                    "half-brother (paternal)",
                    "half-brother (maternal)",
                ]
            )
        ),
    )  # 12 open founder genes: far beyond the 1-3 relatives of the vocabulary
    small = Family("V2", (Relative.of("S", "son", {"M": "10/11"}),))
    result = match_batch(
        {"X": {"M": "10/12"}}, [big, small], table, theta=0.01, mutation=MutationModel("stepwise", 0.002)
    )
    assert list(result.failures) == ["V1"] and result.failures["V1"].startswith("marker M: theta")
    assert np.isnan(result.log10_lr[0, 0]) and np.isfinite(result.log10_lr[0, 1])


def test_markers_typed_on_one_side_only_need_no_frequencies():
    family = Family("V1", (Relative.of("S", "son", {"M1": "10/11", "EXTRA1": "7/8"}),))
    result = match_batch({"X": {"M1": "10/11", "EXTRA2": "5/6"}}, [family], TABLE)
    assert result.markers == ("M1",)
    assert result.lr[0, 0] == pytest.approx(kinship_lr({"M1": "10/11"}, list(family.relatives), TABLE).total_lr)
    (block,) = pairwise_lr({"X": {"M1": "10/11", "EXTRA2": "5/6"}}, list(family.relatives), TABLE)
    assert 10 ** float(block.log10_lr[0, 0]) == pytest.approx(result.lr[0, 0], rel=1e-5)
