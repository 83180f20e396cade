"""Everything kept under .netnotes/ between runs and the one place that decides what is fresh; it
imports vault and core.

Public names (what other packages import from here; each is loaded on first use,
so importing the package stays cheap):

- answers: Answer, Snapshot, forget, lookup, snapshot, store
- cache: IndexStats, user_cache
- fragments: Fragments, Kept, Miss, NO_FRAGMENTS, Store
- indexer: read_records
- load: load_vault, open_vault, read_vault
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from netnotes.store.answers import Answer as Answer
    from netnotes.store.answers import Snapshot as Snapshot
    from netnotes.store.answers import forget as forget
    from netnotes.store.answers import lookup as lookup
    from netnotes.store.answers import snapshot as snapshot
    from netnotes.store.answers import store as store
    from netnotes.store.cache import IndexStats as IndexStats
    from netnotes.store.cache import user_cache as user_cache
    from netnotes.store.fragments import NO_FRAGMENTS as NO_FRAGMENTS
    from netnotes.store.fragments import Fragments as Fragments
    from netnotes.store.fragments import Kept as Kept
    from netnotes.store.fragments import Miss as Miss
    from netnotes.store.fragments import Store as Store
    from netnotes.store.indexer import read_records as read_records
    from netnotes.store.load import load_vault as load_vault
    from netnotes.store.load import open_vault as open_vault
    from netnotes.store.load import read_vault as read_vault

_PUBLIC = {
    "Answer": "netnotes.store.answers",
    "Fragments": "netnotes.store.fragments",
    "IndexStats": "netnotes.store.cache",
    "Kept": "netnotes.store.fragments",
    "Miss": "netnotes.store.fragments",
    "NO_FRAGMENTS": "netnotes.store.fragments",
    "Snapshot": "netnotes.store.answers",
    "Store": "netnotes.store.fragments",
    "forget": "netnotes.store.answers",
    "load_vault": "netnotes.store.load",
    "lookup": "netnotes.store.answers",
    "open_vault": "netnotes.store.load",
    "read_records": "netnotes.store.indexer",
    "read_vault": "netnotes.store.load",
    "snapshot": "netnotes.store.answers",
    "store": "netnotes.store.answers",
    "user_cache": "netnotes.store.cache",
}

__all__ = sorted(_PUBLIC)


def __getattr__(name: str) -> Any:
    if name in _PUBLIC:
        import importlib

        return getattr(importlib.import_module(_PUBLIC[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
