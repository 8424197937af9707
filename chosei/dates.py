"""Dates as the sources wrote them: full or partial, Gregorian, Japanese era, Dangi, Excel.

A partial date (`1915`, `1915-03`) stays partial: a year alone is never widened to
1 January, because a birth year from a memorial tablet is not a birthday.

An approximate date (`1915?`, `circa 1915`, `1915년경`, `1915年頃`) is read by
`parse_approximate` as the date it approximates and a flag; where a record keeps one
(a victim's birth), the text as written is stored beside the ISO date (`written_date`),
so neither the approximation nor an era spelling is lost.

Excel numbers: an integral number from 1000 to 2100 is read as a year (a case worker
typed `1915` into a cell Excel formatted as a number), not as a serial. Serials in that
range would be dates in 1902-1905, which no record of this case holds.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import math
import re
import unicodedata
from dataclasses import dataclass, field

from chosei.i18n import N_, _


class DateError(ValueError):
    """A value that is not a date; the message says what would fix it."""


_MONTHS = (N_("January"), N_("February"), N_("March"), N_("April"), N_("May"), N_("June"),
           N_("July"), N_("August"), N_("September"), N_("October"), N_("November"),
           N_("December"))


def _problem(year: object, month: object, day: object) -> str | None:
    """Why (year, month, day) is not a calendar date, or None when it is one."""
    for part in (year, month, day):
        if part is not None and (isinstance(part, bool) or not isinstance(part, int)):
            return _("year, month and day must be whole numbers")
    # each part is now None or an int: isinstance below says so to the type checker
    if not isinstance(year, int):
        return _("a date needs a year")
    if not 1 <= year <= 9999:
        return _("the year must be between 1 and 9999")
    if not isinstance(month, int):
        return _("a day needs a month") if day is not None else None
    if not 1 <= month <= 12:
        return _("the month must be between 1 and 12")
    if isinstance(day, int):
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            return _("{month_name} {year} has {days} days").format(
                month_name=_(_MONTHS[month - 1]), year=year, days=last)
    return None


@dataclass(frozen=True, order=True)
class PartialDate:
    """A year, a year and month, or a full date."""

    year: int = field(compare=False)
    month: int | None = field(default=None, compare=False)
    day: int | None = field(default=None, compare=False)
    # order=True compares fields as a tuple and None cannot be compared with an int,
    # so equality, hashing and order use this key: a year sorts before its months.
    _key: tuple[int, int, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        problem = _problem(self.year, self.month, self.day)
        if problem:
            parts = [str(p) for p in (self.year, self.month, self.day) if p is not None]
            raise DateError(_not_a_date("-".join(parts), problem))
        object.__setattr__(self, "_key", (self.year, self.month or 0, self.day or 0))

    @classmethod
    def from_iso(cls, text: str) -> PartialDate:
        match = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", str(text).strip())
        if not match:
            raise DateError(_("'{value}' is not an ISO date: write YYYY, YYYY-MM or YYYY-MM-DD").format(value=text))
        year, month, day = (int(g) if g else None for g in match.groups())
        problem = _problem(year, month, day)
        if problem or year is None:  # a missing year is one of _problem's
            raise DateError(_not_a_date(text, problem or ""))
        return cls(year, month, day)

    @property
    def is_full(self) -> bool:
        return self.day is not None

    def iso(self) -> str:
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return text

    def to_date(self) -> dt.date:
        if self.month is None or self.day is None:
            raise DateError(_("'{value}' is a partial date: give the full date where a day "
                              "is needed").format(value=self.iso()))
        return dt.date(self.year, self.month, self.day)

    def __str__(self) -> str:
        return self.iso()


# --- Japanese eras -------------------------------------------------------------------

@dataclass(frozen=True)
class _Era:
    kanji: str
    name: str
    start: dt.date
    end: dt.date | None

    def write(self, year: int, month: int | None, day: int | None) -> str:
        n = year - self.start.year + 1
        text = f"{self.kanji}{'元' if n == 1 else n}年"
        if month is not None:
            text += f"{month}月"
        if day is not None:
            text += f"{day}日"
        return text


# Meiji began under the lunisolar calendar; its start date is only used for the year.
_ERAS = (
    _Era("明治", N_("Meiji"), dt.date(1868, 1, 1), dt.date(1912, 7, 29)),
    _Era("大正", N_("Taishō"), dt.date(1912, 7, 30), dt.date(1926, 12, 24)),
    _Era("昭和", N_("Shōwa"), dt.date(1926, 12, 25), dt.date(1989, 1, 7)),
    _Era("平成", N_("Heisei"), dt.date(1989, 1, 8), dt.date(2019, 4, 30)),
    _Era("令和", N_("Reiwa"), dt.date(2019, 5, 1), None),
)
# The Korean Empire's eras, found in Korean family registers (제적등본) of births before
# 1910. Parsed, never written; the Empire kept the Gregorian calendar from 1896.
_KOREAN_ERAS = (
    _Era("光武", N_("Gwangmu"), dt.date(1897, 8, 17), dt.date(1907, 8, 11)),
    _Era("隆熙", N_("Yunghui"), dt.date(1907, 8, 12), dt.date(1910, 8, 29)),
)
_PARSED_ERAS = _ERAS + _KOREAN_ERAS
# Korean family registers copied into hangul spell the era names in Korean readings.
_ERA_NAMES = {
    "明治": 0, "M": 0, "명치": 0,
    "大正": 1, "T": 1, "대정": 1,
    "昭和": 2, "S": 2, "소화": 2,
    "平成": 3, "H": 3,
    "令和": 4, "R": 4,
    "光武": 5, "광무": 5,
    "隆熙": 6, "융희": 6,
}
_GREGORIAN_IN_JAPAN = 1873  # Meiji 6: month and day before this are lunisolar
_DANGI_OFFSET = 2333


def _era_of(day: dt.date) -> _Era:
    return next(e for e in reversed(_ERAS) if e.start <= day)


def _era_of_year(year: int) -> _Era:
    return next(e for e in reversed(_ERAS) if e.start.year <= year)


def _ordinal(n: int) -> str:
    """`n` as an ordinal in the current language (45th; in Korean and Japanese the number)."""
    if 10 <= n % 100 <= 20 or n % 10 not in (1, 2, 3):
        return _("{n}th").format(n=n)
    return (_("{n}st") if n % 10 == 1 else _("{n}nd") if n % 10 == 2 else _("{n}rd")).format(n=n)


def _not_a_date(shown: str, problem: str) -> str:
    return _("'{value}' is not a date: {problem}").format(value=shown, problem=problem)


def _from_era(shown: str, era: _Era, n: int, month: int | None, day: int | None) -> PartialDate:
    if n < 1:
        raise DateError(_not_a_date(shown, _("era years start at 1 (元年)")))
    year = era.start.year + n - 1
    problem = _problem(year, month, day)
    if problem:
        raise DateError(_not_a_date(shown, problem))
    iso = PartialDate(year, month, day).iso()
    if era.end is not None and year > era.end.year:
        other = _era_of_year(year).write(year, month, day)
        ended = _("{era} ended in its {ordinal} year ({end_year}); write {iso} or {other}")
        raise DateError(_not_a_date(shown, ended.format(
            era=_(era.name), ordinal=_ordinal(era.end.year - era.start.year + 1), end_year=era.end.year,
            iso=iso, other=other)))
    if month is not None and year < _GREGORIAN_IN_JAPAN:
        raise DateError(_("'{value}' is a date of the lunisolar calendar used before 1873, which is not "
                          "converted: write the year alone ({year}) or the Gregorian date").format(
                              value=shown, year=year))
    if month is not None:
        first = dt.date(year, month, day or 1)
        last = dt.date(year, month, day or calendar.monthrange(year, month)[1])
        if last < era.start:
            raise DateError(_not_a_date(shown, _("{era} began on {start}; write {iso} or {other}").format(
                era=_(era.name), start=era.start.isoformat(), iso=iso,
                other=_era_of(last).write(year, month, day))))
        if era.end is not None and first > era.end:
            raise DateError(_not_a_date(shown, _("{era} ended on {end}; write {iso} or {other}").format(
                era=_(era.name), end=era.end.isoformat(), iso=iso,
                other=_era_of(first).write(year, month, day))))
    return PartialDate(year, month, day)


# --- Text -----------------------------------------------------------------------------

_KANJI_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6,
                 "七": 7, "八": 8, "九": 9}
_KANJI_TENS = {"十": 10, "廿": 20, "卅": 30}


def _kanji_number(run: str) -> str:
    """昭和十七年 and 一九一五年 as old registers write them."""
    if not any(c in _KANJI_TENS or c == "百" for c in run):
        return "".join(str(_KANJI_DIGITS[c]) for c in run)
    total, digit = 0, 0
    for c in run:
        if c in _KANJI_DIGITS:
            digit = _KANJI_DIGITS[c]
        elif c == "百":
            total, digit = total + (digit or 1) * 100, 0
        else:
            total, digit = total + (digit or 1) * _KANJI_TENS[c], 0
    return str(total + digit)


def _normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).strip()
    return re.sub(r"[〇零一二三四五六七八九十廿卅百]+", lambda m: _kanji_number(m.group()), text)


_PREFIX = (r"(?:(?P<era>明治|大正|昭和|平成|令和|명치|대정|소화|光武|隆熙|광무|융희|[MTSHR])"
           r"|(?P<dangi>단기|檀紀))?")
_YEAR = r"(?P<year>\d{1,4}|元|원)"
# Either units (年月日, 년월일) or one separator used throughout (-, /, .).
_REST = (r"(?:\s*[年년](?:\s*(?P<m1>\d{1,2})\s*[月월](?:\s*(?P<d1>\d{1,2})\s*[日일])?)?"
         r"|(?:\s*(?P<sep>[-/.])\s*(?P<m2>\d{1,2})(?:\s*(?P=sep)\s*(?P<d2>\d{1,2}))?\.?)?)")
_DATE_RE = re.compile(rf"{_PREFIX}\s*{_YEAR}{_REST}", re.IGNORECASE)


def _parse_text(shown: str, text: str) -> PartialDate:
    match = _DATE_RE.fullmatch(text)
    if not match:
        raise DateError(_not_a_date(shown, _("write YYYY-MM-DD, YYYY-MM or YYYY, or an era date such as "
                                             "昭和17年2月3日")))
    era, dangi, year_text = match["era"], match["dangi"], match["year"]
    month = match["m1"] or match["m2"]
    day = match["d1"] or match["d2"]
    m = int(month) if month else None
    d = int(day) if day else None
    if year_text in ("元", "원"):
        if not era:
            raise DateError(_not_a_date(shown, _("元年 (year 1) needs an era name such as 昭和元年")))
        n = 1
    else:
        n = int(year_text)
    if era:
        return _from_era(shown, _PARSED_ERAS[_ERA_NAMES[era.upper() if len(era) == 1 else era]],
                         n, m, d)
    if dangi:
        n -= _DANGI_OFFSET
    elif len(year_text) != 4:
        raise DateError(_not_a_date(shown, _("write the year with four digits")))
    problem = _problem(n, m, d)
    if problem:
        raise DateError(_not_a_date(shown, problem))
    return PartialDate(n, m, d)


# --- Excel numbers --------------------------------------------------------------------



def _show(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _as_year(value: int | float) -> int | None:
    if float(value).is_integer() and 1000 <= value <= 2100:
        return int(value)
    return None


def _from_serial(value: int | float, date1904: bool) -> dt.datetime:
    shown = _show(value)
    if not math.isfinite(value) or value < 0:
        raise DateError(_not_a_date(shown, _("an Excel date serial is a number of days and cannot be "
                                             "negative; enter the date as a date")))
    whole = math.floor(value)
    if not date1904 and whole == 0:
        raise DateError(_not_a_date(shown, _("Excel's day 0 is no date; leave the cell empty or enter "
                                             "the date")))
    if not date1904 and whole == 60:
        raise DateError(_not_a_date(shown, _("Excel's serial 60 is 29 February 1900, a day that never "
                                             "existed; enter the date again")))
    # Imported here: openpyxl takes a tenth of a second to import, and a serial is rare
    # (calamine gives dates as dates). `from_excel` knows Lotus 1-2-3's phantom
    # 29 February 1900, which Excel kept: serials before it are one day off.
    from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH, from_excel

    epoch = MAC_EPOCH if date1904 else WINDOWS_EPOCH
    try:
        moment = from_excel(value, epoch)
    except OverflowError:
        raise DateError(_not_a_date(shown, _("the serial is past the year 9999; enter the date as a "
                                             "date"))) from None
    if isinstance(moment, dt.time):  # below 1 (1904 system): a time on the epoch's day
        moment = dt.datetime.combine(epoch.date(), moment)
    if moment.microsecond >= 500_000:  # to the nearest second, as Excel shows it
        moment += dt.timedelta(seconds=1)
    return moment.replace(microsecond=0)


_TIME_RE = re.compile(
    r"(?P<date>.+?)(?:\s*T\s*|\s+|(?<=[日일]))"
    r"(?P<h>\d{1,2})(?::(?P<m>\d{2})(?::(?P<s>\d{2})(?:\.\d+)?)?"
    r"|\s*[時시](?:\s*(?P<m2>\d{1,2})\s*[分분](?:\s*(?P<s2>\d{1,2})\s*[秒초])?)?)",
    re.IGNORECASE,
)


# --- Public ---------------------------------------------------------------------------


def today() -> dt.date:
    """Today's date, the bound of every date the case records (none lies in the future).

    One function, looked up as `dates.today()` wherever it is used, so a test can set the
    day by replacing it.
    """
    return dt.date.today()


def check_past(iso: str, shown: str | None = None) -> str:
    """`iso` (a date as `PartialDate.iso` writes it, perhaps with a time) unless it lies
    after today; a partial date counts from its first day (`2026-12` is not after
    2026-12-05). `shown` is the date as the source wrote it, for the message."""
    now = today().isoformat()
    day = iso[:10]
    if day > now[:len(day)]:
        if shown and shown != iso:
            message = _("'{value}' ({day}) is after today ({today}): the case records only what has "
                        "happened; check the year")
        else:
            message = _("'{value}' is after today ({today}): the case records only what has happened; "
                        "check the year")
        raise DateError(message.format(value=shown if shown and shown != iso else iso, day=day, today=now))
    return iso



@functools.lru_cache(maxsize=4096)  # dates repeat down a column
def is_iso_date(text: str) -> bool:
    """Is `text` a date exactly as `PartialDate.iso` writes it (`1915`, `1915-03`,
    `1915-03-02`, a real date with a four-digit year from 0001)? `parse_date` reads such
    text as that date, so its ISO form is the text itself."""
    n = len(text)
    if n not in (4, 7, 10) or not text.isascii() or not text[:4].isdigit() or text[:4] == "0000":
        return False
    if n == 4:
        return True
    if text[4] != "-" or not text[5:7].isdigit():
        return False
    if n == 7:
        return "01" <= text[5:] <= "12"
    if text[7] != "-" or not text[8:].isdigit():
        return False
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True

def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def parse_date(value: object, *, date1904: bool = False,
               until_today: bool = False) -> PartialDate | None:
    """Read a date cell as the source wrote it; None for a blank cell.

    A time of day in a datetime, a fractional serial or a text is dropped (a text's
    time must still be a real time: `25:00` is refused). With `until_today`, as for every
    date the case records, a date after today is refused (`check_past`), its message
    quoting the date as written. `date1904` says the workbook uses Excel's 1904 date
    system.
    """
    if _blank(value):
        return None
    parsed = _read_date(value, date1904)
    if until_today:
        check_past(parsed.iso(), value.strip() if isinstance(value, str) else None)
    return parsed


def _read_date(value: object, date1904: bool) -> PartialDate:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return PartialDate(value.year, value.month, value.day)
    if isinstance(value, bool):
        raise DateError(_not_a_date(str(value), _("enter a date, a year or a date text")))
    if isinstance(value, int | float):
        year = _as_year(value)
        if year is not None:
            return PartialDate(year)
        moment = _from_serial(value, date1904)
        return PartialDate(moment.year, moment.month, moment.day)
    if isinstance(value, str):
        shown = value.strip()
        text = _normalize(shown)
        match = _TIME_RE.fullmatch(text)
        if not match:
            return _parse_text(shown, text)
        day = _parse_text(shown, match["date"].strip())
        if not day.is_full:
            raise DateError(_not_a_date(shown, _("a time needs a full date")))
        minute, second = match["m"] or match["m2"] or 0, match["s"] or match["s2"] or 0
        _iso_time(shown, day, int(match["h"]), int(minute), int(second))  # a real time
        return day
    raise DateError(_not_a_date(str(value), _("enter a date, a year or a date text")))


# What marks a date as approximate, before or after it, in the case's languages: circa,
# c., ca., about, approx., ~ and 約/약/대략/推定 before; ?, 경/쯤/무렵 and 頃/ごろ after
# (1915년경 is 1915년 + 경, 1915年頃 is 1915年 + 頃).
_APPROX_BEFORE = re.compile(
    r"(?:circa|ca\.?|c\.|about|approx(?:\.|imately)?|around|~|約|약|대략|推定|およそ)\s*",
    re.IGNORECASE)
_APPROX_AFTER = re.compile(r"\s*(?:\?+|경|쯤|무렵|頃|ごろ|ころ|前後|정도)$")


def parse_approximate(value: object, *, date1904: bool = False,
                      until_today: bool = False) -> tuple[PartialDate | None, bool]:
    """A date that may be marked approximate: (the date, whether it was so marked).
    `circa 1915` is (1915, True); `1915` is (1915, False); a blank cell (None, False).
    Anything else is read by `parse_date` (with `until_today` as it takes it), whose
    errors name the text as written."""
    if not isinstance(value, str) or _blank(value):
        return parse_date(value, date1904=date1904, until_today=until_today), False
    shown = value.strip()
    text = unicodedata.normalize("NFKC", shown)
    core = _APPROX_AFTER.sub("", _APPROX_BEFORE.sub("", text, count=1) if _APPROX_BEFORE.match(text) else text)
    if core == text:
        return parse_date(shown, date1904=date1904, until_today=until_today), False
    if not core.strip():
        raise DateError(_not_a_date(shown, _("write the date it approximates, such as circa 1915")))
    try:
        return parse_date(core, until_today=until_today), True
    except DateError as exc:
        raise DateError(str(exc).replace(f"'{core.strip()}'", f"'{shown}'", 1)) from None


def is_approximate(text: str | None) -> bool:
    """Whether a date as written is marked approximate (`1915?`, `circa 1915`…)."""
    try:
        return text is not None and parse_approximate(text)[1]
    except DateError:
        return False


def written_date(value: object, written: str | None = None) -> str | None:
    """The text to keep beside a date read from `value`: `value` itself when it is text
    that says more than the ISO date (an era, an approximation, another layout), else
    `written` (what was kept before) as long as it still reads as the same date, else None.
    Raises nothing: a `value` that is no date is the date field's error."""
    try:
        if isinstance(value, str) and value.strip() and not is_iso_date(value.strip()):
            if parse_approximate(value)[0] is not None:
                return value.strip()
            return None
        if written is None or _blank(value):
            return None
        date = value.iso() if isinstance(value, PartialDate) else parse_date(value)
        iso = date.iso() if isinstance(date, PartialDate) else date
        kept = parse_approximate(written)[0]
        return written if kept is not None and kept.iso() == iso else None
    except DateError:
        return None


