"""executeJob, stopJob, pauseJob, resumeJob, deleteJob and the getActiveJobs filters, as the README's Choices say.

The rows this file checks: executeJob, stopJob, pauseJob / resumeJob, deleteJob, Reusing a job name, Overlapping
runs, includeWaitingJobs, getActiveJobs without companyHandle, getActiveJobs with a finished or unknown handle,
Ordering, Run name collisions, Job-operation errors (handles), and "The default run" of "Jobs and time".
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from lxml import etree

from ips_mock import FakeIps
from ips_mock.model.behaviour import Behaviour
from ips_mock.testing import SoapReply, SoapTestClient, upload_urls_job

JOB_ELEMENTS = ("uploadUrlsJob", "optimizeImagesJob")  # the two used here, in submitJobParam order
SUBMIT_ORDER = ("companyHandle", "userHandle", "jobName", "locale", "execTime", "execSchedule", "description")
OPTIMIZE = {"optimizeImagesJob": {"emailSetting": "None"}}
CONTROL_OPERATIONS = ("executeJob", "stopJob", "pauseJob", "resumeJob", "deleteJob")
FAULT_ELEMENTS = frozenset({"ipsApiFault", "authenticationFault", "authorizationFault"})
LA = ZoneInfo("America/Los_Angeles")

# Two companies and a user in both (the default scenario has none).
TWO_COMPANIES: dict[str, Any] = {
    "ips_mock": 1,
    "companies": [{"name": "Example", "id": 100}, {"name": "Other", "id": 200}],
    "users": [
        {"email": "both@example.com", "password": "password", "role": "IpsAdmin", "companies": ["Example", "Other"]},
        {"email": "solo@example.com", "password": "password", "role": "IpsAdmin", "companies": ["Example"]},
    ],
}


def _urls(count: int) -> dict[str, Any]:
    return {
        "uploadUrlsJob": upload_urls_job(*((f"http://images.example.net/{i}.jpg", f"{i}.jpg") for i in range(count)))
    }


def _submit_reply(
    client: SoapTestClient,
    name: str,
    jobs: Mapping[str, Any] = OPTIMIZE,
    *,
    user: str = "admin@example.com",
    **fields: Any,
) -> SoapReply:
    merged: dict[str, Any] = {"companyHandle": "c|100", "jobName": name} | fields
    params = {k: merged[k] for k in SUBMIT_ORDER if k in merged} | {k: jobs[k] for k in JOB_ELEMENTS if k in jobs}
    return client.call("submitJob", params, user=user)


def _submit(
    client: SoapTestClient,
    name: str,
    jobs: Mapping[str, Any] = OPTIMIZE,
    *,
    user: str = "admin@example.com",
    **fields: Any,
) -> str:
    return _submit_reply(client, name, jobs, user=user, **fields).ok().text("jobHandle")


def _control(
    client: SoapTestClient, operation: str, handle: str, *, company: str = "c|100", user: str = "admin@example.com"
) -> SoapReply:
    return client.call(operation, {"companyHandle": company, "jobHandle": handle}, user=user)


def _do(client: SoapTestClient, operation: str, handle: str, **kw: str) -> None:
    reply = _control(client, operation, handle, **kw).ok()
    assert list(reply.payload) == []


def _local(el: etree._Element) -> str:
    return etree.QName(el).localname


def _rows(reply: SoapReply, *fields: str) -> list[tuple[str, ...]]:
    """The named fields of every item of the reply's one array."""
    (array,) = list(reply.ok().payload)
    return [tuple(item.findtext(f"{{*}}{f}") or "" for f in fields) for item in array]


def _active(client: SoapTestClient, *fields: str, user: str = "admin@example.com", **params: Any) -> list[Any]:
    """getActiveJobs rows: (jobHandle, state) unless other fields are named."""
    rows = _rows(client.call("getActiveJobs", params, user=user), *(fields or ("jobHandle", "state")))
    return [r[0] if len(r) == 1 else r for r in rows]


def _scheduled(client: SoapTestClient, **params: Any) -> list[tuple[str, ...]]:
    return _rows(client.call("getScheduledJobs", params), "jobHandle", "triggerState", "nextFireTime")


