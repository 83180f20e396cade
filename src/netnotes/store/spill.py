"""A report's kept renderings, with each contact's JSON row out of memory: written to a spill
file as soon as it is made, and read back only when it is printed or saved.

Why: a JSON report has every contact, and its rows (about 3.6 kB each as UTF-8) were held in
memory from the moment each was made until the process ended, kept for the memo and for the
output at once: 36 MB at 10,000 contacts, about ten times that at 100,000, on top of the whole
model (docs/performance.md, "Memory of a JSON report").
Now a row's bytes are appended to one unlinked temporary file and only where it is (a ``Span``:
offset and size) stays in memory.  The same ``Renderings`` serve every reader: the output
copies each row from the file as it is written (``bytes(span)``, a batch of rows at a time,
store/answers.py), and the memo builds each of its shards from it one shard at a time
(memo_file.py).

The file is opened with ``O_TMPFILE`` where the system has it (never visible, gone when the
process ends, whatever way it ends), in the vault's ``.netnotes/`` when that is a real folder
(the disk the vault is on: the system's temp folder may be memory), else in the system's temp
folder.  Nothing in it is read by any other process or run, so there is nothing to seal; and
like everything kept, it is never the reason a command fails: when it cannot be made or
written, the renderings stay in memory as before.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import IO, SupportsBytes

# A kept rendering: a macro's lines (text), or a row's JSON as UTF-8, either in memory or in
# the spill file (a Span).
Rendered = str | bytes | SupportsBytes


class Span:
    """One rendering in a Spill: ``bytes(span)`` reads it back."""

    __slots__ = ("spill", "at", "size")

    def __init__(self, spill: Spill, at: int, size: int):
        self.spill, self.at, self.size = spill, at, size

    def __bytes__(self) -> bytes:
        return self.spill.read(self.at, self.size)

    def __len__(self) -> int:
        return self.size

    def __eq__(self, other: object) -> bool:
        """A Span equals the bytes it holds (and another Span holding the same)."""
        if isinstance(other, (bytes, Span)):
            return bytes(self) == bytes(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]


class Spill:
    """Bytes appended to one temporary file that nobody else can open; ``add`` says where each
    went.  The file is made on the first ``add``."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder
        self._file: IO[bytes] | None = None
        self._fd = -1
        self._end = 0
        self.broken = False  # could not be made or written: renderings stay in memory

    def add(self, data: bytes) -> bytes | Span:
        """``data`` written at the end of the file, and its Span; ``data`` itself when the file
        cannot be written (then nothing more is tried)."""
        if self.broken:
            return data
        try:
            if self._fd < 0:
                self._open()
            written = os.pwrite(self._fd, data, self._end)
            if written != len(data):
                raise OSError("short write")
        except OSError:
            self.broken = True
            return data
        span = Span(self, self._end, written)
        self._end += written
        return span

    def read(self, at: int, size: int) -> bytes:
        data = os.pread(self._fd, size, at)
        while len(data) < size:  # pread may return less; a file we wrote ourselves has it all
            more = os.pread(self._fd, size - len(data), at + len(data))
            if not more:
                raise OSError(f"the report's spill file is shorter than what was written to it "
                              f"({at + len(data)} of {at + size} bytes)")
            data += more
        return data

    @property
    def size(self) -> int:
        """Bytes written to the file."""
        return self._end

    def _open(self) -> None:
        """The file: in ``folder`` (without a name where the system allows, else named and
        unlinked at once), else in the system's temp folder; OSError when neither can be made."""
        folder = str(self.folder) if self.folder is not None else None
        tmpfile = getattr(os, "O_TMPFILE", 0)
        if folder is not None and tmpfile:
            try:
                self._fd = os.open(folder, tmpfile | os.O_RDWR | getattr(os, "O_CLOEXEC", 0),
                                   0o600)
                return
            except OSError:
                pass  # a file system without O_TMPFILE, or a folder we cannot write
        import tempfile

        try:
            self._file = tempfile.TemporaryFile(dir=folder)  # noqa: SIM115 - lives with it
        except OSError:
            if folder is None:
                raise
            self._file = tempfile.TemporaryFile()  # noqa: SIM115 - the system's temp folder
        self._fd = self._file.fileno()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
        elif self._fd >= 0:
            os.close(self._fd)
        self._fd, self._file = -1, None

    def __del__(self) -> None:
        self.close()


class Renderings:
    """Kept renderings of one output: macro name → contact id → rendering.  A macro's lines
    (text) are kept as they are; a row's JSON (bytes) goes to the Spill, and what is kept in
    memory is its Span.  ``folder``: where the spill file is made (``spill_folder``)."""

    def __init__(self, folder: Path | None = None) -> None:
        self.by_name: dict[str, dict[str, Rendered]] = {}
        self.spill = Spill(folder)

    def kept(self, name: str) -> Mapping[str, Rendered]:
        found = self.by_name.get(name)
        if found is None:
            found = self.by_name[name] = {}
        return found

    def put(self, name: str, cid: str, text: str | bytes) -> None:
        found = self.by_name.get(name)
        if found is None:
            found = self.by_name[name] = {}
        found[cid] = self.spill.add(text) if type(text) is bytes else text

    def aside(self, data: bytes) -> bytes | Span:
        """Bytes of the same output that are no contact's (a big piece of a JSON report), in
        the spill file too; read back with ``bytes()``."""
        return self.spill.add(data)

    def drop(self, cid: str) -> list[str]:
        """Forget ``cid``'s renderings; the names it had one under."""
        return [name for name, found in self.by_name.items() if found.pop(cid, None) is not None]

    def plain(self, name: str, cids: Iterable[str]) -> dict[str, str | bytes]:
        """The renderings of ``cids`` under ``name`` as text or bytes (those in the spill read
        back), for marshal: one shard of the memo at a time."""
        found = self.by_name.get(name, {})
        return {cid: v if isinstance(v, str) else bytes(v) for cid in sorted(cids)
                if (v := found.get(cid)) is not None}

    def spilled(self) -> int:
        """Bytes of renderings in the spill file (a test counts what is not in memory)."""
        return self.spill.size


def spill_folder(root: Path) -> Path | None:
    """Where a report of the vault at ``root`` spills its rows: its ``.netnotes/`` when that is
    a real folder, else None (the system's temp folder)."""
    from netnotes.vault import real_cache_folder

    return real_cache_folder(root)
