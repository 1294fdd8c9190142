"""Every performance figure of ips-mock in one run, each beside a baseline measured in the same run.

    python bench/run.py [--quick | --smoke] [--json FILE]

Figures (the JSON has one key per figure):

* ``per_test``: what a test using the ``ips`` fixture and posting one request costs, beside pytest-httpserver's
  ``httpserver`` fixture with one expected request: pytest runs a generated file of such tests in a subprocess,
  a conftest times each test's protocol (setup, call, teardown and their reports; wall and process CPU, which
  counts the server thread), and the figure is the median test (the first test starts the session's server and
  the last stops it; a median does not see them). Interpreter start, imports and collection are not counted.
  ``--only per_test_parts`` (run only when asked: a diagnostic, no targets) splits it in the same way into
  ``per_test_server`` (the session's server answering the fake's reply bytes from a static app),
  ``per_test_fixture`` (the ``ips`` fixture added: a fresh fake, verified after the test, the reply still static)
  and ``per_test_whole`` (the fake answering), each beside pytest-httpserver's test, all interleaved in one run.
* ``fake_construction``: ``FakeIps()`` (the built-in scenario), beside pytest-httpserver's ``HTTPServer()``.
  ``--only cold`` (a diagnostic, no targets) measures it again as ``cold_fake_construction``, and one getCompanyInfo
  through the fake's WSGI app as ``cold_request`` (beside the bare app below), each call after 24 MB were written:
  with its code and data out of the CPU caches, as between pytest's own work, which a warm loop hides.
* ``rt_get_company_info``, ``rt_submit_job``, ``rt_get_active_jobs``: in-process round trips through
  ``werkzeug.test.Client`` (getCompanyInfo; submitJob of an uploadUrlsJob with 3 URLs; getActiveJobs with 10
  runs), each beside a bare Werkzeug + lxml app that parses the same request and answers with as many elements as
  ips-mock's reply has. ``http_get_company_info`` is the first over loopback HTTP (``ServerThread``, one session).
* ``serve_first_reply``: ``ips-mock serve --port 0`` from spawn to its first SOAP reply, beside
  ``python -c "import werkzeug"``.
* ``scale_whole``, ``scale_by_minute``: 10,000 daily job definitions and 100 every-minute crons advanced 7 virtual
  days (1.08 M runs) in one advance, and in 10,080 one-minute advances, each in a fresh process (peak RSS is that
  process's); the default retention applies. The baseline is the issue's measurement before this work (one
  advance: 190-210 s, 2.9 GB), and the second figure is compared with the same size in one advance (cost
  independent of the split; its target compares CPU time, which load from other work does not inflate).
* ``scenario_load_10k``: ``FakeIps(path)`` of a scenario file with 10,000 job definitions, the first load in a
  fresh process (the scenario cache cold), beside the same with 100 definitions; the notes split it into
  ``load_scenario`` (with ruamel's bare parse of the file for comparison) and building the fake.
* ``history_submit_job``, ``history_get_active_jobs``: submitJob and getActiveJobs (100 active runs) on a fake
  that keeps 100,000 finished runs, beside the same on a fake with no history; ``history_get_job_logs``:
  getJobLogs numRows=100 over 100,000 logs, beside the same over 100 logs.

Each figure is the median of interleaved rounds (subject and baseline alternate, in alternating order); the
spread is the lowest and highest round median. ``--quick`` takes fewer rounds and scales only the split
comparison down (1,000 definitions, 100 crons, one day, both ways); the one-advance scale run and the scenario
load keep their full size and targets (under two minutes in all); ``--smoke`` is a seconds-long check that
everything runs, for the test suite. No figure is asserted anywhere: they are measurements.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from importlib import metadata
from pathlib import Path
from typing import Any, Final

import requests
from lxml import etree
from werkzeug.test import Client, EnvironBuilder
from werkzeug.wrappers import Request, Response

from ips_mock import FakeIps, ServerThread
from ips_mock.testing import auth_header, build_envelope, upload_urls_job

PATH = "/scene7/services/IpsApiService"
ON_REQUEST: Final = frozenset({"per_test_parts", "cold"})
"""Figure groups that only ``--only`` runs: diagnostics without a target."""
Rounds = tuple[tuple[float, tuple[float, float]], tuple[float, tuple[float, float]]]
"""What :func:`interleaved` measures: (median, (lowest, highest)) of the subject, then of the baseline."""
HEADERS = {"Content-Type": "text/xml; charset=UTF-8"}
SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/"
ROOT = Path(__file__).resolve().parent.parent
PARSER = etree.XMLParser(resolve_entities=False, no_network=True)
ONE_COMPANY: dict[str, Any] = {
    "ips_mock": 1,
    "companies": [{"name": "Example", "id": 100}],
    "users": [{"email": "admin@example.com", "password": "password", "role": "IpsAdmin", "companies": ["Example"]}],
}
PUBLISH = {"imageServingPublishJob": {"publishType": "Incremental", "emailSetting": "None"}}


@dataclass(frozen=True)
class Mode:
    name: str
    rounds: int
    requests: int
    """Requests per round for the in-process and history figures."""
    pytest_tests: int
    """Tests in each pytest run of the per_test figure."""
    pytest_rounds: int
    spawn_rounds: int
    scale: tuple[int, int, float]
    """(definitions, every-minute crons, days) of the one-advance scale run"""
    history_runs: int
    split_scale: tuple[int, int, float]
    """(definitions, every-minute crons, days) of the split comparison: one advance against one-minute advances"""
    scenario_jobs: tuple[int, int]
    """Job definitions in the scenario file loaded cold, and in the baseline's file"""
    load_rounds: int


