"""Y-STR and mtDNA: lineage markers passed down one line without recombination.

**Who is on which line** is read from the same pedigree as the autosomal LR
(`pedigree.build_pedigree`): two people share a Y chromosome when both are male and
their father-to-father lines meet; they share mtDNA when their mother-to-mother lines
meet (a person's own mtDNA comes from the mother). The number of meioses is the
number of links from each to where the lines meet. For a male victim V:

* Y line: ``father`` 1, ``son`` 1, ``brother`` 2, ``half-brother (paternal)`` 2,
  ``son's son`` 2, ``brother's son`` 3, and every longer path through men only that
  goes sideways through V's father's side (``father's brother's son`` 4).
* mtDNA line: ``mother`` 1, ``brother`` / ``sister`` 2, ``half-brother (maternal)`` /
  ``half-sister (maternal)`` 2, ``sister's son`` / ``sister's daughter`` 3, and every
  longer path up through mothers and down through daughters (``mother's sister's
  son`` 4). V's children and grandchildren carry their other parent's mtDNA.
  (`chosei.donor_lines` derives the same lines from the path alone; a test checks they
  agree.)

A female victim has no Y line; her children and her daughter's children join her
mtDNA line.

**Frequencies** are counted in a reference database of haplotypes with counts
(`haplotypes.HaplotypeDatabase`). With x copies of the specimen's haplotype among n
comparable haplotypes (entries lacking a marker or range the specimen has are left
out of n), the frequency used is the upper bound of the two-sided 95 % Clopper-Pearson
interval for x/n, so an unseen haplotype (x = 0) still gets a positive, conservative
frequency (e.g. 0.00368 for 0 of 1000): ``frequency="count"``. **The default,
``"kappa"``** (Y and mtDNA): a haplotype that no database of the case holds (neither
the victim's population's nor `HaplotypeDatabase.others`, the case's other
populations') gets Brenner's frequency of an unseen haplotype
(`haplotypes.kappa_frequency`, the largest over those databases), every other one the
counting bound; so kappa never gives a smaller LR than counting. A Y frequency may
instead be the discrete Laplace estimate (``"disclap"``, `disclap`) or that estimate
guarded (``"guarded"``: the largest over the case's databases' models, never below
Brenner's frequency). docs/kinship.md gives the measured effect of each.

**Y-STR comparison** (`haplotypes.y_differences`). Markers typed in both haplotypes
are compared; multi-copy loci (DYS385 a/b, DYF387S1, ...) compare as unordered lists
of equal length. The mutation model (`y_mutation.YMutation`: per-locus published
rates, partial-repeat rate2, multi-step mutations, summed over every mutation path
through the k meioses) gives the probability of the differing loci: identical
haplotypes give ``LR = 1 / frequency``; differences give ``LR = P(differences | k) /
frequency``, flagged "mutation"; a copy-number change, more than `max_loci` differing
loci, or a difference no mutation path reaches is an exclusion (LR 0).

**mtDNA comparison** (`haplotypes.mt_differences`). A haplotype is the set of its
differences from the reference sequence (``16223T 16362C 73G``), optionally with the
ranges sequenced; only the ranges both cover are compared. Identical: ``LR = 1 /
upper bound``. One difference: inconclusive (LR 1, flagged; a mutation cannot be told
from a different line). More: exclusion (LR 0). A point heteroplasmy (IUPAC code,
``16093Y``) matches either of its bases and is no difference.

**Several relatives on one line.** The specimen must be consistent with every one of
them (any exclusion excludes). The line then enters ONCE, from the best-placed
relative: the most probable comparison, then the fewest meioses. Relatives on one line
carry the same haplotype barring mutation, so a second one adds a check, not a
factor; and when one relative matches exactly while another differs by a step, the
mutation is more likely in the other relative's line than between V and the
specimen, so the most probable comparison decides (then the fewest meioses).

**Combining with the autosomal LR** (`combined_lr`): given the relationship, Y, mtDNA
and autosomal markers are inherited independently (different chromosomes, no
recombination between them), so the LRs multiply: ``LR = LR_aut x LR_Y x LR_mt``.

**Many specimens at once** (`y_lr_batch`, `mt_lr_batch`): each family's line is read
from its pedigree once, and a vectorised test over all (specimen, relative) pairs
finds those that differ too much to be anything but an exclusion (more differing Y
markers than the model's `max_loci`; three or more mtDNA variants in the symmetric
difference when neither side states ranges). Those get LR 0 at once; every other pair
gets the full comparison `y_lr` / `mt_lr` make, so each LR is theirs.

**Clans** (`y_clans`): victims whose Y-line relatives carry the same haplotype; the Y
line alone cannot tell them apart.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, cast

import numpy as np
from numpy.typing import NDArray

from chosei.i18n import _
from chosei.kinship.errors import KinshipInputError
from chosei.kinship.haplotypes import (
    HaplotypeDatabase,
    MtHaplotype,
    YHaplotype,
    clopper_pearson_upper,
    describe_y_difference,
    mt_differences,
    y_differences,
)
from chosei.kinship.pedigree import Pedigree, Sex, build_pedigree
from chosei.kinship.y_mutation import Y_DEFAULT_RATE, YMutation, line_factor

Y_MUTATION_RATE = Y_DEFAULT_RATE
"""Average Y-STR mutation rate per locus per meiosis (simulations; the LR uses `YMutation`)."""

LineStatus = Literal["match", "mutation", "inconclusive", "exclusion", "not applicable"]
FrequencyMethod = Literal["count", "kappa", "disclap", "guarded"]
Y_FREQUENCY: FrequencyMethod = "kappa"
"""The default Y frequency: Brenner's kappa for a haplotype unseen in every database of the
case, else the counting bound (`count` alone, or `disclap`, on request)."""
FREQUENCY_METHODS: tuple[str, ...] = ("count", "kappa", "disclap", "guarded")
MT_FREQUENCY: FrequencyMethod = "kappa"
"""The default mtDNA frequency: as for Y (`count` on request; `disclap` is Y only)."""
MT_FREQUENCY_METHODS: tuple[str, ...] = ("count", "kappa")


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
    probability: float = 1.0  # Y: the mutation model's probability of the differences


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
    frequency_bound: float | None = None  # the frequency the LR divides by
    note: str = ""
    frequency_method: FrequencyMethod = "count"


def y_lr(
    specimen: YHaplotype,
    relatives: Sequence[LineageRelative],
    database: HaplotypeDatabase,
    *,
    victim_sex: Sex = "M",
    mutation: YMutation | None = None,
    frequency: FrequencyMethod = Y_FREQUENCY,
    pedigree: Pedigree | None = None,
) -> LineageResult:
    """Y-STR LR of "specimen is V" against "unrelated", from V's paternal-line relatives
    (placed by their relationship terms, or in `pedigree`, a family tree)."""
    if victim_sex == "F":
        return LineageResult("Y", 1.0, "not applicable", note=_("a female victim has no Y line"))
    on_line = _on_line(relatives, victim_sex, "Y", YHaplotype, pedigree)
    if not on_line:
        return LineageResult("Y", 1.0, "not applicable",
                             note=_("no relative with a Y haplotype is on V's paternal line"))
    return _compare("Y", specimen, on_line, database, _model(mutation), _method(frequency))


def mt_lr(
    specimen: MtHaplotype,
    relatives: Sequence[LineageRelative],
    database: HaplotypeDatabase,
    *,
    victim_sex: Sex = "M",
    pedigree: Pedigree | None = None,
    frequency: FrequencyMethod = MT_FREQUENCY,
) -> LineageResult:
    """mtDNA LR of "specimen is V" against "unrelated", from V's maternal-line relatives
    (placed by their relationship terms, or in `pedigree`, a family tree)."""
    on_line = _on_line(relatives, victim_sex, "mtDNA", MtHaplotype, pedigree)
    if not on_line:
        return LineageResult(
            "mtDNA", 1.0, "not applicable", note=_("no relative with an mtDNA haplotype is on V's maternal line")
        )
    return _compare("mtDNA", specimen, on_line, database, YMutation(), _mt_method(frequency))


def _model(mutation: YMutation | None) -> YMutation:
    if mutation is None:
        return YMutation()
    if not isinstance(mutation, YMutation):
        raise KinshipInputError(_("the Y mutation model must be a YMutation, not {mutation!r}").format(
                                    mutation=mutation))
    return mutation


def _method(frequency: str) -> FrequencyMethod:
    if frequency not in FREQUENCY_METHODS:
        choices = ", ".join(FREQUENCY_METHODS)
        raise KinshipInputError(_("Y frequency method {frequency!r} is unknown; choose one of {choices}").format(
                                    frequency=frequency, choices=choices))
    return cast("FrequencyMethod", frequency)  # one of FREQUENCY_METHODS, checked above


def _mt_method(frequency: str) -> FrequencyMethod:
    if frequency not in MT_FREQUENCY_METHODS:
        choices = ", ".join(MT_FREQUENCY_METHODS)
        raise KinshipInputError(f"mtDNA frequency method {frequency!r} is unknown; choose one of {choices}")
    return cast("FrequencyMethod", frequency)  # one of MT_FREQUENCY_METHODS, checked above


def combined_lr(autosomal: float, *lines: LineageResult) -> float:
    """Autosomal LR times each line's LR (independent given the relationship)."""
    return autosomal * math.prod(line.lr for line in lines)


