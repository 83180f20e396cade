"""Log lines dated the way people write dates: the styles docs/format.md lists are read, the
ambiguous and unreadable ones are reported with file:line and the fix, and no item of a log
section is ever left out without a word."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from conftest import REPO, note
from hypothesis import example as case
from hypothesis import given, settings
from hypothesis import strategies as st

from netnotes.core import parse_config
from netnotes.vault import scan

FORMAT = (REPO / "docs" / "format.md").read_text(encoding="utf-8")


def read(item: str, order: str | None = None):
    """The one line ``item`` under ## Log: (date or None, text, problems)."""
    found, problems = scan(f"## Log\n{item}\n", "people/x.md", 5, log_headings=["log"],
                           date_order=order)
    assert len(found) + len(problems) == 1, (found, problems)
    if found:
        return found[0].date, found[0].text, []
    return None, None, problems


def _table(title: str) -> list[list[str]]:
    """The rows of the docs table that follows the paragraph starting with ``title``."""
    start = FORMAT.index(title)
    rows = []
    for line in FORMAT[start:].split("\n"):
        if line.startswith("|") and not line.startswith("|---"):
            rows.append([c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]])
        elif rows and not line.startswith("|"):
            break
    return rows[1:]


READ_ROWS = [r for r in _table("**Date styles.**") if re.fullmatch(r"\d{4}-\d\d-\d\d", r[2])]


@pytest.mark.parametrize("row", READ_ROWS, ids=[r[0] for r in READ_ROWS])
def test_every_style_the_docs_list_is_read(row):
    examples = [e.replace("\\|", "|") for e in re.findall(r"`(- [^`]*)`", row[1])]
    assert examples
    for example in examples:
        day, text, problems = read(example)
        assert day == dt.date.fromisoformat(row[2]), (example, problems)
        assert text and text[0] not in ":,—", text  # the date and what follows it are gone


def test_the_first_word_after_any_style_is_the_kind():
    for item in ("- Mar 3 2026: coffee", "- **2026-04-01** lunch", "- [[2026-04-15]] dinner",
                 "- 2026/05/01 walk", "- 3 March 2026 — call"):
        found, _ = scan(f"## Log\n{item}\n", "x.md", 1, log_headings=["log"])
        assert found[0].kind in ("coffee", "lunch", "dinner", "walk", "call"), item
        assert not found[0].targets  # the daily-note link is a date, not a person


REPORTED_ROWS = _table("These are **reported")


@pytest.mark.parametrize("row", REPORTED_ROWS, ids=[r[0] for r in REPORTED_ROWS])
def test_every_line_the_docs_say_is_reported_is_reported_as_they_say(row):
    severity, code = row[1].split(" ", 1)
    code = code.strip("`")
    for example in re.findall(r"`(- [^`]*)`", row[0]):
        day, _, problems = read(example)
        assert day is None and [p.code for p in problems] == [code], (example, problems)
        problem = problems[0]
        assert problem.severity == severity and problem.source.line == 6
        said = [s for s in re.findall(r"`([^`]*)`", row[2]) if s.startswith("log line")]
        words = str(problem).split(": ", 2)[2]
        start = re.match(r"log line (starts with .+?(?:,| but)|has no date)", words)
        if said and start and start.group(0) in said[0]:  # the docs quote this one: exactly
            assert words == said[0] or said[0] == problem.message, (words, said[0])


@pytest.mark.parametrize("order, item, expected", [
    ("DMY", "- 3/10/2026 call", "2026-10-03"), ("MDY", "- 3/10/2026 call", "2026-03-10"),
    ("DMY", "- 05.06.2026 drinks", "2026-06-05"), ("MDY", "- 05.06.2026 drinks", "2026-05-06"),
    ("DMY", "- 3-10-2026 call", "2026-10-03"), ("MDY", "- 13/06/2026 x", None),
])
def test_date_order_reads_numeric_dates_in_that_order(order, item, expected):
    day, _, problems = read(item, order)
    if expected is None:  # 13 is no month: with MDY that is not a real date
        assert [p.code for p in problems] == ["bad-log-date"]
    else:
        assert day == dt.date.fromisoformat(expected)


