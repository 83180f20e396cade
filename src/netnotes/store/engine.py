"""The cache engine: the one rule every thing kept under ``.netnotes/`` obeys, and the mechanics
every store uses to obey it.  Read this module to check the rule; the stores only say *what*
they keep.

Three stores use it: the index (``cache.py``, ``indexer.py``: each note's parsed record), the
finished answers (``answers.py``: a command's whole output) and the remembered report
(``memo*.py``: the last report's parts, per note and per contact).  A kept value is served only
when all four of these hold; otherwise it is worked out from the notes, and the answer is the
same, byte for byte, as with ``--no-cache``:

1. **Made from the same inputs** (``Snapshot``, ``inputs_key``, ``stat_key``, ``racy``).  A
   value is keyed by everything it was made from: netnotes' own code (and templates), the
   vault's ``netnotes.toml``, and every note it read, by its stat (size, mtime, ctime, inode).
   A note written within ``RACY_NS`` of the listing cannot be proven unchanged by its stat (a
   second write in the same clock tick keeps it): it is keyed by a hash of its bytes too
   (``note_state``; the index keeps that hash and compares it), or it is not trusted at all
   (``trusted_stat``: the memo reads it again next time).  The answers and the memo are keyed
   by the whole vault as one ``Snapshot`` (code and templates, config bytes, the listing and its
   problems, the vault's templates, the git commit); the index by each note's own stat, under
   the code that parses notes and the parsed config (``inputs_key``).
2. **Not tampered with** (``Seal``).  Every kept value that is loaded (unpickled, unmarshalled)
   or printed (a finished answer) carries a keyed BLAKE3 MAC over the place it was kept for and
   its bytes; the key is 32 random bytes in the user's own cache folder, outside the vault
   (``secret_key``).  A value whose MAC does not verify is never loaded, never printed.
3. **Whole or not at all** (``replace_file``, ``transaction``).  Written in one SQLite
   transaction, or to a temporary file renamed into place: a crash leaves the old or the new,
   and a torn file fails its MAC.
4. **Anything wrong is a miss** (``Miss``).  Missing, damaged, locked, read-only, another
   version's, no key: the store works the value out again, never fails the command; deleting
   ``.netnotes/`` loses nothing.  ``CacheUnavailable`` is the miss the user is told about in one
   line (the index cannot be used at all this time).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import re
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from blake3 import blake3

from netnotes.core import CONFIG_NAME, Problem
from netnotes.vault import (
    RACY_NS,
    NoteFile,
    content_digest,
    list_notes,
    load_config,
    needs_digest,
    user_cache,
)

KEY_NAME = "cache-key"
MAC_SIZE = 16
SNAPSHOT_VERSION = 2
GIT_TIMEOUT = 10

if TYPE_CHECKING:
    import sqlite3  # imported where a store opens one: a finished answer needs no SQLite

StatKey = tuple[int, int, int, int]


class Miss(Exception):
    """Rule 4: what is kept cannot be used this time; the caller works the value out instead."""


class CacheUnavailable(Miss):
    """A miss the user is told about: the message is the one-line notice."""


# --- rule 1: the same inputs --------------------------------------------------------------------

def stat_key(st: os.stat_result) -> StatKey:
    """What a note's stat must still be for anything kept from it to be served."""
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def racy(st: os.stat_result, scan_ns: int) -> bool:
    """The note was written too close to the listing (``scan_ns``) for its stat to prove it
    unchanged later (vault.needs_digest)."""
    return needs_digest(st, scan_ns)


def trusted_stat(st: os.stat_result | None, scan_ns: int) -> StatKey | None:
    """The stat a later run may trust a note by; None when there is none or it is racy (the
    note is then treated as changed next time)."""
    if st is None or racy(st, scan_ns):
        return None
    return stat_key(st)


def note_state(st: os.stat_result, scan_ns: int, data: Callable[[], bytes]
               ) -> tuple[StatKey, bytes | None]:
    """A note as a key sees it: its stat, and a hash of its bytes (``data()``) when the stat is
    racy.  ``data`` is only called then."""
    return stat_key(st), content_digest(data()) if racy(st, scan_ns) else None


def same_content(digest: bytes | None, data: Callable[[], bytes]) -> bool:
    """A note kept with ``digest`` (its stat was racy) still has those bytes; True when no
    digest was kept (the stat alone proves it)."""
    return digest is None or content_digest(data()) == digest


