"""The job lifecycle end to end: zeep with Adobe's real 2014 WSDL against a served FakeIps on its virtual clock.

One :class:`ServerThread` on 127.0.0.1 serves the whole module. It serves :class:`CurrentFake`, which forwards each
request to the FakeIps of the running test, so every test starts from fresh state at the scenario's clock start
without restarting the server. Every SOAP reply passes a ``requests`` response hook that checks it with
:func:`ips_mock.testing.validate_reply` (envelope shape, payload against the real WSDL's schema) and keeps its body,
so a test can also read a value exactly as it went over the wire.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

import pytest
import requests
import zeep
from lxml import etree
from zeep.exceptions import Fault
from zeep.helpers import serialize_object
from zeep.proxy import ServiceProxy

from ips_mock import FakeIps, ServerThread
from ips_mock.testing import real_wsdl_path, validate_reply
from ips_mock.testing import upload_urls_job as upload_job

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

SERVICE_PATH = "/scene7/services/IpsApiService"
BINDING = "{http://www.scene7.com/IpsApi}IpsApiServiceSoapBinding"
FLT = "http://www.scene7.com/IpsApi/xsd"
APP = {"appName": "ips-mock-jobs-e2e", "appVersion": "1.0"}  # required in the 2014 authHeader


def sign_in(user: str, password: str = "password") -> dict[str, Any]:
    """``_soapheaders`` carrying the 2014 authHeader the WSDL's binding declares."""
    return {"authHeader": {"user": user, "password": password, **APP}}


AS_USER = sign_in("user@example.com")

PST = timezone(timedelta(hours=-8))
UPLOAD_TASK = "com.scene7.upload.UploadAsyncTaskMonitor"

# The built-in default scenario's companies and users, with the clock started two days before DST begins
# (Sunday 2026-03-08, 02:00 PST → 03:00 PDT in America/Los_Angeles).
DEFAULT_COMPANIES = [{"name": "Example", "id": 100}, {"name": "Other", "id": 200}]
DEFAULT_USERS = [
    {"email": "admin@example.com", "password": "password", "role": "IpsAdmin", "companies": ["Example"]},
    {"email": "user@example.com", "password": "password", "role": "IpsUser", "companies": ["Example"]},
    {"email": "other@example.com", "password": "password", "role": "IpsCompanyAdmin", "companies": ["Other"]},
]


def scenario_starting_at(start: str) -> dict[str, Any]:
    return {
        "ips_mock": 1,
        "clock": {"start": start, "zone": "America/Los_Angeles"},
        "companies": DEFAULT_COMPANIES,
        "users": DEFAULT_USERS,
    }


# ------------------------------------------------------------------------------------------------- fixtures


class CurrentFake:
    """A WSGI application that forwards every request to the fake the running test installed."""

    def __init__(self) -> None:
        self.fake: FakeIps | None = None

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if self.fake is None:
            raise RuntimeError("no FakeIps installed: request the fake or install fixture")
        return self.fake(environ, start_response)


@dataclass
class ReplyLog:
    """A ``requests`` response hook: validates every SOAP reply body and keeps it."""

    bodies: list[bytes] = field(default_factory=list)

    def hook(self, response: requests.Response, *args: Any, **kwargs: Any) -> None:
        if response.request.method == "POST":  # not a WSDL fetch
            validate_reply(response.content)
            self.bodies.append(response.content)

    def texts(self, local_name: str) -> list[str]:
        """Texts of every element named ``local_name`` in the last reply, exactly as sent."""
        root = etree.fromstring(self.bodies[-1])
        return [el.text or "" for el in root.iter() if etree.QName(el).localname == local_name]


@pytest.fixture(scope="module")
def current() -> CurrentFake:
    return CurrentFake()


@pytest.fixture(scope="module")
def server(current: CurrentFake) -> Iterator[ServerThread]:
    with ServerThread(current, host="127.0.0.1", port=0) as running:
        yield running


@pytest.fixture(scope="module")
def replies() -> ReplyLog:
    return ReplyLog()