def _not_a_datetime(shown: str, problem: str) -> str:
    return _("'{value}' is not a date and time: {problem}").format(value=shown, problem=problem)


def _iso_time(shown: str, day: PartialDate, hour: int, minute: int, second: int) -> str:
    if not day.is_full:
        raise DateError(_not_a_datetime(shown, _("a time needs a full date")))
    if hour > 23 or minute > 59 or second > 59:
        raise DateError(_not_a_datetime(shown, _("the time must be between 00:00 and 23:59:59")))
    clock = f"{hour:02d}:{minute:02d}" + (f":{second:02d}" if second else "")
    return f"{day.iso()}T{clock}"


def _iso_datetime(shown: str, moment: dt.datetime) -> str:
    day = PartialDate(moment.year, moment.month, moment.day)
    if (moment.hour, moment.minute, moment.second) == (0, 0, 0):
        return day.iso()
    return _iso_time(shown, day, moment.hour, moment.minute, moment.second)


def parse_datetime(value: object, *, date1904: bool = False,
                   until_today: bool = False) -> str | None:
    """Read a custody timestamp as ISO text: `2025-08-26` or `2025-08-26T14:30`.

    Minutes are kept, seconds only when not zero. Excel stores a date as that day's
    midnight, so a time of exactly 00:00 reads as the date alone. Partial dates are
    allowed and come back as their ISO text. `until_today` as for `parse_date`.
    """
    if _blank(value):
        return None
    moment = _read_datetime(value, date1904)
    if until_today:
        check_past(moment, value.strip() if isinstance(value, str) else None)
    return moment


