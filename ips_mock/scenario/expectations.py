"""A scenario's expectations (its ``expect`` section) as a whole; the entries' classes are in :mod:`.spec`.

Apart from :mod:`.spec` (which re-exports it) because every scenario has expectations, most of them none, while
the other classes are needed only by scenarios that have such entries or sections: a scenario without them, like
the built-in one, loads without creating them (creating a dataclass costs about half a millisecond).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .spec import CallExpectation, JobExpectation, LogExpectation

__all__ = ["Expectations"]


@dataclass(frozen=True)
class Expectations:
    """A scenario's ``expect`` section: what a test must have seen happen (checked by ``verify``)."""

    calls: tuple[CallExpectation, ...] = ()
    jobs: tuple[JobExpectation, ...] = ()
    logs: tuple[LogExpectation, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.calls or self.jobs or self.logs)