def _log_types(client: SoapTestClient, name: str) -> list[list[str]]:
    reply = client.call("getJobLogDetails", {"companyHandle": "c|100", "originalName": name})
    (array,) = list(reply.ok().payload)
    return [[d.findtext("{*}logType") or "" for d in log.iterfind("{*}detailArray/{*}items")] for log in array]


RUN_0900 = "j|100||{name}_2026-01-05-09:00:00.000|{id}"


# --------------------------------------------------------------------------------------------- default run


def test_default_run_goes_new_running_progress_done(fake: FakeIps, client: SoapTestClient) -> None:
    handle = _submit(client, "life", _urls(4))
    fields = ("state", "progress", "lastProgressUpdate")
    seen = [_active(client, *fields, jobHandle=handle)]
    for seconds in (1, 14, 15, 15, 14, 1):  # t = 1, 15, 30, 45, 59, 60
        fake.advance(timedelta(seconds=seconds))
        seen.append(_active(client, *fields, jobHandle=handle))
    assert seen == [
        [("New", "0", "2026-01-05T09:00:00.000-08:00")],
        [("Running", "0", "2026-01-05T09:00:01.000-08:00")],
        [("Running", "25", "2026-01-05T09:00:15.000-08:00")],
        [("Running", "50", "2026-01-05T09:00:30.000-08:00")],
        [("Running", "75", "2026-01-05T09:00:45.000-08:00")],
        [("Running", "75", "2026-01-05T09:00:45.000-08:00")],
        [],
    ]


def test_running_upload_reports_its_task_progress(fake: FakeIps, client: SoapTestClient) -> None:
    handle = _submit(client, "task", _urls(4))
    fake.advance(timedelta(seconds=15))
    (item,) = list(client.call("getActiveJobs", {"jobHandle": handle}).ok().payload[0])
    (task,) = item.iterfind("{*}taskProgressArray/{*}items")
    assert {_local(c): c.text or "" for c in task} == {
        "taskType": "com.scene7.upload.UploadAsyncTaskMonitor",
        "taskState": "Processing",
        "numProcessed": "1",
        "numProcessing": "0",
        "numPending": "3",
        "progress": "0.25",
        "progressMessage": "",
        "lastProgressUpdate": "2026-01-05T09:00:15.000-08:00",
        "taskItemProgressArray": "",
    }
    assert [item.findtext(f"{{*}}{f}") for f in ("serverName", "startDate", "triggerTime", "totalSize")] == [
        "ips-mock-1",
        "2026-01-05T09:00:00.000-08:00",
        "2026-01-05T09:00:00.000-08:00",
        "0",
    ]


# ---------------------------------------------------------------------------------------------- executeJob


def test_execute_job_adds_one_immediate_run_and_leaves_the_trigger_alone(client: SoapTestClient) -> None:
    handle = _submit(client, "nightly", execSchedule="0 0 * * *")
    _do(client, "executeJob", handle)
    assert _active(client) == [(RUN_0900.format(name="nightly", id=1001), "New")]
    assert _scheduled(client) == [(handle, "Normal", "2026-01-06T00:00:00.000-08:00")]


def test_execute_job_runs_a_one_shot_job_that_already_fired(fake: FakeIps, client: SoapTestClient) -> None:
    handle = _submit(client, "once")
    fake.advance(timedelta(seconds=61))
    assert _active(client) == []
    _do(client, "executeJob", handle)
    assert _active(client) == [("j|100||once_2026-01-05-09:01:01.000|1002", "New")]


def test_execute_job_works_on_a_paused_job(client: SoapTestClient) -> None:
    handle = _submit(client, "paused", execSchedule="0 0 * * *")
    _do(client, "pauseJob", handle)
    _do(client, "executeJob", handle)
    assert _active(client, "jobHandle") == [RUN_0900.format(name="paused", id=1001)]
    assert _scheduled(client) == [(handle, "Paused", "2026-01-06T00:00:00.000-08:00")]


