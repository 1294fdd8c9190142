"""Recording: turn IPS exchanges into transcript steps, from a proxy (``ips-mock record``) or a fake's journal.

:class:`Recorder` is a WSGI app that forwards **every** request to a target (the IPS endpoints, WSDL fetches with
their addresses rewritten to the recorder, the admin API of an ips-mock target) and writes each IPS exchange to a
transcript as it goes. Time is recorded as the target experiences it: when the target is an ips-mock (it answers
``GET /__admin/clock``), the recorder reads the target's virtual clock before each call, so a clock moved on the
target, through the recorder or directly, becomes an ``advance`` step of the right length; against a real IPS the
gaps between calls are wall-clock gaps. Credentials never reach the file (:mod:`ips_mock.protocol.recording`).
"""

from __future__ import annotations

import gzip
import http.client
import json
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import urlsplit

from werkzeug.http import parse_options_header
from werkzeug.wrappers import Request, Response

from .errors import IpsFault
from .journal import Exchange, Journal
from .protocol.auth import read_credentials
from .protocol.codec import parse_datetime
from .protocol.compare import element_params
from .protocol.recording import REDACTED, SECRET_ELEMENTS, pretty_xml, redact
from .protocol.transport import Endpoint, IpsRequest, check_request_content_type, read_request
from .protocol.xml import parse_xml
from .scenario.transcript import TranscriptWriter

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

__all__ = ["Recorder", "save_journal", "write_step"]

MAX_BODY_BYTES: Final = 10 * 1024 * 1024
_HOP_BY_HOP: Final = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailers",
        "transfer-encoding",
        "upgrade",
        "host",
        "content-length",
        "accept-encoding",
    }
)


def _endpoint(path: str) -> Endpoint | None:
    for endpoint in Endpoint:
        if path.rstrip("/").endswith("/" + endpoint.value):
            return endpoint
    return None


def parse_ips_request(
    body: bytes, *, path: str, content_type: str | None, soap_action: str | None
) -> IpsRequest | None:
    """The IPS request in an exchange, or None when it is not one (a WSDL fetch, bad XML, an admin call)."""
    endpoint = _endpoint(path)
    if endpoint is None:
        return None
    action = parse_options_header(content_type)[1].get("action")  # as werkzeug reads it for the pipeline
    try:
        check_request_content_type(endpoint, content_type)
        return read_request(
            parse_xml(body), endpoint=endpoint, content_type=content_type, soap_action=soap_action, action_param=action
        )
    except IpsFault:
        return None


def redacted_params(request: IpsRequest) -> Any:
    """The request's parameters as plain data, secrets replaced (what playback matches on)."""
    return _redact_values(element_params(request.param))


