"""The note of a newly imported person, written value by value.

The editor (netnotes.edit) proves every value it writes reads back, by loading it with three
YAML loaders; that costs about a millisecond a value, too much for 10,000 people at once.  Here
the values most people have are written the way every loader reads them as text, only the rest
take the editor's way, and the importer reads each whole note back once.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from netnotes.core import FieldMap
from netnotes.edit import yamlvalue
from netnotes.interop.records import CONNECTED, LISTS, Person


def front_matter(p: Person, tier: str, snooze: dt.date | None) -> list[tuple[str, Any]]:
    """(our key, value) of each field a new note gets, in the order they are written."""
    fm: list[tuple[str, Any]] = [("name", p.name), ("tier", tier)]
    for key in ("company", "role", "location"):
        if getattr(p, key):
            fm.append((key, getattr(p, key)))
    for key in LISTS:
        if getattr(p, key):
            fm.append((key, list(getattr(p, key))))
    if p.birthday:
        fm.append(("birthday", dt.date.fromisoformat(p.birthday)
                   if not p.birthday.startswith("--") else p.birthday))
    if p.birthday_text:
        fm.append(("birthday_text", p.birthday_text))
    if snooze is not None:
        fm.append(("snooze_until", snooze))
    return fm


def their_key(fields: FieldMap, key: str) -> str:
    """The key an adopted vault writes our field ``key`` under (its first one; a name made of
    parts, such as first_name + last_name, is written as ``name``, which it also reads)."""
    theirs = fields.theirs(key)
    return theirs[0] if len(theirs) == 1 or (theirs and key != "name") else key


def new_note(p: Person, tier: str, snooze: dt.date | None, *, fields: FieldMap | None = None,
             newline: str = "\n") -> bytes:
    """The note of a newly imported person: its front matter value by value (in an adopted
    vault's own keys), a ``## Notes`` section for the free text, and the ``## Log`` with the
    connection line, if any."""
    fields = fields or FieldMap()
    lines = ["---", *(f"{their_key(fields, k)}: {_render(v)}"
                      for k, v in front_matter(p, tier, snooze)), "---", ""]
    if p.note:
        lines += ["## Notes", "", *(_inert(ln) for ln in p.note.split("\n")), ""]
    lines.append("## Log")
    if p.connected_on:
        lines.append(f"- {p.connected_on.isoformat()} {CONNECTED} {p.connected_via}")
    return (newline.join(lines) + newline).encode("utf-8")


_PLAIN = re.compile(r"[^\W\d_][\w .'&()@/+-]*", re.UNICODE)
# One-line text that YAML reads as written between single quotes (no control characters, line
# or paragraph separators, BOM, non-characters or lone surrogates).
_QUOTABLE = re.compile("[^\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]+")
_WORDS = frozenset({"yes", "no", "true", "false", "on", "off", "null", "y", "n"})


def _render(value: Any) -> str:
    """``yamlvalue.render_value`` with a shortcut for what most imported values are.

    The editor proves each value reads back by loading it with three YAML loaders (about 1 ms a
    value, 80 s for 10,000 people); here a value made of letters, digits, spaces and ``.'&()@/+-``
    that starts with a letter and is not a YAML 1.1 word (yes, off, null…) is plain text to every
    loader, and any other one-line printable text is single-quoted, which YAML reads as written.
    Only the rest takes the editor's way.  The whole note is read back once anyway (``_create``).
    """
    if isinstance(value, list):
        return "[" + ", ".join(_render_item(v) for v in value) + "]"
    if isinstance(value, str):
        return _render_item(value)
    return yamlvalue.render_value(value)


def _render_item(value: str) -> str:
    if _PLAIN.fullmatch(value) and value[-1] != " " and value.casefold() not in _WORDS:
        return value
    if value and value == value.strip() and _QUOTABLE.fullmatch(value):
        return "'" + value.replace("'", "''") + "'"
    return yamlvalue.render_value(value, flow=True)


def _inert(line: str) -> str:
    """A line of imported free text that cannot become a heading, a code fence or a log line."""
    s = line.lstrip()
    if s.startswith(("#", "```", "~~~", "---")) or (s[:1] in "-*+" and s[1:2].isspace()):
        return "\\" + line if s == line else line[: len(line) - len(s)] + "\\" + s
    return line
