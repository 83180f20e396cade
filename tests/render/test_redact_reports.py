"""`--redact`: reports, `overdue`, `show` and every export hold only what is asked — names as
initials, no company, role, emails, phones, addresses, birthdays, free-text notes or log text;
the figures stay.

Checked on the example vault, every format, HTML included: no contact's name, email, phone,
location, company, role, note path or log line appears anywhere in a redacted output."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netnotes.render import initials, pseudonym
from netnotes.store import load_vault

REPORTS = [("report",), ("report", "--format", "markdown"), ("report", "--format", "html"),
           ("report", "--format", "json"), ("overdue",), ("overdue", "--format", "json"),
           ("show", "mira-castellanos"), ("show", "mira-castellanos", "--format", "json"),
           ("export", "vcard"), ("export", "ics"), ("export", "csv"), ("export", "json")]


@pytest.fixture(scope="module")
def secrets(example_vault):
    """Every piece of the example vault a redacted output must not show."""
    vault = load_vault(example_vault, use_cache=False)
    found: set[str] = {vault.config.me.name}
    for c in vault.contacts:
        found |= {c.name, *c.aliases, *c.emails, *c.phones, c.location, c.agenda, c.met_how,
                  c.company, c.role, c.path, *(str(x) for x in c.extra.values())}
        found |= {str(c.birthday)} if c.birthday else set()
        for i in vault.interactions_of(c.id):
            found.add(i.text)
    # Pieces long enough to be unmistakable (a log line's text, a name, an address…).
    return sorted(s for s in found if len(s) >= 6 and not re.fullmatch(r"[\w-]+", s))


@pytest.mark.parametrize("args", REPORTS, ids=" ".join)
def test_a_redacted_output_holds_no_name_contact_detail_or_text(example_vault, run, secrets,
                                                                args):
    result = run(example_vault, *args, "--redact")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.strip()
    leaked = [s for s in secrets if s in out]
    assert leaked == []
    assert "people/" not in out
    assert not re.search(r"[\w.+-]+@(?!netnotes\b)[\w-]+\.", out)  # no email address
    ids = [p.stem for p in (example_vault / "people").glob("*.md")]
    assert [i for i in ids if re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", out)] == []


def test_names_become_initials_and_the_figures_stay(example_vault, run):
    plain = json.loads(run(example_vault, "report", "--format", "json").stdout)
    red = json.loads(run(example_vault, "report", "--format", "json", "--redact").stdout)
    assert [c["name"] for c in red["contacts"]] == [initials(c["name"])
                                                    for c in plain["contacts"]]
    assert [c["id"] for c in red["contacts"]] == [pseudonym(c["id"]) for c in plain["contacts"]]
    for key in ("strength", "tier", "interactions_12m", "gave_12m", "got_12m", "due",
                "days_overdue", "trend"):
        assert [c[key] for c in red["contacts"]] == [c[key] for c in plain["contacts"]], key
    assert red["network"]["contacts"] == plain["network"]["contacts"]
    assert red["network"]["graph"]["edges"] == plain["network"]["graph"]["edges"]
    for c in red["contacts"]:
        assert c["last_contact"] is None or c["last_contact"]["text"] == \
            c["last_contact"]["kind"]


def test_html_redacted_keeps_its_links_inside_the_page(example_vault, run):
    page = run(example_vault, "report", "--format", "html", "--redact").stdout
    hrefs = re.findall(r'href="([^"]*)"', page)
    assert hrefs and all(h.startswith("#") for h in hrefs)
    assert f'id="c-{pseudonym("mira-castellanos")}"' in page


def test_show_redacted_drops_every_free_field(example_vault, run):
    data = json.loads(run(example_vault, "show", "mira-castellanos", "--format", "json",
                          "--redact").stdout)
    assert data["name"] == "M. C."
    assert data["extra"] == {} and data["problems"] == []
    assert set(data["fields"]) <= {"field", "tags", "interests", "cadence", "snooze_until", "met"}
    assert all(h["text"] == h["kind"] for h in data["history"])


ADA = """\
---
name: Ada Lovelace
tier: close
company: Analytical Engines
role: Mathematician
field: mathematics
tags: [poetry]
interests: [looms]
location: London
---

