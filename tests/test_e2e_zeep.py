"""End to end: real SOAP clients (zeep with Adobe's own WSDLs, and hand-written posts) against a served FakeIps.

One :class:`ServerThread` on 127.0.0.1 serves the whole module. Every SOAP reply any client receives passes through
a ``requests`` response hook that checks it with :func:`ips_mock.testing.validate_reply` (envelope shape, and the
payload against the real WSDL's schema) and logs it, so each test can also assert how many replies were checked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import requests
import zeep
from lxml import etree
from zeep.exceptions import Fault
from zeep.helpers import serialize_object
from zeep.proxy import ServiceProxy

from ips_mock import FakeIps, ServerThread
from ips_mock.testing import real_wsdl_path, validate_reply

SERVICE_PATH = "/scene7/services/IpsApiService"
TNS = "http://www.scene7.com/IpsApi"
FLT = "http://www.scene7.com/IpsApi/xsd"
SOAP11_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
SOAP12_ENV = "http://www.w3.org/2003/05/soap-envelope"

BINDINGS = {"1.1": f"{{{TNS}}}IpsApiServiceSoapBinding", "1.2": f"{{{TNS}}}IpsApiServiceSoap12Binding"}
REPLY_CONTENT_TYPES = {"1.1": "text/xml;charset=UTF-8", "1.2": "application/soap+xml;charset=UTF-8"}
CLIENT_FAULT_CODES = {"1.1": "soapenv:Client", "1.2": "soapenv:Sender"}

# The header element each real WSDL's binding declares (IPS-REFERENCE §2.1): versioned in 2014, legacy in 2013.
AUTH_HEADERS = {"2014-04-03": f"{{{FLT}/2014-04-03}}authHeader", "2013-02-15": f"{{{FLT}}}authHeader"}

CLIENT_MATRIX = [
    ("2014-04-03", "1.1"),
    ("2014-04-03", "1.2"),
    ("2013-02-15", "1.1"),
    ("2013-02-15", "1.2"),
]


# ------------------------------------------------------------------------------------------------- fixtures


@dataclass(frozen=True)
class Reply:
    """One SOAP reply as received, after :func:`validate_reply` accepted it."""

    status: int
    content_type: str
    request_body: bytes
    payload: etree._Element

    @property
    def payload_tag(self) -> str:
        return str(self.payload.tag)


@dataclass
class ReplyLog:
    """A ``requests`` response hook: validates every SOAP reply body and remembers it."""

    replies: list[Reply] = field(default_factory=list)

    def hook(self, response: requests.Response, *args: Any, **kwargs: Any) -> None:
        if response.request.method != "POST":
            return  # a WSDL or schema fetch, not a SOAP reply
        body = response.request.body
        request_body = body.encode() if isinstance(body, str) else bytes(body or b"")
        payload = validate_reply(response.content)
        self.replies.append(Reply(response.status_code, response.headers["Content-Type"], request_body, payload))

    def statuses(self) -> list[int]:
        return [r.status for r in self.replies]


@dataclass
class Ips:
    """A zeep service bound to the running fake, and the means to sign in through the authHeader."""

    version: str
    soap: str
    client: zeep.Client
    service: ServiceProxy

    def auth(self, user: str = "admin@example.com", password: str = "password") -> list[Any]:
        """``_soapheaders`` carrying the authHeader element the WSDL declares."""
        header = self.client.get_element(AUTH_HEADERS[self.version])
        fields = {"user": user, "password": password}
        if self.version == "2014-04-03":  # required in the versioned 2014 header
            fields |= {"appName": "ips-mock-e2e", "appVersion": "1.0"}
        return [header(**fields)]


@pytest.fixture(scope="module")
def fake() -> FakeIps:
    return FakeIps()


@pytest.fixture(scope="module")
def server(fake: FakeIps) -> Iterator[ServerThread]:
    with ServerThread(fake, host="127.0.0.1", port=0) as running:
        yield running


@pytest.fixture(autouse=True)
def no_handler_errors(fake: FakeIps) -> Iterator[None]:
    """Nothing a test does may raise inside the fake (an unexpected exception would be answered with 30000)."""
    yield
    assert fake.errors == []


@pytest.fixture
def replies() -> ReplyLog:
    return ReplyLog()


@pytest.fixture
def session(replies: ReplyLog) -> Iterator[requests.Session]:
    with requests.Session() as s:
        s.hooks["response"].append(replies.hook)
        yield s


@pytest.fixture
def connect(server: ServerThread, session: requests.Session) -> Callable[[str, str], Ips]:
    """``connect(version, soap)``: zeep on the real WSDL of ``version``, bound to the fake's endpoint."""

    def _connect(version: str, soap: str) -> Ips:
        client = zeep.Client(str(real_wsdl_path(version)), transport=zeep.Transport(session=session))
        service = client.create_service(BINDINGS[soap], server.url + SERVICE_PATH)
        return Ips(version, soap, client, service)

    return _connect


