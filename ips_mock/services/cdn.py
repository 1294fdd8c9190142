"""CDN operations: cdnCacheInvalidation and getCdnCacheInvalidationStatus."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from ..errors import IpsFault
from ..model import Company, User
from .base import ServiceBase

if TYPE_CHECKING:
    from ..model.cdn import Invalidation

__all__ = ["CdnService"]


class CdnService(ServiceBase):
    def invalidate_cdn_cache(
        self, caller: User, company_handle: str, urls: Sequence[str], now: datetime
    ) -> Invalidation:
        """Record an invalidation of ``urls`` (the schema allows 1 to 1,000). Every URL must be an http(s) URL
        with the company's root id as a segment of its path, as Adobe documents; one that is not faults the
        whole request (30001) and records nothing."""
        from ..model.cdn import INVALIDATION_TIME, MAX_KEPT_INVALIDATIONS, Invalidation  # with the first one

        company = self.company(caller, company_handle)
        for url in urls:
            if (problem := _url_problem(url, company)) is not None:
                raise IpsFault.invalid_parameter("urlArray", f"{url!r}: {problem}")
        number = self.state.take_invalidation_number()
        invalidation = Invalidation(f"cdn|{company.id}|{number}", company.id, len(urls), now, now + INVALIDATION_TIME)
        self.state.keep_invalidation(invalidation, MAX_KEPT_INVALIDATIONS)
        return invalidation

    def cdn_invalidation(self, caller: User, company_handle: str, handle: str) -> Invalidation:
        """The invalidation ``handle`` names in the company (30001 when it names none there)."""
        company = self.company(caller, company_handle)
        invalidation = self.state.invalidations.get(handle)
        if invalidation is None or invalidation.company_id != company.id:
            raise IpsFault.invalid_parameter("invalidationHandle", f"unknown invalidation handle '{handle}'")
        return invalidation


def _url_problem(url: str, company: Company) -> str | None:
    root = company.root_path.strip("/")
    try:
        parts = urlsplit(url.strip())
    except ValueError as exc:
        return f"not a URL ({exc})"
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return "not an absolute http or https URL"
    if root not in (unquote(segment) for segment in parts.path.split("/")):
        return f"its path does not name the company root id {root!r}"
    return None
