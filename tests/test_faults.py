"""Bad input of every kind gets the right IPS fault, in the right SOAP version, and the fake keeps serving."""

from __future__ import annotations

import base64
import gzip
from pathlib import Path

import pytest
from lxml import etree

from ips_mock import FakeIps
from ips_mock.protocol import ns
from ips_mock.testing import SOAP12, SoapReply, SoapTestClient, auth_header, build_envelope, validate_reply

ENDPOINT = "/scene7/services/IpsApiService"
V2014 = ns.ApiVersion("2014-04-03").namespace


def _ok(client: SoapTestClient) -> None:
    """The fake still answers a good request after whatever came before."""
    reply = client.call("getCompanyInfo", {"companyName": "Example"})
    assert reply.status == 200
    assert reply.text("companyInfo/companyHandle") == "c|100"


def _assert_fault(reply: SoapReply, code: int, kind: str, *, status: int = 500, reason: str | None = None) -> None:
    assert reply.is_fault, reply.body
    assert (reply.code, reply.fault_kind, reply.status) == (code, kind, status), reply.reason
    if reason is not None:
        assert reason in (reply.reason or ""), reply.reason


ENVELOPE_11 = (
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>'
    '<getCompanyInfoParam xmlns="http://www.scene7.com/IpsApi/xsd/2014-04-03"><companyName>Example</companyName>'
    "</getCompanyInfoParam></soapenv:Body></soapenv:Envelope>"
)


# --------------------------------------------------------------------------------------- malformed requests


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"", "empty"),
        (b"this is not xml", "not well-formed"),
        (
            b"<soapenv:Envelope xmlns:soapenv='http://schemas.xmlsoap.org/soap/envelope/'><soapenv:Body>",
            "not well-formed",
        ),
        (b"<Envelope/>", "SOAP 1.1 or 1.2 Envelope"),
        (b"<soapenv:Body xmlns:soapenv='http://schemas.xmlsoap.org/soap/envelope/'/>", "must be a SOAP Envelope"),
        (b"<s:Envelope xmlns:s='http://schemas.xmlsoap.org/soap/envelope/'><s:Body/></s:Envelope>", "Body is empty"),
        (b"<s:Envelope xmlns:s='http://schemas.xmlsoap.org/soap/envelope/'/>", "optional Header followed by one Body"),
        (
            b"<s:Envelope xmlns:s='http://schemas.xmlsoap.org/soap/envelope/'><s:Body>"
            b"<v:checkLoginParam xmlns:v='http://www.scene7.com/IpsApi/xsd/2014-04-03'/>"
            b"<v:checkLoginParam xmlns:v='http://www.scene7.com/IpsApi/xsd/2014-04-03'/></s:Body></s:Envelope>",
            "holds 2 elements",
        ),
        (
            b"<s:Envelope xmlns:s='http://schemas.xmlsoap.org/soap/envelope/'><s:Body>"
            b"<v:getCompanyInfoParam xmlns:v='urn:not-ips'/></s:Body></s:Envelope>",
            "Unknown namespace",
        ),
        (
            b"<s:Envelope xmlns:s='http://schemas.xmlsoap.org/soap/envelope/'><s:Body>"
            b"<v:getCompanyInfo xmlns:v='http://www.scene7.com/IpsApi/xsd/2014-04-03'/></s:Body></s:Envelope>",
            "not an <operation>Param element",
        ),
    ],
    ids=[
        "empty",
        "not-xml",
        "truncated",
        "no-envelope-ns",
        "body-as-root",
        "empty-body",
        "no-body",
        "two-children",
        "foreign-namespace",
        "not-a-param",
    ],
)
def test_malformed_requests_get_30003_and_the_fake_keeps_serving(
    client: SoapTestClient, body: bytes, reason: str
) -> None:
    reply = client.post(body, headers={"SOAPAction": "getCompanyInfo"})
    _assert_fault(reply, 30003, "ipsApiFault", reason=reason)
    _ok(client)


