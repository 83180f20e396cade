"""Network measures on hand-built vaults and on the published example graph, answers worked out
in each test."""

from __future__ import annotations

import math

import pytest
from intel_helpers import TODAY, build, met, person

from netnotes.analysis import vault_facts
from netnotes.analysis.figures import critical_few, tier_suggestions
from netnotes.analysis.graph import contact_graph
from netnotes.analysis.network import (
    OWNER,
    Ties,
    brokers,
    clusters,
    communities,
    diversity,
    ego_network,
    spread,
)
from netnotes.analysis.status import introductions_made
from netnotes.core.config import Me
from netnotes.render.report import report_data

# Borgatti, "Structural holes: unpacking Burt's redundancy measures", Connections 20(1), 1997:
# the example ego network of G, with the tie strengths of its weighted version.  The expected
# values are the published ones (also used by networkx's own tests, computed with UCINET).
BORGATTI = [("A", "B", 2), ("A", "F", 3), ("A", "G", 5), ("A", "E", 2), ("E", "G", 8),
            ("F", "G", 3), ("B", "G", 4), ("B", "D", 1), ("D", "G", 3), ("G", "C", 10)]


def _undirected(edges, weighted: bool) -> dict[str, dict[str, float]]:
    g: dict[str, dict[str, float]] = {}
    for a, b, w in edges:
        g.setdefault(a, {})[b] = w if weighted else 1.0
        g.setdefault(b, {})[a] = w if weighted else 1.0
    return g


def test_burt_constraint_matches_the_published_example():
    t = Ties(_undirected(BORGATTI, weighted=False))
    assert t.constraint("G") == pytest.approx(0.400, abs=1e-3)
    assert t.constraint("A") == pytest.approx(0.595, abs=1e-3)
    assert t.constraint("C") == pytest.approx(1.0)
    assert t.effective_size("G") == pytest.approx(4.67, abs=1e-2)
    assert t.effective_size("A") == pytest.approx(2.50, abs=1e-2)
    w = Ties(_undirected(BORGATTI, weighted=True))
    assert w.constraint("G") == pytest.approx(0.299, abs=1e-3)
    assert w.constraint("A") == pytest.approx(0.795, abs=1e-3)
    assert w.constraint("C") == pytest.approx(1.0)


def test_burt_constraint_by_hand():
    # Star: ego invests 1/3 in each of three strangers: C = 3 · (1/3)² = 1/3.
    star = Ties({"e": {"a": 1, "b": 1, "c": 1}, "a": {"e": 1}, "b": {"e": 1}, "c": {"e": 1}})
    assert star.constraint("e") == pytest.approx(1 / 3)
    # Triangle: p = 1/2 everywhere; indirect 1/2 · 1/2 = 1/4: C = 2 · (1/2 + 1/4)² = 9/8.
    tri = Ties(_undirected([("e", "a", 1), ("e", "b", 1), ("a", "b", 1)], weighted=False))
    assert tri.constraint("e") == pytest.approx(9 / 8)
    # Directed, weighted (networkx's test graph): mutual weights make 0 → 1 count 2 + 1 = 3.
    d = Ties({0: {1: 2, 2: 2}, 1: {0: 1}, 2: {1: 1}})
    assert d.constraint(0) == pytest.approx(0.840, abs=1e-3)
    assert d.constraint(2) == pytest.approx(1.378, abs=1e-3)
    assert Ties({"lonely": {}}).constraint("lonely") is None


def test_graph_edges_come_from_knows_introductions_and_lines_naming_two_people():
    ada = person("ada", knows=("bob",))
    bob = person("bob", introduced_by="cy")
    cy = person("cy")
    dee = person("dee")
    eve = person("eve")
    vault = build([ada, bob, cy, dee, eve],
                  [met(("dee", "eve"), 10, "dinner"), met(("dee", "eve", "cy"), 20, "event"),
                   met("ada", 5)])
    g = contact_graph(vault)
    assert dict(g.via) == {("ada", "bob"): ("knows",), ("bob", "cy"): ("introduced_by",),
                           ("cy", "dee"): ("together",), ("cy", "eve"): ("together",),
                           ("dee", "eve"): ("together",)}
    assert g.tied("eve", "dee") and not g.tied("ada", "cy")


