"""What every area's operation handlers share: the decoded call, and the handler type.

A handler takes a :class:`Call` (the authenticated caller, the decoded Param as a dict, the server zone) and
returns the Return as a plain mapping in IPS field names; :func:`ips_mock.operations.dispatch` encodes it in
schema order. Handlers see no XML.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from ..model import User
from ..service import IpsService

__all__ = ["Call", "Handler"]


@dataclass(frozen=True)
class Call:
    """One authenticated, decoded call, as a handler sees it."""

    service: IpsService
    caller: User
    params: Mapping[str, Any]
    zone: ZoneInfo
    locale: str | None
    now: datetime
    service_root: str = ""
    """Where the request came in (``http://host:port/scene7/``): the base of links a reply hands out."""

    def local(self, instant: datetime | None) -> datetime | None:
        """``instant`` in the server's zone, as IPS reports every date."""
        return None if instant is None else instant.astimezone(self.zone)


Handler = Callable[[Call], Mapping[str, Any]]
"""One operation: the decoded call in, the Return's fields out (or an IpsFault raised)."""
