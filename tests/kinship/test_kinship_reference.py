"""The fast engine against the brute-force reference, on random vocabulary pedigrees.

Random: 1-3 relatives from the vocabulary, victim's sex, 2-3 alleles (with a
microvariant sometimes), frequencies, theta, mutation model and rate, genotypes
dropped down the pedigree (sometimes partial, untyped or replaced by a random one
to produce exclusions). Both likelihoods, H1 and H2, must agree to 1e-9 relative.
"""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from chosei.kinship import FrequencyTable, MutationModel, Relative, kinship_lr
from chosei.kinship.genotypes import Genotype
from chosei.kinship.likelihood import Marker, marker_likelihood, urn_weights
from chosei.kinship.pedigree import NON_GENETIC, RELATIONSHIPS, build_pedigree
from tests.kinship.kinship_reference import brute_likelihood, equal_matrix, polya, proportional_matrix

GENETIC = [t for t in RELATIONSHIPS if t not in NON_GENETIC]
LADDERS = {2: (["10", "11"], ["10", "10.3"]), 3: (["9", "10", "11"], ["9", "9.3", "10"])}


@st.composite
def cases(draw):
    terms = draw(st.lists(st.sampled_from(GENETIC), min_size=1, max_size=3))
    assume(terms.count("father") <= 1 and terms.count("mother") <= 1)
    sex = draw(st.sampled_from(["M", "F"]))
    pedigree = build_pedigree([(f"R{i}", t) for i, t in enumerate(terms)], victim_sex=sex)
    people = len(pedigree.persons) + 1  # + the specimen under H2
    founders = sum(p.is_founder for p in pedigree.persons) + 1
    n = draw(st.sampled_from([2, 3]))
    assume(n ** (2 * people) <= 1 << 20 and n ** (2 * founders) <= 20_000)
    alleles = draw(st.sampled_from(LADDERS[n]))
    weights = draw(st.lists(st.floats(0.05, 1.0), min_size=n, max_size=n))
    freqs = [w / sum(weights) for w in weights]
    theta = draw(st.sampled_from([0.0, 0.0, 0.01, 0.05, 0.3]))
    kind = draw(st.sampled_from(["none", "equal", "proportional", "stepwise"]))
    rate = draw(st.sampled_from([0.0, 0.01, 0.2]))
    model = MutationModel(
        kind, rate, draw(st.sampled_from([0.2, 1.0])), draw(st.sampled_from([0.0, 0.05])) if kind == "stepwise" else 0.0
    )
    seed = draw(st.integers(0, 2**32 - 1))
    return pedigree, terms, alleles, freqs, theta, model, seed


def _drop_genes(pedigree, n, freqs, mutation, rng):
    genes = {}
    for p in pedigree.persons:
        if p.is_founder:
            genes[p.id] = tuple(rng.choices(range(n), weights=freqs, k=2))
        else:
            got = []
            for parent in (p.father, p.mother):
                source = rng.choice(genes[parent])
                got.append(rng.choices(range(n), weights=list(mutation[source]))[0])
            genes[p.id] = tuple(got)
    return genes


def _observe(genes, n, rng):
    roll = rng.random()
    if roll < 0.12:
        return None
    if roll < 0.25:
        return (rng.choice(genes), None)
    if roll < 0.35:
        return (rng.randrange(n), rng.randrange(n))
    return genes


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(cases())
def test_engine_equals_brute_force(case):
    pedigree, terms, alleles, freqs, theta, model, seed = case
    rng = random.Random(seed)
    table = FrequencyTable("test", {"M": dict(zip(alleles, freqs, strict=True))})
    mf = table.marker("M")
    assume(mf.alleles == tuple(alleles))  # no rest allele from rounding
    try:
        matrix = model.matrix(mf)
    except ValueError:
        assume(False)
    n = len(alleles)
    if model.kind == "equal":
        np.testing.assert_allclose(matrix, equal_matrix(n, model.rate), rtol=1e-12)
    if model.kind == "proportional":
        np.testing.assert_allclose(matrix, proportional_matrix(list(mf.freqs), model.rate), rtol=1e-12)
    genes = _drop_genes(pedigree, n, list(mf.freqs), matrix, rng)
    typed = {}
    for i in range(len(terms)):
        obs = _observe(genes[f"R{i}"], n, rng)
        if obs is not None:
            typed[f"R{i}"] = obs
    specimen = _observe(genes["V"], n, rng) or genes["V"]

    def genotype(obs):
        a, b = obs
        return Genotype.of(alleles[a], None if b is None else alleles[b])

    engine = Marker.of(mf, matrix)
    family = {pid: genotype(o) for pid, o in typed.items()}
    h1 = marker_likelihood(pedigree, {**family, "V": genotype(specimen)}, engine, theta=theta)
    h2 = marker_likelihood(pedigree, family, engine, theta=theta, unrelated=[genotype(specimen)])
    ref1 = brute_likelihood(pedigree, {**typed, "V": specimen}, list(mf.freqs), matrix, theta)
    ref2 = brute_likelihood(pedigree, typed, list(mf.freqs), matrix, theta, [specimen])
    assert h1 == pytest.approx(ref1, rel=1e-9, abs=1e-300)
    assert h2 == pytest.approx(ref2, rel=1e-9, abs=1e-300)

    assume(ref2 > 0)
    relatives = [Relative(f"R{i}", t, {"M": family[f"R{i}"]} if f"R{i}" in family else {}) for i, t in enumerate(terms)]
    result = kinship_lr(
        {"M": genotype(specimen)}, relatives, table, theta=theta, mutation=model, victim_sex=pedigree.victim_sex
    )
    expected = ref1 / ref2 if family else 1.0
    assert result.total_lr == pytest.approx(expected, rel=1e-9, abs=1e-300)
    assert (result.excluded_markers == ("M",)) == (expected == 0)


@pytest.mark.parametrize("theta", [0.0, 0.02, 0.3], ids=["theta0", "theta0.02", "theta0.3"])
def test_urn_weights_equal_the_sequential_formula(theta):
    freqs = np.array([0.2, 0.3, 0.5])
    table = urn_weights(freqs, theta, [2, 0], 3)
    for genes in np.ndindex(*table.shape):
        assert table[genes] == pytest.approx(polya([2, 0, *genes], freqs, theta), rel=1e-12)
