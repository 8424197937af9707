"""theta > 0 together with a mutation model: the gene-flow engine against independent sums.

* the brute-force reference (every gene of every person, 2-3 alleles), on random
  vocabulary families of 1-3 relatives with partial genotypes;
* the engine's own fallbacks, which share none of the gene-flow code: the founder
  alleles enumerated against the Polya urn, and the urn expanded into set partitions
  with one tensor contraction each (4-6 alleles, where the brute force cannot go);
* the family of 20 alleles that was refused before, against the set partitions.
"""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from chosei.kinship import ComplexityError, FrequencyTable, MutationModel, Relative, kinship_lr
from chosei.kinship import flows as flows_module
from chosei.kinship import likelihood as likelihood_module
from chosei.kinship.genotypes import Genotype
from chosei.kinship.likelihood import Marker, marker_likelihood, victim_tables_theta
from chosei.kinship.pedigree import NON_GENETIC, RELATIONSHIPS, build_pedigree
from chosei.kinship.urn import bell, partition_function, set_partitions
from tests.kinship.kinship_reference import brute_likelihood, polya

GENETIC = [t for t in RELATIONSHIPS if t not in NON_GENETIC]
MODELS = ["equal", "proportional", "stepwise"]


def _drop(pedigree, n, freqs, mutation, rng):
    genes = {}
    for p in pedigree.persons:
        if p.is_founder:
            genes[p.id] = tuple(rng.choices(range(n), weights=freqs, k=2))
        else:
            genes[p.id] = tuple(
                rng.choices(range(n), weights=list(mutation[rng.choice(genes[parent])]))[0]
                for parent in (p.father, p.mother)
            )
    return genes


def _observe(genes, n, rng):
    roll = rng.random()
    if roll < 0.1:
        return None
    if roll < 0.4:
        return (rng.choice(genes), None)  # partial: a/-
    if roll < 0.5:
        return (rng.randrange(n), rng.randrange(n))
    return genes


@st.composite
def families(draw, alleles: tuple[int, int]):
    terms = draw(st.lists(st.sampled_from(GENETIC), min_size=1, max_size=3))
    assume(terms.count("father") <= 1 and terms.count("mother") <= 1)
    sex = draw(st.sampled_from(["M", "F"]))
    pedigree = build_pedigree([(f"R{i}", t) for i, t in enumerate(terms)], victim_sex=sex)
    n = draw(st.integers(*alleles))
    names = [str(9 + k) for k in range(n)]
    if draw(st.booleans()):
        names[-1] = f"{9 + n - 2}.2"  # a microvariant: a group of its own under stepwise
    weights = draw(st.lists(st.floats(0.05, 1.0), min_size=n, max_size=n))
    freqs = dict(zip(names, [w / sum(weights) for w in weights], strict=True))
    theta = draw(st.sampled_from([0.01, 0.05, 0.3]))
    kind = draw(st.sampled_from(MODELS))
    model = MutationModel(
        kind,
        draw(st.sampled_from([0.002, 0.05, 0.2])),
        draw(st.sampled_from([0.1, 0.5, 1.0])),
        draw(st.sampled_from([0.0, 0.05])) if kind == "stepwise" else 0.0,
    )
    return pedigree, terms, names, freqs, theta, model, draw(st.integers(0, 2**32 - 1))


def _case(family):
    pedigree, terms, names, freqs, theta, model, seed = family
    rng = random.Random(seed)
    mf = FrequencyTable("test", {"M": freqs}).marker("M")
    assume(mf.alleles == tuple(sorted(names, key=float)))  # no rest allele from rounding
    try:
        matrix = model.matrix(mf)
    except ValueError:
        assume(False)
    n = len(names)
    genes = _drop(pedigree, n, list(mf.freqs), matrix, rng)
    typed = {f"R{i}": obs for i in range(len(terms)) if (obs := _observe(genes[f"R{i}"], n, rng))}
    specimen = _observe(genes["V"], n, rng) or (genes["V"][0], None)
    return pedigree, mf, matrix, typed, specimen, theta


def _genotype(mf, obs):
    a, b = obs
    return Genotype.of(mf.alleles[a], None if b is None else mf.alleles[b])


def _h1_h2(pedigree, mf, matrix, typed, specimen, theta):
    engine = Marker.of(mf, matrix)
    family = {pid: _genotype(mf, o) for pid, o in typed.items()}
    h1 = marker_likelihood(pedigree, {**family, "V": _genotype(mf, specimen)}, engine, theta=theta)
    h2 = marker_likelihood(pedigree, family, engine, theta=theta, unrelated=[_genotype(mf, specimen)])
    return h1, h2


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(families((2, 3)))
def test_gene_flows_equal_brute_force(family):
    pedigree, mf, matrix, typed, specimen, theta = _case(family)
    people = len(pedigree.persons) + 1
    founders = sum(p.is_founder for p in pedigree.persons) + 1
    assume(mf.n_alleles ** (2 * people) <= 1 << 20 and mf.n_alleles ** (2 * founders) <= 20_000)
    h1, h2 = _h1_h2(pedigree, mf, matrix, typed, specimen, theta)
    freqs = list(mf.freqs)
    assert h1 == pytest.approx(brute_likelihood(pedigree, {**typed, "V": specimen}, freqs, matrix, theta), rel=1e-9)
    assert h2 == pytest.approx(brute_likelihood(pedigree, typed, freqs, matrix, theta, [specimen]), rel=1e-9)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(families((4, 6)), st.sampled_from(["enumeration", "set partitions"]))
