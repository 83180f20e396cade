"""Fixed examples of what counts as a log line: fences of either kind, decorated headings,
one-digit dates and a colon after the date (chosen from mutants of interactions.py)."""

from __future__ import annotations

import datetime as dt

from netnotes.vault import scan

HEADS = ("log", "interactions")


def _found(body: str) -> list[tuple[str, str, int]]:
    found, problems = scan(body, "p.md", 1, log_headings=HEADS)
    assert not problems
    return [(ln.date.isoformat(), ln.text, ln.line) for ln in found]


def test_a_tilde_fence_hides_headings_and_lines_like_a_backtick_one():
    body = "## Log\n~~~\n## Log\n- 2026-01-01 in a fence\n~~~\n- 2026-01-02 call\n"
    assert _found(body) == [("2026-01-02", "call", 6)]
    assert _found("## Notes\n~~~\n## Log\n~~~\n- 2026-01-03 not a log\n") == []
    body = "```\n- 2026-01-01 code\n```\n## Log\n```\n- 2026-01-02 code\n```\n- 2026-01-03 ok\n"
    assert _found(body) == [("2026-01-03", "ok", 8)]


def test_a_bold_or_underlined_heading_names_its_section():
    assert _found("## **Log**\n- 2026-01-01 call\n") == [("2026-01-01", "call", 2)]
    assert _found("## __Interactions__\n- 2026-01-01 call\n") == [("2026-01-01", "call", 2)]
    assert _found("## Log ##\n- 2026-01-01 call\n") == [("2026-01-01", "call", 2)]
    assert _found("## Logbook\n- 2026-01-01 call\n") == []


def test_one_digit_months_and_days_and_a_colon_after_the_date():
    body = "## Log\n- 2026-3-4 call\n- 2026-03-14 : call\n- 2026-03-15: coffee\n- 2026-3-16, text\n"
    assert _found(body) == [("2026-03-04", "call", 2), ("2026-03-14", "call", 3),
                            ("2026-03-15", "coffee", 4), ("2026-03-16", "text", 5)]
    found, _ = scan("## Log\n- 2026-03-14 : call\n", "p.md", 1, log_headings=HEADS)
    assert found[0].kind == "call" and found[0].date == dt.date(2026, 3, 14)


def test_a_date_glued_to_a_word_is_not_a_log_line_and_an_impossible_one_is_an_error():
    found, problems = scan("## Log\n- 2026-03-14x call\n- 20260314 call\n", "p.md", 1,
                           log_headings=HEADS)
    assert found == [] and all(p.severity == "warning" for p in problems)
    found, problems = scan("## Log\n- 2026-13-01 bad\n", "p.md", 1, log_headings=HEADS)
    assert found == [] and [(p.source.line, p.severity) for p in problems] == [(2, "error")]


def test_lines_above_the_first_heading_count_and_other_sections_do_not():
    body = ("- 2026-01-01 before any heading\n## Life\n- 2026-02-02 moved\n"
            "## Log\n- 2026-03-03 call\n")
    assert _found(body) == [("2026-01-01", "before any heading", 1), ("2026-03-03", "call", 5)]
