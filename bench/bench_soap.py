"""Throughput of ips-mock against a baseline measured in the same run: bare Werkzeug + lxml.

The baseline app does the minimum any SOAP fake must do: read the body, parse it with lxml, build a small reply
with lxml, answer through Werkzeug. ips-mock does the same request end to end (envelope checks, credentials,
authorization, schema-driven decoding and encoding). Both are measured in-process (werkzeug.test.Client, no
socket) and over loopback HTTP (ServerThread + one requests.Session). Bounded: a fixed number of requests.

    python bench/bench_soap.py [--requests N]
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time
from collections.abc import Callable, Iterable
from importlib import metadata
from typing import Any

import requests
from lxml import etree
from werkzeug.test import Client
from werkzeug.wrappers import Request, Response

from ips_mock import FakeIps, ServerThread
from ips_mock.testing import auth_header, build_envelope

BODY = build_envelope("getCompanyInfo", {"companyName": "Example"}, headers=[auth_header()])
HEADERS = {"Content-Type": "text/xml; charset=UTF-8", "SOAPAction": "getCompanyInfo"}
PATH = "/scene7/services/IpsApiService"
NS = "http://www.scene7.com/IpsApi/xsd/2014-04-03"


def baseline_app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    request = Request(environ)
    root = etree.fromstring(request.get_data(), parser=etree.XMLParser(resolve_entities=False, no_network=True))
    name = root.findtext(f".//{{{NS}}}companyName")
    env = etree.Element("{http://schemas.xmlsoap.org/soap/envelope/}Envelope")
    ret = etree.SubElement(
        etree.SubElement(env, "{http://schemas.xmlsoap.org/soap/envelope/}Body"), f"{{{NS}}}getCompanyInfoReturn"
    )
    etree.SubElement(etree.SubElement(ret, f"{{{NS}}}companyInfo"), f"{{{NS}}}name").text = name
    body = etree.tostring(env, xml_declaration=True, encoding="UTF-8")
    return Response(body, content_type="text/xml;charset=UTF-8")(environ, start_response)


def _time(call: Callable[[], int], n: int) -> list[float]:
    for _ in range(min(50, n)):  # warm up caches and lazy imports
        assert call() == 200
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        status = call()
        samples.append(time.perf_counter() - start)
        assert status == 200
    return samples


def in_process(app: Any, n: int) -> list[float]:
    client = Client(app)
    return _time(lambda: client.post(PATH, data=BODY, headers=HEADERS).status_code, n)


def over_http(app: Any, n: int) -> list[float]:
    with ServerThread(app) as server, requests.Session() as session:
        url = server.url + PATH
        return _time(lambda: session.post(url, data=BODY, headers=HEADERS, timeout=10).status_code, n)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    args = parser.parse_args()
    versions = ", ".join(f"{p} {metadata.version(p)}" for p in ("ips-mock", "werkzeug", "lxml"))
    print(f"{args.requests} getCompanyInfo requests per row; Python {platform.python_version()}; {versions}")
    print(f"{'path':<12} {'app':<22} {'median us':>10} {'p95 us':>8} {'req/s':>8} {'vs baseline':>12}")
    for label, runner in (("in-process", in_process), ("HTTP", over_http)):
        base = None
        for name, app in (("bare werkzeug + lxml", baseline_app), ("ips-mock", FakeIps())):
            samples = runner(app, args.requests)
            median = statistics.median(samples)
            p95 = statistics.quantiles(samples, n=20)[18]
            base = base or median
            row = f"{label:<12} {name:<22} {median * 1e6:>10.0f} {p95 * 1e6:>8.0f} {1 / median:>8.0f}"
            print(f"{row} {median / base:>11.2f}x")


if __name__ == "__main__":
    main()
