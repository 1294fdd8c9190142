"""Retention and the indexes behind the job queries, tested on the domain (IpsService, State) directly.

README "Choices", row "Retention": finished runs, their logs and details are dropped once a company has more than
``finished_runs_per_company`` newer finished runs and they ended more than ``keep_for`` before; active runs never;
what was dropped is counted. The indexes must answer exactly what a scan of every log would.
"""

from __future__ import annotations

import gc
import random
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from ips_mock.errors import IpsFault
from ips_mock.model import Company, Retention, State, User
from ips_mock.model.behaviour import Behaviour, ProgressStep
from ips_mock.model.jobs import RunState
from ips_mock.service import IpsService

START = datetime(2026, 3, 7, 17, 0, tzinfo=UTC)  # 09:00 in Los Angeles, the day before DST starts
PUBLISH = {"imageServingPublishJob": {"publishType": "Full", "emailSetting": "None"}}
UPLOAD = {
    "uploadUrlsJob": {
        "urlArray": [{"sourceUrl": f"http://images.example.net/{i}.jpg", "destPath": f"{i}.jpg"} for i in range(3)],
        "overwrite": True,
        "readyForPublish": True,
        "createMask": False,
        "emailSetting": "None",
    }
}


def _service(retention: Retention | None = None, behaviours: dict[str, Behaviour] | None = None) -> IpsService:
    companies = [Company(id=100, name="Example", root_path="Example/"), Company(id=200, name="Other", root_path="O/")]
    users = [
        User(id=1, email="admin@example.com", password="pw", role="IpsAdmin", company_ids=frozenset({100, 200})),
        User(id=2, email="user@example.com", password="pw", role="IpsUser", company_ids=frozenset({100})),
    ]
    chosen = behaviours or {}
    return IpsService(
        State.build(companies, users),
        retention=retention,
        behaviours=lambda name, element: chosen.get(name.split("-")[0], Behaviour()),
    )


def _admin(service: IpsService) -> User:
    user = service.state.user_by_email("admin@example.com")
    assert user is not None
    return user


def _submit(service: IpsService, name: str, now: datetime = START, *, company: str = "c|100", **fields: Any) -> str:
    params: dict[str, Any] = {"companyHandle": company, "jobName": name} | fields
    if not any(key.endswith("Job") for key in params):
        params |= PUBLISH
    return service.submit_job(_admin(service), now, params)


def test_the_default_keeps_10000_finished_runs_a_company_and_a_day_of_history() -> None:
    assert Retention() == Retention(finished_runs_per_company=10_000, keep_for=timedelta(days=1))
    assert Retention.KEEP_ALL.finished_runs_per_company is None
    with pytest.raises(ValueError, match="must be 0 or more"):
        Retention(finished_runs_per_company=-1)


def test_old_finished_runs_go_with_their_logs_and_are_counted() -> None:
    service = _service(Retention(finished_runs_per_company=5, keep_for=timedelta(hours=1)))
    _submit(service, "minutely", execSchedule="0 * * * * ?")
    service.observe(START + timedelta(hours=3))
    state = service.state
    fired = state.next_run_id - 1001
    assert fired == 180
    # Kept: the active run, and every run that ended within the hour before the last end (09:00 + 3 h, minus 1 m).
    assert len(state.runs) == 62
    assert state.dropped.runs == fired - len(state.runs)
    assert state.dropped.details == state.dropped.runs * 6  # begin, four information entries, end
    assert len(state.logs) == len(state.runs) - 1  # the run fired at 12:00 is New: no log yet
    assert sorted(state.runs) == list(range(1001 + fired - 62, 1001 + fired))
    assert len(state.run_names) == len(state.runs)
    oldest = min(state.runs.values(), key=lambda r: r.id)
    assert oldest.ended_at is not None
    assert oldest.ended_at >= START + timedelta(hours=2)
    # A dropped run's handle is unknown, as any handle the fake never had.
    with pytest.raises(IpsFault, match="unknown job handle"):
        service.job_log_details(
            _admin(service), {"companyHandle": "c|100", "jobHandle": "j|100||minutely_2026-03-07-09:01:00.000"}
        )


def test_the_count_is_per_company_and_active_runs_are_never_dropped() -> None:
    service = _service(Retention(finished_runs_per_company=3, keep_for=timedelta(0)), {"stuck": Behaviour(stuck=True)})
    _submit(service, "stuck-first")
    _submit(service, "minutely", execSchedule="0 * * * * ?")
    _submit(service, "quarterly", execSchedule="0 */15 * * * ?", company="c|200")
    service.observe(START + timedelta(hours=2))
    state = service.state
    by_company: dict[int, list[int]] = {100: [], 200: []}
    for run in state.runs.values():
        by_company[run.company_id].append(run.id)
    finished = {c: [i for i in ids if state.runs[i].state is RunState.DONE] for c, ids in by_company.items()}
    assert [len(finished[100]), len(finished[200])] == [3, 3]
    assert state.runs[1001].definition.name == "stuck-first"  # the oldest run of all, still running
    assert state.runs[1001].state is RunState.RUNNING


