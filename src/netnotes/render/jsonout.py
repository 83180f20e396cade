"""``json.dumps(obj, indent=2, ensure_ascii=False)``, byte for byte, in a third of the time.

Indentation switches the standard library to its pure-Python encoder, a chain of generators that
yields every bracket, comma and value separately (1.9 s for a 10,000-contact report, more than the
analysis).  The C encoder ignores ``indent``, but it takes any item separator: a container whose
children are all plain values (most of a report: the kinds, reasons, trends …) is written in one
C call whose separator is ``,\\n`` and that container's indentation.  Only containers holding
other non-empty containers are walked here, in Python.

Anything that is not plain JSON data (a subclass, an object for ``default``, a cycle) goes to
``json.dumps`` itself, so the output, and every error, is always exactly the standard one.

For the report itself (``finite=True``) orjson, a dependency, writes the same text faster still
(benchmarks/json_encoders.py: every contact of 10,000 in 0.77 s against 1.7 s here and 4.7 s
for json.dumps, byte-identical).  It writes floats under 1e-4 otherwise (``0.00001`` where json
writes ``1e-05``) and refuses keys that are not text and integers over 64 bits: any of those, or
any text that might be one, and the value is written the way above instead.  It also writes NaN
and infinities as ``null`` (json writes the words NaN and Infinity, which are not JSON), and
nothing cheap finds them in its output: so it is used only where the caller vouches that there
are none, as the report does (its numbers are counts, days and finite rounded scores).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from json.encoder import c_make_encoder, encode_basestring  # type: ignore[attr-defined]
from typing import Any, SupportsBytes

from netnotes.core.shown import json_safe, json_safe_utf8

try:
    import orjson
except ImportError:  # pragma: no cover - a dependency; the standard library does the same
    orjson = None  # type: ignore[assignment]



def _orjson_differs(raw: bytes) -> bool:
    """Whether orjson's ``raw`` text may hold a float it writes otherwise than json (under
    1e-4: ``0.0000…`` or ``…e-…``).  Text that only looks like one (a note's "5e-3") is a false
    alarm, which costs a slower writer, never a different byte.  Substring searches in the bytes,
    before they are decoded, not a regular expression: this looks at every byte of the report (a
    regex scan took 0.34 s at 10,000)."""
    if b"0.0000" in raw:
        return True
    at = raw.find(b"e-")
    while at > 0:
        if 48 <= raw[at - 1] <= 57:  # a digit before it
            return True
        at = raw.find(b"e-", at + 2)
    return False

_MAX_DEPTH = 200  # deeper than any report; json.dumps handles the rest
_NL = ["\n" + "  " * d for d in range(_MAX_DEPTH + 2)]
_SEP = ["," + nl for nl in _NL]
_NL_UTF8 = [nl.encode() for nl in _NL]
_SCALARS = frozenset({str, int, float, bool, type(None)})
_CONTAINERS = frozenset({dict, list, tuple})


class Raw:
    """A value's JSON text, already written at ``depth`` (a contact row that netnotes.store.memo
    kept), as text or as its UTF-8 bytes (``encode_utf8_at``), or as something ``bytes()``
    reads them from (a row left in the report's spill file, netnotes.store.Renderings):
    ``dumps`` prints it as it is.  Not a str, so json.dumps refuses it rather than quoting it."""

    __slots__ = ("text", "depth")

    def __init__(self, text: str | bytes | SupportsBytes, depth: int):
        self.text, self.depth = text, depth

    def utf8(self) -> bytes:
        """The text as UTF-8 (read back, when it was left in a spill file)."""
        text = self.text
        return text.encode() if type(text) is str else bytes(text)  # type: ignore[arg-type]


def _orjson_raw(obj: Any, depth: int) -> bytes | None:
    """``obj`` written by orjson at ``depth`` and made json_safe, as UTF-8, or None where its
    text could differ from json's (see the module docstring).  Both checks read orjson's bytes,
    and a regular expression reads the text only when a character to escape may be in it
    (json_safe_utf8)."""
    if orjson is None:  # pragma: no cover
        return None
    try:
        raw: bytes = orjson.dumps(obj, option=orjson.OPT_INDENT_2)
    except TypeError:  # orjson.JSONEncodeError: a key that is not text, a big int, a Raw …
        return None
    if _orjson_differs(raw):
        return None
    if not json_safe_utf8(raw):
        raw = json_safe(raw.decode()).encode()
    return raw.replace(b"\n", _NL_UTF8[depth]) if depth else raw


def encode_utf8_at(obj: Any, depth: int) -> bytes:
    """``encode_at(obj, depth, finite=True)`` as UTF-8, made without the text in between where
    orjson writes it: a report keeps each contact's JSON until it is printed, and as text a
    row with one character beyond U+00FF (its summary's “ and ”) takes two bytes a character
    (the rows of 10,000 contacts: 73 MB as text, 36 MB as UTF-8)."""
    fast = _orjson_raw(obj, depth)
    if fast is not None:
        return fast
    text = encode_at(obj, depth, finite=True)
    try:
        return text.encode()
    except UnicodeEncodeError:  # a lone surrogate (a file name that is not UTF-8): as JSON
        return _SURROGATE.sub(_escaped, text).encode()  # escapes it, which UTF-8 can hold


_SURROGATE = re.compile("[\ud800-\udfff]")


def _escaped(m: re.Match[str]) -> str:
    return f"\\u{ord(m.group()):04x}"


def encode_at(obj: Any, depth: int, finite: bool = False) -> str:
    """``obj`` as ``dumps`` writes it inside a document, ``depth`` containers deep; ``finite``:
    the caller vouches it holds no NaN or infinity (then orjson may write it)."""
    if finite:
        fast = _orjson_raw(obj, depth)
        if fast is not None:
            return fast.decode()
    if _ONE is not None:
        out: list[str] = []
        try:
            _write(obj, depth, out, {})
            return json_safe("".join(out))
        except (_NotPlain, TypeError, ValueError, RecursionError):
            pass
    return json_safe(json.dumps(obj, indent=2, ensure_ascii=False).replace("\n", _NL[depth]))


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
    return "".join(_text_pieces(obj, end))


# A piece of a report at least this big is handed to ``aside`` (pieces).
ASIDE = 1 << 16
# How deep a report's objects are written key by key (_apart): the network's figures and its
# graph's lists are pieces of their own.
_APART_DEPTH = 2


def pieces(obj: Any, end: str = "", finite: bool = False,
           aside: Callable[[bytes], SupportsBytes] | None = None
           ) -> list[str] | list[SupportsBytes]:
    """The text of ``dumps`` as the pieces it is joined from, for a caller that writes them out
    one by one: the JSON report of 100,000 contacts is over 500 MB, and joined it is in memory
    whole (the pieces are mostly the contacts' texts, left in the report's spill file until
    ``bytes(piece)`` reads each back).  ``finite``: as for ``encode_at``; a report (a dict with
    text keys) then comes as UTF-8 pieces (``_rows_apart``), each piece of ASIDE bytes or more
    given to ``aside`` as soon as it is made (which may put it out of memory: the network's
    graph of 10,000 contacts is 9 MB of the report)."""
    if finite and orjson is not None and _apart_ok(obj):
        return _rows_apart(obj, end, aside)
    return _text_pieces(obj, end)


def _apart_ok(obj: Any) -> bool:
    """Whether ``obj`` is an object that _apart may write key by key."""
    return type(obj) is dict and bool(obj) and all(type(k) is str for k in obj)


def _text_pieces(obj: Any, end: str) -> list[str]:
    """``pieces`` of any value, as text."""
    if _ONE is None:  # pragma: no cover
        return [json_safe(json.dumps(obj, indent=2, ensure_ascii=False)), end]
    out: list[str] = []
    try:
        _write(obj, 0, out, {})
    except (_NotPlain, TypeError, ValueError, RecursionError):
        return [json_safe(json.dumps(obj, indent=2, ensure_ascii=False)), end]
    out.append(end)
    return [json_safe(piece) if type(piece) is str else piece for piece in out]


def _rows_apart(obj: dict[str, Any], end: str,
                aside: Callable[[bytes], SupportsBytes] | None = None) -> list[SupportsBytes]:
    """A report's pieces, as UTF-8: the report, and the objects in it _APART_DEPTH deep, key
    by key; every other value written whole (``encode_utf8_at``), except a top-level list,
    whose items (a report's rows) are written one by one: a row kept as its JSON (``Raw``, two
    deep) goes in as it is (left in its spill file when it is there), and no piece is the size
    of the whole report.  A big piece goes to ``aside`` (``pieces``)."""
    out: list[SupportsBytes] = []
    _apart(obj, 0, out, aside)
    out.append(end.encode())
    return out


def _apart(obj: dict[str, Any], depth: int, out: list[SupportsBytes],
           aside: Callable[[bytes], SupportsBytes] | None) -> None:
    """``obj`` (``_apart_ok``) at ``depth``, its values one by one, onto ``out``."""
    out.append(b"{")
    first = _NL_UTF8[depth + 1]
    for k, v in obj.items():
        out.append(first + json_safe(encode_basestring(k)).encode() + b": ")
        first = b"," + _NL_UTF8[depth + 1]
        if depth == 0 and type(v) is list and v:
            _rows(v, out)
        elif depth < _APART_DEPTH and _apart_ok(v):
            _apart(v, depth + 1, out, aside)
        else:
            piece = encode_utf8_at(v, depth + 1)
            out.append(aside(piece) if aside is not None and len(piece) >= ASIDE else piece)
    out.append(_NL_UTF8[depth] + b"}")


def _rows(rows: list[Any], out: list[SupportsBytes]) -> None:
    """A top-level list (a report's rows), one item at a time."""
    out.append(b"[")
    before, sep = _NL_UTF8[2], b"," + _NL_UTF8[2]
    for x in rows:
        out.append(before)
        if type(x) is Raw and x.depth == 2:
            kept = x.text
            out.append(kept.encode() if type(kept) is str else kept)  # type: ignore[arg-type]
        else:
            out.append(encode_utf8_at(x, 2))
        before = sep
    out.append(_NL_UTF8[1] + b"]")


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
        out.append(o.text if type(o.text) is str else o.utf8().decode())
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
