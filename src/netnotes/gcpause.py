"""Pausing Python's cyclic garbage collector while a big, acyclic structure is built.

Loading a vault and building a report create hundreds of thousands of small objects (records,
interactions, rows, dicts of the JSON shape) and no reference cycles.  Each time enough new
objects pile up, the cyclic collector walks every live object again, so on a 10,000-contact vault
it spends over a second finding nothing.  Reference counting still frees everything as usual;
the collector is switched back on (if it was on) as soon as the work is done.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """Run the body without the cyclic collector, restoring its previous state afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
