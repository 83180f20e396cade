"""Minimal byte edits of a note: the bytes of a note and one change in, the new bytes out.

Every function here is pure (no files, no clock) and changes only the bytes the change needs: the
YAML is never re-dumped, so comments, key order, quoting, blank lines, the body, a BOM and CRLF line
endings survive byte for byte.  Where a key sits comes from composing the front matter with the
same loader ``parse.py`` uses; every result is parsed again and compared with what the change
promised before it is returned, so an edit that would not read back as intended is refused
instead of written.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
import shlex
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

import yaml

from netnotes.core import NetnotesError, fold
from netnotes.edit.yamlvalue import (
    LINE_BREAK,
    YAML_ONLY_BREAKS,
    BadValue,
    Value,
    as_read,
    render_value,
    yaml_scalar,
)
from netnotes.vault import (
    RawNote,
    decode,
    link,
    note_loader,
    parse_note,
)

# Front-matter keys whose value is a list; --add/--remove work on these.
LIST_KEYS = frozenset({"aliases", "emails", "phones", "links", "tags", "interests", "knows"})
KEY_PATTERN = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
SPACED_KEY = re.compile(r"^[A-Za-z_](?:[A-Za-z0-9_ -]*[A-Za-z0-9_-])?$")


class EditRefused(NetnotesError):
    """The note cannot be edited safely; nothing was changed."""


# ---------------------------------------------------------------------------------------------
# Writing values as YAML, quoted only when they must be


# ---------------------------------------------------------------------------------------------
# The note as text with line geometry


@dataclass
class Doc:
    """The decoded note; offsets are character offsets into ``text`` (terminators kept)."""

    bom: bool
    text: str
    starts: list[int]  # offset where each line starts
    ends: list[int]  # offset where each line's content ends (before its terminator)
    newline: str

    def line(self, i: int) -> str:
        return self.text[self.starts[i] : self.ends[i]]

    def after(self, i: int) -> int:
        """Offset just past line ``i`` and its terminator."""
        return self.starts[i + 1] if i + 1 < len(self.starts) else len(self.text)

    def line_at(self, off: int) -> int:
        return bisect.bisect_right(self.starts, off) - 1

    def splice(self, start: int, end: int, new: str) -> bytes:
        text = self.text[:start] + new + self.text[end:]
        return (b"\xef\xbb\xbf" if self.bom else b"") + text.encode("utf-8")


def doc_of(data: bytes, path: str) -> Doc:
    text, bom, problems = decode(data, path)
    if text is None:
        raise EditRefused("\n".join(str(p) for p in problems))
    starts, ends = [0], []
    for m in LINE_BREAK.finditer(text):
        ends.append(m.start())
        starts.append(m.end())
    ends.append(len(text))
    counts = {nl: text.count(nl) for nl in ("\r\n", "\n", "\r")}
    counts["\n"] -= counts["\r\n"]
    counts["\r"] -= counts["\r\n"]
    newline = max(("\n", "\r\n", "\r"), key=lambda nl: counts[nl])  # ties: "\n" first
    return Doc(bom, text, starts, ends, newline)


def parse_ok(data: bytes, path: str) -> RawNote:
    """Parse a note that is about to be edited, refusing when it has problems an edit could make
    worse: merge-conflict markers, front matter that does not parse, duplicate keys…"""
    raw = parse_note(data, path)
    errors = [p for p in raw.problems if p.severity == "error"]
    if errors:
        listing = "\n".join(f"  {p}" for p in errors)
        fix = shlex.join(["netnotes", "edit", PurePosixPath(path).stem])
        raise EditRefused(f"{path} has problems, so it was not changed:\n{listing}\n"
                          f"fix them (e.g. with `{fix}`), then try again")
    return raw


# ---------------------------------------------------------------------------------------------
# Where each front-matter key and value sit


@dataclass
class _Entry:
    key: str
    node: yaml.Node
    key_start: int
    colon_end: int  # just past the ":" after the key
    value_start: int
    value_end: int  # end of the value's content (comments and blank lines after it excluded)
    empty: bool  # `key:` with nothing after it
    line: int  # 0-based file line of the key
    end_line: int  # 0-based file line where the value's content ends


@dataclass
class _Front:
    doc: Doc
    close_line: int
    entries: dict[str, _Entry]
    indent: str  # what precedes a top-level key (normally nothing)

    def entry(self, key: str, path: str) -> _Entry:
        """The key as written; a key YAML reads differently (``true:``, ``2024-01-01:``) is not
        one we can find, so the edit is refused."""
        found = self.entries.get(key)
        if found is None:
            raise EditRefused(f"{path}: cannot find where {key!r} is written — edit it by hand")
        return found

    @property
    def last_line(self) -> int:
        """The line after which a new key goes: the end of the last key's value."""
        if not self.entries:
            return 0
        return max(e.end_line for e in self.entries.values())


