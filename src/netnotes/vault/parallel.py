"""Work shared between this process and forked workers on the cores nobody else is using.

A big vault's work splits into pieces that need nothing from each other: parsing its notes
(indexer.py) and working out its contacts (report.report_inputs).  ``shared`` runs such pieces
on a forked worker *and* in this process, which would only wait otherwise.

Why not multiprocessing's pools: their results come back through helper threads of this
process, and those wait for the GIL, which this process holds while it works on its own share.
Measured with ProcessPoolExecutor on two cores, the worker sat idle most of a cold parse of
10,000 notes, its finished chunks queued behind this process (1.6-1.9 s against 1.15 s here).
So a worker appends each result to a temporary file in one write, and this process reads what
is there between its own pieces; which piece is whose is settled in a shared page behind a
semaphore.  No thread, no pipe to fill up.

Answers never depend on a worker: where none can be forked (no ``fork`` on this platform,
threads running, as under ``watch``, a sandbox that refuses), or one dies, this process does
what is left.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import struct
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any, TypeVar

R = TypeVar("R")
# How long work says how far it is: ``progress(total)`` gives a context manager whose
# ``update(n)`` is called as steps are done (click.progressbar fits).
Progress = Callable[[int], AbstractContextManager[Any]]

_PAGE = struct.Struct("<qq")  # the next piece from the front, the end of what is left
_HEAD = struct.Struct("<qq")  # a worker's record of one piece: its number, its length


def spare_cores() -> int:
    """How many cores no other process is running on right now (besides this one's).

    A worker only pays off on a free core: on a busy one it takes turns with this process, and
    pickling its results back costs more than it saves (a 10,000-note cold read went from 3.4 s
    to 4.3 s on two cores that other work kept busy).  The runnable count in /proc/loadavg says
    what is running at this moment (this process included); where it cannot be read, every
    core but this one is taken as free."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    try:
        with open("/proc/loadavg", encoding="ascii") as f:
            running = int(f.read().split()[3].split("/")[0])
    except (OSError, ValueError, IndexError):
        running = 1
    return max(0, cores - max(running, 1))


def piece_size(count: int, largest: int) -> int:
    """How many of ``count`` items one piece of shared work holds: ``largest`` on a big vault,
    and on a small one few enough that there are about eight pieces, so that the worker and this
    process run out of work together (300 contacts in pieces of 250 made one piece and a scrap,
    and took as long with a worker as without; in eight pieces, 14 % less: docs/performance.md)."""
    return max(1, min(largest, -(-count // 8)))


def can_fork() -> bool:
    """Forking is safe only with no other thread running (a thread holding a lock at the
    fork leaves the child waiting forever): ``watch``'s observer runs its own."""
    import threading

    return hasattr(os, "fork") and threading.active_count() == 1


class _Claims:
    """Which pieces are taken: workers take from the front, this process from the back, so
    each piece is done exactly once.  An anonymous shared page behind a semaphore."""

    def __init__(self, count: int):
        import mmap
        import multiprocessing

        self.lock = multiprocessing.get_context("fork").Lock()
        self.page = mmap.mmap(-1, _PAGE.size)
        self.page[:] = _PAGE.pack(0, count)

    def take(self, front: bool) -> int | None:
        with self.lock:
            lo, hi = _PAGE.unpack(self.page[:])
            if lo >= hi:
                return None
            i = lo if front else hi - 1
            self.page[:] = _PAGE.pack(lo + 1, hi) if front else _PAGE.pack(lo, hi - 1)
            return i

    def front(self) -> int:
        with self.lock:
            return int(_PAGE.unpack(self.page[:])[0])


class _Results:
    """What one worker has written so far, read back between this process's own pieces."""

    def __init__(self, out: Any):
        self.fd = out.fileno()
        self.pos = 0
        self.done: set[int] = set()

    def ready(self) -> Iterator[tuple[int, Any]]:
        while True:
            head = os.pread(self.fd, _HEAD.size, self.pos)
            if len(head) < _HEAD.size:
                return
            i, size = _HEAD.unpack(head)
            data = os.pread(self.fd, size, self.pos + _HEAD.size)
            if len(data) < size:  # still being written (or its writer died in the middle)
                return
            self.pos += _HEAD.size + size
            self.done.add(i)
            yield i, pickle.loads(data)


def shared(count: int, here: Callable[[int], R], there: Callable[[int], Any],
           join: Callable[[int, Any], R], workers: int) -> Iterator[tuple[int, R]]:
    """``(i, result)`` for every piece ``i`` in ``range(count)``, in no particular order.

    This process works out ``here(i)``; a forked worker works out ``there(i)`` (anything
    pickle takes), which this process turns into the same result with ``join(i, value)``.
    Workers start from piece 0, this process from the last one: put the piece that should
    start first on another core at 0.  Up to ``workers`` workers are forked (0: none)."""
    import tempfile

    claims: _Claims | None = None
    outs: list[Any] = []
    if workers > 0:
        try:
            claims = _Claims(count)
            outs = [tempfile.TemporaryFile(prefix="netnotes-") for _ in range(workers)]
        except (OSError, ImportError, ValueError):
            claims = None
    if claims is None:
        for i in range(count):
            yield i, here(i)
        return
    pids: list[int] = []
    try:
        for out in outs:
            try:
                pid = os.fork()
            except OSError:
                break
            if pid == 0:  # the worker: never returns into the caller's code
                code = 1
                try:
                    while (theirs := claims.take(front=True)) is not None:
                        data = pickle.dumps(there(theirs), protocol=5)
                        _write_all(out.fileno(), _HEAD.pack(theirs, len(data)) + data)
                    code = 0
                finally:
                    os._exit(code)
            pids.append(pid)
        results = [_Results(out) for out in outs[: len(pids)]]

        def collect() -> Iterator[tuple[int, R]]:
            for r in results:
                for i, value in r.ready():
                    yield i, join(i, value)

        while (mine := claims.take(front=False)) is not None:
            yield mine, here(mine)
            yield from collect()
        for pid in pids:
            _wait(pid)
        pids = []
        yield from collect()
        # What a dead worker took and never wrote (nothing, when every worker finished):
        for i in range(claims.front()):
            if not any(i in r.done for r in results):
                yield i, here(i)
    finally:
        for pid in pids:  # the caller stopped early (an error, Ctrl-C): stop the workers
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
            _wait(pid)
        for out in outs:
            out.close()


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _wait(pid: int) -> None:
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)  # retried by Python itself when a signal interrupts it (PEP 475)
