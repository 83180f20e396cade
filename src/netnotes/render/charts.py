"""The pictures of the HTML report as plain data: coordinates computed here, drawn by the template.

Every chart is laid out in Python, deterministically (same vault and day → same numbers), so the
template only loops over shapes and the page needs no JavaScript, no fonts and no network.  The
functions are pure: model objects, the report's own data and a date in; dicts and lists out.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
from collections import Counter, defaultdict
from collections.abc import Collection
from operator import attrgetter
from pathlib import Path
from typing import Any
from urllib.parse import quote

from netnotes.analysis import last_year, unlinked
from netnotes.core import HISTORY_LISTED, WIKILINK, Interaction, Vault, slugify

_date = attrgetter("date")
PALETTE_SIZE = 8  # cluster colours cl0 … cl7 in the stylesheet; more clusters reuse them
MAX_GRAPH_NODES = 150  # beyond this a drawing is a hairball; the rest are listed, not drawn
MAX_LABELS = 45  # above this many nodes only the top tier is labelled
MAX_BALANCE_ROWS = 12


def _r(x: float) -> float:
    """Coordinates with one decimal: short SVG, and no float noise between platforms."""
    return round(x, 1) + 0.0


# --- calendar heatmap ------------------------------------------------------------------------

CELL, GAP, LEFT, TOP = 11, 2, 30, 16

def interaction_view(i: Interaction | None) -> dict[str, Any] | None:
    """One interaction as templates see it: the report's rows and the HTML history share it."""
    if i is None:
        return None
    return {"date": i.date.isoformat(), "kind": i.kind, "text": i.text, "gave": i.gave,
            "got": i.got, "people": list(i.people), "source": str(i.source)}


def heatmap(vault: Vault, today: dt.date) -> dict[str, Any]:
    """Interactions per day over the last year, as week columns (Monday on top) like a
    contribution calendar.  An interaction with three people counts once: it is one meeting."""
    first = today - dt.timedelta(days=364)
    start = first - dt.timedelta(days=first.weekday())
    per_day = Counter(map(_date, last_year(vault, today)))  # first … today: one slice
    peak = max(per_day.values(), default=0)
    cells = []
    months = []
    day = start
    while day <= today:
        week = (day - start).days // 7
        n = per_day.get(day, 0) if day >= first else 0
        level = 0 if n == 0 else min(4, math.ceil(4 * n / peak))
        cells.append({"x": LEFT + week * (CELL + GAP), "y": TOP + day.weekday() * (CELL + GAP),
                      "date": day.isoformat(), "count": n, "level": level,
                      "outside": day < first})
        if day.day == 1 or (day == start and day.day <= 7):
            months.append({"x": LEFT + week * (CELL + GAP), "label": f"{day:%b}"})
        day += dt.timedelta(days=1)
    weeks = (today - start).days // 7 + 1
    busiest = max(sorted(per_day.items()), key=lambda kv: kv[1], default=None)
    return {
        "width": LEFT + weeks * (CELL + GAP), "height": TOP + 7 * (CELL + GAP),
        "cell": CELL, "cells": cells, "months": months,
        "weekdays": [{"y": TOP + d * (CELL + GAP) + CELL - 2, "label": label}
                     for d, label in ((0, "Mon"), (2, "Wed"), (4, "Fri"))],
        "from": first.isoformat(), "to": today.isoformat(),
        "total": sum(per_day.values()), "active_days": len(per_day), "peak": peak,
        "busiest": {"date": busiest[0].isoformat(), "count": busiest[1]} if busiest else None,
    }


# --- bars -----------------------------------------------------------------------------------

BAR_LEFT, BAR_WIDTH, BAR_HEIGHT, BAR_GAP = 70, 220, 18, 8


def tier_bars(tiers: list[dict[str, Any]]) -> dict[str, Any]:
    """Contacts per tier, with the overdue part of each bar in the warning colour."""
    top = max((t["contacts"] for t in tiers), default=0) or 1
    rows = []
    for n, t in enumerate(tiers):
        w = BAR_WIDTH * t["contacts"] / top
        rows.append({"name": t["name"], "cadence": t["cadence"], "contacts": t["contacts"],
                     "overdue": t["overdue"], "y": n * (BAR_HEIGHT + BAR_GAP),
                     "width": _r(w), "overdue_width": _r(w * t["overdue"] / t["contacts"])
                     if t["contacts"] else 0.0})
    return {"rows": rows, "left": BAR_LEFT, "bar": BAR_WIDTH, "bar_height": BAR_HEIGHT,
            "width": BAR_LEFT + BAR_WIDTH + 100,
            "height": max(len(rows) * (BAR_HEIGHT + BAR_GAP) - BAR_GAP, BAR_HEIGHT)}


