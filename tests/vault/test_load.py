"""Finding the vault and reading notes into the model."""

from __future__ import annotations

import pytest
from conftest import REALWORLD, note

from netnotes import load_vault
from netnotes.core import VaultNotFound
from netnotes.vault import find_vault


def test_vault_found_by_option_then_env_then_walking_up(tmp_path, vault):
    root = vault({})
    deep = root / "people" / "sub"
    deep.mkdir(parents=True)
    assert find_vault(None, env={}, cwd=deep) == root.resolve()
    assert find_vault(None, env={"NETNOTES_VAULT": str(root)}, cwd=tmp_path) == root.resolve()
    assert find_vault(str(root), env={"NETNOTES_VAULT": "/nowhere"}, cwd=tmp_path) == \
        root.resolve()
    with pytest.raises(VaultNotFound, match="netnotes init"):
        find_vault(None, env={}, cwd=tmp_path)
    with pytest.raises(VaultNotFound, match="no netnotes.toml there"):
        find_vault(str(tmp_path), env={}, cwd=tmp_path)


def test_all_fields_are_read(vault):
    root = vault({"people/ada-lovelace.md": """\
---
name: Ada Lovelace   # the countess
aliases: [Ada, Countess of Lovelace]
tier: critical
cadence: 2 months
snooze_until: 2026-12-01
company: Analytical Engines
role: Head of Research
field: mathematics
location: London
emails: ada@example.org
phones: ["+44 20 0000 0000"]
links: [https://example.org/ada]
tags: [mentor, math]
interests:
  - poetry
  - computing
agenda: publish her notes
birthday: --12-10
met: 2019-05-02
met_via: conference
introduced_by: [[charles-babbage]]
knows: ["[[charles-babbage]]"]
coffee_order: flat white
country: NO
zip: 012345
---
Body.
""", "people/charles-babbage.md": note("Charles Babbage")})
    v = load_vault(root)
    assert [p for p in v.problems if p.severity == "error"] == []
    ada = v.by_id["ada-lovelace"]
    assert ada.name == "Ada Lovelace"
    assert ada.aliases == ("Ada", "Countess of Lovelace")
    assert (ada.tier, str(ada.cadence), ada.cadence_from_note) == ("critical", "2 months", True)
    assert ada.emails == ("ada@example.org",)
    assert ada.interests == ("poetry", "computing")
    assert str(ada.birthday) == "--12-10"
    assert ada.met_how == "conference"
    # an unquoted [[id]] is a list in a list for YAML; it still means the link
    assert ada.introduced_by == "charles-babbage"
    assert ada.knows == ("charles-babbage",)
    # unknown keys are kept as written, and YAML 1.1 surprises do not happen
    assert ada.extra == {"coffee_order": "flat white", "country": "NO", "zip": "012345"}


def test_bad_values_are_problems_at_their_line_and_the_contact_stays(vault):
    root = vault({"people/g.md": "---\nname: Grace\ncadence: banana\nbirthday: 2026-02-30\n"
                                 "tier: vip\ncadance: 3 months\n---\n"})
    v = load_vault(root)
    assert "g" in v.by_id
    got = [str(p) for p in v.problems]
    assert got == [
        'people/g.md:3:10: error: cadence: "banana" is not a duration — use e.g. "3 weeks", '
        '"4 months" or "90d"',
        'people/g.md:4:11: error: birthday: "2026-02-30" is not a real date (day is out of range '
        'for month) — check the day and month',
        "people/g.md:5:1: error: tier 'vip' is not defined in netnotes.toml — use one of: "
        "critical, close, network, archive",
        "people/g.md:6:1: warning: unknown key 'cadance': did you mean 'cadence'? — rename it "
        "to cadence, or keep it as your own field",
    ]


def test_crlf_bom_and_log_sections(vault):
    text = ("\ufeff---\r\nname: Zoë\r\n---\r\n- 2026-01-01 call before any heading\r\n"
            "## Life events\r\n- 1990-01-01 born\r\n## Log\r\n* 2026-02-01 coffee #gave\r\n"
            "```\r\n- 2026-03-01 inside a code block\r\n```\r\n")
    root = vault({"people/zoe.md": text.encode("utf-8")})
    v = load_vault(root)
    lines = [(i.date.isoformat(), i.source.line, i.kind, i.gave) for i in v.interactions]
    assert lines == [("2026-01-01", 4, "call", False), ("2026-02-01", 8, "coffee", True)]


