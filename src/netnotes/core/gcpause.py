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

freezing = False  # one_shot(): paused sections freeze what they built as they end


def one_shot(on: bool = True) -> None:
    """Say that this process ends when its command does (the command line, but not ``watch``).

    Then what a paused section built is frozen (gc.freeze) as it ends, instead of walked by the
    first collection after it: the objects were all made while the collector was off, so that
    collection looks at every one of them (0.35 s after a whole report of 10,000 contacts) and
    finds nothing.  Frozen objects are still freed by reference counting; only cyclic garbage
    would stay until the process exits, which it is about to do.  A long-running process must
    not freeze: it would keep each run's cycles for ever."""
    global freezing
    freezing = on


@contextmanager
def paused_gc() -> Iterator[None]:
    """Run the body without the cyclic collector, restoring its previous state afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freezing:
            gc.freeze()
        if was_enabled:
            gc.enable()