@pytest.fixture(scope="module")
def ips(server: ServerThread, replies: ReplyLog) -> Iterator[ServiceProxy]:
    """zeep on the real 2014 WSDL, bound to the served fake, signed in as admin@example.com unless told otherwise."""
    with requests.Session() as session:
        session.hooks["response"].append(replies.hook)
        client = zeep.Client(str(real_wsdl_path("2014-04-03")), transport=zeep.Transport(session=session))
        client.set_default_soapheaders(sign_in("admin@example.com"))  # a call's own _soapheaders replace it
        yield client.create_service(BINDING, server.url + SERVICE_PATH)


@pytest.fixture
def install(current: CurrentFake, replies: ReplyLog) -> Iterator[Callable[[FakeIps], FakeIps]]:
    """``install(fake)`` makes the server answer with ``fake``; afterwards no fake may have had a handler error."""
    installed: list[FakeIps] = []
    replies.bodies.clear()

    def _install(fake: FakeIps) -> FakeIps:
        installed.append(fake)
        current.fake = fake
        return fake

    yield _install
    current.fake = None
    assert [fake.errors for fake in installed] == [[] for _ in installed]


@pytest.fixture
def fake(install: Callable[[FakeIps], FakeIps]) -> FakeIps:
    """A fresh fake on the built-in default scenario, clock at 2026-01-05T09:00:00-08:00."""
    return install(FakeIps())


# -------------------------------------------------------------------------------------------------- helpers


def iso(instant: datetime) -> str:
    """A decoded dateTime as IPS writes it, offset included: ``2026-01-05T09:01:00.000-08:00``."""
    return instant.isoformat(timespec="milliseconds")


def items(array: Any) -> list[Any]:
    """The items of a reply array; zeep gives None for an empty one."""
    return list(array or [])


def plain(value: Any) -> dict[str, Any]:
    return dict(serialize_object(value, dict))


def fault_of(caught: pytest.ExceptionInfo[Fault]) -> tuple[str, int, str]:
    """``(detail element local name, code, reason)`` of an IPS fault."""
    assert caught.value.detail is not None, "the fault has no detail"
    (element,) = list(caught.value.detail)
    assert etree.QName(element).namespace == FLT
    code, reason = list(element)
    return etree.QName(element).localname, int(code.text or ""), reason.text or ""


def upload_urls_job(count: int) -> dict[str, Any]:
    return upload_job(*((f"https://images.example.com/p{i}.jpg", "products/") for i in range(count)))


PUBLISH_JOB: Mapping[str, Any] = {"publishType": "Full", "emailSetting": "None"}


def log_names(ips: ServiceProxy) -> list[str]:
    """Run names of every job log of Example, newest first (getJobLogs' default order)."""
    return [log.jobName for log in items(ips.getJobLogs(companyHandle="c|100"))]


def scheduled(ips: ServiceProxy) -> list[tuple[str, str, str | None]]:
    """``(jobHandle, triggerState, nextFireTime)`` of every scheduled job of Example."""
    return [
        (job.jobHandle, job.triggerState, iso(job.nextFireTime) if job.nextFireTime else None)
        for job in items(ips.getScheduledJobs(companyHandle="c|100"))
    ]


# ------------------------------------------------------------------------------------- a. an immediate upload