def _front(doc: Doc, path: str) -> _Front:
    lines = len(doc.starts)
    if lines < 2 or doc.line(0).rstrip() != "---":
        raise EditRefused(f"{path}: no front matter — add ---, name: …, --- at the top")
    close = next((i for i in range(1, lines) if doc.line(i).rstrip() in ("---", "...")), None)
    if close is None:
        raise EditRefused(f"{path}: the front matter is never closed with ---")
    yaml_text = "\n".join(doc.line(i) for i in range(1, close))
    if any(ch in yaml_text for ch in YAML_ONLY_BREAKS):
        raise EditRefused(f"{path}: the front matter contains a Unicode line separator "
                          "(U+0085, U+2028 or U+2029) — remove it in your editor first")
    loader = note_loader()(yaml_text)
    try:
        root = loader.get_single_node()
    finally:
        loader.dispose()

    def off(mark: yaml.Mark) -> int:
        return doc.starts[mark.line + 1] + mark.column

    def content_end(node: yaml.Node) -> int:
        if isinstance(node, yaml.SequenceNode) and not node.flow_style and node.value:
            return content_end(node.value[-1])
        if isinstance(node, yaml.MappingNode) and not node.flow_style and node.value:
            return content_end(node.value[-1][1])
        end = off(node.end_mark)
        if isinstance(node, yaml.ScalarNode) and node.style in ("|", ">"):
            start = off(node.start_mark)
            while end > start and doc.text[end - 1] in " \t\r\n":
                end -= 1
        return end

    entries: dict[str, _Entry] = {}
    indent = ""
    if root is not None:
        if not isinstance(root, yaml.MappingNode) or root.flow_style:
            raise EditRefused(f"{path}: the front matter is not written as one `key: value` a "
                              "line — edit it by hand")
        for i, (knode, vnode) in enumerate(root.value):
            kstart, kend = off(knode.start_mark), off(knode.end_mark)
            if i == 0:
                indent = doc.text[doc.starts[knode.start_mark.line + 1] : kstart]
            colon = kend
            while colon < len(doc.text) and doc.text[colon] in " \t":
                colon += 1
            if colon >= len(doc.text) or doc.text[colon] != ":":
                raise EditRefused(f"{path}:{knode.start_mark.line + 2}: unusual key layout — "
                                  "edit this note by hand")
            empty = (isinstance(vnode, yaml.ScalarNode) and vnode.value == ""
                     and not vnode.style and vnode.tag == "tag:yaml.org,2002:null")
            vstart = colon + 1 if empty else off(vnode.start_mark)
            vend = colon + 1 if empty else max(content_end(vnode), vstart)
            line = knode.start_mark.line + 1
            end_line = max(doc.line_at(vend), line)
            if vend == doc.starts[end_line] and end_line > line:
                end_line -= 1
            entries[str(knode.value)] = _Entry(str(knode.value), vnode, kstart, colon + 1,
                                               vstart, vend, empty, line, end_line)
    return _Front(doc, close, entries, indent)


# ---------------------------------------------------------------------------------------------
# Front-matter edits