def test_execute_job_with_a_run_handle_is_30001_naming_the_submit_handle(client: SoapTestClient) -> None:
    handle = _submit(client, "nightly", execSchedule="0 0 * * *")
    _do(client, "executeJob", handle)
    run = RUN_0900.format(name="nightly", id=1001)
    _control(client, "executeJob", run).assert_fault(30001, "'jobHandle'", "j|100|nightly||")


def test_execute_job_with_a_log_handle_is_30001_naming_the_submit_handle(client: SoapTestClient) -> None:
    _submit(client, "once")
    _control(client, "executeJob", "j|100||once_2026-01-05-09:00:00.000").assert_fault(30001, "j|100|once||")


def test_two_runs_at_the_same_instant_get_distinct_names(client: SoapTestClient) -> None:
    handle = _submit(client, "twice", execSchedule="0 0 * * *")
    _do(client, "executeJob", handle)
    _do(client, "executeJob", handle)
    _do(client, "executeJob", handle)
    assert _active(client, "name") == [
        "twice_2026-01-05-09:00:00.000",
        "twice_2026-01-05-09:00:00.000-2",
        "twice_2026-01-05-09:00:00.000-3",
    ]


# --------------------------------------------------------------------------------------- handle errors


@pytest.mark.parametrize("operation", CONTROL_OPERATIONS)
@pytest.mark.parametrize(
    "handle",
    ["j|100|nobody||", "j|100||nobody_2026-01-05-09:00:00.000|1001", "garbage", "", "100|nobody|"],
    ids=["submit", "run", "malformed", "empty", "pre-4.0"],
)
def test_unknown_handles_are_30001(client: SoapTestClient, operation: str, handle: str) -> None:
    _control(client, operation, handle).assert_fault(30001, "'jobHandle'")


@pytest.mark.parametrize("operation", CONTROL_OPERATIONS)
def test_deleted_handles_are_30001(client: SoapTestClient, operation: str) -> None:
    handle = _submit(client, "gone", execSchedule="0 0 * * *")
    _do(client, "deleteJob", handle)
    _control(client, operation, handle).assert_fault(30001, "'jobHandle'", "j|100|gone||")


@pytest.mark.parametrize("operation", CONTROL_OPERATIONS)
def test_handle_of_a_company_the_caller_is_not_in_is_20006(client: SoapTestClient, operation: str) -> None:
    reply = _control(client, operation, "j|200|theirs||", user="user@example.com")
    reply.assert_fault(20006, "j|200|theirs||")


@pytest.mark.parametrize("operation", CONTROL_OPERATIONS)
def test_company_handle_of_a_company_the_caller_is_not_in_is_20006(client: SoapTestClient, operation: str) -> None:
    handle = _submit(client, "mine", execSchedule="0 0 * * *")
    _control(client, operation, handle, company="c|200", user="user@example.com").assert_fault(20006, "c|200")


@pytest.mark.parametrize("operation", CONTROL_OPERATIONS)
def test_handle_of_another_of_the_callers_companies_is_30001(operation: str) -> None:
    client = SoapTestClient(FakeIps(TWO_COMPANIES))
    handle = _submit(client, "b-job", user="both@example.com", companyHandle="c|200")
    reply = _control(client, operation, handle, company="c|100", user="both@example.com")
    reply.assert_fault(30001, "'jobHandle'", "c|200", "c|100")


# ------------------------------------------------------------------------------------------------- stopJob


def test_stop_job_on_a_run_handle_stops_that_run(fake: FakeIps, client: SoapTestClient) -> None:
    _submit(client, "stopme", _urls(4))
    fake.advance(timedelta(seconds=20))  # one of four items done
    run = RUN_0900.format(name="stopme", id=1001)
    _do(client, "stopJob", run)
    assert _active(client) == [(run, "Stopping")]
    fake.advance(timedelta(seconds=1))
    assert _active(client) == []
    assert _log_types(client, "stopme") == [
        [
            "BeginUploadUrls",
            "OriginalJobName",
            "JobType",
            "JobClient",
            "TotalFileCount",
            "UploadSuccess",
            "FileCancel",  # the stop itself
            "FileCancel",  # the three unprocessed items
            "FileCancel",
            "FileCancel",
            "EndUploadUrls",
        ]
    ]


