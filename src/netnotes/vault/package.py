"""Where netnotes' own files are, and a fingerprint of them.

The caches under ``.netnotes/`` must never serve what another version of netnotes (or another
checkout, or the same one after an edit) made, so they key on the code's own files (each by its
stat, as Python's bytecode cache does) rather than on a version number somebody has to remember
to bump.  Kept free of heavy imports: the
fingerprint is taken on every run, including the ones that end after a cache hit.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
from collections.abc import Iterable
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]  # src/netnotes


def builtin_templates() -> Path:
    """Our templates: inside the installed package, or the checkout's top-level ``templates/``
    when running from source (an editable install does not copy them)."""
    packaged = HERE / "templates"  # where the wheel puts them
    if packaged.is_dir():
        return packaged
    return HERE.parents[1] / "templates"


def fingerprint(modules: Iterable[str] | None = None, *, templates: bool = False) -> str:
    """A hash of the files of ``modules`` (paths like ``vault/parse``; default: every module of
    the package), optionally with the built-in templates, the version and the Python version.

    Each file counts by its name and stat (size, modification time in nanoseconds, inode), not
    its bytes: Python itself runs a module's cached bytecode for as long as the source's size
    and modification time (to the second) are unchanged, so a change this misses is one the
    interpreter would not run either.  Reading and hashing every module and template instead
    took 3 ms of each run, a fiftieth of a warm report at 10,000 contacts.  A file that cannot
    be looked at counts as missing: the version still tells releases apart."""
    from netnotes.core.version import __version__

    if modules is None:
        files = _package_modules()
    else:
        files = [os.path.join(HERE, f"{name}.py") for name in modules]
    if templates:
        folder = builtin_templates()
        with contextlib.suppress(OSError):
            files += sorted(os.path.join(folder, n) for n in os.listdir(folder)
                            if n.endswith(".j2"))
    lines = [f"{__version__}|{sys.version_info[:2]}"]
    for path in files:
        try:
            st = os.stat(path)
        except OSError:
            lines.append(f"{path}\0-")
            continue
        lines.append(f"{path}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ino}")
    return hashlib.sha256("\n".join(lines).encode("utf-8", "surrogateescape")).hexdigest()


def _package_modules() -> list[str]:
    """Every module file of the package, in a fixed order."""
    found = []
    for folder, subfolders, names in os.walk(HERE):
        subfolders[:] = sorted(d for d in subfolders if d != "__pycache__")
        found += sorted(os.path.join(folder, n) for n in names if n.endswith(".py"))
    return found