def _verify(new: bytes, path: str, expect: dict[str, Any], before: RawNote) -> bytes:
    """Parse the result and make sure it says exactly what the change promised."""
    raw = parse_note(new, path)
    bad = [p for p in raw.problems if p.severity == "error"]
    if bad or raw.meta != expect or raw.body != before.body or raw.bom != before.bom:
        detail = str(bad[0]) if bad else "the result would not read back as intended"
        raise EditRefused(f"{path}: netnotes could not make this change safely ({detail}); "
                          "nothing was written — edit the note by hand")
    return new


def check_key(key: str, *, spaced: bool = False) -> str:
    """A key a command may write.  ``spaced`` also allows spaces inside (``First Name``): a key
    an adopted vault already uses, named by its ``[fields]`` map, not one typed at a command."""
    pattern = SPACED_KEY if spaced else KEY_PATTERN
    if not pattern.match(key) or yaml_scalar(key) != key:
        raise BadValue(f"{key!r} is not a usable front-matter key — use letters, digits, _ and -")
    return key


def _item_key(key: str, item: Any) -> str | None:
    """What makes two list items the same: ``#Chess`` = ``chess`` for tags, the link target for
    ``knows``, case- and accent-insensitive text otherwise."""
    if isinstance(item, list | dict) and key != "knows":
        return None
    if key == "knows":
        try:
            target = link(item)
        except ValueError:
            return None
        return fold(target) if target else None
    if item is None:
        return None
    text = str(item)
    if key in ("tags", "interests"):
        text = text.lstrip("#")
    return fold(text)


def _as_items(key: str, value: Any) -> list[Any]:
    """A scalar where a list belongs, read the way fields.py reads it (``a, b`` for tags)."""
    if value is None:
        return []
    if isinstance(value, list):
        return list(value)
    if isinstance(value, str) and key in ("tags", "interests"):
        return [p.strip() for p in value.split(",") if p.strip()]
    return [value]


def set_key(data: bytes, key: str, value: Value | Sequence[Value], *, path: str = "note.md"
            ) -> bytes:
    """Give ``key`` this value.  A scalar replaces the old value where it stands (a trailing
    comment stays); a list value keeps the list's style and comments by removing and adding
    items; a new key goes after the last one."""
    check_key(key, spaced=True)
    raw = parse_ok(data, path)
    if not isinstance(value, str | dt.date):
        items = list(value)
        old = raw.meta.get(key)
        if isinstance(old, list) and key in raw.keys:
            keys = {_item_key(key, as_read(v)) for v in items}
            gone = [o for o in old if _item_key(key, o) not in keys]
            out = remove_items(data, key, gone, path=path) if gone else data
            return add_items(out, key, items, path=path)
    doc = doc_of(data, path)
    front = _front(doc, path)
    expect = dict(raw.meta)
    expect[key] = as_read(value)
    if key in raw.meta and raw.meta[key] == expect[key]:
        return data  # already so, however it is written: a no-op writes nothing
    rendered = render_value(value)
    entry = front.entries.get(key)
    if entry is None:
        at = doc.after(front.last_line)
        new = doc.splice(at, at, f"{front.indent}{key}: {rendered}{doc.newline}")
    elif entry.empty:
        new = doc.splice(entry.colon_end, entry.colon_end, " " + rendered)
    elif isinstance(entry.node, yaml.ScalarNode) and entry.node.style not in ("|", ">"):
        new = doc.splice(entry.value_start, entry.value_end, rendered)
    else:  # a list, mapping or block scalar becomes one line
        new = doc.splice(entry.colon_end, entry.value_end, " " + rendered)
    if new == data:
        return data
    return _verify(new, path, expect, raw)


