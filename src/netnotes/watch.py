"""``netnotes watch``: keep the report fresh while notes are edited (watchdog + debounce).

The report is made by the store, as ``netnotes report`` makes it: the watcher keeps one store
``Session`` alive and, after each quiet spell, tells it which paths the file-system events named
(``Session.relist``).  The store then stats just those notes instead of listing the whole vault,
and its remembered report (the memo) works out again only the contacts the changed notes touch;
the network's shape is worked out again only when a change touches it (a name, a field, a tie
between two people, a note added or removed), and then the report is made whole.  Editors'
odd ways of saving (in place, temp-then-rename, delete-then-create, folder renames) all come
down to "these paths may have changed"; anything the events cannot vouch for (a new or deleted
note, a folder, netnotes.toml) lists the vault again, and so does a quiet minute (RECHECK), in
case the operating system dropped an event.

A note that is broken mid-edit does not break the report: the watcher keeps every note's last
good version in memory (read through the index at start, then one note per change), and while a
note is broken the report is made here from those, with a warning that says so.  The output is
written atomically, so a browser reloading it never sees half a page.

``redact`` (``--redact``) makes every report here too, from the notes in memory, as ``report
--redact`` does: a redacted report is made from the redacted data itself, never from the
remembered report, which holds names and text.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from netnotes.core import (
    CONFIG_NAME,
    Config,
    ConfigError,
    NetnotesError,
    Problem,
    Source,
    paused_gc,
)
from netnotes.render import Reporter
from netnotes.store import Listing, Session, read_records
from netnotes.vault import (
    CACHE_DIR,
    TEMP_PREFIX,
    NoteFile,
    NoteRecord,
    assemble,
    load_config,
    read_note,
    with_git_careers,
    write_bytes_atomic,
)

RECHECK = 60.0  # seconds without events after which the vault is listed again all the same

Signature = tuple[int, int, int]  # (inode, size, mtime_ns): has the file changed since?


@dataclass
class Rendered:
    """What one rebuild did, for the command line to report."""

    ok: bool
    read: int  # notes read this time (the rest came from memory and the store)
    changed: bool  # the output differs from the last one
    error: str = ""
    kept: tuple[str, ...] = ()  # notes shown in their last good version
    problems: tuple[Problem, ...] = ()  # the vault's problems, as the report shows them
    contacts: int = 0
    remembered: bool = False  # made from the remembered per-contact results (the memo)
    listed: bool = False  # the vault's folders were listed again (not only the changed paths)


class Watcher:
    """Makes the report through one long-lived store Session, telling it what changed."""

    def __init__(self, root: Path, fmt: str = "html", out: Path | None = None, *,
                 today: Callable[[], dt.date] = dt.date.today, debounce: float = 0.3,
                 on_render: Callable[[Rendered, str], None] | None = None,
                 everyone: bool = False, recheck: float = RECHECK, redact: bool = False):
        self.root = Path(root).resolve()
        self.fmt = fmt
        self.everyone = everyone  # --all: every person in every section
        self.redact = redact  # --redact: for sharing (netnotes.render.redact)
        self.out = Path(out).resolve() if out is not None else None
        self.today = today
        self.debounce = debounce
        self.recheck = recheck
        self.on_render = on_render
        self.session = Session(str(self.root))
        self.reporter = Reporter()  # what the store asks of analysis and render (as the CLI's)
        self.config: Config | None = None
        self.config_problems: list[Problem] = []
        self.records: dict[str, tuple[Signature, NoteRecord]] = {}
        self.last_good: dict[str, NoteRecord] = {}
        self.kept: set[str] = set()  # notes shown in their last good version right now
        self.last_output: str | None = None
        self.version = 0  # counts renders that changed the page (what --serve polls)
        self._dirty: set[str] = set()
        self._full = True
        self._last_event = 0.0
        self._last_build = 0.0
        self._listed: tuple[NoteFile, ...] | None = None  # the listing the records were made from
        self._lock = threading.Lock()
        self._wake = threading.Event()

    # -- events --------------------------------------------------------------------------------

    def relevant(self, path: str) -> bool:
        """Changes worth a rebuild: notes, netnotes.toml, the vault's templates; never our own
        output, its temp files, the cache or git's files."""
        p = Path(path)
        if self.out is not None and (p == self.out or (p.parent == self.out.parent
                                                       and p.name.startswith(TEMP_PREFIX))):
            return False
        try:
            rel = p.relative_to(self.root)
        except ValueError:
            return False
        parts = rel.parts
        if not parts or parts[0] in (CACHE_DIR, ".git"):
            return False
        return True

    def notify(self, path: str, whole: bool = False) -> None:
        """Something happened at ``path`` (called from watchdog's thread); ``whole``: something
        the path alone does not say (a folder created, deleted or moved), so list everything."""
        if not self.relevant(path):
            return
        with self._lock:
            try:
                rel = Path(path).relative_to(self.root).as_posix()
            except ValueError:
                rel = path
            if rel == CONFIG_NAME or whole:
                self._full = True  # settings change how every note reads
            self._dirty.add(rel)
            self._last_event = time.monotonic()
        self._wake.set()

    # -- rebuilding ----------------------------------------------------------------------------

    def rebuild(self) -> Rendered:
        """Bring the report up to date and write it; never raises for a bad vault.

        The changes are taken (under the lock) before anything is looked at, so an edit saved
        while a rebuild runs is in the next one's changes, never lost between the two."""
        with self._lock:
            dirty, self._dirty = self._dirty, set()
            full, self._full = self._full, False
        self._last_build = time.monotonic()
        try:
            listing = self.session.relist(None if full or self.config is None else dirty)
            read, kept = self._refresh(listing, dirty, full)
        except NetnotesError as exc:
            self._full = True  # start from the folders again once it is fixed
            result = Rendered(False, 0, False, str(exc))
            self._report(result, "")
            return result
        try:
            if kept or self.redact:
                text, problems, contacts, remembered = self._with_last_good_versions(listing,
                                                                                     kept)
            else:
                made = self.session.made_report(self.today(), self.fmt, everyone=self.everyone,
                                                out=str(self.out) if self.out else None,
                                                reporter=self.reporter)
                text = made.text if isinstance(made.text, str) else "".join(made.text)
                problems, contacts, remembered = made.problems, made.contacts, made.remembered
        except NetnotesError as exc:  # e.g. a broken template: keep the last good page
            result = Rendered(False, read, False, str(exc), kept)
            self._report(result, "")
            return result
        changed = text != self.last_output
        if changed and self.out is not None:
            write_bytes_atomic(self.out, text.encode("utf-8"))
        self.last_output = text
        if changed:
            self.version += 1
        result = Rendered(True, read, changed, "", kept, problems, contacts, remembered,
                          listing.whole)
        self._report(result, text)
        return result

    def _report(self, result: Rendered, text: str) -> None:
        if self.on_render is not None:
            self.on_render(result, text)

    def _refresh(self, listing: Listing, dirty: set[str], full: bool
                 ) -> tuple[int, tuple[str, ...]]:
        """Bring the last good version of every note up to date: the notes whose stat changed
        (or that the events named) are read again.  Returns how many were read and the notes
        shown in their last good version."""
        if full or self.config is None:
            config, problems = load_config(self.root)
            if any(p.code in ("config-syntax", "config-unreadable", "config-encoding")
                   for p in problems):
                raise ConfigError(problems)
            if config != self.config:
                self.records.clear()  # folders, tiers or headings changed: read everything
            self.config, self.config_problems = config, problems
        config = self.config
        read = 0
        if not self.records:  # at start: every note, unchanged ones from the index
            records, stats = read_records(self.root, config, list(listing.notes))
            read = stats.parsed
            for note, record in zip(listing.notes, records, strict=True):
                record, _ = self._with_last_good(record)  # none is kept: there was none before
                self.records[note.rel] = (_signature(note), record)
            dirty = set()
        notes, was = listing.notes, self._listed
        self._listed = notes
        if not listing.whole and was is not None and len(was) == len(notes):
            # The store stat again only the notes the events named (and too recent ones): the
            # others are the very same entries as last time, so only those need a look.
            for note in [n for n, w in zip(notes, was, strict=True) if n is not w]:
                read += self._look_at(note, dirty, config, self.records)
            return read, tuple(sorted(self.kept))
        fresh: dict[str, tuple[Signature, NoteRecord]] = {}
        for note in notes:
            read += self._look_at(note, dirty, config, fresh)
        self.records = fresh
        self.kept &= set(fresh)
        return read, tuple(sorted(self.kept))

    def _look_at(self, note: NoteFile, dirty: set[str], config: Config,
                 into: dict[str, tuple[Signature, NoteRecord]]) -> int:
        """Put ``note``'s last good version ``into`` the records: the one in memory when its
        stat is as it was and no event named it, else read again (returns 1 then)."""
        sig = _signature(note)
        old = self.records.get(note.rel)
        if old is not None and old[0] == sig and note.rel not in dirty and sig[0]:
            into[note.rel] = old
            return 0
        record, was_kept = self._with_last_good(self._read(note, config))
        (self.kept.add if was_kept else self.kept.discard)(note.rel)
        into[note.rel] = (sig, record)
        return 1

    def _with_last_good_versions(self, listing: Listing, kept: Sequence[str]
                                 ) -> tuple[str, tuple[Problem, ...], int, bool]:
        """The report made whole from the notes in memory, those in ``kept`` in their last good
        version (the store reads what is on disk, so it cannot make this one); redacted with
        ``redact`` (the store remembers only the report as it is)."""
        from netnotes.render import build_report

        assert self.config is not None
        extra = [Problem(Source(rel, 1), "warning", "kept-last-good",
                         "this note cannot be read right now, so the report shows its last "
                         "good version", "fix the problem below and save again")
                 for rel in kept]
        records = [rec for _, rec in self.records.values()]
        with paused_gc():  # big and acyclic, as a load is (core.gcpause)
            vault = with_git_careers(assemble(self.root, self.config, records,
                                              [*self.config_problems, *listing.problems,
                                               *extra]))
            text = build_report(vault, self.today(), self.fmt, out=self.out,
                                everyone=self.everyone, redact=self.redact)
        return text, tuple(vault.problems), len(vault.contacts), False

    def _read(self, note: NoteFile, config: Config) -> NoteRecord:
        try:
            data = note.path.read_bytes()
        except OSError as exc:  # gone between listing and reading: the next event says more
            return NoteRecord(note.rel, note.kind, None, (), (
                Problem(Source(note.rel), "error", "unreadable", f"cannot read: {exc.strerror}"),))
        return read_note(data, note, config)

    def _with_last_good(self, record: NoteRecord) -> tuple[NoteRecord, bool]:
        """A person note that no longer gives a contact falls back to its last good version
        (with today's problems attached); a good one becomes the new last good version."""
        broken = record.kind == "person" and record.contact is None
        if not broken:
            self.last_good[record.rel] = record
            return record, False
        good = self.last_good.get(record.rel)
        if good is None:
            return record, False
        return replace(good, problems=record.problems), True

    # -- the loop ------------------------------------------------------------------------------

    def run(self, stop: threading.Event, ready: threading.Event | None = None) -> None:
        """Render once, then re-render after every quiet spell of ``debounce`` seconds that
        follows a change, until ``stop`` is set."""
        observer = self._observe()
        try:
            self.rebuild()
            if ready is not None:
                ready.set()
            while not stop.is_set():
                self._wake.wait(timeout=0.5)
                with self._lock:
                    if time.monotonic() - self._last_build > self.recheck:
                        self._full = True  # in case the system dropped an event: list again
                    pending = bool(self._dirty) or self._full
                    quiet = time.monotonic() - self._last_event
                if not pending:
                    self._wake.clear()
                    continue
                if quiet < self.debounce:
                    stop.wait(self.debounce - quiet)
                    continue
                self._wake.clear()
                self.rebuild()
        finally:
            observer.stop()
            observer.join(timeout=5)
            self.session.close()

    def _observe(self) -> Any:
        """A watchdog observer on the whole vault (imported here: only `watch` needs it)."""
        from watchdog.events import FileSystemEvent, FileSystemEventHandler
        from watchdog.observers import Observer

        watcher = self

        class Handler(FileSystemEventHandler):
            def on_any_event(self, event: FileSystemEvent) -> None:
                if event.event_type in ("opened", "closed_no_write"):
                    return
                if event.is_directory and event.event_type == "modified":
                    return  # a file in it changed: that file's own event says which
                for path in (event.src_path, getattr(event, "dest_path", "")):
                    if path:
                        watcher.notify(os.fsdecode(path), whole=event.is_directory)

        observer = Observer()
        observer.schedule(Handler(), str(self.root), recursive=True)
        observer.start()
        return observer