def test_stopped_run_reports_stopping_task_state(fake: FakeIps, client: SoapTestClient) -> None:
    handle = _submit(client, "stopme", _urls(2))
    fake.advance(timedelta(seconds=5))
    _do(client, "stopJob", RUN_0900.format(name="stopme", id=1001))
    (item,) = list(client.call("getActiveJobs", {"jobHandle": handle}).ok().payload[0])
    assert [t.findtext("{*}taskState") for t in item.iterfind("{*}taskProgressArray/{*}items")] == ["Stopping"]


def test_stop_job_on_a_log_handle_stops_that_run(client: SoapTestClient) -> None:
    _submit(client, "stopme")
    _do(client, "stopJob", "j|100||stopme_2026-01-05-09:00:00.000")
    assert _active(client) == [(RUN_0900.format(name="stopme", id=1001), "Stopping")]


def test_stop_job_on_a_submit_handle_stops_every_active_run(fake: FakeIps, client: SoapTestClient) -> None:
    handle = _submit(client, "many", execSchedule="0 0 * * *")
    _do(client, "executeJob", handle)
    fake.advance(timedelta(seconds=10))
    _do(client, "executeJob", handle)
    other = _submit(client, "bystander")
    _do(client, "stopJob", handle)
    assert _active(client) == [
        (RUN_0900.format(name="many", id=1001), "Stopping"),
        ("j|100||many_2026-01-05-09:00:10.000|1002", "Stopping"),
        ("j|100||bystander_2026-01-05-09:00:10.000|1003", "New"),
    ]
    assert other == "j|100|bystander||"


def test_stop_job_on_a_submit_handle_without_active_run_is_30001(client: SoapTestClient) -> None:
    handle = _submit(client, "idle", execSchedule="0 0 * * *")
    _control(client, "stopJob", handle).assert_fault(30001, "'jobHandle'", "no active run")


def test_stop_job_on_a_finished_run_is_30001(fake: FakeIps, client: SoapTestClient) -> None:
    _submit(client, "done")
    fake.advance(timedelta(seconds=60))
    _control(client, "stopJob", RUN_0900.format(name="done", id=1001)).assert_fault(30001, "'jobHandle'", "finished")


def test_stop_job_leaves_the_schedule_alone(client: SoapTestClient) -> None:
    handle = _submit(client, "nightly", execSchedule="0 0 * * *")
    _do(client, "executeJob", handle)
    _do(client, "stopJob", handle)
    assert _scheduled(client) == [(handle, "Normal", "2026-01-06T00:00:00.000-08:00")]


# ---------------------------------------------------------------------------------------- pause and resume


def test_pause_job_keeps_the_next_fire_time_and_stops_fires(fake: FakeIps, client: SoapTestClient) -> None:
    handle = _submit(client, "nightly", execSchedule="0 0 * * *")
    _do(client, "pauseJob", handle)
    assert _scheduled(client) == [(handle, "Paused", "2026-01-06T00:00:00.000-08:00")]
    fake.advance(timedelta(days=2))
    assert _active(client) == []
    assert fake.state.runs == {}
    assert _scheduled(client) == [(handle, "Paused", "2026-01-06T00:00:00.000-08:00")]


def test_a_running_run_goes_on_while_its_job_is_paused(fake: FakeIps, client: SoapTestClient) -> None:
    handle = _submit(client, "nightly", execSchedule="0 0 * * *")
    _do(client, "executeJob", handle)
    fake.advance(timedelta(seconds=30))
    _do(client, "pauseJob", handle)
    assert _active(client, "state", "progress") == [("Running", "50")]
    fake.advance(timedelta(seconds=30))
    assert _active(client) == []
    assert _log_types(client, "nightly")[0][-1] == "endReoptimize"
    assert "FileCancel" not in _log_types(client, "nightly")[0]


