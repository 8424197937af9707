import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chosei.dates import (
    DateError,
    PartialDate,
    age_from,
    is_approximate,
    is_iso_date,
    parse_approximate,
    parse_date,
    parse_datetime,
    written_date,
)


def _serial_1900(day: dt.date) -> int:
    """Excel's 1900 serial for a day after 1900-02-28, counted by hand."""
    return (day - dt.date(1899, 12, 30)).days


def _serial_1904(day: dt.date) -> int:
    return (day - dt.date(1904, 1, 1)).days


# --- PartialDate ---------------------------------------------------------------------

@pytest.mark.parametrize(
    ("parts", "iso", "full"),
    [
        ((1915,), "1915", False),
        ((1915, 3), "1915-03", False),
        ((1915, 3, 2), "1915-03-02", True),
        ((1916, 2, 29), "1916-02-29", True),
    ],
    ids=["year", "year-month", "full", "leap-day"],
)
def test_partial_date_iso(parts, iso, full):
    date = PartialDate(*parts)
    assert date.iso() == iso
    assert str(date) == iso
    assert date.is_full is full
    assert PartialDate.from_iso(iso) == date


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        ((1915, 2, 29), "'1915-2-29' is not a date: February 1915 has 28 days"),
        ((1915, 13), "'1915-13' is not a date: the month must be between 1 and 12"),
        ((1915, None, 2), "'1915-2' is not a date: a day needs a month"),
        ((None, 3), "'3' is not a date: a date needs a year"),
        ((0,), "'0' is not a date: the year must be between 1 and 9999"),
        ((1915.0,), "'1915.0' is not a date: year, month and day must be whole numbers"),
    ],
    ids=["not-leap", "month-13", "day-without-month", "month-without-year", "year-0", "float"],
)
def test_partial_date_rejects(parts, message):
    with pytest.raises(DateError) as err:
        PartialDate(*parts)
    assert str(err.value) == message


def test_partial_date_is_never_widened():
    assert PartialDate(1915) != PartialDate(1915, 1, 1)
    assert PartialDate(1915).month is None


def test_partial_dates_sort_year_before_its_months():
    dates = [PartialDate(1915, 3, 2), PartialDate(1915), PartialDate(1914, 12, 31),
             PartialDate(1915, 3)]
    assert [d.iso() for d in sorted(dates)] == ["1914-12-31", "1915", "1915-03", "1915-03-02"]


def test_to_date():
    assert PartialDate(1915, 3, 2).to_date() == dt.date(1915, 3, 2)
    with pytest.raises(DateError) as err:
        PartialDate(1915, 3).to_date()
    assert str(err.value) == (
        "'1915-03' is a partial date: give the full date where a day is needed")


@pytest.mark.parametrize("text", ["1915-3-2", "15", "1915-03-02T10:00", "", "1915/03"])
def test_from_iso_is_strict(text):
    with pytest.raises(DateError) as err:
        PartialDate.from_iso(text)
    assert str(err.value) == f"'{text}' is not an ISO date: write YYYY, YYYY-MM or YYYY-MM-DD"


def test_from_iso_checks_the_calendar():
    with pytest.raises(DateError) as err:
        PartialDate.from_iso("1900-02-29")
    assert str(err.value) == "'1900-02-29' is not a date: February 1900 has 28 days"


@st.composite
def partial_dates(draw):
    day = draw(st.dates())
    precision = draw(st.sampled_from(["year", "month", "day"]))
    if precision == "year":
        return PartialDate(day.year)
    if precision == "month":
        return PartialDate(day.year, day.month)
    return PartialDate(day.year, day.month, day.day)


@given(partial_dates())
def test_iso_round_trip(date):
    assert PartialDate.from_iso(date.iso()) == date


@given(partial_dates(), partial_dates())
def test_order_matches_iso_text(a, b):
    assert (a < b) == (a.iso() < b.iso())


# --- parse_date: text ----------------------------------------------------------------

