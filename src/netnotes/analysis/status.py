"""Pure analysis: (Vault, today) → who is overdue, who is due soon, and how each relationship and
the whole network are doing.  No I/O and no clock, so every figure is reproducible in a test.

Ordering is always by stable keys (tier rank, then a number, then the contact id), never by the
order files happened to be listed in.
"""

from __future__ import annotations

import datetime as dt
import math
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress
from operator import attrgetter
from typing import TYPE_CHECKING, NamedTuple

from netnotes.analysis.words import topic_key
from netnotes.core import Config, Contact, Interaction, Vault, add_duration, humanize_days, unlink

if TYPE_CHECKING:
    pass

YEAR = dt.timedelta(days=365)


class Reason(NamedTuple):
    """A reason to reach out, with a score so the best one can be shown first.  A named tuple:
    a report makes several for every contact, and a tuple is the cheapest immutable record."""

    kind: str  # birthday | agenda | common-ground | follow-up | catch-up | reciprocity, and from
    # strength.dated_reasons: career | cooling, and from Index.ground: introduction | help
    text: str
    score: float


class Status(NamedTuple):
    """Where one relationship stands on ``today``."""

    contact: Contact
    last: Interaction | None
    next_plan: Interaction | None
    due: dt.date | None  # None: no cadence (archive) → never due
    days_overdue: int | None  # > 0 when overdue; None when not overdue
    overdue_ratio: float  # days overdue / cadence length; inf when never contacted and no `met`
    snoozed: bool
    count_12m: int
    gave_12m: int
    got_12m: int
    turn: str | None  # "yours" (they gave last), "theirs" (you gave last) or None
    birthday_next: dt.date | None
    reasons: tuple[Reason, ...] = ()

    @property
    def overdue(self) -> bool:
        return self.days_overdue is not None and not self.snoozed

    @property
    def never_contacted(self) -> bool:
        return self.last is None

    @property
    def reason(self) -> str:
        return self.reasons[0].text if self.reasons else ""

    def days_until_due(self, today: dt.date) -> int | None:
        return (self.due - today).days if self.due else None


@lru_cache(maxsize=64)  # asked with the owner's interests for every contact
def _folded(items: tuple[str, ...]) -> frozenset[str]:
    return frozenset(topic_key(x) for x in items)


def unlinked(text: str) -> str:
    """``names.unlink`` (log text for reading), with a fast path: a line with neither a link
    nor a ``#`` only has its spaces tidied, as every substitution of unlink would find nothing."""
    if "[[" not in text and "#" not in text:
        return " ".join(text.split())
    return unlink(text)


# Due dates repeat (many contacts were last seen on one day, with one tier's cadence), and
# calendar arithmetic is slow next to a lookup.
_due_after = lru_cache(maxsize=1 << 14)(add_duration)


def shared(a: tuple[str, ...], b: tuple[str, ...]) -> list[str]:
    """Items of ``a`` also in ``b``, one topic by words.topic_key (case, accents, punctuation
    and plurals aside), in ``a``'s order."""
    if not a:
        return []
    bs = _folded(tuple(b))
    return [x for x in a if topic_key(x) in bs]


