"""Vault-level edits: create a vault or a note, and change a note safely on disk.

``edit.py`` computes new bytes; this module owns everything around that: the path stays inside
the vault and never goes through a symlink, the note is read once and remembered, the new bytes
are written atomically only if the file is still what was read, a no-op writes nothing, and temp
files orphaned by a crash are swept away.  No click here: the CLI calls these functions.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shlex
import shutil
import stat
import subprocess
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from netnotes.core import (
    Config,
    FieldMap,
    Problem,
    Vault,
    parse_birthday_input,
    parse_date,
)
from netnotes.edit import body, yamlvalue
from netnotes.edit import changes as edit
from netnotes.edit.changes import BadValue, EditRefused, Value
from netnotes.vault import (
    CACHE_DIR,
    LOCK_WAIT_SECONDS,
    MAX_NOTE_BYTES,
    TEMP_PREFIX,
    cache_folder,
    contact_from_note,
    create_bytes_atomic,
    inline_fields,
    map_note,
    parse_note,
    vault_lock,
    write_bytes_atomic,
)

NOTE_TEMPLATE = "person.md.j2"
ORPHAN_AGE_SECONDS = 60  # a temp file this old belongs to no running write: a crash left it
DATE_KEYS = frozenset({"met", "snooze_until"})
LINK_KEYS = frozenset({"introduced_by", "knows"})


@dataclass(frozen=True)
class EditResult:
    """What an edit did: ``changed`` is False for a no-op (nothing was written)."""

    rel: str
    changed: bool
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Snapshot:
    """A note as it was read, to notice if anyone changes it before we write."""

    path: Path
    rel: str
    data: bytes
    stamp: tuple[int, int, int, int]  # device, inode, size, mtime in ns


# ---------------------------------------------------------------------------------------------
# Paths, reading, writing


def note_path(root: Path, rel: str) -> Path:
    """``root/rel``, refusing anything that leaves the vault or passes through a symlink."""
    root = Path(root).resolve()
    pure = PurePosixPath(rel)
    if not rel or pure.is_absolute() or "\\" in rel or any(p in ("..", ".") for p in pure.parts):
        raise EditRefused(f"{rel!r} is not a path inside the vault")
    path = root
    for part in pure.parts:
        path = path / part
        if path.is_symlink():
            raise EditRefused(f"{path.relative_to(root).as_posix()} is a symbolic link; netnotes "
                              "never writes through links — edit the note it points to")
    if not path.resolve().is_relative_to(root):  # pragma: no cover - no links, so no escape
        raise EditRefused(f"{rel} is outside the vault")
    return path


def read_snapshot(path: Path, rel: str) -> Snapshot:
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise EditRefused(f"{rel} does not exist (any more?)") from None
    except OSError as exc:
        raise EditRefused(f"cannot read {rel}: {exc.strerror}") from None
    with os.fdopen(fd, "rb") as f:
        st = os.fstat(f.fileno())
        if not stat.S_ISREG(st.st_mode):
            raise EditRefused(f"{rel} is not a regular file")
        data = f.read()
    return Snapshot(path, rel, data, _stamp(st))


def _stamp(st: os.stat_result) -> tuple[int, int, int, int]:
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def _unchanged(snap: Snapshot) -> None:
    """Raise unless the file on disk is still exactly what was read."""
    try:
        st = os.lstat(snap.path)
        same = (stat.S_ISREG(st.st_mode) and _stamp(st) == snap.stamp
                and snap.path.read_bytes() == snap.data)
    except OSError:
        same = False
    if not same:
        raise EditRefused(f"{snap.rel} changed while netnotes was editing it (another editor, a "
                          "sync or a git pull?); nothing was written — run the command again")


def write_if_unchanged(snap: Snapshot, new: bytes) -> bool:
    """Write ``new`` over the note unless it is the same (False) or someone changed the file since
    it was read (EditRefused).  Checked before the temp file is written and again just before the
    rename, so the window for a lost update is as small as the file system allows."""
    if new == snap.data:
        return False
    _unchanged(snap)
    write_bytes_atomic(snap.path, new, before_replace=lambda: _unchanged(snap))
    return True


def clean_orphans(folder: Path, *, now: float | None = None,
                  min_age: float = ORPHAN_AGE_SECONDS) -> list[str]:
    """Delete the temp files a crashed write left in ``folder`` (old enough that no running write
    can own them).  Reading ignores them anyway; this keeps the folder tidy."""
    now = time.time() if now is None else now
    removed: list[str] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not (entry.name.startswith(TEMP_PREFIX) and entry.name.endswith(".tmp")):
            continue
        try:
            st = entry.stat(follow_symlinks=False)
            if stat.S_ISREG(st.st_mode) and now - st.st_mtime >= min_age:
                os.unlink(entry.path)
                removed.append(entry.name)
        except OSError:
            continue
    return removed


# ---------------------------------------------------------------------------------------------
# Changing one note


def _problem_keys(data: bytes, rel: str, config: Config) -> dict[tuple[str, str, str], Problem]:
    raw = parse_note(data, rel)
    problems = list(raw.problems)
    if raw.front_matter_ok:
        if config.fields.active:  # an adopted vault: read as every command reads it
            mapped = map_note(raw, config.fields)
            raw = mapped.raw
            problems += mapped.problems
        problems += contact_from_note(raw, config)[1]
    return {(p.severity, p.code, p.message): p for p in problems}


def new_problems(before: bytes | None, after: bytes, rel: str, config: Config) -> list[Problem]:
    """Problems of ``after`` that ``before`` did not have (matched by message, not by line, so a
    problem that merely moved is not new)."""
    old = _problem_keys(before, rel, config) if before is not None else {}
    now = _problem_keys(after, rel, config)
    return [p for k, p in now.items() if k not in old]


@contextlib.contextmanager
def lock_vault(root: Path, *, timeout: float = LOCK_WAIT_SECONDS) -> Iterator[None]:
    """Hold the vault's write lock (``.netnotes/write.lock``): netnotes writers take turns.

    Re-entrant within a process; waits at most ``timeout`` seconds for another writer, then
    refuses (LockTimeout) with nothing written."""
    try:
        folder = cache_folder(Path(root))
    except OSError as exc:
        raise EditRefused(f"cannot lock the vault for writing: {exc.strerror}; nothing was "
                          "written") from None
    with vault_lock(folder, timeout=timeout):
        yield


Change = Callable[[bytes | None, str], bytes | None]


def write_note(root: Path, rel: str, change: Change, *, config: Config | None = None,
               timeout: float = LOCK_WAIT_SECONDS) -> EditResult:
    """The one way netnotes writes a note: under the vault's write lock, read the note as it is
    now, apply ``change`` to those bytes and write the result atomically.

    ``change(current, rel)`` gets the note's bytes (``None`` when there is no such file yet) and
    returns the new bytes, or ``None`` (or the same bytes) for "nothing to write".  Because it runs
    under the lock on bytes read under the lock, two netnotes writers never lose each other's
    change; a writer that is not netnotes (an editor, a sync tool) is still noticed by comparing
    the file with what was read just before the rename, and the write is refused.  A new file is
    created whole and never replaces one that appeared meanwhile.  With ``config``, a change that
    would introduce an error into the note is refused (BadValue) and nothing is written.
    """
    path = note_path(root, rel)
    with lock_vault(root, timeout=timeout):
        clean_orphans(path.parent)
        snap = read_snapshot(path, rel) if os.path.lexists(path) else None
        before = snap.data if snap is not None else None
        new = change(before, rel)
        if new is None or new == before:
            return EditResult(rel, False)
        if len(new) > MAX_NOTE_BYTES and len(new) > len(before or b""):
            raise EditRefused(f"{rel} would grow past the size limit of a note "
                              f"({MAX_NOTE_BYTES // 1_000_000} MB) and stop being read; nothing "
                              "was written — move old log lines to another note first")
        introduced = new_problems(before, new, rel, config) if config is not None else []
        errors = [p for p in introduced if p.severity == "error"]
        if errors:
            raise BadValue("\n".join(str(p) for p in errors) + "\nnothing was changed")
        if snap is None:
            try:
                create_bytes_atomic(path, new)
            except FileExistsError:
                raise EditRefused(f"{rel} appeared while netnotes was creating it; nothing was "
                                  "overwritten — run the command again") from None
            except OSError as exc:  # too long, or letters this file system cannot store
                raise EditRefused(f"{rel} cannot be a file name here ({exc.strerror}); nothing "
                                  "was written — use a shorter or plainer name") from None
        else:
            write_if_unchanged(snap, new)
        return EditResult(rel, True, tuple(str(p) for p in introduced))


def change_note(vault: Vault, contact_id: str, change: Callable[[bytes, str], bytes]
                ) -> EditResult:
    """Apply ``change`` (bytes, path → bytes) to the contact's note as it is now (write_note).

    Refuses (nothing written) when the path is unsafe, the note has problems an edit could make
    worse, the change would introduce an error, or the file was changed by another program.
    """
    rel = vault.by_id[contact_id].path

    def existing(data: bytes | None, path: str) -> bytes:
        if data is None:
            raise EditRefused(f"{rel} does not exist (any more?)")
        return change(data, path)

    return write_note(vault.root, rel, existing, config=vault.config)


def _value(key: str, text: str) -> Value:
    """One command-line value → what is written for ``key`` (dates normalised, links bracketed)."""
    text = yamlvalue.check_text(text.strip(), key)
    if key in DATE_KEYS:
        try:
            return parse_date(text)
        except ValueError as exc:
            raise BadValue(f"{key}: {exc}") from None
    if key == "birthday":
        try:
            return str(parse_birthday_input(text))
        except ValueError as exc:
            raise BadValue(f"birthday: {exc}") from None
    if key in LINK_KEYS:
        return f"[[{text.strip('[]')}]]"
    if key in ("tags", "interests"):
        text = text.lstrip("#").strip()
    if not text:
        raise BadValue(f"{key}: the value is empty — use `netnotes unset` to remove a field")
    return text


def set_field(vault: Vault, contact_id: str, key: str, values: Sequence[str],
              mode: str = "set") -> EditResult:
    """``set`` a field (a list field takes several values), or ``add``/``remove`` list items.

    Values for ``knows`` and ``introduced_by`` are contact ids (the CLI resolves names).
    """
    fields = vault.config.fields
    edit.check_key(key, spaced=any(key in theirs for _, theirs in fields.keys))
    if key == "history":
        raise BadValue("history is a list of {company, role, until} entries — edit it with "
                       f"`{shlex.join(['netnotes', 'edit', contact_id])}`")
    if any(not v.strip() for v in values):
        raise BadValue(f"{key}: the value is empty — to remove the field: "
                       f"`{shlex.join(['netnotes', 'unset', contact_id, key])}`")
    is_list = key in edit.LIST_KEYS
    if mode in ("add", "remove") and not is_list:
        raise BadValue(f"--{mode} works on list fields ({', '.join(sorted(edit.LIST_KEYS))}); "
                       f"{key} takes one value")
    if not values:
        raise BadValue(f"{key}: give a value")
    if key == "birthday":  # `set maya birthday Dec 20` without quotes is one date
        values = [" ".join(values)]
    if not is_list and len(values) > 1:
        raise BadValue(f"{key} takes one value, got {len(values)} — quote a value with spaces")
    items = [_value(key, v) for v in values]
    if mode == "add":
        return change_note(vault, contact_id, lambda d, p: edit.add_items(
            d, written_key(fields, key, d, p, lists=True).key, items, path=p))
    if mode == "remove":
        return change_note(vault, contact_id, lambda d, p: edit.remove_items(
            d, written_key(fields, key, d, p, lists=True).key, items, path=p))
    value: Value | list[Value] = items if is_list else items[0]
    return change_note(vault, contact_id, lambda d, p: set_in_note(fields, key, value, d, p))


def unset_field(vault: Vault, contact_id: str, key: str) -> EditResult:
    if key == "name":
        raise BadValue("name cannot be removed: a note without a name is not a contact")
    fields = vault.config.fields

    def change(data: bytes, path: str) -> bytes:
        where = written_key(fields, key, data, path)
        if where.inline:
            return body.unset_inline(data, where.key, path=path)
        return edit.unset_key(data, where.key, path=path)

    return change_note(vault, contact_id, change)


def snooze(vault: Vault, contact_id: str, until: dt.date, today: dt.date) -> EditResult:
    """No reminders for this contact until ``until`` (sets ``snooze_until``)."""
    if until <= today:
        raise BadValue(f"{until.isoformat()} is not after today ({today.isoformat()}) — give a "
                       "later date or a duration such as 3 weeks")
    fields = vault.config.fields
    return change_note(vault, contact_id,
                       lambda d, p: set_in_note(fields, "snooze_until", until, d, p))


@dataclass(frozen=True)
class Where:
    """Where an edit of one of our fields goes in a note: the key, and whether it is a Dataview
    inline field (``key:: value`` in the body) rather than a front-matter key."""

    key: str
    inline: bool = False
    current: object = None  # the value written there now (None: not there)


def written_key(fields: FieldMap, ours: str, data: bytes, path: str, *, lists: bool = False
                ) -> Where:
    """Where an edit of ``ours`` goes: the key the note is read from (the first of the vault's
    keys for it that has a value, as netnotes.vault.mapping reads it), else the first the note has,
    else the vault's first key for it (our own name when it maps none).  An adopted vault's
    notes keep their own key names, so nobody's other tools break."""
    if not fields.active:
        return Where(ours)
    theirs = fields.theirs(ours)
    if ours == "name" and len(theirs) > 1:
        raise BadValue(f"in this vault a name is {' + '.join(theirs)}: set "
                       + " and ".join(theirs) + " one by one")
    raw = parse_note(data, path)
    inline: dict[str, str] = {}
    for f in inline_fields(raw.body, raw.body_line):
        inline.setdefault(f.key, f.value)
    keys = theirs if ours in theirs else (*theirs, ours)

    def where(k: str) -> Where:
        if k in raw.meta or k not in inline:
            return Where(k, False, raw.meta.get(k))
        if lists:
            raise BadValue(f"{k}:: is an inline field, which holds one value: set it instead")
        return Where(k, True, inline[k])

    for k in keys:  # the key the value is read from …
        if raw.meta.get(k) not in (None, "", []) or inline.get(k):
            return where(k)
    for k in keys:  # … or one the note has, empty
        if k in raw.meta or k in inline:
            return where(k)
    return Where(keys[0])


