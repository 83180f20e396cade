"""Kept renderings of a report's per-contact pieces: what ``render``'s ``|each`` and the JSON
writer ask for before they render a contact again (netnotes.store.memo keeps them between runs).

On its own module so that a JSON report, which never needs Jinja2, can use it too."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, SupportsBytes

from netnotes.store import Miss as StoreMiss

if TYPE_CHECKING:
    from netnotes.store import Renderings

# A rendering as it is made: a macro's lines (text), or a row's JSON as UTF-8
# (report.row_renderer).
Rendering = str | bytes
# As it is kept: the same, or a row's JSON left in the report's spill file (read back with
# ``bytes()``; netnotes.store.Renderings).
Held = str | bytes | SupportsBytes
_NOTHING: Mapping[str, Held] = {}
_END = "\ue001"


class Miss(StoreMiss):
    """A kept rendering was needed and is not there: the report is made whole instead (a miss
    of the store's, which it answers by making the report whole)."""


class Kept:
    """The row of a contact that did not change: only its id is known, and a template or the
    JSON writer asks for its kept rendering instead (render's ``|each``, report._kept_json).
    Anything else asked of it is a Miss, never a silent gap."""

    __slots__ = ("id",)

    def __init__(self, cid: str):
        self.id = cid

    def __getitem__(self, key: str) -> str:
        if key == "id":
            return self.id
        raise Miss(key)


class Fragments:
    """The renderings of one output kind: ``kept(name)`` those of macro ``name`` by contact id;
    ``put`` one just made.  This base class keeps nothing: a report made without a memo renders
    everything, and tidies its output once at the end (report.tidy).

    A store that keeps renderings keeps them tidy already (``tidy``), and when it ``defer``s,
    keeps each joined loop out of the template's output until the end: the template returns a
    few kilobytes with a marker per loop, ``finish`` tidies that and puts the loops back, instead
    of tidying megabytes of kept lines again on every run."""

    defer = False

    def get(self, name: str, cid: str) -> Held | None:
        return self.kept(name).get(cid)

    def kept(self, name: str) -> Mapping[str, Held]:
        return _NOTHING

    def put(self, name: str, cid: str, text: Rendering) -> None:
        pass

    def aside(self, data: bytes) -> SupportsBytes:
        """A big piece of a JSON report that is not a row (the network's graph), kept until it
        is written out (here: as it is)."""
        return data

    def tidy(self, text: str) -> str:
        """A macro's output as it is kept (here: as it is)."""
        return text

    def hold(self, text: str) -> str:
        """A joined loop, or (``defer``) a marker that ``finish`` puts it back at."""
        if not self.defer:
            return text
        held = self.__dict__.setdefault("_held", [])
        mark = self.__dict__.setdefault("_mark", "\ue000" + os.urandom(8).hex() + ":")
        held.append(text)
        return f"{mark}{len(held) - 1}{_END}"

    def finish(self, out: str, tidy: Callable[[str], str]) -> str:
        """``tidy`` of the output with every held loop put back.

        Tidying first and putting the loops (already tidy) back afterwards gives the same text
        when every loop begins a line, is empty or ends one, and more text follows the last;
        otherwise the loops go back first and the whole is tidied."""
        held: list[str] = self.__dict__.pop("_held", [])
        if not held:
            return tidy(out)
        mark = self.__dict__["_mark"]
        parts = out.split(mark)
        if len(parts) != len(held) + 1 or not all(
                p.startswith(f"{k}{_END}") for k, p in enumerate(parts[1:])):
            raise Miss("a loop's marker")  # a template changed it: the report is made whole
        rests = [p[p.index(_END) + 1:] for p in parts[1:]]
        before = [parts[0], *rests[:-1]]  # the text before each loop
        if (all(t == "" or t.endswith("\n") for t in held)
                and all(b == "" or b.endswith("\n") for b in before)
                and rests[-1].strip()):
            tidied = tidy(out).split(mark)
            return tidied[0] + "".join(
                t + p[p.index(_END) + 1:] for t, p in zip(held, tidied[1:], strict=True))
        return tidy(parts[0] + "".join(t + r for t, r in zip(held, rests, strict=True)))


class Keeping(Fragments):
    """A store that keeps renderings: lines kept without trailing spaces."""

    def tidy(self, text: str) -> str:
        """Whole lines (output ending in a newline) without their trailing spaces, as tidy
        would leave them anyway; anything else as it is."""
        if not text.endswith("\n"):
            return text
        return "\n".join(map(str.rstrip, text.split("\n")))


class Store(Keeping):
    """Renderings kept for one report: in ``found`` (netnotes.store.Renderings: macro name →
    contact id → text, a JSON row's bytes in its spill file rather than in memory), those of a
    report made whole (report.made_whole), or those the store keeps between runs; it is told
    of each new one through ``on_put`` (netnotes.store's remembered report)."""

    def __init__(self, found: Renderings | None = None,
                 on_put: Callable[[str, str], None] | None = None) -> None:
        if found is None:
            from netnotes.store import Renderings

            found = Renderings()
        self.found = found
        self._on_put = on_put

    def kept(self, name: str) -> Mapping[str, Held]:
        return self.found.kept(name)

    def put(self, name: str, cid: str, text: Rendering) -> None:
        self.found.put(name, cid, text)
        if self._on_put is not None:
            self._on_put(name, cid)

    def aside(self, data: bytes) -> SupportsBytes:
        """In the spill file with the rows."""
        return self.found.aside(data)


NO_FRAGMENTS = Fragments()
