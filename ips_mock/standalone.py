"""The standalone server's WSGI app: the IPS endpoints, a JSON admin API, and isolated tenants.

* ``/scene7/...``: the IPS API of the default fake (what ``ips-mock serve`` prints).
* ``/__admin/...``: control it over HTTP, for clients in any language (see :data:`ADMIN_ROUTES`).
* ``/t/<tenant>/scene7/...`` and ``/t/<tenant>/__admin/...``: the same for a fake of its own, created on first
  use from the server's scenario, so tests sharing one server do not see each other's state.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any, Final

from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from .clock import ClockError
from .errors import ScenarioError
from .fake import FakeIps
from .playback import Playback
from .scenario import Scenario, load_scenario_text
from .scenario.loader import parse_duration
from .scenario.transcript import Transcript

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

__all__ = ["ADMIN_ROUTES", "StandaloneApp", "state_summary"]

MAX_TENANTS: Final = 1000
_TENANT: Final = re.compile(r"^/t/([A-Za-z0-9][A-Za-z0-9._-]{0,63})(/.*)?$")  # never '.' or '..'
MAX_SCENARIO_BYTES: Final = 10 * 1024 * 1024

ADMIN_ROUTES: Final = {
    "GET /__admin/clock": "the fake's time: {now, source}",
    "POST /__admin/clock/advance": 'move it forward: {"by": "90s"} or {"seconds": 90}; runs what fell due',
    "POST /__admin/clock/move_to": 'move it to an instant: {"to": "2026-03-08T00:00:00-08:00"}',
    "POST /__admin/reset": "rebuild state from the loaded scenario (the clock goes back to its start)",
    "PUT /__admin/scenario": "load a scenario given as YAML or JSON text; 400 with the errors if it is bad",
    "GET /__admin/state": "companies, users, job definitions, runs and logs as JSON",
    "GET /__admin/journal": "every request the fake saw",
    "GET /__admin/verify": "handler errors, unhandled requests and unmet expectations: {ok, problems}",
}


class _AdminError(Exception):
    def __init__(self, status: int, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.body = {"error": message, **extra}


def _json(data: Any, status: int = 200) -> Response:
    return Response(json.dumps(data, indent=2) + "\n", status, content_type="application/json")


def _iso(instant: datetime | None, fake: FakeIps) -> str | None:
    return None if instant is None else instant.astimezone(fake.scenario.zone).isoformat(timespec="milliseconds")


def state_summary(fake: FakeIps) -> dict[str, Any]:
    """The fake's state as plain JSON data (handles, states, counts; not every field)."""
    state = fake.state
    return {
        "now": _iso(fake.now(), fake),
        "companies": [{"handle": c.handle, "name": c.name, "rootPath": c.root_path} for c in state.companies.values()],
        "users": [
            {
                "handle": u.handle,
                "email": u.email,
                "role": u.role.value,
                "companies": sorted(f"c|{i}" for i in u.company_ids),
            }
            for u in state.users.values()
        ],
        "definitions": [
            {
                "handle": d.handle,
                "name": d.name,
                "type": d.job_type,
                "triggerState": d.trigger.state.value,
                "execSchedule": d.trigger.schedule.expression if d.trigger.schedule else None,
                "nextFireTime": _iso(d.trigger.next_fire, fake),
            }
            for d in state.definitions.values()
        ],
        "runs": [
            {
                "handle": r.handle,
                "name": r.name,
                "state": r.state.value,
                "progress": r.progress,
                "triggerTime": _iso(r.trigger_time, fake),
                "endedAt": _iso(r.ended_at, fake),
            }
            for r in state.runs.values()
        ],
        "logs": [
            {
                "handle": log.handle,
                "jobName": log.run_name,
                "originalJobName": log.original_job_name,
                "logType": log.log_type,
                "startDate": _iso(log.start_date, fake),
                "endDate": _iso(log.end_date, fake),
                "fileSuccessCount": log.file_success_count,
                "fileErrorCount": log.file_error_count,
                "fileWarningCount": log.file_warning_count,
                "fatalError": log.fatal_error,
                "details": len(log.details),
            }
            for log in state.logs
        ],
        "outbox": [
            {"kind": n.kind, "at": _iso(n.at, fake), "to": n.to, "runName": n.run_name, "outcome": n.outcome}
            for n in state.outbox
        ],
    }


def _journal(fake: FakeIps) -> list[dict[str, Any]]:
    return [
        {
            "seq": e.seq,
            "virtualTime": _iso(e.virtual_time, fake),
            "realTime": e.real_time.isoformat(timespec="milliseconds"),
            "operation": e.operation,
            "apiVersion": e.api_version,
            "soapVersion": e.soap_version,
            "caller": e.caller,
            "params": json.loads(json.dumps(e.params, default=str)) if e.params is not None else None,
            "status": e.status,
            "faultCode": e.fault_code,
            "faultReason": e.fault_reason,
            "injected": e.injected,
        }
        for e in fake.journal
    ]


