"""Jobs in their three phases (IPS-REFERENCE §7.3): definitions with triggers, runs, and job logs.

Plain data. Handles and run names have the exact observed shapes (§7.1, §7.2). Times are aware datetimes; the
caller decides the zone they are shown in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Final, Literal, NamedTuple

from .jobstates import RunState, TriggerState

if TYPE_CHECKING:
    from collections.abc import Iterator

    from ..cron import CronSchedule
    from .behaviour import Behaviour, RunStep

__all__ = [
    "JobDefinition",
    "JobLog",
    "JobLogDetail",
    "LogEntry",
    "LogRecord",
    "Notification",
    "Run",
    "RunState",
    "TaskProgress",
    "Trigger",
    "TriggerState",
    "WorkItem",
    "run_name",
    "run_stamp",
]


@dataclass(slots=True)
class Trigger:
    """When a definition fires: once (``exec_time``, or at submission) or on a schedule."""

    exec_time: datetime | None = None
    schedule: CronSchedule | None = None
    state: TriggerState = TriggerState.NORMAL
    next_fire: datetime | None = None
    generation: int = 0
    """Renewed (from State.new_generation) on every re-arm, pause and delete, so earlier fire events are ignored."""
    fires: Iterator[datetime] | None = field(default=None, repr=False, compare=False)
    """The schedule's fires after ``next_fire`` (UTC), one cron iterator for the trigger's life; set by arm()."""


@dataclass(slots=True)
class JobDefinition:
    """What submitJob created: a named job of one type with its normalized spec and its trigger."""

    company_id: int
    name: str
    job_type: str
    """The job element name, e.g. ``uploadUrlsJob``."""
    spec: dict[str, Any]
    """The normalized job element, server defaults filled in (what getActiveJobs/getScheduledJobs echo)."""
    submitted: dict[str, Any]
    """The job element as the client sent it (decoded): what the runs process."""
    submit_user_email: str
    notify_user_email: str
    locale: str
    description: str | None
    trigger: Trigger
    submitted_at: datetime
    behaviour: Behaviour
    deleted: bool = False
    handle: str = field(init=False, repr=False, compare=False)
    """The submit handle ``j|<co>|<jobName>||``."""

    def __post_init__(self) -> None:
        self.handle = f"j|{self.company_id}|{self.name}||"

    @property
    def scheduled(self) -> bool:
        """Listed by getScheduledJobs: a live trigger that has not completed."""
        return not self.deleted and self.trigger.state in (
            TriggerState.NORMAL,
            TriggerState.PAUSED,
            TriggerState.BLOCKED,
        )


@dataclass(slots=True)
class TaskProgress:
    """One task's progress as getActiveJobs reports it (``TaskProgress`` in the WSDL)."""

    task_type: str
    task_state: str
    num_processed: int
    num_processing: int
    num_pending: int
    progress: float
    progress_message: str
    last_progress_update: datetime


DOWNLOAD_SCHEME: Final = "ips-mock-download:"
"""Marks a log entry's asset name as a download the fake serves (an export's zip): the binding writes it as an http
URL on the server the reader asked, ``<service root>/<rest>``."""


@dataclass(slots=True)
class Notification:
    """What IPS sends when a run ends: an e-mail (per emailSetting; recorded, never sent) or an HTTP call
    (httpCompletionUrl, postHttpUrl; delivered by the fake when allowed, see ``delivery``)."""

    kind: Literal["email", "http"]
    at: datetime
    to: str
    """The recipient's e-mail address, or the URL."""
    job_name: str
    run_name: str
    log_handle: str
    outcome: Literal["success", "warning", "error", "stopped"]
    locale: str
    delivery: str | None = None
    """For an HTTP call: None until the fake tries it, then e.g. ``delivered: HTTP 200``, ``failed: …`` or
    ``not delivered: host … is not allowed``."""


@dataclass(frozen=True, slots=True)
class WorkItem:
    """One thing a run processes (a URL, a file, an asset) and the asset it results in."""

    name: str
    source: str
    asset_handle: str
    asset_type: str
    path: str


LogEntry = tuple[str, str, tuple[str, ...], bool]
"""An undated log entry: (log type, message, message arguments, localized)."""

