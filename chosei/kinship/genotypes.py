"""Alleles, genotypes and autosomal STR profiles.

* An **allele** is a repeat number written as a string with at most one decimal:
  ``9.3`` (a microvariant), ``12``. Numbers and strings are accepted and normalised,
  so ``12``, ``12.0``, ``"12.0"`` and ``" 12 "`` all become ``"12"``. Anything else
  (``"X"``, ``"9.33"``, ``"-1"``) is refused: amelogenin and off-ladder calls do not
  enter an LR.
* A **genotype** is a pair of alleles. The second may be missing (a *partial*
  genotype ``12/-``, common in old bone: one allele seen, the other not reported);
  a partial genotype's probability sums over every possible missing allele.
* A **profile** maps marker names to genotypes. A marker that is absent, or whose
  genotype is ``-/-``, is *untyped*: it carries no information (LR factor 1).
* **Marker names** are compared by their key (`markers.normalise_marker`, imported
  here): upper case without spaces, ``_`` and ``-`` (``"Penta E"`` = ``"PENTAE"``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from chosei.i18n import _
from chosei.kinship.errors import KinshipInputError
from chosei.kinship.markers import normalise_marker

MISSING_MARKS = frozenset({"", "-", "–", "—", "?", "NA", "N/A", "NONE", "NULL"})
_SEPARATORS = re.compile(r"\s*[/,;]\s*")

AlleleLike = str | int | float


def normalise_allele(value: object, *, marker: str | None = None) -> str:
    """The canonical string for an allele: ``12.0`` -> ``"12"``, ``"9.30"`` -> ``"9.3"``."""
    where = _(" at marker {marker}").format(marker=marker) if marker else ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise KinshipInputError(_("allele {value!r}{where} is not a number; write repeat numbers such as 12 or "
                                  "9.3").format(value=value, where=where))
    text = repr(value) if isinstance(value, float) else str(value).strip()
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise KinshipInputError(
            _("allele {value!r}{where} is not a number; write repeat numbers such as 12 or 9.3").format(
                value=value, where=where)
        ) from None
    if not number.is_finite() or number < 0:
        raise KinshipInputError(_("allele {value!r}{where} must be a non-negative repeat number").format(
                                    value=value, where=where))
    if number != number.quantize(Decimal("0.1")):
        raise KinshipInputError(
            _("allele {value!r}{where} has more than one decimal; microvariants are written like 9.3").format(
                value=value, where=where)
        )
    if number == number.to_integral_value():
        return str(int(number))
    return str(number.quantize(Decimal("0.1")))


def allele_sort_key(allele: str) -> tuple[int, float, str]:
    """Numeric order for normalised alleles; non-numeric labels sort last."""
    try:
        return (0, float(allele), "")
    except ValueError:
        return (1, 0.0, allele)


@dataclass(frozen=True, slots=True)
class Genotype:
    """Two alleles, or one allele and a missing one (``second is None``).

    Build it with `Genotype.of` or `parse_genotype`, which normalise and order the
    alleles; the constructor trusts its arguments.
    """

    first: str
    second: str | None

    @classmethod
    def of(cls, a: AlleleLike | None, b: AlleleLike | None, *, marker: str | None = None) -> Genotype | None:
        """A genotype from two alleles (either may be None); None when both are missing."""
        alleles = [
            normalise_allele(x, marker=marker)
            for x in (a, b)
            if x is not None and not (isinstance(x, str) and x.strip().upper() in MISSING_MARKS)
        ]
        if not alleles:
            return None
        if len(alleles) == 1:
            return cls(alleles[0], None)
        lo, hi = sorted(alleles, key=allele_sort_key)
        return cls(lo, hi)

    @property
    def is_partial(self) -> bool:
        return self.second is None

    @property
    def alleles(self) -> tuple[str, ...]:
        return (self.first,) if self.second is None else (self.first, self.second)

    def __str__(self) -> str:
        return f"{self.first}/{self.second if self.second is not None else '-'}"


def parse_genotype(value: object, *, marker: str | None = None) -> Genotype | None:
    """A genotype from ``"12/14"``, ``"12/-"``, ``(12, 14)``, a `Genotype`, or None.

    Returns None for an untyped marker (``None``, ``"-/-"``, ``""``). A single allele
    without a separator (``"12"``) is refused: it could mean 12/12 or 12/-.
    """
    where = _(" at marker {marker}").format(marker=marker) if marker else ""
    if value is None or isinstance(value, Genotype):
        return value
    if isinstance(value, str):
        text = value.strip()
        if text.upper() in MISSING_MARKS:
            return None
        parts = _SEPARATORS.split(text)
        if len(parts) != 2:
            raise KinshipInputError(
                _("genotype {value!r}{where} must be two alleles separated by '/', like 12/14, 12/12 or 12/- for "
                  "a partial genotype").format(value=value, where=where)
            )
        return Genotype.of(parts[0], parts[1], marker=marker)
    if isinstance(value, tuple | list) and len(value) == 2:
        return Genotype.of(value[0], value[1], marker=marker)
    raise KinshipInputError(_("genotype {value!r}{where} must be a string like '12/14' or a pair of alleles").format(
                                value=value, where=where))


Profile = dict[str, Genotype]


def parse_profile(values: Mapping[str, object], *, what: str = "profile") -> Profile:
    """A profile {marker: Genotype} with normalised marker names; untyped markers dropped."""
    if not isinstance(values, Mapping):
        raise KinshipInputError(_("{what} must map marker names to genotypes, not {values!r}").format(
                                    what=what, values=values))
    profile: Profile = {}
    for raw_marker, raw_genotype in values.items():
        marker = normalise_marker(raw_marker)
        if marker in profile:
            raise KinshipInputError(_("{what} names marker {marker} twice (as {raw_marker!r}); keep one").format(
                                        what=what, marker=marker, raw_marker=raw_marker))
        genotype = parse_genotype(raw_genotype, marker=marker)
        if genotype is not None:
            profile[marker] = genotype
    return profile


def profile_alleles(profiles: Iterable[Mapping[str, Genotype]]) -> dict[str, set[str]]:
    """Every allele seen per marker across the given profiles."""
    seen: dict[str, set[str]] = {}
    for profile in profiles:
        for marker, genotype in profile.items():
            seen.setdefault(marker, set()).update(genotype.alleles)
    return seen


def consensus_genotype(seen: list[Genotype]) -> Genotype | None:
    """The consensus of several results at one marker, or None when they disagree.

    Agreeing results are kept, a full genotype absorbs a partial one it contains
    (``12/14`` and ``12/-`` give ``12/14``), two partial ones with different alleles make
    the full genotype (``12/-`` and ``14/-`` give ``12/14``).
    """
    full = {g for g in seen if not g.is_partial}
    partial = {g.first for g in seen if g.is_partial}
    if len(full) > 1:
        return None
    if full:
        g = next(iter(full))
        return g if partial <= set(g.alleles) else None
    if len(partial) == 1:
        return seen[0]
    if len(partial) == 2:
        return Genotype.of(*sorted(partial))
    return None
