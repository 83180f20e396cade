"""The report: analysis → one plain view model → JSON, or a template for text, Markdown and HTML.

``build_report`` is the single function that ``netnotes report``, ``overdue`` and ``watch`` call,
so every format shows the same numbers.  The view model is also the documented JSON shape
(docs/json.md), which is why it holds only plain values.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Sequence
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, SupportsBytes, TypeVar, cast

from netnotes.analysis import (
    Facts,
    Totals,
    due_soon_of,
    is_due_soon,
    note_totals,
    overdue_of,
    sum_totals,
    summary_of,
)
from netnotes.core import (
    Config,
    NetnotesError,
    Problem,
    Vault,
    paused_gc,
)
from netnotes.render.fragments import Kept, Miss
from netnotes.render.jsonout import Raw, encode_utf8_at, pieces
from netnotes.render.rows import ROW_FIELDS, Unit, contact_unit, lazy_unit
from netnotes.vault import Progress

if TYPE_CHECKING:
    from netnotes.analysis import Brief, Ground
    from netnotes.render.fragments import Fragments

JSON_VERSION = 1
S = TypeVar("S", bound="Fragments")  # a store of renderings (made_whole)
# A report's text, or (a JSON report) the pieces it is joined from, as UTF-8: written out piece
# by piece, the JSON of a big vault (over 500 MB at 100,000 contacts) is never in memory whole;
# its rows stay in the report's spill file until then (``bytes(piece)`` reads one back).
Text = str | list[str] | list[SupportsBytes]


def whole(text: Text) -> str:
    """A report's text, joined if it came in pieces."""
    if isinstance(text, str):
        return text
    if text and not isinstance(text[0], str):
        return b"".join(map(bytes, cast(list[SupportsBytes], text))).decode()
    return "".join(cast(list[str], text))


class Narrow(NamedTuple):
    """What a script asked the JSON report for (``--since``, ``--fields``): only the contacts
    last in touch on or after ``since``, each with only ``id`` and ``fields``.  The figures of
    the whole network are kept as they are; ``narrowed`` says what was left out."""

    since: dt.date | None = None
    fields: tuple[str, ...] | None = None

    def apply(self, data: dict[str, Any]) -> dict[str, Any]:
        """``data`` (the report's JSON data; rows as dicts or kept ``Raw`` text) narrowed."""
        import json

        since = self.since.isoformat() if self.since else None
        keep = None if self.fields is None else ("id", *(f for f in ROW_FIELDS
                                                          if f in self.fields and f != "id"))
        # What each row became (overdue rows are contacts too: a kept row is read once), None
        # when it is left out; only what is printed is held, never every row read back.
        made: dict[int, Any] = {}

        def row_of(r: Any) -> dict[str, Any]:
            if type(r) is dict:
                return r
            text = r.text if type(r.text) is str else r.utf8()
            try:
                return cast(dict[str, Any], (json.loads if _loads is None else _loads)(text))
            except ValueError:  # orjson refuses a lone surrogate's escape; json reads it
                return cast(dict[str, Any], json.loads(text))

        def narrowed(r: Any) -> Any:
            key = id(r)
            if key in made:
                return made[key]
            row = row_of(r)
            last = row["last_contact"]
            if since is not None and (last is None or last["date"] < since):
                got = None
            else:  # a kept row printed whole is printed as it was kept
                got = r if keep is None else {k: row[k] for k in keep}
            made[key] = got
            return got

        out = dict(data)
        for key in ("overdue", "due_soon", "contacts"):
            out[key] = [x for x in map(narrowed, data[key]) if x is not None]
        out["narrowed"] = {"since": since, "fields": None if keep is None else list(keep),
                           "contacts": len(out["contacts"]), "of": len(data["contacts"])}
        return out


try:
    from orjson import loads as _loads
except ImportError:  # pragma: no cover - orjson is a dependency
    _loads = None  # type: ignore[assignment]


