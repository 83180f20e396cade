"""The index: a disposable SQLite cache of parsed notes under ``<vault>/.netnotes/``.

One row per note file, keyed by its path, holding what ``index.read_note`` made of it (pickled)
and the stat it had when it was read: size, mtime_ns, ctime_ns and inode.  A row is used only
when the file's stat is still exactly that, so an edit, a ``git checkout``, a rename onto the
path or a copy that keeps the mtime all cause a re-parse.  When the mtime is too recent to be
trusted (a second write in the same timestamp tick would not change it), the row also keeps a
hash of the bytes, and is used only after the file is read and hashed again.

Why pickle, and why it is safe here: pickle turns a NoteRecord back into objects in half the
time JSON plus our own decoder takes (benchmarks/serialise.py), the more so as a record pickles
itself as plain values (``NoteRecord.__reduce__``, ``Contact.__reduce__``) that pickle's C code
rebuilds with one Python call per note, not one per log line; but unpickling runs code
chosen by whoever wrote the bytes.  The cache sits in the user's vault, which a sync tool or a
colleague may write to, so every row carries a keyed BLAKE3 MAC over its fingerprint, path, stat
and bytes; the key is 32 random bytes in the user's own cache folder (``~/.cache/netnotes``),
outside the vault.  A row without a valid MAC is never unpickled, only re-parsed.  The
fingerprint covers the schema, the source of the modules that parse notes (so a changed
parser never serves old records) and the config, so an edited ``netnotes.toml`` re-reads all.

Two processes at once: SQLite in WAL mode, every write one transaction, and rows that validate
themselves, so the worst a race can do is cost a re-parse.  Anything wrong with the cache file
(corrupt, truncated, locked, read-only, disk full) makes the caller run without it and say so in
one line; it never changes an answer.
"""

from __future__ import annotations

import contextlib
import pickle
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from netnotes.store.engine import (
    CacheUnavailable,
    Seal,
    StatKey,
    connect,
    inputs_key,
    transaction,
)
from netnotes.vault import CACHE_DIR, cache_folder, real_cache_folder

SCHEMA = 2  # 2: records pickle their log lines as columns and their contact as a tuple
DB_NAME = "index.sqlite"
PICKLE_PROTOCOL = 5
BUSY_TIMEOUT_MS = 3000

# The modules whose code decides what a note parses into: their source is part of the fingerprint.
_CODE_MODULES = ("store/cache", "store/engine", "core/config", "core/dates", "core/errors",
                 "vault/fields", "vault/records", "vault/interactions", "vault/mapping",
                 "core/model", "core/names", "vault/parse", "vault/files", "store/load")



@dataclass(frozen=True)
class IndexStats:
    """What one load did: how many notes, how many were parsed or served from the cache, how
    many cache rows were dropped for deleted notes, and the notice when the cache was not used."""

    notes: int = 0
    parsed: int = 0
    cached: int = 0
    removed: int = 0
    notice: str | None = None

    def summary(self) -> str:
        """``10,000 notes: 3 parsed, 9,997 cached, 1 removed``."""
        return (f"{self.notes:,} note{'s' if self.notes != 1 else ''}: {self.parsed:,} parsed, "
                f"{self.cached:,} cached, {self.removed:,} removed")


class Row(NamedTuple):
    """A row as read (a named tuple: ten thousand are made on every warm run)."""

    kind: str
    stat: StatKey
    digest: bytes | None
    blob: bytes
    mac: bytes


@dataclass(frozen=True)
class Entry:
    """A row to write: the stat taken *before* the bytes were read, so a later edit always
    shows up as a different stat."""

    rel: str
    kind: str
    stat: StatKey
    digest: bytes | None
    blob: bytes


def dump(record: Any) -> bytes:
    return pickle.dumps(record, protocol=PICKLE_PROTOCOL)


def code_fingerprint() -> str:
    """A hash of the parsing code, so a cache written by another netnotes (or another checkout)
    is never served."""
    from netnotes.vault import fingerprint as source_fingerprint

    return source_fingerprint(_CODE_MODULES) + f"|{SCHEMA}"


def fingerprint(config: Any) -> str:
    """Code and config together: every row was parsed under exactly this."""
    return inputs_key(code_fingerprint(), config)