def test_date_order_in_netnotes_toml():
    config, problems = parse_config('[vault]\ndate_order = "dmy"\n')
    assert config.date_order == "DMY" and problems == []
    config, problems = parse_config('[vault]\ndate_order = "YMD"\n')
    assert config.date_order is None
    assert [p.severity for p in problems] == ["error"] and "DMY or MDY" in problems[0].message


def test_undated_lines_are_reported_only_where_a_date_is_expected():
    body = "\n".join([
        "- likes chess",  # free notes above the first heading
        "## Log",
        "- 2026-02-01 zoom",
        "  - a note about that call",  # indented under a dated line
        "- [ ] call about the grant",  # an open task
        "- coffee with no date",
        "## Life events",
        "- moved to Lisbon",
    ])
    found, problems = scan(body, "people/x.md", 1, log_headings=["log"])
    assert [ln.text for ln in found] == ["zoom"]
    assert [(p.code, p.source.line) for p in problems] == [("undated-log-line", 6)]
    # the journal: undated items are notes, or dated by the file; only linked lines matter
    found, problems = scan("- met [[ada]]\n- 3/10/2026 with [[ada]]\n- 3/10/2026 alone\n",
                           "journal/x.md", 1, log_headings=None, need_link=True)
    assert found == [] and [(p.code, p.source.line) for p in problems] == [
        ("ambiguous-log-date", 2)]


# An item under ## Log is counted, or reported on its own line: never silently left out.
_START = st.sampled_from(["", "2026-03-03 ", "3/10/2026 ", "Mar 3 2026 ", "**2026-04-01** ",
                          "[[2026-04-15]] ", "2026/05/01 ", "05.06.2026 ", "13/6/2026 ",
                          "Mar 3 ", "3/10/26 ", "2026-13-01 ", "Feb 30 2026 ", "2026-03 ",
                          "1.5 ", "10 am ", "May ", "[ ] ", "**", "[["])


@settings(max_examples=300, deadline=None)
@case(start="[ ] ", text="0000/0")
@given(start=_START, text=st.text(st.characters(blacklist_categories=("Cs", "Cc")),
                                  max_size=20).map(lambda t: t.replace("\n", " ")))
def test_no_item_of_a_log_section_is_silently_left_out(start, text):
    item = f"- {start}{text}"
    found, problems = scan(f"## Log\n{item}\n", "x.md", 1, log_headings=["log"])
    todo = (start + text).startswith("[ ]")
    assert len(found) + len(problems) == (0 if todo else 1), (item, found, problems)
    assert all(p.source.line == 2 for p in problems)


def test_check_and_show_on_a_note_written_by_hand(vault, run):
    root = vault({"people/kenji.md": note("Kenji Tanaka", [
        "Mar 3 2026: coffee", "3/10/2026 call", "**2026-04-01** lunch", "[[2026-04-15]] dinner",
        "2026/05/01 walk", "05.06.2026 drinks"])})
    check = run(root, "check")
    assert check.exit_code == 0  # warnings only
    assert check.stdout.splitlines() == [
        "people/kenji.md:7:3: warning: log line starts with 3/10/2026, which could be 2026-10-03 "
        "(day first) or 2026-03-10 (month first), so it is not counted — write 2026-10-03 or "
        "2026-03-10, or say your order once in netnotes.toml: date_order = \"DMY\" (or \"MDY\") "
        "under [vault]",
        "people/kenji.md:11:3: warning: log line starts with 05.06.2026, which could be "
        "2026-06-05 (day first) or 2026-05-06 (month first), so it is not counted — write "
        "2026-06-05 or 2026-05-06, or say your order once in netnotes.toml: date_order = \"DMY\" "
        "(or \"MDY\") under [vault]",
        "0 errors, 2 warnings in 1 note"]
    shown = run(root, "show", "kenji").stdout
    for day in ("2026-03-03", "2026-04-01", "2026-04-15", "2026-05-01"):
        assert day in shown
    toml = Path(root / "netnotes.toml")
    toml.write_text(toml.read_text() + '\n[vault]\ndate_order = "DMY"\n')
    assert run(root, "check").stdout.splitlines() == ["0 errors, 0 warnings in 1 note"]
    shown = run(root, "show", "kenji").stdout
    assert "2026-10-03" in shown and "2026-06-05" in shown
