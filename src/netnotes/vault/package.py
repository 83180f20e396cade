"""Where netnotes' own files are, and a fingerprint of them.

The caches under ``.netnotes/`` must never serve what another version of netnotes (or another
checkout, or the same one after an edit) made, so they key on a hash of the code itself rather
than on a version number somebody has to remember to bump.  Kept free of heavy imports: the
fingerprint is taken on every run, including the ones that end after a cache hit.
"""

from __future__ import annotations

import contextlib
import hashlib
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
    """A hash of the source of ``modules`` (paths like ``vault/parse``; default: every module of
    the package), optionally with the built-in templates, the version and the Python version.
    An unreadable file counts as empty: the version still tells releases apart."""
    from netnotes.core.version import __version__

    h = hashlib.sha256(f"{__version__}|{sys.version_info[:2]}".encode())
    if modules is None:
        modules = sorted(p.relative_to(HERE).with_suffix("").as_posix()
                         for p in HERE.rglob("*.py"))
    names = list(modules)
    files = [HERE / f"{name}.py" for name in names]
    if templates:
        files += sorted(builtin_templates().glob("*.j2"))
    for path in files:
        h.update(path.name.encode() + b"\0")
        with contextlib.suppress(OSError):
            h.update(path.read_bytes())
    return h.hexdigest()
