"""The request pipeline: the one place that decides what happens to an IPS request, stage by stage.

Every request to an IPS endpoint (SOAP or plain XML) passes these stages, in this order (:data:`STAGES`):

1. **read**: the body, within the size limit; gzip-compressed requests are refused.
2. **parse**: the Content-Type the endpoint takes, then the XML through the one hardened parser.
3. **transport**: SOAP 1.1, SOAP 1.2 or plain XML; finds the ``<op>Param``, its API version and the headers.
4. **credentials**: who the request says it is (authHeader, HTTP Basic, AuthUser) and how it wants its reply.
5. **injected faults**: a scenario's fault for this request (before authentication, so a window of 10001
   faults hits whoever calls): a delay, an IPS fault, or an answer below SOAP (HTTP error, garbage, a drop).
6. **dispatch**: the backend authenticates, authorizes and runs the operation (or a stub) into ``<op>Return``.
7. **encode**: the reply or the fault, written by the request's transport; gzip when asked for.
8. **journal**: the exchange, with its raw request and reply bytes, goes into the journal.

A stage that answers early raises :class:`IpsFault` (a fault reply) or :class:`TransportFault`; encode and
journal always run. The pipeline knows no job rules: those are behind :class:`Backend`.
"""

from __future__ import annotations

import logging
import socket
import time
import traceback
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Final, Protocol

from lxml import etree
from werkzeug.http import HTTP_STATUS_CODES
from werkzeug.wrappers import Response

from .errors import IpsFault, OperationNotHandled
from .journal import Exchange, Journal
from .protocol.auth import NO_CREDENTIALS, Credentials, read_credentials, read_reply_options
from .protocol.transport import (
    Endpoint,
    IpsRequest,
    Transport,
    check_request_content_type,
    read_request,
    transport_for,
)
from .protocol.xml import DEFAULT_PARSE_LIMITS, ParseLimits, parse_xml
from .wsgi import HttpRequest, IncompleteBody

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

__all__ = [
    "DEFAULT_MAX_REQUEST_BYTES",
    "EXCHANGES_ENVIRON_KEY",
    "STAGES",
    "Backend",
    "HandlerError",
    "Pipeline",
    "Reply",
    "TransportFault",
]

log = logging.getLogger("ips_mock")

DEFAULT_MAX_REQUEST_BYTES: Final = 10 * 1024 * 1024
EXCHANGES_ENVIRON_KEY: Final = "ips_mock.exchanges"
"""When the WSGI environ holds a list under this key, the journal stage appends the request's exchange to it
(how a server's request log learns the operation, caller and outcome of what it served)."""
BASIC_REALM: Final = "IpsApiService"


@dataclass(frozen=True)
class HandlerError:
    """An unexpected exception inside the fake: answered as a 30000 fault, and kept for the test to see."""

    operation: str | None
    exception: BaseException
    traceback: str = field(repr=False)


@dataclass(frozen=True)
class TransportFault(Exception):
    """Answer this request below the IPS level: ``http`` (status and body), ``garbage`` (bytes) or ``drop``."""

    kind: str
    status: int = 200
    body: bytes = b""
    content_type: str | None = None
    headers: tuple[tuple[str, str], ...] = ()


class BasicChallenge(TransportFault):
    """No credentials came and the fake was asked to challenge (``challenge_basic``): 401 with
    ``WWW-Authenticate: Basic``, so clients that send Basic only when challenged (urllib, suds' default transport)
    send it. The real IPS never does this; it is an opt-in."""

    def __init__(self) -> None:
        body = b"401 Unauthorized: send HTTP Basic credentials or an authHeader (ips-mock challenge_basic)\n"
        super().__init__(
            "http", 401, body, "text/plain;charset=UTF-8", (("WWW-Authenticate", f'Basic realm="{BASIC_REALM}"'),)
        )


class Backend(Protocol):
    """What the pipeline needs from the fake behind it (FakeIps). Each call serializes on the fake's lock."""

    def injected_delay(self, request: IpsRequest, credentials: Credentials, exchange: Exchange) -> float:
        """Apply a scenario fault that matches: raise IpsFault or TransportFault, or return seconds to wait
        (outside the lock) before the request goes on; 0 when no fault applies."""

    def execute(self, request: IpsRequest, credentials: Credentials, exchange: Exchange) -> etree._Element:
        """Authenticate, authorize and run the request; return its ``<op>Return`` or raise IpsFault."""

    def virtual_now(self) -> datetime:
        """The fake's time, for the journal."""

    def download(self, name: str) -> bytes | None:
        """A file the fake serves under ``<webapp>/export/`` (an export's zip), or None."""


@dataclass
class Pass:
    """One request on its way through the stages: what each stage found, for the stages after it."""

    http: HttpRequest
    endpoint: Endpoint
    exchange: Exchange
    transport: Transport
    body: bytes = b""
    root: etree._Element | None = None
    request: IpsRequest | None = None
    credentials: Credentials = NO_CREDENTIALS
    result: etree._Element | None = None
    fault: IpsFault | None = None
    below_ips: TransportFault | None = None
    response: Response | Reply | None = None


