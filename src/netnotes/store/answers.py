"""Finished answers: the whole output of a read-only command (``report``, ``overdue``, ``show``,
``list``, ``check``), kept under ``.netnotes/answers/`` and keyed by everything it was made from.

Why: the index (netnotes.store.cache) saves re-reading notes, but a report still links 200,000 log
lines, analyses 10,000 relationships and renders them on every run.  Asking the same question
about an unchanged vault should cost what it costs to *prove* the vault unchanged — one listing
of its folders — and that is what a hit here costs.

Why a hit is never stale: the key is a hash of every input an answer depends on —

- the command and its options (format, colour, ``--today``, ``--out``, filters …);
- the code: every module of netnotes, its built-in templates, the Python version;
- ``netnotes.toml`` byte for byte; which note files exist, each with the stat the index trusts
  (size, mtime, ctime, inode), and the problems met while listing them (a stray file, a link);
- the names and stats of the files in the vault's own ``templates/`` folder;
- the commit the vault's git history ends at (career moves are read from it).

A note modified in the last few seconds cannot be proven unchanged by its stat (a second write
in the same timestamp tick keeps it), so the key also holds such a note's content hash, the same
rule as the index's.  The stat is taken *before* the answer is computed, so an edit made while it
is computed makes a key that no later run will ask for.  A damaged answer file fails its own
checksum and is recomputed; a vault that cannot be written is simply not cached.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from netnotes.core import CONFIG_NAME, Problem
from netnotes.vault import (
    CACHE_DIR,
    NoteFile,
    cache_folder,
    content_digest,
    list_notes,
    load_config,
    needs_digest,
    real_cache_folder,
)

ANSWERS = "answers"
VERSION = 2
KEEP = 32  # answers kept per vault (formats × commands × a few days); the oldest go first
PIECE = 1 << 20  # a stored answer bigger than this is checked and printed in pieces (Kept)
BATCH = 64  # pieces of a text joined at once (_encoded)
HEAD_MAX = 1 << 20  # an answer's header line is small, but the stderr text in it may be long
GIT_TIMEOUT = 10


@dataclass(frozen=True)
class Answer:
    """What a command printed: stdout, stderr and its exit code.  stdout is the text a command
    made, or a stored answer's UTF-8 bytes (printed without decoding and encoding tens of
    megabytes again), or, for a big stored answer, its open file (``Kept``).  Either way it is
    printed and stored in pieces (``pieces``): the JSON report of 100,000 contacts is over
    500 MB, and a whole copy of it in another form was that much more memory."""

    out: str | bytes | Kept | list[str]  # a list: a report's text in pieces (report.Text)
    err: str = ""
    code: int = 0

    @classmethod
    def text(cls, out: str | list[str], err: str = "", code: int = 0) -> Answer:
        return cls(out, err, code)

    def pieces(self) -> Iterator[bytes]:
        """stdout as UTF-8, in pieces of about PIECE bytes (a stored small answer at once)."""
        out = self.out
        if isinstance(out, Kept):
            yield from out.pieces()
        elif isinstance(out, str):
            yield from _encoded([out])
        elif isinstance(out, list):
            yield from _encoded(out)
        else:
            yield out

    def data(self) -> bytes:
        """stdout as UTF-8, whole."""
        return self.out if isinstance(self.out, bytes) else b"".join(self.pieces())


def _encoded(texts: list[str]) -> Iterator[bytes]:
    """``texts`` joined and encoded, under 2 * PIECE characters at a time: a big text is cut,
    small ones are gathered, so a report's text is never encoded whole.  The JSON report of
    10,000 contacts comes in about 450,000 small pieces: they are joined BATCH at a time, in
    C, not looked at one by one in Python (that cost 0.35 s a pass; this one takes 0.16 s,
    against 0.24 s to join the whole text and encode it)."""
    gathered: list[str] = []
    size = 0
    for i in range(0, len(texts), BATCH):
        chunk = "".join(texts[i:i + BATCH])
        if len(chunk) > PIECE:
            if gathered:
                yield "".join(gathered).encode("utf-8")
                gathered, size = [], 0
            for k in range(0, len(chunk), PIECE):
                yield chunk[k:k + PIECE].encode("utf-8")
            continue
        if not chunk:
            continue
        gathered.append(chunk)
        size += len(chunk)
        if size >= PIECE:
            yield "".join(gathered).encode("utf-8")
            gathered, size = [], 0
    if gathered:
        yield "".join(gathered).encode("utf-8")


class Kept:
    """The stdout of a stored answer, left in its open file: checked against its checksum, then
    printed from the same file in pieces.  Read whole, the JSON report of 100,000 contacts
    (over 500 MB) was in memory twice over, and a warm run held more than 1 GB for it; in
    pieces it holds one.  The file is held open from the check to the printing, so what is
    printed is what was checked even if another netnotes replaces it meanwhile (answers are
    only ever replaced, never written in place)."""

    def __init__(self, file: BinaryIO, start: int, size: int):
        self.file, self.start, self.size = file, start, size

    def pieces(self) -> Iterator[bytes]:
        try:
            yield from _pieces(self.file, self.start, self.size)
        finally:
            self.close()

    def close(self) -> None:
        self.file.close()


@dataclass(frozen=True)
class Snapshot:
    """The state of one vault as far as any answer can depend on it, as one digest, with the
    listing it was made from (so a command that goes on to read the vault lists it once).

    ``fixed`` digests everything but the notes themselves (the code, the config, the listing's
    problems, the vault's templates, the git commit): netnotes.store.memo keys what it keeps by
    it."""

    root: Path
    digest: str
    fixed: str = ""
    notes: tuple[NoteFile, ...] = ()
    listed: tuple[Problem, ...] = ()  # met while listing the notes
    scan_ns: int = 0
    git: str = ""


def snapshot(root: Path, listing: tuple[Sequence[NoteFile], Sequence[Problem], int] | None = None
             ) -> Snapshot:
    """List the vault and hash its state (see the module docstring for what is in it).
    ``listing``: the notes (each with its stat), the problems met listing them and the scan time
    they are judged by, when the caller knows them already (Session.relist: no note's stat in it
    may be trusted by that time that was not trusted when it was taken); everything else is
    looked at again."""
    from netnotes.vault import fingerprint

    scan_ns = time.time_ns() if listing is None else listing[2]
    h = hashlib.blake2b(digest_size=32)
    h.update(f"{VERSION}\0{fingerprint(templates=True)}\0".encode())
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
    h.update("\n".join(_file_state(f"{n.rel}\0{n.kind}", n.stat, n, scan_ns)
                       for n in notes).encode("utf-8", "surrogateescape"))
    return Snapshot(root, h.hexdigest(), fixed, tuple(notes), tuple(listed), scan_ns, git)


def _file_state(name: str, st: os.stat_result | None, path: os.PathLike[str], scan_ns: int
                ) -> str:
    """One file as the key sees it: its stat, and its content too when the stat is too fresh to
    prove anything (netnotes.vault.files.needs_digest, the index's rule).  ``path`` is only opened
    then: a listed note makes its Path on first use, and most never need one."""
    if st is None:
        return f"{name}\0?"
    state = f"{name}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ctime_ns}\0{st.st_ino}"
    if needs_digest(st, scan_ns):
        try:
            state += "\0" + content_digest(Path(path).read_bytes()).hex()
        except OSError as exc:
            state += f"\0unreadable {exc.errno}"
    return state


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
    """The commit the vault's history ends at, or why there is none.  Only asks git when a
    repository can be there (a ``.git`` above the vault, or GIT_DIR): no process otherwise."""
    if not os.environ.get("GIT_DIR") and not any(
            (folder / ".git").exists() for folder in (root, *root.parents)):
        return "git: none"
    import subprocess

    try:
        run = subprocess.run(["git", "-C", str(root), "rev-parse", "-q", "--verify", "HEAD"],
                             capture_output=True, timeout=GIT_TIMEOUT, check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        return f"git: {type(exc).__name__}"
    return f"git: {run.returncode} {run.stdout.decode('ascii', 'replace').strip()}"


def _path(snap: Snapshot, question: tuple[object, ...]) -> Path:
    key = hashlib.blake2b(f"{snap.digest}\0{question!r}".encode(), digest_size=20).hexdigest()
    return snap.root / CACHE_DIR / ANSWERS / f"{key}.answer"


def lookup(snap: Snapshot, question: tuple[object, ...]) -> Answer | None:
    """The stored answer to ``question`` about exactly this vault state, or None."""
    try:
        f = open(_path(snap, question), "rb")  # noqa: SIM115 -- closed here, or by Kept
    except OSError:
        return None
    try:
        found = _checked(f)
    except (OSError, ValueError, KeyError, TypeError):
        found = None  # damaged: it will be recomputed and written again
    if found is None or not isinstance(found.out, Kept):
        f.close()
    return found


def _checked(f: BinaryIO) -> Answer | None:
    """The answer in ``f`` if it is whole and of this version: its header line (a JSON object)
    gives the body's size and checksum.  A small body is read into memory, a big one is checked
    in pieces and left in the file."""
    head = f.readline(HEAD_MAX)
    if not head.endswith(b"\n"):
        return None
    meta = json.loads(head)
    start, size = len(head), meta["size"]
    if meta["v"] != VERSION or not isinstance(size, int) or \
            os.fstat(f.fileno()).st_size != start + size:
        return None
    err, code = str(meta["err"]), int(meta["code"])
    if size <= PIECE:
        body = f.read()
        return Answer(body, err, code) if meta["crc"] == zlib.crc32(body) else None
    crc = 0
    for piece in _pieces(f, start, size):
        crc = zlib.crc32(piece, crc)
    return Answer(Kept(f, start, size), err, code) if meta["crc"] == crc else None


def _pieces(f: BinaryIO, start: int, size: int) -> Iterator[bytes]:
    """``size`` bytes of ``f`` from ``start``, PIECE at a time (read at their offsets: the
    file's own position is never moved)."""
    fd, pos, end = f.fileno(), start, start + size
    while pos < end:
        piece = os.pread(fd, min(PIECE, end - pos), pos)
        if not piece:
            raise OSError(f"{f.name}: shorter than its header says")
        pos += len(piece)
        yield piece


def store(snap: Snapshot, question: tuple[object, ...], answer: Answer) -> None:
    """Keep ``answer``; quietly does nothing when ``.netnotes/`` cannot be written (the index
    already says so), and keeps only the newest KEEP answers."""
    path = _path(snap, question)
    if isinstance(answer.out, Kept):
        return  # it is stored already
    # A checksum against damage (a torn write after a crash, a bad disk), not against malice:
    # whoever can write .netnotes/ can write the notes themselves.
    meta = {"v": VERSION, "code": answer.code, "err": answer.err, "size": 0, "crc": 0}
    # The body is encoded once, as it is written; its header goes in front afterwards, padded
    # with spaces (which JSON allows) to the room kept for it: any size and CRC-32 fit.
    room = len(json.dumps(meta).encode()) + 32
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        cache_folder(snap.root)
        path.parent.mkdir(exist_ok=True)
        with open(tmp, "wb") as f:
            f.seek(room + 1)
            size = crc = 0
            for piece in answer.pieces():
                f.write(piece)
                size, crc = size + len(piece), zlib.crc32(piece, crc)
            meta.update(size=size, crc=crc)
            f.seek(0)
            f.write(json.dumps(meta).encode().ljust(room) + b"\n")
        # No fsync: a torn file after a crash fails its checksum and is simply recomputed.
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()
        return
    _prune(path.parent)


def _prune(folder: Path) -> None:
    try:
        found = [(e.stat().st_mtime_ns, e.path) for e in os.scandir(folder)
                 if e.name.endswith(".answer")]
    except OSError:
        return
    found.sort(reverse=True)
    for _, old in found[KEEP:]:
        with contextlib.suppress(OSError):
            os.unlink(old)


def forget(root: Path) -> None:
    """Drop every stored answer (``netnotes index --rebuild``)."""
    import shutil

    folder = real_cache_folder(root)  # never clear a folder through a link
    if folder is not None and not (folder / ANSWERS).is_symlink():
        shutil.rmtree(folder / ANSWERS, ignore_errors=True)