## Log
- 2026-10-01 coffee about the engine
"""


def test_exports_and_reports_redact_by_one_rule(vault, run):
    """Sam shares a redacted report and a redacted spreadsheet of the same people: both keep
    Ada's field, tags and interests and her figures, and neither shows her company or role
    (docs/privacy.md: company and role identify a person in a small network as surely as a
    name).  What a redacted contact keeps is one list, so an export cannot keep what a report
    drops."""
    root = vault({"people/ada-lovelace.md": ADA})
    outputs = {" ".join(args): run(root, *args, "--redact").stdout for args in (
        ("report", "--format", "json"), ("show", "ada", "--format", "json"),
        ("export", "csv"), ("export", "json"), ("export", "vcard"), ("report",))}
    for what, out in outputs.items():
        assert "Analytical" not in out and "Mathematician" not in out, what
        assert "London" not in out and "engine" not in out, what
    row = json.loads(outputs["report --format json"])["contacts"][0]
    exported = json.loads(outputs["export json"])["contacts"][0]
    shown = json.loads(outputs["show ada --format json"])
    assert row["company"] == row["role"] == exported["company"] == exported["role"] == ""
    assert row["field"] == exported["field"] == shown["fields"]["field"] == "mathematics"
    assert exported["tags"] == shown["fields"]["tags"] == ["poetry"]
    assert exported["interests"] == shown["fields"]["interests"] == ["looms"]
    assert exported["strength"] == row["strength"] and exported["name"] == row["name"] == "A. L."


def test_a_redacted_contact_keeps_only_the_kept_fields(vault):
    """Every field of a contact that is not in the rule's KEPT list is dropped, a field added
    to the model later too: private unless the rule says otherwise."""
    import dataclasses

    from netnotes.render.redact import KEPT, redact_contact

    full = ADA.replace("---\n\n", "emails: [ada@example.org]\nphones: ['+44 20 7946 0018']\n"
                       "links: [https://example.org/ada]\naliases: [Countess]\n"
                       "birthday: 1815-12-10\nmet: 2026-01-05\nmet_via: at a lecture\n"
                       "agenda: the engine\nintroduced_by: '[[charles]]'\n"
                       "knows: ['[[charles]]']\nsnooze_until: 2026-12-01\nown_key: mine\n"
                       "---\n\n", 1)
    root = vault({"people/ada-lovelace.md": full,
                  "people/charles.md": "---\nname: Charles Babbage\n---\n"})
    contact = load_vault(root, use_cache=False).by_id["ada-lovelace"]
    red = redact_contact(contact)
    for f in dataclasses.fields(contact):
        before, after = getattr(contact, f.name), getattr(red, f.name)
        if f.name in KEPT:
            assert after == before, f.name
        elif f.name not in ("id", "name", "path"):
            assert not after, (f.name, after)
            assert before or f.name in ("history", "key_lines"), f.name  # each one tried
    assert (red.name, red.id, red.path) == ("A. L.", pseudonym("ada-lovelace"),
                                            f"{pseudonym('ada-lovelace')}.md")


NAMES = {"ada-lovelace": "Ada Lovelace", "ada": "Ada", "zoe-marchetti": "Zoë Marchetti",
         "obrien": "(O'Brien)", "li": "Li"}


def test_a_name_or_id_inside_any_text_is_redacted_where_it_stands_as_a_word():
    from netnotes.render.redact import Redactor

    r = Redactor(NAMES | {"q": "???"}, owner="Sam Okafor")  # a name without a letter too
    assert r.text("met Ada Lovelace, then ada-lovelace.") == \
        f"met A. L., then {pseudonym('ada-lovelace')}."
    assert r.text("xAda Lovelace and Lilly") == "xAda Lovelace and Lilly"  # not as a word
    assert r.text("with (O'Brien), ??? and Zoë Marchetti; Sam Okafor") == \
        "with ?, ? and Z. M.; S. O."
    assert r.text("2026-11-22") == "2026-11-22"
    r = Redactor(NAMES, owner="Sam Okafor")
    assert r.text("Ada met Li") == "A. met L."
    assert r.text("(O'Brien)") == "?" and r.text("Adam Lim") == "Adam Lim"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*NAMES, *NAMES.values(), "Sam Okafor", "x", "_", "-", " ",
                                 ",", "(", "'", "é", "Lovel", "ace", "2026"]), max_size=12))
def test_the_quick_look_for_names_changes_no_answer(pieces):
    """Redactor.text looks for a name or an id only in strings that hold one's first word;
    whatever the string, that gives what searching every string for every name gives."""
    from netnotes.render.redact import Redactor

    r = Redactor(NAMES, owner="Sam Okafor")
    text = "".join(pieces)
    searched = text if text in r.ids else r._any.sub(
        lambda m: r.initials.get(m.group()) or r.ids[m.group()], text)
    assert r.text(text) == (r.ids[text] if text in r.ids else searched)
