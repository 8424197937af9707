"""mtDNA: point heteroplasmy (IUPAC codes) is no exclusion; sequenced ranges are honoured."""

from __future__ import annotations

import pytest

from chosei.kinship import HaplotypeDatabase, LineageRelative, MtHaplotype, mt_lr
from chosei.kinship.haplotypes import heteroplasmic, mt_differences

MT = "16223T 16362C 73G 263G"


def database() -> HaplotypeDatabase:
    return HaplotypeDatabase("KR", ((MtHaplotype.parse(MT), 2), (MtHaplotype.parse("16189C 73G 263G"), 998)))


def lr(specimen: str, relative: str, db: HaplotypeDatabase | None = None, *, read: str | None = None,
       relative_read: str | None = None):
    spec = MtHaplotype.parse(specimen, ranges=read)
    rel = MtHaplotype.parse(relative, ranges=relative_read)
    return mt_lr(spec, [LineageRelative("M", "mother", rel)], db or database(), frequency="count")


def test_iupac_codes_are_read():
    assert heteroplasmic("16093Y") == frozenset("CT")
    assert heteroplasmic("16093C") is None
    assert heteroplasmic("523DEL") is None


@pytest.mark.parametrize(
    ("specimen", "relative", "status", "value"),
    [
        # heteroplasmy C/T in the specimen; the mother has the reference base (T at 16093): a match.
        # Counting leaves 16093 out, so the 2 copies of MT count: LR 1 / upper(2, 1000)
        ("16093Y " + MT, MT, "match", 138.77634683311757),
        ("16093Y " + MT, "16093C " + MT, "match", 138.77634683311757),
        # the mother heteroplasmic, the specimen one of her bases: 0 of 1000 carry 16093C
        ("16093C " + MT, "16093Y " + MT, "match", 271.5853380883683),
        ("16093Y " + MT, "16093B " + MT, "match", 138.77634683311757),  # B = C/G/T shares C and T
        # a base outside the mixture is a difference (one: inconclusive, as before)
        ("16093Y " + MT, "16093A " + MT, "inconclusive", 1.0),
        ("16093Y " + MT, "16093R " + MT, "inconclusive", 1.0),  # R = A/G shares nothing with C/T
        ("16093Y 16189C " + MT, "16093A " + MT, "exclusion", 0.0),
    ],
    ids=["vs-reference", "vs-one-base", "relative-heteroplasmic", "three-base-code", "other-base",
         "disjoint-codes", "two-differences"],
)
def test_point_heteroplasmy_is_not_an_exclusion(specimen, relative, status, value):
    result = lr(specimen, relative)
    assert result.status == status
    assert result.lr == pytest.approx(value, rel=1e-12)


def test_differences_outside_the_ranges_read_are_none():
    # the specimen was read over HV1 only; the relative differs at 73 and 150 (HV2): not differences
    spec, rel = "16223T 16362C", "16223T 16362C 73A 150T"
    assert mt_differences(MtHaplotype.parse(spec, "16024-16365"), MtHaplotype.parse(rel)) == []
    assert mt_differences(MtHaplotype.parse(spec), MtHaplotype.parse(rel)) == ["73: ref vs 73A", "150: ref vs 150T"]
    result = lr(spec, rel, read="16024-16365")
    # counted within HV1: the 2 entries 16223T 16362C ... of 1000 match there
    assert (result.status, result.count, result.total) == ("match", 2, 1000)
    assert result.lr == pytest.approx(138.77634683311757, rel=1e-12)
    # the relative read over HV2 only: nothing in common to compare with HV1, so no difference either
    assert mt_differences(MtHaplotype.parse(spec, "16024-16365"), MtHaplotype.parse("73A", "1-400")) == []
    # the same difference inside both ranges counts
    assert lr("16223T", "16223C", read="16024-16365", relative_read="16000-16400").status == "inconclusive"
