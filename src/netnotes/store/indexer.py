"""Reading the vault's notes through the index: stat every note, serve unchanged ones from the
cache, parse the rest, write back what changed.

Correctness never depends on the cache: any trouble with it ends in parsing the notes and a
one-line notice in ``IndexStats.notice``.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import sqlite3
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from netnotes.core import Config
from netnotes.store.cache import Entry, IndexStats, NoteCache, Row, describe, discard, dump
from netnotes.store.engine import CacheUnavailable, note_state, racy, same_content, stat_key
from netnotes.vault import NoteFile, NoteRecord, Progress, read_one

CHUNK = 250  # notes parsed between two updates of the progress bar

Todo = list[tuple[NoteFile, "os.stat_result | None"]]
Parsed = tuple[NoteFile, NoteRecord, "Entry | None"]


def read_records(root: Path, config: Config, notes: list[NoteFile], *, use_cache: bool = True,
                 rebuild: bool = False, progress: Progress | None = None
                 ) -> tuple[list[NoteRecord], IndexStats]:
    """One NoteRecord per note, in the order of ``notes``, and what the index did."""
    scan_ns = time.time_ns()
    cache: NoteCache | None = None
    found: Iterator[tuple[str, Row]] = iter(())
    notice: str | None = None
    if use_cache:
        cache, found, notice = _open(root, config, rebuild)

    records: dict[str, NoteRecord] = {}
    writer = _Writer(cache, reset=rebuild)
    rows = _Rows(found)
    todo: Todo = []
    cached = 0
    for note in sorted(notes, key=lambda n: n.rel):  # the rows come sorted by path too
        row = rows.take(note.rel)
        st = note.stat
        if st is None:
            try:
                st = os.stat(note.path)
            except OSError:
                st = None
        if cache is not None and row is not None and st is not None:
            rec = _from_row(cache, note, st, row, scan_ns, writer)
            if rec is not None:
                records[note.rel] = rec
                cached += 1
                continue
        todo.append((note, st))
    removed = rows.rest()  # rows of notes that are gone; ends the read transaction
    if rows.error is not None:  # damaged beyond the first page: start a fresh file
        notice = notice or f"{describe(rows.error)}; rebuilt it"
        writer.restart(root, config)
    writer.hold = False

    for note, rec, entry in _parse_all(todo, config, scan_ns, cache is not None, progress):
        records[note.rel] = rec
        if entry is not None:
            writer.add(entry)

    writer.finish(removed, always=not cached)
    stats = IndexStats(len(notes), len(todo), cached, len(removed), notice or writer.notice)
    return [records[n.rel] for n in notes], stats


class _Rows:
    """The cache's rows joined to the sorted notes as both are walked in path order; a row
    whose path is passed over belongs to a deleted note.  A read error ends the rows (the
    rest of the notes are parsed) and is kept in ``error``."""

    def __init__(self, rows: Iterator[tuple[str, Row]]):
        self.rows = rows
        self.error: sqlite3.Error | None = None
        self.removed: list[str] = []
        self.head: tuple[str, Row] | None = None
        self._next()

    def _next(self) -> None:
        try:
            self.head = next(self.rows, None)
        except sqlite3.Error as exc:
            self.error, self.head = exc, None

    def take(self, rel: str) -> Row | None:
        while self.head is not None and self.head[0] < rel:
            self.removed.append(self.head[0])
            self._next()
        if self.head is not None and self.head[0] == rel:
            row = self.head[1]
            self._next()
            return row
        return None

    def rest(self) -> list[str]:
        while self.head is not None:
            self.removed.append(self.head[0])
            self._next()
        return self.removed


class _Writer:
    """Writes rows in batches as notes are parsed, so that a cold run of a huge vault never
    holds every pickled record at once.  Each batch is one transaction (a killed process loses
    at most the batch); the first one empties the table on a rebuild."""

    BATCH = 5000

    def __init__(self, cache: NoteCache | None, reset: bool):
        self.cache = cache
        self.reset = reset
        self.batch: list[Entry] = []
        self.notice: str | None = None
        self.hold = True  # no writing while the rows are still being read

    def add(self, entry: Entry) -> None:
        if self.cache is None:
            return
        try:
            entry.rel.encode()
        except UnicodeEncodeError:  # a file name that is not UTF-8: parsed every time
            return
        self.batch.append(entry)
        if len(self.batch) >= self.BATCH and not self.hold:
            self._save(())

    def restart(self, root: Path, config: Config) -> None:
        """Replace a damaged cache file with an empty one (what was read from it was valid)."""
        if self.cache is not None:
            self.cache.close()
        self.cache, self.reset = None, True
        try:
            discard(root)
            self.cache = NoteCache.open(root, config)
        except (OSError, sqlite3.Error, CacheUnavailable):
            pass

    def finish(self, removed: list[str], always: bool) -> None:
        if self.cache is None:
            return
        try:
            if self.batch or removed or self.reset or always:
                self._save(removed)
        finally:
            if self.cache is not None:
                self.cache.close()

    def _save(self, removed: Iterable[str]) -> None:
        assert self.cache is not None
        try:
            self.cache.save(self.batch, removed, reset=self.reset)
            self.reset = False
        except sqlite3.Error as exc:
            self.notice = describe(exc) + "; the answer is not affected"
            self.cache.close()
            self.cache = None
        self.batch = []


def _open(root: Path, config: Config, rebuild: bool
          ) -> tuple[NoteCache | None, Iterator[tuple[str, Row]], str | None]:
    """The cache and its rows, or None and the reason it cannot be used this time.  A file that
    is not a database any more is deleted and started afresh."""
    cache = None
    try:
        cache = NoteCache.open(root, config)
        if rebuild:
            return cache, iter(()), None
        found, notice = cache.load()
        return cache, found, notice
    except CacheUnavailable as exc:
        return None, iter(()), f"{exc}; read every note"
    except sqlite3.DatabaseError as exc:
        if cache is not None:
            cache.close()
        reason = describe(exc)
        damaged = ("malformed", "no such table", "no such column")
        if not isinstance(exc, sqlite3.OperationalError) or any(d in str(exc) for d in damaged):
            # Not a database, or damaged: start a fresh one (rows validate themselves anyway).
            try:
                discard(root)
                return NoteCache.open(root, config), iter(()), f"{reason}; rebuilt it"
            except (OSError, sqlite3.Error, CacheUnavailable):
                pass
        return None, iter(()), f"{reason}; read every note"
    except OSError as exc:
        if cache is not None:
            cache.close()
        return None, iter(()), f"cannot use the index ({exc.strerror}); read every note"


def _from_row(cache: NoteCache, note: NoteFile, st: os.stat_result, row: Row, scan_ns: int,
              writer: _Writer) -> NoteRecord | None:
    """The cached record when the row is ours and the file is provably unchanged, else None."""
    key = stat_key(st)
    if row.kind != note.kind or row.stat != key or not cache.valid(note.rel, row):
        return None
    try:
        if not same_content(row.digest, note.path.read_bytes):  # it was racy when kept
            return None
    except OSError:
        return None
    try:
        rec = pickle.loads(row.blob)
    except Exception:  # a valid MAC makes this unreachable short of a bug; parse instead
        return None
    if not isinstance(rec, NoteRecord) or rec.rel != note.rel:
        return None
    if row.digest is not None and not racy(st, scan_ns):
        writer.add(Entry(note.rel, note.kind, key, None, row.blob))  # old enough now
    return rec


def _parse_all(todo: Todo, config: Config, scan_ns: int, want_entries: bool,
               progress: Progress | None) -> Iterator[Parsed]:
    """Every note of ``todo`` parsed, in order, CHUNK at a time between two updates of the bar."""
    bar = progress(len(todo)) if progress is not None and todo else contextlib.nullcontext()
    with bar as b:
        for i in range(0, len(todo), CHUNK):
            chunk = todo[i : i + CHUNK]
            yield from (_parse_one(item, config, scan_ns, want_entries) for item in chunk)
            if b is not None:
                b.update(len(chunk))


def _parse_one(item: tuple[NoteFile, os.stat_result | None], config: Config, scan_ns: int,
               want_entry: bool) -> Parsed:
    note, st = item
    rec, data = read_one(note, config)
    entry = None
    if want_entry and data is not None and st is not None and st.st_size == len(data):
        body: bytes = data
        stat, digest = note_state(st, scan_ns, lambda: body)
        entry = Entry(note.rel, note.kind, stat, digest, dump(rec))
    return note, rec, entry
