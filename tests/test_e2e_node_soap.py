"""node-soap (npm ``soap``), loading the WSDL ips-mock serves, against a served FakeIps.

``tests/node/`` is a small npm project pinning ``soap``; ``.ci/run`` installs it with ``npm ci``. Each call runs
``node tests/node/client.mjs`` in a subprocess (with a timeout, killed in ``finally``), which loads the WSDL, adds
the authHeader as node-soap users do (``addSoapHeader`` in the header's namespace) or HTTP Basic
(``BasicAuthSecurity``), makes one call and prints JSON. Without ``node`` or the installed package the tests fail
and say how to install them: they never skip.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from ips_mock import FakeIps, ServerThread
from ips_mock.operations import OPERATIONS
from ips_mock.protocol.overrides import BETA_OPERATIONS
from ips_mock.server import AppSwitch
from ips_mock.testing import real_wsdl_path, upload_urls_job

from .conftest import run_client_process

NODE_PROJECT = Path(__file__).resolve().parent / "node"
CLIENT_SCRIPT = NODE_PROJECT / "client.mjs"
INSTALL_HINT = "run .ci/run, or `npm ci --prefix tests/node` in the checkout"
CLIENT_TIMEOUT_S = 60  # a hung node process fails the test instead of hanging the suite

FLT = "http://www.scene7.com/IpsApi/xsd"
SOAP11_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
HEADER_NS = {"2014-04-03": f"{FLT}/2014-04-03", "2013-02-15": FLT}
APP = {"appName": "ips-mock-node-soap", "appVersion": "1.0"}


# ------------------------------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def node() -> str:
    """The ``node`` executable, once node-soap is installed at the version ``tests/node/package.json`` pins."""
    executable = shutil.which("node")
    if executable is None:
        pytest.fail(
            f"node is not on PATH: the suite drives node-soap. Install Node.js 20.19 or later, then {INSTALL_HINT}"
        )
    installed = NODE_PROJECT / "node_modules" / "soap" / "package.json"
    if not installed.is_file():
        pytest.fail(f"node-soap is not installed ({installed} is missing): {INSTALL_HINT}")
    pinned = json.loads((NODE_PROJECT / "package.json").read_text())["dependencies"]["soap"]
    version = json.loads(installed.read_text())["version"]
    if version != pinned:
        pytest.fail(f"node-soap {version} is installed but tests/node/package.json pins {pinned}: {INSTALL_HINT}")
    return executable


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


def run_client(node: str, *args: str) -> dict[str, Any]:
    """``node client.mjs ARGS``: its JSON output."""
    status, stdout, stderr = run_client_process(
        [node, str(CLIENT_SCRIPT), *args], timeout=CLIENT_TIMEOUT_S, cwd=NODE_PROJECT
    )
    assert status == 0, f"client.mjs {' '.join(args)} exited {status}:\n{stderr}"
    output: dict[str, Any] = json.loads(stdout)
    return output


def call(
    node: str,
    fake: FakeIps,
    operation: str,
    params: dict[str, Any],
    *,
    version: str = "2014-04-03",
    auth_header: dict[str, str] | None = None,
    basic: tuple[str, str] | None = None,
) -> dict[str, Any]:
    args = ["--wsdl", fake.wsdl_url_for(version), "--operation", operation, "--args", json.dumps(params)]
    if auth_header is not None:
        args += ["--auth-header", json.dumps(auth_header), "--header-ns", HEADER_NS[version]]
    if basic is not None:
        args += ["--basic-user", basic[0], "--basic-password", basic[1]]
    return run_client(node, *args)


def auth(version: str, user: str = "admin@example.com", password: str = "password") -> dict[str, str]:
    """authHeader fields as a node-soap user writes them (appName and appVersion are required in 2014)."""
    return {"user": user, "password": password, **(APP if version == "2014-04-03" else {})}


def header_of(output: dict[str, Any]) -> etree._Element:
    """The one SOAP header element of the request node-soap sent."""
    envelope = etree.fromstring(output["lastRequest"].encode())
    (header,) = envelope.iterfind(f"{{{SOAP11_ENV}}}Header/*")
    return header


# ------------------------------------------------------------------------------------------------ the tests


def test_node_soap_loads_the_served_2014_wsdl(node: str, served: FakeIps) -> None:
    output = run_client(node, "--wsdl", served.wsdl_url)

    assert list(output["operations"]) == ["IpsApiSoapPort", "IpsApiSoap12Port"]
    for port, operations in output["operations"].items():
        # Every operation ips-mock implements, but the betas' own (the served WSDL is 2014's).
        assert set(OPERATIONS) - set(BETA_OPERATIONS) <= set(operations), f"{port} lacks implemented operations"
    assert output["endpoint"] == {"IpsApiSoapPort": served.url, "IpsApiSoap12Port": served.url}
    assert "result" not in output
    assert "fault" not in output
    assert len(served.journal) == 0  # loading the WSDL sends no SOAP request


@pytest.mark.parametrize("version", ["2014-04-03", "2013-02-15"])
def test_get_company_info_with_the_auth_header(node: str, served: FakeIps, version: str) -> None:
    output = call(
        node, served, "getCompanyInfo", {"companyName": "Example"}, version=version, auth_header=auth(version)
    )

    assert output["result"] == {"companyInfo": {"companyHandle": "c|100", "name": "Example", "rootPath": "Example/"}}
    header = header_of(output)
    assert header.tag == f"{{{HEADER_NS[version]}}}authHeader"
    assert [etree.QName(child).text for child in header] == [
        f"{{{HEADER_NS[version]}}}{name}" for name in auth(version)
    ]
    (exchange,) = served.journal.calls()
    assert (exchange.operation, exchange.api_version, exchange.soap_version, exchange.caller) == (
        "getCompanyInfo",
        version,
        "1.1",  # node-soap's default port is the first, IpsApiSoapPort
        "admin@example.com",
    )


def test_a_wrong_password_is_fault_10001(node: str, served: FakeIps) -> None:
    output = call(
        node, served, "getCompanyInfo", {"companyName": "Example"}, auth_header=auth("2014-04-03", password="wrong")
    )

    assert "result" not in output
    assert output["fault"] == {
        "faultcode": "soapenv:Client",
        "faultstring": "authenticationFault",
        "detail": {"authenticationFault": {"code": "10001", "reason": "Invalid username/password"}},
    }
    assert [(e.status, e.fault_code) for e in served.journal.calls()] == [(500, 10001)]


def test_a_fault_sent_with_http_200_is_still_a_fault(node: str, served: FakeIps) -> None:
    """Node scripts against IPS ask for ``faultHttpStatusCode=200`` (REAL-CLIENTS W6): node-soap still sees a fault."""
    header = auth("2014-04-03", password="wrong") | {"faultHttpStatusCode": "200"}

    output = call(node, served, "getCompanyInfo", {"companyName": "Example"}, auth_header=header)

    assert output["fault"]["detail"] == {
        "authenticationFault": {"code": "10001", "reason": "Invalid username/password"}
    }
    assert [(e.status, e.fault_code) for e in served.journal.calls()] == [(200, 10001)]


def test_http_basic_through_basic_auth_security(node: str, served: FakeIps) -> None:
    output = call(node, served, "getCompanyInfo", {"companyHandle": "c|100"}, basic=("user@example.com", "password"))

    assert output["result"]["companyInfo"]["companyHandle"] == "c|100"
    assert "authHeader" not in output["lastRequest"]
    assert [(e.caller, e.status) for e in served.journal.calls()] == [("user@example.com", 200)]


def test_an_upload_job_through_node_soap_on_the_virtual_clock(node: str, served: FakeIps) -> None:
    job = upload_urls_job("https://example.com/a.jpg", "https://example.com/b.jpg")
    params = {"companyHandle": "c|100", "jobName": "node-upload", "uploadUrlsJob": job}

    submitted = call(node, served, "submitJob", params, auth_header=auth("2014-04-03"))
    served.advance(timedelta(minutes=1))
    logs = call(node, served, "getJobLogs", {"companyHandle": "c|100"}, auth_header=auth("2014-04-03"))

    assert submitted["result"] == {"jobHandle": "j|100|node-upload||"}
    (log,) = logs["result"]["jobLogArray"]["items"]
    assert (log["jobName"], log["originalJobName"]) == ("node-upload_2026-01-05-09:00:00.000", "node-upload")
    assert (log["fileSuccessCount"], log["totalFileCount"], log["fatalError"]) == (2, 2, False)
    assert log["endDate"] == "2026-01-05T17:01:00.000Z"  # node-soap reads dateTime into a Date: 09:01 PST


# ----------------------------------------------------------------------------------- Adobe's whole surface

W = "http://schemas.xmlsoap.org/wsdl/"
ADOBE_OPERATION_COUNTS = {"2014-04-03": 164, "2013-02-15": 163}


def adobe_operations(version: str) -> list[str]:
    """The operations of IpsApiPortType in Adobe's real WSDL for ``version``, sorted."""
    wsdl = etree.parse(str(real_wsdl_path(version)))
    names = wsdl.xpath("/w:definitions/w:portType[@name='IpsApiPortType']/w:operation/@name", namespaces={"w": W})
    return sorted(str(name) for name in names)


@pytest.mark.parametrize("version", ["2014-04-03", "2013-02-15"])
def test_node_soap_lists_every_operation_of_adobes_port_type(node: str, served: FakeIps, version: str) -> None:
    adobe = adobe_operations(version)

    output = run_client(node, "--wsdl", served.wsdl_url_for(version))

    assert len(adobe) == ADOBE_OPERATION_COUNTS[version]
    assert list(output["operations"]) == ["IpsApiSoapPort", "IpsApiSoap12Port"]
    for port, operations in output["operations"].items():
        missing = sorted(set(adobe) - set(operations))
        assert not missing, f"{port}: node-soap lists {len(operations)} of Adobe's {len(adobe)}; missing {missing}"
        assert operations == adobe
