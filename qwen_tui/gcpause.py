"""Pause Python's cyclic garbage collector around bulk work that makes many objects.

Reference counting frees almost everything we make (no cycles in our data), but the cyclic
collector still runs whenever enough containers were allocated, and each full collection walks
every live object. Building tens of thousands of repos triggers several: ~20 % of a refresh, and
~0.5 s of a 2 s load of 100k discovered repos, spent holding the GIL (the explorer's keys wait).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_pausers = 0
_was_enabled = False


@contextmanager
def gc_paused(*, freeze: bool = False) -> Iterator[None]:
    """Run the block with the collector off. Counted, so overlapping blocks (threads) turn it
    back on only when the last ends, and only if it was on. `freeze`: the objects that exist at
    the end (a big, long-lived result) move to the permanent generation, so later collections
    never walk them again; acyclic objects are still freed by reference counting."""
    global _pausers, _was_enabled
    with _lock:
        if _pausers == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _pausers += 1
    try:
        yield
    finally:
        with _lock:
            _pausers -= 1
            if freeze:
                gc.freeze()
            if _pausers == 0 and _was_enabled:
                gc.enable()
