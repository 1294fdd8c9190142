"""The plain-XML transport AEM and its scripts use (REAL-CLIENTS §2): POST a <Request> to /scene7/api/IpsApiService.

Those clients read replies with root-anchored XPaths on a parser that is not namespace aware (Java's default), so
these tests read them the same way: :func:`xpath` sees tag names exactly as written, prefixes included.
"""

from __future__ import annotations

import xml.etree.ElementTree as StdTree
from datetime import timedelta
from xml.parsers import expat

import pytest
import requests
from lxml import etree

from ips_mock import FakeIps, ServerThread
from ips_mock.protocol import ns
from ips_mock.standalone import StandaloneApp
from ips_mock.testing import PlainXmlTestClient, auth_header, build_plain_request, upload_urls_job

AEM_64 = "2017-10-29-beta"  # AEM 6.4's generated com.scene7.ipsapi classes
AEM_CS = "2021-04-26-beta"  # AEM as a Cloud Service


def xpath(body: bytes, path: str) -> list[str]:
    """Texts at a root-anchored ``/a/b/c`` path, read as a namespace-unaware parser reads them."""
    builder = StdTree.TreeBuilder()
    parser = expat.ParserCreate()  # no namespace processing: tags keep their prefixes, xmlns stays an attribute
    parser.StartElementHandler = builder.start
    parser.EndElementHandler = lambda name: builder.end(name)
    parser.CharacterDataHandler = builder.data
    parser.Parse(body, True)
    root = builder.close()
    first, *rest = path.strip("/").split("/")
    if root.tag != first:
        return []
    return [el.text or "" for el in (root.findall("/".join(rest)) if rest else [root])]


@pytest.fixture
def fake() -> FakeIps:
    return FakeIps()


@pytest.mark.parametrize("version", ["2014-04-03", AEM_64, AEM_CS])
def test_get_company_info_answers_the_bare_return_in_the_request_namespace(fake: FakeIps, version: str) -> None:
    reply = PlainXmlTestClient(fake, version=version).call("getCompanyInfo", {"companyName": "Example"})
    assert reply.status == 200
    assert reply.headers["Content-Type"] == "text/xml;charset=UTF-8"
    assert etree.QName(reply.payload).text == f"{{{ns.ApiVersion(version).namespace}}}getCompanyInfoReturn"
    assert xpath(reply.body, "/getCompanyInfoReturn/companyInfo/companyHandle") == ["c|100"]
    assert xpath(reply.body, "/getCompanyInfoReturn/companyInfo/rootPath") == ["Example/"]
    assert b"Envelope" not in reply.body


def test_submit_job_then_read_its_log_details(fake: FakeIps) -> None:
    client = PlainXmlTestClient(fake, version=AEM_64)
    job = upload_urls_job("https://img.example.com/a.jpg", "https://img.example.com/b.jpg")
    submitted = client.call("submitJob", {"companyHandle": "c|100", "jobName": "aem-upload", "uploadUrlsJob": job})
    assert xpath(submitted.body, "/submitJobReturn/jobHandle") == ["j|100|aem-upload||"]

    fake.advance(timedelta(minutes=2))

    logs = client.call("getJobLogs", {"companyHandle": "c|100"})
    assert xpath(logs.body, "/getJobLogsReturn/jobLogArray/items/originalJobName") == ["aem-upload"]
    details = client.call("getJobLogDetails", {"companyHandle": "c|100", "originalName": "aem-upload"})
    types = xpath(details.body, "/getJobLogDetailsReturn/jobLogArray/items/detailArray/items/logType")
    assert types.count("UploadSuccess") == 2
    assert xpath(details.body, "/getJobLogDetailsReturn/jobLogArray/items/fileSuccessCount") == ["2"]


def test_a_fault_is_the_bare_fault_element_with_the_fault_status(fake: FakeIps) -> None:
    client = PlainXmlTestClient(fake, version=AEM_64)
    wrong = client.call("getCompanyInfo", {"companyName": "Example"}, password="wrong")
    assert wrong.status == 500
    assert etree.QName(wrong.payload).text == f"{{{ns.FLT}}}authenticationFault"
    assert xpath(wrong.body, "/authenticationFault/code") == ["10001"]
    assert xpath(wrong.body, "/authenticationFault/reason") == ["Invalid username/password"]
    assert wrong.reason == "Invalid username/password"

    # faultHttpStatusCode shapes the status as on SOAP (W6 relies on it).
    flagged = client.call("getCompanyInfo", {"companyName": "Example"}, password="wrong", faultHttpStatusCode=200)
    assert (flagged.status, flagged.code) == (200, 10001)