class Parts(NamedTuple):
    """Everything of a report that is not one contact's: the shape of the network (as plain
    data, and its Brief), the notes' Totals, and the problems."""

    shape: dict[str, Any]
    brief: Brief
    totals: Totals
    problems: tuple[Problem, ...]
    notes_read: int
    skipped: tuple[str, ...]


class Inputs(NamedTuple):
    """What a report is made of (``report_inputs``), with what memo.py keeps of it: each
    contact's Ground and each note's Totals.  When report_inputs was given a RowRenderer, each
    unit's row is only a Kept placeholder: its renderings went into the renderer's store."""

    units: list[Unit]
    grounds: dict[str, Ground]
    note_totals: dict[str, Totals]
    parts: Parts

    def data(self, vault: Vault, today: dt.date) -> dict[str, Any]:
        """The report's plain data (``compose``)."""
        return compose(vault.root.name, vault.config, today, [u.facts for u in self.units],
                       [u.row for u in self.units], self.parts)


class Known(NamedTuple):
    """What a report of the same vault already worked out that no date is in: each contact's
    Ground and the network's shape (as plain data, and its Brief).  memo.py hands it in when
    only the day (or nothing of the shape) changed since."""

    grounds: dict[str, Ground]
    shape: dict[str, Any]
    brief: Brief


# One contact's row rendered as the report will ask for it: its Facts and row in, each
# rendering (macro name, or "json") put into the renderer's store by the contact's id.
RowRenderer = Callable[[Facts, dict[str, Any]], None]
# The formats whose row renderer writes a row's ``relationship`` out (its JSON); the built-in
# row macros of the others never read it (a test renders them with it missing).
EXPLAINED = frozenset({"json"})


def row_renderer(fmt: str, vault_root: Path, config: Config, today: dt.date, keep: Fragments,
                 *, colour: bool = False, section: str | None = None) -> RowRenderer | None:
    """Renders a contact's row into what the report of ``fmt`` will ask of it (its ``|each``
    macros, kept tidy; for JSON, its text at its depth) and puts that in ``keep``, so that
    report_inputs can drop the row: the rows of 10,000 contacts take about 100 MB, their lines
    of text a few, their JSON about what the report prints, which ``keep`` holds in its spill
    file rather than in memory (netnotes.store.Renderings; docs/performance.md).  A row goes
    where ``compose`` puts it: every contact under "contacts", the overdue ones (overdue_of)
    under "overdue", those due_soon_of takes under "due_soon"; ``netnotes overdue`` (section
    "overdue") renders only the overdue ones, but its JSON, like any JSON report, writes every
    row.  None where the
    report must render rows itself (HTML, a vault's own templates)."""
    put = keep.put
    if fmt == "json":
        return lambda f, row: put("json", row["id"], encode_utf8_at(row, 2))
    from netnotes.render.environment import row_macros

    macros = row_macros(fmt, vault_root, colour, keep)
    if macros is None:
        return None
    late, soon, every = macros["overdue"], macros["due_soon"], macros["contacts"]
    horizon = today + dt.timedelta(days=config.due_soon_days)
    tidy_ = keep.tidy
    whole = section != "overdue"

    def render_rows(f: Facts, row: dict[str, Any]) -> None:
        cid = row["id"]
        if whole:
            put(every.name, cid, tidy_(str(every(row))))
        if f.overdue:
            put(late.name, cid, tidy_(str(late(row))))
        elif whole and is_due_soon(f, today, horizon):
            put(soon.name, cid, tidy_(str(soon(row))))

    return render_rows


# Contacts worked out between two updates of the progress bar.
UNIT_PIECE = 250


