"""Reading the whole vault into the model: the one function every command loads through.

Loading is two steps, and the split is the seam for the cache: ``read_note`` turns one file's bytes
into a NoteRecord that depends on nothing but those bytes and the config (so it can be cached by
path, size and mtime), and ``assemble`` resolves ``[[links]]`` across all records into a Vault.
"""

from __future__ import annotations

import datetime as dt
import operator
import re
from collections.abc import Callable, Container, Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import compress, count, repeat
from pathlib import Path
from typing import TYPE_CHECKING, Any

from netnotes.core import (
    KINDS,
    Config,
    Contact,
    Grouped,
    Interaction,
    Problem,
    Source,
    Vault,
    fold,
    link_targets,
    parse_date,
    slugify,
    sorted_problems,
)
from netnotes.vault.fields import contact_from_note, link_list, text
from netnotes.vault.files import NoteFile, read_note_bytes
from netnotes.vault.interactions import LogLine, describe, journal_date, scan
from netnotes.vault.mapping import map_note
from netnotes.vault.parse import parse_note

if TYPE_CHECKING:
    pass


@dataclass(frozen=True)
class NoteRecord:
    """What one note file contributes, before links between notes are resolved.  Its log lines
    are kept as LogLine's columns, in line order (``of`` makes a record from lines): a warm
    load unpickles 200,000 lines for 10,000 notes, and ``assemble`` makes their Interactions
    straight from the columns, in C, with no LogLine per line in between (10,000 notes: 0.27 s
    and 8 MB less at the peak of a warm load)."""

    rel: str
    kind: str
    contact: Contact | None
    columns: tuple[tuple[Any, ...], ...]  # (dates, texts, lines, targets, kinds, gave, got, tags)
    problems: tuple[Problem, ...]

    @classmethod
    def of(cls, rel: str, kind: str, contact: Contact | None, lines: Iterable[LogLine],
           problems: tuple[Problem, ...]) -> NoteRecord:
        ordered = sorted(lines, key=_LINE)
        return cls(rel, kind, contact, tuple(zip(*ordered, strict=True)) if ordered else (),
                   problems)

    @property
    def lines(self) -> tuple[LogLine, ...]:
        if not self.columns:
            return ()
        return tuple(map(_new_tuple, repeat(LogLine), zip(*self.columns, strict=True)))

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled (for the index) as plain values: pickle's C code rebuilds the columns."""
        return (_record, (self.rel, self.kind, self.contact, self.columns, self.problems))


_new_tuple = tuple.__new__
_KIND = {k: k for k in KINDS}
_DAY: dict[dt.date, dt.date] = {}


def _record(rel: str, kind: str, contact: Contact | None, columns: tuple[tuple[Any, ...], ...],
            problems: tuple[Problem, ...]) -> NoteRecord:
    """A NoteRecord from its pickled form.  Each kind and each date is one shared object across
    the vault, not one per line as unpickled: on a 100,000-contact vault that is 150 MB less."""
    if columns:
        dates, texts, numbers, targets, kinds, gave, got, tags = columns
        columns = (tuple(map(_DAY.setdefault, dates, dates)), texts, numbers, targets,
                   tuple(map(_KIND.get, kinds, kinds)), gave, got, tags)
    return NoteRecord(rel, kind, contact, columns, problems)


