"""What IPS would send when a run ends is recorded in fake.state.outbox (IPS-REFERENCE §8.1, §8.2), never sent."""

from __future__ import annotations

from datetime import timedelta

import pytest

from ips_mock import FakeIps
from ips_mock.model.behaviour import Behaviour
from ips_mock.testing import SoapTestClient, upload_urls_job

URLS = [f"https://images.example.com/{n}.jpg" for n in "abc"]


def _outcome_behaviour(outcome: str) -> Behaviour:
    return {
        "success": Behaviour(),
        "warning": Behaviour(warning_items=1),
        "error": Behaviour(error_items=1),
        "fatal": Behaviour(fatal_error="disk full"),
    }[outcome]


@pytest.mark.parametrize(
    ("setting", "outcome", "emailed"),
    [
        ("All", "success", True),
        ("JobCompletion", "success", True),
        ("Error", "success", False),
        ("Error", "error", True),
        ("Error", "fatal", True),
        ("Error", "warning", False),
        ("ErrorAndWarning", "warning", True),
        ("ErrorAndWarning", "error", True),
        ("ErrorAndWarning", "success", False),
        ("None", "error", False),
    ],
)
def test_email_follows_email_setting(
    fake: FakeIps, client: SoapTestClient, setting: str, outcome: str, emailed: bool
) -> None:
    fake.service.behaviours = lambda name, job_type: _outcome_behaviour(outcome)
    client.call(
        "submitJob",
        {"companyHandle": "c|100", "jobName": "u", "uploadUrlsJob": upload_urls_job(*URLS, emailSetting=setting)},
    )
    fake.advance(timedelta(minutes=2))
    emails = [n for n in fake.state.outbox if n.kind == "email"]
    assert [(n.to, n.outcome) for n in emails] == (
        [("admin@example.com", "error" if outcome == "fatal" else outcome)] if emailed else []
    )


def test_email_goes_to_the_user_handle_and_records_the_stop(fake: FakeIps, client: SoapTestClient) -> None:
    reply = client.call(
        "submitJob",
        {
            "companyHandle": "c|100",
            "userHandle": "u|2",
            "jobName": "u",
            "uploadUrlsJob": upload_urls_job(*URLS, emailSetting="All"),
        },
    )
    assert not reply.is_fault, reply.reason
    fake.advance(timedelta(seconds=20))
    client.call("stopJob", {"companyHandle": "c|100", "jobHandle": "j|100|u||"})
    fake.advance(timedelta(seconds=5))
    (email,) = fake.state.outbox
    assert (email.kind, email.to, email.outcome, email.run_name) == (
        "email",
        "user@example.com",
        "stopped",
        "u_2026-01-05-09:00:00.000",
    )
    assert email.at.isoformat() == "2026-01-05T17:00:21+00:00"


def test_completion_and_post_urls_are_recorded_not_called(fake: FakeIps, client: SoapTestClient) -> None:
    client.call(
        "submitJob",
        {
            "companyHandle": "c|100",
            "jobName": "publish",
            "imageServingPublishJob": {
                "publishType": "Full",
                "emailSetting": "None",
                "httpCompletionUrl": "https://x.example/done",
            },
        },
    )
    client.call(
        "submitJob",
        {
            "companyHandle": "c|100",
            "jobName": "upload",
            "uploadUrlsJob": upload_urls_job(*URLS, postHttpUrl="https://x.example/post"),
        },
    )
    assert fake.state.outbox == []  # nothing before the runs end
    fake.advance(timedelta(minutes=2))
    assert [(n.kind, n.to, n.job_name, n.outcome) for n in fake.state.outbox] == [
        ("http", "https://x.example/done", "publish", "success"),
        ("http", "https://x.example/post", "upload", "success"),
    ]
