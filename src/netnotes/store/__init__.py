"""Everything kept under .netnotes/ between runs and the one place that decides what is fresh; it
imports vault and core.

Public names (what other packages import from here; each is loaded on first use,
so importing the package stays cheap):

- session: Session — a command asks it for the vault, a report or a finished answer; Listing,
  Made — what ``Session.relist`` and ``Session.made_report`` give a long-lived caller (watch)
- answers: Answer — what a command prints (stdout, stderr, exit code)
- load: load_vault, open_vault, read_vault — the whole vault, unchanged notes from the index
- indexer: read_records — the notes of a listing as records, unchanged ones from the index
- cache: IndexStats — what the index did

Other packages never import a module of the store itself (checked by import-linter): what is
fresh is decided here, behind these names.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from netnotes.core.lazy import lazy_attributes

if TYPE_CHECKING:
    from netnotes.store.answers import Answer as Answer
    from netnotes.store.cache import IndexStats as IndexStats
    from netnotes.store.indexer import read_records as read_records
    from netnotes.store.load import load_vault as load_vault
    from netnotes.store.load import open_vault as open_vault
    from netnotes.store.load import read_vault as read_vault
    from netnotes.store.session import Listing as Listing
    from netnotes.store.session import Made as Made
    from netnotes.store.session import Session as Session

_PUBLIC = {
    "Answer": "netnotes.store.answers",
    "IndexStats": "netnotes.store.cache",
    "Listing": "netnotes.store.session",
    "Made": "netnotes.store.session",
    "Session": "netnotes.store.session",
    "load_vault": "netnotes.store.load",
    "open_vault": "netnotes.store.load",
    "read_records": "netnotes.store.indexer",
    "read_vault": "netnotes.store.load",
}

__all__ = sorted(_PUBLIC)


__getattr__ = lazy_attributes(__name__, _PUBLIC)