FULL_SCALE: Final = (10_000, 100, 7.0)
"""The issue's scale run: 10,000 daily definitions and 100 every-minute crons, 7 virtual days (1.08 M runs)."""

MODES = {
    # per_test's pytest runs differ by up to 5 % from one process to the next, whatever runs in them: its rounds
    # are many, so that the median of each side is steady to about 1 %.
    "full": Mode("full", 5, 500, 300, 11, 7, FULL_SCALE, 100_000, FULL_SCALE, (10_000, 100), 3),
    # Quick runs the full-size one-advance scale run (its target) and the split comparison scaled down.
    "quick": Mode("quick", 3, 200, 200, 9, 3, FULL_SCALE, 100_000, (1_000, 100, 1.0), (10_000, 100), 1),
    "smoke": Mode("smoke", 1, 10, 5, 1, 1, (50, 5, 1 / 24), 500, (50, 5, 1 / 24), (100, 10), 1),
}


@dataclass
class Figure:
    label: str
    unit: str
    value: float
    spread: tuple[float, float]
    baseline_label: str
    baseline: float | None
    baseline_spread: tuple[float, float] | None = None
    target: str = ""
    met: bool | None = None
    notes: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        return self.value / self.baseline if self.baseline else None

    @classmethod
    def from_rounds(cls, label: str, unit: str, measured: Rounds, baseline_label: str, **rest: Any) -> Figure:
        """A figure from :func:`interleaved`'s medians and spreads (seconds), given in ``unit``."""
        (ours, spread), (theirs, their_spread) = measured
        k = _PER_SECOND[unit]
        return cls(
            label,
            unit,
            ours * k,
            (spread[0] * k, spread[1] * k),
            baseline_label,
            theirs * k,
            (their_spread[0] * k, their_spread[1] * k),
            **rest,
        )


_PER_SECOND: Final = {"s": 1.0, "ms": 1e3, "us": 1e6}


# ------------------------------------------------------------------------------------------------- measuring


def _median_spread(rounds: Sequence[float]) -> tuple[float, tuple[float, float]]:
    return statistics.median(rounds), (min(rounds), max(rounds))


def interleaved(subject: Callable[[], float], baseline: Callable[[], float], rounds: int) -> Rounds:
    """Each callable measures one round and returns its median; rounds alternate which goes first."""
    ours: list[float] = []
    theirs: list[float] = []
    for index in range(rounds):
        pair = [(ours, subject), (theirs, baseline)]
        for sink, measure in pair if index % 2 == 0 else reversed(pair):
            sink.append(measure())
    return _median_spread(ours), _median_spread(theirs)


def _timed(call: Callable[[], object], n: int, *, between: Callable[[], object] | None = None) -> float:
    """Median seconds of ``n`` calls (after a few warm-up calls); ``between`` runs, untimed, before each."""
    for _ in range(min(5, n)):
        call()
    samples = []
    for _ in range(n):
        if between is not None:
            between()
        start = time.perf_counter()
        call()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


# ------------------------------------------------------------------------------------------------- baseline


def bare_app(elements: dict[str, int]) -> Callable[..., Iterable[bytes]]:
    """The minimum any SOAP fake must do: read the body, parse it with lxml, find the operation, build a reply of
    ``elements[operation]`` elements with lxml, answer through Werkzeug."""

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        request = Request(environ)
        root = etree.fromstring(request.get_data(), parser=PARSER)
        param = root.find(f"{{{SOAP11}}}Body")[0]  # type: ignore[index]
        namespace, _, name = param.tag[1:].partition("}")
        operation = name.removesuffix("Param")
        envelope = etree.Element(f"{{{SOAP11}}}Envelope", nsmap={"soapenv": SOAP11})
        parent = etree.SubElement(etree.SubElement(envelope, f"{{{SOAP11}}}Body"), f"{{{namespace}}}{operation}Return")
        for index in range(elements.get(operation, 1) - 1):
            if index % 20 == 0:
                item = etree.SubElement(parent, f"{{{namespace}}}items")
            etree.SubElement(item, f"{{{namespace}}}field{index % 20}").text = "value"
        body = etree.tostring(envelope, xml_declaration=True, encoding="UTF-8")
        return Response(body, content_type="text/xml;charset=UTF-8")(environ, start_response)

    return app


