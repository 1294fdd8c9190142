"""The scheduler's event queue (State.schedule, State.pop_due): work runs in (due time, scheduling order).

Work scheduled for an instant right after other work of the same kind for that instant joins that event instead
of taking a heap entry of its own; these tests check that this never changes the order against a plain list of
one entry per piece of work, including work scheduled while an instant's work runs, and runs' steps through the
scheduler.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

import pytest

from ips_mock.model import Company, State, User
from ips_mock.model.behaviour import Behaviour, ProgressStep
from ips_mock.model.roles import Role
from ips_mock.service import IpsService

START = datetime(2026, 3, 7, 17, 0, tzinfo=UTC)
Kind = Literal["fire", "step"]


def test_work_of_one_instant_and_kind_scheduled_in_a_row_is_one_event() -> None:
    state = State()
    due = START + timedelta(seconds=1)
    state.schedule(due, "step", "a", 1)
    state.schedule(due + timedelta(seconds=1), "step", "x", 1)  # another instant: does not interrupt the row
    state.schedule(due, "step", "b", 2)
    state.schedule(due, "fire", "c", 3)  # another kind for the same instant: the row ends
    state.schedule(due, "step", "d", 4)
    events = []
    while (event := state.pop_due(due + timedelta(seconds=5))) is not None:
        events.append((event[0] - START, event[2], event[3]))
    assert events == [
        (timedelta(seconds=1), "step", [("a", 1), ("b", 2)]),
        (timedelta(seconds=1), "fire", [("c", 3)]),
        (timedelta(seconds=1), "step", [("d", 4)]),
        (timedelta(seconds=2), "step", [("x", 1)]),
    ]


def test_work_scheduled_for_an_instant_whose_event_started_comes_after_it() -> None:
    state = State()
    state.schedule(START, "step", "a", 1)
    first = state.pop_due(START)
    assert first is not None
    state.schedule(START, "step", "b", 1)  # while "a" runs: after it, in a new event
    assert first[3] == [("a", 1)]
    second = state.pop_due(START)
    assert second is not None
    assert second[3] == [("b", 1)]
    assert state.pop_due(START) is None


class _OneEntryEach:
    """The reference: a plain list of one entry per piece of work, run in (due, scheduling order)."""

    def __init__(self) -> None:
        self.pending: list[tuple[datetime, int, Kind, str]] = []
        self.counter = 0

    def schedule(self, due: datetime, kind: Kind, name: str) -> None:
        self.pending.append((due, self.counter, kind, name))
        self.counter += 1

    def next_due(self, now: datetime) -> list[tuple[datetime, Kind, str]]:
        if not self.pending or min(self.pending)[0] > now:
            return []
        entry = min(self.pending)
        self.pending.remove(entry)
        return [(entry[0], entry[2], entry[3])]


class _Queue:
    """The State's event heap, one event (possibly of several pieces of work) at a time."""

    def __init__(self) -> None:
        self.state = State()

    def schedule(self, due: datetime, kind: Kind, name: str) -> None:
        self.state.schedule(due, kind, name, 0)

    def next_due(self, now: datetime) -> list[tuple[datetime, Kind, str]]:
        event = self.state.pop_due(now)
        return [] if event is None else [(event[0], event[2], target) for target, _ in event[3]]


def _random_run(seed: int, queue: Any) -> list[tuple[datetime, Kind, str]]:
    """Random schedules and catch-ups; work run may schedule more work, possibly for its own instant."""
    rng = random.Random(seed)
    names = iter(range(10**6))
    children: dict[str, list[tuple[int, Kind]]] = {}

    def new_work() -> str:
        name = f"w{next(names)}"
        children[name] = [
            (rng.choice([0, 0, 1, 2, 5]), rng.choice(["fire", "step"])) for _ in range(rng.choice([0, 0, 0, 1, 2]))
        ]
        return name

    ran: list[tuple[datetime, Kind, str]] = []
    now = START
    for _ in range(80):
        if rng.random() < 0.6:
            due = now + timedelta(seconds=rng.choice([0, 1, 1, 2, 3, 7]))
            queue.schedule(due, rng.choice(["fire", "step"]), new_work())
            continue
        now += timedelta(seconds=rng.choice([0, 1, 2, 5]))
        while work := queue.next_due(now):
            for due, kind, name in work:
                ran.append((due, kind, name))
                for delay, child_kind in children[name]:
                    queue.schedule(due + timedelta(seconds=delay), child_kind, new_work())
    return ran


@pytest.mark.parametrize("seed", range(60))
def test_joined_events_run_in_the_order_of_one_entry_each(seed: int) -> None:
    reference = _random_run(seed, _OneEntryEach())
    assert len(reference) > 20
    assert _random_run(seed, _Queue()) == reference


def test_runs_ending_at_one_instant_end_in_the_order_their_ends_were_scheduled() -> None:
    """Two runs end at the same instant: the one whose end was scheduled first (by its last step before the
    end) ends first, whatever their fire or start order: here "late" fired ten seconds after "early" but its
    last progress step came first, so it ends (and notifies) first."""
    behaviours = {
        "early": Behaviour(steps=(ProgressStep(timedelta(seconds=50), 50),), duration=timedelta(seconds=60)),
        "late": Behaviour(steps=(ProgressStep(timedelta(seconds=20), 50),), duration=timedelta(seconds=50)),
    }
    company = Company(id=100, name="Example", root_path="Example/")
    admin = User(id=1, email="admin@example.com", password="pw", role=Role.IPS_ADMIN, company_ids=frozenset({100}))
    service = IpsService(State.build([company], [admin]), behaviours=lambda name, element: behaviours[name])
    job = {"imageServingPublishJob": {"publishType": "Full", "emailSetting": "All"}}
    service.observe(START)
    service.submit_job(admin, START, {"companyHandle": "c|100", "jobName": "early"} | job)
    service.observe(START + timedelta(seconds=10))
    service.submit_job(admin, START + timedelta(seconds=10), {"companyHandle": "c|100", "jobName": "late"} | job)
    service.observe(START + timedelta(minutes=5))
    assert [(n.job_name, n.at - START) for n in service.state.outbox] == [
        ("late", timedelta(seconds=60)),
        ("early", timedelta(seconds=60)),
    ]