def test_ego_network_brokers_and_clusters():
    # a — b — c   d — e   f (alone);  the owner is tied to all six
    vault = build([person(i) for i in "abcdef"],
                  [met(("a", "b"), 1), met(("b", "c"), 1), met(("d", "e"), 1)])
    g = contact_graph(vault)
    ego = ego_network(vault, g)
    # 6 alters, 3 ties among them; density 3 / 15 = 0.2; effective size 6 − 2·3/6 = 5
    assert (ego.alters, ego.ties_among, ego.density, ego.effective_size) == (6, 3, 0.2, 5.0)
    # owner → each alter p = 1/6.  For alter b (ties to owner, a, c) p_b· = 1/3, for a, c, d, e
    # (two ties each) 1/2, for f 1.  Indirect owner→a via b: 1/6 · 1/3 = 1/18; owner→b via a and
    # c: 2 · 1/6 · 1/2 = 1/6; owner→c as a; owner→d via e: 1/12, e likewise; f none.
    expected = ((1 / 6 + 1 / 18) ** 2 * 2 + (1 / 6 + 1 / 6) ** 2
                + (1 / 6 + 1 / 12) ** 2 * 2 + (1 / 6) ** 2)
    assert ego.constraint == pytest.approx(expected)
    # b spans the one hole (a and c do not know each other): constraint 2 · (1/2)² = 0.5
    top = brokers(vault, g)
    assert [(b.id, b.open_pairs, b.constraint) for b in top] == [("b", 1, 0.5)]
    groups, alone = clusters(vault, g)
    assert [c.members for c in groups] == [("a", "b", "c"), ("d", "e")] and alone == 1
    # the owner's node name can never be a contact id (ids are file names without "@")
    assert OWNER.startswith("@")


def test_communities_keep_triangles_together_across_a_bridge():
    # a b c all know each other, so do x y z; c — x is the one bridge; q is alone.  Shared
    # friends weigh in (a–b: 1 way + 1 common friend = 2; c–x: 1 + 0 = 1), so x follows its own
    # triangle, not the bridge: id order alone would have pulled everyone into b's group.
    vault = build([person("a", field="design"), person("b", field="design"), person("c"),
                   person("x"), person("y"), person("z"), person("q")],
                  [met(("a", "b"), 1), met(("b", "c"), 1), met(("a", "c"), 1),
                   met(("x", "y"), 1), met(("y", "z"), 1), met(("x", "z"), 1),
                   met(("c", "x"), 1)])
    found = communities(vault, contact_graph(vault))
    assert [c.members for c in found] == [("a", "b", "c"), ("x", "y", "z")]
    # named by the field at least half of it shares, else around its best-connected member
    # (x has three ties, y and z two each, but only ties inside the group count: all two; x first)
    assert [c.label for c in found] == ["design", "around X"]
    # the components see one cluster of six: communities split what clusters cannot
    assert [c.members for c in clusters(vault, contact_graph(vault))[0]] == [
        ("a", "b", "c", "x", "y", "z")]

def test_brokers_outside_any_triangle_have_the_very_constraint_burts_sums_give():
    """brokers works out Burt's sums only for contacts in a triangle (Graph.common); for the
    rest, whose contacts are not tied to each other, a constraint per degree: the same float,
    to the last bit, as the sums themselves."""
    # a b c a triangle; c also tied to d, e, f, g; d to h; x to y and z (a star, no triangle)
    ties = [("a", "b"), ("b", "c"), ("a", "c"), ("c", "d"), ("c", "e"), ("c", "f"),
            ("c", "g"), ("d", "h"), ("x", "y"), ("x", "z")]
    vault = build([person(i) for i in "abcdefghxyz"], [met(t, 1) for t in ties])
    g = contact_graph(vault)
    assert set(g.common) == {("a", "b"), ("a", "c"), ("b", "c")}
    assert g.common["a", "b"] == {"c"}
    sums = Ties.even(g.adj, g.neighbours)
    found = {b.id: b for b in brokers(vault, g)}
    assert found.keys() == {"a", "b", "c", "d", "x"}
    for cid, b in found.items():
        constraint, among = sums.holes(cid)
        assert (b.constraint, b.open_pairs) == (constraint, b.degree * (b.degree - 1) // 2
                                                - among)


