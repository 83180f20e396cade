"""Finished answers: the whole output of a read-only command (``report``, ``overdue``, ``show``,
``list``, ``check``), kept under ``.netnotes/answers/`` and keyed by everything it was made from.

Why: the index (netnotes.store.cache) saves re-reading notes, but a report still links 200,000 log
lines, analyses 10,000 relationships and renders them on every run.  Asking the same question
about an unchanged vault should cost what it costs to *prove* the vault unchanged — one listing
of its folders — and that is what a hit here costs.

Why a hit is never stale and never forged: the cache engine's rule (netnotes.store.engine).
An answer's file is named by the vault's ``Snapshot`` (code and templates, ``netnotes.toml``,
every note by its stat, a racy note by its bytes, the vault's templates, the git commit) and the
question (the command and its options: format, colour, ``--today``, ``--out``, filters …, and
the ``--vault`` typed, which the hints in its stderr repeat); its
stdout, stderr and exit code are sealed with the user's key, so a file damaged, torn by a crash
or written by someone else is a miss and the answer is worked out again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, SupportsBytes

from netnotes.store.engine import (
    MAC_SIZE,
    CacheUnavailable,
    Seal,
    Snapshot,
    replace_file,
    same,
)
from netnotes.vault import CACHE_DIR, cache_folder, real_cache_folder

ANSWERS = "answers"
VERSION = 4  # 3: sealed with a keyed MAC (engine.Seal), not a checksum; 4: BLAKE3
KEEP = 32  # answers kept per vault (formats × commands × a few days); the oldest go first
PIECE = 1 << 20  # a stored answer bigger than this is checked and printed in pieces (Kept)
BATCH = 64  # pieces of a text joined at once (_encoded)
HEAD_MAX = 1 << 20  # an answer's header line is small, but the stderr text in it may be long


@dataclass(frozen=True)
class Answer:
    """What a command printed: stdout, stderr and its exit code.  stdout is the text a command
    made, or a stored answer's UTF-8 bytes (printed without decoding and encoding tens of
    megabytes again), or, for a big stored answer, its open file (``Kept``).  Either way it is
    printed and stored in pieces (``pieces``): the JSON report of 100,000 contacts is over
    500 MB, and a whole copy of it in another form was that much more memory."""

    # a list: a report's text in pieces, or (JSON) its UTF-8 in pieces, its rows read back
    # from the report's spill file as they are written (``bytes(piece)``; reporting.Text)
    out: str | bytes | Kept | list[str] | list[SupportsBytes]
    err: str = ""
    code: int = 0

    @classmethod
    def text(cls, out: str | list[str] | list[SupportsBytes], err: str = "", code: int = 0
             ) -> Answer:
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

    def write(self, stream: BinaryIO) -> None:
        """Print stdout to the binary ``stream``: a big stored answer straight from its file
        (``Kept.send``), anything else in ``pieces``."""
        if isinstance(self.out, Kept):
            self.out.send(stream)
            return
        for piece in self.pieces():
            stream.write(piece)

    def data(self) -> bytes:
        """stdout as UTF-8, whole."""
        return self.out if isinstance(self.out, bytes) else b"".join(self.pieces())


def _encoded(texts: list[str] | list[SupportsBytes]) -> Iterator[bytes]:
    """``texts`` joined and encoded, under 2 * PIECE characters at a time: a big text is cut,
    small ones are gathered, so a report's text is never encoded whole.  The JSON report of
    10,000 contacts comes in about 450,000 small pieces: they are joined BATCH at a time, in
    C, not looked at one by one in Python (that cost 0.35 s a pass; this one takes 0.16 s,
    against 0.24 s to join the whole text and encode it).  Pieces that are UTF-8 already (a
    JSON report's) are gathered the same way, without encoding; a row left in the report's
    spill file is read back as its batch is joined, so the rows are in memory BATCH at a
    time, never all at once."""
    raw = bool(texts) and not isinstance(texts[0], str)
    join: Callable[[list[Any]], Any] = _join_utf8 if raw else "".join
    gathered: list[Any] = []
    size = 0
    for i in range(0, len(texts), BATCH):
        chunk = join(texts[i:i + BATCH])
        if len(chunk) > PIECE:
            if gathered:
                yield _utf8(join(gathered))
                gathered, size = [], 0
            for k in range(0, len(chunk), PIECE):
                yield _utf8(chunk[k:k + PIECE])
            continue
        if not chunk:
            continue
        gathered.append(chunk)
        size += len(chunk)
        if size >= PIECE:
            yield _utf8(join(gathered))
            gathered, size = [], 0
    if gathered:
        yield _utf8(join(gathered))


def _join_utf8(pieces: list[SupportsBytes]) -> bytes:
    return b"".join(map(bytes, pieces))


def _utf8(text: str | bytes) -> bytes:
    return text if isinstance(text, bytes) else text.encode("utf-8")


class Kept:
    """The stdout of a stored answer, left in its open file: checked against its MAC, then
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

    def send(self, stream: BinaryIO) -> None:
        """Print the answer to ``stream``, by the kernel from the file to the output
        (os.sendfile) when both are real files or pipes: the warm JSON report of 10,000
        contacts (55 MB) was read a second time into memory and written out in pieces, 10 to
        20 ms more into a pipe.  What ``send`` cannot hand over that way (a stream without a
        file, an output sendfile refuses) is written in pieces from where it stopped."""
        pos, end = self.start, self.start + self.size
        try:
            stream.flush()
            out = stream.fileno()
            while pos < end:
                sent = os.sendfile(out, self.file.fileno(), pos, end - pos)
                if not sent:
                    raise OSError(f"{self.file.name}: shorter than its header says")
                pos += sent
        except BrokenPipeError:
            self.close()
            raise  # the reader is gone (``| head``): as a write would say
        except (OSError, ValueError, AttributeError):  # io.UnsupportedOperation is both
            pass
        try:
            for piece in _pieces(self.file, pos, end - pos):
                stream.write(piece)
        finally:
            self.close()

    def close(self) -> None:
        self.file.close()


def _path(snap: Snapshot, question: tuple[object, ...]) -> Path:
    key = hashlib.blake2b(f"{snap.digest}\0{question!r}".encode(), digest_size=20).hexdigest()
    return snap.root / CACHE_DIR / ANSWERS / f"{key}.answer"


def _seal() -> Seal | None:
    try:
        return Seal.mine(ANSWERS)
    except CacheUnavailable:
        return None  # no key, no kept answers: every command works its answer out


def _place(path: Path, code: int, err: str) -> bytes:
    """What an answer's MAC covers besides its stdout: which question it answers (its file's
    name) and what else the command gave (its exit code and stderr)."""
    return f"{path.name}\0{code}\0{err}".encode("utf-8", "surrogateescape")


def lookup(snap: Snapshot, question: tuple[object, ...]) -> Answer | None:
    """The stored answer to ``question`` about exactly this vault state, or None (always for
    a snapshot without a digest: engine.snapshot of a kept listing)."""
    if not snap.digest:
        return None
    seal = _seal()
    if seal is None:
        return None
    path = _path(snap, question)
    try:
        f = open(path, "rb")  # noqa: SIM115 -- closed here, or by Kept
    except OSError:
        return None
    try:
        found = _checked(f, seal, path)
    except (OSError, ValueError, KeyError, TypeError):
        found = None  # damaged: it will be recomputed and written again
    if found is None or not isinstance(found.out, Kept):
        f.close()
    return found


def _checked(f: BinaryIO, seal: Seal, path: Path) -> Answer | None:
    """The answer in ``f`` if it is whole, of this version and sealed by us: its header line (a
    JSON object) gives the body's size and MAC.  A small body is read into memory, a big one is
    checked in pieces and left in the file."""
    head = f.readline(HEAD_MAX)
    if not head.endswith(b"\n"):
        return None
    meta = json.loads(head)
    start, size = len(head), meta["size"]
    if meta["v"] != VERSION or not isinstance(size, int) or \
            os.fstat(f.fileno()).st_size != start + size:
        return None
    err, code, mac = str(meta["err"]), int(meta["code"]), bytes.fromhex(meta["mac"])
    h = seal.hasher(_place(path, code, err))
    if size <= PIECE:
        body = f.read()
        h.update(body)
        return Answer(body, err, code) if same(h.digest(), mac) else None
    for piece in _pieces(f, start, size):
        h.update(piece)
    return Answer(Kept(f, start, size), err, code) if same(h.digest(), mac) else None


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


def store(snap: Snapshot, question: tuple[object, ...], answer: Answer) -> Answer | None:
    """Keep ``answer``, sealed (engine.Seal); quietly does nothing when ``.netnotes/`` cannot be
    written (the index already says so), and keeps only the newest KEEP answers; nothing for a
    snapshot without a digest.

    A big answer, once kept, comes back as it was kept (``Kept``: the file just written, open
    for reading before it was renamed into place), for the caller to print from there: its
    pieces are not made a second time (a JSON report's rows read back from its spill file and
    joined again) and the kernel copies it to the output (``Kept.send``).  None otherwise."""
    if not snap.digest:
        return None
    path = _path(snap, question)
    seal = _seal()
    if isinstance(answer.out, Kept) or seal is None:
        return None  # it is stored already, or cannot be sealed
    meta = {"v": VERSION, "code": answer.code, "err": answer.err, "size": 0,
            "mac": bytes(MAC_SIZE).hex()}
    # The body is encoded once, as it is written; its header goes in front afterwards, padded
    # with spaces (which JSON allows) to the room kept for it: any size fits.
    room = len(json.dumps(meta).encode()) + 32

    def write(f: BinaryIO) -> None:
        f.seek(room + 1)
        size = 0
        h = seal.hasher(_place(path, answer.code, answer.err))
        for piece in answer.pieces():
            f.write(piece)
            size += len(piece)
            h.update(piece)
        meta.update(size=size, mac=h.digest().hex())
        f.seek(0)
        f.write(json.dumps(meta).encode().ljust(room) + b"\n")
        kept = _reopened(f, room + 1, size) if size > PIECE else None
        if kept is not None:
            written.append(kept)

    written: list[Kept] = []
    try:
        cache_folder(snap.root)
        path.parent.mkdir(exist_ok=True)
    except OSError:
        return None
    if not replace_file(path, write):
        for kept in written:
            kept.close()
        return None
    _prune(path.parent)
    return Answer(written[0], answer.err, answer.code) if written else None


def _reopened(f: BinaryIO, start: int, size: int) -> Kept | None:
    """The body just written to ``f``, through a reading handle on the same file; None when
    the name no longer leads to the file written (nothing but our own bytes is printed
    unchecked)."""
    try:
        reader = open(f.name, "rb")  # noqa: SIM115 -- closed by Kept once printed
    except OSError:
        return None
    ours, theirs = os.fstat(f.fileno()), os.fstat(reader.fileno())
    if (ours.st_dev, ours.st_ino) != (theirs.st_dev, theirs.st_ino):
        reader.close()
        return None
    return Kept(reader, start, size)


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
