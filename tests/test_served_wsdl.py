"""The WSDL ips-mock generates and serves (IPS-REFERENCE §1.1, §1.2).

It must be served where real clients look for it, point at the server that served it, describe every operation of
Adobe's port type for its version exactly as Adobe's WSDL does (modelled or not), carry schemas that accept the
fake's own replies, and load in a strict WSDL client that can then call the fake through it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import zeep
from lxml import etree
from werkzeug.test import Client

from ips_mock import FakeIps, ServerThread
from ips_mock.operations import OPERATIONS
from ips_mock.protocol.overrides import BETA_OPERATIONS
from ips_mock.testing import SoapTestClient, auth_header, real_wsdl_path, validate_reply

W = "http://schemas.xmlsoap.org/wsdl/"
XSD = "http://www.w3.org/2001/XMLSchema"
WSDL_SOAP11 = "http://schemas.xmlsoap.org/wsdl/soap/"
WSDL_SOAP12 = "http://schemas.xmlsoap.org/wsdl/soap12/"
TNS = "http://www.scene7.com/IpsApi"
FLT = "http://www.scene7.com/IpsApi/xsd"

SERVICE_PATH = "/scene7/services/IpsApiService"
HOST_URL = "http://ips.example:8080"
PROXY_URL = "http://proxy.example:8081/scene7/services/IpsApiService"

REAL_VERSIONS = ("2014-04-03", "2013-02-15")
FAULT_NAMES = ("ipsApiFault", "authenticationFault", "authorizationFault")
PORTS = {
    "IpsApiSoapPort": ("IpsApiServiceSoapBinding", WSDL_SOAP11),
    "IpsApiSoap12Port": ("IpsApiServiceSoap12Binding", WSDL_SOAP12),
}

# Every URL form a WSDL is served at (documented /webservice/ form and the short form), with its body namespace.
WSDL_PATHS = [
    ("/scene7/webservice/IpsApi-2014-04-03.wsdl", f"{FLT}/2014-04-03"),
    ("/scene7/IpsApi-2014-04-03.wsdl", f"{FLT}/2014-04-03"),
    ("/scene7/webservice/IpsApi-2013-02-15.wsdl", f"{FLT}/2013-02-15"),
    ("/scene7/IpsApi-2013-02-15.wsdl", f"{FLT}/2013-02-15"),
    ("/scene7/webservice/IpsApi.wsdl", FLT),
]


def wsdl_name(version: str) -> str:
    return f"IpsApi-{version}.wsdl" if version else "IpsApi.wsdl"


def served_wsdl(version: str, base_url: str = HOST_URL) -> etree._Element:
    response = Client(FakeIps()).get(f"/scene7/webservice/{wsdl_name(version)}", base_url=base_url)
    assert response.status_code == 200
    return etree.fromstring(response.get_data())


def real_wsdl(version: str) -> etree._Element:
    return etree.parse(str(real_wsdl_path(version))).getroot()


def real_operations(version: str) -> list[str]:
    """The operations of Adobe's IpsApiPortType for ``version``, read from its WSDL, in its order."""
    return [op.get("name", "") for op in real_wsdl(version).iterfind(f"{{{W}}}portType/{{{W}}}operation")]


def resolve(el: etree._Element, prefixed: str) -> str:
    """A ``prefix:local`` attribute value as a ``{namespace}local`` name, through ``el``'s namespace map."""
    prefix, _, local = prefixed.rpartition(":")
    return etree.QName(el.nsmap[prefix or None], local).text


def addresses(wsdl: etree._Element) -> dict[str, str]:
    """``{port name: address location}`` of IpsApiService."""
    return {
        port.get("name", ""): port[0].get("location", "")
        for port in wsdl.iterfind(f"{{{W}}}service[@name='IpsApiService']/{{{W}}}port")
    }


# ------------------------------------------------------------------------------------------------- serving


@pytest.mark.parametrize(("path", "body_namespace"), WSDL_PATHS)
def test_wsdl_is_served_with_the_request_hosts_address(path: str, body_namespace: str) -> None:
    response = Client(FakeIps()).get(path, base_url=HOST_URL)

    assert response.status_code == 200
    assert response.mimetype == "text/xml"
    assert response.headers["Content-Type"] == "text/xml;charset=UTF-8"
    wsdl = etree.fromstring(response.get_data())
    assert wsdl.tag == f"{{{W}}}definitions"
    assert wsdl.get("targetNamespace") == TNS
    schemas = [s.get("targetNamespace") for s in wsdl.iterfind(f"{{{W}}}types/{{{XSD}}}schema")]
    assert schemas[0] == body_namespace
    assert addresses(wsdl) == {
        "IpsApiSoapPort": f"{HOST_URL}{SERVICE_PATH}",
        "IpsApiSoap12Port": f"{HOST_URL}{SERVICE_PATH}",
    }
    address_tags = [port[0].tag for port in wsdl.iterfind(f"{{{W}}}service/{{{W}}}port")]
    assert address_tags == [f"{{{WSDL_SOAP11}}}address", f"{{{WSDL_SOAP12}}}address"]