def _payload_elements(body: bytes) -> int:
    """How many elements the reply's payload (the operation's Return element and below) has."""
    payload = etree.fromstring(body, parser=PARSER).find(f"{{{SOAP11}}}Body")[0]  # type: ignore[index]
    return sum(1 for _ in payload.iter())


def _envelope(operation: str, params: dict[str, Any]) -> bytes:
    return build_envelope(operation, params, headers=[auth_header()])


def _post(client: Client, body: bytes) -> bytes:
    response = client.post(PATH, data=body, headers=HEADERS)
    if response.status_code != 200:
        raise RuntimeError(f"reply {response.status_code}: {response.get_data()[:400]!r}")
    return response.get_data()


# ----------------------------------------------------------------------------------------------- the figures


_TIMING_CONFTEST = """
import json, os, time

import pytest

_times = []


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        return (yield)
    finally:
        _times.append((time.perf_counter() - wall, time.process_time() - cpu))


def pytest_sessionfinish(session):
    with open(os.environ["IPS_MOCK_BENCH_TIMES"], "w") as out:
        json.dump(_times, out)
"""
"""Times each test's whole protocol (setup, call, teardown and their reports) in the pytest process; CPU time is
the process's, so it counts the server thread too."""


_PER_TEST_HEADER = """import requests

BODY = {body!r}
REPLY = {reply!r}
HEADERS = {headers!r}
PATH = {path!r}


def static(environ, start_response):
    environ["wsgi.input"].read(int(environ["CONTENT_LENGTH"]))
    start_response("200 OK", [("Content-Type", "text/xml"), ("Content-Length", str(len(REPLY)))])
    return [REPLY]
"""
_PER_TEST_KINDS: Final = {
    "ips": """
        def test_{i}(ips):
            response = requests.post(ips.url, data=BODY, headers=HEADERS, timeout=30)
            assert response.status_code == 200
        """,
    "httpserver": """
        def test_{i}(httpserver):
            httpserver.expect_request(PATH, method="POST").respond_with_data(REPLY, content_type="text/xml")
            response = requests.post(httpserver.url_for(PATH), data=BODY, headers=HEADERS, timeout=30)
            assert response.status_code == 200
        """,
    # The parts of per_test: the ips fixture (a fresh fake, verified after the test) with the fake's reply bytes
    # served by a static app instead of the fake; and the session's server alone with that static app.
    "fixture": """
        def test_{i}(ips, ips_server):
            ips_server.app.app = static
            response = requests.post(ips.url, data=BODY, headers=HEADERS, timeout=30)
            assert response.status_code == 200
        """,
    "server": """
        def test_{i}(ips_server):
            ips_server.app.app = static
            response = requests.post(ips_server.url + PATH, data=BODY, headers=HEADERS, timeout=30)
            assert response.status_code == 200
        """,
}