def balance_chart(contacts: list[dict[str, Any]], gave: int, got: int) -> dict[str, Any]:
    """Give and take of the last 12 months, per contact: what you gave to the right of the
    middle line, what you received to the left.  Busiest relationships first."""
    rows = [c for c in contacts if c["gave_12m"] or c["got_12m"]]
    rows.sort(key=lambda c: (-(c["gave_12m"] + c["got_12m"]), c["id"]))
    shown = rows[:MAX_BALANCE_ROWS]
    top = max((max(c["gave_12m"], c["got_12m"]) for c in shown), default=0) or 1
    half = 150
    out = []
    for n, c in enumerate(shown):
        out.append({"id": c["id"], "name": c["name"], "gave": c["gave_12m"], "got": c["got_12m"],
                    "y": n * (BAR_HEIGHT + BAR_GAP),
                    "gave_width": _r(half * c["gave_12m"] / top),
                    "got_width": _r(half * c["got_12m"] / top)})
    return {"rows": out, "more": len(rows) - len(shown), "gave": gave, "got": got,
            "left": 150, "half": half, "bar_height": BAR_HEIGHT,
            "width": 150 + 2 * half + 30,
            "height": max(len(out) * (BAR_HEIGHT + BAR_GAP) - BAR_GAP, BAR_HEIGHT)}


# --- the network graph ------------------------------------------------------------------------

SIZE = 720
GROUP_GAP = 1.5  # empty space between clusters, in node widths
CENTRE = SIZE / 2


VIA_WORDS = {"knows": "knows", "introduced_by": "introduced", "together": "met together"}


