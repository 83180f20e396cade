"""Writing files safely: temp file in the same folder, fsync, rename.

A crash at any moment leaves the old file or the new one, never half of one; a browser reloading
a report never sees a half-written page.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

TEMP_PREFIX = ".netnotes-tmp-"


def write_bytes_atomic(path: Path, data: bytes, *, mode: int | None = None,
                       before_replace: Callable[[], None] | None = None) -> None:
    """Replace ``path`` with ``data`` atomically, keeping its permissions when it exists.

    ``before_replace`` runs after the new bytes are safely on disk and just before the rename;
    if it raises, the temp file is removed and ``path`` is left as it was (edits use it to check,
    as late as possible, that nobody changed the note meanwhile).
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if mode is None:
        try:
            mode = os.stat(path).st_mode & 0o7777
        except FileNotFoundError:
            mode = 0o666 & ~_umask()
    tmp = _write_temp(folder, data, mode)
    try:
        if before_replace is not None:
            before_replace()
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_dir(folder)


def create_bytes_atomic(path: Path, data: bytes) -> None:
    """Create ``path`` with ``data`` whole, never replacing a file that exists (FileExistsError).

    The bytes go to a temp file first and are hard-linked into place, which fails if the name is
    taken; where hard links are not supported, an exclusive create is the fallback.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    tmp = _write_temp(folder, data, 0o666 & ~_umask())
    try:
        try:
            os.link(tmp, path, follow_symlinks=False)
        except FileExistsError:
            raise
        except OSError:  # no hard links here (some network and FAT file systems)
            with open(path, "xb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
    _fsync_dir(folder)


def _write_temp(folder: Path, data: bytes, mode: int) -> str:
    """``data`` in a new temp file in ``folder``, on disk (fsynced), with ``mode``."""
    fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return tmp


def write_text_atomic(path: Path, text: str) -> None:
    write_bytes_atomic(path, text.encode("utf-8"))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable (POSIX); harmless where directories cannot be opened."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
