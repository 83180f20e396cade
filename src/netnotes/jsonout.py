"""``json.dumps(obj, indent=2, ensure_ascii=False)``, byte for byte, in a third of the time.

Indentation switches the standard library to its pure-Python encoder, a chain of generators that
yields every bracket, comma and value separately (1.9 s for a 10,000-contact report, more than the
analysis).  The C encoder ignores ``indent``, but it takes any item separator: a container whose
children are all plain values (most of a report: the kinds, reasons, trends …) is written in one
C call whose separator is ``,\\n`` and that container's indentation.  Only containers holding
other non-empty containers are walked here, in Python.

Anything that is not plain JSON data (a subclass, an object for ``default``, a cycle) goes to
``json.dumps`` itself, so the output, and every error, is always exactly the standard one.
"""

from __future__ import annotations

import json
from json.encoder import c_make_encoder, encode_basestring  # type: ignore[attr-defined]
from typing import Any

_MAX_DEPTH = 200  # deeper than any report; json.dumps handles the rest
_NL = ["\n" + "  " * d for d in range(_MAX_DEPTH + 2)]
_SEP = ["," + nl for nl in _NL]
_SCALARS = frozenset({str, int, float, bool, type(None)})
_CONTAINERS = frozenset({dict, list, tuple})


class Raw:
    """A value's JSON text, already written at ``depth`` (a contact row that netnotes.memo kept):
    ``dumps`` prints it as it is.  Not a str, so json.dumps refuses it rather than quoting it."""

    __slots__ = ("text", "depth")

    def __init__(self, text: str, depth: int):
        self.text, self.depth = text, depth


def encode_at(obj: Any, depth: int) -> str:
    """``obj`` as ``dumps`` writes it inside a document, ``depth`` containers deep."""
    if _ONE is not None:
        out: list[str] = []
        try:
            _write(obj, depth, out, {})
            return "".join(out)
        except (_NotPlain, TypeError, ValueError, RecursionError):
            pass
    return json.dumps(obj, indent=2, ensure_ascii=False).replace("\n", _NL[depth])


class _NotPlain(Exception):
    """The value holds something only json.dumps knows how to handle."""


def _make_encoder(item_separator: str) -> Any:
    if c_make_encoder is None:  # pragma: no cover - CPython always has the C accelerator
        return None
    return c_make_encoder(None, None, encode_basestring, None, ": ", item_separator,
                          False, False, True)


_FLAT = [_make_encoder(_SEP[d + 1]) for d in range(_MAX_DEPTH)]  # a plain container at depth d
_ONE = _make_encoder(", ")  # a single plain value


def dumps(obj: Any, end: str = "") -> str:
    """The text ``json.dumps(obj, indent=2, ensure_ascii=False)`` returns, and ``end`` (joined
    in, not added to a copy: a big report's JSON is tens of megabytes)."""
    return "".join(pieces(obj, end))


def pieces(obj: Any, end: str = "") -> list[str]:
    """The text of ``dumps`` as the pieces it is joined from, for a caller that writes them out
    one by one: the JSON report of 100,000 contacts is over 500 MB, and joined it is in memory
    twice (the pieces are mostly the contacts' texts, kept anyway)."""
    if _ONE is None:  # pragma: no cover
        return [json.dumps(obj, indent=2, ensure_ascii=False), end]
    out: list[str] = []
    try:
        _write(obj, 0, out, {})
    except (_NotPlain, TypeError, ValueError, RecursionError):
        return [json.dumps(obj, indent=2, ensure_ascii=False), end]
    out.append(end)
    return out


def _key(k: Any) -> str:
    """A dict key as json writes it: text as is, numbers, true/false/null as their JSON."""
    if type(k) is str:
        return encode_basestring(k)
    if type(k) in _SCALARS:
        text = _ONE(k, 0)[0]
        return text if text.startswith('"') else f'"{text}"'
    raise _NotPlain


def _write(o: Any, depth: int, out: list[str], keys: dict[str, str]) -> None:
    """Append the JSON of ``o`` at ``depth`` to ``out``; ``keys`` remembers encoded keys."""
    t = type(o)
    if t is dict:
        if not o:
            out.append("{}")
            return
        children = o.values()
    elif t is list or t is tuple:
        if not o:
            out.append("[]")
            return
        children = o
    elif t is str:
        out.append(encode_basestring(o))
        return
    elif t in _SCALARS:
        out.append(_ONE(o, 0)[0])
        return
    elif t is Raw and o.depth == depth:
        out.append(o.text)
        return
    else:
        raise _NotPlain
    if depth >= _MAX_DEPTH:
        raise _NotPlain
    for x in children:
        tx = type(x)
        if tx not in _SCALARS and (tx not in _CONTAINERS or x):
            break
    else:  # only plain values and empty containers: one C call writes it all
        s = "".join(_FLAT[depth](o, 0))
        out.append(f"{s[0]}{_NL[depth + 1]}{s[1:-1]}{_NL[depth]}{s[-1]}")
        return
    first, sep = _NL[depth + 1], _SEP[depth + 1]
    append = out.append
    if t is dict:
        append("{")
        for k, x in o.items():
            if type(k) is str:  # a report's keys recur on every row: each encoded once
                key = keys.get(k)
                if key is None:
                    key = keys[k] = f"{encode_basestring(k)}: "
            else:
                key = f"{_key(k)}: "
            tx = type(x)  # the common plain values written here, without a call
            if tx is str:
                append(f"{first}{key}{encode_basestring(x)}")
            elif x is None:
                append(f"{first}{key}null")
            elif tx is int:
                append(f"{first}{key}{x}")
            elif tx is bool:
                append(f"{first}{key}{'true' if x else 'false'}")
            else:
                append(first + key)
                _write(x, depth + 1, out, keys)
            first = sep
        append(_NL[depth] + "}")
    else:
        append("[")
        for x in o:
            append(first)
            _write(x, depth + 1, out, keys)
            first = sep
        append(_NL[depth] + "]")
