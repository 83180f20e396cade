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
