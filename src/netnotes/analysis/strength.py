"""Per relationship: how strong it is and why, its trend, give and take, common ground and career
moves — pure analysis (a Vault and a date in, small named tuples out, cheap to make for every
contact of a big vault; no I/O, no clock).

Every number here has its formula in docs/analysis.md, and the constants below are the ones the
document names, so a user can recompute any score by hand from the log lines of a note.
"""

from __future__ import annotations

import datetime as dt
import math
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from functools import cached_property, lru_cache
from itertools import chain
from operator import attrgetter
from typing import Any, NamedTuple

from netnotes.analysis.graph import Graph, contact_graph
from netnotes.analysis.status import Reason, Status, balance, status_of
from netnotes.analysis.words import key as offer_key
from netnotes.analysis.words import terms, topic_key
from netnotes.core import (
    DEFAULT_WEIGHT,
    KIND_WEIGHTS,
    RECORD_KINDS,
    CareerStep,
    Config,
    Contact,
    Interaction,
    Vault,
    fold,  # remembers its answers: the same words recur across contacts
)

# An interaction's weight halves every HALF_LIFE_DAYS: a coffee six months ago counts half as
# much as one today, a year ago a quarter.  Six months is the cadence of a "close" tier.
HALF_LIFE_DAYS = 180
# points → score: score = 100 · (1 − e^(−points / SCALE)).  With SCALE = 5 one meeting today is
# 45, a monthly coffee kept up for a year is about 95; the score can never reach 100.
SCALE = 5.0
TREND_DAYS = 365  # the two windows the trend compares
TREND_RATIO = 0.25  # a change of at least 25 % …
TREND_MIN = 1.0  # … and of at least one point (an email) counts as warming or cooling
RECENT_MOVE_DAYS = 365  # a career move this recent is a reason to reach out
MAX_SHARED = 5  # contacts listed under "common ground with others"
# What people write in `company:` when they have none: words an agenda uses in other senses
# ("her own independent studio"), so they must not make someone a helper.
NOT_A_COMPANY = frozenset({"freelance", "freelancer", "independent", "self-employed",
                           "self employed", "retired", "none", "n/a", "-", "student",
                           "unemployed", "between jobs", "consultant", "various"})
MAX_HELPERS = 3  # contacts listed as able to help with an agenda
# An interest shared by more contacts than this says little about any pair of them (and would
# make pairing quadratic in big vaults), so it is left out of contact-to-contact matching.
MAX_GROUP = 50


class StrengthPart(NamedTuple):
    """The contribution of one kind of interaction (``other`` for lines with no known kind).
    A named tuple: a report makes one per kind for every contact."""

    kind: str
    count: int  # type: ignore[assignment]  # the field shadows tuple.count, on purpose
    weight: float
    points: float


class Strength(NamedTuple):
    score: int  # 0–100
    points: float  # Σ weight · ½^(age / half-life)
    parts: tuple[StrengthPart, ...]  # biggest contribution first
    half_life_days: int = HALF_LIFE_DAYS
    scale: float = SCALE


def decay(age_days: int, half_life: int = HALF_LIFE_DAYS) -> float:
    """½^(age / half-life): 1 today, 0.5 one half-life ago."""
    return 0.5 ** (max(age_days, 0) / half_life)


@lru_cache(maxsize=4)
def _decays(today: dt.date) -> dict[dt.date, float]:
    """date → decay of an interaction on that date, seen from ``today``: filled as dates come
    up.  Dates repeat across contacts (a vault spans a few thousand days), so ``strength`` looks
    most of them up instead of working out the power again."""
    return {}


def score_of(points: float) -> int:
    """Points → 0–100, rounded half up so 44.5 is 45 on every platform."""
    return int(math.floor(100 * (1 - math.exp(-points / SCALE)) + 0.5))


