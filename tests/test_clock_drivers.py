"""Who drives the clock does not matter: fake.advance, freezegun and time-machine give byte-identical replies.

The fake reads time through one clock (README "Jobs and time"): the active freezer's when there is one, else its own
manual clock. These tests play the same story with each driver through ``SoapTestClient`` (werkzeug's test client,
in-process, every reply validated against the real WSDL) and compare every reply body byte for byte. They also pin
down that time only moves forward, and that two fakes fed the same calls answer the same bytes.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import freezegun
import pytest
import time_machine
from lxml import etree

from ips_mock import FakeIps
from ips_mock.clock import ClockError
from ips_mock.testing import SoapReply, SoapTestClient, upload_urls_job

PST = timezone(timedelta(hours=-8))
START = datetime(2026, 1, 5, 9, 0, tzinfo=PST)  # the default scenario's clock.start

Move = Callable[[timedelta], object]
"""Moves whichever clock drives the story forward by a delta."""

NIGHTLY: Mapping[str, Any] = {
    "companyHandle": "c|100",
    "jobName": "nightly",
    "execSchedule": "0 0 2 * * ?",
    "imageServingPublishJob": {"publishType": "Full", "emailSetting": "None"},
}


def upload_urls(job_name: str, count: int) -> dict[str, Any]:
    return {
        "companyHandle": "c|100",
        "jobName": job_name,
        "uploadUrlsJob": upload_urls_job(
            *((f"https://images.example.com/p{i}.jpg", "products/") for i in range(count))
        ),
    }


def texts(reply: SoapReply, local_name: str) -> list[str]:
    """Texts of every element named ``local_name`` in the reply's payload, in document order."""
    return [el.text or "" for el in reply.payload.iter() if etree.QName(el).localname == local_name]


# ------------------------------------------------------------------------------- one story, three clocks

POLL_POINTS = (timedelta(0), timedelta(seconds=20), timedelta(minutes=2), timedelta(days=3))
"""When the story polls, measured from the clock start."""


def poll_story(fake: FakeIps, move: Move) -> list[bytes]:
    """Submit a daily job and an immediate upload, then poll the four query operations at each point."""
    client = SoapTestClient(fake)
    replies = [client.call("submitJob", NIGHTLY), client.call("submitJob", upload_urls("upload", 3))]
    elapsed = timedelta(0)
    for point in POLL_POINTS:
        move(point - elapsed)
        elapsed = point
        replies += [
            client.call("getActiveJobs", {"companyHandle": "c|100"}),
            client.call("getScheduledJobs", {"companyHandle": "c|100"}),
            client.call("getJobLogs", {"companyHandle": "c|100"}),
            client.call("getJobLogDetails", {"companyHandle": "c|100", "originalName": "upload"}),
            client.call("getJobLogDetails", {"companyHandle": "c|100", "originalName": "nightly"}),
        ]
    assert [r.fault_kind for r in replies] == [None] * len(replies)
    # What the story must have seen, so that equal lists cannot be equally wrong.
    assert texts(replies[2], "state") == ["New"]  # 0 s
    assert texts(replies[7], "state") == ["Running"]  # 20 s
    assert texts(replies[12], "state") == []  # 2 min: the upload is done
    assert texts(replies[-3], "jobName") == [
        "nightly_2026-01-08-02:00:00.000",
        "nightly_2026-01-07-02:00:00.000",
        "nightly_2026-01-06-02:00:00.000",
        "upload_2026-01-05-09:00:00.000",
    ]
    assert texts(replies[-4], "nextFireTime") == ["2026-01-09T02:00:00.000-08:00"]
    return [r.body for r in replies]


def test_fake_advance_freezegun_and_time_machine_give_the_same_bytes() -> None:
    manual_fake = FakeIps()
    assert manual_fake.clock.source == "manual"
    manual = poll_story(manual_fake, manual_fake.advance)

    with freezegun.freeze_time(START, tick=False) as frozen:
        frozen_fake = FakeIps()
        assert frozen_fake.clock.source == "freezegun"
        frozen_bodies = poll_story(frozen_fake, frozen.tick)

    with time_machine.travel(START, tick=False) as traveller:
        travelling_fake = FakeIps()
        assert travelling_fake.clock.source == "time-machine"
        travelled = poll_story(travelling_fake, traveller.shift)

    assert len(manual) == 2 + 5 * len(POLL_POINTS)
    assert frozen_bodies == manual
    assert travelled == manual
    assert [fake.errors for fake in (manual_fake, frozen_fake, travelling_fake)] == [[], [], []]


