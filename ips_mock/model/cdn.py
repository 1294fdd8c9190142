"""CDN cache invalidations: what ``cdnCacheInvalidation`` requests and ``getCdnCacheInvalidationStatus`` reports.

IPS forwards the URLs to its CDN partner and answers at once with a handle and an estimate; Adobe documents that
an invalidation now takes about five seconds. The fake keeps no URLs (the journal has the request), only when
each invalidation was asked for and when it is done, on the virtual clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

__all__ = ["INVALIDATION_TIME", "MAX_KEPT_INVALIDATIONS", "Invalidation"]

INVALIDATION_TIME: Final = timedelta(seconds=5)
"""How long an invalidation takes: the "~5 seconds" Adobe documents, the ``estimatedSeconds`` it answers."""

MAX_KEPT_INVALIDATIONS: Final = 10_000
"""The newest invalidations a fake keeps; the status of an older one is asked as of an unknown handle."""


@dataclass(frozen=True, slots=True)
class Invalidation:
    """One cdnCacheInvalidation request. Its handle is ``cdn|<company id>|<n>``, n counting from 1 per fake."""

    handle: str
    company_id: int
    url_count: int
    requested: datetime
    done: datetime

    def done_by(self, now: datetime) -> bool:
        return now >= self.done
