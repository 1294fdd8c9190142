"""The ips-mock command: ``main([...])`` in-process, plus one real subprocess smoke test."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import requests

from ips_mock import cli
from ips_mock.testing import auth_header, build_envelope, validate_reply


def test_serve_rejects_a_bad_scenario_with_a_readable_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("ips_mock: 1\nusers:\n  - email: x@y.z\n    password: p\n    role: Boss\n    companies: []\n")
    assert cli.main(["serve", "--scenario", str(bad), "--port", "0"]) == 1
    err = capsys.readouterr().err
    assert f"{bad}:5: users[0].role: 'Boss' is not one of" in err


def test_serve_reports_a_port_in_use(capsys: pytest.CaptureFixture[str]) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert cli.main(["serve", "--port", str(port)]) == 1
    assert f"cannot listen on 127.0.0.1:{port}" in capsys.readouterr().err


def test_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        cli.main(["frobnicate"])
    assert info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def _serve_subprocess(*args: str) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "ips_mock", "serve", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert proc.stdout is not None
    line = proc.stdout.readline().strip()
    return proc, line


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_serve_subprocess_prints_its_url_serves_and_exits_cleanly(stop_signal: signal.Signals) -> None:
    proc, line = _serve_subprocess()
    timer = threading.Timer(30, proc.kill)  # never hang the suite if the server misbehaves
    timer.start()
    try:
        prefix = "ips-mock listening on http://127.0.0.1:"
        assert line.startswith(prefix), line
        url = line.removeprefix("ips-mock listening on ")
        body = build_envelope("getCompanyInfo", {"companyName": "Example"}, headers=[auth_header()])
        response = requests.post(
            url + "/scene7/services/IpsApiService", data=body, headers={"Content-Type": "text/xml"}, timeout=10
        )
        assert response.status_code == 200
        assert validate_reply(response.content)[0][0].text == "c|100"
        proc.send_signal(stop_signal)
        out, err = proc.communicate(timeout=20)
    finally:
        timer.cancel()
    assert proc.returncode == 0, err
    assert out.strip() == "ips-mock stopped"
    assert "Traceback" not in err