def strength(history: Iterable[Interaction], today: dt.date) -> Strength:
    """Recency, frequency and depth in one number: the decaying, kind-weighted sum of every past
    interaction (plans after ``today`` do not count), squashed into 0–100.

    It runs over every interaction of every contact, so the loop keeps to local names, and
    each kind's weight and each date's decay are looked up, not worked out again."""
    per_kind: dict[str, list[Any]] = {}  # kind → [count, weight, points]
    slot_of = per_kind.get
    weights = KIND_WEIGHTS
    decays = _decays(today)
    decay_of = decays.get
    for i in history:
        d = i.date
        if d > today:
            continue
        kind = i.kind or "other"
        slot = slot_of(kind)
        if slot is None:
            slot = per_kind[kind] = [0, weights.get(kind, DEFAULT_WEIGHT), 0.0]
        f = decay_of(d)
        if f is None:
            f = decays[d] = decay((today - d).days)
        slot[0] += 1
        slot[2] += slot[1] * f
    parts = tuple(sorted((StrengthPart(k, n, w, p) for k, (n, w, p) in per_kind.items()),
                         key=_biggest_first))
    points = sum(p.points for p in parts)
    return Strength(score_of(points), points, parts)


def _biggest_first(p: StrengthPart) -> tuple[float, str]:
    return -p.points, p.kind


class Trend(NamedTuple):
    """``warming``, ``steady`` or ``cooling`` (None: nothing in either window)."""

    label: str | None
    recent: float  # Σ kind weights, last 12 months
    before: float  # Σ kind weights, the 12 months before
    recent_count: int
    before_count: int


def trend(history: Iterable[Interaction], today: dt.date) -> Trend:
    """The last 12 months against the 12 before, in kind-weighted points without decay (decay
    would make every relationship look like it is cooling)."""
    recent = before = 0.0
    n_recent = n_before = 0
    weights = KIND_WEIGHTS
    today_n = today.toordinal()
    for i in history:
        age = today_n - i.date.toordinal()
        if 0 <= age < TREND_DAYS:
            recent += weights.get(i.kind or "", DEFAULT_WEIGHT)
            n_recent += 1
        elif TREND_DAYS <= age < 2 * TREND_DAYS:
            before += weights.get(i.kind or "", DEFAULT_WEIGHT)
            n_before += 1
    label: str | None
    if recent == 0 and before == 0:
        label = None
    elif recent >= before * (1 + TREND_RATIO) and recent - before >= TREND_MIN:
        label = "warming"
    elif recent <= before * (1 - TREND_RATIO) and before - recent >= TREND_MIN:
        label = "cooling"
    else:
        label = "steady"
    return Trend(label, round(recent, 2), round(before, 2), n_recent, n_before)


class Reciprocity(NamedTuple):
    window_days: int
    gave: int
    got: int
    balance: int  # gave − got
    turn: str | None  # "yours" | "theirs" | None
    flag: str | None  # "only-take" | "only-give" | None
    words: str | None


_FLAGS = {"you only take lately": "only-take", "you only give lately": "only-give"}


def reciprocity(s: Status) -> Reciprocity:
    """Give and take over the status window (12 months), with the same words the summary uses."""
    words = balance(s.gave_12m, s.got_12m)
    return Reciprocity(365, s.gave_12m, s.got_12m, s.gave_12m - s.got_12m, s.turn,
                       _FLAGS.get(words or ""), words)


class CareerMove(NamedTuple):
    date: dt.date | None
    from_company: str
    from_role: str
    to_company: str
    to_role: str

    @property
    def text(self) -> str:
        to = " at ".join(x for x in (self.to_role, self.to_company) if x)
        was = " at ".join(x for x in (self.from_role, self.from_company) if x)
        what = "moved to" if self.to_company and self.to_company != self.from_company \
            else "new role:"
        return f"{what} {to}" + (f" (was {was})" if was else "") + (
            f" in {self.date:%b %Y}" if self.date else "")


def career_moves(c: Contact) -> tuple[CareerMove, ...]:
    """Moves between consecutive positions of the ``history:`` list, the last one to the current
    ``company``/``role``.  A move is dated by the old position's ``until`` or the new one's
    ``since``; oldest first."""
    if not c.history:  # most contacts: at most the current position, so no move
        return ()
    steps = sorted(c.history, key=lambda s: (s.until or s.since or dt.date.min))
    current = CareerStep(c.company, c.role, None, None)
    chain = [*steps, current] if (c.company or c.role) else steps
    moves = []
    for old, new in zip(chain, chain[1:], strict=False):
        if fold(old.company) == fold(new.company) and fold(old.role) == fold(new.role):
            continue
        moves.append(CareerMove(old.until or new.since, old.company, old.role, new.company,
                                new.role))
    return tuple(moves)


