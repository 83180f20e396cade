"""The plan: who to reach out to in each of the coming weeks — the critical few first, at most N
a week, each with the one best reason and a prompt — so that thirty overdue people become a
pace one can keep.  Pure analysis: each contact's Facts and a date in, a Plan out.

Why it is stable: a person's week comes from their due date (fixed until a log line, a snooze
or a cadence changes it) and calendar weeks (Monday to Sunday), never from how many days late
they are today.  So from Saturday to Friday the plan is the same (on a weekend it starts with
the coming week), and a new week only drops the week that ended: nobody jumps weeks unless
something changed.  docs/analysis.md, "The plan".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, NamedTuple

from netnotes.analysis.status import Facts, tier_rank
from netnotes.core import Config, humanize_days


class PlanItem(NamedTuple):
    id: str
    name: str
    tier: str
    due: dt.date | None
    why: str  # when and why now: "overdue 8 weeks", "due Thu 3 Dec", "never contacted"
    prompt: str  # what to talk about: the best reason to reach out
    kind: str  # that reason's kind (birthday, agenda, reciprocity, introduction …)


class Week(NamedTuple):
    start: dt.date  # a Monday
    items: tuple[PlanItem, ...]


class Plan(NamedTuple):
    today: dt.date
    per_week: int
    weeks: tuple[Week, ...]
    later: int  # due within the plan's weeks but beyond its pace: left for later weeks


def first_week(today: dt.date) -> dt.date:
    """The Monday the plan starts on: this week's, or on a Saturday or Sunday the coming week's
    (a week that is all but over is no week to plan)."""
    day = today + dt.timedelta(days=2)
    return day - dt.timedelta(days=day.weekday())


def make_plan(facts: Sequence[Facts], config: Config, today: dt.date, *,
              per_week: int | None = None, weeks: int | None = None) -> Plan:
    """Overdue and soon-due contacts (active, not snoozed) spread over ``weeks`` calendar weeks
    from this one, at most ``per_week`` a week (defaults: netnotes.toml ``[plan]``).

    Each contact's own week is the week of its due date (the first week when overdue).
    Contacts are taken tier by tier (the critical few first), in each tier by own week, then due
    date (the longest overdue first; never contacted with no `met:` date before any), then id,
    and each goes into its own week or, when that week is full, the next with room; who fits in
    none is counted in ``later``."""
    per_week = config.plan_per_week if per_week is None else per_week
    weeks = config.plan_weeks if weeks is None else weeks
    start = first_week(today)
    end = start + dt.timedelta(weeks=weeks)
    rank = tier_rank(config)
    chosen = [f for f in facts
              if f.active and not f.snoozed and f.due is not None and f.due < end]

    def own_week(f: Facts) -> int:
        return max(0, (f.due - start).days // 7) if f.due is not None else 0

    def order(f: Facts) -> tuple[int, int, dt.date, str]:
        # never contacted and never met: due "today" every day; first, and the same each day
        due = f.due if (f.contacted or f.met) and f.due is not None else dt.date.min
        return rank.get(f.tier, len(rank)), own_week(f), due, f.id

    slots: list[list[PlanItem]] = [[] for _ in range(weeks)]
    later = 0
    for f in sorted(chosen, key=order):
        w = own_week(f)
        while w < weeks and len(slots[w]) >= per_week:
            w += 1
        if w >= weeks:
            later += 1
            continue
        slots[w].append(PlanItem(f.id, f.name, f.tier, f.due, _why(f, today), f.prompt,
                                 f.prompt_kind))
    return Plan(today, per_week, tuple(Week(start + dt.timedelta(weeks=n), tuple(items))
                                       for n, items in enumerate(slots)), later)


def _why(f: Facts, today: dt.date) -> str:
    if not f.contacted:
        return "never contacted"
    if f.due is None:
        return ""
    if f.due < today:
        return f"overdue {humanize_days((today - f.due).days)}"
    if f.due == today:
        return "due today"
    return f"due {f.due:%a} {f.due.day} {f.due:%b}"


def plan_data(p: Plan) -> dict[str, Any]:
    """The plan as plain values: the report's ``plan`` key and ``netnotes plan --format json``
    (docs/json.md)."""
    return {
        "per_week": p.per_week,
        "later": p.later,
        "weeks": [{"start": w.start.isoformat(),
                   "end": (w.start + dt.timedelta(days=6)).isoformat(),
                   "people": [{"id": i.id, "name": i.name, "tier": i.tier,
                               "due": i.due.isoformat() if i.due else None, "why": i.why,
                               "prompt": i.prompt, "kind": i.kind} for i in w.items]}
                  for w in p.weeks],
    }


def plan_events(p: Plan) -> list[tuple[dt.date, str, str]]:
    """The plan as (day, contact id, text) events for ``export ics``: each person on the Monday
    of their week (a day that, like the plan, stays put all week, so the event's UID does too),
    the reason and prompt as the description."""
    return [(w.start, i.id, "; ".join(x for x in (i.why, i.prompt) if x))
            for w in p.weeks for i in w.items]
