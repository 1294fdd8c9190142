"""ServerThread reads plain request heads itself; the application sees what http.server's reading gives it.

A plain head (GET or POST, HTTP/1.x, a path, printable ASCII ``Name: value`` lines, no Expect) is read without the
email package; every other head goes to http.server from its first byte. The oracle is the same server with the
plain reading switched off.
"""

from __future__ import annotations

import json
import platform
import re
import socket
from collections.abc import Iterable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ips_mock.server import ServerThread, _GuardedRequestHandler

_UNCOMPARABLE = {"wsgi.input", "wsgi.errors", "werkzeug.socket", "REMOTE_PORT", "SERVER_PORT"}


def _echo(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
    """Answers with the environ (what can be compared) and the body it read."""
    stream = environ["wsgi.input"]
    length = environ.get("CONTENT_LENGTH")
    body = stream.read(int(length)) if length and length.isdigit() else b""
    seen = {key: value for key, value in environ.items() if key not in _UNCOMPARABLE and not key.startswith("wsgi.")}
    seen["body"] = body.decode("latin-1")
    reply = json.dumps(seen, sort_keys=True).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(reply)))])
    return [reply]


def _exchange(port: int, request: bytes, *, close_after_send: bool = True) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(request)
        if close_after_send:
            sock.shutdown(socket.SHUT_WR)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def _answer(response: bytes) -> tuple[str, dict[str, Any] | bytes]:
    head, _, body = response.partition(b"\r\n\r\n")
    status = head.split(b"\r\n", 1)[0].partition(b" ")[2].decode("latin-1")  # "200 OK"
    try:
        return status, json.loads(body)
    except ValueError:
        return status, body


@pytest.fixture(scope="module")
def server() -> Iterable[ServerThread]:
    with ServerThread(_echo, read_timeout=2.0) as running:
        yield running


def _without_date(response: bytes) -> bytes:
    return re.sub(rb"\r\nDate: [^\r]*", b"", response, count=1)


def _both_ways(server: ServerThread, request: bytes, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any]:
    """The reply read by the plain way and by http.server and werkzeug's run_wsgi, the same but for the Date."""
    direct = _exchange(server.port, request)
    with monkeypatch.context() as patch:
        patch.setattr(_GuardedRequestHandler, "read_plain_heads", False)
        through_http_server = _exchange(server.port, request)
    assert _without_date(direct) == _without_date(through_http_server)
    return _answer(direct), _answer(through_http_server)


_TOKEN = st.text(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_!#$%&'*+.^`|~", min_size=1, max_size=12
)
_VALUE = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=30) | st.sampled_from(
    ["  padded  ", "\ttabbed", "latin-1 \xe9", "", "a,b"]
)
_HEADER = st.tuples(
    _TOKEN | st.sampled_from(["Content-Type", "X-Dup", "Connection", "Host", "Accept-Encoding", "SOAPAction"]),
    _VALUE,
)
_TARGET = st.sampled_from(
    ["/", "/scene7/services/IpsApiService", "/a/b?x=1&y=%20", "/%E2%82%AC/caf%C3%A9", "//double", "/ü", "/a b"]
)


@st.composite
def requests_(draw: Any) -> bytes:
    method = draw(st.sampled_from(["GET", "POST", "PUT", "HEAD", "OPTIONS"]))
    version = draw(st.sampled_from(["HTTP/1.1", "HTTP/1.0", "HTTP/1.2"]))
    body = draw(st.binary(max_size=40)) if method in ("POST", "PUT") else b""
    headers = draw(st.lists(_HEADER, max_size=8))
    lines = [f"{method} {draw(_TARGET)} {version}"]
    lines += [f"{name}: {value}" for name, value in headers]
    if body or draw(st.booleans()):
        lines.append(f"Content-Length: {len(body)}")
    if draw(st.integers(0, 9)) == 0:  # now and then a folded line, which only http.server reads
        lines.append(" folded continuation")
    ending = "\n" if draw(st.integers(0, 9)) == 0 else "\r\n"
    return (ending.join(lines) + ending + ending).encode("latin-1") + body


@given(request=requests_())
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_the_app_sees_what_http_server_would_give_it(
    server: ServerThread, monkeypatch: pytest.MonkeyPatch, request: bytes
) -> None:
    direct, through_http_server = _both_ways(server, request, monkeypatch)
    assert direct == through_http_server


@pytest.mark.parametrize(
    "request_bytes",
    [
        b"POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc",
        b"GET /x?q=1 HTTP/1.0\r\n\r\n",
        b"GET /x HTTP/1.1\r\nX-A: 1\r\nX-A: 2\r\nx_b: 3\r\nHost: h\r\n\r\n",
        b"GET http://elsewhere.example/x HTTP/1.1\r\nHost: h\r\n\r\n",
        b"POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
        b"GET /x HTTP/1.1\r\n" + b"".join(b"X-%d: v\r\n" % i for i in range(80)) + b"\r\n",
        b"GET /x HTTP/1.1\r\nX-Long: " + b"v" * 9000 + b"\r\n\r\n",
    ],
    ids=["post", "http-1.0", "duplicates", "absolute-uri", "chunked", "many-headers", "long-line"],
)
def test_heads_read_either_way_give_the_same_environ(
    server: ServerThread, monkeypatch: pytest.MonkeyPatch, request_bytes: bytes
) -> None:
    direct, through_http_server = _both_ways(server, request_bytes, monkeypatch)
    assert direct[0] == "200 OK"
    assert direct == through_http_server


