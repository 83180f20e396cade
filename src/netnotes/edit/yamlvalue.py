"""Writing values as YAML, quoted only when they must be: the text an edit puts into a note's
front matter reads back as exactly the value given, and nothing else.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

import yaml

from netnotes.core import NetnotesError
from netnotes.vault import (
    note_loader,
)

Value = str | dt.date


try:
    _Yaml11Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Yaml11Loader = yaml.SafeLoader


LINE_BREAK = re.compile(r"\r\n|\r|\n")


# Characters YAML itself treats as line breaks: they would make its line numbers differ from ours.
YAML_ONLY_BREAKS = ("\x85", "\u2028", "\u2029")


_FLOW_INDICATORS = set(",[]{}")


_PLAIN_FIRST_FORBIDDEN = set("-?:,[]{}#&*!|>'\"%@`") | {" ", "\t"}


class BadValue(NetnotesError):
    """The value given for a key is not valid for it (a usage error: nothing was changed)."""


def _printable(ch: str) -> bool:
    """YAML's printable set, minus the characters it reads as line breaks or a BOM."""
    o = ord(ch)
    if ch in YAML_ONLY_BREAKS or o == 0xFEFF:
        return False
    return (o in (0x09, 0x0A, 0x0D) or 0x20 <= o <= 0x7E or 0xA0 <= o <= 0xD7FF
            or 0xE000 <= o <= 0xFFFD or 0x10000 <= o <= 0x10FFFF)


def _reads_back(text: str, value: str, flow: bool) -> bool:
    """Does ``text`` read back as the string ``value`` with our loader *and* a YAML 1.1 loader?

    Other tools (Obsidian, python-frontmatter, PyYAML's defaults) read YAML 1.1, where ``NO`` is
    false and ``12:30`` is a number, so a value is only left unquoted when both agree it is text.
    """
    doc = f"k: [{text}]" if flow else f"k: {text}"
    want = {"k": [value] if flow else value}
    for loader in (note_loader(), _Yaml11Loader, yaml.SafeLoader):  # C and Python parsers differ
        try:
            if yaml.load(doc, Loader=loader) != want:  # noqa: S506 - both loaders are safe
                return False
        except yaml.YAMLError:
            return False
    return True


def yaml_scalar(value: str, *, flow: bool = False) -> str:
    """``value`` as a YAML scalar that reads back as exactly this text.

    Plain when that is safe (``Ada Lovelace``), single-quoted when YAML would read it as something
    else (``'NO'``, ``'12:30'``, ``'[[ada]]'``, ``'# not a comment'``), double-quoted with escapes
    when it holds characters single quotes cannot (line breaks, control characters).
    ``flow`` is for items inside ``[a, b]``, where commas and brackets also need quotes.
    """
    if not isinstance(value, str):
        raise TypeError(f"yaml_scalar takes text, not {type(value).__name__}")
    if (value and value[0] not in _PLAIN_FIRST_FORBIDDEN and value[-1] not in " \t:"
            and ": " not in value and " #" not in value and "\t" not in value
            and all(_printable(c) and c not in "\r\n" for c in value)
            and not (flow and _FLOW_INDICATORS & set(value))
            and _reads_back(value, value, flow)):
        return value
    if all(_printable(c) and c not in "\r\n" for c in value):
        return "'" + value.replace("'", "''") + "'"
    return _double_quoted(value)


def _double_quoted(value: str) -> str:
    out = ['"']
    for ch in value:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif _printable(ch):
            out.append(ch)
        elif ord(ch) <= 0xFF:
            out.append(f"\\x{ord(ch):02x}")
        elif ord(ch) <= 0xFFFF:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    out.append('"')
    return "".join(out)


def render_value(value: Value | Sequence[Value], *, flow: bool = False) -> str:
    """A value as it goes after ``key: ``: dates as plain ISO ``YYYY-MM-DD``, text quoted only
    when it must be, lists as ``[a, b]``."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return yaml_scalar(value, flow=flow)
    return "[" + ", ".join(render_value(v, flow=True) for v in value) + "]"


def as_read(value: Value | Sequence[Value]) -> Any:
    """What parse.py reads back for a value we wrote (it keeps dates as text)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return value
    return [as_read(v) for v in value]


def check_text(value: str, what: str = "value") -> str:
    """Refuse text that cannot be stored in a UTF-8 note (lone surrogates from a bad terminal)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise BadValue(f"the {what} is not valid UTF-8 text") from None
    return value