def test_diversity_blau_and_shannon():
    vault = build([person("a", field="Software"), person("b", field="software"),
                   person("c", field="software"), person("d", field="design"),
                   person("e")])
    d = diversity(vault)
    f = d.spreads[0]
    # shares 3/4 and 1/4: Blau 1 − (9/16 + 1/16) = 0.375; Shannon −(¾ ln ¾ + ¼ ln ¼) = 0.5623
    assert (f.known, f.unknown, f.distinct) == (4, 1, 2)
    assert f.blau == pytest.approx(0.375)
    assert f.shannon == pytest.approx(-(0.75 * math.log(0.75) + 0.25 * math.log(0.25)))
    assert f.evenness == pytest.approx(f.shannon / math.log(2))
    assert f.top == (("Software", 3), ("design", 1))  # first spelling shown, case ignored
    assert (d.in_my_field, d.my_field_share) == (3, 0.75)
    one = spread("location", ["Oslo", "Oslo"])
    assert (one.blau, one.shannon, one.evenness) == (0.0, 0.0, 0.0)
    assert math.copysign(1, one.shannon) == 1  # printed "0.00", not "-0.00"
    assert diversity(build([person("a")], me=Me())).my_field_share is None


def test_introductions_made_are_gave_lines_with_two_people():
    vault = build([person("a"), person("b"), person("c")],
                  [met(("a", "b"), 10, "intro", gave=True), met(("a", "c"), 400, gave=True),
                   met(("b", "c"), 5, got=True), met("a", 3, gave=True),
                   met(("a", "b"), -5, gave=True)])  # a plan: not made yet
    made = introductions_made(vault, TODAY)
    assert [m.people for m in made] == [("a", "b"), ("a", "c")]


def _facts(vault):
    return vault_facts(vault, TODAY)


def test_critical_few_advice_cooling_and_tier_suggestions():
    people = [person(f"c{i}", tier="critical") for i in range(3)] + [
        person("close-friend", tier="close"), person("faded", tier="critical")]
    log = [met("c0", 30), met("c0", 400, "meeting"), met("c0", 450, "meeting")]  # cooling
    log += [met("close-friend", d, "meeting") for d in (5, 40, 80, 120)]  # strong
    log += [met("faded", 900, "email")]  # weak: 1 · ½^5 = 0.03 points → 1
    vault = build(people, log)
    facts = _facts(vault)
    few = critical_few(vault.config, facts)
    assert (few.count, few.verdict, few.cooling) == (4, "too few", ("c0",))
    sugg = tier_suggestions(vault.config, facts)
    # close-friend: 3·(0.981 + 0.857 + 0.735 + 0.630) = 9.61 points → 100·(1 − e^(−1.92)) = 85
    assert [(t.id, t.tier, t.suggested) for t in sugg] == [
        ("faded", "critical", "close"), ("close-friend", "close", "critical")]
    assert {f.id: f.strength for f in facts}["close-friend"] == 85


def test_summary_paragraph_says_how_the_network_is_doing():
    vault = build([person("ada", tier="critical", field="software"),
                   person("bo", field="design", interests=("chess", "go")),
                   person("cy", field="software", interests=("chess", "go"))],
                  [met("ada", 10, "meeting", gave=True), met("bo", 400, got=True),
                   met(("ada", "cy"), 20, "intro", gave=True)])
    text = report_data(vault, TODAY)["summary"]
    assert text.startswith("3 contacts; 1 in your critical few, fewer than the 5 to 24")
    assert "In the last 12 months you gave 2 times and got 0, including 1 introduction." in text
    assert "67% of the contacts whose field you know are in software, your own field." in text
    assert "Worth an introduction: Bo and Cy." in text
