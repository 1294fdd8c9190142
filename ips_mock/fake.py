"""FakeIps: the whole fake in one pytest-free object, and a WSGI application."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lxml import etree

from . import operations
from .app import DEFAULT_MAX_REQUEST_BYTES, HandlerError, IpsApp
from .clock import FakeClock
from .journal import Exchange, Journal
from .model import State
from .protocol.auth import Credentials
from .protocol.envelope import SoapRequest
from .scenario import DEFAULT_SCENARIO, Scenario, load_scenario
from .service import IpsService

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

__all__ = ["FakeIps", "ScenarioSource"]

ScenarioSource = Scenario | str | Path | Mapping[str, Any]


class FakeIps:
    """A faithful fake of the IPS SOAP API over the state a scenario describes.

    ``FakeIps()`` starts from the built-in default scenario. The object is a WSGI application: mount it in any
    WSGI server, call it with ``werkzeug.test.Client``, or serve it with :class:`ips_mock.ServerThread`.

    Time: :meth:`now` is the active freezer's time (freezegun, pytest-freezer, time-machine) or else the fake's own
    manual clock, which starts at the scenario's ``clock.start``. Every request, :meth:`advance` and
    :meth:`move_to` first run all work due up to now (fires, run steps, completions) in a fixed order.
    """

    def __init__(
        self, scenario: ScenarioSource | None = None, *, max_request_bytes: int = DEFAULT_MAX_REQUEST_BYTES
    ) -> None:
        self._lock = threading.RLock()
        self.scenario = _as_scenario(scenario if scenario is not None else DEFAULT_SCENARIO)
        self.journal = Journal()
        self.app = IpsApp(
            self._dispatch, max_request_bytes=max_request_bytes, journal=self.journal, virtual_now=self.now
        )
        self._rebuild()

    @classmethod
    def from_scenario(cls, source: ScenarioSource, **options: Any) -> FakeIps:
        """A fake built from a scenario file path or mapping."""
        return cls(source, **options)

    # ------------------------------------------------------------------------------------------------ state

    def load(self, scenario: ScenarioSource) -> None:
        """Replace the scenario and rebuild all state from it. A bad scenario changes nothing."""
        loaded = _as_scenario(scenario)
        with self._lock:
            self.scenario = loaded
            self._rebuild()

    def reset(self) -> None:
        """Back to the loaded scenario: state and clock rebuilt from scratch, handler errors forgotten."""
        with self._lock:
            self._rebuild()

    def _rebuild(self) -> None:
        self.clock = FakeClock(self.scenario.start)
        self.state: State = self.scenario.build_state()
        self.service = IpsService(self.state, zone=self.scenario.zone, misfire=self.scenario.misfire)
        self.app.errors.clear()
        self.journal.clear()

    @property
    def errors(self) -> list[HandlerError]:
        """Unexpected exceptions raised inside the fake (each was answered with a 30000 fault)."""
        return self.app.errors

    # ------------------------------------------------------------------------------------------------ time

    def now(self) -> datetime:
        """The fake's current time, in the server's zone."""
        return self.clock.now().astimezone(self.scenario.zone)

    def advance(self, delta: timedelta) -> datetime:
        """Move the clock (or the active freezer) forward by ``delta`` and run what fell due, in order."""
        with self._lock:
            self.clock.advance(delta)
            return self._catch_up()

    def move_to(self, instant: datetime) -> datetime:
        """Move the clock (or the active freezer) forward to ``instant`` and run what fell due, in order."""
        with self._lock:
            self.clock.move_to(instant)
            return self._catch_up()

    def run_due(self) -> datetime:
        """Run what is due at the current time (requests do this by themselves)."""
        with self._lock:
            return self._catch_up()

    def _catch_up(self) -> datetime:
        now = self.clock.now()
        self.service.observe(now)
        return now.astimezone(self.scenario.zone)

    # ------------------------------------------------------------------------------------------------ WSGI

    def _dispatch(self, request: SoapRequest, credentials: Credentials, exchange: Exchange) -> etree._Element:
        with self._lock:
            now = self.clock.now()
            exchange.virtual_time = now.astimezone(self.scenario.zone)
            self.service.observe(now)
            return operations.dispatch(
                self.service, request, credentials, zone=self.scenario.zone, now=now, exchange=exchange
            )

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        return self.app(environ, start_response)


def _as_scenario(source: ScenarioSource) -> Scenario:
    return source if isinstance(source, Scenario) else load_scenario(source)
