"""ServerThread: serve any WSGI application on a real socket from a daemon thread.

Every connection has a deadline: the request line, the headers and the body must all arrive within
``read_timeout`` seconds of the connection opening. A client that stalls (announces a body and sends nothing,
or trickles bytes) is answered ``408 Request Timeout`` and disconnected, so it cannot hold a thread and a body
buffer for ever. Writing a response is bounded by the same number of seconds.
"""

from __future__ import annotations

import contextlib
import errno
import io
import re
import select
import selectors
import socket
import socketserver
import sys
import threading
import time
from collections.abc import Callable, Iterable
from types import TracebackType
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import unquote, urlsplit

from werkzeug.exceptions import InternalServerError
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

__all__ = ["DEFAULT_READ_TIMEOUT", "AppSwitch", "RequestTimeout", "ServerThread"]

DEFAULT_READ_TIMEOUT: Final = 10.0
WORKER_IDLE_TIMEOUT: Final = 30.0
"""Seconds a connection thread waits for a connection before it ends (unless no other thread waits)."""
_ACCEPT_RETRY_PAUSE: Final = 0.01  # seconds
_DRAIN_PAUSE: Final = 0.05  # seconds: how long a client sending after the response may pause before we close


class RequestTimeout(BaseException):
    """The request did not arrive before its deadline.

    A BaseException, like GeneratorExit, so that an application's ``except Exception`` (which turns errors into
    replies) lets it through to the server, which answers 408 and closes the connection.
    """


class _DeadlineReader(io.RawIOBase):
    """The connection's input, every read bounded by one deadline for the whole request.

    Once the response has started, what the client still sends is only discarded (werkzeug reads it so the
    client sees the response rather than a reset): then a pause of the client counts as the end of its input.
    """

    def __init__(self, sock: socket.socket, deadline: float, write_timeout: float) -> None:
        self._sock = sock
        self._deadline = deadline
        self._write_timeout = write_timeout
        self.received = 0
        self.draining = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        remaining = self._deadline - time.monotonic()
        if remaining <= 0:
            if self.draining:
                return 0
            raise RequestTimeout
        self._sock.settimeout(min(remaining, _DRAIN_PAUSE) if self.draining else remaining)
        try:
            count = self._sock.recv_into(buffer)
        except TimeoutError:
            if self.draining:
                return 0
            raise RequestTimeout from None
        finally:
            self._sock.settimeout(self._write_timeout)  # the same socket writes the response
        self.received += count
        return count