@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("1915-03-02", "1915-03-02"),
        ("1915/3/2", "1915-03-02"),
        ("1915.3.2", "1915-03-02"),
        ("1915. 3. 2.", "1915-03-02"),
        ("1915", "1915"),
        ("1915-03", "1915-03"),
        ("  1915-03-02  ", "1915-03-02"),
        ("1915-03-02 14:30", "1915-03-02"),
        ("1915年3月2日", "1915-03-02"),
        ("1915年3月", "1915-03"),
        ("1915年", "1915"),
        ("1915년 3월 2일", "1915-03-02"),
        ("1915년3월2일", "1915-03-02"),
        ("1915년", "1915"),
        ("단기 4248년", "1915"),
        ("단기4248년 3월 2일", "1915-03-02"),
        ("檀紀4248年", "1915"),
        ("１９１５－０３－０２", "1915-03-02"),
        ("１９１５年３月２日", "1915-03-02"),
        ("大正4年3月2日", "1915-03-02"),
        ("大正 4 年 3 月 2 日", "1915-03-02"),
        ("大正４年３月２日", "1915-03-02"),
        ("昭和17年", "1942"),
        ("昭和17年2月", "1942-02"),
        ("昭和十七年二月三日", "1942-02-03"),
        ("明治元年", "1868"),
        ("明治45年7月29日", "1912-07-29"),
        ("大正元年", "1912"),
        ("大正元年7月", "1912-07"),
        ("大正元年7月30日", "1912-07-30"),
        ("大正15年12月24日", "1926-12-24"),
        ("昭和元年12月25日", "1926-12-25"),
        ("昭和64年1月7日", "1989-01-07"),
        ("平成元年1月8日", "1989-01-08"),
        ("平成31年4月30日", "2019-04-30"),
        ("令和元年5月1日", "2019-05-01"),
        ("令和7年", "2025"),
        ("㍼17年", "1942"),
        ("S17.2.3", "1942-02-03"),
        ("s17.2.3", "1942-02-03"),
        ("S17", "1942"),
        ("T4/3/2", "1915-03-02"),
        ("M44", "1911"),
        ("H1.1.8", "1989-01-08"),
        ("R1.5.1", "2019-05-01"),
        ("Ｓ１７．２．３", "1942-02-03"),
        ("대정 4년 3월 2일", "1915-03-02"),
        ("소화17년", "1942"),
        ("一九一五年三月二日", "1915-03-02"),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_parse_date_text(value, iso):
    assert parse_date(value).iso() == iso


@pytest.mark.parametrize("value", [None, "", "   ", "\u3000"], ids=["none", "empty", "spaces",
                                                                   "ideographic-space"])
