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
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

from netnotes.dates import add_duration, humanize_days
from netnotes.model import Contact, Interaction, Vault
from netnotes.names import fold, unlink

if TYPE_CHECKING:
    from netnotes.strength import Index

YEAR = dt.timedelta(days=365)


class Reason(NamedTuple):
    """A reason to reach out, with a score so the best one can be shown first.  A named tuple:
    a report makes several for every contact, and a tuple is the cheapest immutable record."""

    kind: str  # birthday | agenda | common-ground | follow-up | catch-up | reciprocity, and from
    # strength.extra_reasons: career | introduction | help | cooling
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
    return frozenset(fold(x) for x in items)


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
    """Items of ``a`` also in ``b``, compared without case or accents, in ``a``'s order."""
    if not a:
        return []
    bs = _folded(tuple(b))
    return [x for x in a if fold(x) in bs]


def contact_status(vault: Vault, contact: Contact, today: dt.date,
                   index: Index | None = None) -> Status:
    """Where ``contact`` stands on ``today``; ``index`` (strength.Index) is shared when many
    contacts are analysed at once.

    The history is in date order (``Vault.interactions_of``), so plans are its tail and the last
    12 months the stretch just before them: both are found walking back from the end, and only
    the recent part of a long history is looked at."""
    history = vault.interactions_of(contact.id)
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
    for n in range(k - 1, -1, -1):  # newest first
        i = history[n]
        if i.date > year_ago:
            count += 1
            gave += i.gave
            got += i.got
        elif turn is not None:
            break
        if turn is None and i.gave != i.got:
            turn = "theirs" if i.gave else "yours"
    bday = contact.birthday.next_on_or_after(today) if contact.birthday else None
    reasons = _reasons(vault, contact, today, last, turn, bday, index)
    return Status(contact, last, history[k] if k < len(history) else None, due, days_overdue,
                  ratio, snoozed, count, gave, got, turn, bday, reasons)


def _reasons(vault: Vault, c: Contact, today: dt.date, last: Interaction | None,
             turn: str | None, birthday_next: dt.date | None, index: Index | None
             ) -> tuple[Reason, ...]:
    """Every reason to reach out to ``c``, best first."""
    me = vault.config.me
    reasons: list[Reason] = []
    if birthday_next is not None and (birthday_next - today).days <= vault.config.birthday_days:
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
    from netnotes.strength import extra_reasons  # lazy: strength builds on this module

    reasons.extend(extra_reasons(vault, c, today, index))
    reasons.sort(key=lambda r: (-r.score, r.kind, r.text))
    return tuple(reasons)


def statuses(vault: Vault, today: dt.date, index: Index | None = None) -> list[Status]:
    """Every contact's status, in id order.  ``index``: a strength.Index to share."""
    from netnotes.strength import Index

    index = index or Index(vault)
    return [contact_status(vault, c, today, index) for c in vault.contacts]


def _date(i: Interaction) -> dt.date:
    return i.date


def last_year(vault: Vault, today: dt.date) -> Sequence[Interaction]:
    """The interactions of the 12 months up to ``today`` (after today − 365 days, up to and
    including today): ``vault.interactions`` is in date order, so this is one slice of it,
    found by bisection rather than a scan of the whole vault."""
    items = vault.interactions
    return items[bisect_right(items, today - YEAR, key=_date):
                 bisect_right(items, today, key=_date)]


def _tier_rank(vault: Vault) -> dict[str, int]:
    return {t.name: t.rank for t in vault.config.tiers}


def overdue(vault: Vault, today: dt.date, all_statuses: list[Status] | None = None
            ) -> list[Status]:
    """Overdue and not snoozed; most urgent first: tier rank, then how far past the cadence
    relative to the cadence (two weeks late on a monthly cadence beats a month late on a yearly
    one), then id."""
    rank = _tier_rank(vault)
    rows = [s for s in (all_statuses or statuses(vault, today)) if s.overdue]
    rows.sort(key=lambda s: (rank.get(s.contact.tier, 99), -s.overdue_ratio,
                             -(s.days_overdue or 0), s.contact.id))
    return rows


def due_soon(vault: Vault, today: dt.date, all_statuses: list[Status] | None = None
             ) -> list[Status]:
    """Due from today up to ``due_soon_days`` ahead, soonest first."""
    horizon = today + dt.timedelta(days=vault.config.due_soon_days)
    rows = [s for s in (all_statuses or statuses(vault, today))
            if s.due is not None and today <= s.due <= horizon and not s.overdue
            and not s.snoozed and not (s.last is None and s.contact.met is None)]
    rank = _tier_rank(vault)
    rows.sort(key=lambda s: (s.due, rank.get(s.contact.tier, 99), s.contact.id))
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
    birthdays: tuple[Status, ...]
    never_contacted: tuple[Status, ...]
    snoozed: int
    fields: tuple[tuple[str, int], ...]


def network_summary(vault: Vault, today: dt.date, all_statuses: list[Status] | None = None
                    ) -> NetworkSummary:
    sts = all_statuses or statuses(vault, today)
    per_tier = Counter(s.contact.tier for s in sts)
    late = Counter(s.contact.tier for s in sts if s.overdue)
    tiers = tuple(TierCount(t.name, str(t.cadence) if t.cadence else "never", per_tier[t.name],
                            late[t.name]) for t in vault.config.tiers)
    recent = last_year(vault, today)
    horizon = vault.config.birthday_days
    bdays = sorted((s for s in sts if s.birthday_next is not None
                    and (s.birthday_next - today).days <= horizon),
                   key=lambda s: (s.birthday_next, s.contact.id))
    never = tuple(s for s in sts if s.never_contacted and s.contact.cadence is not None)
    fields = Counter(s.contact.field.strip() for s in sts if s.contact.field.strip())
    return NetworkSummary(
        contacts=len(sts), tiers=tiers, top_tier=vault.config.top_tier,
        top_tier_overdue=late[vault.config.top_tier],
        interactions_12m=len(recent), gave_12m=sum(i.gave for i in recent),
        got_12m=sum(i.got for i in recent), birthdays=tuple(bdays), never_contacted=never,
        snoozed=sum(1 for s in sts if s.snoozed),
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
