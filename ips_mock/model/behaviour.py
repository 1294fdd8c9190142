"""How a run of a job goes, in virtual time: waits, progress steps, outcome.

Every run follows a plan computed from its behaviour when it fires, so the same fire time gives the same run.
Offsets are measured from the fire time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from functools import cached_property
from typing import Final, Literal

__all__ = ["DEFAULT_BEHAVIOUR", "Behaviour", "ProgressStep", "RunStep"]


@dataclass(frozen=True, slots=True)
class ProgressStep:
    """At ``at`` after the fire, progress becomes ``progress`` percent (and the matching share of items is done)."""

    at: timedelta
    progress: int
    message: str | None = None


@dataclass(frozen=True, slots=True)
class RunStep:
    """One step of a run's script: what happens ``at`` this long after the run was fired."""

    at: timedelta
    kind: Literal["wait", "start", "progress", "finish", "stopped"]
    progress: int = 0
    message: str | None = None


@dataclass(frozen=True)
class Behaviour:
    """A run's script. The default: New for 1 s, Running with progress 25/50/75 % at 15/30/45 s, Done at 60 s."""

    start_delay: timedelta = timedelta(seconds=1)
    """How long the run stays ``New``."""
    waiting: timedelta = timedelta(0)
    """How long it then stays ``WaitingCoordinator`` (0: not at all)."""
    duration: timedelta = timedelta(seconds=60)
    """From the fire to ``Done``."""
    steps: tuple[ProgressStep, ...] = (
        ProgressStep(timedelta(seconds=15), 25),
        ProgressStep(timedelta(seconds=30), 50),
        ProgressStep(timedelta(seconds=45), 75),
    )
    stuck: bool = False
    """Never finishes; only stopJob or deleteJob ends it."""
    fatal_error: str | None = None
    """When set, the run ends with a FatalError entry carrying this message and ``fatalError`` true."""
    error_items: int = 0
    """How many of the run's items fail (the last ones)."""
    warning_items: int = 0
    """How many of the items succeed with a warning (the ones before the failing ones)."""
    stop_delay: timedelta = timedelta(seconds=1)
    """How long a stopped run stays ``Stopping`` before it is ``Done``."""
    files: tuple[str, ...] = ()
    """The files an uploadDirectoryJob finds in its server directory (paths relative to it); empty: three
    generated names."""

    @cached_property
    def plan(self) -> tuple[RunStep, ...]:
        """The run's steps in time order: one immutable tuple per behaviour, shared by all its runs."""
        steps = []
        running_at = self.start_delay
        if self.waiting > timedelta(0):
            steps.append(RunStep(self.start_delay, "wait"))
            running_at += self.waiting
        steps.append(RunStep(running_at, "start"))
        steps += [RunStep(s.at, "progress", s.progress, s.message) for s in self.steps if s.at > running_at]
        if not self.stuck:
            steps.append(RunStep(max(self.duration, running_at), "finish", 100))
        return tuple(sorted(steps, key=lambda s: s.at))

    @cached_property
    def start_lag(self) -> timedelta:
        """How long after its fire a run of this behaviour starts (is ``Running`` and has its log)."""
        return self.start_delay + max(self.waiting, timedelta(0))


DEFAULT_BEHAVIOUR: Final = Behaviour()