@pytest.mark.parametrize("content_type", ["application/json", "text/plain", None])
def test_wrong_content_type_is_30003(client: SoapTestClient, content_type: str | None) -> None:
    response = client.client.post(
        ENDPOINT, data=ENVELOPE_11, headers={} if content_type is None else {"Content-Type": content_type}
    )
    reply_payload = validate_reply(response.get_data())
    assert response.status_code == 500
    assert reply_payload.findtext(f"{{{ns.FLT}}}code") == "30003"
    assert "Content-Type" in (reply_payload.findtext(f"{{{ns.FLT}}}reason") or "")


def test_content_type_and_envelope_version_must_agree(client: SoapTestClient) -> None:
    reply = client.post(ENVELOPE_11.encode(), content_type="application/soap+xml; charset=utf-8")
    _assert_fault(reply, 30003, "ipsApiFault", reason="requires a SOAP 1.2 envelope")
    assert reply.headers["Content-Type"].startswith("application/soap+xml")


def test_unknown_operation_is_30003(client: SoapTestClient) -> None:
    reply = client.call("fetchEverything", {})
    _assert_fault(reply, 30003, "ipsApiFault", reason="Unknown operation 'fetchEverything'")


@pytest.mark.parametrize("operation", ["getUsers", "addCompany", "uploadPost"])
def test_wsdl_operation_not_modelled_is_30000_naming_it(client: SoapTestClient, operation: str) -> None:
    reply = client.call(operation, {"companyHandle": "c|100"})
    _assert_fault(reply, 30000, "ipsApiFault", reason=f"ips-mock does not implement {operation} (add a stubs entry)")
    assert reply.body.count(b"<faultcode>soapenv:Server</faultcode>") == 1


def test_operation_only_in_the_2014_wsdl_is_unknown_in_2013(client: SoapTestClient) -> None:
    reply = client.call("uploadPost", {"companyHandle": "c|100"}, version="2013-02-15")
    _assert_fault(reply, 30003, "ipsApiFault", reason="Unknown operation 'uploadPost'")


def test_unknown_child_element_is_30003(client: SoapTestClient) -> None:
    reply = client.call("getCompanyInfo", {"companyName": "Example", "colour": "blue"})
    _assert_fault(reply, 30003, "ipsApiFault", reason="Unexpected element")
    assert "colour" in (reply.reason or "")


def test_field_of_a_newer_version_is_unknown_in_an_older_one(client: SoapTestClient) -> None:
    reply = client.call("getCompanyInfo", {"imsOrgId": "X@AdobeOrg"}, version="2013-02-15")
    _assert_fault(reply, 30003, "ipsApiFault", reason="imsOrgId")


def test_elements_out_of_schema_order_are_30003(client: SoapTestClient) -> None:
    reply = client.call("checkLogin", {"password": "password", "email": "user@example.com"})
    _assert_fault(reply, 30003, "ipsApiFault", reason="out of order")


def test_missing_required_element_is_30002_naming_it(client: SoapTestClient) -> None:
    reply = client.call("checkLogin", {"email": "user@example.com"})
    _assert_fault(reply, 30002, "ipsApiFault", reason="'password'")
    assert reply.body.count(b"soapenv:Client") == 1


def test_missing_lookup_key_is_30002(client: SoapTestClient) -> None:
    reply = client.call("getCompanyInfo", {})
    _assert_fault(reply, 30002, "ipsApiFault", reason="companyHandle")


def test_text_where_elements_belong_is_30003(client: SoapTestClient) -> None:
    body = ENVELOPE_11.replace("<companyName>", "stray text<companyName>").encode()
    reply = client.post(
        body, headers={"Authorization": "Basic " + base64.b64encode(b"admin@example.com:password").decode()}
    )
    _assert_fault(reply, 30003, "ipsApiFault", reason="only elements")


# --------------------------------------------------------------------------------------------- bad values


def test_bad_value_in_authheader_is_30001_naming_the_field(client: SoapTestClient) -> None:
    reply = client.call("checkLogin", {"email": "a@b", "password": "x"}, headers=[auth_header(gzipResponse="maybe")])
    _assert_fault(reply, 30001, "ipsApiFault", reason="authHeader/gzipResponse")


