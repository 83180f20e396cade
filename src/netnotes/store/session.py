"""One command's dealings with a vault: the one place a caller asks, and the store decides what is
fresh — a finished answer, the remembered report, or the notes read through the index.

The command line (and any script) makes a Session and asks it for the vault, a report, or a
finished answer; it never touches the answers, the memo or the index itself.  With
``use_cache=False`` (``--no-cache``) nothing is looked up and nothing is kept: every note is read
and the report is made whole, which must give the same answer byte for byte.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Callable
from pathlib import Path
from typing import Any

from netnotes.core import Vault, paused_gc
from netnotes.store.answers import Answer, Snapshot, forget, lookup, snapshot, store
from netnotes.store.cache import IndexStats
from netnotes.store.load import read_vault
from netnotes.vault import Progress, find_vault


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

    @property
    def root(self) -> Path:
        if self._root is None:
            self._root = self._snap.root if self._snap else find_vault(self.path)
        return self._root

    def vault(self) -> Vault:
        """Every note, read once per command: unchanged ones from the index."""
        if self._vault is None:
            # The vault lives until the command ends: move it out of the cyclic collector's
            # sight, or every collection while the report is built walks it again (~1 s at 10k).
            # Frozen before the collector is back on, which would first walk it all once more.
            snap = self._snap
            with paused_gc():
                self._vault, stats = read_vault(
                    self.root, use_cache=self.use_cache, progress=self.progress,
                    listing=(snap.notes, snap.listed) if snap else None)
                gc.freeze()
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
        store(snap, question, answer)
        return answer

    def report(self, day: dt.date, fmt: str, *, colour: bool, section: str | None = None,
               out: str | None = None, everyone: bool = False, narrow: Any = None
               ) -> tuple[Any, tuple[str, ...]]:
        """The report (or its overdue ``section``) and the notes it skipped: through the memo
        (netnotes.store.memo.report) once ``answered`` listed the vault, else made whole.
        ``narrow`` is the report's render.Narrow, passed on as it is."""
        from netnotes.store import memo

        if self._snap is not None:
            return memo.report(self._snap, day, fmt, self.vault, colour=colour,
                               section=section, out=out, progress=self.contacts,
                               everyone=everyone, narrow=narrow)
        return memo.whole(self.vault(), day, fmt, colour=colour, section=section, out=out,
                          everyone=everyone, narrow=narrow)

    def reindex(self, rebuild: bool = False) -> IndexStats:
        """Refresh the index (``rebuild``: forget everything kept first) and say what was done."""
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
