"""Career moves from git, remembered per commit under ``.netnotes/git-careers.json``: asking git
for the history (``git log -p`` over the people folder) costs about 0.3 s a 1,000 notes, and its
answer only changes with a new commit, which ``git rev-parse`` tells in milliseconds
(docs/performance.md, "Career moves from git").  Whatever is in the file when it is not what we
wrote for this commit, the answer is git's: the file is only ever a cache.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from pathlib import Path

from netnotes.core import Vault
from netnotes.vault import (
    CACHE_DIR,
    Changes,
    career_changes,
    git_commit,
    with_git_careers,
    write_bytes_atomic,
)

CACHE_NAME = "git-careers.json"
CACHE_FORMAT = 1  # part of the key: a new format of the file is never read as the old one


def remembered_changes(root: Path, people_dir: str) -> Changes:
    """``gitcareer.career_changes`` of the commit checked out, asked of git once per commit."""
    commit = git_commit(root, people_dir)
    if commit is None:
        return {}
    key = f"{CACHE_FORMAT}|{commit}"
    path = root / CACHE_DIR / CACHE_NAME
    cached = _read(path, key)
    if cached is not None:
        return cached
    found = career_changes(root, people_dir)
    _write(path, key, found)
    return found


def with_careers(vault: Vault, *, use_cache: bool) -> Vault:
    """The vault with career moves from git: remembered per commit, or (``use_cache`` off,
    ``--no-cache``) asked of git and nothing written."""
    found = remembered_changes(vault.root, vault.config.people_dir) if use_cache else None
    return with_git_careers(vault, found)


def _read(path: Path, key: str) -> Changes | None:
    """The remembered changes when they were made for ``key``; None for anything else (no file,
    another commit, or a file that is not what we write: it is only ever recomputed)."""
    try:
        data = json.loads(path.read_bytes())
        if not isinstance(data, dict) or data.get("key") != key:
            return None
        return {str(note): [(dt.date.fromisoformat(day), {str(k): str(v) for k, v in old.items()})
                            for day, old in changes]
                for note, changes in data["changes"].items()}
    except (OSError, ValueError, TypeError, AttributeError, KeyError):
        return None


def _write(path: Path, key: str, found: Changes) -> None:
    """Remember the changes for ``key`` (atomically; a read-only vault just goes without)."""
    data = {"key": key, "changes": {note: [(day.isoformat(), old) for day, old in changes]
                                    for note, changes in found.items()}}
    with contextlib.suppress(OSError):
        if path.parent.is_dir():  # the index made it (and its .gitignore)
            write_bytes_atomic(path, json.dumps(data, ensure_ascii=False).encode())