def _read_datetime(value: object, date1904: bool) -> str:
    if isinstance(value, dt.datetime):
        return _iso_datetime(str(value), value.replace(microsecond=0))
    if isinstance(value, int | float) and not isinstance(value, bool):
        year = _as_year(value)
        if year is not None:
            return PartialDate(year).iso()
        return _iso_datetime(_show(value), _from_serial(value, date1904))
    if isinstance(value, str):
        shown = value.strip()
        text = _normalize(shown)
        match = _TIME_RE.fullmatch(text)
        if not match:
            return _parse_text(shown, text).iso()
        day = _parse_text(shown, match["date"].strip())
        minute, second = match["m"] or match["m2"] or 0, match["s"] or match["s2"] or 0
        return _iso_time(shown, day, int(match["h"]), int(minute), int(second))
    return _read_date(value, date1904).iso()


_MAX_AGE = 120
_AGE_RE = re.compile(
    r"(?:(?P<counted>数え年?|かぞえ年?|享年|行年)|満|만)?\s*(?P<sign>-)?\s*(?P<n>\d+)"
    r"\s*(?:歳|才|세|살|years?|yrs?)?",
    re.IGNORECASE,
)


def _not_an_age(shown: str, problem: str) -> str:
    return _("'{value}' is not an age: {problem}").format(value=shown, problem=problem)


