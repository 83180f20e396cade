"""The three-way note merge: examples a user would recognise, then properties (hypothesis)."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import REALWORLD
from hypothesis import given, settings
from hypothesis import strategies as st

from netnotes.edit.merge import BODY, WHOLE, merge_note
from netnotes.vault import parse_note, scan

BASE = """\
---
name: Ada Lovelace
tier: network   # met once
tags: [math, poetry]
company: "Analytical Engines, Ltd."
---

Met at the salon.

## Log
- 2026-01-05 coffee at the station
- 2026-02-01 call about engines

## Notes
Likes tea.
"""


def edit(text: str, *pairs: tuple[str, str]) -> str:
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def merge(base: str, ours: str, theirs: str, **kw: object):
    return merge_note(base.encode(), ours.encode(), theirs.encode(), **kw)  # type: ignore[arg-type]


def log_of(data: bytes, heads: tuple[str, ...] | None = ("log",)) -> list[tuple[dt.date, str]]:
    raw = parse_note(data, "people/x.md")
    found, _ = scan(raw.body, "people/x.md", raw.body_line, log_headings=heads)
    return [(ln.date, ln.text) for ln in found]


def test_two_machines_log_and_edit_different_keys_merge_cleanly():
    ours = edit(BASE, ("tier: network   # met once", "tier: close   # met once"),
                ("- 2026-02-01 call about engines\n",
                 "- 2026-02-01 call about engines\n- 2026-03-01 lunch downtown\n"),
                ("[math, poetry]", "[math, poetry, ml]"))
    theirs = edit(BASE, ('"Analytical Engines, Ltd."', "'Babbage & Co'"),
                  ("- 2026-01-05 coffee at the station\n",
                   "- 2026-01-05 coffee at the station\n- 2026-01-20 email #gave intro\n"),
                  ("[math, poetry]", "[poetry, chess]"), ("Likes tea.", "Likes tea. And cake."))
    result = merge(BASE, ours, theirs)
    assert result.clean
    assert result.data.decode() == """\
---
name: Ada Lovelace
tier: close   # met once
tags: [poetry, ml, chess]
company: 'Babbage & Co'
---

Met at the salon.

## Log
- 2026-01-05 coffee at the station
- 2026-01-20 email #gave intro
- 2026-02-01 call about engines
- 2026-03-01 lunch downtown

