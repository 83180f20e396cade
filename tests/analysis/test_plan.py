"""The plan: overdue and soon-due people spread over the coming weeks, the critical few first,
at most N a week, and the same from one day to the next."""

from __future__ import annotations

import datetime as dt
import json

from conftest import note
from intel_helpers import TODAY, build, met, person

from netnotes.analysis import vault_facts
from netnotes.analysis.plan import first_week, make_plan, plan_events

MONDAY = dt.date(2026, 11, 23)  # TODAY (2026-11-22) is a Sunday: the plan starts the day after


def _plan(vault, today=TODAY, **kw):
    return make_plan(vault_facts(vault, today), vault.config, today, **kw)


def _weeks(plan) -> dict[str, dt.date]:
    return {i.id: w.start for w in plan.weeks for i in w.items}


def _crowd():
    """Three critical and five network contacts, all overdue; two close ones due in the second
    and third week; one network contact due in eight weeks (outside the plan)."""
    contacts = [person(f"crit{n}", "critical") for n in range(3)]
    contacts += [person(f"net{n}", "network") for n in range(5)]
    contacts += [person("close-soon", "close"), person("close-later", "close"),
                 person("far", "network")]
    days = 130  # > 4 months: every critical and close contact is overdue …
    lines = [met(f"crit{n}", days + n) for n in range(3)]
    lines += [met(f"net{n}", 400 + 10 * n) for n in range(5)]
    lines += [met("close-soon", 182 - 9), met("close-later", 182 - 16),  # … these are not
              met("far", 365 - 56)]
    return build(contacts, lines)


def test_the_critical_few_first_at_most_n_a_week():
    """Per week 3 over 4 weeks: the three critical (most overdue first) fill week 1; then the
    close ones in their own weeks (due Wed 2 Dec, Wed 9 Dec), the network ones in order of how
    long overdue (net4, 440 days ago, first) in the room left; "far" is due after the plan."""
    plan = _plan(_crowd(), per_week=3, weeks=4)
    assert [w.start for w in plan.weeks] == [MONDAY + dt.timedelta(weeks=n) for n in range(4)]
    assert [[i.id for i in w.items] for w in plan.weeks] == [
        ["crit2", "crit1", "crit0"],
        ["close-soon", "net4", "net3"],
        ["close-later", "net2", "net1"],
        ["net0"],
    ]
    assert plan.later == 0 and all(len(w.items) <= 3 for w in plan.weeks)
    first = plan.weeks[0].items[0]
    assert first.why == "overdue 9 days" and first.prompt  # the best reason, in words
    tight = _plan(_crowd(), per_week=2, weeks=2)
    assert [[i.id for i in w.items] for w in tight.weeks] == [["crit2", "crit1"],
                                                            ["crit0", "close-soon"]]
    assert tight.later == 5  # close-later is due after these two weeks: not counted


def test_the_same_plan_every_day_of_a_week():
    """From Saturday to Friday nothing is logged: every day's plan puts everyone in the same
    week (only the words "overdue 2 weeks" may grow)."""
    vault = _crowd()
    saturday = dt.date(2026, 11, 21)
    base = _weeks(_plan(vault, saturday, per_week=3))
    for n in range(1, 7):
        assert _weeks(_plan(vault, saturday + dt.timedelta(days=n), per_week=3)) == base


def test_nobody_jumps_weeks_when_the_plan_is_followed():
    """Four weeks, day by day.  Each Thursday the user reaches out to everyone planned for
    that week (a log line each).  Comparing each Thursday's plan (before those lines) with
    the next Saturday's: everyone not contacted is in the same calendar week as before."""
    vault = _crowd()
    day = dt.date(2026, 11, 26)  # a Thursday
    lines = list(vault.interactions)
    for _ in range(4):
        v = build(list(vault.contacts), lines)
        before = _plan(v, day, per_week=3)
        done = [i.id for i in before.weeks[0].items]
        lines += [met(cid, (TODAY - day).days, "call") for cid in done]
        after = _weeks(_plan(build(list(vault.contacts), lines), day + dt.timedelta(days=2),
                             per_week=3))
        kept = {cid: week for cid, week in _weeks(before).items() if cid not in done}
        assert {cid: after[cid] for cid in kept} == kept
        day += dt.timedelta(weeks=1)


def test_a_weekend_plans_the_coming_week():
    assert first_week(dt.date(2026, 11, 21)) == MONDAY  # Saturday
    assert first_week(TODAY) == MONDAY  # Sunday
    assert first_week(dt.date(2026, 11, 27)) == MONDAY  # Friday: still this week


def test_snoozed_and_archived_are_left_out():
    vault = build([person("zed", "critical", snooze_until=TODAY + dt.timedelta(days=30)),
                   person("old", "archive"), person("amy", "critical")],
                  [met("zed", 400), met("old", 900), met("amy", 400)])
    assert list(_weeks(_plan(vault))) == ["amy"]


def test_the_cli_and_every_report_format_show_the_plan(run, vault):
    root = vault({
        "people/ada.md": note("Ada", ["2026-01-05 coffee"], tier="critical",
                              agenda="looking for a co-founder"),
        "people/bo.md": note("Bo", ["2025-01-05 coffee"], birthday="1990-11-30"),
        "netnotes.toml": "[plan]\nper_week = 1\nweeks = 2\n",
    })
    out = run(root, "plan")
    assert out.exit_code == 0, out.output
    assert out.stdout.splitlines()[:5] == [
        "PLAN (the next 2 weeks, at most 1 a week)",
        "  Week of 2026-11-23",
        "    Ada                  critical  overdue 7 months",
        "        → ask how it goes: looking for a co-founder",
        "  Week of 2026-11-30",
    ]
    data = json.loads(run(root, "plan", "--format", "json", "--per-week", "2").stdout)
    assert [p["id"] for p in data["weeks"][0]["people"]] == ["ada", "bo"]
    assert data["weeks"][0]["people"][1]["prompt"].startswith("birthday on 30 Nov")
    assert json.loads(run(root, "report", "--format", "json").stdout)["plan"]["per_week"] == 1
    for fmt, heading in (("text", "PLAN (the next 2 weeks"), ("markdown", "## Plan (the next"),
                         ("html", 'id="plan"')):
        assert heading in run(root, "report", "--format", fmt).stdout
    bad = run(root, "plan", "--per-week", "0")
    assert bad.exit_code == 2


def test_the_plan_is_in_the_calendar_export(run, vault):
    root = vault({"people/ada.md": note("Ada", ["2026-01-05 coffee"], tier="critical")})
    ics = run(root, "export", "ics").stdout
    assert "UID:plan-ada-2026-11-23@netnotes" in ics
    v = build([person("ada", "critical")], [met("ada", 400)])
    assert plan_events(_plan(v)) == [(MONDAY, "ada", "overdue 9 months; "
                                      + _plan(v).weeks[0].items[0].prompt)]
