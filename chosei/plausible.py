"""What a case file may hold: the plausibility rules, in one place.

Pure functions over values, no store: the models' validators call the rules about one
row (a victim's birth and age, a relationship and a sex, a name and its script, a
sample's type and its source); the services, the workbook import and `chosei check`
call the rules that need another row (a relative's birth and the victim, a specimen's
recovery and its operation). Each returns None when the values fit, or the sentence
saying what does not and what to correct. (No date lies after today: `dates.check_past`.)

A relative's birth is bounded by the generations between the victim and the relative:
`up` generations from the victim to the closest common ancestor, `down` from that
ancestor to the relative (a son is 0 up, 1 down; a brother's son 1 up, 2 down). So a
relationship written as a path works the same once it gives its generations.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterable
from typing import Any

from chosei import dates, i18n
from chosei.i18n import N_, _

DISASTER = "1942-02-03"
DISASTER_YEAR = 1942
# A child of a victim was conceived before the disaster: born by the end of 1943 at the
# latest (a loose bound, for years written alone).
LAST_CHILD_YEAR = 1943
# Hard bounds of one generation: a parent is at least 12 and at most 70 years older.
MIN_GAP, MAX_GAP = 12, 70
# The victims were born after this (the oldest miners were in their sixties).
EARLIEST_VICTIM_BIRTH = 1850

def shown_term(vocab: Any, code: str) -> str:
    """A vocabulary's code as a message shows it: the code itself in English, else the
    term in the current language with the code in parentheses (`아들 (son)`)."""
    lang = i18n.current()
    if lang == "en":
        return code
    try:
        label = vocab.label(code, lang)
    except ValueError:  # not one of the vocabulary's codes: shown as given
        return code
    return code if label == code else f"{label} ({code})"


def relationship_shape(relationship: str | None) -> tuple[int, int, str] | None:
    """(generations up to the common ancestors, generations down from them to the
    relative, the relative's sex) of a relationship path (`kinship.paths`); a sibling is
    one up and one down. None for `spouse`, `other` or no relationship."""
    if not relationship:
        return None
    return _shape(relationship)


@functools.lru_cache(maxsize=4096)
def _shape(relationship: str) -> tuple[int, int, str] | None:
    from chosei.kinship.errors import KinshipInputError
    from chosei.kinship.paths import parse_path

    try:
        path = parse_path(relationship)
    except KinshipInputError:  # a non-genetic term (spouse, other)
        return None
    side = 1 if path.side else 0
    return len(path.ups) + side, len(path.downs) + side, path.sex


# --- Victims ----------------------------------------------------------------------------


def victim_birth_problem(birth_date: str | None) -> str | None:
    """A victim was born before the disaster (a partial date: on its first possible day)."""
    if birth_date and birth_date > DISASTER[:len(birth_date)] or birth_date == DISASTER:
        return _("'{date}' is not before the disaster ({disaster}): a victim was born before it; "
                 "correct the date").format(date=birth_date, disaster=DISASTER)
    return None


def _age_range(birth_date: str) -> tuple[int, int]:
    """The completed ages at the disaster a (maybe partial) birth date allows: a year or
    February leaves the birthday either side of 3 February."""
    most = DISASTER_YEAR - int(birth_date[:4])
    month_day = birth_date[5:]
    if not month_day or month_day == DISASTER[5:7]:
        return most - 1, most
    before = month_day <= DISASTER[5:len(month_day) + 5]  # birthday reached by 3 February
    return (most, most) if before else (most - 1, most - 1)


def victim_age_problem(birth_date: str | None, age: int | None) -> str | None:
    """The age at death fits the birth date, give or take a year (ages were often counted
    or guessed)."""
    if not birth_date or age is None or victim_birth_problem(birth_date):
        return None
    low, high = _age_range(birth_date)
    if low - 1 <= age <= high + 1:
        return None
    expected = str(low) if low == high else _("{low} or {high}").format(low=low, high=high)
    return _("{age} does not fit the birth date {birth_date}: born then, the victim was {expected} at "
             "the disaster ({disaster}); correct one of the two").format(
                 age=age, birth_date=birth_date, expected=expected, disaster=DISASTER)


def victim_birth_years(birth_date: str | None, age: int | None) -> tuple[int, int]:
    """The years the victim may have been born in, from the birth date or the age."""
    if birth_date:
        year = int(birth_date[:4])
        return year, year
    if age is not None:
        return DISASTER_YEAR - age - 1, DISASTER_YEAR - age
    return EARLIEST_VICTIM_BIRTH, DISASTER_YEAR


# --- Relatives ---------------------------------------------------------------------------


def birth_year_problem(year: int) -> str | None:
    """A birth year is not after this year."""
    now = dates.today().year
    if year > now:
        return _("{year} is after this year ({this_year}): check the year").format(year=year, this_year=now)
    return None


def relative_birth_window(up: int, down: int, victim_years: tuple[int, int]) -> tuple[int, int]:
    """The years a relative `up` generations above the victim's line and `down` below it
    may have been born in, for a victim born in `victim_years`."""
    low = victim_years[0] - MAX_GAP * up + MIN_GAP * down
    high = victim_years[1] - MIN_GAP * up + MAX_GAP * down
    if up == 0 and down >= 1:  # the victim's own descendants: the line began by 1943
        high = min(high, LAST_CHILD_YEAR + MAX_GAP * (down - 1))
    return low, high


def relative_birth_problem(relationship: str | None, birth_year: int | None, victim_id: str,
                           victim_birth: str | None, victim_age: int | None) -> str | None:
    """The relative's birth year fits the generations between them and the victim."""
    shape = relationship_shape(relationship)
    if birth_year is None or shape is None:
        return None
    up, down, _sex = shape
    low, high = relative_birth_window(up, down, victim_birth_years(victim_birth, victim_age))
    if low <= birth_year <= high:
        return None
    why = _("the victim died in {year}").format(year=DISASTER_YEAR) if up == 0 and down >= 1 else (
        _("the victim was born in {year}").format(year=victim_birth[:4]) if victim_birth else
        _("counted from the victim's birth"))
    return _("{birth_year} does not fit a {relationship} of victim {victim_id}: born between {low} and "
             "{high} ({why}); correct the birth year or the relationship").format(
                 birth_year=birth_year, relationship=_relationship(relationship), victim_id=victim_id,
                 low=low, high=high, why=why)


def relationship_sex_problem(relationship: str | None, sex: str | None) -> str | None:
    """A son is male, a daughter female: the term and the sex agree."""
    shape = relationship_shape(relationship)
    if shape is None or sex not in ("M", "F") or shape[2] == sex:
        return None
    if shape[2] == "M":
        message = _("a {relationship} is male, not {sex}: correct the sex or the relationship")
    else:
        message = _("a {relationship} is female, not {sex}: correct the sex or the relationship")
    from chosei.vocab import SEX

    return message.format(relationship=_relationship(relationship), sex=shown_term(SEX, sex))


def _relationship(code: str | None) -> str:
    from chosei.vocab import RELATIONSHIP

    return shown_term(RELATIONSHIP, code or "")


# --- Names --------------------------------------------------------------------------------

# The scripts a name field may hold, by the first word of its letters' Unicode names.
SCRIPTS: dict[str, tuple[str, frozenset[str]]] = {
    "hangul": (N_("hangul"), frozenset({"HANGUL"})),
    "hanja": (N_("hanja (Chinese characters)"), frozenset({"CJK"})),
    "japanese": (N_("Japanese (kanji or kana)"), frozenset({"CJK", "HIRAGANA", "KATAKANA"})),
    "kana": (N_("kana"), frozenset({"HIRAGANA", "KATAKANA"})),
    "latin": (N_("Latin letters"), frozenset({"LATIN"})),
}
_SCRIPT_WORDS = {"HANGUL": N_("hangul"), "CJK": N_("a Chinese character"), "HIRAGANA": N_("kana"),
                 "KATAKANA": N_("kana"), "LATIN": N_("Latin")}
# Letters any Japanese name may hold that Unicode files elsewhere: 々 (repeat), ヶ, ー.
_ANY = frozenset("々〆ヵヶー")


@functools.lru_cache(maxsize=8192)  # the same letters recur down a column of names
def _script_of(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return name.split(" ", 1)[0] if name else ""


def script_problem(text: str | None, script: str | None) -> str | None:
    """Every letter of `text` is of `script` (spaces, dots and hyphens are not letters)."""
    if not text or script not in SCRIPTS:
        return None
    label, allowed = SCRIPTS[script]
    for ch in unicodedata.normalize("NFC", text):
        if not unicodedata.category(ch).startswith("L") or ch in _ANY:
            continue
        found = _script_of(ch)
        if found not in allowed:
            what = _(_SCRIPT_WORDS[found]) if found in _SCRIPT_WORDS else f"U+{ord(ch):04X}"
            return _("'{text}' is not written in {script} ('{letter}' is {what}): put each spelling in the "
                     "field of its script").format(text=text, script=_(label), letter=ch, what=what)
    return None


# --- Samples and specimens ------------------------------------------------------------------

FROM_SPECIMEN = ("bone", "tooth", "other")
FROM_RELATIVE = ("saliva", "buccal swab", "blood", "other")


def sample_type_problem(sample_type: str | None, specimen_id: str | None,
                        relative_id: str | None) -> str | None:
    """Bone and teeth come from remains; saliva, swabs and blood from living relatives; a
    staff member's elimination profile from neither."""
    if sample_type is None:
        return None
    if sample_type == "elimination":
        if specimen_id or relative_id:
            return _("an elimination sample is a staff member's reference: give it no specimen and no "
                     "relative")
        return None
    if specimen_id and sample_type not in FROM_SPECIMEN:
        return _("a {type} sample cannot come from a specimen (remains give {types}): correct the type "
                 "or the source").format(type=_sample_type(sample_type), types=_or(FROM_SPECIMEN))
    if relative_id and sample_type not in FROM_RELATIVE:
        return _("a {type} sample cannot come from a relative (a relative gives {types}): correct the "
                 "type or the source").format(type=_sample_type(sample_type), types=_or(FROM_RELATIVE))
    return None


def _sample_type(code: str) -> str:
    from chosei.vocab import SAMPLE_TYPE

    return shown_term(SAMPLE_TYPE, code)


def _or(types: Iterable[str]) -> str:
    items = [_sample_type(t) for t in types]
    return _("{items} or {last}").format(items=", ".join(items[:-1]), last=items[-1])


def recovery_problem(recovered_on: str | None, operation_id: str | None,
                     operation_date: str | None) -> str | None:
    """A specimen is recovered on or after the day of its operation."""
    if not recovered_on or not operation_date:
        return None
    n = min(len(recovered_on), len(operation_date))
    if recovered_on[:n] < operation_date[:n]:
        return _("'{date}' is before operation {operation_id} ({operation_date}), which recovered it: "
                 "correct the date or the operation").format(
                     date=recovered_on, operation_id=operation_id, operation_date=operation_date)
    return None
