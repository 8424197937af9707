"""The one home of marker names: the store's spelling and the engine's key agree."""

from __future__ import annotations

import pytest

from chosei.exchange.genetics import GeneticsError, canonical_allele, canonical_marker
from chosei.kinship.genotypes import normalise_allele
from chosei.kinship.markers import (
    MarkerNameError,
    is_amelogenin,
    is_y_str,
    normalise_marker,
    store_spelling,
)

# Each row: ways labs write one locus, its store spelling, its engine key.
SPELLINGS = [
    (("vWA", "VWA", "vwa", "v WA"), "vWA", "VWA"),
    (("Penta D", "PENTAD", "penta d", "PentaD"), "Penta D", "PENTAD"),
    (("Penta E", "pentae"), "Penta E", "PENTAE"),
    (("TH01", "th01", "TH1"), "TH01", "TH01"),
    (("AMEL", "Amelogenin", "amel"), "AMEL", "AMEL"),
    (("mtDNA", "MT", "mito"), "mtDNA", "MTDNA"),
    (("D8S1179", "d8s1179", "ｄ８Ｓ１１７９"), "D8S1179", "D8S1179"),
    (("DYS389I", "dys389i"), "DYS389I", "DYS389I"),
]


@pytest.mark.parametrize(("written", "spelling", "key"), SPELLINGS)
def test_every_way_of_writing_a_locus_has_one_spelling_and_one_key(
        written: tuple[str, ...], spelling: str, key: str) -> None:
    assert {store_spelling(w) for w in written} == {spelling}
    assert {canonical_marker(w) for w in written} == {spelling}
    assert normalise_marker(spelling) == key


def test_a_name_that_is_no_marker_is_refused_with_what_to_write() -> None:
    with pytest.raises(MarkerNameError) as exc:
        store_spelling("vWA;drop")
    assert str(exc.value) == ("'vWA;drop' is not a marker name: write it as the kit does, "
                              "e.g. D8S1179, vWA, DYS19, mtDNA")
    with pytest.raises(GeneticsError, match="'vWA;drop' is not a marker name"):
        canonical_marker("vWA;drop")


def test_y_str_and_amelogenin_in_either_form() -> None:
    assert [is_y_str(m) for m in ("DYS19", "dys19", "Y-GATA-H4", "YGATAH4", "D8S1179", "vWA")] == \
        [True, True, True, True, False, False]
    assert [is_amelogenin(m) for m in ("AMEL", "amel", "D8S1179")] == [True, True, False]


@pytest.mark.parametrize(("value", "allele"), [
    (12, "12"), (12.0, "12"), ("12", "12"), ("12.0", "12"), (" 12 ", "12"), (9.3, "9.3"),
    ("9.3", "9.3"), ("9.30", "9.3"), (0, "0")])
def test_the_store_and_the_engine_read_an_allele_alike(value: object, allele: str) -> None:
    assert canonical_allele(value) == normalise_allele(value) == allele  # type: ignore[arg-type]


def test_the_store_reads_full_width_digits() -> None:
    assert canonical_allele("１２．３") == "12.3"


@pytest.mark.parametrize("value", ["9.33", "-1", "1000", "X", True, float("nan")])
def test_the_store_refuses_what_is_no_allele_of_three_digits(value: object) -> None:
    with pytest.raises(GeneticsError, match="is not an allele: write a repeat number"):
        canonical_allele(value)


def test_amelogenin_takes_x_and_y() -> None:
    assert [canonical_allele(v, "AMEL") for v in ("x", "Y")] == ["X", "Y"]
    with pytest.raises(GeneticsError, match=r"such as 14 or 9.3 or X/Y$"):
        canonical_allele("Z", "Amelogenin")