class NoteCache:
    """An open cache file.  Every method may raise sqlite3.Error; the caller decides."""

    def __init__(self, conn: sqlite3.Connection, seal: Seal, fp: str):
        self.conn = conn
        self.fp = fp
        self.seal = seal  # every row is sealed for this fingerprint (code and config)

    @classmethod
    def open(cls, root: Path, config: Any) -> NoteCache:
        fp = fingerprint(config)
        seal = Seal.mine(f"index\0{fp}")
        try:
            folder = cache_folder(root)
        except OSError as exc:
            raise CacheUnavailable(f"cannot write {CACHE_DIR}/ ({exc.strerror})") from None
        return cls(connect(folder / DB_NAME, BUSY_TIMEOUT_MS / 1000), seal, fp)

    def close(self) -> None:
        self.conn.close()

    def mac(self, rel: str, kind: str, stat: StatKey, digest: bytes | None, blob: bytes) -> bytes:
        """A row's MAC: its record sealed at its path, kind, stat and content digest."""
        return self.seal.mac(_place(rel, kind, stat, digest), blob)

    def valid(self, rel: str, row: Row) -> bool:
        """Written by us, for this code and config, and not damaged since."""
        if not (isinstance(row.mac, bytes) and isinstance(row.blob, bytes) and
                isinstance(row.kind, str) and isinstance(row.digest, (bytes, type(None)))):
            return False  # someone stored other types in the columns
        return self.seal.verify(_place(rel, row.kind, row.stat, row.digest), row.blob, row.mac)

    def _schema(self) -> int | None:
        try:
            got = self.conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        except sqlite3.OperationalError as exc:
            if "no such table" in str(exc):
                return None
            raise
        try:
            return int(got[0]) if got else None
        except (TypeError, ValueError):
            return -1  # not ours to read: rebuilt like an old schema

    def load(self) -> tuple[Iterator[tuple[str, Row]], str | None]:
        """The rows written under our fingerprint, sorted by path and read as they are used (a
        big vault's pickles are never all in memory at once), and a notice when the file was
        made by another netnotes (then it is rebuilt on save).  The read transaction stays open
        until the rows are exhausted."""
        c = self.conn
        c.execute("BEGIN")
        try:
            schema = self._schema()
            notice = None
            if schema is not None and schema != SCHEMA:
                notice = f"the index was written by another netnotes version (schema {schema});" \
                         " rebuilding it"
            else:
                got = c.execute("SELECT value FROM meta WHERE key = 'fingerprint'"
                                ).fetchone() if schema is not None else None
                if got is not None and got[0] == self.fp:
                    cursor = c.execute("SELECT rel, kind, size, mtime_ns, ctime_ns, ino, digest,"
                                       " record, mac FROM notes ORDER BY rel")
                    return self._stream(cursor), None
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                c.execute("COMMIT")
            raise
        c.execute("COMMIT")
        return iter(()), notice

    def _stream(self, cursor: sqlite3.Cursor) -> Iterator[tuple[str, Row]]:
        try:
            for rel, kind, size, mtime, ctime, ino, digest, blob, mac in cursor:
                yield rel, Row(kind, (size, mtime, ctime, ino), digest, blob, mac)
        finally:
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("COMMIT")

    def save(self, entries: Iterable[Entry], removed: Iterable[str], *, reset: bool = False
             ) -> None:
        """One transaction: rows for new and changed notes in, rows of deleted notes out.
        ``reset`` (or a fingerprint that changed under us) empties the table first."""
        with transaction(self.conn) as c:
            schema = self._schema()
            if schema != SCHEMA:
                c.execute("DROP TABLE IF EXISTS notes")
                c.execute("DROP TABLE IF EXISTS meta")
                c.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
                c.execute("CREATE TABLE notes (rel TEXT PRIMARY KEY, kind TEXT NOT NULL, "
                          "size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, "
                          "ctime_ns INTEGER NOT NULL, ino INTEGER NOT NULL, digest BLOB, "
                          "record BLOB NOT NULL, mac BLOB NOT NULL)")
                c.execute("INSERT INTO meta VALUES ('schema', ?)", (str(SCHEMA),))
            got = c.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
            if reset or got is None or got[0] != self.fp:
                c.execute("DELETE FROM notes")
                c.execute("INSERT OR REPLACE INTO meta VALUES ('fingerprint', ?)", (self.fp,))
            c.executemany("DELETE FROM notes WHERE rel = ?", ((r,) for r in removed))
            c.executemany("INSERT OR REPLACE INTO notes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                          self._values(entries))

    def _values(self, entries: Iterable[Entry]) -> Iterator[tuple[Any, ...]]:
        for e in entries:
            yield (e.rel, e.kind, *e.stat, e.digest, e.blob,
                   self.mac(e.rel, e.kind, e.stat, e.digest, e.blob))


def _place(rel: str, kind: str, stat: StatKey, digest: bytes | None) -> bytes:
    return f"{rel}\0{kind}\0{stat}\0".encode() + (digest or b"-")


def discard(root: Path) -> None:
    """Delete the cache file (and its WAL files): used when it is not a database any more.
    A fresh one is created by the next save."""
    folder = real_cache_folder(root)  # never delete through a link
    if folder is None:
        return
    for suffix in ("-wal", "-shm", ""):
        with contextlib.suppress(FileNotFoundError):
            (folder / f"{DB_NAME}{suffix}").unlink()


def describe(exc: BaseException) -> str:
    """sqlite's and the OS's reasons in the user's terms, for the one-line notice."""
    text = str(exc)
    low = text.lower()
    if "locked" in low or "busy" in low:
        return "the index is busy (another netnotes is writing it)"
    if "readonly" in low or "read-only" in low or "unable to open" in low:
        return f"cannot write the index in {CACHE_DIR}/ ({text})"
    if "full" in low:
        return "the disk is full, so the index was not updated"
    return f"the index is damaged ({text})"
