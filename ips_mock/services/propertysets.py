"""Property set operations: the types (create, get one, list, delete) and the sets (create, list by owner, update,
delete). Permissions are not modelled: a ``permissionArray`` is accepted and not acted on."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from ..errors import IpsFault
from ..model import Company, User
from ..model.roles import Role
from .base import ServiceBase

if TYPE_CHECKING:
    from ..model.propertysets import PropertySet, PropertySetType

__all__ = ["PropertySetService"]


class PropertySetService(ServiceBase):
    # ------------------------------------------------------------------------------------------------ types

    def create_property_set_type(self, caller: User, p: Mapping[str, Any]) -> PropertySetType:
        """A type of the company given, or a global one when none is (IpsAdmin only, as Adobe documents)."""
        from ..model.propertysets import PropertySetType  # with the first property set type

        company = self._type_scope(caller, p.get("companyHandle"), "createPropertySetType")
        name = p["name"]
        if not name.strip():
            raise IpsFault.invalid_parameter("name", "give the type a name")
        if self._type_named(company, name, fall_back_to_global=False) is not None:
            where = f"company '{company.name}'" if company is not None else "the global types"
            raise IpsFault.invalid_parameter("name", f"a property set type named {name!r} already exists in {where}")
        number = self.state.next_property_set_type
        self.state.next_property_set_type += 1
        kind = PropertySetType(
            f"pt|{number}", company.id if company else None, name, p["propertyType"], p["allowMultiple"]
        )
        self.state.property_set_types[kind.handle] = kind
        return kind

    def property_set_type(self, caller: User, p: Mapping[str, Any]) -> PropertySetType:
        """The type of that name: the company's own, else a global one (30001 when there is neither)."""
        company = self.company(caller, p["companyHandle"]) if p.get("companyHandle") is not None else None
        kind = self._type_named(company, p["name"], fall_back_to_global=True)
        if kind is None:
            raise IpsFault.invalid_parameter("name", f"no property set type named {p['name']!r}")
        return kind

    def property_set_types(self, caller: User, company_handle: str | None) -> list[PropertySetType]:
        """The company's types, then the global ones (only the global ones when no company is given)."""
        company = self.company(caller, company_handle) if company_handle is not None else None
        types = self.state.property_set_types.values()
        own = [t for t in types if company is not None and t.company_id == company.id]
        return own + [t for t in types if t.company_id is None]

    def delete_property_set_type(self, caller: User, handle: str) -> None:
        """Deletes the type and every set of it."""
        kind = self._visible_type(caller, handle)
        if kind.company_id is None and caller.role is not Role.IPS_ADMIN:
            raise IpsFault(
                IpsFault.NO_OPERATION_PERMISSION, f"Only an IpsAdmin may delete the global property set type {handle!r}"
            )
        del self.state.property_set_types[kind.handle]
        for set_handle in [s.handle for s in self.state.property_sets.values() if s.type_handle == kind.handle]:
            del self.state.property_sets[set_handle]

    # ------------------------------------------------------------------------------------------------- sets

    def create_property_set(self, caller: User, p: Mapping[str, Any]) -> PropertySet:
        """A set of a type the caller sees, on owners the caller sees. When the type does not allow several sets
        on one object, the new set replaces the one already there (as Adobe documents)."""
        from ..model.propertysets import PropertySet  # with the first property set

        kind = self._visible_type(caller, p["typeHandle"])
        primary = self._owner(caller, p["primaryOwnerHandle"], "primaryOwnerHandle")
        secondary = p.get("secondaryOwnerHandle")
        if secondary is not None:
            secondary = self._owner(caller, secondary, "secondaryOwnerHandle")
        if not kind.allow_multiple:
            for old in self._sets(kind.handle, primary, secondary, any_secondary=False):
                del self.state.property_sets[old.handle]
        number = self.state.next_property_set
        self.state.next_property_set += 1
        created = PropertySet(f"ps|{number}", kind.handle, primary, secondary, _properties(p["propertyArray"]))
        self.state.property_sets[created.handle] = created
        return created

    def property_sets(self, caller: User, p: Mapping[str, Any]) -> list[PropertySet]:
        """The sets of the type on the primary owner (and on the secondary owner, when one is given)."""
        kind = self._visible_type(caller, p["typeHandle"])
        primary = self._owner(caller, p["primaryOwnerHandle"], "primaryOwnerHandle")
        secondary = p.get("secondaryOwnerHandle")
        if secondary is not None:
            secondary = self._owner(caller, secondary, "secondaryOwnerHandle")
        return self._sets(kind.handle, primary, secondary, any_secondary=secondary is None)

    def update_property_set(self, caller: User, p: Mapping[str, Any]) -> None:
        """Sets the properties given (``replaceProperties``: they replace all the set had)."""
        old = self._visible_set(caller, p["setHandle"])
        given = _properties(p["propertyArray"])
        merged = dict(given) if p.get("replaceProperties") else {**dict(old.properties), **dict(given)}
        self.state.property_sets[old.handle] = replace(old, properties=tuple(merged.items()))

    def delete_property_set(self, caller: User, handle: str) -> None:
        del self.state.property_sets[self._visible_set(caller, handle).handle]

    # -------------------------------------------------------------------------------------------- resolving

    def _type_scope(self, caller: User, company_handle: str | None, operation: str) -> Company | None:
        if company_handle is not None:
            return self.company(caller, company_handle)
        if caller.role is not Role.IPS_ADMIN:
            raise IpsFault(IpsFault.MISSING_PARAMETER, f"{operation} needs a companyHandle unless an IpsAdmin calls it")
        return None

    def _type_named(self, company: Company | None, name: str, *, fall_back_to_global: bool) -> PropertySetType | None:
        types = self.state.property_set_types.values()
        if company is not None:
            own = next((t for t in types if t.company_id == company.id and t.name == name), None)
            if own is not None or not fall_back_to_global:
                return own
        return next((t for t in types if t.company_id is None and t.name == name), None)

    def _visible_type(self, caller: User, handle: str) -> PropertySetType:
        kind = self.state.property_set_types.get(handle.strip())
        if kind is None or (kind.company_id is not None and not caller.belongs_to(kind.company_id)):
            raise IpsFault.invalid_parameter("typeHandle", f"unknown property set type handle '{handle}'")
        return kind

    def _visible_set(self, caller: User, handle: str) -> PropertySet:
        found = self.state.property_sets.get(handle.strip())
        if found is not None:
            kind = self.state.property_set_types[found.type_handle]
            if (kind.company_id is None or caller.belongs_to(kind.company_id)) and self._sees(caller, found):
                return found
        raise IpsFault.invalid_parameter("setHandle", f"unknown property set handle '{handle}'")

    def _sees(self, caller: User, found: PropertySet) -> bool:
        """Whether the caller is in a company of each of the set's owners (placed by their handles)."""
        from ..model.propertysets import owner_companies

        owners = [found.primary_owner] + ([found.secondary_owner] if found.secondary_owner else [])
        return all(
            not caller.company_ids.isdisjoint(owner_companies(self.state, o, existing=False) or ()) for o in owners
        )

    def _owner(self, caller: User, handle: str, field: str) -> str:
        """``handle`` (trimmed) when it names a company, user, asset or folder of one of the caller's companies;
        else 30001."""
        from ..model.propertysets import owner_companies

        handle = handle.strip()
        companies = owner_companies(self.state, handle)
        if companies is None or caller.company_ids.isdisjoint(companies):
            raise IpsFault.invalid_parameter(
                field, f"{handle!r} is no company, user, asset or folder of your companies"
            )
        return handle

    def _sets(self, type_handle: str, primary: str, secondary: str | None, *, any_secondary: bool) -> list[PropertySet]:
        return [
            s
            for s in self.state.property_sets.values()
            if s.type_handle == type_handle
            and s.primary_owner == primary
            and (any_secondary or s.secondary_owner == secondary)
        ]


def _properties(items: Iterable[Mapping[str, str]]) -> tuple[tuple[str, str], ...]:
    return tuple({item["name"]: item["value"] for item in items}.items())