def test_bad_documents_get_a_readable_30003(fake: FakeIps) -> None:
    client = PlainXmlTestClient(fake)
    not_xml = client.post(b"getCompanyInfo please")
    assert (not_xml.status, not_xml.code) == (500, 30003)
    assert "not well-formed" in (not_xml.reason or "")

    envelope = b'<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body/></soapenv:Envelope>'
    wrong_root = client.post(envelope)
    assert wrong_root.code == 30003
    assert "must be an IPS <Request>" in (wrong_root.reason or "")

    namespace = ns.ApiVersion("2014-04-03").namespace
    two = client.post(f'<Request xmlns="{namespace}"><getCompanyInfoParam/><getCompanyInfoParam/></Request>'.encode())
    assert two.code == 30003
    assert "exactly one <operation>Param" in (two.reason or "")

    late_header = build_plain_request("getCompanyInfo", {"companyName": "Example"})
    root = etree.fromstring(late_header)
    root.append(auth_header(namespace=namespace))
    assert client.post(etree.tostring(root)).code == 30003


def test_unimplemented_operations_and_missing_credentials_fault_as_on_soap(fake: FakeIps) -> None:
    client = PlainXmlTestClient(fake)
    unimplemented = client.call("getUserInfo", {"email": "admin@example.com"})
    assert (unimplemented.code, unimplemented.reason) == (
        30000,
        "ips-mock does not implement getUserInfo (add a stubs entry)",
    )
    anonymous = client.call("getCompanyInfo", {"companyName": "Example"}, user=None)
    assert (anonymous.fault_kind, anonymous.code) == ("authenticationFault", 10000)


def test_http_basic_works_without_an_auth_header(fake: FakeIps) -> None:
    client = PlainXmlTestClient(fake)
    body = build_plain_request("getCompanyInfo", {"companyName": "Example"})
    reply = client.post(body, headers={"Authorization": "Basic dXNlckBleGFtcGxlLmNvbTpwYXNzd29yZA=="})
    assert reply.ok().text("companyInfo/companyHandle") == "c|100"


def test_the_journal_records_the_plain_transport_with_its_bytes(fake: FakeIps) -> None:
    client = PlainXmlTestClient(fake, version=AEM_64)
    reply = client.call("getCompanyInfo", {"companyName": "Example"})
    (entry,) = fake.journal.calls("getCompanyInfo")
    assert (entry.transport, entry.soap_version, entry.api_version, entry.caller) == (
        "plain",
        None,
        AEM_64,
        "admin@example.com",
    )
    assert entry.path == "/scene7/api/IpsApiService"
    assert entry.reply_body == reply.body
    assert entry.request_body is not None
    assert b"<getCompanyInfoParam>" in entry.request_body
    assert entry.params == {"companyName": "Example"}


def test_over_http_and_under_a_tenant() -> None:
    app = StandaloneApp(FakeIps().scenario)
    with ServerThread(app) as server:
        namespace = ns.ApiVersion(AEM_64).namespace
        body = build_plain_request(
            "getCompanyInfo", {"companyName": "Example"}, version=AEM_64, auth=auth_header(namespace=namespace)
        )
        for prefix in ("", "/t/aem-tests"):
            response = requests.post(
                f"{server.url}{prefix}/scene7/api/IpsApiService",
                data=body,
                headers={"Content-Type": "text/xml; charset=UTF-8"},
                timeout=10,
            )
            assert response.status_code == 200
            assert xpath(response.content, "/getCompanyInfoReturn/companyInfo/companyHandle") == ["c|100"]
        assert len(app.tenants["aem-tests"].journal.calls("getCompanyInfo")) == 1
        assert len(app.default.journal.calls("getCompanyInfo")) == 1


def test_get_explains_the_endpoint(fake: FakeIps) -> None:
    from werkzeug.test import Client

    response = Client(fake).get("/scene7/api/IpsApiService")
    assert response.status_code == 200
    assert "<Request" in response.get_data(as_text=True)