def replace_key(data: bytes, key: str, entries: Sequence[tuple[str, Value | Sequence[Value]]],
                *, path: str = "note.md") -> bytes:
    """Write ``entries`` (``key: value`` lines, in order) where ``key`` and its value stand: a
    new note's fields under an adopted vault's own names (``name`` as ``first_name`` and
    ``last_name``).  A key of ``entries`` that the note already has is refused."""
    raw = parse_ok(data, path)
    for k, _ in entries:
        check_key(k, spaced=True)
        if k in raw.meta and k != key:
            raise EditRefused(f"{path}: {k} is already there — edit the note by hand")
    doc = doc_of(data, path)
    front = _front(doc, path)
    entry = front.entry(key, path)
    text = doc.newline.join(f"{front.indent}{k}: {render_value(v)}" for k, v in entries)
    new = doc.splice(doc.starts[entry.line], doc.ends[entry.end_line], text)
    expect = {k: v for k, v in raw.meta.items() if k != key}
    expect.update((k, as_read(v)) for k, v in entries)
    return _verify(new, path, expect, raw)


def unset_key(data: bytes, key: str, *, path: str = "note.md") -> bytes:
    """Remove ``key`` and its value (whole lines); a note without the key is returned as is."""
    raw = parse_ok(data, path)
    if key not in raw.meta:
        return data
    doc = doc_of(data, path)
    entry = _front(doc, path).entry(key, path)
    new = doc.splice(doc.starts[entry.line], doc.after(entry.end_line), "")
    expect = {k: v for k, v in raw.meta.items() if k != key}
    return _verify(new, path, expect, raw)


def add_items(data: bytes, key: str, items: Iterable[Value], *, path: str = "note.md") -> bytes:
    """Append the items not already in the list ``key``, in the list's own style: ``[a, b]``
    gets ``, c`` before its ``]``; a block list gets a ``- c`` line after its last item.  A key
    that is missing or empty becomes ``key: [c]``."""
    check_key(key, spaced=True)
    raw = parse_ok(data, path)
    old = raw.meta.get(key)
    present = {_item_key(key, o) for o in _as_items(key, old)}
    new_items: list[Value] = []
    for item in items:
        k = _item_key(key, as_read(item))
        if k not in present:
            present.add(k)
            new_items.append(item)
    if not new_items:
        return data
    if not isinstance(old, list):
        return set_key(data, key, [*_as_items(key, old), *new_items], path=path)
    doc = doc_of(data, path)
    entry = _front(doc, path).entry(key, path)
    node = entry.node
    assert isinstance(node, yaml.SequenceNode)
    expect = dict(raw.meta)
    expect[key] = [*old, *(as_read(i) for i in new_items)]
    if node.flow_style:
        text = ", ".join(render_value(i, flow=True) for i in new_items)
        if node.value:
            at = _end_of(doc, entry, node.value[-1])
            new = doc.splice(at, at, ", " + text)
        else:
            at = entry.value_start + 1  # just inside "["
            new = doc.splice(at, at, text)
    else:
        prefix = None
        for item in reversed(node.value):
            prefix = _dash_prefix(doc, entry, item)
            if prefix is not None:
                break
        if prefix is None:
            raise EditRefused(f"{path}:{entry.line + 1}: the list {key} is laid out in an unusual "
                              "way — edit it by hand")
        at = doc.after(entry.end_line)
        lines = "".join(f"{prefix}{render_value(i)}{doc.newline}" for i in new_items)
        if entry.end_line + 1 >= len(doc.starts):  # pragma: no cover - front matter ends first
            lines = doc.newline + lines
        new = doc.splice(at, at, lines)
    return _verify(new, path, expect, raw)


def remove_items(data: bytes, key: str, items: Iterable[Any], *, path: str = "note.md"
                 ) -> bytes:
    """Remove the list items that match ``items`` (same text ignoring case and accents; the same
    link target for ``knows``).  The list keeps its style; an emptied list reads ``[]``."""
    raw = parse_ok(data, path)
    old = raw.meta.get(key)
    if old is None:
        return data
    drop = {_item_key(key, as_read(i) if isinstance(i, str | dt.date) else i) for i in items}
    drop.discard(None)
    kept = [o for o in _as_items(key, old) if _item_key(key, o) not in drop]
    if len(kept) == len(_as_items(key, old)):
        return data
    if not isinstance(old, list):
        return set_key(data, key, kept, path=path)
    out = data
    while True:  # one item at a time, re-reading positions after each cut
        raw_now = parse_note(out, path)
        current = raw_now.meta.get(key)
        assert isinstance(current, list)
        idx = next((i for i, o in enumerate(current) if _item_key(key, o) in drop), None)
        if idx is None:
            break
        out = _remove_one(out, key, idx, path)
    expect = dict(raw.meta)
    expect[key] = kept
    return _verify(out, path, expect, raw)


