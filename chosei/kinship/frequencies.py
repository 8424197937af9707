"""Allele frequency tables for autosomal STR markers.

A `FrequencyTable` holds, for one population, the frequency of each allele at each
marker, and optionally the number of sampled individuals N per marker.

How the table is used (the same rules everywhere in `chosei.kinship`):

* **Listed frequencies are used as they are.** If a marker's listed frequencies sum
  to less than 1, the remainder is kept as one extra *rest allele* (`REST_ALLELE`)
  standing for all unlisted alleles; this is Familias' "rest allele" and keeps
  published numbers exact (a table listing only p(A)=0.1 and p(B)=0.2 behaves as
  A, B and a rest of 0.7). A sum above 1 by at most `ROUNDING_SLACK` is rounding in a
  published table and is scaled down to 1; more than that is refused.
* **An allele absent from the table** (seen in a profile but never in the
  population sample) gets a minimum frequency: ``5 / (2N)`` when the table states N
  for that marker -- the minimum allele frequency recommended by the US National
  Research Council (NRC II, *The Evaluation of Forensic DNA Evidence*, 1996, ch. 4) --
  otherwise the table's `floor` (default `DEFAULT_FLOOR` = 0.001). The marker's
  frequencies, rest allele included, are then renormalised to sum to 1. This is the
  only time listed frequencies change.
* A marker that is not in the table at all is an error (`UnknownMarkerError`): drop
  the marker from the comparison or add its frequencies.

When several profiles are compared at once (a batch), the table is first completed
with every allele seen in any of them (`FrequencyTable.completed`), so each LR in the
batch equals the single LR computed with that completed table.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from chosei.i18n import _
from chosei.kinship.errors import KinshipInputError, UnknownMarkerError
from chosei.kinship.genotypes import allele_sort_key, normalise_allele
from chosei.kinship.markers import normalise_marker

DEFAULT_FLOOR = 0.001
"""Minimum frequency of an unlisted allele when the table gives no sample size N."""

ROUNDING_SLACK = 0.01
"""How far above 1 a marker's listed frequencies may sum before the table is refused."""

REST_ALLELE = "*rest"
"""Label of the allele holding a marker's unlisted frequency mass (never in a profile)."""


@dataclass(frozen=True)
class MarkerFrequencies:
    """The allele list of one marker, its frequencies (summing to 1) and what was floored."""

    marker: str
    alleles: tuple[str, ...]
    freqs: NDArray[np.float64]
    floored: tuple[str, ...] = ()
    index: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.freqs.setflags(write=False)
        object.__setattr__(self, "index", {a: i for i, a in enumerate(self.alleles)})

    @property
    def n_alleles(self) -> int:
        return len(self.alleles)

    def of(self, allele: str) -> float:
        return float(self.freqs[self.index[allele]])


