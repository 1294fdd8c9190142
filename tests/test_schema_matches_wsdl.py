"""The type description ips-mock serves must match the real IPS WSDLs exactly, every type and element
(IPS-REFERENCE §4-§5); the versions with no WSDL here differ only as ``protocol/overrides.py`` says."""

from __future__ import annotations

import subprocess
import sys

import pytest
from lxml import etree

from ips_mock.protocol import ns
from ips_mock.protocol.ns import ApiVersion
from ips_mock.protocol.overrides import BETA_ELEMENTS, BETA_FIELDS, BETA_OPERATIONS, BETA_TYPES, FIELDS_ADDED_IN
from ips_mock.protocol.schema import (
    FAULT_ELEMENTS,
    LEGACY_AUTH_HEADER,
    SIMPLE_TYPES,
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
        high = el.get("maxOccurs", "1")
        fields.append(
            Field(
                el.get("name"),
                type_,
                required=el.get("minOccurs", "1") != "0",
                repeated=high != "1",
                max_occurs=None if high in ("1", "unbounded") else int(high),
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
def test_every_type_and_element_matches_the_real_wsdl(version: str) -> None:
    ours = schema_for(ApiVersion(version))
    real_types, real_elements = _real_types(version, ours.namespace)
    assert len(real_types) == {"2014-04-03": 222, "2013-02-15": 221}[version]
    for name, ctype in ours.types.items():
        assert name in real_types, f"{version}: type {name} is not in the real WSDL"
        assert ctype == real_types[name], f"{version}: type {name} differs from the real WSDL"
    for name, ctype in ours.elements.items():
        assert name in real_elements, f"{version}: element {name} is not in the real WSDL"
        assert ctype == real_elements[name], f"{version}: element {name} differs from the real WSDL"
    assert sorted(real_types.keys() - ours.types.keys()) == [], f"{version}: types missing from the description"
    assert sorted(real_elements.keys() - ours.elements.keys()) == [], f"{version}: elements missing"


def test_the_comparison_sees_every_kind_of_particle() -> None:
    """Bounded and required repeats (EmailArray, ContextStateUpdateArray) are compared, not glossed over."""
    old, new = schema_for(ApiVersion("2013-02-15")), schema_for(ApiVersion("2014-04-03"))
    assert old.type("EmailArray").fields == (Field("items", "string", repeated=True, max_occurs=5),)
    assert new.type("ContextStateUpdateArray").array_item == Field("items", "ContextStateUpdate", repeated=True)
    assert new.elements["getXMPPacketReturn"].field("compressedPacket") == Field("compressedPacket", "base64Binary")


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
def test_every_operation_is_described_in_the_port_types_order(version: str) -> None:
    port_type = _wsdl_tree(version).find(f"{W}portType")
    real = [op.get("name") for op in port_type.iterfind(f"{W}operation")]
    ours = schema_for(ApiVersion(version))
    assert sorted(ours.operations) == sorted(real)
    for op in real:
        assert ours.param(op) is not None, f"{version}: no {op}Param"
        assert ours.result(op) is not None, f"{version}: no {op}Return"


@pytest.mark.parametrize(
    ("version", "base"),
    [(v, "2013-02-15") for v in ns.API_VERSIONS if v < "2013-02-15"]
    + [(v, "2014-04-03") for v in ns.API_VERSIONS if v.is_beta],
)
def test_versions_without_a_wsdl_differ_from_theirs_only_as_the_overrides_say(version: str, base: str) -> None:
    ours, theirs = schema_for(ApiVersion(version)), schema_for(ApiVersion(base))
    # What only the betas have: operations, with their types and elements, after the WSDL's.
    beta_operations = [op for op, since in BETA_OPERATIONS.items() if base == "2014-04-03" and version >= since]
    beta_types = {name for name, (_, since) in BETA_TYPES.items() if base == "2014-04-03" and version >= since}
    beta_elements = {name for name, (_, since) in BETA_ELEMENTS.items() if base == "2014-04-03" and version >= since}
    assert ours.operations == (*theirs.operations, *beta_operations)
    assert ours.types.keys() == theirs.types.keys() | beta_types
    assert ours.elements.keys() == theirs.elements.keys() | beta_elements
    assert set(beta_elements) == {f"{op}{end}" for op in beta_operations for end in ("Param", "Return")}
    for name in beta_types | beta_elements:  # they name only types this version has
        ctype = ours.types[name] if name in beta_types else ours.elements[name]
        assert all(f.is_simple or f.type in ours.types for f in ctype.fields), name
    expected: set[tuple[str, str]] = set()
    if base == "2013-02-15":
        expected = {key for key, since in FIELDS_ADDED_IN.items() if version < since}
    else:
        for extra in BETA_FIELDS:
            if version >= extra.since:
                expected |= {(extra.owner, token.partition(":")[0]) for token in extra.spec.split()}
    differing = set()
    for kind in ("types", "elements"):
        for name, ctype in getattr(ours, kind).items():
            if name in beta_types | beta_elements:
                continue
            other = getattr(theirs, kind)[name]
            differing |= {(name, f.name) for f in set(ctype.fields) ^ set(other.fields)}
    assert differing == expected


def test_a_2010_upload_urls_job_has_no_num_urls() -> None:
    """The 2010-01-31 echo observed in real replies has no numUrls (REAL-CLIENTS §5, IPS-REFERENCE §7.4)."""
    fields = [f.name for f in schema_for(ApiVersion("2010-01-31")).type("UploadUrlsJob").fields]
    assert fields[:3] == ["urlArray", "overwrite", "readyForPublish"]
    assert "numUrls" in [f.name for f in schema_for(ApiVersion("2012-02-14")).type("UploadUrlsJob").fields]


@pytest.mark.parametrize("version", ns.API_VERSIONS)
def test_every_field_type_is_a_simple_type_the_codec_knows_or_a_described_type(version: ApiVersion) -> None:
    ours = schema_for(version)
    for owner in (*ours.types.values(), *ours.elements.values()):
        for f in owner.fields:
            assert f.type in SIMPLE_TYPES or f.type in ours.types, f"{version}: {owner.name}/{f.name}: {f.type}"


def test_a_request_builds_only_the_types_it_uses_and_the_rest_build_alike() -> None:
    script = (
        "from ips_mock import FakeIps\n"
        "from ips_mock.protocol.ns import ApiVersion\n"
        "from ips_mock.protocol.schema import schema_for, _complex, _edit\n"
        "from ips_mock.protocol import ipsapi_types as generated\n"
        "from ips_mock.testing import SoapTestClient\n"
        "SoapTestClient(FakeIps()).call('getCompanyInfo', {'companyName': 'Example'}).ok()\n"
        "schema = schema_for(ApiVersion('2014-04-03'))\n"
        "print(len(schema.types.built) + len(schema.elements.built))\n"
        "eager = {name: _edit(_complex(name, spec), schema.version) for name, spec in generated.TYPES.items()}\n"
        "print(dict(schema.types) == eager and len(schema.types.built) == len(eager))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    built, alike = done.stdout.split()
    assert 0 < int(built) < 20, built
    assert alike == "True"
