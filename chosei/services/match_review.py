"""Reading the matches back: the list of candidates or pairs, a specimen's ranking, and
one pair in detail (per-marker LRs, relatives and pedigree, Y and mtDNA findings, and
the quality checks of `qc`: elimination set, Mendelian consistency, amelogenin).

The detail is recomputed from the store with the parameters the stored pair was
computed with (`MatchResult.parameters`), so it explains the stored number; if the
store changed since the run (a new profile, a withdrawn consent), the detail says so.
"""

from __future__ import annotations

import json
import math
from typing import Any

from sqlalchemy import and_, exists, or_, select
from sqlmodel import Session, col

from chosei.donor_lines import MT, Y
from chosei.errors import InvalidInput
from chosei.i18n import _
from chosei.kinship import FrequencyTable, KinshipError, closed_set, kinship_lr, match_batch, mt_lr, y_lr
from chosei.kinship.genotypes import profile_alleles
from chosei.models import DnaGroup, Identification, MatchResult
from chosei.reports.labels import Labels
from chosei.reports.plain import plain_words
from chosei.services.case import expected_roster
from chosei.services.clans import clan_of
from chosei.services.lookup import get_specimen, get_victim
from chosei.services.match_families import VictimFamily, families_of, victim_family
from chosei.services.match_lrs import kinship_message, specimen_dropout
from chosei.services.match_options import DEFAULT_THRESHOLD, MatchOptions
from chosei.services.match_snp import pair_evidence
from chosei.services.profiles import CaseDna, Profile, load_case_dna
from chosei.services.qc import amelogenin_check, elimination_hits, mendel_inconsistent
from chosei.services.victims import display_name


def last_threshold(session: Session) -> float:
    """The candidate threshold of the stored run (the default when nothing was run)."""
    text = session.execute(select(col(MatchResult.parameters)).limit(1)).scalar_one_or_none()
    return float(json.loads(text).get("threshold", DEFAULT_THRESHOLD)) if text else DEFAULT_THRESHOLD


def _pair_dict(m: MatchResult | None, d: Identification | None) -> dict[str, Any]:
    ref = m if m is not None else d
    assert ref is not None, "a pair has a match result, a decision or both"
    params = json.loads(m.parameters) if m is not None and m.parameters else {}
    return {
        "specimen_id": ref.specimen_id,
        "victim_id": ref.victim_id,
        "lr": m.lr if m is not None else (d.lr if d is not None else None),
        "posterior": m.posterior if m is not None else (d.posterior if d is not None else None),
        "status": d.status if d is not None else None,
        "autosomal_lr": m.autosomal_lr if m is not None else None,
        "y_lr": m.y_lr if m is not None else None,
        "mt_lr": m.mt_lr if m is not None else None,
        "excluded_markers": (m.excluded_markers or "").split(", ") if m is not None and m.excluded_markers else [],
        "computed": m is not None,
        "population": params.get("population"),
        "sample_id": m.sample_id if m is not None else None,
        "decided_on": d.decided_on if d is not None else None,
        "decided_by": d.decided_by if d is not None else None,
        "notes": d.notes if d is not None else None,
    }


def list_matches(session: Session, *, every: bool = False, specimen: str | None = None,
                 victim: str | None = None) -> list[dict[str, Any]]:
    """Candidates (LR at or above the run's threshold, or with a decision), or every pair.

    Ordered by specimen, then LR from strongest; pairs decided on without a computed
    match (imported, or decided before any run) carry `computed: false`.
    """
    sid = get_specimen(session, specimen).id if specimen else None
    vid = get_victim(session, victim).id if victim else None
    where_m = [c for c in (col(MatchResult.specimen_id) == sid if sid else None,
                           col(MatchResult.victim_id) == vid if vid else None) if c is not None]
    where_d = [c for c in (col(Identification.specimen_id) == sid if sid else None,
                           col(Identification.victim_id) == vid if vid else None) if c is not None]
    decided = {(d.specimen_id, d.victim_id): d for d in
               session.execute(select(Identification).where(*where_d)).scalars()}
    query = select(MatchResult).where(*where_m)
    if not every:
        has_row = exists().where(and_(col(Identification.specimen_id) == MatchResult.specimen_id,
                                      col(Identification.victim_id) == MatchResult.victim_id))
        query = query.where(or_(col(MatchResult.lr) >= last_threshold(session), has_row))
    out = []
    seen = set()
    for m in session.execute(query).scalars():
        seen.add((m.specimen_id, m.victim_id))
        out.append(_pair_dict(m, decided.get((m.specimen_id, m.victim_id))))
    out += [_pair_dict(None, d) for pair, d in decided.items() if pair not in seen]
    out.sort(key=lambda r: (r["specimen_id"], -(r["lr"] if r["lr"] is not None else -1), r["victim_id"]))
    return out


