"""Introductions to make, on hand-built graphs whose right answer is argued in each docstring.

The value of a pair (docs/analysis.md) is (rarity + agenda) · bridge, with rarity the sum of
ln(N / n_t) over the topics the two share, agenda AGENDA_FIT + ln(N / n) for each agenda naming
the other, bridge 2 across groups of the graph and 1 inside one; only pairs worth more than
ln 4 are shown.
"""

from __future__ import annotations

import math

import pytest
from intel_helpers import build, met, person

from netnotes.analysis import Index
from netnotes.analysis.graph import contact_graph
from netnotes.analysis.network import FLOOR, communities, introductions


def _clique(prefix: str, field: str, interests: dict[int, tuple[str, ...]]) -> list:
    """Four people who all know each other and share a field: one tight group."""
    ids = [f"{prefix}{n}" for n in range(1, 5)]
    return [person(cid, field=field, interests=interests.get(n, ()),
                   knows=tuple(o for o in ids if o != cid))
            for n, cid in enumerate(ids, start=1)]


def _found(vault):
    return introductions(vault, contact_graph(vault), Index(vault))


def _two_cliques(a: dict[int, tuple[str, ...]], c: dict[int, tuple[str, ...]]):
    return _clique("a", "engineering", a) + _clique("c", "local council", c)


def test_the_only_two_beekeepers_in_two_cliques_are_the_introduction():
    """Two cliques of four (engineers at one firm, people at the local council), no tie between
    them.  Six of the eight hike: hiking says little about anyone, ln(8/6) = 0.29.  Only a1 and
    c3 keep bees: ln(8/2) = ln 4 = 1.39.  a3, a4, c2 and c4 run (half the vault): ln 2 = 0.69.

    a1–c3 share beekeeping and hiking: (1.39 + 0.29) · 2 (different groups) = 3.35, far above
    the floor of ln 4 = 1.39: the introduction worth making.
    a3–c2 (running + hiking) = (0.69 + 0.29) · 2 = 1.95: above the floor too, but worth less.
    a3–c4, a4–c2, a4–c4 share running alone: 0.69 · 2 = 1.39, not more than the floor: a topic
    half the vault has does not make an introduction.  a1–c1 (hiking alone) = 0.58: nothing.
    Inside a clique everyone is already tied: nothing to suggest."""
    hike = ("hiking",)
    vault = build(_two_cliques({1: ("beekeeping", *hike), 2: hike, 3: ("running", *hike),
                                4: ("running",)},
                               {1: hike, 2: ("running", *hike), 3: ("beekeeping", *hike),
                                4: ("running",)}))
    found = _found(vault)
    assert [(i.a, i.b) for i in found] == [("a1", "c3"), ("a3", "c2")]
    best = found[0]
    assert best.score == pytest.approx(2 * (math.log(4) + math.log(8 / 6)), abs=1e-3)
    assert best.bridge and best.agenda == 0
    assert best.reasons == ("the only two of 8 into beekeeping", "both into hiking (6 of 8)",
                            "different circles: engineering / local council")
    assert found[1].score == pytest.approx(2 * (math.log(2) + math.log(8 / 6)), abs=1e-3)


def test_an_honest_none_when_nothing_shared_is_rare():
    """The same two cliques, but everyone hikes (ln(8/8) = 0: says nothing) and six of eight
    like coffee (ln(8/6) = 0.29; across groups 0.58 < ln 4).  No agendas.  No pair is worth an
    introduction, so none is suggested — not the least bad one."""
    both = ("hiking", "coffee")
    vault = build(_two_cliques({1: both, 2: both, 3: both, 4: ("hiking",)},
                               {1: both, 2: both, 3: both, 4: ("hiking",)}))
    assert _found(vault) == ()


def test_a_pair_already_introduced_is_not_suggested_again():
    """The beekeepers of the first test, after a log line ``intro`` (or ``#intro``) naming both:
    they have been introduced, so the one introduction worth making is gone — and nothing weaker
    takes its place."""
    bees = _two_cliques({1: ("beekeeping",)}, {3: ("beekeeping",)})
    assert [(i.a, i.b) for i in _found(build(bees))] == [("a1", "c3")]
    for line in (met(("a1", "c3"), 30, "intro"),
                 met(("a1", "c3"), 30, None, text="told them to talk #intro")):
        if line.kind is None:
            line = line._replace(tags=("intro",))
        assert _found(build(bees, [line])) == ()