# Over 80 lines on purpose: one layout computed in steps that share their intermediate tables
# (rings by tier, slices by community, positions, then lines and labels); the steps read top to
# bottom as the picture is drawn, and pieces would pass half a dozen tables to each other.
def network_graph(vault: Vault, rows: list[dict[str, Any]], graph: dict[str, Any],
                  carded: Collection[str] | None = None) -> dict[str, Any]:
    """The owner in the middle, a ring per tier (the most important nearest), and each community
    of people who know each other in its own slice of the circle, so most lines stay short.

    ``graph`` is the analysis's own graph as report_data gives it (``network.graph``: its
    ``edge_list`` and ``communities``, from network.py), so the drawing shows exactly the ties
    and groups the analysis measured; only positions are worked out here.  ``neighbours``
    (whom each person knows, by name) is only for the people in ``carded`` (None: everyone):
    only a person's card lists them, and sorting every contact's ties by name took half the
    time of the drawing at 10,000 contacts."""
    rank = {t.name: t.rank for t in vault.config.tiers}
    last_rank = len(vault.config.tiers)
    by_id = {r["id"]: r for r in rows}
    chosen = sorted(by_id, key=lambda i: (rank.get(by_id[i]["tier"], last_rank),
                                          -by_id[i]["interactions_12m"], i))[:MAX_GRAPH_NODES]
    ids = sorted(chosen)
    drawn = set(chosen)
    links = {(e["a"], e["b"]): e["via"] for e in graph["edge_list"]
             if e["a"] in by_id and e["b"] in by_id}
    drawn_links = {k: v for k, v in links.items() if k[0] in drawn and k[1] in drawn}
    community = {m["id"]: n for n, cl in enumerate(graph["communities"]) for m in cl["members"]}
    groups: dict[int, list[str]] = defaultdict(list)
    for i in ids:
        if i in community:
            groups[community[i]].append(i)
    # a community with one member drawn (the rest left out of a big drawing) joins the loners
    real = sorted((n for n, g in groups.items() if len(g) > 1), key=lambda n: (-len(groups[n]), n))
    placed = {i for n in real for i in groups[n]}
    loners = [i for i in ids if i not in placed]
    ordered = [groups[n] for n in real] + ([loners] if loners else [])
    names = [graph["communities"][n]["label"] for n in real] + ["on their own"]

    rings = sorted({rank.get(by_id[i]["tier"], last_rank) for i in ids})
    inner, outer = 90.0, 265.0
    radius = {r: inner + (outer - inner) * (n / max(len(rings) - 1, 1)) if len(rings) > 1
              else (inner + outer) / 2 for n, r in enumerate(rings)}
    units = sum(len(g) + GROUP_GAP for g in ordered) or 1
    per_unit = 2 * math.pi / units
    angle = -math.pi / 2 + GROUP_GAP * per_unit / 2  # a gap at the top for the ring labels
    nodes: list[dict[str, Any]] = []
    legend: list[dict[str, Any]] = []
    labelled = len(ids) <= MAX_LABELS
    # In a big drawing only the top tier is named, and only if its names have room on the ring.
    top_count = sum(1 for i in ids if rank.get(by_id[i]["tier"], last_rank) == rings[0]) \
        if rings else 0
    top_labelled = labelled or top_count <= 2 * math.pi * radius[rings[0]] / 40 if rings \
        else False
    for n, group in enumerate(ordered):
        is_loners = bool(loners) and group is ordered[-1]
        colour = "none" if is_loners else f"cl{n % PALETTE_SIZE}"
        span = len(group) * per_unit
        legend.append({"class": colour, "label": names[n], "size": len(group),
                       "members": [by_id[i]["name"] for i in group[:6]]})
        present = [ring for ring in rings
                   if any(rank.get(by_id[i]["tier"], last_rank) == ring for i in group)]
        for j, ring in enumerate(present):
            here = [i for i in group if rank.get(by_id[i]["tier"], last_rank) == ring]
            # neighbouring rings a quarter slot apart, so two people of one group never sit on
            # one ray, where their names would run into each other
            shift = 0.25 if j % 2 else -0.25
            for k, cid in enumerate(here):
                theta = angle + span * (k + 0.5 + shift) / len(here)
                r = radius[ring] + ((k % 2) * 14 - 7 if len(here) > 3 else 0)
                row = by_id[cid]
                x, y = CENTRE + r * math.cos(theta), CENTRE + r * math.sin(theta)
                cos = math.cos(theta)
                nodes.append({
                    "id": cid, "name": row["name"], "tier": row["tier"], "class": colour,
                    "cluster": legend[-1]["label"], "x": _r(x), "y": _r(y),
                    "r": _r(4 + min(row["interactions_12m"], 12) * 0.5),
                    "overdue": row["days_overdue"] is not None,
                    "label": labelled or (top_labelled and ring == rings[0]),
                    "lx": _r(x + (9 if cos > 0.2 else -9 if cos < -0.2 else 0)),
                    "ly": _r(y + (4 if abs(cos) > 0.2 else (15 if math.sin(theta) > 0 else -9))),
                    "anchor": "start" if cos > 0.2 else "end" if cos < -0.2 else "middle",
                })
        angle += (len(group) + GROUP_GAP) * per_unit
    nodes.sort(key=lambda nd: nd["id"])
    pos = {nd["id"]: nd for nd in nodes}
    lines = [{"x1": pos[a]["x"], "y1": pos[a]["y"], "x2": pos[b]["x"], "y2": pos[b]["y"],
              "width": _r(0.8 + len(via) * 0.5),
              "title": f"{by_id[a]['name']} – {by_id[b]['name']}: "
                       + ", ".join(VIA_WORDS.get(w, w) for w in via)}
             for (a, b), via in sorted(drawn_links.items())]
    neighbours: dict[str, list[str]] = defaultdict(list)
    for a, b in sorted(links):
        if carded is None or a in carded:
            neighbours[a].append(b)
        if carded is None or b in carded:
            neighbours[b].append(a)
    return {
        "size": SIZE, "centre": CENTRE, "top": _r(CENTRE - outer - 24),
        "height": _r(2 * (outer + 24)), "owner": vault.config.me.name or "You",
        "rings": [{"r": _r(radius[r]), "tier": vault.config.tiers[r].name
                   if r < len(vault.config.tiers) else "other"} for r in rings],
        "nodes": nodes, "edges": lines, "clusters": legend,
        "drawn": len(nodes), "total": len(rows), "links": len(links),
        "neighbours": {k: sorted(v, key=lambda i: (by_id[i]["name"], i))
                       for k, v in sorted(neighbours.items())},
    }


# --- everything the HTML template needs beyond report_data -----------------------------------

def note_href(root: Path, out: str | os.PathLike[str] | None, rel: str) -> str:
    """A relative link from the report file to a note (from the vault root when printed)."""
    base = "."
    if out is not None:
        base = os.path.relpath(root, Path(out).resolve().parent)
    path = rel if base == "." else f"{Path(base).as_posix()}/{rel}"
    return quote(path)


def readable(text: str, names: dict[str, str]) -> str:
    """Log text for reading: ``[[ana-lucia-ferreira]]`` → ``Ana Lúcia Ferreira`` when the link
    names a contact; ``#gave``/``#got`` markers dropped (the chart shows them).

    Without a link it is just ``unlinked`` (whose fast path most lines take)."""
    if "[[" not in text:
        return unlinked(text)

    def name(m: re.Match[str]) -> str:
        target = m.group(1).strip()
        return names.get(target) or names.get(slugify(target)) or m.group(0)

    return unlinked(WIKILINK.sub(name, text))