# --------------------------------------------------------------------- the fake moves the active freezer


@contextlib.contextmanager
def frozen_with_freezegun() -> Iterator[None]:
    with freezegun.freeze_time(START, tick=False):
        yield


@contextlib.contextmanager
def travelling_with_time_machine() -> Iterator[None]:
    with time_machine.travel(START, tick=False):
        yield


FREEZERS = [
    pytest.param(frozen_with_freezegun, "freezegun", id="freezegun"),
    pytest.param(travelling_with_time_machine, "time-machine", id="time-machine"),
]


@pytest.mark.parametrize(("freezer", "name"), FREEZERS)
def test_advance_and_move_to_move_the_active_freezer(
    freezer: Callable[[], contextlib.AbstractContextManager[None]], name: str
) -> None:
    with freezer():
        fake = FakeIps()
        assert fake.clock.source == name
        assert fake.now() == datetime.now(UTC) == START

        assert fake.advance(timedelta(hours=1)) == datetime(2026, 1, 5, 10, 0, tzinfo=PST)
        assert datetime.now(UTC) == fake.now() == datetime(2026, 1, 5, 18, 0, tzinfo=UTC)

        fake.move_to(datetime(2026, 1, 6, 0, 0, tzinfo=UTC))
        assert datetime.now(UTC) == fake.now() == datetime(2026, 1, 5, 16, 0, tzinfo=PST)
        assert fake.now().isoformat() == "2026-01-05T16:00:00-08:00"  # in the server zone
    assert fake.clock.source == "manual"


# ------------------------------------------------------------------------------------ time never goes back


def test_advance_by_a_negative_delta_raises_clock_error() -> None:
    fake = FakeIps()

    with pytest.raises(ClockError) as caught:
        fake.advance(timedelta(seconds=-1))

    assert str(caught.value) == (
        "cannot move the clock backwards (advance by -1 day, 23:59:59); time only moves forward"
    )
    assert fake.now() == START


def test_move_to_an_earlier_instant_raises_clock_error() -> None:
    fake = FakeIps()
    fake.advance(timedelta(minutes=10))

    with pytest.raises(ClockError) as caught:
        fake.move_to(datetime(2026, 1, 5, 9, 5, tzinfo=PST))

    assert str(caught.value) == (
        "cannot move the clock backwards from 2026-01-05T17:10:00+00:00 to 2026-01-05T09:05:00-08:00; "
        "time only moves forward (reset the fake to start over)"
    )
    assert fake.now() == datetime(2026, 1, 5, 9, 10, tzinfo=PST)


def test_move_to_a_naive_instant_raises_clock_error() -> None:
    fake = FakeIps()

    with pytest.raises(ClockError) as caught:
        fake.move_to(datetime(2026, 1, 6, 9, 0))

    assert str(caught.value) == "move_to target 2026-01-06T09:00:00 has no time zone; give an aware datetime"
    assert fake.now() == START


@pytest.mark.parametrize("driver", ["freezegun", "time-machine"])
def test_a_freezer_moved_back_behind_what_the_fake_saw_gives_a_30000_fault(driver: str) -> None:
    freezer: contextlib.AbstractContextManager[Any] = (
        freezegun.freeze_time(START, tick=False) if driver == "freezegun" else time_machine.travel(START, tick=False)
    )
    with freezer as control:
        fake = FakeIps()
        client = SoapTestClient(fake)
        assert client.call("getActiveJobs", {"companyHandle": "c|100"}).fault_kind is None  # seen: 09:00

        control.move_to(datetime(2026, 1, 5, 8, 0, tzinfo=PST))
        went_back = client.call("getActiveJobs", {"companyHandle": "c|100"})

        assert (went_back.status, went_back.fault_kind, went_back.code) == (500, "ipsApiFault", 30000)
        assert went_back.reason == (
            "ips-mock: the clock went back from 2026-01-05T17:00:00+00:00 to 2026-01-05T16:00:00+00:00: the fake "
            "cannot undo what already happened; start freezers before the first call, or reset the fake"
        )
        assert b"<faultcode>soapenv:Server</faultcode>" in went_back.body

        # Once the freezer is past what the fake saw again, it answers as before.
        control.move_to(datetime(2026, 1, 5, 9, 0, 1, tzinfo=PST))
        assert client.call("getActiveJobs", {"companyHandle": "c|100"}).fault_kind is None