class Pipeline:
    """Runs :data:`STAGES` for each request. ``validate_reply`` (when given) checks each ``<op>Return``."""

    def __init__(
        self,
        backend: Backend,
        journal: Journal,
        *,
        max_request_bytes: int = DEFAULT_MAX_REQUEST_BYTES,
        parse_limits: ParseLimits | None = None,
        validate_reply: Callable[[IpsRequest, etree._Element], str | None] | None = None,
        challenge_basic: bool = False,
    ) -> None:
        self.backend = backend
        self.challenge_basic = challenge_basic
        self.exchanges = journal
        self.max_request_bytes = max_request_bytes
        self.parse_limits = parse_limits or DEFAULT_PARSE_LIMITS
        """The work one request's XML may make (elements, depth, text, attributes)."""
        self.validate_reply = validate_reply
        self.errors: list[HandlerError] = []
        """Unexpected exceptions inside the fake, and replies that broke the schema (when validating)."""

    def handle(self, http: HttpRequest, endpoint: Endpoint) -> Response | Reply:
        content_type = http.header("Content-Type")
        exchange = Exchange(
            self.exchanges.next_seq(),
            datetime.now(UTC),
            method=http.method,
            path=http.path,
            content_type=content_type,
            soap_action=http.header("SOAPAction"),
        )
        p = Pass(http, endpoint, exchange, transport_for(endpoint, content_type))
        try:
            for stage in REQUEST_STAGES:
                stage(self, p)
        except OperationNotHandled as fault:
            p.fault = fault
            exchange.unhandled = True
        except IpsFault as fault:
            p.fault = fault
        except BasicChallenge as challenge:
            p.below_ips = challenge  # not a scenario's doing: the journal shows HTTP 401, nothing injected
        except TransportFault as injected:
            p.below_ips = injected
            exchange.injected = injected.kind
        except Exception as exc:
            self.record_error(exchange.operation, exc)
            p.fault = IpsFault(
                IpsFault.EXCEPTION, f"ips-mock internal error in {exchange.operation or 'request'}: {exc!r}"
            )
        for stage in REPLY_STAGES:
            stage(self, p)
        if p.response is None:  # a dropped connection with no socket to close (in-process)
            raise ConnectionAbortedError("ips-mock dropped the connection (scenario fault)")
        return p.response

    def record_error(self, operation: str | None, exc: BaseException) -> None:
        self.errors.append(HandlerError(operation, exc, traceback.format_exc()))
        log.error("ips-mock handler error in %s", operation or "request", exc_info=exc)

    # ------------------------------------------------------------------------------------------ the stages

    def read(self, p: Pass) -> None:
        limit = self.max_request_bytes
        if (length := p.http.content_length) is not None and length > limit:
            raise _too_big(limit)
        try:
            p.body = p.exchange.request_body = p.http.read_body(limit)
        except IncompleteBody as cut:  # the client went away, or sent less than it said
            p.exchange.request_body = cut.received
            raise IpsFault.invalid_request_xml(str(cut)) from None
        if len(p.body) > limit:
            raise _too_big(limit)
        if (p.http.header("Content-Encoding") or "").lower() == "gzip":
            raise IpsFault.invalid_request_xml("Compressed requests are not supported; send the body uncompressed")

    def parse(self, p: Pass) -> None:
        check_request_content_type(p.endpoint, p.exchange.content_type)
        p.root = parse_xml(p.body, limits=self.parse_limits)

    def transport(self, p: Pass) -> None:
        assert p.root is not None
        http = p.http
        webapp = http.path.strip("/").split("/", 1)[0]
        content_type = p.exchange.content_type
        # SOAP 1.2 may name the action as a Content-Type parameter; parse the header only when it can.
        action = http.content_type_param("action") if content_type and "action" in content_type.lower() else None
        p.request = request = read_request(
            p.root,
            endpoint=p.endpoint,
            content_type=content_type,
            soap_action=p.exchange.soap_action,
            action_param=action,
            service_root=f"{http.url_root}{webapp}/",
        )
        p.transport = request.transport
        p.exchange.operation = request.operation
        p.exchange.api_version = request.api_version

    def credentials(self, p: Pass) -> None:
        assert p.request is not None
        try:
            credentials = read_credentials(p.request.headers, p.http.header("Authorization"))
        except IpsFault:
            # A malformed credential field must still get the fault status the caller asked for.
            p.credentials = read_reply_options(p.request.headers)
            raise
        if credentials.locale is None and (language := p.http.best_language()):
            credentials = replace(credentials, locale=language)  # IPS: authHeader, then Accept-Language (§2.2)
        p.credentials = credentials
        p.exchange.credentials = credentials.carrier
        if self.challenge_basic and credentials.carrier is None:
            raise BasicChallenge

    def injected_faults(self, p: Pass) -> None:
        assert p.request is not None
        delay = self.backend.injected_delay(p.request, p.credentials, p.exchange)
        if delay > 0:
            time.sleep(delay)  # outside the fake's lock: other requests and clock moves go on meanwhile

    def dispatch(self, p: Pass) -> None:
        assert p.request is not None
        p.result = self.backend.execute(p.request, p.credentials, p.exchange)
        if self.validate_reply is not None and (problem := self.validate_reply(p.request, p.result)):
            self.record_error(p.request.operation, SchemaViolation(problem))

    def encode(self, p: Pass) -> None:
        if p.below_ips is not None:
            p.response = self._below_ips(p, p.below_ips)
            return
        if p.fault is not None:
            p.exchange.fault_code, p.exchange.fault_reason = p.fault.code, p.fault.reason
            body, status = p.transport.render_fault(p.fault), p.credentials.fault_http_status or 500
        else:
            assert p.result is not None
            body, status = p.transport.render_reply(p.result), 200
        content_type = p.transport.content_type
        p.exchange.reply_body, p.exchange.reply_content_type = body, content_type
        if _wants_gzip(p.http, p.credentials):
            sent = _gzip(body)
            headers = [("Content-Type", content_type), ("Content-Length", str(len(sent))), ("Content-Encoding", "gzip")]
        else:
            sent, headers = body, [("Content-Type", content_type), ("Content-Length", str(len(body)))]
        headers.append(("Vary", "Accept-Encoding"))
        p.response = Reply(status, headers, sent)

    def journal(self, p: Pass) -> None:
        exchange = p.exchange
        exchange.transport = p.transport.value
        dropped = p.below_ips is not None and p.below_ips.kind == "drop"
        exchange.status = 0 if dropped or p.response is None else p.response.status_code
        if exchange.virtual_time is None:
            exchange.virtual_time = self.backend.virtual_now()
        self.exchanges.record(exchange)
        if (listener := p.http.environ.get(EXCHANGES_ENVIRON_KEY)) is not None:
            listener.append(exchange)

    # ----------------------------------------------------------------------------------------------- helpers

    def _below_ips(self, p: Pass, injected: TransportFault) -> Response | None:
        """A scenario's transport fault: an HTTP error page, garbage bytes, or a dropped connection."""
        if injected.kind == "drop":
            sock = p.http.environ.get("werkzeug.socket")
            if sock is None:
                return None  # handle() raises the error a client would see once the journal has it
            sock.shutdown(socket.SHUT_RDWR)
            return Response(b"", 200)
        p.exchange.reply_body = injected.body
        response = Response(
            injected.body, injected.status, content_type=injected.content_type or p.transport.content_type
        )
        response.headers.extend(injected.headers)
        return response


