"""Loading a whole vault: the one call every command reads notes through.

``load_vault`` lists the notes, serves the unchanged ones from the index (netnotes.store.indexer)
and parses the rest, then assembles the model; it never raises on a bad note.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from netnotes.core import (
    ConfigError,
    Problem,
    Vault,
    paused_gc,
)
from netnotes.vault import (
    NoteFile,
    find_vault,
    list_notes,
    load_config,
)

if TYPE_CHECKING:
    from netnotes.store.cache import IndexStats
from netnotes.vault import assemble


def load_vault(root: str | os.PathLike[str], *, use_cache: bool = True) -> Vault:
    """Read every note of the vault at ``root``.  Never raises on a bad note: the vault's
    ``problems`` say what was skipped.  Raises ConfigError only when netnotes.toml cannot be
    parsed at all (then the folders themselves are unknown).

    Notes unchanged since the last run come from the index under ``.netnotes/`` (see
    netnotes.store.cache); ``use_cache=False`` reads every note.  Use ``read_vault`` for what the
    index did and its notice."""
    return read_vault(root, use_cache=use_cache)[0]


def read_vault(root: str | os.PathLike[str], *, use_cache: bool = True, rebuild: bool = False,
               progress: Callable[[int], AbstractContextManager[Any]] | None = None,
               listing: tuple[Sequence[NoteFile], Sequence[Problem]] | None = None
               ) -> tuple[Vault, IndexStats]:
    """``load_vault`` that also says what the index did: how many notes were parsed, served from
    the cache or dropped, and a one-line notice when the cache could not be used (the answer is
    the same either way).  ``rebuild`` ignores and rewrites the cache; ``progress(total)`` gives a
    context manager whose ``update(n)`` is called as notes are parsed (click.progressbar fits).
    ``listing`` is the vault's notes and the problems met listing them, when the caller has
    just listed it (engine.snapshot): the vault is then listed once."""
    from netnotes.store import indexer

    # Loading creates a few objects per log line and no reference cycles: the cyclic collector
    # would only walk the growing heap again and again (a third of a warm load's time).
    with paused_gc():
        return _read_vault(Path(root).resolve(), indexer, use_cache, rebuild, progress, listing)


def _read_vault(root: Path, indexer: Any, use_cache: bool, rebuild: bool,
                progress: Callable[[int], AbstractContextManager[Any]] | None,
                listing: tuple[Sequence[NoteFile], Sequence[Problem]] | None
                ) -> tuple[Vault, IndexStats]:
    config, problems = load_config(root)
    if any(p.code in ("config-syntax", "config-unreadable", "config-encoding") for p in problems):
        raise ConfigError(problems)
    if listing is None:
        notes, list_problems = list_notes(root, config)
    else:
        notes, list_problems = list(listing[0]), list(listing[1])
    records, stats = indexer.read_records(root, config, notes, use_cache=use_cache,
                                          rebuild=rebuild, progress=progress)
    vault = assemble(root, config, records, problems + list_problems, consume=True)
    from netnotes.store.careers import with_careers  # lazy: it starts git

    return with_careers(vault, use_cache=use_cache), stats


def open_vault(path: str | os.PathLike[str] | None = None, *, use_cache: bool = True) -> Vault:
    """Find the vault (``path``, ``NETNOTES_VAULT``, or upwards from here) and load it."""
    return load_vault(find_vault(path), use_cache=use_cache)
