"""Reading the whole vault into the model: the one function every command loads through.

Loading is two steps, and the split is the seam for the cache: ``read_note`` turns one file's bytes
into a NoteRecord that depends on nothing but those bytes and the config (so it can be cached by
path, size and mtime), and ``assemble`` resolves ``[[links]]`` across all records into a Vault.
"""

from __future__ import annotations

import operator
import os
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from netnotes.config import Config, load_config
from netnotes.dates import parse_date
from netnotes.errors import ConfigError, Problem, Source, sorted_problems
from netnotes.fields import contact_from_note, link_list, text
from netnotes.gcpause import paused_gc
from netnotes.gitcareer import with_git_careers
from netnotes.interactions import LogLine, describe, journal_date, scan
from netnotes.model import Contact, Interaction, Vault
from netnotes.names import fold, slugify
from netnotes.parse import parse_note
from netnotes.vault import NoteFile, find_vault, list_notes, read_note_bytes

if TYPE_CHECKING:
    from netnotes.cache import IndexStats


@dataclass(frozen=True)
class NoteRecord:
    """What one note file contributes, before links between notes are resolved."""

    rel: str
    kind: str
    contact: Contact | None
    lines: tuple[LogLine, ...]
    problems: tuple[Problem, ...]
    key_lines: tuple[tuple[str, int], ...] = ()  # front-matter key -> line, for link problems

    def line_of(self, key: str) -> int:
        return dict(self.key_lines).get(key, 0)


def read_note(data: bytes, note: NoteFile, config: Config) -> NoteRecord:
    """Parse one note's bytes.  Pure: the same bytes and config always give the same record."""
    person = note.kind == "person"
    raw = parse_note(data, note.rel, require_front_matter=person)
    problems = list(raw.problems)
    contact = None
    lines: list[LogLine] = []
    if person:
        if raw.front_matter_ok:
            contact, field_problems = contact_from_note(raw, config)
            problems.extend(field_problems)
        if contact is not None:
            found, scan_problems = scan(raw.body, note.rel, raw.body_line,
                                        log_headings=config.log_headings)
            lines.extend(found)
            problems.extend(scan_problems)
    elif not raw.problems or raw.body:
        day = journal_date(note.stem)
        found, scan_problems = scan(raw.body, note.rel, raw.body_line, log_headings=None,
                                    default_date=day, need_link=True)
        lines.extend(found)
        problems.extend(scan_problems)
        lines.extend(_journal_front_matter(raw.meta, raw.keys, note, day, problems))
    key_lines = tuple((k, span.line) for k, span in raw.keys.items())
    return NoteRecord(note.rel, note.kind, contact, tuple(lines), tuple(problems), key_lines)


def _journal_front_matter(meta: dict, keys: dict, note: NoteFile, day, problems: list[Problem]
                          ) -> list[LogLine]:
    """A meeting note whose front matter says ``date:`` and ``people: [...]`` is one interaction
    with everyone listed (the shape many Markdown vaults already use)."""
    if "people" not in meta:
        return []
    line = keys["people"].line if "people" in keys else 1
    try:
        when = parse_date(meta["date"]) if meta.get("date") not in (None, "") else day
        people = link_list(meta["people"])
    except ValueError as exc:
        problems.append(Problem(Source(note.rel, line), "error", "bad-value", f"{exc}"))
        return []
    if when is None or not people:
        return []
    try:
        title = text(meta.get("title")) or note.stem
    except ValueError:  # a title that is not text (a list, true …) names nothing
        title = note.stem
    kind, gave, got, tags = describe(title)
    return [LogLine(when, title, line, people, kind, gave, got, tags)]


_REL = operator.attrgetter("rel")
_LINE = operator.attrgetter("line")
_DATE = operator.attrgetter("date")


class _Resolver:
    """``[[target]]`` → contact id: the id itself, then the slug of the text, then a unique name
    or alias (so ``[[Grace Hopper]]`` works as Obsidian users write it)."""

    def __init__(self, contacts: dict[str, Contact]):
        self.ids = contacts
        names: dict[str, set[str]] = {}
        for c in contacts.values():
            for n in c.folded_names:
                names.setdefault(n, set()).add(c.id)
        self.names = {n: next(iter(ids)) for n, ids in names.items() if len(ids) == 1}

    def __call__(self, target: str) -> str | None:
        if target in self.ids:
            return target
        slug = slugify(target)
        if slug in self.ids:
            return slug
        return self.names.get(fold(target))