def test_real_person_notes_from_other_tools_are_read():
    realworld = REALWORLD
    if not realworld.is_dir():
        pytest.skip("../shared/realworld is not beside this checkout (only in the team's setup)")
    from netnotes.core import Config
    from netnotes.vault import NoteFile, read_note

    path = realworld / "markdown_person_note_ada-lovelace.md"
    rec = read_note(path.read_bytes(), NoteFile(path, "people/ada-lovelace.md", "person"),
                    Config())
    assert rec.contact is not None and rec.contact.name == "Ada Lovelace"
    assert rec.contact.interests == ("computer science", "algorithm")
    # "Life Events" is not a log section: a birth date is not a coffee
    assert rec.lines == ()


def test_interactions_grouped_while_loading_are_the_vaults_own_order(vault):
    """assemble groups each contact's and each note's interactions as it makes them; the
    groups are exactly what grouping the date-sorted whole gives (same items, same order),
    with journal lines, lines linking others, same-day lines and notes out of date order."""
    import dataclasses
    import random

    from conftest import EXAMPLE

    rng = random.Random(7)
    people = [f"p{i}" for i in range(8)]
    files = {}
    for p in people:
        lines = [f"2026-0{rng.randint(1, 9)}-{rng.randint(10, 28)} call"
                 + "".join(f" [[{o}]]" for o in rng.sample(people, rng.randint(0, 2)))
                 for _ in range(rng.randint(0, 6))]
        files[f"people/{p}.md"] = note(p.upper(), lines)
    files["journal/2026-03-01.md"] = "# Day\n\n- call with [[p1]] and [[p2]]\n- lunch [[p3]]\n"
    mine = vault(files)
    for root in (mine, EXAMPLE):
        v = load_vault(root, use_cache=False)
        assert v.grouped is not None
        plain = dataclasses.replace(v, grouped=None)
        ids = {pid for it in v.interactions for pid in it.people}
        assert ids and all(v.interactions_of(i) == plain.interactions_of(i) for i in ids)
        assert v.note_paths == plain.note_paths
        assert all(v.interactions_in(p) == plain.interactions_in(p) for p in v.note_paths)


def test_links_to_a_note_skipped_for_a_conflict_wait_for_it_quietly(vault, run):
    """During a merge conflict in Maya's front matter her note is skipped. The notes that link
    her name someone who exists: check says once that her note is skipped for the conflict, and
    no "does not name a contact" for each link, whether the answer is read afresh or from what
    an earlier run remembered."""
    conflicted = ("---\n<<<<<<< HEAD\nname: Maya Chen\n=======\nname: Maya Chén\n>>>>>>> theirs\n"
                  "---\n")
    root = vault({
        "people/maya-chen.md": note("Maya Chen"),
        "people/ola.md": note("Ola Berg", ["2026-03-01 coffee with [[maya-chen]]",
                                           "2026-03-02 call with [[Maya Chen]]"],
                              knows="[[maya-chen]]"),
        "journal/2026-03-04.md": "- lunch with [[maya-chen]] and [[ola]]\n",
    })
    assert run(root, "report").exit_code == 0  # remembered before the conflict
    (root / "people/maya-chen.md").write_text(conflicted)
    for _ in range(2):  # afresh, then as remembered
        out = run(root, "check").stdout
        assert "does not name a contact" not in out
        assert out.count("skipped: unresolved conflict") == 1
        assert "people/maya-chen.md:2: warning: skipped: unresolved conflict" in out
        run(root, "report")
    (root / "journal/2026-03-04.md").write_text("- lunch with [[nobody-yet]]\n")
    out = run(root, "check").stdout  # a link to no note at all is still named
    assert "[[nobody-yet]] does not name a contact" in out


def test_a_load_that_lets_go_of_the_records_reads_the_same_vault(example_vault):
    """load_vault lets assemble empty the records as it reads them (so a record is freed once
    its interactions are made); watch keeps its records.  Both give the same vault."""
    from netnotes.vault import assemble, list_notes, load_config, read_one

    config, problems = load_config(example_vault)
    notes, listed = list_notes(example_vault, config)
    records = [read_one(n, config)[0] for n in notes]
    kept = assemble(example_vault, config, records, problems + listed)
    given = list(records)
    freed = assemble(example_vault, config, given, problems + listed, consume=True)
    assert given == [] and len(records) == len(notes)
    assert freed == kept and freed.notes_read == len(notes)
    assert freed.grouped == kept.grouped
    assert [c.key_lines for c in freed.contacts] == [c.key_lines for c in kept.contacts]
