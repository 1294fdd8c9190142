"""The fake's state as plain Python objects. Nothing here knows about XML or SOAP."""

from __future__ import annotations

from .company import Company
from .roles import ALL_ROLES, Role
from .state import Dropped, Retention, State
from .user import User

__all__ = ["ALL_ROLES", "Company", "Dropped", "Retention", "Role", "State", "User"]