_date = attrgetter("date")


# --- common ground -------------------------------------------------------------------------------

class Helper(NamedTuple):
    """Someone who might help with a contact's agenda (id None: the owner)."""

    id: str | None
    name: str
    matches: tuple[str, ...]  # what of theirs the agenda mentions, e.g. "field climate tech"


class SharedWith(NamedTuple):
    id: str
    name: str
    items: tuple[str, ...]


class CommonGround(NamedTuple):
    with_me: tuple[str, ...]  # interests and tags the contact shares with the owner
    same_field: bool  # the contact's field is the owner's
    with_contacts: tuple[SharedWith, ...]  # most shared first, at most MAX_SHARED
    agenda: str
    helpers: tuple[Helper, ...]  # who might help with the agenda, you first


def topics(c: Contact) -> tuple[str, ...]:
    """Interests, then tags, without repeats (one topic by words.topic_key: case, accents,
    punctuation and plurals aside)."""
    seen: dict[str, str] = {}
    for t in (*c.interests, *c.tags):
        seen.setdefault(topic_key(t), t)
    return tuple(seen.values())


class Index:
    """Built once per vault so that per-contact questions ("who shares chess?", "who works in
    climate tech?") are lookups, not scans of every contact."""

    def __init__(self, vault: Vault):
        self.vault = vault
        self.topics: dict[str, dict[str, str]] = {}  # id → folded topic → as written
        self.by_topic: dict[str, list[str]] = defaultdict(list)
        # phrase key → [(contact id, "field climate tech")]: what an agenda can mention
        self.offers: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for c in vault.contacts:
            mine = self.topics[c.id] = {topic_key(t): t for t in topics(c)}
            for key in mine:
                self.by_topic[key].append(c.id)
            company = "" if fold(c.company) in NOT_A_COMPANY else c.company
            offered = [("field", c.field), ("company", company),
                       *(("interest", t) for t in c.interests)]
            for label, value in offered:
                if phrase := offer_key(value):
                    self.offers[phrase].append((c.id, f"{label} {value}"))
        me = vault.config.me
        self.my_topics = {topic_key(t) for t in (*me.interests, *me.tags)}
        self.my_offers = [(k, f"field {me.field}")] if (k := offer_key(me.field)) else []
        self.my_offers += [(k, f"interest {t}") for t in (*me.interests, *me.tags)
                           if (k := offer_key(t))]
        lengths = [len(k.split()) for k in self.offers] + [len(k.split()) for k, _ in
                                                             self.my_offers]
        self.longest = min(max(lengths, default=1), 6)
        self._helpers: dict[str, tuple[Helper, ...]] = {}

    @cached_property
    def graph(self) -> Graph:
        """Who knows whom (network.contact_graph), so no introduction is suggested twice."""
        return contact_graph(self.vault)

    @cached_property
    def wanted_by(self) -> dict[str, list[tuple[str, tuple[str, ...]]]]:
        """Contact id → (id of a contact whose agenda names them, what it names), in id order."""
        out: dict[str, list[tuple[str, tuple[str, ...]]]] = defaultdict(list)
        for c in self.vault.contacts:
            for h in self.helpers(c, limit=None):
                if h.id is not None:
                    out[h.id].append((c.id, h.matches))
        return out

    @staticmethod
    def key_of(topic: str) -> str:
        """The key of a topic in ``by_topic`` (words.topic_key)."""
        return topic_key(topic)

    def offered_by(self, match: str) -> int:
        """How many contacts offer what a helper's match names (``"field software"``: every
        contact whose field, company or interest is "software"), for its rarity."""
        return len({cid for cid, _ in self.offers.get(offer_key(match.split(" ", 1)[-1]), ())})

    def shared(self, a: str, b: str) -> list[str]:
        """Topics of ``a`` that ``b`` shares, as ``a`` wrote them, in ``a``'s order."""
        theirs = self.topics[b]
        return [t for key, t in self.topics[a].items() if key in theirs]

    def shared_with(self, c: Contact) -> tuple[SharedWith, ...]:
        """The contacts sharing the most topics with ``c`` (then by id), at most MAX_SHARED.

        Fast path: the topic groups are counted in C (Counter), and the best are picked level by
        level (most topics shared first), so no key is worked out per candidate; only the few
        picked have their shared topics listed."""
        groups = [(t, group) for key, t in self.topics[c.id].items()
                  if len(group := self.by_topic.get(key, [])) <= MAX_GROUP]
        counts = Counter(chain.from_iterable(group for _, group in groups))
        counts.pop(c.id, None)
        ranked: list[str] = []
        level = max(counts.values(), default=0)
        while level > 0 and len(ranked) < MAX_SHARED:
            ranked += sorted(o for o, n in counts.items() if n == level)[:MAX_SHARED - len(ranked)]
            level -= 1
        by_id = self.vault.by_id
        return tuple(SharedWith(i, by_id[i].name, tuple(t for t, group in groups if i in group))
                     for i in ranked)

    def helpers(self, c: Contact, *, limit: int | None = MAX_HELPERS) -> tuple[Helper, ...]:
        """Who the contact's agenda mentions: the owner (field or interests), then contacts whose
        field, company or interests appear in it as whole words — most matches first."""
        if c.id not in self._helpers:
            self._helpers[c.id] = self._find_helpers(c)
        found = self._helpers[c.id]
        return found[:limit] if limit is not None else found

    def _find_helpers(self, c: Contact) -> tuple[Helper, ...]:
        if not c.agenda.strip():
            return ()
        said = terms(c.agenda, self.longest)
        mine = [what for key, what in self.my_offers if key in said]
        found: dict[str, list[str]] = defaultdict(list)
        for key in sorted(said & self.offers.keys()):
            group = self.offers[key]
            if len(group) > MAX_GROUP:
                continue
            for cid, what in group:
                if cid != c.id and what not in found[cid]:
                    found[cid].append(what)
        ranked = sorted(found.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        by_id = self.vault.by_id
        out = [Helper(None, "you", tuple(mine))] if mine else []
        out += [Helper(i, by_id[i].name, tuple(w)) for i, w in ranked]
        return tuple(out)


    def ground(self, c: Contact) -> Ground:
        """Everything the rest of the vault says about ``c`` that no date changes: common
        ground, and the introductions and help its agenda (or another's) asks for."""
        me = self.vault.config.me
        with_me = tuple(t for key, t in self.topics[c.id].items() if key in self.my_topics)
        same = bool(me.field) and fold(me.field) == fold(c.field)
        cg = CommonGround(with_me, same, self.shared_with(c), c.agenda, self.helpers(c))
        reasons: list[Reason] = []
        if c.agenda.strip():
            helpers = self.helpers(c, limit=None)
            graph = self.graph
            h = next((h for h in helpers if h.id is not None and not graph.tied(c.id, h.id)),
                     None)
            if h is not None:
                reasons.append(Reason("introduction", f"introduce them to {h.name} ("
                                      + ", ".join(h.matches[:2]) + ") for their agenda", 55))
            elif helpers and helpers[0].id is None:
                reasons.append(Reason("help", "offer your help: their agenda mentions your "
                                      + ", ".join(helpers[0].matches[:2]), 48))
        for other, matches in self.wanted_by.get(c.id, ()):
            if not self.graph.tied(c.id, other):
                o = self.vault.by_id[other]
                what = matches[0].split(" ", 1)[-1]  # "field software" → "software"
                reasons.append(Reason("introduction", f"introduce them to {o.name}, whose "
                                      f"agenda needs {what}: {o.agenda}", 46))
                break
        return Ground(cg, tuple(reasons))


class Ground(NamedTuple):
    """A contact's place among the others (``Index.ground``): it depends on who is in the vault,
    their fields and agendas and who knows whom, never on a date, so a report can keep it while
    only log lines change."""

    common_ground: CommonGround
    reasons: tuple[Reason, ...]  # introductions and help to offer, scored like analyse's


def common_ground(vault: Vault, c: Contact, index: Index | None = None) -> CommonGround:
    return (index or Index(vault)).ground(c).common_ground


# --- the whole relationship ----------------------------------------------------------------------

class Relationship(NamedTuple):
    strength: Strength
    trend: Trend
    reciprocity: Reciprocity
    common_ground: CommonGround
    career_moves: tuple[CareerMove, ...]


def relationship(vault: Vault, s: Status, today: dt.date, index: Index | None = None
                 ) -> Relationship:
    index = index or Index(vault)
    c = s.contact
    return assess(c, vault.interactions_of(c.id), today, vault.config, index.ground(c))[1]


def assess(c: Contact, history: Sequence[Interaction], today: dt.date, config: Config,
           ground: Ground) -> tuple[Status, Relationship]:
    """One contact, whole: its status and its relationship, from its own history (oldest
    first), the config and its ground.  Pure and per contact: the unit a report is made of, and
    what a report of a big vault keeps between runs and works out again only for the contacts
    whose notes changed."""
    if any(i.kind in RECORD_KINDS for i in history):  # rare: a line that is not contact
        history = [i for i in history if i.kind not in RECORD_KINDS]
    start = bisect_left(history, today - dt.timedelta(days=2 * TREND_DAYS - 1), key=_date)
    t = trend(history[start:], today)  # older lines count in neither window
    s = status_of(c, history, today, config, dated_reasons(c, today, t) + list(ground.reasons))
    return s, Relationship(strength(history, today), t, reciprocity(s), ground.common_ground,
                           career_moves(c))


def dated_reasons(c: Contact, today: dt.date, t: Trend) -> list[Reason]:
    """The reasons to reach out that this module knows about and that depend on the date: a
    recent career move, a cooling trend (scored on analyse's scale: birthday 60–90, career move
    55–65, introductions 55 and 46 (Index.ground), agenda 50, …)."""
    reasons: list[Reason] = []
    for move in reversed(career_moves(c)):
        if move.date is not None and 0 <= (today - move.date).days <= RECENT_MOVE_DAYS:
            fresh = (today - move.date).days <= 90
            reasons.append(Reason("career", f"congratulate them: {move.text}",
                                  65 if fresh else 55))
            break
    if t.label == "cooling":
        reasons.append(Reason("cooling", f"cooling: {t.recent_count} interactions in the last "
                              f"12 months, {t.before_count} the 12 before", 35))
    return reasons


# --- as plain data (the JSON shape; docs/analysis.md) ---------------------------------------------

def relationship_data(r: Relationship) -> dict[str, Any]:
    """A relationship as plain values, floats rounded to 3 places so output is stable."""
    s, t, rc, cg = r.strength, r.trend, r.reciprocity, r.common_ground
    return {
        "strength": {
            "score": s.score, "points": round(s.points, 3), "half_life_days": s.half_life_days,
            "scale": s.scale,
            "parts": [{"kind": kind, "count": count, "weight": weight, "points": round(points, 3)}
                      for kind, count, weight, points in s.parts],
        },
        "trend": {"label": t.label, "window_days": TREND_DAYS, "recent": t.recent,
                  "before": t.before, "recent_count": t.recent_count,
                  "before_count": t.before_count},
        "reciprocity": {"window_days": rc.window_days, "gave": rc.gave, "got": rc.got,
                        "balance": rc.balance, "turn": rc.turn, "flag": rc.flag,
                        "words": rc.words},
        "common_ground": {
            "with_me": list(cg.with_me), "same_field": cg.same_field,
            "with_contacts": [{"id": i, "name": name, "shared": list(items)}
                              for i, name, items in cg.with_contacts],
            "agenda": cg.agenda,
            "helpers": [{"id": i, "name": name, "matches": list(matches)}
                        for i, name, matches in cg.helpers],
        },
        "career_moves": [{"date": m.date.isoformat() if m.date else None,
                          "from_company": m.from_company, "from_role": m.from_role,
                          "to_company": m.to_company, "to_role": m.to_role, "text": m.text}
                         for m in r.career_moves],
    }