def test_memory_stays_flat_over_a_long_run() -> None:
    service = _service(Retention(finished_runs_per_company=50, keep_for=timedelta(minutes=30)))
    _submit(service, "minutely", execSchedule="0 * * * * ?", **UPLOAD)
    sizes = []
    for day in (1, 2, 3):
        service.observe(START + timedelta(days=day))
        state = service.state
        indexes = (state._logs, state._company_logs[100], state._asset_logs, state._job_logs, state._finished[100])
        sizes.append((len(state.runs), len(state.run_names), *(len(index) for index in indexes)))
    assert sizes[0] == sizes[1] == sizes[2]
    assert service.state.dropped.runs == 3 * 24 * 60 - sizes[0][0]


def _history(service: IpsService, hours: int, *, chunks: int) -> None:
    """Several jobs with different timings (waits, delays, items), observed in ``chunks`` equal steps."""
    for name, fields in (
        ("minutely", {"execSchedule": "0 * * * * ?"}),
        ("slow-upload", {"execSchedule": "0 */7 * * * ?", **UPLOAD}),
        ("late-publish", {"execSchedule": "30 */3 * * * ?"}),
    ):
        _submit(service, name, **fields)
    for chunk in range(1, chunks + 1):
        service.observe(START + timedelta(hours=hours) * chunk / chunks)


BEHAVIOURS = {
    "slow": Behaviour(
        start_delay=timedelta(seconds=5),
        waiting=timedelta(minutes=4),
        duration=timedelta(minutes=9),
        steps=(ProgressStep(timedelta(minutes=6), 40),),
    ),
    "late": Behaviour(start_delay=timedelta(seconds=90)),
}


def _snapshot(service: IpsService) -> tuple[Any, ...]:
    state = service.state
    return (
        [(r.id, r.name, r.state, r.ended_at) for r in state.runs.values()],
        [(log.run_name, len(log.details), log.started) for log in state.logs],
        (state.dropped.runs, state.dropped.details, state.next_run_id, state.next_asset_id),
    )


def test_what_is_kept_does_not_depend_on_how_time_was_advanced() -> None:
    retention = Retention(finished_runs_per_company=40, keep_for=timedelta(minutes=20))
    whole = _service(retention, BEHAVIOURS)
    _history(whole, 6, chunks=1)
    by_minute = _service(retention, BEHAVIOURS)
    _history(by_minute, 6, chunks=360)
    assert _snapshot(whole) == _snapshot(by_minute)
    assert whole.state.dropped.runs > 0


@pytest.mark.parametrize("seed", range(6))
def test_get_job_logs_with_num_rows_answers_what_sorting_every_log_answers(seed: int) -> None:
    """The numRows path reads only one end of the company's logs; it must pick exactly the logs (and the order)
    that sorting all of them would, whatever the timings, bounds, users and directions."""
    rng = random.Random(seed)
    service = _service(Retention.KEEP_ALL, BEHAVIOURS)
    _history(service, 3, chunks=7)
    user = service.state.user_by_email("user@example.com")
    assert user is not None
    now = START + timedelta(hours=3)
    for i in range(4):  # a few runs by another user, some at the same instant
        service.submit_job(user, now, {"companyHandle": "c|100", "jobName": f"by-user-{i}", **PUBLISH})
    service.observe(now + timedelta(minutes=5))
    admin = _admin(service)
    for _ in range(40):
        params: dict[str, Any] = {"sortDirection": rng.choice(["Ascending", "Descending"])}
        if rng.random() < 0.5:
            params["companyHandle"] = "c|100"
        if rng.random() < 0.3:
            params["userHandle"] = rng.choice(["u|1", "u|2"])
        if rng.random() < 0.3:
            params["startDate"] = START + timedelta(minutes=rng.randrange(0, 180))
        if rng.random() < 0.3:
            params["endDate"] = START + timedelta(minutes=rng.randrange(0, 200))
        everything = service.job_logs(admin, params)
        rows = rng.choice([0, 1, 2, 5, 17, 100, 1000])
        first = service.job_logs(admin, params | {"numRows": rows})
        assert [log.run_id for log in first] == [log.run_id for log in everything[:rows]]


def test_a_catch_up_leaves_the_garbage_collector_as_it_found_it() -> None:
    """Long catch-ups pause the cyclic collector (they create no cycles); it must be back on afterwards, and stay
    off when the caller had turned it off."""
    service = _service()
    _submit(service, "minutely", execSchedule="0 * * * * ?")
    assert gc.isenabled()
    assert service.scheduler.run_until(START + timedelta(hours=1)) > 64
    assert gc.isenabled()
    gc.disable()
    try:
        service.observe(START + timedelta(hours=2))
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_outbox_follows_the_same_policy() -> None:
    service = _service(Retention(finished_runs_per_company=20, keep_for=timedelta(minutes=30)))
    email = {"imageServingPublishJob": {"publishType": "Full", "emailSetting": "All"}}
    _submit(service, "minutely", execSchedule="0 * * * * ?", **email)
    lengths = []
    for hour in range(1, 7):
        service.observe(START + timedelta(hours=hour))
        lengths.append(len(service.state.outbox))
    state = service.state
    assert max(lengths) <= 2 * 20 + 64 + 60  # bounded, whatever the duration
    assert state.dropped.notifications + len(state.outbox) == 6 * 60 - 1  # every run but the running one sent one
    newest = state.outbox[-1].at
    assert all(n.at >= newest - timedelta(minutes=31) for n in state.outbox[-30:])
    assert [n.at for n in state.outbox] == sorted(n.at for n in state.outbox)
