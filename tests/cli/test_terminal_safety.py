"""Nothing from a note drives the terminal: control characters are shown, never sent.

A shared vault is someone else's input.  Ada's note below carries an escape that clears the
screen and turns the rest red, an OSC 8 hyperlink faking a link, a carriage return that would
rewrite a line, a C1 CSI, DEL and a right-to-left override.  Every text output shows them as
``\\x1b``, ``\\r``, ``\\u202e`` …; JSON escapes them as ``\\uXXXX``; HTML shows them as text does.
"""

from __future__ import annotations

import json
import re

import pytest
from conftest import TODAY

from netnotes.core.shown import json_safe, visible

# YAML double quotes turn \e, \r, \x.. and \u.... into the characters themselves.
NASTY = """\
---
name: "Ada \\e[2J\\e[31mRED\\e[0m"
company: "\\e]8;;https://evil.example\\e\\\\Click me\\e]8;;\\e\\\\"
role: "engineer \\u202egnirts\\u202c"
field: "\\x9b31m science \\x7f"
tier: close
birthday: "1815-13-\\e[2J"
---
## Log
- 2025-01-05 coffee, then\\rFAKED LINE
"""
SECOND = "---\nname: \"Ada \\e]0;title\\a Byron\"\n---\n"

# Every character a terminal could act on, except the tab and newline of our own layout.
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture
def root(vault):
    return vault({"people/ada.md": NASTY, "people/byron.md": SECOND})


def assert_shown(text: str) -> None:
    assert not RAW.search(text), repr(RAW.search(text))
    assert "\\x1b[2J" in text or "\\u001b[2J" in text


@pytest.mark.parametrize("args", [
    ("list",), ("report",), ("overdue",), ("show", "ada"), ("report", "--format", "markdown"),
], ids=" ".join)
def test_text_outputs_show_control_characters(root, run, args):
    result = run(root, *args)
    assert result.exit_code == 0, result.output
    assert_shown(result.stdout)
    assert not RAW.search(result.stderr)


def test_show_displays_every_field_visibly(root, run):
    out = run(root, "show", "ada").stdout
    assert "\\x1b]8;;https://evil.example\\x1b\\Click me" in out  # the fake link, inert
    assert "engineer \\u202egnirts\\u202c" in out  # the override, named
    assert "\\x9b31m science \\x7f" in out  # C1 CSI and DEL
    assert "then\\rFAKED LINE" in out  # the carriage return cannot rewrite the line


def test_check_messages_show_control_characters(root, run):
    result = run(root, "check")
    text = result.stdout + result.stderr
    assert "people/ada.md:7" in text and "\\x1b[2J" in text
    assert not RAW.search(text)


def test_error_messages_show_control_characters(root, run):
    """A query matching both names lists them in the error: shown, not sent."""
    result = run(root, "show", "ada")
    assert result.exit_code == 0
    result = run(root, "show", "Ad")
    assert result.exit_code == 1
    assert "\\x1b]0;title\\x07" in result.stderr
    assert not RAW.search(result.stderr)


@pytest.mark.parametrize("args", [
    ("report", "--format", "json"), ("show", "ada", "--format", "json"),
    ("list", "--format", "json"), ("check", "--format", "json"),
], ids=" ".join)
def test_json_escapes_them_by_its_own_rules(root, run, args):
    result = run(root, *args)
    assert not RAW.search(result.stdout)
    data = json.loads(result.stdout)  # still the exact text of the note, once parsed
    assert any("\x1b[2J" in s for s in strings(data))


def strings(data):
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for v in data.values():
            yield from strings(v)
    elif isinstance(data, list):
        for v in data:
            yield from strings(v)


def test_json_keeps_the_data_itself(root, run):
    data = json.loads(run(root, "show", "ada", "--format", "json").stdout)
    assert data["role"] == "engineer \u202egnirts\u202c"
    assert '"engineer \\u202egnirts\\u202c"' in run(root, "show", "ada", "--format",
                                                   "json").stdout


def test_html_shows_them_as_text(root, run):
    html = run(root, "report", "--format", "html").stdout
    assert not RAW.search(html)
    assert "Ada \\x1b[2J\\x1b[31mRED\\x1b[0m" in html
    assert "\\u202egnirts" in html or "gnirts" not in html


def test_our_own_colours_survive_but_a_notes_do_not(root):
    from netnotes.render import build_report
    from netnotes.store import load_vault

    text = build_report(load_vault(root, use_cache=False), TODAY, "text", colour=True)
    assert "\x1b[1m" in text or "\x1b[2m" in text  # our styling, sent
    assert "\x1b[2J" not in text and "\x1b[31mRED" not in text  # the note's, shown
    assert "\\x1b[2J" in text


def test_visible_is_one_function_for_every_output():
    assert visible("a\x1b[2Jb\tc\nd") == "a\\x1b[2Jb\tc\nd"
    assert visible("x\x7f\x9b\u202e\u2066\u200f") == "x\\x7f\\x9b\\u202e\\u2066\\u200f"
    assert visible("tab\tnl\n", one_line=True) == "tab\\x09nl\\x0a"
    assert visible("plain é 漢字") == "plain é 漢字"
    assert visible(visible("\x1b")) == visible("\x1b")  # shown once, not twice
    assert json_safe('"a\x7f\u202e"') == '"a\\u007f\\u202e"'