def test_gene_flows_equal_the_fallbacks(family, fallback):
    case = _case(family)
    h1, h2 = _h1_h2(*case)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(flows_module, "MAX_WORK", 0)  # every gene-flow sum refuses: the fallback runs
        if fallback == "set partitions":
            mp.setattr(likelihood_module, "MAX_URN_CELLS", 0)
        try:
            f1, f2 = _h1_h2(*case)
        except ComplexityError:
            assume(False)  # too many open genes for this fallback
    assert h1 == pytest.approx(f1, rel=1e-9, abs=1e-300)
    assert h2 == pytest.approx(f2, rel=1e-9, abs=1e-300)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(families((3, 5)))
def test_tables_over_the_specimen_equal_one_genotype_at_a_time(family):
    pedigree, mf, matrix, typed, _, theta = _case(family)
    engine = Marker.of(mf, matrix)
    relatives = {pid: _genotype(mf, o) for pid, o in typed.items()}
    h1, h2 = victim_tables_theta(pedigree, relatives, engine, theta)
    n = mf.n_alleles
    for x in range(n):
        for y in range(x, n):
            g = _genotype(mf, (x, y))
            single1 = marker_likelihood(pedigree, {**relatives, "V": g}, engine, theta=theta)
            single2 = marker_likelihood(pedigree, relatives, engine, theta=theta, unrelated=[g])
            for table, single in ((h1, single1), (h2, single2)):
                unordered = table[x, y] + table[y, x] if x != y else table[x, x]
                assert unordered == pytest.approx(single, rel=1e-9, abs=1e-300)


FAMILY = ["brother's son", "sister's son", "half-brother (paternal)"]
TWENTY = {str(a): 1 / 20 for a in range(5, 25)}
STEPWISE = MutationModel("stepwise", 0.002)


def _large_family_lr(freqs):
    table = FrequencyTable("t", {"M": freqs})
    family = [Relative.of(f"R{i}", t, {"M": "10/11"}) for i, t in enumerate(FAMILY)]
    return kinship_lr({"M": "10/12"}, family, table, theta=0.01, mutation=STEPWISE).markers[0]


def test_large_family_with_twenty_alleles_equals_the_set_partitions():
    # refused before: 7 open founder genes, 20^7 = 1.28e9 founder-allele combinations
    result = _large_family_lr(TWENTY)
    assert result.lr == pytest.approx(2.420690626688052, rel=1e-9)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(flows_module, "MAX_WORK", 0)
        mp.setattr(likelihood_module, "MAX_URN_CELLS", 0)
        partitions = _large_family_lr(TWENTY)
    assert result.h1 == pytest.approx(partitions.h1, rel=1e-9)
    assert result.h2 == pytest.approx(partitions.h2, rel=1e-9)


def test_large_family_with_eight_alleles_equals_the_enumeration():
    eight = {str(a): 1 / 8 for a in range(5, 13)}
    result = _large_family_lr(eight)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(flows_module, "MAX_WORK", 0)  # 8^7 = 2,097,152 combinations: enumerated
        enumerated = _large_family_lr(eight)
    assert result.h1 == pytest.approx(enumerated.h1, rel=1e-9)
    assert result.h2 == pytest.approx(enumerated.h2, rel=1e-9)
    assert result.lr == pytest.approx(1.3080006985704442, rel=1e-9)


@pytest.mark.parametrize("n", range(7), ids=[f"n{n}" for n in range(7)])
def test_set_partitions_count_to_the_bell_numbers(n):
    assert [bell(k) for k in range(7)] == [1, 1, 2, 5, 15, 52, 203]
    assert sum(count for _, count in set_partitions(n)) == bell(n)
    assert sum(count for _, count in set_partitions(n, ((0, 1),) if n >= 2 else ())) == bell(n)


@pytest.mark.parametrize("theta", [0.0, 0.02, 0.3], ids=["theta0", "theta0.02", "theta0.3"])
def test_partition_function_is_the_urn_expectation(theta):
    rng = np.random.default_rng(7)
    freqs = np.array([0.2, 0.3, 0.5])
    fixed = [2, 0]
    phi = rng.random((3, 4, 3))
    counts = np.bincount(fixed, minlength=3)
    u = counts * theta + (1 - theta) * freqs
    d = np.prod(1 + (len(fixed) + np.arange(4) - 1) * theta)
    got = partition_function(phi, u, theta) * polya(fixed, freqs, theta) / d
    for row in range(3):
        expected = sum(
            polya([*fixed, *x], freqs, theta) * np.prod([phi[row, j, a] for j, a in enumerate(x)])
            for x in np.ndindex(3, 3, 3, 3)
        )
        assert got[row] == pytest.approx(expected, rel=1e-12)