def specimen_ranking(session: Session, specimen: str) -> dict[str, Any]:
    """Every computed victim for one specimen, strongest first, with its decisions."""
    spec = get_specimen(session, specimen)
    pairs = list_matches(session, every=True, specimen=spec.id)
    for rank, row in enumerate(pairs, 1):
        row["rank"] = rank
    confirmed = [p["victim_id"] for p in pairs if p["status"] == "confirmed"]
    hits = elimination_hits(load_case_dna(session), [spec.id]).get(spec.id, [])
    out = {"specimen_id": spec.id, "threshold": last_threshold(session), "confirmed": confirmed, "pairs": pairs,
           "prior_n": None, "open_prior": None, "remainder": None, "open_share": None,
           "elimination": [h.message() for h in hits]}
    computed = [p for p in pairs if p["computed"]]
    if computed:
        params = json.loads(session.execute(select(col(MatchResult.parameters)).limit(1)).scalar_one() or "{}")
        n, open_prior = int(params.get("prior_n") or expected_roster(session)), float(params.get("open_prior", 0.0))
        found = closed_set([p["lr"] for p in computed], n, open_prior)
        out.update(prior_n=n, open_prior=open_prior, remainder=float(found.remainder),
                   open_share=float(found.open_share))
    return out


def match_detail(session: Session, specimen: str, victim: str, lang: str = "en") -> dict[str, Any]:
    """One pair explained: plain words (in `lang`), parameters, relatives and pedigree,
    per-marker LRs, Y and mtDNA, the closed-set posterior and its remainder."""
    Labels(lang)  # refuse a bad language before any work
    spec = get_specimen(session, specimen)
    vic = get_victim(session, victim)
    stored = session.execute(
        select(MatchResult).where(col(MatchResult.specimen_id) == spec.id, col(MatchResult.victim_id) == vic.id)
    ).scalar_one_or_none()
    decision = session.execute(
        select(Identification)
        .where(col(Identification.specimen_id) == spec.id, col(Identification.victim_id) == vic.id)
    ).scalar_one_or_none()
    any_params = stored.parameters if stored is not None else session.execute(
        select(col(MatchResult.parameters)).limit(1)).scalar_one_or_none()
    options = MatchOptions.from_parameters(any_params).checked()
    dna = load_case_dna(session)
    prior_n = int(json.loads(any_params).get("prior_n", 0)) if any_params else 0
    prior_n = prior_n or expected_roster(session)
    out: dict[str, Any] = {
        "specimen_id": spec.id, "victim_id": vic.id, "victim_name": display_name(vic),
        "parameters": {"theta": options.theta, "mutation": options.model().describe(),
                       "threshold": options.threshold, "y": options.describe_y()},
        "stored": None if stored is None else {"lr": stored.lr, "posterior": stored.posterior,
                                              "computed_at": stored.computed_at},
        "decision": None if decision is None else {
            "status": decision.status, "decided_on": decision.decided_on, "decided_by": decision.decided_by,
            "notes": decision.notes},
        "prior_n": prior_n, "open_prior": options.open_prior, "notes": [],
    }
    modelled = options.dropout != 0
    profile = dna.specimens.get(spec.id)
    profile = profile.for_matching(modelled) if profile else None
    fam = victim_family(dna, options, vic.id)
    out["specimen_samples"] = list(profile.samples) if profile else []
    out["specimen_conflicts"] = list(profile.conflicts) if profile else []
    out["specimen_recovered"] = profile.recovered_notes if profile else []
    out["specimen_typed"] = {Y: bool(profile and profile.y is not None), MT: bool(profile and profile.mt is not None)}
    out["relatives"] = _relatives(dna, fam, vic.id)
    out["qc"] = {"elimination": [h.message() for h in elimination_hits(dna, [spec.id]).get(spec.id, [])],
                 "amelogenin": amelogenin_check(profile.amelogenin if profile else None, dna.victims[vic.id][1]),
                 "mendel_inconsistent": [], "explained_by_mutation": []}
    if profile is None:
        out["notes"].append(_("specimen {spec_id} has no typed sample: nothing to compare").format(spec_id=spec.id))
        return out
    if fam is None or not fam.used:
        out["notes"].append(_("victim {vic_id} has no typed relative whose DNA may be used: nothing to compare").format(
                                vic_id=vic.id))
        return out
    out["parameters"]["population"] = fam.population
    out["pedigree"] = list(fam.pedigree.describe())
    families, _unused = families_of(dna, options)
    group = [f for f in families.values() if f.population == fam.population]
    seen = profile_alleles([*(p.for_matching(modelled).autosomal for p in dna.specimens.values()),
                            *(r.profile.autosomal for f in group for r in f.used)])  # type: ignore[union-attr]
    table = dna.table(fam.population)
    stored_rate = json.loads(stored.parameters).get("specimen_dropout") if stored and stored.parameters else None
    dropout = stored_rate if stored_rate is not None else \
        specimen_dropout(dna, {spec.id: profile}, fam.population, options)[spec.id]
    out["parameters"].update(dropout=dropout, drop_in=options.drop_in or 0.0,
                             dropout_estimated=options.dropout is None)
    try:
        aut = kinship_lr(profile.autosomal, list(fam.family.relatives), table.completed(seen),
                         victim_sex=fam.sex, theta=options.theta, mutation=options.model(), victim_id=vic.id,
                         pedigree=fam.pedigree, dropout=dropout, drop_in=options.drop_in or 0.0)
    except KinshipError as exc:
        raise InvalidInput(kinship_message(exc)) from None
    out["markers"] = _markers(dna, fam, profile.autosomal, aut, table)
    if options.model().is_trivial and not dropout:
        inconsistent = [m.marker for m in aut.markers if m.status == "exclusion"]
    else:  # the pair again without mutation and dropout: what those models explain
        inconsistent = mendel_inconsistent(profile, list(fam.family.relatives), table.completed(seen),
                                           victim_sex=fam.sex, victim_id=vic.id, theta=options.theta,
                                           pedigree=fam.pedigree)
    explained = {m.marker for m in aut.markers if m.marker in inconsistent and m.status != "exclusion"}
    for row, m in zip(out["markers"], aut.markers, strict=True):
        row["mendel"] = "inconsistent" if m.marker in inconsistent else "consistent"
    out["qc"]["mendel_inconsistent"] = [dna.display(m) for m in inconsistent]
    out["qc"]["explained_by_mutation"] = [dna.display(m) for m in inconsistent if m in explained]
    out["autosomal_lr"] = aut.total_lr
    dna_group = _group_of(session, dna, spec.id, stored, modelled)
    y_profile = mt_profile = profile
    if dna_group is not None:
        gid, members = dna_group
        out["autosomal_lr"] = _group_lr(dna, fam, gid, members, table.completed(seen), options)
        out["group"] = {"group_id": gid, "members": [m.owner for m in members]}
        out["notes"].append(
            _("matched as DNA group {gid} ({m_owner}), all its members' typings together: autosomal LR "
              "{out_autosomal_lr:.6g}; the markers below are this specimen's own").format(
                gid=gid, m_owner=', '.join(m.owner for m in members), out_autosomal_lr=out['autosomal_lr']))
        y_profile = max(members, key=lambda m: len(m.y_text))
        mt_profile = next((m for m in members if m.mt is not None), members[0])
    lines = {}
    for line, kind, own in (("Y", "Y", y_profile), ("mtDNA", "mt", mt_profile)):
        lines[line] = _line(dna, fam, own, line, kind, options)
    out["y"], out["mt"] = lines["Y"], lines["mtDNA"]
    out["clan"] = [{"victim_id": v, "victim_name": display_name(get_victim(session, v))} for v in clan_of(dna, vic.id)]
    out["snp"] = pair_evidence(session, spec.id, profile, fam, options)
    autosomal = out["autosomal_lr"] if out["snp"] is None else 10 ** min(out["snp"]["log10_lr"], 300.0)
    lr = autosomal * math.prod(v["lr"] for v in lines.values() if v["lr"] is not None)
    out["lr"] = min(lr, 1e300)
    out.update(_closed_set_view(session, spec.id, vic.id, out["lr"], prior_n, options.open_prior))
    out["excluded"] = [m["marker"] for m in out["markers"] if m["status"] == "exclusion"] + [
        label for label, v in (("Y-STR", lines["Y"]), ("mtDNA", lines["mtDNA"])) if v["status"] == "exclusion"]
    out["plain"] = plain_words(out, lang)
    if stored is not None and not math.isclose(stored.lr, out["lr"], rel_tol=1e-9, abs_tol=0):
        out["notes"].append(_("the store changed since the last run (stored LR {stored_lr:.6g}); run `chosei "
                              "match run` to refresh it").format(stored_lr=stored.lr))
    if stored is None:
        out["notes"].append(_("this pair was not computed by the last run; run `chosei match run`"))
    return out