class FrequencyTable:
    """Allele frequencies of one population: ``{marker: {allele: p}}``.

    `n` optionally gives the number of individuals sampled per marker (used for the
    5/2N minimum frequency); `floor` is the minimum frequency otherwise.
    """

    def __init__(
        self,
        population: str,
        freqs: Mapping[str, Mapping[Any, float]],  # alleles as text or numbers: normalised here
        n: Mapping[str, int] | None = None,
        floor: float = DEFAULT_FLOOR,
    ) -> None:
        if not isinstance(population, str) or not population.strip():
            raise KinshipInputError(_("population must be a non-empty name, e.g. 'Korean'"))
        if not (isinstance(floor, int | float) and 0 < floor < 1):
            raise KinshipInputError(_("floor must be a frequency between 0 and 1, not {floor!r}").format(floor=floor))
        if not isinstance(freqs, Mapping) or not freqs:
            raise KinshipInputError(_("freqs must map at least one marker to {allele: frequency}"))
        self.population = population.strip()
        self.floor = float(floor)
        self._freqs: dict[str, dict[str, float]] = {}
        for raw_marker, table in freqs.items():
            marker = normalise_marker(raw_marker)
            if marker in self._freqs:
                raise KinshipInputError(_("freqs names marker {marker} twice; merge the entries").format(
                                            marker=marker))
            self._freqs[marker] = self._check_marker(marker, table)
        self._n: dict[str, int] = {}
        for raw_marker, size in (n or {}).items():
            marker = normalise_marker(raw_marker)
            if marker not in self._freqs:
                raise UnknownMarkerError(
                    _("n gives a sample size for marker {marker}, which freqs does not list").format(marker=marker))
            if isinstance(size, bool) or not isinstance(size, int) or size < 1:
                raise KinshipInputError(_("n for marker {marker} must be a positive whole number, not {size!r}").format(
                                            marker=marker, size=size))
            self._n[marker] = size
        self._cache: dict[tuple[str, frozenset[str]], MarkerFrequencies] = {}

    @staticmethod
    def _check_marker(marker: str, table: Mapping[object, float]) -> dict[str, float]:
        if not isinstance(table, Mapping) or not table:
            raise KinshipInputError(_("freqs for marker {marker} must be a non-empty {{allele: p}}").format(
                                        marker=marker))
        checked: dict[str, float] = {}
        for raw_allele, p in table.items():
            allele = normalise_allele(raw_allele, marker=marker)
            if allele in checked:
                raise KinshipInputError(
                    _("freqs for marker {marker} list allele {allele} twice (as {raw_allele!r}); keep one").format(
                        marker=marker, allele=allele, raw_allele=raw_allele)
                )
            if isinstance(p, bool) or not isinstance(p, int | float) or not 0 < p <= 1:
                raise KinshipInputError(
                    _("frequency of allele {allele} at marker {marker} must be in (0, 1], not {p!r}; leave "
                      "unseen alleles out instead of giving 0").format(allele=allele, marker=marker, p=p)
                )
            checked[allele] = float(p)
        total = math.fsum(checked.values())
        if total > 1 + ROUNDING_SLACK:
            raise KinshipInputError(
                _("frequencies at marker {marker} sum to {total:.4f}, more than 1; check the table for a typing "
                  "error").format(marker=marker, total=total)
            )
        if total > 1:
            checked = {a: p / total for a, p in checked.items()}
        return checked

    @property
    def markers(self) -> tuple[str, ...]:
        return tuple(self._freqs)

    def __contains__(self, marker: object) -> bool:
        return isinstance(marker, str) and normalise_marker(marker) in self._freqs

    def sample_size(self, marker: str) -> int | None:
        return self._n.get(normalise_marker(marker))

    def minimum_frequency(self, marker: str) -> float:
        """5/(2N) when N is known for the marker, else the table's floor."""
        size = self.sample_size(marker)
        return 5 / (2 * size) if size else self.floor

    def listed(self, marker: str) -> dict[str, float]:
        """The listed {allele: p} of a marker (after rounding correction), no rest allele."""
        return dict(self._table(marker))

    def _table(self, marker: str) -> dict[str, float]:
        key = normalise_marker(marker)
        try:
            return self._freqs[key]
        except KeyError:
            raise UnknownMarkerError(
                _("marker {key} has no frequencies in table '{population}'; add them or leave the marker out of "
                  "the comparison").format(key=key, population=self.population)
            ) from None

    def marker(self, marker: str, extra_alleles: Iterable[str] = ()) -> MarkerFrequencies:
        """Allele list and frequencies of a marker, with `extra_alleles` floored in.

        Alleles (listed and floored) are in numerical order; the rest allele, if any,
        comes last.
        """
        key = normalise_marker(marker)
        listed = self._table(key)
        extra = frozenset(normalise_allele(a, marker=key) for a in extra_alleles) - set(listed)
        cached = self._cache.get((key, extra))
        if cached is not None:
            return cached
        values = dict(listed)
        rest = 1 - math.fsum(listed.values())
        minimum = self.minimum_frequency(key)
        for allele in extra:
            values[allele] = minimum
        alleles = sorted(values, key=allele_sort_key)
        freqs = [values[a] for a in alleles]
        if rest > 1e-12:
            alleles.append(REST_ALLELE)
            freqs.append(rest)
        p = np.array(freqs, dtype=float)
        if extra:
            p = p / math.fsum(freqs)
        result = MarkerFrequencies(key, tuple(alleles), p, tuple(sorted(extra, key=allele_sort_key)))
        self._cache[(key, extra)] = result
        return result

    def completed(self, alleles: Mapping[str, Iterable[str]]) -> FrequencyTable:
        """A copy where every allele in ``{marker: alleles}`` is listed (floored in).

        Markers not in the table are ignored here; they fail later, when used.
        """
        freqs: dict[str, dict[str, float]] = {}
        sizes = dict(self._n)
        wanted = {normalise_marker(m): list(a) for m, a in alleles.items()}
        for marker in self._freqs:
            mf = self.marker(marker, wanted.get(marker, ()))
            freqs[marker] = {a: float(p) for a, p in zip(mf.alleles, mf.freqs, strict=True)}
        table = FrequencyTable.__new__(FrequencyTable)
        table.population = self.population
        table.floor = self.floor
        table._n = sizes
        table._cache = {}
        table._freqs = {m: {a: p for a, p in f.items() if a != REST_ALLELE} for m, f in freqs.items()}
        return table