def test_bridging_two_groups_is_worth_more_than_a_pair_inside_one():
    """Group X: x1..x4 tied in a chain with chords (every pair but x1–x4), so label propagation
    keeps them one group; group Y: a clique of four.  x1 and x4 share sailing, x1 and y2 share
    pottery, each topic held by exactly those two of 8 (ln 4 = 1.39 each).

    Burt: x1–x4 would close a hole inside a group whose members already reach each other
    through x2 and x3 (value 1.39 · 1, not more than the floor: not shown); x1–y2 spans a hole
    between two groups (1.39 · 2 = 2.77): the one worth making."""
    xs = [person("x1", field="design", interests=("sailing", "pottery"), knows=("x2", "x3")),
          person("x2", field="design", knows=("x3", "x4")),
          person("x3", field="design", knows=("x4",)),
          person("x4", field="design", interests=("sailing",))]
    ys = _clique("y", "finance", {2: ("pottery",)})
    vault = build(xs + ys)
    groups = {c.members for c in communities(vault, contact_graph(vault))}
    assert groups == {("x1", "x2", "x3", "x4"), ("y1", "y2", "y3", "y4")}
    found = _found(vault)
    assert [(i.a, i.b, i.bridge) for i in found] == [("x1", "y2", True)]
    assert found[0].score == pytest.approx(2 * math.log(4), abs=1e-3)
    assert found[0].reasons[-1] == "different circles: design / finance"


def test_agenda_fit_weighs_how_rare_the_help_is():
    """Ada's agenda names climate tech; Gus and Old have it as their field (Old is archived:
    never suggested, but still one of the vault's N = 6).  Agenda fit: 1 + ln(6/2) = 2.10,
    both on their own (no ties): · 2 = 4.20.  Bo and Cy share chess (3 of 6, ln 2) and go (2 of
    6, ln 3): (0.69 + 1.10) · 2 = 3.58 (Bo's group with Dee, Cy alone).  Cy and Dee share chess
    alone: 0.69 · 2 = 1.39, not more than the floor.  Dee knows Bo: never suggested."""
    vault = build([person("ada", agenda="raise money for a climate tech startup"),
                   person("gus", field="climate tech"),
                   person("bo", interests=("chess", "go", "jazz")),
                   person("cy", interests=("chess", "go")),
                   person("dee", interests=("chess",), knows=("bo",)),
                   person("old", tier="archive", field="climate tech")])
    found = _found(vault)
    assert [(i.a, i.b, i.score) for i in found] == [
        ("ada", "gus", round(2 * (1 + math.log(3)), 3)),
        ("bo", "cy", round(2 * (math.log(2) + math.log(3)), 3))]
    assert found[0].reasons[0] == ("Ada's agenda (raise money for a climate tech startup) fits "
                                   "Gus's field climate tech")
    assert found[1].reasons[:2] == ("both into chess (3 of 6)", "the only two of 6 into go")
    assert FLOOR == pytest.approx(math.log(4))


def test_one_agenda_does_not_fill_the_list():
    """Ten software people, none tied, and one agenda that needs software: every one of them fits
    equally, but the list shows at most two introductions for one person, so the other pairs
    (here, two rare shared interests) are not crowded out."""
    devs = [person(f"dev{n}", field="software") for n in range(10)]
    vault = build([person("pia", agenda="needs a software partner"), *devs,
                   person("ann", interests=("beekeeping",)),
                   person("ben", interests=("beekeeping",))])
    found = _found(vault)
    assert sum(1 for i in found if "pia" in (i.a, i.b)) == 2
    assert ("ann", "ben") in [(i.a, i.b) for i in found]


def test_the_example_vault_suggests_a_rare_interest_across_groups(run, example_vault):
    """The demo vault's report: Mira Castellanos and Tobias Brandt are the only two of 30 who
    sail, and sit in different groups (around Jonas Weber / around Greta Vogel)."""
    import json

    data = json.loads(run(example_vault, "report", "--format", "json").stdout)
    pairs = {(i["a"]["id"], i["b"]["id"]): i for i in data["network"]["introductions"]}
    sail = pairs[("mira-castellanos", "tobias-brandt")]
    assert sail["bridge"] is True
    assert "the only two of 30 into sailing" in sail["reasons"]
    assert sail["reasons"][-1].startswith("different circles: ")
