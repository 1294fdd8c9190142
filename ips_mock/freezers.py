"""The adapters :func:`ips_mock.clock.active_freezer` returns: each library's travelling time as a
:class:`ips_mock.clock.Freezer`. Imported only when freezegun or time-machine is travelling."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Any

__all__ = ["Freezegun", "TimeMachine"]


@dataclass
class Freezegun:
    """freezegun's (or pytest-freezer's) active ``freeze_time``, seen through :class:`ips_mock.clock.Freezer`."""

    factory: Any
    name: str = "freezegun"

    def now(self) -> _dt.datetime:
        return _dt.datetime.now(_dt.UTC)

    def shift(self, delta: _dt.timedelta) -> None:
        self.factory.tick(delta)


@dataclass
class TimeMachine:
    """time-machine's active traveller, seen through :class:`ips_mock.clock.Freezer`."""

    traveller: Any
    name: str = "time-machine"

    def now(self) -> _dt.datetime:
        return _dt.datetime.now(_dt.UTC)

    def shift(self, delta: _dt.timedelta) -> None:
        self.traveller.shift(delta)