class Reply:
    """An IPS reply as it goes out: status, headers (in the order werkzeug's ``Response`` writes them) and body.

    werkzeug's Response spends about 10 µs of header bookkeeping on a reply that needs none of it (a tenth of a
    small request); the app adds its Server header to either kind."""

    __slots__ = ("body", "headers", "status_code")

    def __init__(self, status_code: int, headers: list[tuple[str, str]], body: bytes) -> None:
        self.status_code = status_code
        self.headers = headers
        self.body = body

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        start_response(_status_line(self.status_code), self.headers)
        return [] if environ.get("REQUEST_METHOD") == "HEAD" else [self.body]


@lru_cache(maxsize=32)
def _status_line(code: int) -> str:
    """The status line werkzeug writes for ``code`` (``500 INTERNAL SERVER ERROR``)."""
    return f"{code} {HTTP_STATUS_CODES.get(code, 'unknown').upper()}"


class SchemaViolation(Exception):
    """A reply ips-mock produced does not validate against its own schema (runtime validation is on)."""


Stage = Callable[[Pipeline, Pass], None]

REQUEST_STAGES: Final[tuple[Stage, ...]] = (
    Pipeline.read,
    Pipeline.parse,
    Pipeline.transport,
    Pipeline.credentials,
    Pipeline.injected_faults,
    Pipeline.dispatch,
)
REPLY_STAGES: Final[tuple[Stage, ...]] = (Pipeline.encode, Pipeline.journal)
STAGES: Final[tuple[Stage, ...]] = REQUEST_STAGES + REPLY_STAGES
"""Every stage, in the order a request meets them."""


def _too_big(limit: int) -> IpsFault:
    return IpsFault.invalid_request_xml(f"The request body exceeds the limit of {limit} bytes")


def _gzip(body: bytes) -> bytes:
    """``body`` gzipped at zlib's default level (Java's ``GZIPOutputStream``'s, on IPS's Tomcat), no timestamp.

    The window and the hash table are sized to the body: zlib's defaults allocate and clear about 256 KB on
    every call, which was most of what compressing a small reply cost."""
    bits = min(15, max(9, (len(body) - 1).bit_length()))
    compressor = zlib.compressobj(6, zlib.DEFLATED, 16 + bits, bits - 7)
    return compressor.compress(body) + compressor.flush()


def _wants_gzip(request: HttpRequest, options: Credentials) -> bool:
    """The real server's default ``webservice.gzip.response=accept`` policy (IPS-REFERENCE §1.7)."""
    if options.gzip_response is not None:
        return options.gzip_response
    return request.accepts_gzip()