# --- strength histogram ----------------------------------------------------------------------

HIST_BAR, HIST_GAP, HIST_HEIGHT = 34, 6, 90


def strength_histogram(contacts: list[dict[str, Any]]) -> dict[str, Any]:
    """How many contacts have each strength, in steps of ten (0–9 … 90–100): the whole vault
    in eleven bars however big it is, where a list would need one row a contact."""
    counts = [0] * 10
    for c in contacts:
        counts[min(int(c["strength"]) // 10, 9)] += 1
    top = max(counts) or 1
    bars = []
    for n, k in enumerate(counts):
        h = _r(HIST_HEIGHT * k / top)
        bars.append({"label": f"{10 * n}–{10 * n + 9 if n < 9 else 100}", "count": k,
                     "x": n * (HIST_BAR + HIST_GAP), "y": _r(14 + HIST_HEIGHT - h), "h": h})
    return {"bars": bars, "bar": HIST_BAR, "total": len(contacts),
            "width": 10 * (HIST_BAR + HIST_GAP), "height": 14 + HIST_HEIGHT + 16}


# --- who gets a card ---------------------------------------------------------------------------

HISTORY_SHOWN = 20  # log lines on a card of a bounded report; the note has the rest


def carded_ids(data: dict[str, Any], limit: int | None) -> set[str]:
    """The contacts a bounded HTML report gives a card: everyone it names in a list (the first
    ``limit`` of each), the busiest of the give-and-take chart and the brokers; with no limit
    (``--all``), every contact."""
    if limit is None:
        return {c["id"] for c in data["contacts"]}
    net = data["network"]
    few = net["critical_few"]
    lists = [data["overdue"], data["due_soon"], data["strongest"], net["cooling"],
             few["cooling"], net["tier_suggestions"], net["birthdays"], net["never_contacted"]]
    ids = {x["id"] for xs in lists for x in xs[:limit]}
    ids.update(b["id"] for b in net["graph"]["brokers"][:6])
    for i in net["introductions"][:max(5, limit)]:
        ids.update((i["a"]["id"], i["b"]["id"]))
    for m in net["introductions_made"]["recent"]:
        ids.update(p["id"] for p in m["people"])
    return ids


def html_context(vault: Vault, today: dt.date, data: dict[str, Any],
                 out: str | os.PathLike[str] | None = None,
                 limit: int | None = None) -> dict[str, Any]:
    """The ``html`` key of the HTML template's context: charts, the history of each contact
    with a card and the links to their note files.  Kept apart from ``report_data`` so the
    JSON stays lean.  A bounded report (``limit`` people a list) gives cards only to the
    people it names, so the page is the same few hundred kilobytes for any vault."""
    net = data["network"]
    names = {c.id: c.name for c in vault.contacts}
    balance = balance_chart(data["contacts"], net["gave_12m"], net["got_12m"])
    carded = carded_ids(data, limit) | {r["id"] for r in balance["rows"]}
    cards = [c for c in data["contacts"] if c["id"] in carded]
    # even --all lists a bounded history: one note of 80,000 log lines must not make the page huge
    shown = HISTORY_LISTED if limit is None else HISTORY_SHOWN

    # A line linking two people is in both histories: read each linked line once.
    linked: dict[str, str] = {}

    def history_row(i: Interaction) -> dict[str, Any]:
        """The report's interaction shape plus the text for reading and whether it is a plan."""
        row: dict[str, Any] = interaction_view(i)  # type: ignore[assignment]  # never None here
        text = i.text
        if "[[" in text:
            if text not in linked:
                linked[text] = readable(text, names)
            text = linked[text]
        else:
            text = readable(text, names)
        row["plain"] = text
        row["planned"] = i.date > today
        return row

    by_id = vault.by_id
    return {
        "heatmap": heatmap(vault, today),
        "tiers": tier_bars(net["tiers"]),
        "balance": balance,
        "strengths": strength_histogram(data["contacts"]),
        "graph": network_graph(vault, data["contacts"], net["graph"], carded),
        "names": names,
        "carded": carded,
        "cards": cards,
        "history_shown": shown,
        "history": {c["id"]: [history_row(i) for i in vault.newest_of(c["id"], shown)]
                    for c in cards},
        "history_total": {c["id"]: len(vault.interactions_of(c["id"])) for c in cards},
        "note_href": {c["id"]: note_href(vault.root, out, by_id[c["id"]].path) for c in cards},
        "introductions_made": [m | {"plain": readable(m["text"], names)}
                               for m in net["introductions_made"]["recent"]],
        "report": data,  # so a template can show keys it does not know yet
    }