@dataclass(frozen=True)
class LineageFamily:
    """A victim and his relatives with a Y or mtDNA haplotype, for the batch forms."""

    victim: str
    relatives: tuple[LineageRelative, ...]
    victim_sex: Sex = "M"
    pedigree: Pedigree | None = None  # a family tree; else the relationship terms build it


@dataclass(frozen=True)
class LineageBatch:
    """One line's LR of every specimen (rows) against every victim (columns).

    Each is `y_lr` / `mt_lr`'s LR for that pair: 0 for an exclusion, NaN where the line
    does not apply (the specimen has no haplotype of that kind, no relative is on V's
    line, or the Y line of a female victim).
    """

    line: Literal["Y", "mtDNA"]
    specimens: tuple[str, ...]
    victims: tuple[str, ...]
    lr: NDArray[np.float64]


def y_lr_batch(
    specimens: Mapping[str, YHaplotype | None],
    families: Sequence[LineageFamily],
    database: HaplotypeDatabase,
    *,
    mutation: YMutation | None = None,
    frequency: FrequencyMethod = Y_FREQUENCY,
) -> LineageBatch:
    """`y_lr` of every specimen ({id: haplotype or None}) against every family."""
    return _batch("Y", specimens, families, database, _model(mutation), _method(frequency))