def _redact_values(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: (REDACTED if k in SECRET_ELEMENTS and v else _redact_values(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [_redact_values(v) for v in value]
    return value


def write_step(
    writer: TranscriptWriter,
    request: IpsRequest,
    *,
    body: bytes,
    path: str,
    content_type: str | None,
    soap_action: str | None,
    user: str | None,
    credentials: str | None,
    at: datetime | None,
    virtual_time: str | None,
    status: int,
    reply_content_type: str | None,
    reply: bytes,
    redact_xpaths: Sequence[str] = (),
) -> None:
    writer.call(
        operation=request.operation,
        version=str(request.api_version),
        transport=request.transport.value,
        user=user,
        credentials=credentials or "none",
        path=path,
        content_type=content_type,
        soap_action=soap_action,
        at=at.isoformat(timespec="milliseconds") if at is not None else None,
        virtual_time=virtual_time,
        params=redacted_params(request),
        request=pretty_xml(redact(body, redact_xpaths)),
        status=status,
        reply_content_type=reply_content_type,
        reply=pretty_xml(reply),
    )


def save_journal(journal: Journal | Iterable[Exchange], path: str | Path, *, description: str | None = None) -> int:
    """Write the IPS exchanges of a journal as a transcript, with ``advance`` steps for the virtual time that
    passed between them. Exchanges whose raw bodies the journal no longer holds are left out. Returns the number
    of calls written."""
    calls = 0
    previous: datetime | None = None
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with Path(path).open("w", encoding="utf-8") as stream:
        writer = TranscriptWriter(stream, description=description or "saved from an ips-mock journal")
        for exchange in journal:
            if exchange.request_body is None or exchange.reply_body is None or exchange.request_truncated:
                continue
            request = parse_ips_request(
                exchange.request_body,
                path=exchange.path,
                content_type=exchange.content_type,
                soap_action=exchange.soap_action,
            )
            if request is None:
                continue
            if previous is not None and exchange.virtual_time is not None:
                writer.advance(exchange.virtual_time - previous)
            previous = exchange.virtual_time or previous
            write_step(
                writer,
                request,
                body=exchange.request_body,
                path=exchange.path,
                content_type=exchange.content_type,
                soap_action=exchange.soap_action,
                user=exchange.caller,
                credentials=exchange.credentials,
                at=exchange.real_time,
                virtual_time=exchange.virtual_time.isoformat(timespec="milliseconds")
                if exchange.virtual_time
                else None,
                status=exchange.status,
                reply_content_type=exchange.reply_content_type,
                reply=exchange.reply_body,
            )
            calls += 1
    return calls


class Recorder:
    """A recording proxy: forward everything to ``target``, write each IPS exchange to ``writer``."""

    def __init__(
        self, target: str, writer: TranscriptWriter, *, redact_xpaths: Sequence[str] = (), timeout: float = 180.0
    ) -> None:
        parts = urlsplit(target)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"--target must be an http(s) URL, not {target!r}")
        self.target = target.rstrip("/")
        self._parts = parts
        self.writer = writer
        self.redact_xpaths = tuple(redact_xpaths)
        self.timeout = timeout
        self.proxy_url: str | None = None
        """The recorder's own base URL, written into WSDLs it passes through (set once it listens)."""
        self._lock = threading.Lock()
        self._last_real: float | None = None
        self._last_virtual: datetime | None = None
        self.errors: list[str] = []

    # --------------------------------------------------------------------------------------------- HTTP

    def _forward(
        self, method: str, path: str, body: bytes, headers: Mapping[str, str]
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        connection_class = http.client.HTTPSConnection if self._parts.scheme == "https" else http.client.HTTPConnection
        connection = connection_class(self._parts.hostname or "", self._parts.port, timeout=self.timeout)
        try:
            connection.request(method, self._parts.path.rstrip("/") + path, body=body or None, headers=dict(headers))
            response = connection.getresponse()
            return response.status, response.getheaders(), response.read(MAX_BODY_BYTES + 1)[:MAX_BODY_BYTES]
        finally:
            connection.close()

    def target_clock(self) -> datetime | None:
        """The target's virtual time when it is an ips-mock, else None."""
        try:
            status, _headers, body = self._forward("GET", "/__admin/clock", b"", {"Accept": "application/json"})
            if status != 200:
                return None
            return parse_datetime(json.loads(body)["now"])
        except (OSError, ValueError, KeyError, TypeError, http.client.HTTPException):
            return None

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        request = Request(environ)
        return self.handle(request)(environ, start_response)

    def handle(self, request: Request) -> Response:
        body = request.get_data(cache=False)[: MAX_BODY_BYTES + 1]
        if len(body) > MAX_BODY_BYTES:
            return Response(f"413: a request over {MAX_BODY_BYTES} bytes is not recorded\n", 413)
        headers = {k: v for k, v in request.headers.items() if k.lower() not in _HOP_BY_HOP}
        path = request.full_path if request.query_string else request.path
        ips_request = None
        if request.method == "POST":
            ips_request = parse_ips_request(
                body,
                path=request.path,
                content_type=request.headers.get("Content-Type"),
                soap_action=request.headers.get("SOAPAction"),
            )
        with self._lock:  # one exchange at a time: the transcript's order is the target's order
            virtual = self.target_clock() if ips_request is not None else None
            real_now = time.monotonic()
            at = datetime.now(UTC)
            try:
                status, reply_headers, reply = self._forward(request.method, path, body, headers)
            except (OSError, http.client.HTTPException) as exc:
                self.errors.append(f"{request.method} {path}: {exc}")
                return Response(f"502: ips-mock record could not reach {self.target}: {exc}\n", 502)
            if ips_request is not None:
                self._record(ips_request, request, body, status, reply_headers, reply, at, real_now, virtual)
        reply = self._rewrite_wsdl(request, reply_headers, reply)
        response = Response(reply, status)
        for name, value in reply_headers:
            if name.lower() not in _HOP_BY_HOP:
                response.headers[name] = value
        return response

    def _record(
        self,
        ips_request: IpsRequest,
        request: Request,
        body: bytes,
        status: int,
        reply_headers: list[tuple[str, str]],
        reply: bytes,
        at: datetime,
        real_now: float,
        virtual: datetime | None,
    ) -> None:
        if virtual is not None:
            if self._last_virtual is not None:
                self.writer.advance(virtual - self._last_virtual)
            self._last_virtual = virtual
        elif self._last_real is not None:
            self.writer.advance(timedelta(seconds=real_now - self._last_real))
        self._last_real = real_now
        credentials = read_credentials(ips_request.headers, request.headers.get("Authorization"))
        lowered = {k.lower(): v for k, v in reply_headers}
        if lowered.get("content-encoding", "").lower() == "gzip":
            reply = gzip.decompress(reply)
        write_step(
            self.writer,
            ips_request,
            body=body,
            path=request.path,
            content_type=request.headers.get("Content-Type"),
            soap_action=request.headers.get("SOAPAction"),
            user=credentials.user,
            credentials=credentials.carrier,
            at=at,
            virtual_time=virtual.isoformat(timespec="milliseconds") if virtual is not None else None,
            status=status,
            reply_content_type=lowered.get("content-type"),
            reply=reply,
            redact_xpaths=self.redact_xpaths,
        )

    def _rewrite_wsdl(self, request: Request, reply_headers: list[tuple[str, str]], reply: bytes) -> bytes:
        """A WSDL passing through points at the recorder, so a client built on it records its calls too."""
        is_wsdl = request.method == "GET" and (request.path.endswith(".wsdl") or "wsdl" in request.args)
        if not is_wsdl or self.proxy_url is None:
            return reply
        return reply.replace(self.target.encode(), self.proxy_url.rstrip("/").encode())
