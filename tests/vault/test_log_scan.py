"""The log scan finds exactly the lines the straightforward line-by-line reading finds.

interactions.scan runs for every line of every note, so it is written for speed (one pattern
per bullet, remembered dates and kinds, first-character checks).  Here a plain reference
version, one pattern and one step at a time as the rules in docs/format.md read, scans
generated bodies full of near-misses, and both must give the same lines and problems.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from netnotes.core import KINDS, Problem, Source
from netnotes.vault import LogLine, describe, other_date, outside_fences, scan

BULLET = re.compile(r"^(\s*)([-*+])\s+(?:\[[ xX]\]\s+)?(.*)$")
_DATED = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?=$|[\s:,.;)\]—–-])[\s:,.;)\]—–-]*(.*)$")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_HASHTAG = re.compile(r"(?<![\w&/])#([\w][\w/-]*)")
_WIKILINK = re.compile(r"\[\[([^\[\]|#]+)(?:[#|][^\[\]]*)?\]\]")


def reference_scan(body: str, path: str, first_line: int, *,
                   log_headings: Iterable[str] | None, default_date: dt.date | None = None,
                   need_link: bool = False) -> tuple[list[LogLine], list[Problem]]:
    """The rules of docs/format.md read plainly, line by line. Its problems carry the code,
    place and severity; their words are pinned by tests/vault/test_log_dates.py."""
    heads = {h.casefold() for h in log_headings} if log_headings is not None else None
    found: list[LogLine] = []
    problems: list[Problem] = []
    in_log = True
    under_heading = False  # in a log section of a person's note: its items must be dated
    first_log = 0
    for offset, line in outside_fences(body.split("\n")):
        lineno = first_line + offset
        h = HEADING.match(line)
        if h:
            in_log = heads is None or h.group(2).strip().strip("*_").casefold() in heads
            under_heading = heads is not None and in_log
            if under_heading and first_log:
                problems.append(Problem(Source(path, lineno), "warning", "second-log", ""))
            elif under_heading:
                first_log = lineno
            continue
        if not in_log:
            continue
        b = BULLET.match(line)
        if not b:
            continue
        item = b.group(3)
        place = Source(path, lineno, b.start(3) + 1)
        open_task = _OPEN_TASK.match(line) is not None
        d = _DATED.match(item)
        rest = item
        if d:
            try:
                day = dt.date(int(d.group(1)), int(d.group(2)), int(d.group(3)))
            except ValueError:
                problems.append(Problem(place, "error", "bad-log-date", ""))
                continue
            rest = d.group(4)
        elif (other := other_date(item)) is not None and other.day is not None:
            day, rest = other.day, other.rest  # another date style (docs/format.md)
        elif other is not None and (under_heading or "[[" in item) and not open_task:
            # looks dated, is not read: reported, never dropped in silence
            problems.append(Problem(place, "error" if other.code == "bad-log-date" else "warning",
                                    other.code, ""))
            continue
        elif default_date is not None:
            day = default_date
        else:
            if under_heading and line[0] in "-*+" and not open_task:
                problems.append(Problem(place, "warning", "undated-log-line", ""))
            continue
        targets = tuple(m.group(1).strip() for m in _WIKILINK.finditer(rest))
        if need_link and not targets:
            continue
        kind, gave, got, tags = reference_describe(rest)
        found.append(LogLine(day, rest.strip(), lineno, targets, kind, gave, got, tags))
    return found, problems


_OPEN_TASK = re.compile(r"[-*+]\s+\[ \]")  # an open task is a plan: neither undated nor misdated


def _shape(problems: list[Problem]) -> list[tuple[object, ...]]:
    return [(p.source.line, p.source.col, p.severity, p.code) for p in problems]


def reference_describe(text: str) -> tuple[str | None, bool, bool, tuple[str, ...]]:
    words = text.split(maxsplit=1)
    first = words[0].strip(":,.;!").casefold() if words else ""
    if first.endswith("s") and first[:-1] in KINDS and first not in KINDS:
        first = first[:-1]
    kind = first if first in KINDS else None
    tags = tuple(t.casefold() for t in _HASHTAG.findall(text))
    return kind, "gave" in tags, "got" in tags, tuple(t for t in tags if t not in ("gave", "got"))


THOROUGH = settings(max_examples=int(os.environ.get("NETNOTES_FAST_PATH_EXAMPLES", "400")),
                    deadline=None, suppress_health_check=[HealthCheck.too_slow])

PIECES = st.sampled_from([
    "- ", "* ", "+ ", "-", "  - ", "\t- ", "\u3000- ", "-\u00a0", "- [x] ", "- [ ] ", "- [y] ",
    "2026-03-14", "2026-3-4", "2026-02-30", "2026-13-01", "20260314", "٢٠٢٦-٠٣-١٤", "0000-01-01",
    " ", ": ", "—", ",", ".", ")", "]", "-", "x", "coffee", "Calls", "Emails:", "meeting!",
    "[[ada]]", "[[Ada Lovelace|Ada]]", "[[a#b]]", "[[", "]]", "#gave", "#got", "#Tag", "C#",
    "a/#b", "&#38;", "#", "## Log", "# Notes", "### log ##", "####### x", "#x", "**Log**",
    "```", "~~~", "  ```py", "\n", "\n", "\n", "\x85", "\u2028", "é", "😀",
])
BODY = st.lists(PIECES, max_size=40).map("".join)


@THOROUGH
@given(BODY, st.sampled_from([["Log"], ["log", "Interactions"], None]),
       st.sampled_from([None, dt.date(2026, 1, 2)]), st.booleans(), st.integers(1, 30))
@example("## Log\n- 2026-03-14 coffee with [[ada]] #gave #x\n- 2026-02-30 call", ["Log"], None,
         False, 5)
@example("- 2026-03-14[[ada]]", None, None, False, 1)
@example("- [[2026-03-14]] coffee [[ada]]\n- 3/10/2026 [[ada]]", None, None, True, 1)
@example("- [x] 2026-1-2: Calls, #got\n```\n- 2026-01-01 hidden\n```\n* 2026-01-03", None,
         dt.date(2026, 1, 2), True, 1)
def test_scan_finds_what_the_reference_reading_finds(body, headings, default, need_link, first):
    got = scan(body, "people/a.md", first, log_headings=headings, default_date=default,
               need_link=need_link)
    want = reference_scan(body, "people/a.md", first, log_headings=headings,
                          default_date=default, need_link=need_link)
    assert got[0] == want[0]
    assert [line._asdict() for line in got[0]] == [line._asdict() for line in want[0]]
    assert _shape(got[1]) == _shape(want[1])


@THOROUGH
@given(BODY)
@example("Calls: #gave #Got #x #gave")
def test_describe_reads_kind_and_tags_as_the_reference(text):
    assert describe(text) == reference_describe(text)