def test_parse_date_blank(value):
    assert parse_date(value) is None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("大正16年", "'大正16年' is not a date: Taishō ended in its 15th year (1926); "
         "write 1927 or 昭和2年"),
        ("明治46年", "'明治46年' is not a date: Meiji ended in its 45th year (1912); "
         "write 1913 or 大正2年"),
        ("昭和65年", "'昭和65年' is not a date: Shōwa ended in its 64th year (1989); "
         "write 1990 or 平成2年"),
        ("平成32年", "'平成32年' is not a date: Heisei ended in its 31st year (2019); "
         "write 2020 or 令和2年"),
        ("T16.3.2", "'T16.3.2' is not a date: Taishō ended in its 15th year (1926); "
         "write 1927-03-02 or 昭和2年3月2日"),
        ("明治45年7月30日", "'明治45年7月30日' is not a date: Meiji ended on 1912-07-29; "
         "write 1912-07-30 or 大正元年7月30日"),
        ("明治45年8月", "'明治45年8月' is not a date: Meiji ended on 1912-07-29; "
         "write 1912-08 or 大正元年8月"),
        ("大正元年7月29日", "'大正元年7月29日' is not a date: Taishō began on 1912-07-30; "
         "write 1912-07-29 or 明治45年7月29日"),
        ("大正元年6月", "'大正元年6月' is not a date: Taishō began on 1912-07-30; "
         "write 1912-06 or 明治45年6月"),
        ("大正15年12月25日", "'大正15年12月25日' is not a date: Taishō ended on 1926-12-24; "
         "write 1926-12-25 or 昭和元年12月25日"),
        ("昭和元年12月24日", "'昭和元年12月24日' is not a date: Shōwa began on 1926-12-25; "
         "write 1926-12-24 or 大正15年12月24日"),
        ("昭和64年1月8日", "'昭和64年1月8日' is not a date: Shōwa ended on 1989-01-07; "
         "write 1989-01-08 or 平成元年1月8日"),
        ("平成31年5月1日", "'平成31年5月1日' is not a date: Heisei ended on 2019-04-30; "
         "write 2019-05-01 or 令和元年5月1日"),
        ("令和元年4月30日", "'令和元年4月30日' is not a date: Reiwa began on 2019-05-01; "
         "write 2019-04-30 or 平成31年4月30日"),
        ("昭和0年", "'昭和0年' is not a date: era years start at 1 (元年)"),
        ("明治元年3月2日", "'明治元年3月2日' is a date of the lunisolar calendar used before "
         "1873, which is not converted: write the year alone (1868) or the Gregorian date"),
        ("元年", "'元年' is not a date: 元年 (year 1) needs an era name such as 昭和元年"),
        ("17.2.3", "'17.2.3' is not a date: write the year with four digits"),
        ("1915-02-30", "'1915-02-30' is not a date: February 1915 has 28 days"),
        ("昭和17年2月30日", "'昭和17年2月30日' is not a date: February 1942 has 28 days"),
        ("1915-13", "'1915-13' is not a date: the month must be between 1 and 12"),
        ("1915-3/2", "'1915-3/2' is not a date: write YYYY-MM-DD, YYYY-MM or YYYY, "
         "or an era date such as 昭和17年2月3日"),
        ("unknown", "'unknown' is not a date: write YYYY-MM-DD, YYYY-MM or YYYY, "
         "or an era date such as 昭和17年2月3日"),
        ("2025-08 14:30", "'2025-08 14:30' is not a date: a time needs a full date"),
    ],
    ids=lambda v: v if isinstance(v, str) and len(v) < 20 else None,
)
def test_parse_date_text_errors(value, message):
    with pytest.raises(DateError) as err:
        parse_date(value)
    assert str(err.value) == message


def test_date_error_is_a_value_error():
    with pytest.raises(ValueError):
        parse_date("大正16年")


# --- parse_date: cells -----------------------------------------------------------------

@pytest.mark.parametrize(
    ("value", "iso"),
    [
        (dt.date(1915, 3, 2), "1915-03-02"),
        (dt.datetime(1915, 3, 2, 0, 0), "1915-03-02"),
        (dt.datetime(1915, 3, 2, 14, 30), "1915-03-02"),
        (1915, "1915"),
        (1915.0, "1915"),
        (1000, "1000"),
        (2100, "2100"),
    ],
    ids=["date", "datetime-midnight", "datetime-with-time", "year-int", "year-float",
         "year-1000", "year-2100"],
)
def test_parse_date_cells(value, iso):
    assert parse_date(value).iso() == iso


@pytest.mark.parametrize(
    "day",
    [dt.date(1915, 1, 1), dt.date(1942, 2, 3), dt.date(1906, 1, 1), dt.date(2025, 8, 26)],
    ids=str,
)
def test_serials_in_both_systems(day):
    assert parse_date(_serial_1900(day)) == PartialDate(day.year, day.month, day.day)
    assert parse_date(_serial_1904(day), date1904=True) == PartialDate(day.year, day.month,
                                                                       day.day)


def test_serial_of_1915_new_year_by_hand():
    # 1900-01-01 is serial 1; 1900 (Excel's phantom 29 February included) to 1914 is
    # 15 years of 365 days plus the leap days of 1900, 1904, 1908, 1912.
    assert 1 + 15 * 365 + 4 == 5480
    assert parse_date(5480).iso() == "1915-01-01"
    assert parse_date(5479).iso() == "1914-12-31"
    # The 1904 system starts 1462 days later: 1904-01-01 is its serial 0.
    assert parse_date(5480 - 1462, date1904=True).iso() == "1915-01-01"
    assert parse_date(0, date1904=True).iso() == "1904-01-01"


