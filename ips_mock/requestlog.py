"""The request log of ``ips-mock serve``: one line per request, as text or JSON.

:class:`RequestLog` is a WSGI middleware around the served app. It times each request, reads the status from the
response, and learns what the fake made of an IPS request from the journal entry the pipeline hands back through
the WSGI environ (:data:`ips_mock.pipeline.EXCHANGES_ENVIRON_KEY`): operation, caller, virtual time, fault. The
line is written when the reply has been sent (the server closes the body), so the duration includes sending it.

Levels: a request answered 2xx/3xx without a fault logs at INFO, an IPS fault or a 4xx/5xx at WARNING; with DEBUG,
the raw request and reply bodies of IPS requests follow their line. Colours only when writing to a terminal.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import IO, TYPE_CHECKING, Any, Final, Literal

from .journal import Exchange
from .pipeline import EXCHANGES_ENVIRON_KEY

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

__all__ = [
    "LOGGER_NAME",
    "LogFormat",
    "RequestLine",
    "RequestLog",
    "configure_logging",
]

LOGGER_NAME: Final = "ips_mock.requests"
LogFormat = Literal["text", "json"]
_TENANT: Final = re.compile(r"^/t/([^/]+)(?:/|$)")
_BODY_PREVIEW: Final = 4096  # bytes of a body a DEBUG line shows


@dataclass(frozen=True)
class RequestLine:
    """What the log says about one request (None: does not apply or not known)."""

    method: str
    path: str
    tenant: str | None
    operation: str | None
    caller: str | None
    virtual_time: str | None
    status: int
    fault_code: int | None
    fault_reason: str | None
    duration_ms: float

    @property
    def failed(self) -> bool:
        return self.fault_code is not None or self.status >= 400

    def text(self) -> str:
        fields = [
            f"{self.method} {self.path}",
            f"tenant={self.tenant or '-'}",
            f"op={self.operation or '-'}",
            f"caller={self.caller or '-'}",
            f"virtual={self.virtual_time or '-'}",
            f"status={self.status}",
        ]
        if self.fault_code is not None:
            fields.append(f"fault={self.fault_code} reason={json.dumps(self.fault_reason or '', ensure_ascii=False)}")
        fields.append(f"{self.duration_ms:.1f}ms")
        return " ".join(fields)

    def as_json(self) -> dict[str, Any]:
        names = {"virtual_time": "virtualTime", "fault_code": "faultCode", "fault_reason": "faultReason"}
        data = {names.get(key, key): value for key, value in asdict(self).items()}
        data["durationMs"] = round(data.pop("duration_ms"), 3)
        return data


class RequestLog:
    """WSGI middleware: serve ``app`` and log one :class:`RequestLine` per request to ``logger``.

    ``virtual_time_of(tenant)`` (optional) gives the fake's time for requests that are not IPS requests (the admin
    API: a clock move logs the time it moved to); IPS requests carry the time they were served at.
    """

    def __init__(
        self,
        app: WSGIApplication,
        *,
        logger: logging.Logger | None = None,
        virtual_time_of: Callable[[str | None], datetime | None] | None = None,
        monotonic: Callable[[], float] = time.perf_counter,
    ) -> None:
        self.app = app
        self.logger = logger or logging.getLogger(LOGGER_NAME)
        self.virtual_time_of = virtual_time_of
        self._monotonic = monotonic
        self._in_flight = 0
        self._idle = threading.Condition()

    def drain(self, timeout: float) -> bool:
        """Wait (at most ``timeout`` seconds) until every request under way has been logged; True when none is
        left. A server that stops waits for this, so the last lines are not lost with its threads."""
        with self._idle:
            return self._idle.wait_for(lambda: self._in_flight == 0, timeout)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        started = self._monotonic()
        exchanges: list[Exchange] = []
        environ[EXCHANGES_ENVIRON_KEY] = exchanges
        statuses: list[int] = []

        def recording(status: str, headers: Any, exc_info: Any = None) -> Any:
            statuses.append(int(status.split(None, 1)[0]))
            return start_response(status, headers, exc_info)

        def finish() -> None:
            try:
                self._log(environ, statuses[-1] if statuses else 0, exchanges, self._monotonic() - started)
            finally:
                with self._idle:
                    self._in_flight -= 1
                    self._idle.notify_all()

        with self._idle:
            self._in_flight += 1
        try:
            body = self.app(environ, recording)
        except BaseException:
            finish()
            raise
        return _Closing(body, finish)

    def _log(self, environ: WSGIEnvironment, status: int, exchanges: list[Exchange], seconds: float) -> None:
        path = str(environ.get("SCRIPT_NAME", "")) + str(environ.get("PATH_INFO", ""))
        tenant_match = _TENANT.match(path)
        tenant = tenant_match[1] if tenant_match else None
        exchange = exchanges[-1] if exchanges else None
        if exchange is not None:
            instant = exchange.virtual_time
            status = exchange.status  # 0 for a connection a scenario dropped
        else:
            instant = self._virtual_time(tenant) if _is_admin(path, tenant) else None
        line = RequestLine(
            method=str(environ.get("REQUEST_METHOD", "-")),
            path=path,
            tenant=tenant,
            operation=exchange.operation if exchange else None,
            caller=exchange.caller if exchange else None,
            virtual_time=instant.isoformat(timespec="milliseconds") if instant is not None else None,
            status=status,
            fault_code=exchange.fault_code if exchange else None,
            fault_reason=exchange.fault_reason if exchange else None,
            duration_ms=seconds * 1000,
        )
        level = logging.WARNING if line.failed else logging.INFO
        if level == logging.INFO and environ.get("HTTP_X_IPS_MOCK_POLL"):
            level = logging.DEBUG  # the dashboard's reads, several a second while it is open: not news
        self.logger.log(level, "%s", line.text(), extra={"ips_request": line})
        if exchange is not None and self.logger.isEnabledFor(logging.DEBUG):
            for name, data in (("request", exchange.request_body), ("reply", exchange.reply_body)):
                if data:
                    # One line per record: a body's own line breaks are written as \n.
                    text = data[:_BODY_PREVIEW].decode("utf-8", errors="replace").replace("\r", "\\r")
                    text = text.replace("\n", "\\n")
                    more = f"… ({len(data)} bytes)" if len(data) > _BODY_PREVIEW else ""
                    self.logger.debug("%s body of #%d: %s%s", name, exchange.seq, text, more)

    def _virtual_time(self, tenant: str | None) -> datetime | None:
        if self.virtual_time_of is None:
            return None
        try:
            return self.virtual_time_of(tenant)
        except Exception:  # a log line never fails a request
            return None


def _is_admin(path: str, tenant: str | None) -> bool:
    rest = path[len(f"/t/{tenant}") :] if tenant is not None else path
    return rest == "/__admin" or rest.startswith("/__admin/")


class _Closing:
    """The app's body, with ``on_close`` run once: just before its last chunk is handed to the server, or when
    the server closes it, whichever comes first.

    Before the last chunk, so a client that sends its next request as soon as it has this reply finds this line
    logged first: lines keep the order of sequential requests, though each request runs on its own thread."""

    def __init__(self, body: Iterable[bytes], on_close: Callable[[], None]) -> None:
        self._body = body
        self._on_close: Callable[[], None] | None = on_close

    def __iter__(self) -> Iterator[bytes]:
        chunks = iter(self._body)
        chunk = next(chunks, None)
        while chunk is not None:
            following = next(chunks, None)
            if following is None:
                self._finish()
            yield chunk
            chunk = following
        self._finish()  # an empty body

    def close(self) -> None:
        try:
            close = getattr(self._body, "close", None)
            if close is not None:
                close()
        finally:
            self._finish()

    def _finish(self) -> None:
        on_close, self._on_close = self._on_close, None
        if on_close is not None:
            on_close()


# ---------------------------------------------------------------------------------------------- formatting

_COLOURS: Final = {logging.DEBUG: "2", logging.INFO: "32", logging.WARNING: "33", logging.ERROR: "1;31"}


def _timestamp(record: logging.LogRecord) -> str:
    return datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class TextFormatter(logging.Formatter):
    """``<UTC time> <LEVEL> <message>``; the level coloured only when ``colour`` (a terminal)."""

    def __init__(self, *, colour: bool = False) -> None:
        super().__init__()
        self.colour = colour

    def format(self, record: logging.LogRecord) -> str:
        level = f"{record.levelname:<7}"
        if self.colour:
            level = f"\x1b[{_COLOURS.get(record.levelno, '1;31')}m{level}\x1b[0m"
        text = f"{_timestamp(record)} {level} {record.getMessage()}"
        if record.exc_info:
            text += "\n" + self.formatException(record.exc_info)
        return text


class JsonFormatter(logging.Formatter):
    """One JSON object a line: ``time``, ``level``, then a request's fields, or ``logger`` and ``message``."""

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {"time": _timestamp(record), "level": record.levelname.lower()}
        line = getattr(record, "ips_request", None)
        if isinstance(line, RequestLine):
            data.update(line.as_json())
        else:
            data.update(logger=record.name, message=record.getMessage())
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False)


def configure_logging(
    *, level: str = "info", log_format: LogFormat = "text", stream: IO[str] | None = None
) -> logging.Handler:
    """Send the ``ips_mock`` loggers (the request log and errors inside the fake) to ``stream`` (default stderr)
    at ``level``, as ``text`` or ``json``. Returns the handler, for :func:`logging.Logger.removeHandler`."""
    stream = stream if stream is not None else sys.stderr
    handler = logging.StreamHandler(stream)
    if log_format == "json":
        handler.setFormatter(JsonFormatter())
    else:
        isatty = getattr(stream, "isatty", None)
        handler.setFormatter(TextFormatter(colour=bool(isatty and isatty())))
    logger = logging.getLogger("ips_mock")
    logger.setLevel(level.upper())
    logger.addHandler(handler)
    logger.propagate = False
    return handler
