"""An adopted vault is read in its own names: a user who keeps person notes in Obsidian writes a
``[fields]`` map once, and every note, meeting note and inline field is read without renaming
a file or a key."""

from __future__ import annotations

import datetime as dt
import json

from conftest import TODAY
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netnotes.core import FieldMap, parse_config
from netnotes.edit import body
from netnotes.store import load_vault
from netnotes.vault import inline_fields, parse_note

FIELDS_TOML = """\
[fields]
name = ["first_name", "last_name"]
company = ["organization", "organizations"]
role = "title"
location = "city"
last_contact = "last_contact"
people = ["people", "attendees"]
name_from_heading = true
"""

ADA = """\
---
tags: [person]
first_name: Ada
last_name: Lovelace
organization: Analytical Engines
title: Mathematician
city: London
deathday: 1852-11-27
---

# Ada Lovelace

## Notes
- 1833: met Charles Babbage
"""

GRACE_INLINE = """\
---
tags: [person]
---

# Grace Hopper

company:: Navy
- role:: Rear Admiral
last_contact:: 2026-03-01
"""

# as Obsidian templates have them: `- ` with nothing after it (YAML reads [None])
TEMPLATE = ("---\ntags:\n  - person\nfirst_name:\nlast_name:\norganizations:\n  - \n---\n"
            "\n# Person\n")


def _people(v):
    return {c.id: c for c in v.contacts}


def test_the_fields_map_is_read_from_the_config():
    config, problems = parse_config(FIELDS_TOML)
    assert problems == []
    assert config.fields.theirs("company") == ("organization", "organizations")
    assert config.fields.theirs("name") == ("first_name", "last_name")
    assert config.fields.name_from_heading is True
    assert config.people_keys == ("people", "attendees")
    assert parse_config("")[0].fields == FieldMap()


def test_a_bad_fields_map_is_reported_with_its_line_and_the_rest_applies():
    config, problems = parse_config('[fields]\ncompany = "organization"\nrole = 3\n'
                                    'colour = "x"\nname_from_heading = "yes"\n')
    assert config.fields.theirs("company") == ("organization",)
    assert [(p.source.line, p.severity) for p in problems] == [
        (3, "error"), (4, "warning"), (5, "error")]
    assert "role must name your key" in problems[0].message


def test_front_matter_names_are_read_as_ours_and_their_own_keys_stay(vault):
    root = vault({"people/Ada Lovelace.md": ADA}, FIELDS_TOML)
    v = load_vault(root, use_cache=False)
    ada = _people(v)["Ada Lovelace"]
    assert (ada.name, ada.company, ada.role, ada.location) == (
        "Ada Lovelace", "Analytical Engines", "Mathematician", "London")
    assert ada.extra == {"deathday": "1852-11-27"}  # theirs, kept; the mapped keys are not twice
    assert v.problems == ()
    # "Notes" is no log section: 1833 is not an interaction
    assert v.interactions == ()


def test_a_list_where_we_keep_one_value_gives_its_first_item(vault):
    text = "---\nfirst_name: Ada\norganizations: ['bcs', 'royal-society']\n---\n"
    v = load_vault(vault({"people/ada.md": text}, FIELDS_TOML), use_cache=False)
    assert _people(v)["ada"].company == "bcs"


def test_dataview_inline_fields_and_the_heading_name(vault):
    root = vault({"people/Grace Hopper.md": GRACE_INLINE}, FIELDS_TOML)
    v = load_vault(root, use_cache=False)
    grace = _people(v)["Grace Hopper"]
    assert (grace.name, grace.company, grace.role) == ("Grace Hopper", "Navy", "Rear Admiral")
    # last_contact:: is an interaction on that day, on its own line
    [it] = v.interactions_of("Grace Hopper")
    assert (it.date, it.line, it.people) == (dt.date(2026, 3, 1), 9, ("Grace Hopper",))


