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
- engine: Miss — what is kept cannot be used this time (a cache miss, never an error)
- spill: Renderings, spill_folder — a report's kept renderings, each JSON row in a spill file
  rather than in memory
- reporting: Reporter, ReportOptions, ReportParts, KnownShape, MadeReport, PlainTotals,
  offer_reporter — what the remembered report asks of the layers above (they implement
  Reporter and hand it to Session.report)

Other packages never import a module of the store itself (checked by import-linter): what is
fresh is decided here, behind these names.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from netnotes.core.lazy import lazy_attributes

if TYPE_CHECKING:
    from netnotes.store.answers import Answer as Answer
    from netnotes.store.cache import IndexStats as IndexStats
    from netnotes.store.engine import Miss as Miss
    from netnotes.store.indexer import read_records as read_records
    from netnotes.store.load import load_vault as load_vault
    from netnotes.store.load import open_vault as open_vault
    from netnotes.store.load import read_vault as read_vault
    from netnotes.store.reporting import KnownShape as KnownShape
    from netnotes.store.reporting import MadeReport as MadeReport
    from netnotes.store.reporting import PlainTotals as PlainTotals
    from netnotes.store.reporting import Reporter as Reporter
    from netnotes.store.reporting import ReportOptions as ReportOptions
    from netnotes.store.reporting import ReportParts as ReportParts
    from netnotes.store.reporting import offer_reporter as offer_reporter
    from netnotes.store.session import Listing as Listing
    from netnotes.store.session import Made as Made
    from netnotes.store.session import Session as Session
    from netnotes.store.spill import Renderings as Renderings
    from netnotes.store.spill import spill_folder as spill_folder

_PUBLIC = {
    "Answer": "netnotes.store.answers",
    "IndexStats": "netnotes.store.cache",
    "KnownShape": "netnotes.store.reporting",
    "MadeReport": "netnotes.store.reporting",
    "Miss": "netnotes.store.engine",
    "PlainTotals": "netnotes.store.reporting",
    "ReportOptions": "netnotes.store.reporting",
    "ReportParts": "netnotes.store.reporting",
    "Reporter": "netnotes.store.reporting",
    "offer_reporter": "netnotes.store.reporting",
    "Listing": "netnotes.store.session",
    "Made": "netnotes.store.session",
    "Session": "netnotes.store.session",
    "Renderings": "netnotes.store.spill",
    "spill_folder": "netnotes.store.spill",
    "load_vault": "netnotes.store.load",
    "open_vault": "netnotes.store.load",
    "read_records": "netnotes.store.indexer",
    "read_vault": "netnotes.store.load",
}

__all__ = sorted(_PUBLIC)


__getattr__ = lazy_attributes(__name__, _PUBLIC)
