"""Fixed examples at the edges of the relationship measures: each would fail if a boundary moved
by one (a day, a point, a contact).  Chosen from mutants of strength.py the suite used to miss."""

from __future__ import annotations

import datetime as dt

import pytest
from intel_helpers import TODAY, build, met, person

from netnotes.analysis import contact_status
from netnotes.analysis.strength import (
    MAX_GROUP,
    MAX_HELPERS,
    MAX_SHARED,
    Index,
    career_moves,
    common_ground,
    relationship,
    trend,
)
from netnotes.core import CareerStep
from netnotes.core.config import Me


def _emails(n: int, days_ago: int) -> list:
    return [met("ada", days_ago, "email") for _ in range(n)]


@pytest.mark.parametrize(("recent", "before", "label"), [
    (3, 4, "cooling"),  # 3 ≤ 4 · 0.75 and 1 point less: cooling
    (4, 4, "steady"),
    (5, 4, "warming"),  # 5 ≥ 4 · 1.25 and 1 point more
    (4, 5, "steady"),  # 4 > 5 · 0.75
    (0, 0, None),
])
def test_the_trend_boundaries(recent, before, label):
    assert trend(_emails(recent, 10) + _emails(before, 400), TODAY).label == label


def test_a_change_smaller_than_one_point_is_steady_however_large_in_percent():
    likes = [met("ada", 400, "like"), met("ada", 400, "like")]  # 0.2 points, then nothing
    assert trend(likes, TODAY).label == "steady"
    assert trend([met("ada", 10, "comment")], TODAY).label == "steady"  # 0.2 up: too little


@pytest.mark.parametrize(("days_ago", "recent", "before"), [
    (0, 1, 0), (364, 1, 0), (365, 0, 1), (729, 0, 1), (730, 0, 0), (-1, 0, 0)])
def test_the_two_trend_windows_end_where_they_say(days_ago, recent, before):
    t = trend([met("ada", days_ago, "email")], TODAY)
    assert (t.recent_count, t.before_count) == (recent, before)
    ada = person("ada")
    vault = build([ada], [met("ada", days_ago, "email")])
    r = relationship(vault, contact_status(vault, ada, TODAY), TODAY)
    assert (r.trend.recent_count, r.trend.before_count) == (recent, before)


def _moved(days_ago: int, **extra) -> list:
    ada = person("ada", company="Acme", role="CTO",
                 history=(CareerStep("Initech", "lead", TODAY - dt.timedelta(days=days_ago)),),
                 **extra)
    vault = build([ada], [met("ada", 1000)])
    return [(r.kind, r.score) for r in contact_status(vault, ada, TODAY).reasons
            if r.kind == "career"]


@pytest.mark.parametrize(("days_ago", "found"), [
    (0, [("career", 65)]), (90, [("career", 65)]), (91, [("career", 55)]),
    (365, [("career", 55)]), (366, []), (-5, [])])
def test_a_career_move_is_a_reason_for_a_year_and_fresh_for_90_days(days_ago, found):
    assert _moved(days_ago) == found


def test_of_two_recent_moves_only_the_newest_is_a_reason():
    ada = person("ada", company="Acme", role="CTO",
                 history=(CareerStep("Initech", "engineer", TODAY - dt.timedelta(days=200)),
                          CareerStep("Globex", "lead", TODAY - dt.timedelta(days=30))))
    vault = build([ada], [met("ada", 1000)])
    career = [r for r in contact_status(vault, ada, TODAY).reasons if r.kind == "career"]
    assert [(r.score, r.text) for r in career] == [
        (65, "congratulate them: moved to CTO at Acme (was lead at Globex) in Oct 2026")]


def test_a_career_step_with_only_since_is_dated_by_it():
    ada = person("ada", company="Acme", role="CTO",
                 history=(CareerStep("Globex", "lead", since=dt.date(2024, 5, 1)),
                          CareerStep("Initech", "engineer", since=dt.date(2020, 1, 1))))
    moves = career_moves(ada)
    assert [(m.date, m.from_company, m.to_company) for m in moves] == [
        (dt.date(2024, 5, 1), "Initech", "Globex"), (None, "Globex", "Acme")]
    same = person("bob", company="Globex", role="Lead",
                  history=(CareerStep("globex", "lead", until=dt.date(2025, 1, 1)),))
    assert career_moves(same) == ()  # the same position, written differently, is no move


def test_helpers_are_ranked_by_how_much_of_the_agenda_they_match_then_by_id():
    ada = person("ada", agenda="hiring compilers and poetry experts in Lisbon for Kernel Org")
    many = person("zed", interests=("compilers", "poetry"))
    one_a = person("bea", interests=("poetry",))
    one_b = person("cal", company="Kernel Org")
    vault = build([ada, many, one_a, one_b], me=Me(name="Sam", interests=("lisbon",)))
    helpers = Index(vault).helpers(ada)
    assert MAX_HELPERS == 3
    assert [h.id for h in helpers] == [None, "zed", "bea"]  # you, 2 matches, 1 (bea before cal)
    assert helpers[0].matches == ("interest lisbon",)
    assert helpers[1].matches == ("interest compilers", "interest poetry")
    everyone = Index(vault).helpers(ada, limit=None)
    assert [h.id for h in everyone] == [None, "zed", "bea", "cal"]


def test_an_agenda_in_the_plural_finds_an_interest_in_the_singular():
    ada = person("ada", agenda="meet climate experts")
    grace = person("grace", interests=("climate expert",))
    vault = build([ada, grace], me=Me(name="Sam"))
    assert [(h.id, h.matches) for h in Index(vault).helpers(ada)] == [
        ("grace", ("interest climate expert",))]
    verb = person("bob", agenda="running a data clinic")  # the leading -ing verb is not a topic
    runner = person("rui", interests=("running",))
    vault = build([verb, runner], me=Me(name="Sam"))
    assert Index(vault).helpers(verb) == ()


@pytest.mark.parametrize(("others", "listed"), [(MAX_GROUP - 1, MAX_SHARED), (MAX_GROUP, 0)])
def test_a_topic_everyone_shares_is_not_common_ground(others, listed):
    # the topic's group is ada and the others: at MAX_GROUP it still counts, beyond it not
    ada = person("ada", interests=("chess",), agenda="find a chess coach")
    crowd = [person(f"p{i:03d}", interests=("chess",)) for i in range(others)]
    vault = build([ada, *crowd], me=Me(name="Sam"))
    cg = common_ground(vault, ada)
    assert len(cg.with_contacts) == listed
    assert (len(cg.helpers) > 0) == (listed > 0)


@pytest.mark.parametrize(("mine", "theirs", "same"), [
    ("", "", False), ("software", "", False), ("", "software", False),
    ("Software", "software", True), ("software", "hardware", False)])
def test_same_field_needs_a_field_on_both_sides(mine, theirs, same):
    ada = person("ada", field=theirs)
    vault = build([ada], me=Me(name="Sam", field=mine))
    assert common_ground(vault, ada).same_field is same