@pytest.mark.parametrize(("value", "kind"), [("abc", "int"), ("99999999999", "int"), ("2020-13-45", "dateTime")])
def test_codec_rejects_bad_values_with_30001(value: str, kind: str) -> None:
    from ips_mock.errors import IpsFault
    from ips_mock.protocol.codec import _parse_simple

    with pytest.raises(IpsFault) as info:
        _parse_simple(value, kind, "a/b")
    assert info.value.code == 30001
    assert "'a/b'" in info.value.reason
    assert kind in info.value.reason


# ---------------------------------------------------------------------------------------- untrusted XML


def test_xxe_file_entity_is_refused_and_nothing_is_read(client: SoapTestClient, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    body = (
        f'<?xml version="1.0"?><!DOCTYPE e [<!ENTITY x SYSTEM "file://{secret}">]>'
        + ENVELOPE_11.replace("<companyName>Example", "<companyName>&x;")
    ).encode()
    reply = client.post(body)
    _assert_fault(reply, 30003, "ipsApiFault", reason="DTD")
    assert b"TOP-SECRET" not in reply.body
    _ok(client)


def test_billion_laughs_is_refused(client: SoapTestClient) -> None:
    entities = '<!ENTITY a0 "lol">' + "".join(f'<!ENTITY a{i} "&a{i - 1};&a{i - 1};&a{i - 1};">' for i in range(1, 12))
    body = (f"<!DOCTYPE e [{entities}]>" + ENVELOPE_11.replace("Example", "&a11;")).encode()
    reply = client.post(body)
    _assert_fault(reply, 30003, "ipsApiFault", reason="DTD")
    assert len(reply.body) < 2000


def test_external_dtd_is_refused(client: SoapTestClient) -> None:
    body = ('<!DOCTYPE e SYSTEM "http://127.0.0.1:9/evil.dtd">' + ENVELOPE_11).encode()
    _assert_fault(client.post(body), 30003, "ipsApiFault", reason="DTD")


def test_utf16_document_with_a_dtd_is_still_refused(client: SoapTestClient) -> None:
    text = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE e [<!ENTITY x "boom">]>' + ENVELOPE_11
    _assert_fault(client.post(text.encode("utf-16")), 30003, "ipsApiFault", reason="DTD")


def test_deeply_nested_document_is_refused(client: SoapTestClient) -> None:
    inner = "<x>" * 200 + "</x>" * 200
    body = ENVELOPE_11.replace("<companyName>Example</companyName>", inner).encode()
    _assert_fault(client.post(body), 30003, "ipsApiFault", reason="deeper than")


def test_request_body_limit_is_a_fault() -> None:
    client = SoapTestClient(FakeIps(max_request_bytes=1024))
    body = ENVELOPE_11.replace("Example", "x" * 2000).encode()
    _assert_fault(client.post(body), 30003, "ipsApiFault", reason="exceeds the limit of 1024 bytes")
    _ok(client)


# ------------------------------------------------------------------------------------------- SOAPAction


@pytest.mark.parametrize("action", ["getCompanyInfo", '"getCompanyInfo"', "", '""', "urn:getCompanyInfo"])
def test_soapaction_forms_that_name_the_operation_are_accepted(client: SoapTestClient, action: str) -> None:
    body = build_envelope("getCompanyInfo", {"companyName": "Example"}, headers=[auth_header()])
    reply = client.post(body, headers={"SOAPAction": action})
    assert reply.status == 200
    assert not reply.is_fault


def test_absent_soapaction_is_accepted(client: SoapTestClient) -> None:
    reply = client.post(build_envelope("getCompanyInfo", {"companyName": "Example"}, headers=[auth_header()]))
    assert not reply.is_fault


def test_contradicting_soapaction_is_30003(client: SoapTestClient) -> None:
    body = build_envelope("getCompanyInfo", {"companyName": "Example"}, headers=[auth_header()])
    reply = client.post(body, headers={"SOAPAction": '"checkLogin"'})
    _assert_fault(reply, 30003, "ipsApiFault", reason="does not match the Body operation 'getCompanyInfo'")


def test_contradicting_soap12_action_parameter_is_30003(client: SoapTestClient) -> None:
    body = build_envelope("getCompanyInfo", {"companyName": "Example"}, soap=SOAP12, headers=[auth_header()])
    reply = client.post(body, content_type='application/soap+xml; charset=utf-8; action="deleteJob"')
    _assert_fault(reply, 30003, "ipsApiFault", reason="'deleteJob'")
    assert reply.headers["Content-Type"] == "application/soap+xml;charset=UTF-8"


# ----------------------------------------------------------------------------------------- fault shapes


def test_soap11_fault_shape_is_exactly_the_observed_one(client: SoapTestClient) -> None:
    reply = client.call("getCompanyInfo", {"companyName": "Example"}, password="wrong")
    assert reply.status == 500
    assert reply.headers["Content-Type"] == "text/xml;charset=UTF-8"
    assert reply.body == (
        b"<?xml version='1.0' encoding='UTF-8'?>"
        b'<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>'
        b"<soapenv:Fault><faultcode>soapenv:Client</faultcode><faultstring>authenticationFault</faultstring>"
        b'<detail><tns:authenticationFault xmlns:tns="http://www.scene7.com/IpsApi/xsd"><tns:code>10001</tns:code>'
        b"<tns:reason>Invalid username/password</tns:reason></tns:authenticationFault></detail></soapenv:Fault>"
        b"</soapenv:Body></soapenv:Envelope>"
    )


def test_soap12_fault_shape(client: SoapTestClient) -> None:
    reply = client.call("getCompanyInfo", {"companyName": "Other"}, user="user@example.com", soap=SOAP12)
    _assert_fault(reply, 20006, "authorizationFault")
    root = etree.fromstring(reply.body)
    env = ns.SOAP12_ENV
    assert root.findtext(f"{{{env}}}Body/{{{env}}}Fault/{{{env}}}Code/{{{env}}}Value") == "soapenv:Sender"
    text = root.find(f"{{{env}}}Body/{{{env}}}Fault/{{{env}}}Reason/{{{env}}}Text")
    assert text is not None
    assert (text.text, text.get("{http://www.w3.org/XML/1998/namespace}lang")) == ("authorizationFault", "en")
    assert reply.headers["Content-Type"] == "application/soap+xml;charset=UTF-8"


def test_server_fault_uses_receiver_in_soap12(client: SoapTestClient) -> None:
    reply = client.call("getUsers", {"companyHandle": "c|100"}, soap=SOAP12)
    assert b"<soapenv:Value>soapenv:Receiver</soapenv:Value>" in reply.body


@pytest.mark.parametrize("status", [200, 418])
def test_fault_http_status_code_changes_only_fault_statuses(client: SoapTestClient, status: int) -> None:
    header = auth_header(password="wrong", faultHttpStatusCode=status)
    fault = client.call("getCompanyInfo", {"companyName": "Example"}, headers=[header])
    _assert_fault(fault, 10001, "authenticationFault", status=status)
    ok = client.call("getCompanyInfo", {"companyName": "Example"}, headers=[auth_header(faultHttpStatusCode=status)])
    assert (ok.status, ok.is_fault) == (200, False)


def test_fault_http_status_code_applies_to_parameter_faults_too(client: SoapTestClient) -> None:
    reply = client.call("checkLogin", {"email": "x"}, headers=[auth_header(faultHttpStatusCode=200)])
    _assert_fault(reply, 30002, "ipsApiFault", status=200)


def test_malformed_xml_stays_500_whatever_the_header_would_say(client: SoapTestClient) -> None:
    body = build_envelope("getCompanyInfo", {}, headers=[auth_header(faultHttpStatusCode=200)])
    _assert_fault(client.post(body[:-20]), 30003, "ipsApiFault", status=500)


# ------------------------------------------------------------------------------------------------- HTTP


def test_get_on_the_endpoint_answers_a_text_page(client: SoapTestClient) -> None:
    response = client.client.get(ENDPOINT)
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    assert "IpsApiService" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("method", "path"), [("GET", "/nowhere"), ("DELETE", ENDPOINT), ("GET", "/scene7/IpsApi-1999-01-01.wsdl")]
)
def test_other_urls_and_methods_get_plain_http_errors(client: SoapTestClient, method: str, path: str) -> None:
    response = client.client.open(path, method=method)
    assert response.status_code in (404, 405)
    assert response.mimetype == "text/plain"
    assert "Traceback" not in response.get_data(as_text=True)


