"""Remembered reports: the units of the last report, kept under ``.netnotes/memo.sqlite``, so that
after a few notes changed a report is worked out again only for the contacts those notes touch.

Why: a report of 10,000 contacts links 200,000 log lines, analyses every relationship and the
whole graph, and renders 26,000 lines — seconds of work — while an edit to one note changes a
handful of them.  A report is made of per-contact units and vault-wide parts (report.py):

- a contact's unit (its row and Facts) depends on its own note, the notes that mention it, the
  date, the config, and its Ground (strength.Index.ground), which depends only on the vault's
  *shape*: who is in it, their names, fields, interests and agendas, and who knows whom;
- the vault-wide parts are the shape's figures (the graph, brokers, groups, introductions,
  diversity), each note's Totals and the problems.

So the memo keeps, for the date and config it was made for: every contact's Facts, Ground and
rendering (the template lines of each |each macro, or its JSON), every note's stat, what it adds
to the shape (a digest), which contacts it touches, its Totals, and the shape's figures.  A run
compares the listing with the kept stats, parses the changed notes, and when none of them changed
the shape, works out again only the contacts they touch (old and new), from the notes that
mention them; the rest of the report is sorting and counting over the kept Facts, and rendering
joins the kept lines.

Who does what: this module decides what can be kept and what must be made again; working a
contact out, composing and rendering the report belong to the layers above, which it asks
through a ``Reporter`` (store/reporting.py; netnotes.render.Reporter is the one the command
line hands in).  What it keeps are its own records (memo_records.py: plain tuples and stats)
and bytes the reporter encoded (each contact's facts, ground, the brief); it imports no
analysis or render type.

Why it is never stale: it is used only for the exact code, config, listing problems, vault
templates, git commit and date it was made for (``key``); a note is "unchanged" only when its
size, mtime, ctime and inode are as kept, and a note written too recently for its stat to prove
anything (engine.trusted_stat) is always treated as changed; a changed note that changes the shape
(a name, an alias, a field, an agenda, a link between two people …), a note added or removed, a
contact's note that can no longer be read (skipped) or a skipped one that now can, or more than
MAX_CHANGED changed notes, and the report is made whole instead.  A kept rendering is asked for
by contact and macro, and one that is not there ends the attempt (``Miss``) rather than leaving
a gap.  Everything in it is pickled or marshalled, so every blob is sealed (engine.Seal, the
user's key): a file planted by someone else is never unpickled.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import marshal
import os
import sqlite3
from array import array
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from netnotes.core import Problem, paused_gc, sorted_problems
from netnotes.store.reporting import (
    NO_TOTALS,
    KnownShape,
    MadeReport,
    Reporter,
    ReportOptions,
    ReportParts,
    Text,
    reporter_or_offered,
)
from netnotes.store.spill import spill_folder
from netnotes.vault import NoteFile, Progress, cache_folder, real_cache_folder

if TYPE_CHECKING:
    from netnotes.core import Config, Contact, Interaction, Vault
    from netnotes.store.engine import Snapshot
    from netnotes.vault import NoteRecord, Resolver
from netnotes.store.engine import Miss, stat_key, transaction
from netnotes.store.memo_file import (
    _TABLES,
    Held,
    _Fragments,
    _Memo,
    frag_shards,
    shard_of,
    shards_for,
)
from netnotes.store.memo_records import (
    _FRESH,
    _GRAPH_LISTS,
    _STAT_BYTES,
    FILE,
    FORMATS,
    HEAD,
    KEEP_INTROS,
    MAX_CHANGED,
    MAX_DIRTY,
    SCHEMA,
    Careers,
    Hot,
    KnownStats,
    NoteMemo,
    StatKey,
    _changed,
    _intros,
    _listing,
    _made_key,
    _note_with,
    _plain_note,
    _stats,
    _totals,
    memo_key,
    note_memo,
    note_shape,
    shape_key,
    stat_of,
)

# --- the report -----------------------------------------------------------------------------------

def report(snap: Snapshot, today: dt.date, fmt: str, load: Callable[[], Vault], *,
           colour: bool = False, section: str | None = None,
           out: str | os.PathLike[str] | None = None, progress: Progress | None = None,
           everyone: bool = False, narrow: Any = None, reporter: Reporter | None = None,
           receipt: Receipt | None = None, held: Held | None = None
           ) -> tuple[Text, tuple[str, ...]]:
    """The report of the vault ``snap`` listed (and the notes it skipped), in any format: from
    the memo when it can be, else made whole from ``load()`` and remembered.  The answer is the
    same either way, and that of render.build_report.  HTML (whose charts draw every contact's
    history; ``out`` is where it will be saved) is always made whole.  ``progress`` is shown
    while a whole report works out its contacts; ``everyone``: every person in every section
    (``--all``), not ``[report] per_section``; ``narrow``: the JSON report's ``--since`` and
    ``--fields``.  ``reporter`` works contacts out and renders (reporting.Reporter; by default
    the one netnotes.render offers); ``receipt``, when given, is filled in with what the report
    was made from; ``held``: what a long-lived caller keeps between reports (memo_file.Held)."""
    rep = reporter_or_offered(reporter)
    options = ReportOptions(colour, section, out, everyone, narrow)
    if fmt not in FORMATS:
        return whole(load(), today, fmt, colour=colour, section=section, out=out,
                     everyone=everyone, narrow=narrow, reporter=rep, receipt=receipt)
    found = remembered(snap, today, fmt, colour=colour, section=section, everyone=everyone,
                       narrow=narrow, reporter=rep, receipt=receipt, held=held)
    if found is not None:
        return found
    vault = load()
    if receipt is not None:
        receipt.made_of(vault)
    with paused_gc():  # a report is a big acyclic structure (gcpause.py)
        reuse = reusable(snap, vault, rep)
        known = reuse.known if reuse else None
        n = frag_shards(shards_for(len(vault.contacts)))
        made: dict[int, _Fragments] = {}  # by its view's id
        folder = spill_folder(snap.root)

        def new_fragments() -> Any:
            kept = _Fragments(n, rep, folder)
            made[id(kept.view)] = kept
            return kept.view

        got = made_whole(rep, vault, today, fmt, new_fragments, known, progress, options)
        _save_whole(snap, today, vault, got, {_ctx(fmt, colour, section): made[id(got.fragments)]},
                    rep, reuse)
    return got.text, vault.skipped


def made_whole(reporter: Reporter, vault: Vault, today: dt.date, fmt: str,
               new_fragments: Callable[[], Any], known: KnownShape | None,
               progress: Progress | None, options: ReportOptions) -> MadeReport:
    """A whole report, through the reporter (one place a test can count them)."""
    return reporter.made_whole(vault, today, fmt, new_fragments, known, progress, options)


def whole(vault: Vault, today: dt.date, fmt: str, *, colour: bool = False,
          section: str | None = None, out: str | os.PathLike[str] | None = None,
          everyone: bool = False, narrow: Any = None, reporter: Reporter | None = None,
          receipt: Receipt | None = None) -> tuple[Text, tuple[str, ...]]:
    """The report made whole from ``vault``, nothing looked up or kept (``--no-cache``)."""
    if receipt is not None:
        receipt.made_of(vault)
    options = ReportOptions(colour, section, out, everyone, narrow)
    return reporter_or_offered(reporter).whole(vault, today, fmt, options), vault.skipped


@dataclass
class Receipt:
    """What a report was made from, for a caller that says more than the report itself (``watch``
    prints each new problem and how many contacts it shows): the problems, the number of
    contacts, and whether the remembered per-contact results made it (``remembered``) or it
    was made whole."""

    problems: tuple[Problem, ...] = ()
    contacts: int = 0
    remembered: bool = False

    def made_of(self, vault: Vault) -> None:
        self.problems, self.contacts, self.remembered = (
            tuple(vault.problems), len(vault.contacts), False)


class Reuse(NamedTuple):
    """What a whole report can take from the memo instead of working it out (``reusable``).

    ``known`` goes to report_inputs.  ``notes`` are the kept entries of every note unchanged
    since: what such a note touches, gives and adds to the shape does not depend on the date,
    only its Totals do; and ``names`` (the names → ids map, as kept) is the same for the same
    shape.  Working both out again took 0.45 s at 10,000 notes (docs/performance.md)."""

    known: KnownShape
    notes: dict[str, tuple[Any, ...]]
    names: bytes


def reusable(snap: Snapshot, vault: Vault, reporter: Reporter) -> Reuse | None:
    """What the memo kept that is still right for ``vault``: kept for the same code, config,
    listing and git commit (the date may differ), the same notes, and every note changed since
    giving the shape what it gave then.  A new day's first report then works out only the dated
    part of every contact (about half of a whole report)."""
    try:
        memo = _Memo.open(snap.root, reporter)
    except (sqlite3.Error, OSError, Miss):
        return None
    try:
        hot = memo.hot()
        if hot is None or not hot.key.startswith(shape_key(snap)):
            return None
        listed = sorted(snap.notes, key=_rel)
        where = _changed(listed, hot, snap.scan_ns)
        ids = [c.id for c in vault.contacts]
        if where is None or ids != [f.id for f in hot.facts]:
            return None
        rels = {listed[k].rel for k in where}
        was = memo.notes(sorted(rels))
        by_path = {c.path: c for c in vault.contacts}
        for rel in rels:
            before = was.get(rel)
            if before is None or \
                    before.shape != note_shape(by_path.get(rel), vault.interactions_in(rel)):
                return None
        grounds = memo.grounds(ids)
        if len(grounds) != len(ids):
            return None
        same = [n.rel for n in listed if n.rel not in rels]
        notes = memo._found("notes", same)
        names = memo.unseal("names", memo._meta("names"))
        return Reuse(KnownShape(grounds, memo.shape(whole=True), hot.brief), notes, names)
    except (sqlite3.Error, OSError, Miss):
        return None
    finally:
        memo.close()


def remembered(snap: Snapshot, today: dt.date, fmt: str, *, colour: bool = False,
               section: str | None = None, everyone: bool = False,
               narrow: Any = None, reporter: Reporter | None = None,
               receipt: Receipt | None = None, held: Held | None = None
               ) -> tuple[Text, tuple[str, ...]] | None:
    """The report from the memo, or None when the memo cannot make it (see the module
    docstring); never a wrong one.  ``held``: the connection and stat records kept open
    between the reports of one long-lived Session (memo_file.Held); else opened and closed."""
    if fmt not in FORMATS or fmt != "json" and (snap.root / "templates").is_dir():
        return None  # a vault's own templates are rendered whole (render.each)
    rep = reporter_or_offered(reporter)
    try:
        memo = held.open(snap.root, rep) if held is not None else _Memo.open(snap.root, rep)
    except (sqlite3.Error, OSError, Miss):
        return None
    try:
        with paused_gc():
            return _remembered(memo, snap, today, fmt,
                               ReportOptions(colour, section, None, everyone, narrow), receipt,
                               held.stats if held is not None else None)
    except (sqlite3.Error, OSError, Miss):  # a kept rendering missing is a Miss too
        if held is not None:
            held.close()  # opened afresh next time
        return None
    finally:
        if held is None:
            memo.close()
        else:
            held.release()


def forget(root: Path) -> None:
    """Drop the memo (``netnotes index --rebuild``)."""
    folder = real_cache_folder(root)  # never delete through a link
    if folder is None:
        return
    for suffix in ("", "-wal", "-shm"):
        with contextlib.suppress(OSError):
            os.unlink(folder / (FILE + suffix))


def _ctx(fmt: str, colour: bool, section: str | None) -> str:
    """Which kept renderings a report uses: one set a format, colour and section (``overdue``
    renders only the overdue rows, so it keeps its own)."""
    return f"{fmt}:{int(colour)}:{section or ''}"


# Over 80 lines on purpose: one attempt in the order its checks must run (the kept state, the
# listing against it, the changed notes read, their effect on the shape, the contacts to make
# again, the report composed); each step can end the attempt, and splitting it would hand a
# dozen locals from one piece to the next.
def _remembered(memo: _Memo, snap: Snapshot, today: dt.date, fmt: str, options: ReportOptions,
                receipt: Receipt | None = None, known: KnownStats | None = None
                ) -> tuple[Text, tuple[str, ...]] | None:
    """The remembered run, in five steps: (1) find the notes whose stat changed; (2) parse
    them and check they leave the shape as it was; (3) the contacts they give something else
    than before (and those stale in this format) are "dirty": read every note each of them
    comes from and make their units again; (4) compose the report from the kept Facts with the
    new ones, and render it joining the kept lines of every other contact; (5) save what
    changed.  Any step that finds something it cannot vouch for returns None."""
    from netnotes.vault import Resolver, load_config, read_one, resolve_links

    hot = memo.hot()
    if hot is None or hot.key != memo_key(snap, today):
        return None
    rep = memo.reporter
    notes = sorted(snap.notes, key=_rel)
    where_changed = _changed(notes, hot, snap.scan_ns, known)
    if where_changed is None or len(where_changed) > MAX_CHANGED:
        return None
    changed = [notes[k] for k in where_changed]
    config, config_problems = load_config(snap.root)
    ids = {f.id: f for f in hot.facts}
    resolve = Resolver(ids, memo.names, hot.skipped)
    careers = Careers(snap)

    # The changed notes: parsed, and checked to leave the shape as it was.
    old = memo.notes([n.rel for n in changed])
    new: dict[str, NoteMemo] = {}
    lines: dict[str, list[Interaction]] = {}
    owners: dict[str, Contact] = {}
    # The changed notes' problems are found again; the config's and the listing's stay.
    gone, fixed = {n.rel for n in changed}, {*config_problems, *snap.listed}
    problems = [p for p in hot.problems if p.source.path not in gone or p in fixed]
    for note in changed:
        before = old.get(note.rel)
        if before is None:
            return None
        found = _read(note, config, before.owner, resolve, careers, read_one, resolve_links,
                      problems)
        if found is None:
            return None
        owner, interactions = found
        after = note_memo(note.kind, owner, interactions, rep.totals(interactions, today))
        if after.shape != before.shape:
            return None
        new[note.rel], lines[note.rel] = after, interactions
        if owner is not None:
            owners[owner.id] = owner

    # The contacts those notes touch, old and new: made again from every note that mentions them.
    dirty = dict.fromkeys(cid for rel in new for cid in _differ_given(old[rel], new[rel]))
    # and those whose renderings in this format a run in another format dropped
    ctx = _ctx(fmt, options.colour, options.section)
    dirty.update(dict.fromkeys(cid for cid in memo.stale(ctx) if cid in ids))
    if len(dirty) > MAX_DIRTY:
        return None
    # Whose list of notes changes: those a changed note now touches and did not, or no longer.
    moved = {cid for rel, m in new.items() for cid in {*old[rel].touched} ^ {*m.touched}}
    sources = memo.touches(sorted({*dirty, *moved}))
    for rel, m in new.items():
        for cid in {*old[rel].touched} - {*m.touched}:
            sources[cid].discard(rel)
        for cid in {*m.touched} - {*old[rel].touched}:
            sources[cid].add(rel)
    listed = {n.rel: n for n in snap.notes}
    unchanged: list[Problem] = []  # their problems are kept already
    more = sorted({rel for cid in dirty for rel in sources[cid]} - lines.keys())
    memos = memo.notes(more)
    for rel in more:
        source, before = listed.get(rel), memos.get(rel)
        if source is None or before is None:
            return None
        found = _read(source, config, before.owner, resolve, careers, read_one, resolve_links,
                      unchanged, stat=stat_of(source, snap.scan_ns))
        if found is None:
            return None
        owner, lines[rel] = found
        if owner is not None:
            owners[owner.id] = owner
    grounds = memo.grounds(list(dirty))
    rows: dict[str, Any] = {}
    facts = list(hot.facts)
    where = {f.id: k for k, f in enumerate(facts)}
    for cid in dirty:
        contact, ground = owners.get(cid), grounds.get(cid)
        if contact is None or ground is None or cid not in where:
            return None
        history = sorted((i for rel in sources[cid] for i in lines[rel] if cid in i.people),
                         key=_sort_key)
        rows[cid], facts[where[cid]] = rep.unit(contact, history, today, config, ground)

    intros = _intros(hot, new, rep.recent_introductions)
    totals = _totals(hot, old, new, intros)
    every = [rows[f.id] if f.id in rows else rep.placeholder(f.id) for f in facts]
    parts = ReportParts(memo.shape(whole=fmt == "json"), hot.brief, totals,
                        tuple(sorted_problems(problems)), hot.notes_read, hot.skipped)
    kept = memo.fragments(ctx, drop=dirty)
    kept.view.defer = True  # the kept lines are joined in after tidying (Fragments.finish)
    text = rep.render(hot.name, config, today, facts, every, parts, fmt, snap.root, kept.view,
                      options)

    stats = bytearray(hot.stats)
    for k, note in zip(where_changed, changed, strict=True):
        stats[k * _STAT_BYTES:(k + 1) * _STAT_BYTES] = array(
            "q", stat_of(note, snap.scan_ns) or _FRESH).tobytes()
    memo.save_changes(hot._replace(stats=bytes(stats), facts=tuple(facts), counts=totals[0],
                                   intros=intros, problems=parts.problems),
                      new, ctx, kept, dirty, [where[cid] for cid in dirty],
                      {cid: sources[cid] for cid in moved})
    if receipt is not None:
        receipt.problems, receipt.contacts, receipt.remembered = parts.problems, len(facts), True
    return text, hot.skipped


def _differ_given(old: NoteMemo, new: NoteMemo) -> list[str]:
    """The contacts a changed note gives something else than before: its own contact, and
    those whose lines in it changed (or who are new to it, or gone from it)."""
    was = dict(zip(old.touched, old.given, strict=True))
    now = dict(zip(new.touched, new.given, strict=True))
    return [cid for cid in sorted({*was, *now})
            if was.get(cid) != now.get(cid) or cid in (old.owner, new.owner)]


def _read(note: NoteFile, config: Config, owner_id: str | None, resolve: Resolver,
          careers: Careers, read_one: Callable[..., tuple[NoteRecord, bytes | None]],
          resolve_links: Callable[..., Contact], problems: list[Problem],
          stat: StatKey | None = None) -> tuple[Contact | None, list[Interaction]] | None:
    """One note, parsed and linked as assemble does: its contact (when it is its contact's note)
    and its interactions; its problems are added to ``problems``.  None when the note is not
    what the memo says it is (a contact's note that is now skipped or another contact's, or a
    skipped one that is now a contact), or, given the ``stat`` it was kept with, changed while
    it was read."""
    from netnotes.vault import note_interactions

    rec, data = read_one(note, config)
    if data is None:
        return None
    if stat is not None:
        try:
            st = os.stat(note.path)
        except OSError:
            return None
        if stat_key(st) != stat:
            return None
    problems.extend(rec.problems)
    contact = None
    if note.kind == "person":
        c = rec.contact
        if owner_id is None:  # a note that was skipped (it could not be read as a contact) …
            return (None, []) if c is None else None  # … and still is: only its problems change
        if c is None or c.id != owner_id or c.path != note.rel:
            return None
        contact = careers.apply(resolve_links(c, resolve, problems))
    return contact, note_interactions(rec, contact.id if contact else None, resolve, problems)


def _sort_key(i: Interaction) -> tuple[dt.date, str, int]:
    return (i.date, i.path, i.line)


def _rel(n: NoteFile) -> str:
    return n.rel


# --- storage --------------------------------------------------------------------------------------


def _save_whole(snap: Snapshot, today: dt.date, vault: Vault, got: MadeReport,
                fragments: Mapping[str, _Fragments], reporter: Reporter,
                reuse: Reuse | None = None) -> None:
    """Remember a report made whole: replaces whatever the memo held (taking from ``reuse``
    what it can).  Quietly does nothing when ``.netnotes/`` cannot be written (the index says
    so already)."""
    from netnotes.vault import unique_names

    names = reuse.names if reuse is not None else marshal.dumps(dict(unique_names(
        vault.contacts)))
    for _attempt in (1, 2):
        try:
            cache_folder(snap.root)
            memo = _Memo.open(snap.root, reporter, create=True)
        except (OSError, sqlite3.OperationalError, Miss):
            return  # cannot be written, or locked by another netnotes for TIMEOUT seconds
        except sqlite3.DatabaseError:  # not a database, malformed: start a fresh one
            forget(snap.root)
            continue
        try:
            _write_whole(memo, snap, today, vault, got, fragments, names,
                         reuse.notes if reuse is not None else {})
            return
        except (OSError, sqlite3.OperationalError):
            return
        except sqlite3.DatabaseError:
            memo.close()
            forget(snap.root)
        finally:
            memo.close()


def _write_whole(memo: _Memo, snap: Snapshot, today: dt.date, vault: Vault, got: MadeReport,
                 fragments: Mapping[str, _Fragments], names: bytes,
                 same: Mapping[str, tuple[Any, ...]]) -> None:
    """``names`` is the names map as kept (marshalled); ``same`` the kept entries of notes that
    did not change since (Reuse.notes): all of each but its Totals is still right."""
    by_path = {c.path: c for c in vault.contacts}
    nothing = NO_TOTALS
    totals = got.note_totals
    notes = {n.rel: _note_with(same[n.rel], totals.get(n.rel, nothing)) if n.rel in same else
             note_memo(n.kind, by_path.get(n.rel) if n.kind == "person" else None,
                       list(vault.interactions_in(n.rel)), totals.get(n.rel, nothing))
             for n in snap.notes}
    parts = got.parts
    counts, _ = parts.totals
    listed = sorted(snap.notes, key=_rel)
    memo.n = shards_for(len(got.facts))
    pairs = [(rel, i) for rel, m in sorted(notes.items()) for i in m.totals[1]]
    pairs.sort(key=_made_key, reverse=True)
    hot = Hot(memo_key(snap, today), _listing(listed), _stats(listed, snap.scan_ns),
              tuple(got.facts), counts, tuple(pairs[:KEEP_INTROS]), parts.problems,
              parts.notes_read, parts.skipped, parts.brief, vault.root.name)
    shape = dict(parts.shape)
    graph = shape["graph"]
    heads = {k: (graph[k][:HEAD], len(graph[k])) for k in _GRAPH_LISTS if k in graph}
    shape["graph"] = {k: None if k in heads else v for k, v in graph.items()}  # keeps the order

    others, seen = _still_good(memo, snap, hot, notes, listed, fragments)
    memo.n = shards_for(len(got.facts))  # reading the old memo set its own
    others = {ctx: f for ctx, f in others.items() if f.n == frag_shards(memo.n)}
    with transaction(memo.conn) as c:
        if memo._meta_or_none("generation") != seen:
            others = {}  # another netnotes saved in between: what it kept is not ours to judge
        tables = c.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
        for (table,) in tables:
            c.execute(f'DROP TABLE IF EXISTS "{table}"')
        for sql in _TABLES:
            c.execute(sql)
        gen = str(int.from_bytes(os.urandom(4), "big")).encode()
        meta = [("schema", str(SCHEMA).encode()), ("generation", gen),
                ("shards", str(memo.n).encode()),
                *memo.sealed_hot(hot),
                ("shape", memo.seal("shape", marshal.dumps((shape, heads))))]
        meta += [(f"graph:{k}", memo.seal(f"graph\0{k}", marshal.dumps(graph[k])))
                 for k in heads]
        c.executemany("INSERT INTO meta VALUES (?, ?)", meta)
        sources: dict[str, list[str]] = {cid: [] for cid in got.grounds}
        for rel, m in notes.items():
            for cid in m.touched:
                sources.setdefault(cid, []).append(rel)
        n = memo.n
        note_shards: list[dict[str, Any]] = [{} for _ in range(n)]
        for rel, m in notes.items():
            note_shards[shard_of(rel, n)][rel] = _plain_note(m)
        unit_shards: list[dict[str, Any]] = [{} for _ in range(n)]
        for cid, g in got.grounds.items():
            unit_shards[shard_of(cid, n)][cid] = (g, tuple(sources[cid]))
        c.executemany("INSERT INTO notes VALUES (?, ?)",
                      ((k, memo.seal_shard("notes", k, d)) for k, d in enumerate(note_shards)))
        c.executemany("INSERT INTO units VALUES (?, ?)",
                      ((k, memo.seal_shard("units", k, d)) for k, d in enumerate(unit_shards)))
        c.execute("INSERT INTO meta VALUES ('names', ?)", (memo.seal("names", names),))
        for ctx, kept in {**others, **fragments}.items():
            c.executemany("INSERT INTO frags VALUES (?, ?, ?, ?)",
                          kept.blobs(memo, ctx, kept.shards))
            if kept.stale:
                memo.set_stale(ctx, kept.stale)


def _still_good(memo: _Memo, snap: Snapshot, hot: Hot, notes: Mapping[str, NoteMemo],
                listed: Sequence[NoteFile], fragments: Mapping[str, _Fragments]
                ) -> tuple[dict[str, _Fragments], bytes | None]:
    """The renderings of other formats in the memo this whole report replaces that are still
    right: those of every contact the notes changed since then did not touch, when the memo was
    made for the same day and code and the vault's shape is the same (a report in a new format
    is made whole once, and should not cost the formats asked before their memo).  With the
    generation it was read at."""
    try:
        old = memo.hot()
        seen = memo._meta_or_none("generation")
        if old is None or old.key != hot.key:
            return {}, seen
        where = _changed(listed, old, snap.scan_ns)
        if where is None or len(where) > MAX_CHANGED:
            return {}, seen
        was = memo.notes([listed[k].rel for k in where])
        dirty: set[str] = set()
        for k in where:
            rel = listed[k].rel
            before, now = was.get(rel), notes[rel]
            if before is None or before.shape != now.shape or before.owner != now.owner:
                return {}, seen
            dirty.update(_differ_given(before, now))
        others = [ctx for (ctx,) in memo.conn.execute("SELECT DISTINCT ctx FROM frags")
                  if ctx not in fragments]
        kept = {}
        for ctx in others:
            kept[ctx] = memo.fragments(ctx, dirty)
            kept[ctx].stale = {*memo.stale(ctx), *dirty}
        return kept, seen
    except (sqlite3.Error, Miss, OSError):
        return {}, None
    finally:
        if memo.conn.in_transaction:
            memo.conn.commit()