@pytest.mark.parametrize(
    ("serial", "iso"),
    [(1, "1900-01-01"), (59, "1900-02-28"), (61, "1900-03-01"), (999, "1902-09-25"),
     (2101, "1905-10-01"), (45895.6, "2025-08-26")],
    ids=["serial-1", "serial-59", "serial-61", "serial-999", "serial-2101", "fractional"],
)
def test_serials_around_the_lotus_bug(serial, iso):
    assert parse_date(serial).iso() == iso


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (60, "'60' is not a date: Excel's serial 60 is 29 February 1900, a day that never "
         "existed; enter the date again"),
        (60.5, "'60.5' is not a date: Excel's serial 60 is 29 February 1900, a day that never "
         "existed; enter the date again"),
        (0, "'0' is not a date: Excel's day 0 is no date; leave the cell empty or enter the "
         "date"),
        (-5, "'-5' is not a date: an Excel date serial is a number of days and cannot be "
         "negative; enter the date as a date"),
        (float("nan"), "'nan' is not a date: an Excel date serial is a number of days and "
         "cannot be negative; enter the date as a date"),
        (3_000_000, "'3000000' is not a date: the serial is past the year 9999; enter the "
         "date as a date"),
        (True, "'True' is not a date: enter a date, a year or a date text"),
        (dt.time(14, 30), "'14:30:00' is not a date: enter a date, a year or a date text"),
    ],
    ids=["serial-60", "serial-60-with-time", "serial-0", "negative", "nan", "huge", "bool",
         "time"],
)
def test_parse_date_cell_errors(value, message):
    with pytest.raises(DateError) as err:
        parse_date(value)
    assert str(err.value) == message


def test_serial_60_is_fine_in_the_1904_system():
    assert parse_date(60, date1904=True).iso() == "1904-03-01"


# --- parse_datetime --------------------------------------------------------------------

@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("2025-08-26 14:30", "2025-08-26T14:30"),
        ("2025-08-26T14:30", "2025-08-26T14:30"),
        ("2025-08-26 14:30:00", "2025-08-26T14:30"),
        ("2025-08-26 14:30:15", "2025-08-26T14:30:15"),
        ("2025-08-26 9:05", "2025-08-26T09:05"),
        ("２０２５－０８－２６　１４：３０", "2025-08-26T14:30"),
        ("2025年8月26日14時30分", "2025-08-26T14:30"),
        ("2025년 8월 26일 14시 30분", "2025-08-26T14:30"),
        ("2025-08-26", "2025-08-26"),
        ("2025-08", "2025-08"),
        ("2025", "2025"),
        ("令和7年8月26日", "2025-08-26"),
        (dt.datetime(2025, 8, 26, 14, 30), "2025-08-26T14:30"),
        (dt.datetime(2025, 8, 26, 14, 30, 15, 400), "2025-08-26T14:30:15"),
        (dt.datetime(2025, 8, 26), "2025-08-26"),
        (dt.date(2025, 8, 26), "2025-08-26"),
        (_serial_1900(dt.date(2025, 8, 26)) + 14.5 / 24, "2025-08-26T14:30"),
        (_serial_1900(dt.date(2025, 8, 26)), "2025-08-26"),
        (2025, "2025"),
        (None, None),
        ("", None),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_parse_datetime(value, iso):
    assert parse_datetime(value) == iso


def test_parse_datetime_1904():
    serial = _serial_1904(dt.date(2025, 8, 26)) + 0.75
    assert parse_datetime(serial, date1904=True) == "2025-08-26T18:00"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2025-08 14:30", "'2025-08 14:30' is not a date and time: a time needs a full date"),
        ("2025-08-26 24:00", "'2025-08-26 24:00' is not a date and time: the time must be "
         "between 00:00 and 23:59:59"),
        ("2025-08-26 14:61", "'2025-08-26 14:61' is not a date and time: the time must be "
         "between 00:00 and 23:59:59"),
        ("2025-02-30 10:00", "'2025-02-30 10:00' is not a date: February 2025 has 28 days"),
    ],
    ids=["partial-with-time", "hour-24", "minute-61", "bad-day"],
)
def test_parse_datetime_errors(value, message):
    with pytest.raises(DateError) as err:
        parse_datetime(value)
    assert str(err.value) == message


