"""Writers take turns: one lock per vault, held by every netnotes command that writes a note.

The lock is ``fcntl.flock`` on ``.netnotes/write.lock`` (``msvcrt.locking`` on Windows).  Such a
lock belongs to the open file, so it dies with the process that holds it: a writer killed with
SIGKILL, or a laptop that lost power, never leaves a lock behind that blocks the next command.
The file itself stays (it is empty but for the holder's pid, written for people who wonder).

Where the file system cannot lock at all (some network and FUSE mounts answer ENOLCK or
EOPNOTSUPP), the fallback is an exclusive-create lock folder ``.netnotes/write.lock.d`` holding the
holder's host and pid; one whose holder is no longer running on this host, or that is older than
``STALE_SECONDS``, is stale and is taken over, so it too never blocks for ever.

Waiting is bounded (``LOCK_WAIT_SECONDS``): a writer that cannot get the lock in time refuses with
a one-line message and writes nothing.  The lock is re-entrant within a process (``add`` picks a
file name and creates the file under one lock), and threads of one process take turns as well.

A standard-library lock was chosen over a locking library: the one it would replace is these same
``flock`` and ``msvcrt`` calls, and the fallback needs the vault's own rule for stale locks.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from netnotes.core import NetnotesError

LOCK_NAME = "write.lock"
LOCK_WAIT_SECONDS = 10.0  # how long a writer waits for another netnotes writer of the vault
STALE_SECONDS = 600.0  # a fallback lock folder this old belongs to no running write
_POLL_SECONDS = 0.005  # first pause between tries; doubles up to _MAX_POLL
_MAX_POLL = 0.05
_UNSUPPORTED = {errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS, errno.EINVAL,
                getattr(errno, "ENOTSUP", errno.EOPNOTSUPP)}

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]
try:
    import msvcrt
except ImportError:
    msvcrt = None  # type: ignore[assignment]


class LockTimeout(NetnotesError):
    """Another netnotes writer held the vault's lock for longer than the bounded wait."""


_held: dict[str, int] = {}  # vault lock folder -> depth held by this process (under _guard)
_guard = threading.RLock()


@contextlib.contextmanager
def vault_lock(folder: Path, *, timeout: float = LOCK_WAIT_SECONDS) -> Iterator[None]:
    """Hold the write lock of the vault whose lock folder (``<vault>/.netnotes``) is ``folder``.

    Raises LockTimeout when another process holds it for longer than ``timeout`` seconds.
    """
    key = os.path.abspath(folder)
    deadline = time.monotonic() + timeout
    if not _guard.acquire(timeout=max(timeout, 0.0)):
        raise _timeout(timeout, None)
    try:
        if _held.get(key):
            _held[key] += 1
            try:
                yield
            finally:
                _held[key] -= 1
            return
        release = _acquire(Path(key), deadline, timeout)
        _held[key] = 1
        try:
            yield
        finally:
            _held.pop(key, None)
            release()
    finally:
        _guard.release()


def _acquire(folder: Path, deadline: float, timeout: float):  # noqa: ANN202 - a release callable
    path = folder / LOCK_NAME
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags, 0o600)
    try:
        if not _lock_fd(fd, deadline, timeout, path):
            os.close(fd)
            return _acquire_folder(folder, deadline, timeout)
    except BaseException:
        os.close(fd)
        raise
    with contextlib.suppress(OSError):
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)

    def release() -> None:
        os.close(fd)  # closing the file releases the lock

    return release


def _lock_fd(fd: int, deadline: float, timeout: float, path: Path) -> bool:
    """Lock ``fd``, waiting until ``deadline``.  False when this file system cannot lock."""
    pause = _POLL_SECONDS
    while True:
        try:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            elif msvcrt is not None:  # pragma: no cover - Windows
                msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            else:  # pragma: no cover - neither: the lock folder serves
                return False
            return True
        except OSError as exc:
            if exc.errno in _UNSUPPORTED:
                return False
            if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK, errno.EDEADLK):
                raise
        if time.monotonic() >= deadline:
            raise _timeout(timeout, _holder(path))
        time.sleep(pause)
        pause = min(pause * 2, _MAX_POLL)


def _acquire_folder(folder: Path, deadline: float, timeout: float):  # noqa: ANN202
    """The fallback: a lock folder made with mkdir (atomic everywhere), with its holder inside."""
    lock = folder / (LOCK_NAME + ".d")
    me = f"{socket.gethostname()} {os.getpid()}"
    pause = _POLL_SECONDS
    while True:
        try:
            os.mkdir(lock)
        except FileExistsError:
            if _stale(lock):
                shutil.rmtree(lock, ignore_errors=True)
                continue
            if time.monotonic() >= deadline:
                raise _timeout(timeout, _holder(lock / "holder")) from None
            time.sleep(pause)
            pause = min(pause * 2, _MAX_POLL)
            continue
        (lock / "holder").write_text(me + "\n")
        break

    def release() -> None:
        shutil.rmtree(lock, ignore_errors=True)

    return release


def _stale(lock: Path) -> bool:
    """A lock folder whose holder is not running on this host, or that is too old."""
    try:
        age = time.time() - lock.stat().st_mtime
        host, pid = (lock / "holder").read_text().split()
    except (OSError, ValueError):
        try:
            return time.time() - lock.stat().st_mtime > 5  # the holder never wrote its name
        except OSError:
            return False
    if age > STALE_SECONDS:
        return True
    if host != socket.gethostname():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except (OSError, ValueError):
        return False
    return False


def _holder(path: Path) -> str | None:
    try:
        text = path.read_text().strip()
    except OSError:
        return None
    return text.split()[-1] if text else None


def _timeout(timeout: float, holder: str | None) -> LockTimeout:
    who = f" (process {holder})" if holder else ""
    return LockTimeout(f"another netnotes command{who} has been writing to this vault for "
                       f"{timeout:g} s; nothing was written — try again when it has finished")
