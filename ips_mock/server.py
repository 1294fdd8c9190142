"""ServerThread: serve any WSGI application on a real socket from a daemon thread."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterable
from types import TracebackType
from typing import TYPE_CHECKING

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

__all__ = ["AppSwitch", "ServerThread"]


class _QuietRequestHandler(WSGIRequestHandler):
    """No access log line per request: a library server should not write to stderr on every call."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


class ServerThread:
    """Bind in the caller (so the port is known at once), serve in a daemon thread, one thread per request.

    >>> with ServerThread(FakeIps()) as server:          # doctest: +SKIP
    ...     requests.get(server.url + "/scene7/services/IpsApiService")
    """

    def __init__(
        self, app: WSGIApplication, *, host: str = "127.0.0.1", port: int = 0, log_requests: bool = False
    ) -> None:
        self.app = app
        self.log_requests = log_requests
        self.host = host
        self.port = port
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None

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
        # Bind here so a busy port raises OSError in the caller (werkzeug would print and sys.exit instead).
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        with socket.create_server((self.host, self.port), family=family) as sock:
            handler = WSGIRequestHandler if self.log_requests else _QuietRequestHandler
            self._server = make_server(
                self.host, self.port, self.app, threaded=True, request_handler=handler, fd=sock.fileno()
            )
        self.port = self._server.port
        self._thread = threading.Thread(
            target=self._server.serve_forever, name=f"ips-mock-server-{self.port}", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and wait for the thread; safe to call twice."""
        server, thread = self._server, self._thread
        self._server = self._thread = None
        if server is not None:
            server.shutdown()
            server.server_close()
        if thread is not None:
            thread.join()

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
