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


_JSON_EXTRA = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def _json_escape(m: re.Match[str]) -> str:
    return f"\\u{ord(m.group()):04x}"


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
