"""The WSGI application: routes, HTTP details, and the guarantee that no traceback ever leaves.

Routes (``<webapp>`` is any single path segment; the real default is ``scene7``):

* ``POST /<webapp>/services/IpsApiService``: the SOAP endpoint (``GET`` answers a short text page);
* ``GET /<webapp>/webservice/IpsApi-<ver>.wsdl``, ``/<webapp>/IpsApi-<ver>.wsdl`` and the ``IpsApi.wsdl`` pre-4.0
  forms: the WSDL generated from our type description, ``?serviceUrl=`` rewriting its address.
"""

from __future__ import annotations

import gzip
import logging
import re
import socket
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Final

from lxml import etree
from werkzeug.exceptions import HTTPException, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from . import operations
from .errors import IpsFault
from .journal import Exchange, Journal
from .protocol import ns
from .protocol.auth import Credentials, read_credentials, read_reply_options
from .protocol.envelope import (
    SoapRequest,
    SoapVersion,
    parse_request,
    render_fault,
    render_reply,
    soap_version_for_content_type,
)
from .protocol.schema import schema_for
from .protocol.wsdl import compiled_schemas, render_wsdl

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

__all__ = ["DEFAULT_MAX_REQUEST_BYTES", "Dispatch", "HandlerError", "IpsApp", "TransportFault"]

log = logging.getLogger("ips_mock")

DEFAULT_MAX_REQUEST_BYTES: Final = 10 * 1024 * 1024
_SERVICE_URL: Final = re.compile(r"https?://[^\s\x00-\x1f<>\"']+")
_SERVER_HEADER: Final = "ips-mock"


@dataclass(frozen=True)
class HandlerError:
    """An unexpected exception inside the fake: answered as a 30000 fault, and kept for the test to see."""

    operation: str | None
    exception: BaseException
    traceback: str = field(repr=False)


Dispatch = Callable[[SoapRequest, Credentials, Exchange], etree._Element]
"""Runs one structurally valid request and returns its ``<op>Return`` element, or raises IpsFault (or
TransportFault); fills in the exchange's virtual time, caller and parameters as it learns them."""


class SchemaViolation(Exception):
    """A reply ips-mock produced does not validate against its own schema (runtime validation is on)."""


@dataclass(frozen=True)
class TransportFault(Exception):
    """Answer this request below the SOAP level: ``http`` (status and body), ``garbage`` (bytes) or ``drop``."""

    kind: str
    status: int = 200
    body: bytes = b""
    content_type: str | None = None


