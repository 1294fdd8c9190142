"""FakeIps: the whole fake in one pytest-free object, and a WSGI application."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .app import DEFAULT_MAX_REQUEST_BYTES, HandlerError, IpsApp
from .model import State
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
    """

    def __init__(
        self, scenario: ScenarioSource | None = None, *, max_request_bytes: int = DEFAULT_MAX_REQUEST_BYTES
    ) -> None:
        self._lock = threading.RLock()
        self.scenario = _as_scenario(scenario if scenario is not None else DEFAULT_SCENARIO)
        self.state = self.scenario.build_state()
        self.service = IpsService(self.state)
        self.app = IpsApp(
            lambda: self.service,
            zone=lambda: self.scenario.zone,
            lock=self._lock,
            max_request_bytes=max_request_bytes,
        )

    @classmethod
    def from_scenario(cls, source: ScenarioSource, **options: Any) -> FakeIps:
        """A fake built from a scenario file path or mapping."""
        return cls(source, **options)

    def load(self, scenario: ScenarioSource) -> None:
        """Replace the scenario and rebuild all state from it. A bad scenario changes nothing."""
        loaded = _as_scenario(scenario)
        with self._lock:
            self.scenario = loaded
            self._rebuild()

    def reset(self) -> None:
        """Back to the loaded scenario: state rebuilt from scratch, handler errors forgotten."""
        with self._lock:
            self._rebuild()

    def _rebuild(self) -> None:
        self.state = self.scenario.build_state()
        self.service = IpsService(self.state)
        self.app.errors.clear()

    @property
    def errors(self) -> list[HandlerError]:
        """Unexpected exceptions raised inside the fake (each was answered with a 30000 fault)."""
        return self.app.errors

    def inspect(self) -> State:
        return self.state

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        return self.app(environ, start_response)


def _as_scenario(source: ScenarioSource) -> Scenario:
    return source if isinstance(source, Scenario) else load_scenario(source)
