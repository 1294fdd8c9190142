"""The parser's work limits: element count, nesting depth, text size and attributes, checked while parsing.

The byte limit bounds a request's size, not the work it makes; these limits bound the work. Each refusal is a
30003 fault naming the limit, reached before the rest of the document is parsed.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from ips_mock.errors import IpsFault
from ips_mock.protocol import xml
from ips_mock.protocol.xml import DEFAULT_PARSE_LIMITS, MAX_DEPTH, ParseLimits, parse_xml
from ips_mock.testing import SoapTestClient, auth_header, build_envelope, upload_urls_job

HEAD = (
    b'<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>'
    b'<checkLoginParam xmlns="http://www.scene7.com/IpsApi/xsd/2014-04-03">'
)
TAIL = b"</checkLoginParam></soapenv:Body></soapenv:Envelope>"


def _refusal(body: bytes, limits: ParseLimits | None = None) -> str:
    with pytest.raises(IpsFault) as caught:
        parse_xml(body, limits=limits)
    assert caught.value.code == 30003
    return caught.value.reason


# ------------------------------------------------------------------------------------------------ elements


def test_a_wide_document_is_refused_at_the_element_limit_before_the_parser_reads_on() -> None:
    # 9.9 MB of empty siblings, then a syntax error: the limit answers, so the parser never got to the end.
    body = HEAD + b"<a/>" * 2_500_000 + b"<<not xml" + TAIL
    reason = _refusal(body)
    assert reason == "The request holds more elements than 250,000 (limit ParseLimits.max_elements)"


def test_the_element_limit_counts_every_element() -> None:
    limits = ParseLimits(max_elements=5)
    parse_xml(b"<r><a/><b/><c/><d/></r>", limits=limits)  # five: fine
    assert "ParseLimits.max_elements" in _refusal(b"<r><a/><b/><c/><d/><e/></r>", limits)


def test_the_wide_document_through_the_app_is_a_30003_fault_and_the_fake_serves_on(client: SoapTestClient) -> None:
    reply = client.post(HEAD + b"<a/>" * 300_000 + TAIL)
    reply.assert_fault(30003, "ParseLimits.max_elements")
    assert reply.status == 500
    client.call("getCompanyInfo", {"companyName": "Example"}).ok()


def test_the_wide_document_costs_a_bounded_amount_of_memory() -> None:
    # Before the limits, this request took about 10 s of CPU and 730 MB; the child reports its own peak.
    script = textwrap.dedent(
        """
        import resource
        from werkzeug.test import Client
        from ips_mock import FakeIps
        client = Client(FakeIps())
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        head, tail = HEAD_TAIL
        body = head + b"<a/>" * (10 * 1024 * 1024 // 4 - 100) + tail
        reply = client.post("/scene7/services/IpsApiService", data=body, headers={"Content-Type": "text/xml"})
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        assert b"ParseLimits.max_elements" in reply.get_data(), reply.get_data()[:500]
        print((after - before) // 1024)
        """
    ).replace("HEAD_TAIL", repr((HEAD, TAIL)))
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    growth_mb = int(done.stdout.split()[-1])
    # The body itself is 10 MiB and werkzeug holds a copy or two; the tree never grows past the limit.
    assert growth_mb < 150, f"peak memory grew by {growth_mb} MB"


# --------------------------------------------------------------------------------------------------- depth


def test_depth_is_checked_as_the_parser_goes() -> None:
    assert MAX_DEPTH == DEFAULT_PARSE_LIMITS.max_depth == 64
    parse_xml(b"<a>" * 64 + b"</a>" * 64)
    # Ten thousand levels and no end: refused at level 65, long before the missing end tags matter.
    reason = _refusal(b"<a>" * 10_000)
    assert reason == "The request nests elements deeper than 64 (limit ParseLimits.max_depth)"


def test_the_depth_limit_is_configurable() -> None:
    limits = ParseLimits(max_depth=3)
    parse_xml(b"<a><b><c/></b></a>", limits=limits)
    assert "ParseLimits.max_depth" in _refusal(b"<a><b><c><d/></c></b></a>", limits)


# ---------------------------------------------------------------------------------------------------- text


@pytest.mark.parametrize(
    "body",
    [
        b"<a>" + b"x" * 11 + b"</a>",
        b"<a><b/>" + b"x" * 11 + b"<c/></a>",  # text between two elements
        b"<a><b/>" + b"x" * 11 + b"</a>",  # text after the last one
        b'<a b="' + b"x" * 11 + b'"/>',
        b"<a><![CDATA[" + b"x" * 11 + b"]]></a>",
    ],
    ids=["text", "tail", "last-tail", "attribute", "cdata"],
)
def test_every_kind_of_text_is_bounded(body: bytes) -> None:
    limits = ParseLimits(max_text=10)
    assert "ParseLimits.max_text" in _refusal(body, limits)
    parse_xml(body.replace(b"x" * 11, b"x" * 10), limits=limits)


def test_a_text_over_the_default_limit_is_refused() -> None:
    reason = _refusal(b"<a>" + b"x" * (1024 * 1024 + 1) + b"</a>")
    assert reason == "The request has a text longer than 1,048,576 (limit ParseLimits.max_text)"


# ---------------------------------------------------------------------------------------------- attributes


def test_attributes_per_element_are_bounded() -> None:
    many = b"<a " + b" ".join(b'a%d=""' % i for i in range(257)) + b"/>"
    assert _refusal(many) == (
        "The request has an element with more attributes than 256 (limit ParseLimits.max_attributes)"
    )
    parse_xml(b"<a " + b" ".join(b'a%d=""' % i for i in range(256)) + b"/>")


# ------------------------------------------------------------------------------------------------- defaults


def test_the_defaults_pass_the_largest_real_request() -> None:
    # An uploadUrlsJob filling most of the 10 MiB body limit with URLs: about 200,000 elements.
    urls = [
        (f"https://images.example.com/catalogue/2026/{i:08d}.jpg", f"Example/catalogue/{i:08d}.jpg")
        for i in range(65_000)
    ]
    body = build_envelope(
        "submitJob",
        {"companyHandle": "c|100", "jobName": "big", "uploadUrlsJob": upload_urls_job(*urls)},
        headers=[auth_header()],
    )
    assert 9 * 1024 * 1024 < len(body) < 10 * 1024 * 1024
    root = parse_xml(body)
    assert sum(1 for _ in root.iter()) > 195_000


def test_limits_must_be_positive() -> None:
    with pytest.raises(ValueError, match="max_depth"):
        ParseLimits(max_depth=0)


def test_the_old_call_signature_still_works() -> None:
    assert parse_xml(b"<a/>").tag == "a"


# ------------------------------------------------------------------------------------- one chunk, one parse


def _element(depth: int) -> st.SearchStrategy[bytes]:
    name = st.sampled_from([b"a", b"bb", b"p:c"])
    text = st.sampled_from([b"", b"x", b"xxxx", b"&#65;&amp;", b"<![CDATA[yy]]>"])
    attributes = st.lists(st.sampled_from([b' k="v"', b' l=""', b' m="vvvvv"']), max_size=3, unique=True)
    children = st.lists(_element(depth - 1), max_size=3) if depth > 1 else st.just([])
    return st.builds(
        lambda n, a, t, c, tail: b"<%s%s>%s%s</%s>%s" % (n, b"".join(a), t, b"".join(c), n, tail),
        name,
        attributes,
        text,
        children,
        text,
    )


def _outcome(parse: Callable[[], etree._Element]) -> str:
    try:
        return etree.tostring(parse()).decode()
    except IpsFault as fault:
        return f"fault {fault.code}: {fault.reason}"


def _encoded(document: bytes, encoding: str | None) -> bytes:
    """The document in ``encoding`` with a declaration saying so (None: UTF-8 and no declaration). The parse's
    byte counting trusts UTF-8, Latin-1 and UTF-16 and must fall back to the tree for the rest."""
    if encoding is None:
        return document
    return f'<?xml version="1.0" encoding="{encoding}"?>'.encode(encoding) + document.decode().encode(encoding)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    body=st.builds(
        _encoded,
        _element(5).map(lambda inner: b'<r xmlns:p="urn:p">' + inner + b"</r>"),
        st.sampled_from([None, "UTF-8", "ISO-8859-1", "UTF-16", "UTF-16BE", "windows-1252", "UTF-32"]),
    ),
    limits=st.builds(
        ParseLimits,
        max_elements=st.integers(1, 40),
        max_depth=st.integers(1, 7),
        max_text=st.integers(1, 6),
        max_attributes=st.integers(1, 3),
    ),
)
def test_a_document_of_one_chunk_parsed_whole_answers_as_the_streamed_parse_does(
    body: bytes, limits: ParseLimits
) -> None:
    # Documents of one chunk are parsed in one go and checked on the tree; the streamed parse is the definition.
    assert len(body) <= xml._CHUNK
    assert _outcome(lambda: parse_xml(body, limits=limits)) == _outcome(lambda: xml._streamed(body, limits))