# -------------------------------------------------------------------------------------------- determinism

JOB_OPERATIONS = (
    "submitJob",
    "executeJob",
    "getActiveJobs",
    "getScheduledJobs",
    "stopJob",
    "pauseJob",
    "resumeJob",
    "deleteJob",
    "getJobLogs",
    "getJobLogDetails",
    "getAssetJobLogs",
)


def full_story(fake: FakeIps) -> list[tuple[str, bytes]]:
    """Every implemented operation, the clock moved in between; ``(operation, reply body)`` in call order."""
    client = SoapTestClient(fake)
    calls: list[tuple[str, bytes]] = []

    def call(operation: str, params: Mapping[str, Any], **options: Any) -> SoapReply:
        reply = client.call(operation, params, **options)
        calls.append((operation, reply.body))
        return reply

    call("checkLogin", {"email": "user@example.com", "password": "password"})
    call("getCompanyInfo", {"companyName": "Example"})
    call("submitJob", NIGHTLY)
    call("submitJob", upload_urls("upload", 4))
    call(
        "submitJob",
        {
            "companyHandle": "c|100",
            "jobName": "from-server",
            "uploadDirectoryJob": {  # three generated files: seeded Faker names
                "destFolder": "incoming/",
                "serverDir": "/mnt/ftp/incoming",
                "overwrite": True,
                "readyForPublish": False,
                "includeSubfolders": False,
                "createMask": False,
                "processMetadataFiles": False,
                "emailSetting": "None",
            },
        },
    )
    call(
        "submitJob",
        {
            "companyHandle": "c|100",
            "jobName": "at-eleven",
            "execTime": "2026-01-05T11:00:00-08:00",
            "imageServingPublishJob": {"publishType": "Incremental", "emailSetting": "All"},
        },
    )
    call("submitJob", {"companyHandle": "c|100", "jobName": "nothing"})  # 30002
    fake.advance(timedelta(seconds=20))
    active = call("getActiveJobs", {"companyHandle": "c|100"})
    call("getScheduledJobs", {})
    upload_run = next(h for h in texts(active, "jobHandle") if "||upload_" in h)
    call("stopJob", {"companyHandle": "c|100", "jobHandle": upload_run})
    call("stopJob", {"companyHandle": "c|100", "jobHandle": "j|200||theirs|1"}, user="user@example.com")  # 20006
    call("pauseJob", {"companyHandle": "c|100", "jobHandle": "j|100|nightly||"})
    fake.advance(timedelta(days=2))
    call("getScheduledJobs", {"companyHandle": "c|100"})
    call("resumeJob", {"companyHandle": "c|100", "jobHandle": "j|100|nightly||"})
    call("executeJob", {"companyHandle": "c|100", "jobHandle": "j|100|nightly||"})
    fake.move_to(datetime(2026, 1, 9, 12, 0, tzinfo=PST))
    call("getActiveJobs", {})
    call("getJobLogs", {"companyHandle": "c|100", "sortBy": "JobName", "sortDirection": "Ascending"})
    details = call(
        "getJobLogDetails",
        {"companyHandle": "c|100", "originalName": "from-server"},
        http_headers={"Accept-Language": "de"},
    )
    call("getJobLogDetails", {"companyHandle": "c|100", "jobHandle": upload_run, "recordsPerPage": 4, "resultsPage": 2})
    (asset,) = texts(details, "assetHandle")[1:2]
    call("getAssetJobLogs", {"companyHandle": "c|100", "assetHandle": asset})
    call("deleteJob", {"companyHandle": "c|100", "jobHandle": "j|100|nightly||"})
    call("getScheduledJobs", {"companyHandle": "c|100"})
    call("pauseJob", {"companyHandle": "c|100", "jobHandle": "j|100|nightly||"})  # 30001: deleted
    return calls


def test_two_fakes_fed_the_same_calls_answer_the_same_bytes() -> None:
    first, second = FakeIps(), FakeIps()

    one, two = full_story(first), full_story(second)

    assert {operation for operation, _ in one} == {"checkLogin", "getCompanyInfo", *JOB_OPERATIONS}
    assert [operation for operation, _ in one] == [operation for operation, _ in two]
    for (operation, body), (_, other) in zip(one, two, strict=True):
        assert body == other, f"{operation} answered differently"
    assert first.errors == second.errors == []

    first.reset()  # a reset fake is a fresh one
    assert full_story(first) == one