def read_note(data: bytes, note: NoteFile, config: Config) -> NoteRecord:
    """Parse one note's bytes.  Pure: the same bytes and config always give the same record."""
    person = note.kind == "person"
    raw = parse_note(data, note.rel, require_front_matter=person)
    problems = list(raw.problems)
    contact = None
    lines: list[LogLine] = []
    if person:
        mapped = None
        if raw.front_matter_ok:
            if config.fields.active:  # an adopted vault: its own keys read as ours
                mapped = map_note(raw, config.fields)
                raw = mapped.raw
                problems.extend(mapped.problems)
            if mapped is None or not mapped.template:
                contact, field_problems = contact_from_note(raw, config)
                problems.extend(field_problems)
        if contact is not None:
            found, scan_problems = scan(raw.body, note.rel, raw.body_line,
                                        log_headings=config.log_headings,
                                        date_order=config.date_order,
                                        kind_words=config.kind_words)
            lines.extend(found)
            problems.extend(scan_problems)
            if mapped is not None and mapped.last_contact is not None:
                day, line, key = mapped.last_contact
                if not any(ln.date == day for ln in found):  # not the logged one, twice
                    lines.append(LogLine(day, f"{key}: {day.isoformat()}", line, (), None,
                                         False, False, ()))
    elif not raw.problems or raw.body:
        when = journal_date(note.stem) or _front_matter_day(raw.meta, config)
        found, scan_problems = scan(raw.body, note.rel, raw.body_line, log_headings=None,
                                    date_order=config.date_order, kind_words=config.kind_words,
                                    default_date=when, need_link=True)
        lines.extend(found)
        problems.extend(scan_problems)
        lines.extend(_journal_front_matter(raw.meta, raw.keys, note, when, problems, config))
        if not lines and when is not None and config.fields.active:
            lines.extend(_mentions(raw.body, raw.body_line, raw.meta, note, when))
    return NoteRecord.of(note.rel, note.kind, contact, lines, tuple(problems))


def _front_matter_day(meta: dict, config: Config) -> dt.date | None:
    """A meeting note's ``date:`` (or the vault's key for it), which dates its undated items."""
    for key in config.fields.theirs("date") or ("date",):
        if meta.get(key) not in (None, ""):
            try:
                return parse_date(meta[key])
            except ValueError:
                return None  # reported with the people it would date (_journal_front_matter)
    return None


def _title(meta: dict, note: NoteFile) -> str:
    try:
        return text(meta.get("title")) or note.stem
    except ValueError:  # a title that is not text (a list, true …) names nothing
        return note.stem


def _journal_front_matter(meta: dict, keys: dict, note: NoteFile, day: dt.date | None,
                          problems: list[Problem], config: Config) -> list[LogLine]:
    """A meeting note whose front matter says ``date:`` and ``people: [...]`` (or the keys the
    ``[fields]`` map names, such as ``attendees:``) is one interaction with everyone listed (the
    shape many Markdown vaults already use)."""
    who = next((k for k in config.people_keys if k in meta), None)
    if who is None:
        return []
    line = keys[who].line if who in keys else 1
    date_key = next((k for k in config.fields.theirs("date") or ("date",)
                     if meta.get(k) not in (None, "")), None)
    try:
        when = parse_date(meta[date_key]) if date_key is not None else day
        people = link_list(meta[who])
    except ValueError as exc:
        problems.append(Problem(Source(note.rel, line), "error", "bad-value", f"{exc}"))
        return []
    if when is None or not people:
        return []
    title = _title(meta, note)
    kind, gave, got, tags = describe(title)
    return [LogLine(when, title, line, people, kind, gave, got, tags)]


def _mentions(body: str, body_line: int, meta: dict, note: NoteFile, day: dt.date
              ) -> list[LogLine]:
    """A dated note of an adopted vault that lists nobody but links people in its text (``met
    [[Ada Lovelace]] about …``) is one interaction with everyone it links who is a contact.
    Its links are marked soft (``?``): a link to a project or a place is no problem here."""
    targets: list[str] = []
    first, said = 0, ""
    for offset, line in enumerate(body.split("\n")):
        found = link_targets(line) if "[[" in line else []
        if found and not first:  # the first line that links someone says what happened
            first, said = body_line + offset, " ".join(line.lstrip("#>*-+ \t").split())
        targets.extend(f"?{t}" for t in found if f"?{t}" not in targets)
    if not targets:
        return []
    title = meta_title if (meta_title := _title(meta, note)) != note.stem else said[:200]
    kind, gave, got, tags = describe(title)
    return [LogLine(day, title, first, tuple(targets), kind, gave, got, tags)]


_REL = operator.attrgetter("rel")
_LINE = operator.attrgetter("line")
_DATE = operator.attrgetter("date")


