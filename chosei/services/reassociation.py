"""`chosei match reassociate`: which recovered specimens are one person, by direct DNA match.

The statistic is the kinship library's (`kinship.group_specimens`): two specimens'
autosomal profiles compared directly, LR "same person" against "two unrelated
people"; a pair at or above the threshold (default 10⁶) is a link, and linked
specimens form one group. Here:

* Every specimen with an autosomal profile (several samples merged, see `profiles`)
  takes part; a specimen typed only for Y-STR or mtDNA cannot be told apart from a
  relative on the same line and is left out.
* Pairs that cannot be one person are named to the library, which reports them as
  conflicts if DNA groups them anyway: two of the same unpaired bone (two crania), or
  two of the same paired bone on the same side (two left femurs).
* **Every** profiled specimen gets a `DnaGroup` row, a single one its own group, so that
  the number of groups is the number of individuals DNA tells apart; `status` takes
  the minimum number of individuals as at least that many. Group IDs are ``G-`` and
  the group's smallest specimen ID, so a re-run gives the same IDs.
* Degraded bone: each specimen's dropout probability (`--dropout`, by default estimated
  from its own profile as `match run` does) and the drop-in rate (`--drop-in`) enter
  the direct match (`kinship.reassociation`), so ``12/14`` against ``12/12`` can still
  link two bones of one man; replicates differing by dropout are merged as for
  matching (`profiles`). ``--dropout 0`` is the exact comparison without the model.
* Frequencies: `--population`, else the only table, else the table of the nationality
  most victims have (an identical 20-marker profile gives an LR far above 10⁶ with any
  of them, so the choice rarely changes a link).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from chosei.errors import InvalidInput
from chosei.i18n import _
from chosei.kinship import KinshipError, group_specimens
from chosei.kinship.reassociation import DEFAULT_REASSOCIATION_LR
from chosei.mni import exclusive_slot
from chosei.models import DnaGroup, Specimen
from chosei.services.match_lrs import specimen_dropout
from chosei.services.match_options import MatchOptions
from chosei.services.profiles import CaseDna, load_case_dna

DEFAULT_THRESHOLD = DEFAULT_REASSOCIATION_LR


@dataclass
class ReassociationSummary:
    population: str
    threshold: float
    theta: float
    groups: list[dict[str, Any]]  # group_id, specimens, links
    left_out: list[str]  # specimens without an autosomal profile
    conflicts: list[str]
    created: int
    changed: int
    removed: int

    @property
    def individuals(self) -> int:
        return len(self.groups)


def _population(dna: CaseDna, chosen: str | None) -> str:
    if chosen:
        dna.table(chosen)
        return chosen
    if not dna.populations:
        dna.table("?")  # raises: the store has no table
    if len(dna.populations) == 1:
        return dna.populations[0]
    counts = Counter(nat for nat, _sex in dna.victims.values() if nat in dna.frequency_rows)
    return counts.most_common(1)[0][0] if counts else dna.populations[0]


def _cannot_link(session: Session, ids: set[str]) -> list[tuple[str, str]]:
    """Pairs of specimens that are two bones one skeleton has only once."""
    by_bone: dict[tuple[str, str], list[str]] = {}
    for sid, element, side in session.execute(select(col(Specimen.id), col(Specimen.element), col(Specimen.side))):
        slot = exclusive_slot(element, side)
        if sid in ids and slot is not None:
            by_bone.setdefault(slot, []).append(sid)
    return [pair for members in by_bone.values() for pair in combinations(sorted(members), 2)]


def reassociate(session: Session, *, threshold: float = DEFAULT_THRESHOLD, population: str | None = None,
                theta: float = 0.0, dropout: float | None = None,
                drop_in: float | None = None) -> ReassociationSummary:
    """Group the profiled specimens into individuals and store the groups (`dropout` None:
    estimated per specimen; `drop_in` None: the default rate, 0 with `dropout` 0)."""
    if not (threshold > 1):
        raise InvalidInput(_("--threshold must be a likelihood ratio above 1, not {threshold:g}").format(
                               threshold=threshold))
    if not 0 <= theta < 1:
        raise InvalidInput(_("--theta must be at least 0 and below 1, not {theta:g}").format(theta=theta))
    options = MatchOptions(theta=theta, dropout=dropout, drop_in=drop_in).checked()
    dna = load_case_dna(session)
    pop = _population(dna, population)
    specimens = {sid: p.for_matching(options.dropout != 0) for sid, p in sorted(dna.specimens.items())}
    profiles = {sid: p.autosomal for sid, p in specimens.items() if p.autosomal}
    left_out = sorted(sid for sid, p in specimens.items() if not p.autosomal)
    if not profiles:
        raise InvalidInput(_("no specimen has an autosomal profile yet; import the profiles (Profiles sheet) first"))
    table = dna.table(pop)
    rates = specimen_dropout(dna, {sid: specimens[sid] for sid in profiles}, pop, options)
    try:
        result = group_specimens(profiles, table, threshold=threshold, theta=theta,
                                 cannot_link=_cannot_link(session, set(profiles)), dropout=rates,
                                 drop_in=options.drop_in or 0.0)
    except KinshipError as exc:
        raise InvalidInput(str(exc)) from None
    groups: list[dict[str, Any]] = []
    wanted: dict[str, str] = {}
    for members in result.groups:
        ids = sorted(members)
        gid = f"G-{ids[0]}"
        links: list[dict[str, Any]] = [
            {"a": m.a, "b": m.b, "lr": m.lr, "random_match_probability": m.random_match_probability,
             "markers": len(m.compared_markers)}
            for m in result.links if m.a in members]
        groups.append({"group_id": gid, "specimens": ids,
                       "links": sorted(links, key=lambda x: (x["a"], x["b"]))})
        for sid in ids:
            wanted[sid] = gid
    groups.sort(key=lambda g: g["group_id"])
    created = changed = removed = 0
    existing = {row.specimen_id: row for row in session.execute(select(DnaGroup)).scalars()}
    for sid, row in existing.items():
        if sid not in wanted:
            session.delete(row)
            removed += 1
        elif row.group_id != wanted[sid]:
            row.group_id = wanted[sid]
            changed += 1
    for sid, gid in wanted.items():
        if sid not in existing:
            session.add(DnaGroup(specimen_id=sid, group_id=gid))
            created += 1
    session.flush()
    conflicts = [_("{a} and {b}: {why}").format(a=a, b=b, why=why) for a, b, why in result.conflicts]
    return ReassociationSummary(pop, threshold, theta, groups, left_out, conflicts, created, changed, removed)