def test_any_webapp_prefix_is_served(client: SoapTestClient) -> None:
    client.path = "/is/services/IpsApiService"
    _ok(client)


def test_reply_is_gzipped_when_the_client_accepts_it(client: SoapTestClient) -> None:
    body = build_envelope("getCompanyInfo", {"companyName": "Example"}, headers=[auth_header()])
    response = client.client.post(ENDPOINT, data=body, headers={"Content-Type": "text/xml", "Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    validate_reply(gzip.decompress(response.get_data()))


def test_gzip_response_false_in_the_header_turns_compression_off(client: SoapTestClient) -> None:
    body = build_envelope("getCompanyInfo", {"companyName": "Example"}, headers=[auth_header(gzipResponse=False)])
    response = client.client.post(ENDPOINT, data=body, headers={"Content-Type": "text/xml", "Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in response.headers
    validate_reply(response.get_data())


def test_gzipped_requests_are_refused_with_a_fault(client: SoapTestClient) -> None:
    reply = client.post(gzip.compress(ENVELOPE_11.encode()), headers={"Content-Encoding": "gzip"})
    _assert_fault(reply, 30003, "ipsApiFault", reason="Compressed requests")


def test_an_internal_error_is_a_30000_fault_and_is_recorded(
    fake: FakeIps, client: SoapTestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(fake.service, "get_company_info", explode)
    reply = client.call("getCompanyInfo", {"companyName": "Example"})
    _assert_fault(reply, 30000, "ipsApiFault", reason="ips-mock internal error in getCompanyInfo")
    assert [(e.operation, str(e.exception)) for e in fake.errors] == [("getCompanyInfo", "boom")]
    assert "RuntimeError: boom" in fake.errors[0].traceback


def _parses_within(body: bytes, seconds: float = 5.0) -> int | None:
    """Parse in a thread: a parser that opened an external file (a FIFO, /dev/zero) would never return."""
    import threading

    from ips_mock.errors import IpsFault
    from ips_mock.protocol.xml import parse_xml

    codes: list[int] = []

    def run() -> None:
        try:
            parse_xml(body)
        except IpsFault as exc:
            codes.append(exc.code)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "the parser tried to read an external resource"
    return codes[0] if codes else None


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-32"])
@pytest.mark.parametrize(
    "dtd",
    [
        '<!DOCTYPE e SYSTEM "{target}">',
        '<!DOCTYPE e [<!ENTITY % p SYSTEM "file://{target}"> %p;]>',
        '<!DOCTYPE e [<!ENTITY x SYSTEM "file://{target}">]>',
    ],
    ids=["external-dtd", "parameter-entity", "general-entity"],
)
def test_non_utf8_documents_never_open_external_files(tmp_path: Path, encoding: str, dtd: str) -> None:
    import os

    fifo = tmp_path / "never-written.fifo"
    os.mkfifo(fifo)  # opening it for reading blocks forever: any attempt to load it hangs the parser
    declaration = f'<?xml version="1.0" encoding="{encoding.upper().replace("-LE", "LE")}"?>'
    text = declaration + dtd.format(target=fifo) + ENVELOPE_11
    assert _parses_within(text.encode(encoding)) == 30003


def test_external_dtd_pointing_at_dev_zero_is_refused_quickly() -> None:
    text = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE e SYSTEM "/dev/zero">' + ENVELOPE_11
    assert _parses_within(text.encode("utf-16")) == 30003
