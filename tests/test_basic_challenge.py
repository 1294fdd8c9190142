"""HTTP Basic for clients that wait to be asked: ``FakeIps(challenge_basic=True)`` answers a request with no
credentials 401 with ``WWW-Authenticate: Basic`` (IPS itself answers fault 10000), so suds' default transport
sends them; and the URL-safe Basic tokens suds-community 1.2.0's ``HttpAuthenticated`` writes are accepted."""

from __future__ import annotations

import base64
from collections.abc import Iterator

import pytest
import requests
from suds import WebFault
from suds.client import Client
from suds.transport.http import HttpAuthenticated

from ips_mock import FakeIps, ServerThread
from ips_mock.testing import build_envelope

# A password whose Basic token has '-' and '_' in the URL-safe alphabet ('+' and '/' in the standard one).
ODD_PASSWORD = "pa??word>~"


def _serve(fake: FakeIps) -> Iterator[FakeIps]:
    with ServerThread(fake) as server:
        fake.base_url = server.url
        yield fake


@pytest.fixture
def challenging() -> Iterator[FakeIps]:
    yield from _serve(FakeIps(challenge_basic=True))


@pytest.fixture
def plain() -> Iterator[FakeIps]:
    yield from _serve(FakeIps())


def _company_handle(client: Client) -> str:
    return str(client.service.getCompanyInfo(companyName="Example").companyHandle)


def test_suds_default_transport_signs_in_after_the_challenge(challenging: FakeIps) -> None:
    client = Client(challenging.wsdl_url, username="admin@example.com", password="password", cache=None)
    assert _company_handle(client) == "c|100"
    first, second = challenging.journal
    assert (first.status, first.caller, first.fault_code, first.injected) == (401, None, None, None)
    assert (second.status, second.caller, second.credentials) == (200, "admin@example.com", "basic")
    assert challenging.problems() == []  # a challenge is not something that went wrong


def test_without_the_option_suds_default_transport_gets_10000(plain: FakeIps) -> None:
    client = Client(plain.wsdl_url, username="admin@example.com", password="password", cache=None)
    with pytest.raises(WebFault) as info:
        client.service.getCompanyInfo(companyName="Example")
    assert info.value.fault.detail.authenticationFault.code == "10000"


def test_the_challenge_is_only_for_requests_with_no_credentials(challenging: FakeIps) -> None:
    envelope = build_envelope("getCompanyInfo", {"companyName": "Example"})
    headers = {"Content-Type": "text/xml; charset=utf-8", "SOAPAction": '"getCompanyInfo"'}
    bare = requests.post(challenging.url, data=envelope, headers=headers, timeout=10)
    assert bare.status_code == 401
    assert bare.headers["WWW-Authenticate"] == 'Basic realm="IpsApiService"'
    wrong = requests.post(challenging.url, data=envelope, headers=headers, auth=("admin@example.com", "x"), timeout=10)
    assert (wrong.status_code, b">10001</" in wrong.content) == (500, True)  # a fault, not a 401 loop
    assert requests.get(challenging.wsdl_url, timeout=10).status_code == 200  # WSDLs need no credentials


@pytest.fixture
def odd_password() -> Iterator[FakeIps]:
    scenario = {
        "ips_mock": 1,
        "companies": [{"name": "Example", "id": 100}],
        "users": [
            {"email": "admin@example.com", "password": ODD_PASSWORD, "role": "IpsAdmin", "companies": ["Example"]}
        ],
    }
    yield from _serve(FakeIps(scenario))


def test_suds_url_safe_basic_token_is_accepted(odd_password: FakeIps) -> None:
    token = base64.urlsafe_b64encode(f"admin@example.com:{ODD_PASSWORD}".encode()).decode()
    assert {"-", "_"} <= set(token)  # what suds-community 1.2.0 sends for this password
    transport = HttpAuthenticated(username="admin@example.com", password=ODD_PASSWORD)
    client = Client(odd_password.wsdl_url, transport=transport, cache=None)
    assert _company_handle(client) == "c|100"
    (exchange,) = odd_password.journal
    assert (exchange.caller, exchange.credentials) == ("admin@example.com", "basic")


def test_a_basic_token_in_neither_alphabet_is_no_credentials(plain: FakeIps) -> None:
    envelope = build_envelope("getCompanyInfo", {"companyName": "Example"})
    headers = {"Content-Type": "text/xml", "Authorization": "Basic not*base64!"}
    reply = requests.post(plain.url, data=envelope, headers=headers, timeout=10)
    assert (reply.status_code, b">10000</" in reply.content) == (500, True)