def test_links_to_other_notes_read_as_their_text(vault):
    text = ('---\nfirst_name: Ada\norganization: "[[Acme Corp|Acme]]"\ncity: "[[London]]"\n'
            "---\nlast_contact:: [[2026-03-01]]\n")
    v = load_vault(vault({"people/ada.md": text}, FIELDS_TOML), use_cache=False)
    ada = _people(v)["ada"]
    assert (ada.company, ada.location) == ("Acme", "London")
    assert [i.date for i in v.interactions] == [dt.date(2026, 3, 1)]
    assert v.problems == ()


def test_front_matter_wins_over_an_inline_field(vault):
    text = "---\nname: Ada\ncompany: Real Co\n---\ncompany:: Old Co\n"
    v = load_vault(vault({"people/ada.md": text}, FIELDS_TOML), use_cache=False)
    assert _people(v)["ada"].company == "Real Co"


def test_inline_fields_are_ours_only_in_an_adopted_vault(vault):
    text = "---\nname: Ada\n---\ncompany:: Old Co\n"
    v = load_vault(vault({"people/ada.md": text}), use_cache=False)
    assert _people(v)["ada"].company == ""


def test_a_bad_last_contact_is_a_problem_on_its_line(vault):
    text = "---\nname: Ada\n---\n\nlast_contact:: 2026-02-30\n"
    v = load_vault(vault({"people/ada.md": text}, FIELDS_TOML), use_cache=False)
    [p] = [p for p in v.problems if p.code == "bad-value"]
    assert (p.source.path, p.source.line) == ("people/ada.md", 5)
    assert "last_contact" in p.message


def test_a_template_is_not_a_contact_called_person(vault):
    root = vault({"people/Person.md": TEMPLATE, "people/Ada Lovelace.md": ADA}, FIELDS_TOML)
    v = load_vault(root, use_cache=False)
    assert [c.id for c in v.contacts] == ["Ada Lovelace"]
    [p] = v.problems
    assert (p.code, p.severity, p.source.path) == ("template", "warning", "people/Person.md")


def test_meeting_notes_with_people_attendees_and_links(vault):
    root = vault({
        "people/Ada Lovelace.md": ADA,
        "people/Grace Hopper.md": GRACE_INLINE,
        # beside the person notes, named after its day, listing people by slug
        "people/ada/2024-03-01.md": "---\ndate: 2024-03-01\npeople: [ada-lovelace, alan-kay]\n"
                                    "time: 20:03\n---\nAda at 20:03\n",
        "journal/Planning.md": "---\ndate: 2026-05-02\nattendees:\n  - '[[Grace Hopper]]'\n"
                               "---\n# Planning\n",
        "journal/2026-06-10 Offsite.md": "Talked with [[Ada Lovelace]] about [[Project X]].\n"
                                         "Later [[people/Grace Hopper.md|Grace]] joined.\n",
    }, FIELDS_TOML)
    v = load_vault(root, use_cache=False)
    got = [(i.date.isoformat(), i.path, i.people) for i in v.interactions]
    assert got == [
        ("2024-03-01", "people/ada/2024-03-01.md", ("Ada Lovelace",)),
        ("2026-03-01", "people/Grace Hopper.md", ("Grace Hopper",)),
        ("2026-05-02", "journal/Planning.md", ("Grace Hopper",)),
        ("2026-06-10", "journal/2026-06-10 Offsite.md", ("Ada Lovelace", "Grace Hopper")),
    ]
    # alan-kay has no note: said once; a link to a project in running text is no problem
    assert [(p.code, p.message) for p in v.problems] == [
        ("unknown-link", "[[alan-kay]] does not name a contact")]
    assert [c.id for c in v.contacts] == ["Ada Lovelace", "Grace Hopper"]


def test_attendees_count_only_when_the_map_names_them(vault):
    files = {"people/grace.md": "---\nname: Grace\n---\n",
             "journal/m.md": "---\ndate: 2026-05-02\nattendees: [grace]\n---\n"}
    assert load_vault(vault(files), use_cache=False).interactions == ()


