"""Per-relationship measures on hand-built vaults, with the answers worked out in each test."""

from __future__ import annotations

import datetime as dt
import math

from hypothesis import given, settings
from hypothesis import strategies as st
from intel_helpers import TODAY, build, met, person

from netnotes.analysis import Index, contact_status, statuses
from netnotes.analysis.strength import (
    HALF_LIFE_DAYS,
    career_moves,
    common_ground,
    reciprocity,
    relationship,
    score_of,
    strength,
    trend,
)
from netnotes.core import CareerStep


def test_one_meeting_today_scores_45():
    # points = 3 (meeting weight) · ½^0 = 3;  score = 100 · (1 − e^(−3/5)) = 45.1 → 45
    s = strength([met("ada", 0, "meeting")], TODAY)
    assert s.points == 3.0
    assert s.score == 45


def test_weight_halves_every_half_life():
    # a meeting one half-life ago: 3 · ½ = 1.5 points → 100 · (1 − e^(−0.3)) = 25.9 → 26
    # a coffee two half-lives ago: 2 · ¼ = 0.5 points
    half = strength([met("ada", HALF_LIFE_DAYS, "meeting")], TODAY)
    assert half.points == 1.5 and half.score == 26
    two = strength([met("ada", 2 * HALF_LIFE_DAYS, "coffee")], TODAY)
    assert two.points == 0.5


def test_parts_explain_the_score_and_plans_do_not_count():
    history = [met("ada", 0, "coffee"), met("ada", 180, "coffee"), met("ada", 0, "like"),
               met("ada", 0, None), met("ada", -10, "dinner")]  # a plan in 10 days
    s = strength(history, TODAY)
    # coffee 2 + 1 = 3 points, an untyped line 1 (default weight), a like 0.1
    assert [(p.kind, p.count, p.points) for p in s.parts] == [
        ("coffee", 2, 3.0), ("other", 1, 1.0), ("like", 1, 0.1)]
    assert math.isclose(s.points, 4.1)
    assert s.score == score_of(4.1) == 56  # 100 · (1 − e^(−0.82)) = 55.96


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3000), st.sampled_from(["like", "email", "meeting"])),
                max_size=30),
       st.integers(0, 3000), st.sampled_from(["like", "email", "meeting"]))
def test_score_stays_in_range_and_more_contact_never_lowers_it(past, age, kind):
    history = [met("ada", d, k) for d, k in past]
    before = strength(history, TODAY).score
    after = strength([*history, met("ada", age, kind)], TODAY).score
    assert 0 <= before <= after <= 100


def test_trend_compares_the_last_12_months_with_the_12_before():
    # last year: one coffee (2 points); the year before: two meetings (6) → cooling
    cooling = trend([met("a", 30), met("a", 400, "meeting"), met("a", 500, "meeting")], TODAY)
    assert (cooling.label, cooling.recent, cooling.before) == ("cooling", 2.0, 6.0)
    # 2 vs 2 → steady; 3 vs 2 (+50 %, +1 point) → warming; an email vs nothing → warming
    assert trend([met("a", 30), met("a", 400)], TODAY).label == "steady"
    assert trend([met("a", 30), met("a", 31, "email"), met("a", 400)], TODAY).label == "warming"
    assert trend([met("a", 10, "email")], TODAY).label == "warming"
    # 2.5 vs 2: +25 % but only half a point → steady
    assert trend([met("a", 30, "lunch"), met("a", 400)], TODAY).label == "steady"
    # the windows meet at 365 days: 364 days ago is "recent", 365 is "before"
    edge = trend([met("a", 364), met("a", 365)], TODAY)
    assert (edge.recent_count, edge.before_count) == (1, 1)
    assert trend([met("a", 800)], TODAY).label is None


def test_reciprocity_flags_only_taking_and_says_whose_turn():
    ada = person("ada")
    vault = build([ada], [met("ada", 100, got=True), met("ada", 50, got=True)])
    r = reciprocity(contact_status(vault, ada, TODAY))
    assert (r.gave, r.got, r.balance, r.flag, r.turn) == (0, 2, -2, "only-take", "yours")
    vault = build([ada], [met("ada", 100, gave=True), met("ada", 50, gave=True),
                          met("ada", 20, got=True)])
    r = reciprocity(contact_status(vault, ada, TODAY))
    assert (r.gave, r.got, r.flag, r.turn, r.words) == (2, 1, None, "yours", "you give more")
    vault = build([ada], [met("ada", 100, gave=True), met("ada", 50, gave=True)])
    assert reciprocity(contact_status(vault, ada, TODAY)).flag == "only-give"


