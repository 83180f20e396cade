"""The memo's file: one SQLite database under .netnotes/, its blobs sharded and each sealed with
a keyed MAC (the index's key), written in one transaction; anything wrong with it is a miss.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import marshal
import os
import sqlite3
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from netnotes.store.engine import Miss, Seal, connect, transaction
from netnotes.store.spill import Renderings
from netnotes.vault import CACHE_DIR, cache_folder

if TYPE_CHECKING:
    from netnotes.store.reporting import Reporter
from netnotes.store.memo_records import (
    FACTS_SHARD,
    FILE,
    HEAD,
    SCHEMA,
    TIMEOUT,
    Hot,
    KnownStats,
    NoteMemo,
    _decode_hot,
    _encode_hot,
    _note_of,
    _plain_note,
)


def shards_for(contacts: int) -> int:
    """How many blobs each macro's renderings, the notes and the units are kept in: about 256
    contacts a blob, so a run rewrites only the few holding a changed contact or note, not
    megabytes of unchanged ones, and reads few of the notes and units it does not need."""
    return max(16, contacts // 256)


def frag_shards(n: int) -> int:
    """Shards of each macro's renderings, for ``n`` shards of notes: fewer and bigger, as every
    remembered run reads all of them (and rewrites only those of changed contacts)."""
    return max(16, n // 16)


def shard_of(key: str, n: int) -> int:
    return zlib.crc32(key.encode("utf-8", "surrogateescape")) % n


class _Fragments:
    """Kept renderings of one output kind: macro name → contact id → text (``found``, whose
    JSON rows are in its spill file, not in memory), stored by shard: ``shards`` says which
    contacts each (name, shard) holds, and each shard's blob is made from ``found`` only when
    it is written.  ``view`` is the reporter's store of renderings over the same texts, for
    rendering.  ``folder``: where the spill file goes (the vault's .netnotes/)."""

    def __init__(self, n: int, reporter: Reporter, folder: Path | None = None) -> None:
        self.n = n  # shards
        self.found = Renderings(folder)
        self.shards: dict[tuple[str, int], set[str]] = {}
        self.touched: set[tuple[str, int]] = set()  # (name, shard) whose renderings changed
        self.stale: set[str] = set()  # contacts whose renderings here were dropped (_Memo.stale)
        self.view = reporter.fragments(self.found, self.put)

    def add(self, name: str, shard: int, kept: dict[str, str | bytes]) -> None:
        """A shard as the memo kept it (a JSON row's bytes go to the spill file)."""
        self.shards.setdefault((name, shard), set()).update(kept)
        for cid, text in kept.items():
            self.found.put(name, cid, text)

    def drop(self, cid: str) -> None:
        where = shard_of(cid, self.n)
        for name in self.found.drop(cid):
            self.shards[name, where].discard(cid)
            self.touched.add((name, where))

    def put(self, name: str, cid: str) -> None:
        """The view made a rendering of ``cid`` (and has it in ``found``): its shard holds it
        now."""
        where = shard_of(cid, self.n)
        self.shards.setdefault((name, where), set()).add(cid)
        self.touched.add((name, where))

    def blobs(self, memo: _Memo, ctx: str, which: Iterable[tuple[str, int]]
              ) -> Iterator[tuple[str, str, int, bytes]]:
        """The rows of the shards ``which``, each made from ``found`` (its JSON rows read back
        from the spill file) as executemany takes it: one shard's texts in memory at a time."""
        return ((ctx, name, k, memo.seal(f"frags\0{ctx}\0{name}\0{k}",
                                          marshal.dumps(self.found.plain(name,
                                                                         self.shards[name, k]))))
                for name, k in which)


class LazyList(Sequence[Any]):
    """One of the graph's long lists (brokers, groups …): its first HEAD items at hand, the
    rest read only when a template goes past them (a text report lists the top 5)."""

    def __init__(self, head: list[Any], length: int, load: Callable[[], list[Any]]):
        self._head, self._length, self._load = head, length, load
        self._all: list[Any] | None = head if length <= len(head) else None

    def _whole(self) -> list[Any]:
        if self._all is None:
            self._all = self._load()
        return self._all

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, slice) and key.step in (None, 1) and \
                0 <= (key.start or 0) and key.stop is not None and 0 <= key.stop <= HEAD:
            return self._head[key]
        if isinstance(key, int) and 0 <= key < len(self._head):
            return self._head[key]
        return self._whole()[key]

    def __iter__(self) -> Iterator[Any]:
        return iter(self._whole())


