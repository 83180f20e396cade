"""One command's dealings with a vault: the one place a caller asks, and the store decides what is
fresh — a finished answer, the remembered report, or the notes read through the index.

The command line (and any script) makes a Session and asks it for the vault, a report, or a
finished answer; it never touches the answers, the memo or the index itself.  With
``use_cache=False`` (``--no-cache``) nothing is looked up and nothing is kept: every note is read
and the report is made whole, which must give the same answer byte for byte.
"""

from __future__ import annotations

import datetime as dt
import os
import stat
import time
from collections.abc import Callable, Collection
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from netnotes.core import CONFIG_NAME, Config, Problem, Vault, paused_gc
from netnotes.store.answers import Answer, forget, lookup, store
from netnotes.store.engine import Snapshot, racy, snapshot
from netnotes.vault import MAX_NOTE_BYTES, NoteFile, Progress, find_vault


class Listing(NamedTuple):
    """The vault's notes (sorted by path, each with its stat) and the problems met listing them,
    as ``Session.relist`` left them; ``whole``: the folders were listed again (not only the
    paths it was told of looked at)."""

    notes: tuple[NoteFile, ...]
    problems: tuple[Problem, ...]
    whole: bool


class Made(NamedTuple):
    """A report (``Session.made_report``) and what it was made from: the notes it skipped, its
    problems, how many contacts it shows, and whether the remembered per-contact results made
    it (``remembered``: only the contacts the changed notes touch were worked out again) or it
    was made whole."""

    text: Any  # render.Text: the report, in pieces
    skipped: tuple[str, ...]
    problems: tuple[Problem, ...]
    contacts: int
    remembered: bool

if TYPE_CHECKING:
    from netnotes.store.cache import IndexStats
    from netnotes.store.memo import Receipt
    from netnotes.store.memo_file import Held
    from netnotes.store.reporting import Reporter