def _group_of(session: Session, dna: CaseDna, specimen: str, stored: MatchResult | None,
              modelled: bool) -> tuple[str, list[Profile]] | None:
    """The DNA group this specimen was matched as (the stored row says so), with its members'
    profiles as they are now; None when it was matched alone."""
    gid = json.loads(stored.parameters).get("group") if stored is not None and stored.parameters else None
    if gid is None or not modelled:
        return None
    members = [sid for sid in session.execute(
        select(col(DnaGroup.specimen_id)).where(col(DnaGroup.group_id) == gid)
        .order_by(DnaGroup.specimen_id)).scalars()
        if sid in dna.specimens]
    if specimen not in members or len(members) < 2:
        return None
    return gid, [dna.specimens[m].for_matching(True) for m in members]


def _group_lr(dna: CaseDna, fam: VictimFamily, gid: str, members: list[Profile], table: FrequencyTable,
              options: MatchOptions) -> float:
    """The autosomal LR of a DNA group against one family, as `match run` computes it."""
    rates = specimen_dropout(dna, {m.owner: m for m in members}, fam.population, options)
    try:
        found = match_batch({m.owner: m.autosomal for m in members}, [fam.family], table, theta=options.theta,
                            mutation=options.model(), dropout=rates, drop_in=options.drop_in or 0.0,
                            groups={gid: [m.owner for m in members]})
    except KinshipError as exc:
        raise InvalidInput(kinship_message(exc)) from None
    return float(found.lr[-1, 0])


