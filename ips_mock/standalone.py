"""The standalone server's WSGI app: the IPS endpoints, a JSON admin API, and isolated tenants.

* ``/scene7/...``: the IPS API of the default fake (what ``ips-mock serve`` prints).
* ``/__admin/...``: control it over HTTP, for clients in any language (see :data:`ADMIN_ROUTES`).
* ``/t/<tenant>/scene7/...`` and ``/t/<tenant>/__admin/...``: the same for a fake of its own, created by the
  first request that reaches an endpoint, so tests sharing one server do not see each other's state.

The admin API changes state, so it only answers requests a web page cannot forge (:class:`AdminPolicy`): the
``Host`` is the server's own, an ``Origin`` (sent by browsers) is the server's own, changes come as JSON (or a
YAML scenario), and, when a token is set, ``Authorization: Bearer <token>``. Bodies are read against a limit as
they arrive, chunked ones included; error messages never echo more than a short excerpt of what was sent.
"""

from __future__ import annotations

import functools
import hmac
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Final

from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.wrappers import Request, Response

from .app import DEFAULT_MAX_REQUEST_BYTES
from .clock import ClockError, ClockMode
from .errors import ScenarioError
from .fake import FakeIps
from .journal import Exchange
from .model.messages import render
from .protocol.xml import ParseLimits
from .scenario import Scenario, load_scenario_text
from .scenario.loader import parse_duration
from .tenants import DEFAULT_MAX_TENANTS, DEFAULT_TENANT_IDLE_TIMEOUT, Tenant, Tenants, TooManyTenants

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment
    from werkzeug.routing import Map

    from .scenario.transcript import Transcript

__all__ = [
    "ADMIN_ROUTES",
    "DEFAULT_MAX_JSON_BYTES",
    "DEFAULT_MAX_SCENARIO_BYTES",
    "LOOPBACK_HOSTS",
    "AdminPolicy",
    "StandaloneApp",
    "state_summary",
]

DEFAULT_MAX_SCENARIO_BYTES: Final = 10 * 1024 * 1024
DEFAULT_MAX_JSON_BYTES: Final = 64 * 1024
LOOPBACK_HOSTS: Final = ("localhost", "127.0.0.1", "::1")
_TENANT: Final = re.compile(r"^/t/([A-Za-z0-9][A-Za-z0-9._-]{0,63})(/.*)?$")  # never '.' or '..'
_JSON_TYPES: Final = frozenset({"application/json"})
_SCENARIO_TYPES: Final = frozenset({"application/json", "application/yaml", "application/x-yaml", "text/yaml"})
_EXCERPT: Final = 200  # characters of a sent value an error message may quote
_MAX_ERROR_LINES: Final = 100

ADMIN_ROUTES: Final = {
    "GET /__admin/": "this list, the tenants and the limits",
    "GET /__admin/ui/": "the dashboard: a web page showing this fake's clock, jobs, runs, logs, journal and outbox",
    "GET /__admin/clock": "the fake's time: {now, source}",
    "POST /__admin/clock/advance": 'move it forward: {"by": "90s"} or {"seconds": 90}; runs what fell due',
    "POST /__admin/clock/move_to": 'move it to an instant: {"to": "2026-03-08T00:00:00-08:00"}',
    "POST /__admin/reset": "rebuild state from the loaded scenario (the clock goes back to its start)",
    "PUT /__admin/scenario": "load a scenario (application/json or application/yaml); 400 with the errors if bad",
    "GET /__admin/state": "companies, users, job definitions, runs and logs as JSON",
    "GET /__admin/journal": "every request the fake saw; ?operation=NAME: that operation's; ?last=N: the newest N",
    "GET /__admin/verify": "handler errors, unhandled requests and unmet expectations: {ok, problems}",
    "DELETE /t/<name>/__admin/": "delete that tenant",
}