_PLAIN_LINE: Final = re.compile(rb"[\x20-\x7e\t]*\r\n")
_TOKEN: Final = re.compile(rb"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
_PLAIN_METHODS: Final = frozenset({b"GET", b"POST"})
_PLAIN_VERSIONS: Final = frozenset({b"HTTP/1.0", b"HTTP/1.1"})
_PLAIN_MAX_LINE: Final = 8192
_PLAIN_MAX_HEADERS: Final = 64
"""Bounds of the plain head read directly, well within http.server's own (65,536 bytes a line, 100 lines): a head
beyond them is read again by http.server, which applies its limits and answers 414 or 431 itself."""


class _Replay(io.RawIOBase):
    """The bytes already read from a connection, then the rest of it."""

    def __init__(self, prefix: bytes, rest: io.BufferedIOBase) -> None:
        self._prefix = memoryview(prefix)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        if self._prefix:
            count = min(len(self._prefix), len(memoryview(buffer)))
            memoryview(buffer)[:count] = self._prefix[:count]
            self._prefix = self._prefix[count:]
            return count
        return self._rest.readinto1(buffer)  # no more than one read: never wait for bytes not yet sent


_CONNECTION_DROPPED: Final = (ConnectionError, socket.timeout)
"""What werkzeug's ``run_wsgi`` takes as the client having gone (no TLS here, so no SSL end-of-file)."""


def _wsgi_encoding_dance(text: str) -> str:
    """A string as WSGI carries it: its UTF-8 bytes as latin-1 text (werkzeug's ``_wsgi_encoding_dance``)."""
    return text if text.isascii() else text.encode().decode("latin1")


def _drain(handler: WSGIRequestHandler) -> None:
    """What werkzeug does after a reply: read and discard what the client still sends (pausing 10 ms at most),
    so that a client whose body was left unread sees the reply rather than a reset connection."""
    with selectors.DefaultSelector() as selector:
        selector.register(handler.connection, selectors.EVENT_READ)
        total_size = total_reads = 0
        while selector.select(timeout=0.01):
            data = handler.rfile.read(10_000_000)
            total_size += len(data)
            total_reads += 1
            if not data or total_size >= 10_000_000_000 or total_reads > 1000:
                break


def _body_length(headers: list[tuple[str, str]]) -> int:
    """The announced body length of a plain head: Content-Length, 0 when absent; -1 when the length is not a
    single plain number or the body is chunked (then it is never taken as arrived)."""
    lengths = [value for name, value in headers if name.lower() == "content-length"]
    if any(name.lower() == "transfer-encoding" for name, _ in headers) or len(lengths) > 1:
        return -1
    if not lengths:
        return 0
    return int(lengths[0]) if lengths[0].isdigit() and lengths[0].isascii() else -1


class _GuardedRequestHandler(WSGIRequestHandler):
    """werkzeug's handler with a deadline on reading the request, no access log unless asked, and a short way
    for the plain requests clients send (see :meth:`handle_one_request`)."""

    read_timeout: float = DEFAULT_READ_TIMEOUT
    log_requests: bool = False
    read_plain_heads: bool = True
    """False: every head goes through http.server (a test compares the two ways)."""
    _reader: _DeadlineReader
    _responded: bool = False
    _request_bytes: int = -1
    """The size of a plain request, head and announced body; -1: unknown (the response drains as werkzeug's)."""
    _server_named: bool | None = None
    """While a reply's head is being written: whether the application named the server (None: no head open)."""

    def setup(self) -> None:
        super().setup()
        self.rfile.close()  # replaced by a reader with a deadline (closing drops the file's hold on the socket)
        self._reader = _DeadlineReader(self.connection, time.monotonic() + self.read_timeout, self.read_timeout)
        self.rfile = io.BufferedReader(self._reader)
        self.connection.settimeout(self.read_timeout)

    def handle(self) -> None:
        try:
            super().handle()
        except RequestTimeout:
            self.close_connection = True
            if self._reader.received and not self._responded:  # a silent client just gets closed
                self._send_timeout()

    def handle_expect_100(self) -> bool:
        # werkzeug's run_wsgi sends the interim "100 Continue" itself; http.server's, sent while it parses the
        # head, was a second one in a row.
        return True

    def send_response(self, code: int, message: str | None = None) -> None:
        # http.server's, except that the server names itself at the end of the head, and only if the application
        # did not (ips-mock's app says "Server: ips-mock"): one Server header, not two.
        self._reply_starts()
        self.log_request(code)
        self.send_response_only(code, message)
        self.send_header("Date", self.date_time_string())
        self._server_named = False

    def send_header(self, keyword: str, value: str) -> None:
        if self._server_named is False and keyword.lower() == "server":
            self._server_named = True
        super().send_header(keyword, value)

    def end_headers(self) -> None:
        if self._server_named is False:
            super().send_header("Server", self.version_string())
        self._server_named = None
        super().end_headers()

    def _reply_starts(self) -> None:
        self._responded = self._reader.draining = True
        if self._request_bytes >= 0 and self._reader.received == self._request_bytes:
            # Exactly this request has arrived, and the client waits for the answer: nothing will be left to
            # drain. werkzeug drains after every response, waiting up to 10 ms for more bytes or for the client
            # to close; with reading shut, that wait ends at once. In a test that was a tenth of the cost of a
            # request: the connection's thread woke again, competing for the interpreter, while the client went on.
            with contextlib.suppress(OSError):  # the client is gone already: writing the answer will say so
                self.connection.shutdown(socket.SHUT_RD)

    def handle_one_request(self) -> None:
        """Serve one request. http.server reads the header block with the email package's parser: two fifths of
        the server's work for a small request. A plain head (GET or POST, HTTP/1.x, a path, printable ASCII
        ``Name: value`` lines within modest bounds, no Expect) is read here, with the state ``parse_request``
        would set, and, when its body has a known length, served by :meth:`_run_plain` (a chunked one goes to
        werkzeug's ``run_wsgi`` with the same ``HTTPMessage`` http.server would have made); any other head is
        handed back to http.server, from its first byte, to be read and answered (or refused) as before.
        ``tests/test_server_heads.py`` compares the two ways byte for byte."""
        self._request_bytes = -1
        head: list[bytes] = []
        plain = self._read_plain_head(head) if self.read_plain_heads else None
        if plain is None:
            if head:  # http.server reads the head again, with its own rules, from the start
                self.rfile = io.BufferedReader(_Replay(b"".join(head), self.rfile))
            super().handle_one_request()
            return
        method, target, version, headers = plain
        self.raw_requestline = head[0]
        self.requestline = head[0][:-2].decode("ascii")
        self.command, self.path, self.request_version = method, target, version
        # werkzeug's reply says "Connection: close" whatever the client asked: no other request comes on this
        # connection (http.server would wait for one, up to the read deadline).
        self.close_connection = True
        length = _body_length(headers)
        self._request_bytes = sum(map(len, head)) + length if length >= 0 else -1
        try:  # what http.server does once it has parsed a request (werkzeug answers every method in run_wsgi)
            if length >= 0:  # a body of known length (not chunked): the short way
                self._run_plain(headers)
            else:  # werkzeug's run_wsgi reads the head from http.server's header message
                message = self.MessageClass()
                for name, value in headers:
                    message.set_raw(name, value)
                self.headers = message
                self.run_wsgi()
            self.wfile.flush()
        except TimeoutError as exc:
            self.log_error("Request timed out: %r", exc)

    def _run_plain(self, headers: list[tuple[str, str]]) -> None:
        """werkzeug's ``run_wsgi`` for a plain request, in fewer steps: the environ built from the head as
        ``make_environ`` builds it, and a reply the app gives as a list written in one piece (head and body)
        with the same bytes. Streamed replies, errors, chunking and the drain are as werkzeug's."""
        self.environ = environ = self._plain_environ(headers)
        status_set: str | None = None
        headers_set: list[tuple[str, str]] | None = None
        head_sent = False
        chunked = False

        def head(status: str, response_headers: list[tuple[str, str]]) -> bytes:
            """The bytes send_response, send_header and end_headers would send, as werkzeug's write sends them."""
            nonlocal chunked
            try:
                code_text, message = status.split(None, 1)
            except ValueError:
                code_text, message = status, ""
            code = int(code_text)
            self.log_request(code)
            self._reply_starts()
            lines = [f"{self.protocol_version} {code} {message}\r\n", f"Date: {self.date_time_string()}\r\n"]
            lines += [f"{key}: {value}\r\n" for key, value in response_headers]
            keys = {key.lower() for key, _ in response_headers}
            if not ("content-length" in keys or 100 <= code < 200 or code in {204, 304}):
                chunked = True
                lines.append("Transfer-Encoding: chunked\r\n")
            lines.append("Connection: close\r\n")
            if "server" not in keys:  # as end_headers: the server names itself when the app did not
                lines.append(f"Server: {self.version_string()}\r\n")
            lines.append("\r\n")
            return "".join(lines).encode("latin-1", "strict")

        def write(data: bytes) -> None:
            nonlocal head_sent
            assert status_set is not None, "write() before start_response"
            assert headers_set is not None, "write() before start_response"
            out = b""
            if not head_sent:
                head_sent = True
                out = head(status_set, headers_set)
            assert isinstance(data, bytes), "applications must write bytes"
            if data:
                out += b"%x\r\n%s\r\n" % (len(data), data) if chunked else data
            self.wfile.write(out)

        def start_response(
            status: str, response_headers: list[tuple[str, str]], exc_info: Any = None
        ) -> Callable[[bytes], None]:
            nonlocal status_set, headers_set
            if exc_info:
                try:
                    if head_sent:
                        raise exc_info[1].with_traceback(exc_info[2])
                finally:
                    exc_info = None
            elif headers_set:  # as werkzeug's: a reply that set no headers may be set again
                raise AssertionError("Headers already set")
            status_set, headers_set = status, response_headers
            return write

        def execute(app: WSGIApplication) -> None:
            reply = app(environ, start_response)
            try:
                if isinstance(reply, list | tuple) and not head_sent:
                    write(b"".join(reply))  # head and body in one send
                else:
                    for data in reply:
                        write(data)
                    if not head_sent:
                        write(b"")
                if chunked:
                    self.wfile.write(b"0\r\n\r\n")
            finally:
                if self._reader.received != self._request_bytes:
                    _drain(self)  # what the app left unread, so that the client reads the reply
                if hasattr(reply, "close"):
                    reply.close()

        try:
            execute(self.server.app)
        except _CONNECTION_DROPPED as exc:
            self.connection_dropped(exc, environ)
        except Exception as exc:  # as werkzeug: a 500 page if nothing was sent yet, and the traceback logged
            if self.server.passthrough_errors:
                raise
            try:
                if not head_sent:
                    status_set = headers_set = None
                execute(InternalServerError())
            except Exception:
                pass
            from werkzeug.debug.tbtools import DebugTraceback

            self.server.log("error", f"Error on request:\n{DebugTraceback(exc).render_traceback_text()}")

    def _plain_environ(self, headers: list[tuple[str, str]]) -> WSGIEnvironment:
        """``make_environ``'s environ for a plain head (a path target, no TLS, no chunked body)."""
        url = urlsplit(self.path)
        environ: WSGIEnvironment = {
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.input": self.rfile,
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": self.server.multithread,
            "wsgi.multiprocess": self.server.multiprocess,
            "wsgi.run_once": False,
            "werkzeug.socket": self.connection,
            "SERVER_SOFTWARE": self.server_version,
            "REQUEST_METHOD": self.command,
            "SCRIPT_NAME": "",
            "PATH_INFO": _wsgi_encoding_dance(unquote(url.path)),
            "QUERY_STRING": _wsgi_encoding_dance(url.query),
            "REQUEST_URI": _wsgi_encoding_dance(self.path),
            "RAW_URI": _wsgi_encoding_dance(self.path),
            "REMOTE_ADDR": self.address_string(),
            "REMOTE_PORT": self.port_integer(),
            "SERVER_NAME": self.server.server_address[0],
            "SERVER_PORT": str(self.server.server_address[1]),
            "SERVER_PROTOCOL": self.request_version,
        }
        for name, value in headers:
            if "_" in name:
                continue  # as werkzeug: such a header could pass itself off as another
            key = name.upper().replace("-", "_")
            if key not in ("CONTENT_TYPE", "CONTENT_LENGTH"):
                key = f"HTTP_{key}"
                if key in environ:
                    value = f"{environ[key]},{value}"
            environ[key] = value
        return environ

    def _read_plain_head(self, head: list[bytes]) -> tuple[str, str, str, list[tuple[str, str]]] | None:
        """The request line and headers of a plain head, each line read appended to ``head``; None as soon as
        a line is not plain (the caller hands what was read back to http.server)."""
        line = self.rfile.readline(_PLAIN_MAX_LINE + 1)
        head.append(line)
        if not _PLAIN_LINE.fullmatch(line):
            return None
        words = line.split()
        if len(words) != 3 or words[0] not in _PLAIN_METHODS or words[2] not in _PLAIN_VERSIONS:
            return None
        target = words[1]
        if not target.startswith(b"/") or target.startswith(b"//"):  # http.server rewrites a leading "//"
            return None
        headers: list[tuple[str, str]] = []
        while (line := self.rfile.readline(_PLAIN_MAX_LINE + 1)) != b"\r\n":
            head.append(line)
            if len(headers) == _PLAIN_MAX_HEADERS or not _PLAIN_LINE.fullmatch(line):
                return None
            name, colon, value = line[:-2].partition(b":")
            if not colon or not _TOKEN.fullmatch(name) or name.lower() == b"expect":
                return None
            # As the email package's compat32 policy stores a header: the value without leading blanks.
            headers.append((name.decode("ascii"), value.decode("ascii").lstrip(" \t")))
        head.append(line)
        return words[0].decode("ascii"), target.decode("ascii"), words[2].decode("ascii"), headers

    def _send_timeout(self) -> None:
        body = f"408 Request Timeout: the request did not arrive within {self.read_timeout:g} s\n".encode()
        head = (
            "HTTP/1.1 408 Request Timeout\r\nContent-Type: text/plain;charset=UTF-8\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        )
        try:
            self.wfile.write(head.encode("latin-1") + body)
            self.wfile.flush()
        except OSError:
            pass  # the client is gone: nothing left to tell it

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        # A library server should not write to stderr on every call; when asked to, werkzeug's access-log line
        # without its colours (werkzeug styles them with ANSI escapes even into files and pipes).
        if self.log_requests:
            line = getattr(self, "requestline", "-").translate(self._control_char_table)
            self.log("info", '"%s" %s %s', line, code, size)


class _Acceptors:
    """The threads that accept connections and serve them.

    Every idle thread waits on the listening socket, and the thread that accepts a connection serves it itself.
    Handing each connection from one accepting thread to a serving thread cost a test's request about a
    twentieth of its time (a second thread to wake); a leader handing its turn to a follower cost most of that
    too. On Linux each thread waits with epoll's exclusive flag, so a connection wakes one idle thread; elsewhere
    (or on a kernel without the flag) every idle thread wakes, and all but one find nothing to accept.

    The last idle thread starts another before it serves, so a connection is always awaited: a client that
    stalls holds only the thread serving it. (When no thread can be started, it serves anyway, and connections
    wait in the socket's queue until a thread is free.) A thread idle for ``idle_timeout`` seconds ends, unless
    it is the last idle one. Under one-at-a-time traffic the exclusive wake-up goes to the thread that has waited
    longest, so the other one times out now and then and the next connection starts a new one: a thread start
    every ``idle_timeout`` seconds at most.
    """

    def __init__(self, server: _Server, *, name: str) -> None:
        self._server = server
        self._name = name
        self._idle_timeout = WORKER_IDLE_TIMEOUT  # read here, so that a test may shorten it
        self._state = threading.Condition()
        self._idle = 0
        """Threads waiting for a connection or accepting one (started ones included)."""
        self._started = 0
        self._closed = False
        # close() sends this pair's first byte, which every waiting thread sees: stopping polls no interval.
        self._wake_in, self._wake_out = socket.socketpair()
        server.socket.setblocking(False)  # several threads wait on it: the ones that lose the race move on

    @property
    def idle(self) -> int:
        """Threads waiting for a connection."""
        return self._idle

    def start(self) -> None:
        """Start the first thread; RuntimeError when it cannot be started."""
        with self._state:
            if not self._spawn():
                raise RuntimeError("cannot start a thread to accept connections")

    def close(self) -> None:
        """Stop accepting: waiting threads end, and a thread serving a connection ends once it is done. Returns
        once no thread waits on the listening socket, so that it may be closed."""
        with self._state:
            self._closed = True
            with contextlib.suppress(OSError):
                self._wake_out.send(b"\0")
            self._state.wait_for(lambda: self._idle == 0)
        self.release()

    def release(self) -> None:
        """Close the wake pair (close() does; a server that failed to start has no thread to stop)."""
        self._wake_in.close()
        self._wake_out.close()

    def _spawn(self) -> bool:
        # Called holding _state. The new thread counts as idle at once: a connection that comes before it waits
        # stays in the listening socket's queue, which it then finds ready.
        self._started += 1
        thread = threading.Thread(target=self._run, name=f"{self._name}-{self._started}", daemon=True)
        self._idle += 1
        try:
            thread.start()
        except RuntimeError:  # the interpreter or the system has no thread to give
            self._idle -= 1
            return False
        return True

    def _run(self) -> None:
        wait = self._waiter()
        if wait is None:
            return
        try:
            while (connection := self._next_connection(wait)) is not None:
                self._server.serve_connection(*connection)
                with self._state:
                    if self._closed:
                        return
                    self._idle += 1
        finally:
            wait.close()

    def _waiter(self) -> _Waiter | None:
        """This thread's wait; None when the server closed before one could be made. While no file descriptor
        is left for it, the thread tries again now and then, still counted idle: the others count on it."""
        while True:
            try:
                return _Waiter(self._server.socket, self._wake_in)
            except OSError:
                with self._state:
                    if self._closed:
                        self._idle -= 1
                        self._state.notify_all()  # close() waits for the idle threads
                        return None
                time.sleep(_ACCEPT_RETRY_PAUSE)

    def _next_connection(self, wait: _Waiter) -> tuple[socket.socket, Any] | None:
        """The next connection this thread serves; None when it should end (the server closes, or it was idle
        long enough and another thread waits too). The caller counts as idle until then."""
        deadline = time.monotonic() + self._idle_timeout  # kept across wake-ups that find nothing to accept
        while True:
            ready = wait.until_ready(max(0.0, deadline - time.monotonic()))
            with self._state:
                # Only when nothing is ready: a connection this thread was woken for is this thread's to take.
                idle_long = not ready and time.monotonic() >= deadline and self._idle > 1
                if self._closed or idle_long:
                    self._idle -= 1
                    self._state.notify_all()  # close() waits for the idle threads
                    return None
            if not ready:
                if time.monotonic() >= deadline:
                    deadline = time.monotonic() + self._idle_timeout  # the last idle thread waits on
                continue
            try:
                connection = self._server.get_request()
            except BlockingIOError:
                continue  # another thread accepted it
            except OSError:
                # A connection that could not be accepted (no file descriptor left for it, say) stays queued or
                # is gone; a pause, so that a lasting failure does not keep this thread spinning on it.
                time.sleep(_ACCEPT_RETRY_PAUSE)
                continue
            with self._state:
                self._idle -= 1
                if self._idle == 0 and not self._closed:
                    self._spawn()  # if that fails, this thread serves anyway and waits again afterwards
            return connection


class _Waiter:
    """One thread's wait for the listening socket (or the wake byte)."""

    def __init__(self, listening: socket.socket, wake: socket.socket) -> None:
        self._epoll: select.epoll | None = None
        self._selector: selectors.BaseSelector | None = None
        if hasattr(select, "epoll") and hasattr(select, "EPOLLEXCLUSIVE"):
            epoll = select.epoll()
            try:
                epoll.register(listening, select.EPOLLIN | select.EPOLLEXCLUSIVE)
                epoll.register(wake, select.EPOLLIN)
            except OSError as exc:
                epoll.close()
                if exc.errno != errno.EINVAL:
                    raise
                # A kernel older than the flag (Linux 4.5) refuses it: wait as on other platforms.
            else:
                self._epoll = epoll
                return
        selector = selectors.DefaultSelector()
        try:
            selector.register(listening, selectors.EVENT_READ)
            selector.register(wake, selectors.EVENT_READ)
        except BaseException:
            selector.close()
            raise
        self._selector = selector

    def until_ready(self, timeout: float) -> bool:
        """Whether something is ready: False when ``timeout`` seconds passed first."""
        if self._epoll is not None:
            return bool(self._epoll.poll(timeout))
        assert self._selector is not None
        return bool(self._selector.select(timeout))

    def close(self) -> None:
        if self._epoll is not None:
            self._epoll.close()
        if self._selector is not None:
            self._selector.close()


class _Server(BaseWSGIServer):
    """werkzeug's server on a socket bound by the caller, its connections accepted and served by
    :class:`_Acceptors` (werkzeug's threaded server accepts in one thread and starts a new one per connection)."""

    multithread = True

    def __init__(self, sock: socket.socket, app: WSGIApplication, handler: type[WSGIRequestHandler]) -> None:
        # What BaseWSGIServer.__init__ does with a socket it is given, except reading werkzeug's version from its
        # package metadata for SERVER_SOFTWARE: importing importlib.metadata is a tenth of `ips-mock serve`'s
        # start. The Server header is the app's ("ips-mock"), so SERVER_SOFTWARE says ips-mock too.
        if "protocol_version" not in vars(handler):
            handler.protocol_version = "HTTP/1.1"  # keep-alive, as werkzeug enables it for threaded servers
        host, port = sock.getsockname()[:2]
        self.host, self.port, self.app, self.passthrough_errors = host, port, app, False
        self.address_family = sock.family
        socketserver.BaseServer.__init__(self, (host, port), handler)  # TCPServer's, minus making its own socket
        self.socket, self.server_address = sock, sock.getsockname()
        self.ssl_context = None
        self._server_version = "ips-mock"
        self.acceptors = _Acceptors(self, name=f"ips-mock-connection-{self.port}")

    def serve_connection(self, request: socket.socket, client_address: Any) -> None:
        # What socketserver.ThreadingMixIn.process_request_thread does.
        try:
            self.finish_request(request, client_address)
        except Exception:
            self.handle_error(request, client_address)
        finally:
            self.shutdown_request(request)


class ServerThread:
    """Bind in the caller (so the port is known at once), serve from daemon threads, one thread per connection
    at a time (threads are reused, see :class:`_Acceptors`).

    ``read_timeout`` (seconds) bounds how long a client may take to send a whole request, and how long
    writing a reply may take; a late request is answered 408.

    >>> with ServerThread(FakeIps()) as server:          # doctest: +SKIP
    ...     requests.get(server.url + "/scene7/services/IpsApiService")
    """

    def __init__(
        self,
        app: WSGIApplication,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        log_requests: bool = False,
        read_timeout: float = DEFAULT_READ_TIMEOUT,
    ) -> None:
        if not read_timeout > 0:
            raise ValueError(f"read_timeout must be a positive number of seconds, not {read_timeout!r}")
        self.app = app
        self.log_requests = log_requests
        self.read_timeout = read_timeout
        self.host = host
        self.port = port
        self._server: _Server | None = None

    @property
    def url(self) -> str:
        """``http://<host>:<port>`` of the running server."""
        if self._server is None:
            raise RuntimeError("the server is not running: call start() first")
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def running(self) -> bool:
        return self._server is not None

    def start(self) -> ServerThread:
        if self._server is not None:
            raise RuntimeError(f"the server is already running at {self.url}")
        handler = type(
            "RequestHandler",
            (_GuardedRequestHandler,),
            {"read_timeout": self.read_timeout, "log_requests": self.log_requests},
        )
        # Bind here so a busy port raises OSError in the caller (werkzeug would print and sys.exit instead).
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        sock = socket.create_server((self.host, self.port), family=family)
        try:
            server = _Server(sock, self.app, handler)
        except BaseException:
            sock.close()
            raise
        try:
            server.acceptors.start()
        except BaseException:
            server.acceptors.release()
            server.server_close()
            raise
        self._server = server
        self.port = server.port
        return self

    def stop(self) -> None:
        """Stop accepting connections and close the socket; safe to call twice. A connection being served is
        finished by its thread, which then ends."""
        server, self._server = self._server, None
        if server is not None:
            server.acceptors.close()
            server.server_close()

    def __enter__(self) -> ServerThread:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


class AppSwitch:
    """A WSGI app that forwards to whichever app is current: one long-lived server, a fresh fake per test."""

    def __init__(self, app: WSGIApplication | None = None) -> None:
        self.app = app

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        app = self.app
        if app is None:
            body = b"ips-mock: no fake is being served right now (request outside a test using the ips fixture)\n"
            start_response(
                "503 Service Unavailable", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))]
            )
            return [body]
        return app(environ, start_response)
