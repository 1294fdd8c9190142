from __future__ import annotations

from dataclasses import dataclass

from .roles import Role

__all__ = ["User"]


@dataclass(frozen=True)
class User:
    """An IPS user: signs in with e-mail and password, holds one role, belongs to some companies."""

    id: int
    email: str
    password: str
    role: Role
    company_ids: frozenset[int]
    first_name: str = ""
    last_name: str = ""
    locale: str = "en-US"

    @property
    def handle(self) -> str:
        return f"u|{self.id}"

    def belongs_to(self, company_id: int) -> bool:
        return company_id in self.company_ids