def mt_lr_batch(
    specimens: Mapping[str, MtHaplotype | None],
    families: Sequence[LineageFamily],
    database: HaplotypeDatabase,
    *,
    frequency: FrequencyMethod = MT_FREQUENCY,
) -> LineageBatch:
    """`mt_lr` of every specimen ({id: haplotype or None}) against every family."""
    return _batch("mtDNA", specimens, families, database, YMutation(), _mt_method(frequency))


def _batch(
    line: Literal["Y", "mtDNA"],
    specimens: Mapping[str, YHaplotype | MtHaplotype | None],
    families: Sequence[LineageFamily],
    database: HaplotypeDatabase,
    mutation: YMutation,
    frequency: FrequencyMethod,
) -> LineageBatch:
    """Each family's line once; the pairs `_certainly_excluded` finds get 0 at once, every
    other pair `_compare` (what `y_lr` / `mt_lr` run), so each LR is theirs."""
    kind = YHaplotype if line == "Y" else MtHaplotype
    spec_ids = tuple(specimens)
    typed = [i for i, sid in enumerate(spec_ids) if specimens[sid] is not None]
    for i in typed:
        if not isinstance(specimens[spec_ids[i]], kind):
            raise KinshipInputError(_("specimen {spec_ids!r}: a {line} haplotype must be a {kind_name}").format(
                                        spec_ids=spec_ids[i], line=line, kind_name=kind.__name__))
    lines = []
    for f in families:
        if not isinstance(f, LineageFamily):
            raise KinshipInputError(_("each family must be a LineageFamily(victim, relatives), not {f!r}").format(f=f))
        female_y = line == "Y" and f.victim_sex == "F"
        lines.append([] if female_y else _on_line(f.relatives, f.victim_sex, line, kind, f.pedigree))
    lr = np.full((len(spec_ids), len(families)), np.nan)
    members = [(c, rel) for c, on_line in enumerate(lines) for rel, _k in on_line]
    haps = [h for i in typed if (h := specimens[spec_ids[i]]) is not None]  # all of typed
    if haps and members:
        excluded = _certainly_excluded(haps, [rel.haplotype for _, rel in members], line, mutation.max_loci)
        for c, on_line in enumerate(lines):
            if not on_line:
                continue
            cols = [j for j, (owner, _) in enumerate(members) if owner == c]
            out = np.asarray(excluded[:, cols].any(axis=1))
            for t, i in enumerate(typed):
                if out[t]:
                    lr[i, c] = 0.0
                    continue
                try:
                    lr[i, c] = _compare(line, haps[t], on_line, database, mutation, frequency).lr
                except KinshipInputError as exc:
                    raise KinshipInputError(_("specimen {spec_ids}, victim {victim}: {exc}").format(
                                                spec_ids=spec_ids[i], victim=families[c].victim, exc=exc)) from None
    return LineageBatch(line, spec_ids, tuple(f.victim for f in families), lr)