@pytest.mark.parametrize(("path", "body_namespace"), WSDL_PATHS)
def test_service_url_parameter_rewrites_both_addresses(path: str, body_namespace: str) -> None:
    response = Client(FakeIps()).get(path, base_url=HOST_URL, query_string={"serviceUrl": PROXY_URL})

    assert response.status_code == 200
    assert addresses(etree.fromstring(response.get_data())) == {
        "IpsApiSoapPort": PROXY_URL,
        "IpsApiSoap12Port": PROXY_URL,
    }


def test_wsdl_query_on_the_service_url_serves_the_2014_wsdl() -> None:
    """As an Axis server answers ``<service URL>?wsdl``."""
    client = Client(FakeIps())
    response = client.get(SERVICE_PATH, base_url=HOST_URL, query_string="wsdl")
    assert response.status_code == 200
    wsdl = etree.fromstring(response.get_data())
    assert wsdl.nsmap["types"] == "http://www.scene7.com/IpsApi/xsd/2014-04-03"
    assert addresses(wsdl)["IpsApiSoapPort"] == f"{HOST_URL}{SERVICE_PATH}"
    assert response.get_data() == client.get("/scene7/webservice/IpsApi-2014-04-03.wsdl", base_url=HOST_URL).get_data()

    proxied = client.get(SERVICE_PATH, base_url=HOST_URL, query_string={"wsdl": "", "serviceUrl": PROXY_URL})
    assert addresses(etree.fromstring(proxied.get_data()))["IpsApiSoap12Port"] == PROXY_URL


@pytest.mark.parametrize("service_url", ["http://proxy.example:8081", "http://proxy.example:8081/"])
def test_a_service_url_with_no_path_keeps_the_service_path(service_url: str) -> None:
    response = Client(FakeIps()).get(
        "/scene7/webservice/IpsApi-2014-04-03.wsdl", base_url=HOST_URL, query_string={"serviceUrl": service_url}
    )
    assert set(addresses(etree.fromstring(response.get_data())).values()) == {
        f"http://proxy.example:8081{SERVICE_PATH}"
    }


@pytest.mark.parametrize(
    "path",
    [
        "/scene7/webservice/IpsApi-1999-01-01.wsdl",
        "/scene7/IpsApi-1999-01-01.wsdl",
        "/scene7/webservice/IpsApi-2016-01-14-beta.wsdl",  # Adobe publishes no WSDL for the betas
        "/scene7/webservice/Nothing.wsdl",
    ],
)
def test_unknown_wsdl_is_a_404_text_page(path: str) -> None:
    """Not a 500 and not a handler error: an unknown version is the caller's mistake, not the fake's."""
    fake = FakeIps()

    response = Client(fake).get(path)

    assert response.status_code == 404
    assert response.headers["Content-Type"] == "text/plain;charset=UTF-8"
    text = response.get_data(as_text=True)
    assert text.startswith("404 Not Found")
    assert "Traceback" not in text
    assert fake.errors == []


# -------------------------------------------------------------------------------- structure vs the real WSDL


def messages(wsdl: etree._Element, names: set[str]) -> dict[str, list[tuple[str, str]]]:
    """``{message name: [(part name, part element)]}`` for the named messages."""
    return {
        msg.get("name", ""): [(p.get("name", ""), resolve(p, p.get("element", ""))) for p in msg]
        for msg in wsdl.iterfind(f"{{{W}}}message")
        if msg.get("name") in names
    }


def port_type(wsdl: etree._Element, operations: set[str]) -> dict[str, list[tuple[str, str, str]]]:
    """``{operation: [(input|output|fault, name, message)]}`` of IpsApiPortType, in document order."""
    (pt,) = wsdl.iterfind(f"{{{W}}}portType[@name='IpsApiPortType']")
    return {
        op.get("name", ""): [
            (etree.QName(io).localname, io.get("name", ""), resolve(io, io.get("message", ""))) for io in op
        ]
        for op in pt.iterfind(f"{{{W}}}operation")
        if op.get("name") in operations
    }


