"""Durations and calendar arithmetic: the parts of "who is overdue" that are easy to get wrong."""

from __future__ import annotations

import datetime as dt

import pytest

from netnotes.core import (
    Duration,
    add_duration,
    humanize_days,
    parse_birthday,
    parse_date,
    parse_duration,
)
from netnotes.core.dates import Birthday, add_months


@pytest.mark.parametrize("text, expected", [
    ("3 weeks", Duration(0, 21)),
    ("4 months", Duration(4, 0)),
    ("1 year", Duration(12, 0)),
    ("90d", Duration(0, 90)),
    ("6m", Duration(6, 0)),
    ("2w", Duration(0, 14)),
    ("1 year 2 months", Duration(14, 0)),
    ("every 2 months", Duration(2, 0)),
    ("1 quarter", Duration(3, 0)),
    ("  5 Days ", Duration(0, 5)),
])
def test_human_durations(text, expected):
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["never", "none", "-", None])
def test_no_cadence(text):
    assert parse_duration(text) is None


@pytest.mark.parametrize("text, words", [
    ("banana", "not a duration"),
    ("3 fortnights", 'unknown unit "fortnights"'),
    ("12", "no unit"),
    ("0 days", "zero"),
    ("3 months ago", "not a duration"),
])
def test_bad_durations_say_what_to_write(text, words):
    with pytest.raises(ValueError, match=words):
        parse_duration(int(text) if text.isdigit() else text)


def test_month_end_cadence_clamps_instead_of_overflowing():
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2028, 1, 31), 1) == dt.date(2028, 2, 29)  # leap year
    assert add_months(dt.date(2026, 8, 31), 4) == dt.date(2026, 12, 31)
    assert add_months(dt.date(2026, 10, 31), 4) == dt.date(2027, 2, 28)
    assert add_duration(dt.date(2024, 2, 29), Duration(12, 0)) == dt.date(2025, 2, 28)
    assert add_duration(dt.date(2026, 12, 25), Duration(0, 14)) == dt.date(2027, 1, 8)


def test_dates_are_iso_and_real():
    assert parse_date("2026-02-28") == dt.date(2026, 2, 28)
    assert parse_date(dt.date(2026, 1, 1)) == dt.date(2026, 1, 1)
    with pytest.raises(ValueError, match="not a real date"):
        parse_date("2026-02-30")
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        parse_date("22/11/2026")


def test_birthdays_with_and_without_year():
    assert parse_birthday("1988-12-03") == Birthday(12, 3, 1988)
    assert parse_birthday("--12-15") == Birthday(12, 15)
    assert parse_birthday("--02-29") == Birthday(2, 29)
    with pytest.raises(ValueError):
        parse_birthday("--02-30")
    with pytest.raises(ValueError, match="--MM-DD"):
        parse_birthday("December")


def test_next_birthday_wraps_the_year_and_keeps_leap_day_birthdays():
    today = dt.date(2026, 11, 22)
    assert Birthday(12, 3).next_on_or_after(today) == dt.date(2026, 12, 3)
    assert Birthday(1, 5).next_on_or_after(today) == dt.date(2027, 1, 5)
    assert Birthday(11, 22).next_on_or_after(today) == today
    assert Birthday(2, 29).next_on_or_after(dt.date(2027, 1, 1)) == dt.date(2027, 2, 28)
    assert Birthday(2, 29).next_on_or_after(dt.date(2028, 1, 1)) == dt.date(2028, 2, 29)
    assert Birthday(12, 3, 1988).age_on(dt.date(2026, 12, 3)) == 38
    assert Birthday(12, 3).age_on(dt.date(2026, 12, 3)) is None


def test_humanized_spans():
    assert humanize_days(1) == "1 day"
    assert humanize_days(20) == "3 weeks"
    assert humanize_days(95) == "3 months"
    assert humanize_days(400) == "1 year 1 month"
    assert humanize_days(730) == "2 years"


def test_month_arithmetic_agrees_with_the_calendar_module():
    """add_months clamps to the month's last day from its own table of month lengths and leap
    years (importing calendar cost every run a millisecond): the same answers, every year."""
    import calendar

    from netnotes.core.dates import is_leap

    assert all(is_leap(y) == calendar.isleap(y) for y in range(1, 10_000))
    for year in (1900, 1999, 2000, 2023, 2024, 2100, 9996):
        for month in range(1, 13):
            for day in (1, 28, 29, 30, 31):
                if day > calendar.monthrange(year, month)[1]:
                    continue
                for months in (-13, -1, 1, 11, 12, 25):
                    y, m0 = divmod(year * 12 + month - 1 + months, 12)
                    last = calendar.monthrange(y, m0 + 1)[1]
                    assert add_months(dt.date(year, month, day), months) == \
                        dt.date(y, m0 + 1, min(day, last))
