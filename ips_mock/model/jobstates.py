"""The states of runs and triggers, apart from the job records (:mod:`ips_mock.model.jobs`), so that the state
and the scenario checks can compare against them while nothing has loaded the records: a server answering its
first company requests has no job."""

from __future__ import annotations

import enum

__all__ = ["RunState", "TriggerState"]


class RunState(enum.Enum):
    """ActiveJob/state."""

    UNKNOWN = "Unknown"
    NEW = "New"
    WAITING_CLIENT = "WaitingClient"
    WAITING_COORDINATOR = "WaitingCoordinator"
    RUNNING = "Running"
    STOPPING = "Stopping"
    DONE = "Done"

    @property
    def is_waiting(self) -> bool:
        return self in (RunState.WAITING_CLIENT, RunState.WAITING_COORDINATOR)


class TriggerState(enum.Enum):
    """ScheduledJob/triggerState: Quartz's TriggerState names."""

    NORMAL = "Normal"
    PAUSED = "Paused"
    COMPLETE = "Complete"
    BLOCKED = "Blocked"
    ERROR = "Error"
    NONE = "None"
