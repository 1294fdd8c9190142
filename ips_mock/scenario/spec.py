"""The validated sections of a scenario, as plain data (no XML, no protocol)."""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from ..model.behaviour import Behaviour
from ..model.catalog import CropRect
from .expectations import Expectations

__all__ = [
    "AssetSeed",
    "BehaviourRule",
    "CallExpectation",
    "Expectations",
    "FaultAction",
    "FaultRule",
    "JobExpectation",
    "JobSeed",
    "LogExpectation",
    "PropertySetSeed",
    "SmartCropSeed",
    "StubSpec",
    "TimelineStep",
]

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class BehaviourRule:
    name: str | None
    job_type: str | None
    behaviour: Behaviour

    def matches(self, job_name: str, job_type: str) -> bool:
        return (self.name is None or fnmatch.fnmatchcase(job_name, self.name)) and (
            self.job_type is None or self.job_type == job_type
        )


@dataclass(frozen=True)
class FaultAction:
    """What an injected fault does: ``fault`` (an IPS fault), ``http``, ``delay``, ``drop`` or ``garbage``."""

    kind: str
    code: int = 0
    reason: str = ""
    status: int = 0
    body: str = ""
    content_type: str | None = None
    delay: timedelta = timedelta(0)
    size: int = 0


@dataclass(frozen=True)
class FaultRule:
    index: int
    operation: str | None
    job_name: str | None
    user: str | None
    start: datetime | None
    until: datetime | None
    times: int | None
    action: FaultAction

    def matches(self, operation: str, job_name: str | None, user: str | None, now: datetime) -> bool:
        if self.operation is not None and operation != self.operation:
            return False
        if self.job_name is not None and (job_name is None or not fnmatch.fnmatchcase(job_name, self.job_name)):
            return False
        if self.user is not None and (user or "").lower() != self.user.lower():
            return False
        if self.start is not None and now < self.start:
            return False
        return self.until is None or now < self.until

    def covers(self, other: FaultRule) -> bool:
        """Whether this rule, applying always, matches every request ``other`` could match."""
        return (
            self.times is None
            and self.operation in (None, other.operation)
            and self.job_name in (None, other.job_name)
            and (self.user is None or (other.user or "").lower() == self.user.lower())
            and (self.start is None or (other.start is not None and other.start >= self.start))
            and (self.until is None or (other.until is not None and other.until <= self.until))
        )


@dataclass(frozen=True)
class StubSpec:
    index: int
    operation: str
    times: int | None
    xml: str | None
    fields: Mapping[str, Any] | None


@dataclass(frozen=True)
class AssetSeed:
    """An asset that exists at clock.start: ``path`` is the full path under the company root (``Example/a/b.jpg``)."""

    index: int
    company_id: int
    path: str
    type: str | None = None
    ready_for_publish: bool = True
    size: int | None = None
    width: int | None = None
    height: int | None = None
    created_by: str | None = None
    metadata: Mapping[str, str] = field(default_factory=dict)
    smart_crops: tuple[SmartCropSeed, ...] = ()


@dataclass(frozen=True)
class SmartCropSeed:
    """A smart crop of a seeded image: its name, rendition size and where it is cut (fractions of the image)."""

    name: str
    width: int
    height: int
    crop: CropRect
    """As stored: checked, and cut back to the image's edge."""


@dataclass(frozen=True)
class PropertySetSeed:
    """A property set that exists at clock.start; its type (of ``company_id``, named ``type_name``) is made with
    the first set that names it."""

    index: int
    company_id: int
    type_name: str
    allow_multiple: bool
    owner: str | None
    """A handle; None: the company."""
    properties: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class JobSeed:
    index: int
    company: str
    name: str
    submitted_by: str
    exec_time: datetime | None
    exec_schedule: str | None
    paused: bool
    description: str | None
    locale: str | None
    element: str
    spec: Mapping[str, Any]
    past_runs: tuple[datetime, ...]


@dataclass(frozen=True)
class TimelineStep:
    index: int
    advance: timedelta | None = None
    move_to: datetime | None = None
    call: str | None = None
    user: str | None = None
    version: str = "2014-04-03"
    params: Mapping[str, Any] | None = None
    expect_fault: int | None = None
    expect_ok: bool = False
    expect_reply: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class CallExpectation:
    index: int
    operation: str
    times: int | None
    at_least: int | None
    never: bool
    where: Mapping[str, Any] | None


@dataclass(frozen=True)
class JobExpectation:
    index: int
    company: str | None
    name: str
    state: str | None
    runs: int | None


@dataclass(frozen=True)
class LogExpectation:
    index: int
    job_name: str
    count: int | None
    fatal_error: bool | None
    file_success_count: int | None
    file_error_count: int | None