class IpsApp:
    """The HTTP side of the IPS web service: routes, envelopes, credentials, faults, WSDL.

    ``dispatch`` does the rest (the owner serializes requests and runs due work first, see FakeIps).
    """

    def __init__(
        self,
        dispatch: Dispatch,
        *,
        max_request_bytes: int = DEFAULT_MAX_REQUEST_BYTES,
        journal: Journal | None = None,
        virtual_now: Callable[[], datetime] | None = None,
        validate_responses: bool = False,
    ) -> None:
        self._dispatch = dispatch
        self.validate_responses = validate_responses
        self.max_request_bytes = max_request_bytes
        self.journal = journal if journal is not None else Journal()
        self._virtual_now = virtual_now or (lambda: datetime.now(UTC))
        self.errors: list[HandlerError] = []
        self.unhandled: list[str] = []
        """Requests to URLs or with methods the fake does not serve."""
        self.url_map = Map(
            [
                Rule("/<webapp>/services/IpsApiService", endpoint="soap", methods=["POST"]),
                Rule("/<webapp>/services/IpsApiService", endpoint="soap_info", methods=["GET", "HEAD"]),
                Rule("/<webapp>/webservice/<wsdl_name>", endpoint="wsdl", methods=["GET", "HEAD"]),
                Rule("/<webapp>/<wsdl_name>", endpoint="wsdl", methods=["GET", "HEAD"]),
            ],
            strict_slashes=False,
        )
        self._wsdl_versions = {v.wsdl_name: v for v in ns.PUBLISHED_WSDL_VERSIONS}

    # ------------------------------------------------------------------------------------------------- WSGI

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        return self.wsgi_app(environ, start_response)

    def wsgi_app(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        request = Request(environ)
        response = self.dispatch_request(request)
        response.headers["Server"] = _SERVER_HEADER
        return response(environ, start_response)

    def dispatch_request(self, request: Request) -> Response:
        adapter = self.url_map.bind_to_environ(request.environ)
        try:
            endpoint, values = adapter.match()
            handler: Callable[..., Response] = getattr(self, f"on_{endpoint}")
            return handler(request, **values)
        except ConnectionAbortedError:
            raise  # a scenario's drop with no socket to close: the in-process caller sees the connection end
        except HTTPException as exc:
            self.unhandled.append(f"{request.method} {request.path}: {exc.code} {exc.name}")
            return _text(
                f"{exc.code} {exc.name}: {request.method} {request.path} is not an IPS API URL\n", exc.code or 404
            )
        except Exception as exc:  # the last line of defence: never a traceback page
            self._record(None, exc)
            return _text("500 Internal Server Error: ips-mock failed; see its error log\n", 500)

    # ------------------------------------------------------------------------------------------- endpoints

    def on_soap_info(self, request: Request, webapp: str) -> Response:
        return _text(
            "IpsApiService (ips-mock)\n\n"
            "This is the IPS SOAP endpoint: POST SOAP 1.1 or 1.2 requests here.\n"
            f"WSDL: {request.url_root}{webapp}/webservice/IpsApi-2014-04-03.wsdl\n",
            200,
        )

    def on_wsdl(self, request: Request, webapp: str, wsdl_name: str) -> Response:
        version = self._wsdl_versions.get(wsdl_name)
        if version is None:
            raise NotFound()
        service_url = request.args.get("serviceUrl") or f"{request.url_root}{webapp}/services/IpsApiService"
        if not _SERVICE_URL.fullmatch(service_url):
            return _text(f"400 Bad Request: serviceUrl {service_url!r} is not an http(s) URL\n", 400)
        body = render_wsdl(schema_for(version), tuple(operations.OPERATIONS), service_url)
        return Response(body, 200, content_type="text/xml;charset=UTF-8")

    def on_soap(self, request: Request, webapp: str) -> Response:
        content_type = request.headers.get("Content-Type")
        version = soap_version_for_content_type(content_type)
        options = Credentials()
        exchange = Exchange(self.journal.next_seq(), datetime.now(UTC))
        try:
            body = self._read_body(request)
            soap_request = parse_request(
                body,
                content_type=content_type,
                soap_action=request.headers.get("SOAPAction"),
                action_param=request.mimetype_params.get("action"),
            )
            version = soap_request.soap_version
            exchange.operation = soap_request.operation
            exchange.api_version = soap_request.api_version
            options = read_reply_options(soap_request.headers)
            options = read_credentials(soap_request.headers, request.headers.get("Authorization"))
            if options.locale is None and (language := request.accept_languages.best):
                options = replace(options, locale=language)  # IPS: authHeader, then Accept-Language (§2.2)
            result = self._dispatch(soap_request, options, exchange)
            if self.validate_responses:
                self._validate(soap_request, result)
            response = self._reply(request, options, render_reply(version, result), 200, version)
        except IpsFault as fault:
            exchange.fault_code, exchange.fault_reason = fault.code, fault.reason
            status = options.fault_http_status or 500
            response = self._reply(request, options, render_fault(version, fault), status, version)
        except TransportFault as injected:
            exchange.injected = injected.kind
            if injected.kind == "drop":
                self._finish(exchange, version, 0)  # no answer at all
            response = self._transport_fault(request, injected, version)
            if injected.kind == "drop":
                return response
        except Exception as exc:
            self._record(exchange.operation, exc)
            internal = IpsFault(
                IpsFault.EXCEPTION, f"ips-mock internal error in {exchange.operation or 'request'}: {exc!r}"
            )
            exchange.fault_code, exchange.fault_reason = internal.code, internal.reason
            status = options.fault_http_status or 500
            response = self._reply(request, options, render_fault(version, internal), status, version)
        self._finish(exchange, version, response.status_code)
        return response

    def _finish(self, exchange: Exchange, version: SoapVersion, status: int) -> None:
        exchange.soap_version = "1.1" if version is SoapVersion.SOAP11 else "1.2"
        exchange.status = status
        if exchange.virtual_time is None:
            exchange.virtual_time = self._virtual_now()
        self.journal.record(exchange)

    def _validate(self, request: SoapRequest, result: etree._Element) -> None:
        """Check a reply against the schema ips-mock serves; a violation is a handler error, not a fault.

        Replies of operations ips-mock does not describe (a scenario's xml stubs) have no schema to check."""
        if request.operation not in operations.OPERATIONS:
            return
        schemas = compiled_schemas(request.api_version, tuple(operations.OPERATIONS))
        schema = schemas[request.api_version.namespace]
        if not schema.validate(etree.ElementTree(result)):
            error = SchemaViolation(f"{request.operation} reply does not match the IPS schema: {schema.error_log}")
            self.errors.append(HandlerError(request.operation, error, str(error)))
            log.error("%s", error)

    def _transport_fault(self, request: Request, injected: TransportFault, version: SoapVersion) -> Response:
        """A scenario's transport fault: an HTTP error page, garbage bytes, or a dropped connection."""
        if injected.kind == "drop":
            sock = request.environ.get("werkzeug.socket")
            if sock is None:  # no socket in-process: the closest thing is the error a client would raise
                raise ConnectionAbortedError("ips-mock dropped the connection (scenario fault)")
            sock.shutdown(socket.SHUT_RDWR)
            return Response(b"", 200)
        content_type = injected.content_type or version.content_type
        return Response(injected.body, injected.status, content_type=content_type)

    # ---------------------------------------------------------------------------------------------- helpers

    def _read_body(self, request: Request) -> bytes:
        limit = self.max_request_bytes
        if request.content_length is not None and request.content_length > limit:
            raise IpsFault.invalid_request_xml(f"The request body exceeds the limit of {limit} bytes")
        data = request.stream.read(limit + 1)
        if len(data) > limit:
            raise IpsFault.invalid_request_xml(f"The request body exceeds the limit of {limit} bytes")
        if request.headers.get("Content-Encoding", "").lower() == "gzip":
            raise IpsFault.invalid_request_xml("Compressed requests are not supported; send the body uncompressed")
        return data

    def _reply(
        self, request: Request, options: Credentials, body: bytes, status: int, version: SoapVersion
    ) -> Response:
        response = Response(body, status, content_type=version.content_type)
        if _wants_gzip(request, options):
            response.set_data(gzip.compress(body, mtime=0))
            response.headers["Content-Encoding"] = "gzip"
        response.vary.add("Accept-Encoding")
        return response

    def _record(self, operation: str | None, exc: BaseException) -> None:
        self.errors.append(HandlerError(operation, exc, traceback.format_exc()))
        log.error("ips-mock handler error in %s", operation or "request", exc_info=exc)


def _wants_gzip(request: Request, options: Credentials) -> bool:
    """The real server's default ``webservice.gzip.response=accept`` policy (IPS-REFERENCE §1.7)."""
    if options.gzip_response is not None:
        return options.gzip_response
    return request.accept_encodings.quality("gzip") > 0


def _text(text: str, status: int) -> Response:
    return Response(text, status, content_type="text/plain;charset=UTF-8")
