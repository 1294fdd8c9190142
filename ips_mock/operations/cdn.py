"""CDN operations: cdnCacheInvalidation and getCdnCacheInvalidationStatus."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, Final

from ..model.cdn import INVALIDATION_TIME
from .base import Call, Handler

__all__ = ["OPERATIONS"]

IN_PROGRESS: Final = "In-Progress"
DONE: Final = "Done"
"""The statuses getCdnCacheInvalidationStatus answers: Adobe documents none; these are the ones of the CDN purge
API whose fields (estimatedSeconds, pingAfterSeconds, completionTime) the replies share."""


def cdn_cache_invalidation(call: Call) -> Mapping[str, Any]:
    """Both versions' Return: 2014-04-03 answers a handle and an estimate, 2013-02-15 counts of URLs accepted
    (the encoder takes the fields of the request's version). 2013's ``confirmation`` e-mail setting is accepted
    and not acted on."""
    p = call.params
    invalidation = call.service.invalidate_cdn_cache(call.caller, p["companyHandle"], p["urlArray"], call.now)
    return {
        "invalidationHandle": invalidation.handle,
        "estimatedSeconds": int(INVALIDATION_TIME.total_seconds()),
        "successCount": invalidation.url_count,
        "warningCount": 0,
        "errorCount": 0,
    }


def get_cdn_cache_invalidation_status(call: Call) -> Mapping[str, Any]:
    p = call.params
    invalidation = call.service.cdn_invalidation(call.caller, p["companyHandle"], p["invalidationHandle"])
    if invalidation.done_by(call.now):
        return {"status": DONE, "completionTime": call.local(invalidation.done)}
    remaining = (invalidation.done - call.now).total_seconds()
    return {"status": IN_PROGRESS, "pingAfterSeconds": max(1, math.ceil(remaining))}


OPERATIONS: Final[Mapping[str, Handler]] = {
    "cdnCacheInvalidation": cdn_cache_invalidation,
    "getCdnCacheInvalidationStatus": get_cdn_cache_invalidation_status,
}