def report_inputs(vault: Vault, today: dt.date, known: Known | None = None, *,
                  progress: Progress | None = None,
                  render_rows: RowRenderer | None = None, explained: bool = True,
                  lazy: bool = False) -> Inputs:
    """Every contact's unit and the vault-wide parts of the report of ``vault`` on ``today``;
    with ``known``, its grounds and shape are taken from there instead of worked out again.
    ``progress(total)`` gives a context manager whose ``update(n)`` is called as contacts are
    done (click.progressbar fits), as for parsing in store.read_vault.  With ``render_rows``
    (row_renderer), each row is rendered into the renderer's store as soon as it is made and
    dropped: every row of a big vault at once took more memory than the vault itself.
    ``explained=False``: rows without their ``relationship`` (contact_unit), only for a
    ``render_rows`` that never reads it.  ``lazy``: each row a LazyRow, made whole only when
    asked (a bounded HTML report)."""
    if known is None:
        from netnotes.analysis import Index, network_shape, shape_data

        index = Index(vault)
        ground_of = index.ground
        made_shape = network_shape(vault, index)
        shape, brief = shape_data(made_shape, vault), made_shape.brief
    else:
        grounds = known.grounds
        ground_of = lambda c: grounds[c.id]  # noqa: E731
        shape, brief = known.shape, known.brief
    contacts = vault.contacts
    config = vault.config
    made: list[tuple[Ground, Unit]] = []
    bar = progress(len(contacts)) if progress is not None and contacts else nullcontext()
    with bar as b:
        for start in range(0, len(contacts), UNIT_PIECE):
            piece = contacts[start : start + UNIT_PIECE]
            for c in piece:
                g = ground_of(c)
                if lazy:
                    made.append((g, lazy_unit(c, vault, today, g)))
                    continue
                u = contact_unit(c, vault.interactions_of(c.id), today, config, g,
                                 explained=explained or render_rows is None)
                if render_rows is None:
                    made.append((g, u))
                else:
                    render_rows(u.facts, cast(dict[str, Any], u.row))  # a row, never a Kept
                    made.append((g, Unit(Kept(c.id), u.facts)))
            if b is not None:
                b.update(len(piece))
    per_note = note_totals(vault, today)
    grounds = {c.id: g for c, (g, _) in zip(contacts, made, strict=True)}
    units = [u for _, u in made]
    parts = Parts(shape, brief, sum_totals(per_note.values()), vault.problems,
                  vault.notes_read, vault.skipped)
    return Inputs(units, grounds, per_note, parts)


def report_data(vault: Vault, today: dt.date, *, lazy: bool = False) -> dict[str, Any]:
    """The whole report as plain data: the JSON shape, and the context every template gets
    (``lazy``: each contact's row a LazyRow)."""
    return report_inputs(vault, today, lazy=lazy).data(vault, today)


def compose(name: str, config: Config, today: dt.date, facts: Sequence[Facts],
            rows: Sequence[Any], parts: Parts) -> dict[str, Any]:
    """The report's plain data from each contact's Facts and row (in id order) and the parts:
    only sorting and counting, so it is cheap enough to do again on every run of a big
    vault."""
    from netnotes.analysis import make_plan, network_data, plan_data

    net = summary_of(facts, config, parts.totals, today)
    late = overdue_of(facts, config)
    soon = due_soon_of(facts, config, today)
    text, figures = network_data(facts, config, parts.totals, parts.shape, parts.brief, today)
    by_id = dict(zip([f.id for f in facts], rows, strict=True))
    errors = sum(1 for p in parts.problems if p.severity == "error")
    return {
        "netnotes_report": JSON_VERSION,
        "today": today.isoformat(),
        "vault": name,
        "summary": text,
        "settings": {"due_soon_days": config.due_soon_days,
                     "birthday_days": config.birthday_days},
        "me": {"name": config.me.name, "field": config.me.field,
               "interests": list(config.me.interests)},
        "network": {
            "contacts": net.contacts,
            "notes_read": parts.notes_read,
            "tiers": [{"name": t.name, "cadence": t.cadence, "contacts": t.contacts,
                       "overdue": t.overdue} for t in net.tiers],
            "top_tier": net.top_tier,
            "top_tier_contacts": next((t.contacts for t in net.tiers if t.name == net.top_tier), 0),
            "top_tier_overdue": net.top_tier_overdue,
            "overdue": len(late),
            "due_soon": len(soon),
            "snoozed": net.snoozed,
            "interactions_12m": net.interactions_12m,
            "gave_12m": net.gave_12m,
            "got_12m": net.got_12m,
            "fields": [{"field": f, "contacts": n} for f, n in net.fields],
            "birthdays": [{"id": f.id, "name": f.name,
                           "date": f.birthday_next.isoformat() if f.birthday_next else None,
                           "in_days": (f.birthday_next - today).days if f.birthday_next else None}
                          for f in net.birthdays],
            "never_contacted": [{"id": f.id, "name": f.name, "tier": f.tier}
                                for f in net.never_contacted],
        } | figures,
        "overdue": [by_id[f.id] for f in late],
        "due_soon": [by_id[f.id] for f in soon],
        "strongest": [by_id[f.id] for f in strongest_of(facts)],
        "plan": plan_data(make_plan(facts, config, today)),
        "contacts": list(rows),
        "problems": [p.to_dict() | {"text": str(p)} for p in parts.problems],
        "problem_counts": {"errors": errors, "warnings": len(parts.problems) - errors,
                           "skipped": len(parts.skipped)},
        "skipped": list(parts.skipped),
    }


