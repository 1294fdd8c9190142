from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from .company import Company
from .user import User

__all__ = ["State"]


@dataclass
class State:
    """Everything the fake knows. Rebuilt from the scenario on reset, never cleared field by field."""

    companies: dict[int, Company] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    """Keyed by lower-cased e-mail: IPS e-mail addresses are case-insensitive."""

    @classmethod
    def build(cls, companies: Iterable[Company], users: Iterable[User]) -> State:
        return cls({c.id: c for c in companies}, {u.email.lower(): u for u in users})

    def user_by_email(self, email: str) -> User | None:
        return self.users.get(email.strip().lower())

    def company_by_handle(self, handle: str) -> Company | None:
        prefix, _, number = handle.strip().partition("|")
        if prefix != "c" or not number.isdigit():
            return None
        return self.companies.get(int(number))

    def company_by_name(self, name: str) -> Company | None:
        return next((c for c in self.companies.values() if c.name == name), None)

    def company_by_ims_org_id(self, ims_org_id: str) -> Company | None:
        return next((c for c in self.companies.values() if c.ims_org_id == ims_org_id), None)