def _closed_set_view(session: Session, specimen: str, victim: str, lr: float, n_expected: int,
                     open_prior: float) -> dict[str, Any]:
    """This pair's closed-set posterior among the specimen's stored pairs (this pair's LR as
    recomputed), the remainder and open share, and the victims the DNA cannot tell apart from
    this one (an LR above 1 equal to this pair's within 1e-9, relative)."""
    row = {v: lr for v, lr in session.execute(
        select(col(MatchResult.victim_id), col(MatchResult.lr)).where(col(MatchResult.specimen_id) == specimen))}
    row[victim] = lr
    victims = sorted(row)
    if len(victims) > n_expected:
        raise InvalidInput(_("{n_victims} victims were compared but the case expects only {n_expected}; the "
                             "expected roster (`chosei init --expected`) must count every victim").format(
                               n_victims=len(victims), n_expected=n_expected))
    found = closed_set([row[v] for v in victims], n_expected, open_prior)
    tied = [v for v in victims if v != victim and lr > 1 and math.isclose(row[v], lr, rel_tol=1e-9, abs_tol=0)]
    return {"posterior": float(found.posteriors[victims.index(victim)]), "remainder": float(found.remainder),
            "open_share": float(found.open_share), "compared": len(victims),
            "indistinguishable": [{"victim_id": v, "victim_name": display_name(get_victim(session, v)),
                                   "posterior": float(found.posteriors[victims.index(v)])} for v in tied]}