# --- age_from --------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("value", "age"),
    [
        (23, 23), (23.0, 23), ("23", 23), ("23세", 23), ("23 세", 23), ("23살", 23),
        ("23歳", 23), ("23才", 23), ("満23歳", 23), ("만 23세", 23), ("２３歳", 23),
        ("二十三歳", 23), ("数え24", 23), ("数え年24歳", 23), ("享年二十四歳", 23),
        ("0", 0), ("120", 120), (None, None), ("", None),
    ],
    ids=lambda v: str(v),
)
def test_age_from(value, age):
    assert age_from(value) == age


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-3", "'-3' is not an age: an age cannot be negative"),
        (-3, "'-3' is not an age: an age cannot be negative"),
        ("121", "'121' is not an age: an age at death is at most 120"),
        (130, "'130' is not an age: an age at death is at most 120"),
        ("数え0", "'数え0' is not an age: a counting age starts at 1"),
        (23.5, "'23.5' is not an age: write whole years, such as 23"),
        ("about 20", "'about 20' is not an age: write the age in years, such as 23, 23세 or "
         "満23歳"),
        (True, "'True' is not an age: write the age in years, such as 23"),
    ],
    ids=["negative-text", "negative-number", "121", "130", "counting-0", "fraction",
         "words", "bool"],
)
def test_age_from_errors(value, message):
    with pytest.raises(DateError) as err:
        age_from(value)
    assert str(err.value) == message


def test_small_integers_are_years_not_serials():
    # Serial 1522 would be 1904-03-01; a number typed into a date column is a year.
    assert parse_date(1522).iso() == "1522"
    assert parse_date(2101).iso() == "1905-10-01"


@given(st.one_of(
    st.dates(min_value=dt.date(1, 1, 1)).flatmap(
        lambda d: st.sampled_from([d.isoformat(), d.isoformat()[:7], d.isoformat()[:4]])),
    st.text(alphabet="0123456789-/ ．１", max_size=11),
    st.sampled_from(["0000", "0000-01", "0000-01-01", "1915-13", "1915-00", "1915-02-29", "1916-02-29",
                     "1915-03-00", "1915-03-32", "0001-01-01"]),
))
def test_text_taken_for_an_iso_date_at_a_glance_is_read_as_itself(text: str) -> None:
    """`is_iso_date` lets `as_date` skip the parser: the parser must agree."""
    if is_iso_date(text):
        assert parse_date(text).iso() == text  # type: ignore[union-attr]
    else:
        try:
            parsed = parse_date(text)
        except DateError:
            return
        assert parsed is None or parsed.iso() != text


def test_iso_dates_are_taken_at_a_glance() -> None:
    assert [is_iso_date(t) for t in ("1915", "1915-03", "1915-03-02", "0001-01-01")] == [True] * 4
    assert [is_iso_date(t) for t in ("0000", "1915-13", "1915-02-29", "1915-3-2", "１９１５")] == [False] * 5


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("光武5年", "1901"),
        ("隆熙2年3月1日", "1908-03-01"),
        ("융희 4년", "1910"),
        ("광무 원년 9월", "1897-09"),
    ],
    ids=["gwangmu-hanja", "yunghui-full", "yunghui-hangul", "gwangmu-first-year"],
)
def test_korean_empire_eras(value, iso):
    assert parse_date(value).iso() == iso


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("隆熙5年", "'隆熙5年' is not a date: Yunghui ended in its 4th year (1910); write 1911 or 明治44年"),
        ("光武元年1月1日", "'光武元年1月1日' is not a date: Gwangmu began on 1897-08-17; "
                          "write 1897-01-01 or 明治30年1月1日"),
        ("융희4년 9월 1일", "'융희4년 9월 1일' is not a date: Yunghui ended on 1910-08-29; "
                           "write 1910-09-01 or 明治43年9月1日"),
    ],
    ids=["past-the-end", "before-the-start", "after-the-annexation"],
)
def test_korean_empire_era_bounds(value, message):
    with pytest.raises(DateError) as err:
        parse_date(value)
    assert str(err.value) == message


