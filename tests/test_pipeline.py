"""The request pipeline: one ordered list of stages, and a journal that keeps each exchange's bytes, bounded."""

from __future__ import annotations

import gzip
import re
import socket

from werkzeug.test import Client, EnvironBuilder, run_wsgi_app

from ips_mock import FakeIps, ServerThread, pipeline
from ips_mock.journal import JournalLimits
from ips_mock.testing import SoapTestClient, auth_header, build_envelope

EXPECTED_STAGES = ["read", "parse", "transport", "credentials", "injected_faults", "dispatch", "encode", "journal"]


def test_the_stages_are_one_ordered_list_documented_in_that_order() -> None:
    assert [stage.__name__ for stage in pipeline.STAGES] == EXPECTED_STAGES
    # The module docstring walks a newcomer through the same stages in the same order.
    documented = re.findall(r"^\d+\. \*\*([a-z ]+)\*\*", pipeline.__doc__ or "", flags=re.MULTILINE)
    assert [name.replace(" ", "_") for name in documented] == EXPECTED_STAGES


def test_each_exchange_keeps_the_raw_request_and_the_reply_before_gzip() -> None:
    fake = FakeIps()
    body = build_envelope("getCompanyInfo", {"companyName": "Example"}, headers=[auth_header()])
    response = Client(fake).post(
        "/scene7/services/IpsApiService",
        data=body,
        headers={
            "Content-Type": "text/xml; charset=UTF-8",
            "SOAPAction": '"getCompanyInfo"',
            "Accept-Encoding": "gzip",
        },
    )
    assert response.headers["Content-Encoding"] == "gzip"
    (entry,) = fake.journal
    assert entry.request_body == body
    assert entry.reply_body == gzip.decompress(response.get_data())
    assert (entry.method, entry.path, entry.transport, entry.soap_action) == (
        "POST",
        "/scene7/services/IpsApiService",
        "soap11",
        '"getCompanyInfo"',
    )
    assert entry.content_type == "text/xml; charset=UTF-8"
    assert entry.reply_content_type == "text/xml;charset=UTF-8"
    assert not entry.request_truncated
    assert not entry.reply_truncated


def test_a_request_that_never_parsed_keeps_its_bytes_and_its_fault() -> None:
    fake = FakeIps()
    SoapTestClient(fake).post(b"<oops")
    (entry,) = fake.journal
    assert entry.request_body == b"<oops"
    assert entry.operation is None
    assert entry.fault_code == 30003
    assert entry.reply_body is not None
    assert b"30003" in entry.reply_body


def test_the_journal_keeps_the_newest_entries_and_counts_the_rest() -> None:
    fake = FakeIps(journal_limits=JournalLimits(max_entries=3))
    client = SoapTestClient(fake)
    for _ in range(5):
        client.call("getCompanyInfo", {"companyName": "Example"})
    assert [e.seq for e in fake.journal] == [3, 4, 5]
    assert fake.journal.dropped == 2
    fake.reset()
    assert (len(fake.journal), fake.journal.dropped) == (0, 0)


def test_bodies_and_parameters_are_cut_to_their_limits() -> None:
    limits = JournalLimits(max_body_bytes=100, max_param_chars=10, max_total_body_bytes=250)
    fake = FakeIps(journal_limits=limits)
    client = SoapTestClient(fake)
    client.call("getCompanyInfo", {"companyName": "N" * 500})
    first = next(iter(fake.journal))
    assert first.request_truncated
    assert first.request_body is not None
    assert len(first.request_body) == 100
    assert first.params == {"companyName": "N" * 10 + "…"}
    # Over the total budget, the oldest entries give up their bodies first; their metadata stays.
    client.call("getCompanyInfo", {"companyName": "Example"})
    client.call("getCompanyInfo", {"companyName": "Example"})
    entries = list(fake.journal)
    assert entries[0].request_body is None
    assert entries[0].reply_body is None
    assert entries[0].operation == "getCompanyInfo"
    assert entries[-1].request_body is not None
    assert fake.journal.bodies_dropped >= 1


