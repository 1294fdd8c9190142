"""Bugs found in review, each reproduced as it was reported, so they stay fixed."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import freezegun
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