def test_resume_job_computes_the_next_fire_from_now_and_skips_missed_fires(
    fake: FakeIps, client: SoapTestClient
) -> None:
    handle = _submit(client, "hourly", execSchedule="0 * * * *")
    _do(client, "pauseJob", handle)
    fake.advance(timedelta(hours=3, seconds=30))  # 10:00, 11:00 and 12:00 pass while paused
    _do(client, "resumeJob", handle)
    assert _scheduled(client) == [(handle, "Normal", "2026-01-05T13:00:00.000-08:00")]
    assert fake.state.runs == {}
    fake.advance(timedelta(minutes=59, seconds=30))
    assert _active(client, "name") == ["hourly_2026-01-05-13:00:00.000"]


def test_one_shot_whose_time_passed_while_paused_fires_at_resume(fake: FakeIps, client: SoapTestClient) -> None:
    handle = _submit(client, "once", execTime="2026-01-05T09:30:00-08:00")
    _do(client, "pauseJob", handle)
    fake.advance(timedelta(hours=1))
    assert _active(client) == []
    _do(client, "resumeJob", handle)
    assert _active(client, "name", "triggerTime") == [("once_2026-01-05-10:00:00.000", "2026-01-05T10:00:00.000-08:00")]
    assert _scheduled(client) == []


def test_one_shot_resumed_before_its_time_fires_at_its_time(fake: FakeIps, client: SoapTestClient) -> None:
    handle = _submit(client, "once", execTime="2026-01-05T09:30:00-08:00")
    _do(client, "pauseJob", handle)
    _do(client, "resumeJob", handle)
    assert _scheduled(client) == [(handle, "Normal", "2026-01-05T09:30:00.000-08:00")]
    fake.advance(timedelta(minutes=30))
    assert _active(client, "name") == ["once_2026-01-05-09:30:00.000"]


def test_pausing_and_resuming_twice_is_harmless(client: SoapTestClient) -> None:
    handle = _submit(client, "nightly", execSchedule="0 0 * * *")
    _do(client, "resumeJob", handle)
    _do(client, "pauseJob", handle)
    _do(client, "pauseJob", handle)
    assert _scheduled(client) == [(handle, "Paused", "2026-01-06T00:00:00.000-08:00")]
    _do(client, "resumeJob", handle)
    _do(client, "resumeJob", handle)
    assert _scheduled(client) == [(handle, "Normal", "2026-01-06T00:00:00.000-08:00")]


def test_pause_with_a_run_handle_pauses_its_job(client: SoapTestClient) -> None:
    handle = _submit(client, "nightly", execSchedule="0 0 * * *")
    _do(client, "executeJob", handle)
    _do(client, "pauseJob", RUN_0900.format(name="nightly", id=1001))
    assert _scheduled(client) == [(handle, "Paused", "2026-01-06T00:00:00.000-08:00")]
    _do(client, "resumeJob", RUN_0900.format(name="nightly", id=1001))
    assert _scheduled(client) == [(handle, "Normal", "2026-01-06T00:00:00.000-08:00")]


@pytest.mark.parametrize("operation", ["pauseJob", "resumeJob"])
def test_pause_or_resume_of_an_immediate_job_is_30001(client: SoapTestClient, operation: str) -> None:
    handle = _submit(client, "now")
    _control(client, operation, handle).assert_fault(30001, "'jobHandle'", "no schedule")


@pytest.mark.parametrize("operation", ["pauseJob", "resumeJob"])
def test_pause_or_resume_of_a_fired_one_shot_is_30001(fake: FakeIps, client: SoapTestClient, operation: str) -> None:
    handle = _submit(client, "once", execTime="2026-01-05T09:30:00-08:00")
    fake.advance(timedelta(minutes=30))
    _control(client, operation, handle).assert_fault(30001, "'jobHandle'", "no schedule")


# ------------------------------------------------------------------------------------------------ deleteJob


def test_delete_job_removes_the_schedule_stops_runs_and_keeps_logs(fake: FakeIps, client: SoapTestClient) -> None:
    handle = _submit(client, "nightly", execSchedule="0 0 * * *")
    _do(client, "executeJob", handle)
    fake.advance(timedelta(seconds=5))
    _do(client, "deleteJob", handle)
    assert _scheduled(client) == []
    assert _active(client) == [(RUN_0900.format(name="nightly", id=1001), "Stopping")]
    fake.advance(timedelta(days=1))
    assert _active(client) == []
    assert fake.state.definitions == {}
    assert len(fake.state.runs) == 1  # the midnight fire never happened
    logs = _rows(client.call("getJobLogs", {"companyHandle": "c|100"}), "jobHandle", "endDate")
    assert logs == [("j|100||nightly_2026-01-05-09:00:00.000", "2026-01-05T09:00:06.000-08:00")]


