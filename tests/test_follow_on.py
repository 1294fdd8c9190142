"""Follow-on publish jobs of upload jobs (IPS-REFERENCE §8.3): a separate run started when the upload ends."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from ips_mock import FakeIps
from ips_mock.model.behaviour import Behaviour
from ips_mock.testing import SoapTestClient, upload_urls_job

URL = "https://images.example.com/a.jpg"


def _upload(*, only_if_files: bool | None = None, **post: Any) -> dict[str, Any]:
    options = post if only_if_files is None else {"postJobOnlyIfFiles": only_if_files, **post}
    return {"companyHandle": "c|100", "jobName": "up", "uploadUrlsJob": upload_urls_job(URL, **options)}


@pytest.mark.parametrize(
    ("field", "job", "type_name"),
    [
        ("postImageServingPublishJob", {"publishType": "Incremental", "emailSetting": "None"}, "ImageServingPublish"),
        ("postImageRenderingPublishJob", {"emailSetting": "None"}, "ImageRenderingPublish"),
        ("postVideoPublishJob", {"emailSetting": "None"}, "VideoPublish"),
    ],
)
def test_the_follow_on_runs_when_the_upload_ends(
    fake: FakeIps, client: SoapTestClient, field: str, job: dict[str, Any], type_name: str
) -> None:
    assert not client.call("submitJob", _upload(**{field: job})).is_fault
    fake.advance(timedelta(seconds=59))
    assert [r.definition.job_type for r in fake.state.runs.values()] == ["uploadUrlsJob"]
    fake.advance(timedelta(seconds=2))  # the upload ended at 60 s; its follow-on fired then
    reply = client.call("getActiveJobs", {"companyHandle": "c|100"})
    assert reply.text("jobArray/items/name") == f"up_2026-01-05-09:00:00.000-{type_name}"
    assert reply.text("jobArray/items/type") == type_name
    assert reply.text("jobArray/items/originalName") == "up"
    assert reply.text("jobArray/items/triggerTime") == "2026-01-05T09:01:00.000-08:00"
    fake.advance(timedelta(minutes=2))
    follow_on_log = f"j|100||up_2026-01-05-09:00:00.000-{type_name}"
    details = client.call(
        "getJobLogDetails",
        {"companyHandle": "c|100", "jobHandle": follow_on_log, "logTypeArray": {"items": ["InitiatingJobName"]}},
    )
    assert details.text("jobLogArray/items/detailArray/items/logMessage") == "up_2026-01-05-09:00:00.000"
    assert [log.original_job_name for log in fake.state.logs] == ["up", "up"]


@pytest.mark.parametrize(
    ("behaviour", "only_if_files", "expected_runs"),
    [
        (Behaviour(error_items=1), True, 1),  # no file came in: postJobOnlyIfFiles holds the publish back
        (Behaviour(error_items=1), False, 2),
        (Behaviour(warning_items=1), True, 2),  # a file with a warning still came in
        (Behaviour(fatal_error="disk full"), None, 1),  # a failed upload starts nothing
    ],
)
def test_when_the_follow_on_is_held_back(
    fake: FakeIps, client: SoapTestClient, behaviour: Behaviour, only_if_files: bool | None, expected_runs: int
) -> None:
    fake.service.behaviours = lambda name, job_type: behaviour if job_type == "uploadUrlsJob" else Behaviour()
    publish = {"postImageServingPublishJob": {"publishType": "Full", "emailSetting": "None"}}
    client.call("submitJob", _upload(only_if_files=only_if_files, **publish))
    fake.advance(timedelta(minutes=5))
    assert len(fake.state.runs) == expected_runs


def test_a_stopped_upload_starts_no_follow_on(fake: FakeIps, client: SoapTestClient) -> None:
    client.call("submitJob", _upload(postVideoPublishJob={"emailSetting": "None"}))
    fake.advance(timedelta(seconds=10))
    client.call("stopJob", {"companyHandle": "c|100", "jobHandle": "j|100|up||"})
    fake.advance(timedelta(minutes=5))
    assert len(fake.state.runs) == 1


def test_two_follow_on_jobs_are_refused(client: SoapTestClient) -> None:
    reply = client.call(
        "submitJob",
        _upload(
            postImageServingPublishJob={"publishType": "Full", "emailSetting": "None"},
            postVideoPublishJob={"emailSetting": "None"},
        ),
    )
    assert reply.code == 30001
    assert "at most one follow-on publish job" in (reply.reason or "")
