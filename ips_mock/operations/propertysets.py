"""Property set operations: createPropertySetType, getPropertySetType, getPropertySetTypes, deletePropertySetType,
createPropertySet, getPropertySets, updatePropertySet, deletePropertySet."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from ..model.propertysets import PropertySet, PropertySetType
from .base import Call, Handler

__all__ = ["OPERATIONS"]


def _type(call: Call, kind: PropertySetType) -> dict[str, Any]:
    company = call.service.state.companies.get(kind.company_id) if kind.company_id is not None else None
    return {
        "typeHandle": kind.handle,
        "companyHandle": company.handle if company is not None else None,
        "name": kind.name,
        "propertyType": kind.property_type,
        "allowMultiple": kind.allow_multiple,
    }


def _set(found: PropertySet) -> dict[str, Any]:
    return {
        "setHandle": found.handle,
        "typeHandle": found.type_handle,
        "propertyArray": [{"name": name, "value": value} for name, value in found.properties],
    }


def create_property_set_type(call: Call) -> Mapping[str, Any]:
    return {"typeHandle": call.service.create_property_set_type(call.caller, call.params).handle}


def get_property_set_type(call: Call) -> Mapping[str, Any]:
    return {"type": _type(call, call.service.property_set_type(call.caller, call.params))}


def get_property_set_types(call: Call) -> Mapping[str, Any]:
    types = call.service.property_set_types(call.caller, call.params.get("companyHandle"))
    return {"typeArray": [_type(call, kind) for kind in types]}


def delete_property_set_type(call: Call) -> Mapping[str, Any]:
    call.service.delete_property_set_type(call.caller, call.params["typeHandle"])
    return {}


def create_property_set(call: Call) -> Mapping[str, Any]:
    return {"setHandle": call.service.create_property_set(call.caller, call.params).handle}


def get_property_sets(call: Call) -> Mapping[str, Any]:
    return {"setArray": [_set(found) for found in call.service.property_sets(call.caller, call.params)]}


def update_property_set(call: Call) -> Mapping[str, Any]:
    call.service.update_property_set(call.caller, call.params)
    return {}


def delete_property_set(call: Call) -> Mapping[str, Any]:
    call.service.delete_property_set(call.caller, call.params["setHandle"])
    return {}


OPERATIONS: Final[Mapping[str, Handler]] = {
    "getPropertySetTypes": get_property_set_types,
    "getPropertySetType": get_property_set_type,
    "createPropertySetType": create_property_set_type,
    "deletePropertySetType": delete_property_set_type,
    "getPropertySets": get_property_sets,
    "createPropertySet": create_property_set,
    "updatePropertySet": update_property_set,
    "deletePropertySet": delete_property_set,
}
