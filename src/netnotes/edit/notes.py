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
import stat
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from netnotes.core import (
    Config,
    FieldMap,
    Problem,
    Vault,
    fold,
    parse_birthday_input,
    parse_date,
    slugify,
)
from netnotes.edit import body, yamlvalue
from netnotes.edit import changes as edit
from netnotes.edit.changes import BadValue, EditRefused, Value
from netnotes.vault import (
    CACHE_DIR,
    LOCK_WAIT_SECONDS,
    MAX_NOTE_BYTES,
    SCALAR_FIELDS,
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


# ---------------------------------------------------------------------------------------------
# New notes and new vaults


@dataclass(frozen=True)
class NewContact:
    rel: str
    id: str
    warnings: tuple[str, ...] = ()


def skipped_note(vault: Vault, query: str) -> str | None:
    """The person note named ``query`` (its id or the slug of a name) that could not be read as a
    contact, so that commands can say why instead of "no such contact"."""
    want = {query.casefold(), slugify(query)}
    for rel in vault.skipped:
        if PurePosixPath(rel).stem.casefold() in want:
            return rel
    return None


def similar_contacts(vault: Vault, name: str, emails: Sequence[str] = ()) -> list[str]:
    """Warnings for contacts that may be the same person: same name or alias, or same email."""
    out = []
    key = fold(name)
    mails = {e.strip().casefold() for e in emails}
    for c in vault.contacts:
        if key in c.folded_names:
            out.append(f"{c.id} ({c.path}) is also called {name!r}")
        elif mails & {e.casefold() for e in c.emails}:
            out.append(f"{c.id} ({c.path}) has the same email")
    return out


def free_id(folder: Path, slug: str, taken: set[str]) -> str:
    """``slug``, or ``slug-2``, ``slug-3`` … — a name no file in ``folder`` has, in any case (so
    that a case-insensitive disk never maps two contacts to one file)."""
    try:
        present = {n.casefold() for n in os.listdir(folder)}
    except FileNotFoundError:
        present = set()
    taken = {t.casefold() for t in taken}
    for n in range(1, 10_000):
        cand = slug if n == 1 else f"{slug}-{n}"
        if f"{cand}.md".casefold() not in present and cand.casefold() not in taken:
            return cand
    raise EditRefused(f"too many contacts called {slug}")  # pragma: no cover


def render_note(vault_root: Path, context: Mapping[str, object]) -> str:
    """The new note's text from ``person.md.j2`` (the vault's ``templates/`` may override it).
    Templates write values with ``|yaml``, which quotes them only when YAML needs it."""
    from netnotes.render import make_environment, render_in

    env = make_environment(vault_root)
    env.filters["yaml"] = _yaml_filter
    return render_in(env, NOTE_TEMPLATE, dict(context))


def _yaml_filter(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date | str):
        return yamlvalue.render_value(value)
    if isinstance(value, list | tuple):
        return yamlvalue.render_value([v if isinstance(v, dt.date) else str(v) for v in value])
    return yamlvalue.render_value(str(value))


def add_contact(vault: Vault, name: str, *, tier: str | None = None, tags: Sequence[str] = (),
                company: str = "", role: str = "", field: str = "",
                emails: Sequence[str] = (), met: dt.date | None = None,
                introduced_by: str | None = None, today: dt.date | None = None) -> NewContact:
    """Create ``people/<slug>.md`` from the note template; never overwrites a file."""
    name = " ".join(yamlvalue.check_text(name, "name").split())
    if not name:
        raise BadValue("the name is empty")
    if tier is not None and vault.config.tier(tier) is None:
        raise BadValue(f"{tier!r} is not a tier; tiers are: " + ", ".join(vault.config.tier_names))
    people = vault.config.people_dir
    folder = note_path(vault.root, people) if (vault.root / people).exists() else None
    if folder is None:
        folder = vault.root / people
        folder.mkdir(parents=True, exist_ok=True)
        folder = note_path(vault.root, people)
    context = {
        "name": name, "tier": tier, "tags": [t.lstrip("#").strip() for t in tags if t.strip()],
        "company": company.strip(), "role": role.strip(), "field": field.strip(),
        "emails": [e.strip() for e in emails if e.strip()], "met": met,
        "introduced_by": f"[[{introduced_by}]]" if introduced_by else None, "today": today,
    }
    for key in ("company", "role", "field"):
        yamlvalue.check_text(str(context[key]), key)
    data = render_note(vault.root, context).encode("utf-8")
    with lock_vault(vault.root):  # the free name is chosen and taken under one lock
        cid = free_id(folder, slugify(name), set(vault.by_id))
        rel = f"{people}/{cid}.md"
        raw = parse_note(data, rel)
        errors = [p for p in raw.problems if p.severity == "error"]
        if errors or raw.meta.get("name") != name:
            why = str(errors[0]) if errors else f"its name does not read back as {name!r}"
            raise EditRefused(f"the note template wrote a note netnotes cannot read ({why}) — "
                              f"check templates/{NOTE_TEMPLATE} (values need the |yaml filter)")
        if vault.config.fields.active:
            data = in_their_names(data, vault.config, rel)
        write_note(vault.root, rel, lambda old, _rel: data if old is None else _taken(rel))
    warnings = [f"possible duplicate: {w}" for w in similar_contacts(vault, name, emails)]
    warnings += [str(p) for p in new_problems(None, data, rel, vault.config)
                 if p.severity == "warning"]
    return NewContact(rel, cid, tuple(warnings))


def _as_value(value: object) -> Value | list[Value]:
    if isinstance(value, list):
        return [str(v) for v in value]
    return str(value)


def in_their_names(data: bytes, config: Config, rel: str) -> bytes:
    """A new note, written from the template in our keys, in an adopted vault's own keys: each
    key where it stands, ``name`` split into the vault's two parts (the last word is the last
    name), one value where the vault's key is singular (``email: a@b``).  Read back through the
    map, it must give the same contact, or nothing is written."""
    fields = config.fields
    raw = parse_note(data, rel)
    out = data
    for ours, value in raw.meta.items():
        theirs = fields.theirs(ours)
        if not theirs or ours in theirs or value in (None, "", []):
            continue
        new: Value | list[Value] = _as_value(value)
        if ours == "name" and len(theirs) > 1:
            if len(theirs) != 2:
                continue  # three parts: no way to tell them apart; `name:` reads as well
            first, _, last = str(value).rpartition(" ")
            parts = [(k, p) for k, p in zip(theirs, (first, last) if first else (last, ""),
                                            strict=True) if p]
            out = edit.replace_key(out, ours, parts, path=rel)
            continue
        if isinstance(new, list) and len(new) == 1 and not theirs[0].endswith("s"):
            new = new[0]
        elif isinstance(new, str) and ours in SCALAR_FIELDS and theirs[0].endswith("s"):
            new = [new]  # organizations: [acme]
        out = edit.replace_key(out, ours, [(theirs[0], new)], path=rel)
    before, after = (contact_from_note(map_note(parse_note(d, rel), fields).raw, config)[0]
                     for d in (data, out))
    if before is None or after is None or before != after:
        raise EditRefused(f"{rel}: the new note would not read back the same in this vault's "
                          "names; nothing was written — check [fields] in netnotes.toml")
    return out


def _taken(rel: str) -> bytes:
    raise EditRefused(f"{rel} appeared while netnotes was creating it; nothing was overwritten — "
                      "run the command again")


GITIGNORE_LINE = f"{CACHE_DIR}/"


GIT_INITIALISED = "initialised a git repository"
GIT_ALREADY = "already inside a git repository"


