"""Pausing Python's cyclic garbage collector while a large scenario is read and installed.

Reading a scenario allocates hundreds of thousands of containers that all stay alive (the loaded scenario is kept
for the process); each allocation burst triggers collections that walk every object built so far, which for a
10,000-job scenario took longer than the reading itself. Nothing built there forms a cycle that needs collecting,
so the collector is paused for the duration and resumed after (reference counting frees everything as usual).

Resumed as they are, the objects made meanwhile would all be young, and the next collections would walk them once
as young and once more as middle-aged (about 0.2 s for that scenario) before finding them old. So after a pause
that made many of them, they are moved to the oldest generation at once: ``gc.freeze()`` then ``gc.unfreeze()``,
which moves lists of objects without walking them. Young objects of the rest of the program move with them, so
cyclic garbage among them is collected at the next full collection rather than sooner. A program that froze
objects itself (``gc.get_freeze_count()``) keeps them frozen: the objects are then walked once by ``gc.collect(1)``.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Final

__all__ = ["gc_paused"]

_PROMOTE_AFTER: Final = 50_000
"""Objects made (net) while paused past which they are made old on resuming; a small scenario makes a few
thousand, which the collector's usual course handles."""


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
        if gc.get_count()[0] > _PROMOTE_AFTER:
            _make_old()
        gc.enable()


def _make_old() -> None:
    """Move every young object to the oldest generation."""
    if gc.get_freeze_count() == 0:
        gc.freeze()
        gc.unfreeze()
    else:  # the program's own frozen objects stay frozen
        gc.collect(1)
