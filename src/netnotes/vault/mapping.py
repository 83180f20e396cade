"""An adopted vault's own keys → ours: the ``[fields]`` map of netnotes.toml applied to one note.

People who already keep person notes (in Obsidian and the like) have their own key names
(``organization``, ``title``, ``first_name`` + ``last_name``), Dataview inline fields in the body
(``last_contact:: 2026-03-01``) and often a ``# Heading`` instead of a name.  Renaming them would
break their other tools, so netnotes reads them through the map instead: this module turns the
parsed note into the note our field readers expect (netnotes.edit.notes writes an edit of one of
our fields under their key).  Pure: a RawNote and the map in, a new RawNote out.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from netnotes.core import FieldMap, Problem, Source, parse_date
from netnotes.vault.parse import KeySpan, RawNote

# `key:: value`, alone on its line or as a list item, the key optionally in bold (Dataview's
# inline fields; `[key:: value]` inside running text is left alone).
INLINE_FIELD = re.compile(
    r"^(?P<lead>[ \t]*(?:[-*+][ \t]+)?(?:\*\*)?)(?P<key>[A-Za-z_][\w -]*?)(?:\*\*)?::"
    r"(?P<gap>[ \t]*)(?P<value>.*?)[ \t]*$")
FENCE = re.compile(r"^\s*(```|~~~)")
_TITLE = re.compile(r"^#[ \t]+(.+?)[ \t]*#*[ \t]*$")
# Our fields that hold one value: a list their vault keeps there gives its first item.
SCALAR_FIELDS = frozenset({"name", "tier", "cadence", "snooze_until", "company", "role", "field",
                           "location", "agenda", "birthday", "met", "met_via", "introduced_by",
                           "last_contact", "date"})

# Our one-value fields whose value an Obsidian vault often writes as a link to another note
# (`[[Acme Corp]]`, `[[2026-03-01]]` for a daily note): read as the link's text.
LINKED_TEXT = SCALAR_FIELDS - {"name", "tier", "cadence", "introduced_by"}
_LINK = re.compile(r"\[\[([^\[\]|#]+)(?:#[^\[\]|]*)?(?:\|([^\[\]]+))?\]\]")


@dataclass(frozen=True)
class InlineField:
    """One ``key:: value`` line of a body: its file line (1-based), where the value starts and
    ends in that line (0-based columns), and the value as written."""

    key: str
    line: int
    start: int
    end: int
    value: str


def inline_fields(body: str, body_line: int) -> Iterator[InlineField]:
    """The Dataview inline fields of a body that starts on file line ``body_line``, outside
    fenced code blocks."""
    if "::" not in body:
        return
    in_fence = False
    for offset, line in enumerate(body.split("\n")):
        if FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence or "::" not in line:
            continue
        m = INLINE_FIELD.match(line)
        if m and m.group("key").strip():
            yield InlineField(m.group("key").strip(), body_line + offset, m.start("value"),
                              m.end("value"), m.group("value"))


def first_title(body: str) -> str:
    """The text of the body's first ``# Heading`` (level one), outside code blocks."""
    in_fence = False
    for line in body.split("\n"):
        if FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence and line.startswith("# "):
            m = _TITLE.match(line)
            if m:
                return m.group(1).strip()
    return ""


def empty(value: Any) -> bool:
    """No value: nothing, empty text, or a list of nothing (a template's `- `)."""
    if value is None or value == "":
        return True
    if isinstance(value, list):
        return all(empty(v) for v in value)
    return False


def is_template(raw: RawNote) -> bool:
    """A note whose front matter has keys but no value beyond its tags: a template
    (``Person.md``), not a person — read, it would be a contact called after its ``# Person``
    heading."""
    return len(raw.meta) > 1 and all(empty(v) for k, v in raw.meta.items() if k != "tags")


def _one(value: Any) -> Any:
    """A list where we keep one value (``organizations: [acme]``): its first item."""
    if isinstance(value, list):
        items = [v for v in value if not empty(v)]
        return items[0] if items else None
    return value


def _as_text(value: Any) -> str:
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        return str(value).strip()
    return ""


@dataclass(frozen=True)
class Mapped:
    """A person note read through the map: the note with our keys, the interaction its
    ``last_contact`` gives (date, line, key), and the problems found while mapping."""

    raw: RawNote
    last_contact: tuple[dt.date, int, str] | None
    problems: tuple[Problem, ...]
    template: bool = False


def map_note(raw: RawNote, fields: FieldMap) -> Mapped:
    """The note as our field readers expect it: inline fields joined to the front matter (the
    front matter wins), each mapped key moved to our name, ``first_name`` + ``last_name`` joined
    into ``name`` and, if asked, the first ``# Heading`` as the name of a note without one.

    Their keys are moved, not copied, so that ``show`` lists each value once; the keys we do
    not map stay as the note's own fields."""
    if is_template(raw):
        return Mapped(raw, None, (Problem(Source(raw.path, 1), "warning", "template",
                                          "every field is empty: a template, not a contact",
                                          "move it out of the people folder, or fill it in"),),
                      template=True)
    meta = dict(raw.meta)
    keys = dict(raw.keys)
    for f in inline_fields(raw.body, raw.body_line):
        if f.key not in meta:
            meta[f.key] = f.value or None
            keys[f.key] = KeySpan(f.line, 1, f.line, f.line, f.start + 1)
    problems: list[Problem] = []
    origin: dict[str, str] = {}  # our field -> the key of the note it was read from
    for ours, theirs in fields.keys:
        if ours in ("people", "date"):  # a meeting note's keys (index._journal_front_matter)
            continue
        if ours == "name" and len(theirs) > 1:
            parts = [_as_text(_one(meta.get(k))) for k in theirs]
            if any(parts):
                meta["name"] = " ".join(p for p in parts if p)
                keys["name"] = keys.get(next(k for k, p in zip(theirs, parts, strict=True)
                                             if p), keys.get("name", KeySpan(1, 1, 1)))
                for k in theirs:
                    meta.pop(k, None)
            continue
        for k in theirs if ours in theirs else (*theirs, ours):  # the first with a value
            if empty(meta.get(k)):
                continue
            origin[ours] = k
            if k != ours:
                value = meta.pop(k)
                meta[ours] = _one(value) if ours in SCALAR_FIELDS else value
                if k in keys:
                    keys[ours] = keys[k]
            break
    for ours in LINKED_TEXT:  # `organization: "[[Acme Corp]]"`: a link to the company's note
        value = meta.get(ours)
        if isinstance(value, str) and "[[" in value:
            meta[ours] = _LINK.sub(lambda m: m.group(2) or m.group(1), value).strip()
    if fields.name_from_heading and empty(meta.get("name")) and not any(
            _as_text(meta.get(k)) for k in ("first_name", "last_name")):
        title = first_title(raw.body)
        if title:
            meta["name"] = title
    last = None
    if not empty(meta.get("last_contact")):
        value = meta.pop("last_contact")
        span = keys.get("last_contact")
        line = span.line if span else 1
        try:
            last = (parse_date(value), line, origin.get("last_contact", "last_contact"))
        except ValueError as exc:
            problems.append(Problem(Source(raw.path, line), "error", "bad-value",
                                    f"last_contact: {exc}", "write it as YYYY-MM-DD"))
    elif "last_contact" in meta:
        meta.pop("last_contact")
    return Mapped(replace(raw, meta=meta, keys=keys), last, tuple(problems))

