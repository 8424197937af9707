"""Demo families: relatives located, consents, reference samples at every stage.

The numbers follow the case as reported in September 2025: families found for 95 of
the 136 Korean victims and reference DNA for 76 of them; some Japanese families too.
Relationships are the donors MOIS accepts, in a 2026 mix: most victims' children and
siblings have died, so grandchildren and nephews or nieces are the usual donors.

To keep the pedigree unambiguous for the kinship engine, a family has at most one
relative through each untyped link (one of son's son / son's daughter, one through a
brother, one through a sister); children and siblings may repeat, since they share
their parents by convention.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from chosei.demo.names import japanese_relative_name, korean_relative_name
from chosei.demo.roster import VictimPlan, add_source

TODAY = dt.date(2026, 11, 20)  # the demo's "now": every date is on or before it
MOIS_HELD = dt.date(2025, 9, 10)  # by then MOIS held reference DNA for 76 victims
SUMMIT = dt.date(2026, 1, 20)  # the governments agreed on joint identification

# Families per nationality and family stage: (profiled, collected, consented, located).
STAGE_COUNTS = {"KR": (76, 8, 5, 6), "JP": (12, 3, 2, 3)}
STAGES = ("profiled", "collected", "consented", "located")

REL_WEIGHTS = {
    "son": 5, "daughter": 5, "brother": 2, "sister": 2, "son's son": 24, "son's daughter": 6,
    "brother's son": 24, "brother's daughter": 8, "sister's son": 14, "sister's daughter": 6,
}
# The untyped person each second-degree relative descends through; one per family.
LINK = {"son's son": "son", "son's daughter": "son", "brother's son": "brother",
        "brother's daughter": "brother", "sister's son": "sister", "sister's daughter": "sister"}
SEX = {"son": "M", "brother": "M", "son's son": "M", "brother's son": "M", "sister's son": "M"}
CLOSE = frozenset({"son", "daughter", "brother", "sister"})
LAB = {"KR": "NFS (KR)", "JP": "NPA forensic lab (JP)"}
IN_PROGRESS = ("collected", "shipped", "received", "extracted", "failed")


@dataclass
class RelativePlan:
    id: str
    victim: VictimPlan
    relationship: str
    sex: str
    born: int
    typed: bool = False  # profiled: genotype rows will be stored for `typed_sample`
    typed_sample: str | None = None
    row: dict[str, object] = field(default_factory=dict)


@dataclass
class Families:
    relatives: list[RelativePlan] = field(default_factory=list)
    consents: list[dict[str, object]] = field(default_factory=list)
    samples: list[dict[str, object]] = field(default_factory=list)
    stage: dict[str, str] = field(default_factory=dict)  # victim id → family stage
    problems: dict[str, list[str]] = field(default_factory=dict)
    timelines: dict[str, dict[str, dt.date]] = field(default_factory=dict)  # sample → days


def _day(rng: random.Random, lo: dt.date, hi: dt.date) -> dt.date:
    return lo + dt.timedelta(days=rng.randrange(max(1, (hi - lo).days + 1)))


def _birth_range(relationship: str, victim_born: int) -> tuple[int, int]:
    # Only relatives who can be alive in 2026 (born 1924 or later) are located.
    if relationship in ("son", "daughter"):
        return max(1925, victim_born + 20), 1942
    if relationship in ("brother", "sister"):
        return max(1924, victim_born - 8), min(1942, victim_born + 15)
    if relationship.startswith("son's"):
        return max(1948, victim_born + 45), min(1985, victim_born + 75)
    return max(1938, victim_born + 15), min(1985, victim_born + 50)


def _pick_relationships(rng: random.Random, victim: VictimPlan, n: int) -> list[str]:
    chosen: list[str] = []
    for _ in range(n):
        links = {LINK[r] for r in chosen if r in LINK}
        options = [r for r in REL_WEIGHTS
                   if LINK.get(r) not in links and _valid(r, victim.born.year)]
        if not options:
            break
        chosen.append(rng.choices(options, weights=[REL_WEIGHTS[r] for r in options])[0])
    return chosen


def _valid(relationship: str, victim_born: int) -> bool:
    if relationship.startswith("son's") and victim_born + 18 > 1942:
        return False  # too young to have had a son
    lo, hi = _birth_range(relationship, victim_born)
    return lo <= hi


class _Builder:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.out = Families()
        self.sample_no = 0
        self.lab_no = {"KR": 0, "JP": 0}

    # --- rows ---------------------------------------------------------------------

    def relative(self, victim: VictimPlan, relationship: str, k: int) -> RelativePlan:
        rng = self.rng
        lo, hi = _birth_range(relationship, victim.born.year)
        born = rng.randint(lo, hi)
        sex = SEX.get(relationship, "F")
        n = len(self.out.relatives) + 1
        korean = victim.nationality == "KR"
        if korean:
            # Korean women keep their surname; a sister's children carry their father's.
            own = not relationship.startswith("sister's")
            name = korean_relative_name(rng, victim.surname if own else None, sex, born)
            contact = f"010-0000-{n:04d}"
        else:
            # In Japan a married daughter or sister, and her children, took another name.
            own = relationship in ("son", "brother", "son's son", "brother's son")
            name = japanese_relative_name(rng, victim.surname if own else None, sex, born)
            contact = f"090-0000-{n:04d}"
        if rng.random() < 0.4:
            contact += f"; family{n:03d}@example.org"
        notes = None
        if korean and rng.random() < 0.5:
            notes = "traced through the family register 제적등본"
            add_source(victim)
        elif not korean and rng.random() < 0.4:
            notes = "contacted through the civic group"
        if victim.northern:
            notes = "lives in the South; the family's registered domicile is in the North"
        plan = RelativePlan(f"{victim.id}-R{k}", victim, relationship, sex, born)
        plan.row = {"id": plan.id, "victim_id": victim.id, "relationship": relationship,
                    "name": name, "sex": sex, "birth_year": born, "contact": contact,
                    "notes": notes}
        self.out.relatives.append(plan)
        return plan

    def consent(self, rel: RelativePlan, given: dt.date, *,
                withdrawn: dt.date | None = None) -> None:
        rng = self.rng
        home = rel.victim.nationality
        other = "JP" if home == "KR" else "KR"
        scopes: list[tuple[str, dt.date, dt.date | None]] = [
            ("analysis", given, withdrawn), (f"share:{home}", given, withdrawn)]
        if rng.random() < 0.8:
            # Sharing with the other country's agencies was asked for after the summit.
            shared = max(given, _day(rng, SUMMIT, SUMMIT + dt.timedelta(days=120)))
            if shared <= TODAY:
                late = withdrawn
                if late is None and rng.random() < 0.06:
                    late = _day(rng, shared + dt.timedelta(days=30), TODAY)
                scopes.append((f"share:{other}", shared, late))
        for scope, on, off in scopes:
            form = f"CF-{rel.id}"
            self.out.consents.append({"relative_id": rel.id, "scope": scope, "event": "given",
                                      "date": on.isoformat(), "form_ref": form})
            if off:
                self.out.consents.append({"relative_id": rel.id, "scope": scope,
                                          "event": "withdrawn", "date": off.isoformat(),
                                          "form_ref": f"{form}-W"})

    def sample(self, rel: RelativePlan, status: str, collected: dt.date | None,
               *, sample_type: str | None = None, notes: str | None = None) -> str:
        rng = self.rng
        home = rel.victim.nationality
        self.sample_no += 1
        sid = f"RS-{self.sample_no:04d}"
        if sample_type is None:
            kinds = ("buccal swab", "saliva", "blood")
            sample_type = rng.choices(kinds, weights=(60, 25, 15) if home == "KR" else (70, 30, 0))[0]
        row: dict[str, object] = {"id": sid, "relative_id": rel.id, "type": sample_type,
                                  "lab": LAB[home], "status": status, "notes": notes}
        if status == "planned":
            row["status_date"] = (collected or TODAY).isoformat()
        else:
            assert collected is not None
            self.lab_no[home] += 1
            prefix = "NFS" if home == "KR" else "NPA"
            tag = "R" if home == "KR" else "K"
            row["lab_ref"] = f"{prefix}-{collected.year % 100:02d}-{tag}{self.lab_no[home]:04d}"
            days = timeline(rng, status, collected)
            self.out.timelines[sid] = days
            row["collected_on"] = days["collected"].isoformat()
            row["status_date"] = days[status].isoformat()
        self.out.samples.append(row)
        return sid

    # --- families by stage --------------------------------------------------------

    def profiled(self, victim: VictimPlan, early: bool) -> None:
        rng = self.rng
        n_typed = rng.choices((1, 2, 3), weights=(60, 30, 10))[0]
        extra = 1 if rng.random() < 0.3 else 0
        kinds = _pick_relationships(rng, victim, n_typed + extra)
        lo, hi = (dt.date(2024, 9, 1), dt.date(2025, 7, 31)) if early else \
            (dt.date(2025, 6, 1), dt.date(2026, 6, 30))
        for k, kind in enumerate(kinds, 1):
            rel = self.relative(victim, kind, k)
            given = _day(rng, lo, hi)
            if k > n_typed:  # an extra relative, located or waiting for collection
                if rng.random() < 0.5:
                    self.consent(rel, given)
                    self.sample(rel, "planned", _day(rng, given, TODAY))
                continue
            self.consent(rel, given)
            last = MOIS_HELD if early else TODAY - dt.timedelta(days=200)
            collected = _day(rng, given, max(given, min(given + dt.timedelta(days=40), last)))
            if rng.random() < 0.1:
                # The first sample gave too little DNA and was used up trying.
                self.sample(rel, rng.choice(("failed", "consumed")), collected,
                            sample_type="saliva", notes="too little DNA; collected again as blood")
                collected = collected + dt.timedelta(days=rng.randint(60, 120))
                sid = self.sample(rel, "profiled", collected, sample_type="blood")
            else:
                sid = self.sample(rel, "profiled", collected)
            rel.typed, rel.typed_sample = True, sid

    def in_progress(self, victim: VictimPlan, stage: str) -> None:
        rng = self.rng
        kinds = _pick_relationships(rng, victim, 1 + (rng.random() < 0.3))
        for k, kind in enumerate(kinds, 1):
            rel = self.relative(victim, kind, k)
            if k > 1:
                continue  # located only
            given = _day(rng, dt.date(2025, 9, 1), TODAY - dt.timedelta(days=120))
            self.consent(rel, given)
            if stage == "collected":
                status = rng.choice(IN_PROGRESS)
                self.sample(rel, status, _day(rng, given, TODAY - dt.timedelta(days=100)))
            elif rng.random() < 0.6:
                self.sample(rel, "planned", _day(rng, given, TODAY))

    def located(self, victim: VictimPlan, problem: str | None) -> None:
        rng = self.rng
        kinds = _pick_relationships(rng, victim, 1 + (rng.random() < 0.3)) or ["brother's son"]
        for k, kind in enumerate(kinds, 1):
            rel = self.relative(victim, kind, k)
            if k > 1:
                continue
            if problem == "withdrawn-with-sample":
                given = dt.date(2025, 11, 4)
                self.consent(rel, given, withdrawn=dt.date(2026, 7, 15))
                sid = self.sample(rel, "received", dt.date(2025, 12, 2), notes=(
                    "consent withdrawn 2026-07-15; the lab still holds the sample"))
                self.out.problems.setdefault("sample-without-consent", []).append(sid)
            elif problem == "no-consent-form":
                sid = self.sample(rel, "collected", dt.date(2026, 10, 30),
                                  notes="consent form not yet filed")
                self.out.problems.setdefault("sample-without-consent", []).append(sid)
            elif problem == "withdrawn":
                self.consent(rel, dt.date(2025, 10, 8), withdrawn=dt.date(2026, 3, 2))


# Days between one status and the next, as (fewest, most).
_GAPS = {"shipped": (1, 10), "received": (1, 5), "extracted": (5, 30), "profiled": (10, 60),
         "failed": (10, 60), "consumed": (20, 90)}
_PATH = ("collected", "shipped", "received", "extracted")


def timeline(rng: random.Random, status: str, collected: dt.date) -> dict[str, dt.date]:
    """The day a sample reached each status on its way to `status`, never after TODAY.

    Status dates and custody events are both read from it, so they agree.
    """
    if status in _PATH:
        steps = _PATH[:_PATH.index(status) + 1]
    elif status == "consumed":
        steps = (*_PATH, "failed", "consumed")  # used up trying, after a failed typing
    else:
        steps = (*_PATH, status)
    days = {"collected": min(collected, TODAY)}
    day = days["collected"]
    for step in steps[1:]:
        day = min(day + dt.timedelta(days=rng.randint(*_GAPS[step])), TODAY)
        days[step] = day
    return days


def build_families(rng: random.Random, roster: list[VictimPlan]) -> Families:
    b = _Builder(rng)
    for nationality, counts in STAGE_COUNTS.items():
        pool = [v for v in roster if v.nationality == nationality and v.korean_known
                and not v.northern]
        chosen = rng.sample(pool, sum(counts))
        if nationality == "KR":
            # One northern family is reached through a relative who lives in the South.
            north = [v for v in roster if v.northern]
            chosen[-1] = rng.choice(north)
        start = 0
        for stage, n in zip(STAGES, counts, strict=True):
            for i, victim in enumerate(chosen[start:start + n]):
                b.out.stage[victim.id] = stage
                if stage == "profiled":
                    # MOIS's 76 were collected by September 2025; the rest came later.
                    b.profiled(victim, early=nationality == "KR")
                elif stage == "located":
                    problems = ("withdrawn-with-sample", "no-consent-form", "withdrawn")
                    problem = problems[i] if nationality == "KR" and i < len(problems) else None
                    b.located(victim, problem)
                else:
                    b.in_progress(victim, stage)
            start += n
    order = {v.id: i for i, v in enumerate(roster)}
    b.out.relatives.sort(key=lambda r: (order[r.victim.id], r.id))
    return b.out