def inputs_key(code: str, config: object) -> str:
    """The key of what was made by ``code`` (a fingerprint of the modules that made it,
    vault.fingerprint) under ``config`` (netnotes.toml as parsed)."""
    return hashlib.sha256(f"{code}|{config!r}".encode()).hexdigest()


@dataclass(frozen=True)
class Snapshot:
    """The state of one vault as far as any report or answer can depend on it, as one digest,
    with the listing it was made from (so a command that goes on to read the vault lists it
    once).  ``fixed`` digests everything but the notes themselves (the code, the config, the
    listing's problems, the vault's templates, the git commit)."""

    root: Path
    digest: str
    fixed: str = ""
    notes: tuple[NoteFile, ...] = ()
    listed: tuple[Problem, ...] = ()  # met while listing the notes
    scan_ns: int = 0
    git: str = ""


def snapshot(root: Path, listing: tuple[Sequence[NoteFile], Sequence[Problem], int] | None = None
             ) -> Snapshot:
    """List the vault and hash its state: netnotes' code and templates, netnotes.toml byte for
    byte, the problems met listing it, which note folders exist, the files of the vault's own
    templates/ folder, the git commit, and every note by ``note_state``.  The stat is taken
    *before* anything is made from it, so an edit made meanwhile makes a key no later run asks
    for.  ``listing``: the notes (each with its stat), the problems met listing them and the
    scan time they are judged by, when the caller knows them already (Session.relist: no
    note's stat in it may be trusted by that time that was not trusted when it was taken);
    everything else is looked at again.  Such a snapshot has no ``digest``: a finished answer is
    looked up and kept only for a vault listed whole (answers.lookup, answers.store), and
    hashing every note's state was a tenth of a watch refresh at 10,000 notes."""
    from netnotes.vault import fingerprint

    scan_ns = time.time_ns() if listing is None else listing[2]
    h = hashlib.blake2b(digest_size=32)
    h.update(f"{SNAPSHOT_VERSION}\0{fingerprint(templates=True)}\0".encode())
    try:
        h.update((root / CONFIG_NAME).read_bytes())
    except OSError as exc:
        h.update(f"\0no config: {exc.errno}".encode())
    config, problems = load_config(root)
    notes, listed = list_notes(root, config) if listing is None else listing[:2]
    parts = [str(p) for p in (*problems, *listed)]
    for folder in (config.people_dir, config.journal_dir):
        parts.append(f"{folder}:{(root / folder).is_dir() if folder else None}")
    parts.extend(_folder_state(root / "templates", scan_ns))
    git = git_head(root)
    parts.append(git)
    h.update("\n".join(parts).encode("utf-8", "surrogateescape"))
    fixed = h.copy().hexdigest()
    if listing is not None:
        return Snapshot(root, "", fixed, tuple(notes), tuple(listed), scan_ns, git)
    h.update(_notes_state(notes, scan_ns).encode("utf-8", "surrogateescape"))
    return Snapshot(root, h.hexdigest(), fixed, tuple(notes), tuple(listed), scan_ns, git)


def _notes_state(notes: Sequence[NoteFile], scan_ns: int) -> str:
    """Every note as ``_file_state`` sees it, one a line.  A note whose stat proves it (not
    ``racy``: the test is inlined) is written out here without a call: 10,000 of them took
    19 ms through ``_file_state``, 9 ms so; ``test_engine`` checks both agree."""
    cut = scan_ns - RACY_NS
    lines = []
    for n in notes:
        st = n.stat
        if st is None or st.st_mtime_ns >= cut or st.st_ctime_ns >= cut:
            lines.append(_file_state(f"{n.rel}\0{n.kind}", st, n, scan_ns))
        else:
            lines.append(f"{n.rel}\0{n.kind}\0{st.st_size}\0{st.st_mtime_ns}"
                         f"\0{st.st_ctime_ns}\0{st.st_ino}")
    return "\n".join(lines)


def _file_state(name: str, st: os.stat_result | None, path: os.PathLike[str], scan_ns: int
                ) -> str:
    """One file as ``snapshot`` sees it (``note_state``).  ``path`` is only opened when the stat
    is racy: a listed note makes its Path on first use, and most never need one."""
    if st is None:
        return f"{name}\0?"
    state = "\0".join((name, *map(str, stat_key(st))))
    try:
        _, digest = note_state(st, scan_ns, lambda: Path(path).read_bytes())
    except OSError as exc:
        return f"{state}\0unreadable {exc.errno}"
    return state if digest is None else f"{state}\0{digest.hex()}"


