"""The one place the fake reads the time.

:class:`FakeClock` answers with the active freezer's time when freezegun (``freeze_time``, pytest-freezer's
``freezer``) or time-machine is travelling, and with its own manual instant otherwise. Moving it (``advance``,
``move_to``) moves whichever is in charge. Nothing else in ips-mock calls ``datetime.now``: the domain receives
``now`` as an argument.
"""

from __future__ import annotations

import datetime as _dt
import sys
import time
from collections.abc import Callable
from typing import Final, Literal, Protocol

from .errors import IpsMockError

__all__ = ["FIRST_INSTANT", "LAST_INSTANT", "ClockError", "ClockMode", "FakeClock", "active_freezer"]

ClockMode = Literal["manual", "wall"]
"""How the fake's own clock moves when no freezer is active: only when told (``manual``), or also with real time
(``wall``: for a long-running server an application talks to)."""

FIRST_INSTANT: Final = _dt.datetime(2, 1, 1, tzinfo=_dt.UTC)
LAST_INSTANT: Final = _dt.datetime(9998, 12, 31, 23, 59, 59, 999999, tzinfo=_dt.UTC)
"""The instants ips-mock models. Python stops at years 1 and 9999; a year to spare at each end keeps every
offset, run step and schedule computed from a modelled instant representable."""


class ClockError(IpsMockError):
    """The clock was asked to do something time cannot do (go backwards, take a naive instant)."""


def _aware(instant: _dt.datetime, what: str) -> _dt.datetime:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ClockError(f"{what} {instant.isoformat()} has no time zone; give an aware datetime")
    return instant


class Freezer(Protocol):
    """A time freezer that controls ``datetime.now`` in this process."""

    name: str

    def now(self) -> _dt.datetime: ...

    def shift(self, delta: _dt.timedelta) -> None: ...


def active_freezer() -> Freezer | None:
    """The freezer travelling right now, if any. Neither library is imported unless the test already did."""
    # The adapters are imported only when a freezer is travelling, so a server (which has none) never loads them.
    freezegun_api = sys.modules.get("freezegun.api")
    if freezegun_api is not None and getattr(freezegun_api, "freeze_factories", None):
        from .freezers import Freezegun

        return Freezegun(freezegun_api.freeze_factories[-1])
    time_machine = sys.modules.get("time_machine")
    if time_machine is not None and time_machine.escape_hatch.is_travelling():
        # time-machine 3 calls its stack traveller_stack; 2.x called it coordinates_stack.
        stack = getattr(time_machine, "traveller_stack", None) or getattr(time_machine, "coordinates_stack", None)
        if stack:
            from .freezers import TimeMachine

            return TimeMachine(stack[-1])
    return None


class FakeClock:
    """The fake's time: an active freezer's, else its own instant that ``advance``/``move_to`` move (and that
    carries on from the latest time a freezer showed). In ``wall`` mode its own instant also moves with real
    time (read from ``monotonic``), starting from ``start``."""

    def __init__(
        self, start: _dt.datetime, *, mode: ClockMode = "manual", monotonic: Callable[[], float] = time.monotonic
    ) -> None:
        if mode not in ("manual", "wall"):
            raise ValueError(f"clock mode must be 'manual' or 'wall', not {mode!r}")
        self.mode: ClockMode = mode
        self._monotonic = monotonic
        # In UTC: adding a timedelta to a zoned datetime adds wall-clock time, wrong across a DST change.
        # The instant the own clock showed, and the monotonic reading then (wall mode counts on from it): one
        # tuple, so a reader on another thread never pairs an old instant with a new reading.
        self._anchor = (_aware(start, "the clock start").astimezone(_dt.UTC), monotonic())

    @property
    def source(self) -> str:
        """``freezegun``, ``time-machine``, ``manual`` or ``wall``: who is in charge of the time now."""
        freezer = active_freezer()
        return freezer.name if freezer is not None else self.mode

    def _own(self) -> _dt.datetime:
        instant, since = self._anchor
        if self.mode == "manual":
            return instant
        return instant + _dt.timedelta(seconds=self._monotonic() - since)

    def _set_own(self, instant: _dt.datetime) -> None:
        self._anchor = (instant, self._monotonic())

    def now(self) -> _dt.datetime:
        freezer = active_freezer()
        if freezer is None:
            return self._own()
        instant = freezer.now().astimezone(_dt.UTC)
        # When the freezer stops, the own clock goes on from the latest time it showed, not from behind it.
        self._set_own(max(self._own(), instant))
        return instant

    def advance(self, delta: _dt.timedelta) -> _dt.datetime:
        if delta < _dt.timedelta(0):
            raise ClockError(f"cannot move the clock backwards (advance by {delta}); time only moves forward")
        if delta > LAST_INSTANT - self.now():
            raise ClockError(f"cannot move the clock past {LAST_INSTANT.isoformat()}, the last instant ips-mock models")
        freezer = active_freezer()
        if freezer is not None:
            freezer.shift(delta)
        else:
            self._set_own(self._own() + delta)
        return self.now()

    def move_to(self, instant: _dt.datetime) -> _dt.datetime:
        target = _aware(instant, "move_to target")
        now = self.now()
        if target < now:
            raise ClockError(
                f"cannot move the clock backwards from {now.isoformat()} to {target.isoformat()}; "
                "time only moves forward (reset the fake to start over)"
            )
        return self.advance(target - now)
