"""suds-community, built on the WSDL ips-mock serves, against a served FakeIps.

One :class:`ServerThread` on 127.0.0.1, port 0, serves each test's fresh fake through an :class:`AppSwitch`. A
test builds a suds ``Client`` on ``fake.wsdl_url_for(version)`` as a suds user would: no cache, the default port,
credentials in an authHeader made by ``client.factory`` from the WSDL's own type, or HTTP Basic through suds'
``HttpAuthenticated`` transport. A suds message plugin validates every reply against Adobe's schema for its version
(:func:`ips_mock.testing.validate_reply`) and keeps what went over the wire.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from lxml import etree
from suds import WebFault
from suds.client import Client
from suds.plugin import MessageContext, MessagePlugin
from suds.transport.http import HttpAuthenticated

from ips_mock import FakeIps, ServerThread
from ips_mock.operations import OPERATIONS
from ips_mock.protocol.ns import ApiVersion
from ips_mock.protocol.schema import wsdl_operations
from ips_mock.server import AppSwitch
from ips_mock.testing import real_wsdl_path, validate_reply

FLT = "http://www.scene7.com/IpsApi/xsd"
SOAP11_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
VERSIONS = ("2014-04-03", "2013-02-15")

# The header element each served WSDL's binding declares: versioned in 2014, the legacy one in 2013.
AUTH_HEADERS = {"2014-04-03": f"{{{FLT}/2014-04-03}}authHeader", "2013-02-15": f"{{{FLT}}}authHeader"}
APP = {"appName": "ips-mock-suds", "appVersion": "1.0"}  # required in the 2014 authHeader
PST = timezone(timedelta(hours=-8))


# ------------------------------------------------------------------------------------------------- fixtures


@dataclass
class Wire(MessagePlugin):
    """A suds message plugin: keeps every request envelope and validates every reply body it receives."""

    sent: list[etree._Element] = field(default_factory=list)
    replies: list[etree._Element] = field(default_factory=list)

    def sending(self, context: MessageContext) -> None:
        self.sent.append(etree.fromstring(bytes(context.envelope)))

    def received(self, context: MessageContext) -> None:
        self.replies.append(validate_reply(bytes(context.reply)))

    def header_tags(self) -> list[list[str]]:
        """Per request, the tags of the SOAP header's children."""
        return [[str(h.tag) for h in envelope.iterfind(f"{{{SOAP11_ENV}}}Header/*")] for envelope in self.sent]


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[ServerThread, AppSwitch]]:
    """One server on 127.0.0.1 for the module; each test switches in its own fake."""
    switch = AppSwitch()
    with ServerThread(switch, host="127.0.0.1", port=0) as running:
        yield running, switch


@pytest.fixture
def served(fake: FakeIps, server: tuple[ServerThread, AppSwitch]) -> Iterator[FakeIps]:
    """The conftest's fresh fake, served; nothing a test does may raise inside it."""
    running, switch = server
    fake.base_url = running.url
    switch.app = fake
    try:
        yield fake
    finally:
        switch.app = None
    assert fake.errors == []


@pytest.fixture
def wire() -> Wire:
    return Wire()


def suds_client(fake: FakeIps, version: str, wire: Wire, **options: Any) -> Client:
    """A suds client on the WSDL ``fake`` serves for ``version``, with no on-disk cache."""
    return Client(fake.wsdl_url_for(version), cache=None, plugins=[wire], **options)


def sign_in(client: Client, version: str, user: str = "admin@example.com", password: str = "password") -> None:
    """Every later call carries the authHeader the WSDL declares, built by suds from the WSDL's type."""
    header = client.factory.create(AUTH_HEADERS[version])
    header.user = user
    header.password = password
    if version == "2014-04-03":
        header.appName, header.appVersion = APP["appName"], APP["appVersion"]
    client.set_options(soapheaders=header)


def basic(user: str = "admin@example.com", password: str = "password") -> HttpAuthenticated:
    """suds' preemptive HTTP Basic transport: it sends the Authorization header on every request."""
    return HttpAuthenticated(username=user, password=password)


def fault_of(caught: pytest.ExceptionInfo[WebFault]) -> tuple[str, str, str, int, str]:
    """``(faultcode, faultstring, detail element name, code, reason)`` as suds decoded the fault."""
    fault = caught.value.fault
    (name,) = [key for key, _ in fault.detail]
    detail = getattr(fault.detail, name)
    return fault.faultcode, fault.faultstring, name, int(detail.code), detail.reason


# -------------------------------------------------------------------------------------- loading the WSDL


