"""Kept renderings of a report's per-contact pieces: what ``render``'s ``|each`` and the JSON
writer ask for before they render a contact again (netnotes.memo keeps them between runs).

On its own module so that a JSON report, which never needs Jinja2, can use it too."""

from __future__ import annotations


class Fragments:
    """The renderings of one output kind: ``get(name, contact id)`` a kept one, or None;
    ``put`` one just made.  This base class keeps nothing: a report made without a memo renders
    everything."""

    def get(self, name: str, cid: str) -> str | None:
        return None

    def put(self, name: str, cid: str, text: str) -> None:
        pass


NO_FRAGMENTS = Fragments()


class Miss(Exception):
    """A kept rendering was needed and is not there: the report is made whole instead."""


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