class Resolver:
    """``[[target]]`` → contact id: the id itself, then the slug of the text, then a unique name
    or alias (so ``[[Grace Hopper]]`` works as Obsidian users write it).

    ``ids`` is every contact id; ``names()`` gives folded name or alias → the one contact it
    names, asked for on the first link that is not an id or a slug (most vaults link by id, and
    folding every name costs a tenth of a load).  memo.py resolves a changed note's links with
    the ids and names it kept."""

    def __init__(self, ids: Container[str], names: Callable[[], Mapping[str, str]],
                 skipped: Iterable[str] = ()):
        self.ids = ids
        self._make_names = names
        self._names: Mapping[str, str] | None = None
        # Person notes that exist but are skipped (a merge conflict, YAML that does not parse):
        # a link to one names someone, so it is no "does not name a contact" problem; the
        # skipped note's own problems say once why it is not read.
        self.waiting = frozenset(w for rel in skipped
                                 for w in (_stem(rel), slugify(_stem(rel))))

    def waits(self, target: str) -> bool:
        """Whether ``target`` names a person note that is skipped for now."""
        return bool(self.waiting) and (target in self.waiting or slugify(target) in self.waiting)

    @property
    def names(self) -> Mapping[str, str]:
        if self._names is None:
            self._names = self._make_names()
        return self._names

    def __call__(self, target: str) -> str | None:
        if target in self.ids:
            return target
        slug = slugify(target)
        if slug in self.ids:
            return slug
        found = self.names.get(fold(target))
        if found is None and "/" in target:  # Obsidian's [[people/Ada Lovelace.md]]
            return self(target.rsplit("/", 1)[-1].removesuffix(".md"))
        return found


def _stem(rel: str) -> str:
    return rel.rsplit("/", 1)[-1].removesuffix(".md")


def unique_names(contacts: Iterable[Contact]) -> dict[str, str]:
    """Folded name or alias → the one contact it names (names two contacts share name none)."""
    names: dict[str, set[str]] = {}
    slugs: dict[str, set[str]] = {}
    for c in contacts:
        for n in c.folded_names:
            names.setdefault(n, set()).add(c.id)
        if not _SLUG_ID.fullmatch(c.id):  # `Ada Lovelace.md`, as other tools name notes, …
            slugs.setdefault(slugify(c.id), set()).add(c.id)
    out = {n: next(iter(ids)) for n, ids in names.items() if len(ids) == 1}
    for slug, ids in slugs.items():  # … is [[ada-lovelace]] too, when no name says otherwise
        if len(ids) == 1 and slug not in names:
            out[slug] = next(iter(ids))
    return out


