"""What the IPS endpoints read of a WSGI request: a handful of headers, the body and the URL root.

werkzeug's ``Request`` serves every question a web application may ask. Building one costs more than an IPS
request's own reading does, and it ties itself into the environ (a reference cycle per request for the collector
to break). :class:`HttpRequest` answers the few questions the pipeline asks, with werkzeug's own functions and the
same results; the other endpoints (WSDL pages, downloads) keep werkzeug's ``Request``.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Final

from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header, parse_options_header
from werkzeug.sansio.utils import get_current_url, get_host
from werkzeug.wsgi import get_content_length

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIEnvironment

__all__ = ["HttpRequest", "IncompleteBody"]

_UNPREFIXED: Final = frozenset({"CONTENT_TYPE", "CONTENT_LENGTH"})
_READ_CHUNK: Final = 64 * 1024
_UNREAD: Final = -2
"""``HttpRequest._length`` before Content-Length is read (None means there is none)."""


class IncompleteBody(Exception):
    """The input ended before the body its Content-Length announced had come, or reading it failed."""

    def __init__(self, received: bytes, announced: int | None) -> None:
        of = f" of the {announced} its Content-Length announced" if announced is not None else ""
        super().__init__(f"The request body broke off after {len(received)} bytes{of}")
        self.received = received
        """The bytes that did come."""
        self.announced = announced


class HttpRequest:
    """A request posted to an IPS endpoint, read from its WSGI environ as werkzeug's ``Request`` reads it."""

    __slots__ = ("_length", "environ", "method", "path")

    def __init__(self, environ: WSGIEnvironment) -> None:
        self.environ = environ
        self.method: str = environ.get("REQUEST_METHOD", "GET").upper()
        self.path = "/" + _wsgi_text(environ.get("PATH_INFO") or "").lstrip("/")
        self._length: int | None = _UNREAD

    def header(self, name: str) -> str | None:
        """A request header's value (``Content-Type``, ``SOAPAction``…), or None when it was not sent."""
        key = name.upper().replace("-", "_")
        value: str | None = self.environ.get(key if key in _UNPREFIXED else f"HTTP_{key}")
        return value

    @property
    def content_length(self) -> int | None:
        """Content-Length as werkzeug reads it: None when absent or chunked, 0 when not a number."""
        if self._length == _UNREAD:
            self._length = get_content_length(self.environ)
        return self._length

    def read_body(self, limit: int) -> bytes:
        """The body as werkzeug's ``get_input_stream`` bounds it (never past Content-Length; empty when no length
        was sent, unless the server marks its input as terminated), but no more than ``limit + 1`` bytes: a
        caller refusing bodies over ``limit`` needs no more to know. Read in pieces, so a client that announces
        a large body and stalls holds only what it has sent. Raises :class:`IncompleteBody` when the input ends
        or fails short of Content-Length (werkzeug raises ``ClientDisconnected`` there).

        Read once per request: werkzeug's ``LimitedStream`` and its ``io`` machinery cost more than the read."""
        stream = self.environ["wsgi.input"]
        length = self.content_length
        terminated = "wsgi.input_terminated" in self.environ
        if terminated:
            wanted = limit + 1
        elif length is None:
            return b""
        else:
            wanted = min(length, limit + 1)
        chunks: list[bytes] = []
        size = 0
        while size < wanted:
            try:
                chunk = stream.read(min(_READ_CHUNK, wanted - size))
            except (OSError, ValueError) as exc:  # e.g. a chunked body that breaks its own encoding
                raise IncompleteBody(b"".join(chunks), length) from exc
            if not chunk:
                if terminated:
                    break
                raise IncompleteBody(b"".join(chunks), length)
            chunks.append(chunk)
            size += len(chunk)
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)

    def content_type_param(self, name: str) -> str | None:
        """A parameter of the Content-Type header (SOAP 1.2's ``action``)."""
        return parse_options_header(self.header("Content-Type"))[1].get(name)

    def best_language(self) -> str | None:
        """The client's most preferred language in ``Accept-Language``, or None (none sent, or none named)."""
        value = self.header("Accept-Language")
        return (_best_language(value) or None) if value else None

    def accepts_gzip(self) -> bool:
        """Whether ``Accept-Encoding`` allows gzip (sent at all, with a quality above zero)."""
        value = self.header("Accept-Encoding")
        return value is not None and _gzip_quality(value) > 0

    @property
    def url_root(self) -> str:
        """The URL of the application's root, ending in ``/`` (``Request.url_root``)."""
        environ = self.environ
        return _url_root(
            environ.get("wsgi.url_scheme", "http"),
            environ.get("HTTP_HOST"),
            environ.get("SERVER_NAME"),
            environ.get("SERVER_PORT"),
            environ.get("SCRIPT_NAME") or "",
        )


def _wsgi_text(value: str) -> str:
    """A WSGI path string (bytes as latin-1) as the UTF-8 text it carries, as werkzeug decodes it."""
    return value if value.isascii() else value.encode("latin1").decode(errors="replace")


# A client sends the same few header values again and again: each is parsed once.


@lru_cache(maxsize=64)
def _best_language(value: str) -> str | None:
    return parse_accept_header(value, LanguageAccept).best


@lru_cache(maxsize=64)
def _gzip_quality(value: str) -> float:
    return parse_accept_header(value).quality("gzip")


@lru_cache(maxsize=64)
def _url_root(
    scheme: str, host_header: str | None, server_name: str | None, server_port: str | None, script_name: str
) -> str:
    """``Request.url_root`` from the environ values it depends on; the host check and the IRI conversion in it
    are a sixth of a short request's cost, and a client sends the same values every time."""
    server: tuple[str, int | None] | None = None
    if server_name is not None:  # as werkzeug reads the server's address (no port: a unix socket)
        try:
            server = (server_name, int(server_port or ""))
        except ValueError:
            server = (server_name, None)
    return get_current_url(scheme, get_host(scheme, host_header, server), _wsgi_text(script_name))