# --- Approximate dates and the text as written ----------------------------------------



@pytest.mark.parametrize(("text", "iso"), [
    ("1915?", "1915"), ("1915？", "1915"), ("circa 1915", "1915"), ("Circa 1915", "1915"),
    ("c. 1915", "1915"), ("ca. 1915-03", "1915-03"), ("about 1915", "1915"), ("~1915", "1915"),
    ("1915년경", "1915"), ("1915년 3월경", "1915-03"), ("약 1915년", "1915"), ("1915年頃", "1915"),
    ("大正4年頃", "1915"), ("1915年ごろ", "1915"), ("約1915年", "1915"), ("推定 大正4年", "1915"),
])
def test_approximate_dates_read_as_the_date_they_approximate(text, iso):
    date, approximate = parse_approximate(text)
    assert (date.iso(), approximate) == (iso, True)
    assert is_approximate(text)


@pytest.mark.parametrize("text", ["1915", "1915-03-02", "大正4年3月2日", "단기 4248년"])
def test_exact_dates_are_not_approximate(text):
    assert parse_approximate(text)[1] is False
    assert not is_approximate(text)


@pytest.mark.parametrize(("text", "message"), [
    ("circa", "'circa' is not a date: write the date it approximates, such as circa 1915"),
    ("?", "'?' is not a date: write the date it approximates, such as circa 1915"),
    ("1915-13?", "'1915-13?' is not a date: the month must be between 1 and 12"),
    ("circa 15", "'circa 15' is not a date: write the year with four digits"),
])
def test_approximate_date_errors_name_the_text_as_written(text, message):
    with pytest.raises(DateError) as err:
        parse_approximate(text)
    assert str(err.value) == message


@pytest.mark.parametrize(("value", "kept", "written"), [
    ("大正4年3月2日", None, "大正4年3月2日"),  # an era spelling says more than the ISO date
    ("1915年頃", None, "1915年頃"),
    ("1915", None, None),  # ISO says it all
    ("1915", "1915年頃", "1915年頃"),  # the kept text still reads as the date
    ("1916", "1915年頃", None),  # the date changed: the old text goes
    (None, "1915年頃", None),
    ("1915-13", None, None),  # no date: the date field's error, not this one's
])
def test_written_date(value, kept, written):
    assert written_date(value, kept) == written


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("단기 9999", "'단기 9999' (7666) is after today (2026-06-01): the case records only what "
                    "has happened; check the year"),
        ("9999-12-31", "'9999-12-31' is after today (2026-06-01): the case records only what has "
                       "happened; check the year"),
        ("2026-06-02", "'2026-06-02' is after today (2026-06-01): the case records only what has "
                       "happened; check the year"),
    ],
)
def test_a_date_after_today_is_refused_where_the_case_records_it(
        monkeypatch: pytest.MonkeyPatch, value: str, message: str) -> None:
    import chosei.dates

    monkeypatch.setattr(chosei.dates, "today", lambda: dt.date(2026, 6, 1))
    assert parse_date(value).iso() in ("7666", "9999-12-31", "2026-06-02")  # read as written…
    with pytest.raises(DateError) as exc:  # …refused as a date the case records
        parse_date(value, until_today=True)
    assert str(exc.value) == message
    # A partial date counts from its first day: this month and this year are not after today.
    assert parse_date("2026-06", until_today=True).iso() == "2026-06"
    assert parse_date("2026", until_today=True).iso() == "2026"


def test_a_time_in_a_date_must_be_a_real_time() -> None:
    assert parse_date("1942-02-03T23:59").iso() == "1942-02-03"  # a real time is dropped
    with pytest.raises(DateError) as exc:
        parse_date("1942-02-03T25:00")
    assert str(exc.value) == ("'1942-02-03T25:00' is not a date and time: the time must be "
                              "between 00:00 and 23:59:59")
