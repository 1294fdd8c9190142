"""Byte-identity guard: a long, varied job scenario answers exactly the bytes recorded in tests/data.

Several job types and behaviours (waiting, warnings and errors, a fatal error, a stuck run, a follow-on publish),
schedules across the start of daylight saving time, pauseJob / resumeJob / stopJob / deleteJob / executeJob, and
every job query (getActiveJobs, getScheduledJobs, getJobLogs, getJobLogDetails, getAssetJobLogs) read again and
again as virtual time moves. Every reply is compared byte for byte with ``tests/data/reply_identity.txt``, which
was recorded before the job machinery was optimised: a faster scheduler, new indexes or log retention must not
change a single byte.

Re-record only when a reply is meant to change (a deliberate behaviour change, reviewed in the diff of the data
file): ``IPS_MOCK_RECORD_REPLIES=1 .venv/bin/python -m pytest tests/test_reply_identity.py``, then commit the data
file together with the change that explains it. The test fails while recording, so a recording never passes
silently.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any, Final

from ips_mock import FakeIps
from ips_mock.testing import SoapTestClient, upload_urls_job

DATA: Final = Path(__file__).parent / "data" / "reply_identity.txt"
RECORD: Final = os.environ.get("IPS_MOCK_RECORD_REPLIES") == "1"
ADMIN: Final = "admin@example.com"
USER: Final = "user@example.com"

SCENARIO: Final[dict[str, Any]] = {
    "ips_mock": 1,
    "seed": 11,
    # Saturday morning; daylight saving time starts on Sunday 2026-03-08 at 02:00 in Los Angeles.
    "clock": {"start": "2026-03-07T09:00:00-08:00", "zone": "America/Los_Angeles"},
    "companies": [{"name": "Example", "id": 100}, {"name": "Other", "id": 200}],
    "users": [
        {"email": ADMIN, "password": "password", "role": "IpsAdmin", "companies": ["Example", "Other"]},
        {"email": USER, "password": "password", "role": "IpsUser", "companies": ["Example"]},
    ],
    "behaviours": [
        {
            "match": {"name": "slow-*"},
            "start_delay": "2s",
            "waiting": "30s",
            "duration": "5m",
            "steps": [{"at": "1m", "progress": 20, "message": "Fetching"}, {"at": "3m", "progress": 80}],
            "warning_items": 1,
            "error_items": 1,
        },
        {"match": {"name": "broken-*"}, "duration": "2m", "fatal_error": "Disk full"},
        {"match": {"name": "stuck-*"}, "stuck": True, "stop_delay": "5s"},
    ],
    "jobs": [
        {
            "company": "Example",
            "name": "nightly",
            "submitted_by": ADMIN,
            "exec_schedule": "0 0 0 * * ?",
            "job": {"imageServingPublishJob": {"publishType": "Full", "emailSetting": "None"}},
            "past_runs": ["2026-03-05T00:00:00-08:00", "2026-03-06T00:00:00-08:00"],
        },
        {
            "company": "Example",
            "name": "halfhourly",
            "submitted_by": ADMIN,
            "exec_schedule": "*/30 * * * *",
            "job": {"optimizeImagesJob": {"emailSetting": "None"}},
        },
        {
            "company": "Example",
            "name": "dst-skip",  # 02:30 does not exist on 2026-03-08: fires at 03:00
            "submitted_by": ADMIN,
            "exec_schedule": "0 30 2 * * ?",
            "job": {"metadataPublishJob": {}},
        },
        {
            "company": "Other",
            "name": "weekly-other",
            "submitted_by": ADMIN,
            "exec_schedule": "0 0 12 ? * SAT",
            "job": {"videoPublishJob": {"emailSetting": "None"}},
        },
    ],
}

SUBMIT_ORDER: Final = ("companyHandle", "userHandle", "jobName", "locale", "execTime", "execSchedule", "description")
JOB_ORDER: Final = (
    "imageServingPublishJob",
    "uploadDirectoryJob",
    "uploadUrlsJob",
    "optimizeImagesJob",
    "reprocessAssetsJob",
    "exportJob",
)
LOGS_ORDER: Final = ("companyHandle", "userHandle", "sortBy", "sortDirection", "startDate", "endDate", "numRows")
DETAILS_ORDER: Final = (
    "companyHandle",
    "jobHandle",
    "originalName",
    "logTypeArray",
    "recordsPerPage",
    "resultsPage",
    "sortBy",
    "sortDirection",
)

Step = tuple[str, str, dict[str, Any], str] | tuple[str, timedelta]


def _submit(name: str, job: dict[str, Any], **fields: Any) -> Step:
    merged: dict[str, Any] = {"companyHandle": "c|100", "jobName": name} | fields
    params = {k: merged[k] for k in SUBMIT_ORDER if k in merged} | {k: job[k] for k in JOB_ORDER if k in job}
    return ("call", "submitJob", params, ADMIN)


def _call(operation: str, params: dict[str, Any], order: tuple[str, ...] = (), user: str = ADMIN) -> Step:
    if order:
        params = {k: params[k] for k in order if k in params}
    return ("call", operation, params, user)


def _control(operation: str, handle: str) -> Step:
    return _call(operation, {"companyHandle": "c|100", "jobHandle": handle})


def _advance(**delta: float) -> Step:
    return ("advance", timedelta(**delta))


def _queries() -> list[Step]:
    """Every job query, as a poller would send them."""
    return [
        _call("getActiveJobs", {"companyHandle": "c|100"}),
        _call("getActiveJobs", {"includeWaitingJobs": True}),
        _call("getScheduledJobs", {}),
        _call("getJobLogs", {"companyHandle": "c|100", "numRows": 5}, LOGS_ORDER),
        _call("getJobLogs", {"sortDirection": "Ascending", "numRows": 3}, LOGS_ORDER),
        _call("getJobLogs", {"companyHandle": "c|100", "sortBy": "JobName", "numRows": 4}, LOGS_ORDER),
    ]


UPLOAD = {
    "uploadUrlsJob": upload_urls_job(
        ("http://images.example.net/hat.jpg", "hats/hat.jpg"),
        ("http://images.example.net/clip.mp4", "clip.mp4"),
        ("http://images.example.net/doc.pdf", "doc.pdf"),
        ("http://images.example.net/shoe.jpg", "shoe.jpg"),
        postImageServingPublishJob={"publishType": "Incremental", "emailSetting": "None"},
    )
}
DIRECTORY = {
    "uploadDirectoryJob": {
        "serverDir": "/incoming",
        "overwrite": True,
        "readyForPublish": True,
        "includeSubfolders": False,
        "createMask": False,
        "processMetadataFiles": False,
        "emailSetting": "None",
    }
}
REPROCESS = {
    "reprocessAssetsJob": {
        "assetHandleArray": {"items": ["a|100|1|1001", "a|100|1|1002"]},
        "createMask": False,
        "emailSetting": "None",
    }
}
EXPORT = {"exportJob": {"assetHandleArray": {"items": ["a|100|1|1001"]}, "fmt": "orig", "emailSetting": "None"}}
PUBLISH = {"imageServingPublishJob": {"publishType": "Incremental", "emailSetting": "None"}}


def steps() -> Iterator[Step]:
    yield from _queries()
    # An upload with a follow-on publish, watched as it goes.
    yield _submit("upload", UPLOAD, description="four files")
    yield _call("getActiveJobs", {"companyHandle": "c|100"})
    for _ in range(4):
        yield _advance(seconds=16)
        yield _call("getActiveJobs", {"companyHandle": "c|100"})
        yield _call("getJobLogDetails", {"companyHandle": "c|100", "originalName": "upload"}, DETAILS_ORDER)
    yield _advance(seconds=10)
    yield from _queries()
    yield _call("getAssetJobLogs", {"companyHandle": "c|100", "assetHandle": "a|100|1|1001"})
    yield _call("getAssetJobLogs", {"companyHandle": "c|100", "assetHandle": "a|100|1|1003"})
    # Slow runs with warnings and errors, a fatal error, a stuck run; one-shot and directory uploads.
    yield _submit("slow-upload", UPLOAD)
    yield _submit("broken-export", EXPORT)
    yield _submit("stuck-publish", PUBLISH)
    yield _submit("directory", DIRECTORY, execTime="2026-03-07T10:00:00-08:00")
    yield _submit("reprocess", REPROCESS, execSchedule="0 15 * * * ?", description="hourly at :15")
    for seconds in (1, 5, 30, 30, 60, 60, 120):
        yield _advance(seconds=seconds)
        yield _call("getActiveJobs", {"includeWaitingJobs": True})
        yield _call("getJobLogs", {"numRows": 4}, LOGS_ORDER)
    yield _call("getJobLogDetails", {"companyHandle": "c|100", "originalName": "slow-upload"}, DETAILS_ORDER)
    yield _call(
        "getJobLogDetails",
        {"companyHandle": "c|100", "originalName": "broken-export", "sortBy": "LogType", "sortDirection": "Descending"},
        DETAILS_ORDER,
    )
    yield _control("stopJob", "j|100|stuck-publish||")
    yield _call("getActiveJobs", {"companyHandle": "c|100"})
    yield _advance(seconds=6)
    yield _call("getJobLogDetails", {"companyHandle": "c|100", "originalName": "stuck-publish"}, DETAILS_ORDER)
    yield _advance(hours=1)
    yield from _queries()
    yield _call("getJobLogDetails", {"companyHandle": "c|100", "originalName": "directory"}, DETAILS_ORDER)
    # Pause, resume, execute, delete; a name reused.
    yield _control("pauseJob", "j|100|halfhourly||")
    yield _call("getScheduledJobs", {"companyHandle": "c|100"})
    yield _advance(hours=2)
    yield _control("resumeJob", "j|100|halfhourly||")
    yield _control("executeJob", "j|100|reprocess||")
    yield _advance(seconds=20)
    yield _call("getActiveJobs", {})
    yield _control("deleteJob", "j|100|reprocess||")
    yield _call("getActiveJobs", {})
    yield _advance(seconds=5)
    yield _submit("reprocess", EXPORT, execSchedule="0 0 */6 * * ?")
    yield from _queries()
    # Across the start of daylight saving time, in steps of different sizes, each landing in a half-hourly run.
    yield _advance(minutes=23, seconds=19)
    for hours in (6, 7, 1, 1, 1, 4, 9):
        yield _advance(hours=hours)
        yield from _queries()
    yield _advance(days=1, hours=3)
    yield from _queries()
    yield _call("getJobLogs", {"companyHandle": "c|200"}, LOGS_ORDER)
    yield _call(
        "getJobLogs",
        {
            "companyHandle": "c|100",
            "sortBy": "StartDate",
            "startDate": "2026-03-08T01:00:00-08:00",
            "endDate": "2026-03-08T05:00:00-07:00",
        },
        LOGS_ORDER,
    )
    yield _call("getJobLogs", {"companyHandle": "c|100", "userHandle": "u|1", "numRows": 3}, LOGS_ORDER)
    yield _call("getJobLogs", {"sortBy": "FileErrorCount", "sortDirection": "Descending", "numRows": 5}, LOGS_ORDER)
    yield _call("getJobLogDetails", {"companyHandle": "c|100", "originalName": "dst-skip"}, DETAILS_ORDER)
    yield _call(
        "getJobLogDetails",
        {"companyHandle": "c|100", "originalName": "halfhourly", "recordsPerPage": 7, "resultsPage": 2},
        DETAILS_ORDER,
    )
    yield _call(
        "getJobLogDetails",
        {"companyHandle": "c|100", "jobHandle": "j|100||nightly_2026-03-08-00:00:00.000"},
        DETAILS_ORDER,
    )
    yield _call("getAssetJobLogs", {"companyHandle": "c|100", "assetHandle": "a|100|1|1001"})
    yield _call("getActiveJobs", {"companyHandle": "c|100", "jobHandle": "j|100|halfhourly||"}, user=USER)
    yield _call("getJobLogs", {"companyHandle": "c|100", "numRows": 2}, LOGS_ORDER, user=USER)
    yield _call("stopJob", {"companyHandle": "c|100", "jobHandle": "j|100||upload_2026-03-07-09:00:00.000"})
    yield _call("getScheduledJobs", {"jobHandle": "j|100|nightly||"})


def _replay() -> list[str]:
    fake = FakeIps(SCENARIO)
    client = SoapTestClient(fake)
    records = []
    for index, step in enumerate(steps()):
        if step[0] == "advance":
            fake.advance(step[1])
            continue
        _, operation, params, user = step
        reply = client.call(operation, params, user=user)
        records.append(f"### {index} {operation} {reply.status}\n{reply.body.decode()}\n")
    return records


def _read_records(text: str) -> list[str]:
    return [f"### {chunk}" for chunk in text.split("### ")[1:]]


def test_replies_are_the_recorded_bytes() -> None:
    records = _replay()
    if RECORD:
        DATA.parent.mkdir(exist_ok=True)
        DATA.write_text("".join(records), encoding="utf-8")
        raise AssertionError(f"recorded {len(records)} replies in {DATA}; unset IPS_MOCK_RECORD_REPLIES and rerun")
    if not DATA.is_file():
        raise AssertionError(f"{DATA} is missing: record it with IPS_MOCK_RECORD_REPLIES=1 (see this module's doc)")
    expected = _read_records(DATA.read_text(encoding="utf-8"))
    for got, want in zip(records, expected, strict=False):
        if got != want:
            diff = "\n".join(difflib.unified_diff(want.splitlines(), got.splitlines(), "recorded", "now", lineterm=""))
            raise AssertionError(f"reply differs from the recording:\n{diff[:6000]}")
    assert len(records) == len(expected), f"{len(records)} replies now, {len(expected)} recorded"


def test_the_recording_covers_every_job_query_and_control() -> None:
    operations = {record.split()[2] for record in _read_records(DATA.read_text(encoding="utf-8"))}
    assert operations >= {
        "submitJob",
        "getActiveJobs",
        "getScheduledJobs",
        "getJobLogs",
        "getJobLogDetails",
        "getAssetJobLogs",
        "pauseJob",
        "resumeJob",
        "stopJob",
        "deleteJob",
        "executeJob",
    }