## Notes
Likes tea. And cake.
"""


def test_same_key_changed_differently_is_marked_alone_and_check_sees_it():
    ours = edit(BASE, ("tier: network   # met once", "tier: close"),
                ("## Notes", "## Notes\nOurs."))
    theirs = edit(BASE, ("tier: network   # met once", "tier: critical"),
                  ("- 2026-02-01 call about engines\n",
                   "- 2026-02-01 call about engines\n- 2026-02-02 dinner\n"))
    result = merge(BASE, ours, theirs)
    assert result.conflicts == ("tier",)
    text = result.data.decode()
    assert "<<<<<<< ours\ntier: close\n=======\ntier: critical\n>>>>>>> theirs\ntags:" in text
    assert "- 2026-02-02 dinner" in text and "Ours." in text
    problems = parse_note(result.data, "people/ada.md").problems
    assert {p.source.line for p in problems if p.code == "merge-conflict"} == {3, 5, 7}


def test_a_key_deleted_on_one_side_and_changed_on_the_other_conflicts():
    ours = edit(BASE, ('company: "Analytical Engines, Ltd."\n', ""))
    theirs = edit(BASE, ("Analytical Engines", "Difference Engines"))
    result = merge(BASE, ours, theirs)
    assert result.conflicts == ("company",)
    assert '=======\ncompany: "Difference Engines, Ltd."\n>>>>>>> theirs' in result.data.decode()


def test_keys_added_on_both_sides_keep_their_places():
    ours = edit(BASE, ("tier: network   # met once\n", "tier: network   # met once\nrole: CTO\n"))
    theirs = edit(BASE, ("---\n\nMet", "location: London\n---\n\nMet"))
    result = merge(BASE, ours, theirs)
    assert result.clean
    meta_lines = result.data.decode().split("---")[1].strip().split("\n")
    assert [ln.split(":")[0] for ln in meta_lines] == [
        "name", "tier", "role", "tags", "company", "location"]


def test_block_lists_merge_as_sets_in_their_own_style():
    base = "---\nname: Ada\nknows:\n  - '[[grace]]'\n  - '[[linus]]'\n---\n"
    ours = base.replace("  - '[[linus]]'\n", "  - '[[linus]]'\n  - '[[alan]]'\n")
    theirs = base.replace("  - '[[grace]]'\n", "")
    theirs = theirs.replace("  - '[[linus]]'\n", "  - '[[linus]]'\n  - '[[edsger]]'\n")
    result = merge(base, ours, theirs)
    assert result.clean
    assert result.data.decode() == (
        "---\nname: Ada\nknows:\n  - '[[linus]]'\n  - '[[alan]]'\n  - '[[edsger]]'\n---\n")


def test_crlf_and_bom_survive_a_merge_that_touches_every_part():
    base = "\ufeff" + BASE.replace("\n", "\r\n")
    ours = edit(base, ("tier: network", "tier: close"),
                ("- 2026-02-01 call about engines\r\n",
                 "- 2026-02-01 call about engines\r\n- 2026-03-01 lunch\r\n"))
    theirs = edit(base, ("Likes tea.", "Likes coffee."),
                  ("- 2026-01-05 coffee at the station\r\n",
                   "- 2026-01-05 coffee at the station\r\n- 2026-01-09 walk\r\n"))
    data = merge(base, ours, theirs).data
    assert data.startswith(b"\xef\xbb\xbf---\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert b"tier: close   # met once\r\n" in data and b"Likes coffee." in data
    assert [t for _, t in log_of(data)] == [
        "coffee at the station", "walk", "call about engines", "lunch"]


LOG_STORIES = {
    "a newest-first log stays newest first": (
        "## Log\n\n- 2026-02-01 call\n\n- 2026-01-01 coffee\n",
        ("## Log\n\n", "## Log\n\n- 2026-03-01 lunch\n\n"),
        ("- 2026-02-01 call\n\n", "- 2026-02-01 call\n\n- 2026-01-15 email\n\n"),
        "## Log\n\n- 2026-03-01 lunch\n\n- 2026-02-01 call\n\n- 2026-01-15 email\n\n"
        "- 2026-01-01 coffee\n"),
    "lines indented under a log line travel with it": (
        "## Log\n- 2026-01-01 coffee\n  - she asked about chess\n",
        ("chess\n", "chess\n- 2026-03-01 call\n"),
        ("## Log\n", "## Log\n- 2025-12-24 card #gave\n"),
        "## Log\n- 2025-12-24 card #gave\n- 2026-01-01 coffee\n  - she asked about chess\n"
        "- 2026-03-01 call\n"),
    "log lines survive the other side renaming their section": (
        "## Log\n- 2026-01-01 coffee\n",
        ("## Log", "## Interactions"),
        ("coffee\n", "coffee\n- 2026-02-01 call\n"),
        "## Interactions\n- 2026-01-01 coffee\n- 2026-02-01 call\n"),
}


@pytest.mark.parametrize("story", LOG_STORIES)
def test_log_stories(story):
    body, ours_edit, theirs_edit, expected = LOG_STORIES[story]
    base = "---\nname: Ada\n---\n" + body
    result = merge(base, edit(base, ours_edit), edit(base, theirs_edit))
    assert result.clean
    assert result.data.decode() == "---\nname: Ada\n---\n" + expected


def test_free_text_changed_on_both_sides_is_a_body_conflict_with_log_lines_kept_once():
    ours = edit(BASE, ("Likes tea.", "Likes green tea."),
                ("- 2026-02-01 call about engines\n", "- 2026-02-01 call about engines\n"
                 "- 2026-04-01 talk\n"))
    theirs = edit(BASE, ("Likes tea.", "Likes black tea."))
    result = merge(BASE, ours, theirs)
    assert result.conflicts == (BODY,)
    text = result.data.decode()
    assert "<<<<<<< ours\nLikes green tea.\n=======\nLikes black tea.\n>>>>>>> theirs" in text
    assert text.count("- 2026-04-01 talk") == 1


def test_a_note_yaml_cannot_read_falls_back_to_gits_line_merge():
    ours = edit(BASE, ("name: Ada Lovelace", "name: [Ada"))  # broken YAML
    theirs = edit(BASE, ("Likes tea.", "Likes cake."))
    result = merge(BASE, ours, theirs)
    assert result.clean and b"name: [Ada" in result.data and b"Likes cake." in result.data
    clash = edit(BASE, ("name: Ada Lovelace", "name: Ada King"))
    assert merge(BASE, ours, clash).conflicts == (WHOLE,)


def test_front_matter_written_as_one_flow_mapping_is_merged_line_by_line():
    base = "---\n{name: Ada, tier: network}\n---\n- 2026-01-01 coffee\n"
    ours = base.replace("network", "close")
    theirs = base + "- 2026-02-01 call\n"
    result = merge(base, ours, theirs)
    assert result.clean
    assert result.data.decode() == ours + "- 2026-02-01 call\n"


def test_journal_notes_merge_dated_lines_in_every_section():
    base = "# 2026-03-01\n\n## Morning\n- 2026-03-01 coffee with [[ada]]\n"
    ours = base + "- 2026-03-01 call with [[grace]]\n"
    theirs = base.replace("## Morning\n", "## Morning\n- 2026-03-01 walk with [[linus]]\n")
    result = merge(base, ours, theirs, log_headings=None)
    assert result.clean
    assert [t for _, t in log_of(result.data, None)] == [
        "coffee with [[ada]]", "call with [[grace]]", "walk with [[linus]]"]


# --- properties --------------------------------------------------------------------------

DATES = st.dates(dt.date(2025, 1, 1), dt.date(2026, 12, 31))
WORDS = st.sampled_from(["coffee", "call", "lunch at the pier", "email #gave", "dinner #got",
                         "walk", "intro to [[grace]]"])
ENTRY = st.tuples(DATES, WORDS, st.integers(0, 9)).map(lambda t: (t[0], f"{t[1]} {t[2]}"))
TAGS = st.sampled_from(["math", "poetry", "ml", "chess", "climate", "go"])
VALUES = st.sampled_from(["Acme", "'Acme, Inc.'", "CTO", "London", '"Paris"', "close"])


def render(fields: dict[str, str], tags: list[str], log: list[tuple[dt.date, str]],
           crlf: bool = False) -> bytes:
    lines = ["---", "name: Ada Lovelace", *(f"{k}: {v}" for k, v in fields.items()),
             f"tags: [{', '.join(tags)}]", "---", "", "Free text.", "", "## Log",
             *(f"- {d.isoformat()} {t}" for d, t in log), "", "## Notes", "Tea."]
    return ("\r\n" if crlf else "\n").join(lines).encode() + (b"\r\n" if crlf else b"\n")


def logged(log: list[tuple[dt.date, str]], add: list[tuple[dt.date, str]]
           ) -> list[tuple[dt.date, str]]:
    """Add lines the way `netnotes log` does: after every line of the same day or earlier."""
    out = list(log)
    for d, t in add:
        at = max((i + 1 for i, (day, _) in enumerate(out) if day <= d), default=0)
        out.insert(at, (d, t))
    return out


@st.composite
def scenario(draw: st.DrawFn) -> dict:
    base_log = sorted(draw(st.lists(ENTRY, max_size=5, unique=True)))
    base_fields = {"company": "Acme", "role": "CTO", "location": "London", "tier": "network"}
    base_tags = draw(st.lists(TAGS, max_size=3, unique=True))
    sides = {}
    for side, keys in (("ours", ["company", "role"]), ("theirs", ["location", "tier"])):
        fields = dict(base_fields)
        for key in draw(st.lists(st.sampled_from(keys), unique=True)):
            fields[key] = draw(VALUES)
        tags = [t for t in base_tags if not draw(st.booleans()) or len(base_tags) < 2]
        tags += [t for t in draw(st.lists(TAGS, max_size=2, unique=True)) if t not in tags]
        # each side logs new lines; both sides may log the very same line
        added = [e for e in draw(st.lists(ENTRY, max_size=4, unique=True)) if e not in base_log]
        sides[side] = {"fields": fields, "tags": tags, "added": added,
                       "log": logged(base_log, added)}
    crlf = draw(st.booleans())
    return {"base": render(base_fields, base_tags, base_log, crlf), "base_log": base_log,
            "base_tags": base_tags, "crlf": crlf,
            **{s: render(v["fields"], v["tags"], v["log"], crlf) for s, v in sides.items()},
            "sides": sides}


@settings(max_examples=60, deadline=None, derandomize=True)
@given(scenario())
def test_changes_on_one_side_only_are_taken_as_they_are(s):
    for x in (s["ours"], s["theirs"]):
        assert merge_note(s["base"], x, s["base"]).data == x
        assert merge_note(s["base"], s["base"], x).data == x
        assert merge_note(s["base"], x, x).data == x


@settings(max_examples=80, deadline=None, derandomize=True)
@given(scenario())
def test_every_log_line_survives_once_in_date_order_and_keys_merge(s):
    result = merge_note(s["base"], s["ours"], s["theirs"])
    assert result.clean
    lines = log_of(result.data)
    expected = set(s["base_log"]) | set(s["sides"]["ours"]["added"]) | \
        set(s["sides"]["theirs"]["added"])
    assert set(lines) == expected
    assert len(lines) == len(set(lines))
    assert [d for d, _ in lines] == sorted(d for d, _ in lines)
    meta = parse_note(result.data, "people/x.md").meta
    ours, theirs = s["sides"]["ours"], s["sides"]["theirs"]
    assert (meta["company"], meta["role"]) == (ours["fields"]["company"].strip("'\""),
                                               ours["fields"]["role"].strip("'\""))
    assert (meta["location"], meta["tier"]) == (theirs["fields"]["location"].strip("'\""),
                                                theirs["fields"]["tier"].strip("'\""))
    if ours["tags"] == s["base_tags"] or theirs["tags"] == s["base_tags"]:
        changed = theirs if ours["tags"] == s["base_tags"] else ours
        assert meta["tags"] == changed["tags"]  # one side changed the list: taken as it is
    else:  # both changed it: what both kept, and what either added (ours' order first)
        kept = [t for t in s["base_tags"] if t in ours["tags"] and t in theirs["tags"]]
        added = [t for t in ours["tags"] + theirs["tags"] if t not in s["base_tags"]]
        assert meta["tags"] == list(dict.fromkeys(
            [t for t in ours["tags"] + theirs["tags"] if t in kept or t in added]))
    assert (b"\r\n" in result.data) == s["crlf"]
    flipped = merge_note(s["base"], s["theirs"], s["ours"])
    assert set(log_of(flipped.data)) == expected
    other = parse_note(flipped.data, "people/x.md").meta
    assert set(other.pop("tags")) == set(meta.pop("tags"))
    assert other == meta


@st.composite
def body_edits(draw: st.DrawFn) -> tuple[bytes, bytes, bytes, set[str]]:
    """Free text edited on both sides (often a real conflict) while both log new lines."""
    base_log = sorted(draw(st.lists(ENTRY, max_size=4, unique=True)))
    base = render({}, [], base_log)
    versions, lines = [], {f"- {d.isoformat()} {t}" for d, t in base_log}
    for _ in ("ours", "theirs"):
        added = [e for e in draw(st.lists(ENTRY, max_size=3, unique=True)) if e not in base_log]
        text = render({}, [], logged(base_log, added)).decode()
        text = text.replace("Free text.", draw(st.sampled_from(
            ["Free text.", "Free text, edited.", "Other text.\nSecond line."])))
        if draw(st.booleans()):
            text += draw(st.sampled_from(["\n## Ideas\n- ask about chess\n", "More tea.\n"]))
        versions.append(text.encode())
        lines |= {f"- {d.isoformat()} {t}" for d, t in added}
    return base, versions[0], versions[1], lines


@settings(max_examples=40, deadline=None, derandomize=True)
@given(body_edits())
def test_no_log_line_is_lost_or_doubled_even_when_the_free_text_conflicts(case):
    base, ours, theirs, lines = case
    result = merge_note(base, ours, theirs)
    assert set(result.conflicts) <= {BODY}
    text = result.data.decode().split("\n")
    for line in lines:
        assert text.count(line) == 1, line


def test_the_same_contact_added_on_both_machines_merges_key_by_key():
    ours = "---\nname: Grace Hopper\ntier: close\n---\n\n## Log\n- 2026-03-01 coffee\n"
    theirs = "---\nname: Grace Hopper\nrole: admiral\n---\n\n## Log\n- 2026-03-02 call\n"
    result = merge("", ours, theirs)
    assert result.clean
    assert result.data.decode() == ("---\nname: Grace Hopper\nrole: admiral\ntier: close\n---\n"
                                    "\n## Log\n- 2026-03-01 coffee\n- 2026-03-02 call\n")
    clash = theirs.replace("role: admiral", "tier: critical")
    assert merge("", ours, clash).conflicts == ("tier",)


def test_a_short_log_follows_the_other_sides_newest_first_order():
    base = "---\nname: Ada\n---\n## Log\n- 2026-01-01 coffee\n"
    ours = base.replace("## Log\n", "## Log\n- 2026-03-01 lunch\n- 2026-02-01 call\n")
    theirs = base.replace("coffee", "coffee at the pier")
    assert merge(base, ours, theirs).data.decode().endswith(
        "## Log\n- 2026-03-01 lunch\n- 2026-02-01 call\n- 2026-01-01 coffee at the pier\n")




@pytest.mark.skipif(not REALWORLD.is_dir(), reason="real-world samples not present")
def test_real_world_notes_merge_both_sides_changes():
    person = (REALWORLD / "markdown_person_note_ada-lovelace.md").read_text()
    ours = person + "\n## Log\n- 2026-03-01 coffee\n"
    theirs = edit(person, ("'writer']", "'writer', 'pioneer']"), ("city: London", "city: Paris"))
    result = merge(person, ours, theirs)
    assert result.clean
    assert "tags: ['person', 'mathematician', 'writer', 'pioneer']" in result.data.decode()
    assert result.data.decode().endswith("## Log\n- 2026-03-01 coffee\n")
    assert "city: Paris" in result.data.decode()
    meeting = (REALWORLD / "markdown_interaction_note_ada-lovelace_2024-03-01.md").read_text()
    ours = edit(meeting, ("alan-kay]", "alan-kay, grace-hopper]"))
    theirs = edit(meeting, ("[ada-lovelace, ", "[ada-lovelace, linus, "), ("  - chat", "  - call"))
    result = merge(meeting, ours, theirs, log_headings=None)
    assert result.clean
    meta = parse_note(result.data, "journal/x.md").meta
    assert meta["people"] == ["ada-lovelace", "alan-kay", "grace-hopper", "linus"]
    assert meta["tags"] == ["call"]


def test_a_comment_on_a_merged_list_line_stays():
    base = "---\nname: Ada\ntags: [math]   # what we talk about\nknows:  # people\n  - grace\n---\n"
    ours = base.replace("[math]", "[math, ml]").replace("  - grace\n", "  - grace\n  - alan\n")
    theirs = base.replace("[math]", "[math, chess]").replace("  - grace\n", "  - grace\n  - ed\n")
    assert merge(base, ours, theirs).data.decode() == (
        "---\nname: Ada\ntags: [math, ml, chess]   # what we talk about\nknows:  # people\n"
        "  - grace\n  - alan\n  - ed\n---\n")