def _remove_one(data: bytes, key: str, idx: int, path: str) -> bytes:
    doc = doc_of(data, path)
    entry = _front(doc, path).entry(key, path)
    node = entry.node
    assert isinstance(node, yaml.SequenceNode)
    items = node.value
    if node.flow_style:
        start = _start_of(doc, items[idx])
        if len(items) == 1:
            return doc.splice(start, _end_of(doc, entry, items[idx]), "")
        if idx + 1 < len(items):
            return doc.splice(start, _start_of(doc, items[idx + 1]), "")
        return doc.splice(_end_of(doc, entry, items[idx - 1]), _end_of(doc, entry, items[idx]),
                          "")
    dash = _dash_at(doc, items[idx])
    if dash is None:
        raise EditRefused(f"{path}:{entry.line + 1}: the list {key} is laid out in an unusual way"
                          " — edit it by hand")
    first = doc.line_at(dash)
    end = _end_of(doc, entry, items[idx])
    last = doc.line_at(end)
    if end == doc.starts[last] and last > first:
        last -= 1
    if len(items) == 1:  # an empty block list would read as "no value": write []
        return doc.splice(entry.colon_end, doc.ends[last], " []")
    return doc.splice(doc.starts[first], doc.after(last), "")


def line_end(doc: Doc, line: int) -> str:
    return doc.text[doc.ends[line] : doc.after(line)]


def _start_of(doc: Doc, node: yaml.Node) -> int:
    return doc.starts[node.start_mark.line + 1] + node.start_mark.column


def _end_of(doc: Doc, entry: _Entry, node: yaml.Node) -> int:
    """End of an item's content (its trailing comment and blank lines excluded)."""
    if isinstance(node, yaml.SequenceNode | yaml.MappingNode) and not node.flow_style \
            and node.value:
        last = node.value[-1] if isinstance(node, yaml.SequenceNode) else node.value[-1][1]
        return _end_of(doc, entry, last)
    end = doc.starts[node.end_mark.line + 1] + node.end_mark.column
    start = _start_of(doc, node)
    if isinstance(node, yaml.ScalarNode) and node.style in ("|", ">"):
        while end > start and doc.text[end - 1] in " \t\r\n":
            end -= 1
    return max(end, start)


def _dash_at(doc: Doc, item: yaml.Node) -> int | None:
    """Offset of the ``-`` that opens a block-list item, when only spaces precede it."""
    i = _start_of(doc, item) - 1
    while i >= 0 and doc.text[i] in " \t\r\n":
        i -= 1
    if i < 0 or doc.text[i] != "-":
        return None
    line = doc.line_at(i)
    if doc.text[doc.starts[line] : i].strip(" \t"):
        return None
    return i


def _dash_prefix(doc: Doc, entry: _Entry, item: yaml.Node) -> str | None:
    """``"  - "``: what precedes an item of this block list, to write new items the same way."""
    dash = _dash_at(doc, item)
    if dash is None:
        return None
    line = doc.line_at(dash)
    rest = doc.text[dash + 1 : doc.ends[line]]
    gap = rest[: len(rest) - len(rest.lstrip(" \t"))] if rest.strip() else ""
    return doc.text[doc.starts[line] : dash + 1] + (gap or " ")


# ---------------------------------------------------------------------------------------------
# The log


# ---------------------------------------------------------------------------------------------
# Dataview inline fields (`key:: value` in the body), in a vault adopted with a [fields] map


