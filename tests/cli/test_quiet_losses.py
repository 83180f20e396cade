"""`check` warns where a note silently loses meaning — each a `file:line` warning with a fix
hint, never an error, and neither `check` nor the report changes a byte of such a note — and
cadences are read as people write them."""

from __future__ import annotations

import json

import pytest
from conftest import note, snapshot

from netnotes.core.dates import Duration, parse_duration


def _warnings(run, root) -> list[tuple[str, int, str, str]]:
    result = run(root, "check", "--format", "json")
    assert result.exit_code == 0, result.output  # warnings only: never an error
    data = json.loads(result.stdout)
    assert data["errors"] == 0
    return [(p["path"], p["line"], p["code"], p["hint"]) for p in data["problems"]]


NOTES = {
    # line 4: YAML reads "#friend #work" as a comment, so the tags vanish
    "people/ada.md": "---\nname: Ada\ntier: close\ntags: #friend #work\n---\n\n"
                     "## Log\n- 2026-10-01 coffee\n",
    # a second log heading on line 8
    "people/bo.md": "---\nname: Bo\n---\n\n## Log\n- 2026-10-01 call\n\n## Log\n"
                    "- 2026-10-05 lunch\n",
    # line 4 ends in LF, the others in CRLF
    "people/cy.md": "---\r\nname: Cy\r\n---\r\n## Log\n- 2026-10-01 call\r\n",
    # a log line in 2036 (a typo for 2026), far beyond the plan's four weeks
    "people/dee.md": note("Dee", ["2036-10-01 coffee", "2026-12-01 lunch planned"]),
    # one person twice: file names and names that differ only by case, spacing or accents
    "people/zoe-marchetti.md": note("Zoë Marchetti"),
    "people/Zoe Marchetti.md": note("zoe  marchetti"),
    "people/anne-marie.md": note("Anne-Marie Roy"),
    "people/annemarie.md": note("Annemarie Roy"),
}


def test_each_silent_loss_is_a_warning_with_its_line_and_a_hint(run, vault):
    root = vault(NOTES)
    found = _warnings(run, root)
    codes = {(path, line, code) for path, line, code, _ in found}
    assert ("people/ada.md", 4, "tags-comment") in codes
    assert ("people/bo.md", 8, "second-log") in codes
    assert ("people/cy.md", 4, "mixed-line-endings") in codes
    assert ("people/dee.md", 6, "far-future") in codes
    assert not any(path == "people/dee.md" and line == 7 for path, line, _ in codes)
    assert ("people/zoe-marchetti.md", 2, "duplicate-name") in codes or \
        ("people/Zoe Marchetti.md", 2, "duplicate-name") in codes
    assert ("people/annemarie.md", 2, "duplicate-name") in codes
    assert all(hint for *_, hint in found)
    text = run(root, "check").stdout
    assert "people/ada.md:4:" in text and "quote them or drop the #" in text
    zoe = next(line for line in text.splitlines() if "Marchetti" in line)
    assert "Zoe Marchetti.md" in zoe and "zoe-marchetti.md" in zoe  # both files named
    anne = next(line for line in text.splitlines() if "annemarie.md" in line)
    assert "anne-marie.md" in anne


def test_nothing_changes_a_byte_of_such_notes(run, vault):
    root = vault(NOTES)
    before = snapshot(root)
    for args in (["check"], ["report"], ["report", "--format", "json"], ["plan"]):
        assert run(root, *args).exit_code == 0
    assert snapshot(root) == before


def test_both_log_sections_still_count(run, vault):
    root = vault({"people/bo.md": NOTES["people/bo.md"]})
    data = json.loads(run(root, "report", "--format", "json").stdout)
    assert data["contacts"][0]["interactions_12m"] == 2


@pytest.mark.parametrize(("text", "months", "days"), [
    ("monthly", 1, 0), ("Quarterly", 3, 0), ("yearly", 12, 0), ("annually", 12, 0),
    ("weekly", 0, 7), ("fortnightly", 0, 14), ("every 6 weeks", 0, 42),
    ("twice a year", 6, 0), ("three times a year", 4, 0), ("once a month", 1, 0),
    ("every month", 1, 0), ("every other week", 0, 14), ("every quarter", 3, 0),
    ("half-yearly", 6, 0), ("twice a month", 0, 15), ("4 months", 4, 0),
])
def test_natural_cadences(text, months, days):
    assert parse_duration(text) == Duration(months, days)


@pytest.mark.parametrize("text", ["sometimes", "twice", "every", "-3 months", "0 times a year"])
def test_what_is_still_not_a_cadence(text):
    with pytest.raises(ValueError):
        parse_duration(text)


def test_a_natural_cadence_in_a_note_and_in_netnotes_toml(run, vault):
    root = vault({"people/ada.md": note("Ada", ["2026-10-01 coffee"], cadence="monthly"),
                  "netnotes.toml": '[tiers]\ncritical = "quarterly"\nnetwork = "twice a year"\n'})
    assert _warnings(run, root) == []
    data = json.loads(run(root, "report", "--format", "json").stdout)
    assert data["contacts"][0]["due"] == "2026-11-01"
    assert [t["cadence"] for t in data["network"]["tiers"]] == ["3 months", "6 months"]