def _per_test_rounds(kinds: Sequence[str], mode: Mode) -> dict[str, tuple[list[float], list[float]]]:
    """Each kind's generated file of ``mode.pytest_tests`` tests run by pytest ``mode.pytest_rounds`` times,
    the kinds interleaved (in reversed order every other round): per kind, the median test's wall and CPU
    seconds of each run (the first test, which starts the session's server, and the last, which stops it, do
    not move a median)."""
    body = _envelope("getCompanyInfo", {"companyName": "Example"})
    reply = _post(Client(FakeIps()), body)
    header = _PER_TEST_HEADER.format(body=body, reply=reply, headers=HEADERS, path=PATH)
    measured: dict[str, tuple[list[float], list[float]]] = {kind: ([], []) for kind in kinds}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "pytest.ini").write_text("[pytest]\n")
        (folder / "conftest.py").write_text(_TIMING_CONFTEST)
        for kind in kinds:
            template = textwrap.dedent(_PER_TEST_KINDS[kind])
            tests = "".join(template.format(i=i) for i in range(mode.pytest_tests))
            (folder / f"test_{kind}.py").write_text(header + tests)
        for index in range(mode.pytest_rounds):
            for kind in kinds if index % 2 == 0 else list(reversed(kinds)):
                times = folder / f"times_{kind}.json"
                command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"test_{kind}.py"]
                result = subprocess.run(
                    command,
                    cwd=folder,
                    capture_output=True,
                    text=True,
                    timeout=600,
                    env={**os.environ, "IPS_MOCK_BENCH_TIMES": str(times)},
                )
                if result.returncode != 0:
                    raise RuntimeError(f"pytest failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
                samples = json.loads(times.read_text())
                measured[kind][0].append(statistics.median(wall for wall, _ in samples))
                measured[kind][1].append(statistics.median(cpu for _, cpu in samples))
    return measured


_PER_TEST_METHOD: Final = (
    "median over {count} tests of one pytest run of each test's setup, call and teardown with their reports "
    "(wall and process CPU), in subprocesses; the median of interleaved runs"
)


def per_test(mode: Mode) -> Figure:
    runs = _per_test_rounds(["ips", "httpserver"], mode)
    (ours_wall, ours_cpu), (their_wall, their_cpu) = runs["ips"], runs["httpserver"]
    measured = (_median_spread(ours_wall), _median_spread(their_wall))
    return Figure.from_rounds(
        "one test: ips fixture + one post",
        "ms",
        measured,
        "pytest-httpserver: httpserver fixture + one expected post",
        target="no slower than the baseline (ratio <= 1)",
        met=measured[0][0] <= measured[1][0],
        notes={
            "method": _PER_TEST_METHOD.format(count=mode.pytest_tests),
            "cpu_ms": statistics.median(ours_cpu) * 1e3,
            "baseline_cpu_ms": statistics.median(their_cpu) * 1e3,
        },
    )


def per_test_parts(mode: Mode) -> dict[str, Figure]:
    """Where per_test's time goes (no targets): the session's server with a static reply, then the ips fixture
    added, then the fake answering, each beside pytest-httpserver's test, all four interleaved in one run."""
    runs = _per_test_rounds(["ips", "fixture", "server", "httpserver"], mode)
    baseline = _median_spread(runs["httpserver"][0])
    labels = {
        "server": "the session's server answering the same reply bytes from a static app (no fake)",
        "fixture": "the ips fixture (a fresh fake, verified after the test), the reply from the static app",
        "ips": "the ips fixture, the fake answering (per_test)",
    }
    return {
        f"per_test_{kind}" if kind != "ips" else "per_test_whole": Figure.from_rounds(
            label,
            "ms",
            (_median_spread(runs[kind][0]), baseline),
            "pytest-httpserver: httpserver fixture + one expected post",
            notes={
                "method": _PER_TEST_METHOD.format(count=mode.pytest_tests),
                "cpu_ms": statistics.median(runs[kind][1]) * 1e3,
                "baseline_cpu_ms": statistics.median(runs["httpserver"][1]) * 1e3,
            },
        )
        for kind, label in labels.items()
    }


def fake_construction(mode: Mode) -> Figure:
    from pytest_httpserver import HTTPServer

    n = max(3, mode.requests // 20)
    measured = interleaved(lambda: _timed(FakeIps, n), lambda: _timed(HTTPServer, n), mode.rounds)
    ours = measured[0][0]
    return Figure.from_rounds(
        "FakeIps() (built-in scenario)",
        "ms",
        measured,
        "pytest_httpserver.HTTPServer()",
        target="<= 1 ms",
        met=ours <= 1e-3,
    )


_EVICTION_BYTES: Final = 24 * 1024 * 1024
"""Written between two cold measurements: more than this machine's CPU caches hold."""


def _evict(scratch: bytearray) -> Callable[[], None]:
    """Writes ``scratch`` over: the CPU caches then hold none of the next call's code and data, as inside a pytest
    run, where pytest's own work comes between two requests."""

    def evict() -> None:
        scratch[::64] = bytes(len(scratch) // 64)

    return evict


def cold(mode: Mode) -> dict[str, Figure]:
    """``FakeIps()`` and one getCompanyInfo through its WSGI app with the CPU caches emptied first (no targets): how
    this session's request-path work was measured, since a warm loop hides most of what a test pays for them."""
    body = _envelope("getCompanyInfo", {"companyName": "Example"})
    reply = _post(Client(FakeIps()), body)
    environ = EnvironBuilder(path=PATH, method="POST", data=body, headers=HEADERS).get_environ()
    environ["HTTP_ACCEPT_ENCODING"] = "gzip, deflate"  # as requests sends, so the reply is gzipped as in per_test

    def request(app: Callable[..., Iterable[bytes]]) -> Callable[[], bytes]:
        def once() -> bytes:
            return b"".join(app({**environ, "wsgi.input": io.BytesIO(body)}, lambda *_: None))

        return once

    from pytest_httpserver import HTTPServer

    bare = bare_app({"getCompanyInfo": _payload_elements(reply)})
    evict = _evict(bytearray(_EVICTION_BYTES))
    n = max(3, mode.requests // 5)
    construction = interleaved(
        lambda: _timed(FakeIps, n, between=evict), lambda: _timed(HTTPServer, n, between=evict), mode.rounds
    )
    answer = interleaved(
        lambda: _timed(request(FakeIps()), n, between=evict),
        lambda: _timed(request(bare), n, between=evict),
        mode.rounds,
    )
    return {
        "cold_fake_construction": Figure.from_rounds(
            "FakeIps() (built-in scenario), caches emptied first", "us", construction, "pytest_httpserver.HTTPServer()"
        ),
        "cold_request": Figure.from_rounds(
            "getCompanyInfo through a fake's WSGI app, caches emptied first (a gzipped reply)",
            "us",
            answer,
            "bare Werkzeug + lxml app, same element count, caches emptied first (a plain reply)",
        ),
    }


def _round_trip(
    label: str, fake: FakeIps, bodies: Callable[[], bytes], mode: Mode, operation: str, throughput: float
) -> Figure:
    """``throughput``: the target, as a share of the bare app's throughput (the ratio of times is its inverse)."""
    client = Client(fake)
    elements = _payload_elements(_post(client, bodies()))
    bare = Client(bare_app({operation: elements}))
    measured = interleaved(
        lambda: _timed(lambda: _post(client, bodies()), mode.requests),
        lambda: _timed(lambda: _post(bare, bodies()), mode.requests),
        mode.rounds,
    )
    (ours, _), (theirs, _) = measured
    return Figure.from_rounds(
        label,
        "us",
        measured,
        f"bare Werkzeug + lxml app answering {elements} elements",
        target=f">= {throughput:g}x the bare app's throughput (ratio <= {1 / throughput:.2f})",
        met=theirs / ours >= throughput,
        notes={"reply_elements": elements, "throughput_share": theirs / ours},
    )


def round_trips(mode: Mode) -> dict[str, Figure]:
    figures = {}
    info = _envelope("getCompanyInfo", {"companyName": "Example"})
    figures["rt_get_company_info"] = _round_trip(
        "getCompanyInfo, in-process", FakeIps(), lambda: info, mode, "getCompanyInfo", 0.5
    )

    names = iter(range(10**9))
    job = {"uploadUrlsJob": upload_urls_job(*(f"http://images.example.net/{i}.jpg" for i in range(3)))}

    def submit() -> bytes:
        return _envelope("submitJob", {"companyHandle": "c|100", "jobName": f"up-{next(names)}", **job})

    figures["rt_submit_job"] = _round_trip(
        "submitJob uploadUrlsJob with 3 URLs, in-process", FakeIps(ONE_COMPANY), submit, mode, "submitJob", 0.33
    )
    busy = FakeIps(ONE_COMPANY)
    for _ in range(10):
        _post(Client(busy), submit())
    busy.advance(timedelta(seconds=20))
    active = _envelope("getActiveJobs", {"companyHandle": "c|100"})
    figures["rt_get_active_jobs"] = _round_trip(
        "getActiveJobs with 10 runs, in-process", busy, lambda: active, mode, "getActiveJobs", 0.33
    )

    def over_http(app: Any) -> float:
        with ServerThread(app) as server, requests.Session() as session:
            url = server.url + PATH
            return _timed(lambda: session.post(url, data=info, headers=HEADERS, timeout=10), mode.requests)

    elements = figures["rt_get_company_info"].notes["reply_elements"]
    fake = FakeIps()
    measured = interleaved(
        lambda: over_http(fake), lambda: over_http(bare_app({"getCompanyInfo": elements})), mode.rounds
    )
    figures["http_get_company_info"] = Figure.from_rounds(
        "getCompanyInfo over loopback HTTP (ServerThread, one requests.Session)",
        "us",
        measured,
        "the bare app in the same ServerThread",
    )
    return figures


def serve_first_reply(mode: Mode) -> Figure:
    import compileall

    import ips_mock

    # Installing the wheel compiles ips-mock's bytecode, as it compiled werkzeug's; an editable checkout run with
    # PYTHONDONTWRITEBYTECODE=1 would compile every module from source on every start instead. Python reads
    # existing .pyc files whatever that variable says.
    compileall.compile_dir(Path(ips_mock.__file__).parent, quiet=1)
    body = _envelope("getCompanyInfo", {"companyName": "Example"})

    def spawn() -> float:
        start = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-m", "ips_mock", "serve", "--port", "0"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert process.stdout is not None
            line = process.stdout.readline()
            if "listening on" not in line:
                raise RuntimeError(f"ips-mock serve said {line!r}: {process.stderr.read() if process.stderr else ''}")
            url = line.rsplit(" ", 1)[1].strip()
            reply = requests.post(url + PATH, data=body, headers=HEADERS, timeout=30)
            elapsed = time.perf_counter() - start
            if reply.status_code != 200:
                raise RuntimeError(f"first reply {reply.status_code}")
            return elapsed
        finally:
            process.terminate()
            process.wait(timeout=30)

    def import_werkzeug() -> float:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import werkzeug"], check=True)
        return time.perf_counter() - start

    measured = interleaved(spawn, import_werkzeug, mode.spawn_rounds)
    (ours, _), (theirs, _) = measured
    return Figure.from_rounds(
        "ips-mock serve --port 0: spawn to first SOAP reply",
        "ms",
        measured,
        'python -c "import werkzeug"',
        target="<= 1.5x",
        met=ours <= 1.5 * theirs,
        notes={
            "bytecode": "ips_mock's bytecode compiled with compileall before timing, as a wheel install does",
        },
    )


def scale_worker(definitions: int, crons: int, days: float, split: str) -> dict[str, Any]:
    """Runs in its own process: build the jobs, advance, report time, runs and peak RSS."""
    fake = FakeIps(ONE_COMPANY)
    user = fake.state.users["admin@example.com"]
    now = fake.clock.now()
    build = time.perf_counter()
    for i in range(definitions):
        schedule = f"0 {i % 60} {(i // 60) % 24} * * ?"  # daily, spread over the day
        fake.service.submit_job(
            user, now, {"companyHandle": "c|100", "jobName": f"daily-{i}", "execSchedule": schedule, **PUBLISH}
        )
    for i in range(crons):
        fake.service.submit_job(
            user, now, {"companyHandle": "c|100", "jobName": f"minute-{i}", "execSchedule": "0 * * * * ?", **PUBLISH}
        )
    built = time.perf_counter() - build
    start, cpu = time.perf_counter(), time.process_time()
    distance = timedelta(days=days)
    if split == "whole":
        fake.advance(distance)
    else:
        for _ in range(round(distance / timedelta(minutes=1))):
            fake.advance(timedelta(minutes=1))
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    state = fake.state
    return {
        "seconds": elapsed,
        "cpu_seconds": cpu,
        "build_seconds": built,
        "runs": state.next_run_id - 1001,
        "kept_runs": len(state.runs),
        "dropped_runs": state.dropped.runs,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _scale_process(definitions: int, crons: int, days: float, split: str) -> dict[str, Any]:
    command = [sys.executable, __file__, "--scale-worker", json.dumps([definitions, crons, days, split])]
    result = subprocess.run(command, capture_output=True, text=True, timeout=3600, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"scale worker failed: {result.stderr[-3000:]}")
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def _scale_label(definitions: int, crons: int, days: float) -> str:
    return f"{definitions:,} daily definitions + {crons} every-minute crons, {days:g} virtual days"


def scale(mode: Mode) -> dict[str, Figure]:
    whole = _scale_process(*mode.scale, "whole")
    full_size = mode.scale == FULL_SCALE
    # The split comparison: the same size in one advance and in one-minute advances (scaled down in quick mode).
    split_whole = whole if mode.split_scale == mode.scale else _scale_process(*mode.split_scale, "whole")
    by_minute = _scale_process(*mode.split_scale, "minutes")
    cpu_ratio = by_minute["cpu_seconds"] / split_whole["cpu_seconds"]
    split_label = _scale_label(*mode.split_scale)
    if mode.split_scale != FULL_SCALE:
        split_label += " (scaled down; full mode runs the full size)"
    return {
        "scale_whole": Figure(
            f"{_scale_label(*mode.scale)}, one advance",
            "s",
            whole["seconds"],
            (whole["seconds"], whole["seconds"]),
            "before this work (the issue, same machine): 190-210 s, 2.9 GB" if full_size else "none (scaled-down run)",
            200.0 if full_size else None,
            target="<= 20 s and <= 1 GB peak RSS" if full_size else "",
            met=(whole["seconds"] <= 20 and whole["peak_rss_mb"] <= 1024) if full_size else None,
            notes=whole | {"us_per_run": whole["seconds"] / whole["runs"] * 1e6},
        ),
        "scale_by_minute": Figure(
            f"{split_label}, in one-minute advances",
            "s",
            by_minute["seconds"],
            (by_minute["seconds"], by_minute["seconds"]),
            "the same distance in one advance" + (" (above)" if split_whole is whole else f": {split_label}"),
            split_whole["seconds"],
            target="cost independent of the split: CPU time <= 1.5x the one advance's",
            met=cpu_ratio <= 1.5,
            notes=by_minute
            | {
                "us_per_run": by_minute["seconds"] / by_minute["runs"] * 1e6,
                "cpu_ratio": cpu_ratio,
                "one_advance": split_whole,
            },
        ),
    }


def _scenario_text(jobs: int) -> str:
    """A scenario with ``jobs`` daily Image Serving publish definitions, spread over the day (as the scale run's)."""
    head = textwrap.dedent(
        """\
        ips_mock: 1
        clock:
          start: 2026-03-04T09:00:00-08:00
          zone: America/Los_Angeles
        companies:
          - name: Example
            id: 100
        users:
          - email: admin@example.com
            password: password
            role: IpsAdmin
            companies: [Example]
        jobs:
        """
    )
    job = textwrap.dedent(
        """\
          - company: Example
            name: daily-{i}
            submitted_by: admin@example.com
            exec_schedule: "0 {minute} {hour} * * ?"
            job:
              imageServingPublishJob: {{publishType: Incremental, emailSetting: None}}
        """
    )
    return head + "".join(job.format(i=i, minute=i % 60, hour=(i // 60) % 24) for i in range(jobs))


def load_worker(path: str) -> dict[str, Any]:
    """Runs in its own process, so the scenario cache is cold: ``FakeIps(path)`` timed as the scenario read
    (load_scenario) and the fake built from it (FakeIps(path), the scenario now cached), plus ruamel's bare
    round-trip parse of the same file."""
    from ruamel.yaml import YAML

    from ips_mock.scenario import load_scenario

    start = time.perf_counter()
    load_scenario(path)
    loaded = time.perf_counter()
    fake = FakeIps(path)
    built = time.perf_counter()
    text = Path(path).read_text("utf-8")
    parse = time.perf_counter()
    YAML(typ="rt", pure=True).load(text)
    parsed = time.perf_counter()
    return {
        "seconds": built - start,
        "load_scenario_seconds": loaded - start,
        "build_seconds": built - loaded,
        "ruamel_parse_seconds": parsed - parse,
        "definitions": len(fake.state.definitions),
    }


def _load_process(path: Path) -> dict[str, Any]:
    command = [sys.executable, __file__, "--load-worker", str(path)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=3600, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"load worker failed: {result.stderr[-3000:]}")
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def scenario_load(mode: Mode) -> Figure:
    jobs, baseline_jobs = mode.scenario_jobs
    with tempfile.TemporaryDirectory() as tmp:
        big, small = Path(tmp) / f"jobs-{jobs}.yaml", Path(tmp) / f"jobs-{baseline_jobs}.yaml"
        big.write_text(_scenario_text(jobs), "utf-8")
        small.write_text(_scenario_text(baseline_jobs), "utf-8")
        ours: list[dict[str, Any]] = []
        theirs: list[dict[str, Any]] = []

        def measure(sink: list[dict[str, Any]], path: Path) -> Callable[[], float]:
            def once() -> float:
                sink.append(_load_process(path))
                return float(sink[-1]["seconds"])

            return once

        (value, spread), (base, base_spread) = interleaved(measure(ours, big), measure(theirs, small), mode.load_rounds)
    median = sorted(ours, key=lambda r: r["seconds"])[len(ours) // 2]
    full_size = jobs == 10_000
    return Figure(
        f"FakeIps(path) of a scenario file with {jobs:,} job definitions, first load in a fresh process",
        "s",
        value,
        spread,
        f"the same with {baseline_jobs:,} job definitions",
        base,
        base_spread,
        target="<= 1 s" if full_size else "",
        met=value <= 1 if full_size else None,
        notes=median | {"bytes": len(_scenario_text(jobs).encode())},
    )


def history(mode: Mode) -> dict[str, Figure]:
    """Latency with a long history kept, beside a fake without one; both have the same 100 active runs."""
    crons = 100
    minutes = max(1, mode.history_runs // crons)

    def fake_with(history_minutes: int) -> FakeIps:
        fake = FakeIps(ONE_COMPANY)
        user = fake.state.users["admin@example.com"]
        for i in range(crons):
            fake.service.submit_job(
                user,
                fake.clock.now(),
                {"companyHandle": "c|100", "jobName": f"minute-{i}", "execSchedule": "0 * * * * ?", **PUBLISH},
            )
        # Half a minute into a minute: the crons' runs of that minute are Running.
        fake.advance(timedelta(minutes=history_minutes, seconds=30))
        return fake

    old, fresh = fake_with(minutes), fake_with(1)
    kept = len(old.state.runs)
    names = iter(range(10**9))

    def submit(fake: FakeIps) -> Callable[[], float]:
        client = Client(fake)

        def body() -> bytes:
            return _envelope("submitJob", {"companyHandle": "c|100", "jobName": f"new-{next(names)}", **PUBLISH})

        return lambda: _timed(lambda: _post(client, body()), mode.requests)

    def query(fake: FakeIps, operation: str, params: dict[str, Any], *, heavy: bool = False) -> Callable[[], float]:
        client = Client(fake)
        body = _envelope(operation, params)
        return lambda: _timed(lambda: _post(client, body), max(3, mode.requests // 5) if heavy else mode.requests)

    figures = {}
    # Read-only queries first: the submitJob figure adds active runs.
    active = {"companyHandle": "c|100"}
    measured = interleaved(
        query(old, "getActiveJobs", active, heavy=True), query(fresh, "getActiveJobs", active, heavy=True), mode.rounds
    )
    (ours, _), (theirs, _) = measured
    figures["history_get_active_jobs"] = Figure.from_rounds(
        f"getActiveJobs (100 active runs) with {kept:,} runs kept",
        "us",
        measured,
        "the same on a fake with no history",
        target="<= 2x the fresh fake",
        met=ours <= 2 * theirs,
    )
    logs = {"companyHandle": "c|100", "numRows": 100}
    measured = interleaved(query(old, "getJobLogs", logs), query(fresh, "getJobLogs", logs), mode.rounds)
    (ours, _), (theirs, _) = measured
    figures["history_get_job_logs"] = Figure.from_rounds(
        f"getJobLogs numRows=100 over {len(old.state.logs):,} logs",
        "ms",
        measured,
        f"the same over {len(fresh.state.logs)} logs",
        target="<= 10 ms",
        met=ours * 1e3 <= 10,
    )
    measured = interleaved(submit(old), submit(fresh), mode.rounds)
    (ours, _), (theirs, _) = measured
    figures["history_submit_job"] = Figure.from_rounds(
        f"submitJob with {kept:,} runs kept",
        "us",
        measured,
        "the same on a fake with no history",
        target="<= 2x the fresh fake",
        met=ours <= 2 * theirs,
    )
    return figures


# --------------------------------------------------------------------------------------------------- output


def machine() -> dict[str, Any]:
    def version(package: str) -> str | None:
        try:
            return metadata.version(package)
        except metadata.PackageNotFoundError:
            return None

    packages = ("ips-mock", "werkzeug", "lxml", "pytest", "pytest-httpserver", "requests", "cronsim", "spyne")
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg(),
        "packages": {p: version(p) for p in packages},
    }


def _row(key: str, figure: Figure) -> str:
    extra = ""
    if "cpu_seconds" in figure.notes:
        n = figure.notes
        extra = f"\n    CPU {n['cpu_seconds']:.1f} s, {n['runs']:,} runs, peak RSS {n['peak_rss_mb']:,.0f} MB"
        if "cpu_ratio" in n:
            extra += f"; CPU {n['cpu_ratio']:.2f}x the one advance's ({n['one_advance']['cpu_seconds']:.1f} s)"
    if "cpu_ms" in figure.notes:
        extra = f"\n    CPU {figure.notes['cpu_ms']:.1f} ms, baseline CPU {figure.notes['baseline_cpu_ms']:.1f} ms"
    if "load_scenario_seconds" in figure.notes:
        n = figure.notes
        extra = (
            f"\n    load_scenario {n['load_scenario_seconds']:.2f} s"
            f" (ruamel's bare parse {n['ruamel_parse_seconds']:.2f} s)"
            f" + building the fake {n['build_seconds']:.2f} s; {n['definitions']:,} definitions, {n['bytes']:,} bytes"
        )
    ratio = f"{figure.ratio:.2f}x" if figure.ratio is not None else "-"
    base = f"{figure.baseline:,.1f}" if figure.baseline is not None else "-"
    met = {True: "met", False: "NOT met", None: ""}[figure.met]
    low, high = figure.spread
    return (
        f"{key:<24} {figure.value:>10,.1f} {figure.unit:<3} [{low:,.1f}-{high:,.1f}]  "
        f"baseline {base:>9} {ratio:>7}  {figure.target} {met}\n    {figure.label} | baseline: {figure.baseline_label}"
        + extra
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").strip().splitlines()[0])
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_true", help="fewer rounds, the split comparison scaled down (< 2 min)")
    size.add_argument("--smoke", action="store_true", help="seconds: check that every figure runs")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--only", nargs="*", help="run only these figure groups", default=None)
    parser.add_argument("--scale-worker", help=argparse.SUPPRESS)
    parser.add_argument("--load-worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.scale_worker:
        print(json.dumps(scale_worker(*json.loads(args.scale_worker))))
        return 0
    if args.load_worker:
        print(json.dumps(load_worker(args.load_worker)))
        return 0
    mode = MODES["smoke" if args.smoke else "quick" if args.quick else "full"]
    groups: dict[str, Callable[[Mode], dict[str, Figure]]] = {
        "per_test": lambda m: {"per_test": per_test(m)},
        "per_test_parts": per_test_parts,
        "cold": cold,
        "fake_construction": lambda m: {"fake_construction": fake_construction(m)},
        "round_trips": round_trips,
        "serve_first_reply": lambda m: {"serve_first_reply": serve_first_reply(m)},
        "scale": scale,
        "scenario_load": lambda m: {"scenario_load_10k": scenario_load(m)},
        "history": history,
    }
    info = machine()
    print(f"ips-mock benchmark, {mode.name} mode; Python {info['python']}, {info['cpus']} CPUs, {info['platform']}")
    print(
        ", ".join(f"{p} {v}" for p, v in info["packages"].items() if v)
        + "; spyne: not installed" * (info["packages"]["spyne"] is None)
    )
    figures: dict[str, Figure] = {}
    started = time.perf_counter()
    for name, group in groups.items():
        if (args.only and name not in args.only) or (not args.only and name in ON_REQUEST):
            continue
        for key, figure in group(mode).items():
            figures[key] = figure
            print(_row(key, figure), flush=True)
    info["seconds"] = time.perf_counter() - started
    print(f"{len(figures)} figures in {info['seconds']:.0f} s")
    if args.json:
        document = {
            "mode": mode.name,
            "machine": info,
            "figures": {key: asdict(f) | {"ratio": f.ratio} for key, f in figures.items()},
        }
        args.json.write_text(json.dumps(document, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