def test_immediate_upload_runs_from_new_to_done_and_leaves_its_log(fake: FakeIps, ips: ServiceProxy) -> None:
    handle = ips.submitJob(companyHandle="c|100", jobName="upload", uploadUrlsJob=upload_urls_job(3))
    assert handle == "j|100|upload||"

    # 09:00:00, the fire: one run, New.
    (run,) = items(ips.getActiveJobs(companyHandle="c|100"))
    assert re.fullmatch(r"j\|100\|\|upload_2026-01-05-09:00:00\.000\|\d+", run.jobHandle)
    assert run.jobHandle == "j|100||upload_2026-01-05-09:00:00.000|1001"  # run ids count up from 1001
    assert (run.name, run.originalName, run.type, run.state) == (
        "upload_2026-01-05-09:00:00.000",
        "upload",
        "UrlUpload",
        "New",
    )
    assert (run.companyHandle, run.submitUserEmail, run.progress, run.serverName) == (
        "c|100",
        "admin@example.com",
        0,
        "ips-mock-1",
    )
    assert (iso(run.startDate), iso(run.triggerTime)) == ("2026-01-05T09:00:00.000-08:00",) * 2
    assert run.taskProgressArray is None
    assert run.uploadUrlsJob.numUrls == 3

    # 09:00:20: Running, 25 %, one upload task (25 % of 3 items is no whole item yet).
    fake.advance(timedelta(seconds=20))
    (run,) = items(ips.getActiveJobs(companyHandle="c|100"))
    assert (run.state, run.progress, iso(run.lastProgressUpdate)) == ("Running", 25, "2026-01-05T09:00:15.000-08:00")
    assert [plain(task) for task in run.taskProgressArray.items] == [
        {
            "taskType": UPLOAD_TASK,
            "taskState": "Processing",
            "numProcessed": 0,
            "numProcessing": 0,
            "numPending": 3,
            "progress": 0.0,
            "progressMessage": None,
            "lastProgressUpdate": datetime(2026, 1, 5, 9, 0, 15, tzinfo=PST),
            "taskItemProgressArray": None,
        }
    ]

    # 09:00:59 still running at 75 %; 09:01:00 Done and gone, also when polled by its run handle.
    fake.advance(timedelta(seconds=39))
    assert [(r.state, r.progress) for r in items(ips.getActiveJobs(companyHandle="c|100"))] == [("Running", 75)]
    fake.advance(timedelta(seconds=1))
    assert items(ips.getActiveJobs(companyHandle="c|100")) == []
    assert items(ips.getActiveJobs(companyHandle="c|100", jobHandle=run.jobHandle)) == []

    (log,) = items(ips.getJobLogs(companyHandle="c|100"))
    assert (log.jobHandle, log.jobName, log.originalJobName, log.logType) == (
        "j|100||upload_2026-01-05-09:00:00.000",
        "upload_2026-01-05-09:00:00.000",
        "upload",
        "BeginUploadUrls",
    )
    assert (log.fileSuccessCount, log.fileErrorCount, log.fileWarningCount, log.totalFileCount) == (3, 0, 0, 3)
    assert (iso(log.startDate), iso(log.endDate), log.fatalError) == (
        "2026-01-05T09:00:00.000-08:00",
        "2026-01-05T09:01:00.000-08:00",
        False,
    )

    (detailed,) = items(ips.getJobLogDetails(companyHandle="c|100", jobHandle=run.jobHandle))
    assert detailed.detailTotalRows == 9
    assert [(d.logType, d.logMessage, iso(d.dateCreated)) for d in detailed.detailArray.items] == [
        ("BeginUploadUrls", "Upload has begun!", "2026-01-05T09:00:01.000-08:00"),
        ("OriginalJobName", "upload", "2026-01-05T09:00:01.000-08:00"),
        ("JobType", "UrlUpload", "2026-01-05T09:00:01.000-08:00"),
        ("JobClient", "ips-mock", "2026-01-05T09:00:01.000-08:00"),
        ("TotalFileCount", "3", "2026-01-05T09:00:01.000-08:00"),
        ("UploadSuccess", "Example/products/p0.jpg was processed into IPS", "2026-01-05T09:00:30.000-08:00"),
        ("UploadSuccess", "Example/products/p1.jpg was processed into IPS", "2026-01-05T09:00:45.000-08:00"),
        ("UploadSuccess", "Example/products/p2.jpg was processed into IPS", "2026-01-05T09:01:00.000-08:00"),
        ("EndUploadUrls", "Upload has completed.", "2026-01-05T09:01:00.000-08:00"),
    ]
    uploads = [d for d in detailed.detailArray.items if d.logType == "UploadSuccess"]
    assert [(d.assetName, d.assetType, d.assetHandle) for d in uploads] == [
        ("p0", "MasterImage", "a|100|1|1001"),
        ("p1", "MasterImage", "a|100|1|1002"),
        ("p2", "MasterImage", "a|100|1|1003"),
    ]

    entries = items(ips.getAssetJobLogs(companyHandle="c|100", assetHandle=uploads[1].assetHandle))
    assert [plain(entry) for entry in entries] == [
        {
            "jobHandle": "j|100||upload_2026-01-05-09:00:00.000",
            "jobName": "upload_2026-01-05-09:00:00.000",
            "logMessage": "Example/products/p1.jpg was processed into IPS",
            "logType": "UploadSuccess",
            "submitUserEmail": "admin@example.com",
            "logDate": datetime(2026, 1, 5, 9, 0, 45, tzinfo=PST),
            "auxArray": None,
        }
    ]


