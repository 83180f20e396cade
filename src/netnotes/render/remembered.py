"""The report as the store's remembered report asks for it (netnotes.store.Reporter): a
contact worked out, a note's totals, the report composed and rendered, and the encoding of what
is analysis' own (facts, grounds, the brief) into bytes the store keeps without knowing them.

Why here: the store decides which contacts must be worked out again after a few notes changed,
but working them out is analysis and rendering them is render, both above the store.  So the
store asks through a protocol it owns, and this is the implementation the command line hands
it (Session.report), keeping the layers' arrows pointing down.
"""

from __future__ import annotations

import datetime as dt
import marshal
import pickle
from collections.abc import Callable, Sequence
from itertools import repeat
from pathlib import Path
from typing import TYPE_CHECKING, Any

from netnotes.analysis import RECENT_INTRODUCTIONS, Facts, IntroMade, Totals, totals_of
from netnotes.render.fragments import Kept, Store
from netnotes.render.report import (
    Known,
    Parts,
    Text,
    build_report,
    compose,
    limit_of,
    made_whole,
    render_report,
)
from netnotes.render.rows import contact_unit
from netnotes.store import KnownShape, MadeReport, PlainTotals, ReportOptions, ReportParts

if TYPE_CHECKING:
    from netnotes.core import Config, Contact, Interaction, Vault
    from netnotes.store import Renderings
    from netnotes.vault import Progress

_DATE_COLUMNS = (Facts._fields.index("due"), Facts._fields.index("birthday_next"))
_new = tuple.__new__


def plain_totals(t: Totals) -> PlainTotals:
    return ((t.count_12m, t.gave_12m, t.got_12m, t.made, t.made_12m),
            tuple((i.date.toordinal(), i.people, i.text) for i in t.intros))


def totals_from(plain: PlainTotals) -> Totals:
    counts, intros = plain
    return Totals(*counts, tuple(IntroMade(dt.date.fromordinal(n), people, text)
                                 for n, people, text in intros))


class Reporter:
    """netnotes.store.Reporter, made of render.report and analysis."""

    recent_introductions = RECENT_INTRODUCTIONS

    def whole(self, vault: Vault, today: dt.date, fmt: str, options: ReportOptions) -> Text:
        return build_report(vault, today, fmt, colour=options.colour, section=options.section,
                            out=options.out, everyone=options.everyone, narrow=options.narrow)

    def made_whole(self, vault: Vault, today: dt.date, fmt: str, new_fragments: Callable[[], Any],
                   known: KnownShape | None, progress: Progress | None,
                   options: ReportOptions) -> MadeReport:
        text, got, kept = made_whole(
            vault, today, fmt, new_fragments,
            known=None if known is None else Known(dict(known.grounds), known.shape, known.brief),
            progress=progress, colour=options.colour, section=options.section,
            limit=limit_of(vault.config, options.everyone), narrow=options.narrow)
        p = got.parts
        return MadeReport(text, [u.facts for u in got.units], got.grounds,
                          {rel: plain_totals(t) for rel, t in got.note_totals.items()},
                          ReportParts(p.shape, p.brief, plain_totals(p.totals), p.problems,
                                      p.notes_read, p.skipped), kept)

    def unit(self, contact: Contact, history: Sequence[Interaction], today: dt.date,
             config: Config, ground: Any) -> tuple[Any, Facts]:
        row, facts = contact_unit(contact, history, today, config, ground)
        return row, facts

    def totals(self, interactions: Sequence[Interaction], today: dt.date) -> PlainTotals:
        return plain_totals(totals_of(interactions, today))

    def render(self, name: str, config: Config, today: dt.date, facts: Sequence[Any],
               rows: Sequence[Any], parts: ReportParts, fmt: str, root: Path, fragments: Any,
               options: ReportOptions) -> Text:
        data = compose(name, config, today, facts, rows,
                       Parts(parts.shape, parts.brief, totals_from(parts.totals), parts.problems,
                             parts.notes_read, parts.skipped))
        return render_report(data, fmt, root, colour=options.colour, section=options.section,
                             fragments=fragments, limit=limit_of(config, options.everyone),
                             narrow=options.narrow)

    def placeholder(self, cid: str) -> Kept:
        return Kept(cid)

    def fragments(self, found: Renderings, on_put: Callable[[str, str], None]) -> Store:
        return Store(found, on_put)

    def encode_facts(self, facts: Sequence[Facts]) -> bytes:
        """Facts as columns of plain values for marshal (a tenth of pickle's time for 10,000
        named tuples); dates as day numbers."""
        columns = [list(col) for col in zip(*facts, strict=True)] if facts else []
        for k in _DATE_COLUMNS if columns else ():
            columns[k] = [d.toordinal() if d is not None else None for d in columns[k]]
        return marshal.dumps(columns)

    def decode_facts(self, blob: bytes, days: dict[int | None, dt.date | None]) -> list[Facts]:
        columns = marshal.loads(blob)
        for k in _DATE_COLUMNS if columns else ():
            for n in set(columns[k]) - days.keys():
                days[n] = dt.date.fromordinal(n)  # type: ignore[arg-type]  # None is in days
            columns[k] = list(map(days.__getitem__, columns[k]))
        return list(map(_new, repeat(Facts), zip(*columns, strict=True)))

    def pack(self, value: Any) -> bytes:
        """Grounds and the brief, pickled (the store seals the bytes with its MAC before they
        are ever unpickled)."""
        return pickle.dumps(value, protocol=5)

    def unpack(self, blob: bytes) -> Any:
        return pickle.loads(blob)