def test_delete_job_with_a_run_handle_deletes_its_job(client: SoapTestClient) -> None:
    handle = _submit(client, "nightly", execSchedule="0 0 * * *")
    _do(client, "executeJob", handle)
    _do(client, "deleteJob", RUN_0900.format(name="nightly", id=1001))
    assert _scheduled(client) == []
    _control(client, "executeJob", handle).assert_fault(30001, "'jobHandle'")


def test_delete_job_of_a_finished_immediate_job_forgets_it(fake: FakeIps, client: SoapTestClient) -> None:
    handle = _submit(client, "once")
    fake.advance(timedelta(seconds=60))
    _do(client, "deleteJob", handle)
    _control(client, "executeJob", handle).assert_fault(30001, "'jobHandle'")
    assert _rows(client.call("getJobLogs", {}), "jobName") == [("once_2026-01-05-09:00:00.000",)]


# ------------------------------------------------------------------------------------------- name reuse


def test_name_is_reusable_once_the_run_has_finished(fake: FakeIps, client: SoapTestClient) -> None:
    _submit(client, "again")
    fake.advance(timedelta(seconds=60))
    assert _submit(client, "again") == "j|100|again||"
    assert _active(client) == [("j|100||again_2026-01-05-09:01:00.000|1002", "New")]


def test_name_is_not_reusable_while_a_stopped_run_is_still_stopping(fake: FakeIps, client: SoapTestClient) -> None:
    _submit(client, "again")
    _do(client, "stopJob", "j|100|again||")
    _submit_reply(client, "again").assert_fault(30001, "'jobName'")
    fake.advance(timedelta(seconds=1))
    assert _submit(client, "again") == "j|100|again||"


def test_name_is_not_reusable_while_a_deleted_jobs_run_is_still_stopping(fake: FakeIps, client: SoapTestClient) -> None:
    handle = _submit(client, "again", execSchedule="0 0 * * *")
    _do(client, "executeJob", handle)
    _do(client, "deleteJob", handle)
    assert _active(client, "state") == ["Stopping"]
    # README "Reusing a job name": allowed once the earlier job has no live schedule and no active run.
    _submit_reply(client, "again").assert_fault(30001, "'jobName'")
    fake.advance(timedelta(seconds=1))
    assert _submit(client, "again") == "j|100|again||"


def test_name_of_a_deleted_scheduled_job_is_reusable(client: SoapTestClient) -> None:
    handle = _submit(client, "again", execSchedule="0 0 * * *")
    _do(client, "deleteJob", handle)
    assert _submit(client, "again", execSchedule="0 6 * * *") == handle
    assert _scheduled(client) == [(handle, "Normal", "2026-01-06T06:00:00.000-08:00")]


def test_name_of_a_fired_one_shot_is_reusable_after_its_run(fake: FakeIps, client: SoapTestClient) -> None:
    _submit(client, "later", execTime="2026-01-05T09:10:00-08:00")
    fake.advance(timedelta(minutes=10, seconds=30))
    _submit_reply(client, "later").assert_fault(30001, "'jobName'")
    fake.advance(timedelta(seconds=30))
    assert _submit(client, "later") == "j|100|later||"


# ------------------------------------------------------------------------------------- overlapping runs


def test_a_fire_while_a_run_is_active_starts_a_second_run(fake: FakeIps, client: SoapTestClient) -> None:
    handle = _submit(client, "often", execSchedule="0,30 * * * * ?")
    fake.advance(timedelta(seconds=60))
    assert _active(client, "name", "state") == [
        ("often_2026-01-05-09:00:30.000", "Running"),
        ("often_2026-01-05-09:01:00.000", "New"),
    ]
    assert _scheduled(client) == [(handle, "Normal", "2026-01-05T09:01:30.000-08:00")]