def _folder_state(folder: Path, scan_ns: int) -> list[str]:
    """Every file under ``folder`` (the vault's templates), as ``_file_state`` sees it."""
    out: list[str] = []
    if not folder.is_dir():
        return out
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath, name)
            try:
                st: os.stat_result | None = path.stat()
            except OSError:
                st = None
            out.append(_file_state(str(path), st, path, scan_ns))
    return out


def git_head(root: Path) -> str:
    """The commit the vault's history ends at (career moves are read from it), or why there is
    none: ``git rev-parse -q --verify HEAD`` as ``git: CODE OUTPUT``.  Read from the repository's
    files when they are the usual ones (``_head_in_files``: a process cost 8 ms of every warm
    run of a vault in git, about a twentieth); git is asked otherwise.  No process when no
    repository can be there (no ``.git`` above the vault, no GIT_DIR)."""
    if os.environ.get("GIT_DIR"):
        return _ask_git(root)
    dotgit = next((folder / ".git" for folder in (root, *root.parents)
                   if (folder / ".git").exists()), None)
    if dotgit is None:
        return "git: none"
    return _head_in_files(dotgit) or _ask_git(root)


def _ask_git(root: Path) -> str:
    import subprocess

    try:
        run = subprocess.run(["git", "-C", str(root), "rev-parse", "-q", "--verify", "HEAD"],
                             capture_output=True, timeout=GIT_TIMEOUT, check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        return f"git: {type(exc).__name__}"
    return f"git: {run.returncode} {run.stdout.decode('ascii', 'replace').strip()}"


def _head_in_files(dotgit: Path) -> str | None:
    """What ``_ask_git`` would say, read from the files of a repository in the usual layout:
    HEAD naming a branch whose commit is in its own file or in packed-refs, or naming a commit
    (a detached HEAD); a worktree's ``.git`` file pointing at its folder.  None for anything
    else (another ref storage, a chain of symbolic refs, a file that cannot be read): git is
    asked then.  A branch with no commit yet reads as git says it: ``git: 1 ``."""
    try:
        gitdir = dotgit
        if dotgit.is_file():  # a linked worktree (or submodule): "gitdir: PATH"
            text = dotgit.read_text("utf-8").strip()
            if not text.startswith("gitdir: "):
                return None
            gitdir = dotgit.parent / text[8:]
        common = gitdir
        if (gitdir / "commondir").is_file():
            common = gitdir / (gitdir / "commondir").read_text("utf-8").strip()
        if (common / "reftable").exists():
            return None
        head = (gitdir / "HEAD").read_text("ascii").strip()
        if not head.startswith("ref: "):
            return f"git: 0 {head}" if _COMMIT.fullmatch(head) else None
        ref = head[5:]
        if not ref.startswith("refs/") or ".." in ref:
            return None
        try:
            value: str | None = (common / ref).read_text("ascii").strip()
        except FileNotFoundError:
            value = _packed(common / "packed-refs", ref)
        if value is None:
            return "git: 1 "  # a branch with no commit yet
        return f"git: 0 {value}" if _COMMIT.fullmatch(value) else None
    except (OSError, UnicodeDecodeError):
        return None


def _packed(path: Path, ref: str) -> str | None:
    """The commit ``ref`` names in a packed-refs file (None: not there, or no such file)."""
    try:
        lines = path.read_text("ascii").splitlines()
    except FileNotFoundError:
        return None
    end = " " + ref
    return next((line[: -len(end)] for line in lines if line.endswith(end)), None)


_COMMIT = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?")  # SHA-1, or SHA-256


# --- rule 2: not tampered with ------------------------------------------------------------------

class Seal:
    """Seals values for one store: a keyed BLAKE3 MAC over the store's ``context`` (its name,
    and for the index its inputs key), the ``place`` a value is kept at, and the value's bytes.
    A value moved to another place, or kept by another store, fails its check too.

    BLAKE3 (the ``blake3`` package, compiled, SIMD), not the standard library's BLAKE2: a warm
    JSON report of 10,000 contacts checks a 55 MB answer before printing it, and keyed BLAKE2
    took 85 ms of that run against 12 ms for BLAKE3; on the index's small rows both cost the
    same.  The MAC is BLAKE3's output cut to MAC_SIZE bytes."""

    def __init__(self, key: bytes, context: str):
        # Keyed and fed the context once, copied for each value: the index seals 10,000 rows.
        self._start = blake3(key=key)
        self._start.update(context.encode("utf-8", "surrogateescape") + b"\0")

    @classmethod
    def mine(cls, context: str) -> Seal:
        """A Seal with the user's key (``secret_key``; raises CacheUnavailable without one)."""
        return cls(secret_key(), context)

    def hasher(self, place: str | bytes) -> Hasher:
        """The MAC of ``place`` so far: feed it the value's bytes (in pieces, for a big one)."""
        h = self._start.copy()
        h.update(place if isinstance(place, bytes) else
                 place.encode("utf-8", "surrogateescape"))
        h.update(b"\0")
        return Hasher(h)

    def mac(self, place: str | bytes, blob: bytes) -> bytes:
        h = self.hasher(place)
        h.update(blob)
        return h.digest()

    def verify(self, place: str | bytes, blob: bytes, mac: bytes) -> bool:
        return same(mac, self.mac(place, blob))

    def seal(self, place: str, blob: bytes) -> bytes:
        """``blob`` with its MAC in front: what is written."""
        return self.mac(place, blob) + blob

    def unseal(self, place: str, data: object) -> bytes:
        """The blob sealed at ``place``; Miss when ``data`` is not one (missing, damaged,
        written by someone without the key, or for another place)."""
        if not isinstance(data, bytes) or len(data) < MAC_SIZE:
            raise Miss(place)
        mac, blob = data[:MAC_SIZE], data[MAC_SIZE:]
        if not self.verify(place, blob, mac):
            raise Miss(place)
        return blob


class Hasher:
    """A MAC being computed (``Seal.hasher``): ``update`` with the value's bytes, then
    ``digest`` gives its MAC_SIZE bytes."""

    __slots__ = ("_h",)

    def __init__(self, h: blake3):
        self._h = h

    def update(self, data: bytes) -> None:
        self._h.update(data)

    def digest(self) -> bytes:
        return self._h.digest(MAC_SIZE)


def same(mac: bytes, expected: bytes) -> bool:
    """A MAC checked in constant time."""
    return hmac.compare_digest(mac, expected)


def secret_key() -> bytes:
    """The user's MAC key, created on first use (0600, written atomically so two processes
    starting together agree on it)."""
    folder = user_cache()
    path = folder / KEY_NAME
    try:
        key = path.read_bytes()
        if len(key) == 32:
            return key
    except OSError:
        pass
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = folder / f".{KEY_NAME}.{os.getpid()}.tmp"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(os.urandom(32))
            f.flush()
            os.fsync(f.fileno())
        try:
            os.link(tmp, path)  # fails when another process won the race: use theirs
        except FileExistsError:
            pass
        finally:
            os.unlink(tmp)
        key = path.read_bytes()
    except OSError as exc:
        raise CacheUnavailable(f"no private key for the index ({folder}: {exc.strerror})"
                               ) from None
    if len(key) != 32:
        raise CacheUnavailable(f"the index key {path} is damaged; delete it")
    return key


# --- rule 3: whole or not at all ----------------------------------------------------------------

def replace_file(path: Path, write: Callable[[BinaryIO], None]) -> bool:
    """Write ``path`` whole: ``write`` fills a temporary file beside it, which is then renamed
    over it.  False (and nothing left behind) when it cannot be written.  No fsync: a file torn
    by a crash fails its MAC and is a miss."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as f:
            write(f)
        os.replace(tmp, path)
        return True
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()
        return False


def connect(path: Path, timeout: float) -> sqlite3.Connection:
    """A store's SQLite file in WAL mode (readers never wait for a writer), each transaction
    opened by the caller (``transaction``, or BEGIN for a consistent read)."""
    import sqlite3

    conn = sqlite3.connect(path, timeout=timeout, isolation_level=None, check_same_thread=False)
    try:
        conn.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")
        if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
    except BaseException:
        conn.close()
        raise
    return conn


@contextlib.contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction: all of it is kept, or (on any exception) none of it."""
    import sqlite3

    if conn.in_transaction:
        conn.execute("COMMIT")  # a read transaction still open: its values were read already
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")

