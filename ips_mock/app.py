"""The WSGI application: routes, HTTP details, and the guarantee that no traceback ever leaves.

Routes (``<webapp>`` is any single path segment; the real default is ``scene7``):

* ``POST /<webapp>/services/IpsApiService``: the SOAP endpoint (``GET`` answers a short text page, and
  ``GET …?wsdl`` the 2014-04-03 WSDL, as an Axis server does);
* ``POST /<webapp>/api/IpsApiService``: the plain-XML transport AEM uses (REAL-CLIENTS §2);
* ``GET /<webapp>/webservice/IpsApi-<ver>.wsdl``, ``/<webapp>/IpsApi-<ver>.wsdl`` and the ``IpsApi.wsdl`` pre-4.0
  forms: the WSDL generated from our type description, ``?serviceUrl=`` rewriting its address.

What happens to a request posted to an endpoint is :mod:`ips_mock.pipeline`'s business.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import urlsplit

from lxml import etree
from werkzeug.exceptions import HTTPException, NotFound
from werkzeug.wrappers import Request, Response

from . import operations
from .journal import Journal
from .pipeline import DEFAULT_MAX_REQUEST_BYTES, Backend, HandlerError, Pipeline, Reply, TransportFault
from .protocol import ns
from .protocol.schema import schema_for
from .protocol.transport import Endpoint, IpsRequest
from .protocol.wsdl import compiled_schemas, render_wsdl
from .protocol.xml import ParseLimits
from .wsgi import HttpRequest

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment
    from werkzeug.routing import Map

__all__ = ["DEFAULT_MAX_REQUEST_BYTES", "HandlerError", "IpsApp", "TransportFault"]

_SERVICE_URL: Final = re.compile(r"https?://[^\s\x00-\x1f<>\"']+")
_SERVER_HEADER: Final = "ips-mock"
_LATEST_WSDL: Final = ns.ApiVersion("2014-04-03")
_RULES: Final = (
    ("/<webapp>/services/IpsApiService", "soap", ("POST",)),
    ("/<webapp>/services/IpsApiService", "soap_info", ("GET", "HEAD")),
    ("/<webapp>/api/IpsApiService", "plain", ("POST",)),
    ("/<webapp>/api/IpsApiService", "plain_info", ("GET", "HEAD")),
    ("/<webapp>/export/<name>", "export", ("GET", "HEAD")),
    ("/<webapp>/webservice/<wsdl_name>", "wsdl", ("GET", "HEAD")),
    ("/<webapp>/<wsdl_name>", "wsdl", ("GET", "HEAD")),
)
"""The routes, as werkzeug rules (``strict_slashes=False``); :func:`_match` answers the common requests itself."""


class IpsApp:
    """The HTTP side of the IPS web service: routes and WSDLs; each posted request goes through the pipeline.

    ``backend`` runs the requests (the owner serializes them and runs due work first, see FakeIps).
    """

    def __init__(
        self,
        backend: Backend,
        *,
        max_request_bytes: int = DEFAULT_MAX_REQUEST_BYTES,
        parse_limits: ParseLimits | None = None,
        journal: Journal | None = None,
        validate_responses: bool = False,
        challenge_basic: bool = False,
    ) -> None:
        self.backend = backend
        self.journal = journal if journal is not None else Journal()
        self.pipeline = Pipeline(
            backend,
            self.journal,
            max_request_bytes=max_request_bytes,
            parse_limits=parse_limits,
            validate_reply=_validate_reply if validate_responses else None,
            challenge_basic=challenge_basic,
        )
        self.unhandled: list[str] = []
        """Requests to URLs or with methods the fake does not serve."""

    @property
    def errors(self) -> list[HandlerError]:
        """Unexpected exceptions inside the fake (each answered with a 30000 fault)."""
        return self.pipeline.errors

    # ------------------------------------------------------------------------------------------------- WSGI

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        return self.wsgi_app(environ, start_response)

    def wsgi_app(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        response = self.dispatch_request(environ)
        if isinstance(response, Reply):
            response.headers.append(("Server", _SERVER_HEADER))
        else:
            response.headers["Server"] = _SERVER_HEADER
        return response(environ, start_response)

    def dispatch_request(self, environ: WSGIEnvironment) -> Response | Reply:
        http = HttpRequest(environ)
        try:
            endpoint, values = _match(environ)
            if (kind := _PIPELINE_ENDPOINTS.get(endpoint)) is not None:
                return self.pipeline.handle(http, kind)
            handler: Callable[..., Response] = getattr(self, f"on_{endpoint}")
            return handler(Request(environ), **values)
        except ConnectionAbortedError:
            raise  # a scenario's drop with no socket to close: the in-process caller sees the connection end
        except HTTPException as exc:
            self.unhandled.append(f"{http.method} {http.path}: {exc.code} {exc.name}")
            return _text(f"{exc.code} {exc.name}: {http.method} {http.path} is not an IPS API URL\n", exc.code or 404)
        except Exception as exc:  # the last line of defence: never a traceback page
            self.pipeline.record_error(None, exc)
            return _text("500 Internal Server Error: ips-mock failed; see its error log\n", 500)

    # ------------------------------------------------------------------------------------------- endpoints
    # A POST to an IPS endpoint goes to the pipeline; these answer the rest.

    def on_soap_info(self, request: Request, webapp: str) -> Response:
        if "wsdl" in request.args or "WSDL" in request.args:
            return self._wsdl(request, webapp, _LATEST_WSDL)
        return _text(
            "IpsApiService (ips-mock)\n\n"
            "This is the IPS SOAP endpoint: POST SOAP 1.1 or 1.2 requests here.\n"
            f"WSDL: {request.base_url}?wsdl or {request.url_root}{webapp}/webservice/IpsApi-2014-04-03.wsdl\n",
            200,
        )

    def on_plain_info(self, request: Request, webapp: str) -> Response:
        return _text(
            "IpsApiService, plain XML (ips-mock)\n\n"
            'POST text/xml here: <Request xmlns="http://www.scene7.com/IpsApi/xsd/<version>"> holding an\n'
            "authHeader and one <operation>Param. The reply is the bare <operation>Return; a fault is the bare\n"
            "flt: fault element.\n",
            200,
        )

    def on_export(self, request: Request, webapp: str, name: str) -> Response:
        """An export job's download (the http URL its log hands out); no credentials, as clients fetch it."""
        data = self.backend.download(name)
        if data is None:
            raise NotFound()
        return Response(
            data, 200, content_type="application/zip", headers={"Content-Disposition": f'attachment; filename="{name}"'}
        )

    def on_wsdl(self, request: Request, webapp: str, wsdl_name: str) -> Response:
        version = _WSDL_VERSIONS.get(wsdl_name)
        if version is None:
            raise NotFound()
        return self._wsdl(request, webapp, version)

    def _wsdl(self, request: Request, webapp: str, version: ns.ApiVersion) -> Response:
        service_path = f"/{webapp}/services/IpsApiService"
        service_url = request.args.get("serviceUrl") or f"{request.url_root.rstrip('/')}{service_path}"
        if not _SERVICE_URL.fullmatch(service_url):
            return _text(f"400 Bad Request: serviceUrl {service_url!r} is not an http(s) URL\n", 400)
        if urlsplit(service_url).path in ("", "/"):  # an address with no path keeps the service path
            service_url = service_url.rstrip("/") + service_path
        body = render_wsdl(schema_for(version), service_url)
        return Response(body, 200, content_type="text/xml;charset=UTF-8")