def set_in_note(fields: FieldMap, key: str, value: Value | list[Value], data: bytes, path: str
         ) -> bytes:
    """Set our field ``key`` where the note keeps it, in the shape it keeps it in: one value
    where the vault writes one (``email: a@b``), a list where it writes a list
    (``organizations: [acme]``)."""
    where = written_key(fields, key, data, path)
    if where.inline:
        one = value if isinstance(value, str | dt.date) else ", ".join(map(str, value))
        return body.set_inline(data, where.key, one if isinstance(one, str) else
                               one.isoformat(), path=path)
    if where.key != key:
        if isinstance(value, list) and len(value) == 1 and where.current is not None and \
                not isinstance(where.current, list):
            value = value[0]
        elif isinstance(value, str | dt.date) and isinstance(where.current, list):
            value = [value]
    return edit.set_key(data, where.key, value, path=path)


def log_interaction(vault: Vault, contact_id: str, text: str, day: dt.date, *,
                    gave: bool = False, got: bool = False, with_ids: Sequence[str] = (),
                    today: dt.date | None = None) -> EditResult:
    """Add a dated line to the contact's log, at its place in date order.  In a vault adopted
    with a ``last_contact`` field, that field moves on too (unless ``day`` is a plan, after
    ``today``)."""
    line = body.log_text(text, gave=gave, got=got,
                         with_ids=[i for i in with_ids if i != contact_id])
    heads = vault.config.log_headings or ("log",)
    title = heads[0][:1].upper() + heads[0][1:]  # a new section uses the first configured name
    fields = vault.config.fields

    def change(data: bytes, path: str) -> bytes:
        new = body.add_log_line(data, day, line, headings=heads, heading=title, path=path)
        if today is not None and day <= today and fields.theirs("last_contact"):
            new = _later_last_contact(fields, new, path, day)
        return new

    return change_note(vault, contact_id, change)


