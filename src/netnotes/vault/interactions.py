"""Note bodies and journal files → dated interaction lines, each with its file and line.

A line is an interaction when it is a list item (``-``, ``*`` or ``+``) starting with an ISO date.
In a person's note only the log sections count (``## Log`` by default, and lines above the first
heading), so that a "Life events" list is not mistaken for coffee dates.  In the journal every
dated line that links a ``[[person]]`` counts, and a file named ``YYYY-MM-DD…`` dates its undated
lines.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import NamedTuple

from netnotes.core import (
    KIND_MODIFIERS,
    KIND_WORDS,
    KINDS,
    VIDEO_WORDS,
    Problem,
    Source,
    link_targets,
    month_number,
)

BULLET = re.compile(r"^(\s*)([-*+])\s+(?:\[[ xX]\]\s+)?(.*)$")
_DATED = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?=$|[\s:,.;)\]—–-])[\s:,.;)\]—–-]*(.*)$")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
FENCE = re.compile(r"^\s*(```|~~~)")
# A #tag not glued to a word, `&` or `/` (C#, &#38;, a/#b).  The check looks back from after the
# `#`, so that the pattern starts with a literal: the engine jumps from `#` to `#` (5x faster).
_HASHTAG = re.compile(r"#(?<![\w&/]#)([\w][\w/-]*)")
FILE_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})")


class LogLine(NamedTuple):
    """A dated line before its ``[[links]]`` are resolved to contact ids.  A named tuple, so the
    index stores it as a plain tuple and rebuilds it in C (see index.NoteRecord)."""

    date: dt.date
    text: str
    line: int
    targets: tuple[str, ...]
    kind: str | None
    gave: bool
    got: bool
    tags: tuple[str, ...]


def describe(text: str) -> tuple[str | None, bool, bool, tuple[str, ...]]:
    """The kind (first word, when it names one), #gave, #got and the other #tags of a log text."""
    kind = kind_of_text(text)
    if "#" not in text:
        return kind, False, False, ()
    return (kind, *_tags(text))


_KINDS_OF: dict[str, str | None] = {}  # first word -> kind: log lines start with few words


def kind_of(word: str) -> str | None:
    """The kind a log text's first word names (``Coffee:``, ``calls``, ``Zoom`` → coffee, call,
    video), or None."""
    try:
        return _KINDS_OF[word]
    except KeyError:
        pass
    first = word.strip(":,.;!").casefold()
    if first.endswith("s") and first[:-1] in KINDS and first not in KINDS:
        first = first[:-1]  # "calls", "emails"
    kind = first if first in KINDS else KIND_WORDS.get(first)
    if len(_KINDS_OF) < 10_000:
        _KINDS_OF[word] = kind
    return kind


_new_tuple = tuple.__new__
_QUALIFIES: dict[str, bool] = {}  # first word -> only qualifies the second (KIND_MODIFIERS)


def _qualifies(word: str) -> bool:
    try:
        return _QUALIFIES[word]
    except KeyError:
        pass
    found = word.strip(":,.;!").casefold() in KIND_MODIFIERS
    if len(_QUALIFIES) < 10_000:
        _QUALIFIES[word] = found
    return found


def kind_of_text(text: str, words: Mapping[str, str] | None = None) -> str | None:
    """The kind a log text starts with: its first word (kind_of), the user's own words from
    netnotes.toml's [kinds] first, and two words where the first only qualifies the second
    (``follow-up call`` → call, ``conference call`` → call, ``zoom call`` → video, ``quick
    lunch`` → lunch, ``catch up`` → catch-up).  A first word that is a kind itself qualifies
    only a call: ``video workshop`` stays video."""
    parts = text.split(None, 2)
    if not parts:
        return None
    if words:
        return _kind_of_words(parts, words)
    pair = (parts[0], parts[1] if len(parts) > 1 else None)  # all the answer depends on
    try:
        return _KINDS_OF_PAIR[pair]
    except KeyError:
        pass
    kind = _kind_of_words(parts, None)
    if len(_KINDS_OF_PAIR) < 10_000:
        _KINDS_OF_PAIR[pair] = kind
    return kind


_KINDS_OF_PAIR: dict[tuple[str, str | None], str | None] = {}  # first two words -> kind