def fault_detail(fault: Fault) -> tuple[str, int, str]:
    """``(detail element local name, code, reason)`` of an IPS fault, checking every name's namespace."""
    assert fault.detail is not None, "the fault has no detail"
    (element,) = list(fault.detail)
    qname = etree.QName(element)
    assert qname.namespace == FLT
    children = list(element)
    assert [etree.QName(c).text for c in children] == [f"{{{FLT}}}code", f"{{{FLT}}}reason"]
    return qname.localname, int(children[0].text or ""), children[1].text or ""


def company(result: Any) -> dict[str, Any]:
    return dict(serialize_object(result, dict))


# ---------------------------------------------------------------------------------- zeep, authHeader sign-in


@pytest.mark.parametrize(("version", "soap"), CLIENT_MATRIX)
def test_get_company_info_by_name_with_auth_header(
    connect: Callable[[str, str], Ips], replies: ReplyLog, version: str, soap: str
) -> None:
    ips = connect(version, soap)

    result = ips.service.getCompanyInfo(companyName="Example", _soapheaders=ips.auth())

    assert result["companyHandle"] == "c|100"
    assert result["name"] == "Example"
    assert result["rootPath"] == "Example/"
    assert result["expires"] is None
    assert [(r.status, r.content_type) for r in replies.replies] == [(200, REPLY_CONTENT_TYPES[soap])]
    assert replies.replies[0].payload_tag == f"{{{FLT}/{version}}}getCompanyInfoReturn"


@pytest.mark.parametrize(("version", "soap"), CLIENT_MATRIX)
def test_get_company_info_by_handle_with_auth_header(
    connect: Callable[[str, str], Ips], replies: ReplyLog, version: str, soap: str
) -> None:
    ips = connect(version, soap)

    result = ips.service.getCompanyInfo(companyHandle="c|100", _soapheaders=ips.auth("user@example.com"))

    assert (result["companyHandle"], result["name"], result["rootPath"]) == ("c|100", "Example", "Example/")
    assert replies.statuses() == [200]


def test_the_2014_reply_carries_the_2014_only_field(connect: Callable[[str, str], Ips]) -> None:
    """zeep decodes the reply with the 2014 type, which has imsOrgId; the 2013 Company has no such field."""
    ips_2014, ips_2013 = connect("2014-04-03", "1.1"), connect("2013-02-15", "1.1")

    new = company(ips_2014.service.getCompanyInfo(companyName="Example", _soapheaders=ips_2014.auth()))
    old = company(ips_2013.service.getCompanyInfo(companyName="Example", _soapheaders=ips_2013.auth()))

    assert new == {
        "companyHandle": "c|100",
        "name": "Example",
        "rootPath": "Example/",
        "expires": None,
        "imsOrgId": None,
    }
    assert old == {"companyHandle": "c|100", "name": "Example", "rootPath": "Example/", "expires": None}


@pytest.mark.parametrize(("version", "soap"), CLIENT_MATRIX)
def test_check_login_valid_and_invalid(
    connect: Callable[[str, str], Ips], replies: ReplyLog, version: str, soap: str
) -> None:
    ips = connect(version, soap)
    call = ips.service.checkLogin

    assert call(email="user@example.com", password="password", _soapheaders=ips.auth()) == "ValidLogin"
    assert call(email="user@example.com", password="wrong", _soapheaders=ips.auth()) == "InvalidLogin"
    assert call(email="nobody@example.com", password="password", _soapheaders=ips.auth()) == "InvalidLogin"
    assert (
        call(email="user@example.com", password="password", companyHandle="c|100", _soapheaders=ips.auth())
        == "ValidLogin"
    )
    assert (
        call(email="user@example.com", password="password", companyHandle="c|200", _soapheaders=ips.auth())
        == "InvalidLogin"
    )
    assert replies.statuses() == [200] * 5
    assert {r.payload_tag for r in replies.replies} == {f"{{{FLT}/{version}}}checkLoginReturn"}


