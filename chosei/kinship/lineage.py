"""Y-STR and mtDNA: lineage markers passed down one line without recombination.

**Who is on which line** is read from the same pedigree as the autosomal LR
(`pedigree.build_pedigree`): two people share a Y chromosome when both are male and
their father-to-father lines meet; they share mtDNA when their mother-to-mother lines
meet (a person's own mtDNA comes from the mother). The number of meioses is the
number of links from each to where the lines meet. For a male victim V:

* Y line: ``father`` 1, ``son`` 1, ``brother`` 2, ``half-brother (paternal)`` 2,
  ``son's son`` 2, ``brother's son`` 3. Nobody else.
* mtDNA line: ``mother`` 1, ``brother`` / ``sister`` 2, ``half-brother (maternal)`` /
  ``half-sister (maternal)`` 2, ``sister's son`` / ``sister's daughter`` 3. V's
  children and grandchildren carry their other parent's mtDNA.

A female victim has no Y line; her children and her daughter's children join her
mtDNA line.

**Frequencies** are counted in a reference database of haplotypes with counts. With
x copies of the specimen's haplotype among n comparable haplotypes (entries lacking a
marker or range the specimen has are left out of n), the frequency used is the upper
bound of the two-sided 95 % Clopper-Pearson interval for x/n, so an unseen haplotype
(x = 0) still gets a positive, conservative frequency (e.g. 0.00368 for 0 of 1000).

**Y-STR comparison.** Markers typed in both haplotypes are compared; multi-copy loci
(DYS385 a/b, DYF387S1, ...) compare as unordered lists of equal length. Y-STRs mutate
at about 2-3 x 10⁻³ per locus per generation on average (Goedbloed et al., Int J
Legal Med 2009, 17 Yfiler loci; Ballantyne et al., Am J Hum Genet 2010), so
`Y_MUTATION_RATE` = 0.0025. With ~23 loci and at most 3 meioses the expected number
of mutations is below 0.2, and two or more (probability about 1 %) are rare enough to
exclude. Hence the tolerance `Y_MAX_STEPS` = 1: identical haplotypes give
``LR = 1 / upper bound``; a single one-step difference at one locus gives the reduced
``LR = (k μ / 2) / upper bound`` (k meioses, μ the rate; half of the mutations go in
the observed direction), flagged "mutation"; anything more -- two steps, two loci, a
microvariant change, a different copy number -- is an exclusion (LR 0).

**mtDNA comparison.** A haplotype is the set of its differences from the reference
sequence (``16223T 16362C 73G``), optionally with the ranges sequenced; only the
ranges both cover are compared. Identical: ``LR = 1 / upper bound``. One difference:
inconclusive (LR 1, flagged; a mutation or heteroplasmy cannot be told from a
different line). More: exclusion (LR 0). Heteroplasmy codes are compared literally.

**Several relatives on one line.** The specimen must be consistent with every one of
them (any exclusion excludes). The line then enters ONCE, from the best-placed
relative: the fewest differences, then the fewest meioses. Relatives on one line
carry the same haplotype barring mutation, so a second one adds a check, not a
factor; and when one relative matches exactly while another differs by a step, the
mutation is more likely in the other relative's line than between V and the
specimen, so the exact match decides.

**Combining with the autosomal LR** (`combined_lr`): given the relationship, Y, mtDNA
and autosomal markers are inherited independently (different chromosomes, no
recombination between them), so the LRs multiply: ``LR = LR_aut x LR_Y x LR_mt``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from scipy.stats import beta

from chosei.kinship.errors import KinshipInputError
from chosei.kinship.genotypes import normalise_allele, normalise_marker
from chosei.kinship.pedigree import Pedigree, Sex, build_pedigree

Y_MUTATION_RATE = 0.0025
"""Average Y-STR mutation rate per locus per meiosis."""

Y_MAX_STEPS = 1
"""Largest total number of one-step differences still read as mutation, not exclusion."""

CONFIDENCE = 0.95
"""Two-sided confidence level of the Clopper-Pearson bound on haplotype frequencies."""

YAllele = str | tuple[str, ...]
LineStatus = Literal["match", "mutation", "inconclusive", "exclusion", "not applicable"]


def clopper_pearson_upper(x: int, n: int, confidence: float = CONFIDENCE) -> float:
    """Upper end of the two-sided Clopper-Pearson interval for x successes in n trials."""
    if (
        isinstance(x, bool)
        or isinstance(n, bool)
        or not (isinstance(x, int) and isinstance(n, int) and 0 <= x <= n and n >= 1)
    ):
        raise KinshipInputError(f"need whole numbers 0 <= x <= n and n >= 1, not x={x!r}, n={n!r}")
    if not 0 < confidence < 1:
        raise KinshipInputError(f"confidence must be between 0 and 1, not {confidence!r}")
    if x == n:
        return 1.0
    return float(beta.ppf(1 - (1 - confidence) / 2, x + 1, n - x))


@dataclass(frozen=True)
class YHaplotype:
    """Y-STR alleles per marker; a multi-copy locus holds a sorted tuple."""

    alleles: Mapping[str, YAllele]

    @classmethod
    def parse(cls, values: Mapping[str, object]) -> YHaplotype:
        """From ``{"DYS19": 14, "DYS385": "11,14"}``; empty values are untyped."""
        if not isinstance(values, Mapping):
            raise KinshipInputError("a Y haplotype must map marker names to alleles")
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
                    f"mtDNA position {position} appears twice ({found[position]}, {variant}); keep one"
                )
            found[position] = variant
        spans = None
        if ranges is not None:
            spans = []
            for part in ranges.replace(",", " ").split():
                m = re.fullmatch(r"(\d+)-(\d+)", part)
                if not m:
                    raise KinshipInputError(f"mtDNA range {part!r} must look like 16024-16365")
                spans.append((int(m.group(1)), int(m.group(2))))
            spans = tuple(spans)
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

    def count(self, query: YHaplotype | MtHaplotype) -> tuple[int, int]:
        """(copies of `query`, number of comparable haplotypes)."""
        x = n = 0
        for haplotype, count in self.entries:
            same = _same_in_database(query, haplotype)
            if same is None:
                continue
            n += count
            x += count if same else 0
        if n == 0:
            raise KinshipInputError(
                f"no haplotype in database '{self.population}' covers the specimen's markers "
                "or ranges; use a database typed for the same kit"
            )
        return x, n


@dataclass(frozen=True)
class LineageRelative:
    """A relative with a Y or mtDNA haplotype."""

    id: str
    relationship: str
    haplotype: YHaplotype | MtHaplotype


@dataclass(frozen=True)
class Comparison:
    """The specimen against one relative on a line."""

    relative: str
    relationship: str
    meioses: int
    differences: tuple[str, ...]
    status: LineStatus


@dataclass(frozen=True)
class LineageResult:
    """The LR of one line (Y or mtDNA) and how it was reached."""

    line: Literal["Y", "mtDNA"]
    lr: float
    status: LineStatus
    comparisons: tuple[Comparison, ...] = ()
    best: str | None = None
    count: int | None = None
    total: int | None = None
    frequency_bound: float | None = None
    note: str = ""


def y_lr(
    specimen: YHaplotype,
    relatives: Sequence[LineageRelative],
    database: HaplotypeDatabase,
    *,
    victim_sex: Sex = "M",
    rate: float = Y_MUTATION_RATE,
    max_steps: int = Y_MAX_STEPS,
) -> LineageResult:
    """Y-STR LR of "specimen is V" against "unrelated", from V's paternal-line relatives."""
    if victim_sex == "F":
        return LineageResult("Y", 1.0, "not applicable", note="a female victim has no Y line")
    on_line = _on_line(relatives, victim_sex, "Y", YHaplotype)
    if not on_line:
        return LineageResult("Y", 1.0, "not applicable", note="no relative with a Y haplotype is on V's paternal line")
    comparisons = []
    for rel, k in on_line:
        diffs, steps, hard = _y_differences(specimen, rel.haplotype)  # type: ignore[arg-type]
        if not diffs:
            status: LineStatus = "match"
        elif hard or steps > max_steps:
            status = "exclusion"
        else:
            status = "mutation"
        comparisons.append(Comparison(rel.id, rel.relationship, k, tuple(diffs), status))
    return _decide("Y", specimen, comparisons, database, rate)