def _kind_of_words(parts: list[str], words: Mapping[str, str] | None) -> str | None:
    """kind_of_text of a text's first (two) words, ``parts``."""
    first = parts[0].strip(":,.;!").casefold()
    if words and first in words:
        return words[first]
    if first in KIND_MODIFIERS and len(parts) > 1:
        second = parts[1].strip(":,.;!").casefold()
        if first == "catch" and second == "up":
            return "catch-up"
        then = (words or {}).get(second) or kind_of(parts[1])
        if then == "call":  # `follow-up call`, `conference call`; `zoom call` is a video
            return "video" if first in VIDEO_WORDS else then
        if then is not None and first not in KINDS:  # `quick lunch`; a `video workshop` stays
            return then  # video, a kind word qualifying another kind only before "call"
    return kind_of(parts[0])


def _tags(text: str) -> tuple[bool, bool, tuple[str, ...]]:
    """#gave, #got and the other #tags of a text."""
    found = _HASHTAG.findall(text)
    if len(found) == 1:  # the common case, answered without the lists below
        tag = found[0].casefold()
        return (True, False, ()) if tag == "gave" else (False, True, ()) if tag == "got" else \
            (False, False, (tag,))
    tags = [t.casefold() for t in found]
    gave, got = "gave" in tags, "got" in tags
    if gave or got:
        return gave, got, tuple([t for t in tags if t != "gave" and t != "got"])
    return False, False, tuple(tags)


def outside_fences(lines: Iterable[str]) -> Iterator[tuple[int, str]]:
    """``(index, line)`` of the lines outside fenced code blocks (a ``## Log`` in a code sample is
    not a section), fence lines themselves left out."""
    in_fence = False
    for i, line in enumerate(lines):
        if FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence:
            yield i, line


# A bullet (BULLET) whose item may start with a date (_DATED), in one match: group 1 is the
# date's text, 2–4 its parts, 5 the rest of the line (the whole item when it has no date), 6 the
# first word of that rest (it starts with no space: the whitespace before is always taken).
_ENTRY = re.compile(r"\s*[-*+]\s+(?:\[[ xX]\]\s+)?(?:((\d{4})-(\d{1,2})-(\d{1,2}))"
                    r"(?=$|[\s:,.;)\]—–-])[\s:,.;)\]—–-]*)?((\S*).*)$")
_TODO = re.compile(r"[-*+]\s+\[ \]")  # an open task under a log heading: a plan, not undated
_DAYS: dict[str, dt.date] = {}  # date text -> date: a vault's log lines share a few thousand days
_AFTER_DAY = frozenset(":,.;)]—–-")  # with whitespace, what _ENTRY skips after a date