def binding(wsdl: etree._Element, name: str, soap_ns: str, operations: set[str]) -> dict[str, Any]:
    """What a client reads from a binding: type, style, transport, and per operation the soapAction, the
    input body and authHeader header, the output body and the faults."""
    (b,) = wsdl.iterfind(f"{{{W}}}binding[@name='{name}']")
    s = f"{{{soap_ns}}}"
    soap_binding = b.find(f"{s}binding")
    assert soap_binding is not None
    summary: dict[str, Any] = {
        "type": resolve(b, b.get("type", "")),
        "style": soap_binding.get("style"),
        "transport": soap_binding.get("transport"),
    }
    for op in b.iterfind(f"{{{W}}}operation"):
        if op.get("name") not in operations:
            continue
        soap_op = op.find(f"{s}operation")
        input_el = op.find(f"{{{W}}}input")
        output_el = op.find(f"{{{W}}}output")
        assert soap_op is not None, f"{name}/{op.get('name')} has no soap operation"
        assert input_el is not None, f"{name}/{op.get('name')} has no input"
        assert output_el is not None, f"{name}/{op.get('name')} has no output"
        header = input_el.find(f"{s}header")
        assert header is not None, f"{name}/{op.get('name')} has no header"
        summary[op.get("name", "")] = {
            "soapAction": soap_op.get("soapAction"),
            "input": (
                input_el.get("name"),
                [(etree.QName(c).text, c.get("use"), c.get("namespace")) for c in input_el],
            ),
            "header": (resolve(header, header.get("message", "")), header.get("part"), header.get("use")),
            "output": (output_el.get("name"), [(etree.QName(c).text, c.get("use")) for c in output_el]),
            "faults": [
                (f.get("name"), [(etree.QName(c).text, c.get("use")) for c in f]) for f in op.iterfind(f"{{{W}}}fault")
            ],
        }
    return summary


def service(wsdl: etree._Element) -> list[tuple[str, str, str]]:
    """``[(port name, binding, address element)]`` of IpsApiService."""
    (svc,) = wsdl.iterfind(f"{{{W}}}service[@name='IpsApiService']")
    return [(p.get("name", ""), resolve(p, p.get("binding", "")), etree.QName(p[0]).text) for p in svc]


@pytest.mark.parametrize("version", REAL_VERSIONS)
def test_served_port_type_and_bindings_have_every_real_operation(version: str) -> None:
    served, real = served_wsdl(version), real_operations(version)

    assert len(real) == {"2014-04-03": 164, "2013-02-15": 163}[version]
    names = [op.get("name") for op in served.iterfind(f"{{{W}}}portType/{{{W}}}operation")]
    assert sorted(names) == sorted(real)
    if version == "2014-04-03":
        assert names == real  # the WSDL's own order
    for name in ("IpsApiServiceSoapBinding", "IpsApiServiceSoap12Binding"):
        bound = [op.get("name") for op in served.iterfind(f"{{{W}}}binding[@name='{name}']/{{{W}}}operation")]
        assert bound == names
    # Every operation ips-mock implements that Adobe's port type of this version has: getCdnCacheInvalidationStatus
    # is 2014's only, updateSmartCrops the betas'.
    only_elsewhere = set(BETA_OPERATIONS) | ({"getCdnCacheInvalidationStatus"} if version == "2013-02-15" else set())
    assert set(OPERATIONS) - set(names) == only_elsewhere


@pytest.mark.parametrize("version", REAL_VERSIONS)
def test_messages_match_the_real_wsdl(version: str) -> None:
    names = {n for op in real_operations(version) for n in (op, f"{op}Response")}
    names |= {f"{f}Exception" for f in FAULT_NAMES} | {"authHeader"}
    served = messages(served_wsdl(version), names)

    assert set(served) == names, "the served WSDL lacks a message"
    assert served == messages(real_wsdl(version), names)
    assert len(served_wsdl(version).findall(f"{{{W}}}message")) == len(names), "the served WSDL has extra messages"


