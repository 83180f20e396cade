"""Keeping what a note was before an edit, and putting it back: a changed note that reads worse
than before is restored, and its original is kept under .netnotes/rescue/.
"""

from __future__ import annotations

import datetime as dt
import os
import stat
from pathlib import Path

from netnotes.core import (
    Config,
)
from netnotes.edit.changes import EditRefused
from netnotes.edit.notes import note_path, write_note
from netnotes.vault import (
    cache_folder,
    contact_from_note,
    create_bytes_atomic,
    parse_note,
)

RESCUE_DIR = "rescue"


def saved_note_trouble(after: bytes | None, rel: str, config: Config) -> str | None:
    """Why the note an editor saved must not be the only copy left (None when it is good): the
    editor deleted it, left it empty, saved something that does not parse, or lost the name that
    makes it a contact.  Other new problems (a bad date, an unknown tier) are reported as usual:
    the note is still read, and the rest of it still counts."""
    if after is None:
        return "the editor deleted it"
    if not after.strip():
        return "it is empty"
    raw = parse_note(after, rel)
    errors = [p for p in raw.problems if p.severity == "error"]
    if errors or not raw.front_matter_ok:
        why = errors[0].message if errors else "it has no front matter"
        return f"it cannot be read as a note ({why})"
    contact, _ = contact_from_note(raw, config)
    if contact is None:
        return "it has lost its name, so it is not a contact any more"
    return None


def read_if_there(path: Path) -> bytes | None:
    """The file's bytes, or None when there is no regular file there (an editor deleted it)."""
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return None
        return path.read_bytes()
    except OSError:
        return None


def keep_original(root: Path, rel: str, data: bytes, *, now: dt.datetime | None = None) -> str:
    """Keep ``data`` (a note's bytes before an edit) where nothing reads or syncs it:
    ``.netnotes/rescue/<path>.<time>.md``, or beside the note as ``NAME.md.orig`` when
    ``.netnotes/`` cannot be used.  Never overwrites; returns where it went (vault-relative)."""
    base = Path(root).resolve()
    now = now or dt.datetime.now()
    stamp = now.strftime("%Y%m%d-%H%M%S")
    flat = rel.removesuffix(".md").replace("/", "__")
    try:
        folder = cache_folder(base) / RESCUE_DIR
        if folder.is_symlink():
            raise OSError("a link")
        folder.mkdir(exist_ok=True)
        candidates = [(folder, f"{flat}.{stamp}{'' if n == 1 else f'-{n}'}.md")
                      for n in range(1, 100)]
    except OSError:
        beside = note_path(base, rel).parent
        name = rel.rsplit("/", 1)[-1]
        candidates = [(beside, f"{name}.orig" if n == 1 else f"{name}.{n}.orig")
                      for n in range(1, 100)]
    for folder, name in candidates:
        try:
            create_bytes_atomic(folder / name, data)
        except FileExistsError:
            continue
        return (folder / name).relative_to(base).as_posix()
    raise EditRefused(f"cannot keep the original of {rel}: too many copies")  # pragma: no cover


def restore_original(root: Path, rel: str, original: bytes, saved: bytes | None) -> None:
    """Put ``original`` back, under the write lock, if the note is still what the editor saved
    (``None``: still deleted); refuse (nothing written) if anything else changed it meanwhile."""

    def back(current: bytes | None, _rel: str) -> bytes:
        if current != saved:
            raise EditRefused(f"{rel} changed again while netnotes was asking; the original was "
                              "not put back — run the command again")
        return original

    write_note(root, rel, back)
