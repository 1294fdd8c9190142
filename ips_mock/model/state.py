from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from typing import Any, Literal

from .catalog import Catalog
from .company import Company
from .handles import company_id_of
from .jobs import JobDefinition, JobLog, Notification, Run
from .user import User

__all__ = ["Event", "State"]


@dataclass(frozen=True, order=True)
class Event:
    """Work due at a virtual instant. Events run in (due, seq) order; seq is the order they were scheduled in."""

    due: datetime
    seq: int
    kind: Literal["fire", "step"] = field(compare=False)
    key: str | int = field(compare=False)
    """The definition handle of a fire, the run id of a step."""
    generation: int = field(compare=False)


@dataclass
class State:
    """Everything the fake knows. Rebuilt from the scenario on reset, never cleared field by field."""

    companies: dict[int, Company] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    """Keyed by lower-cased e-mail: IPS e-mail addresses are case-insensitive."""
    seed: int = 0
    definitions: dict[str, JobDefinition] = field(default_factory=dict)
    """Live job definitions by submit handle (deleted ones move to ``deleted``)."""
    deleted: list[JobDefinition] = field(default_factory=list)
    runs: dict[int, Run] = field(default_factory=dict)
    """Every run ever, by run id, active or done."""
    run_names: dict[tuple[int, str], int] = field(default_factory=dict)
    """(company id, run name) → run id of every run: names are unique per company, and found in constant time."""
    logs: list[JobLog] = field(default_factory=list)
    """Job logs in the order their runs started."""
    catalog: Catalog = field(default_factory=Catalog)
    """Every company's folders and assets."""
    outbox: list[Notification] = field(default_factory=list)
    """E-mails and HTTP calls IPS would have sent when runs ended, in order (recorded, never sent)."""
    events: list[Event] = field(default_factory=list)
    """Pending work, a heap ordered by (due, seq)."""
    next_seq: int = 0
    next_run_id: int = 1001
    next_asset_id: int = 1001
    observed: datetime | None = None
    """The last instant the fake caught up to; time may not go back behind it."""

    @classmethod
    def build(cls, companies: Iterable[Company], users: Iterable[User], *, seed: int = 0) -> State:
        return cls({c.id: c for c in companies}, {u.email.lower(): u for u in users}, seed)

    # ---------------------------------------------------------------------------------------- look-ups

    def user_by_email(self, email: str) -> User | None:
        return self.users.get(email.strip().lower())

    def user_by_handle(self, handle: str) -> User | None:
        return next((u for u in self.users.values() if u.handle == handle.strip()), None)

    def company_by_handle(self, handle: str) -> Company | None:
        company_id = company_id_of(handle)
        return None if company_id is None else self.companies.get(company_id)

    def company_by_name(self, name: str) -> Company | None:
        return next((c for c in self.companies.values() if c.name == name), None)

    def company_by_ims_org_id(self, ims_org_id: str) -> Company | None:
        return next((c for c in self.companies.values() if c.ims_org_id == ims_org_id), None)

    def active_runs(self) -> Iterator[Run]:
        return (run for run in self.runs.values() if run.active)

    # ------------------------------------------------------------------------------------------ events

    def schedule(self, due: datetime, kind: Literal["fire", "step"], key: str | int, generation: int) -> Event:
        # In UTC, so the heap orders real instants (same-zone datetimes compare by wall clock, ignoring fold).
        event = Event(due.astimezone(UTC), self.next_seq, kind, key, generation)
        self.next_seq += 1
        heapq.heappush(self.events, event)
        return event

    def new_generation(self) -> int:
        """A number no trigger or run has had yet. Events carry the generation they were scheduled for, and one
        drawn from a single counter can never match a later definition that reuses the same handle."""
        self.next_seq += 1
        return self.next_seq

    def pop_due(self, now: datetime) -> Event | None:
        if self.events and self.events[0].due <= now:
            return heapq.heappop(self.events)
        return None

    # ------------------------------------------------------------------------------------------ ids

    def take_run_id(self) -> int:
        self.next_run_id += 1
        return self.next_run_id - 1

    def take_asset_id(self) -> int:
        self.next_asset_id += 1
        return self.next_asset_id - 1

    @cached_property
    def faker(self) -> Any:
        """Generated names, seeded by the scenario so the same scenario gives the same names."""
        from faker import Faker

        faker = Faker("en_US")
        faker.seed_instance(self.seed)
        return faker
