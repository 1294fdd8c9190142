"""A scenario ``fields`` stub works for every operation of Adobe's port types, since every one is described."""

from __future__ import annotations

from typing import Any

import pytest

from ips_mock import FakeIps
from ips_mock.errors import ScenarioError
from ips_mock.testing import SoapTestClient

ADMIN = {"email": "admin@example.com", "password": "password", "role": "IpsAdmin", "companies": ["Example"]}


def scenario(*stubs: dict[str, Any]) -> dict[str, Any]:
    return {"ips_mock": 1, "companies": [{"name": "Example", "id": 100}], "users": [ADMIN], "stubs": list(stubs)}


def test_search_assets_stub_with_nested_arrays_validates_against_the_real_wsdl() -> None:
    assets = [{"assetHandle": "a|100|1|1", "type": "Image", "name": "red"}, {"assetHandle": "a|100|1|2"}]
    fake = FakeIps(scenario({"operation": "searchAssets", "fields": {"totalRows": 2, "assetArray": assets}}))

    reply = SoapTestClient(fake).call("searchAssets", {"companyHandle": "c|100", "includeSubfolders": "true"}).ok()

    assert reply.names() == ["totalRows", "assetArray"]
    items = list(reply.payload[1])
    assert [[child.text for child in item] for item in items] == [["a|100|1|1", "Image", "red"], ["a|100|1|2"]]
    assert fake.errors == []


def test_base64_fields_are_written_as_base64() -> None:
    packet = {"operation": "getXMPPacket", "fields": {"compressedPacket": "aGVsbG8="}}
    fake = FakeIps(scenario(packet))

    reply = SoapTestClient(fake).call("getXMPPacket", {"companyHandle": "c|100", "assetHandle": "a|100|1|1"}).ok()

    assert reply.text("compressedPacket") == "aGVsbG8="


def test_bad_base64_in_a_stub_is_a_scenario_error() -> None:
    packet = {"operation": "getXMPPacket", "fields": {"compressedPacket": "not base64!"}}

    with pytest.raises(ScenarioError, match=r"compressedPacket.*not valid xsd:base64Binary"):
        FakeIps(scenario(packet))


def test_an_operation_only_2013_has_is_stubbed_in_its_namespace() -> None:
    catalog = {"operation": "getImageServingCatalog", "fields": {"catalog": "Example"}}
    fake = FakeIps(scenario(catalog))

    reply = SoapTestClient(fake, version="2013-02-15").call("getImageServingCatalog", {"companyHandle": "c|100"})

    assert reply.ok().text("catalog") == "Example"
    # Adobe's 2014 port type dropped it: unknown there, stub or not.
    gone = SoapTestClient(fake).call("getImageServingCatalog", {"companyHandle": "c|100"})
    gone.assert_fault(30003, "Unknown operation 'getImageServingCatalog'")


USER_2014 = {
    "userHandle": "u|7",
    "firstName": "Ada",
    "lastName": "Admin",
    "email": "admin@example.com",
    "isValid": True,
    "isIpsAdmin": True,
}


@pytest.mark.parametrize("version", ["2022-11-01-beta", "2016-01-14-beta", "2014-04-03"])
def test_fields_stub_in_a_beta_validates_against_the_served_description(version: str) -> None:
    fake = FakeIps(scenario({"operation": "getUserInfo", "fields": {"userInfo": USER_2014}}))

    reply = SoapTestClient(fake, version=version).call("getUserInfo", {"email": "admin@example.com"})

    assert reply.ok().text("userInfo/firstName") == "Ada"
    assert fake.errors == []


@pytest.mark.parametrize("version", ["2013-02-15", "2010-01-31", ""])
def test_fields_stub_lacking_a_field_the_request_version_requires_is_a_fake_error(version: str) -> None:
    """The stub is checked against 2014's User; 2013's (and older) also requires defaultRole."""
    fake = FakeIps(scenario({"operation": "getUserInfo", "fields": {"userInfo": USER_2014}}))

    reply = SoapTestClient(fake, version=version).call("getUserInfo", {"email": "admin@example.com"})

    reply.assert_fault(30000, "ips-mock internal error in getUserInfo", "userInfo/defaultRole is required")
    assert len(fake.errors) == 1
