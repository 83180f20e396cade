"""The fast path for simple front matter: a column of ``key: value`` lines read with a few regular
expressions, five times faster than PyYAML, declining anything it is not sure of (PyYAML reads
those).  docs/development.md says what it reads and what it declines.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    pass
from netnotes.vault.rawnote import (
    YAML_BOOL,
    YAML_FLOAT,
    YAML_INT,
    YAML_NULL,
    KeySpan,
    RawNote,
    number_as_written,
)

# Every character the fast path reads as itself: printable (YAML's own rule), and no tab, `{`,
# `}`, byte-order mark, or U+0085/U+2028/U+2029 (which YAML reads as line breaks).  Written as
# the few characters it refuses rather than the many ranges it takes: compiling the negated
# class cost every process that parses a note 7 ms (a test checks it against the rule).
_UNSURE = re.compile("[\x00-\x09\x0b-\x1f\x7b\x7d\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff"
                     "\ufffe\uffff]")


# `key: value` at the start of a line; a key is a plain word (words joined by single spaces).
_KEY_LINE = re.compile(r"([A-Za-z_][A-Za-z0-9_-]{0,99}(?: [A-Za-z0-9_-]{1,99}){0,9}):"
                       r"(?:( +)(.*[^ ]))? *$")


# _KEY_LINE for every line of the front matter at once (``[^ \n]``: a value ends at its line).
_KEY_LINES = re.compile(r"^([A-Za-z_][A-Za-z0-9_-]{0,99}(?: [A-Za-z0-9_-]{1,99}){0,9}):"
                        r"(?:( +)(.*[^ \n]))? *$", re.MULTILINE)


_ITEM_LINE = re.compile(r"( *)-(?: +(.*[^ ]))? *$")  # `- value` of a block list


_DOUBLE_QUOTED = re.compile(r'"([^"\\]*)"$')  # no escapes


_SINGLE_QUOTED = re.compile(r"'((?:[^']|'')*)'$")


# A `[a, "b", 'c']` list on one line.  A plain item in a flow list ends at `,` `[` `]` `{` `}`,
# at `: ` and at ` #`, and may not start with an indicator; quoted items have no escapes.  (The
# possessive `++`/`*+` take each run of letters in one step and never try to split it again.)
_FLOW_PLAIN = (r"""[^ ,\[\]{}#&*!|>'"%@`?:\-]"""
               r"""(?:[^ ,\[\]{}:]++|:(?=[^ ,\[\]{}?])| ++(?=[^ ,\[\]{}#]))*+""")


_FLOW_ITEM = rf""""[^"\\]*"|'(?:[^']|'')*'|{_FLOW_PLAIN}"""


_FLOW_LIST = re.compile(rf"\[ *(?:(?:{_FLOW_ITEM}) *(?:, *(?:{_FLOW_ITEM}) *)*)?\]$")


_FLOW_ITEMS = re.compile(rf" *({_FLOW_ITEM}) *(?:,|$)")  # each item of a list _FLOW_LIST took


_KEY_WORDS = frozenset(("true", "True", "TRUE", "false", "False", "FALSE", "null", "Null", "NULL"))


_RESOLVED_FIRST = frozenset("tTfFnN~-+.0123456789")  # first characters some resolver claims


_NOT_PLAIN_FIRST = frozenset("-?:,[]{}#&*!|>'\"%@`")  # indicators that cannot start plain text


_TEXT_FIRST = frozenset(map(chr, range(0x20, 0x7f))) - _RESOLVED_FIRST - _NOT_PLAIN_FIRST - {" "}


_DECLINE = object()  # what the value readers return for "not sure: let YAML read it"


_SPANS: dict[tuple[int, int], KeySpan] = {}


def _plain(text: str) -> Any:
    """A plain scalar's value, as NoteLoader's resolver and constructors read it."""
    if text[0] in _RESOLVED_FIRST:
        if YAML_BOOL.match(text):
            return text[0] in "tT"
        if YAML_NULL.match(text):
            return None
        if YAML_INT.match(text):
            return number_as_written(text, int)
        if YAML_FLOAT.match(text):
            return number_as_written(text, float)
    return text


def _scalar(text: str) -> Any:
    """A one-line scalar in block context (no leading or trailing spaces): plain or quoted
    text, or _DECLINE."""
    first = text[0]
    if first == '"':
        m = _DOUBLE_QUOTED.match(text)
        return m.group(1) if m else _DECLINE
    if first == "'":
        m = _SINGLE_QUOTED.match(text)
        return m.group(1).replace("''", "'") if m else _DECLINE
    if (first in _NOT_PLAIN_FIRST and (first != "-" or text[1:2] in ("", " "))) \
            or ": " in text or text[-1] == ":" or " #" in text:
        return _DECLINE
    return _plain(text)


