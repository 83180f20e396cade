"""Creating a vault: the folders, netnotes.toml, a .gitignore for the cache, and a git repository
with a first commit, so that sync works from the first day.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from netnotes.core import (
    CONFIG_NAME,
    DEFAULT_CONFIG_TEXT,
)
from netnotes.edit.changes import EditRefused
from netnotes.edit.notes import GIT_ALREADY, GIT_INITIALISED, GITIGNORE_LINE
from netnotes.vault import (
    CACHE_DIR,
    create_bytes_atomic,
    write_bytes_atomic,
)


@dataclass(frozen=True)
class NewVault:
    root: Path
    created: tuple[str, ...]
    git: str


def init_vault(folder: Path, *, git: str | None = "git", me: str | None = None) -> NewVault:
    """Create a vault in ``folder``: netnotes.toml with commented defaults, people/, journal/,
    a .gitignore for the cache, and a git repository unless the folder is already in one.
    Refuses to touch a folder that already holds a vault.  ``git=None`` skips git; ``me`` is
    your name, written as ``[me] name``."""
    from netnotes.edit.me import with_me

    settings = with_me(DEFAULT_CONFIG_TEXT, "name", [me]) if me else DEFAULT_CONFIG_TEXT
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise EditRefused(f"{folder} exists and is not a folder")
    if os.path.lexists(folder / CONFIG_NAME):
        raise EditRefused(f"{folder} is already a vault ({CONFIG_NAME} exists); nothing changed")
    folder.mkdir(parents=True, exist_ok=True)
    created: list[str] = []
    try:
        create_bytes_atomic(folder / CONFIG_NAME, settings.encode("utf-8"))
    except FileExistsError:
        raise EditRefused(f"{folder} is already a vault ({CONFIG_NAME} exists); "
                          "nothing changed") from None
    created.append(CONFIG_NAME)
    for sub in ("people", "journal"):
        if not (folder / sub).is_dir():
            (folder / sub).mkdir()
            created.append(sub + "/")
    created.extend(_ignore_cache(folder))
    git_status = _git_init(folder, git)
    if git and git_status in (GIT_INITIALISED, GIT_ALREADY):
        from netnotes.edit.sync import SyncError, first_commit, git_setup

        try:
            git_setup(folder)
            created.append(".gitattributes (merge driver for notes)")
            git_status += "; merge driver registered (see `netnotes git-setup`)"
            if git_status.startswith(GIT_INITIALISED):  # a repository of its own: commit it
                ours = [CONFIG_NAME, ".gitignore", ".gitattributes"]
                git_status += "; " + first_commit(folder, ours)
        except SyncError as exc:
            git_status += f"; merge driver not registered: {exc}"
    return NewVault(folder.resolve(), tuple(created), git_status)


def _ignore_cache(folder: Path) -> list[str]:
    path = folder / ".gitignore"
    if path.is_symlink():
        return []
    if not path.exists():
        create_bytes_atomic(path, f"{GITIGNORE_LINE}\n".encode())
        return [".gitignore"]
    data = path.read_bytes()
    lines = {ln.strip() for ln in data.decode("utf-8", "replace").splitlines()}
    if lines & {CACHE_DIR, GITIGNORE_LINE, f"/{CACHE_DIR}", f"/{GITIGNORE_LINE}"}:
        return []
    sep = b"" if not data or data.endswith(b"\n") else b"\n"
    write_bytes_atomic(path, data + sep + f"{GITIGNORE_LINE}\n".encode())
    return [".gitignore (added .netnotes/)"]


def _git_init(folder: Path, git: str | None) -> str:
    exe = shutil.which(git) if git else None
    if exe is None:
        return "git not found: the vault is not a git repository (run `git init` there later)"
    inside = subprocess.run([exe, "-C", str(folder), "rev-parse", "--is-inside-work-tree"],
                            capture_output=True, text=True, check=False)
    if inside.returncode == 0 and inside.stdout.strip() == "true":
        return GIT_ALREADY
    done = subprocess.run([exe, "init", "-q", str(folder)], capture_output=True, text=True,
                          check=False)
    if done.returncode != 0:
        return f"git init failed: {done.stderr.strip() or done.returncode}"
    return GIT_INITIALISED
