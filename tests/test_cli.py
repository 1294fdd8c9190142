"""The ips-mock command: ``main([...])`` in-process, plus real subprocesses, each stopped even if a test fails."""

from __future__ import annotations

import argparse
import os
import re
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests

from ips_mock import cli
from ips_mock.testing import auth_header, build_envelope, validate_reply

Serve = Callable[..., tuple[subprocess.Popen[str], str]]


def _one_line(err: str) -> str:
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err
    return lines[0]


def test_serve_rejects_a_bad_scenario_with_a_readable_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("ips_mock: 1\nusers:\n  - email: x@y.z\n    password: p\n    role: Boss\n    companies: []\n")
    assert cli.main(["serve", "--scenario", str(bad), "--port", "0"]) == 2
    err = capsys.readouterr().err
    assert f"{bad}:5: users[0].role: 'Boss' is not one of" in err


def test_serve_reports_an_unreadable_scenario_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "missing.yaml"
    assert cli.main(["serve", "--scenario", str(missing), "--port", "0"]) == 2
    line = _one_line(capsys.readouterr().err)
    assert line == f"ips-mock: {missing}: cannot read the scenario file: No such file or directory"


def test_serve_reports_a_port_in_use_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert cli.main(["serve", "--port", str(port)]) == 2
    assert _one_line(capsys.readouterr().err).startswith(f"ips-mock: cannot listen on 127.0.0.1:{port}: ")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--port", "65536"], "argument --port: port must be 0-65535 (0: any free port), not 65536"),
        (["--port", "-1"], "argument --port: port must be 0-65535 (0: any free port), not -1"),
        (["--port", "http"], "argument --port: 'http' is not a port number"),
        (["--read-timeout", "0"], "argument --read-timeout: give a positive number of seconds, not 0"),
        (["--max-tenants", "0"], "argument --max-tenants: give a number of at least 1, not 0"),
    ],
)
def test_serve_checks_its_arguments_before_use(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as info:
        cli.main(["serve", *args])
    assert info.value.code == 2
    assert _one_line(capsys.readouterr().err) == f"ips-mock serve: error: {message} (see ips-mock serve --help)"


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.0.2.1", "ips-mock.example"])
def test_serve_refuses_a_non_loopback_address_without_an_admin_token(
    host: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(cli.TOKEN_VARIABLE, raising=False)
    assert cli.main(["serve", "--host", host, "--port", "0"]) == 2
    assert _one_line(capsys.readouterr().err).startswith(
        f"ips-mock: refusing to serve on {host} without an admin token"
    )


@pytest.mark.parametrize(("host", "loopback"), [("127.0.0.1", True), ("127.8.9.10", True), ("::1", True),
                                                 ("[::1]", True), ("localhost", True), ("0.0.0.0", False),
                                                 ("::", False), ("example.com", False)])  # fmt: skip
def test_loopback_addresses(host: str, loopback: bool) -> None:
    assert cli.is_loopback(host) is loopback


def test_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        cli.main(["frobnicate"])
    assert info.value.code == 2
    assert "invalid choice" in _one_line(capsys.readouterr().err)


# ---------------------------------------------------------------------------------------------- subprocesses


@contextmanager
def _servers() -> Iterator[Serve]:
    """Start ``ips-mock serve --port 0 ARGS`` processes; each is killed when the block ends, however it ends."""
    started: list[subprocess.Popen[str]] = []

    def start(*args: str, env: dict[str, str] | None = None) -> tuple[subprocess.Popen[str], str]:
        """The process and the first line it printed."""
        proc = subprocess.Popen(
            [sys.executable, "-m", "ips_mock", "serve", "--port", "0", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
        )
        started.append(proc)
        timer = threading.Timer(30, proc.kill)  # a server that never prints its URL must not hang the suite
        timer.start()
        try:
            assert proc.stdout is not None
            line = proc.stdout.readline().strip()
        finally:
            timer.cancel()
        return proc, line

    try:
        yield start
    finally:
        for proc in started:
            if proc.poll() is None:
                proc.kill()
            proc.communicate(timeout=30)


@pytest.fixture
def serve() -> Iterator[Serve]:
    with _servers() as start:
        yield start


def test_a_server_is_stopped_even_when_the_test_fails_before_signalling_it() -> None:
    """An assertion failing before the signal used to leave the ips-mock serve child running."""
    started: list[subprocess.Popen[str]] = []

    def failing_test() -> None:
        with _servers() as start:
            proc, line = start()
            started.append(proc)
            assert line.startswith("ips-mock listening on ")
            raise AssertionError("a check that fails")

    with pytest.raises(AssertionError, match="a check that fails"):
        failing_test()
    assert started[0].returncode is not None


def _url(line: str) -> str:
    prefix = "ips-mock listening on http://127.0.0.1:"
    assert line.startswith(prefix), line
    return line.removeprefix("ips-mock listening on ")


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_serve_subprocess_prints_its_url_serves_and_exits_cleanly(serve: Serve, stop_signal: signal.Signals) -> None:
    proc, line = serve()
    url = _url(line)
    body = build_envelope("getCompanyInfo", {"companyName": "Example"}, headers=[auth_header()])
    response = requests.post(
        url + "/scene7/services/IpsApiService", data=body, headers={"Content-Type": "text/xml"}, timeout=10
    )
    assert response.status_code == 200
    assert validate_reply(response.content)[0][0].text == "c|100"
    proc.send_signal(stop_signal)
    out, err = proc.communicate(timeout=20)
    assert proc.returncode == 0, err
    assert out.splitlines()[-1] == "ips-mock stopped"
    assert "Traceback" not in err


def test_serve_subprocess_answers_a_stalled_client_408(serve: Serve) -> None:
    _, line = serve("--read-timeout", "0.5")
    port = int(_url(line).rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(
            b"POST /scene7/services/IpsApiService HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10000000\r\n\r\n"
        )
        assert sock.recv(100).startswith(b"HTTP/1.1 408 Request Timeout\r\n")


def test_serve_subprocess_takes_its_admin_token_from_the_environment(serve: Serve) -> None:
    _, line = serve(env={cli.TOKEN_VARIABLE: "s3cret"})
    url = _url(line)
    assert requests.post(f"{url}/__admin/reset", json={}, timeout=10).status_code == 401
    headers = {"Authorization": "Bearer s3cret"}
    assert requests.post(f"{url}/__admin/reset", json={}, headers=headers, timeout=10).status_code == 200


def test_serve_subprocess_applies_its_limits(serve: Serve) -> None:
    _, line = serve("--max-tenants", "2", "--max-json-bytes", "100", "--allow-host", "ips-mock")
    url = _url(line)
    index = requests.get(f"{url}/__admin/", headers={"Host": "ips-mock:8080"}, timeout=10).json()
    assert (index["limits"]["maxTenants"], index["limits"]["maxJsonBytes"]) == (2, 100)
    response = requests.post(f"{url}/__admin/clock/advance", json={"by": "1s", "pad": "x" * 100}, timeout=10)
    assert response.status_code == 413


def test_the_readme_documents_every_serve_option() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    section = readme.split("## The standalone server", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"(--[a-z][a-z-]+)", section))
    serve = next(
        action.choices["serve"] for action in cli._parser()._actions if isinstance(action, argparse._SubParsersAction)
    )
    options = {option for action in serve._actions for option in action.option_strings} - {"-h", "--help"}
    assert documented == options
