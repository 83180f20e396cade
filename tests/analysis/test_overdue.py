"""Who is overdue, in which order, and why: the analysis over hand-built vaults."""

from __future__ import annotations

import datetime as dt

from conftest import TODAY, note

from netnotes import load_vault
from netnotes.analysis import due_soon, network_summary, overdue, statuses

TOML = """\
[me]
interests = ["chess"]

[tiers]
critical = "4 months"
close = "6 months"
network = "1 year"
archive = "never"
"""


def ids(rows):
    return [f.id for f in rows]


def test_ordering_is_tier_first_then_lateness_relative_to_cadence(vault):
    root = vault({
        # critical, 1 month late on 4 months
        "people/a-crit.md": note("A", ["2026-06-22 call"], tier="critical"),
        # critical, 5 months late
        "people/b-crit.md": note("B", ["2026-02-22 call"], tier="critical"),
        # close, 6 months late on a 6-month cadence: ratio 1.0, but a lower tier
        "people/c-close.md": note("C", ["2025-11-22 call"], tier="close"),
        # network, 3 weeks cadence of its own, 2 months late: ratio ~2.9
        "people/d-net.md": note("D", ["2026-08-01 call"], tier="network", cadence="3 weeks"),
        # network, 1 year cadence, 2 months late
        "people/e-net.md": note("E", ["2025-09-22 call"], tier="network"),
        # archive is never overdue
        "people/f-arch.md": note("F", ["2010-01-01 call"], tier="archive"),
    }, TOML)
    v = load_vault(root)
    assert ids(overdue(v, TODAY)) == ["b-crit", "a-crit", "c-close", "d-net", "e-net"]


def test_never_contacted_is_due_since_met_or_at_once(vault):
    root = vault({
        "people/met-long-ago.md": note("M", [], tier="close", met="2025-01-10"),
        "people/met-yesterday.md": note("Y", [], tier="close", met="2026-11-21"),
        "people/never.md": note("N", [], tier="close"),
    }, TOML)
    v = load_vault(root)
    late = overdue(v, TODAY)
    # no `met`: due at once, and most urgent; met yesterday: due since yesterday
    assert ids(late) == ["never", "met-long-ago", "met-yesterday"]
    assert late[0].overdue_ratio == float("inf")
    assert late[1].days_overdue == (TODAY - dt.date(2025, 1, 10)).days


def test_snoozed_contacts_are_left_out_until_the_day(vault):
    root = vault({"people/s.md": note("S", ["2020-01-01 call"], snooze_until="2026-12-01")},
                 TOML)
    v = load_vault(root)
    assert overdue(v, TODAY) == []
    assert ids(overdue(v, dt.date(2026, 12, 1))) == ["s"]


def test_a_line_after_today_is_a_plan_not_an_interaction(vault):
    root = vault({"people/p.md": note("P", ["2025-01-01 call", "2026-12-04 lunch planned"])},
                 TOML)
    v = load_vault(root)
    (s,) = statuses(v, TODAY)
    assert s.last.date == dt.date(2025, 1, 1)
    assert s.next_plan.date == dt.date(2026, 12, 4)
    assert s.overdue


def test_due_soon_window_and_boundaries(vault):
    root = vault({
        "people/today.md": note("T", ["2026-07-22 call"], tier="critical"),  # due today
        "people/in14.md": note("F", ["2026-08-06 call"], tier="critical"),  # due in 14 days
        "people/in15.md": note("X", ["2026-08-07 call"], tier="critical"),  # just outside
        "people/late.md": note("L", ["2026-07-21 call"], tier="critical"),  # due yesterday
    }, TOML)
    v = load_vault(root)
    assert ids(due_soon(v, TODAY)) == ["today", "in14"]
    assert ids(overdue(v, TODAY)) == ["late"]


def test_turn_and_reasons(vault):
    root = vault({
        "people/a.md": note("A", ["2026-01-01 coffee #gave", "2026-02-01 lunch, she paid #got"],
                            tier="critical", interests="[Chess, poetry]", birthday="--12-01"),
    }, TOML)
    v = load_vault(root)
    (s,) = statuses(v, TODAY)
    assert s.turn == "yours"
    assert (s.gave_12m, s.got_12m, s.count_12m) == (1, 1, 2)
    kinds = [r.kind for r in s.reasons]
    assert kinds[0] == "birthday"  # 9 days away: the best reason
    assert "common-ground" in kinds and "reciprocity" in kinds
    assert s.reason == "birthday on 01 Dec (in 9 days)"


def test_interactions_from_other_notes_and_the_journal_count(vault):
    root = vault({
        "people/ada.md": note("Ada", ["2024-01-01 call"], tier="critical"),
        "people/bob.md": note("Bob", ["2026-10-01 dinner with [[ada]]"], tier="critical"),
        "journal/2026-11-01 meetup.md": "- panel with [[Ada]] and [[bob]]\n- no link here\n",
    }, TOML)
    v = load_vault(root)
    by_id = {s.contact.id: s for s in statuses(v, TODAY)}
    assert by_id["ada"].last.date == dt.date(2026, 11, 1)
    assert by_id["ada"].count_12m == 2
    assert [i.people for i in v.interactions if i.source.path.startswith("journal")] == \
        [("ada", "bob")]


def test_network_summary_counts(vault):
    root = vault({
        "people/a.md": note("A", ["2026-01-01 call #gave"], tier="critical", field="software"),
        "people/b.md": note("B", [], tier="close", field="software", birthday="1990-12-10"),
        "people/c.md": note("C", ["2026-11-01 coffee #got"], tier="network", field="energy"),
    }, TOML)
    v = load_vault(root)
    net = network_summary(v, TODAY)
    assert [(t.name, t.contacts, t.overdue) for t in net.tiers] == [
        ("critical", 1, 1), ("close", 1, 1), ("network", 1, 0), ("archive", 0, 0)]
    assert net.top_tier_overdue == 1
    assert (net.interactions_12m, net.gave_12m, net.got_12m) == (2, 1, 1)
    assert [f.id for f in net.birthdays] == ["b"]
    assert [f.id for f in net.never_contacted] == ["b"]
    assert net.fields == (("software", 2), ("energy", 1))