def test_parse_limits_are_a_fake_option() -> None:
    from ips_mock.protocol.xml import ParseLimits

    fake = FakeIps(parse_limits=ParseLimits(max_elements=5))  # the request has 8
    reply = SoapTestClient(fake).call("getCompanyInfo", {"companyName": "Example"})
    assert reply.code == 30003
    assert "max_elements" in (reply.reason or "")
    assert fake.errors == []


def _headers_of(fake: FakeIps, body: bytes, **extra: str) -> tuple[str, list[tuple[str, str]], bytes]:
    response = Client(fake).post(
        "/scene7/services/IpsApiService", data=body, headers={"Content-Type": "text/xml", **extra}
    )
    return response.status, list(response.headers.items()), response.get_data()


def test_a_reply_carries_the_status_line_and_headers_werkzeug_would_write() -> None:
    fake = FakeIps()
    ok = build_envelope("getCompanyInfo", {"companyName": "Example"}, headers=[auth_header()])
    status, headers, body = _headers_of(fake, ok)
    assert status == "200 OK"
    assert headers == [
        ("Content-Type", "text/xml;charset=UTF-8"),
        ("Content-Length", str(len(body))),
        ("Vary", "Accept-Encoding"),
        ("Server", "ips-mock"),
    ]
    status, headers, zipped = _headers_of(fake, ok, **{"Accept-Encoding": "gzip"})
    assert [name for name, _ in headers] == ["Content-Type", "Content-Length", "Content-Encoding", "Vary", "Server"]
    assert dict(headers)["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped) == body
    wrong = build_envelope("getCompanyInfo", {"companyName": "Example"}, headers=[auth_header(password="no")])
    status, headers, _ = _headers_of(fake, wrong)
    assert status == "500 INTERNAL SERVER ERROR"
    teapot = build_envelope(
        "getCompanyInfo", {"companyName": "Example"}, headers=[auth_header(password="no", faultHttpStatusCode=418)]
    )
    assert _headers_of(fake, teapot)[0] == "418 I'M A TEAPOT"


def _short_body_fault_reason(reply: bytes) -> str | None:
    match = re.search(rb"<tns:code>(\d+)</tns:code><tns:reason>([^<]*)</tns:reason>", reply)
    return f"{match[1].decode()}: {match[2].decode()}" if match else None


def test_a_body_shorter_than_its_content_length_is_a_30003_fault_not_a_handler_error() -> None:
    fake = FakeIps()
    body = build_envelope("getCompanyInfo", {"companyName": "Example"}, headers=[auth_header()])
    environ = EnvironBuilder(
        path="/scene7/services/IpsApiService", method="POST", data=body, content_type="text/xml"
    ).get_environ()
    environ["CONTENT_LENGTH"] = str(len(body) + 100)
    reply, status, _ = run_wsgi_app(fake, environ)
    assert status == "500 INTERNAL SERVER ERROR"
    assert _short_body_fault_reason(b"".join(reply)) == (
        f"30003: The request body broke off after {len(body)} bytes of the {len(body) + 100} its Content-Length "
        "announced"
    )
    assert fake.problems() == []  # the client's doing, not the fake's
    (entry,) = fake.journal
    assert (entry.fault_code, entry.request_body) == (30003, body)


def test_a_client_that_stops_sending_mid_body_gets_the_fault_over_http() -> None:
    fake = FakeIps()
    with ServerThread(fake) as server, socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        sock.sendall(
            b"POST /scene7/services/IpsApiService HTTP/1.1\r\nHost: x\r\nContent-Type: text/xml\r\n"
            b"Content-Length: 1000\r\n\r\n<soapenv:Envelope"
        )
        sock.shutdown(socket.SHUT_WR)  # the client is done sending, 983 bytes short
        reply = b""
        while chunk := sock.recv(65536):
            reply += chunk
    assert reply.startswith(b"HTTP/1.1 500 ")
    assert _short_body_fault_reason(reply) == (
        "30003: The request body broke off after 17 bytes of the 1000 its Content-Length announced"
    )
    assert fake.problems() == []
