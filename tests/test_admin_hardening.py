"""The admin API against hostile input: forged browser requests, oversized and chunked bodies, half-loads."""

from __future__ import annotations

import dataclasses
import json
import select
import socket
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from werkzeug.test import Client

from ips_mock import FakeIps, ServerThread
from ips_mock.errors import ScenarioError
from ips_mock.scenario import DEFAULT_SCENARIO, load_scenario, load_scenario_text
from ips_mock.service import ClockOutOfRangeError
from ips_mock.standalone import AdminPolicy, StandaloneApp
from ips_mock.testing import SoapTestClient, auth_header, build_envelope

JSON = "application/json"


@pytest.fixture
def app() -> StandaloneApp:
    return StandaloneApp(load_scenario(DEFAULT_SCENARIO))


def _call(
    app: StandaloneApp,
    method: str,
    path: str,
    *,
    body: Any = None,
    data: bytes | str | None = None,
    content_type: str | None = JSON,
    headers: dict[str, str] | None = None,
) -> tuple[int, Any]:
    if body is not None:
        data = json.dumps(body)
    response = Client(app).open(path, method=method, data=data, content_type=content_type, headers=headers or {})
    assert response.mimetype == "application/json", response.get_data()
    return response.status_code, response.get_json()


def _companies(app: StandaloneApp, prefix: str = "") -> list[str]:
    return [c["name"] for c in _call(app, "GET", f"{prefix}/__admin/state")[1]["companies"]]


# ------------------------------------------------------------------------------------------- forged requests


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data", None]
)
def test_a_scenario_a_web_page_could_send_is_refused_with_415(app: StandaloneApp, content_type: str | None) -> None:
    """A page may POST text/plain (a CORS simple request) anywhere; it cannot send application/json unasked."""
    status, reply = _call(
        app,
        "POST",
        "/__admin/scenario",
        data='{"ips_mock": 1, "companies": [{"name": "Pwned"}]}',
        content_type=content_type,
    )
    assert status == 415
    assert reply["error"] == (
        "send this request with Content-Type: application/json or application/x-yaml or application/yaml or text/yaml"
    )
    assert _companies(app) == ["Example", "Other"]


@pytest.mark.parametrize("path", ["/__admin/reset", "/__admin/clock/advance", "/t/alice/__admin/reset"])
def test_every_change_needs_a_json_content_type(app: StandaloneApp, path: str) -> None:
    status, reply = _call(app, "POST", path, data='{"by": "1d"}', content_type="text/plain")
    assert (status, reply["received"]) == (415, "'text/plain'")
    assert _call(app, "GET", "/__admin/clock")[1]["now"] == "2026-01-05T09:00:00.000-08:00"
    assert app.tenants == {}


def test_a_yaml_scenario_comes_with_a_yaml_media_type(app: StandaloneApp) -> None:
    status, _ = _call(
        app,
        "PUT",
        "/__admin/scenario",
        data="ips_mock: 1\ncompanies: [{name: Solo}]\n",
        content_type="application/yaml",
    )
    assert status == 200
    assert _companies(app) == ["Solo"]


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8080", "127.0.0.1.nip.io:8080", "10.0.0.1"])
def test_a_foreign_host_header_is_refused_with_403(app: StandaloneApp, host: str) -> None:
    """DNS rebinding: the page's own name resolves to 127.0.0.1, and the browser sends that name as Host."""
    for method, path in [("GET", "/__admin/state"), ("POST", "/__admin/reset"), ("GET", "/t/alice/__admin/clock")]:
        status, reply = _call(app, method, path, headers={"Host": host})
        assert status == 403
        assert reply["error"].startswith(f"Host {host!r} is not this server's address")
    assert app.tenants == {}


@pytest.mark.parametrize("host", ["localhost", "localhost:8080", "127.0.0.1:8080", "[::1]:8080", "LOCALHOST"])
def test_loopback_host_headers_are_accepted(app: StandaloneApp, host: str) -> None:
    assert _call(app, "POST", "/__admin/reset", headers={"Host": host})[0] == 200


def test_allowed_hosts_extend_the_host_check() -> None:
    app = StandaloneApp(load_scenario(DEFAULT_SCENARIO), policy=AdminPolicy(allowed_hosts=frozenset({"ips-mock"})))
    assert _call(app, "GET", "/__admin/clock", headers={"Host": "ips-mock:8080"})[0] == 200
    assert _call(app, "GET", "/__admin/clock", headers={"Host": "other:8080"})[0] == 403
    anything = StandaloneApp(load_scenario(DEFAULT_SCENARIO), policy=AdminPolicy(allowed_hosts=frozenset({"*"})))
    assert _call(anything, "GET", "/__admin/clock", headers={"Host": "other:8080"})[0] == 200


@pytest.mark.parametrize("origin", ["http://evil.example", "null", "http://localhost:3000", "https://localhost"])
def test_a_foreign_origin_is_refused_with_403(app: StandaloneApp, origin: str) -> None:
    status, reply = _call(app, "POST", "/__admin/reset", headers={"Host": "localhost:8080", "Origin": origin})
    assert status == 403
    assert reply["error"].startswith(f"requests from pages at {origin!r} may not use the admin API")


