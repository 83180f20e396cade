"""Finding the vault and its note files: the only module that lists folders.

Everything that decides *which* files are notes lives here, so that the report, ``check`` and the
index all agree on what the vault contains.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import shlex
import stat
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from operator import attrgetter
from pathlib import Path
from typing import Any, Literal

from netnotes.core import (
    CONFIG_NAME,
    Config,
    Problem,
    Source,
    VaultNotFound,
    parse_config,
)

ENV_VAULT = "NETNOTES_VAULT"
CACHE_DIR = ".netnotes"

NoteKind = Literal["person", "journal"]


# A file modified this recently may be modified again within the same mtime tick (2 s on FAT),
# so a cache that trusts a stat must also keep a hash of the content (the index's rows and the
# stored answers both follow this rule).
# What long work reports its progress to: ``progress(total)`` gives a context manager whose
# ``update(n)`` is called as work is done (click.progressbar fits).
Progress = Callable[[int], AbstractContextManager[Any]]

RACY_NS = 3_000_000_000


def needs_digest(st: os.stat_result, scan_ns: int) -> bool:
    """True when the stat alone cannot prove the file unchanged next time."""
    return st.st_mtime_ns >= scan_ns - RACY_NS or st.st_ctime_ns >= scan_ns - RACY_NS


def content_digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=20).digest()


class CacheFolderLink(OSError):
    """``.netnotes`` is a symbolic link: netnotes never writes through one."""


CACHE_LINK_MESSAGE = (f"{CACHE_DIR} is a symbolic link, and netnotes never writes through links "
                      f"— delete the link (netnotes then makes a real {CACHE_DIR} folder)")


def cache_folder(root: Path) -> Path:
    """``<vault>/.netnotes/``, created with a ``.gitignore`` of its own on first use, so the
    caches in it are never committed even in a vault whose own .gitignore forgot them.

    A vault may come from someone else's push or sync: a ``.netnotes`` that is a symbolic link
    is refused (CacheFolderLink, an OSError, whose text says what to do), and a symbolic link
    inside it is removed (the link only, never what it points to), so that no cache, lock or
    answer is ever written through one.  Raises OSError when the folder cannot be created."""
    folder = root / CACHE_DIR
    try:
        st = os.lstat(folder)
    except FileNotFoundError:
        folder.mkdir(exist_ok=True)
        st = os.lstat(folder)
    if stat.S_ISLNK(st.st_mode):
        raise CacheFolderLink(errno.ELOOP, CACHE_LINK_MESSAGE)
    if not stat.S_ISDIR(st.st_mode):
        raise OSError(errno.ENOTDIR, f"{CACHE_DIR} is not a folder")
    with os.scandir(folder) as entries:
        links = [e.path for e in entries if e.is_symlink()]
    for link in links:
        os.unlink(link)  # ours to replace: the caches in it are disposable
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# netnotes' disposable caches; never commit them\n*\n")
    return folder


def real_cache_folder(root: Path) -> Path | None:
    """``<vault>/.netnotes/`` when it exists and is a real folder (not a link): where a cache may
    be read, deleted or cleared without doing so through a link.  None otherwise."""
    folder = root / CACHE_DIR
    try:
        return folder if stat.S_ISDIR(os.lstat(folder).st_mode) else None
    except OSError:
        return None


class NoteFile:
    """One note file of the vault: its absolute path, its path relative to the vault root (with
    "/"), its kind, and the stat taken while listing (of the target, for a symlink) — the index
    and the answer cache compare it with the one they kept, so a warm run stats every note once.

    ``path`` is made on first use: a warm run of a big vault never opens most notes, and building
    a Path for each of them was half the cost of listing the vault."""

    __slots__ = ("_path", "rel", "kind", "stat")

    def __init__(self, path: str | Path, rel: str, kind: NoteKind,
                 stat: os.stat_result | None = None):
        self._path = path
        self.rel = rel
        self.kind = kind
        self.stat = stat

    @property
    def path(self) -> Path:
        if not isinstance(self._path, Path):
            self._path = Path(self._path)
        return self._path

    @property
    def stem(self) -> str:
        return self.path.stem

    def __fspath__(self) -> str:
        return str(self._path)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, NoteFile):
            return NotImplemented
        return (str(self._path), self.rel, self.kind) == (str(other._path), other.rel, other.kind)

    def __hash__(self) -> int:
        return hash((self.rel, self.kind))

    def __repr__(self) -> str:
        return f"NoteFile({str(self._path)!r}, {self.rel!r}, {self.kind!r})"


def find_vault(explicit: str | os.PathLike[str] | None = None, env: Mapping[str, str] | None = None,
               cwd: Path | None = None) -> Path:
    """``--vault``, then ``NETNOTES_VAULT``, then the first folder upwards with ``netnotes.toml``
    (the way git finds ``.git``)."""
    environ: Mapping[str, str] = os.environ if env is None else env
    how = "--vault"
    chosen = explicit
    if not chosen and environ.get(ENV_VAULT):
        chosen, how = environ[ENV_VAULT], ENV_VAULT
    if chosen:
        root = Path(chosen).expanduser()
        if not root.is_dir():
            raise VaultNotFound(f"{how} {chosen}: no such folder — "
                                "give the folder that holds netnotes.toml")
        if not (root / CONFIG_NAME).is_file():
            raise VaultNotFound(f"{how} {chosen}: no {CONFIG_NAME} there — create a vault with "
                                f"`{shlex.join(['netnotes', 'init', str(chosen)])}`, or add an "
                                f"empty {CONFIG_NAME}")
        return root.resolve()
    here = (cwd or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    raise VaultNotFound(f"no vault here: no {CONFIG_NAME} in {here.name or here} or any folder "
                        f"above it — run `netnotes init` to create one, or pass --vault PATH "
                        f"(or set {ENV_VAULT})")


# Files that editors and sync tools leave beside notes. They are never contacts.
_EDITOR_ARTEFACT = re.compile(r"(^\.|~$|\.swp$|\.swx$|\.tmp$|^#.*#$|^~\$)")
# Copies that sync tools and `git mergetool` leave beside a note: read, they would be a second
# contact with the same name.
_CONFLICT_COPY = re.compile(r"(conflicted copy|\.sync-conflict-|\(conflict\)|\.orig$"
                            r"|_(?:BACKUP|BASE|LOCAL|REMOTE)_\d+)", re.I)
# A name no editor artefact can have: letters, digits, " ", "-", "_" and "." inside, ".md" at the
# end (what netnotes and most editors write).  _walk takes such a note, when it is no conflict
# copy and no link, with one stat.
_PLAIN_NOTE = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._-]*\.md")
# Folders of note templates in a vault kept by another tool: a folder of "." does not read them.
TEMPLATE_FOLDERS = frozenset({"templates", "template", "_templates"})
# A note in the people folder named after a day (`2024-03-01.md`, `2024-03-01 standup.md`) is a
# meeting or daily note kept beside its people, as many vaults do: it is read as the journal is.
_DAY_NAME = re.compile(r"\d{4}-\d{2}-\d{2}(?!\d)")
# A note larger than this is not a note someone typed: reading it would only slow every command.
# 2 MB holds about 80,000 of the shortest log lines (two centuries of one a day); at this size
# the slowest command on one such note (log, which reads and checks it twice) stays under 2 s and
# 200 MB on a 2-core machine (benchmarks/big_note.py; docs/performance.md, "One big note").
MAX_NOTE_BYTES = 2_000_000


_NAME, _REL = attrgetter("name"), attrgetter("rel")  # sort keys, without a call into Python


def is_note_name(name: str) -> bool:
    return name.endswith(".md") and not _EDITOR_ARTEFACT.search(name)


def read_note_bytes(path: str | os.PathLike[str]) -> bytes:
    """A listed note's bytes, never blocking and never more than the size limit: between listing
    and reading, a note can be replaced by a FIFO (opening one waits for a writer forever) or grow.
    Raises OSError, like any read.  ``path`` may be the NoteFile itself, which then never makes
    a Path (3 µs and 280 bytes a note)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
        # One read of one byte more than the size (asking for the limit would allocate 2 MB
        # per note): a short answer is the whole file, a full one means it grew, so read on.
        want = min(st.st_size, MAX_NOTE_BYTES) + 1
        data = os.read(fd, want)
        if len(data) == want:
            parts = [data]
            size = len(data)
            while size <= MAX_NOTE_BYTES and (more := os.read(fd, MAX_NOTE_BYTES + 1 - size)):
                parts.append(more)
                size += len(more)
            data = b"".join(parts)
        if len(data) > MAX_NOTE_BYTES:
            raise OSError(errno.EFBIG, f"larger than {MAX_NOTE_BYTES // 1_000_000} MB")
        return data
    finally:
        os.close(fd)


