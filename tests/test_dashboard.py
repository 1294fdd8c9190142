"""The dashboard's files and routes, and the state it reads: without a browser (tests/test_dashboard_browser.py
drives the page itself)."""

from __future__ import annotations

import json
import logging
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hatchling.builders.wheel import WheelBuilder
from werkzeug.test import Client

from ips_mock.requestlog import LOGGER_NAME, RequestLog
from ips_mock.scenario import load_scenario_text
from ips_mock.standalone import ADMIN_ROUTES, AdminPolicy, StandaloneApp
from ips_mock.testing import SoapTestClient, upload_urls_job

ROOT = Path(__file__).resolve().parent.parent
FILES = ROOT / "ips_mock" / "dashboard"

SCENARIO = """
ips_mock: 1
clock: {start: "2026-01-05T09:00:00-08:00", zone: America/Los_Angeles}
companies: [{name: Example, id: 100}]
users: [{email: admin@example.com, password: password, role: IpsAdmin, companies: [Example]}]
behaviours:
  - {match: {name: "warn-*"}, start_delay: 1s, duration: 2m, warning_items: 1}
  - {match: {name: "*"}, start_delay: 1s, duration: 2m}
"""


@pytest.fixture
def app() -> StandaloneApp:
    return StandaloneApp(load_scenario_text(SCENARIO, name="dashboard.yaml"))


def _submit(app: StandaloneApp, name: str, **fields: Any) -> str:
    soap = SoapTestClient(app)
    job = upload_urls_job("https://images.example.com/a.jpg", "https://images.example.com/b.jpg", **fields)
    return soap.call("submitJob", {"companyHandle": "c|100", "jobName": name, "uploadUrlsJob": job}).text("jobHandle")


def _get(app: StandaloneApp, path: str, **headers: str) -> Any:
    return Client(app).get(path, headers=headers)


@pytest.mark.parametrize("prefix", ["", "/t/alice"])
def test_the_page_and_its_files_are_served_under_the_admin_prefix(app: StandaloneApp, prefix: str) -> None:
    redirect = _get(app, f"{prefix}/__admin/ui")
    assert (redirect.status_code, redirect.headers["Location"]) == (308, "ui/")  # relative: the prefix stays
    page = _get(app, f"{prefix}/__admin/ui/")
    assert (page.status_code, page.mimetype) == (200, "text/html")
    assert '<script src="dashboard.js" defer></script>' in page.get_data(as_text=True)
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert page.headers["Referrer-Policy"] == "no-referrer"
    for name, mimetype in [("dashboard.js", "text/javascript"), ("dashboard.css", "text/css")]:
        reply = _get(app, f"{prefix}/__admin/ui/{name}")
        assert (reply.status_code, reply.mimetype) == (200, mimetype)
        assert reply.get_data() == (FILES / name).read_bytes()
    missing = _get(app, f"{prefix}/__admin/ui/../state")
    assert (missing.status_code, missing.mimetype) == (404, "application/json")
    assert Client(app).post(f"{prefix}/__admin/ui/", json={}).status_code == 405
    # Showing the page creates no tenant: only its data requests (admin API calls) do.
    assert json.loads(_get(app, "/__admin/").get_data())["tenants"] == []


def test_with_a_token_the_page_is_served_but_its_data_needs_the_token() -> None:
    app = StandaloneApp(load_scenario_text(SCENARIO, name="dashboard.yaml"), policy=AdminPolicy(token="s3cret"))
    assert _get(app, "/__admin/ui/?token=wrong").status_code == 200  # static: no state in it
    assert _get(app, "/__admin/state").status_code == 401
    assert _get(app, "/__admin/state", Authorization="Bearer s3cret").status_code == 200


def test_the_page_loads_nothing_from_another_origin() -> None:
    for name in ["index.html", "dashboard.js", "dashboard.css"]:
        text = (FILES / name).read_text()
        assert not re.search(r"https?://|//[a-z0-9.-]+\.[a-z]{2,}/|@import|url\(", text), name
    html = (FILES / "index.html").read_text()
    # Its own two files, and an empty icon so the browser asks for no /favicon.ico.
    assert re.findall(r'(?:src|href)="([^"]+)"', html) == ["dashboard.css", "data:,", "dashboard.js"]


def test_the_admin_index_lists_the_dashboard() -> None:
    assert "GET /__admin/ui/" in ADMIN_ROUTES


