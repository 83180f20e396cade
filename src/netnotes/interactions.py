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
    words = text.split(maxsplit=1)
    kind = kind_of(words[0]) if words else None
    if "#" not in text:
        return kind, False, False, ()
    return (kind, *_tags(text))


_KINDS_OF: dict[str, str | None] = {}  # first word -> kind: log lines start with few words


def kind_of(word: str) -> str | None:
    """The kind a log text's first word names (``Coffee:``, ``calls`` → coffee, call), or None."""
    try:
        return _KINDS_OF[word]
    except KeyError:
        pass
    first = word.strip(":,.;!").casefold()
    if first.endswith("s") and first[:-1] in KINDS and first not in KINDS:
        first = first[:-1]  # "calls", "emails"
    kind = first if first in KINDS else None
    if len(_KINDS_OF) < 10_000:
        _KINDS_OF[word] = kind
    return kind


def _tags(text: str) -> tuple[bool, bool, tuple[str, ...]]:
    """#gave, #got and the other #tags of a text."""
    tags = [t.casefold() for t in _HASHTAG.findall(text)]
    gave, got = "gave" in tags, "got" in tags
    if gave or got:
        return gave, got, tuple([t for t in tags if t != "gave" and t != "got"])
    return False, False, tuple(tags)


def outside_fences(lines: Iterable[str]) -> Iterator[tuple[int, str]]:
    """``(index, line)`` of the lines outside fenced code blocks (a ``## Log`` in a code sample is
    not a section), fence lines themselves left out."""
    in_fence = False
    for i, line in enumerate(lines):
        if _FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence:
            yield i, line


# A bullet (_BULLET) whose item may start with a date (_DATED), in one match: group 1 is the
# date's text, 2–4 its parts, 5 the rest of the line (the whole item when it has no date), 6 the
# first word of that rest (it starts with no space: the whitespace before is always taken).
_ENTRY = re.compile(r"\s*[-*+]\s+(?:\[[ xX]\]\s+)?(?:((\d{4})-(\d{1,2})-(\d{1,2}))"
                    r"(?=$|[\s:,.;)\]—–-])[\s:,.;)\]—–-]*)?((\S*).*)$")
_DAYS: dict[str, dt.date] = {}  # date text -> date: a vault's log lines share a few thousand days
_AFTER_DAY = frozenset(":,.;)]—–-")  # with whitespace, what _ENTRY skips after a date


def scan(body: str, path: str, first_line: int, *, log_headings: Iterable[str] | None,
         default_date: dt.date | None = None, need_link: bool = False
         ) -> tuple[list[LogLine], list[Problem]]:
    """Find the interaction lines of a body that starts on file line ``first_line``.

    ``log_headings`` limits a person's note to its log sections (None: every section counts, as in
    the journal); ``need_link`` keeps only lines that link someone; ``default_date`` dates undated
    bullets (a journal file named after its day).

    This runs for every line of every note, so it looks at each line's first character before
    any pattern: only a ``#`` can start a heading, and only a bullet or blank can start an item.
    """
    heads = {h.casefold() for h in log_headings} if log_headings is not None else None
    found: list[LogLine] = []
    problems: list[Problem] = []
    in_log = True  # lines above the first heading count
    lines = body.split("\n")
    numbered = outside_fences(lines) if "```" in body or "~~~" in body else enumerate(lines)
    for offset, line in numbered:
        if not line:
            continue
        first = line[0]
        if first == "#":
            h = _HEADING.match(line)
            if h:
                in_log = heads is None or h.group(2).strip().strip("*_").casefold() in heads
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
            elif default_date is not None:
                day = default_date
            else:
                continue
        targets = tuple(link_targets(rest)) if "[[" in rest else ()
        if need_link and not targets:
            continue
        gave, got, tags = _tags(rest) if "#" in rest else (False, False, ())
        entry = LogLine(day, rest.strip(), first_line + offset, targets,
                        _KINDS_OF.get(word) or kind_of(word), gave, got, tags)
        found.append(entry)
    return found, problems


def journal_date(file_name: str) -> dt.date | None:
    m = FILE_DATE.match(file_name)
    if not m:
        return None
    try:
        return dt.date.fromisoformat(m.group(1))
    except ValueError:
        return None