def test_common_ground_with_me_with_others_and_help_for_the_agenda():
    ada = person("ada", field="Software", interests=("Chess", "poetry"), tags=("climate-tech",),
                 agenda="hire two Compilers experts for a climate tech startup")
    grace = person("grace", interests=("compilers", "poetry"), field="research")
    linus = person("linus", interests=("chess", "poetry"), company="Kernel Org")
    bob = person("bob", interests=("gardening",))
    vault = build([ada, grace, linus, bob])
    cg = common_ground(vault, ada)
    # case-insensitive; the tag "climate-tech" is the owner's "climate tech" (words.topic_key)
    assert cg.with_me == ("Chess", "climate-tech")
    assert cg.same_field  # "Software" is the owner's "software"
    # Linus shares chess and poetry (2), Grace poetry (1); Bob nothing
    assert [(w.id, w.items) for w in cg.with_contacts] == [
        ("linus", ("Chess", "poetry")), ("grace", ("poetry",))]
    # the agenda names the owner's interest "climate tech" and Grace's "compilers" (plural ok)
    assert [(h.id, h.matches) for h in cg.helpers] == [
        (None, ("interest climate tech",)), ("grace", ("interest compilers",))]


def test_career_moves_from_history_and_a_recent_move_is_the_first_reason():
    ada = person("ada", tier="close", company="Acme", role="CTO", agenda="grow the team",
                 history=(CareerStep("Initech", "engineer", dt.date(2022, 3, 31)),
                          CareerStep("Initech", "lead", dt.date(2026, 9, 30))))
    moves = career_moves(ada)
    assert [(m.date, m.to_company, m.to_role) for m in moves] == [
        (dt.date(2022, 3, 31), "Initech", "lead"), (dt.date(2026, 9, 30), "Acme", "CTO")]
    assert moves[0].text == "new role: lead at Initech (was engineer at Initech) in Mar 2022"
    assert moves[1].text == "moved to CTO at Acme (was lead at Initech) in Sep 2026"
    vault = build([ada], [met("ada", 400)])
    s = contact_status(vault, ada, TODAY)
    assert s.overdue
    # 53 days ago (≤ 90) scores 65: above the agenda (50) and the follow-up (20)
    assert [r.kind for r in s.reasons][:2] == ["career", "agenda"]
    assert s.reason == "congratulate them: moved to CTO at Acme (was lead at Initech) in Sep 2026"


def test_an_introduction_that_helps_their_agenda_is_a_reason_to_reach_out():
    ada = person("ada", agenda="find a compilers expert")
    grace = person("grace", field="Compilers")
    vault = build([ada, grace], [met("ada", 500)])
    by_id = {s.contact.id: s for s in statuses(vault, TODAY)}
    kinds = [r.kind for r in by_id["ada"].reasons]
    assert kinds.index("introduction") < kinds.index("agenda")
    assert by_id["ada"].reason == "introduce them to Grace (field Compilers) for their agenda"
    # and the other way round: Grace could gain from meeting Ada
    assert by_id["grace"].reason == ("introduce them to Ada, whose agenda needs Compilers: "
                                       "find a compilers expert")
    # people who already know each other need no introduction
    vault = build([ada, person("grace", field="Compilers", knows=("ada",))], [met("ada", 500)])
    assert not [r for s in statuses(vault, TODAY) for r in s.reasons if r.kind == "introduction"]


def test_no_company_is_not_a_company_an_agenda_can_need():
    # "Independent" in `company:` means no company; an agenda about an independent studio
    # does not make that person a helper, while a real company named in an agenda does.
    zoe = person("zoe", agenda="launching her own independent design studio")
    tobias = person("tobias", company="Independent")
    northwind = person("mira", company="Northwind")
    vault = build([zoe, tobias, northwind], [met("zoe", 500)])
    assert Index(vault).helpers(zoe) == ()
    ada = person("ada", agenda="a pilot with Northwind next spring")
    vault = build([ada, tobias, northwind], [met("ada", 500)])
    assert [h.id for h in Index(vault).helpers(ada)] == ["mira"]


def test_relationship_bundles_everything_for_one_contact():
    ada = person("ada", interests=("chess",))
    vault = build([ada], [met("ada", 0, "meeting", gave=True)])
    r = relationship(vault, contact_status(vault, ada, TODAY), TODAY, Index(vault))
    assert (r.strength.score, r.trend.label, r.reciprocity.gave) == (45, "warming", 1)
    assert r.common_ground.with_me == ("chess",) and r.career_moves == ()
