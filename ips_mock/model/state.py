"""Everything the fake knows, with the indexes that keep each query's cost independent of history.

Runs, logs and details of finished runs are kept under a :class:`Retention` policy (IPS ages its job logs out
too): by default the newest 10,000 finished runs of each company, and never a run that ended less than a virtual
day ago; the outbox likewise. What was dropped is counted in :attr:`State.dropped`.
"""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar, Final, Literal

from .catalog import Catalog
from .company import Company
from .handles import company_id_of
from .jobstates import RunState
from .user import User

if TYPE_CHECKING:
    from .cdn import Invalidation
    from .jobs import JobDefinition, JobLog, LogRecord, Notification, Run
    from .propertysets import PropertySet, PropertySetType

__all__ = ["Dropped", "Event", "Retention", "State"]

Event = tuple[datetime, int, Literal["fire", "step"], list[tuple[Any, int]]]
"""Work due at a virtual instant: ``(due, seq, kind, members)``, ``due`` in UTC. Events run in (due, seq) order;
seq is the order they were scheduled in, so two events never compare beyond it. ``members`` are
``(target, generation)`` pairs, run in order: the job definition of a fire, the run of a step. Work scheduled for
one instant right after other work of the same kind for that instant (nothing else for that instant scheduled in
between) joins its event instead of taking a new one: the order is the same as one event each, and the heap holds
one entry per instant and kind rather than one per run. Plain tuples: the heap compares them in C."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Retention:
    """How much finished work the fake keeps (README "Choices": retention).

    A finished run, its job log and the log's details are dropped together once the company has at least
    ``finished_runs_per_company`` finished runs newer than it *and* it ended more than ``keep_for`` (virtual
    time) before the run whose end pushes it out. Active runs are never dropped. ``Retention.KEEP_ALL`` keeps
    everything, as the fake did before retention existed."""

    finished_runs_per_company: int | None = 10_000
    """The newest finished runs of each company always kept; ``None`` keeps every run."""
    keep_for: timedelta = timedelta(days=1)
    """A finished run younger than this (since it ended) is kept whatever the count."""

    KEEP_ALL: ClassVar[Retention]

    def __post_init__(self) -> None:
        if self.finished_runs_per_company is not None and self.finished_runs_per_company < 0:
            raise ValueError(f"finished_runs_per_company must be 0 or more, not {self.finished_runs_per_company}")
        if self.keep_for < timedelta(0):
            raise ValueError(f"keep_for must not be negative, not {self.keep_for}")


DEFAULT_RETENTION: Final = Retention()
"""The default policy (frozen, so every state may share it)."""


@dataclass(slots=True)
class Dropped:
    """What retention has dropped so far."""

    runs: int = 0
    """Finished runs, each with its job log."""
    details: int = 0
    """Job log entries of those logs."""
    notifications: int = 0
    """Outbox entries (the same policy: the newest ``finished_runs_per_company``, and every one younger than
    ``keep_for``, are kept)."""


_NO_LOGS: Final[dict[int, JobLog]] = {}


@dataclass
class State:
    """Everything the fake knows. Rebuilt from the scenario on reset, never cleared field by field."""

    companies: dict[int, Company] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    """Keyed by lower-cased e-mail: IPS e-mail addresses are case-insensitive."""
    seed: int = 0
    retention: Retention = field(default_factory=Retention)
    definitions: dict[str, JobDefinition] = field(default_factory=dict)
    """Live job definitions by submit handle (deleted ones move to ``deleted``)."""
    deleted: list[JobDefinition] = field(default_factory=list)
    runs: dict[int, Run] = field(default_factory=dict)
    """Every kept run, by run id, active or done (see :class:`Retention`)."""
    run_names: dict[tuple[int, str], int] = field(default_factory=dict)
    """(company id, run name) → run id of every kept run: names are unique per company, found in constant time."""
    catalog: Catalog = field(default_factory=Catalog)
    """Every company's folders and assets."""
    pending_calls: list[Notification] = field(default_factory=list)
    """HTTP calls recorded in the outbox and not yet handed to delivery, in order."""
    invalidations: dict[str, Invalidation] = field(default_factory=dict)
    """CDN cache invalidations by handle, oldest first (the newest ``MAX_KEPT_INVALIDATIONS``)."""
    next_invalidation: int = 1
    property_set_types: dict[str, PropertySetType] = field(default_factory=dict)
    """Property set types by handle, in creation order."""
    property_sets: dict[str, PropertySet] = field(default_factory=dict)
    """Property sets by handle, in creation order."""
    next_property_set_type: int = 1
    next_property_set: int = 1
    exports: dict[int, Any] = field(default_factory=dict)
    """Downloads export jobs left, by run id (``ips_mock.effects.ExportArchive``)."""
    outbox: list[Notification] = field(default_factory=list)
    """E-mails and HTTP calls IPS would have sent when runs ended, in order (recorded, never sent)."""
    events: list[Event] = field(default_factory=list)
    """Pending work, a heap of :data:`Event` tuples ordered by (due, seq)."""
    newest_events: dict[datetime, Event] = field(default_factory=dict, repr=False)
    """The event last scheduled for each instant, while it has not started: work for that instant joins it."""
    next_seq: int = 0
    next_run_id: int = 1001
    next_asset_id: int = 1001
    observed: datetime | None = None
    """The last instant the fake caught up to; time may not go back behind it."""
    dropped: Dropped = field(default_factory=Dropped)
    """Counts of what retention dropped."""
    max_start_lag: timedelta = timedelta(0)
    """The longest time any run took from its fire to its start: how far start order and start dates may differ."""
    # Indexes, each kept in step with the above by the methods below.
    _active: dict[int, Run] = field(default_factory=dict, repr=False)
    _active_by_job: dict[tuple[int, str], dict[int, Run]] = field(default_factory=dict, repr=False)
    _logs: dict[int, JobLog] = field(default_factory=dict, repr=False)
    _company_logs: dict[int, dict[int, JobLog]] = field(default_factory=dict, repr=False)
    _job_logs: dict[tuple[int, str], dict[int, JobLog]] = field(default_factory=dict, repr=False)
    _asset_logs: dict[str, dict[int, JobLog]] = field(default_factory=dict, repr=False)
    _finished: dict[int, deque[Run]] = field(default_factory=dict, repr=False)
    _next_log_seq: int = field(default=1, repr=False)
    _outbox_check_at: int = field(default=0, repr=False)

    @classmethod
    def build(
        cls, companies: Iterable[Company], users: Iterable[User], *, seed: int = 0, retention: Retention | None = None
    ) -> State:
        return cls(
            {c.id: c for c in companies}, {u.email.lower(): u for u in users}, seed, retention or DEFAULT_RETENTION
        )

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

    @property
    def logs(self) -> list[JobLog]:
        """Every kept job log, in the order the runs started (a new list: for reading)."""
        return list(self._logs.values())

    def active_runs(self) -> Iterator[Run]:
        """Runs not yet ``Done``, in run id order."""
        return iter(self._active.values())

    def active_runs_of(self, company_id: int, job_name: str) -> Iterator[Run]:
        """Active runs of the jobs named ``job_name`` in the company (follow-on runs carry their upload's name)."""
        return iter(self._active_by_job.get((company_id, job_name), {}).values())

    def company_logs(self, company_id: int) -> dict[int, JobLog]:
        """The company's kept logs by run id, in start order (read only)."""
        return self._company_logs.get(company_id, _NO_LOGS)

    def job_logs(self, company_id: int, original_job_name: str) -> dict[int, JobLog]:
        """The kept logs whose original job name is ``original_job_name``, by run id, in start order (read only)."""
        return self._job_logs.get((company_id, original_job_name), _NO_LOGS)

    def asset_logs(self, asset_handle: str) -> list[JobLog]:
        """The kept logs with an entry about ``asset_handle``, in start order."""
        found = self._asset_logs.get(asset_handle)
        return sorted(found.values(), key=lambda log: log.started) if found else []

    # ------------------------------------------------------------------------------------- run lifecycle

    def add_run(self, run: Run) -> None:
        """A run fired: kept, named and active."""
        company_id = run.definition.company_id
        self.runs[run.id] = run
        self.run_names[(company_id, run.name)] = run.id
        self._active[run.id] = run
        key = (company_id, run.definition.name)
        if (same_job := self._active_by_job.get(key)) is None:
            same_job = self._active_by_job[key] = {}
        same_job[run.id] = run

    def add_log(self, log: JobLog) -> None:
        """A run started: its log becomes visible, after every log started before it."""
        log.started = self._next_log_seq
        self._next_log_seq += 1
        self._logs[log.run_id] = log
        if (company := self._company_logs.get(log.company_id)) is None:
            company = self._company_logs[log.company_id] = {}
        company[log.run_id] = log
        key = (log.company_id, log.original_job_name)
        if (same_job := self._job_logs.get(key)) is None:
            same_job = self._job_logs[key] = {}
        same_job[log.run_id] = log

    def add_entries(self, log: JobLog, records: Iterable[LogRecord]) -> None:
        """Append entries to ``log`` (indexing those about an asset)."""
        added = tuple(records)
        log.entries += added
        for record in added:
            if (asset_handle := record[7]) is not None:
                self._asset_logs.setdefault(asset_handle, {})[log.run_id] = log

    def end_run(self, run: Run, at: datetime) -> None:
        """``run`` is Done at ``at``: no longer active; finished runs beyond the retention policy are dropped."""
        run.state = RunState.DONE
        run.ended_at = at
        del self._active[run.id]
        key = (run.definition.company_id, run.definition.name)
        same_job = self._active_by_job[key]
        del same_job[run.id]
        if not same_job:
            del self._active_by_job[key]
        limit = self.retention.finished_runs_per_company
        if limit is None:
            return
        finished = self._finished.get(run.company_id)
        if finished is None:
            finished = self._finished[run.company_id] = deque()
        finished.append(run)
        horizon = at - self.retention.keep_for
        while len(finished) > limit and (oldest := finished[0]).ended_at is not None and oldest.ended_at < horizon:
            finished.popleft()
            self._drop(oldest)

    def _drop(self, run: Run) -> None:
        log = run.log
        company_id = run.company_id
        del self.runs[run.id]
        del self.run_names[(company_id, run.name)]
        del self._logs[run.id]
        del self._company_logs[company_id][run.id]
        key = (company_id, log.original_job_name)
        same_job = self._job_logs[key]
        del same_job[run.id]
        if not same_job:
            del self._job_logs[key]
        for record in log.entries:  # the opening entries are never about an asset
            if (asset_handle := record[7]) is not None and (same_asset := self._asset_logs.get(asset_handle)):
                same_asset.pop(run.id, None)
                if not same_asset:
                    del self._asset_logs[asset_handle]
        self.dropped.runs += 1
        self.dropped.details += log.detail_count

    def send(self, notification: Notification) -> None:
        """Record what IPS would send. Entries beyond the retention policy leave the outbox in batches, checked
        each time it has grown by a quarter, so recording stays constant time."""
        outbox = self.outbox
        outbox.append(notification)
        if notification.kind == "http":
            self.pending_calls.append(notification)
        limit = self.retention.finished_runs_per_company
        if limit is None or len(outbox) < max(self._outbox_check_at, 2 * limit + 64):
            return
        horizon = notification.at - self.retention.keep_for
        # In time order: drop the oldest beyond the newest ``limit``, as far as they are older than the horizon.
        excess = len(outbox) - limit
        old = 0
        while old < excess and outbox[old].at < horizon:
            old += 1
        if old:
            del outbox[:old]
            self.dropped.notifications += old
        self._outbox_check_at = len(outbox) + max(64, len(outbox) // 4)

    # ------------------------------------------------------------------------------------------ events

    def schedule(self, due: datetime, kind: Literal["fire", "step"], target: Any, generation: int) -> None:
        """Add work due at ``due``, which must be in UTC (the heap then orders real instants: same-zone datetimes
        compare by wall clock, ignoring fold): after everything scheduled before it for that instant."""
        newest = self.newest_events.get(due)
        if newest is not None and newest[2] == kind:
            newest[3].append((target, generation))
            return
        event: Event = (due, self.next_seq, kind, [(target, generation)])
        self.next_seq += 1
        heapq.heappush(self.events, event)
        self.newest_events[due] = event

    def pop_due(self, now: datetime) -> Event | None:
        """The next event due at or before ``now``, taken off the heap (later work for its instant gets a new
        event, after it)."""
        events = self.events
        if events and events[0][0] <= now:
            event = heapq.heappop(events)
            newest = self.newest_events
            if newest.get(event[0]) is event:
                del newest[event[0]]
            return event
        return None

    def new_generation(self) -> int:
        """A number no trigger or run has had yet. Events carry the generation they were scheduled for, and one
        drawn from a single counter can never match a later definition that reuses the same handle."""
        self.next_seq += 1
        return self.next_seq

    # ------------------------------------------------------------------------------------------ ids

    def take_run_id(self) -> int:
        self.next_run_id += 1
        return self.next_run_id - 1

    def take_asset_id(self) -> int:
        self.next_asset_id += 1
        return self.next_asset_id - 1

    def take_invalidation_number(self) -> int:
        self.next_invalidation += 1
        return self.next_invalidation - 1

    def keep_invalidation(self, invalidation: Invalidation, limit: int) -> None:
        """Record ``invalidation``, dropping the oldest beyond ``limit``."""
        self.invalidations[invalidation.handle] = invalidation
        while len(self.invalidations) > limit:
            del self.invalidations[next(iter(self.invalidations))]

    @cached_property
    def faker(self) -> Any:
        """Generated names, seeded by the scenario so the same scenario gives the same names."""
        from faker import Faker

        faker = Faker("en_US")
        faker.seed_instance(self.seed)
        return faker


Retention.KEEP_ALL = Retention(finished_runs_per_company=None)