def age_from(value: object) -> int | None:
    """Read an "Age at death" cell as completed years; None for a blank cell.

    Counting age (数え, and 享年/行年 as memorial tablets write it) starts at 1 at birth
    and adds a year every New Year, so it runs one or two years ahead of the completed
    age. Without the birthday the smaller gap is the better guess: it is stored as
    written minus 1. Korean 세/살 ages are stored as written.
    """
    if _blank(value):
        return None
    if isinstance(value, bool):
        raise DateError(_not_an_age(str(value), _("write the age in years, such as 23")))
    if isinstance(value, int | float):
        shown = _show(value)
        if not float(value).is_integer():
            raise DateError(_not_an_age(shown, _("write whole years, such as 23")))
        age, counted = int(value), False
    elif isinstance(value, str):
        shown = value.strip()
        match = _AGE_RE.fullmatch(_normalize(shown))
        if not match:
            raise DateError(_not_an_age(shown, _("write the age in years, such as 23, 23세 or 満23歳")))
        age = -int(match["n"]) if match["sign"] else int(match["n"])
        counted = bool(match["counted"])
    else:
        raise DateError(_not_an_age(str(value), _("write the age in years, such as 23")))
    if age < 0:
        raise DateError(_not_an_age(shown, _("an age cannot be negative")))
    if counted:
        if age < 1:
            raise DateError(_not_an_age(shown, _("a counting age starts at 1")))
        age -= 1
    if age > _MAX_AGE:
        raise DateError(_not_an_age(shown, _("an age at death is at most {limit}").format(limit=_MAX_AGE)))
    return age