# -------------------------------------------------------------------------------------- b. a daily schedule


def test_daily_schedule_fires_once_a_day_at_two(fake: FakeIps, ips: ServiceProxy, replies: ReplyLog) -> None:
    handle = ips.submitJob(
        companyHandle="c|100", jobName="nightly", execSchedule="0 0 2 * * ?", imageServingPublishJob=PUBLISH_JOB
    )
    assert handle == "j|100|nightly||"
    assert scheduled(ips) == [("j|100|nightly||", "Normal", "2026-01-06T02:00:00.000-08:00")]

    fake.advance(timedelta(days=3))

    assert log_names(ips) == [
        "nightly_2026-01-08-02:00:00.000",
        "nightly_2026-01-07-02:00:00.000",
        "nightly_2026-01-06-02:00:00.000",
    ]
    assert [iso(log.endDate) for log in items(ips.getJobLogs(companyHandle="c|100"))] == [
        "2026-01-08T02:01:00.000-08:00",
        "2026-01-07T02:01:00.000-08:00",
        "2026-01-06T02:01:00.000-08:00",
    ]
    assert items(ips.getActiveJobs(companyHandle="c|100")) == []

    (job,) = items(ips.getScheduledJobs(companyHandle="c|100"))
    assert replies.texts("nextFireTime") == ["2026-01-09T02:00:00.000-08:00"]
    assert (job.jobHandle, job.name, job.originalName, job.type) == (
        "j|100|nightly||",
        "nightly",
        "nightly",
        "ImageServingPublish",
    )
    assert (job.execSchedule, job.triggerState, job.timeZone, iso(job.nextFireTime)) == (
        "0 0 2 * * ?",
        "Normal",
        "America/Los_Angeles",
        "2026-01-09T02:00:00.000-08:00",
    )
    assert plain(job.imageServingPublishJob) == {
        "publishType": "Full",
        "emailSetting": "None",
        "httpCompletionUrl": None,
        "contextHandle": None,
    }


# ----------------------------------------------------------------------------------------- c. DST in the zone


def test_fire_times_follow_the_zone_across_the_spring_forward(
    install: Callable[[FakeIps], FakeIps], ips: ServiceProxy, replies: ReplyLog
) -> None:
    fake = install(FakeIps(scenario_starting_at("2026-03-06T12:00:00-08:00")))  # Friday noon, PST
    ips.submitJob(
        companyHandle="c|100", jobName="midnight", execSchedule="0 0 * * *", imageServingPublishJob=PUBLISH_JOB
    )
    ips.submitJob(
        companyHandle="c|100", jobName="half-past-two", execSchedule="0 30 2 * * ?", imageServingPublishJob=PUBLISH_JOB
    )

    assert scheduled(ips) == [
        ("j|100|midnight||", "Normal", "2026-03-07T00:00:00.000-08:00"),
        ("j|100|half-past-two||", "Normal", "2026-03-07T02:30:00.000-08:00"),
    ]
    assert replies.texts("nextFireTime") == ["2026-03-07T00:00:00.000-08:00", "2026-03-07T02:30:00.000-08:00"]

    fake.advance(timedelta(days=1))  # Saturday noon, PST
    assert scheduled(ips) == [
        ("j|100|midnight||", "Normal", "2026-03-08T00:00:00.000-08:00"),
        ("j|100|half-past-two||", "Normal", "2026-03-08T03:00:00.000-07:00"),  # 02:30 does not exist that day
    ]

    fake.advance(timedelta(days=1))  # Sunday 13:00, PDT
    assert scheduled(ips) == [
        ("j|100|midnight||", "Normal", "2026-03-09T00:00:00.000-07:00"),
        ("j|100|half-past-two||", "Normal", "2026-03-09T02:30:00.000-07:00"),
    ]
    assert replies.texts("nextFireTime") == ["2026-03-09T00:00:00.000-07:00", "2026-03-09T02:30:00.000-07:00"]
    logs = items(ips.getJobLogs(companyHandle="c|100", sortDirection="Ascending"))
    assert [(log.jobName, iso(log.startDate)) for log in logs] == [
        ("midnight_2026-03-07-00:00:00.000", "2026-03-07T00:00:00.000-08:00"),
        ("half-past-two_2026-03-07-02:30:00.000", "2026-03-07T02:30:00.000-08:00"),
        ("midnight_2026-03-08-00:00:00.000", "2026-03-08T00:00:00.000-08:00"),
        ("half-past-two_2026-03-08-03:00:00.000", "2026-03-08T03:00:00.000-07:00"),
    ]


