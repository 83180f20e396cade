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
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from netnotes.errors import Problem, Source
from netnotes.model import KINDS
from netnotes.names import link_targets

_BULLET = re.compile(r"^(\s*)([-*+])\s+(?:\[[ xX]\]\s+)?(.*)$")
_DATED = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?=$|[\s:,.;)\]—–-])[\s:,.;)\]—–-]*(.*)$")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_HASHTAG = re.compile(r"(?<![\w&/])#([\w][\w/-]*)")
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
    words = text.split(maxsplit=1)
    first = words[0].strip(":,.;!").casefold() if words else ""
    if first.endswith("s") and first[:-1] in KINDS and first not in KINDS:
        first = first[:-1]  # "calls", "emails"
    kind = first if first in KINDS else None
    tags = tuple(t.casefold() for t in _HASHTAG.findall(text))
    return kind, "gave" in tags, "got" in tags, tuple(t for t in tags if t not in ("gave", "got"))


def outside_fences(lines: Iterable[str]) -> Iterator[tuple[int, str]]:
    """``(index, line)`` of the lines outside fenced code blocks (a ``## Log`` in a code sample is
    not a section), fence lines themselves left out."""
    in_fence = False
    for i, line in enumerate(lines):
        if _FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence:
            yield i, line


def scan(body: str, path: str, first_line: int, *, log_headings: Iterable[str] | None,
         default_date: dt.date | None = None, need_link: bool = False
         ) -> tuple[list[LogLine], list[Problem]]:
    """Find the interaction lines of a body that starts on file line ``first_line``.

    ``log_headings`` limits a person's note to its log sections (None: every section counts, as in
    the journal); ``need_link`` keeps only lines that link someone; ``default_date`` dates undated
    bullets (a journal file named after its day).
    """
    heads = {h.casefold() for h in log_headings} if log_headings is not None else None
    found: list[LogLine] = []
    problems: list[Problem] = []
    in_log = True  # lines above the first heading count
    for offset, line in outside_fences(body.split("\n")):
        lineno = first_line + offset
        h = _HEADING.match(line)
        if h:
            in_log = heads is None or h.group(2).strip().strip("*_").casefold() in heads
            continue
        if not in_log:
            continue
        b = _BULLET.match(line)
        if not b:
            continue
        item = b.group(3)
        d = _DATED.match(item)
        day: dt.date | None = None
        rest = item
        if d:
            try:
                day = dt.date(int(d.group(1)), int(d.group(2)), int(d.group(3)))
            except ValueError:
                col = b.start(3) + 1
                problems.append(Problem(
                    Source(path, lineno, col), "error", "bad-log-date",
                    f"log line starts with {d.group(1)}-{d.group(2)}-{d.group(3)}, which is "
                    "not a real date, so it is not counted", "fix the date (YYYY-MM-DD)"))
                continue
            rest = d.group(4)
        elif default_date is not None:
            day = default_date
        else:
            continue
        targets = tuple(link_targets(rest))
        if need_link and not targets:
            continue
        kind, gave, got, tags = describe(rest)
        found.append(LogLine(day, rest.strip(), lineno, targets, kind, gave, got, tags))
    return found, problems


def journal_date(file_name: str) -> dt.date | None:
    m = FILE_DATE.match(file_name)
    if not m:
        return None
    try:
        return dt.date.fromisoformat(m.group(1))
    except ValueError:
        return None