@pytest.mark.parametrize("version", REAL_VERSIONS)
def test_port_type_matches_the_real_wsdl(version: str) -> None:
    every = set(real_operations(version))
    served = port_type(served_wsdl(version), every)

    assert served == port_type(real_wsdl(version), every)
    assert served["getCompanyInfo"] == [
        ("input", "getCompanyInfo", f"{{{TNS}}}getCompanyInfo"),
        ("output", "getCompanyInfoResponse", f"{{{TNS}}}getCompanyInfoResponse"),
        ("fault", "ipsApiFault", f"{{{TNS}}}ipsApiFaultException"),
        ("fault", "authenticationFault", f"{{{TNS}}}authenticationFaultException"),
        ("fault", "authorizationFault", f"{{{TNS}}}authorizationFaultException"),
    ]


@pytest.mark.parametrize("version", REAL_VERSIONS)
@pytest.mark.parametrize(
    ("binding_name", "soap_ns"),
    [("IpsApiServiceSoapBinding", WSDL_SOAP11), ("IpsApiServiceSoap12Binding", WSDL_SOAP12)],
)
def test_binding_matches_the_real_wsdl(version: str, binding_name: str, soap_ns: str) -> None:
    every = real_operations(version)
    served = binding(served_wsdl(version), binding_name, soap_ns, set(every))

    assert served == binding(real_wsdl(version), binding_name, soap_ns, set(every))
    assert {op: served[op]["soapAction"] for op in every} == {op: op for op in every}
    assert {served[op]["header"] for op in every} == {(f"{{{TNS}}}authHeader", "authHeader", "literal")}


@pytest.mark.parametrize("version", REAL_VERSIONS)
def test_auth_header_part_is_the_versions_header_element(version: str) -> None:
    """2014 binds the versioned authHeader, 2013 the legacy flt: one (IPS-REFERENCE §1.2)."""
    expected = f"{{{FLT}/2014-04-03}}authHeader" if version == "2014-04-03" else f"{{{FLT}}}authHeader"

    assert messages(served_wsdl(version), {"authHeader"}) == {"authHeader": [("authHeader", expected)]}


@pytest.mark.parametrize("version", REAL_VERSIONS)
def test_service_matches_the_real_wsdl(version: str) -> None:
    served = service(served_wsdl(version))

    assert served == service(real_wsdl(version))
    assert served == [
        ("IpsApiSoapPort", f"{{{TNS}}}IpsApiServiceSoapBinding", f"{{{WSDL_SOAP11}}}address"),
        ("IpsApiSoap12Port", f"{{{TNS}}}IpsApiServiceSoap12Binding", f"{{{WSDL_SOAP12}}}address"),
    ]


def canonical(el: etree._Element) -> tuple[Any, ...]:
    """A schema declaration as a comparable value: names resolved, default occurrence bounds dropped."""
    attrs = []
    for key, value in sorted(el.attrib.items()):
        if (key, value) in (("minOccurs", "1"), ("maxOccurs", "1")):
            continue
        attrs.append((key, resolve(el, value) if key in ("type", "ref", "base") else value))
    children = tuple(canonical(c) for c in el if isinstance(c.tag, str))
    return (etree.QName(el).text, tuple(attrs), children)


def schema_declarations(wsdl: etree._Element, target: str) -> dict[tuple[str, str], tuple[Any, ...]]:
    """``{(element|complexType, name): canonical form}`` of the top-level declarations of one schema."""
    (schema,) = wsdl.iterfind(f"{{{W}}}types/{{{XSD}}}schema[@targetNamespace='{target}']")
    return {(etree.QName(d).localname, d.get("name", "")): canonical(d) for d in schema if isinstance(d.tag, str)}


@pytest.mark.parametrize("version", REAL_VERSIONS)
def test_versioned_schema_declarations_match_the_real_wsdl(version: str) -> None:
    namespace = f"{FLT}/{version}"
    served = schema_declarations(served_wsdl(version), namespace)
    real = schema_declarations(real_wsdl(version), namespace)

    for op in real_operations(version):
        assert ("element", f"{op}Param") in served
        assert ("element", f"{op}Return") in served
    assert ("complexType", "Company") in served
    assert (("element", "authHeader") in served) == (version == "2014-04-03")
    assert {key: real.get(key) for key in served} == served
    assert set(served) == set(real), "every complexType and global element of the real WSDL is served"


@pytest.mark.parametrize("version", REAL_VERSIONS)
def test_fault_schema_matches_the_real_wsdl(version: str) -> None:
    served = schema_declarations(served_wsdl(version), FLT)

    assert served == schema_declarations(real_wsdl(version), FLT)
    assert list(served) == [("element", name) for name in (*FAULT_NAMES, "authHeader")]


# -------------------------------------------------------------------------------- the schemas accept replies


