"""Demo recoveries: dives, the bones they brought up, who really each bone is, bone samples.

The first specimens follow what was reported: in August 2025 a left femur, a left
humerus, a left radius and a cranium near the T-junction about 43 m down; in February
2026 a cranium, cervical vertebrae and teeth, one with a gold crown. More are
generated. The remains are commingled: the August femur and humerus are one man, the
radius and the cranium two others, which only DNA can tell (`truth`).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from chosei.demo.custody import CRIME_LAB, RETURNED_ON, record_custody
from chosei.demo.families import CLOSE, TODAY, Families, timeline
from chosei.demo.genetics import KIT_JP, KIT_KR, LONG_MARKERS, Y_MARKERS
from chosei.demo.roster import VictimPlan
from chosei.kinship import closed_set

LABS = {"NPA": ("NPA forensic lab (JP)", KIT_JP), "NFS": ("NFS (KR)", KIT_KR)}

# id (its date), site, notes, specimens generated besides the reported ones, depth range
OPERATIONS = (
    ("OP-2025-06-18", "Chosei mine, entrance tunnel and piya No. 1", "survey dive; bones "
     "seen near the T-junction, none brought up", 0, (0, 0)),
    ("OP-2025-08-25", "Chosei mine, main tunnel near the T-junction", "first recovery: "
     "four bones handed to the police", 0, (42.5, 43.5)),
    ("OP-2025-08-26", "Chosei mine, main tunnel near the T-junction", None, 5, (42.0, 44.0)),
    ("OP-2025-10-28", "Chosei mine, main tunnel past the T-junction", None, 10, (43.0, 46.0)),
    ("OP-2026-02-07", "Chosei mine, east drift off the T-junction", "cranium, cervical "
     "vertebrae and teeth found together", 0, (44.0, 45.0)),
    ("OP-2026-02-08", "Chosei mine, east drift off the T-junction", None, 6, (44.0, 47.0)),
    ("OP-2026-06-16", "Chosei mine, main tunnel near piya No. 2", "joint dive with "
     "Korean divers", 12, (38.0, 44.0)),
    ("OP-2026-10-20", "Chosei mine, collapsed section near piya No. 2", None, 8, (40.0, 45.0)),
)
# (operation, element, side, portion, notes) for the reported finds.
REPORTED = (
    ("OP-2025-08-25", "femur", "left", "complete", None),
    ("OP-2025-08-25", "humerus", "left", "complete", None),
    ("OP-2025-08-25", "radius", "left", "complete", None),
    ("OP-2025-08-25", "cranium", "midline", "calvarium with face", None),
    ("OP-2026-02-07", "cranium", "midline", "calvarium", None),
    ("OP-2026-02-07", "vertebra", "midline", "cervical, C2-C4 in articulation", None),
    ("OP-2026-02-07", "tooth", "left", "upper first molar", "gold crown (gold tooth)"),
    ("OP-2026-02-07", "tooth", "right", "lower canine", None),
    ("OP-2026-02-07", "tooth", "right", "upper second premolar", None),
)
ELEMENTS = {"femur": 14, "humerus": 12, "tibia": 10, "radius": 5, "ulna": 4, "fibula": 3,
            "pelvis": 3, "mandible": 4, "fragment": 10, "vertebra": 5, "rib": 4,
            "clavicle": 2, "scapula": 2}
UNPAIRED = frozenset({"cranium", "mandible", "vertebra"})
MANY = frozenset({"tooth", "vertebra", "rib", "fragment"})
PORTIONS = ("complete", "proximal half", "distal half", "shaft")
CONDITIONS = ("good; dark staining", "eroded surface", "brittle; marine encrustation",
              "good; sediment in the medullary cavity", "fragmentary; soft")


@dataclass
class Recovery:
    operations: list[dict[str, object]] = field(default_factory=list)
    specimens: list[dict[str, object]] = field(default_factory=list)
    samples: list[dict[str, object]] = field(default_factory=list)
    custody: list[dict[str, object]] = field(default_factory=list)
    identifications: list[dict[str, object]] = field(default_factory=list)
    truth: dict[str, str] = field(default_factory=dict)  # specimen → victim
    # (sample, victim, kit, untyped markers, dropped markers) for each profiled sample
    profiles: list[tuple[str, str, tuple[str, ...], frozenset[str], frozenset[str]]] = \
        field(default_factory=list)
    problems: dict[str, list[str]] = field(default_factory=dict)
    timelines: dict[str, dict[str, dt.date]] = field(default_factory=dict)  # sample → days


def _at(day: dt.date, hour: int, minute: int = 0) -> str:
    return f"{day.isoformat()}T{hour:02d}:{minute:02d}"


def _individuals(rng: random.Random, roster: list[VictimPlan], fam: Families) -> list[str]:
    """The recovered men, in the order the story needs them (see `plan_recovery`)."""
    typed: dict[str, set[str]] = {}
    for r in fam.relatives:
        if r.typed:
            typed.setdefault(r.victim.id, set()).add(r.relationship)
    related = {r.victim.id for r in fam.relatives}
    used: list[str] = []

    def take(ids: list[str]) -> str:
        free = [i for i in ids if i not in used] or [v.id for v in roster if v.id not in used]
        used.append(rng.choice(free))
        return used[-1]

    kr = [v.id for v in roster if v.nationality == "KR"]
    close = [i for i in kr if typed.get(i, set()) & CLOSE]
    y_only = [i for i in kr if i in typed and not typed[i] & CLOSE
              and typed[i] & {"son's son", "brother's son"}]
    mt_only = [i for i in kr if i in typed and not typed[i] & CLOSE
               and typed[i] & {"sister's son", "sister's daughter"}]
    jp = [v.id for v in roster if v.nationality == "JP" and v.id in typed]
    for pool in (close, close, y_only, [i for i in kr if i not in related], jp, mt_only, y_only):
        take(pool)
    others = rng.sample([v.id for v in roster if v.id not in used], 9)
    return used + others


def plan_recovery(rng: random.Random, roster: list[VictimPlan], fam: Families) -> Recovery:
    out = Recovery()
    a, b, c, e, d, f, g, *others = _individuals(rng, roster, fam)
    finds: list[tuple[str, str, str, str | None, str | None, str | None]] = []
    portion: str | None
    notes: str | None
    who: str | None
    reported = dict.fromkeys(("OP-2025-08-25", "OP-2026-02-07"), 0)
    owners = [a, a, e, c, b, b, b, b, b]
    for (op, element, side, portion, notes), who in zip(REPORTED, owners, strict=True):
        reported[op] += 1
        finds.append((op, element, side, portion, notes, who))
    forced = [d, f, g]
    for op, *_rest, generated, _depth in OPERATIONS:
        for _ in range(generated):
            element = rng.choices(list(ELEMENTS), weights=list(ELEMENTS.values()))[0]
            if forced:
                element = rng.choice(("femur", "humerus", "tibia"))
            side = "midline" if element in UNPAIRED else rng.choice(("left", "right"))
            if element == "fragment" or (element == "rib" and rng.random() < 0.5):
                side = "unknown"  # a fragment's side can rarely be told
            portion = rng.choice(PORTIONS) if element not in MANY else None
            finds.append((op, element, side, portion, None, forced.pop(0) if forced else None))
    finds.sort(key=lambda x: x[0])  # stable: the reported finds stay first on their day

    seen: dict[str, set[tuple[str, str]]] = {}
    pool = [c, e, d, f, g, *others]
    ops = {o[0]: o for o in OPERATIONS}
    police_no: dict[int, int] = {}
    for n, (op, element, side, portion, notes, who) in enumerate(finds, 1):
        if who is None:
            # Anyone recovered who does not already have this bone on this side.
            free = [p for p in pool if element in MANY or (element, side) not in seen.get(p, ())]
            who = rng.choice(free)
        seen.setdefault(who, set()).add((element, side))
        sid = f"SP-{n:03d}"
        day = dt.date.fromisoformat(op[3:])
        lo, hi = ops[op][4]
        police_no[day.year] = police_no.get(day.year, 0) + 1
        out.truth[sid] = who
        out.specimens.append({
            "id": sid, "operation_id": op, "recovered_on": day.isoformat(),
            "location": ops[op][1].removeprefix("Chosei mine, "),
            "depth_m": round(rng.uniform(lo, hi) * 2) / 2, "element": element, "side": side,
            "portion": portion, "condition": rng.choice(CONDITIONS), "custodian": CRIME_LAB,
            "other_ids": f"YPP-{day.year % 100}-{police_no[day.year]:04d}", "notes": notes})
    for op, site, notes, *_ in OPERATIONS:
        out.operations.append({"id": op, "date": op[3:], "site": site,
                               "team": "Kizamu Kai volunteer divers", "notes": notes})
    _samples(rng, out, special={"A": a, "B": b, "C": c, "D": d, "E": e, "F": f, "G": g})
    return out


def _samples(rng: random.Random, out: Recovery, special: dict[str, str]) -> None:
    """Bone and tooth samples at every status; profiles for the ones typed."""
    by_id = {s["id"]: s for s in out.specimens}
    specimens = [str(s["id"]) for s in out.specimens]
    a_first, a_second = [s for s in specimens if out.truth[s] == special["A"]][:2]
    b_cranium, _, b_gold = [s for s in specimens if out.truth[s] == special["B"]][:3]
    profiled = [a_first, a_second, specimens[2], specimens[3], b_cranium, b_gold]
    partial = {a_second, specimens[3], b_gold}
    forced = [s for s in specimens if out.truth[s] in (special["D"], special["F"],
                                                       special["G"])][:3]
    rest = [s for s in specimens if s not in profiled and s not in forced]
    # Only bones recovered long enough ago can have been typed by now.
    early = [s for s in rest if str(by_id[s]["recovered_on"]) < "2026-09"]
    more = rng.sample(early, 5)
    profiled += forced + more
    partial |= set(more[:2])
    rest = [s for s in rest if s not in more]
    # The older the find, the further its sample has gone; the newest are not cut yet.
    statuses = ["consumed"] + ["failed"] * 3 + ["extracted"] * 3 + ["received"] * 3 + \
        ["shipped"] * 2 + ["collected"] * 2 + ["planned"] * 3
    plan = [(s, "profiled") for s in profiled] + list(zip(rest, statuses, strict=False))
    plan.sort(key=lambda p: p[0])
    lab_no: dict[str, int] = {}
    for n, (spec, status) in enumerate(plan, 1):
        sid = f"SS-{n:03d}"
        spec_row = by_id[spec]
        found = dt.date.fromisoformat(str(spec_row["recovered_on"]))
        lab = "NFS" if found >= dt.date(2026, 1, 20) and rng.random() < 0.3 else "NPA"
        cut = min(found + dt.timedelta(days=rng.randint(7, 40)),
                  max(found + dt.timedelta(days=1), TODAY - dt.timedelta(days=30)))
        if spec in (a_first, b_cranium):  # confirmed later: typed well before the decision
            cut = found + dt.timedelta(days=14)
        row: dict[str, object] = {
            "id": sid, "specimen_id": spec, "type": "tooth" if spec_row["element"] == "tooth"
            else "bone", "lab": LABS[lab][0], "status": status}
        if status == "planned":
            row["status_date"] = min(cut, TODAY).isoformat()
        else:
            lab_no[lab] = lab_no.get(lab, 0) + 1
            row["lab_ref"] = f"{lab}-{cut.year % 100}-B{lab_no[lab]:04d}"
            days = timeline(rng, status, cut)
            out.timelines[sid] = days
            row["collected_on"] = cut.isoformat()
            row["status_date"] = days[status].isoformat()
            spec_row["other_ids"] = f"{spec_row['other_ids']};{row['lab_ref']}"
            if status in ("failed", "consumed"):
                row["notes"] = "no DNA amplified; bone powder used up" if status == "consumed" \
                    else "no DNA amplified from this piece"
        out.samples.append(row)
        if status == "profiled":
            kit = LABS[lab][1]
            untyped: frozenset[str] = frozenset()
            dropped: frozenset[str] = frozenset()
            if spec in partial:
                long = [m for m in LONG_MARKERS if m in kit]
                untyped = frozenset(long[:rng.randint(2, 5)]) | frozenset(
                    rng.sample(Y_MARKERS, rng.randint(0, 3)))
                dropped = frozenset(rng.sample([m for m in kit if m not in untyped], 2))
            out.profiles.append((sid, out.truth[spec], kit, untyped, dropped))
    out.samples.append({
        "id": f"SS-{len(plan) + 1:03d}", "type": "tooth", "lab": LABS["NPA"][0],
        "status": "received", "collected_on": "2026-07-02", "status_date": "2026-07-09",
        "lab_ref": "NPA-26-B9001",
        "notes": "label lost in transit: which specimen it came from is to be confirmed"})
    out.problems["sample-without-source"] = [f"SS-{len(plan) + 1:03d}"]
    record_custody(rng, out, returned=a_first)
    _identifications(out, special, a_first, b_cranium)


def _posterior(lr: float, victims: int = 183) -> float:
    """The closed-set posterior of a pair computed alone: the other victims count with LR 1."""
    return float(closed_set([lr], victims).posteriors[0])


def _identifications(out: Recovery, special: dict[str, str], a_first: str,
                     b_cranium: str) -> None:
    """Decisions people took on earlier numbers; `match run` recomputes its own."""
    of = {who: [s for s, v in out.truth.items() if v == who] for who in special.values()}
    rows = [
        (a_first, special["A"], 4.7e9, "confirmed", "2026-05-19",
         f"remains returned to the family on {RETURNED_ON}"),
        (b_cranium, special["B"], 2.3e7, "confirmed", "2026-08-27", None),
        (of[special["C"]][0], special["C"], 620.0, "candidate", None,
         "Y-STR matches a paternal-line relative; autosomal weak, below the 10,000 floor: "
         "recruit a closer relative"),
        (of[special["D"]][0], special["D"], 1.6e5, "candidate", None, None),
        (of[special["G"]][0], special["C"], 35.0, "rejected", "2026-10-02",
         "Y-STR match on a common haplotype; the autosomal markers do not support it"),
    ]
    for spec, victim, lr, status, decided, notes in rows:
        out.identifications.append({
            "specimen_id": spec, "victim_id": victim, "lr": lr,
            "posterior": _posterior(lr), "method": "demo (not computed)", "status": status,
            "decided_on": decided,
            "decided_by": "KR-JP joint review board (demo)" if decided else None,
            "notes": notes})