def test_a_fire_in_the_repeated_hour_happens_once(
    install: Callable[[FakeIps], FakeIps], ips: ServiceProxy, replies: ReplyLog
) -> None:
    """DST ends on Sunday 2026-11-01: 01:00-02:00 happens twice (PDT, then PST); a 01:30 job fires the first time."""
    fake = install(FakeIps(scenario_starting_at("2026-10-31T12:00:00-07:00")))
    ips.submitJob(
        companyHandle="c|100", jobName="half-past-one", execSchedule="0 30 1 * * ?", imageServingPublishJob=PUBLISH_JOB
    )

    fake.advance(timedelta(days=2))

    logs = items(ips.getJobLogs(companyHandle="c|100", sortDirection="Ascending"))
    assert [(log.jobName, iso(log.startDate)) for log in logs] == [
        ("half-past-one_2026-11-01-01:30:00.000", "2026-11-01T01:30:00.000-07:00"),
        ("half-past-one_2026-11-02-01:30:00.000", "2026-11-02T01:30:00.000-08:00"),
    ]
    assert scheduled(ips) == [("j|100|half-past-one||", "Normal", "2026-11-03T01:30:00.000-08:00")]


@pytest.mark.parametrize(
    ("start", "dates"),
    [
        pytest.param(
            "2026-11-01T01:59:30-07:00",
            ("2026-11-01T01:59:30.000-07:00", "2026-11-01T01:00:30.000-08:00"),
            id="into-the-second-pass",
        ),
        pytest.param(
            "2026-11-01T01:00:00-08:00",
            ("2026-11-01T01:00:00.000-08:00", "2026-11-01T01:01:00.000-08:00"),
            id="within-the-second-pass",
        ),
    ],
)
def test_a_run_in_the_repeated_hour_takes_sixty_real_seconds(
    install: Callable[[FakeIps], FakeIps], ips: ServiceProxy, start: str, dates: tuple[str, str]
) -> None:
    """Run steps are offsets in real time from the fire: 60 s after it is 60 s later, whatever the wall clock says."""
    fake = install(FakeIps(scenario_starting_at(start)))
    ips.submitJob(companyHandle="c|100", jobName="publish", imageServingPublishJob=PUBLISH_JOB)
    assert [r.state for r in items(ips.getActiveJobs(companyHandle="c|100"))] == ["New"]

    fake.advance(timedelta(seconds=59))
    assert [(r.state, r.progress) for r in items(ips.getActiveJobs(companyHandle="c|100"))] == [("Running", 75)]
    fake.advance(timedelta(seconds=1))
    assert items(ips.getActiveJobs(companyHandle="c|100")) == []

    (log,) = items(ips.getJobLogs(companyHandle="c|100"))
    assert (iso(log.startDate), iso(log.endDate)) == dates


def test_exec_times_in_the_repeated_hour_fire_in_real_time_order(
    install: Callable[[FakeIps], FakeIps], ips: ServiceProxy
) -> None:
    """01:45 PDT comes before 01:30 PST (an hour and three quarters later on the wall clock's second pass)."""
    fake = install(FakeIps(scenario_starting_at("2026-11-01T01:40:00-07:00")))
    for name, exec_time in (("second-pass", "2026-11-01T01:30:00-08:00"), ("first-pass", "2026-11-01T01:45:00-07:00")):
        ips.submitJob(
            companyHandle="c|100",
            jobName=name,
            execTime=datetime.fromisoformat(exec_time),
            imageServingPublishJob=PUBLISH_JOB,
        )
    assert scheduled(ips) == [
        ("j|100|first-pass||", "Normal", "2026-11-01T01:45:00.000-07:00"),
        ("j|100|second-pass||", "Normal", "2026-11-01T01:30:00.000-08:00"),
    ]

    fake.advance(timedelta(minutes=10))  # 01:50 PDT
    assert log_names(ips) == ["first-pass_2026-11-01-01:45:00.000"]
    assert scheduled(ips) == [("j|100|second-pass||", "Normal", "2026-11-01T01:30:00.000-08:00")]

    fake.advance(timedelta(hours=1))  # 01:50 PST
    assert log_names(ips) == ["second-pass_2026-11-01-01:30:00.000", "first-pass_2026-11-01-01:45:00.000"]


