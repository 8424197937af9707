"""Y-STR and mtDNA haplotypes: parsing, comparing two of them, and counting one in a database.

* **Y-STR haplotype** (`YHaplotype`): one allele per marker; a multi-copy locus
  (DYS385 a/b, DYF387S1, ...) holds a sorted tuple, so it compares as an unordered
  list of equal length. `y_differences` lists the markers typed in both that differ,
  with both sides' copies (`y_mutation` weighs them).
* **mtDNA haplotype** (`MtHaplotype`): the set of its differences from the reference
  sequence (``16223T 16362C 73G``), optionally with the ranges sequenced;
  `mt_differences` compares only the ranges both cover. A point heteroplasmy (an
  IUPAC code, ``16093Y``) is no difference from any of its bases nor from the
  reference state.
* **Counting** (`HaplotypeDatabase.count`): x copies of a query among n comparable
  haplotypes -- Y entries typed at every marker the query has, mtDNA entries whose
  ranges cover the query's (or either without ranges); x of them equal to the query
  at those markers or within those ranges. Counting is indexed: the first count for
  a set of Y markers (or of mtDNA ranges) groups the entries once, and every later
  count is a look-up, so a run can count thousands of specimens. A query's
  heteroplasmic positions are left out of the comparison (any base there counts).
* **Unseen haplotypes** (`HaplotypeDatabase.unseen_frequency`, `kappa_frequency`):
  Brenner's (1 - kappa) / n for a haplotype in none of the case's databases (this one
  and `others`), with 1 - kappa bounded as a count is; kappa is counted among the
  comparable entries, as the query's markers or ranges see them.
* **Discrete Laplace** (`HaplotypeDatabase.disclap`): a Y haplotype's frequency under
  the `disclap` model fitted to the database (once per database);
  `disclap_guarded` the largest over the case's databases, never below `kappa_floor`.
* **Frequency bound** (`clopper_pearson_upper`): the upper end of the two-sided 95 %
  Clopper-Pearson interval for x/n, so an unseen haplotype (x = 0) still gets a
  positive, conservative frequency (e.g. 0.00368 for 0 of 1000).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import cast

import numpy as np
from scipy.special import betaincinv

from chosei.i18n import _
from chosei.kinship import disclap
from chosei.kinship.errors import KinshipInputError
from chosei.kinship.genotypes import normalise_allele
from chosei.kinship.markers import normalise_marker

CONFIDENCE = 0.95
"""Two-sided confidence level of the Clopper-Pearson bound on haplotype frequencies."""

YAllele = str | tuple[str, ...]


def clopper_pearson_upper(x: int, n: int, confidence: float = CONFIDENCE) -> float:
    """Upper end of the two-sided Clopper-Pearson interval for x successes in n trials."""
    if (
        isinstance(x, bool)
        or isinstance(n, bool)
        or not (isinstance(x, int) and isinstance(n, int) and 0 <= x <= n and n >= 1)
    ):
        raise KinshipInputError(_("need whole numbers 0 <= x <= n and n >= 1, not x={x!r}, n={n!r}").format(x=x, n=n))
    if not 0 < confidence < 1:
        raise KinshipInputError(_("confidence must be between 0 and 1, not {confidence!r}").format(
                                    confidence=confidence))
    if x == n:
        return 1.0
    return _upper(x, n, float(confidence))


@lru_cache(maxsize=4096)
def _upper(x: int, n: int, confidence: float) -> float:
    # The Beta(x + 1, n - x) quantile, as scipy.stats.beta.ppf gives it (both are Boost's
    # inverse incomplete beta; a test checks they agree to the bit), without importing
    # scipy.stats, which costs every command 0.6 s. Cached: a run asks for the same few
    # (x, n) thousands of times.
    return float(betaincinv(x + 1, n - x, 1 - (1 - confidence) / 2))


KAPPA_BOUND = True
"""`kappa_frequency` takes the upper end of the 95 % Clopper-Pearson interval of 1 - kappa."""


def kappa_frequency(singletons: int, n: int) -> float:
    """Brenner's frequency of a haplotype seen in none of `n` comparable haplotypes, of
    which `singletons` are seen once.

    Brenner (2010, FSI:Genetics 4:281): in the extended database (the `n` and the new
    haplotype, itself a singleton: n + 1 haplotypes, singletons + 1 of them seen once),
    kappa is the fraction of singletons, and the probability that an unrelated man
    carries the new haplotype is (1 - kappa) / (n + 1). 1 - kappa is the share of the
    extended database's haplotypes seen more than once, n - singletons of n + 1; chosei
    takes the upper end of its two-sided 95 % Clopper-Pearson interval (as for counts),
    so the frequency is a bound, never 0 (a database of singletons only has kappa = 1).
    """
    if not (isinstance(n, int) and isinstance(singletons, int) and 0 <= singletons <= n and n >= 1):
        raise KinshipInputError(f"need whole numbers 0 <= singletons <= n and n >= 1, not {singletons!r}, {n!r}")
    shared = n - singletons
    if not KAPPA_BOUND:
        return shared / (n + 1) ** 2
    return clopper_pearson_upper(shared, n + 1) / (n + 1)


@dataclass(frozen=True)
class YHaplotype:
    """Y-STR alleles per marker; a multi-copy locus holds a sorted tuple."""

    alleles: Mapping[str, YAllele]

    @classmethod
    def parse(cls, values: Mapping[str, object]) -> YHaplotype:
        """From ``{"DYS19": 14, "DYS385": "11,14"}``; empty values are untyped."""
        if not isinstance(values, Mapping):
            raise KinshipInputError(_("a Y haplotype must map marker names to alleles"))
        alleles: dict[str, YAllele] = {}
        for raw, value in values.items():
            marker = normalise_marker(raw)
            parts = _split(value)
            if not parts:
                continue
            normal = sorted((normalise_allele(p, marker=marker) for p in parts), key=float)
            alleles[marker] = normal[0] if len(normal) == 1 else tuple(normal)
        return cls(alleles)


@dataclass(frozen=True)
class MtHaplotype:
    """Differences from the reference sequence, keyed by position, and the ranges read."""

    variants: frozenset[str]
    ranges: tuple[tuple[int, int], ...] | None = None

    @classmethod
    def parse(cls, variants: str | Sequence[str], ranges: str | None = None) -> MtHaplotype:
        """From ``"16223T 16362C 73G"`` and optionally ``ranges="16024-16365 73-340"``."""
        tokens = variants.replace(",", " ").split() if isinstance(variants, str) else list(variants)
        found: dict[str, str] = {}
        for token in tokens:
            variant = _variant(token)
            position = _position(variant)
            if position in found:
                raise KinshipInputError(
                    _("mtDNA position {position} appears twice ({found}, {variant}); keep one").format(
                        position=position, found=found[position], variant=variant)
                )
            found[position] = variant
        spans = None
        if ranges is not None:
            read: list[tuple[int, int]] = []
            for part in ranges.replace(",", " ").split():
                m = re.fullmatch(r"(\d+)-(\d+)", part)
                if not m:
                    raise KinshipInputError(_("mtDNA range {part!r} must look like 16024-16365").format(part=part))
                read.append((int(m.group(1)), int(m.group(2))))
            spans = tuple(read)
        return cls(frozenset(found.values()), spans)

    def states(self, within: tuple[tuple[int, int], ...] | None = None) -> dict[str, str]:
        """{position: variant} for the variants inside `within` (all when None)."""
        out = {}
        for variant in self.variants:
            pos = _position(variant)
            if within is None or _inside(pos, within):
                out[pos] = variant
        return out


@dataclass(frozen=True)
class HaplotypeDatabase:
    """A population's reference haplotypes (Y or mtDNA) with their counts."""

    population: str
    entries: tuple[tuple[YHaplotype | MtHaplotype, int], ...]
    others: tuple[HaplotypeDatabase, ...] = ()
    """The case's other populations' databases of the same kind: a haplotype seen in any of
    them is not unseen (`unseen_frequency`)."""
    _groups: dict[tuple[str, object], tuple[dict[object, int], int]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _models: dict[tuple[tuple[str, int], ...], tuple[disclap.DisclapModel, int]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _modal: list[tuple[tuple[str, int], ...]] = field(default_factory=list, init=False, repr=False, compare=False)

    def count(self, query: YHaplotype | MtHaplotype) -> tuple[int, int]:
        """(copies of `query`, number of comparable haplotypes).

        Comparable: a Y entry typed at every marker the query has; an mtDNA entry whose
        ranges cover the query's (or either without ranges). A copy: a comparable entry
        equal to the query at those markers, or within the query's ranges. The entries
        are grouped once per set of Y markers (or of mtDNA ranges) asked about, so every
        later count is a look-up.
        """
        copies, n, wanted = self._lookup(query)
        return copies.get(wanted, 0), n

    def unseen_frequency(self, query: YHaplotype | MtHaplotype) -> float | None:
        """Brenner's frequency of a haplotype unseen in this database and in every one of
        `others` (`kappa_frequency`, the largest over those databases that have comparable
        entries); None when any of them holds it (then the counting bound applies)."""
        copies, n, wanted = self._lookup(query)
        if copies.get(wanted, 0):
            return None
        found = [kappa_frequency(sum(1 for c in copies.values() if c == 1), n)]
        for other in self.others:
            try:
                copies, n, wanted = other._lookup(query)
            except KinshipInputError:  # nothing comparable there: it says nothing
                continue
            if copies.get(wanted, 0):
                return None
            found.append(kappa_frequency(sum(1 for c in copies.values() if c == 1), n))
        return max(found)

    def kappa_floor(self, query: YHaplotype | MtHaplotype) -> float:
        """Brenner's frequency of an unseen haplotype at the query's markers, the largest
        over this database and `others` (whether or not the query is seen)."""
        found = []
        for db in (self, *self.others):
            try:
                copies, n, _ = db._lookup(query)
            except KinshipInputError:
                continue
            found.append(kappa_frequency(sum(1 for c in copies.values() if c == 1), n))
        return max(found)

    def disclap_guarded(self, query: YHaplotype) -> tuple[float, int]:
        """The discrete Laplace frequency, the largest over this database's model and
        `others`' (a haplotype common in any database of the case is not rare), never below
        `kappa_floor`."""
        freq, n = self.disclap(query)
        for other in self.others:
            try:
                freq = max(freq, other.disclap(query)[0])
            except KinshipInputError:
                continue
        return max(freq, self.kappa_floor(query)), n

    def _lookup(self, query: YHaplotype | MtHaplotype) -> tuple[dict[object, int], int, object]:
        """The comparable entries grouped as the query sees them ({look: copies}), their
        number, and the query's own look."""
        if isinstance(query, YHaplotype):
            markers = tuple(sorted(query.alleles))
            key: tuple[str, object] = ("Y", markers)
            wanted: object = tuple(query.alleles[m] for m in markers)
        elif isinstance(query, MtHaplotype):
            mask = frozenset(_position(v) for v in query.variants if heteroplasmic(v))
            key, wanted = ("mt", (query.ranges, mask)), _mt_key(query, query.ranges, mask)
        else:
            raise KinshipInputError(_("can only count a YHaplotype or an MtHaplotype, not {query!r}").format(
                                        query=query))
        if key not in self._groups:
            self._groups[key] = self._group(key)
        copies, n = self._groups[key]
        if n == 0:
            raise KinshipInputError(
                _("no haplotype in database '{population}' covers the specimen's markers or ranges; use a "
                  "database typed for the same kit").format(population=self.population)
            )
        return copies, n, wanted

    def disclap(self, query: YHaplotype) -> tuple[float, int]:
        """The discrete Laplace frequency of a Y haplotype (`disclap`), and the number of
        haplotypes the model was fitted to.

        One model per database, fitted to the entries typed at the markers most entries
        share (with the same copies per marker); a query typed at some of those markers
        gets the model's marginal over the others. A query with another marker, or
        another number of copies, gets a model of its own, fitted to the entries typed
        like it. Each model is fitted once.
        """
        if not isinstance(query, YHaplotype):
            raise KinshipInputError(_("the discrete Laplace method is for Y haplotypes, not {query!r}").format(
                                        query=query))
        shape = tuple((m, _copies(query.alleles[m])) for m in sorted(query.alleles))
        modal = self._modal_shape()
        base = modal if set(shape) <= set(modal) else shape
        if base not in self._models:
            rows, counts = [], []
            for haplotype, count in self.entries:
                if count > 0 and isinstance(haplotype, YHaplotype) and _shaped(haplotype, base):
                    rows.append(_repeats(haplotype, base))
                    counts.append(count)
            if not rows:
                raise KinshipInputError(
                    _("no haplotype in database '{population}' covers the specimen's markers; use a database "
                      "typed for the same kit").format(population=self.population)
                )
            self._models[base] = (disclap.fit(np.array(rows), np.array(counts)), int(sum(counts)))
        model, n = self._models[base]
        starts = np.cumsum([0] + [c for _, c in base])
        wanted = dict(shape)
        columns = [int(starts[i]) + j for i, (m, c) in enumerate(base) if m in wanted for j in range(c)]
        return float(model.probability(np.array([_repeats(query, shape)]), columns)[0]), n

    def _modal_shape(self) -> tuple[tuple[str, int], ...]:
        """The markers (with copies) of the Y entries most haplotypes share."""
        if not self._modal:
            seen: dict[tuple[tuple[str, int], ...], int] = {}
            for haplotype, count in self.entries:
                if isinstance(haplotype, YHaplotype):
                    key = tuple((m, _copies(haplotype.alleles[m])) for m in sorted(haplotype.alleles))
                    seen[key] = seen.get(key, 0) + count
            self._modal.append(max(seen.items(), key=lambda kv: (kv[1], kv[0]))[0] if seen else ())
        return self._modal[0]

    def _group(self, key: tuple[str, object]) -> tuple[dict[object, int], int]:
        """{what a comparable entry looks like to such a query: copies}, and their total."""
        kind, spec = key
        copies: dict[object, int] = {}
        n = 0
        for haplotype, count in self.entries:
            if kind == "Y":
                markers = cast("tuple[str, ...]", spec)  # a Y key holds the markers (`count`)
                if not isinstance(haplotype, YHaplotype) or any(m not in haplotype.alleles for m in markers):
                    continue
                seen: object = tuple(haplotype.alleles[m] for m in markers)
            else:
                # an mtDNA key holds the ranges and the heteroplasmic positions (`count`)
                ranges, mask = cast("tuple[tuple[tuple[int, int], ...] | None, frozenset[str]]", spec)
                if not isinstance(haplotype, MtHaplotype) or not _covers(haplotype.ranges, ranges):
                    continue
                seen = _mt_key(haplotype, ranges, mask)
            copies[seen] = copies.get(seen, 0) + count
            n += count
        return copies, n


def _copies(allele: YAllele) -> int:
    return 1 if isinstance(allele, str) else len(allele)


def _shaped(haplotype: YHaplotype, shape: tuple[tuple[str, int], ...]) -> bool:
    return all(m in haplotype.alleles and _copies(haplotype.alleles[m]) == c for m, c in shape)


def _repeats(haplotype: YHaplotype, shape: tuple[tuple[str, int], ...]) -> list[float]:
    """The whole repeats of each copy of the `shape` markers (13.2 counts as 13)."""
    out: list[float] = []
    for marker, _copies in shape:
        value = haplotype.alleles[marker]
        out.extend(float(int(float(a))) for a in ((value,) if isinstance(value, str) else value))
    return out


def _split(value: object) -> list[object]:
    if value is None:
        return []
    if isinstance(value, tuple | list):
        return [v for v in value if v is not None and str(v).strip() not in ("", "-")]
    text = str(value).strip()
    if text in ("", "-", "NA"):
        return []
    return [p for p in re.split(r"[\s,/;]+", text) if p]


YDifference = tuple[str, tuple[str, ...], tuple[str, ...]]
"""A differing Y locus: (marker, the first haplotype's copies, the second's), copies sorted."""


def y_differences(a: YHaplotype, b: YHaplotype) -> list[YDifference]:
    """The markers typed in both that differ, with both sides' copies."""
    out: list[YDifference] = []
    for marker in sorted(set(a.alleles) & set(b.alleles)):
        x, y = a.alleles[marker], b.alleles[marker]
        if x != y:
            out.append((marker, (x,) if isinstance(x, str) else x, (y,) if isinstance(y, str) else y))
    return out


def describe_y_difference(diff: YDifference) -> str:
    """``DYS19: 14 vs 15``."""
    marker, xs, ys = diff
    return f"{marker}: {'/'.join(xs)} vs {'/'.join(ys)}"


IUPAC: dict[str, frozenset[str]] = {
    code: frozenset(bases)
    for code, bases in {
        "R": "AG", "Y": "CT", "K": "GT", "M": "AC", "S": "CG", "W": "AT",
        "B": "CGT", "D": "AGT", "H": "ACT", "V": "ACG", "N": "ACGT",
    }.items()
}
"""IUPAC codes of a point heteroplasmy (two bases) or an ambiguous call: the bases each stands for."""


def heteroplasmic(variant: str) -> frozenset[str] | None:
    """The bases of a variant written with an IUPAC code (``16093Y``), else None."""
    base = variant[len(_position(variant)):]
    return IUPAC.get(base)


def mt_differences(a: MtHaplotype, b: MtHaplotype) -> list[str]:
    """Positions inside the ranges both read where the two differ.

    A point heteroplasmy (``16093Y``: C and T) is not a difference from either of its
    bases, nor from the reference state (the notation records a mixture with the
    reference base), nor from another code sharing a base.
    """
    common = _overlap(a.ranges, b.ranges)
    sa, sb = a.states(common), b.states(common)
    out = []
    for pos in sorted(set(sa) | set(sb), key=float):
        x, y = sa.get(pos), sb.get(pos)
        if x != y and not _compatible(x, y):
            out.append(f"{pos}: {x or 'ref'} vs {y or 'ref'}")
    return out


def _compatible(x: str | None, y: str | None) -> bool:
    hx, hy = (heteroplasmic(v) if v else None for v in (x, y))
    if hx is None and hy is None:
        return False
    if x is None or y is None:
        return True  # a mixture with the reference base
    bases_x = hx if hx is not None else frozenset([x[len(_position(x)):]])
    bases_y = hy if hy is not None else frozenset([y[len(_position(y)):]])
    return bool(bases_x & bases_y)


def _covers(entry: tuple[tuple[int, int], ...] | None, query: tuple[tuple[int, int], ...] | None) -> bool:
    """Whether an mtDNA entry read over `entry` ranges is comparable with a query read over `query`."""
    if query is None or entry is None:
        return True
    return all(any(lo <= qlo and qhi <= hi for lo, hi in entry) for qlo, qhi in query)


def _mt_key(
    haplotype: MtHaplotype, within: tuple[tuple[int, int], ...] | None, mask: frozenset[str] = frozenset()
) -> frozenset[tuple[str, str]]:
    """The haplotype's {position: variant} inside `within`, leaving out the `mask`
    positions (where the query is heteroplasmic: any base there counts), hashable."""
    return frozenset((p, v) for p, v in haplotype.states(within).items() if p not in mask)


def _overlap(
    a: tuple[tuple[int, int], ...] | None, b: tuple[tuple[int, int], ...] | None
) -> tuple[tuple[int, int], ...] | None:
    if a is None or b is None:
        return a if b is None else b
    spans = [(max(x0, y0), min(x1, y1)) for x0, x1 in a for y0, y1 in b]
    return tuple((lo, hi) for lo, hi in spans if lo <= hi)


def _variant(token: str) -> str:
    text = token.strip().upper()
    m = re.fullmatch(r"([A-Z]?)(\d+(?:\.\d+)?)([A-Z]+|-|DEL|D)", text)
    if not m:
        raise KinshipInputError(_("mtDNA variant {token!r} must be a position and a base, like 16223T, 315.1C or "
                                  "523DEL").format(token=token))
    base = m.group(3)
    base = "DEL" if base in ("-", "D", "DEL") else base
    return f"{m.group(2)}{base}"


def _position(variant: str) -> str:
    found = re.match(r"\d+(?:\.\d+)?", variant)
    assert found is not None  # `_variant` writes every variant as its position, then its base
    return found.group(0)


def _inside(position: str, spans: tuple[tuple[int, int], ...]) -> bool:
    p = int(float(position))
    return any(lo <= p <= hi for lo, hi in spans)