_SLUG_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def assemble(root: Path, config: Config, records: list[NoteRecord],
             extra_problems: list[Problem], *, consume: bool = False) -> Vault:
    """Join per-note records into a Vault: resolve links, merge problems, sort everything.

    ``consume``: the caller needs ``records`` no more, so the list is emptied and each record
    let go once its interactions are made.  A record's columns and its contact before its links
    were resolved then never live beside the whole vault (100,000 notes: 1180 -> 972 MiB
    at the peak of a cold load)."""
    problems: list[Problem] = list(extra_problems)
    contacts: dict[str, Contact] = {}
    skipped: list[str] = []
    notes_read = len(records)
    ordered = sorted(records, key=_REL)
    if consume:
        records.clear()
    for rec in ordered:
        problems.extend(rec.problems)
        c = rec.contact
        if c is None:
            if rec.kind == "person":
                skipped.append(rec.rel)
                problems.extend(_skipped_for_conflict(rec))
            continue
        if c.id in contacts:
            skipped.append(rec.rel)
            problems.append(Problem(Source(rec.rel, 1), "error", "duplicate-id",
                                    f"another note has the same file name "
                                    f"({contacts[c.id].path}), so this one is skipped",
                                    "rename one of the two files"))
            continue
        contacts[c.id] = c
    resolve = Resolver(contacts, lambda: unique_names(contacts.values()), skipped)
    for cid, c in list(contacts.items()):
        contacts[cid] = resolve_links(c, resolve, problems)

    interactions: list[Interaction] = []
    by_note: dict[str, list[Interaction]] = {}
    # Built in (path, line) order, so that one stable sort by date gives the order of
    # Interaction.sort_key, (date, path, line), with a key read in C (a fifth of assemble).
    if consume:  # taken from the end, so that each record is freed once it is read
        ordered.reverse()
    for rec in _taken(ordered) if consume else ordered:
        owner = rec.contact.id if rec.contact is not None and \
            contacts.get(rec.contact.id) is not None and \
            contacts[rec.contact.id].path == rec.rel else None
        made = note_interactions(rec, owner, resolve, problems)
        if made:
            by_note[rec.rel] = made
            interactions.extend(made)
    # Grouped now, while they are in note order: each contact's lines come mostly from one
    # note, so its list grows in one place (2.8 -> 0.6 s for 2 million interactions, against
    # grouping the date-sorted whole); the same stable sort by date then gives sort_key order.
    by_person: dict[str, list[Interaction]] = {}
    for it in interactions:
        for pid in it.people:
            by_person.setdefault(pid, []).append(it)
    interactions.sort(key=_DATE)
    grouped = Grouped(_sorted_groups(by_person), _sorted_groups(by_note))
    return Vault(root=root, config=config,
                 contacts=tuple(sorted(contacts.values(), key=lambda c: c.id)),
                 interactions=tuple(interactions), problems=tuple(sorted_problems(problems)),
                 notes_read=notes_read, skipped=tuple(skipped), grouped=grouped)


def _taken(items: list[NoteRecord]) -> Iterator[NoteRecord]:
    """The items of ``items`` from its end, each removed from it as it is given."""
    while items:
        yield items.pop()


def _sorted_groups(groups: dict[str, list[Interaction]]) -> dict[str, tuple[Interaction, ...]]:
    """Each group as a tuple in date order (a stable sort: the groups are in (path, line) order),
    each list let go as its tuple is made, so the two never all live at once."""
    out = {}
    for key in list(groups):
        out[key] = tuple(sorted(groups.pop(key), key=_DATE))
    return out


def resolve_links(c: Contact, resolve: Resolver, problems: list[Problem]) -> Contact:
    """The contact with ``introduced_by`` and ``knows`` as contact ids; a link to no one is a
    problem (and is dropped)."""
    changes: dict[str, object] = {}
    if c.introduced_by:
        rid = resolve(c.introduced_by)
        if rid is None and not resolve.waits(c.introduced_by):
            problems.append(_unknown_link(c.path, c.key_lines.get("introduced_by", 0),
                                          c.introduced_by))
        changes["introduced_by"] = rid
    if c.knows:
        known = []
        for t in c.knows:
            rid = resolve(t)
            if rid is None:
                if not resolve.waits(t):
                    problems.append(_unknown_link(c.path, c.key_lines.get("knows", 0), t))
            elif rid != c.id and rid not in known:
                known.append(rid)
        changes["knows"] = tuple(known)
    return _with(c, changes) if changes else c


def note_interactions(rec: NoteRecord, owner: str | None, resolve: Resolver,
                      problems: list[Problem]) -> list[Interaction]:
    """The interactions of one note, in line order: with ``owner`` (the note's own contact) and
    everyone its lines link; a journal note's lines are with the people they link.  A person
    note that is not its contact's (``owner`` None: skipped) has none."""
    if rec.kind == "person" and owner is None or not rec.columns:
        return []
    dates, texts, numbers, targets, kinds, gave, got, tags = rec.columns
    rel = rec.rel
    if owner is None:  # a journal note: each line is with the people it links
        out = []
        for k in compress(count(), targets):
            who = _linked(resolve, (), targets[k], numbers[k], rel, problems)
            if who:
                out.append(_interaction(rec.columns, k, rel, who, resolve))
        return out
    # A contact's own log: every line is with the contact.  All of them are made at once, in C,
    # from the columns (tuple.__new__ over zip: no Python call per line, which was most of
    # assemble), and then the lines that link other people are made again.
    alone = (owner,)
    made = list(map(_new_tuple, repeat(Interaction),
                    zip(dates, texts, repeat(rel), numbers, repeat(alone), kinds, gave, got,
                        tags, repeat(None))))
    for k in compress(count(), targets):
        made[k] = _interaction(rec.columns, k, rel,
                               _linked(resolve, alone, targets[k], numbers[k], rel, problems),
                               resolve)
    return made


