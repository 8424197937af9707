"""Relationship paths: how a relative is related to the victim V, step by step.

A path joins steps with ``'s``: ``father``, ``mother``, ``son``, ``daughter``,
``brother``, ``sister``, ``half-brother (paternal)``, ``half-brother (maternal)``,
``half-sister (paternal)``, ``half-sister (maternal)``. ``brother's son's son`` is V's
great-nephew through an (untyped) brother and his (untyped) son.

**Canonical form.** Zero or more *up* steps (father, mother), then at most one
*sideways* step (a sibling kind), then zero or more *down* steps (son, daughter). Any
other order walks back over a person already passed, so it names somebody a shorter
path names, or somebody who shares no DNA with V: it is refused with the short form
(``brother's father`` is ``father``) or with why there is none (``son's mother`` is the
victim's wife). The messages assume a male victim, as all the Chosei miners were.
A path has at most `MAX_STEPS` steps (8: a great-great-grandfather's brother's
great-grandson, far beyond what DNA can say about V).

**What follows from a path** (`Path`): the relative's sex (the last step), the
generations between V and him or her, the degree of relationship (1 for parents,
children and full siblings, 2 for grandparents, grandchildren, half-siblings, uncles,
aunts, nephews and nieces, 3 for first cousins and great-nephews, ...), the IBD
coefficients, and whether he or she is on V's Y line (every person along the path male,
the sideways step through V's father's side) or mtDNA line (every person before the
relative female, up through mothers, the sideways step through the mother's side; V's
own descendants only for a female victim).

``spouse`` and ``other`` are no paths: they carry no genetic information about V
(`NON_GENETIC`). This module is pure (no store, no I/O).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from chosei import i18n
from chosei.i18n import _
from chosei.kinship.errors import KinshipInputError

UP = ("father", "mother")
DOWN = ("son", "daughter")
SIDE = (
    "brother",
    "sister",
    "half-brother (paternal)",
    "half-brother (maternal)",
    "half-sister (paternal)",
    "half-sister (maternal)",
)
STEPS: tuple[str, ...] = (*UP, *DOWN, *SIDE)
"""Every step a path can take."""

MAX_STEPS = 8
"""The longest path accepted."""

NON_GENETIC: frozenset[str] = frozenset({"spouse", "other"})
"""Relationships that are no path and carry no genetic information for V."""

_MALE = frozenset({"father", "son", "brother", "half-brother (paternal)", "half-brother (maternal)"})
# sibling kind -> (shares the father, shares the mother)
_SHARES = {
    "brother": (True, True),
    "sister": (True, True),
    "half-brother (paternal)": (True, False),
    "half-sister (paternal)": (True, False),
    "half-brother (maternal)": (False, True),
    "half-sister (maternal)": (False, True),
}
_ALIASES = {
    "full brother": "brother",
    "full sister": "sister",
    "paternal half-brother": "half-brother (paternal)",
    "maternal half-brother": "half-brother (maternal)",
    "paternal half-sister": "half-sister (paternal)",
    "maternal half-sister": "half-sister (maternal)",
}
_STEP_LIST = (
    "father, mother, son, daughter, brother, sister, half-brother (paternal|maternal) "
    "and half-sister (paternal|maternal)"
)


def _phase(step: str) -> int:
    return 0 if step in UP else 1 if step in SIDE else 2


def step_sex(step: str) -> Literal["M", "F"]:
    """"M" or "F": the sex of the person a step reaches."""
    return "M" if step in _MALE else "F"


def sibling_shares(step: str) -> tuple[bool, bool]:
    """(shares the father, shares the mother) for a sideways step."""
    return _SHARES[step]


@dataclass(frozen=True)
class Path:
    """A canonical relationship path (see the module docstring)."""

    steps: tuple[str, ...]

    @property
    def text(self) -> str:
        return "'s ".join(self.steps)

    def __str__(self) -> str:
        return self.text

    @property
    def ups(self) -> tuple[str, ...]:
        return tuple(s for s in self.steps if s in UP)

    @property
    def side(self) -> str | None:
        return next((s for s in self.steps if s in SIDE), None)

    @property
    def downs(self) -> tuple[str, ...]:
        return tuple(s for s in self.steps if s in DOWN)

    @property
    def sex(self) -> Literal["M", "F"]:
        return step_sex(self.steps[-1])

    @property
    def generations(self) -> int:
        """Generations above V (negative: below): +1 a parent, 0 a sibling, -2 a grandchild."""
        return len(self.ups) - len(self.downs)

    @property
    def degree(self) -> int:
        """The degree of relationship: the relatedness coefficient is 2 ** -degree."""
        meioses = len(self.ups) + len(self.downs)
        if self.side is None:
            return meioses
        return meioses + (1 if all(sibling_shares(self.side)) else 2)

    @property
    def kappa(self) -> tuple[float, float, float]:
        """IBD coefficients (κ0, κ1, κ2) of V and the relative (no inbreeding)."""
        if self.steps in (("brother",), ("sister",)):
            return (0.25, 0.5, 0.25)
        k1 = 2.0 ** (1 - self.degree)
        return (1.0 - k1, k1, 0.0)

    def y_line(self, victim_sex: str = "M") -> bool:
        """Whether the relative carries V's Y chromosome (male V, all-male path, the
        sideways step sharing the father)."""
        if victim_sex != "M" or not all(step_sex(s) == "M" for s in self.steps):
            return False
        return self.side is None or sibling_shares(self.side)[0]

    def mt_line(self, victim_sex: str = "M") -> bool:
        """Whether the relative carries V's mtDNA: up through mothers, sideways through
        the mother's side, then down through daughters (the last step any sex). V's
        own descendants only when V is female."""
        if any(s == "father" for s in self.steps):
            return False
        if self.side is not None and not sibling_shares(self.side)[1]:
            return False
        if not self.ups and self.side is None and victim_sex != "F":
            return False
        return all(step_sex(s) == "F" for s in self.steps[:-1] if s not in UP)


def _clean(text: str) -> str:
    text = text.strip().lower().replace("\u2019", "'").replace("`", "'").replace("_", " ")
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\s*\(\s*", " (", text).replace(" )", ")")
    return re.sub(r"(^|\s)half[ -]", r"\1half-", text)


def split_steps(text: str) -> list[str]:
    """The steps of an English path as written (normalised spelling, not yet checked)."""
    cleaned = _clean(text)
    steps = [s.strip() for s in re.split(r"'s(?=\s|$)", cleaned)]
    return [_ALIASES.get(s, s) for s in steps]


def parse_path(text: str) -> Path:
    """The canonical path for `text` (English), or `KinshipInputError` saying what to fix."""
    if not isinstance(text, str):
        raise KinshipInputError(_("relationship {text!r} must be a path such as 'brother's son'").format(text=text))
    steps = split_steps(text)
    for step in steps:
        if step not in STEPS:
            shown = step or "(nothing)"
            raise KinshipInputError(
                _("relationship {text!r}: {shown!r} is not a step; a path joins {step_list} with 's, e.g. "
                  "brother's son's son").format(text=text, shown=shown, step_list=_STEP_LIST)
            )
    return path_of(steps, text)


def path_of(steps: list[str] | tuple[str, ...], shown: str | None = None) -> Path:
    """The canonical path for known `steps`; `shown` is how the user wrote it."""
    shown = shown if shown is not None else "'s ".join(steps)
    if not steps:
        raise KinshipInputError(_("a relationship path needs at least one step"))
    if len(steps) > MAX_STEPS:
        raise KinshipInputError(
            _("relationship {shown!r} has {n_steps} steps; a path has at most {max_steps}").format(
                shown=shown, n_steps=len(steps), max_steps=MAX_STEPS)
        )
    for i in range(1, len(steps)):
        if _phase(steps[i]) < _phase(steps[i - 1]) or (steps[i] in SIDE and steps[i - 1] in SIDE) or (
            steps[i - 1] in UP and steps[i] in DOWN
        ):
            raise KinshipInputError(_walk_back(list(steps), i, shown))
    return Path(tuple(steps))


def _join(prefix: list[str], *tail: str) -> str:
    return "'s ".join([*prefix, *tail])


def in_words(path: str) -> str:
    """A path (or `spouse`, `other`) as the current language writes it: its kin term, e.g.
    형제의 아들 / 兄弟の息子, which the vocabulary reads back; the English path in English."""
    lang = i18n.current()
    if lang == "en" or not path:
        return path
    from chosei.vocab import RELATIONSHIP

    try:
        return RELATIONSHIP.label(path, lang)
    except (ValueError, KeyError, StopIteration):  # not a term the vocabulary writes: as it is
        return path


def _or(options: list[str]) -> str:
    quoted = [f"`{in_words(o)}`" for o in options]
    if len(quoted) == 1:
        return quoted[0]
    return _("{listed} or {last}").format(listed=", ".join(quoted[:-1]), last=quoted[-1])


def _walk_back(steps: list[str], i: int, shown: str) -> str:
    """Why steps[i] walks back after steps[:i], with the short form when there is one."""
    prev, step = steps[i - 1], steps[i]
    walked = {"shown": shown, "walked": in_words(_join(steps[: i + 1]))}

    def short(*steps: str) -> str:
        return _join(list(steps))

    def same_as(path: str) -> str:
        return _("relationship {shown!r} walks back: `{walked}` is `{path}`").format(path=in_words(path), **walked)

    def no_dna(partner: str) -> str:
        return _("relationship {shown!r} walks back: `{walked}` is {partner}, who shares no DNA with the "
                 "victim").format(partner=partner, **walked)

    if prev in UP and step in DOWN:
        # the child of an ancestor X's parent: a sibling of X (or X)
        base = steps[: i - 1]
        kinds = [k for k in SIDE if step_sex(k) == step_sex(step) and _SHARES[k][UP.index(prev)]]
        return _("relationship {shown!r} walks back: `{walked}` is {options}: write which").format(
            options=_or([short(*base, k) for k in kinds]), **walked)
    if prev in SIDE and step in UP:
        base = steps[: i - 1]
        if _SHARES[prev][UP.index(step)]:
            return same_as(short(*base, step))
        if step == "father":
            return _("relationship {shown!r} walks back: `{walked}` is the father of a half-sibling, who shares "
                     "no DNA with the victim").format(**walked)
        return _("relationship {shown!r} walks back: `{walked}` is the mother of a half-sibling, who shares "
                 "no DNA with the victim").format(**walked)
    if prev in SIDE and step in SIDE:
        base = steps[: i - 1]
        a, b = _SHARES[prev], _SHARES[step]
        if all(a):
            return same_as(short(*base, step))
        if all(b):
            return same_as(short(*base, prev))
        return _("relationship {shown!r} walks back: `{walked}` does not say which parent the two share with the "
                 "victim; write the path from the victim").format(**walked)
    if prev in DOWN and step in UP:
        # back to the parent X whose child prev is, or X's partner
        base = steps[: i - 1]
        parent_sex = step_sex(base[-1]) if base else "M"
        if step_sex(step) == parent_sex:
            target = short(*base)
            if target:
                return same_as(target)
            return _("relationship {shown!r} walks back: `{walked}` is the victim himself").format(**walked)
        if not base:
            return _("relationship {shown!r} walks back: `{walked}` is the victim's wife, who shares no DNA: use "
                     "`spouse`").format(**walked)
        return no_dna(_partner(base))
    # a sideways step after a down step: a sibling of a child of X
    base = steps[: i - 1]
    parent_sex = step_sex(base[-1]) if base else "M"
    side_of_parent = 0 if parent_sex == "M" else 1
    if _SHARES[step][side_of_parent]:
        child = "son" if step_sex(step) == "M" else "daughter"
        return same_as(short(*base, child))
    if parent_sex == "M":
        return _("relationship {shown!r} walks back: `{walked}` is a child of {partner} by another man, who "
                 "shares no DNA with the victim").format(partner=_partner(base), **walked)
    return _("relationship {shown!r} walks back: `{walked}` is a child of {partner} by another woman, who "
             "shares no DNA with the victim").format(partner=_partner(base), **walked)


def _partner(base: list[str]) -> str:
    """The other parent of the children of the person `base` reaches (V when empty)."""
    if not base:
        return _("the victim's wife")
    if step_sex(base[-1]) == "M":
        return _("the wife of `{path}`").format(path=in_words(_join(base)))
    return _("the husband of `{path}`").format(path=in_words(_join(base)))


def canonical(text: str) -> str:
    """The canonical spelling of a relationship: a path's text, or `spouse` / `other`."""
    if isinstance(text, str) and _clean(text) in NON_GENETIC:
        return _clean(text)
    return parse_path(text).text