@pytest.mark.parametrize("version", VERSIONS)
def test_suds_loads_the_served_wsdl_and_binds_the_fakes_address(served: FakeIps, wire: Wire, version: str) -> None:
    client = suds_client(served, version, wire)

    (service,) = client.wsdl.services
    assert [port.name for port in service.ports] == ["IpsApiSoapPort", "IpsApiSoap12Port"]
    for port in service.ports:
        assert port.location == served.url
        implemented = set(OPERATIONS) & wsdl_operations(ApiVersion(version))  # the version's own, implemented
        assert implemented <= set(port.methods), f"{port.name} lacks operations ips-mock implements"
    header = client.factory.create(AUTH_HEADERS[version])
    assert {"user", "password"} <= {name for name, _ in header}
    assert wire.sent == []  # loading the WSDL sends no SOAP request


# ------------------------------------------------------------------------------------------- credentials


@pytest.mark.parametrize("version", VERSIONS)
def test_get_company_info_with_the_auth_header(served: FakeIps, wire: Wire, version: str) -> None:
    client = suds_client(served, version, wire)
    sign_in(client, version)

    company = client.service.getCompanyInfo(companyName="Example")

    # suds unwraps getCompanyInfoReturn, whose only child is companyInfo.
    assert (company.companyHandle, company.name, company.rootPath) == ("c|100", "Example", "Example/")
    assert wire.header_tags() == [[AUTH_HEADERS[version]]]
    (header,) = wire.sent[0].iterfind(f"{{{SOAP11_ENV}}}Header/*")
    expected_fields = ["user", "password", *(APP if version == "2014-04-03" else [])]
    assert [etree.QName(child).localname for child in header] == expected_fields
    assert [r.tag for r in wire.replies] == [f"{{{FLT}/{version}}}getCompanyInfoReturn"]
    (call,) = served.journal.calls()
    assert (call.operation, call.api_version, call.soap_version, call.caller) == (
        "getCompanyInfo",
        version,
        "1.1",  # suds' default port is the first, IpsApiSoapPort
        "admin@example.com",
    )


@pytest.mark.parametrize("version", VERSIONS)
def test_http_basic_through_suds_http_authenticated(served: FakeIps, wire: Wire, version: str) -> None:
    """suds.transport.http.HttpAuthenticated sends Basic credentials up front: no authHeader, no 401 needed."""
    client = suds_client(served, version, wire, transport=basic("user@example.com"))

    company = client.service.getCompanyInfo(companyHandle="c|100")
    status = client.service.checkLogin(email="admin@example.com", password="password")

    assert company.companyHandle == "c|100"
    assert status == "ValidLogin"
    assert wire.header_tags() == [[], []]
    assert [(c.operation, c.caller, c.status) for c in served.journal.calls()] == [
        ("getCompanyInfo", "user@example.com", 200),
        ("checkLogin", "user@example.com", 200),
    ]


def test_suds_default_transport_waits_for_a_401_that_ips_never_sends(served: FakeIps, wire: Wire) -> None:
    """``Client(username=…, password=…)`` uses suds' RFC 2617 transport, which sends credentials only after a 401.
    IPS answers a request without credentials with fault 10000 (never 401), so those credentials never leave
    the client: suds users must pass ``transport=HttpAuthenticated(...)`` or an authHeader."""
    client = suds_client(served, "2014-04-03", wire, username="admin@example.com", password="password")

    with pytest.raises(WebFault) as caught:
        client.service.getCompanyInfo(companyName="Example")

    assert fault_of(caught)[:4] == ("soapenv:Client", "authenticationFault", "authenticationFault", 10000)
    assert [(c.caller, c.status, c.fault_code) for c in served.journal.calls()] == [(None, 500, 10000)]


# ------------------------------------------------------------------------------------------------- faults


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("carrier", ["authHeader", "HTTP Basic"])
def test_a_wrong_password_is_a_web_fault_10001(served: FakeIps, wire: Wire, version: str, carrier: str) -> None:
    if carrier == "authHeader":
        client = suds_client(served, version, wire)
        sign_in(client, version, password="wrong")
    else:
        client = suds_client(served, version, wire, transport=basic(password="wrong"))

    with pytest.raises(WebFault) as caught:
        client.service.getCompanyInfo(companyName="Example")

    assert fault_of(caught) == (
        "soapenv:Client",
        "authenticationFault",
        "authenticationFault",
        10001,
        "Invalid username/password",
    )
    assert [r.tag for r in wire.replies] == [f"{{{FLT}}}authenticationFault"]


