"""Quality checks beside the LR: the elimination set, Mendelian consistency, amelogenin.

An LR answers "how much more probable is this DNA if the bone is his?"; it does not say
whether the DNA is the bone's. Three checks the field runs before trusting it:

* **Elimination set.** The people who handled the bones (divers, anthropologists, lab
  staff) leave their DNA on them. Their reference profiles are samples of type
  `elimination` with no specimen and no relative (`chosei sample add ELIM-01 --type
  elimination`, typed through the Profiles sheet like any sample); every specimen is
  compared with each of them directly, before any family. A **hit**: at least
  `ELIMINATION_MIN_MARKERS` autosomal markers typed in both and none disagreeing, where
  the specimen's alleles need only be among the staff member's (a bone showing ``12/12``
  or ``12/-`` may have lost the 14 of a ``12/14``: drop-out does not clear a suspect), and
  no Y-STR or mtDNA difference. A hit means the specimen's profile may be the handler's,
  not the bone's: it is flagged in `match run`, `match show` and `check`, and its
  matches must not be trusted until the bone is re-sampled.
* **Mendelian consistency.** With a mutation model on (the default), a marker where the
  specimen cannot be the victim by Mendel's laws alone gets a small LR instead of 0, so
  the exclusion disappears from view. `mendel_inconsistent` recomputes the pair without
  mutation and lists those markers; `match show` counts them even when the mutation model
  explains them. One may be a mutation; two or more call for a second look (a mix-up, a
  wrong relationship, another man).
* **Amelogenin.** The sex marker: X,Y is male, X alone female. A specimen showing Y
  against a victim recorded female, or X only against a male victim, is flagged. X only
  from a man is common in degraded bone (the Y peak drops out, as any allele can), so for
  a male victim it is a caveat, not an exclusion; Y seen is never drop-out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from chosei.i18n import _
from chosei.kinship import KinshipError, kinship_lr
from chosei.kinship.genotypes import Genotype
from chosei.kinship.pedigree import Sex
from chosei.services.profiles import CaseDna, Profile

ELIMINATION_MIN_MARKERS = 8

AMEL_MALE = "X,Y"
AMEL_FEMALE = "X"


@dataclass(frozen=True)
class EliminationHit:
    """A specimen whose profile agrees with a staff member's elimination profile."""

    specimen: str
    sample: str  # the staff member's elimination sample
    markers: int  # autosomal markers typed in both, all agreeing
    lines: tuple[str, ...]  # "Y-STR" / "mtDNA" when those agree too

    def message(self) -> str:
        fields = {"specimen": self.specimen, "sample": self.sample, "markers": self.markers}
        if not self.lines:
            return _("specimen {specimen} agrees with elimination profile {sample} at all {markers} autosomal "
                     "markers typed in both: its DNA may be the handler's, not the bone's; do not rely on its "
                     "matches until the bone is re-sampled").format(**fields)
        lines = self.lines[0] if len(self.lines) == 1 else _("{first} and {second}").format(
            first=", ".join(self.lines[:-1]), second=self.lines[-1])
        return _("specimen {specimen} agrees with elimination profile {sample} at all {markers} autosomal "
                 "markers typed in both and its {lines}: its DNA may be the handler's, not the bone's; do not "
                 "rely on its matches until the bone is re-sampled").format(lines=lines, **fields)


def _agrees(spec: Genotype, staff: Genotype) -> bool:
    """The specimen's alleles could come from the staff member (allowing drop-out in the bone)."""
    if staff.is_partial:
        return spec.is_partial or staff.first in spec.alleles
    return set(spec.alleles) <= set(staff.alleles)


def elimination_hit(specimen: str, spec: Profile, sample: str, staff: Profile) -> EliminationHit | None:
    """The hit of one specimen against one staff profile, or None (module docstring)."""
    shared = [m for m in spec.autosomal if m in staff.autosomal]
    if len(shared) < ELIMINATION_MIN_MARKERS:
        return None
    if not all(_agrees(spec.autosomal[m], staff.autosomal[m]) for m in shared):
        return None
    lines = []
    if spec.y_text and staff.y_text:
        common = set(spec.y_text) & set(staff.y_text)
        if any(spec.y_text[m] != staff.y_text[m] for m in common):
            return None
        if common:
            lines.append("Y-STR")
    if spec.mt_text and staff.mt_text:
        if spec.mt_text != staff.mt_text:
            return None
        lines.append("mtDNA")
    return EliminationHit(specimen, sample, len(shared), tuple(lines))


def elimination_hits(dna: CaseDna, specimens: list[str] | None = None) -> dict[str, list[EliminationHit]]:
    """Specimen → its hits against the elimination set (only specimens with a hit)."""
    out: dict[str, list[EliminationHit]] = {}
    for sid in specimens if specimens is not None else list(dna.specimens):
        spec = dna.specimens.get(sid)
        if spec is None:
            continue
        for sample, staff in dna.elimination.items():
            hit = elimination_hit(sid, spec, sample, staff)
            if hit is not None:
                out.setdefault(sid, []).append(hit)
    return out


def amelogenin_check(amelogenin: str | None, victim_sex: str | None) -> dict[str, Any] | None:
    """The sex check of a specimen's amelogenin against the victim's recorded sex; None when
    there is nothing to check (no AMEL result, or no recorded sex)."""
    if not amelogenin or victim_sex not in ("M", "F"):
        return None
    shown = amelogenin.upper()
    male = "Y" in shown.split(",")
    if victim_sex == "F" and male:
        return {"amelogenin": shown, "status": "inconsistent",
                "note": _("the specimen shows a Y (amelogenin X,Y) but the victim is recorded female; a Y peak "
                          "does not appear by drop-out: check the victim's record or the sample")}
    if victim_sex == "M" and not male:
        return {"amelogenin": shown, "status": "caveat",
                "note": _("the specimen shows X only but the victim is male; in degraded bone the Y peak often "
                          "drops out, so this does not exclude him, but a clean X-only result from good DNA would")}
    return {"amelogenin": shown, "status": "consistent", "note": None}


def mendel_inconsistent(spec: Profile, relatives: list[Any], table: Any, *, victim_sex: Sex, victim_id: str,
                        theta: float, pedigree: Any = None) -> list[str]:
    """The markers (normalised names) where the specimen cannot be the victim without a
    mutation: the pair's per-marker LR without a mutation model is 0."""
    try:
        plain = kinship_lr(spec.autosomal, relatives, table, victim_sex=victim_sex, theta=theta,
                           victim_id=victim_id, pedigree=pedigree)
    except KinshipError:
        return []
    return [m.marker for m in plain.markers if m.status == "exclusion"]