def _flow_list(text: str) -> Any:
    """``[a, "b", 'c']`` on one line → a list, or _DECLINE."""
    if not _FLOW_LIST.match(text):
        return _DECLINE
    inner = text[1:-1]
    if not inner.strip(" "):
        return []
    if '"' not in inner and "'" not in inner:
        items = [item.strip(" ") for item in inner.split(",")]
        return [item if item[0] in _TEXT_FIRST else _plain(item) for item in items]
    return [item[1:-1] if item[0] == '"' else
            item[1:-1].replace("''", "'") if item[0] == "'" else
            item if item[0] in _TEXT_FIRST else _plain(item)
            for item in _FLOW_ITEMS.findall(inner)]


def _span(line: int, col: int) -> KeySpan:
    """The span of a value on its key's line.  Spans are frozen, so notes share them: most
    front matter puts the same keys on the same lines."""
    span = _SPANS.get((line, col))
    if span is None:
        span = KeySpan(line, 1, line, line, col)
        if line < 200 and col < 200:
            _SPANS[line, col] = span
    return span


def _value(text: str) -> Any:
    """The value written after `key: ` on one line (``_DECLINE`` when the fast path cannot read
    it): plain text as it is, the common case, without a pattern; else a flow list or a
    scalar."""
    first = text[0]
    if first in _TEXT_FIRST and ": " not in text and " #" not in text and text[-1] != ":":
        return text
    return _flow_list(text) if first == "[" else _scalar(text)


def simple_front_matter(note: RawNote, yaml_text: str, lines: list[str], first_line: int
                         ) -> bool:
    """Read front matter of the simple shapes (see above) into ``note``; False, with ``note``
    untouched, when it is anything else.  ``lines`` are ``yaml_text`` split at its newlines."""
    if _UNSURE.search(yaml_text):
        return False
    meta: dict[str, Any] = {}
    keys: dict[str, KeySpan] = {}
    count = len(lines)
    found = _KEY_LINES.findall(yaml_text)
    if len(found) == count:  # every line is `key: value` (the common shape): no line-by-line look
        return _key_lines(note, found, lines, first_line)
    i = 0
    while i < count:
        m = _KEY_LINE.match(lines[i])
        if m is None:
            if lines[i].strip(" "):
                return False  # indented text, a comment, a list with no key …
            i += 1
            continue
        key, gap, text = m.groups()
        if key in keys or key in _KEY_WORDS:
            return False
        lineno = first_line + i
        i += 1
        if text is not None:
            value = _value(text)
            if value is _DECLINE:
                return False
            meta[key] = value
            keys[key] = _SPANS.get((lineno, len(key) + len(gap) + 2)) or \
                _span(lineno, len(key) + len(gap) + 2)
            continue
        # An empty value: a `- item` list when items follow on the next lines, else null.
        item = _ITEM_LINE.match(lines[i]) if i < count else None
        if item is None:
            meta[key] = None
            if i == count and len(lines[i - 1]) == len(key) + 1:  # the text ends at the colon
                keys[key] = KeySpan(lineno, 1, lineno, first_line + count, 1)
            else:
                keys[key] = _span(lineno, len(key) + 2)
            continue
        indent = item.group(1)
        values: list[Any] = []
        while item is not None and item.group(1) == indent:
            text = item.group(2)
            if text is None:
                values.append(None)
            else:
                value = _scalar(text)
                if value is _DECLINE:
                    return False
                values.append(value)
            i += 1
            item = _ITEM_LINE.match(lines[i]) if i < count else None
        if item is not None:
            return False  # an item indented differently: nested, or a mistake
        # The list ends where the next key starts (blank lines in between belong to it).
        k = i
        while k < count and not lines[k].strip(" "):
            k += 1
        if k < count and not _KEY_LINE.match(lines[k]):
            return False
        meta[key] = values
        keys[key] = KeySpan(lineno, 1, first_line + k - 1, lineno + 1, len(indent) + 1)
    note.meta = meta
    note.keys = keys
    note.front_matter_ok = True
    return True


def _key_lines(note: RawNote, found: list[tuple[str, str, str]], lines: list[str],
               first_line: int) -> bool:
    """simple_front_matter for front matter whose every line is `key: value` (``found``: each
    line's key, gap and value, '' for none): one pass with no pattern per line."""
    meta: dict[str, Any] = {}
    keys: dict[str, KeySpan] = {}
    spans = _SPANS.get
    lineno = first_line - 1
    for key, gap, text in found:
        lineno += 1
        if key in keys or key in _KEY_WORDS:
            return False
        if not text:  # an empty value, and a key on the next line: null
            meta[key] = None
            if lineno == first_line + len(lines) - 1 and len(lines[-1]) == len(key) + 1:
                keys[key] = KeySpan(lineno, 1, lineno, lineno + 1, 1)  # the text ends there
            else:
                keys[key] = _span(lineno, len(key) + 2)
            continue
        value = _value(text)
        if value is _DECLINE:
            return False
        meta[key] = value
        col = len(key) + len(gap) + 2
        keys[key] = spans((lineno, col)) or _span(lineno, col)
    note.meta = meta
    note.keys = keys
    note.front_matter_ok = True
    return True
