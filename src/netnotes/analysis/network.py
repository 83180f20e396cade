"""The network's shape: diversity, the graph of who knows whom (Burt's constraint, brokerage,
clusters and groups) and introductions to make — what depends on who is in the vault and who
knows whom, never on a date (figures.py works out the rest from each contact's Facts).

Pure analysis like analyse.py: the vault in, small dataclasses out.  The graph
code is written by hand (a dict of neighbour sets) rather than pulling in networkx: the vault's
graphs are small, the measures are a few lines each, and tests check them against the published
example (Borgatti 1997) that networkx's own tests use.  Formulas: docs/analysis.md.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple

from netnotes.analysis.figures import Brief
from netnotes.analysis.graph import Graph
from netnotes.analysis.strength import MAX_GROUP, Index
from netnotes.core import Vault, fold

MAX_INTRODUCTIONS = 5  # the best few: a person acts on a handful, not a ranked list of fifty
OWNER = "@me"  # the owner's node in the ego network (not a valid contact id: ids are file names)


# --- the graph -----------------------------------------------------------------------------------


Weighted = Mapping[str, Mapping[str, float]]


class Ties:
    """Proportional tie strengths of a graph, for Burt's measures.

    ``Ties(g)``: ``g[a][b]`` is the weight of the tie a → b; an undirected graph lists each tie
    both ways.  Burt uses mutual weights, so a tie counts as a_ij + a_ji in both directions.

    ``Ties.even(sets, order)``: unweighted ties, where every tie of i gets the same share
    p_ij = 1/degree.  That is the very float w / Σw of the weighted form (Σw = degree · w
    exactly), kept as one number per node instead of a row per node, so big graphs stay lean."""

    def __init__(self, g: Weighted):
        mutual: dict[str, dict[str, float]] = defaultdict(dict)
        for a, row in g.items():
            mutual.setdefault(a, {})
            for b, w in row.items():
                if a != b:
                    mutual[a][b] = mutual[a].get(b, 0.0) + w
                    mutual[b][a] = mutual[b].get(a, 0.0) + w
        self._rows: dict[str, dict[str, float]] = {}
        for a, row in mutual.items():
            total = sum(row.values())
            self._rows[a] = {j: w / total for j, w in row.items()} if total else {}
        self._sets: Mapping[str, AbstractSet[str]] = {a: row.keys() for a, row in mutual.items()}
        self._order: Mapping[str, Sequence[str]] = {}
        self._shares: dict[str, float] = {}  # unweighted: p_qj of every j of q
        self._among: dict[str, int] = {}

    @classmethod
    def even(cls, sets: Mapping[str, AbstractSet[str]], order: Mapping[str, Sequence[str]]
             ) -> Ties:
        """Unweighted ties: ``sets[a]`` the neighbours of a, ``order[a]`` the same in the order
        the sums run (only needed for the nodes asked about)."""
        t = cls({})
        t._sets, t._order = sets, order
        t._shares = {a: 1.0 / len(nbrs) for a, nbrs in sets.items() if nbrs}
        return t

    def p(self, i: str) -> Mapping[str, float]:
        """p_ij: the share of i's ties invested in j."""
        if i in self._rows:
            return self._rows[i]
        order = self._order.get(i) or sorted(self._sets.get(i, ()))
        return dict.fromkeys(order, 1.0 / len(order)) if order else {}

    def holes(self, i: str) -> tuple[float | None, int]:
        """Burt's network constraint of ``i`` and the ties among i's contacts, in one pass:

            C_i = Σ_j (p_ij + Σ_{q ≠ i, j} p_iq · p_qj)²  over i's neighbours j

        High (1 and a little more) when i's contacts all know each other or i depends on one
        contact; low when i's contacts are many and mutually unconnected (structural holes).
        None for an isolated node.  Indirect terms are summed over the ties of each q (the
        contacts i and q share), so the cost is the edges around i, not the square of its
        degree; each indirect[j] adds up its terms in the order of q.  The same shared contacts
        counted give the ties among i's contacts (each tie seen from both ends)."""
        mine = self._sets.get(i, frozenset())
        p_i = self.p(i)
        sets = self._sets
        among = 0
        indirect: dict[str, float] = {}
        get = indirect.get
        shares, rows = self._shares, self._rows
        for q, p_iq in p_i.items():
            if mine.isdisjoint(sets[q]):  # most ties: nobody in common, nothing to add
                continue
            common = mine & sets[q]
            among += len(common)
            if q in shares:
                term = p_iq * shares[q]
                for j in common:
                    indirect[j] = get(j, 0.0) + term
            elif p_q := rows.get(q):
                for j in common:
                    indirect[j] = get(j, 0.0) + p_iq * p_q[j]
        if not p_i:  # isolated, or (weighted) ties that weigh nothing in all
            among = sum([len(mine & sets[a]) for a in mine])
        self._among[i] = among // 2
        if not p_i:
            return None, among // 2
        return sum((p_ij + get(j, 0.0)) ** 2 for j, p_ij in p_i.items()), among // 2

    def constraint(self, i: str) -> float | None:
        """Burt's network constraint of node ``i`` (see ``holes``)."""
        return self.holes(i)[0]

    def effective_size(self, i: str) -> float | None:
        """Burt's effective size, in Borgatti's form for unweighted ties: n − 2t/n (n contacts
        of i, t ties among them): how many of i's contacts are not redundant."""
        n = len(self._sets.get(i, ()))
        return n - 2 * self.ties_among(i) / n if n else None

    def ties_among(self, i: str) -> int:
        """Ties between i's contacts (remembered from ``holes``)."""
        if i not in self._among:
            self.holes(i)
        return self._among[i]


