"""``ips-mock serve`` as a product: --version, the request log (text and JSON), --url-file, --clock wall.

Servers run as real subprocesses (``--port 0 --url-file``), each stopped in ``finally`` however the test ends.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from importlib.metadata import version
from pathlib import Path

import pytest
import requests

import ips_mock
from ips_mock import FakeIps, cli
from ips_mock.scenario import load_scenario_text
from ips_mock.standalone import StandaloneApp
from ips_mock.testing import SoapTestClient, build_envelope
from ips_mock.ticker import Ticker

SHORT_JOB_SCENARIO = """\
ips_mock: 1
companies: [{name: Example, id: 100}]
users: [{email: admin@example.com, password: password, role: IpsAdmin, companies: [Example]}]
behaviours:
  - {match: {name: "*"}, start_delay: 0s, duration: 1s}
"""
DEADLINE = 30.0  # seconds any "eventually" below may take before the test fails


def test_version_comes_from_the_package_metadata(capsys: pytest.CaptureFixture[str]) -> None:
    assert ips_mock.__version__ == version("ips-mock")
    with pytest.raises(SystemExit) as info:
        cli.main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out == f"ips-mock {version('ips-mock')}\n"


def test_version_of_a_checkout_that_was_never_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.metadata

    def missing(name: str) -> str:
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "version", missing)  # read when the version is first asked for
    assert ips_mock._version() == "0+unknown"


# ---------------------------------------------------------------------------------------------- subprocesses


@dataclass
class Served:
    proc: subprocess.Popen[str]
    url: str
    url_file: Path
    out: str = ""
    err: str = field(default="", repr=False)

    def stop(self) -> None:
        """SIGTERM, as a harness would; the output is kept."""
        self.proc.send_signal(signal.SIGTERM)
        self.out, self.err = self.proc.communicate(timeout=DEADLINE)
        assert self.proc.returncode == 0, self.err

    def post_soap(self, body: bytes, *, auth: tuple[str, str] | None, path: str = "") -> requests.Response:
        return requests.post(f"{self.url}{path}/scene7/services/IpsApiService", data=body, auth=auth, timeout=10,
                             headers={"Content-Type": "text/xml; charset=utf-8"})  # fmt: skip

    def admin(self, method: str, path: str, body: object = None) -> requests.Response:
        return requests.request(method, f"{self.url}{path}", json=body, timeout=10)


@contextmanager
def serving(tmp_path: Path, *args: str) -> Iterator[Served]:
    url_file = tmp_path / "ips-mock.url"
    proc = subprocess.Popen(
        [sys.executable, "-m", "ips_mock", "serve", "--port", "0", "--url-file", str(url_file), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        deadline = time.monotonic() + DEADLINE
        while not url_file.exists():
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                out, err = proc.communicate(timeout=DEADLINE)
                pytest.fail(f"ips-mock serve never wrote {url_file}: exit {proc.returncode}\n{out}\n{err}")
            time.sleep(0.02)
        yield Served(proc, url_file.read_text().strip(), url_file)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate(timeout=DEADLINE)


def _three_requests(server: Served) -> None:
    """A SOAP success (under a tenant too), a fault and an admin call."""
    envelope = build_envelope("getCompanyInfo", {"companyName": "Example"})
    assert server.post_soap(envelope, auth=("admin@example.com", "password")).status_code == 200
    assert server.post_soap(envelope, auth=("admin@example.com", "wrong")).status_code == 500
    assert server.admin("POST", "/__admin/clock/advance", {"by": "90s"}).status_code == 200
    assert server.post_soap(envelope, auth=("user@example.com", "password"), path="/t/alice").status_code == 200


TIME = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"
MS = r"\d+\.\dms"


TEXT_LINES = [
    rf"{TIME} INFO    POST /scene7/services/IpsApiService tenant=- op=getCompanyInfo caller=admin@example.com "
    rf"virtual=2026-01-05T09:00:00.000-08:00 status=200 {MS}",
    rf"{TIME} WARNING POST /scene7/services/IpsApiService tenant=- op=getCompanyInfo caller=- "
    rf'virtual=2026-01-05T09:00:00.000-08:00 status=500 fault=10001 reason="Invalid username/password" {MS}',
    rf"{TIME} INFO    POST /__admin/clock/advance tenant=- op=- caller=- "
    rf"virtual=2026-01-05T09:01:30.000-08:00 status=200 {MS}",
    rf"{TIME} INFO    POST /t/alice/scene7/services/IpsApiService tenant=alice op=getCompanyInfo "
    rf"caller=user@example.com virtual=2026-01-05T09:00:00.000-08:00 status=200 {MS}",
]
"""The four lines _three_requests writes, as --log-format text writes them."""


def test_text_log_has_one_line_per_request_and_no_escapes_into_a_pipe(tmp_path: Path) -> None:
    with serving(tmp_path) as server:
        assert server.url.startswith("http://127.0.0.1:")
        _three_requests(server)
        server.stop()
    assert server.out.splitlines() == [
        f"ips-mock listening on {server.url}",
        f"dashboard: {server.url}/__admin/ui/",
        "ips-mock stopped",
    ]
    assert not server.url_file.exists()  # a harness never reads a stale URL
    assert "\x1b" not in server.err
    lines = server.err.splitlines()
    assert len(lines) == 4, server.err
    patterns = TEXT_LINES
    for line, pattern in zip(lines, patterns, strict=True):
        assert re.fullmatch(pattern, line), line


def test_json_log_has_one_object_per_request(tmp_path: Path) -> None:
    with serving(tmp_path, "--log-format", "json") as server:
        _three_requests(server)
        server.stop()
    entries = [json.loads(line) for line in server.err.splitlines()]
    for entry in entries:
        assert re.fullmatch(TIME, entry.pop("time"))
        assert isinstance(entry.pop("durationMs"), float)
    assert entries == [
        {
            "level": "info",
            "method": "POST",
            "path": "/scene7/services/IpsApiService",
            "tenant": None,
            "operation": "getCompanyInfo",
            "caller": "admin@example.com",
            "virtualTime": "2026-01-05T09:00:00.000-08:00",
            "status": 200,
            "faultCode": None,
            "faultReason": None,
        },
        {
            "level": "warning",
            "method": "POST",
            "path": "/scene7/services/IpsApiService",
            "tenant": None,
            "operation": "getCompanyInfo",
            "caller": None,  # as in the journal: the caller is who signed in, and nobody did
            "virtualTime": "2026-01-05T09:00:00.000-08:00",
            "status": 500,
            "faultCode": 10001,
            "faultReason": "Invalid username/password",
        },
        {
            "level": "info",
            "method": "POST",
            "path": "/__admin/clock/advance",
            "tenant": None,
            "operation": None,
            "caller": None,
            "virtualTime": "2026-01-05T09:01:30.000-08:00",
            "status": 200,
            "faultCode": None,
            "faultReason": None,
        },
        {
            "level": "info",
            "method": "POST",
            "path": "/t/alice/scene7/services/IpsApiService",
            "tenant": "alice",
            "operation": "getCompanyInfo",
            "caller": "user@example.com",
            "virtualTime": "2026-01-05T09:00:00.000-08:00",
            "status": 200,
            "faultCode": None,
            "faultReason": None,
        },
    ]


def test_log_level_warning_keeps_only_the_failures(tmp_path: Path) -> None:
    with serving(tmp_path, "--log-level", "warning") as server:
        _three_requests(server)
        server.stop()
    (line,) = server.err.splitlines()
    assert " WARNING POST /scene7/services/IpsApiService " in line
    assert "fault=10001" in line


def _eventually(check: object, what: str) -> None:
    """Poll ``check()`` until it is true; fail after DEADLINE seconds (no timing is asserted)."""
    assert callable(check)
    deadline = time.monotonic() + DEADLINE
    while not check():
        if time.monotonic() > deadline:
            pytest.fail(f"not within {DEADLINE:g} s: {what}")
        time.sleep(0.05)


def test_wall_clock_moves_by_itself_and_finishes_a_job(tmp_path: Path) -> None:
    scenario = tmp_path / "short.yaml"
    scenario.write_text(SHORT_JOB_SCENARIO)
    with serving(tmp_path, "--clock", "wall", "--tick-interval", "0.05", "--scenario", str(scenario)) as server:
        first = server.admin("GET", "/__admin/clock").json()
        assert first["source"] == "wall"
        start = datetime.fromisoformat(first["now"])
        _eventually(
            lambda: datetime.fromisoformat(server.admin("GET", "/__admin/clock").json()["now"]) > start,
            "the virtual clock moves with no admin call",
        )
        envelope = build_envelope(
            "submitJob",
            {
                "companyHandle": "c|100",
                "jobName": "quick",
                "imageServingPublishJob": {"publishType": "Full", "emailSetting": "None"},
            },
        )
        reply = server.post_soap(envelope, auth=("admin@example.com", "password"))
        assert reply.status_code == 200, reply.text
        _eventually(
            lambda: any(log["endDate"] for log in server.admin("GET", "/__admin/state").json()["logs"]),
            "the job's log is closed",
        )
        server.stop()


def test_wall_clock_ticker_runs_due_work_without_any_request() -> None:
    """In-process, reading fake.state directly (which runs nothing): only the ticker can finish the run."""
    app = StandaloneApp(load_scenario_text(SHORT_JOB_SCENARIO, name="short"), clock_mode="wall")
    fake: FakeIps = app.default
    SoapTestClient(fake).call(
        "submitJob",
        {
            "companyHandle": "c|100",
            "jobName": "quick",
            "imageServingPublishJob": {"publishType": "Full", "emailSetting": "None"},
        },
    )
    (run,) = fake.state.runs.values()
    assert run.state.value != "Done"
    with Ticker(lambda: [app.default, *app.tenants.values()], interval=0.05):
        _eventually(lambda: run.state.value == "Done", "the ticker finishes the run")
    assert fake.state.logs[-1].end_date is not None
    assert fake.clock.source == "wall"


def test_manual_clock_stays_put(tmp_path: Path) -> None:
    with serving(tmp_path) as server:
        first = server.admin("GET", "/__admin/clock").json()
        time.sleep(0.2)
        assert (
            server.admin("GET", "/__admin/clock").json()
            == first
            == {
                "now": "2026-01-05T09:00:00.000-08:00",
                "source": "manual",
            }
        )
        server.stop()


def test_basic_challenge_option_reaches_every_fake(tmp_path: Path) -> None:
    envelope = build_envelope("getCompanyInfo", {"companyName": "Example"})
    with serving(tmp_path, "--basic-challenge") as server:
        for path in ("", "/t/bob"):
            reply = server.post_soap(envelope, auth=None, path=path)
            assert reply.status_code == 401
            assert reply.headers["WWW-Authenticate"] == 'Basic realm="IpsApiService"'
            assert server.post_soap(envelope, auth=("admin@example.com", "password"), path=path).status_code == 200
        server.stop()
    assert "status=401" in server.err


def test_readme_log_examples_are_what_serve_writes(tmp_path: Path) -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    text_block = readme.split("`--log-format text` (the default):\n\n```\n", 1)[1].split("```", 1)[0]
    for line, pattern in zip(text_block.splitlines(), TEXT_LINES, strict=True):
        assert re.fullmatch(pattern, line), line
    json_block = readme.split("`--log-format json` writes", 1)[1].split("```json\n", 1)[1].split("```", 1)[0]
    example = json.loads(json_block)
    with serving(tmp_path, "--log-format", "json", "--log-level", "warning") as server:
        _three_requests(server)
        server.stop()
    written = json.loads(server.err)
    assert list(example) == list(written)
    assert {k: v for k, v in example.items() if k not in ("time", "durationMs")} == {
        k: v for k, v in written.items() if k not in ("time", "durationMs")
    }
