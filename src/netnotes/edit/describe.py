"""What changed in a vault since its last commit, in people's terms: the lines of a sync's commit
message ("log Ada: coffee", "set Ada company"), worked out from the notes' own bytes.
"""

from __future__ import annotations

import subprocess
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from netnotes.core import Config
from netnotes.edit.gitrepo import Repo, git, git_env, rev
from netnotes.edit.merge import (
    LIST_KEYS,
)
from netnotes.vault import CACHE_DIR, note_kind, parse_note, scan

SUBJECT_WIDTH = 72


@dataclass(frozen=True)
class Change:
    """One changed file of the vault."""

    path: str  # relative to the repository top
    rel: str  # relative to the vault
    old: bytes | None  # at HEAD; None: new file
    new: bytes | None  # on disk; None: deleted


def vault_changes(repo: Repo) -> tuple[list[Change], list[str]]:
    """Files changed in the vault (staged or not, new files too) and paths changed outside it."""
    proc = git(repo.top, "status", "--porcelain=v1", "-z", "--untracked-files=all",
               "--no-renames")
    inside: list[str] = []
    outside: list[str] = []
    for entry in proc.stdout.split("\0"):
        if len(entry) < 4:
            continue
        path = entry[3:]
        if not path.startswith(repo.prefix):
            outside.append(path)
        elif path[len(repo.prefix):].split("/", 1)[0] != CACHE_DIR:
            inside.append(path)
    old = _blobs_at_head(repo, inside)
    changes = []
    for path in inside:
        try:
            new: bytes | None = (repo.top / path).read_bytes()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            new = None
        if old.get(path) != new:
            changes.append(Change(path, path[len(repo.prefix):], old.get(path), new))
    return changes, outside


def _blobs_at_head(repo: Repo, paths: Sequence[str]) -> dict[str, bytes]:
    """The committed bytes of ``paths`` (missing: new files), read by one ``git cat-file``."""
    if not paths or rev(repo, "HEAD") == "":
        return {}
    wanted = [p for p in paths if "\n" not in p]
    # The header is "TYPE SIZE" for an object; a missing one echoes the request ("HEAD:people/
    # Kenji Tanaka.md missing"), which begins with "HEAD:" and so is never read as a header,
    # whatever spaces the file name holds.
    proc = subprocess.run(["git", "cat-file", "--batch=%(objecttype) %(objectsize)"],
                          cwd=repo.top, capture_output=True,
                          input="".join(f"HEAD:{p}\n" for p in wanted).encode("utf-8"),
                          env=git_env(), check=False)
    out, at = proc.stdout, 0
    blobs: dict[str, bytes] = {}
    for path in wanted:
        end = out.index(b"\n", at)
        header = out[at:end].split(b" ")
        at = end + 1
        if len(header) != 2 or header[0] not in _OBJECT_TYPES or not header[1].isdigit():
            continue  # not at HEAD: a new file
        size = int(header[1])
        if header[0] == b"blob":  # a tree or a submodule is not a note
            blobs[path] = out[at:at + size]
        at += size + 1
    return blobs


_OBJECT_TYPES = (b"blob", b"tree", b"commit", b"tag")


def describe_change(change: Change, config: Config) -> list[str]:
    """``log: Ada Lovelace (coffee)``, ``add: Grace Hopper``, ``set: Linus tier=close`` …"""
    rel = change.rel
    kind = note_kind(rel, config)
    person, journal = kind == "person", kind == "journal"
    if not person:  # the journal and other files come after people, by file name
        label = rel.rsplit("/", 1)[-1].removesuffix(".md") if journal else rel
        how = " (new)" if change.old is None else " (deleted)" if change.new is None else ""
        return [f"{'journal' if journal else 'update'}: {label}{how}"]
    old = parse_note(change.old, rel) if change.old is not None else None
    new = parse_note(change.new, rel) if change.new is not None else None
    name = _name_of(new or old, rel)
    if old is None:
        return [f"add: {name}"]
    if new is None:
        return [f"remove: {name}"]
    items: list[str] = []
    added, removed = _log_diff(old.body, new.body, config)
    if not (old.front_matter_ok and new.front_matter_ok):  # cannot tell which keys changed
        old.meta = new.meta = {}
    if added:
        kinds = [ln.kind or (ln.text.split() or ["note"])[0].strip(":,.;") for ln in added]
        items.append(f"log: {name} ({', '.join(dict.fromkeys(kinds))})")
    for key in dict.fromkeys([*new.meta, *old.meta]):
        was, now = old.meta.get(key), new.meta.get(key)
        if was == now:
            continue
        if key not in new.meta:
            items.append(f"unset: {name} {key}")
        elif key in LIST_KEYS and isinstance(now, list) and isinstance(was, (list, type(None))):
            plus = [str(v) for v in now if v not in (was or [])]
            minus = [str(v) for v in (was or []) if v not in now]
            parts = ([f"+{','.join(plus)}"] if plus else []) + (
                [f"-{','.join(minus)}"] if minus else [])
            items.append(f"set: {name} {key} {' '.join(parts) or 'reordered'}")
        else:
            items.append(f"set: {name} {key}={_short(now)}")
    if not items:
        items.append(f"{'unlog' if removed else 'edit'}: {name}")
    return items


def _name_of(raw: object, rel: str) -> str:
    meta = getattr(raw, "meta", {}) or {}
    name = meta.get("name")
    return name.strip() if isinstance(name, str) and name.strip() else \
        rel.rsplit("/", 1)[-1].removesuffix(".md")


def _short(value: object) -> str:
    s = "" if value is None else str(value)
    s = " ".join(s.split())
    return s if len(s) <= 30 else s[:29] + "…"


def _log_diff(old_body: str, new_body: str, config: Config) -> tuple[list, list]:
    old_lines, _ = scan(old_body, "", 1, log_headings=config.log_headings)
    new_lines, _ = scan(new_body, "", 1, log_headings=config.log_headings)
    before = Counter((ln.date, ln.text) for ln in old_lines)
    added = []
    for ln in new_lines:
        if before[(ln.date, ln.text)]:
            before[(ln.date, ln.text)] -= 1
        else:
            added.append(ln)
    return added, [k for k, n in before.items() if n > 0]


_VERBS = ("log", "add", "set", "unset", "unlog", "edit", "remove", "journal", "update")


def _verb_rank(item: str) -> int:
    """Interactions first: they are what a sync mostly carries."""
    verb = item.split(":", 1)[0]
    return _VERBS.index(verb) if verb in _VERBS else len(_VERBS)


def commit_message(items: Sequence[str], subject: str | None = None) -> tuple[str, str]:
    """A subject that fits in a ``git log --oneline`` line, and a body listing every change."""
    if subject is None:
        subject = ""
        for n, item in enumerate(items):
            more = f" (+{len(items) - n - 1} more)" if n < len(items) - 1 else ""
            candidate = f"{subject}, {item}" if subject else item
            if subject and len(candidate) + len(more) > SUBJECT_WIDTH:
                subject += f" (+{len(items) - n} more)"
                break
            subject = candidate
    body = "\n".join(f"- {i}" for i in items) if len(items) > 1 else ""
    return subject or "netnotes sync", body
