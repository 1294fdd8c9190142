"""Authentication through all four carriers, and authorization by role and company (IPS-REFERENCE §2)."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from lxml import etree

from ips_mock import FakeIps
from ips_mock.protocol import ns
from ips_mock.testing import SOAP12, SoapReply, SoapTestClient, auth_header

PARAMS = {"companyName": "Example"}


@pytest.fixture
def client() -> SoapTestClient:
    return SoapTestClient(FakeIps())


def _basic(user: str, password: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


def _legacy(user: str, password: str) -> list[etree._Element]:
    u = etree.Element(f"{{{ns.TNS}}}AuthUser")
    u.text = user
    p = etree.Element(f"{{{ns.TNS}}}AuthPassword")
    p.text = password
    return [u, p]


def _company(reply: SoapReply) -> str:
    assert not reply.is_fault, reply.reason
    return reply.text("companyInfo/companyHandle")


def test_legacy_authheader(client: SoapTestClient) -> None:
    assert _company(client.call("getCompanyInfo", PARAMS, headers=[auth_header()])) == "c|100"


def test_legacy_authheader_fields_in_any_order(client: SoapTestClient) -> None:
    header = etree.Element(f"{{{ns.FLT}}}authHeader")
    for name, value in [("appName", "x"), ("password", "password"), ("locale", "en-US"), ("user", "admin@example.com")]:
        etree.SubElement(header, f"{{{ns.FLT}}}{name}").text = value
    assert _company(client.call("getCompanyInfo", PARAMS, headers=[header])) == "c|100"


@pytest.mark.parametrize("version", ["2014-04-03", "2016-01-14-beta"])
def test_versioned_authheader(client: SoapTestClient, version: str) -> None:
    header = auth_header(namespace=ns.ApiVersion(version).namespace)
    assert _company(client.call("getCompanyInfo", PARAMS, headers=[header])) == "c|100"


def test_header_namespace_may_differ_from_body_namespace(client: SoapTestClient) -> None:
    header = auth_header(namespace=ns.ApiVersion("2016-01-14-beta").namespace)
    reply = client.call("getCompanyInfo", PARAMS, headers=[header], version="2013-02-15")
    assert _company(reply) == "c|100"


def test_http_basic(client: SoapTestClient) -> None:
    reply = client.call("getCompanyInfo", PARAMS, headers=[], http_headers=_basic("admin@example.com", "password"))
    assert _company(reply) == "c|100"


def test_pre_38_authuser_and_authpassword_headers(client: SoapTestClient) -> None:
    reply = client.call("getCompanyInfo", PARAMS, headers=_legacy("admin@example.com", "password"))
    assert _company(reply) == "c|100"


def test_authheader_wins_over_http_basic(client: SoapTestClient) -> None:
    reply = client.call(
        "getCompanyInfo",
        PARAMS,
        headers=[auth_header(password="wrong")],
        http_headers=_basic("admin@example.com", "password"),
    )
    assert reply.code == 10001


def test_basic_is_used_when_the_authheader_names_no_user(client: SoapTestClient) -> None:
    header = auth_header(None, None, faultHttpStatusCode=200)
    reply = client.call(
        "getCompanyInfo",
        {"companyName": "Other"},
        headers=[header],
        http_headers=_basic("user@example.com", "password"),
    )
    # Credentials from Basic, reply shaping from the authHeader: a 20006 fault sent with status 200.
    assert (reply.code, reply.status) == (20006, 200)


def test_user_email_is_case_insensitive(client: SoapTestClient) -> None:
    assert _company(client.call("getCompanyInfo", PARAMS, user="Admin@Example.COM")) == "c|100"


@pytest.mark.parametrize(
    ("kwargs", "code", "reason"),
    [
        ({"headers": []}, 10000, "could not be authenticated"),
        ({"user": "admin@example.com", "password": "nope"}, 10001, "Invalid username/password"),
        ({"user": "nobody@example.com", "password": "password"}, 10002, "Invalid user 'nobody@example.com'"),
        ({"headers": [], "http_headers": {"Authorization": "Basic !!notbase64"}}, 10000, "could not be authenticated"),
        ({"headers": [auth_header(None, None, accessToken="tok")]}, 10001, "Invalid access token"),
    ],
    ids=["none", "wrong-password", "unknown-user", "malformed-basic", "access-token"],
)
def test_authentication_faults(client: SoapTestClient, kwargs: dict[str, Any], code: int, reason: str) -> None:
    reply = client.call("getCompanyInfo", PARAMS, **kwargs)
    assert (reply.code, reply.fault_kind, reply.status) == (code, "authenticationFault", 500)
    assert reason in (reply.reason or "")
    assert "WWW-Authenticate" not in reply.headers


def _header(namespace: str, fields: dict[str, str], field_namespace: str | None) -> etree._Element:
    header = etree.Element(f"{{{namespace}}}authHeader")
    for name, value in fields.items():
        etree.SubElement(header, f"{{{field_namespace}}}{name}" if field_namespace else name).text = value
    return header


@pytest.mark.parametrize("field_namespace", [None, ns.FLT])
def test_fields_outside_the_headers_namespace_are_not_read_and_the_fault_says_so(
    client: SoapTestClient, field_namespace: str | None
) -> None:
    v2014 = ns.ApiVersion("2014-04-03").namespace
    header = _header(v2014, {"user": "admin@example.com", "password": "password", "note": "x"}, field_namespace)
    reply = client.call("getCompanyInfo", PARAMS, headers=[header])
    assert reply.code == 10000
    assert reply.reason == (
        "The request could not be authenticated: send an authHeader with user and password, or HTTP Basic "
        f"credentials; the authHeader's user, password are not in its namespace {v2014} (the schema qualifies every "
        "field)"
    )


def test_a_stray_field_beside_qualified_credentials_changes_nothing(client: SoapTestClient) -> None:
    header = _header(ns.FLT, {"user": "admin@example.com", "password": "password"}, ns.FLT)
    etree.SubElement(header, "locale").text = "xx"  # unqualified: not read, and no note (the user is known)
    assert _company(client.call("getCompanyInfo", PARAMS, headers=[header])) == "c|100"
    reply = client.call("getCompanyInfo", PARAMS, headers=[_header(ns.FLT, {"user": "x@example.com"}, None)])
    assert reply.code == 10000
    assert f"; the authHeader's user is not in its namespace {ns.FLT} (" in (reply.reason or "")


def test_authentication_fault_in_soap12(client: SoapTestClient) -> None:
    reply = client.call("getCompanyInfo", PARAMS, password="nope", soap=SOAP12)
    assert (reply.code, reply.fault_kind) == (10001, "authenticationFault")


# -------------------------------------------------------------------------------------------- authorization


def test_foreign_company_by_handle_is_20006(client: SoapTestClient) -> None:
    reply = client.call("getCompanyInfo", {"companyHandle": "c|200"}, user="user@example.com")
    assert (reply.code, reply.fault_kind) == (20006, "authorizationFault")
    assert "not a member of company 'Other'" in (reply.reason or "")


def test_foreign_company_by_name_is_20006_for_every_role(client: SoapTestClient) -> None:
    assert client.call("getCompanyInfo", {"companyName": "Other"}, user="admin@example.com").code == 20006
    assert client.call("getCompanyInfo", PARAMS, user="other@example.com").code == 20006


def test_own_company_is_visible(client: SoapTestClient) -> None:
    reply = client.call("getCompanyInfo", {"companyName": "Other"}, user="other@example.com")
    assert _company(reply) == "c|200"
    assert reply.names() == ["companyInfo"]
    assert [etree.QName(c).localname for c in reply.payload[0]] == ["companyHandle", "name", "rootPath"]
    assert reply.text("companyInfo/rootPath") == "Other/"


@pytest.mark.parametrize(
    ("params", "reason"),
    [({"companyHandle": "c|999"}, "c|999"), ({"companyHandle": "zzz"}, "zzz"), ({"companyName": "Nope"}, "Nope")],
)
def test_unknown_company_is_20000(client: SoapTestClient, params: dict[str, str], reason: str) -> None:
    reply = client.call("getCompanyInfo", params)
    assert (reply.code, reply.fault_kind) == (20000, "authorizationFault")
    assert reason in (reply.reason or "")


def test_role_without_permission_is_20003() -> None:
    fake = FakeIps(
        {
            "ips_mock": 1,
            "companies": [{"name": "Acme"}],
            "users": [{"email": "ws@acme.test", "password": "pw", "role": "WebServiceUser", "companies": ["Acme"]}],
        }
    )
    reply = SoapTestClient(fake).call(
        "checkLogin", {"email": "ws@acme.test", "password": "pw"}, user="ws@acme.test", password="pw"
    )
    assert (reply.code, reply.fault_kind) == (20003, "authorizationFault")
    assert reply.reason == "User does not have permission to access operation 'checkLogin'"


# ------------------------------------------------------------------------------------------------ checkLogin


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"email": "user@example.com", "password": "password"}, "ValidLogin"),
        ({"companyHandle": "c|100", "email": "user@example.com", "password": "password"}, "ValidLogin"),
        ({"email": "user@example.com", "password": "wrong"}, "InvalidLogin"),
        ({"email": "ghost@example.com", "password": "password"}, "InvalidLogin"),
        ({"companyHandle": "c|200", "email": "user@example.com", "password": "password"}, "InvalidLogin"),
        ({"companyHandle": "c|404", "email": "user@example.com", "password": "password"}, "InvalidLogin"),
    ],
    ids=["valid", "valid-in-company", "wrong-password", "unknown-user", "foreign-company", "unknown-company"],
)
def test_check_login(client: SoapTestClient, params: dict[str, str], status: str) -> None:
    reply = client.call("checkLogin", params)
    assert reply.names() == ["status"]
    assert reply.text("status") == status
