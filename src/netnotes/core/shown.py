"""Text from a note never drives the terminal: control characters are shown, not sent.

A name like ``"Ada \\e[2J"`` (YAML's double quotes turn ``\\e`` into ESC), an OSC 8 hyperlink in
``company`` or a ``\\r`` in a log line would clear the screen, fake a link or rewrite a line if it
reached a terminal raw, and a right-to-left override (U+202E) reorders what a reader sees.  Every
text output (the report, ``list``, ``overdue``, ``show``, ``check``'s problems, error messages)
passes what came from the vault through ``visible``; JSON escapes the same characters as
``\\uXXXX`` (``json_safe``), HTML shows them as ``visible`` does and escapes the rest itself.
"""

from __future__ import annotations

import re

# C0 except tab and newline, DEL, C1; the bidirectional formatting characters (ALM, LRM, RLM,
# the embeddings and overrides LRE..RLO, the isolates LRI..PDI); the line and paragraph
# separators some terminals and editors break lines at.
_CONTROLS = ("\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
             "\u2028\u2029")
_CONTROL = re.compile(f"[{_CONTROLS}]")
_NEWLINE_TAB = re.compile(f"[{_CONTROLS}\t\n]")


def _shown(ch: str) -> str:
    n = ord(ch)
    return f"\\x{n:02x}" if n < 0x100 else f"\\u{n:04x}"


_SHOWN = {chr(n): _shown(chr(n)) for n in [*range(0x20), *range(0x7f, 0xa0), 0x061c, 0x200e,
                                           0x200f, *range(0x202a, 0x202f),
                                           *range(0x2066, 0x206a), 0x2028, 0x2029]}


def _replace(m: re.Match[str]) -> str:
    return _SHOWN[m.group()]


def visible(text: str, *, one_line: bool = False) -> str:
    """``text`` with every control character shown as its escape (``\\x1b``, ``\\u202e``); tab
    and newline kept, unless ``one_line`` (then they are shown too)."""
    pattern = _NEWLINE_TAB if one_line else _CONTROL
    if pattern.search(text) is None:  # the common case: one scan, no copy
        return text
    return pattern.sub(_replace, text)


def has_controls(text: str) -> bool:
    return _CONTROL.search(text) is not None


_JSON_EXTRAS = "\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029"
_JSON_EXTRA = re.compile(f"[{_JSON_EXTRAS}]")


def _json_escape(m: re.Match[str]) -> str:
    return f"\\u{ord(m.group()):04x}"


def _by_lead_byte(chars: str) -> dict[int, frozenset[bytes]]:
    """The characters of a regular expression's class (``a-z`` ranges and single ones), as
    their UTF-8 encodings grouped by first byte."""
    codes: list[int] = []
    k = 0
    while k < len(chars):
        if k + 2 < len(chars) and chars[k + 1] == "-":
            codes += range(ord(chars[k]), ord(chars[k + 2]) + 1)
            k += 3
        else:
            codes.append(ord(chars[k]))
            k += 1
    out: dict[int, set[bytes]] = {}
    for n in codes:
        b = chr(n).encode()
        out.setdefault(b[0], set()).add(b)
    return {lead: frozenset(found) for lead, found in out.items()}


# What json_safe escapes, as UTF-8: by the byte each such character starts with, the characters'
# whole encodings (those of one lead byte are all as long).
_JSON_EXTRA_UTF8 = _by_lead_byte(_JSON_EXTRAS)


def json_safe_utf8(raw: bytes) -> bool:
    """Whether the UTF-8 JSON text ``raw`` is already as ``json_safe`` leaves it (nothing to
    escape), without decoding it or running a regular expression over it: each byte a
    character to escape starts with is searched for (a fast search in C), and only where one is
    found are its characters looked at.  A report's row has a few such bytes (its “ and ”,
    which start with 0xE2 too); a regular expression over every character of the JSON of
    10,000 contacts took 0.1 s."""
    for lead, escaped in _JSON_EXTRA_UTF8.items():
        width = len(next(iter(escaped)))  # every character of one lead byte is as long
        mark = bytes((lead,))
        at = raw.find(mark)
        while at >= 0:
            if raw[at:at + width] in escaped:
                return False
            at = raw.find(mark, at + 1)
    return True


def json_safe(text: str) -> str:
    """JSON text with DEL, C1 and the bidi characters escaped as ``\\uXXXX`` too (JSON already
    escapes C0).  Outside strings JSON text is ASCII, so escaping them anywhere in it is exact."""
    if _JSON_EXTRA.search(text) is None:
        return text
    return _JSON_EXTRA.sub(_json_escape, text)


def counted(n: int, word: str) -> str:
    """``n`` and ``word``, plural unless n is 1: "1 warning", "2 warnings" (the templates'
    ``count`` filter; English nouns of ours only, each of which takes an "s")."""
    return f"{n} {word}{'' if n == 1 else 's'}"
