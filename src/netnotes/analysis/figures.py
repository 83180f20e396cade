"""The vault-wide figures of a report, worked out from each contact's Facts, the notes' Totals
and the network's shape (network.py): the critical few, tiers to move, who is cooling, the
introductions made, and the summary paragraph.

Apart from network.py's graph code on purpose: a report remembered by memo.py works these out
again on every run from kept Facts, and should not load the graph measures to do it.  Pure: no
I/O, no clock; formulas in docs/analysis.md.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from netnotes.analysis.status import Facts, Totals
from netnotes.core import Config

# "A handful to two dozen": the advice for how many relationships one can keep truly close.
CRITICAL_FEW = (5, 24)
STRONG = 60  # strength at which a contact looks like they belong a tier higher
WEAK = 15  # strength below which a contact with history looks like they belong a tier lower
RECENT_INTRODUCTIONS = 10  # introductions made, listed newest first


# --- the critical few and tiers ------------------------------------------------------------------

class TierSuggestion(NamedTuple):
    id: str
    name: str
    tier: str
    suggested: str
    strength: int
    why: str


def tier_suggestions(config: Config, facts: Sequence[Facts]) -> tuple[TierSuggestion, ...]:
    """Up a tier: strength ≥ STRONG below the top tier.  Down a tier: strength < WEAK, with some
    history, in a tier that has a lower one with a cadence.  Never into a "never" tier."""
    tiers = [t for t in config.tiers if t.cadence is not None]
    rank = {t.name: n for n, t in enumerate(tiers)}
    out = []
    # most contacts are neither strong nor weak: only the others are looked at
    for f in (f for f in facts if f.strength >= STRONG or f.strength < WEAK):
        r = rank.get(f.tier)
        if r is None:
            continue
        st = f.strength
        if st >= STRONG and r > 0:
            out.append(TierSuggestion(f.id, f.name, f.tier, tiers[r - 1].name, st,
                                      f"strength {st} ≥ {STRONG}: closer than the tier says"))
        elif st < WEAK and r < len(tiers) - 1 and f.contacted:
            out.append(TierSuggestion(f.id, f.name, f.tier, tiers[r + 1].name, st,
                                      f"strength {st} < {WEAK}: reach out, or admit it is "
                                      f"a {tiers[r + 1].name} relationship"))
    out.sort(key=lambda t: (rank[t.tier], -t.strength, t.id))
    return tuple(out)


@dataclass(frozen=True)
class CriticalFew:
    tier: str
    count: int
    advice: tuple[int, int]
    verdict: str  # "too few" | "within" | "too many"
    overdue: int
    cooling: tuple[str, ...]  # ids, in id order


def critical_few(config: Config, facts: Sequence[Facts]) -> CriticalFew:
    top = config.top_tier
    few = [f for f in facts if f.tier == top]
    lo, hi = CRITICAL_FEW
    verdict = "too few" if len(few) < lo else "too many" if len(few) > hi else "within"
    return CriticalFew(top, len(few), CRITICAL_FEW, verdict, sum(f.overdue for f in few),
                       tuple(f.id for f in few if f.trend == "cooling"))


def cooling(config: Config, facts: Sequence[Facts]) -> tuple[str, ...]:
    """Active contacts whose trend is cooling, by tier then id."""
    rank = {t.name: t.rank for t in config.tiers}
    found = [f for f in facts if f.trend == "cooling" and f.active]
    found.sort(key=lambda f: (rank.get(f.tier, 99), f.id))
    return tuple(f.id for f in found)


class Brief(NamedTuple):
    """What the summary paragraph says of the shape, unrounded (the plain data rounds)."""

    my_field: str
    my_field_share: float | None
    top_field: tuple[str, int] | None
    field_known: int
    introduction: tuple[str, str] | None  # ids of the best introduction to make


# --- everything, and the paragraph -------------------------------------------------------------

def _plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else many or word + 's'}"


def network_data(facts: Sequence[Facts], config: Config, totals: Totals, shape: Mapping[str, Any],
                 brief: Brief, today: dt.date) -> tuple[str, dict[str, Any]]:
    """The summary paragraph, and the network figures as plain values (the keys report_data adds
    under ``network`` after its counts): from each contact's Facts, the notes' Totals and the
    shape (as ``shape_data`` and its Brief), so that none of it needs the notes themselves."""
    names = {f.id: f.name for f in facts}
    tiers = {f.id: f.tier for f in facts}

    def who(i: str) -> dict[str, str]:
        return {"id": i, "name": names[i]}

    few = critical_few(config, facts)
    cold = cooling(config, facts)
    made_12m = totals.made_12m
    text = summary(facts, few, cold, totals, made_12m, brief, names)
    return text, {
        "critical_few": {"tier": few.tier, "contacts": few.count, "advice": list(few.advice),
                         "verdict": few.verdict, "overdue": few.overdue,
                         "cooling": [who(i) for i in few.cooling]},
        "cooling": [who(i) | {"tier": tiers[i]} for i in cold],
        "tier_suggestions": [{"id": t.id, "name": t.name, "tier": t.tier,
                              "suggested": t.suggested, "strength": t.strength, "why": t.why}
                             for t in tier_suggestions(config, facts)],
        **shape,
        "introductions_made": {
            "total": totals.made, "last_12m": made_12m,
            "recent": [{"date": m.date.isoformat(),
                        "people": [who(p) for p in m.people if p in names], "text": m.text}
                       for m in totals.intros[:RECENT_INTRODUCTIONS]],
        },
    }


def _names(names: Mapping[str, str], ids: Iterable[str], most: int = 3) -> str:
    ids = list(ids)
    shown = [names[i] for i in ids[:most]]
    more = len(ids) - len(shown)
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def summary(facts: Sequence[Facts], few: CriticalFew, cold: Sequence[str], totals: Totals,
            made_12m: int, brief: Brief, names: Mapping[str, str]) -> str:
    """Quality over quantity, in plain words: one paragraph a friend might say."""
    if not facts:
        return "No contacts yet: add a note to people/ and run the report again."
    lo, hi = few.advice
    advice = {"too few": f"fewer than the {lo} to {hi} worth keeping close",
              "too many": f"more than the {hi} anyone can keep close",
              "within": f"within the advice of {lo} to {hi}"}[few.verdict]
    overdue = sum(f.overdue for f in facts)
    who = "critical few" if few.tier == "critical" else f"top tier ({few.tier})"
    parts = [f"{_plural(len(facts), 'contact')}; {few.count} in your {who}, {advice}."]
    late = f"{overdue} overdue" + (f", {few.overdue} of them {few.tier}" if few.overdue else "")
    parts.append("Nobody is overdue." if not overdue else late[0].upper() + late[1:] + ".")
    give = (f"In the last 12 months you gave {_plural(totals.gave_12m, 'time')} and got "
            f"{totals.got_12m}")
    if made_12m:
        give += f", including {_plural(made_12m, 'introduction')}"
    parts.append(give + ".")
    if brief.my_field_share is not None:
        parts.append(f"{round(100 * brief.my_field_share)}% of the contacts whose field you know "
                     f"are in {brief.my_field}, your own field.")
    elif brief.top_field:
        f, c = brief.top_field
        parts.append(f"{round(100 * c / brief.field_known)}% of the contacts whose field you "
                     f"know are in {f}.")
    if cold:
        parts.append(f"Cooling: {_names(names, cold)}.")
    top = heapq.nlargest(3, {f.strength for f in facts if f.strength > 0})
    strongest = sorted((f for f in facts if top and f.strength >= top[-1]),
                       key=lambda f: (-f.strength, f.id))[:3]
    if strongest:
        parts.append("Strongest: " + ", ".join(f"{f.name} ({f.strength})" for f in strongest)
                     + ".")
    if brief.introduction:
        a, b = brief.introduction
        parts.append(f"Worth an introduction: {names[a]} and {names[b]}.")
    return " ".join(parts)