def _certainly_excluded(
    specimens: Sequence[YHaplotype | MtHaplotype],
    relatives: Sequence[YHaplotype | MtHaplotype],
    line: str,
    max_loci: int,
) -> NDArray[np.bool_]:
    """[specimen, relative] True only where `_compare` would find an exclusion.

    Y: more than `max_loci` differing markers exclude (alleles are normalised, so
    different text is a different number). mtDNA, neither with
    sequenced ranges: three or more variants in the symmetric difference span at
    least two positions, more than the one difference still read as inconclusive.
    Anything closer is left to the full comparison.
    """
    if line == "Y":
        # `line` says which kind both sides are (`_batch` checked every specimen)
        y_specimens = cast("Sequence[YHaplotype]", specimens)
        y_relatives = cast("Sequence[YHaplotype]", relatives)
        markers = sorted({m for h in [*y_specimens, *y_relatives] for m in h.alleles})
        codes: dict[object, int] = {}

        def encode(haps: Sequence[YHaplotype]) -> NDArray[np.int32]:
            return np.array(
                [[codes.setdefault(h.alleles[m], len(codes)) if m in h.alleles else -1 for m in markers] for h in haps],
                dtype=np.int32,
            ).reshape(len(haps), len(markers))

        a, b = encode(y_specimens), encode(y_relatives)
        out = np.zeros((len(a), len(b)), dtype=bool)
        step = max(1, 4_000_000 // max(1, len(b) * len(markers)))  # bounded memory
        for start in range(0, len(a), step):
            x = a[start : start + step, None, :]
            differ = ((x != b[None, :, :]) & (x >= 0) & (b[None, :, :] >= 0)).sum(axis=2)
            out[start : start + step] = differ > max_loci
        return out
    mt_specimens = cast("Sequence[MtHaplotype]", specimens)
    mt_relatives = cast("Sequence[MtHaplotype]", relatives)
    variants = {v: i for i, v in enumerate(sorted({v for h in [*mt_specimens, *mt_relatives] for v in h.variants}))}

    def onehot(haps: Sequence[MtHaplotype]) -> NDArray[np.float32]:
        hot = np.zeros((len(haps), len(variants)), dtype=np.float32)
        for i, h in enumerate(haps):
            hot[i, [variants[v] for v in h.variants]] = 1
        return hot

    fa, fb = onehot(mt_specimens), onehot(mt_relatives)
    symmetric: NDArray[np.float32] = fa.sum(1)[:, None] + fb.sum(1)[None, :] - 2 * (fa @ fb.T)
    ranged: NDArray[np.bool_] = np.array([h.ranges is not None for h in mt_specimens])[:, None] | np.array(
        [h.ranges is not None for h in mt_relatives]
    )[None, :]
    return (symmetric >= 3) & ~ranged


def y_clans(families: Sequence[LineageFamily]) -> list[tuple[str, ...]]:
    """Victims whose paternal lines carry one Y haplotype: a clan (or a village's line).

    Two male victims are joined when a relative on one's Y line and a relative on the
    other's have the same haplotype (the same markers, the same alleles); joins are
    transitive. A specimen with that haplotype gets the same Y LR against each of them,
    so the Y line alone cannot tell them apart. Each clan sorted, clans in order of
    their first victim; victims alone are left out.
    """
    owner: dict[tuple[tuple[str, object], ...], str] = {}
    parent: dict[str, str] = {}

    def root(v: str) -> str:
        while parent.setdefault(v, v) != v:
            v = parent[v]
        return v

    for f in families:
        if not isinstance(f, LineageFamily):
            raise KinshipInputError(_("each family must be a LineageFamily(victim, relatives), not {f!r}").format(f=f))
        if f.victim_sex == "F":
            continue
        for rel, _k in _on_line(f.relatives, f.victim_sex, "Y", YHaplotype):
            key = tuple(sorted(cast(YHaplotype, rel.haplotype).alleles.items()))  # on the Y line: a Y haplotype
            first = owner.setdefault(key, f.victim)
            a, b = root(first), root(f.victim)
            if a != b:
                parent[max(a, b)] = min(a, b)
    groups: dict[str, list[str]] = {}
    for v in parent:
        groups.setdefault(root(v), []).append(v)
    return sorted(tuple(sorted(g)) for g in groups.values() if len(g) > 1)


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
    relatives: Sequence[LineageRelative], victim_sex: Sex, line: str, kind: type,
    pedigree: Pedigree | None = None,
) -> list[tuple[LineageRelative, int]]:
    for r in relatives:
        if not isinstance(r, LineageRelative):
            raise KinshipInputError(_("each relative must be a LineageRelative, not {r!r}").format(r=r))
    typed = [r for r in relatives if isinstance(r.haplotype, kind)]
    if pedigree is None:
        pedigree = build_pedigree([(r.id, r.relationship) for r in typed], victim_sex=victim_sex)
    meioses = y_line_meioses if line == "Y" else mt_line_meioses
    out = []
    for r in typed:
        if r.id in pedigree.ids:
            k = meioses(pedigree, r.id)
            if k is not None:
                out.append((r, k))
    return out