def test_a_schedule_finer_than_hourly_fires_in_both_passes_of_the_repeated_hour(
    install: Callable[[FakeIps], FakeIps], ips: ServiceProxy
) -> None:
    """cronsim (Debian cron) schedules jobs that run more often than hourly normally across the change."""
    fake = install(FakeIps(scenario_starting_at("2026-11-01T00:50:00-07:00")))
    ips.submitJob(
        companyHandle="c|100", jobName="every-20", execSchedule="*/20 * * * *", imageServingPublishJob=PUBLISH_JOB
    )

    fake.advance(timedelta(hours=2))  # 01:50 PST

    logs = items(ips.getJobLogs(companyHandle="c|100", sortDirection="Ascending"))
    assert [(log.jobName, iso(log.startDate)) for log in logs] == [
        ("every-20_2026-11-01-01:00:00.000", "2026-11-01T01:00:00.000-07:00"),
        ("every-20_2026-11-01-01:20:00.000", "2026-11-01T01:20:00.000-07:00"),
        ("every-20_2026-11-01-01:40:00.000", "2026-11-01T01:40:00.000-07:00"),
        ("every-20_2026-11-01-01:00:00.000-2", "2026-11-01T01:00:00.000-08:00"),
        ("every-20_2026-11-01-01:20:00.000-2", "2026-11-01T01:20:00.000-08:00"),
        ("every-20_2026-11-01-01:40:00.000-2", "2026-11-01T01:40:00.000-08:00"),
    ]
    assert scheduled(ips) == [("j|100|every-20||", "Normal", "2026-11-01T02:00:00.000-08:00")]


# -------------------------------------------------------------------------------------- d. pause and resume


def test_pause_holds_the_schedule_and_resume_skips_the_missed_fires(fake: FakeIps, ips: ServiceProxy) -> None:
    ips.submitJob(
        companyHandle="c|100", jobName="nightly", execSchedule="0 0 2 * * ?", imageServingPublishJob=PUBLISH_JOB
    )
    fake.advance(timedelta(days=1))  # Tuesday 09:00
    assert log_names(ips) == ["nightly_2026-01-06-02:00:00.000"]

    assert ips.pauseJob(companyHandle="c|100", jobHandle="j|100|nightly||") is None
    fake.advance(timedelta(days=2))  # Thursday 09:00: the fires of Wednesday and Thursday 02:00 did not happen
    assert log_names(ips) == ["nightly_2026-01-06-02:00:00.000"]
    assert scheduled(ips) == [("j|100|nightly||", "Paused", "2026-01-07T02:00:00.000-08:00")]

    assert ips.resumeJob(companyHandle="c|100", jobHandle="j|100|nightly||") is None
    assert scheduled(ips) == [("j|100|nightly||", "Normal", "2026-01-09T02:00:00.000-08:00")]
    fake.advance(timedelta(days=1))  # Friday 09:00
    assert log_names(ips) == ["nightly_2026-01-09-02:00:00.000", "nightly_2026-01-06-02:00:00.000"]
    assert scheduled(ips) == [("j|100|nightly||", "Normal", "2026-01-10T02:00:00.000-08:00")]


def test_one_shot_exec_time_job_is_scheduled_until_it_fires_once(fake: FakeIps, ips: ServiceProxy) -> None:
    handle = ips.submitJob(
        companyHandle="c|100",
        jobName="at-eleven",
        execTime=datetime(2026, 1, 5, 11, 0, tzinfo=PST),
        imageServingPublishJob=PUBLISH_JOB,
    )
    assert handle == "j|100|at-eleven||"
    (job,) = items(ips.getScheduledJobs(companyHandle="c|100"))
    assert (job.jobHandle, job.execSchedule, job.triggerState, iso(job.nextFireTime)) == (
        "j|100|at-eleven||",
        None,
        "Normal",
        "2026-01-05T11:00:00.000-08:00",
    )

    fake.advance(timedelta(hours=1, minutes=59, seconds=59))
    assert scheduled(ips) == [("j|100|at-eleven||", "Normal", "2026-01-05T11:00:00.000-08:00")]
    assert items(ips.getActiveJobs(companyHandle="c|100")) == []

    fake.advance(timedelta(seconds=1))  # 11:00:00: it fires and leaves getScheduledJobs
    assert scheduled(ips) == []
    assert [(r.name, r.state) for r in items(ips.getActiveJobs(companyHandle="c|100"))] == [
        ("at-eleven_2026-01-05-11:00:00.000", "New")
    ]

    fake.advance(timedelta(days=2))
    assert log_names(ips) == ["at-eleven_2026-01-05-11:00:00.000"]
    assert scheduled(ips) == []