class StandaloneApp:
    """Serves a default fake, its admin API, and tenants each with a fake of their own."""

    def _new_fake(self) -> FakeIps:
        playback = Playback(self.playback, covers_all=True) if self.playback is not None else None
        return FakeIps(self.scenario, playback=playback)

    def __init__(self, scenario: Scenario, *, playback: Transcript | None = None) -> None:
        self.scenario = scenario
        self.playback = playback
        """With a transcript, every fake answers every operation from it (``ips-mock serve --playback``)."""
        self.default = self._new_fake()
        self.tenants: dict[str, FakeIps] = {}
        self._lock = threading.Lock()
        self.admin_map = Map(
            [
                Rule("/__admin/", endpoint="index", methods=["GET"]),
                Rule("/__admin/clock", endpoint="clock", methods=["GET"]),
                Rule("/__admin/clock/advance", endpoint="advance", methods=["POST"]),
                Rule("/__admin/clock/move_to", endpoint="move_to", methods=["POST"]),
                Rule("/__admin/reset", endpoint="reset", methods=["POST"]),
                Rule("/__admin/scenario", endpoint="scenario", methods=["PUT", "POST"]),
                Rule("/__admin/state", endpoint="state", methods=["GET"]),
                Rule("/__admin/journal", endpoint="journal", methods=["GET"]),
                Rule("/__admin/verify", endpoint="verify", methods=["GET"]),
            ],
            strict_slashes=False,
        )

    def tenant(self, name: str) -> FakeIps:
        with self._lock:
            fake = self.tenants.get(name)
            if fake is None:
                if len(self.tenants) >= MAX_TENANTS:
                    raise _AdminError(503, f"too many tenants (at most {MAX_TENANTS}); reuse one")
                fake = self.tenants[name] = self._new_fake()
            return fake

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        fake = self.default
        if match := _TENANT.match(path):
            try:
                fake = self.tenant(match[1])
            except _AdminError as exc:
                return _json(exc.body, exc.status)(environ, start_response)
            # Serve the rest of the path under the tenant prefix, so WSDL addresses point back into it.
            environ = {
                **environ,
                "SCRIPT_NAME": environ.get("SCRIPT_NAME", "") + f"/t/{match[1]}",
                "PATH_INFO": match[2] or "/",
            }
            path = environ["PATH_INFO"]
        if path.startswith("/__admin"):
            return self._admin(fake, Request(environ))(environ, start_response)
        return fake(environ, start_response)

    # ---------------------------------------------------------------------------------------------- admin

    def _admin(self, fake: FakeIps, request: Request) -> Response:
        try:
            endpoint, _ = self.admin_map.bind_to_environ(request.environ).match()
            handler: Callable[[FakeIps, Request], Any] = getattr(self, f"_on_{endpoint}")
            return _json(handler(fake, request))
        except _AdminError as exc:
            return _json(exc.body, exc.status)
        except MethodNotAllowed as exc:
            return _json(
                {"error": f"{request.method} is not allowed here", "allowed": sorted(exc.valid_methods or [])}, 405
            )
        except NotFound:
            return _json({"error": f"no admin endpoint {request.path}", "endpoints": ADMIN_ROUTES}, 404)
        except HTTPException as exc:
            return _json({"error": str(exc)}, exc.code or 500)
        except Exception as exc:  # never an HTML error page from the admin API
            return _json({"error": f"ips-mock internal error: {exc!r}"}, 500)

    @staticmethod
    def _body(request: Request) -> dict[str, Any]:
        if not request.get_data():
            return {}
        try:
            body = json.loads(request.get_data())
        except ValueError as exc:
            raise _AdminError(400, f"the body is not JSON: {exc}") from None
        if not isinstance(body, dict):
            raise _AdminError(400, "the body must be a JSON object")
        return body

    def _on_index(self, fake: FakeIps, request: Request) -> Any:
        with self._lock:
            tenants = sorted(self.tenants)
        return {"endpoints": ADMIN_ROUTES, "tenants": tenants}

    def _on_clock(self, fake: FakeIps, request: Request) -> Any:
        return {"now": _iso(fake.now(), fake), "source": fake.clock.source}

    def _on_advance(self, fake: FakeIps, request: Request) -> Any:
        body = self._body(request)
        value = body.get("by", body.get("seconds"))
        if value is None or isinstance(value, bool) or not isinstance(value, int | float | str):
            raise _AdminError(400, 'give {"by": "90s"} or {"seconds": 90}')
        try:
            fake.advance(parse_duration(value))
        except (ValueError, OverflowError, ClockError) as exc:
            raise _AdminError(400, str(exc)) from None
        return self._on_clock(fake, request)

    def _on_move_to(self, fake: FakeIps, request: Request) -> Any:
        target = self._body(request).get("to")
        try:
            fake.move_to(datetime.fromisoformat(str(target)))
        except (ValueError, OverflowError, ClockError) as exc:
            raise _AdminError(400, f'give {{"to": "<instant with offset>"}}: {exc}') from None
        return self._on_clock(fake, request)

    def _on_reset(self, fake: FakeIps, request: Request) -> Any:
        fake.reset()
        return {"ok": True, "now": _iso(fake.now(), fake)}

    def _on_scenario(self, fake: FakeIps, request: Request) -> Any:
        if (request.content_length or 0) > MAX_SCENARIO_BYTES or len(request.get_data()) > MAX_SCENARIO_BYTES:
            raise _AdminError(413, f"the scenario is larger than {MAX_SCENARIO_BYTES} bytes")
        try:
            fake.load(load_scenario_text(request.get_data(as_text=True), name="<uploaded scenario>"))
        except ScenarioError as exc:
            raise _AdminError(400, "the scenario is not valid", errors=str(exc).splitlines()) from None
        return {"ok": True, "now": _iso(fake.now(), fake)}

    def _on_state(self, fake: FakeIps, request: Request) -> Any:
        with fake.locked():  # SOAP requests on other threads change the state as it is read
            fake.run_due()
            return state_summary(fake)

    def _on_journal(self, fake: FakeIps, request: Request) -> Any:
        with fake.locked():
            return _journal(fake)

    def _on_verify(self, fake: FakeIps, request: Request) -> Any:
        problems = fake.problems()
        return {"ok": not problems, "problems": problems}
