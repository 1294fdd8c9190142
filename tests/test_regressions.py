"""Bugs found in review, each reproduced as it was reported, so they stay fixed."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import freezegun
import pytest
import requests

from ips_mock import FakeIps, ServerThread
from ips_mock.testing import SoapTestClient, auth_header, build_envelope

LA = ZoneInfo("America/Los_Angeles")
PUBLISH = {"imageServingPublishJob": {"publishType": "Full", "emailSetting": "None"}}


def test_a_deleted_jobs_pending_fire_never_runs_a_new_job_of_the_same_name(client: SoapTestClient) -> None:
    client.call(
        "submitJob",
        {"companyHandle": "c|100", "jobName": "nightly", "execTime": "2026-01-06T00:00:00-08:00", **PUBLISH},
    )
    client.call("deleteJob", {"companyHandle": "c|100", "jobHandle": "j|100|nightly||"})
    client.call(
        "submitJob",
        {"companyHandle": "c|100", "jobName": "nightly", "execTime": "2026-01-07T00:00:00-08:00", **PUBLISH},
    )
    fake: FakeIps = client.client.application  # type: ignore[assignment]
    fake.advance(timedelta(hours=16))  # past Tuesday midnight, the deleted job's time
    assert fake.state.runs == {}
    fake.advance(timedelta(days=1))  # past Wednesday midnight
    assert [r.name for r in fake.state.runs.values()] == ["nightly_2026-01-07-00:00:00.000"]


def test_the_manual_clock_adds_real_time_across_dst() -> None:
    fake = FakeIps(start=datetime(2026, 3, 7, 12, tzinfo=LA))
    fake.advance(timedelta(hours=24))
    assert fake.now().isoformat() == "2026-03-08T13:00:00-07:00"  # 24 real hours, one of them skipped
    fake = FakeIps(start=datetime(2026, 10, 31, 12, tzinfo=LA))
    fake.move_to(datetime(2026, 11, 2, 12, tzinfo=UTC))
    assert fake.clock.now() == datetime(2026, 11, 2, 12, tzinfo=UTC)


def test_the_fake_keeps_serving_after_a_freezer_stops(client: SoapTestClient) -> None:
    with freezegun.freeze_time("2026-02-01T12:00:00Z"):
        assert not client.call("checkLogin", {"email": "user@example.com", "password": "password"}).is_fault
    reply = client.call("checkLogin", {"email": "user@example.com", "password": "password"})
    assert not reply.is_fault, reply.reason
    fake: FakeIps = client.client.application  # type: ignore[assignment]
    assert fake.now() == datetime(2026, 2, 1, 12, tzinfo=UTC)  # it carries on from the frozen time


def test_requests_in_flight_at_once_get_distinct_journal_numbers() -> None:
    fake = FakeIps(
        {
            "ips_mock": 1,
            "companies": [{"name": "Example", "id": 100}],
            "users": [
                {"email": "admin@example.com", "password": "password", "role": "IpsAdmin", "companies": ["Example"]}
            ],
            "faults": [{"match": {"operation": "getCompanyInfo"}, "delay": "300ms"}],
        }
    )
    with ServerThread(fake) as server:
        url = server.url + "/scene7/services/IpsApiService"
        headers = {"Content-Type": "text/xml"}
        slow = build_envelope("getCompanyInfo", {"companyName": "Example"}, headers=[auth_header()])
        fast = build_envelope(
            "checkLogin", {"email": "admin@example.com", "password": "password"}, headers=[auth_header()]
        )
        thread = threading.Thread(target=lambda: requests.post(url, data=slow, headers=headers, timeout=10))
        thread.start()  # the slow call sleeps 300 ms inside the fake; the fast one overtakes it
        requests.post(url, data=fast, headers=headers, timeout=10)
        thread.join()
    seqs = [e.seq for e in fake.journal]
    assert sorted(seqs) == seqs
    assert len(set(seqs)) == 2


def test_a_control_character_in_a_basic_user_gets_an_authentication_fault(fake: FakeIps) -> None:
    import base64

    client = SoapTestClient(fake)
    token = base64.b64encode(b"bad\x01user@example.com:pw").decode()
    reply = client.call(
        "checkLogin", {"email": "a", "password": "b"}, headers=[], http_headers={"Authorization": f"Basic {token}"}
    )
    assert (reply.code, reply.fault_kind) == (10002, "authenticationFault")
    assert "bad\ufffduser@example.com" in (reply.reason or "")
    assert [e.fault_code for e in fake.journal] == [10002]
    assert fake.errors == []


@pytest.mark.parametrize("status", ["²", "100", "204", "304", "600"])
def test_fault_http_status_codes_that_cannot_carry_a_fault_are_30001(client: SoapTestClient, status: str) -> None:
    reply = client.call(
        "checkLogin", {"email": "a", "password": "b"}, headers=[auth_header(faultHttpStatusCode=status)]
    )
    assert (reply.code, reply.status) == (30001, 500)


@pytest.mark.parametrize(
    ("operation", "params", "code"),
    [
        ("getCompanyInfo", {"companyHandle": "c|²"}, 20000),
        ("getCompanyInfo", {"companyHandle": "c|\u0661\u0660\u0660"}, 20000),  # Arabic-Indic digits: not an id
        ("stopJob", {"companyHandle": "c|100", "jobHandle": "j|²|x||"}, 30001),
        (
            "submitJob",
            {"companyHandle": "c|100", "jobName": "far", "execTime": "9999-12-31T23:59:59-14:00", **PUBLISH},
            30001,
        ),
        ("getJobLogs", {"startDate": "9999-12-31T23:59:59"}, 30001),
    ],
)
def test_odd_values_get_ips_faults_not_internal_errors(
    fake: FakeIps, client: SoapTestClient, operation: str, params: dict[str, object], code: int
) -> None:
    assert client.call(operation, params).code == code
    assert fake.errors == []


def test_a_bad_service_url_is_a_400(fake: FakeIps) -> None:
    from werkzeug.test import Client

    response = Client(fake).get("/scene7/webservice/IpsApi-2014-04-03.wsdl?serviceUrl=%01")
    assert (response.status_code, response.mimetype) == (400, "text/plain")
    assert fake.errors == []


def test_a_year_bound_schedule_fires_in_its_year(client: SoapTestClient) -> None:
    client.call(
        "submitJob", {"companyHandle": "c|100", "jobName": "next-year", "execSchedule": "0 * * * * ? 2027", **PUBLISH}
    )
    reply = client.call("getScheduledJobs", {"companyHandle": "c|100"})
    assert reply.text("jobArray/items/nextFireTime") == "2027-01-01T00:00:00.000-08:00"


def test_get_scheduled_jobs_refuses_another_companys_handle(client: SoapTestClient) -> None:
    assert client.call("getScheduledJobs", {"jobHandle": "j|200|theirs||"}, user="user@example.com").code == 20006


def test_stubs_work_with_reply_validation_on_and_naive_dates_are_server_time() -> None:
    scenario = {
        "ips_mock": 1,
        "companies": [{"name": "Example", "id": 100}],
        "users": [{"email": "admin@example.com", "password": "password", "role": "IpsAdmin", "companies": ["Example"]}],
        "stubs": [
            {
                "operation": "getCompanyInfo",
                "fields": {
                    "companyInfo": {
                        "companyHandle": "c|1",
                        "name": "X",
                        "rootPath": "X/",
                        "expires": "2030-01-01T00:00:00",
                    }
                },
            },
            {"operation": "getUserInfo", "xml": "<getUserInfoReturn><anything/></getUserInfoReturn>"},
        ],
    }
    fake = FakeIps(scenario, validate_responses=True)
    client = SoapTestClient(fake)
    assert (
        client.call("getCompanyInfo", {"companyHandle": "c|100"}).text("companyInfo/expires")
        == "2030-01-01T00:00:00.000-08:00"
    )
    from werkzeug.test import Client

    from ips_mock.testing import build_envelope as envelope

    Client(fake).post(
        "/scene7/services/IpsApiService",
        data=envelope("getUserInfo", {}, headers=[auth_header()]),
        headers={"Content-Type": "text/xml"},
    )
    assert fake.errors == []


def test_replay_reports_transport_faults_instead_of_crashing(tmp_path: Path) -> None:
    from ips_mock.replay import replay

    path = tmp_path / "garbage.yaml"
    path.write_text(
        "ips_mock: 1\ncompanies: [{name: Example, id: 100}]\n"
        "users: [{email: admin@example.com, password: password, role: IpsAdmin, companies: [Example]}]\n"
        "faults: [{match: {operation: getCompanyInfo}, garbage: 16}, {match: {operation: checkLogin}, drop: true}]\n"
        "timeline:\n"
        "  - {call: getCompanyInfo, params: {companyHandle: 'c|100'}, expect: {ok: true}}\n"
        "  - {call: checkLogin, params: {email: a, password: b}, expect: {ok: true}}\n"
    )
    results, _ = replay(path)
    assert [r.problem for r in results] == [
        "expected a SOAP reply, got HTTP 200 that is not a SOAP reply",
        "expected a SOAP reply, got a dropped connection",
    ]


def test_timeline_checks_know_advance_and_the_steps_version(tmp_path: Path) -> None:
    from ips_mock import ScenarioError

    base = (
        "ips_mock: 1\ncompanies: [{name: Example, id: 100}]\n"
        "users: [{email: admin@example.com, password: password, role: IpsAdmin, companies: [Example]}]\n"
        "clock: {start: 2026-01-05T09:00:00-08:00}\ntimeline:\n"
    )
    path = tmp_path / "back.yaml"
    path.write_text(base + "  - advance: 1d\n  - move_to: 2026-01-05T12:00:00-08:00\n")
    with pytest.raises(ScenarioError, match=r"back.yaml:7: timeline\[1\].move_to: .* goes back in time"):
        FakeIps(path)
    path = tmp_path / "version.yaml"
    path.write_text(base + "  - {call: getActiveJobs, version: 2013-02-15, params: {includeWaitingJobs: true}}\n")
    with pytest.raises(
        ScenarioError, match=r"version.yaml:6: timeline\[0\].params: Unknown field 'includeWaitingJobs'"
    ):
        FakeIps(path)


def test_tenant_names_dot_and_dotdot_are_not_tenants() -> None:
    from werkzeug.test import Client

    from ips_mock.scenario import DEFAULT_SCENARIO, load_scenario
    from ips_mock.standalone import StandaloneApp

    app = StandaloneApp(load_scenario(DEFAULT_SCENARIO))
    for name in (".", ".."):
        environ = {"PATH_INFO": f"/t/{name}/__admin/clock"}
        response = Client(app).get("/", environ_overrides=environ)
        assert response.status_code == 404
    assert app.tenants == {}


def test_admin_answers_huge_clock_moves_with_json_400() -> None:
    from werkzeug.test import Client

    from ips_mock.scenario import DEFAULT_SCENARIO, load_scenario
    from ips_mock.standalone import StandaloneApp

    app = StandaloneApp(load_scenario(DEFAULT_SCENARIO))
    for body in ({"seconds": 1e300}, {"by": "999999999d"}):
        response = Client(app).post("/__admin/clock/advance", json=body)
        assert (response.status_code, response.mimetype) == (400, "application/json")


def test_admin_state_is_consistent_while_jobs_are_submitted() -> None:
    from werkzeug.test import Client

    from ips_mock.scenario import DEFAULT_SCENARIO, load_scenario
    from ips_mock.standalone import StandaloneApp

    app = StandaloneApp(load_scenario(DEFAULT_SCENARIO))
    soap = SoapTestClient(app)
    failures: list[BaseException] = []

    def submit() -> None:
        try:
            for i in range(150):
                soap.call("submitJob", {"companyHandle": "c|100", "jobName": f"j{i}", **PUBLISH})
        except BaseException as exc:  # pragma: no cover - reported below
            failures.append(exc)

    thread = threading.Thread(target=submit)
    thread.start()
    admin = Client(app)
    statuses = [admin.get("/__admin/state").status_code for _ in range(60)]
    thread.join()
    assert failures == []
    assert set(statuses) == {200}
    assert len(admin.get("/__admin/state").get_json()["runs"]) == 150