def strongest_of(facts: Iterable[Facts]) -> list[Facts]:
    """Contacts with any strength, strongest first (then by id): the "strongest" section of a
    human report, which lists the first ``per_section`` of them."""
    return sorted((f for f in facts if f.strength > 0), key=lambda f: (-f.strength, f.id))


def limit_of(config: Config, everyone: bool) -> int | None:
    """How many people each section of a human report lists: ``[report] per_section``, or
    None (everyone) for ``--all``."""
    return None if everyone else config.per_section


def build_report(vault: Vault, today: dt.date, fmt: str = "text", *, colour: bool = False,
                 section: str | None = None, out: str | os.PathLike[str] | None = None,
                 everyone: bool = False, narrow: Narrow | None = None,
                 redact: bool = False) -> str:
    """Render the report of ``vault`` on ``today`` as ``text``, ``markdown``, ``html`` or
    ``json``.  ``section="overdue"`` renders just the overdue list (``netnotes overdue``).
    ``out`` is where the report will be saved, so HTML links to the notes are relative to it.
    A human report lists at most ``[report] per_section`` people a section; ``everyone``
    (``--all``) lists them all.  JSON always has every contact, unless ``narrow`` (JSON
    only) asks for fewer.  ``redact``: names as initials, no contact details or free text,
    the figures only (netnotes.render.redact); made whole from the redacted data, never from
    kept renderings."""
    limit = limit_of(vault.config, everyone)
    with paused_gc():  # the report is a big acyclic structure: see gcpause.py
        if redact:
            data = report_data(vault, today)
            if fmt == "html":
                from netnotes.render.charts import html_context

                data["html"] = html_context(vault, today, data, out, limit)
            return whole(render_report(redacted(vault, data), fmt, vault.root, colour=colour,
                                       section=section, limit=limit))
        if fmt != "html":
            from netnotes.render.fragments import Store
            from netnotes.store import Renderings, spill_folder

            folder = spill_folder(vault.root)
            return whole(made_whole(vault, today, fmt, lambda: Store(Renderings(folder)),
                                    colour=colour, section=section, limit=limit,
                                    narrow=narrow)[0])
        # a page listing at most `limit` people a section makes the rows of those it shows
        data = report_data(vault, today, lazy=limit is not None)
        from netnotes.render.charts import html_context

        data["html"] = html_context(vault, today, data, out, limit)
        return whole(render_report(data, fmt, vault.root, colour=colour, section=section,
                                   limit=limit))