@dataclass(frozen=True, kw_only=True)
class AdminPolicy:
    """Who may use the admin API.

    ``token``: when set, every admin request needs ``Authorization: Bearer <token>`` (else 401).
    ``allowed_hosts``: host names (no port) the ``Host`` header may carry besides the loopback names and the
    address the connection came in on; ``"*"`` allows any (else 403: a DNS-rebinding page sends its own name).
    ``allowed_origins``: origins (``http://localhost:3000``) whose pages may call the admin API besides the
    server's own; ``"*"`` allows any (else 403).
    """

    token: str | None = None
    allowed_hosts: frozenset[str] = frozenset()
    allowed_origins: frozenset[str] = frozenset()

    def check(self, request: Request) -> None:
        """Raise an admin error (401/403) unless ``request`` may use the admin API."""
        host = request.environ.get("HTTP_HOST")
        if host is not None and not self._host_allowed(_hostname(host), request.environ):
            raise _AdminError(
                403,
                f"Host {_excerpt(host)} is not this server's address; "
                "start ips-mock with --allow-host NAME to accept it",
            )
        origin = request.headers.get("Origin")
        if origin is not None and not self._origin_allowed(origin, host):
            raise _AdminError(
                403,
                f"requests from pages at {_excerpt(origin)} may not use the admin API; "
                "start ips-mock with --allow-origin ORIGIN to accept them",
            )
        if self.token is not None:
            scheme, _, given = request.headers.get("Authorization", "").partition(" ")
            if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), self.token.encode()):
                raise _AdminError(
                    401, "the admin API needs Authorization: Bearer <the server's admin token>", headers=_BEARER
                )

    def _host_allowed(self, hostname: str, environ: WSGIEnvironment) -> bool:
        if "*" in self.allowed_hosts or hostname in LOOPBACK_HOSTS or hostname in self.allowed_hosts:
            return True
        sock = environ.get("werkzeug.socket")
        local = sock.getsockname()[0] if sock is not None else None  # the address the client connected to
        # Never the wildcard a server may be bound to: browsers send requests for 0.0.0.0 to this machine.
        return hostname in {local, environ.get("SERVER_NAME")} - {None, "0.0.0.0", "::"}

    def _origin_allowed(self, origin: str, host: str | None) -> bool:
        if "*" in self.allowed_origins or origin.rstrip("/") in self.allowed_origins:
            return True
        return host is not None and origin.lower() in (f"http://{host}".lower(), f"https://{host}".lower())


_BEARER: Final = {"WWW-Authenticate": 'Bearer realm="ips-mock admin"'}