# --------------------------------------------------------------------------------------------------- jobs


@pytest.mark.parametrize("version", VERSIONS)
def test_an_upload_job_through_suds_on_the_virtual_clock(served: FakeIps, wire: Wire, version: str) -> None:
    client = suds_client(served, version, wire)
    sign_in(client, version)
    job = client.factory.create(f"{{{FLT}/{version}}}UploadUrlsJob")
    job.urlArray = {"items": [{"sourceUrl": f"https://example.com/{n}.jpg", "destPath": ""} for n in "ab"]}
    job.overwrite, job.readyForPublish, job.createMask, job.emailSetting = True, True, False, "None"

    handle = client.service.submitJob(companyHandle="c|100", jobName="suds-upload", uploadUrlsJob=job)
    served.advance(timedelta(seconds=30))
    running = client.service.getActiveJobs(companyHandle="c|100")
    served.advance(timedelta(seconds=30))
    finished = client.service.getActiveJobs(companyHandle="c|100")
    logs = client.service.getJobLogs(companyHandle="c|100")

    run_name = "suds-upload_2026-01-05-09:00:00.000"
    assert handle == "j|100|suds-upload||"
    (active,) = running.items
    assert (active.jobHandle, active.name, active.originalName) == (f"j|100||{run_name}|1001", run_name, "suds-upload")
    assert (active.type, active.state, active.progress) == ("UrlUpload", "Running", 50)
    assert active.startDate == datetime(2026, 1, 5, 9, 0, tzinfo=PST)
    assert active.uploadUrlsJob.numUrls == 2
    assert not hasattr(finished, "items"), "the run is Done after 60 s and leaves getActiveJobs"
    (log,) = logs.items
    assert (log.jobHandle, log.jobName, log.originalJobName) == (f"j|100||{run_name}", run_name, "suds-upload")
    assert (log.fileSuccessCount, log.fileErrorCount, log.totalFileCount, log.fatalError) == (2, 0, 2, False)
    assert (log.startDate, log.endDate) == (
        datetime(2026, 1, 5, 9, 0, tzinfo=PST),
        datetime(2026, 1, 5, 9, 1, tzinfo=PST),
    )
    assert [r.tag for r in wire.replies] == [
        f"{{{FLT}/{version}}}{op}Return" for op in ("submitJob", "getActiveJobs", "getActiveJobs", "getJobLogs")
    ]


@pytest.mark.parametrize("version", VERSIONS)
def test_a_nightly_publish_through_suds_runs_once_a_night(served: FakeIps, wire: Wire, version: str) -> None:
    client = suds_client(served, version, wire, transport=basic())

    client.service.submitJob(
        companyHandle="c|100",
        jobName="nightly-publish",
        execSchedule="0 0 0 * * ?",
        imageServingPublishJob={"publishType": "Full", "emailSetting": "None"},
    )
    served.advance(timedelta(days=2))
    logs = client.service.getJobLogs(companyHandle="c|100", sortDirection="Ascending")

    assert [(log.jobName, log.logType) for log in logs.items] == [
        ("nightly-publish_2026-01-06-00:00:00.000", "BeginImageServingPublish"),
        ("nightly-publish_2026-01-07-00:00:00.000", "BeginImageServingPublish"),
    ]


# ----------------------------------------------------------------------------------- Adobe's whole surface

W = "http://schemas.xmlsoap.org/wsdl/"
ADOBE_OPERATION_COUNTS = {"2014-04-03": 164, "2013-02-15": 163}


def adobe_operations(version: str) -> list[str]:
    """The operations of IpsApiPortType in Adobe's real WSDL for ``version``, sorted."""
    wsdl = etree.parse(str(real_wsdl_path(version)))
    names = wsdl.xpath("/w:definitions/w:portType[@name='IpsApiPortType']/w:operation/@name", namespaces={"w": W})
    return sorted(str(name) for name in names)


@pytest.mark.parametrize("version", VERSIONS)
def test_suds_lists_every_operation_of_adobes_port_type(served: FakeIps, wire: Wire, version: str) -> None:
    adobe = adobe_operations(version)
    client = suds_client(served, version, wire)

    assert len(adobe) == ADOBE_OPERATION_COUNTS[version]
    for port in client.wsdl.services[0].ports:
        missing = sorted(set(adobe) - set(port.methods))
        assert not missing, f"{port.name}: suds lists {len(port.methods)} of Adobe's {len(adobe)}; missing {missing}"
        assert sorted(port.methods) == adobe
