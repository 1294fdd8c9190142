"""The IPS operations as plain Python: who may do what, and what each operation answers.

Pure domain code: it receives decoded parameters and returns model objects or plain values, and raises
:class:`IpsFault` for every refusal. It never sees XML.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from .clock import LAST_INSTANT
from .errors import IpsFault
from .model import State
from .model.state import Retention
from .services.assets import AssetService
from .services.cdn import CdnService
from .services.company import CompanyService
from .services.jobs import JobService
from .services.propertysets import PropertySetService

if TYPE_CHECKING:
    from .model.behaviour import Behaviour
    from .scheduler import Misfire, Scheduler

__all__ = ["BehaviourChooser", "ClockOutOfRangeError", "ClockWentBackError", "IpsService"]

BehaviourChooser = Callable[[str, str], "Behaviour"]
"""Picks the behaviour of a new job from its name and job element (scenario behaviours; default otherwise)."""


def _default_behaviour(name: str, job_type: str) -> Behaviour:
    return _the_default_behaviour()


@cache
def _the_default_behaviour() -> Behaviour:
    """Imported with the first run that needs it (a server with no job never does); cached, as it is asked for
    every run."""
    from .model.behaviour import DEFAULT_BEHAVIOUR

    return DEFAULT_BEHAVIOUR


class IpsService(CompanyService, JobService, AssetService, CdnService, PropertySetService):
    """Every IPS area's operations on one state (each area's methods live in :mod:`ips_mock.services`)."""

    def __init__(
        self,
        state: State,
        *,
        zone: ZoneInfo | None = None,
        misfire: Misfire = "fire_all",
        behaviours: BehaviourChooser = _default_behaviour,
        retention: Retention | None = None,
    ) -> None:
        """``retention`` (default: the state's own, ``Retention()`` unless built otherwise) bounds how many finished
        runs and logs are kept; it applies from the next run that ends."""
        self.state = state
        if retention is not None:
            state.retention = retention
        self.zone = zone or ZoneInfo("America/Los_Angeles")
        self._misfire: Misfire = misfire
        self.behaviours = behaviours
        self._scheduler: Scheduler | None = None

    @property
    def scheduler(self) -> Scheduler:
        """Made on first use: a fake that has never had anything scheduled (a server answering its first company
        requests) does not import the job machinery."""
        scheduler = self._scheduler
        if scheduler is None:
            from .scheduler import Scheduler

            # Through self, so a behaviours chooser set later (as tests do) also decides follow-on runs.
            scheduler = Scheduler(
                self.state, self.zone, self._misfire, lambda name, job_type: self.behaviours(name, job_type)
            )
            self._scheduler = scheduler
        return scheduler

    def observe(self, now: datetime) -> None:
        """Run everything due up to ``now``; refuse time that goes back behind what was already observed."""
        observed = self.state.observed
        if observed is not None and now < observed:
            raise ClockWentBackError(
                f"the clock went back from {observed.isoformat()} to {now.isoformat()}: the fake cannot undo what "
                "already happened; start freezers before the first call, or reset the fake"
            )
        if now > LAST_INSTANT:  # a freezer set past the end of what the model can represent
            raise ClockOutOfRangeError(
                f"the clock reads {now.isoformat()}, after {LAST_INSTANT.isoformat()}, the last instant ips-mock "
                "models; keep freezers before it"
            )
        self.state.observed = now
        if self.state.events:  # nothing scheduled: nothing to run (and no scheduler to make)
            self.scheduler.run_until(now)


class ClockWentBackError(IpsFault):
    def __init__(self, reason: str) -> None:
        super().__init__(IpsFault.EXCEPTION, f"ips-mock: {reason}")


class ClockOutOfRangeError(ClockWentBackError):
    """The clock shows an instant the model cannot represent: a test mistake, answered and kept like time going
    back."""