def _hostname(host: str) -> str:
    """``example.com:8080`` → ``example.com``; ``[::1]:8080`` → ``::1``."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:].partition("]")[0]
    return host.rpartition(":")[0] if host.count(":") == 1 else host


def _excerpt(value: object) -> str:
    """``repr(value)``, cut short: a message quotes what was sent, never all of it."""
    text = repr(value)
    return text if len(text) <= _EXCERPT else f"{text[:_EXCERPT]}… ({len(text)} characters)"


def _clip(message: str) -> str:
    return message if len(message) <= _EXCERPT else f"{message[:_EXCERPT]}… ({len(message)} characters)"


class _AdminError(Exception):
    def __init__(self, status: int, message: str, *, headers: dict[str, str] | None = None, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.headers = headers or {}
        self.body = {"error": message, **extra}


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    response = Response(json.dumps(data, indent=2) + "\n", status, content_type="application/json")
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers.update(headers or {})
    return response


def _iso(instant: datetime | None, fake: FakeIps) -> str | None:
    return None if instant is None else instant.astimezone(fake.scenario.zone).isoformat(timespec="milliseconds")


def state_summary(fake: FakeIps) -> dict[str, Any]:
    """The fake's state as plain JSON data (handles, states, counts; not every field).

    Runs carry what a timeline needs (fire time, end, outcome, progress); logs carry their details in English.
    """
    state = fake.state
    return {
        "now": _iso(fake.now(), fake),
        "zone": fake.scenario.zone.key,
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
                "company": f"c|{d.company_id}",
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
                "jobName": r.definition.name,
                "type": r.definition.job_type,
                "company": f"c|{r.company_id}",
                "state": r.state.value,
                "progress": r.progress,
                "progressMessage": r.progress_message,
                "triggerTime": _iso(r.trigger_time, fake),
                "endedAt": _iso(r.ended_at, fake),
                "outcome": r.outcome,
                "initiatedBy": r.initiated_by,
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
                "entries": [
                    {
                        "logType": d.log_type,
                        "date": _iso(d.date_created, fake),
                        "message": render(d.message, d.args, None) if d.localized else d.message,
                        "assetName": d.asset_name,
                    }
                    for d in log.details
                ],
            }
            for log in state.logs
        ],
        "journal": _journal_counts(fake),
        "dropped": {  # what retention let go (finished runs with their logs, log entries, outbox entries)
            "runs": state.dropped.runs,
            "details": state.dropped.details,
            "notifications": state.dropped.notifications,
        },
        "outbox": [
            {
                "kind": n.kind,
                "at": _iso(n.at, fake),
                "to": n.to,
                "jobName": n.job_name,
                "runName": n.run_name,
                "logHandle": n.log_handle,
                "outcome": n.outcome,
                "delivery": n.delivery,
            }
            for n in state.outbox
        ],
        "folders": [
            {"handle": f.handle, "path": f.path, "lastModified": _iso(f.modified, fake)}
            for f in sorted(state.catalog.folders.values(), key=lambda f: (f.company_id, f.path))
        ],
        "assets": [
            {
                "handle": a.handle,
                "name": a.name,
                "type": a.type,
                "folder": a.folder,
                "fileName": a.file_name,
                "size": a.size,
                "readyForPublish": a.ready_for_publish,
                "published": _iso(a.published, fake),
                "created": _iso(a.created, fake),
                "lastModified": _iso(a.modified, fake),
                "smartCrops": [
                    {
                        "handle": c.handle,
                        "name": c.name,
                        "width": c.width,
                        "height": c.height,
                        "crop": {
                            "left": c.rect.left,
                            "top": c.rect.top,
                            "width": c.rect.width,
                            "height": c.rect.height,
                        },
                        "lastModified": _iso(c.modified, fake),
                    }
                    for c in a.smart_crops
                ],
            }
            for a in sorted(state.catalog.assets.values(), key=lambda a: a.id)
        ],
        "exports": [
            {"runName": e.run_name, "fmt": e.fmt, "assets": len(e.assets), "created": _iso(e.created, fake)}
            for e in state.exports.values()
        ],
        "propertySetTypes": [
            {
                "handle": t.handle,
                "company": f"c|{t.company_id}" if t.company_id is not None else None,
                "name": t.name,
                "propertyType": t.property_type,
                "allowMultiple": t.allow_multiple,
            }
            for t in state.property_set_types.values()
        ],
        "propertySets": [
            {
                "handle": s.handle,
                "type": s.type_handle,
                "primaryOwner": s.primary_owner,
                "secondaryOwner": s.secondary_owner,
                "properties": dict(s.properties),
            }
            for s in state.property_sets.values()
        ],
        "invalidations": [
            {
                "handle": i.handle,
                "company": f"c|{i.company_id}",
                "urls": i.url_count,
                "requested": _iso(i.requested, fake),
                "done": _iso(i.done, fake),
            }
            for i in state.invalidations.values()
        ],
    }


def _journal_counts(fake: FakeIps) -> dict[str, Any]:
    """How many requests the journal holds, by operation ("" for a request that named none)."""
    operations: dict[str, int] = {}
    for exchange in fake.journal:
        operations[exchange.operation or ""] = operations.get(exchange.operation or "", 0) + 1
    return {
        "entries": sum(operations.values()),
        "dropped": fake.journal.dropped,
        "operations": dict(sorted(operations.items())),
    }


def _journal(fake: FakeIps, exchanges: Iterable[Exchange]) -> list[dict[str, Any]]:
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
        for e in exchanges
    ]


class StandaloneApp:
    """Serves a default fake, its admin API, and tenants each with a fake of their own.

    Every fake (the default, each tenant's, each loaded scenario's) is built with the same options:
    ``max_request_bytes``, ``validate_responses`` and ``playback``. Admin bodies are limited to
    ``max_scenario_bytes`` for ``PUT .../scenario`` and ``max_json_bytes`` for the other endpoints (413 beyond).
    ``max_tenants`` tenants live at once (the one idle longest makes room for a new one); a tenant nobody used
    for ``tenant_idle_timeout`` seconds is dropped (None: never). ``policy`` says who may use the admin API.
    """

    def __init__(
        self,
        scenario: Scenario,
        *,
        max_request_bytes: int = DEFAULT_MAX_REQUEST_BYTES,
        validate_responses: bool = False,
        max_scenario_bytes: int = DEFAULT_MAX_SCENARIO_BYTES,
        max_json_bytes: int = DEFAULT_MAX_JSON_BYTES,
        max_tenants: int = DEFAULT_MAX_TENANTS,
        tenant_idle_timeout: float | None = DEFAULT_TENANT_IDLE_TIMEOUT,
        policy: AdminPolicy | None = None,
        playback: Transcript | None = None,
        monotonic: Callable[[], float] | None = None,
        clock_mode: ClockMode = "manual",
        challenge_basic: bool = False,
        callback_hosts: tuple[str, ...] = (),
        parse_limits: ParseLimits | None = None,
    ) -> None:
        """Raises :class:`ScenarioError` if ``scenario`` cannot be run. With ``playback``, every fake answers
        every operation from that transcript (``ips-mock serve --playback``). ``monotonic`` (seconds) is the
        clock tenant idleness is measured on (default ``time.monotonic``). ``clock_mode``, ``challenge_basic``
        ``callback_hosts`` and ``parse_limits`` are passed to every fake (see :class:`FakeIps`)."""
        self.scenario = scenario
        self.playback = playback
        self.fake_options: dict[str, Any] = {
            "max_request_bytes": max_request_bytes,
            "validate_responses": validate_responses,
            "clock_mode": clock_mode,
            "challenge_basic": challenge_basic,
            "callback_hosts": callback_hosts,
            "parse_limits": parse_limits,
        }
        self.max_scenario_bytes = max_scenario_bytes
        self.max_json_bytes = max_json_bytes
        self.policy = policy or AdminPolicy()
        self._default = Tenant("", self._build(scenario), 0.0, confirmed=True)
        self._tenants = Tenants(
            lambda: self._build(self.scenario),
            max_tenants=max_tenants,
            idle_timeout=tenant_idle_timeout,
            **({"monotonic": monotonic} if monotonic is not None else {}),
        )

    @property
    def admin_map(self) -> Map:
        """The admin API's routes (one map for every app, compiled by the first admin request)."""
        return _admin_map()

    @property
    def default(self) -> FakeIps:
        """The fake served at ``/scene7/...`` and controlled at ``/__admin/...``."""
        return self._default.fake

    @property
    def tenants(self) -> dict[str, FakeIps]:
        """The fake of every tenant that exists now, by name."""
        return self._tenants.fakes()

    def _build(self, scenario: Scenario) -> FakeIps:
        """A complete fake for ``scenario``, or ScenarioError: a scenario that cannot run is refused whole."""
        playback = None
        if self.playback is not None:
            from .playback import Playback  # only a server that plays a transcript back needs it

            playback = Playback(self.playback, covers_all=True)
        try:
            fake = FakeIps(scenario, playback=playback, **self.fake_options)
            fake.run_due()
            _iso(fake.now(), fake)  # every admin reply shows the time: it must be representable in the zone
        except ScenarioError:
            raise
        except (ValueError, OverflowError, ClockError) as exc:
            raise ScenarioError(f"the scenario cannot be run: {type(exc).__name__}: {_clip(str(exc))}") from None
        return fake

    # ----------------------------------------------------------------------------------------------- WSGI

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if (match := _TENANT.match(path)) is None:
            if _is_admin(path):
                return self._admin(None, Request(environ))(environ, start_response)
            return self._default.fake(environ, start_response)
        name, rest = match[1], match[2] or "/"
        # Serve the rest of the path under the tenant prefix, so WSDL addresses point back into it.
        environ = {**environ, "SCRIPT_NAME": environ.get("SCRIPT_NAME", "") + f"/t/{name}", "PATH_INFO": rest}
        if _is_admin(rest):
            return self._admin(name, Request(environ))(environ, start_response)
        return self._serve_tenant(name, environ, start_response)

    def _serve_tenant(self, name: str, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        try:
            with self._tenants.using(name) as tenant:
                statuses: list[int] = []

                def recording(status: str, headers: Any, exc_info: Any = None) -> Any:
                    statuses.append(int(status.split(None, 1)[0]))
                    return start_response(status, headers, exc_info)

                body = tenant.fake(environ, recording)
                if statuses and statuses[-1] not in (404, 405):  # the request reached an IPS endpoint
                    self._tenants.confirm(tenant)
                return body
        except TooManyTenants as exc:
            return _json({"error": str(exc)}, 503)(environ, start_response)

    # ---------------------------------------------------------------------------------------------- admin

    def _admin(self, tenant: str | None, request: Request) -> Response:
        from .dashboard import dashboard_response, is_dashboard  # imported by the first admin request

        if is_dashboard(request.path):  # static files: no state, no tenant created; their data is the API's
            return dashboard_response(request.path, request.method)
        try:
            self.policy.check(request)
            endpoint, _ = self.admin_map.bind_to_environ(request.environ).match()
            if request.method in ("POST", "PUT"):
                allowed = _SCENARIO_TYPES if endpoint == "scenario" else _JSON_TYPES
                if request.mimetype not in allowed:
                    raise _AdminError(
                        415,
                        f"send this request with Content-Type: {' or '.join(sorted(allowed))}",
                        received=_excerpt(request.mimetype or None),
                    )
            if request.method == "DELETE":
                return _json(self._delete(tenant))
            if endpoint == "scenario":
                return _json(self._on_scenario(tenant, request))
            handler: Callable[[FakeIps, Request], Any] = getattr(self, f"_on_{endpoint}")
            if tenant is None:
                return _json(handler(self._default.fake, request))
            with self._tenants.using(tenant) as held:
                reply = _json(handler(held.fake, request))
                self._tenants.confirm(held)  # only a request that succeeded creates a tenant
                return reply
        except _AdminError as exc:
            return _json(exc.body, exc.status, exc.headers)
        except TooManyTenants as exc:
            return _json({"error": str(exc)}, 503)
        except MethodNotAllowed as exc:
            return _json(
                {"error": f"{request.method} is not allowed here", "allowed": sorted(exc.valid_methods or [])}, 405
            )
        except NotFound:
            return _json({"error": f"no admin endpoint {_excerpt(request.path)}", "endpoints": ADMIN_ROUTES}, 404)
        except HTTPException as exc:
            return _json({"error": str(exc)}, exc.code or 500)
        except Exception as exc:  # never an HTML error page from the admin API
            return _json({"error": f"ips-mock internal error: {_clip(repr(exc))}"}, 500)

    def _read(self, request: Request, limit: int) -> bytes:
        """The body, read as it arrives and refused (413) once it passes ``limit``, chunked or not."""
        too_large = _AdminError(413, f"the body is larger than {limit} bytes", limit=limit)
        if request.content_length is not None and request.content_length > limit:
            raise too_large
        chunks: list[bytes] = []
        size = 0
        while chunk := request.stream.read(min(64 * 1024, limit + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise too_large
        return b"".join(chunks)

    def _body(self, request: Request) -> dict[str, Any]:
        data = self._read(request, self.max_json_bytes)
        if not data:
            return {}
        try:
            body = json.loads(data)
        except ValueError as exc:
            raise _AdminError(400, f"the body is not JSON: {_clip(str(exc))}") from None
        if not isinstance(body, dict):
            raise _AdminError(400, "the body must be a JSON object")
        return body

    def _delete(self, tenant: str | None) -> Any:
        if tenant is None:
            raise _AdminError(405, "the default fake cannot be deleted; POST /__admin/reset resets it", allowed=["GET"])
        if not self._tenants.delete(tenant):
            raise _AdminError(404, f"no tenant {tenant!r}")
        return {"ok": True, "deleted": tenant}

    def _on_index(self, fake: FakeIps, request: Request) -> Any:
        return {
            "endpoints": ADMIN_ROUTES,
            "tenants": self._tenants.names(),
            "limits": {
                "maxTenants": self._tenants.max_tenants,
                "tenantIdleTimeout": self._tenants.idle_timeout,
                "maxRequestBytes": self.fake_options["max_request_bytes"],
                "maxScenarioBytes": self.max_scenario_bytes,
                "maxJsonBytes": self.max_json_bytes,
            },
        }

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
            raise _AdminError(400, _clip(str(exc))) from None
        return self._on_clock(fake, request)

    def _on_move_to(self, fake: FakeIps, request: Request) -> Any:
        target = self._body(request).get("to")
        try:
            fake.move_to(datetime.fromisoformat(str(target)))
        except (ValueError, OverflowError, ClockError) as exc:
            raise _AdminError(400, f'give {{"to": "<instant with offset>"}}: {_clip(str(exc))}') from None
        return self._on_clock(fake, request)

    def _on_reset(self, fake: FakeIps, request: Request) -> Any:
        self._read(request, self.max_json_bytes)  # a body is ignored, but never read without a limit
        fake.reset()  # builds everything before it changes anything
        return {"ok": True, "now": _iso(fake.now(), fake)}

    def _on_scenario(self, tenant: str | None, request: Request) -> Any:
        text = self._read(request, self.max_scenario_bytes).decode("utf-8", errors="replace")
        try:
            fake = self._build(load_scenario_text(text, name="<uploaded scenario>"))
        except ScenarioError as exc:
            lines = [_clip(line) for line in str(exc).splitlines()]
            if len(lines) > _MAX_ERROR_LINES:
                lines[_MAX_ERROR_LINES:] = [f"… and {len(lines) - _MAX_ERROR_LINES} more"]
            raise _AdminError(400, "the scenario is not valid; nothing was changed", errors=lines) from None
        # Built whole before anything changes; the swap is one step.
        if tenant is None:
            self._default.fake = fake
        else:
            self._tenants.install(tenant, fake)
        return {"ok": True, "now": _iso(fake.now(), fake)}

    def _on_state(self, fake: FakeIps, request: Request) -> Any:
        with fake.locked():  # SOAP requests on other threads change the state as it is read
            fake.run_due()
            return state_summary(fake)

    def _on_journal(self, fake: FakeIps, request: Request) -> Any:
        operation = request.args.get("operation")
        last = request.args.get("last")
        if last is not None and not (last.isascii() and last.isdigit()):
            raise _AdminError(400, f"last must be a whole number of requests, not {_excerpt(last)}")
        with fake.locked():
            # Filtered before it is encoded: a page polling the newest 200 never pays for 20,000.
            exchanges = [e for e in fake.journal if operation is None or (e.operation or "") == operation]
            if last is not None:
                exchanges = exchanges[len(exchanges) - min(int(last), len(exchanges)) :]
            return _journal(fake, exchanges)

    def _on_verify(self, fake: FakeIps, request: Request) -> Any:
        problems = fake.problems()
        return {"ok": not problems, "problems": problems}


@functools.cache
def _admin_map() -> Map:
    from werkzeug.routing import Map, Rule  # a few milliseconds of start-up that serving IPS requests does not need

    return Map(
        [
            Rule("/__admin/", endpoint="index", methods=["GET", "DELETE"]),
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


def _is_admin(path: str) -> bool:
    return path == "/__admin" or path.startswith("/__admin/")
