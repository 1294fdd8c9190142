"""Fixtures shared by ips-mock's own tests (a test module may define its own of the same name)."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from ips_mock import FakeIps, ServerThread
from ips_mock.testing import SoapTestClient, real_wsdl_path, validate_reply


@pytest.fixture
def fake() -> FakeIps:
    """A fake on the built-in default scenario."""
    return FakeIps()


@pytest.fixture
def client(fake: FakeIps) -> SoapTestClient:
    """Posts through werkzeug's test client to ``fake``; every reply is validated against the real WSDL."""
    return SoapTestClient(fake)


class RealWsdlZeep:
    """zeep on Adobe's own 2014-04-03 WSDL, bound to a served fake and signed in through the 2014 authHeader.
    Every reply is checked against that WSDL's schema on the way in: ``validated`` counts them, ``statuses`` keeps
    their HTTP statuses."""

    def __init__(self, url: str, session: Any) -> None:
        import zeep  # only the tests that use it pay for importing it

        self.validated = 0
        self.statuses: list[int] = []
        session.hooks["response"].append(self._check)
        self.client = zeep.Client(str(real_wsdl_path("2014-04-03")), transport=zeep.Transport(session=session))
        self.service = self.client.create_service(
            "{http://www.scene7.com/IpsApi}IpsApiServiceSoapBinding", url + "/scene7/services/IpsApiService"
        )

    def _check(self, response: Any, *args: Any, **kwargs: Any) -> None:
        if response.request.method == "POST":
            validate_reply(response.content)
            self.validated += 1
            self.statuses.append(response.status_code)

    def auth(self, **extra: Any) -> list[Any]:
        """``_soapheaders`` with the admin's authHeader (``extra``: more of its fields)."""
        header = self.client.get_element("{http://www.scene7.com/IpsApi/xsd/2014-04-03}authHeader")
        return [header(user="admin@example.com", password="password", appName="tests", appVersion="1.0", **extra)]


@pytest.fixture
def real_zeep(fake: FakeIps) -> Iterator[RealWsdlZeep]:
    """:class:`RealWsdlZeep` on ``fake`` served over loopback; the fake must have raised no handler error."""
    import requests

    with ServerThread(fake) as server, requests.Session() as session:
        yield RealWsdlZeep(server.url, session)
    assert fake.errors == []


def run_client_process(args: Sequence[str], *, timeout: float, cwd: Path | None = None) -> tuple[int, str, str]:
    """Run a client program of another language (node, php, java) as a test does: no stdin, no proxy settings
    (the fake is on loopback only), at most ``timeout`` seconds. Its exit status, stdout and stderr; a process still
    running on the way out (a timeout, an error) is killed first."""
    env = {key: value for key, value in os.environ.items() if not key.lower().endswith("_proxy")}
    process = subprocess.Popen(
        args, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    return process.returncode, stdout, stderr
