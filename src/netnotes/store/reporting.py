"""What the remembered report needs from the layers above the store, as a protocol they
implement (netnotes.render's Reporter), and the store's own plain records for it.

Why a protocol: the memo (memo.py) decides which contacts of a report must be worked out again
and keeps the rest, but working a contact out is analysis and rendering it is render, and both
sit above the store.  So the store says here what it asks of them — a contact's unit, a note's
totals, the report composed and rendered, a whole report — and the caller hands an
implementation in (``Session.report(..., reporter=...)``).  The store keeps only what it owns:
plain tuples, bytes the reporter packed, and the records below; it imports no analysis or
render type.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol, SupportsBytes

if TYPE_CHECKING:
    from netnotes.core import Config, Contact, Interaction, Problem, Vault
    from netnotes.store.spill import Renderings
    from netnotes.vault import Progress

# An introduction made, as the store keeps it: (day number, people's ids, the line's text).
Intro = tuple[int, tuple[str, ...], str]
# What some notes add to the vault-wide figures (analysis.Totals, as plain values): the counts
# (12 months, gave, got, introductions made, made in 12 months) and the introductions made.
PlainTotals = tuple[tuple[int, int, int, int, int], tuple[Intro, ...]]
NO_TOTALS: PlainTotals = ((0, 0, 0, 0, 0), ())
# A report's text, or the pieces it is joined from: text, or (a JSON report) UTF-8, its rows
# left in the report's spill file until they are written out (``bytes(piece)``; render.Text).
Text = str | list[str] | list[SupportsBytes]


class ReportOptions(NamedTuple):
    """How a report is asked for (the command's options)."""

    colour: bool = False
    section: str | None = None
    out: str | os.PathLike[str] | None = None  # where an HTML report will be saved
    everyone: bool = False
    narrow: Any = None  # render.Narrow: the JSON report's --since and --fields


class ReportParts(NamedTuple):
    """Everything of a report that is not one contact's (render.Parts, totals as plain)."""

    shape: dict[str, Any]
    brief: Any
    totals: PlainTotals
    problems: tuple[Problem, ...]
    notes_read: int
    skipped: tuple[str, ...]


class KnownShape(NamedTuple):
    """What a report of the same vault already worked out that no date is in: each contact's
    ground and the network's shape (render.Known)."""

    grounds: Mapping[str, Any]
    shape: dict[str, Any]
    brief: Any


class MadeReport(NamedTuple):
    """A report made whole, with what the memo keeps of it: every contact's facts (id order;
    each has an ``id``), grounds by id, each note's totals, the parts, and the renderings."""

    text: Text
    facts: list[Any]
    grounds: dict[str, Any]
    note_totals: dict[str, PlainTotals]
    parts: ReportParts
    fragments: Any


class Reporter(Protocol):
    """What the memo asks of the layers above it."""

    recent_introductions: int  # introductions made the report lists

    def whole(self, vault: Vault, today: dt.date, fmt: str, options: ReportOptions) -> Text:
        """The report made whole, nothing kept (``--no-cache``, HTML)."""

    def made_whole(self, vault: Vault, today: dt.date, fmt: str, new_fragments: Callable[[], Any],
                   known: KnownShape | None, progress: Progress | None,
                   options: ReportOptions) -> MadeReport:
        """The report made from every contact, each one's renderings kept in a store from
        ``new_fragments()``; with ``known``, its grounds and shape taken from there."""

    def unit(self, contact: Contact, history: Sequence[Interaction], today: dt.date,
             config: Config, ground: Any) -> tuple[Any, Any]:
        """One contact worked out: its row and its facts."""

    def totals(self, interactions: Sequence[Interaction], today: dt.date) -> PlainTotals:
        """What some interactions (one note's) add to the vault-wide figures on ``today``."""

    def render(self, name: str, config: Config, today: dt.date, facts: Sequence[Any],
               rows: Sequence[Any], parts: ReportParts, fmt: str, root: Path, fragments: Any,
               options: ReportOptions) -> Text:
        """The report composed from each contact's facts and row (a ``placeholder`` for one
        whose renderings are kept) and the parts, rendered in ``fmt``.  Raises a subclass of
        engine.Miss when a kept rendering it needs is not there."""

    def placeholder(self, cid: str) -> Any:
        """The row of a contact whose renderings are kept."""

    def fragments(self, found: Renderings, on_put: Callable[[str, str], None]) -> Any:
        """A store of renderings over ``found`` (macro → contact id → text, or a row's JSON as
        UTF-8 in its spill file) for ``render``, calling ``on_put(name, cid)`` for each
        rendering it adds."""

    def encode_facts(self, facts: Sequence[Any]) -> bytes:
        """Facts as bytes that ``decode_facts`` reads back (never pickled: marshal)."""

    def decode_facts(self, blob: bytes, days: dict[int | None, dt.date | None]) -> list[Any]:
        """``days``: day numbers already turned into dates, shared between calls."""

    def pack(self, value: Any) -> bytes:
        """A ground, a brief: the reporter's own values as bytes (sealed by the store)."""

    def unpack(self, blob: bytes) -> Any:
        ...


_offered: list[Callable[[], Reporter]] = []


def offer_reporter(make: Callable[[], Reporter]) -> None:
    """The layer above says how to make a Reporter, for a caller that asks for a report
    without handing one in (netnotes.render does this when it is imported)."""
    _offered[:] = [make]


def reporter_or_offered(reporter: Reporter | None) -> Reporter:
    if reporter is not None:
        return reporter
    if not _offered:
        raise TypeError("a report needs a Reporter: pass reporter=netnotes.render.Reporter()")
    return _offered[0]()
