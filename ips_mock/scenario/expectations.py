"""What a scenario expects to have happened by the end of a test (its ``expect`` section), as plain data.

Apart from :mod:`.spec` (which re-exports these) because every scenario has expectations, empty or not, while the
other sections' classes are needed only by scenarios that have those sections: a scenario without them, like the
built-in one, loads without creating them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["CallExpectation", "Expectations", "JobExpectation", "LogExpectation"]


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


@dataclass(frozen=True)
class Expectations:
    calls: tuple[CallExpectation, ...] = ()
    jobs: tuple[JobExpectation, ...] = ()
    logs: tuple[LogExpectation, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.calls or self.jobs or self.logs)