def _later_last_contact(fields: FieldMap, data: bytes, path: str, day: dt.date) -> bytes:
    """An adopted vault that keeps ``last_contact`` (its Dataview queries sort by it) sees it
    move on with a logged interaction: set to ``day`` when that is later, where it is written.
    A note without it gets none (the log is the record; netnotes never needs the date)."""
    where = written_key(fields, "last_contact", data, path)
    if where.current in (None, ""):
        return data
    try:
        if parse_date(where.current) >= day:
            return data
    except ValueError:
        return data  # a bad date is reported by check; not ours to guess
    return set_in_note(fields, "last_contact", day, data, path)


# ---------------------------------------------------------------------------------------------
# `netnotes edit`: the original is kept until the saved text is known good


# ---------------------------------------------------------------------------------------------
# New notes and new vaults


GITIGNORE_LINE = f"{CACHE_DIR}/"


GIT_INITIALISED = "initialised a git repository"
GIT_ALREADY = "already inside a git repository"


def editor_command(path: Path, environ: Mapping[str, str] | None = None) -> list[str]:
    """The command that opens ``path`` in the user's editor ($VISUAL, $EDITOR, else the first of
    sensible-editor, vim, nano, vi found), as git runs its editor: the setting is the user's own
    shell words (``code --wait``), and the file is passed as an argument (``"$@"``) the shell
    never reads, so no file name pushed to the vault (``$(…)``, backticks, ``;``, newlines)
    can run a command.  (click.edit puts the name inside the command line in double quotes,
    where ``$(…)`` still runs.)"""
    env = os.environ if environ is None else environ
    editor = env.get("VISUAL") or env.get("EDITOR")
    if not editor:
        found = (shutil.which(n) for n in ("sensible-editor", "vim", "nano"))
        editor = next((n for n in found if n), "vi")
    if os.name == "nt":  # pragma: no cover - no sh; the name is still one argument of its own
        import shlex

        return [*shlex.split(editor, posix=False), str(path)]
    return ["sh", "-c", f'{editor} "$@"', editor, str(path)]


def run_editor(path: Path) -> None:
    """Open ``path`` in the user's editor and wait for it (editor_command)."""
    from netnotes.core import NetnotesError

    cmd = editor_command(path)
    try:
        done = subprocess.run(cmd, check=False)
    except OSError as exc:
        raise NetnotesError(f"cannot start the editor: {exc} — set $VISUAL or $EDITOR") from None
    if done.returncode != 0:
        raise NetnotesError(f"the editor ({cmd[3] if len(cmd) > 3 else cmd[0]}) exited with "
                            f"status {done.returncode}; the note was left as the editor left it")

