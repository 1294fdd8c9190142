"""Tenants of the standalone server: created by real requests only, bounded, evicted when idle, deletable."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from typing import Any

import pytest
import requests
from werkzeug.test import Client

from ips_mock import ServerThread
from ips_mock.scenario import DEFAULT_SCENARIO, load_scenario
from ips_mock.standalone import StandaloneApp
from ips_mock.tenants import Tenants, TooManyTenants
from ips_mock.testing import SoapTestClient, auth_header, build_envelope, upload_urls_job


class ManualTime:
    """A monotonic clock the test moves, so idle timeouts need no sleeping."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def time() -> ManualTime:
    return ManualTime()


@pytest.fixture
def app(time: ManualTime) -> StandaloneApp:
    return StandaloneApp(load_scenario(DEFAULT_SCENARIO), max_tenants=3, tenant_idle_timeout=60, monotonic=time)


def _admin(app: StandaloneApp, method: str, path: str, body: Any = None, *, yaml: str | None = None) -> tuple[int, Any]:
    content_type = (
        ("application/yaml" if yaml is not None else "application/json") if method in ("POST", "PUT") else None
    )
    data = yaml if yaml is not None else (json.dumps(body) if body is not None else None)
    response = Client(app).open(path, method=method, data=data, content_type=content_type)
    assert response.mimetype == "application/json"
    return response.status_code, response.get_json()


def _soap(app: StandaloneApp, tenant: str, operation: str = "getCompanyInfo", params: Any = None) -> int:
    response = Client(app).post(
        f"/t/{tenant}/scene7/services/IpsApiService",
        data=build_envelope(operation, params or {"companyName": "Example"}, headers=[auth_header()]),
        content_type="text/xml",
    )
    return response.status_code


def _names(app: StandaloneApp) -> list[str]:
    return list(_admin(app, "GET", "/__admin/")[1]["tenants"])


# ------------------------------------------------------------------------------------------------ creation


@pytest.mark.parametrize(
    "path",
    [
        "/t/junk/nothing",
        "/t/junk/",
        "/t/junk/scene7/webservice/IpsApi-1999-01-01.wsdl",
        "/t/junk/a/b/c/d",
        "/t/junk/__admin/nothing",
        "/t/junk/__admin/clock/advance",  # GET on a POST endpoint: 405
    ],
)
def test_a_url_that_answers_404_or_405_creates_no_tenant(app: StandaloneApp, path: str) -> None:
    assert Client(app).get(path).status_code in (404, 405)
    assert app.tenants == {}


def test_junk_urls_never_lock_new_tenants_out(app: StandaloneApp) -> None:
    """1,000 junk URLs used to create 1,000 tenants, and every new tenant got 503 until a restart."""
    for i in range(1000):
        assert Client(app).get(f"/t/junk{i}/nothing").status_code == 404
    assert _soap(app, "alice") == 200
    assert _names(app) == ["alice"]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/t/alice/scene7/services/IpsApiService"),
        ("GET", "/t/alice/scene7/services/IpsApiService"),
        ("GET", "/t/alice/scene7/webservice/IpsApi-2014-04-03.wsdl"),
        ("GET", "/t/alice/__admin/clock"),
        ("POST", "/t/alice/__admin/reset"),
    ],
)
def test_a_request_that_reaches_an_endpoint_creates_the_tenant(app: StandaloneApp, method: str, path: str) -> None:
    if method == "POST" and "scene7" in path:
        assert _soap(app, "alice") == 200
    elif method == "POST":
        assert _admin(app, method, path)[0] == 200
    else:
        assert Client(app).get(path).status_code == 200
    assert _names(app) == ["alice"]


def test_a_failed_admin_request_creates_no_tenant(app: StandaloneApp) -> None:
    assert _admin(app, "POST", "/t/alice/__admin/clock/advance", {"by": "never"})[0] == 400
    assert _admin(app, "PUT", "/t/alice/__admin/scenario", {"ips_mock": 2})[0] == 400
    assert app.tenants == {}


# ------------------------------------------------------------------------------------------------ lifecycle