def _compare(
    line: Literal["Y", "mtDNA"],
    specimen: YHaplotype | MtHaplotype,
    on_line: list[tuple[LineageRelative, int]],
    database: HaplotypeDatabase,
    mutation: YMutation,
    frequency: FrequencyMethod,
) -> LineageResult:
    """The specimen against each relative on the line (with meioses), then the line's LR."""
    comparisons = []
    for rel, k in on_line:
        status: LineStatus
        probability = 1.0
        # `line` says which kind both haplotypes are (`_on_line` and the callers checked)
        if line == "Y":
            found = y_differences(cast(YHaplotype, specimen), cast(YHaplotype, rel.haplotype))
            diffs = [describe_y_difference(d) for d in found]
            probability = line_factor(mutation, found, k)
            status = "match" if not found else "mutation" if probability > 0 else "exclusion"
        else:
            diffs = mt_differences(cast(MtHaplotype, specimen), cast(MtHaplotype, rel.haplotype))
            status = "match" if not diffs else "inconclusive" if len(diffs) == 1 else "exclusion"
        comparisons.append(Comparison(rel.id, rel.relationship, k, tuple(diffs), status, probability))
    return _decide(line, specimen, comparisons, database, frequency)


def _decide(
    line: Literal["Y", "mtDNA"],
    specimen: YHaplotype | MtHaplotype,
    comparisons: list[Comparison],
    database: HaplotypeDatabase,
    frequency: FrequencyMethod,
) -> LineageResult:
    done = tuple(comparisons)
    excluded = [c for c in comparisons if c.status == "exclusion"]
    if excluded:
        names = ", ".join(f"{c.relative} ({c.relationship})" for c in excluded)
        return LineageResult(
            line, 0.0, "exclusion", done, note=_("the specimen's {line} haplotype excludes it against {names}").format(
                                                   line=line, names=names)
        )
    usable = [c for c in comparisons if c.status in ("match", "mutation")]
    if not usable:
        return LineageResult(line, 1.0, "inconclusive", done, note=_("one difference from every relative on the line"))
    best = max(usable, key=lambda c: (c.probability, -c.meioses))
    x, n = database.count(specimen)
    method = frequency
    unseen = database.unseen_frequency(specimen) if frequency == "kappa" else None
    if frequency == "disclap":
        freq, n = database.disclap(cast(YHaplotype, specimen))  # disclap is Y only (`_method`)
        if freq <= 0:
            raise KinshipInputError(_("the discrete Laplace frequency underflowed to 0; use --y-frequency count"))
    elif frequency == "guarded":
        freq, n = database.disclap_guarded(cast(YHaplotype, specimen))
    elif unseen is not None:
        freq = unseen
    else:
        freq, method = clopper_pearson_upper(x, n), "count"  # kappa: seen in a database of the case
    return LineageResult(line, best.probability / freq, best.status, done, best.relative, x, n, freq,
                         frequency_method=method)