def _interaction(columns: tuple[tuple[Any, ...], ...], k: int, rel: str,
                 who: tuple[str, ...], resolve: Resolver) -> Interaction:
    """Line ``k`` of a note's columns as an Interaction with ``who``, made in C (see
    model.Interaction)."""
    dates, texts, numbers, _, kinds, gave, got, tags = columns
    credit = None
    if (gave[k] or got[k]) and len(who) > 1:
        named = _CREDITED.search(texts[k])
        rid = resolve(named.group(1).strip()) if named else None
        credit = rid if rid in who else who[0]
    return _new_tuple(Interaction, (dates[k], texts[k], rel, numbers[k], who, kinds[k], gave[k],
                                    got[k], tags[k], credit))


# `#gave [[bob]]`: the link right after the tag names who a #gave/#got counts for
_CREDITED = re.compile(r"(?<![\w&/])#(?:gave|got)\s+\[\[([^\[\]|#]+)(?:[#|][^\[\]]*)?\]\]",
                       re.IGNORECASE)


def _linked(resolve: Resolver, alone: tuple[str, ...], targets: tuple[str, ...], line: int,
            rel: str, problems: list[Problem]) -> tuple[str, ...]:
    """The people of a log line: ``alone`` (the note's own contact, if any) and everyone its
    ``[[links]]`` (``targets``) name; a link to no one is a problem."""
    if not targets:
        return alone
    people = list(alone)
    for t in targets:
        soft = t[:1] == "?"  # a mention in an adopted vault's meeting note (_mentions)
        rid = resolve(t[1:] if soft else t)
        if rid is None:
            if not soft and not resolve.waits(t):
                problems.append(_unknown_link(rel, line, t))
        elif rid not in people:
            people.append(rid)
    return tuple(people)


def _with(c: Contact, changes: dict[str, object]) -> Contact:
    """``dataclasses.replace`` without re-running ``__init__``: the same frozen contact with a few
    fields changed (7x cheaper, and it runs for most contacts of a big vault on every load)."""
    new = object.__new__(Contact)
    new.__dict__.update(c.__dict__)
    new.__dict__.update(changes)
    return new


def _skipped_for_conflict(rec: NoteRecord) -> list[Problem]:
    """One line on a person note skipped for a merge conflict: its markers are each an error,
    and this says once what they cost (links to it are quiet until then: Resolver.waits)."""
    lines = [p.source.line for p in rec.problems if p.code == "merge-conflict"]
    if not lines:
        return []
    return [Problem(Source(rec.rel, min(lines)), "warning", "skipped-conflict",
                    "skipped: unresolved conflict, so this contact and the links to it are left "
                    "out of every report until it is resolved",
                    "keep the right lines and delete the markers, then run netnotes check")]


def _unknown_link(path: str, line: int, target: str) -> Problem:
    return Problem(Source(path, line), "warning", "unknown-link",
                   f"[[{target}]] does not name a contact",
                   f"create people/{slugify(target)}.md, or fix the link")


def read_one(note: NoteFile, config: Config) -> tuple[NoteRecord, bytes | None]:
    """Read and parse one file; an unreadable file is a record with its problem (and no bytes,
    so it is never cached)."""
    try:
        data = read_note_bytes(note)
    except OSError as exc:
        problem = Problem(Source(note.rel), "error", "unreadable", f"cannot read: {exc.strerror}")
        return NoteRecord(note.rel, note.kind, None, (), (problem,)), None
    return read_note(data, note, config), data