# --------------------------------------------------------------------------------- zeep, HTTP Basic sign-in


@pytest.mark.parametrize(("version", "soap"), CLIENT_MATRIX)
def test_http_basic_alone_signs_in(
    connect: Callable[[str, str], Ips],
    session: requests.Session,
    replies: ReplyLog,
    version: str,
    soap: str,
) -> None:
    session.auth = ("admin@example.com", "password")
    ips = connect(version, soap)

    result = ips.service.getCompanyInfo(companyName="Example")
    status = ips.service.checkLogin(email="admin@example.com", password="password")

    assert (result["companyHandle"], result["name"]) == ("c|100", "Example")
    assert status == "ValidLogin"
    assert replies.statuses() == [200, 200]
    assert all(b"authHeader" not in r.request_body for r in replies.replies), "zeep sent an authHeader"


@pytest.mark.parametrize(("version", "soap"), CLIENT_MATRIX)
def test_http_basic_with_a_wrong_password_is_10001(
    connect: Callable[[str, str], Ips],
    session: requests.Session,
    replies: ReplyLog,
    version: str,
    soap: str,
) -> None:
    session.auth = ("admin@example.com", "wrong")
    ips = connect(version, soap)

    with pytest.raises(Fault) as caught:
        ips.service.getCompanyInfo(companyName="Example")

    assert fault_detail(caught.value) == ("authenticationFault", 10001, "Invalid username/password")
    assert replies.statuses() == [500]


# --------------------------------------------------------------------------------------------- zeep, faults


@pytest.mark.parametrize(("version", "soap"), CLIENT_MATRIX)
def test_wrong_password_is_authentication_fault_10001(
    connect: Callable[[str, str], Ips], replies: ReplyLog, version: str, soap: str
) -> None:
    ips = connect(version, soap)

    with pytest.raises(Fault) as caught:
        ips.service.getCompanyInfo(companyName="Example", _soapheaders=ips.auth("admin@example.com", "wrong"))

    assert fault_detail(caught.value) == ("authenticationFault", 10001, "Invalid username/password")
    assert caught.value.message == "authenticationFault"
    assert caught.value.code == CLIENT_FAULT_CODES[soap]
    assert [(r.status, r.content_type) for r in replies.replies] == [(500, REPLY_CONTENT_TYPES[soap])]
    assert replies.replies[0].payload_tag == f"{{{FLT}}}authenticationFault"


@pytest.mark.parametrize(("version", "soap"), CLIENT_MATRIX)
def test_unknown_user_is_authentication_fault_10002(
    connect: Callable[[str, str], Ips], replies: ReplyLog, version: str, soap: str
) -> None:
    ips = connect(version, soap)

    with pytest.raises(Fault) as caught:
        ips.service.getCompanyInfo(companyName="Example", _soapheaders=ips.auth("nobody@example.com"))

    assert fault_detail(caught.value) == ("authenticationFault", 10002, "Invalid user 'nobody@example.com'")
    assert replies.statuses() == [500]


@pytest.mark.parametrize(("version", "soap"), CLIENT_MATRIX)
def test_another_companys_info_is_authorization_fault_20006(
    connect: Callable[[str, str], Ips], replies: ReplyLog, version: str, soap: str
) -> None:
    ips = connect(version, soap)

    with pytest.raises(Fault) as caught:
        ips.service.getCompanyInfo(companyName="Other", _soapheaders=ips.auth("user@example.com"))

    kind, code, reason = fault_detail(caught.value)
    assert (kind, code) == ("authorizationFault", 20006)
    assert reason == "User 'user@example.com' is not a member of company 'Other' (c|200)"
    assert caught.value.message == "authorizationFault"
    assert replies.statuses() == [500]
    assert replies.replies[0].payload_tag == f"{{{FLT}}}authorizationFault"


# ------------------------------------------------------------------------------------ hand-written requests

PRE_40_GET_COMPANY_INFO = """<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"
                  xmlns:ips="http://www.scene7.com/IpsApi/xsd">
  <soapenv:Header>
    <ips:authHeader>
      <ips:password>password</ips:password>
      <ips:user>admin@example.com</ips:user>
    </ips:authHeader>
  </soapenv:Header>
  <soapenv:Body>
    <ips:getCompanyInfoParam>
      <ips:companyName>Example</ips:companyName>
    </ips:getCompanyInfoParam>
  </soapenv:Body>
</soapenv:Envelope>
"""