def served_schemas(version: str, tmp_path: Path) -> dict[str, etree.XMLSchema]:
    """The served WSDL's schemas compiled one by one, keyed by target namespace."""
    compiled: dict[str, etree.XMLSchema] = {}
    for i, schema_el in enumerate(served_wsdl(version).iterfind(f"{{{W}}}types/{{{XSD}}}schema")):
        path = tmp_path / f"{version or 'pre-4.0'}-schema{i}.xsd"
        path.write_bytes(etree.tostring(schema_el))
        compiled[schema_el.get("targetNamespace", "")] = etree.XMLSchema(etree.parse(str(path)))
    return compiled


def assert_valid(schema: etree.XMLSchema, element: etree._Element) -> None:
    tree = etree.ElementTree(etree.fromstring(etree.tostring(element)))
    assert schema.validate(tree), f"{etree.QName(element).localname}: {schema.error_log}"


@pytest.mark.parametrize("version", ["2014-04-03", "2013-02-15", "2010-01-31", ""])
def test_served_schemas_accept_the_fakes_replies(version: str, tmp_path: Path) -> None:
    schemas = served_schemas(version, tmp_path)
    namespace = f"{FLT}/{version}" if version else FLT
    ips = SoapTestClient(FakeIps(), version=version)

    company = ips.call("getCompanyInfo", {"companyName": "Example"})
    login = ips.call("checkLogin", {"email": "user@example.com", "password": "password"})
    fault = ips.call("getCompanyInfo", {"companyName": "Example"}, password="wrong")

    assert company.payload.tag == f"{{{namespace}}}getCompanyInfoReturn"
    assert company.text("companyInfo/companyHandle") == "c|100"
    assert_valid(schemas[namespace], company.payload)
    assert login.text("status") == "ValidLogin"
    assert_valid(schemas[namespace], login.payload)
    assert (fault.fault_kind, fault.code) == ("authenticationFault", 10001)
    assert_valid(schemas[FLT], fault.payload)


@pytest.mark.parametrize("version", ["2014-04-03", "2013-02-15", ""])
def test_served_schemas_accept_the_auth_header_the_binding_declares(version: str, tmp_path: Path) -> None:
    schemas = served_schemas(version, tmp_path)
    header_ns = f"{FLT}/2014-04-03" if version == "2014-04-03" else FLT

    assert_valid(schemas[header_ns], auth_header("admin@example.com", "password", namespace=header_ns))


def test_served_schemas_reject_a_wrong_reply(tmp_path: Path) -> None:
    """The schema check is not vacuous: a Company without its required rootPath is refused."""
    schemas = served_schemas("2014-04-03", tmp_path)
    namespace = f"{FLT}/2014-04-03"
    reply = etree.fromstring(
        f'<getCompanyInfoReturn xmlns="{namespace}"><companyInfo><companyHandle>c|100</companyHandle>'
        "<name>Example</name></companyInfo></getCompanyInfoReturn>"
    )

    assert not schemas[namespace].validate(etree.ElementTree(reply))


# ------------------------------------------------------------------------------------ zeep on the served WSDL


@pytest.fixture(scope="module")
def server() -> Iterator[ServerThread]:
    with ServerThread(FakeIps(), host="127.0.0.1", port=0) as running:
        yield running


@pytest.fixture
def soap_replies() -> list[etree._Element]:
    return []


@pytest.fixture
def session(soap_replies: list[etree._Element]) -> Iterator[requests.Session]:
    """A session whose response hook validates every SOAP reply (not the WSDL fetch) and keeps its payload."""

    def check(response: requests.Response, *args: Any, **kwargs: Any) -> None:
        if response.request.method == "POST":
            soap_replies.append(validate_reply(response.content))

    with requests.Session() as s:
        s.hooks["response"].append(check)
        yield s


@pytest.mark.parametrize("version", REAL_VERSIONS)
@pytest.mark.parametrize("port", list(PORTS))
def test_zeep_loads_the_served_wsdl_strictly_and_calls_through_it(
    server: ServerThread, session: requests.Session, soap_replies: list[etree._Element], version: str, port: str
) -> None:
    client = zeep.Client(
        f"{server.url}/scene7/webservice/{wsdl_name(version)}",
        transport=zeep.Transport(session=session),
        settings=zeep.Settings(strict=True),
    )
    ips = client.bind("IpsApiService", port)
    header_name = f"{{{FLT}/2014-04-03}}authHeader" if version == "2014-04-03" else f"{{{FLT}}}authHeader"
    fields = {"user": "admin@example.com", "password": "password"}
    if version == "2014-04-03":
        fields |= {"appName": "ips-mock-tests", "appVersion": "1.0"}

    result = ips.getCompanyInfo(companyName="Example", _soapheaders=[client.get_element(header_name)(**fields)])

    assert client.wsdl.services["IpsApiService"].ports[port].binding_options["address"] == server.url + SERVICE_PATH
    assert (result.companyHandle, result.name, result.rootPath) == ("c|100", "Example", "Example/")
    assert [p.tag for p in soap_replies] == [f"{{{FLT}/{version}}}getCompanyInfoReturn"]


