"""Our hand-written type description must match the real IPS WSDLs exactly (IPS-REFERENCE §4-§5)."""

from __future__ import annotations

import pytest
from lxml import etree

from ips_mock.protocol import ns
from ips_mock.protocol.ns import ApiVersion
from ips_mock.protocol.schema import (
    FAULT_ELEMENTS,
    LEGACY_AUTH_HEADER,
    ComplexType,
    Field,
    schema_for,
    wsdl_operations,
)
from ips_mock.testing import REAL_WSDL_VERSIONS, real_wsdl_path

X = f"{{{ns.XSD}}}"
W = f"{{{ns.WSDL}}}"


def _wsdl_tree(version: str) -> etree._ElementTree:
    return etree.parse(str(real_wsdl_path(version)))


def _schema_el(version: str, target: str) -> etree._Element:
    for schema in _wsdl_tree(version).iterfind(f"{W}types/{X}schema"):
        if schema.get("targetNamespace") == target:
            return schema
    raise AssertionError(f"no schema for {target} in the {version} WSDL")


def _real_type(ctype_el: etree._Element, name: str) -> ComplexType:
    group = ctype_el.find(f"{X}sequence")
    kind = "sequence"
    if group is None:
        group = ctype_el.find(f"{X}all")
        kind = "all"
    fields = []
    for el in group.iterfind(f"{X}element") if group is not None else []:
        type_ = el.get("type").split(":")[-1]
        fields.append(
            Field(
                el.get("name"),
                type_,
                required=el.get("minOccurs", "1") != "0",
                repeated=el.get("maxOccurs", "1") == "unbounded",
            )
        )
    return ComplexType(
        name,
        tuple(fields),
        group=kind,  # type: ignore[arg-type]
        any_attribute=ctype_el.find(f"{X}anyAttribute") is not None,
    )


def _real_types(version: str, target: str) -> tuple[dict[str, ComplexType], dict[str, ComplexType]]:
    schema = _schema_el(version, target)
    types = {el.get("name"): _real_type(el, el.get("name")) for el in schema.iterfind(f"{X}complexType")}
    elements = {
        el.get("name"): _real_type(el.find(f"{X}complexType"), el.get("name")) for el in schema.iterfind(f"{X}element")
    }
    return types, elements


@pytest.mark.parametrize("version", REAL_WSDL_VERSIONS)
def test_every_described_type_matches_the_real_wsdl(version: str) -> None:
    ours = schema_for(ApiVersion(version))
    real_types, real_elements = _real_types(version, ours.namespace)
    assert ours.types, "the description is empty"
    for name, ctype in ours.types.items():
        assert name in real_types, f"{version}: type {name} is not in the real WSDL"
        assert ctype == real_types[name], f"{version}: type {name} differs from the real WSDL"
    for name, ctype in ours.elements.items():
        assert name in real_elements, f"{version}: element {name} is not in the real WSDL"
        assert ctype == real_elements[name], f"{version}: element {name} differs from the real WSDL"


@pytest.mark.parametrize("version", REAL_WSDL_VERSIONS)
def test_versioned_auth_header_exists_exactly_where_the_wsdl_has_one(version: str) -> None:
    _, real_elements = _real_types(version, ApiVersion(version).namespace)
    ours = schema_for(ApiVersion(version)).versioned_auth_header
    assert (ours is None) == ("authHeader" not in real_elements)


@pytest.mark.parametrize("version", REAL_WSDL_VERSIONS)
def test_fault_elements_and_legacy_auth_header_match_the_real_wsdl(version: str) -> None:
    _, real_elements = _real_types(version, ns.FLT)
    assert set(real_elements) == {*FAULT_ELEMENTS, "authHeader"}
    for name, ctype in FAULT_ELEMENTS.items():
        assert ctype == real_elements[name]
    assert real_elements["authHeader"] == LEGACY_AUTH_HEADER


@pytest.mark.parametrize("version", REAL_WSDL_VERSIONS)
def test_operation_catalogue_matches_the_real_port_type(version: str) -> None:
    port_type = _wsdl_tree(version).find(f"{W}portType")
    real = {op.get("name") for op in port_type.iterfind(f"{W}operation")}
    assert wsdl_operations(ApiVersion(version)) == real


@pytest.mark.parametrize("version", REAL_WSDL_VERSIONS)
def test_every_served_operation_is_a_real_one(version: str) -> None:
    ours = schema_for(ApiVersion(version))
    assert set(ours.operations) <= wsdl_operations(ApiVersion(version))