class _Memo:
    def __init__(self, conn: sqlite3.Connection, seal: Seal, reporter: Reporter,
                 folder: Path | None = None):
        self.conn = conn
        self.folder = folder  # the vault's .netnotes/, where renderings read are spilled
        self.sealer = seal
        self.reporter = reporter  # packs and reads back what is its own (grounds, facts …)
        self.generation: str | None = None
        self._shards: dict[tuple[str, int], dict[str, Any]] = {}
        self.n = 16  # shards of each kind (shards_for), as kept

    @classmethod
    def open(cls, root: Path, reporter: Reporter, create: bool = False) -> _Memo:
        path = root / CACHE_DIR / FILE
        if not create and not path.exists():
            raise Miss("no memo")
        try:
            cache_folder(root)  # refuses a .netnotes that is a link; removes links inside it
        except OSError as exc:
            raise Miss(str(exc)) from None
        seal = Seal.mine("memo")  # no key: CacheUnavailable, a Miss
        return cls(connect(path, TIMEOUT), seal, reporter, path.parent)

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            if self.conn.in_transaction:
                self.conn.rollback()
            self.conn.close()

    # sealed blobs (engine.Seal): a keyed MAC over the blob and the place it was written for

    def seal(self, place: str, blob: bytes) -> bytes:
        return self.sealer.seal(place, blob)

    def unseal(self, place: str, data: bytes | None) -> bytes:
        return self.sealer.unseal(place, data)

    def seal_shard(self, table: str, k: int, found: dict[str, Any]) -> bytes:
        """A shard of notes (plain tuples: marshal) or of units (each contact's ground, the
        reporter's, and its notes: packed by the reporter)."""
        blob = marshal.dumps(found) if table == "notes" else self.reporter.pack(found)
        return self.seal(f"{table}\0{k}", blob)

    def sealed_hot(self, hot: Hot, shards: Iterable[int] | None = None
                   ) -> list[tuple[str, bytes]]:
        """Hot's blobs, with the facts of ``shards`` (None: all of them)."""
        bulk, rest = _encode_hot(hot, self.reporter)
        if shards is None:
            shards = range(-(-len(hot.facts) // FACTS_SHARD))
        facts = [(f"facts:{k}", self.seal(f"facts\0{k}", self.reporter.encode_facts(
            hot.facts[k * FACTS_SHARD:(k + 1) * FACTS_SHARD]))) for k in shards]
        return [("hot", self.seal("hot", bulk)), ("hot:rest", self.seal("hot:rest", rest)),
                *facts]

    # reading (one read transaction: every value from the same saved state)

    def stale(self, ctx: str) -> list[str]:
        """Contacts whose renderings in ``ctx`` a run in another format dropped."""
        blob = self._meta(f"stale:{ctx}")
        if blob is None:
            return []
        found = marshal.loads(self.unseal(f"stale\0{ctx}", blob))
        if not isinstance(found, list):
            raise Miss("stale")
        return found

    def set_stale(self, ctx: str, ids: set[str]) -> None:
        self.conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                          (f"stale:{ctx}", self.seal(f"stale\0{ctx}",
                                                     marshal.dumps(sorted(ids)))))

    def _meta_or_none(self, name: str) -> bytes | None:
        try:
            return self._meta(name)
        except sqlite3.Error:
            return None

    def _meta(self, name: str) -> bytes | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (name,)).fetchone()
        return row[0] if row else None

    def hot(self) -> Hot | None:
        self.conn.execute("BEGIN")
        schema = self._meta("schema")
        if schema != str(SCHEMA).encode():
            return None
        gen = self._meta("generation")
        self.generation = gen.decode() if gen else None
        try:
            self.n = int(self._meta("shards") or b"")
            return _decode_hot(self.unseal("hot", self._meta("hot")),
                               self.unseal("hot:rest", self._meta("hot:rest")),
                               self._facts, self.reporter)
        except Miss:
            raise
        except Exception as exc:  # noqa: BLE001 - what we wrote, read by other code: rebuild
            raise Miss("hot") from exc

    def _facts(self, count: int) -> tuple[Any, ...]:
        days: dict[int | None, dt.date | None] = {None: None}
        out: list[Any] = []
        for k in range(-(-count // FACTS_SHARD)):
            out += self.reporter.decode_facts(
                self.unseal(f"facts\0{k}", self._meta(f"facts:{k}")), days)
        if len(out) != count:
            raise Miss("facts")
        return tuple(out)

    # Notes and units are kept by shard (SHARDS of each), each shard one blob: a whole report
    # writes 2 × SHARDS blobs instead of 20,000 rows, and a remembered run reads the few shards
    # of the notes and contacts it needs.

    def _shard(self, table: str, k: int) -> dict[str, Any]:
        got = self._shards.get((table, k))
        if got is None:
            row = self.conn.execute(f"SELECT blob FROM {table} WHERE shard = ?", (k,)).fetchone()
            blob = self.unseal(f"{table}\0{k}", row[0] if row else None)
            got = marshal.loads(blob) if table == "notes" else self.reporter.unpack(blob)
            if not isinstance(got, dict):
                raise Miss(table)
            self._shards[table, k] = got
        return got

    def _found(self, table: str, keys: Iterable[str]) -> dict[str, Any]:
        """The kept entries of ``keys`` (a note's path, a contact's id) that exist."""
        out = {}
        for key in keys:
            entry = self._shard(table, shard_of(key, self.n)).get(key)
            if entry is not None:
                out[key] = entry
        return out

    def notes(self, rels: list[str]) -> dict[str, NoteMemo]:
        return {rel: _note_of(e) for rel, e in self._found("notes", rels).items()}

    def touches(self, ids: list[str]) -> dict[str, set[str]]:
        """The notes each contact's fields and history come from."""
        found = self._found("units", ids)
        return {cid: set(found[cid][1]) if cid in found else set() for cid in ids}

    def grounds(self, ids: list[str]) -> dict[str, Any]:
        return {cid: e[0] for cid, e in self._found("units", ids).items()}

    def names(self) -> Mapping[str, str]:
        """Folded name → contact id, for links by name in a changed note."""
        found = marshal.loads(self.unseal("names", self._meta("names")))
        if not isinstance(found, dict):
            raise Miss("names")
        return found

    def shape(self, whole: bool) -> dict[str, Any]:
        """The shape's plain data; the graph's long lists lazily unless ``whole`` (JSON writes
        all of it, and only real lists)."""
        shape, heads = marshal.loads(self.unseal("shape", self._meta("shape")))
        graph = dict(shape["graph"])
        for key, (head, length) in heads.items():
            def load(key: str = key, length: int = length) -> list[Any]:
                found = marshal.loads(self.unseal(f"graph\0{key}", self._meta(f"graph:{key}")))
                if not isinstance(found, list) or len(found) != length:
                    raise Miss("graph")
                return found
            graph[key] = load() if whole else LazyList(head, length, load)
        return shape | {"graph": graph}

    def fragments(self, ctx: str, drop: Iterable[str], where: str = "ctx = ?",
                  args: tuple[Any, ...] = ()) -> _Fragments:
        """The kept renderings of ``ctx``, without those of the contacts in ``drop``: read a
        shard at a time, a JSON row's bytes going on to the spill file (all at once, the JSON
        report's kept rows were all in memory)."""
        kept = _Fragments(frag_shards(self.n), self.reporter, self.folder)
        for name, k, blob in self.conn.execute(
                f"SELECT name, shard, blob FROM frags WHERE {where}", args or (ctx,)):
            found = marshal.loads(self.unseal(f"frags\0{ctx}\0{name}\0{k}", blob))
            if not isinstance(found, dict):
                raise Miss("frags")
            kept.add(name, k, found)
        for cid in drop:
            kept.drop(cid)
        return kept

    # writing

    def save_changes(self, hot: Hot, new: Mapping[str, NoteMemo], ctx: str, kept: _Fragments,
                     dirty: Iterable[str], positions: Iterable[int],
                     sources: Mapping[str, set[str]]) -> None:
        """Write what one remembered run changed, unless another run saved in between (then
        its memo is as good as ours)."""
        try:
            with transaction(self.conn) as c:  # ends the read transaction first
                gen = self._meta("generation")
                if (gen.decode() if gen else None) != self.generation:
                    return
                c.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                              self.sealed_hot(hot, {k // FACTS_SHARD for k in positions}))
                touched: set[tuple[str, int]] = set()
                for rel, m in new.items():
                    self._shard("notes", shard_of(rel, self.n))[rel] = _plain_note(m)
                    touched.add(("notes", shard_of(rel, self.n)))
                for cid, rels in sources.items():
                    unit = self._shard("units", shard_of(cid, self.n))
                    if cid in unit:
                        unit[cid] = (unit[cid][0], tuple(sorted(rels)))
                        touched.add(("units", shard_of(cid, self.n)))
                for table, k in sorted(touched):
                    c.execute(f"UPDATE {table} SET blob = ? WHERE shard = ?",
                              (self.seal_shard(table, k, self._shards[table, k]), k))
                dirty = list(dirty)
                shards = sorted({shard_of(cid, frag_shards(self.n)) for cid in dirty})
                marks = ",".join("?" * len(shards))
                others = [o for (o,) in c.execute("SELECT DISTINCT ctx FROM frags WHERE ctx != ?",
                                                  (ctx,))]
                for other in others:  # another format's renderings of those contacts go too, and
                    # its next run makes them again (they are "stale" there)
                    theirs = self.fragments(other, dirty, f"ctx = ? AND shard IN ({marks})",
                                            (other, *shards))
                    c.executemany("INSERT OR REPLACE INTO frags VALUES (?, ?, ?, ?)",
                                  theirs.blobs(self, other, theirs.touched))
                    self.set_stale(other, {*self.stale(other), *dirty})
                self.set_stale(ctx, set())
                c.executemany("INSERT OR REPLACE INTO frags VALUES (?, ?, ?, ?)",
                              kept.blobs(self, ctx, kept.touched))
                c.execute("UPDATE meta SET value = ? WHERE key = 'generation'",
                          (str(int(self.generation or 0) + 1).encode(),))
        except (sqlite3.Error, Miss):
            pass  # rolled back: the next run makes what it kept again


class Held:
    """What the memo keeps between the reports of one long-lived Session (``watch``): the stat
    records it worked out last (KnownStats) and its SQLite connection, open from one refresh
    to the next.  Closing the connection after a run that saved a change checkpointed the
    write-ahead log every time (0.016 s at 10,000 contacts).

    Nothing read is kept across runs: each run begins its own read transaction and reads the
    kept state afresh (another netnotes may have saved in between), and ``release`` ends it.
    The connection is opened again when the file at .netnotes/memo.sqlite is no longer the
    one it has open (deleted, replaced, ``.netnotes`` swapped), so it never reads or writes a
    memo the vault no longer has; ``_Memo.open`` then makes its checks again."""

    def __init__(self) -> None:
        self.stats = KnownStats()
        self._memo: _Memo | None = None
        self._file: tuple[int, int] = (0, 0)  # (device, inode) of the file it has open

    def open(self, root: Path, reporter: Reporter) -> _Memo:
        path = root / CACHE_DIR / FILE
        memo = self._memo
        if memo is not None:
            try:
                st = os.stat(path)
                same = (st.st_dev, st.st_ino) == self._file
            except OSError:
                same = False
            if same:
                memo.reporter = reporter
                return memo
            self.close()
        memo = _Memo.open(root, reporter)
        try:
            st = os.stat(path)
        except OSError:
            memo.close()
            raise
        self._memo, self._file = memo, (st.st_dev, st.st_ino)
        return memo

    def release(self) -> None:
        """End the run: its read transaction, and what it decoded (read again next time)."""
        memo = self._memo
        if memo is not None:
            memo._shards.clear()
            try:
                if memo.conn.in_transaction:
                    memo.conn.rollback()
            except sqlite3.Error:
                self.close()

    def close(self) -> None:
        if self._memo is not None:
            self._memo.close()
        self._memo = None


_TABLES = (
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB NOT NULL)",
    # notes: path → what it gave the report; units: contact id → (its ground, the notes its fields
    # and history come from); both by shard_of(path or id)
    "CREATE TABLE notes (shard INTEGER PRIMARY KEY, blob BLOB NOT NULL)",
    "CREATE TABLE units (shard INTEGER PRIMARY KEY, blob BLOB NOT NULL)",
    "CREATE TABLE frags (ctx TEXT NOT NULL, name TEXT NOT NULL, shard INTEGER NOT NULL, "
    "blob BLOB NOT NULL, PRIMARY KEY (ctx, name, shard))",
)
