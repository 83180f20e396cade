"""`netnotes init --adopt DIR`: a user with an Obsidian folder of person notes gets netnotes
without renaming a file or a key — the folder is read, a netnotes.toml proposed and shown with
what it would find, and that one file written once they agree; edits then keep their names."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import REALWORLD, snapshot, write_vault

from netnotes.core import CONFIG_NAME
from netnotes.interop.adopt import adopt, describe
from netnotes.store import load_vault

# The team's copies of other tools' notes; a user's clone does not have them.

ADA = """\
---
tags: [person]
first_name: Ada
last_name: Lovelace
organization: Analytical Engines
title: Mathematician
email: ada@example.org
---

# Ada Lovelace

last_contact:: 2026-03-01

## Log
- 2026-01-10 coffee at the station
"""

GRACE = """\
---
tags: [person]
organization: Navy
---

# Grace Hopper

- role:: Rear Admiral
"""

TEMPLATE = "---\ntags: [person]\nfirst_name:\nlast_name:\norganization:\n---\n\n# Person\n"

OBSIDIAN = {
    ".obsidian/app.json": "{}\n",
    "People/Ada Lovelace.md": ADA,
    "People/Grace Hopper.md": GRACE,
    "People/Person.md": TEMPLATE,
    "Templates/Person.md": TEMPLATE,
    "Meetings/Planning.md": "---\ndate: 2026-05-02\nattendees: ['[[Grace Hopper]]']\n---\n",
    "Meetings/2026-06-10 Offsite.md": "Talked with [[Ada Lovelace]] about [[Project X]].\n",
    "Meetings/2026-07-01.md": "---\npeople: [ada-lovelace, grace-hopper]\n---\nstandup\n",
    "Projects/Engine.md": "# Engine\nwith [[Ada Lovelace]]\n",
}


@pytest.fixture
def obsidian(tmp_path: Path) -> Path:
    return write_vault(tmp_path / "Notes", OBSIDIAN, toml=None)


def test_adopt_proposes_folders_and_fields_and_writes_nothing(obsidian):
    before = snapshot(obsidian)
    plan = adopt(obsidian)
    assert snapshot(obsidian) == before and not (obsidian / ".netnotes").exists()
    c = plan.config
    assert (c.people_dir, c.journal_dir) == ("People", "Meetings")
    assert dict(c.fields.keys) == {
        "name": ("first_name", "last_name"), "company": ("organization",),
        "role": ("role", "title"), "emails": ("email",), "last_contact": ("last_contact",),
        "people": ("attendees", "people")}
    assert c.fields.name_from_heading
    assert [(x.id, x.name, x.company, x.role) for x in plan.vault.contacts] == [
        ("Ada Lovelace", "Ada Lovelace", "Analytical Engines", "Mathematician"),
        ("Grace Hopper", "Grace Hopper", "Navy", "Rear Admiral")]
    assert [(i.date.isoformat(), i.people) for i in plan.vault.interactions] == [
        ("2026-01-10", ("Ada Lovelace",)), ("2026-03-01", ("Ada Lovelace",)),
        ("2026-05-02", ("Grace Hopper",)), ("2026-06-10", ("Ada Lovelace",)),
        ("2026-07-01", ("Ada Lovelace", "Grace Hopper"))]
    assert [(p.source.path, p.code) for p in plan.problems] == [("People/Person.md", "template")]
    assert (plan.person_notes, plan.meeting_notes) == (3, 3)


def test_adopt_writes_only_netnotes_toml_and_every_command_then_reads_the_same(obsidian):
    before = snapshot(obsidian)
    plan = adopt(obsidian, write=True)
    after = snapshot(obsidian)
    assert plan.written and set(after) - set(before) == {CONFIG_NAME}
    assert {k: v for k, v in after.items() if k != CONFIG_NAME} == before
    assert after[CONFIG_NAME].decode() == plan.toml
    vault = load_vault(obsidian)
    assert vault.contacts == plan.vault.contacts
    assert vault.interactions == plan.vault.interactions


def test_meeting_notes_all_over_the_vault_make_a_journal_of_every_other_note(tmp_path):
    root = write_vault(tmp_path / "n", {
        "People/Ada Lovelace.md": ADA,
        "Meetings/Planning.md": "---\ndate: 2026-05-02\nattendees: ['[[Ada Lovelace]]']\n---\n",
        "Daily/2026-06-10.md": "- lunch with [[Ada Lovelace]]\n",
        "2026-06-11 walk.md": "a walk with [[Ada Lovelace]]\n"}, toml=None)
    (root / "Templates").mkdir()  # Obsidian's templates: `{{date}}` is no YAML
    (root / "Templates/Meeting.md").write_text("---\ndate: {{date}}\nattendees: []\n---\n")
    plan = adopt(root)
    assert plan.problems == ()
    assert (plan.config.people_dir, plan.config.journal_dir) == ("People", ".")
    assert [(i.date.isoformat(), i.path) for i in plan.vault.interactions] == [
        ("2026-01-10", "People/Ada Lovelace.md"), ("2026-03-01", "People/Ada Lovelace.md"),
        ("2026-05-02", "Meetings/Planning.md"), ("2026-06-10", "Daily/2026-06-10.md"),
        ("2026-06-11", "2026-06-11 walk.md")]
    assert [c.path for c in plan.vault.contacts] == ["People/Ada Lovelace.md"]  # read once


def test_adopt_refuses_a_vault_and_a_missing_folder(tmp_path):
    from netnotes.interop.adopt import AdoptRefused

    root = write_vault(tmp_path / "v", {})
    with pytest.raises(AdoptRefused, match="already a vault"):
        adopt(root)
    with pytest.raises(AdoptRefused, match="no such folder"):
        adopt(tmp_path / "nowhere")


def test_a_vault_in_our_own_names_needs_no_map(tmp_path):
    root = write_vault(tmp_path / "n", {
        "people/ada.md": "---\nname: Ada\ncompany: Acme\n---\n## Log\n- 2026-01-01 call\n",
        "journal/2026-02-01.md": "- lunch with [[ada]]\n"}, toml=None)
    plan = adopt(root)
    assert not plan.config.fields.active
    assert "[fields]" in plan.toml and "already use netnotes' names" in plan.toml
    assert len(plan.vault.interactions) == 2


def test_init_adopt_shows_the_plan_and_writes_after_yes(obsidian, run):
    said = run(None, "init", "--adopt", str(obsidian), input="y\n")
    assert said.exit_code == 0, said.output
    out = said.stdout
    assert "people   People/  (3 person notes found)" in out
    assert "name         <- first_name + last_name" in out
    assert "company      <- organization" in out
    assert "name         <- the first # heading, when a note has no name" in out
    assert "Found 2 contacts and 5 interactions; 0 errors, 1 warning." in out
    assert "Ada Lovelace — Mathematician, Analytical Engines  (People/Ada Lovelace.md, 4 " \
           "interactions)" in out
    assert "People/Person.md:1: warning: every field is empty" in out
    assert "Write netnotes.toml?" in said.stderr
    assert (obsidian / CONFIG_NAME).is_file()
    report = run(obsidian, "overdue", "--format", "json")
    assert report.exit_code == 0, report.output


def test_init_adopt_without_yes_writes_nothing(obsidian, run):
    before = snapshot(obsidian)
    for answer in ("n\n", ""):  # no, and no answer at all
        said = run(None, "init", "--adopt", str(obsidian), input=answer)
        assert said.exit_code == 1
        assert "Nothing written" in said.stderr
    assert snapshot(obsidian) == before and not (obsidian / ".netnotes").exists()


def test_init_adopt_yes_and_json(obsidian, run):
    dry = run(None, "init", "--adopt", str(obsidian), "--format", "json")
    assert dry.exit_code == 0, dry.output
    data = json.loads(dry.stdout)
    assert data["written"] is False and not (obsidian / CONFIG_NAME).exists()
    assert data["fields"]["company"] == ["organization"]
    assert [c["name"] for c in data["contacts"]] == ["Ada Lovelace", "Grace Hopper"]
    assert data["problems"][0]["code"] == "template"
    done = run(None, "init", "--adopt", str(obsidian), "--yes")
    assert done.exit_code == 0 and "Wrote" in done.stdout
    assert (obsidian / CONFIG_NAME).read_text() == data["netnotes_toml"]
    again = run(None, "init", "--adopt", str(obsidian), "--yes")
    assert again.exit_code == 1 and "already a vault" in again.stderr


def test_init_adopt_usage_errors(obsidian, run):
    assert run(None, "init", "x", "--adopt", str(obsidian)).exit_code == 2
    assert run(None, "init", "--yes").exit_code == 2


def test_control_characters_from_notes_are_shown_not_sent(tmp_path):
    """The preview shows a name with an escape sequence and a bell as every other output shows
    it (core.shown.visible): ``\\x1b``, never the escape itself; other letters as they are."""
    notes = tmp_path / "Notes"
    (notes / "People").mkdir(parents=True)
    (notes / "People" / "Ada.md").write_text(
        '---\nname: "Ada \\e[31mRed\\a"\ncompany: "Zoë Łukasz \\u202eAG"\n---\n', encoding="utf-8")
    text = describe(adopt(notes))
    assert "Ada \\x1b[31mRed\\x07" in text and "Zoë Łukasz \\u202eAG" in text
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text


# ---------------------------------------------------------------------------------------------
# Edits in the vault's own names, byte for byte


@pytest.fixture
def adopted(obsidian: Path) -> Path:
    adopt(obsidian, write=True)
    return obsidian


def _edit(run, root, *args):
    result = run(root, *args)
    assert result.exit_code == 0, result.output
    return result


def test_set_writes_their_key_and_nothing_else(adopted, run):
    path = adopted / "People/Ada Lovelace.md"
    before = path.read_bytes()
    _edit(run, adopted, "set", "Ada Lovelace", "company", "Difference Engines")
    _edit(run, adopted, "set", "Ada Lovelace", "role", "Countess")
    assert path.read_bytes() == before.replace(b"organization: Analytical Engines",
                                               b"organization: Difference Engines").replace(
        b"title: Mathematician", b"title: Countess")
    assert load_vault(adopted).by_id["Ada Lovelace"].company == "Difference Engines"


def test_a_one_value_key_stays_one_value(adopted, run):
    path = adopted / "People/Ada Lovelace.md"
    before = path.read_bytes()
    _edit(run, adopted, "set", "Ada Lovelace", "emails", "ada@engines.example")
    assert path.read_bytes() == before.replace(b"email: ada@example.org",
                                               b"email: ada@engines.example")


def test_set_and_unset_an_inline_field_in_place(adopted, run):
    path = adopted / "People/Grace Hopper.md"
    before = path.read_bytes()
    _edit(run, adopted, "set", "Grace Hopper", "role", "Commodore")
    assert path.read_bytes() == before.replace(b"- role:: Rear Admiral", b"- role:: Commodore")
    _edit(run, adopted, "unset", "Grace Hopper", "role")
    assert path.read_bytes() == before.replace(b"- role:: Rear Admiral\n", b"")


def test_a_name_in_parts_is_set_part_by_part(adopted, run):
    said = run(adopted, "set", "Ada Lovelace", "name", "Ada King")
    assert said.exit_code == 2
    assert "first_name + last_name" in said.stderr
    _edit(run, adopted, "set", "Ada Lovelace", "last_name", "King")
    assert load_vault(adopted).by_id["Ada Lovelace"].name == "Ada King"


def test_log_moves_their_last_contact_on_but_a_plan_does_not(adopted, run):
    path = adopted / "People/Ada Lovelace.md"
    before = path.read_bytes()
    _edit(run, adopted, "log", "Ada Lovelace", "--date", "2026-12-24", "dinner")  # a plan
    planned = path.read_bytes()
    assert b"last_contact:: 2026-03-01" in planned and b"- 2026-12-24 dinner" in planned
    _edit(run, adopted, "log", "Ada Lovelace", "--date", "2026-11-20", "call")
    now = path.read_bytes()
    assert now == planned.replace(b"last_contact:: 2026-03-01", b"last_contact:: 2026-11-20") \
        .replace(b"- 2026-12-24 dinner", b"- 2026-11-20 call\n- 2026-12-24 dinner")
    assert before.count(b"\n") + 2 == now.count(b"\n")


def test_snooze_in_an_adopted_vault(adopted, run):
    path = adopted / "People/Grace Hopper.md"
    before = path.read_bytes()
    _edit(run, adopted, "snooze", "Grace Hopper", "2027-01-15")
    assert path.read_bytes() == before.replace(b"organization: Navy\n",
                                               b"organization: Navy\nsnooze_until: 2027-01-15\n")


# ---------------------------------------------------------------------------------------------
# Real person notes from other tools


@pytest.mark.skipif(not REALWORLD.is_dir(),
                    reason="../shared/realworld (other tools' notes) is not beside this checkout")
def test_real_obsidian_person_notes_adopt(tmp_path):
    """A vault laid out as the hal_md tools lay it out: a person's folder with their note and
    a dated chat note that lists people by slug, and the Person template."""
    root = tmp_path / "vault"
    (root / "people/ada-lovelace").mkdir(parents=True)
    (root / "templates").mkdir()
    shutil.copy(REALWORLD / "markdown_person_note_ada-lovelace.md",
                root / "people/ada-lovelace/Ada Lovelace.md")
    shutil.copy(REALWORLD / "markdown_interaction_note_ada-lovelace_2024-03-01.md",
                root / "people/ada-lovelace/2024-03-01.md")
    shutil.copy(REALWORLD / "hal_md_Person_template.md", root / "templates/Person.md")
    shutil.copy(REALWORLD / "hal_md_Person_template.md", root / "people/Person.md")
    plan = adopt(root, write=True)
    assert plan.config.people_dir == "people"
    fields = dict(plan.config.fields.keys)
    assert fields["name"] == ("first_name", "last_name")
    assert fields["company"] == ("organizations",) and fields["role"] == ("title",)
    [ada] = plan.vault.contacts
    assert (ada.name, ada.company, ada.role, ada.location) == (
        "Ada Lovelace", "british-computer-society", "Mathematician, Writer", "London")
    assert str(ada.birthday) == "1815-12-10"
    # the chat note lists [ada-lovelace, alan-kay]: one interaction with Ada, at its date
    [chat] = plan.vault.interactions
    assert (chat.date.isoformat(), chat.people) == ("2024-03-01", ("Ada Lovelace",))
    codes = sorted((p.source.path, p.code) for p in plan.problems)
    assert codes == [("people/Person.md", "template"),
                     ("people/ada-lovelace/2024-03-01.md", "unknown-link")]
    assert load_vault(root).contacts == plan.vault.contacts


def test_add_writes_a_new_note_in_their_names(adopted, run):
    said = _edit(run, adopted, "add", "Alan Turing", "--company", "Bletchley Park",
                 "--email", "alan@example.org", "--tier", "close")
    assert said.stdout == "Created People/alan-turing.md\n"
    assert (adopted / "People/alan-turing.md").read_text() == (
        "---\nfirst_name: Alan\nlast_name: Turing\ntier: close\n"
        "organization: Bletchley Park\nemail: alan@example.org\n---\n\n## Log\n")
    alan = load_vault(adopted).by_id["alan-turing"]
    assert (alan.name, alan.company, alan.emails) == (
        "Alan Turing", "Bletchley Park", ("alan@example.org",))


def test_add_a_one_word_name_in_parts(adopted, run):
    _edit(run, adopted, "add", "Cher")
    assert "first_name: Cher\n" in (adopted / "People/cher.md").read_text()
    assert load_vault(adopted).by_id["cher"].name == "Cher"


def test_keys_as_the_vault_spells_them(tmp_path, run):
    """Capitals and spaces, as many Obsidian vaults write keys: proposed as spelled, read, and
    written back under the same spelling."""
    note = ("---\nFirst Name: Ada\nLast Name: Lovelace\nCompany: Analytical Engines\n---\n\n"
            "Last Contact:: 2026-03-01\n")
    root = write_vault(tmp_path / "n", {"People/Ada.md": note,
                                        "Meetings/m.md": "---\nDate: 2026-05-02\n"
                                                         "Attendees: [Ada]\n---\n"}, toml=None)
    plan = adopt(root, write=True)
    assert dict(plan.config.fields.keys) == {
        "name": ("First Name", "Last Name"), "company": ("Company",),
        "last_contact": ("Last Contact",), "people": ("Attendees",), "date": ("Date",)}
    [ada] = plan.vault.contacts
    assert (ada.name, ada.company) == ("Ada Lovelace", "Analytical Engines")
    assert [i.date.isoformat() for i in plan.vault.interactions] == ["2026-03-01", "2026-05-02"]
    _edit(run, root, "set", "Ada", "Last Name", "King")
    _edit(run, root, "set", "Ada", "company", "Difference Engines")
    assert (root / "People/Ada.md").read_text() == note.replace("Lovelace", "King").replace(
        "Analytical", "Difference")
    assert run(root, "set", "Ada", "bad key", "x").exit_code == 2  # not a key of the map


def test_git_setup_in_an_adopted_vault_covers_every_note(tmp_path, run):
    """A journal of "." is every note outside the people folder: the merge driver is set for
    all of them (a pattern `./**/*.md` would match none)."""
    import subprocess

    root = write_vault(tmp_path / "n", {"People/Ada Lovelace.md": ADA},
                       '[vault]\npeople = "People"\njournal = "."\n')
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    _edit(run, root, "git-setup")
    lines = (root / ".gitattributes").read_text().splitlines()
    assert lines == ["People/**/*.md merge=netnotes", "**/*.md merge=netnotes"]