def made_whole(vault: Vault, today: dt.date, fmt: str, new_store: Callable[[], S], *,
               known: Known | None = None, progress: Progress | None = None,
               colour: bool = False, section: str | None = None,
               limit: int | None = None, narrow: Narrow | None = None
               ) -> tuple[Text, Inputs, S]:
    """The report in ``fmt`` made from every contact, each row rendered as soon as it is made
    (row_renderer) into a store from ``new_store()``: the text, what it was made of, and the
    store (netnotes.store.memo keeps it).  Should the template ask a rendered row for more than
    row_renderer gave (``Miss``), it is made again from the rows themselves."""
    for rendering_rows in (True, False):
        keep = new_store()
        rows = row_renderer(fmt, vault.root, vault.config, today, keep, colour=colour,
                            section=section) if rendering_rows else None
        got = report_inputs(vault, today, known, progress=progress, render_rows=rows,
                            explained=fmt in EXPLAINED)
        try:
            return render_report(got.data(vault, today), fmt, vault.root, colour=colour,
                                 section=section, fragments=keep, limit=limit,
                                 narrow=narrow), got, keep
        except Miss:
            if rows is None:
                raise
    raise AssertionError("unreachable: the second pass renders from the rows")


# Keys of the report's data that only a human report shows: JSON has every contact already.
HUMAN_ONLY = ("strongest",)


def render_report(data: dict[str, Any], fmt: str, vault_root: Path, *, colour: bool = False,
                  section: str | None = None, fragments: Fragments | None = None,
                  limit: int | None = None, narrow: Narrow | None = None) -> Text:
    """The report's plain data as ``fmt`` (JSON in pieces: ``Text``).  ``fragments`` keeps each
    contact's rendering (its template lines, or its JSON) between runs (netnotes.store.memo).  A
    template lists at most ``limit`` people a section (None: everyone); JSON ignores it."""
    if section == "overdue":
        data = data | {"only": "overdue"}
    if fmt == "json":
        data = {k: v for k, v in data.items() if k not in HUMAN_ONLY}
        if fragments is not None:
            data = _kept_json(data, fragments)
        if narrow is not None:
            data = narrow.apply(data)
        aside = fragments.aside if fragments is not None else None
        if section == "overdue":
            return pieces({"netnotes_report": JSON_VERSION, "today": data["today"],
                           "overdue": data["overdue"]}, end="\n", finite=True, aside=aside)
        return pieces(data, end="\n", finite=True, aside=aside)  # its numbers are all finite
    from netnotes.render.environment import (  # here: --format json never needs Jinja2
        FORMATS,
        render,
    )
    from netnotes.render.fragments import NO_FRAGMENTS

    if fmt not in FORMATS:
        raise NetnotesError(f"unknown format {fmt!r} — use one of: json, "
                            + ", ".join(FORMATS))
    data.setdefault("only", None)
    data["limit"] = limit
    keep = fragments or NO_FRAGMENTS
    return keep.finish(render(FORMATS[fmt], data, vault_root=vault_root, colour=colour,
                              fragments=keep), tidy)


def _kept_json(data: dict[str, Any], fragments: Fragments) -> dict[str, Any]:
    """The data with each contact row as its JSON text, from ``fragments`` (left in its spill
    file: read back only as the output is written) or written now and kept there.  Rows sit
    two deep in the report (a list in the top object)."""
    made: dict[str, Raw] = {}

    def raw(row: Any) -> Raw:
        cid = row["id"]
        found = made.get(cid)
        if found is None:
            text = fragments.get("json", cid)
            if text is None:
                if type(row) is not dict:
                    raise Miss(cid)  # a kept row whose JSON was not kept
                text = encode_utf8_at(row, 2)
                fragments.put("json", cid, text)
            found = made[cid] = Raw(text, 2)
        return found

    return data | {key: [raw(r) for r in data[key]] for key in ("overdue", "due_soon", "contacts")}


def tidy(text: str) -> str:
    """No trailing spaces (padding of the last column) and exactly one final newline; nothing
    at all for an empty listing, so `netnotes list | wc -l` counts contacts."""
    if not text.strip():
        return ""
    return "\n".join(map(str.rstrip, text.rstrip().split("\n"))) + "\n"


def redacted(vault: Vault, data: dict[str, Any]) -> dict[str, Any]:
    """A view model of ``vault`` as ``--redact`` shows it (netnotes.render.redact)."""
    from netnotes.render.redact import redact_view

    return redact_view(data, {c.id: c.name for c in vault.contacts}, vault.config.me.name)


