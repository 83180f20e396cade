"""Edits of a note's body: a new dated log line under its log heading, and Dataview inline fields
(``key:: value``) changed in place — the bytes of a note and one change in, the new bytes out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from netnotes.edit.changes import Doc, EditRefused, doc_of, line_end, parse_ok
from netnotes.edit.yamlvalue import (
    BadValue,
    check_text,
)
from netnotes.vault import (
    BULLET,
    HEADING,
    LogLine,
    RawNote,
    inline_fields,
    outside_fences,
    parse_note,
    scan,
)


def log_text(text: str, *, gave: bool = False, got: bool = False,
             with_ids: Sequence[str] = ()) -> str:
    """The text of a log line: one line, links to the other people, and #gave/#got."""
    words = " ".join(check_text(text, "log text").split())
    if not words:
        raise BadValue("the log text is empty — say what happened, e.g. \"coffee at the café\"")
    if any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in words):
        raise BadValue("the log text contains control characters")
    links = [f"[[{i}]]" for i in with_ids if f"[[{i}]]" not in words]
    if links:
        words += " with " + ", ".join(links)
    for tag, on in (("#gave", gave), ("#got", got)):
        if on and tag not in words.split():
            words += " " + tag
    return words


def add_log_line(data: bytes, day: dt.date, text: str, *,
                 headings: Iterable[str] = ("log", "interactions"), heading: str = "Log",
                 path: str = "note.md") -> bytes:
    """Add ``- YYYY-MM-DD text`` to the note's log section at its place in date order (newest
    last; after the lines of the same day), so that logs written on two machines merge cleanly.
    A missing section is created as ``## Log`` at the end of the note."""
    raw = parse_ok(data, path)
    doc = doc_of(data, path)
    heads = {h.casefold() for h in headings}
    first = raw.body_line - 1  # 0-based file line where the body starts
    section, section_end = None, len(doc.starts)
    body_lines = (doc.line(i) for i in range(first, len(doc.starts)))
    for offset, line in outside_fences(body_lines):
        i = first + offset
        h = HEADING.match(line)
        if h:
            if section is not None:
                section_end = i
                break
            if h.group(2).strip().strip("*_").casefold() in heads:
                section = i
    entry = f"{day.isoformat()} {text}"
    found = None
    if section is None:
        body = doc.text
        sep = "" if not body or body.endswith(("\n", "\r")) else doc.newline
        last = doc.line(len(doc.starts) - 1) if sep else doc.line(max(len(doc.starts) - 2, 0))
        blank = "" if not last.strip() else doc.newline
        new = doc.splice(len(body), len(body),
                         f"{sep}{blank}## {heading}{doc.newline}- {entry}{doc.newline}")
    else:
        found, _ = scan(raw.body, path, raw.body_line, log_headings=None)
        dated = [ln for ln in found if section + 1 < ln.line <= section_end]
        before = [ln for ln in dated if ln.date <= day]
        if before:
            anchor = before[-1].line - 1
            prefix = _bullet_prefix(doc.line(anchor))
            indent = len(doc.line(anchor)) - len(doc.line(anchor).lstrip())
            end = anchor + 1
            while end < section_end and doc.line(end).strip() and \
                    len(doc.line(end)) - len(doc.line(end).lstrip()) > indent:
                end += 1
            new = _insert_after(doc, end - 1, prefix + entry)
        elif dated:
            target = dated[0].line - 1
            prefix = _bullet_prefix(doc.line(target))
            at = doc.starts[target]
            new = doc.splice(at, at, prefix + entry + doc.newline)
        else:
            anchor = section
            for i in range(section + 1, section_end):
                if doc.line(i).strip():
                    anchor = i
            new = _insert_after(doc, anchor, "- " + entry)
    return _verify_log(new, path, raw, day, entry, found)


def _verify_log(new: bytes, path: str, before: RawNote, day: dt.date, entry: str,
                old: list[LogLine] | None = None) -> bytes:
    """The front matter is untouched and the log now has exactly one more line: this one.
    ``old`` is the scan of the note before, when the caller has it (a long log is scanned once
    each side, not twice)."""
    raw = parse_note(new, path)
    if old is None:
        old, _ = scan(before.body, path, before.body_line, log_headings=None)
    now, _ = scan(raw.body, path, raw.body_line, log_headings=None)
    want, _ = scan(f"- {entry}", path, 1, log_headings=None)
    ok = (not [p for p in raw.problems if p.severity == "error"] and raw.meta == before.meta
          and len(now) == len(old) + 1 and len(want) == 1
          and any(ln.date == day and ln.text == want[0].text for ln in now))
    if not ok:
        raise EditRefused(f"{path}: netnotes could not add the log line safely; nothing was "
                          "written — add it by hand")
    return new


def _bullet_prefix(line: str) -> str:
    m = BULLET.match(line)
    if not m:
        return "- "
    return f"{m.group(1)}{m.group(2)} "


def _insert_after(doc: Doc, line: int, text: str) -> bytes:
    at = doc.after(line)
    if at == len(doc.text) and not line_end(doc, line):
        return doc.splice(at, at, doc.newline + text)  # the file had no final newline: keep so
    return doc.splice(at, at, text + doc.newline)


def _inline(raw: RawNote) -> list[tuple[str, str]]:
    return [(f.key, f.value) for f in inline_fields(raw.body, raw.body_line)]


def _inline_change(data: bytes, key: str, path: str, value: str | None) -> bytes:
    """The note with the first inline field ``key:: …`` given ``value`` (only the value's
    characters change: the key, its bullet or bold, the spaces and the line ending stay), or
    its line removed (``value`` None).  Checked by reading the result back."""
    raw = parse_ok(data, path)
    fields = list(inline_fields(raw.body, raw.body_line))
    at = next((i for i, f in enumerate(fields) if f.key == key), None)
    if at is None:
        if value is None:
            return data
        raise EditRefused(f"{path}: no inline field {key}:: to change")
    field = fields[at]
    doc = doc_of(data, path)
    start = doc.starts[field.line - 1]
    want = _inline(raw)
    if value is None:
        new = doc.splice(start, doc.after(field.line - 1), "")
        del want[at]
    else:
        if field.value == value:
            return data
        new = doc.splice(start + field.start, start + field.end, value)
        want[at] = (key, value)
    after = parse_note(new, path)
    if after.meta != raw.meta or _inline(after) != want or \
            [p for p in after.problems if p.severity == "error"]:
        raise EditRefused(f"{path}: netnotes could not change {key}:: safely; nothing was "
                          "written — edit the note by hand")
    return new


def set_inline(data: bytes, key: str, value: str, *, path: str = "note.md") -> bytes:
    """Give the inline field ``key:: …`` (its first line) this value, in place."""
    text = " ".join(check_text(value, key).split())
    if not text or any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in text):
        raise BadValue(f"{key}: an inline field takes one line of text")
    return _inline_change(data, key, path, text)


def unset_inline(data: bytes, key: str, *, path: str = "note.md") -> bytes:
    """Remove the line of the inline field ``key:: …``."""
    return _inline_change(data, key, path, None)