def mt_lr(
    specimen: MtHaplotype,
    relatives: Sequence[LineageRelative],
    database: HaplotypeDatabase,
    *,
    victim_sex: Sex = "M",
) -> LineageResult:
    """mtDNA LR of "specimen is V" against "unrelated", from V's maternal-line relatives."""
    on_line = _on_line(relatives, victim_sex, "mtDNA", MtHaplotype)
    if not on_line:
        return LineageResult(
            "mtDNA", 1.0, "not applicable", note="no relative with an mtDNA haplotype is on V's maternal line"
        )
    comparisons = []
    for rel, k in on_line:
        diffs = _mt_differences(specimen, rel.haplotype)  # type: ignore[arg-type]
        status: LineStatus = "match" if not diffs else "inconclusive" if len(diffs) == 1 else "exclusion"
        comparisons.append(Comparison(rel.id, rel.relationship, k, tuple(diffs), status))
    return _decide("mtDNA", specimen, comparisons, database, 0.0)


def combined_lr(autosomal: float, *lines: LineageResult) -> float:
    """Autosomal LR times each line's LR (independent given the relationship)."""
    return autosomal * math.prod(line.lr for line in lines)


def y_line_meioses(pedigree: Pedigree, person: str) -> int | None:
    """Meioses between V and `person` along father links, or None if not on V's Y line."""
    if pedigree.victim_sex != "M" or pedigree[person].sex != "M":
        return None
    return _meet(pedigree, person, "father")


def mt_line_meioses(pedigree: Pedigree, person: str) -> int | None:
    """Meioses between V and `person` along mother links, or None if not on V's mt line."""
    return _meet(pedigree, person, "mother")