def _relatives(dna: CaseDna, fam: VictimFamily | None, victim: str) -> list[dict[str, Any]]:
    rows = []
    used = {r.id for r in fam.used} if fam else set()
    unused = {r.id: why for r, why in fam.unused} if fam else {}
    y_k = {r.id: k for r, k in fam.y_line} if fam else {}
    mt_k = {r.id: k for r, k in fam.mt_line} if fam else {}
    shown = {r.id: r for r in dna.relatives.get(victim, [])}
    if fam:  # a family tree may hold relatives entered under another victim of it
        shown.update({r.id: r for r in (*fam.used, *(r for r, _ in fam.unused))})
    for r in sorted(shown.values(), key=lambda r: r.id):
        p = r.profile
        typed = []
        if p is not None:
            if p.autosomal:
                typed.append(f"{len(p.autosomal)} STR")
            if p.y is not None:
                typed.append("Y-STR")
            if p.mt is not None:
                typed.append("mtDNA")
        if r.id in used:
            use = "used"
        elif r.id in unused:
            use = unused[r.id]
        else:
            use = _("not typed yet")
        rows.append({"relative_id": r.id, "relationship": r.relationship, "typed": ", ".join(typed) or "-",
                     "samples": list(p.samples) if p else [], "use": use,
                     "y_meioses": y_k.get(r.id), "mt_meioses": mt_k.get(r.id)})
    return rows


def _markers(dna: CaseDna, fam: VictimFamily, spec: dict[str, Any], aut: Any, table: Any) -> list[dict[str, Any]]:
    out = []
    for m in aut.markers:
        listed = set(table.listed(m.marker)) if m.marker in table else set()
        genotypes = {r.id: str(g) for r in fam.used if (g := r.dna.autosomal.get(m.marker))}
        alleles = {a for g in [spec.get(m.marker), *(r.dna.autosomal.get(m.marker) for r in fam.used)]
                   if g is not None for a in g.alleles}
        out.append({"marker": dna.display(m.marker), "specimen": str(spec[m.marker]) if m.marker in spec else "-",
                    "relatives": genotypes, "lr": m.lr, "status": m.status,
                    "floored": sorted(alleles - listed, key=float)})
    return out


def _line(dna: CaseDna, fam: VictimFamily, profile: Any, line: str, kind: str,
          options: MatchOptions) -> dict[str, Any]:
    hap = profile.y if line == "Y" else profile.mt
    on_line = fam.y_line if line == "Y" else fam.mt_line
    empty: dict[str, Any] = {"lr": None, "status": "not applicable", "comparisons": [], "count": None, "total": None,
             "frequency_bound": None, "frequency_method": None}
    if hap is None:
        return {**empty, "note": _("the specimen has no {line} result").format(line=line)}
    if not on_line:
        return {**empty, "note": _("no typed relative on the victim's paternal line") if line == "Y"
                else _("no typed relative on the victim's maternal line")}
    db = dna.database(fam.population, kind)
    if db is None:
        return {**empty, "note": _("no {line} haplotype database for population '{fam_population}'").format(
                                     line=line, fam_population=fam.population)}
    try:
        if line == "Y":
            res = y_lr(hap, fam.lineage(line), db, victim_sex=fam.sex, mutation=options.y_model(),
                       frequency=options.y_frequency, pedigree=fam.pedigree)  # type: ignore[arg-type]  # checked: MatchOptions.checked
        else:
            res = mt_lr(hap, fam.lineage(line), db, victim_sex=fam.sex, pedigree=fam.pedigree,
                        frequency=options.mt_frequency)  # type: ignore[arg-type]  # checked: MatchOptions.checked
    except KinshipError as exc:
        raise InvalidInput(kinship_message(exc)) from None
    return {
        "lr": res.lr, "status": res.status, "note": res.note, "best": res.best, "count": res.count,
        "total": res.total, "frequency_bound": res.frequency_bound, "frequency_method": res.frequency_method,
        "comparisons": [{"relative_id": c.relative, "relationship": c.relationship, "meioses": c.meioses,
                         "differences": list(c.differences), "status": c.status,
                         "probability": c.probability} for c in res.comparisons],
    }