def test_recurring_fires_missed_in_a_clock_jump_all_run_in_order(fake: FakeIps, client: SoapTestClient) -> None:
    _submit(client, "nightly", execSchedule="0 0 * * *")
    fake.advance(timedelta(days=3))
    assert [log.run_name for log in fake.state.logs] == [
        "nightly_2026-01-06-00:00:00.000",
        "nightly_2026-01-07-00:00:00.000",
        "nightly_2026-01-08-00:00:00.000",
    ]
    assert [log.end_date for log in fake.state.logs] == [
        datetime(2026, 1, 6, 0, 1, tzinfo=LA),
        datetime(2026, 1, 7, 0, 1, tzinfo=LA),
        datetime(2026, 1, 8, 0, 1, tzinfo=LA),
    ]


# ---------------------------------------------------------------------------------------- getActiveJobs


def test_get_active_jobs_filters_by_submit_run_and_log_handle(fake: FakeIps, client: SoapTestClient) -> None:
    handle = _submit(client, "pick", execSchedule="0 0 * * *")
    _do(client, "executeJob", handle)
    fake.advance(timedelta(seconds=1))
    _do(client, "executeJob", handle)
    _submit(client, "other")
    first = RUN_0900.format(name="pick", id=1001)
    second = "j|100||pick_2026-01-05-09:00:01.000|1002"
    assert _active(client, "jobHandle", jobHandle=handle) == [first, second]
    assert _active(client, "jobHandle", jobHandle=second) == [second]
    assert _active(client, "jobHandle", jobHandle="j|100||pick_2026-01-05-09:00:00.000") == [first]
    assert _active(client, "jobHandle", companyHandle="c|100", jobHandle=first) == [first]


@pytest.mark.parametrize(
    "handle",
    ["j|100||done_2026-01-05-09:00:00.000|1001", "j|100|done||", "j|100|never||", "garbage"],
    ids=["finished-run", "finished-job", "unknown", "malformed"],
)
def test_get_active_jobs_with_a_finished_or_unknown_handle_is_empty(
    fake: FakeIps, client: SoapTestClient, handle: str
) -> None:
    _submit(client, "done")
    fake.advance(timedelta(seconds=60))
    _submit(client, "busy")
    assert _active(client, jobHandle=handle) == []


def test_get_active_jobs_filters_by_original_name(client: SoapTestClient) -> None:
    _submit(client, "alpha")
    _submit(client, "beta")
    assert _active(client, "originalName", originalName="beta") == ["beta"]
    assert _active(client, originalName="gamma") == []


def test_include_waiting_jobs(fake: FakeIps, client: SoapTestClient) -> None:
    fake.service.behaviours = lambda name, job_type: Behaviour(waiting=timedelta(seconds=10))
    _submit(client, "queued")
    run = RUN_0900.format(name="queued", id=1001)
    assert _active(client) == [(run, "New")]  # New runs are shown
    fake.advance(timedelta(seconds=1))
    assert _active(client) == []
    assert _active(client, includeWaitingJobs=False) == []
    assert _active(client, includeWaitingJobs=True) == [(run, "WaitingCoordinator")]
    fake.advance(timedelta(seconds=10))
    assert _active(client) == [(run, "Running")]


def test_get_active_jobs_without_company_covers_every_company_of_the_caller() -> None:
    client = SoapTestClient(FakeIps(TWO_COMPANIES))
    _submit(client, "in-a", user="both@example.com")
    _submit(client, "in-b", user="both@example.com", companyHandle="c|200")
    both = _active(client, "companyHandle", "originalName", user="both@example.com")
    assert both == [("c|100", "in-a"), ("c|200", "in-b")]
    assert _active(client, "originalName", user="both@example.com", companyHandle="c|200") == ["in-b"]
    assert _active(client, "originalName", user="solo@example.com") == ["in-a"]


def test_get_active_jobs_of_a_foreign_company_is_20006(client: SoapTestClient) -> None:
    client.call("getActiveJobs", {"companyHandle": "c|200"}, user="user@example.com").assert_fault(20006, "c|200")


