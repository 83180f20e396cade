"""Who knows whom: the graph of ties between contacts, built once per vault.

Its own module so that strength (introductions not to suggest twice) and network (the
shape of the graph) both build on it without importing each other.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

from netnotes.core import Vault

_WHY = ("introduced_by", "knows", "together")  # the reasons for a tie, as bits 1, 2, 4


# every combination of reason bits as the sorted tuple Graph.via holds
_WHY_SETS = tuple(tuple(w for n, w in enumerate(_WHY) if bits >> n & 1) for bits in range(8))


@dataclass(frozen=True)
class Graph:
    """Undirected, unweighted: ``adj[a]`` is the set of contacts ``a`` is tied to, and
    ``via[(a, b)]`` (a < b) says why: ``knows``, ``introduced_by``, ``together``."""

    nodes: tuple[str, ...]
    adj: Mapping[str, frozenset[str]]
    via: Mapping[tuple[str, str], tuple[str, ...]]

    def tied(self, a: str, b: str) -> bool:
        return b in self.adj.get(a, frozenset())

    @cached_property
    def neighbours(self) -> dict[str, tuple[str, ...]]:
        """Each node's neighbours in id order (the order Burt's sums run in).  contact_graph
        fills this in from the sorted ties it builds anyway; a graph made otherwise sorts them
        here."""
        return {n: tuple(sorted(self.adj.get(n, ()))) for n in self.nodes}

    @cached_property
    def common(self) -> dict[tuple[str, str], frozenset[str]]:
        """The contacts both ends of a tie are tied to, for the ties (keyed as in ``via``) that
        have any.  Few do in a real network (448 of 50,000 ties in a generated vault of 10,000
        contacts), and both Burt's sums (network.brokers) and the groups (network.communities)
        ask every tie: found once here, each asks a small dict."""
        adj = self.adj
        nobody: frozenset[str] = frozenset()
        out = {}
        for a, b in self.via:
            mine, theirs = adj.get(a, nobody), adj.get(b, nobody)
            if not mine.isdisjoint(theirs):
                out[a, b] = mine & theirs
        return out


def contact_graph(vault: Vault) -> Graph:
    """Contacts as nodes; an edge when one note ``knows`` the other, one was ``introduced_by`` the
    other, or both are in one interaction (a log line or journal entry linking two or more).

    Fast path: contacts are numbered in id order and a tie is one int (a · n + b, a < b), so
    sorting the ties sorts ints, not pairs of ids.  The reasons of a tie are collected as bits
    and turned into their sorted tuple once at the end; the neighbour lists are built from the
    sorted ties, so they come out in id order for ``Graph.neighbours`` too."""
    nodes = tuple(sorted(vault.by_id))
    number = {n: k for k, n in enumerate(nodes)}
    size = len(nodes)
    via: dict[int, int] = {}
    get = via.get
    for c in vault.contacts:
        a = number[c.id]
        for other in c.knows:
            b = number.get(other, a)
            if b != a:
                key = a * size + b if a < b else b * size + a
                via[key] = get(key, 0) | 2
        if c.introduced_by:
            b = number.get(c.introduced_by, a)
            if b != a:
                key = a * size + b if a < b else b * size + a
                via[key] = get(key, 0) | 1
    for people in [i.people for i in vault.note_by_note() if len(i.people) > 1]:
        # most log lines name one person (no tie); of the rest most name two
        named = sorted({number[p] for p in people if p in number})
        for n, a in enumerate(named):
            for b in named[n + 1:]:
                key = a * size + b
                via[key] = get(key, 0) | 4
    ties = sorted(via)
    nbrs: list[list[str]] = [[] for _ in nodes]
    for key in ties:
        a, b = divmod(key, size)
        nbrs[a].append(nodes[b])
        nbrs[b].append(nodes[a])
    graph = Graph(nodes, {n: frozenset(v) for n, v in zip(nodes, nbrs, strict=True)},
                  {(nodes[key // size], nodes[key % size]): _WHY_SETS[via[key]] for key in ties})
    graph.__dict__["neighbours"] = {n: tuple(v) for n, v in zip(nodes, nbrs, strict=True)}
    return graph