# ------------------------------------------------------------------------------- e. stop, delete and execute


def test_stop_job_by_run_handle_cancels_the_unprocessed_items(fake: FakeIps, ips: ServiceProxy) -> None:
    ips.submitJob(companyHandle="c|100", jobName="upload", uploadUrlsJob=upload_urls_job(3))
    fake.advance(timedelta(seconds=35))  # Running at 50 %: the first of three items is done
    (run,) = items(ips.getActiveJobs(companyHandle="c|100"))
    assert (run.state, run.progress) == ("Running", 50)

    assert ips.stopJob(companyHandle="c|100", jobHandle=run.jobHandle) is None
    (stopping,) = items(ips.getActiveJobs(companyHandle="c|100"))
    assert (stopping.jobHandle, stopping.state) == (run.jobHandle, "Stopping")
    assert [task.taskState for task in stopping.taskProgressArray.items] == ["Stopping"]

    fake.advance(timedelta(seconds=1))
    assert items(ips.getActiveJobs(companyHandle="c|100")) == []

    (log,) = items(ips.getJobLogDetails(companyHandle="c|100", jobHandle=run.jobHandle))
    assert (log.fileSuccessCount, log.totalFileCount, iso(log.endDate)) == (1, 3, "2026-01-05T09:00:36.000-08:00")
    assert [(d.logType, d.logMessage, iso(d.dateCreated)) for d in log.detailArray.items[5:]] == [
        ("UploadSuccess", "Example/products/p0.jpg was processed into IPS", "2026-01-05T09:00:30.000-08:00"),
        ("FileCancel", "upload was stopped by admin@example.com.", "2026-01-05T09:00:35.000-08:00"),
        (
            "FileCancel",
            "Example/products/p1.jpg was not processed: the job was stopped",
            "2026-01-05T09:00:36.000-08:00",
        ),
        (
            "FileCancel",
            "Example/products/p2.jpg was not processed: the job was stopped",
            "2026-01-05T09:00:36.000-08:00",
        ),
        ("EndUploadUrls", "Upload has completed.", "2026-01-05T09:00:36.000-08:00"),
    ]
    cancelled = [(d.assetName, d.assetType) for d in log.detailArray.items if d.logType == "FileCancel" and d.assetName]
    assert cancelled == [("p1", "MasterImage"), ("p2", "MasterImage")]


def test_delete_job_removes_the_schedule_and_forgets_the_handle(fake: FakeIps, ips: ServiceProxy) -> None:
    ips.submitJob(
        companyHandle="c|100", jobName="nightly", execSchedule="0 0 2 * * ?", imageServingPublishJob=PUBLISH_JOB
    )
    assert ips.deleteJob(companyHandle="c|100", jobHandle="j|100|nightly||") is None
    assert scheduled(ips) == []

    with pytest.raises(Fault) as caught:
        ips.pauseJob(companyHandle="c|100", jobHandle="j|100|nightly||")
    assert fault_of(caught) == (
        "ipsApiFault",
        30001,
        "Invalid value for parameter 'jobHandle': unknown job handle 'j|100|nightly||'",
    )

    fake.advance(timedelta(days=2))
    assert log_names(ips) == []


