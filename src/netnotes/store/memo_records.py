"""What the remembered report keeps, as compact records: each note's part in the report (NoteMemo),
the hot state of the last run (Hot), the Facts of every contact, and how they are encoded and
compared — the memo's own records, apart from the logic that decides what to make again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import marshal
from array import array
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from netnotes.core import Problem
from netnotes.store.engine import Miss, StatKey, trusted_stat
from netnotes.store.reporting import Intro, PlainTotals, Reporter
from netnotes.vault import NoteFile

if TYPE_CHECKING:
    from netnotes.core import Contact, Interaction
    from netnotes.store.engine import Snapshot


SCHEMA = 15  # 15: the reporter packs grounds and the brief; totals kept as plain tuples


FILE = "memo.sqlite"


MAX_CHANGED = 64  # more changed notes than this, and a whole report is about as quick


MAX_DIRTY = 500  # … or more contacts to make again


TIMEOUT = 3.0  # seconds to wait for another netnotes writing the memo


FORMATS = ("text", "markdown", "json")  # HTML draws every contact's history: always made whole


KEEP_INTROS = 64  # introductions made kept (the report lists 10): see _intros


FACTS_SHARD = 1024  # Facts kept per blob (by position in id order): a run rewrites the few


# holding a changed contact
# The graph's long lists, kept apart so a text report never reads them.
_GRAPH_LISTS = ("edge_list", "brokers", "clusters", "communities")


HEAD = 16  # items of each long graph list kept with the shape: what a text report shows




class NoteMemo(NamedTuple):
    """What one note gave the last report."""

    kind: str
    owner: str | None  # the contact a person note is the note of; None: journal, or skipped
    touched: tuple[str, ...]  # contacts whose fields or history this note gives
    given: tuple[bytes, ...]  # for each of them, a digest of the lines it gives them (b"" for
    # the note's own contact, whose unit is made again whenever its note changes)
    shape: bytes  # digest of what it gives the vault's shape (note_shape)
    totals: PlainTotals


class Hot(NamedTuple):
    """What every remembered run reads: two blobs (``_encode_hot``)."""

    key: str
    listing: bytes  # digest of every note's path and kind, in path order
    stats: bytes  # each note's stat as 4 int64 (size, mtime, ctime, inode), in path order;
    # all -1 for a note too fresh to trust (vault.needs_digest): it is read again next time
    facts: tuple[Any, ...]  # each contact's facts (the reporter's; each has an id), id order
    counts: tuple[int, int, int, int, int]  # Totals' counts: 12 months, gave, got, made, made 12m
    intros: tuple[tuple[str, Intro], ...]  # (note, introduction made): the newest, newest first
    problems: tuple[Problem, ...]
    notes_read: int
    skipped: tuple[str, ...]
    brief: Any  # the reporter's, packed by it
    name: str  # the vault folder's name




_FRESH = (-1, -1, -1, -1)


_STAT_BYTES = 32


_FRESH_BYTES = array("q", _FRESH).tobytes()


def _encode_hot(hot: Hot, reporter: Reporter) -> tuple[bytes, bytes]:
    """Hot without its facts (kept apart, encoded by the reporter) as two blobs: its bulk as
    plain values for marshal (written and read in C), the problems and the brief packed by
    the reporter."""
    intros = [(rel, *i) for rel, i in hot.intros]
    bulk = marshal.dumps((hot.key, hot.listing, hot.stats, len(hot.facts), hot.counts, intros,
                          hot.notes_read, hot.skipped, hot.name))
    return bulk, reporter.pack((hot.problems, hot.brief))


def _decode_hot(bulk: bytes, rest: bytes, facts: Callable[[int], tuple[Any, ...]],
                reporter: Reporter) -> Hot:
    key, listing, stats, count, counts, intros, notes_read, skipped, name = marshal.loads(bulk)
    problems, brief = reporter.unpack(rest)
    return Hot(key, listing, stats, facts(count), tuple(counts),
               tuple((rel, (n, tuple(people), text)) for rel, n, people, text in intros),
               problems, notes_read, tuple(skipped), brief, name)


def _listing(notes: Sequence[NoteFile]) -> bytes:
    return hashlib.blake2b("\n".join(f"{n.rel}\0{n.kind}" for n in notes).encode(
        "utf-8", "surrogateescape"), digest_size=16).digest()


def _stats(notes: Sequence[NoteFile], scan_ns: int) -> bytes:
    """Every note's stat_of as int64s, in path order (too fresh: all -1)."""
    out = array("q")
    add = out.extend
    for n in notes:
        add(stat_of(n, scan_ns) or _FRESH)
    return out.tobytes()