# Over 80 lines on purpose: one pass over a body's lines whose state (inside a fence, under a
# log heading, the date order the note uses, the last dated line) every branch reads and
# updates; the hot loop of every cold run, where a call per line would cost measurably.
def scan(body: str, path: str, first_line: int, *, log_headings: Iterable[str] | None,
         default_date: dt.date | None = None, need_link: bool = False,
         date_order: str | None = None, kind_words: Mapping[str, str] | None = None
         ) -> tuple[list[LogLine], list[Problem]]:
    """Find the interaction lines of a body that starts on file line ``first_line``.

    ``log_headings`` limits a person's note to its log sections (None: every section counts, as in
    the journal); ``need_link`` keeps only lines that link someone; ``default_date`` dates undated
    bullets (a journal file named after its day); ``date_order`` ("DMY" or "MDY", from
    netnotes.toml) reads 3/10/2026, which is otherwise reported as ambiguous.

    A log item that starts with a date in another style (``Mar 3 2026``, ``**2026-04-01**``…)
    is read by other_date; one that looks dated and is not read, and an item of a log section
    with no date at all, is reported as a warning: never silently left out.

    This runs for every line of every note, so it looks at each line's first character before
    any pattern: only a ``#`` can start a heading, and only a bullet or blank can start an item.
    """
    heads = {h.casefold() for h in log_headings} if log_headings is not None else None
    found: list[LogLine] = []
    problems: list[Problem] = []
    in_log = True  # lines above the first heading count
    log_line = 0  # the line of the first log heading
    under_log_heading = False  # ... but only a log section's items must be dated
    lines = body.split("\n")
    numbered = outside_fences(lines) if "```" in body or "~~~" in body else enumerate(lines)
    for offset, line in numbered:
        if not line:
            continue
        first = line[0]
        if first == "#":
            h = HEADING.match(line)
            if h:
                in_log = heads is None or h.group(2).strip().strip("*_").casefold() in heads
                under_log_heading = heads is not None and in_log
                if under_log_heading:
                    if log_line:
                        problems.append(_second_log(path, first_line + offset, log_line,
                                                    h.group(2).strip()))
                    else:
                        log_line = first_line + offset
            continue
        if not in_log or not (first in "-*+" or first.isspace()):
            continue
        if line[:2] == "- " and line[12:13] == " " and (day := _DAYS.get(line[2:12])) and \
                (after := line[13:14]) not in _AFTER_DAY and not after.isspace():
            # `- 2026-03-14 text` with a day seen before, as _ENTRY would read it (it could
            # only take that date, and the one space after it), without the pattern
            rest = line[13:]
            word = rest.split(None, 1)[0] if rest else ""
        else:
            b = _ENTRY.match(line)
            if b is None:
                continue
            when, rest, word = b.group(1, 5, 6)
            if when is not None:
                day = _DAYS.get(when)
                if day is None:
                    y, m, d = b.group(2, 3, 4)
                    try:
                        day = dt.date(int(y), int(m), int(d))
                    except ValueError:
                        problems.append(Problem(
                            Source(path, first_line + offset, b.start(1) + 1), "error",
                            "bad-log-date", f"log line starts with {y}-{m}-{d}, which is not a "
                            "real date, so it is not counted", "fix the date (YYYY-MM-DD)"))
                        continue
                    if len(_DAYS) < 100_000:
                        _DAYS[when] = day
            else:
                other = other_date(rest, date_order) if rest else None
                if other is not None and other.day is not None:
                    day, rest = other.day, other.rest
                    word = rest.split(None, 1)[0] if rest else ""
                elif other is not None and (under_log_heading or "[[" in rest) and \
                        not _TODO.match(line):  # an open task is a plan, as below
                    problems.append(Problem(
                        Source(path, first_line + offset, b.start(5) + 1),
                        "error" if other.code == "bad-log-date" else "warning", other.code,
                        other.message, other.hint))
                    continue
                elif default_date is not None:
                    day = default_date
                else:
                    if under_log_heading and line[0] in "-*+" and not _TODO.match(line):
                        problems.append(Problem(
                            Source(path, first_line + offset, b.start(5) + 1), "warning",
                            "undated-log-line", "log line has no date, so it is not counted",
                            "start it with the day it happened: - 2026-03-14 " +
                            _short(rest)))
                    continue
        targets = tuple(link_targets(rest)) if "[[" in rest else ()
        if need_link and not targets:
            continue
        gave, got, tags = _tags(rest) if "#" in rest else (False, False, ())
        qualifies = _QUALIFIES.get(word)
        if kind_words or qualifies or (qualifies is None and _qualifies(word)):
            kind = kind_of_text(rest, kind_words)  # the user's words, or `follow-up call`
        else:
            kind = _KINDS_OF.get(word) or kind_of(word)
        # made as tuple.__new__ does it, in C (LogLine(...) runs a Python __new__ per line)
        found.append(_new_tuple(LogLine, (day, rest.strip(), first_line + offset, targets, kind,
                                          gave, got, tags)))
    return found, problems


# --- log lines dated in other styles ------------------------------------------------------------
# A log item may start with a date written as people write it; docs/format.md lists the styles.
# The unambiguous ones are read; a day-month-year whose order cannot be told (3/10/2026) is read
# only when netnotes.toml says the order, and otherwise reported, like every other item that
# looks dated and is not read: never silently left out.
_END = r"(?=$|[\s:,.;)\]—–-])"
_WRAPPED_ISO = re.compile(r"(\*\*|__|\*|_)(\d{4})-(\d{1,2})-(\d{1,2})\1" + _END)
_LINKED_ISO = re.compile(r"\[\[(\d{4})-(\d{1,2})-(\d{1,2})(?:\|[^\]\n]*)?\]\]" + _END)
_SLASHED_ISO = re.compile(r"(\d{4})([/.])(\d{1,2})\2(\d{1,2})" + _END)
_MONTH_FIRST = re.compile(r"([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?"
                          + _END)
_DAY_FIRST = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9})\.?(?:,?\s+(\d{4}))?"
                        + _END)
_NUMERIC = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})" + _END)
_DATE_LIKE = re.compile(r"(?:\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}|\d{4}[/.-]\d{1,2})" + _END)
_SKIP_AFTER = re.compile(r"[\s:,.;)\]—–-]*")
_MAY_BE_DATED = frozenset("0123456789*_[")
DATE_ORDERS = ("DMY", "MDY")