def test_execute_job_adds_one_run_and_leaves_the_schedule_alone(fake: FakeIps, ips: ServiceProxy) -> None:
    ips.submitJob(
        companyHandle="c|100", jobName="nightly", execSchedule="0 0 2 * * ?", imageServingPublishJob=PUBLISH_JOB
    )
    fake.advance(timedelta(minutes=5))

    assert ips.executeJob(companyHandle="c|100", jobHandle="j|100|nightly||") is None

    runs = items(ips.getActiveJobs(companyHandle="c|100"))
    assert [(r.jobHandle, r.name, r.state) for r in runs] == [
        ("j|100||nightly_2026-01-05-09:05:00.000|1001", "nightly_2026-01-05-09:05:00.000", "New")
    ]
    assert scheduled(ips) == [("j|100|nightly||", "Normal", "2026-01-06T02:00:00.000-08:00")]
    fake.advance(timedelta(days=1))
    assert log_names(ips) == ["nightly_2026-01-06-02:00:00.000", "nightly_2026-01-05-09:05:00.000"]


# ---------------------------------------------------------------------------------------------- f. faults


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        pytest.param(
            {"execTime": datetime(2026, 1, 5, 8, 59, 59, tzinfo=PST), "imageServingPublishJob": PUBLISH_JOB},
            (
                "ipsApiFault",
                30001,
                "Invalid value for parameter 'execTime': 2026-01-05T08:59:59-08:00 is in the past "
                "(server time is 2026-01-05T09:00:00-08:00)",
            ),
            id="past-execTime",
        ),
        pytest.param(
            {
                "execTime": datetime(2026, 1, 6, 9, 0, tzinfo=PST),
                "execSchedule": "0 0 2 * * ?",
                "imageServingPublishJob": PUBLISH_JOB,
            },
            ("ipsApiFault", 30001, "Invalid value for parameter 'execTime': give execTime or execSchedule, not both"),
            id="execTime-and-execSchedule",
        ),
        pytest.param(
            {"execSchedule": "0 61 * * *", "imageServingPublishJob": PUBLISH_JOB},
            (
                "ipsApiFault",
                30001,
                "Invalid value for parameter 'execSchedule': '0 61 * * *': as cron (min hour dom mon dow): "
                "hour must be 0-23, not 61; as IPS/Quartz (sec min hour dom mon): minute must be 0-59, not 61",
            ),
            id="bad-execSchedule",
        ),
        pytest.param(
            {},
            (
                "ipsApiFault",
                30002,
                "Missing job type: submitJob needs one of imageServingPublishJob, imageRenderingPublishJob, "
                "videoPublishJob, serverDirectoryPublishJob, metadataPublishJob, uploadDirectoryJob, uploadUrlsJob, "
                "optimizeImagesJob, ripPdfsJob, reprocessAssetsJob, createVideoSitemapJob, exportJob, "
                "automatedSetGenerationJob",
            ),
            id="no-job-type",
        ),
        pytest.param(
            {"uploadUrlsJob": {**upload_urls_job(1), "emailSetting": "Sometimes"}},
            (
                "ipsApiFault",
                30001,
                "Invalid value for parameter 'uploadUrlsJob/emailSetting': 'Sometimes' is not one of All, Error, "
                "ErrorAndWarning, JobCompletion, None",
            ),
            id="bad-emailSetting",
        ),
    ],
)
def test_submit_job_faults(
    fake: FakeIps, ips: ServiceProxy, params: dict[str, Any], expected: tuple[str, int, str]
) -> None:
    with pytest.raises(Fault) as caught:
        ips.submitJob(companyHandle="c|100", jobName="refused", **params)

    assert fault_of(caught) == expected
    assert scheduled(ips) == []
    assert items(ips.getActiveJobs(companyHandle="c|100")) == []


@pytest.mark.parametrize(
    ("company", "reason"),
    [
        ("c|100", "Job handle 'j|200||theirs_2026-01-05-09:00:00.000|1001' belongs to another company"),
        ("c|200", "User 'user@example.com' is not a member of company 'Other' (c|200)"),
    ],
)
def test_stopping_a_job_of_another_company_is_20006(
    fake: FakeIps, ips: ServiceProxy, company: str, reason: str
) -> None:
    """A run handle of Other (c|200), whose admin may not submit jobs (IPS-REFERENCE §2.3), so it is written here."""
    with pytest.raises(Fault) as caught:
        ips.stopJob(companyHandle=company, jobHandle="j|200||theirs_2026-01-05-09:00:00.000|1001", _soapheaders=AS_USER)

    assert fault_of(caught) == ("authorizationFault", 20006, reason)