_FIXED: Final = {
    ("POST", "services", "IpsApiService"): "soap",
    ("POST", "api", "IpsApiService"): "plain",
    ("GET", "services", "IpsApiService"): "soap_info",
    ("HEAD", "services", "IpsApiService"): "soap_info",
    ("GET", "api", "IpsApiService"): "plain_info",
    ("HEAD", "api", "IpsApiService"): "plain_info",
}
_NAMED: Final = {"export": ("export", "name"), "webservice": ("wsdl", "wsdl_name")}
_PIPELINE_ENDPOINTS: Final = {"soap": Endpoint.SOAP, "plain": Endpoint.PLAIN}
"""The routes whose requests go through the pipeline."""
_WSDL_VERSIONS: Final = {v.wsdl_name: v for v in ns.PUBLISHED_WSDL_VERSIONS}
"""The API versions by the file names their WSDLs are served under."""


def _match(environ: WSGIEnvironment) -> tuple[str, dict[str, Any]]:
    """The endpoint and values of a request's route; raises NotFound or MethodNotAllowed (or werkzeug's
    redirect for a path it would normalize).

    A plain path (ASCII, no empty segment) to a route and method that exist is matched here; anything else goes
    to werkzeug's routing with :data:`_RULES`, which decides 404, 405 and the odd cases (a test checks that both
    agree wherever this answers). werkzeug.routing costs a few milliseconds to import and compile, and
    ``ips-mock serve`` answers its first request without it."""
    method, path = environ.get("REQUEST_METHOD", "GET"), environ.get("PATH_INFO", "")
    segments = path.split("/")
    if path.isascii() and segments[0] == "" and all(segments[1:]):
        if len(segments) == 4:
            _, webapp, kind, last = segments
            if (endpoint := _FIXED.get((method, kind, last))) is not None:
                return endpoint, {"webapp": webapp}
            if method in ("GET", "HEAD") and (named := _NAMED.get(kind)) is not None:
                return named[0], {"webapp": webapp, named[1]: last}
        elif len(segments) == 3 and method in ("GET", "HEAD"):
            return "wsdl", {"webapp": segments[1], "wsdl_name": segments[2]}
    endpoint, values = _url_map().bind_to_environ(environ).match()
    return str(endpoint), dict(values)


@functools.cache
def _url_map() -> Map:
    from werkzeug.routing import Map, Rule

    return Map(
        [Rule(rule, endpoint=endpoint, methods=list(methods)) for rule, endpoint, methods in _RULES],
        strict_slashes=False,
    )


def _validate_reply(request: IpsRequest, result: etree._Element) -> str | None:
    """A problem when a reply does not validate against the schema ips-mock serves, else None.

    Replies of operations ips-mock does not describe (a scenario's xml stubs) have no schema to check."""
    if request.operation not in operations.OPERATIONS:
        return None
    schemas = compiled_schemas(request.api_version, tuple(operations.OPERATIONS))
    schema = schemas[request.api_version.namespace]
    if schema.validate(etree.ElementTree(result)):
        return None
    return f"{request.operation} reply does not match the IPS schema: {schema.error_log}"


def _text(text: str, status: int) -> Response:
    return Response(text, status, content_type="text/plain;charset=UTF-8")
