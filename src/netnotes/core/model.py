"""The model: small frozen dataclasses for contacts, interactions and the vault.  No I/O, no clock.

The last contact date is never stored in a note; it is always derived from the interactions here,
because a stored date goes stale and rewriting it in every note makes git conflicts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, fields
from dataclasses import field as dc_field
from functools import cached_property
from pathlib import Path
from typing import Any, NamedTuple

from netnotes.core.config import Config
from netnotes.core.dates import Birthday, Duration
from netnotes.core.errors import Problem, Source
from netnotes.core.kinds import DEFAULT_WEIGHT as DEFAULT_WEIGHT  # kinds moved to core.kinds
from netnotes.core.kinds import KIND_WEIGHTS as KIND_WEIGHTS
from netnotes.core.kinds import KINDS as KINDS
from netnotes.core.kinds import RECORD_KINDS as RECORD_KINDS
from netnotes.core.names import fold

# The newest interactions a view of one contact lists (show, the HTML report's card with --all);
# the rest are counted, never listed, so one note of 80,000 log lines cannot make a view huge.
HISTORY_LISTED = 100
# The front-matter keys whose line a problem may point at: claimed twice or dated in the future
# (checks), and links to contacts that do not exist (index.assemble).
LINE_KEYS = frozenset({"name", "first_name", "email", "emails", "met", "birthday",
                       "introduced_by", "knows"})


class _InteractionFields(NamedTuple):
    date: dt.date
    text: str
    path: str  # where the line is: the vault-relative path of its note …
    line: int  # … and the 1-based line in it
    people: tuple[str, ...] = ()
    kind: str | None = None
    gave: bool = False
    got: bool = False
    tags: tuple[str, ...] = ()
    credit: str | None = None  # who a #gave/#got of a line naming several people counts for


class Interaction(_InteractionFields):
    """One dated thing that happened between the owner and one or more contacts.

    ``people`` are contact ids: the note's own contact for a line in a person's log, plus everyone
    linked as ``[[id]]`` in the line.  ``gave``/``got`` come from ``#gave`` and ``#got``, and on
    a line naming several people they count once, for ``credit``: the person named right after
    the tag (``#gave [[bob]]``), else the first person of ``people`` (the note's own contact; in
    the journal, the first one linked).  ``credit`` is None on a line with one person.

    A tuple underneath, because a big vault holds millions of them: ``assemble`` builds each with
    one C call (``tuple.__new__(Interaction, fields)``, 8x faster than a dataclass ``__init__``),
    it is 40 bytes smaller than a slotted object with its own Source, and its fields read as
    fast as slots.  ``source`` is made from ``path`` and ``line`` when asked for.
    """

    __slots__ = ()

    def __new__(cls, date: dt.date, text: str, source: Source,  # type: ignore[misc]
                people: tuple[str, ...] = (), kind: str | None = None, gave: bool = False,
                got: bool = False, tags: tuple[str, ...] = (), credit: str | None = None
                ) -> Interaction:
        if credit is None and (gave or got) and len(people) > 1:
            credit = people[0]
        return tuple.__new__(cls, (date, text, source.path, source.line, people, kind, gave,
                                   got, tags, credit))

    def __reduce__(self) -> tuple[Any, ...]:
        return (tuple.__new__, (Interaction, tuple(self)))  # rebuilt in C, like assemble does

    @property
    def source(self) -> Source:
        return Source(self.path, self.line)

    @property
    def weight(self) -> float:
        return KIND_WEIGHTS.get(self.kind or "", DEFAULT_WEIGHT)

    def sort_key(self) -> tuple[dt.date, str, int]:
        return (self.date, self.path, self.line)


@dataclass(frozen=True)
class CareerStep:
    """A past position (from a ``history:`` list, or from the note's git history)."""

    company: str
    role: str
    until: dt.date | None = None
    since: dt.date | None = None


@dataclass(frozen=True)
class Contact:
    id: str
    name: str
    path: str
    tier: str
    cadence: Duration | None
    cadence_from_note: bool = False
    aliases: tuple[str, ...] = ()
    snooze_until: dt.date | None = None
    company: str = ""
    role: str = ""
    field: str = ""
    location: str = ""
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    links: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    interests: tuple[str, ...] = ()
    agenda: str = ""
    birthday: Birthday | None = None
    met: dt.date | None = None
    met_how: str = ""
    introduced_by: str | None = None
    knows: tuple[str, ...] = ()
    history: tuple[CareerStep, ...] = ()
    extra: Mapping[str, Any] = dc_field(default_factory=dict, compare=False)
    # front-matter key -> its line in the note, so vault-wide checks and link problems can point
    # at the value; only the LINE_KEYS are kept (every key's line cost a big vault ~1 KB a note)
    key_lines: Mapping[str, int] = dc_field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        _share(self.__dict__)

    @cached_property
    def folded_names(self) -> tuple[str, ...]:
        return (fold(self.name), *(fold(a) for a in self.aliases))

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled (for the index) as its values in field order: without the 27 field names
        each cached contact is half the bytes and unpickles faster."""
        return (_contact, (tuple(map(self.__dict__.__getitem__, _CONTACT_FIELDS)),))


_CONTACT_FIELDS = tuple(f.name for f in fields(Contact))
# Values many contacts share (a tier, its cadence, a company, a city, how you met, a set of
# tags, a birthday): one object each, however many notes name it, rather than one per contact
# as parsed or unpickled; so are the keys of ``key_lines`` (together a third of a loaded
# contact's strings; the model of 10,000 generated contacts: 94 -> 84 MB).  A free-text field
# (name, agenda, email) is left alone: a value only one contact has would cost a slot here and
# save nothing; so are the keys of ``extra`` (YAML's `1:` and `true:` are equal keys, and
# telling them apart costs more than their strings).
_SHARED_FIELDS = ("tier", "cadence", "company", "role", "field", "location", "met_how",
                  "tags", "interests", "birthday", "met")
_shared: dict[Any, Any] = {}
_LINE_KEY = {k: k for k in LINE_KEYS}  # each key of key_lines as one string


def _share(state: dict[str, Any]) -> None:
    """Make a new contact's ``state`` (its ``__dict__``) use the shared values (see above), and
    keep only the LINE_KEYS of ``key_lines``: the one place both ways of making a contact (its
    ``__init__`` for a parsed note, ``_contact`` for a cached one) go through."""
    share = _shared.setdefault
    for name in _SHARED_FIELDS:
        value = state[name]
        try:
            state[name] = share(value, value)
        except TypeError:  # a value that cannot be shared (a list a script passed): its own
            pass
    lines = state["key_lines"]
    if lines:
        key = _LINE_KEY.get
        state["key_lines"] = {key(k): line for k, line in lines.items() if k in _LINE_KEY}


def _contact(values: tuple[Any, ...]) -> Contact:
    """A Contact from its pickled form, without running ``__init__`` (it ran when the note was
    parsed)."""
    c = object.__new__(Contact)
    state = c.__dict__
    state.update(zip(_CONTACT_FIELDS, values, strict=True))
    _share(state)
    return c


class Grouped(NamedTuple):
    """A vault's interactions by contact id and by note path, each list in the vault's
    (Interaction.sort_key) order."""

    by_person: Mapping[str, tuple[Interaction, ...]]
    by_note: Mapping[str, tuple[Interaction, ...]]


@dataclass(frozen=True)
class Vault:
    """Everything the analysis needs, read from one folder at one moment."""

    root: Path
    config: Config
    contacts: tuple[Contact, ...]
    interactions: tuple[Interaction, ...]  # in Interaction.sort_key order (assemble sorts them)
    problems: tuple[Problem, ...] = ()
    notes_read: int = 0
    skipped: tuple[str, ...] = ()  # person notes that could not be read as a contact
    # Each contact's and each note's share of ``interactions`` (in the vault's order), when
    # index.assemble grouped them as it made them; else worked out here on first use.
    grouped: Grouped | None = dc_field(default=None, compare=False, repr=False)

    @cached_property
    def by_id(self) -> dict[str, Contact]:
        return {c.id: c for c in self.contacts}

    @cached_property
    def _by_person(self) -> Mapping[str, tuple[Interaction, ...]]:
        """Each contact's share of ``interactions``: taken in the vault's order, which is already
        sort_key order, so every list comes out sorted without sorting it again."""
        if self.grouped is not None:
            return self.grouped.by_person
        out: dict[str, list[Interaction]] = {}
        for it in self.interactions:
            for pid in it.people:
                out.setdefault(pid, []).append(it)
        return {k: tuple(v) for k, v in out.items()}

    @cached_property
    def _by_note(self) -> Mapping[str, tuple[Interaction, ...]]:
        if self.grouped is not None:
            return self.grouped.by_note
        out: dict[str, list[Interaction]] = {}
        for it in self.interactions:
            out.setdefault(it.path, []).append(it)
        return {k: tuple(v) for k, v in out.items()}

    def note_by_note(self) -> Iterator[Interaction]:
        """Every interaction, a note at a time: for a pass whose result does not depend on
        the order.  Each note's interactions were made together, so they lie together in
        memory; going through ``interactions`` in date order jumps between notes, which at
        100,000 contacts took five times as long (1.0 s against 0.2 s a pass)."""
        for lines in self._by_note.values():
            yield from lines

    def interactions_in(self, path: str) -> tuple[Interaction, ...]:
        """The interactions one note gives, in the vault's (date) order: per-note figures
        (analyse.note_totals) and what memo.py keeps of each note are made from them."""
        return self._by_note.get(path, ())

    @property
    def note_paths(self) -> list[str]:
        """The notes that give interactions, in path order."""
        return sorted(self._by_note)

    def interactions_of(self, contact_id: str) -> tuple[Interaction, ...]:
        """The contact's interactions, oldest first (plans after today included)."""
        return self._by_person.get(contact_id, ())

    def newest_of(self, contact_id: str, n: int = HISTORY_LISTED) -> list[Interaction]:
        """The contact's ``n`` newest interactions, newest first: what a view lists."""
        found = self._by_person.get(contact_id, ())
        return list(reversed(found[-n:])) if n > 0 else []

    def find(self, query: str) -> list[Contact]:
        """Contacts a person means by ``query``: exact id, then exact name or alias (ignoring case
        and accents), then a unique prefix of an id, name or alias.  Several → ambiguous."""
        if query in self.by_id:
            return [self.by_id[query]]
        q = fold(query)
        if not q:
            return []
        exact = [c for c in self.contacts if q in c.folded_names or q == c.id.casefold()]
        if exact:
            return exact
        prefix = [c for c in self.contacts
                  if c.id.startswith(q) or any(n.startswith(q) for n in c.folded_names)]
        if prefix:
            return prefix
        words = q.split()
        return [c for c in self.contacts
                if all(any(w in n for n in c.folded_names) for w in words)]
