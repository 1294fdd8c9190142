"""Every namespace version is served side by side; a reply takes its request's namespace and field set."""

from __future__ import annotations

import pytest
from lxml import etree

from ips_mock import FakeIps
from ips_mock.protocol import ns
from ips_mock.testing import SOAP11, SOAP12, SoapTestClient

SCENARIO = {
    "ips_mock": 1,
    "clock": {"zone": "America/Los_Angeles"},
    "companies": [{"name": "Acme", "id": 7, "expires": "2031-07-01T12:00:00Z", "ims_org_id": "ABC@AdobeOrg"}],
    "users": [{"email": "a@acme.test", "password": "pw", "role": "IpsAdmin", "companies": ["Acme"]}],
}


@pytest.fixture
def client() -> SoapTestClient:
    return SoapTestClient(FakeIps(SCENARIO))


@pytest.mark.parametrize("soap", [SOAP11, SOAP12])
@pytest.mark.parametrize("version", ns.API_VERSIONS, ids=lambda v: v or "pre-4.0")
def test_every_version_answers_in_its_own_namespace(client: SoapTestClient, version: str, soap: str) -> None:
    reply = client.call(
        "getCompanyInfo", {"companyName": "Acme"}, user="a@acme.test", password="pw", version=version, soap=soap
    )
    assert etree.QName(reply.payload).namespace == ns.ApiVersion(version).namespace
    assert reply.payload.nsmap[None] == ns.ApiVersion(version).namespace
    assert reply.payload.prefix is None
    fields = [etree.QName(c).localname for c in reply.payload[0]]
    expected = ["companyHandle", "name", "rootPath", "expires"]
    assert fields == ([*expected, "imsOrgId"] if version >= "2014-04-03" else expected)


def test_dates_are_in_the_server_zone_with_milliseconds(client: SoapTestClient) -> None:
    reply = client.call("getCompanyInfo", {"companyHandle": "c|7"}, user="a@acme.test", password="pw")
    assert reply.text("companyInfo/expires") == "2031-07-01T05:00:00.000-07:00"


def test_server_zone_comes_from_the_scenario() -> None:
    scenario = SCENARIO | {"clock": {"zone": "Europe/Berlin"}}
    reply = SoapTestClient(FakeIps(scenario)).call(
        "getCompanyInfo", {"companyHandle": "c|7"}, user="a@acme.test", password="pw"
    )
    assert reply.text("companyInfo/expires") == "2031-07-01T14:00:00.000+02:00"


def test_lookup_by_ims_org_id_exists_only_from_2014(client: SoapTestClient) -> None:
    reply = client.call("getCompanyInfo", {"imsOrgId": "ABC@AdobeOrg"}, user="a@acme.test", password="pw")
    assert reply.text("companyInfo/name") == "Acme"


def test_observed_reply_bytes(client: SoapTestClient) -> None:
    reply = client.call(
        "checkLogin",
        {"email": "a@acme.test", "password": "pw"},
        user="a@acme.test",
        password="pw",
        version="2010-01-31",
    )
    assert reply.body == (
        b"<?xml version='1.0' encoding='UTF-8'?>"
        b'<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>'
        b'<checkLoginReturn xmlns="http://www.scene7.com/IpsApi/xsd/2010-01-31"><status>ValidLogin</status>'
        b"</checkLoginReturn></soapenv:Body></soapenv:Envelope>"
    )