def test_the_tenant_idle_longest_makes_room(app: StandaloneApp, time: ManualTime) -> None:
    for name in ("a", "b", "c"):
        assert _soap(app, name) == 200
        time.now += 1
    assert _soap(app, "a") == 200  # a is now the most recent
    assert _soap(app, "d") == 200
    assert _names(app) == ["a", "c", "d"]
    assert _admin(app, "GET", "/__admin/")[1]["limits"] == {
        "maxTenants": 3,
        "tenantIdleTimeout": 60,
        "maxRequestBytes": 10 * 1024 * 1024,
        "maxScenarioBytes": 10 * 1024 * 1024,
        "maxJsonBytes": 64 * 1024,
    }


def test_idle_tenants_are_dropped_after_the_idle_timeout(app: StandaloneApp, time: ManualTime) -> None:
    _admin(app, "POST", "/t/alice/__admin/clock/advance", {"by": "1d"})
    time.now += 30
    assert _soap(app, "bob") == 200
    time.now += 31  # alice idle for 61 s, bob for 31 s
    assert _names(app) == ["bob"]
    # alice comes back as a new tenant, from the server's scenario
    assert _admin(app, "GET", "/t/alice/__admin/clock")[1]["now"] == "2026-01-05T09:00:00.000-08:00"


def test_delete_removes_one_tenant(app: StandaloneApp) -> None:
    for name in ("alice", "bob"):
        assert _soap(app, name) == 200
    assert _admin(app, "DELETE", "/t/alice/__admin/") == (200, {"ok": True, "deleted": "alice"})
    assert _names(app) == ["bob"]
    assert _admin(app, "DELETE", "/t/alice/__admin/") == (404, {"error": "no tenant 'alice'"})
    status, reply = _admin(app, "DELETE", "/__admin/")
    assert (status, reply["allowed"]) == (405, ["GET"])


def test_a_tenant_gets_its_own_scenario(app: StandaloneApp) -> None:
    solo = "ips_mock: 1\ncompanies: [{name: Solo, id: 7}]\nclock: {start: '2030-01-01T00:00:00Z', zone: UTC}\n"
    assert _admin(app, "PUT", "/t/alice/__admin/scenario", yaml=solo) == (
        200,
        {"ok": True, "now": "2030-01-01T00:00:00.000+00:00"},
    )
    _admin(app, "POST", "/t/alice/__admin/clock/advance", {"by": "1h"})
    assert _admin(app, "POST", "/t/alice/__admin/reset")[1]["now"] == "2030-01-01T00:00:00.000+00:00"
    assert [c["name"] for c in _admin(app, "GET", "/t/alice/__admin/state")[1]["companies"]] == ["Solo"]
    assert [c["name"] for c in _admin(app, "GET", "/t/bob/__admin/state")[1]["companies"]] == ["Example", "Other"]
    assert [c["name"] for c in _admin(app, "GET", "/__admin/state")[1]["companies"]] == ["Example", "Other"]


def test_tenant_fakes_take_the_servers_options() -> None:
    stubbed = {
        "ips_mock": 1,
        "companies": [{"name": "Example", "id": 100}],
        "users": [{"email": "admin@example.com", "password": "password", "role": "IpsAdmin", "companies": ["Example"]}],
        "stubs": [{"operation": "getCompanyInfo", "xml": "<getCompanyInfoReturn/>"}],
    }
    app = StandaloneApp(load_scenario(stubbed), max_request_bytes=600, validate_responses=True)
    big = {"companyName": "Example" + " " * 1000}
    for prefix in ("", "/t/alice"):
        client = SoapTestClient(app)
        client.path = f"{prefix}/scene7/services/IpsApiService"
        client.call("getCompanyInfo", big).assert_fault(30003, "The request body exceeds the limit of 600 bytes")
        # The stub's reply lacks companyInfo: only a fake that validates its replies notices.
        Client(app).post(
            client.path,
            data=build_envelope("getCompanyInfo", {"companyName": "Example"}, headers=[auth_header()]),
            content_type="text/xml",
        )
        problems = _admin(app, "GET", f"{prefix}/__admin/verify")[1]["problems"]
        assert any("getCompanyInfo reply does not match the IPS schema" in p for p in problems), problems