def _differ(a: bytes, b: bytes) -> list[int]:
    """The positions of the 32-byte records where ``a`` and ``b`` differ (same lengths), found
    by comparing halves in C: a few comparisons per change, not one per note."""
    found: list[int] = []

    def walk(x: memoryview, y: memoryview, start: int) -> None:
        if x == y:
            return
        n = len(x) // _STAT_BYTES
        if n == 1:
            found.append(start)
            return
        half = n // 2 * _STAT_BYTES
        walk(x[:half], y[:half], start)
        walk(x[half:], y[half:], start + n // 2)

    walk(memoryview(a), memoryview(b), 0)
    return found


class KnownStats:
    """The listing digest and every note's stat record (``_stats``) as last worked out, kept by
    a caller that lists the same vault again and again in one process (``watch``, through
    Session.relist), so that the next time only the notes whose listing entry is new are
    worked out again: relist hands back the very same NoteFile for every note it did not stat
    again, and a record depends only on that entry's stat (a stat trusted at one listing is
    trusted at any later one: engine.racy), so the records come out byte for byte as
    ``_stats`` would make them.  Measured at 10,000 notes: 0.03 s a refresh, down to ~1 ms."""

    def __init__(self) -> None:
        self.notes: list[NoteFile] = []
        self.listing = b""
        self.stats = b""

    def of(self, notes: Sequence[NoteFile], scan_ns: int) -> tuple[bytes, bytes]:
        """``(_listing(notes), _stats(notes, scan_ns))``, from what was kept where it can."""
        was = self.notes
        if not was or len(was) != len(notes):
            listing, stats = _listing(notes), _stats(notes, scan_ns)
        else:
            again = [k for k, (n, w) in enumerate(zip(notes, was, strict=True)) if n is not w]
            same = all(notes[k].rel == was[k].rel and notes[k].kind == was[k].kind
                       for k in again)
            listing = self.listing if same else _listing(notes)
            buf = bytearray(self.stats)
            for k in again:
                buf[k * _STAT_BYTES:(k + 1) * _STAT_BYTES] = array(
                    "q", stat_of(notes[k], scan_ns) or _FRESH).tobytes()
            stats = bytes(buf)
        self.notes, self.listing, self.stats = list(notes), listing, stats
        return listing, stats


def _changed(notes: Sequence[NoteFile], hot: Hot, scan_ns: int,
             known: KnownStats | None = None) -> list[int] | None:
    """Positions of the notes that changed since the memo (or were too fresh to trust then);
    None when notes were added or removed.  ``known``: what the last call in this process
    worked out (KnownStats), to work out again only what the listing has anew."""
    if known is not None:
        listing, now = known.of(notes, scan_ns)
    else:
        listing, now = _listing(notes), b""
    if listing != hot.listing or len(hot.stats) != _STAT_BYTES * len(notes):
        return None
    now = now or _stats(notes, scan_ns)
    fresh = []
    at = hot.stats.find(_FRESH_BYTES)
    while at >= 0:
        if at % _STAT_BYTES == 0:
            fresh.append(at // _STAT_BYTES)
        at = hot.stats.find(_FRESH_BYTES, at + 1)
    return sorted({*_differ(now, hot.stats), *fresh})


def memo_key(snap: Snapshot, today: dt.date) -> str:
    return f"{shape_key(snap)}{today.isoformat()}"


def shape_key(snap: Snapshot) -> str:
    """The part of the key that the vault's shape and each contact's Ground depend on: all but
    the date."""
    return f"{SCHEMA}\0{snap.fixed}\0"


def stat_of(note: NoteFile, scan_ns: int) -> StatKey | None:
    """The stat a later run may trust this note by; None when it is too fresh to prove
    anything (the note is then read again next time)."""
    return trusted_stat(note.stat, scan_ns)


def note_shape(contact: Contact | None, interactions: Iterable[Interaction]) -> bytes:
    """A digest of what a note gives the vault's shape: its contact's name and aliases (links
    resolve by them), the fields the shared figures read (interests, tags, field, company,
    location, met via, agenda, whether it has a cadence, whom it knows or was introduced by),
    and the groups of people its lines bring together (the graph's ties)."""
    c = contact
    ties = sorted({i.people for i in interactions if len(i.people) > 1})
    fields = None if c is None else (
        c.id, c.path, c.name, c.aliases, c.tags, c.interests, c.field, c.company, c.location,
        c.met_how, c.agenda, c.cadence is not None, c.knows, c.introduced_by)
    # marshal version 2 writes no back-references, so equal values give equal bytes
    return hashlib.blake2b(marshal.dumps((fields, ties), 2), digest_size=16).digest()


def note_memo(kind: str, owner: Contact | None, interactions: list[Interaction],
              totals: PlainTotals) -> NoteMemo:
    own = owner.id if owner is not None else None
    lines: dict[str, list[Interaction]] = {}
    for i in interactions:
        if len(i.people) > 1 or own is None:  # most lines are with the note's contact alone
            for cid in i.people:
                if cid != own:
                    lines.setdefault(cid, []).append(i)
    touched = sorted({*lines, *([own] if own is not None else [])})
    given = tuple(b"" if cid == own else
                  hashlib.blake2b(marshal.dumps([(i.date.toordinal(), *i[1:]) for i in lines[cid]],
                                                2), digest_size=12).digest() for cid in touched)
    return NoteMemo(kind, own, tuple(touched), given, note_shape(owner, interactions), totals)


def _plain_note(m: NoteMemo) -> tuple[Any, ...]:
    counts, intros = m.totals
    return (m.kind, m.owner, m.touched, m.given, m.shape, tuple(counts), list(intros))


def _note_with(plain: tuple[Any, ...], totals: PlainTotals) -> NoteMemo:
    """A kept note's memo with the totals of another day."""
    kind, owner, touched, given, shape, _, _ = plain
    return NoteMemo(kind, owner, tuple(touched), tuple(given), shape, totals)


def _note_of(plain: tuple[Any, ...]) -> NoteMemo:
    kind, owner, touched, given, shape, counts, intros = plain
    return NoteMemo(kind, owner, tuple(touched), tuple(given), shape, (tuple(counts), tuple(
        (n, tuple(people), text) for n, people, text in intros)))


def _totals(hot: Hot, old: Mapping[str, NoteMemo], new: Mapping[str, NoteMemo],
            intros: Sequence[tuple[str, Intro]]) -> PlainTotals:
    """The vault's totals: the kept counts with the changed notes' old ones taken out and new
    ones put in, and the newest introductions made (``_intros``)."""
    counts = list(hot.counts)
    for rel, m in new.items():
        for k, (a, b) in enumerate(zip(m.totals[0], old[rel].totals[0], strict=True)):
            counts[k] += a - b
    count, gave, got, made, made_12m = counts
    return (count, gave, got, made, made_12m), tuple(i for _, i in intros)


def _intros(hot: Hot, new: Mapping[str, NoteMemo], recent: int
            ) -> tuple[tuple[str, Intro], ...]:
    """The newest introductions made, with the changed notes' own, newest first (equal ones in
    the order of their notes, as analysis.sum_totals has them).

    Only the newest KEEP_INTROS are kept, and what is kept must stay the newest of all.  When
    some were not kept, only those strictly newer than the oldest kept one are known for sure
    (every one of those was kept, or is a changed note's): one equal to it may rank after one
    that was not kept.  So only those are kept, and when fewer than the report lists
    (``recent``) are left, the report is made whole."""
    complete = hot.counts[3] == len(hot.intros)
    pairs = [p for p in hot.intros if p[0] not in new]
    pairs += [(rel, i) for rel, m in new.items() for i in m.totals[1]]
    if not complete and hot.intros:
        edge = _made_key(hot.intros[-1])
        pairs = [p for p in pairs if _made_key(p) > edge]
    pairs.sort(key=lambda p: p[0])
    pairs.sort(key=_made_key, reverse=True)
    if not complete and len(pairs) < recent:
        raise Miss("introductions made")
    return tuple(pairs[:KEEP_INTROS])


def _made_key(p: tuple[str, Intro]) -> tuple[int, tuple[str, ...]]:
    return (p[1][0], p[1][1])  # its day, its people


class Careers:
    """Career moves from git for the contacts made again (store/careers.py: per commit)."""

    def __init__(self, snap: Snapshot):
        self.snap = snap
        self._found: dict[str, Any] | None = None

    def apply(self, c: Contact) -> Contact:
        if c.history or self.snap.git == "git: none":
            return c
        if self._found is None:
            from netnotes.store.careers import remembered_changes
            from netnotes.vault import load_config

            config, _ = load_config(self.snap.root)
            self._found = remembered_changes(self.snap.root, config.people_dir)
        changes = self._found.get(c.path)
        if not changes:
            return c
        from dataclasses import replace

        from netnotes.vault import steps_from_changes

        return replace(c, history=steps_from_changes(c.company, c.role, changes))