def _inside(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
        return True
    except ValueError:
        return False


def list_notes(root: Path, config: Config) -> tuple[list[NoteFile], list[Problem]]:
    """Every note file of the vault, sorted by path, and the problems met while looking.

    Never opens a file: a FIFO named ``x.md`` would block forever, so only regular files count.
    Symlinks are followed only when they stay inside the vault, and folders reached through a
    symlink are not walked (loops, and the same note counted twice).
    """
    root = root.resolve()
    notes: list[NoteFile] = []
    problems: list[Problem] = []
    links: dict[str, Path] = {}  # rel of a note reached through a symlink -> its target
    kinds: list[tuple[str, NoteKind]] = [(config.people_dir, "person")]
    if config.journal_dir and config.journal_dir != config.people_dir:
        kinds.append((config.journal_dir, "journal"))
    for folder, kind in kinds:
        top = root / folder
        if not top.is_dir():
            continue
        if not _inside(top.resolve(), root):  # a linked folder: read only when it stays inside
            problems.append(Problem(Source(folder), "warning", "symlink-outside",
                                    f"{folder}/ is a symbolic link to a folder outside the vault;"
                                    " not read", "move the notes into the vault (a real folder)"))
            continue
        # a journal of "." (an adopted vault's notes anywhere) leaves the people to the people,
        # and the vault's note templates (Obsidian's Templates/: `date: {{date}}`) to the editor
        inner = {os.path.join(root, f) for f, _ in kinds
                 if f != folder and (folder == "." or f.startswith(folder + "/"))}
        if folder == ".":
            inner |= {e.path for e in os.scandir(root)
                      if e.name.casefold() in TEMPLATE_FOLDERS and e.is_dir()}
        _walk(root, top, kind, notes, problems, links, inner)
    notes.sort(key=_REL)
    if links:
        notes = _drop_second_names(notes, links, problems)
    return notes, problems


def _drop_second_names(notes: list[NoteFile], links: dict[str, Path], problems: list[Problem]
                       ) -> list[NoteFile]:
    """A symlink to another note of the vault is the same note under a second name: keep the real
    file (or the first link, by path) so the person is not counted twice."""
    by_target: dict[Path, list[NoteFile]] = {}
    for n in notes:  # the root is resolved and linked folders are not walked: n.path is real
        by_target.setdefault(links.get(n.rel, n.path), []).append(n)
    keep: list[NoteFile] = []
    for n in notes:
        same = by_target[links.get(n.rel, n.path)]
        first = next((m for m in same if m.rel not in links), same[0])
        if n is first:
            keep.append(n)
        else:
            problems.append(Problem(Source(n.rel), "warning", "symlink-duplicate",
                                    f"symbolic link to {first.rel}, which is already read",
                                    "remove the link; use aliases: for a second name"))
    return keep


# Over 80 lines on purpose: every kind of directory entry (note, folder, symlink in or out of
# the vault, special file, unreadable entry) is one branch of a single scan, each with its own
# problem; a reader checks that no kind of entry is forgotten by reading them side by side.
def _walk(root: Path, folder: Path, kind: NoteKind, notes: list[NoteFile],
          problems: list[Problem], links: dict[str, Path], skip: set[str] | None = None
          ) -> None:
    try:
        entries = sorted(os.scandir(folder), key=_NAME)
    except OSError as exc:
        rel = folder.relative_to(root).as_posix()
        problems.append(Problem(Source(rel), "warning", "unreadable-folder",
                                f"cannot list folder: {exc.strerror}"))
        return
    prefix = len(os.path.join(root, ""))  # "/tmp/v/" (and "/" for a vault at the root)
    posix = os.sep == "/"
    plain, conflict_copy = _PLAIN_NOTE.fullmatch, _CONFLICT_COPY.search
    dated = kind == "person"
    for entry in entries:
        path = entry.path
        rel = path[prefix:] if posix else path[prefix:].replace(os.sep, "/")  # as relative_to
        name = entry.name
        if name == CACHE_DIR or (name.startswith(".") and entry.is_dir(follow_symlinks=False)):
            continue
        if skip and path in skip:  # the other kind's folder, inside this one
            continue
        try:
            is_link = entry.is_symlink()
            if is_link:
                try:
                    target = Path(path).resolve(strict=True)
                except (OSError, RuntimeError):
                    if is_note_name(name):
                        problems.append(Problem(Source(rel), "warning", "broken-symlink",
                                                "symbolic link to nothing (dangling or a loop)",
                                                "remove it or point it at a note"))
                    continue
                if not _inside(target, root):
                    problems.append(Problem(Source(rel), "warning", "symlink-outside",
                                            "symbolic link points outside the vault; not read",
                                            "move the note into the vault"))
                    continue
                st = target.stat()
                if stat.S_ISDIR(st.st_mode):
                    problems.append(Problem(Source(rel), "warning", "symlink-folder",
                                            "symbolic link to a folder; not followed",
                                            "keep notes in real folders"))
                    continue
            else:
                st = entry.stat(follow_symlinks=False)
        except OSError as exc:
            problems.append(Problem(Source(rel), "warning", "unreadable",
                                    f"cannot read: {exc.strerror}"))
            continue
        # most files: a plain note name, no link, no sync tool's copy — nothing more to check
        # (a plain name can only be a conflict copy with "conflict" or "_" in it: the search is
        # left out for the rest, a tenth of listing a big vault)
        if not is_link and stat.S_ISREG(st.st_mode) and st.st_size <= MAX_NOTE_BYTES and \
                plain(name) and not (("_" in name or "onflict" in name.lower())
                                     and conflict_copy(name)):
            notes.append(NoteFile(path, rel, _kind(kind, name) if dated else kind, st))
            continue
        if stat.S_ISDIR(st.st_mode):
            _walk(root, Path(path), kind, notes, problems, links, skip)
            continue
        conflict = _CONFLICT_COPY.search(name)
        if not conflict and not name.endswith(".md"):
            if kind == "person" and not _EDITOR_ARTEFACT.search(name):
                problems.append(Problem(Source(rel), "warning", "not-a-note",
                                        f"{name} is not a note (notes end in .md); ignored",
                                        "move it out of the people folder"))
            continue
        if conflict:
            problems.append(Problem(Source(rel), "warning", "conflict-copy",
                                    "a sync tool's conflicted copy; not read as a contact",
                                    "merge it into the real note by hand, then delete it"))
            continue
        if _EDITOR_ARTEFACT.search(name):
            continue
        if not stat.S_ISREG(st.st_mode):
            problems.append(Problem(Source(rel), "warning", "not-a-file",
                                    "not a regular file (a FIFO, socket or device); not read",
                                    "remove it from the vault"))
            continue
        if st.st_size > MAX_NOTE_BYTES:
            problems.append(Problem(Source(rel), "error", "too-large",
                                    f"{st.st_size:,} bytes is too large for a note "
                                    f"(the limit is {MAX_NOTE_BYTES // 1_000_000} MB); not read",
                                    "move attachments and pasted data out of the note"))
            continue
        if is_link:
            links[rel] = target
        notes.append(NoteFile(path, rel, _kind(kind, name) if dated else kind, st))


def note_kind(rel: str, config: Config) -> NoteKind | None:
    """What ``list_notes`` reads the note at vault path ``rel`` as (None: not a note of the
    vault), without looking at the disk: the merge driver and sync's messages ask this of paths
    that may be gone.  The deepest of the two folders that holds it decides (a journal of "."
    leaves the people folder to the people), and a person folder's note named after a day is a
    meeting note."""
    if not rel.endswith(".md"):
        return None
    kinds: list[tuple[str, NoteKind]] = [(config.people_dir, "person")]
    if config.journal_dir and config.journal_dir != config.people_dir:
        kinds.append((config.journal_dir, "journal"))
    holding = [(0 if folder == "." else len(folder), kind) for folder, kind in kinds
               if folder == "." or rel.startswith(folder.rstrip("/") + "/")]
    if not holding:
        return None
    size, kind = max(holding)
    if size == 0 and "/" in rel and rel.split("/", 1)[0].casefold() in TEMPLATE_FOLDERS:
        return None  # a template, under a folder of "."
    return _kind(kind, rel.rsplit("/", 1)[-1]) if kind == "person" else kind


def _kind(kind: NoteKind, name: str) -> NoteKind:
    """A person folder's note named after a day is a meeting note (``_DAY_NAME``)."""
    return "journal" if name[:1].isdigit() and _DAY_NAME.match(name) else kind


def load_config(root: Path) -> tuple[Config, list[Problem]]:
    path = root / CONFIG_NAME
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return Config(), [Problem(Source(CONFIG_NAME), "error", "config-unreadable",
                                  f"cannot read netnotes.toml: {exc.strerror}")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return Config(), [Problem(Source(CONFIG_NAME), "error", "config-encoding",
                                  f"netnotes.toml is not UTF-8 (byte {exc.start})",
                                  "save it as UTF-8")]
    return parse_config(text)


def user_cache() -> Path:
    """The user's own cache folder for netnotes (outside every vault): the index's MAC key and
    compiled templates live there."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "netnotes"
