from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

__all__ = ["Company"]


@dataclass(frozen=True)
class Company:
    """An IPS company. Its handle is ``c|<id>`` (IPS-REFERENCE §7.1)."""

    id: int
    name: str
    root_path: str
    expires: datetime | None = None
    ims_org_id: str | None = None

    @property
    def handle(self) -> str:
        return f"c|{self.id}"
