"""Pausing Python's cyclic garbage collector while a large scenario is read and installed.

Reading a scenario allocates hundreds of thousands of containers that all stay alive; each allocation burst
triggers collections that walk every object built so far, which for a 10,000-job scenario took longer than the
reading itself. Nothing built there forms a cycle that needs collecting, so the collector is paused for the
duration and resumed after (reference counting frees everything as usual).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["gc_paused"]


@contextmanager
def gc_paused() -> Iterator[None]:
    """Run the block with the cyclic collector off, if it was on; it is switched back on after.

    A collector switched off by the application stays off. Two threads pausing at once may resume it while the
    other still reads: that costs time, never correctness."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