def _signature(note: NoteFile) -> Signature:
    st = note.stat
    if st is None:
        return (0, 0, 0)
    return (st.st_ino, st.st_size, st.st_mtime_ns)


# -- --serve -----------------------------------------------------------------------------------

# Only the served page gets this: the file written by --out stays free of JavaScript.
RELOAD_SCRIPT = """<script>(function(){var v=null;function poll(){fetch('/__version',\
{cache:'no-store'}).then(function(r){return r.text()}).then(function(t){if(v!==null&&t!==v)\
location.reload();v=t}).catch(function(){}).then(function(){setTimeout(poll,1000)})}poll()})();\
</script>"""

LOOPBACK = "127.0.0.1"


def serve(watcher: Watcher, port: int = 8765, host: str = LOOPBACK) -> Any:
    """Serve the latest report on http://host:port/ (loopback unless told otherwise), reloading
    the browser tab when it changes.  Returns the started server; call ``shutdown()``."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    kinds = {"html": "text/html", "markdown": "text/markdown", "text": "text/plain"}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server API
            if self.path == "/__version":
                body, kind = str(watcher.version).encode(), "text/plain"
            elif self.path in ("/", "/index.html"):
                page = watcher.last_output or ""
                if watcher.fmt == "html":
                    page = page.replace("</body>", RELOAD_SCRIPT + "\n</body>", 1)
                body, kind = page.encode("utf-8"), kinds.get(watcher.fmt, "text/plain")
            else:
                self.send_error(404, "only the report is served here")
                return
            self.send_response(200)
            self.send_header("Content-Type", f"{kind}; charset=utf-8")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:  # quiet: the CLI reports
            pass

    server = ThreadingHTTPServer((host, port), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