@dataclass(frozen=True)
class Ego:
    """The owner's ego network: the owner tied to every active contact, plus the ties among them."""

    alters: int
    ties_among: int
    density: float  # ties among alters / possible ties
    constraint: float | None
    effective_size: float | None


def ego_network(vault: Vault, graph: Graph) -> Ego:
    """Active contacts (in a tier with a cadence) are the owner's alters, each tie weight 1."""
    active = sorted(c.id for c in vault.contacts if c.cadence is not None)
    aset = frozenset(active)
    owner = frozenset((OWNER,))
    sets: dict[str, AbstractSet[str]] = {a: (graph.adj[a] & aset) | owner for a in active}
    sets[OWNER] = aset
    t = Ties.even(sets, {OWNER: active})
    n = len(active)
    possible = n * (n - 1) // 2
    constraint, ties = t.holes(OWNER)
    return Ego(n, ties, ties / possible if possible else 0.0, constraint,
               t.effective_size(OWNER))


class Broker(NamedTuple):
    id: str
    name: str
    degree: int
    open_pairs: int  # pairs of their contacts who are not tied to each other
    constraint: float
    effective_size: float


def brokers(vault: Vault, graph: Graph) -> tuple[Broker, ...]:
    """Each contact with two or more ties in the contact graph, by structural holes spanned
    (open pairs), then lowest constraint.  The owner is left out: tied to everyone, the owner
    would close every hole."""
    t = Ties.even(graph.adj, graph.neighbours)
    by_id = vault.by_id
    # Most contacts are in no triangle (no two of their contacts are tied): Burt's sums have no
    # indirect terms then, and come to what _open_constraint works out once per degree.
    closed = {n for tie in graph.common for n in tie}
    out = []
    for cid in graph.nodes:
        k = len(graph.adj[cid])
        if k < 2:
            continue
        constraint, among = t.holes(cid) if cid in closed else (_open_constraint(k), 0)
        out.append(Broker(cid, by_id[cid].name, k, k * (k - 1) // 2 - among, constraint or 0.0,
                          k - 2 * among / k))
    out.sort(key=lambda b: (-b.open_pairs, b.constraint, b.id))
    return tuple(out)


@lru_cache(maxsize=256)
def _open_constraint(degree: int) -> float:
    """Burt's constraint of a contact with ``degree`` ties, none of whose contacts are tied to
    each other: Σ_j p_ij², summed as Ties.holes sums it (each p_ij = 1 / degree, plus no
    indirect term), so the float is the very same."""
    p = 1.0 / degree
    return sum((p + 0.0) ** 2 for _ in range(degree))


class Cluster(NamedTuple):
    members: tuple[str, ...]
    label: str  # clusters: the field (else company) most share, or ""; communities: always named


