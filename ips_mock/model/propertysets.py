"""Property sets: application-specific name/value pairs attached to IPS objects, and the types that group them.

A type belongs to a company, or is global (made by an IpsAdmin). A set has a type, a primary owner and an optional
secondary owner (handles of a company, user, asset or folder). Handles follow Adobe's documented examples:
``pt|<n>`` for a type, ``ps|<n>`` for a set, n counting from 1 per fake.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .handles import asset_handle_parts, company_id_of, folder_handle_parts

if TYPE_CHECKING:
    from .state import State

__all__ = ["PropertySet", "PropertySetType", "owner_in_company"]


@dataclass(frozen=True, slots=True)
class PropertySetType:
    handle: str
    company_id: int | None
    """None: a global type."""
    name: str
    property_type: str
    allow_multiple: bool


@dataclass(frozen=True, slots=True)
class PropertySet:
    handle: str
    type_handle: str
    primary_owner: str
    secondary_owner: str | None
    properties: tuple[tuple[str, str], ...]
    """(name, value) in the order given; a name given twice keeps its last value, at its first place."""


def owner_in_company(state: State, company_id: int, handle: str) -> bool:
    """Whether ``handle`` names the company ``company_id``, or one of its users, assets or folders, in ``state``."""
    if (named := company_id_of(handle)) is not None:
        return named == company_id
    if (asset := asset_handle_parts(handle)) is not None:
        found = state.catalog.assets.get(asset[1])
        return asset[0] == company_id and found is not None and found.company_id == company_id
    if (folder := folder_handle_parts(handle)) is not None:
        return folder[0] == company_id and state.catalog.folder(company_id, folder[1]) is not None
    user = state.user_by_handle(handle)
    return user is not None and user.belongs_to(company_id)