def test_the_servers_own_origin_and_allowed_origins_are_accepted() -> None:
    app = StandaloneApp(
        load_scenario(DEFAULT_SCENARIO), policy=AdminPolicy(allowed_origins=frozenset({"http://localhost:3000"}))
    )
    for origin in ["http://localhost:8080", "http://localhost:3000"]:
        assert _call(app, "POST", "/__admin/reset", headers={"Host": "localhost:8080", "Origin": origin})[0] == 200


def test_the_host_check_uses_the_address_the_connection_came_in_on(app: StandaloneApp) -> None:
    with ServerThread(app) as server:
        for host in [f"127.0.0.1:{server.port}", f"localhost:{server.port}"]:
            assert _raw_status(server.port, f"GET /__admin/clock HTTP/1.1\r\nHost: {host}\r\n\r\n") == 200
        for host in [f"evil:{server.port}", f"0.0.0.0:{server.port}"]:
            assert _raw_status(server.port, f"GET /__admin/clock HTTP/1.1\r\nHost: {host}\r\n\r\n") == 403


def test_an_admin_token_is_required_on_every_admin_request_when_set() -> None:
    app = StandaloneApp(load_scenario(DEFAULT_SCENARIO), policy=AdminPolicy(token="s3cret"))
    for headers in [{}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic czNjcmV0"}]:
        response = Client(app).get("/__admin/state", headers=headers)
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"] == 'Bearer realm="ips-mock admin"'
        assert response.get_json() == {"error": "the admin API needs Authorization: Bearer <the server's admin token>"}
    assert _call(app, "POST", "/t/alice/__admin/reset")[0] == 401
    assert app.tenants == {}
    assert _call(app, "GET", "/__admin/state", headers={"Authorization": "Bearer s3cret"})[0] == 200
    # The IPS endpoints are not the admin API: their clients sign in as IPS users.
    assert SoapTestClient(app).call("getCompanyInfo", {"companyName": "Example"}).ok()


def test_the_ips_endpoints_do_not_check_the_host(app: StandaloneApp) -> None:
    """The IPS API is what the fake is for; clients reach it under whatever name their setup gives it."""
    response = Client(app).post(
        "/scene7/services/IpsApiService",
        data=build_envelope("getCompanyInfo", {"companyName": "Example"}, headers=[auth_header()]),
        content_type="text/xml",
        headers={"Host": "ips-mock.internal:8080"},
    )
    assert response.status_code == 200


# --------------------------------------------------------------------------------------------- body limits


def _raw_status(port: int, request: str) -> int:
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(request.encode())
        return int(sock.recv(4096).split(b" ", 2)[1])


def _read_reply(sock: socket.socket) -> tuple[int, bytes]:
    data = b""
    while chunk := sock.recv(65536):
        data += chunk
        if len(data) > 1_000_000:
            break
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body


def _send_chunked(port: int, method: str, path: str, pieces: Iterator[bytes]) -> tuple[int, bytes, int]:
    """Send ``pieces`` as a chunked body until the server answers; the status, body, and bytes sent by then."""
    sent = 0
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(
            f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: {JSON}\r\n"
            "Transfer-Encoding: chunked\r\n\r\n".encode()
        )
        for piece in pieces:
            if select.select([sock], [], [], 0)[0]:
                break  # the server answered before the body ended
            try:
                sock.sendall(b"%x\r\n%s\r\n" % (len(piece), piece))
            except OSError:
                break
            sent += len(piece)
        else:
            sock.sendall(b"0\r\n\r\n")
        status, body = _read_reply(sock)
    return status, body, sent


def _endless(prefix: bytes, total: int) -> Iterator[bytes]:
    """A JSON string that never closes: ``total`` bytes at most, so the test stays bounded if the server reads on."""
    yield prefix
    for _ in range(total // 16384):
        yield b"x" * 16384


@pytest.mark.parametrize(
    ("method", "path", "prefix"),
    [
        ("PUT", "/__admin/scenario", b'{"ips_mock": 1, "description": "'),
        ("POST", "/__admin/clock/advance", b'{"by": "'),
    ],
)
def test_a_chunked_admin_body_is_refused_as_soon_as_it_passes_the_limit(method: str, path: str, prefix: bytes) -> None:
    app = StandaloneApp(load_scenario(DEFAULT_SCENARIO), max_scenario_bytes=100_000, max_json_bytes=10_000)
    limit = 100_000 if "scenario" in path else 10_000
    with ServerThread(app) as server:
        status, body, sent = _send_chunked(server.port, method, path, _endless(prefix, 16 * 1024 * 1024))
    assert status == 413
    assert json.loads(body) == {"error": f"the body is larger than {limit} bytes", "limit": limit}
    assert sent < 4 * 1024 * 1024  # answered long before the 16 MiB the client was ready to send
    assert _companies(app) == ["Example", "Other"]


def test_an_announced_body_over_the_limit_is_refused_before_it_is_read(app: StandaloneApp) -> None:
    with ServerThread(app) as server:
        status = _raw_status(
            server.port,
            f"PUT /__admin/scenario HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {JSON}\r\n"
            f"Content-Length: {10 * 1024 * 1024 + 1}\r\n\r\n",
        )
    assert status == 413


def test_the_json_endpoints_take_a_small_body(app: StandaloneApp) -> None:
    status, reply = _call(app, "POST", "/__admin/clock/advance", data=json.dumps({"by": "1s", "pad": "x" * 70_000}))
    assert (status, reply) == (413, {"error": "the body is larger than 65536 bytes", "limit": 65536})


@pytest.mark.parametrize(
    ("path", "body"),
    [("/__admin/clock/advance", {"by": "y" * 60_000}), ("/__admin/clock/move_to", {"to": "y" * 60_000})],
)
def test_errors_quote_a_short_excerpt_of_what_was_sent(app: StandaloneApp, path: str, body: Any) -> None:
    status, reply = _call(app, "POST", path, body=body)
    assert status == 400
    assert "yyyyyyyyyy" in reply["error"]
    assert len(json.dumps(reply)) < 500


def test_scenario_errors_quote_a_short_excerpt_of_what_was_sent(app: StandaloneApp) -> None:
    scenario = {"ips_mock": 1, "seed": "z" * 1_000_000, "companies": [{"name": f"c{i}", "id": "x"} for i in range(300)]}
    status, reply = _call(app, "PUT", "/__admin/scenario", body=scenario)
    assert status == 400
    assert reply["error"] == "the scenario is not valid; nothing was changed"
    assert len(reply["errors"]) == 101
    assert reply["errors"][-1] == "… and 201 more"
    assert all(len(line) < 300 for line in reply["errors"])


# ------------------------------------------------------------------------------------------- all or nothing

UNREPRESENTABLE = [
    pytest.param("ips_mock: 1\nclock: {start: '9999-12-31T23:00:00-08:00'}\n", id="start-beyond-utc"),
    pytest.param(
        "ips_mock: 1\nclock: {start: '9999-12-31T23:59:59+00:00', zone: Pacific/Kiritimati}\n", id="start-beyond-zone"
    ),
]


@pytest.mark.parametrize("text", UNREPRESENTABLE)
def test_a_scenario_that_cannot_run_changes_nothing(app: StandaloneApp, text: str) -> None:
    """It used to answer 500 with its zone already live, and every later reset failed."""
    soap = SoapTestClient(app)
    assert soap.call("getCompanyInfo", {"companyName": "Example"}).ok()
    _call(app, "POST", "/__admin/clock/advance", body={"by": "1h"})
    before = [_call(app, "GET", f"/__admin/{what}") for what in ("clock", "state", "journal")]

    status, reply = _call(app, "PUT", "/__admin/scenario", data=text, content_type="application/yaml")

    assert status == 400
    assert reply["error"] == "the scenario is not valid; nothing was changed"
    assert reply["errors"][0].startswith("<uploaded scenario>:2: clock.start: ")
    assert "is outside the instants ips-mock can model" in reply["errors"][0]
    assert [_call(app, "GET", f"/__admin/{what}") for what in ("clock", "state", "journal")] == before
    assert _call(app, "POST", "/__admin/reset") == (200, {"ok": True, "now": "2026-01-05T09:00:00.000-08:00"})


@pytest.mark.parametrize("text", UNREPRESENTABLE)
def test_a_tenant_scenario_that_cannot_run_creates_no_tenant(app: StandaloneApp, text: str) -> None:
    status, _ = _call(app, "PUT", "/t/alice/__admin/scenario", data=text, content_type="application/yaml")
    assert status == 400
    assert app.tenants == {}
    assert _call(app, "GET", "/__admin/")[1]["tenants"] == []


def test_fake_load_leaves_everything_as_it_was_when_the_clock_cannot_hold_the_start() -> None:
    fake = FakeIps()
    SoapTestClient(fake).call("getCompanyInfo", {"companyName": "Example"})
    scenario, state, clock, journal = fake.scenario, fake.state, fake.clock, list(fake.journal)
    # The loader refuses such a start itself now; a Scenario built by hand can still carry one.
    late = datetime(9999, 12, 31, 23, tzinfo=timezone(timedelta(hours=-8)))
    with pytest.raises(ClockOutOfRangeError):
        fake.load(dataclasses.replace(load_scenario_text("ips_mock: 1\n"), start=late))
    assert (fake.scenario, fake.state, fake.clock, list(fake.journal)) == (scenario, state, clock, journal)
    fake.reset()
    assert fake.now().isoformat() == "2026-01-05T09:00:00-08:00"


def test_a_server_scenario_that_cannot_run_is_refused_at_start() -> None:
    with pytest.raises(ScenarioError, match="is outside the instants ips-mock can model"):
        StandaloneApp(load_scenario_text(str(UNREPRESENTABLE[1].values[0])))