SOAP12_CHECK_LOGIN_2010 = """<?xml version="1.0" encoding="UTF-8"?>
<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"
              xmlns:flt="http://www.scene7.com/IpsApi/xsd"
              xmlns:v="http://www.scene7.com/IpsApi/xsd/2010-01-31">
  <env:Header>
    <flt:authHeader>
      <flt:user>admin@example.com</flt:user>
      <flt:password>password</flt:password>
    </flt:authHeader>
  </env:Header>
  <env:Body>
    <v:checkLoginParam>
      <v:email>user@example.com</v:email>
      <v:password>password</v:password>
    </v:checkLoginParam>
  </env:Body>
</env:Envelope>
"""


def test_raw_pre_40_soap11_post_with_unquoted_soap_action(server: ServerThread) -> None:
    response = requests.post(
        server.url + SERVICE_PATH,
        data=PRE_40_GET_COMPANY_INFO.encode(),
        headers={"Content-Type": "text/xml; charset=UTF-8", "SOAPAction": "getCompanyInfo"},
        timeout=10,
    )

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/xml;charset=UTF-8"
    payload = validate_reply(response.content, expect_namespace=FLT)
    assert payload.tag == f"{{{FLT}}}getCompanyInfoReturn"
    assert etree.fromstring(response.content).tag == f"{{{SOAP11_ENV}}}Envelope"
    (info,) = list(payload)
    assert info.tag == f"{{{FLT}}}companyInfo"
    assert {etree.QName(c).namespace for c in info} == {FLT}
    assert {etree.QName(c).localname: c.text for c in info} == {
        "companyHandle": "c|100",
        "name": "Example",
        "rootPath": "Example/",
    }


def test_raw_soap12_post_in_the_2010_namespace(server: ServerThread) -> None:
    namespace = f"{FLT}/2010-01-31"
    response = requests.post(
        server.url + SERVICE_PATH,
        data=SOAP12_CHECK_LOGIN_2010.encode(),
        headers={"Content-Type": 'application/soap+xml; charset=UTF-8; action="checkLogin"'},
        timeout=10,
    )

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/soap+xml;charset=UTF-8"
    payload = validate_reply(response.content, expect_namespace=namespace)
    assert etree.fromstring(response.content).tag == f"{{{SOAP12_ENV}}}Envelope"
    assert payload.tag == f"{{{namespace}}}checkLoginReturn"
    assert [(c.tag, c.text) for c in payload] == [(f"{{{namespace}}}status", "ValidLogin")]


# ------------------------------------------------------------------------------------------------ done when


def test_done_when_walk_through(server: ServerThread, replies: ReplyLog) -> None:
    """The project's acceptance walk-through: the real 2014 WSDL, pointed at the fake, from a real client."""
    with requests.Session() as session:
        session.hooks["response"].append(replies.hook)
        client = zeep.Client(str(real_wsdl_path("2014-04-03")), transport=zeep.Transport(session=session))
        ips = client.create_service(BINDINGS["1.1"], server.url + SERVICE_PATH)
        auth_header = client.get_element(AUTH_HEADERS["2014-04-03"])

        def sign_in(user: str, password: str = "password") -> list[Any]:
            return [auth_header(user=user, password=password, appName="walk-through", appVersion="1.0")]

        # 1. Example's company info, as the admin.
        info = ips.getCompanyInfo(companyName="Example", _soapheaders=sign_in("admin@example.com"))
        assert (info.companyHandle, info.name, info.rootPath) == ("c|100", "Example", "Example/")

        # 2. A wrong password: authenticationFault 10001.
        with pytest.raises(Fault) as wrong_password:
            ips.getCompanyInfo(companyName="Example", _soapheaders=sign_in("admin@example.com", "not-it"))
        assert fault_detail(wrong_password.value) == ("authenticationFault", 10001, "Invalid username/password")

        # 3. Another company's info, as a user of Example: authorizationFault 20006.
        with pytest.raises(Fault) as foreign:
            ips.getCompanyInfo(companyName="Other", _soapheaders=sign_in("user@example.com"))
        assert fault_detail(foreign.value)[:2] == ("authorizationFault", 20006)

    # Every reply was checked against the real WSDL's schema on the way in.
    assert replies.statuses() == [200, 500, 500]