def test_the_registry_refuses_only_when_every_tenant_has_a_request_in_flight() -> None:
    tenants = Tenants(lambda: StandaloneApp(load_scenario(DEFAULT_SCENARIO)).default, max_tenants=2)
    with ExitStack() as held:
        for name in ("a", "b"):
            tenants.confirm(held.enter_context(tenants.using(name)))
        with pytest.raises(TooManyTenants, match="all 2 tenants have a request in flight"), tenants.using("c"):
            pass
    with tenants.using("c") as tenant:
        tenants.confirm(tenant)
    assert tenants.names() == ["a", "c"]  # b, released before a, was idle longest


# ---------------------------------------------------------------------------------------------- concurrency

TENANTS = 50
JOBS_PER_TENANT = 3


@pytest.fixture
def served() -> Iterator[tuple[StandaloneApp, ServerThread]]:
    app = StandaloneApp(load_scenario(DEFAULT_SCENARIO))
    with ServerThread(app) as server:
        yield app, server


def _tenant_traffic(base: str, tenant: int) -> list[int]:
    """One tenant's mixed traffic: submit, read, advance, read state; the HTTP status of each request."""
    session = requests.Session()
    xml = {"Content-Type": "text/xml"}
    statuses = []
    prefix = f"{base}/t/tenant{tenant}"
    for job in range(JOBS_PER_TENANT):
        params = {
            "companyHandle": "c|100",
            "jobName": f"job-{tenant}-{job}",
            "uploadUrlsJob": upload_urls_job("https://images.example.com/a.jpg"),
        }
        envelope = build_envelope("submitJob", params, headers=[auth_header()])
        statuses.append(
            session.post(f"{prefix}/scene7/services/IpsApiService", data=envelope, headers=xml, timeout=30).status_code
        )
        active = build_envelope("getActiveJobs", {"companyHandle": "c|100"}, headers=[auth_header()])
        statuses.append(
            session.post(f"{prefix}/scene7/services/IpsApiService", data=active, headers=xml, timeout=30).status_code
        )
        statuses.append(session.get(f"{base}/t/junk{tenant}-{job}/nothing", timeout=30).status_code)
    advance = session.post(f"{prefix}/__admin/clock/advance", json={"by": "2m"}, timeout=30)
    statuses.append(advance.status_code)
    statuses.append(session.get(f"{prefix}/__admin/state", timeout=30).status_code)
    return statuses


def test_mixed_traffic_over_50_tenants_accounts_for_every_job_once(
    served: tuple[StandaloneApp, ServerThread],
) -> None:
    app, server = served
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(lambda t: _tenant_traffic(server.url, t), range(TENANTS)))
    assert statuses == [[200, 200, 404] * JOBS_PER_TENANT + [200, 200]] * TENANTS
    assert sorted(app.tenants) == sorted(f"tenant{t}" for t in range(TENANTS))
    for tenant in range(TENANTS):
        state = requests.get(f"{server.url}/t/tenant{tenant}/__admin/state", timeout=30).json()
        assert sorted(log["originalJobName"] for log in state["logs"]) == [
            f"job-{tenant}-{job}" for job in range(JOBS_PER_TENANT)
        ]
        assert [r["state"] for r in state["runs"]] == ["Done"] * JOBS_PER_TENANT
    assert requests.get(f"{server.url}/__admin/state", timeout=30).json()["logs"] == []
    assert all(fake.errors == [] for fake in app.tenants.values())


def test_first_requests_racing_to_a_new_tenant_all_land_in_one_fake(served: tuple[StandaloneApp, ServerThread]) -> None:
    app, server = served
    start = threading.Barrier(8)

    def submit(job: int) -> int:
        params = {
            "companyHandle": "c|100",
            "jobName": f"race-{job}",
            "uploadUrlsJob": upload_urls_job("https://images.example.com/a.jpg"),
        }
        envelope = build_envelope("submitJob", params, headers=[auth_header()])
        start.wait(timeout=30)
        url = f"{server.url}/t/shared/scene7/services/IpsApiService"
        return requests.post(url, data=envelope, headers={"Content-Type": "text/xml"}, timeout=30).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert list(pool.map(submit, range(8))) == [200] * 8
    journal = requests.get(f"{server.url}/t/shared/__admin/journal", timeout=30).json()
    assert sorted(e["params"]["jobName"] for e in journal) == [f"race-{job}" for job in range(8)]
    assert list(app.tenants) == ["shared"]