def test_state_gives_runs_their_job_end_and_outcome(app: StandaloneApp) -> None:
    _submit(app, "good", emailSetting="All", postHttpUrl="https://hooks.example.com/done")
    Client(app).post("/__admin/clock/advance", json={"by": "1m"})
    _submit(app, "warn-1")
    _submit(app, "stop-me")
    Client(app).post("/__admin/clock/advance", json={"by": "10s"})
    soap = SoapTestClient(app)
    run = soap.call("getActiveJobs", {"companyHandle": "c|100", "originalName": "stop-me"}).text(
        "jobArray/items/jobHandle"
    )
    soap.call("stopJob", {"companyHandle": "c|100", "jobHandle": run}).ok()
    Client(app).post("/__admin/clock/advance", json={"by": "5m"})
    state = json.loads(_get(app, "/__admin/state").get_data())

    assert state["zone"] == "America/Los_Angeles"
    assert [
        (r["jobName"], r["type"], r["company"], r["triggerTime"], r["endedAt"], r["outcome"]) for r in state["runs"]
    ] == [
        ("good", "uploadUrlsJob", "c|100", "2026-01-05T09:00:00.000-08:00", "2026-01-05T09:02:00.000-08:00", "success"),
        (
            "warn-1",
            "uploadUrlsJob",
            "c|100",
            "2026-01-05T09:01:00.000-08:00",
            "2026-01-05T09:03:00.000-08:00",
            "warning",
        ),
        (
            "stop-me",
            "uploadUrlsJob",
            "c|100",
            "2026-01-05T09:01:00.000-08:00",
            "2026-01-05T09:01:11.000-08:00",
            "stopped",
        ),
    ]
    assert [d["company"] for d in state["definitions"]] == ["c|100"] * 3
    first = state["logs"][0]
    assert first["details"] == len(first["entries"])
    assert first["entries"][0] == {
        "logType": "BeginUploadUrls",
        "date": "2026-01-05T09:00:01.000-08:00",
        "message": "Upload has begun!",
        "assetName": None,
    }
    assert {e["assetName"] for e in first["entries"]} == {
        None,
        "a",
        "b",
    }  # asset names: the file names without extension
    assert [(n["kind"], n["jobName"], n["outcome"]) for n in state["outbox"]] == [
        ("email", "good", "success"),
        ("http", "good", "success"),
    ]
    assert state["outbox"][0]["logHandle"] == first["handle"]


def test_a_live_run_has_no_outcome_yet(app: StandaloneApp) -> None:
    _submit(app, "good")
    Client(app).post("/__admin/clock/advance", json={"by": "30s"})
    (run,) = json.loads(_get(app, "/__admin/state").get_data())["runs"]
    assert (run["state"], run["endedAt"], run["outcome"]) == ("Running", None, None)


def test_the_wheel_carries_the_dashboard(tmp_path: Path) -> None:
    (wheel,) = list(WheelBuilder(str(ROOT)).build(directory=str(tmp_path), versions=["standard"]))
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    for name in ["__init__.py", "index.html", "dashboard.js", "dashboard.css"]:
        assert f"ips_mock/dashboard/{name}" in names


def test_the_journal_gives_one_operations_newest_requests_and_the_state_counts_them(app: StandaloneApp) -> None:
    soap = SoapTestClient(app)
    for name in ["Example", "Example", "Other"]:
        soap.call("getCompanyInfo", {"companyName": name})
    _submit(app, "good")
    Client(app).post("/scene7/api/IpsApiService", data="<nonsense/>", content_type="text/xml")

    def journal(query: str) -> list[tuple[int, str | None]]:
        reply = _get(app, f"/__admin/journal{query}")
        assert reply.status_code == 200
        return [(e["seq"], e["operation"]) for e in json.loads(reply.get_data())]

    assert [seq for seq, _ in journal("")] == [1, 2, 3, 4, 5]
    assert journal("?operation=getCompanyInfo&last=2") == [(2, "getCompanyInfo"), (3, "getCompanyInfo")]
    assert journal("?operation=submitJob") == [(4, "submitJob")]
    assert journal("?operation=") == [(5, None)]  # the request that named no operation
    assert journal("?last=0") == []
    assert journal("?last=99") == journal("")
    bad = _get(app, "/__admin/journal?last=-1")
    assert (bad.status_code, json.loads(bad.get_data())["error"]) == (
        400,
        "last must be a whole number of requests, not '-1'",
    )
    counts = json.loads(_get(app, "/__admin/state").get_data())["journal"]
    assert counts == {"entries": 5, "dropped": 0, "operations": {"": 1, "getCompanyInfo": 3, "submitJob": 1}}


def test_the_pages_reads_are_debug_lines_in_the_request_log(
    app: StandaloneApp, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger=LOGGER_NAME)
    logged = Client(RequestLog(app))
    poll = {"X-Ips-Mock-Poll": "dashboard"}  # what the page sends with its reads
    logged.get("/__admin/state", headers=poll).close()
    logged.get("/t/alice/__admin/journal?last=200", headers=poll).close()
    logged.get("/__admin/state").close()
    logged.post("/__admin/clock/advance", json={"by": "1m"}).close()  # a click: news
    logged.get("/__admin/nothing", headers=poll).close()  # a failure is a warning, whoever asks
    assert [(r.levelname, r.getMessage().split()[:2]) for r in caplog.records] == [
        ("DEBUG", ["GET", "/__admin/state"]),
        ("DEBUG", ["GET", "/t/alice/__admin/journal"]),
        ("INFO", ["GET", "/__admin/state"]),
        ("INFO", ["POST", "/__admin/clock/advance"]),
        ("WARNING", ["GET", "/__admin/nothing"]),
    ]