def status_of(contact: Contact, history: Sequence[Interaction], today: dt.date, config: Config,
              extra: Sequence[Reason] = ()) -> Status:
    """Where ``contact`` stands on ``today``, from its history alone (oldest first, plans after
    today included) and the reasons to reach out that need more than that (``extra``, made by
    strength.assess from the rest of the vault).  Pure and per contact, so a report can remember
    it and work out again only the contacts whose notes changed.

    The history is in date order, so plans are its tail and the last 12 months the stretch just
    before them: both are found walking back from the end, and only the recent part of a long
    history is looked at."""
    k = len(history)  # history[:k] is the past, history[k:] the plans
    while k and history[k - 1].date > today:
        k -= 1
    last = history[k - 1] if k else None
    if contact.cadence is None:
        due = None
    elif last is not None:
        due = _due_after(last.date, contact.cadence)
    else:
        due = contact.met or today  # never contacted: due since they were met, or now
    days_overdue: int | None = None
    ratio = 0.0
    if last is None and contact.met is None and due is not None:
        days_overdue, ratio = 0, math.inf
    elif due is not None and due < today:
        days_overdue = (today - due).days
        ratio = days_overdue / max(contact.cadence.approx_days if contact.cadence else 1, 1)
    snoozed = contact.snooze_until is not None and today < contact.snooze_until
    year_ago = today - YEAR
    count = gave = got = 0
    turn = None
    me = contact.id
    for n in range(k - 1, -1, -1):  # newest first
        i = history[n]
        # a #gave/#got on a line naming several people counts for one (Interaction.credit)
        mine = i.credit is None or i.credit == me
        if i.date > year_ago:
            count += 1
            if mine:
                gave += i.gave
                got += i.got
        elif turn is not None:
            break
        if turn is None and mine and i.gave != i.got:
            turn = "theirs" if i.gave else "yours"
    bday = contact.birthday.next_on_or_after(today) if contact.birthday else None
    reasons = _reasons(config, contact, today, last, turn, bday, extra)
    return Status(contact, last, history[k] if k < len(history) else None, due, days_overdue,
                  ratio, snoozed, count, gave, got, turn, bday, reasons)


def _reasons(config: Config, c: Contact, today: dt.date, last: Interaction | None,
             turn: str | None, birthday_next: dt.date | None, extra: Sequence[Reason]
             ) -> tuple[Reason, ...]:
    """Every reason to reach out to ``c``, best first."""
    me = config.me
    reasons: list[Reason] = []
    if birthday_next is not None and (birthday_next - today).days <= config.birthday_days:
        days = (birthday_next - today).days
        when = "today" if days == 0 else "tomorrow" if days == 1 else \
            f"on {birthday_next:%d %b} (in {days} days)"
        age = c.birthday.age_on(birthday_next) if c.birthday else None
        reasons.append(Reason("birthday", f"birthday {when}" + (f", turns {age}" if age else ""),
                              90 - days))
    if turn == "yours" and last is not None:
        reasons.append(Reason("reciprocity", "your turn: they did the last favour", 45))
    if c.agenda:
        reasons.append(Reason("agenda", f"ask how it goes: {c.agenda}", 50))
    common = shared(c.interests, me.interests) or shared(c.tags, me.interests)
    if common:
        reasons.append(Reason("common-ground", "you share " + ", ".join(common[:3]), 40))
    if last is not None:
        ago = humanize_days((today - last.date).days)
        what = unlinked(last.text)
        reasons.append(Reason("follow-up", f"follow up on “{what}” ({ago} ago)"
                              if what else f"last contact {ago} ago", 20))
    elif c.met is not None:
        reasons.append(Reason("catch-up", f"never contacted since you met on {c.met}", 30))
    else:
        reasons.append(Reason("catch-up", "never contacted: say hello", 10))
    reasons.extend(extra)
    reasons.sort(key=lambda r: (-r.score, r.kind, r.text))
    return tuple(reasons)


# --- the whole network, from one small record per contact ----------------------------------------

class Facts(NamedTuple):
    """One contact as the vault-wide figures see it: the few values that overdue lists, tier
    counts, the critical few and the summary are worked out from.  Small and plain on purpose:
    a report of a big vault keeps one per contact between runs (netnotes.store.memo) and works out
    these figures again from them, without reading every note."""

    id: str
    name: str
    tier: str
    active: bool  # has a cadence (not an archive tier)
    field: str
    met: bool  # a `met:` date is known
    overdue: bool  # overdue and not snoozed
    overdue_ratio: float
    days_overdue: int | None
    due: dt.date | None
    snoozed: bool
    contacted: bool  # has a past interaction
    birthday_next: dt.date | None
    strength: int
    trend: str | None
    prompt: str = ""  # the best reason to reach out (what the plan suggests saying)
    prompt_kind: str = ""  # its kind

    @property
    def never_contacted(self) -> bool:
        return not self.contacted


