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

__all__ = ["PropertySet", "PropertySetType", "owner_companies"]


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


def owner_companies(state: State, handle: str, *, existing: bool = True) -> frozenset[int] | None:
    """The companies of the object ``handle`` names: a company itself, a user's companies, an asset's or a
    folder's company; None when it names none. With ``existing`` false an asset or folder is placed by its handle
    alone, whether or not it is still there (a set outlives its asset)."""
    if (company_id := company_id_of(handle)) is not None:
        return frozenset({company_id}) if company_id in state.companies else None
    if (asset := asset_handle_parts(handle)) is not None:
        if existing:
            found = state.catalog.assets.get(asset[1])
            if found is None or found.company_id != asset[0]:
                return None
        return frozenset({asset[0]})
    if (folder := folder_handle_parts(handle)) is not None:
        if existing and state.catalog.folder(folder[0], folder[1]) is None:
            return None
        return frozenset({folder[0]})
    user = state.user_by_handle(handle)
    return user.company_ids if user is not None else None