class Session:
    """The vault at ``path`` (found upwards from it, or from the working directory) for one
    command.  ``progress`` draws the parsing of a cold index, ``contacts`` the working out of a
    whole report's contacts; ``say`` prints a one-line notice (the index could not be used)."""

    def __init__(self, path: str | None = None, *, use_cache: bool = True,
                 progress: Progress | None = None, contacts: Progress | None = None,
                 say: Callable[[str], None] = lambda text: None):
        self.path = path
        self.use_cache = use_cache
        self.progress, self.contacts, self.say = progress, contacts, say
        self._root: Path | None = None
        self._vault: Vault | None = None
        self._snap: Snapshot | None = None  # the listing answered() took, for vault()
        self._config: Config | None = None  # what relist() listed the notes with
        # relist's own: where each note of the listing is, and those too recent to trust
        self._tracked: tuple[Snapshot, dict[str, int], set[int]] | None = None
        self._held: Held | None = None  # the memo's, kept open across relists (watch)

    @property
    def root(self) -> Path:
        if self._root is None:
            self._root = self._snap.root if self._snap else find_vault(self.path)
        return self._root

    def vault(self) -> Vault:
        """Every note, read once per command: unchanged ones from the index."""
        if self._vault is None:
            # Read with the cyclic collector paused, or every collection while the vault is
            # built walks it again (~1 s at 10k).  A one-shot command also freezes it as the
            # pause ends (core.gcpause); a long-running one (watch) must not, or every vault
            # it loads again would stay for good.
            from netnotes.store.load import read_vault  # not imported for a finished answer

            snap = self._snap
            with paused_gc():
                self._vault, stats = read_vault(
                    self.root, use_cache=self.use_cache, progress=self.progress,
                    listing=(snap.notes, snap.listed) if snap else None)
            if stats.notice:
                self.say(f"netnotes: {stats.notice}")
        return self._vault

    def answered(self, question: tuple[object, ...], compute: Callable[[], Answer]) -> Answer:
        """The answer to ``question`` (a command and its options) from .netnotes/answers/ when
        the vault is provably as it was then (netnotes.store.answers), else ``compute()``, kept
        for next time."""
        if not self.use_cache:
            return compute()
        snap = self._snap = snapshot(self.root)
        found = lookup(snap, question)
        if found is not None:
            return found
        answer = compute()
        return store(snap, question, answer) or answer  # a big one, from the file it went to

    def report(self, day: dt.date, fmt: str, *, colour: bool, section: str | None = None,
               out: str | None = None, everyone: bool = False, narrow: Any = None,
               receipt: Receipt | None = None, reporter: Reporter | None = None
               ) -> tuple[Any, tuple[str, ...]]:
        """The report (or its overdue ``section``) and the notes it skipped: through the memo
        (netnotes.store.memo.report) once ``answered`` or ``relist`` took the vault's state,
        else made whole.  ``narrow`` is the report's render.Narrow, passed on as it is;
        ``receipt`` is filled in with what the report was made from.  ``reporter`` works the
        contacts out and renders them (netnotes.render.Reporter(); by default the one
        netnotes.render offers when it is imported): the store only decides what is fresh."""
        from netnotes.store import memo

        if self._snap is not None:
            return memo.report(self._snap, day, fmt, self.vault, colour=colour,
                               section=section, out=out, progress=self.contacts,
                               everyone=everyone, narrow=narrow, receipt=receipt,
                               reporter=reporter, held=self._held)
        return memo.whole(self.vault(), day, fmt, colour=colour, section=section, out=out,
                          everyone=everyone, narrow=narrow, receipt=receipt,
                          reporter=reporter)

    def relist(self, changed: Collection[str] | None = None) -> Listing:
        """Make this session current again, for a caller that lives across edits (``watch``):
        what it read is forgotten and the vault's state is taken afresh, so that ``report`` and
        ``made_report`` see the vault as it is now.

        ``changed`` are the vault paths (relative, with "/") that may have changed since the last
        call, as file-system events named them; then the folders are not listed again when those
        paths are enough to know the listing: each is a note already listed that is still a
        plain file, or a file that is gone and was neither a note nor a listed problem.  Any
        other path (a new or deleted note, a folder's, netnotes.toml's, a file the listing
        warned about), a config that lists other folders, or ``changed=None`` lists the vault
        again.  Everything else a report depends on (the code, netnotes.toml, the vault's
        templates, the git commit) is looked at every time, and every note whose stat was too
        recent to prove anything (engine.racy) is looked at again, so a report made
        after ``relist`` is never staler than the events it was told of."""
        from netnotes.vault import load_config

        self._vault = None
        if self._held is None and self.use_cache:
            from netnotes.store.memo_file import Held

            self._held = Held()  # a caller that relists lives on: the memo stays open
        root = self.root
        config, _ = load_config(root)
        old, tracked, listing = self._snap, self._tracked, None
        # (answered() takes a snapshot of its own: what relist tracked is for relist's only)
        if changed is not None and old is not None and tracked is not None and \
                tracked[0] is old and config == self._config:
            listing = _relisted(root, old, changed, *tracked[1:])
        snap = self._snap = snapshot(root, listing[:3] if listing else None)
        self._config = config
        if listing is None or tracked is None:
            at = {n.rel: k for k, n in enumerate(snap.notes)}
            looked: Collection[int] = range(len(snap.notes))
        else:
            at, looked = tracked[1], listing[3]
        self._tracked = (snap, at, {k for k in looked if _too_recent(snap.notes[k], snap.scan_ns)})
        return Listing(snap.notes, snap.listed, listing is None)

    def made_report(self, day: dt.date, fmt: str, *, out: str | None = None,
                    everyone: bool = False, reporter: Reporter | None = None) -> Made:
        """``report`` (without colour), and what it was made from (``Made``): for a caller
        that says more than the report, such as ``watch``.  Takes the vault's state first when
        neither ``answered`` nor ``relist`` did."""
        if self._snap is None and self.use_cache:
            self.relist()
        from netnotes.store.memo import Receipt

        receipt = Receipt()
        text, skipped = self.report(day, fmt, colour=False, out=out, everyone=everyone,
                                    receipt=receipt, reporter=reporter)
        return Made(text, skipped, receipt.problems, receipt.contacts, receipt.remembered)

    def close(self) -> None:
        """Close what ``relist`` kept open (the memo's connection); the session may go on."""
        if self._held is not None:
            self._held.close()
            self._held = None

    def reindex(self, rebuild: bool = False) -> IndexStats:
        """Refresh the index (``rebuild``: forget everything kept first) and say what was done."""
        from netnotes.store.load import read_vault

        root = self.root
        if rebuild:
            from netnotes.store import memo

            forget(root)
            memo.forget(root)
        _, stats = read_vault(root, use_cache=self.use_cache, rebuild=rebuild,
                              progress=self.progress)
        if stats.notice:
            self.say(f"netnotes: {stats.notice}")
        return stats


def _relisted(root: Path, old: Snapshot, changed: Collection[str], at: dict[str, int],
              recent: set[int]) -> tuple[tuple[NoteFile, ...], tuple[Problem, ...], int,
                                         set[int]] | None:
    """The listing of ``old`` with the notes at ``changed`` and the ``recent`` ones (too recent
    to trust then) stat again, the time it counts as taken at, and where the notes stat again
    are (``at``: where each note is); None when the folders must be listed again
    (``Session.relist`` says when)."""
    scan_ns = time.time_ns()
    warned = {p.source.path for p in old.listed}
    again = set(recent)
    for rel in changed:
        if rel == CONFIG_NAME or rel in warned or not rel or rel.startswith("/"):
            return None
        k = at.get(rel)
        if k is not None:
            again.add(k)
            continue
        if os.path.lexists(root / rel):
            return None  # a new note, a new folder, a file the listing would warn about …
        inside = rel + "/"
        if any(n.rel.startswith(inside) for n in old.notes) or \
                any(w.startswith(inside) for w in warned):
            return None  # a folder that held notes is gone (or renamed)
    notes = list(old.notes)
    for k in again:
        note = notes[k]
        try:
            st = os.lstat(note.path)
        except OSError:
            return None
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_NOTE_BYTES:
            return None  # gone, a link, a folder, too large now: the listing says what it is
        notes[k] = NoteFile(note.path, note.rel, note.kind, st)
    return tuple(notes), old.listed, scan_ns, again


def _too_recent(note: NoteFile, scan_ns: int) -> bool:
    """A note whose stat cannot prove it unchanged later (engine.racy): looked at again at
    every relist until it can."""
    return note.stat is None or racy(note.stat, scan_ns)
