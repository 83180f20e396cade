"""Redaction for sharing: a contact reduced to what a report may show when only figures are asked.

One rule serves every output that offers ``--redact`` (exports, reports, ``show``, ``watch``),
so that "redacted" means the same everywhere: ``KEPT`` names the few fields of a contact that
stay (categories, settings and dates: tier, cadence, field, tags, interests, when you met, a
snooze); names become initials; ids and paths, derived from names, a stable pseudonym; every
other field is dropped — company, role, emails, phones, links, addresses, birthdays, aliases,
agendas, how you met, career moves, unknown fields, and any field a later version adds.
``redact_contact`` applies it to a contact (the exports), ``Redactor`` to a view model (reports,
``show``, ``watch``).  Pure: no I/O.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import re
from dataclasses import replace
from typing import Any

from netnotes.core import Contact

# The rule (docs/privacy.md, "Sharing a report"): of a contact's fields, these stay.
KEPT = frozenset({"tier", "cadence", "cadence_from_note", "snooze_until", "field", "tags",
                  "interests", "met"})
_RENAMED = frozenset({"id", "name", "path"})  # initials and a pseudonym (redact_contact)
_DROPPED = tuple(f for f in dataclasses.fields(Contact) if f.name not in KEPT | _RENAMED)


def initials(name: str) -> str:
    """``"Ada King Lovelace"`` → ``"A. K. L."``; a name without letters stays ``"?"``."""
    letters = [w[0].upper() for w in name.split() if w[:1].isalnum()]
    return " ".join(f"{ch}." for ch in letters) or "?"


def pseudonym(contact_id: str) -> str:
    """A stable stand-in for an id (which is made from the name): ``c-3f2a9b1c``."""
    return "c-" + hashlib.sha256(contact_id.encode("utf-8")).hexdigest()[:8]


def _empty(f: dataclasses.Field[Any]) -> Any:
    """A dropped field's value: its default (nothing), as a contact without it has."""
    factory = f.default_factory
    return factory() if factory is not dataclasses.MISSING else f.default


def redact_contact(c: Contact) -> Contact:
    """The contact with nothing that identifies or describes the person beyond the figures:
    only the ``KEPT`` fields stay, the name as initials, the id and path a pseudonym."""
    pid = pseudonym(c.id)
    return replace(c, id=pid, name=initials(c.name), path=f"{pid}.md",
                   **{f.name: _empty(f) for f in _DROPPED})


# --- reports and `show`: the view model, redacted -------------------------------------------

# Text written by the user (log lines, agendas, reasons quoting them), and what locates or
# identifies a person beyond a name: dropped, the key kept so every template still renders.  A
# contact's dropped text fields (company, role, location …) by the rule above; the rest are
# the view's own keys for what they say (a career move's companies and roles, how you met).
_TEXT = frozenset({"text", "plain", "prompt", "reason", "why", "title", "source", "path",
                   "from_company", "to_company", "from_role", "to_role", "met_via",
                   "introduced_by"} | {f.name for f in _DROPPED if f.default == ""})
_EMPTY: dict[str, object] = {"career_moves": [], "birthdays": [], "extra": {}, "problems": [],
                             "aliases": [], "emails": [], "phones": [], "links": [], "top": [],
                             "skipped": [], "birthday_next": None, "birthday": None}
# What `show` may keep of a contact's fields: the rule's (categories and settings, no text).
_FIELDS = KEPT


_RUN = re.compile(r"\w+")


class Redactor:
    """Redacts a report's or a contact's view model (the dict the templates and ``--format
    json`` get), for ``--redact``: every name becomes initials, every id (made from a name) a
    pseudonym, wherever either appears; emails, phones, addresses, birthdays, free text and log
    text are dropped; the figures (counts, dates, strengths, tiers, trends) stay.  The same rules
    as ``redact_contact``, applied to what a report shows."""

    def __init__(self, names: dict[str, str], owner: str = "") -> None:
        self.ids = {cid: pseudonym(cid) for cid in names}
        self.initials = {name: initials(name) for name in names.values() if name}
        if owner:
            self.initials[owner] = initials(owner)
        self._words = sorted({*self.initials, *self.ids}, key=len, reverse=True)
        # Each name's and id's first run of word characters.  The pattern below finds a name or
        # id only as a whole word ((?<!\w) and (?!\w)), so a string holds one only where it
        # holds that run as one of its own runs: a string with none of them (nearly every
        # string of a report) is left as it is without being searched.  Searching every string
        # with one alternative per contact took 15 s of a redacted report at 10,000 contacts.
        firsts = [_RUN.search(w) for w in self._words]
        self._firsts = frozenset(m.group() for m in firsts if m is not None)
        self._search_all = any(m is None for m in firsts)  # a name with no letter or digit
        self._done: dict[int, Any] = {}  # a view model shares (and nests) its parts

    @functools.cached_property
    def _any(self) -> re.Pattern[str]:
        """Every name and id as a whole word, the longest first (compiled on first need: it
        takes a second at 10,000 contacts)."""
        return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, self._words)) + r")(?!\w)")

    def text(self, value: str) -> str:
        """A string that stays: an id becomes its pseudonym, any name or id inside it too."""
        if value in self.ids:
            return self.ids[value]
        if not self._words or (not self._search_all
                               and self._firsts.isdisjoint(_RUN.findall(value))):
            return value
        return self._any.sub(lambda m: self.initials.get(m.group()) or self.ids[m.group()],
                             value)

    def key(self, k: Any) -> Any:
        return self.ids.get(k, k) if isinstance(k, str) else k

    def __call__(self, value: Any, key: str = "") -> Any:
        if key in _EMPTY:
            return _EMPTY[key] if value is not None else None
        if isinstance(value, dict | list | tuple):
            done = self._done.get(id(value))
            if done is not None:
                return done
        if isinstance(value, dict):
            if key == "note_href":  # links to the note files: their names are names
                return {self.key(k): "#" for k in value}
            out: dict[Any, Any] = {}
            self._done[id(value)] = out
            for k, v in value.items():
                if key != "fields" or k in _FIELDS:
                    out[self.key(k)] = self(v, k)
            # What a reason or a log line said, as its kind ("cooling", "coffee") instead.
            if isinstance(value.get("kind"), str):
                for said in ("text", "prompt"):
                    if said in out:
                        out[said] = value["kind"]
            reasons = value.get("reasons")
            if "reason" in out and isinstance(reasons, list) and reasons \
                    and isinstance(reasons[0], dict):
                out["reason"] = reasons[0].get("kind") or ""
            return out
        if isinstance(value, list | tuple):
            if key == "reasons" and value and all(isinstance(v, str) for v in value):
                return []  # an introduction's reasons in words quote agendas
            items: list[Any] = []
            self._done[id(value)] = items
            items.extend(self(v, "" if isinstance(v, dict) else key) for v in value)
            return items
        if isinstance(value, str):
            if key in _TEXT:
                return ""
            if key in ("name", "owner"):
                return self.initials.get(value) or initials(value)
            return self.text(value)
        return value


def redact_view(data: dict[str, Any], names: dict[str, str], owner: str = "") -> dict[str, Any]:
    """``data`` (a report's or ``show``'s view model) redacted: see Redactor.  ``names`` maps
    every contact id of the vault to its name; ``owner`` is the vault owner's name."""
    return Redactor(names, owner)(data)
