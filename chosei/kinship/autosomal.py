"""Autosomal STR likelihood ratio: "the specimen is victim V" against "unrelated".

* **H1**: the specimen is V. One pedigree holds V (typed with the specimen's
  profile) and every typed relative at once (`pedigree.build_pedigree`).
* **H2**: the specimen is somebody unrelated to V's family, from the same
  population. The relatives keep the same pedigree with V untyped (forrel's
  ``missingPersonLR`` convention); the specimen is one more founder.

Per marker the LR is ``P(data | H1) / P(data | H2)``, each an exact pedigree
likelihood over all typed relatives together (`likelihood.marker_likelihood`), so a
son and a brother are combined correctly rather than multiplied pairwise. The total
LR is the product over markers (markers are taken as independent; no linkage).

* A marker untyped in the specimen, or in every relative, contributes 1.
* A partial genotype ``a/-`` sums over the missing allele.
* A genotype that cannot arise under H1 (with no, or too little, mutation) gives LR 0
  at that marker: an exclusion, listed in `KinshipResult.excluded_markers`.
* If the relatives' genotypes are impossible even under H2, no LR exists and
  `InconsistentFamilyError` names the marker.
* `theta` applies the Balding-Nichols correction; `mutation` a `MutationModel`.
* Alleles absent from the frequency table are floored as `frequencies` describes;
  `MarkerResult.floored` lists them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal, cast

import numpy as np

from chosei.i18n import _
from chosei.kinship import genotype_index
from chosei.kinship.dropout import check_rates, is_off, observation_terms
from chosei.kinship.dropout import describe as dropout_text
from chosei.kinship.errors import InconsistentFamilyError, KinshipInputError
from chosei.kinship.frequencies import FrequencyTable
from chosei.kinship.genotypes import Genotype, Profile, parse_profile
from chosei.kinship.likelihood import Marker, marker_likelihood, observation_tables
from chosei.kinship.markers import normalise_marker
from chosei.kinship.mutation import MutationModel
from chosei.kinship.pedigree import Pedigree, Sex, build_pedigree

NO_MUTATION = MutationModel()


@dataclass(frozen=True)
class Relative:
    """A profiled relative: an id, a vocabulary term, and the profile."""

    id: str
    relationship: str
    profile: Profile = field(default_factory=dict)

    @classmethod
    def of(cls, id: str, relationship: str, profile: Mapping[str, object]) -> Relative:
        """A relative from raw values: ``Relative.of("R1", "son", {"D3S1358": "15/16"})``."""
        return cls(id, relationship, parse_profile(profile, what=_("profile of relative {id!r}").format(id=id)))


@dataclass(frozen=True)
class MarkerResult:
    """The LR at one marker and the two likelihoods it divides."""

    marker: str
    lr: float
    h1: float
    h2: float
    status: Literal["informative", "exclusion", "untyped"]
    floored: tuple[str, ...] = ()


@dataclass(frozen=True)
class KinshipResult:
    """The outcome of `kinship_lr`; `describe()` gives lines for display."""

    victim: str
    total_lr: float
    markers: tuple[MarkerResult, ...]
    pedigree: Pedigree
    population: str
    theta: float
    mutation: MutationModel
    dropout: float = 0.0
    drop_in: float = 0.0

    @property
    def per_marker(self) -> dict[str, float]:
        return {m.marker: m.lr for m in self.markers}

    @property
    def excluded_markers(self) -> tuple[str, ...]:
        return tuple(m.marker for m in self.markers if m.status == "exclusion")

    @property
    def untyped_markers(self) -> tuple[str, ...]:
        return tuple(m.marker for m in self.markers if m.status == "untyped")

    @property
    def is_exclusion(self) -> bool:
        return self.total_lr == 0

    @property
    def log10_lr(self) -> float:
        return math.log10(self.total_lr) if self.total_lr > 0 else -math.inf

    @property
    def typed_relatives(self) -> tuple[str, ...]:
        return tuple(p.id for p in self.pedigree.persons if p.typed and p.id != self.victim)

    def describe(self) -> tuple[str, ...]:
        informative = sum(m.status != "untyped" for m in self.markers)
        model = "" if is_off(self.dropout, self.drop_in) else f"specimen {dropout_text(self.dropout, self.drop_in)}, "
        head = (
            f"H1: the specimen is {self.victim}; H2: the specimen is unrelated "
            f"(population {self.population}, theta {self.theta:g}, "
            f"mutation {self.mutation.describe()}, {model}{informative} informative markers)",
        )
        return head + self.pedigree.describe()


def kinship_lr(
    specimen: Mapping[str, object],
    relatives: Sequence[Relative],
    table: FrequencyTable,
    *,
    victim_sex: Sex = "M",
    theta: float = 0.0,
    mutation: MutationModel | None = None,
    victim_id: str = "V",
    pedigree: Pedigree | None = None,
    dropout: float = 0.0,
    drop_in: float = 0.0,
) -> KinshipResult:
    """LR that `specimen` ({marker: genotype}) is the victim whose `relatives` are given.

    A ready `pedigree` (a family tree) replaces the one their relationship terms build;
    relatives not in it are left out. `dropout` and `drop_in` model a degraded specimen
    (`dropout` module); both 0 is the exact model without them.
    """
    mutation = mutation or NO_MUTATION
    check_theta(theta)
    check_rates(dropout, drop_in)
    spec = as_profile(specimen, "specimen profile")
    if pedigree is None:
        pedigree = build_pedigree(
            [(r.id, r.relationship) for r in _relatives(relatives)], victim_sex=victim_sex, victim_id=victim_id
        )
    else:
        _relatives(relatives)
    in_pedigree = set(pedigree.ids)
    profiles = {r.id: as_profile(r.profile, _("profile of relative {id!r}").format(id=r.id))
                for r in relatives if r.id in in_pedigree}
    markers = _marker_order(spec, profiles.values())
    results = []
    for marker in markers:
        family = {rid: p[marker] for rid, p in profiles.items() if marker in p}
        g = spec.get(marker)
        if g is None or not family:
            results.append(MarkerResult(marker, 1.0, 1.0, 1.0, "untyped"))
            continue
        results.append(marker_lr(pedigree, g, family, table, marker, theta, mutation, dropout, drop_in))
    total = math.prod(m.lr for m in results)
    typed = {pedigree.victim, *(rid for rid, p in profiles.items() if p)}
    # a relative with an empty profile stays in the pedigree but is shown untyped
    persons = tuple(p if p.id in typed or not p.typed else replace(p, typed=False) for p in pedigree.persons)
    shown = Pedigree(persons, pedigree.victim, pedigree.victim_sex, pedigree.excluded)
    return KinshipResult(pedigree.victim, total, tuple(results), shown, table.population, theta, mutation,
                         dropout, drop_in)


def marker_lr(
    pedigree: Pedigree,
    specimen: Genotype,
    family: Mapping[str, Genotype],
    table: FrequencyTable,
    marker: str,
    theta: float = 0.0,
    mutation: MutationModel = NO_MUTATION,
    dropout: float = 0.0,
    drop_in: float = 0.0,
) -> MarkerResult:
    """The LR at one marker, for a specimen genotype and the relatives' genotypes."""
    seen = {a for g in (specimen, *family.values()) for a in g.alleles}
    mf = table.marker(marker, seen)
    engine = Marker.of(mf, mutation.matrix(mf))
    if is_off(dropout, drop_in):
        h1 = marker_likelihood(pedigree, {**family, pedigree.victim: specimen}, engine, theta=theta)
        h2 = marker_likelihood(pedigree, family, engine, theta=theta, unrelated=[specimen])
    else:
        h1, h2 = _observed(pedigree, specimen, family, engine, theta, dropout, drop_in)
    if h2 == 0:
        who = ", ".join(f"{rid} {g}" for rid, g in family.items())
        raise InconsistentFamilyError(
            _("at marker {mf_marker} the relatives' genotypes ({who}) cannot arise from the stated "
              "relationships; check the typing and the relationships, or use a mutation model").format(
                mf_marker=mf.marker, who=who)
        )
    lr = h1 / h2
    return MarkerResult(mf.marker, lr, h1, h2, "exclusion" if lr == 0 else "informative", mf.floored)