def test_expect_100_continue_is_answered_once_before_the_body_is_sent(server: ServerThread) -> None:
    # A client that waits for the interim answer before sending its body (as curl does for larger bodies) gets
    # exactly one "100 Continue", then the reply.
    head = b"POST /x HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n"
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(head)
        interim = b""
        while not interim.endswith(b"\r\n\r\n"):
            interim += sock.recv(1)
        sock.sendall(b"ok")
        sock.shutdown(socket.SHUT_WR)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    assert interim == b"HTTP/1.1 100 Continue\r\n\r\n"
    response = b"".join(chunks)
    assert response.startswith(b"HTTP/1.1 200 OK\r\n")
    status, seen = _answer(response)
    assert status == "200 OK"
    assert isinstance(seen, dict)
    assert seen["body"] == "ok"


@pytest.mark.parametrize("trailing", [b"", b"bytes past the body"], ids=["exact", "trailing-bytes"])
def test_a_whole_request_is_answered_and_closed_without_waiting_for_the_client(
    server: ServerThread, trailing: bytes
) -> None:
    # The client sends a complete request and keeps its side open: the server answers and closes, as its
    # "Connection: close" said, instead of waiting for a next request (with nothing past the body it also shuts
    # reading at once, as nothing is left to drain; bytes past it are drained first).
    request = b"POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello" + trailing
    with socket.create_connection(("127.0.0.1", server.port), timeout=1.5) as sock:
        sock.sendall(request)
        chunks = []
        while chunk := sock.recv(65536):  # a server waiting for more would let this time out
            chunks.append(chunk)
    status, seen = _answer(b"".join(chunks))
    assert status == "200 OK"
    assert isinstance(seen, dict)
    assert seen["body"] == "hello"
    assert b"Connection: close" in b"".join(chunks)


def test_a_body_the_app_left_unread_is_still_drained_so_the_client_reads_the_answer() -> None:
    def refuse(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        start_response("413 Request Entity Too Large", [("Content-Length", "4")])
        return [b"big\n"]

    with ServerThread(refuse, read_timeout=2.0) as running:
        body = b"x" * 300_000
        response = _exchange(running.port, b"POST /x HTTP/1.1\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
    assert response.startswith(b"HTTP/1.1 413")
    assert response.endswith(b"big\n")


def _listed(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "5")])
    return [b"he", b"llo"]


def _streamed_without_length(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
    start_response("200 OK", [("Content-Type", "text/plain")])
    yield b"chunk one"
    yield b""
    yield b"chunk two"


def _written(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
    write = start_response("201 Created", [("Content-Length", "6")])
    write(b"wri")
    return [b"tten"[:3]]


def _no_content(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
    start_response("204 No Content", [])
    return []


def _bare_status(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
    start_response("299", [("Content-Length", "0")])
    return [b""]


def _fails_before_replying(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
    raise RuntimeError("the app broke")


def _fails_then_replies(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
    start_response("200 OK", [("Content-Length", "2")])
    try:
        raise ValueError("half way")
    except ValueError:
        import sys

        start_response("503 Service Unavailable", [("Content-Length", "4")], sys.exc_info())
    return [b"down"]


def _fails_while_streaming(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
    start_response("200 OK", [])
    yield b"partial"
    raise RuntimeError("mid-stream")


def _fails_while_streaming_with_headers(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
    start_response("200 OK", [("Content-Type", "text/plain")])
    yield b"partial"
    raise RuntimeError("mid-stream")


def _streamed_with_length(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
    start_response("200 OK", [("Content-Length", "8")])
    yield b"str"
    yield b"eamed"


@pytest.mark.parametrize(
    "app",
    [
        _listed,
        _streamed_with_length,
        _fails_while_streaming_with_headers,
        _streamed_without_length,
        _written,
        _no_content,
        _bare_status,
        _fails_before_replying,
        _fails_then_replies,
        _fails_while_streaming,
    ],
)
@pytest.mark.parametrize("method", [b"GET", b"POST"])
def test_every_kind_of_reply_goes_out_as_werkzeug_sends_it(
    app: Any, method: bytes, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    request = method + b" /x HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n"
    with ServerThread(app, read_timeout=2.0) as running:
        direct, through_http_server = _both_ways(running, request, monkeypatch)
    assert direct == through_http_server
    assert direct[0]  # a status line came


@pytest.mark.parametrize("plain", [True, False], ids=["plain", "through-http-server"])
def test_a_reply_names_its_server_once(plain: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    from ips_mock import FakeIps

    monkeypatch.setattr(_GuardedRequestHandler, "read_plain_heads", plain)
    with ServerThread(FakeIps()) as running:
        ips = _exchange(running.port, b"GET /scene7/services/IpsApiService HTTP/1.1\r\nHost: h\r\n\r\n")
    with ServerThread(_listed) as running:
        other = _exchange(running.port, b"GET /x HTTP/1.1\r\nHost: h\r\n\r\n")

    def servers(response: bytes) -> list[bytes]:
        head = response.partition(b"\r\n\r\n")[0].split(b"\r\n")
        return [line for line in head if line.lower().startswith(b"server:")]

    assert servers(ips) == [b"Server: ips-mock"]  # the app's; the server does not name itself again
    assert servers(other) == [f"Server: ips-mock Python/{platform.python_version()}".encode()]
