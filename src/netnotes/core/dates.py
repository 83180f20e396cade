"""Calendar arithmetic in people's terms: human durations, month-end-safe addition, birthdays.

Everything here works on ``datetime.date`` and never reads the clock: ``today`` is always passed in,
which is what makes reports reproducible.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_UNITS: dict[str, tuple[int, int]] = {}  # unit word -> (months, days) per one unit
for _words, _value in (
    (("d", "day", "days"), (0, 1)),
    (("w", "wk", "wks", "week", "weeks"), (0, 7)),
    (("m", "mo", "mos", "month", "months"), (1, 0)),
    (("q", "quarter", "quarters"), (3, 0)),
    (("y", "yr", "yrs", "year", "years"), (12, 0)),
):
    for _w in _words:
        _UNITS[_w] = _value

_PART = re.compile(r"(\d+)\s*([a-z]+)")
_NEVER = {"never", "none", "no", "off", "-", ""}
DAYS_PER_MONTH = 365.2425 / 12
# The longest duration netnotes accepts (a cadence, a snooze): longer is "never" in all but name,
# and a bounded one can never run a date past the end of the calendar.
MAX_DURATION_YEARS = 100
_MAX_DAYS = MAX_DURATION_YEARS * 366


@dataclass(frozen=True)
class Duration:
    """A calendar duration: months and days are kept apart because "1 month" from 31 January is
    the end of February, not 31 days later."""

    months: int = 0
    days: int = 0

    @property
    def approx_days(self) -> float:
        """Length in days, for comparing how overdue two contacts are relative to their cadence."""
        return self.months * DAYS_PER_MONTH + self.days

    def __str__(self) -> str:
        parts = []
        years, months = divmod(self.months, 12)
        if years:
            parts.append(f"{years} year" + ("s" if years != 1 else ""))
        if months:
            parts.append(f"{months} month" + ("s" if months != 1 else ""))
        weeks, days = divmod(self.days, 7)
        if weeks and not days:
            parts.append(f"{weeks} week" + ("s" if weeks != 1 else ""))
        elif self.days:
            parts.append(f"{self.days} day" + ("s" if self.days != 1 else ""))
        return " ".join(parts) or "0 days"


def parse_duration(text: object) -> Duration | None:
    """``"3 weeks"``, ``"4 months"``, ``"1 year 2 months"``, ``"90d"``, ``"6m"`` → a Duration;
    ``"never"``/``"none"`` → None (no cadence).  Raises ValueError with a usable message otherwise.

    ``m`` means months, not minutes: nobody keeps in touch by the minute.
    """
    if isinstance(text, bool) or text is None:
        if text is None or text is False:
            return None
        raise ValueError('true is not a duration — use e.g. "3 months"')
    if isinstance(text, int):
        if 0 < text <= 12 * MAX_DURATION_YEARS:
            raise ValueError(f'{text} has no unit — write e.g. "{text} days" or "{text} months"')
        raise ValueError(f'{text} is not a duration — write e.g. "3 months", or "never"')
    s = " ".join(re.sub(r"(?<=[a-z])-(?=[a-z])", " ", str(text).strip().lower()).split())
    if s in _NEVER:
        return None
    natural = _natural(s)
    if natural is not None:
        return natural
    s = s.removeprefix("every ").replace(",", " ").replace(" and ", " ")
    pos, months, days, found = 0, 0, 0, False
    for m in _PART.finditer(s):
        if s[pos : m.start()].strip():
            break
        unit = _UNITS.get(m.group(2))
        if unit is None:
            raise ValueError(f'"{text}" is not a duration: unknown unit "{m.group(2)}"'
                             ' — use days, weeks, months or years, e.g. "3 months"')
        if len(m.group(1)) > 6:  # more digits than any duration we accept (and cheap to refuse)
            raise _too_long(text)
        n = int(m.group(1))
        months += n * unit[0]
        days += n * unit[1]
        pos, found = m.end(), True
    if not found or s[pos:].strip():
        raise ValueError(f'"{text}" is not a duration — use e.g. "3 weeks", "4 months" or "90d"')
    if months == 0 and days == 0:
        raise ValueError(f'"{text}" is zero — use "never" for no cadence')
    if months * DAYS_PER_MONTH + days > _MAX_DAYS:
        raise _too_long(text)
    return Duration(months, days)


def _too_long(text: object) -> ValueError:
    return ValueError(f'"{text}" is longer than {MAX_DURATION_YEARS} years — use a shorter one, '
                      'e.g. "10 years", or "never"')


# What people write for a cadence in words: "monthly", "twice a year", "every other week".
_EVERY = {"daily": Duration(days=1), "weekly": Duration(days=7), "fortnightly": Duration(days=14),
          "biweekly": Duration(days=14), "monthly": Duration(1), "quarterly": Duration(3),
          "half yearly": Duration(6), "semiannually": Duration(6), "semi annually": Duration(6),
          "biannually": Duration(6), "yearly": Duration(12), "annually": Duration(12),
          "annual": Duration(12)}
_ONE = {"day": Duration(days=1), "week": Duration(days=7), "fortnight": Duration(days=14),
        "month": Duration(1), "quarter": Duration(3), "year": Duration(12)}
_TIMES = {"once": 1, "twice": 2, "thrice": 3, "one": 1, "two": 2, "three": 3, "four": 4,
          "five": 5, "six": 6}
_PER = re.compile(r"^(once|twice|thrice|\d+|one|two|three|four|five|six)(?: times)? "
                  r"(?:a|an|per|every) (week|month|quarter|year)$")


def _natural(s: str) -> Duration | None:
    """A cadence in words (``s`` lower case, single spaces), or None when it is not one:
    "monthly", "every month", "every other week", "twice a year" (6 months), "3 times a
    year" (4 months), "once a quarter"."""
    if s in _EVERY:
        return _EVERY[s]
    for prefix, times in (("every other ", 2), ("every ", 1), ("once a ", 1), ("once per ", 1)):
        unit = _ONE.get(s.removeprefix(prefix)) if s.startswith(prefix) else None
        if unit is not None:
            return Duration(unit.months * times, unit.days * times)
    m = _PER.match(s)
    if m is None:
        return None
    n = _TIMES.get(m.group(1)) or int(m.group(1))
    unit = _ONE[m.group(2)]
    if n <= 0:
        return None
    if unit.months and unit.months % n == 0:
        return Duration(unit.months // n)
    return Duration(days=max(1, round(unit.approx_days / n)))


def add_months(day: dt.date, months: int) -> dt.date:
    """Add calendar months, clamping to the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    total = day.year * 12 + (day.month - 1) + months
    year, month0 = divmod(total, 12)
    year = min(max(year, dt.MINYEAR), dt.MAXYEAR)
    last = _MONTH_DAYS[month0] + (month0 == 1 and is_leap(year))
    return dt.date(year, month0 + 1, min(day.day, last))


# Days in each month of a common year.  The calendar module is not imported for this one table:
# importing it took about a millisecond of every run, a cache hit's included.
_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def is_leap(year: int) -> bool:
    """A leap year of the Gregorian calendar (as calendar.isleap)."""
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def add_duration(day: dt.date, dur: Duration, times: int = 1) -> dt.date:
    try:
        return add_months(day, dur.months * times) + dt.timedelta(days=dur.days * times)
    except OverflowError:
        return dt.date.max if times > 0 else dt.date.min


_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_MONTHDAY = re.compile(r"^--(\d{2})-(\d{2})$")


def parse_date(value: object) -> dt.date:
    """A YAML value or a command-line word → a date; ValueError with a readable reason otherwise."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    s = str(value).strip()
    day = _DAYS.get(s)
    if day is not None:
        return day
    m = _ISO.match(s)
    if not m:
        raise ValueError(f'"{s}" is not a date — write it as YYYY-MM-DD, e.g. 2026-03-14')
    try:
        day = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError as exc:
        raise ValueError(f'"{s}" is not a real date ({exc})'
                         " — check the day and month") from None
    if len(_DAYS) < 100_000:
        _DAYS[s] = day
    return day


_DAYS: dict[str, dt.date] = {}  # a vault writes the same few thousand days again and again


@dataclass(frozen=True)
class Birthday:
    """A birthday with or without a year (``--MM-DD`` in the note when the year is unknown)."""

    month: int
    day: int
    year: int | None = None

    def __str__(self) -> str:
        if self.year is None:
            return f"--{self.month:02d}-{self.day:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def next_on_or_after(self, today: dt.date) -> dt.date:
        """The next celebration on or after ``today``; 29 February is kept on 28 February in
        common years (the usual custom, and never a day late)."""
        for year in (today.year, today.year + 1):
            day = self.day
            if self.month == 2 and day == 29 and not is_leap(year):
                day = 28
            candidate = dt.date(year, self.month, day)
            if candidate >= today:
                return candidate
        raise AssertionError("unreachable")  # pragma: no cover

    def age_on(self, day: dt.date) -> int | None:
        if self.year is None:
            return None
        return day.year - self.year - ((day.month, day.day) < (self.month, self.day))


def parse_birthday(value: object) -> Birthday:
    if isinstance(value, dt.date):
        return Birthday(value.month, value.day, value.year)
    s = str(value).strip()
    m = _MONTHDAY.match(s)
    if m:
        month, day = int(m.group(1)), int(m.group(2))
        try:
            dt.date(2000, month, day)  # a leap year, so --02-29 is accepted
        except ValueError:
            raise ValueError(f'"{s}" is not a real day of the year'
                             " — check the month and day") from None
        return Birthday(month, day)
    if _ISO.match(s):  # the right shape: parse_date says what is wrong with the day
        d = parse_date(s)
        return Birthday(d.month, d.day, d.year)
    try:
        d = parse_date(s)
    except ValueError:
        raise ValueError(f'"{s}" is not a birthday — write YYYY-MM-DD, or --MM-DD when the year is'
                         " unknown") from None
    return Birthday(d.month, d.day, d.year)


MONTHS = {name: n for n, names in enumerate(
    [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
     ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
     ("oct", "october"), ("nov", "november"), ("dec", "december")], start=1) for name in names}


def month_number(word: str) -> int | None:
    """``Dec``, ``dec.``, ``December`` → 12; None for anything else (English month names)."""
    return MONTHS.get(word.strip().rstrip(".").casefold())


_DIGIT_MONTHDAY = re.compile(r"^(?:--)?(\d{1,2})-(\d{1,2})$")


def parse_birthday_input(text: str) -> Birthday:
    """A birthday as people type it on the command line: ``--12-20``, ``12-20``, ``Dec 20``,
    ``20 December``, ``Dec 20, 1990``, ``1990-12-20``.  Written to the note as ``--12-20`` or
    ``1990-12-20`` (what parse_birthday reads)."""
    s = " ".join(text.replace(",", " ").split())
    m = _DIGIT_MONTHDAY.match(s)
    if m:
        try:
            return parse_birthday(f"--{int(m.group(1)):02d}-{int(m.group(2)):02d}")
        except ValueError:
            raise ValueError(f'"{s}" is not a real day of the year — write the month first, '
                             'then the day: 12-20 is 20 December') from None
    words = s.split(" ")
    if 2 <= len(words) <= 3:
        month = month_number(words[0])
        day_word = words[1]
        if month is None:
            month, day_word = month_number(words[1]), words[0]
        year = words[2] if len(words) == 3 else None
        if month is not None and day_word.isdigit() and (year is None or
                                                         (year.isdigit() and len(year) == 4)):
            monthday = f"{month:02d}-{int(day_word):02d}"
            return parse_birthday(f"{year}-{monthday}" if year else f"--{monthday}")
    try:
        return parse_birthday(s)
    except ValueError:
        raise ValueError(f'"{s}" is not a birthday — write 1990-12-20, or 12-20 (also --12-20 '
                         'or "Dec 20") when the year is unknown') from None


def humanize_days(days: int) -> str:
    """``400`` → ``"1 year 1 month"``: how people say how long it has been."""
    if days < 0:
        return "in " + humanize_days(-days)
    if days < 14:
        return f"{days} day" + ("s" if days != 1 else "")
    if days < 60:
        weeks = round(days / 7)
        return f"{weeks} weeks"
    months = round(days / DAYS_PER_MONTH)
    if months < 12:
        return f"{months} months"
    years, months = divmod(months, 12)
    text = f"{years} year" + ("s" if years != 1 else "")
    if months:
        text += f" {months} month" + ("s" if months != 1 else "")
    return text
