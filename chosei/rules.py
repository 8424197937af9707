"""The case's status rules: how samples advance, and the stages derived per victim.

Stages are never stored: they are computed from the rows (see `services/stages.py`), so
they cannot disagree with the data they summarise.
"""

from __future__ import annotations

from chosei.errors import RuleViolation
from chosei.i18n import _

# planned → collected → shipped → received → extracted → profiled | failed → consumed
SAMPLE_TRANSITIONS: dict[str, tuple[str, ...]] = {
    "planned": ("collected",),
    "collected": ("shipped",),
    "shipped": ("received",),
    "received": ("extracted",),
    "extracted": ("profiled", "failed"),
    "profiled": ("consumed",),
    "failed": ("consumed",),
    "consumed": (),
}
SAMPLE_STATUSES = tuple(SAMPLE_TRANSITIONS)


def check_transition(sample_id: str, current: str, target: str) -> None:
    allowed = SAMPLE_TRANSITIONS.get(current, ())
    if target in allowed:
        return
    from chosei.plausible import shown_term
    from chosei.vocab import SAMPLE_STATUS

    def shown(code: str) -> str:
        return shown_term(SAMPLE_STATUS, code)

    if not allowed:
        raise RuleViolation(_("sample {sample_id} is {status}: that is final, it cannot become {target}").format(
            sample_id=sample_id, status=shown(current), target=shown(target)))
    choices = shown(allowed[0]) if len(allowed) == 1 else _("{items} or {last}").format(
        items=", ".join(shown(a) for a in allowed[:-1]), last=shown(allowed[-1]))
    raise RuleViolation(_("sample {sample_id} is {status}: it can become {choices}, not {target}").format(
        sample_id=sample_id, status=shown(current), choices=choices, target=shown(target)))


# Ranks are what the SQL computes; labels are what people read.
FAMILY_STAGES: tuple[str, ...] = (
    "no relative known",
    "located",
    "consented",
    "reference collected",
    "reference profiled",
)
REMAINS_STAGES: tuple[str, ...] = ("none attributed", "candidate", "identified", "returned")

# Registered domiciles in what is now North Korea: reaching these families is its own problem.
NORTHERN_PROVINCES = (
    "평안", "평북", "평남", "함경", "함북", "함남", "황해", "자강", "양강",
    "平安", "咸鏡", "黄海", "黃海", "慈江", "両江",
    "pyongan", "hamgyong", "hwanghae", "chagang", "ryanggang",
)


def is_northern(domicile: str | None) -> bool:
    if not domicile:
        return False
    text = domicile.casefold().replace(" ", "")
    return any(p.casefold().replace(" ", "") in text for p in NORTHERN_PROVINCES)