def _observed(
    pedigree: Pedigree,
    specimen: Genotype,
    family: Mapping[str, Genotype],
    engine: Marker,
    theta: float,
    dropout: float,
    drop_in: float,
) -> tuple[float, float]:
    """(H1, H2) of the specimen's observation with dropout: ``Σ_g P(relatives, g) P(O | g)``."""
    n = engine.n
    full = n * (n + 1) // 2
    obs = engine.allele_index(specimen, "the specimen")
    obs = (obs[0], obs[0]) if obs[1] is None and not specimen.is_partial else obs
    needed = np.append(np.arange(full), genotype_index.index_of(specimen, engine.index, n))
    h1s, h2s = observation_tables(pedigree, family, engine, theta, needed)
    if h2s[-1] <= 0 or np.any(h2s[needed] <= 0):
        return 0.0, 0.0
    terms = observation_terms([obs], engine.freqs, drop_in)
    out = []
    for h in (h1s[:full], h2s[:full]):
        c0, c1, c2 = (float(h @ a[0]) for a in terms)
        out.append(max(c0 + dropout * c1 + dropout * dropout * c2, 0.0))
    return out[0], out[1]


def check_theta(theta: float) -> None:
    if isinstance(theta, bool) or not isinstance(theta, int | float) or not 0 <= theta < 1:
        raise KinshipInputError(_("theta must be a number in [0, 1), not {theta!r}").format(theta=theta))


def as_profile(values: Mapping[str, object], what: str) -> Profile:
    if isinstance(values, Mapping) and all(isinstance(g, Genotype) for g in values.values()):
        return {normalise_marker(m): cast(Genotype, g) for m, g in values.items()}  # all checked just above
    return parse_profile(values, what=what)


def _relatives(relatives: Sequence[Relative]) -> list[Relative]:
    if isinstance(relatives, Relative | str) or not isinstance(relatives, Sequence):
        raise KinshipInputError(_("relatives must be a list of Relative(id, relationship, profile)"))
    for r in relatives:
        if not isinstance(r, Relative):
            raise KinshipInputError(_("each relative must be a Relative, not {r!r}").format(r=r))
    return list(relatives)


def _marker_order(spec: Profile, profiles: Iterable[Profile]) -> list[str]:
    order = list(spec)
    for profile in profiles:
        order.extend(m for m in profile if m not in order)
    return order
