"""Property sets: application-specific name/value pairs attached to IPS objects, and the types that group them.

A type belongs to a company, or is global (made by an IpsAdmin). A set has a type, a primary owner and an optional
secondary owner (handles of a company, user, asset or folder). Handles follow Adobe's documented examples:
``pt|<n>`` for a type, ``ps|<n>`` for a set, n counting from 1 per fake.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["PropertySet", "PropertySetType"]


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