def test_a_changed_fields_map_is_never_served_from_the_cache(vault, run):
    root = vault({"people/Ada Lovelace.md": ADA},
                 FIELDS_TOML.replace('role = "title"\n', ""))
    first = run(root, "show", "Ada Lovelace", "--format", "json")
    assert first.exit_code == 0, first.output
    assert json.loads(first.stdout)["role"] == ""
    assert load_vault(root).by_id["Ada Lovelace"].role == ""  # the index holds it now
    (root / "netnotes.toml").write_text(FIELDS_TOML)  # same size? no matter: the map changed
    again = run(root, "show", "Ada Lovelace", "--format", "json")
    assert json.loads(again.stdout)["role"] == "Mathematician"
    assert load_vault(root).by_id["Ada Lovelace"].role == "Mathematician"


def test_overdue_in_an_adopted_vault_counts_the_inline_last_contact(vault, run):
    root = vault({"people/Grace Hopper.md": GRACE_INLINE}, FIELDS_TOML)
    out = run(root, "overdue", "--format", "json", today=TODAY)
    assert out.exit_code == 0, out.output
    assert "Grace Hopper" not in out.stdout  # 2026-03-01 + 1 year is after 2026-11-22
    later = run(root, "overdue", "--format", "json", today=dt.date(2027, 4, 1))
    assert "Grace Hopper" in later.stdout


# ---------------------------------------------------------------------------------------------
# Inline fields are edited in place: a property over generated notes

WORD = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp", "Zs"),
                             blacklist_characters="\x85\ufeff"), min_size=1, max_size=8)
VALUE = st.lists(WORD, min_size=1, max_size=4).map(" ".join)
LEADS = st.sampled_from(["", "- ", "* ", "  - ", "**"])


@st.composite
def inline_note(draw: st.DrawFn) -> tuple[bytes, str, str]:
    nl = draw(st.sampled_from(["\n", "\r\n"]))
    keys = draw(st.lists(st.sampled_from(["role", "company", "last_contact", "Status"]),
                         min_size=1, max_size=4, unique=True))
    lines = ["---", "name: Ada", "---", "", "# Ada"]
    for k in keys:
        lead = draw(LEADS)
        key = f"{k}**" if lead == "**" else k
        lines.append(f"{lead}{key}::{draw(st.sampled_from([' ', '  ', '']))}{draw(VALUE)}")
        if draw(st.booleans()):
            lines.append(draw(st.sampled_from(["", "text between", "- 2026-01-01 call"])))
    text = nl.join(lines) + (nl if draw(st.booleans()) else "")
    bom = b"\xef\xbb\xbf" if draw(st.booleans()) else b""
    return bom + text.encode("utf-8"), draw(st.sampled_from(keys)), draw(VALUE)


def _inline_values(data: bytes) -> list[tuple[str, str]]:
    raw = parse_note(data, "n.md")
    return [(f.key, f.value) for f in inline_fields(raw.body, raw.body_line)]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inline_note())
def test_set_inline_changes_only_the_value_and_undoes_exactly(case):
    data, key, value = case
    before = _inline_values(data)
    old = next(v for k, v in before if k == key)
    new = body.set_inline(data, key, value, path="n.md")
    after = _inline_values(new)
    at = next(i for i, (k, _) in enumerate(before) if k == key)
    assert after == [*before[:at], (key, value), *before[at + 1:]]
    assert parse_note(new, "n.md").meta == parse_note(data, "n.md").meta
    # setting the old value back gives the very bytes: nothing else changed on the way
    assert body.set_inline(new, key, old, path="n.md") == data
    removed = body.unset_inline(data, key, path="n.md")
    assert _inline_values(removed) == [*before[:at], *before[at + 1:]]


def test_what_each_path_is_read_as_without_the_disk():
    """The merge driver and sync's messages ask of paths; the answer is the listing's."""
    from netnotes.vault import note_kind

    adopted, _ = parse_config('[vault]\npeople = "People"\njournal = "."\n')
    assert [note_kind(rel, adopted) for rel in (
        "People/Ada.md", "People/ada/2024-03-01.md", "Meetings/Planning.md", "Top.md",
        "People/photo.jpg", "Templates/Meeting.md")] == [
        "person", "journal", "journal", "journal", None, None]
    ours, _ = parse_config("")
    assert [note_kind(rel, ours) for rel in (
        "people/ada.md", "journal/2026-01-01.md", "people/2026-01-01 standup.md",
        "notes/x.md")] == ["person", "journal", "journal", None]
