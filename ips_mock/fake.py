"""FakeIps: the whole fake in one pytest-free object, and a WSGI application."""

from __future__ import annotations

import functools
import threading
import traceback
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from lxml import etree

from . import operations
from .app import IpsApp
from .callbacks import DEFAULT_CALLBACK_TIMEOUT, CallbackPolicy, deliver
from .clock import ClockMode, FakeClock
from .errors import IpsFault
from .journal import DEFAULT_JOURNAL_LIMITS, Exchange, Journal, JournalLimits
from .model import State
from .model.state import Retention
from .pipeline import DEFAULT_MAX_REQUEST_BYTES, Backend, HandlerError, TransportFault
from .protocol.auth import Credentials
from .protocol.transport import IpsRequest
from .protocol.xml import ParseLimits
from .scenario import DEFAULT_SCENARIO, Scenario, load_scenario
from .scripted import Injector, build_runtime, job_name_of, unmet_expectations
from .service import ClockWentBackError, IpsService

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

    from .playback import Playback
    from .scenario.spec import FaultAction

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
        self,
        scenario: ScenarioSource | None = None,
        *,
        max_request_bytes: int = DEFAULT_MAX_REQUEST_BYTES,
        parse_limits: ParseLimits | None = None,
        validate_responses: bool = False,
        start: datetime | None = None,
        journal_limits: JournalLimits | None = None,
        playback: Playback | None = None,
        retention: Retention | None = None,
        callback_hosts: Iterable[str] = (),
        callback_timeout: float | None = None,
        clock_mode: ClockMode = "manual",
        challenge_basic: bool = False,
    ) -> None:
        """``validate_responses`` checks every reply against ips-mock's own schema and records a violation as a
        handler error; ``start`` overrides the scenario's ``clock.start``; ``journal_limits`` bounds what the
        journal keeps (:class:`ips_mock.journal.JournalLimits`). ``clock_mode="wall"`` makes the fake's own clock
        follow real time from ``clock.start`` (due work then runs on the next request or :meth:`run_due`).
        ``challenge_basic`` answers a request with no credentials at all ``401`` with ``WWW-Authenticate: Basic``
        instead of the fault 10000 IPS sends (for clients that send Basic only when challenged). ``playback``
        answers the operations a recorded transcript covers from it (:class:`ips_mock.playback.Playback`);
        ``parse_limits`` bounds the work one request's XML may make (:class:`ips_mock.protocol.xml.ParseLimits`);
        ``retention`` bounds the finished runs and logs kept (:class:`ips_mock.model.Retention`);
        ``callback_hosts`` names hosts beside loopback that the HTTP calls of ended runs may go to (``"*"``: any),
        each call waiting at most ``callback_timeout`` seconds (default: the scenario's ``callbacks.timeout``, else
        5; see :mod:`ips_mock.callbacks`)."""
        self._lock = threading.RLock()
        self.clock_mode: ClockMode = clock_mode
        loaded = _as_scenario(scenario) if scenario is not None else _builtin_scenario()
        self.scenario = replace(loaded, start=start) if start is not None else loaded
        self.journal = Journal(journal_limits or DEFAULT_JOURNAL_LIMITS)
        self.retention = retention
        """How much finished work the fake keeps (:class:`ips_mock.model.Retention`; None: the default policy)."""
        self._callback_hosts = tuple(callback_hosts)
        self._callback_timeout = callback_timeout
        self.callback_policy = self._callback_policy_for(self.scenario)
        """Which hosts the HTTP calls of ended runs may go to (loopback, ``callback_hosts`` and the scenario's
        ``callbacks.allow_hosts``), and how long each may take."""
        self._given_playback = playback
        self.playback = playback if playback is not None else _scenario_playback(self.scenario)
        self.base_url: str | None = None
        """Where the fake is served over HTTP (set by the pytest plugin; set it yourself with ServerThread)."""
        # The app reaches its fake through a weak reference: without the cycle fake -> app -> fake, a fake
        # nobody holds any more (a finished test's) is freed at once by reference counting, not left to the
        # cyclic collector, whose extra passes cost a test about as much as building the fake.
        self.app = IpsApp(
            cast(Backend, weakref.proxy(self)),
            max_request_bytes=max_request_bytes,
            parse_limits=parse_limits,
            journal=self.journal,
            validate_responses=validate_responses,
            challenge_basic=challenge_basic,
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
        runtime = build_runtime(loaded, retention=self.retention)  # raises before anything changes
        playback = self._given_playback or _scenario_playback(loaded)
        clock = FakeClock(loaded.start, mode=self.clock_mode)  # so does a start the clock cannot hold
        policy = self._callback_policy_for(loaded)
        with self._lock:
            self.scenario = loaded
            self.playback = playback
            self.callback_policy = policy
            self._install(*runtime, clock=clock)

    def reset(self) -> None:
        """Back to the loaded scenario: state and clock rebuilt from scratch, handler errors forgotten."""
        with self._lock:
            self._rebuild()

    def _rebuild(self) -> None:
        self._install(
            *build_runtime(self.scenario, retention=self.retention),
            clock=FakeClock(self.scenario.start, mode=self.clock_mode),
        )

    def _install(self, state: State, service: IpsService, injector: Injector, *, clock: FakeClock) -> None:
        self.clock = clock
        self.state: State = state
        self.service = service
        self.injector = injector
        self.app.errors.clear()
        self.app.unhandled.clear()
        self.journal.clear()
        if self.playback is not None:
            self.playback.reset()

    def _callback_policy_for(self, scenario: Scenario) -> CallbackPolicy:
        timeout = self._callback_timeout or scenario.callback_timeout or DEFAULT_CALLBACK_TIMEOUT
        return _callback_policy(self._callback_hosts + tuple(scenario.callback_hosts), timeout)

    @property
    def errors(self) -> list[HandlerError]:
        """Unexpected exceptions raised inside the fake (each was answered with a 30000 fault)."""
        return self.app.errors

    def unhandled(self) -> list[str]:
        """Requests the fake could not handle: unknown URLs, and operations it does not implement or know."""
        return list(self.app.unhandled) + [e.describe() for e in self.journal if e.unhandled]

    # ------------------------------------------------------------------------------------------------ URLs

    def _served(self) -> str:
        if self.base_url is None:
            raise RuntimeError(
                "this fake is not served over HTTP: use the ips fixture, or set fake.base_url = server.url after "
                "starting ServerThread(fake)"
            )
        return self.base_url.rstrip("/")

    @property
    def url(self) -> str:
        """The SOAP endpoint, ``<base_url>/scene7/services/IpsApiService``."""
        return f"{self._served()}/scene7/services/IpsApiService"

    @property
    def wsdl_url(self) -> str:
        """The 2014-04-03 WSDL ips-mock serves (its address points back at this server)."""
        return self.wsdl_url_for("2014-04-03")

    def wsdl_url_for(self, version: str) -> str:
        """The WSDL ips-mock serves for ``version``, e.g. ``2013-02-15``."""
        return f"{self._served()}/scene7/webservice/IpsApi-{version}.wsdl"

    def intercept(self, *base_urls: str) -> Any:
        """A context manager routing ``requests`` calls for ``base_urls`` (default: Adobe's hosts) to this fake."""
        from .intercept import intercept

        return intercept(self, *base_urls)

    # ------------------------------------------------------------------------------------------------ time

    def now(self) -> datetime:
        """The fake's current time, in the server's zone."""
        return self.clock.now().astimezone(self.scenario.zone)

    def advance(self, delta: timedelta) -> datetime:
        """Move the clock (or the active freezer) forward by ``delta`` and run what fell due, in order."""
        with self._serialized():
            self.clock.advance(delta)
            return self._catch_up()

    def move_to(self, instant: datetime) -> datetime:
        """Move the clock (or the active freezer) forward to ``instant`` and run what fell due, in order."""
        with self._serialized():
            self.clock.move_to(instant)
            return self._catch_up()

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the fake's lock: requests and clock moves wait until the block ends (for consistent reads)."""
        with self._lock:
            yield

    def run_due(self) -> datetime:
        """Run what is due at the current time (requests do this by themselves)."""
        with self._serialized():
            return self._catch_up()

    def _serialized(self) -> _Serialized:
        """Hold the lock for the block; then, with the lock released, make the HTTP calls the block's work asked
        for (runs that ended), in order (see :mod:`ips_mock.callbacks`)."""
        return _Serialized(self)

    def _catch_up(self) -> datetime:
        now = self.clock.now()
        self.service.observe(now)
        return now.astimezone(self.scenario.zone)

    # ------------------------------------------------------------------------- the pipeline's backend

    def virtual_now(self) -> datetime:
        return self.now()

    def download(self, name: str) -> bytes | None:
        """An export's zip by its file name (``<run id>.zip``), or None."""
        stem, _, extension = name.partition(".")
        with self._lock:
            archive = self.state.exports.get(int(stem)) if stem.isdigit() and extension == "zip" else None
        if archive is None:
            return None
        from .exports import export_zip  # zipfile and its imports: only a fake that serves a download needs them

        return export_zip(archive, self.scenario.zone)

    def _observe(self, now: datetime, operation: str) -> None:
        try:
            self.service.observe(now)
        except ClockWentBackError as exc:  # a test mistake: answered as a fault, and kept for verify()
            self.app.errors.append(HandlerError(operation, exc, traceback.format_exc()))
            raise

    def injected_delay(self, request: IpsRequest, credentials: Credentials, exchange: Exchange) -> float:
        """Apply the scenario fault that matches this request, if any (see :class:`ips_mock.pipeline.Backend`)."""
        if not self.injector.scenario.faults:  # nothing to inject; execute() observes the clock as this would
            return 0.0
        with self._serialized():
            now = self.clock.now()
            exchange.virtual_time = now.astimezone(self.scenario.zone)
            self._observe(now, request.operation)
            rule = self.injector.fault_for(request.operation, job_name_of(request.param), credentials.user, now)
            if rule is None:
                return 0.0
            action = rule.action
            garbage = self.injector.garbage(action.size) if action.kind == "garbage" else b""
        # The fault answers before authentication; the journal still says who asked for what.
        exchange.caller = credentials.user
        exchange.params = operations.peek_params(request)
        exchange.injected = action.kind
        return _apply(action, garbage)

    def execute(self, request: IpsRequest, credentials: Credentials, exchange: Exchange) -> etree._Element:
        """Authenticate, authorize and run one request at the current time (see :func:`operations.dispatch`)."""
        with self._serialized():
            now = self.clock.now()  # a delay may have let a test move the clock
            exchange.virtual_time = now.astimezone(self.scenario.zone)
            self._observe(now, request.operation)
            if self.playback is not None and (recorded := self._play(request, credentials, exchange)) is not None:
                return recorded
            return operations.dispatch(
                self.service,
                request,
                credentials,
                zone=self.scenario.zone,
                now=now,
                exchange=exchange,
                stub=self._stub_for(request) if self.scenario.stubs else None,
            )

    def _stub_for(self, request: IpsRequest) -> Callable[[str], etree._Element | None]:
        return lambda operation: self.injector.stub_for(operation, request.api_version)

    def _play(self, request: IpsRequest, credentials: Credentials, exchange: Exchange) -> etree._Element | None:
        """The recorded reply when playback covers the operation (credentials play no part), else None."""
        assert self.playback is not None
        if not self.playback.covers(request.operation):
            return None
        exchange.caller = credentials.user
        exchange.params = operations.peek_params(request)
        exchange.injected = "playback"
        return self.playback.answer(request)

    def save_transcript(self, path: str | Path, *, description: str | None = None) -> int:
        """Write this fake's journal as a transcript (see :func:`ips_mock.recording.save_journal`)."""
        from .recording import save_journal

        return save_journal(self.journal, path, description=description)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        return self.app.wsgi_app(environ, start_response)

    # ------------------------------------------------------------------------------------------ checking

    def unmet_expectations(self) -> list[str]:
        """The scenario's ``expect`` entries that do not hold now, one located message each."""
        with self._lock:
            return unmet_expectations(self.scenario, self.journal, self.state)

    def problems(self) -> list[str]:
        """Handler errors, requests the fake could not handle, and unmet expectations: one line each."""
        lines = [f"ips-mock handler error in {e.operation or 'request'}: {e.exception!r}" for e in self.errors]
        lines += [f"ips-mock could not handle: {line}" for line in self.unhandled()]
        return lines + self.unmet_expectations()

    def verify(self) -> None:
        """Raise ``AssertionError`` listing :meth:`problems`, with the journal, if there are any."""
        __tracebackhide__ = True
        if problems := self.problems():
            raise AssertionError("\n".join(problems) + "\n" + self.journal.report())


class _Serialized:
    """:meth:`FakeIps._serialized`'s block (a class: contextlib's generator machinery cost a request more than
    the lock did). Made per block, so it never outlives it: a fake holding one would be a reference cycle."""

    __slots__ = ("_fake",)

    def __init__(self, fake: FakeIps) -> None:
        self._fake = fake

    def __enter__(self) -> None:
        self._fake._lock.acquire()

    def __exit__(self, *exc_info: object) -> None:
        fake = self._fake
        try:
            state = fake.state
            calls, state.pending_calls = state.pending_calls, []
        finally:
            fake._lock.release()
        if calls:
            deliver(calls, fake.callback_policy)


def _apply(action: FaultAction, garbage: bytes) -> float:
    """A scenario fault as the pipeline takes it: seconds to wait, or the exception that answers instead."""
    if action.kind == "delay":
        return action.delay.total_seconds()
    if action.kind == "fault":
        raise IpsFault(action.code, action.reason)
    if action.kind == "http":
        raise TransportFault("http", action.status, action.body.encode(), action.content_type or "text/plain")
    if action.kind == "drop":
        raise TransportFault("drop")
    raise TransportFault("garbage", 200, garbage)


def _scenario_playback(scenario: Scenario) -> Playback | None:
    if scenario.playback is None:
        return None
    from .playback import Playback
    from .scenario.transcript import load_transcript

    return Playback(load_transcript(scenario.playback))


def _as_scenario(source: ScenarioSource) -> Scenario:
    return source if isinstance(source, Scenario) else load_scenario(source)


@functools.lru_cache(maxsize=64)
def _callback_policy(hosts: tuple[str, ...], timeout: float) -> CallbackPolicy:
    """The policy for ``hosts`` (frozen, so fakes with the same hosts share one)."""
    return CallbackPolicy.allowing(hosts, timeout=timeout)


@functools.cache
def _builtin_scenario() -> Scenario:
    """The built-in scenario, loaded once per process: it ships with the package, so unlike a user's file it
    cannot change while tests run (and checking that it did not cost a stat per fake)."""
    return load_scenario(DEFAULT_SCENARIO)
