"""``netnotes watch``: keep the report fresh while notes are edited (watchdog + debounce).

The watcher keeps its own memory of every note as a NoteRecord (``index.read_note``), keyed by
path.  After a change it re-lists the folders (cheap: names and stat only), re-reads just the
files that changed, and re-assembles the vault (``index.assemble``).  So an edit to one note in a
10,000-note vault reads one file, and editors' odd ways of saving (in place, temp-then-rename,
delete-then-create, folder renames) all come down to "this path's bytes may have changed".

A note that is broken mid-edit does not break the report: the last good version of that note is
used, and a warning says so.  The output is written atomically, so a browser reloading it never
sees half a page.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from netnotes.core import CONFIG_NAME, Config, ConfigError, NetnotesError, Problem, Source, Vault
from netnotes.vault import (
    CACHE_DIR,
    TEMP_PREFIX,
    NoteFile,
    NoteRecord,
    assemble,
    list_notes,
    load_config,
    read_note,
    with_git_careers,
    write_bytes_atomic,
)

Signature = tuple[int, int, int]  # (inode, size, mtime_ns): has the file changed since?


@dataclass
class Rendered:
    """What one rebuild did, for the command line to report."""

    ok: bool
    vault: Vault | None
    read: int  # files read this time (the rest came from memory)
    changed: bool  # the output differs from the last one
    error: str = ""
    kept: tuple[str, ...] = ()  # notes shown in their last good version


class Watcher:
    """Builds the report from an in-memory index of the vault, refreshed file by file."""

    def __init__(self, root: Path, fmt: str = "html", out: Path | None = None, *,
                 today: Callable[[], dt.date] = dt.date.today, debounce: float = 0.3,
                 on_render: Callable[[Rendered, str], None] | None = None,
                 everyone: bool = False):
        self.root = Path(root).resolve()
        self.fmt = fmt
        self.everyone = everyone  # --all: every person in every section
        self.out = Path(out).resolve() if out is not None else None
        self.today = today
        self.debounce = debounce
        self.on_render = on_render
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

    def notify(self, path: str) -> None:
        """Something happened at ``path`` (called from watchdog's thread)."""
        if not self.relevant(path):
            return
        with self._lock:
            try:
                rel = Path(path).relative_to(self.root).as_posix()
            except ValueError:
                rel = path
            if rel == CONFIG_NAME:
                self._full = True  # settings change how every note reads
            self._dirty.add(rel)  # folders too: the next rebuild re-lists everything
            self._last_event = time.monotonic()
        self._wake.set()

    # -- rebuilding ----------------------------------------------------------------------------

    def rebuild(self) -> Rendered:
        """Bring the in-memory index up to date and render; never raises for a bad vault."""
        with self._lock:
            dirty, self._dirty = self._dirty, set()
            full, self._full = self._full, False
        try:
            vault, read, kept = self._refresh(dirty, full)
        except NetnotesError as exc:
            result = Rendered(False, None, 0, False, str(exc))
            self._report(result, "")
            return result
        from netnotes.render import build_report

        try:
            text = build_report(vault, self.today(), self.fmt, out=self.out,
                                everyone=self.everyone)
        except NetnotesError as exc:  # e.g. a broken template: keep the last good page
            result = Rendered(False, vault, read, False, str(exc), kept)
            self._report(result, "")
            return result
        changed = text != self.last_output
        if changed and self.out is not None:
            write_bytes_atomic(self.out, text.encode("utf-8"))
        self.last_output = text
        if changed:
            self.version += 1
        result = Rendered(True, vault, read, changed, "", kept)
        self._report(result, text)
        return result

    def _report(self, result: Rendered, text: str) -> None:
        if self.on_render is not None:
            self.on_render(result, text)

    def _refresh(self, dirty: set[str], full: bool) -> tuple[Vault, int, tuple[str, ...]]:
        if full or self.config is None:
            config, problems = load_config(self.root)
            if any(p.code in ("config-syntax", "config-unreadable", "config-encoding")
                   for p in problems):
                raise ConfigError(problems)
            if config != self.config:
                self.records.clear()  # folders, tiers or headings changed: read everything
            self.config, self.config_problems = config, problems
        config = self.config
        notes, list_problems = list_notes(self.root, config)
        fresh: dict[str, tuple[Signature, NoteRecord]] = {}
        read = 0
        for note in notes:
            sig = _signature(note.path)
            old = self.records.get(note.rel)
            if old is not None and old[0] == sig and note.rel not in dirty and sig[0]:
                fresh[note.rel] = old
                continue
            record = self._read(note, config)
            read += 1
            record, was_kept = self._with_last_good(record)
            (self.kept.add if was_kept else self.kept.discard)(note.rel)
            fresh[note.rel] = (sig, record)
        self.records = fresh
        self.kept &= set(fresh)
        kept = sorted(self.kept)
        records = [rec for _, rec in fresh.values()]
        extra = []
        for rel in kept:
            extra.append(Problem(Source(rel, 1), "warning", "kept-last-good",
                                 "this note cannot be read right now, so the report shows its "
                                 "last good version", "fix the problem below and save again"))
        vault = with_git_careers(assemble(self.root, config, records,
                                          self.config_problems + list_problems + extra))
        return vault, read, tuple(kept)

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

    def _observe(self) -> Any:
        """A watchdog observer on the whole vault (imported here: only `watch` needs it)."""
        from watchdog.events import FileSystemEvent, FileSystemEventHandler
        from watchdog.observers import Observer

        watcher = self

        class Handler(FileSystemEventHandler):
            def on_any_event(self, event: FileSystemEvent) -> None:
                if event.event_type in ("opened", "closed_no_write"):
                    return
                for path in (event.src_path, getattr(event, "dest_path", "")):
                    if path:
                        watcher.notify(os.fsdecode(path))

        observer = Observer()
        observer.schedule(Handler(), str(self.root), recursive=True)
        observer.start()
        return observer


def _signature(path: Path) -> Signature:
    try:
        st = path.stat()
    except OSError:
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
