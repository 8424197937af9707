"""The gene-level contraction: any number of genes, one einsum call per elimination step."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from chosei.kinship.contraction import MAX_FACTOR_GENES, contract
from chosei.kinship.errors import ComplexityError


def test_a_chain_longer_than_einsums_52_indices_contracts():
    # 80 binary genes in a chain, each link [[1, 1], [1, 0]] (no two neighbours both 1):
    # the number of such strings is a Fibonacci number, F(82) for 80 genes.
    link = np.array([[1.0, 1.0], [1.0, 0.0]])
    labels = [(i, i + 1) for i in range(79)]
    total = contract([link] * 79, labels, ())
    fib = [0, 1]
    while len(fib) < 83:
        fib.append(fib[-1] + fib[-2])
    assert float(total) == pytest.approx(fib[82], rel=1e-12)


def test_open_labels_keep_their_order():
    a = np.arange(6.0).reshape(2, 3)
    b = np.arange(12.0).reshape(3, 4)
    assert np.allclose(contract([a, b], [(7, 3), (3, 9)], (9, 7)), (a @ b).T)


def test_a_repeated_label_in_one_operand_is_its_diagonal():
    m = np.arange(9.0).reshape(3, 3)
    assert float(contract([m], [(4, 4)], ())) == 0 + 4 + 8


def test_a_knot_joining_too_many_genes_is_refused():
    n = MAX_FACTOR_GENES + 2
    pair = np.ones((2, 2))
    labels = list(itertools.combinations(range(n), 2))
    with pytest.raises(ComplexityError) as err:
        contract([pair] * len(labels), labels, ())
    assert str(err.value) == (
        f"the pedigree's loops join {n} genes in one step of the computation "
        f"(at most {MAX_FACTOR_GENES}); simplify the family tree"
    )