LogRecord = tuple[str, datetime, str, tuple[str, ...], bool, str | None, str | None, str | None]
"""A written log entry as a log stores it: the fields of :class:`JobLogDetail`, in order, in a plain tuple. The
garbage collector stops tracking plain tuples of strings and instants (never a named tuple's), so a long history
of entries costs no collection time."""


class JobLogDetail(NamedTuple):
    """One job log entry. ``message`` is a template key rendered in the reader's locale, or a literal value.

    What readers get; a log stores its entries as :data:`LogRecord` tuples."""

    log_type: str
    date_created: datetime
    message: str
    args: tuple[str, ...] = ()
    localized: bool = True
    asset_name: str | None = None
    asset_type: str | None = None
    asset_handle: str | None = None


@dataclass(slots=True)
class JobLog:
    """The log of one run, written as the run goes (details accumulate; ``end_date`` is set at the end)."""

    company_id: int
    run_id: int
    run_name: str
    original_job_name: str
    submit_user_email: str
    log_type: str
    job_sub_type: str
    start_date: datetime
    description: str
    end_date: datetime | None = None
    file_success_count: int = 0
    file_error_count: int = 0
    file_warning_count: int = 0
    file_duplicate_count: int = 0
    file_update_count: int = 0
    total_file_count: int = 0
    transfer_success_count: int = 0
    transfer_error_count: int = 0
    transfer_warning_count: int = 0
    fatal_error: bool = False
    opening: tuple[LogEntry, ...] = ()
    """The entries every log of the job opens with (its begin entry, OriginalJobName, JobType, ...), dated
    ``opened_at``: one tuple shared by all the job's logs, so a run costs no copies of them."""
    opened_at: datetime | None = None
    entries: tuple[LogRecord, ...] = ()
    """The entries after the opening ones, in the order they were written (see :data:`LogRecord`)."""
    started: int = 0
    """Where the run's start puts the log among all logs (State keeps logs in start order); 0 before it starts."""

    @property
    def handle(self) -> str:
        return f"j|{self.company_id}||{self.run_name}"

    @property
    def details(self) -> list[JobLogDetail]:
        """Every entry of the log in the order written (a new list: for reading)."""
        at = self.opened_at
        opening = (
            [] if at is None else [JobLogDetail(t, at, m, args, localized) for t, m, args, localized in self.opening]
        )
        return opening + [JobLogDetail._make(record) for record in self.entries]

    @property
    def detail_count(self) -> int:
        return (len(self.opening) if self.opened_at is not None else 0) + len(self.entries)


@dataclass(slots=True)
class Run:
    """One execution of a definition: what getActiveJobs shows while it lives."""

    id: int
    definition: JobDefinition
    name: str
    trigger_time: datetime
    state: RunState
    progress: int
    progress_message: str
    last_progress_update: datetime
    items: tuple[WorkItem, ...]
    log: JobLog
    plan: tuple[RunStep, ...]
    next_step: int = 0
    items_done: int = 0
    tasks: tuple[TaskProgress, ...] = ()
    generation: int = 0
    """Renewed when the plan changes (stop, delete), so events scheduled for the old plan are ignored."""
    ended_at: datetime | None = None
    initiated_by: str | None = None
    """The run name of the upload run whose follow-on publish job this run is."""
    outcome: Literal["success", "warning", "error", "stopped"] | None = None
    """How the run ended (None while it lives): what its notifications report."""

    @property
    def handle(self) -> str:
        return f"j|{self.definition.company_id}||{self.name}|{self.id}"

    @property
    def company_id(self) -> int:
        return self.definition.company_id

    @property
    def active(self) -> bool:
        return self.state is not RunState.DONE


def run_name(job_name: str, fire_time: datetime) -> str:
    """``<jobName>_<yyyy-MM-dd-HH:mm:ss.SSS>`` stamped with the fire time in the zone it is given in."""
    return f"{job_name}_{run_stamp(fire_time)}"


def run_stamp(fire_time: datetime) -> str:
    """The ``yyyy-MM-dd-HH:mm:ss.SSS`` part of a run name: the fire time in the zone it is given in."""
    t = fire_time  # fields rather than strftime: a third faster, the same text (%Y does not pad years either)
    return f"{t.year}-{t.month:02d}-{t.day:02d}-{t.hour:02d}:{t.minute:02d}:{t.second:02d}.{t.microsecond // 1000:03d}"
