"""ServerThread's connection threads: each idle thread waits on the listening socket and serves what it accepts;
a few threads serve one connection after another, concurrent connections each get one, a stalled client holds
only its own, idle threads end (all but one), and stopping the server ends them all. Both ways of waiting are
tested: epoll's exclusive wait (Linux) and the selector every platform has."""

from __future__ import annotations

import select
import socket
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

import pytest
import requests

from ips_mock import ServerThread
from ips_mock import server as server_module

PATIENCE = 30.0  # seconds a test waits for something that should happen at once: a bound, not an assertion


@pytest.fixture(params=["epoll-exclusive", "selector"])
def waiting(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "selector":
        monkeypatch.delattr(select, "EPOLLEXCLUSIVE", raising=False)
    elif not hasattr(select, "EPOLLEXCLUSIVE"):
        pytest.fail("epoll's exclusive wait is Linux's: run this test on Linux, or deselect the parameter")
    return str(request.param)


def _until(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + PATIENCE
    while not condition():
        assert time.monotonic() < deadline, "gave up waiting"
        time.sleep(0.01)


def _stop_within_patience(server: ServerThread) -> None:
    """Stop ``server`` from another thread, failing the test if stop() does not return (a hang is the bug)."""
    stopper = threading.Thread(target=server.stop, daemon=True)
    stopper.start()
    stopper.join(PATIENCE)
    assert not stopper.is_alive(), "stop() did not return"


def _thread_names_app(names: list[str]) -> Callable[..., Iterable[bytes]]:
    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        names.append(threading.current_thread().name)
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]

    return app


class _Together:
    """An app whose requests to ``/together`` wait until ``count`` of them are inside it at once (the test is the
    barrier's last party), and answer the name of the thread that served them; any other path answers ``ok``."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.entered = threading.Barrier(count + 1, timeout=PATIENCE)  # a broken wait raises in the app and here
        self.replies: list[str] = []

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        together = environ["PATH_INFO"] == "/together"
        if together:
            self.entered.wait()
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [threading.current_thread().name.encode() if together else b"ok"]

    def send(self, server: ServerThread, when_all_are_in: Callable[[], None] = lambda: None) -> None:
        """``count`` requests to ``/together`` from threads of their own; once all are inside the app, run
        ``when_all_are_in``; return when every one has its answer."""

        def get() -> None:
            self.replies.append(requests.get(server.url + "/together", timeout=PATIENCE).text)

        clients = [threading.Thread(target=get) for _ in range(self.count)]
        for client in clients:
            client.start()
        try:
            self.entered.wait()
            when_all_are_in()
        finally:
            for client in clients:
                client.join(PATIENCE)


def _connection_threads(server: ServerThread | None = None) -> list[threading.Thread]:
    prefix = "ips-mock-connection-" if server is None else f"ips-mock-connection-{server.port}-"
    return [t for t in threading.enumerate() if t.name.startswith(prefix)]


def test_one_connection_after_another_needs_no_new_thread(waiting: str) -> None:
    names: list[str] = []
    with ServerThread(_thread_names_app(names)) as server:
        for _ in range(20):
            # A new connection each time (no session), as a test's requests.post makes.
            assert requests.get(server.url + "/", timeout=PATIENCE).text == "ok"
        # The first connection finds the only thread, which starts a second one before serving it. A third may
        # start when the next connection comes while the thread that answered the last one has not yet gone
        # back to waiting (the client has its reply a moment before); no more, as at most one connection is
        # served and one finishing at any time.
        assert len(set(names)) <= 3, names
        assert len(_connection_threads(server)) <= 3
    assert len(names) == 20


def test_connections_at_the_same_time_each_get_a_thread(waiting: str) -> None:
    app = _Together(3)  # the three requests are in the app at once, or the barrier raises
    with ServerThread(app) as server:
        app.send(server)
    assert len(set(app.replies)) == 3, app.replies


def test_a_stalled_client_holds_only_its_own_thread(waiting: str) -> None:
    # The stalled request's deadline is well beyond the other requests' patience.
    with (
        ServerThread(_thread_names_app([]), read_timeout=3 * PATIENCE) as server,
        socket.create_connection(("127.0.0.1", server.port), timeout=PATIENCE) as stalled,
    ):
        stalled.sendall(b"POST / HTTP/1.1\r\nHost: x\r\n")  # half a head, then nothing
        for _ in range(3):
            assert requests.get(server.url, timeout=PATIENCE).text == "ok"


def test_idle_threads_end_but_one_and_it_still_serves(waiting: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(server_module, "WORKER_IDLE_TIMEOUT", 0.05)
    app = _Together(3)
    with ServerThread(app) as server:

        def four_threads() -> None:
            assert len(_connection_threads(server)) == 4  # three serving, one waiting for the next connection

        app.send(server, four_threads)
        _until(lambda: len(_connection_threads(server)) == 1)
        assert requests.get(server.url, timeout=PATIENCE).text == "ok"


def test_stopping_the_server_ends_its_connection_threads(waiting: str) -> None:
    before = set(_connection_threads())
    with ServerThread(_thread_names_app([])) as server:
        assert requests.get(server.url, timeout=PATIENCE).text == "ok"
        assert set(_connection_threads()) - before
    _until(lambda: not set(_connection_threads()) - before)


def test_stopping_waits_for_no_connection_and_refuses_new_ones(waiting: str) -> None:
    entered, release = threading.Event(), threading.Event()

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        entered.set()
        release.wait(PATIENCE)
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"late"]

    replies: list[str] = []
    server = ServerThread(app).start()
    port = server.port
    client = threading.Thread(target=lambda: replies.append(requests.get(server.url, timeout=PATIENCE).text))
    client.start()
    try:
        assert entered.wait(PATIENCE)
        server.stop()  # returns while the connection is still being served
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", port), timeout=PATIENCE).close()
    finally:
        release.set()
        client.join(PATIENCE)
        server.stop()
    assert replies == ["late"]  # the connection in progress is finished


def test_stop_from_inside_a_request_returns_and_the_reply_still_goes_out(waiting: str) -> None:
    holder: list[ServerThread] = []

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        holder[0].stop()
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"stopped"]

    server = ServerThread(app).start()
    holder.append(server)
    port = server.port
    try:
        assert requests.get(server.url, timeout=PATIENCE).text == "stopped"
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", port), timeout=PATIENCE).close()
    finally:
        server.stop()


def test_idle_threads_end_even_when_every_connection_wakes_them(monkeypatch: pytest.MonkeyPatch) -> None:
    """With a plain selector a connection may wake several idle threads; those that serve nothing still end."""
    monkeypatch.delattr(select, "EPOLLEXCLUSIVE", raising=False)
    monkeypatch.setattr(server_module, "WORKER_IDLE_TIMEOUT", 0.2)
    app = _Together(4)
    with ServerThread(app) as server:
        app.send(server)
        assert len(_connection_threads(server)) == 5
        deadline = time.monotonic() + PATIENCE
        # A connection every 50 ms wakes idle threads now and then; the ones that serve none end.
        while len(_connection_threads(server)) > 2:
            assert time.monotonic() < deadline, "idle threads never ended"
            assert requests.get(server.url, timeout=PATIENCE).text == "ok"
            time.sleep(0.05)


def test_a_thread_that_cannot_make_its_wait_tries_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """No file descriptor for a thread's epoll (EMFILE): it is still counted on, so it tries again until it can,
    or until the server stops."""
    real = server_module._Waiter
    failures = [OSError(24, "Too many open files")] * 3

    def flaky(listening: socket.socket, wake: socket.socket) -> Any:
        if failures:
            raise failures.pop()
        return real(listening, wake)

    monkeypatch.setattr(server_module, "_Waiter", flaky)
    server = ServerThread(_thread_names_app([])).start()
    try:
        assert requests.get(server.url, timeout=PATIENCE).text == "ok"
    finally:
        _stop_within_patience(server)
    assert not failures
    failures.extend([OSError(24, "Too many open files")] * 10_000)
    server = ServerThread(_thread_names_app([])).start()
    _stop_within_patience(server)  # although the only thread never made its wait


def test_a_kernel_without_the_exclusive_flag_is_waited_on_with_a_selector(monkeypatch: pytest.MonkeyPatch) -> None:
    if not hasattr(select, "epoll"):
        pytest.fail("epoll is Linux's: run this test on Linux")
    real_epoll = select.epoll

    class OldKernelEpoll:
        def __init__(self) -> None:
            self._epoll = real_epoll()

        def register(self, fd: Any, events: int) -> None:
            if events & getattr(select, "EPOLLEXCLUSIVE", 0):
                raise OSError(22, "Invalid argument")
            self._epoll.register(fd, events)

        def poll(self, timeout: float) -> Any:
            return self._epoll.poll(timeout)

        def close(self) -> None:
            self._epoll.close()

    monkeypatch.setattr(select, "epoll", OldKernelEpoll)
    names: list[str] = []
    with ServerThread(_thread_names_app(names)) as server:
        for _ in range(3):
            assert requests.get(server.url, timeout=PATIENCE).text == "ok"
    assert len(names) == 3


def test_no_thread_to_start_the_connection_is_still_served(monkeypatch: pytest.MonkeyPatch) -> None:
    """The last idle thread could not start another: it serves the connection anyway, then waits again."""
    names: list[str] = []
    server = ServerThread(_thread_names_app(names)).start()
    try:
        real_start = threading.Thread.start

        def refuse(thread: threading.Thread) -> None:
            if thread.name.startswith("ips-mock-connection-"):
                raise RuntimeError("can't start new thread")
            real_start(thread)

        monkeypatch.setattr(threading.Thread, "start", refuse)
        for _ in range(3):
            assert requests.get(server.url + "/", timeout=PATIENCE).text == "ok"
        assert len(set(names)) == 1
    finally:
        monkeypatch.undo()
        _stop_within_patience(server)


def test_a_server_whose_first_thread_cannot_start_raises_and_frees_its_port(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(thread: threading.Thread) -> None:
        raise RuntimeError("can't start new thread")

    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]  # a port free a moment ago
    monkeypatch.setattr(threading.Thread, "start", refuse)
    server = ServerThread(_thread_names_app([]), port=port)
    with pytest.raises(RuntimeError, match="cannot start a thread"):
        server.start()
    monkeypatch.undo()
    assert not server.running
    with ServerThread(_thread_names_app([]), port=port) as again:  # the socket was closed: the port is free
        assert requests.get(again.url, timeout=PATIENCE).text == "ok"