def facts_of(s: Status, strength: int, trend: str | None) -> Facts:
    c = s.contact
    return Facts(c.id, c.name, c.tier, c.cadence is not None, c.field, c.met is not None,
                 s.overdue, s.overdue_ratio, s.days_overdue, s.due, s.snoozed, s.last is not None,
                 s.birthday_next, strength, trend, s.reasons[0].text if s.reasons else "",
                 s.reasons[0].kind if s.reasons else "")


class IntroMade(NamedTuple):
    date: dt.date
    people: tuple[str, ...]
    text: str


class Totals(NamedTuple):
    """What the interactions of some notes add to the vault-wide figures on one day: those of
    the last 12 months (see ``last_year``) and the introductions made (``#gave`` with two or
    more people, up to today).  Kept per note, so one changed note changes only its own."""

    count_12m: int = 0
    gave_12m: int = 0
    got_12m: int = 0
    made: int = 0  # introductions made, in all
    made_12m: int = 0  # … in the last 12 months
    intros: tuple[IntroMade, ...] = ()  # newest first: all of them, or (memo.py) the newest


def totals_of(interactions: Iterable[Interaction], today: dt.date) -> Totals:
    """The Totals of some interactions (one note's, or the whole vault's)."""
    year_ago = today - YEAR
    count = gave = got = made_12m = 0
    intros = []
    for i in interactions:
        d = i.date
        if d > today:
            continue
        if d > year_ago:
            count += 1
            gave += i.gave
            got += i.got
        if i.gave and len(i.people) >= 2:
            intros.append(IntroMade(d, i.people, i.text))
            made_12m += (today - d).days < 365
    return Totals(count, gave, got, len(intros), made_12m, newest_first(intros))


def newest_first(intros: Iterable[IntroMade]) -> tuple[IntroMade, ...]:
    """Introductions made, newest first, then by who (a stable sort: the same introduction
    twice keeps the order of the notes and lines)."""
    return tuple(sorted(intros, key=lambda m: (m.date, m.people), reverse=True))


def note_totals(vault: Vault, today: dt.date) -> dict[str, Totals]:
    """Totals per note path (only notes with interactions)."""
    return {path: totals_of(vault.interactions_in(path), today) for path in vault.note_paths}


def sum_totals(parts: Iterable[Totals]) -> Totals:
    """All the parts in one (given in path order, so that equal introductions keep the order
    of their notes)."""
    count = gave = got = made = made_12m = 0
    intros: list[IntroMade] = []
    for t in parts:
        count += t.count_12m
        gave += t.gave_12m
        got += t.got_12m
        made += t.made
        made_12m += t.made_12m
        intros.extend(t.intros)
    return Totals(count, gave, got, made, made_12m, newest_first(intros))


def introductions_made(vault: Vault, today: dt.date) -> tuple[IntroMade, ...]:
    """``#gave`` interactions with two or more people, up to today, newest first."""
    return sum_totals(note_totals(vault, today).values()).intros


def _date(i: Interaction) -> dt.date:
    return i.date


def last_year(vault: Vault, today: dt.date) -> Sequence[Interaction]:
    """The interactions of the 12 months up to ``today`` (after today − 365 days, up to and
    including today): ``vault.interactions`` is in date order, so this is one slice of it,
    found by bisection rather than a scan of the whole vault."""
    items = vault.interactions
    return items[bisect_right(items, today - YEAR, key=_date):
                 bisect_right(items, today, key=_date)]


def tier_rank(config: Config) -> dict[str, int]:
    return {t.name: t.rank for t in config.tiers}


def overdue_of(facts: Iterable[Facts], config: Config) -> list[Facts]:
    rank = tier_rank(config)
    rows = [f for f in facts if f.overdue]
    rows.sort(key=lambda f: (rank.get(f.tier, 99), -f.overdue_ratio, -(f.days_overdue or 0),
                             f.id))
    return rows


def is_due_soon(f: Facts, today: dt.date, horizon: dt.date) -> bool:
    """Due from ``today`` up to ``horizon`` (today + due_soon_days), and neither overdue, nor
    snoozed, nor never contacted and never met (their first contact is not "due")."""
    return (f.due is not None and today <= f.due <= horizon and not f.overdue
            and not f.snoozed and not (not f.contacted and not f.met))