def clusters(vault: Vault, graph: Graph) -> tuple[tuple[Cluster, ...], int]:
    """Connected components with two or more contacts, biggest first, and the number of contacts
    tied to nobody else in the vault."""
    seen: set[str] = set()
    found = []
    isolated = 0
    for start in graph.nodes:
        if start in seen:
            continue
        comp, stack = [], [start]
        seen.add(start)
        while stack:
            node = stack.pop()
            comp.append(node)
            for nb in graph.adj[node]:
                if nb not in seen:
                    seen.add(nb)
                    stack.append(nb)
        if len(comp) == 1:
            isolated += 1
            continue
        members = tuple(sorted(comp))
        found.append(Cluster(members, _label(vault, members)))
    found.sort(key=lambda c: (-len(c.members), c.members[0]))
    return tuple(found), isolated


def _label(vault: Vault, members: tuple[str, ...], at_least: int = 2) -> str:
    for attr in ("field", "company"):
        values = [getattr(vault.by_id[m], attr).strip() for m in members]
        tally = _tally(v for v in values if v)
        if tally and tally[0][1] >= at_least:
            return tally[0][0]
    return ""


PROPAGATION_ROUNDS = 50  # label propagation settles in a handful; this only bounds the worst case


def communities(vault: Vault, graph: Graph) -> tuple[Cluster, ...]:
    """Groups inside the connected clusters whose members are tied more to each other than to the
    rest (what the network drawing colours), by label propagation made deterministic: nodes visit
    in id order and take the label most of their neighbours carry, each tie weighted by how many
    ways it is made (knows, introduced_by, together) plus the friends the two have in common;
    ties keep the current label, else the smallest.  Groups of two or more, biggest first, each
    named by the field (else company) at least half of it shares, else — or when a bigger group
    already has that name — "around" its best-connected member.

    Fast path: a node is only looked at again once a neighbour's label has changed since its
    last visit.  With the same neighbour labels it would reach the same decision (keep its
    label), so skipping it changes nothing, and rounds end exactly when they did before."""
    adj = graph.adj
    # Nodes and labels are numbered in id order (graph.nodes is sorted), so the smallest label
    # is the smallest number, and the loops below index lists instead of hashing ids.
    nodes = graph.nodes
    number = {n: k for k, n in enumerate(nodes)}
    # Each node's neighbours, each listed as often as the tie weighs.  Shared friends weigh
    # in, so a triangle holds a group together and one bridge tie does not pull a whole group
    # over to the other side.
    votes: list[list[int]] = [[] for _ in nodes]
    common = graph.common
    nobody: frozenset[str] = frozenset()
    for (a, b), via in graph.via.items():
        w = len(via) + len(common.get((a, b), nobody))
        ka, kb = number[a], number[b]
        votes[ka] += (kb,) * w
        votes[kb] += (ka,) * w
    label = list(range(len(nodes)))
    stale = bytearray(1 if v else 0 for v in votes)  # 1: a neighbour's label changed
    for _ in range(PROPAGATION_ROUNDS):
        changed = False
        for n, mine in enumerate(votes):
            if not stale[n]:
                continue
            stale[n] = 0
            score: dict[int, int] = {}
            get = score.get
            for m in mine:
                lbl = label[m]
                score[lbl] = get(lbl, 0) + 1
            best = max(score.values())
            if get(label[n], 0) == best:
                continue
            label[n] = min(lbl for lbl, s in score.items() if s == best)
            changed = True
            for m in mine:
                stale[m] = 1
        if not changed:
            break
    groups: dict[int, list[str]] = defaultdict(list)
    for node, lbl in zip(nodes, label, strict=True):
        groups[lbl].append(node)
    found = sorted((tuple(g) for g in groups.values() if len(g) > 1), key=lambda g: (-len(g), g))
    out: list[Cluster] = []
    taken: set[str] = set()
    for members in found:
        name = _label(vault, members, at_least=max(2, (len(members) + 1) // 2))
        if not name or fold(name) in taken:
            inside = set(members)
            hub = min(members, key=lambda m: (-len(adj[m] & inside), m))
            name = f"around {vault.by_id[hub].name}"
        taken.add(fold(name))
        out.append(Cluster(members, name))
    return tuple(out)


# --- diversity -----------------------------------------------------------------------------------

def _tally(values: Iterable[str]) -> list[tuple[str, int]]:
    """Count values ignoring case and accents; each group shown as its first spelling; most
    common first, then alphabetically."""
    counts: Counter[str] = Counter()
    shown: dict[str, str] = {}
    for v in values:
        key = fold(v)
        counts[key] += 1
        shown.setdefault(key, v)
    return sorted(((shown[k], n) for k, n in counts.items()), key=lambda kv: (-kv[1], fold(kv[0])))


@dataclass(frozen=True)
class Spread:
    """How contacts spread over the values of one attribute (only contacts where it is known)."""

    attribute: str
    known: int
    unknown: int
    distinct: int
    blau: float  # 1 − Σ p²: the chance two random contacts differ
    shannon: float  # −Σ p ln p, in nats
    evenness: float  # shannon / ln(distinct); 0 with fewer than two values
    top: tuple[tuple[str, int], ...]  # (value, contacts), most common first, at most 5


def spread(attribute: str, values: list[str]) -> Spread:
    known = [v.strip() for v in values if v.strip()]
    tally = _tally(known)
    n = len(known)
    ps = [c / n for _, c in tally] if n else []
    blau = 1 - sum(p * p for p in ps) if n else 0.0
    shannon = max(0.0, -sum(p * math.log(p) for p in ps))  # never "-0.00"
    k = len(tally)
    return Spread(attribute, n, len(values) - n, k, blau, shannon,
                  shannon / math.log(k) if k >= 2 else 0.0, tuple(tally[:5]))


@dataclass(frozen=True)
class Diversity:
    spreads: tuple[Spread, ...]  # field, company, location, met_via
    my_field: str
    in_my_field: int  # contacts whose field is the owner's
    my_field_share: float | None  # of contacts whose field is known; None without [me] field


def diversity(vault: Vault) -> Diversity:
    cs = vault.contacts
    spreads = (spread("field", [c.field for c in cs]), spread("company", [c.company for c in cs]),
               spread("location", [c.location for c in cs]),
               spread("met_via", [c.met_how for c in cs]))
    mine = vault.config.me.field.strip()
    same = sum(1 for c in cs if mine and fold(c.field) == fold(mine))
    known = spreads[0].known
    return Diversity(spreads, mine, same, same / known if mine and known else None)


# --- introductions -------------------------------------------------------------------------------

MAX_PER_PERSON = 2  # suggested for one person: the few best, not one agenda twelve times
AGENDA_FIT = 1.0  # an agenda that names what the other offers, before the rarity of what it names
BRIDGE = 2.0  # a pair in different groups of the graph is worth this many times a pair in one
# "Meaningful relative to the vault": a pair must be worth more than one topic that a quarter of
# the vault shares, in one group (ln 4), which is also one topic half the vault shares across two
# groups (2 · ln 2).  IDF scales with the vault, so this is a share of the vault, not a count.
FLOOR = math.log(4)


class Introduction(NamedTuple):
    a: str
    b: str
    score: float  # (rarity + agenda) · (BRIDGE when they sit in different groups, else 1)
    reasons: tuple[str, ...]
    rarity: float = 0.0  # Σ ln(N / n_t) over the topics the two share
    agenda: float = 0.0  # Σ over each agenda that names the other: AGENDA_FIT + ln(N / n)
    bridge: bool = False  # different groups of the graph (Burt's structural hole between them)


def idf(n: int, total: int) -> float:
    """Inverse document frequency, ln(total / n): 0 for what everyone has, ln(total / 2) for
    what only a pair shares (Spärck Jones 1972)."""
    return math.log(total / n) if n and total > n else 0.0


def group_of(vault: Vault, communities: Sequence[Cluster]) -> dict[str, str]:
    """Contact id → the name of its group (``communities``); a contact in no group of two or more
    is its own circle, named after itself."""
    out = {m: c.label for c in communities for m in c.members}
    for c in vault.contacts:
        out.setdefault(c.id, f"{c.name}, on their own")
    return out


def introduced(vault: Vault) -> frozenset[tuple[str, str]]:
    """Pairs already introduced: every two people named on one ``#intro`` line (or a line of
    kind ``intro``).  Such a line also ties them in the graph; this set says so by name, so the
    rule holds however the graph's ties are ever made."""
    pairs: set[tuple[str, str]] = set()
    for i in vault.note_by_note():
        if len(i.people) > 1 and (i.kind == "intro" or "intro" in i.tags):
            ps = sorted(set(i.people))
            pairs.update((a, b) for n, a in enumerate(ps) for b in ps[n + 1:])
    return frozenset(pairs)


def introductions(vault: Vault, graph: Graph, index: Index,
                  groups: Sequence[Cluster] | None = None) -> tuple[Introduction, ...]:
    """Pairs of active contacts with no tie who would gain from meeting, best first.

    A pair is worth (rarity + agenda) · bridge (docs/analysis.md, "Introductions to make"):

    - *rarity*: Σ ln(N / n_t) over the topics (interests, tags) they share, N contacts in the
      vault, n_t of them with topic t (IDF): the only two beekeepers of 30 earn ln 15 = 2.71,
      a topic half the vault has ln 2 = 0.69;
    - *agenda*: for each of the two whose agenda names the other's field, company or interest,
      AGENDA_FIT + ln(N / n), n the contacts offering what it names;
    - *bridge*: BRIDGE when the two sit in different groups of the graph (communities; someone in
      no group is a circle of their own): an introduction across a structural hole (Burt 1992)
      brings each something their own circle cannot; 1 inside one group.

    Only pairs worth more than FLOOR, at most MAX_PER_PERSON per person and MAX_INTRODUCTIONS in
    all; pairs already introduced (``introduced``) or tied are never suggested."""
    active = {c.id for c in vault.contacts if c.cadence is not None}
    total = len(vault.contacts)
    done = introduced(vault)
    adj = graph.adj
    nobody: frozenset[str] = frozenset()
    circle = group_of(vault, communities(vault, graph) if groups is None else groups)
    rarity: dict[tuple[str, str], float] = defaultdict(float)
    agenda: dict[tuple[str, str], float] = defaultdict(float)
    why: dict[tuple[str, str], list[str]] = defaultdict(list)
    by_id = vault.by_id
    for cid in sorted(active):
        c = by_id[cid]
        for h in index.helpers(c, limit=None):
            if h.id is None or h.id not in active or h.id in adj.get(cid, nobody):
                continue
            k = (cid, h.id) if cid < h.id else (h.id, cid)
            best = max(h.matches, key=lambda m: (idf(index.offered_by(m), total), m))
            agenda[k] += AGENDA_FIT + idf(index.offered_by(best), total)
            why[k].append(f"{c.name}'s agenda ({c.agenda}) fits {h.name}'s "
                          + ", ".join(h.matches))
    for _topic, group in sorted(index.by_topic.items()):
        if len(group) > MAX_GROUP:
            continue
        weight = idf(len(group), total)
        if weight <= 0:
            continue
        members = [m for m in group if m in active]
        for n, a in enumerate(members):
            tied = adj.get(a, nobody)
            for b in members[n + 1:]:
                if b != a and b not in tied:
                    rarity[(a, b) if a < b else (b, a)] += weight
    value: dict[tuple[str, str], float] = {}
    for k in rarity.keys() | agenda.keys():
        if k in done:
            continue
        v = (rarity.get(k, 0.0) + agenda.get(k, 0.0)) * (BRIDGE if circle[k[0]] != circle[k[1]]
                                                         else 1.0)
        if v > FLOOR + 1e-9:
            value[k] = round(v, 3)
    chosen: list[tuple[str, str]] = []
    per: Counter[str] = Counter()
    for k in sorted(value, key=lambda k: (-value[k], k)):
        if per[k[0]] >= MAX_PER_PERSON or per[k[1]] >= MAX_PER_PERSON:
            continue
        chosen.append(k)
        per.update(k)
        if len(chosen) == MAX_INTRODUCTIONS:
            break
    out = []
    for a, b in chosen:
        bridge = circle[a] != circle[b]
        reasons = list(why[(a, b)])
        reasons += [_rare_words(t, len(index.by_topic[index.key_of(t)]), total)
                    for t in index.shared(a, b)
                    if len(index.by_topic[index.key_of(t)]) <= MAX_GROUP]
        reasons.append(f"different circles: {circle[a]} / {circle[b]}" if bridge
                       else f"both in one circle ({circle[a]}), not yet tied")
        out.append(Introduction(a, b, value[(a, b)], tuple(reasons),
                                round(rarity.get((a, b), 0.0), 3),
                                round(agenda.get((a, b), 0.0), 3), bridge))
    return tuple(out)


def _rare_words(topic: str, n: int, total: int) -> str:
    """How rare a shared topic is, in words: "the only two of 30 into beekeeping"."""
    if n == 2:
        return f"the only two of {total} into {topic}"
    return f"both into {topic} ({n} of {total})"


# --- the shape of the network: who is in it and who knows whom ------------------------------------

@dataclass(frozen=True)
class Shape:
    """The network figures that depend only on who is in the vault, their fields, interests and
    agendas, and who knows whom: never on a date or on what a log line says.  So a report can
    keep them while log lines change, and work them out again only when the vault's shape
    changes (memo.py)."""

    diversity: Diversity
    graph: Graph
    ego: Ego
    brokers: tuple[Broker, ...]
    clusters: tuple[Cluster, ...]
    isolated: int
    communities: tuple[Cluster, ...]
    introductions: tuple[Introduction, ...]

    @property
    def brief(self) -> Brief:
        d = self.diversity
        top = d.spreads[0].top
        first = self.introductions[0] if self.introductions else None
        return Brief(d.my_field, d.my_field_share, top[0] if top else None, d.spreads[0].known,
                     (first.a, first.b) if first else None)


def network_shape(vault: Vault, index: Index | None = None) -> Shape:
    index = index or Index(vault)
    graph = index.graph
    groups, isolated = clusters(vault, graph)
    groups_ = communities(vault, graph)
    return Shape(diversity(vault), graph, ego_network(vault, graph), brokers(vault, graph), groups,
                 isolated, groups_, introductions(vault, graph, index, groups_))


def _r(x: float | None) -> float | None:
    return None if x is None else round(x, 3)


def shape_data(n: Shape, vault: Vault) -> dict[str, Any]:
    """The shape as plain values: the ``diversity``, ``graph`` and ``introductions`` keys of the
    report's ``network`` (docs/json.md)."""
    by_id = vault.by_id

    def who(i: str) -> dict[str, str]:
        return {"id": i, "name": by_id[i].name}

    return {
        "diversity": {
            "my_field": n.diversity.my_field, "in_my_field": n.diversity.in_my_field,
            "my_field_share": _r(n.diversity.my_field_share),
            "spreads": [{"attribute": s.attribute, "known": s.known, "unknown": s.unknown,
                         "distinct": s.distinct, "blau": _r(s.blau), "shannon": _r(s.shannon),
                         "evenness": _r(s.evenness),
                         "top": [{"value": v, "contacts": c} for v, c in s.top]}
                        for s in n.diversity.spreads],
        },
        "graph": {
            "nodes": len(n.graph.nodes), "edges": len(n.graph.via),
            "edge_list": [{"a": a, "b": b, "via": list(v)} for (a, b), v in n.graph.via.items()],
            "ego": {"alters": n.ego.alters, "ties_among": n.ego.ties_among,
                    "density": _r(n.ego.density), "constraint": _r(n.ego.constraint),
                    "effective_size": _r(n.ego.effective_size)},
            "brokers": [{"id": b.id, "name": b.name, "degree": b.degree,
                         "open_pairs": b.open_pairs, "constraint": _r(b.constraint),
                         "effective_size": _r(b.effective_size)} for b in n.brokers],
            "clusters": [{"size": len(c.members), "label": c.label,
                          "members": [who(m) for m in c.members]} for c in n.clusters],
            "isolated": n.isolated,
            "communities": [{"size": len(c.members), "label": c.label,
                             "members": [who(m) for m in c.members]} for c in n.communities],
        },
        "introductions": [{"a": who(i.a), "b": who(i.b), "score": i.score,
                           "rarity": i.rarity, "agenda": i.agenda, "bridge": i.bridge,
                           "reasons": list(i.reasons)} for i in n.introductions],
    }
