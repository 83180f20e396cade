"""Reasons never by accident: what an agenda says, matched as whole words and phrases with light
stemming, no stop words, and nothing a negation rules out — a table of near-misses that must not
match and of matches that must."""

from __future__ import annotations

import pytest
from conftest import note
from intel_helpers import build, person

from netnotes.analysis import Index
from netnotes.analysis.words import key, says, stem

# (what the agenda says, what someone offers): each looks close, none is a match.
NEAR_MISSES = [
    ("cleaning up our metadata standards", "data"),  # a word inside a word
    ("moving everything to a new datastore", "data"),
    ("rewriting the frontend in javascript", "java"),
    ("teaching cartography to teenagers", "art"),
    ("a rebranding of the co-op", "brand"),
    ("grantwriting for a small charity", "grant"),
    ("refactoring pythonic code", "python"),
    ("wants to make it happen by spring", "IT"),  # a stop word is no field
    ("meeting the people in charge of the council", "The"),  # an offer of stop words only
    ("not looking for investors this year", "investors"),  # negations
    ("no funding needed, just advice", "funding"),
    ("never wants design work again", "design"),
    ("finishing the book without a publisher", "publisher"),
    ("don't need a lawyer any more", "lawyer"),
    ("isn't after mentoring", "mentor"),
    ("no longer hiring engineers", "engineers"),
    ("looking into climate policy", "climate tech"),  # half a phrase
    ("tech for climate adaptation", "climate tech"),  # the words, but not the phrase
    ("climate, tech and policy", "climate tech"),  # a phrase never runs across a comma
    ("running a bakery in Porto", "running"),  # the agenda's opening verb
    ("reading science fiction", "data science"),
]

# (what the agenda says, what someone offers): each must match.
MATCHES = [
    ("looking for a mentor", "mentoring"),  # light stemming, both ways
    ("wants mentors for a new cohort", "mentor"),
    ("starting a mentoring circle", "mentors"),
    ("needs data for a heat map", "data"),
    ("applying for a grant, needs a software partner", "software"),
    ("funding Open-Source maintainers", "open source"),  # punctuation and case
    ("meeting climate-tech investors", "climate tech"),
    ("talking to companies in Lisbon", "company"),  # -ies
    ("investors wanted for a seed round", "investor"),
    ("lobbying for urban cycling lanes", "urban cycling"),
    ("not a designer, but needs engineering help", "engineering"),  # negation ends at "but"
    ("no budget; needs a lawyer", "lawyer"),  # … and at a clause's end
    ("publishing DATA VISUALISATION guides", "data visualisation"),
    ("opening an office for Zürich startups", "Zurich"),  # accents
    ("planning workshops on typography", "typography"),
    ("shipping embedded systems for bikes", "embedded systems"),
    ("campaigning for heat-pump subsidies", "heat pump subsidy"),
    ("hiring engineers", "engineer"),
    ("wants funding; not hiring", "funding"),
    ("looking for design partners", "design"),
]


@pytest.mark.parametrize(("agenda", "offer"), NEAR_MISSES)
def test_near_misses_never_match(agenda, offer):
    assert not says(agenda, offer)


@pytest.mark.parametrize(("agenda", "offer"), MATCHES)
def test_whole_words_and_phrases_match(agenda, offer):
    assert says(agenda, offer)


def test_the_tables_are_big_enough():
    assert len(NEAR_MISSES) >= 15 and len(MATCHES) >= 15


def test_light_stemming_keeps_different_words_apart():
    assert {stem(w) for w in ("mentor", "mentors", "mentoring", "mentored")} == {"mentor"}
    assert stem("news") == "news" and stem("analysis") == "analysis"
    assert stem("running") == "run" and stem("data") == "data"
    assert key("Open-Source") == key("open source") and key("the") == ""


def test_index_helpers_and_shared_topics_use_the_same_rules():
    """An agenda names a contact only by the rules above; and "open source" in one note is
    "Open-Source" in another (one topic, not two)."""
    vault = build([person("ada", agenda="not looking for investors; needs mentoring"),
                   person("ivo", field="investors"),
                   person("meg", interests=("mentor",)),
                   person("bo", interests=("Open-Source",)),
                   person("cy", interests=("open source",))])
    index = Index(vault)
    assert [h.id for h in index.helpers(vault.by_id["ada"])] == ["meg"]
    assert index.shared("bo", "cy") == ["Open-Source"]


# --- #gave / #got on a line naming several people ------------------------------------------------

def _gave_got(vault_root):
    from conftest import TODAY

    from netnotes.analysis import contact_status
    from netnotes.store import load_vault

    v = load_vault(vault_root, use_cache=False)
    return {c.id: (s.gave_12m, s.got_12m, s.turn)
            for c in v.contacts for s in [contact_status(v, c, TODAY)]}


def test_gave_on_a_line_with_several_people_counts_once(vault):
    """A #gave on a line naming three people is one favour, not three.  In a person's note it
    counts for the note's contact; in the journal for the first person linked; ``#gave [[who]]``
    names the one it counts for.  The others' give-and-take and turn are left alone."""
    root = vault({
        "people/ada.md": note("Ada", ["2026-10-01 lunch with [[bo]] and [[cy]] #gave",
                                      "2026-10-02 call with [[bo]] #got [[bo]]"]),
        "people/bo.md": note("Bo"),
        "people/cy.md": note("Cy"),
        "people/dee.md": note("Dee"),
        "journal/2026-10-05.md": "- dinner with [[dee]] and [[cy]] #gave\n",
    })
    assert _gave_got(root) == {"ada": (1, 0, "theirs"), "bo": (0, 1, "yours"),
                               "cy": (0, 0, None), "dee": (1, 0, "theirs")}


def test_the_report_total_counts_a_shared_line_once(run, vault):
    import json

    root = vault({"people/ada.md": note("Ada", ["2026-10-01 lunch with [[bo]] and [[cy]] #gave"]),
                  "people/bo.md": note("Bo"), "people/cy.md": note("Cy")})
    data = json.loads(run(root, "report", "--format", "json").stdout)
    assert data["network"]["gave_12m"] == 1
    assert sum(c["relationship"]["reciprocity"]["gave"] for c in data["contacts"]) == 1