def due_soon_of(facts: Iterable[Facts], config: Config, today: dt.date) -> list[Facts]:
    horizon = today + dt.timedelta(days=config.due_soon_days)
    rows = [f for f in facts if is_due_soon(f, today, horizon)]
    rank = tier_rank(config)
    rows.sort(key=lambda f: (f.due, rank.get(f.tier, 99), f.id))
    return rows


@dataclass(frozen=True)
class TierCount:
    name: str
    cadence: str
    contacts: int
    overdue: int


@dataclass(frozen=True)
class NetworkSummary:
    contacts: int
    tiers: tuple[TierCount, ...]
    top_tier: str
    top_tier_overdue: int
    interactions_12m: int
    gave_12m: int
    got_12m: int
    birthdays: tuple[Facts, ...]
    never_contacted: tuple[Facts, ...]
    snoozed: int
    fields: tuple[tuple[str, int], ...]


_TIER = attrgetter("tier")
_OVERDUE = attrgetter("overdue")
_BIRTHDAY = attrgetter("birthday_next")
_FIELD = attrgetter("field")
_SNOOZED = attrgetter("snoozed")


def summary_of(facts: Sequence[Facts], config: Config, totals: Totals, today: dt.date
               ) -> NetworkSummary:
    # Counted with C loops (map over field getters): a big vault runs this on every report.
    per_tier = Counter(map(_TIER, facts))
    late = Counter(map(_TIER, compress(facts, map(_OVERDUE, facts))))
    tiers = tuple(TierCount(t.name, str(t.cadence) if t.cadence else "never", per_tier[t.name],
                            late[t.name]) for t in config.tiers)
    last_day = today + dt.timedelta(days=config.birthday_days)
    bdays = sorted((f for f in compress(facts, map(_BIRTHDAY, facts))
                    if f.birthday_next <= last_day),  # type: ignore[operator]
                   key=lambda f: (f.birthday_next, f.id))
    never = tuple(f for f in facts if not f.contacted and f.active)
    fields = Counter(field for field in map(str.strip, map(_FIELD, facts)) if field)
    return NetworkSummary(
        contacts=len(facts), tiers=tiers, top_tier=config.top_tier,
        top_tier_overdue=late[config.top_tier],
        interactions_12m=totals.count_12m, gave_12m=totals.gave_12m, got_12m=totals.got_12m,
        birthdays=tuple(bdays), never_contacted=never,
        snoozed=sum(map(_SNOOZED, facts)),
        fields=tuple(sorted(fields.items(), key=lambda kv: (-kv[1], kv[0]))))


def balance(gave: int, got: int) -> str | None:
    """Give and take in words: who has been carrying the relationship lately."""
    if got >= 2 and gave == 0:
        return "you only take lately"
    if gave >= 2 and got == 0:
        return "you only give lately"
    if gave == got:
        return "balanced" if gave else None
    return "you give more" if gave > got else "they give more"


def one_line(s: Status, today: dt.date) -> str:
    """A relationship in a few words, e.g. "last coffee 7 weeks ago; you only take lately;
    your turn; planned 2026-12-04" (the numbers themselves are in their own columns)."""
    parts = []
    if s.last is None:
        parts.append("never contacted")
    else:
        ago = humanize_days((today - s.last.date).days)
        parts.append(f"last {s.last.kind or 'contact'} {ago} ago")
    if s.count_12m == 0 and s.last is not None:
        parts.append("nothing in 12 months")
    words = balance(s.gave_12m, s.got_12m)
    if words:
        parts.append(words)
    if s.turn:
        parts.append("your turn" if s.turn == "yours" else "their turn")
    if s.next_plan:
        parts.append(f"planned {s.next_plan.kind or 'contact'} on {s.next_plan.date}")
    if s.snoozed and s.contact.snooze_until:
        parts.append(f"snoozed until {s.contact.snooze_until}")
    return "; ".join(parts)
