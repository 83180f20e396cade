"""`--redact`: reports, `overdue`, `show` and every export hold only what is asked — names as
initials, no emails, phones, addresses, birthdays, free-text notes or log text; the figures stay.

Checked on the example vault, every format, HTML included: no contact's name, email, phone,
location, note path or log line appears anywhere in a redacted output."""

from __future__ import annotations

import json
import re

import pytest

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
                  c.path, *(str(x) for x in c.extra.values())}
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
