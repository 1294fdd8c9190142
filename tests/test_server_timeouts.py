"""ServerThread bounds how long a client may take to send a request: stalled clients get 408, never a thread."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest
import requests

from ips_mock import FakeIps, ServerThread
from ips_mock.scenario import DEFAULT_SCENARIO, load_scenario
from ips_mock.standalone import StandaloneApp
from ips_mock.testing import auth_header, build_envelope

ALMOST_TEN_MIB = 10 * 1024 * 1024 - 1
CLIENT_PATIENCE = 30.0  # seconds a test client waits for an answer: a bound on the test, not an assertion


@pytest.fixture
def fake() -> FakeIps:
    return FakeIps()


@pytest.fixture
def server(fake: FakeIps) -> Iterator[ServerThread]:
    with ServerThread(fake, read_timeout=0.5) as running:
        yield running


def _connect(server: ServerThread) -> socket.socket:
    return socket.create_connection(("127.0.0.1", server.port), timeout=CLIENT_PATIENCE)


def _answer(sock: socket.socket) -> bytes:
    data = b""
    while chunk := sock.recv(4096):
        data += chunk
    return data


def _soap_head(length: int) -> bytes:
    return (
        b"POST /scene7/services/IpsApiService HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/xml\r\n"
        b"Content-Length: %d\r\n\r\n" % length
    )


def _still_serves(server: ServerThread) -> None:
    body = build_envelope("getCompanyInfo", {"companyName": "Example"}, headers=[auth_header()])
    response = requests.post(
        server.url + "/scene7/services/IpsApiService", data=body, headers={"Content-Type": "text/xml"}, timeout=30
    )
    assert response.status_code == 200


def test_a_client_that_announces_a_body_and_sends_nothing_gets_408(server: ServerThread, fake: FakeIps) -> None:
    """It used to hold a thread and a 10 MB buffer for ever; a few dozen such clients exhausted the server."""
    clients = [_connect(server) for _ in range(20)]
    try:
        for sock in clients:
            sock.sendall(_soap_head(ALMOST_TEN_MIB))
        answers = [_answer(sock) for sock in clients]
    finally:
        for sock in clients:
            sock.close()
    for answer in answers:
        head, _, body = answer.partition(b"\r\n\r\n")
        assert head.splitlines()[0] == b"HTTP/1.1 408 Request Timeout"
        assert body == b"408 Request Timeout: the request did not arrive within 0.5 s\n"
    _still_serves(server)
    assert [e.operation for e in fake.journal] == ["getCompanyInfo"]  # the stalled requests never reached it
    assert fake.errors == []


def test_a_client_that_trickles_its_headers_gets_408(server: ServerThread) -> None:
    """A byte now and then resets no per-read timer: the deadline covers the whole request."""
    sock = _connect(server)
    stop = threading.Event()

    def trickle() -> None:
        for byte in b"GET /scene7/services/IpsApiService HTTP/1.1\r\nX-Slow: " + b"a" * 10_000:
            if stop.wait(0.02):
                return
            try:
                sock.send(bytes([byte]))
            except OSError:
                return

    sender = threading.Thread(target=trickle)
    sender.start()
    try:
        answer = _answer(sock)
    finally:
        stop.set()
        sender.join()
        sock.close()
    assert answer.startswith(b"HTTP/1.1 408 Request Timeout\r\n")


def test_a_client_that_sends_part_of_its_body_gets_408(server: ServerThread) -> None:
    with _connect(server) as sock:
        sock.sendall(_soap_head(1000) + b"<soapenv:Envelope")
        assert _answer(sock).startswith(b"HTTP/1.1 408 Request Timeout\r\n")


def test_a_connection_that_sends_nothing_is_closed_without_an_answer(server: ServerThread) -> None:
    with _connect(server) as sock:
        assert _answer(sock) == b""


def test_a_stalled_admin_body_gets_408_too() -> None:
    app = StandaloneApp(load_scenario(DEFAULT_SCENARIO))
    default = app.default
    with ServerThread(app, read_timeout=0.5) as running, _connect(running) as sock:
        sock.sendall(
            b"PUT /__admin/scenario HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            b'Transfer-Encoding: chunked\r\n\r\n10\r\n{"ips_mock": 1, '
        )
        assert _answer(sock).startswith(b"HTTP/1.1 408 Request Timeout\r\n")
    assert app.default is default


def test_the_read_timeout_must_be_positive(fake: FakeIps) -> None:
    with pytest.raises(ValueError, match="read_timeout must be a positive number of seconds, not 0"):
        ServerThread(fake, read_timeout=0)