def test_get_active_jobs_orders_by_fire_time_then_run_id(fake: FakeIps, client: SoapTestClient) -> None:
    _submit(client, "zulu", execTime="2026-01-05T09:00:05-08:00")
    _submit(client, "yankee", execTime="2026-01-05T09:00:03-08:00")
    _submit(client, "xray")
    _submit(client, "whiskey")
    fake.advance(timedelta(seconds=5))
    assert _active(client, "originalName") == ["xray", "whiskey", "yankee", "zulu"]
    assert _active(client, "jobHandle")[:2] == [
        RUN_0900.format(name="xray", id=1001),
        RUN_0900.format(name="whiskey", id=1002),
    ]


@pytest.mark.parametrize(
    ("misfire", "runs"),
    [
        (
            "fire_all",
            ["nightly_2026-01-06-00:00:00.000", "nightly_2026-01-07-00:00:00.000", "nightly_2026-01-08-00:00:00.000"],
        ),
        # README: "fire_once runs one for all of them" (here stamped with the latest missed fire), "skip none".
        ("fire_once", ["nightly_2026-01-08-00:00:00.000"]),
        ("skip", []),
    ],
)
def test_misfire_policy_after_a_clock_jump(misfire: str, runs: list[str]) -> None:
    fake = FakeIps(TWO_COMPANIES | {"clock": {"misfire": misfire}})
    client = SoapTestClient(fake)
    handle = _submit(client, "nightly", user="both@example.com", execSchedule="0 0 * * *")
    fake.advance(timedelta(days=3, hours=1))  # the fires of the 6th, 7th and 8th fall in the jump
    assert [log.run_name for log in fake.state.logs] == runs
    assert _rows(client.call("getScheduledJobs", {}, user="both@example.com"), "jobHandle", "nextFireTime") == [
        (handle, "2026-01-09T00:00:00.000-08:00")
    ]


# ------------------------------------------------------------------------------------- getScheduledJobs


def test_get_scheduled_jobs_orders_by_next_fire_time_then_handle(client: SoapTestClient) -> None:
    _submit(client, "late", execSchedule="0 22 * * *")
    _submit(client, "early-b", execTime="2026-01-05T10:00:00-08:00")
    _submit(client, "early-a", execSchedule="0 10 * * *")
    _submit(client, "paused", execSchedule="0 12 * * *")
    _do(client, "pauseJob", "j|100|paused||")
    assert _scheduled(client) == [
        ("j|100|early-a||", "Normal", "2026-01-05T10:00:00.000-08:00"),
        ("j|100|early-b||", "Normal", "2026-01-05T10:00:00.000-08:00"),
        ("j|100|paused||", "Paused", "2026-01-05T12:00:00.000-08:00"),
        ("j|100|late||", "Normal", "2026-01-05T22:00:00.000-08:00"),
    ]


def test_get_scheduled_jobs_without_company_covers_every_company_of_the_caller() -> None:
    client = SoapTestClient(FakeIps(TWO_COMPANIES))
    _submit(client, "in-a", user="both@example.com", execSchedule="0 1 * * *")
    _submit(client, "in-b", user="both@example.com", companyHandle="c|200", execSchedule="0 0 * * *")
    rows = _rows(client.call("getScheduledJobs", {}, user="both@example.com"), "companyHandle", "originalName")
    assert rows == [("c|200", "in-b"), ("c|100", "in-a")]
    rows = _rows(client.call("getScheduledJobs", {}, user="solo@example.com"), "companyHandle", "originalName")
    assert rows == [("c|100", "in-a")]


def test_get_scheduled_jobs_filters_by_handle_and_original_name(client: SoapTestClient) -> None:
    first = _submit(client, "first", execSchedule="0 1 * * *")
    _submit(client, "second", execSchedule="0 2 * * *")
    assert [r[0] for r in _scheduled(client, jobHandle=first)] == [first]
    assert [r[0] for r in _scheduled(client, originalName="second")] == ["j|100|second||"]
    assert _scheduled(client, jobHandle="j|100|nobody||") == []