def test_zeep_loads_the_pre_40_wsdl_from_the_short_url(
    server: ServerThread, session: requests.Session, soap_replies: list[etree._Element]
) -> None:
    client = zeep.Client(
        f"{server.url}/scene7/IpsApi.wsdl",
        transport=zeep.Transport(session=session),
        settings=zeep.Settings(strict=True),
    )
    ips = client.bind("IpsApiService", "IpsApiSoapPort")
    header = client.get_element(f"{{{FLT}}}authHeader")(user="user@example.com", password="password")

    status = ips.checkLogin(email="admin@example.com", password="password", _soapheaders=[header])

    assert status == "ValidLogin"
    assert [p.tag for p in soap_replies] == [f"{{{FLT}}}checkLoginReturn"]


@pytest.mark.parametrize("version", REAL_VERSIONS)
def test_zeep_strict_lists_every_real_operation_on_both_bindings(server: ServerThread, version: str) -> None:
    client = zeep.Client(f"{server.url}/scene7/webservice/{wsdl_name(version)}", settings=zeep.Settings(strict=True))
    real = sorted(real_operations(version))

    for port, (binding_name, _) in PORTS.items():
        bound = client.wsdl.services["IpsApiService"].ports[port].binding
        assert bound.name.localname == binding_name
        assert sorted(bound.all()) == real, f"{port} does not list every operation of Adobe's port type"


def test_unmodelled_operation_answers_30000_through_the_served_wsdl(server: ServerThread) -> None:
    client = zeep.Client(f"{server.url}/scene7/webservice/IpsApi-2014-04-03.wsdl", settings=zeep.Settings(strict=True))
    header = client.get_element(f"{{{FLT}/2014-04-03}}authHeader")(
        user="admin@example.com", password="password", appName="ips-mock-tests", appVersion="1.0"
    )

    with pytest.raises(zeep.exceptions.Fault) as raised:
        client.service.getUserInfo(email="admin@example.com", _soapheaders=[header])

    detail = raised.value.detail
    assert detail is not None
    assert (detail[0].findtext(f"{{{FLT}}}code"), detail[0].findtext(f"{{{FLT}}}reason")) == (
        "30000",
        "ips-mock does not implement getUserInfo (add a stubs entry)",
    )


STUBBED_USER = {
    "userHandle": "u|7",
    "firstName": "Ada",
    "lastName": "Admin",
    "email": "admin@example.com",
    "isValid": True,
    "isIpsAdmin": True,
    "passwordExpires": "2030-01-01T00:00:00",
}


def test_fields_stub_of_an_unmodelled_operation_is_callable_through_the_served_wsdl(
    session: requests.Session, soap_replies: list[etree._Element]
) -> None:
    scenario = {
        "ips_mock": 1,
        "companies": [{"name": "Example", "id": 100}],
        "users": [{"email": "admin@example.com", "password": "password", "role": "IpsAdmin", "companies": ["Example"]}],
        "stubs": [{"operation": "getUserInfo", "fields": {"userInfo": STUBBED_USER}}],
    }
    fake = FakeIps(scenario)
    with ServerThread(fake, host="127.0.0.1", port=0) as running:
        session.auth = ("admin@example.com", "password")
        client = zeep.Client(
            f"{running.url}/scene7/webservice/IpsApi-2014-04-03.wsdl",
            transport=zeep.Transport(session=session),
            settings=zeep.Settings(strict=True),
        )
        user = client.service.getUserInfo(email="admin@example.com")

    assert (user.userHandle, user.firstName, user.isIpsAdmin) == ("u|7", "Ada", True)
    assert user.passwordExpires.isoformat() == "2030-01-01T00:00:00-08:00"  # naive: server local time
    # The session hook validated the reply against Adobe's own 2014 schema.
    assert [p.tag for p in soap_replies] == [f"{{{FLT}/2014-04-03}}getUserInfoReturn"]
    assert fake.errors == []