class OtherDate(NamedTuple):
    """What the start of a log item says about its date, when it is not plain ISO: the date
    (None when not read), the text after it, and else why not (a Problem's code and words)."""

    day: dt.date | None
    rest: str
    written: str = ""  # the date as written, for messages
    code: str = ""  # "", "bad-log-date", "ambiguous-log-date" or "unread-log-date"
    message: str = ""
    hint: str = ""


def _ymd(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def other_date(item: str, date_order: str | None = None) -> OtherDate | None:
    """Read a date at the start of ``item`` in one of the other styles, or say why it is not
    read; None when the item does not start with anything dated-looking."""
    if not item or (item[0] not in _MAY_BE_DATED and not item[0].isalpha()):
        return None
    if item[0].isalpha() and month_number(item.split(None, 1)[0]) is None:
        return None
    iso = ISO_HINT
    for pattern in (_WRAPPED_ISO, _LINKED_ISO, _SLASHED_ISO):
        m = pattern.match(item)
        if m:
            y, mo, d = (int(g) for g in m.groups() if g and g.isdigit())
            return _found(item, m.end(), _ymd(y, mo, d), m.group(0))
    m = _MONTH_FIRST.match(item) or _DAY_FIRST.match(item)
    if m:
        month_word, day_word = (m.group(1), m.group(2)) if m.re is _MONTH_FIRST else \
            (m.group(2), m.group(1))
        month = month_number(month_word)
        if month is not None:
            if m.group(3) is None:
                return OtherDate(None, item, m.group(0), "unread-log-date",
                                 f"log line starts with {m.group(0)} but no year, so it is not "
                                 "counted", f"add the year ({m.group(0)} 2026) or {iso}")
            return _found(item, m.end(), _ymd(int(m.group(3)), month, int(day_word)),
                          m.group(0))
    m = _NUMERIC.match(item)
    if m:
        a, b, year = int(m.group(1)), int(m.group(3)), m.group(4)
        written = m.group(0)
        if len(year) == 2:
            return OtherDate(None, item, written, "unread-log-date",
                             f"log line starts with {written}, whose year has two digits, so it "
                             "is not counted", f"write the year in full, or {iso}")
        y = int(year)
        if date_order is None and a != b and a <= 12 and b <= 12:
            day_first, month_first = _ymd(y, b, a), _ymd(y, a, b)
            return OtherDate(None, item, written, "ambiguous-log-date",
                             f"log line starts with {written}, which could be "
                             f"{_iso(day_first)} (day first) or {_iso(month_first)} (month "
                             "first), so it is not counted",
                             f"write {_iso(day_first)} or {_iso(month_first)}, or say your order "
                             'once in netnotes.toml: date_order = "DMY" (or "MDY") under [vault]')
        if date_order == "MDY" or (date_order is None and b > 12):
            return _found(item, m.end(), _ymd(y, a, b), written)
        return _found(item, m.end(), _ymd(y, b, a), written)
    m = _DATE_LIKE.match(item)
    if m:
        return OtherDate(None, item, m.group(0), "unread-log-date",
                         f"log line starts with {m.group(0)}, which is not a date netnotes "
                         "reads, so it is not counted", iso)
    return None


ISO_HINT = "write the date as YYYY-MM-DD (2026-03-14)"


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else "no real date"


def _found(item: str, end: int, day: dt.date | None, written: str) -> OtherDate:
    if day is None:
        return OtherDate(None, item, written, "bad-log-date",
                         f"log line starts with {written}, which is not a real date, so it is "
                         "not counted", "fix the day or the month")
    skip = _SKIP_AFTER.match(item, end)
    return OtherDate(day, item[skip.end() if skip else end:], written)


def _short(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


def _second_log(path: str, line: int, first: int, title: str) -> Problem:
    """Two log sections: both are read, but which one is the log is anyone's guess (editors
    add to the first, a reader may look at the second)."""
    return Problem(Source(path, line), "warning", "second-log",
                   f"a second log heading “{title}” (the first is on line {first}): both "
                   "sections are read as the log", "move these lines under the first log "
                   "heading and delete this one")


def journal_date(file_name: str) -> dt.date | None:
    m = FILE_DATE.match(file_name)
    if not m:
        return None
    try:
        return dt.date.fromisoformat(m.group(1))
    except ValueError:
        return None