def _meet(pedigree: Pedigree, person: str, link: str) -> int | None:
    def line(pid: str | None) -> list[str]:
        out = []
        while pid is not None:
            out.append(pid)
            pid = getattr(pedigree[pid], link)
        return out

    mine = line(pedigree.victim)
    for depth, pid in enumerate(line(person)):
        if pid in mine:
            return depth + mine.index(pid)
    return None


def _on_line(
    relatives: Sequence[LineageRelative], victim_sex: Sex, line: str, kind: type
) -> list[tuple[LineageRelative, int]]:
    for r in relatives:
        if not isinstance(r, LineageRelative):
            raise KinshipInputError(f"each relative must be a LineageRelative, not {r!r}")
    typed = [r for r in relatives if isinstance(r.haplotype, kind)]
    pedigree = build_pedigree([(r.id, r.relationship) for r in typed], victim_sex=victim_sex)
    meioses = y_line_meioses if line == "Y" else mt_line_meioses
    out = []
    for r in typed:
        if r.id in pedigree.ids:
            k = meioses(pedigree, r.id)
            if k is not None:
                out.append((r, k))
    return out


def _decide(
    line: Literal["Y", "mtDNA"],
    specimen: YHaplotype | MtHaplotype,
    comparisons: list[Comparison],
    database: HaplotypeDatabase,
    rate: float,
) -> LineageResult:
    done = tuple(comparisons)
    excluded = [c for c in comparisons if c.status == "exclusion"]
    if excluded:
        names = ", ".join(f"{c.relative} ({c.relationship})" for c in excluded)
        return LineageResult(
            line, 0.0, "exclusion", done, note=f"the specimen's {line} haplotype excludes it against {names}"
        )
    usable = [c for c in comparisons if c.status in ("match", "mutation")]
    if not usable:
        return LineageResult(line, 1.0, "inconclusive", done, note="one difference from every relative on the line")
    best = min(usable, key=lambda c: (len(c.differences), c.meioses))
    x, n = database.count(specimen)
    bound = clopper_pearson_upper(x, n)
    lr = 1 / bound if best.status == "match" else (best.meioses * rate / 2) / bound
    return LineageResult(line, lr, best.status, done, best.relative, x, n, bound)


def _split(value: object) -> list[object]:
    if value is None:
        return []
    if isinstance(value, tuple | list):
        return [v for v in value if v is not None and str(v).strip() not in ("", "-")]
    text = str(value).strip()
    if text in ("", "-", "NA"):
        return []
    return [p for p in re.split(r"[\s,/;]+", text) if p]


def _y_differences(a: YHaplotype, b: YHaplotype) -> tuple[list[str], int, bool]:
    """Differences, their total repeat steps, and whether any is not a step mutation."""
    diffs: list[str] = []
    steps = 0
    hard = False
    for marker in sorted(set(a.alleles) & set(b.alleles)):
        x, y = a.alleles[marker], b.alleles[marker]
        if x == y:
            continue
        xs, ys = (x,) if isinstance(x, str) else x, (y,) if isinstance(y, str) else y
        diffs.append(f"{marker}: {'/'.join(xs)} vs {'/'.join(ys)}")
        if len(xs) != len(ys):
            hard = True
            continue
        for u, v in zip(xs, ys, strict=True):
            d = abs(float(u) - float(v))
            if d != round(d):
                hard = True
            steps += round(d)
    return diffs, steps, hard


def _mt_differences(a: MtHaplotype, b: MtHaplotype) -> list[str]:
    common = _overlap(a.ranges, b.ranges)
    sa, sb = a.states(common), b.states(common)
    out = []
    for pos in sorted(set(sa) | set(sb), key=float):
        if sa.get(pos) != sb.get(pos):
            out.append(f"{pos}: {sa.get(pos, 'ref')} vs {sb.get(pos, 'ref')}")
    return out


def _same_in_database(query: YHaplotype | MtHaplotype, entry: object) -> bool | None:
    if isinstance(query, YHaplotype):
        if not isinstance(entry, YHaplotype):
            return None
        if any(m not in entry.alleles for m in query.alleles):
            return None
        return all(entry.alleles[m] == v for m, v in query.alleles.items())
    if not isinstance(entry, MtHaplotype):
        return None
    if (
        query.ranges is not None
        and entry.ranges is not None
        and not all(any(lo <= qlo and qhi <= hi for lo, hi in entry.ranges) for qlo, qhi in query.ranges)
    ):
        return None
    return entry.states(query.ranges) == query.states(query.ranges)


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
        raise KinshipInputError(f"mtDNA variant {token!r} must be a position and a base, like 16223T, 315.1C or 523DEL")
    base = m.group(3)
    base = "DEL" if base in ("-", "D", "DEL") else base
    return f"{m.group(2)}{base}"


def _position(variant: str) -> str:
    return re.match(r"\d+(?:\.\d+)?", variant).group(0)  # type: ignore[union-attr]


def _inside(position: str, spans: tuple[tuple[int, int], ...]) -> bool:
    p = int(float(position))
    return any(lo <= p <= hi for lo, hi in spans)
