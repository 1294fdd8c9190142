"""ServerThread's connection threads: reused one connection after another, one per connection at once, ended
when idle or when the server stops."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

import pytest
import requests

from ips_mock import ServerThread
from ips_mock.server import _Workers

PATIENCE = 30.0  # seconds a test waits for something that should happen at once: a bound, not an assertion


def _until(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + PATIENCE
    while not condition():
        assert time.monotonic() < deadline, "gave up waiting"
        time.sleep(0.01)


def _thread_names_app(names: list[str]) -> Callable[..., Iterable[bytes]]:
    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        names.append(threading.current_thread().name)
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]

    return app


def _connection_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("ips-mock-connection-")]


def test_one_connection_after_another_is_served_by_the_same_thread() -> None:
    names: list[str] = []
    with ServerThread(_thread_names_app(names)) as server:
        workers = server._server.workers  # type: ignore[union-attr]
        for _ in range(5):
            # A new connection each time (no session), as a test's requests.post makes.
            assert requests.get(server.url + "/", timeout=PATIENCE).text == "ok"
            # The client has its reply a moment before the thread has closed the connection and waits again.
            _until(lambda: workers.idle == 1)
    assert len(names) == 5
    assert len(set(names)) == 1, names


def test_connections_at_the_same_time_each_get_a_thread() -> None:
    entered = threading.Barrier(4, timeout=PATIENCE)

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        entered.wait()  # all four requests are in the app at once, or this raises
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [threading.current_thread().name.encode()]

    replies: list[str] = []
    with ServerThread(app) as server:
        clients = [
            threading.Thread(target=lambda: replies.append(requests.get(server.url, timeout=PATIENCE).text))
            for _ in range(3)
        ]
        for client in clients:
            client.start()
        try:
            entered.wait()  # the fourth party: the three requests are being served at the same time
        finally:
            for client in clients:
                client.join(PATIENCE)
    assert len(set(replies)) == 3, replies


def test_an_idle_thread_ends_and_a_later_task_gets_a_new_one() -> None:
    workers = _Workers("ips-mock-connection-idle-test", idle_timeout=0.05)
    ran: list[str] = []
    try:
        workers.submit(lambda: ran.append(threading.current_thread().name))
        _until(lambda: len(ran) == 1)
        _until(lambda: not [t for t in threading.enumerate() if t.name.startswith("ips-mock-connection-idle-test")])
        workers.submit(lambda: ran.append(threading.current_thread().name))
        _until(lambda: len(ran) == 2)
        assert ran == ["ips-mock-connection-idle-test-1", "ips-mock-connection-idle-test-2"]
    finally:
        workers.close()


def test_many_tasks_at_once_all_run() -> None:
    workers = _Workers("ips-mock-connection-burst-test", idle_timeout=0.01)
    done = []
    lock = threading.Lock()

    def task() -> None:
        time.sleep(0.001)
        with lock:
            done.append(1)

    try:
        for _ in range(200):
            workers.submit(task)
        _until(lambda: len(done) == 200)
    finally:
        workers.close()


def test_stopping_the_server_ends_its_connection_threads() -> None:
    before = set(_connection_threads())
    with ServerThread(_thread_names_app([])) as server:
        assert requests.get(server.url, timeout=PATIENCE).text == "ok"
        assert set(_connection_threads()) - before
    _until(lambda: not set(_connection_threads()) - before)


def test_a_stopped_pool_takes_no_task() -> None:
    workers = _Workers("ips-mock-connection-closed-test")
    workers.close()
    with pytest.raises(RuntimeError, match="stopping"):
        workers.submit(lambda: None)