def assemble(root: Path, config: Config, records: list[NoteRecord],
             extra_problems: list[Problem]) -> Vault:
    """Join per-note records into a Vault: resolve links, merge problems, sort everything."""
    problems: list[Problem] = list(extra_problems)
    contacts: dict[str, Contact] = {}
    by_path = {r.rel: r for r in records}
    skipped: list[str] = []
    for rec in sorted(records, key=lambda r: r.rel):
        problems.extend(rec.problems)
        c = rec.contact
        if c is None:
            if rec.kind == "person":
                skipped.append(rec.rel)
            continue
        if c.id in contacts:
            skipped.append(rec.rel)
            problems.append(Problem(Source(rec.rel, 1), "error", "duplicate-id",
                                    f"another note has the same file name "
                                    f"({contacts[c.id].path}), so this one is skipped",
                                    "rename one of the two files"))
            continue
        contacts[c.id] = c
    resolve = _Resolver(contacts)

    for cid, c in list(contacts.items()):
        changes: dict[str, object] = {}
        if c.introduced_by:
            rid = resolve(c.introduced_by)
            if rid is None:
                problems.append(_unknown_link(c.path, by_path[c.path].line_of("introduced_by"),
                                              c.introduced_by))
            changes["introduced_by"] = rid
        if c.knows:
            known = []
            for t in c.knows:
                rid = resolve(t)
                if rid is None:
                    problems.append(_unknown_link(c.path, by_path[c.path].line_of("knows"), t))
                elif rid != cid and rid not in known:
                    known.append(rid)
            changes["knows"] = tuple(known)
        if changes:
            contacts[cid] = _with(c, changes)

    interactions: list[Interaction] = []
    # Built in (path, line) order, so that one stable sort by date gives the order of
    # Interaction.sort_key, (date, path, line), with a key read in C (a fifth of assemble).
    for rec in sorted(records, key=_REL):
        owner = rec.contact.id if rec.contact is not None and \
            contacts.get(rec.contact.id) is not None and \
            contacts[rec.contact.id].path == rec.rel else None
        if rec.kind == "person" and owner is None:
            continue
        alone: tuple[str, ...] = (owner,) if owner else ()  # shared by lines linking nobody
        for ln in sorted(rec.lines, key=_LINE):
            who = alone
            if ln.targets:
                people = list(alone)
                for t in ln.targets:
                    rid = resolve(t)
                    if rid is None:
                        problems.append(_unknown_link(rec.rel, ln.line, t))
                    elif rid not in people:
                        people.append(rid)
                who = tuple(people)
            if not who:
                continue
            interactions.append(Interaction(ln.date, ln.text, Source(rec.rel, ln.line),
                                            who, ln.kind, ln.gave, ln.got, ln.tags))
    interactions.sort(key=_DATE)
    return Vault(root=root, config=config,
                 contacts=tuple(sorted(contacts.values(), key=lambda c: c.id)),
                 interactions=tuple(interactions), problems=tuple(sorted_problems(problems)),
                 notes_read=len(records), skipped=tuple(skipped))


def _with(c: Contact, changes: dict[str, object]) -> Contact:
    """``dataclasses.replace`` without re-running ``__init__``: the same frozen contact with a few
    fields changed (7x cheaper, and it runs for most contacts of a big vault on every load)."""
    new = object.__new__(Contact)
    new.__dict__.update(c.__dict__)
    new.__dict__.update(changes)
    return new


def _unknown_link(path: str, line: int, target: str) -> Problem:
    return Problem(Source(path, line), "warning", "unknown-link",
                   f"[[{target}]] does not name a contact",
                   f"create people/{slugify(target)}.md, or fix the link")


def load_vault(root: str | os.PathLike[str], *, use_cache: bool = True) -> Vault:
    """Read every note of the vault at ``root``.  Never raises on a bad note: the vault's
    ``problems`` say what was skipped.  Raises ConfigError only when netnotes.toml cannot be
    parsed at all (then the folders themselves are unknown).

    Notes unchanged since the last run come from the index under ``.netnotes/`` (see
    netnotes.cache); ``use_cache=False`` reads every note.  Use ``read_vault`` for what the
    index did and its notice."""
    return read_vault(root, use_cache=use_cache)[0]


def read_vault(root: str | os.PathLike[str], *, use_cache: bool = True, rebuild: bool = False,
               progress: Callable[[int], AbstractContextManager[Any]] | None = None
               ) -> tuple[Vault, IndexStats]:
    """``load_vault`` that also says what the index did: how many notes were parsed, served from
    the cache or dropped, and a one-line notice when the cache could not be used (the answer is
    the same either way).  ``rebuild`` ignores and rewrites the cache; ``progress(total)`` gives a
    context manager whose ``update(n)`` is called as notes are parsed (click.progressbar fits)."""
    from netnotes import indexer

    # Loading creates a few objects per log line and no reference cycles: the cyclic collector
    # would only walk the growing heap again and again (a third of a warm load's time).
    with paused_gc():
        return _read_vault(Path(root).resolve(), indexer, use_cache, rebuild, progress)


def _read_vault(root: Path, indexer: Any, use_cache: bool, rebuild: bool,
                progress: Callable[[int], AbstractContextManager[Any]] | None
                ) -> tuple[Vault, IndexStats]:
    config, problems = load_config(root)
    if any(p.code in ("config-syntax", "config-unreadable", "config-encoding") for p in problems):
        raise ConfigError(problems)
    notes, list_problems = list_notes(root, config)
    records, stats = indexer.read_records(root, config, notes, use_cache=use_cache,
                                          rebuild=rebuild, progress=progress)
    vault = assemble(root, config, records, problems + list_problems)
    return with_git_careers(vault), stats


def read_one(note: NoteFile, config: Config) -> tuple[NoteRecord, bytes | None]:
    """Read and parse one file; an unreadable file is a record with its problem (and no bytes,
    so it is never cached)."""
    try:
        data = read_note_bytes(note.path)
    except OSError as exc:
        problem = Problem(Source(note.rel), "error", "unreadable", f"cannot read: {exc.strerror}")
        return NoteRecord(note.rel, note.kind, None, (), (problem,)), None
    return read_note(data, note, config), data


def open_vault(path: str | os.PathLike[str] | None = None, *, use_cache: bool = True) -> Vault:
    """Find the vault (``path``, ``NETNOTES_VAULT``, or upwards from here) and load it."""
    return load_vault(find_vault(path), use_cache=use_cache)
