"""HttpRequest answers what werkzeug's Request answers, for every environ (werkzeug is the oracle)."""

from __future__ import annotations

import io
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from ips_mock.wsgi import HttpRequest

_HEADER_TEXT = st.text(st.characters(min_codepoint=0x20, max_codepoint=0xFF), max_size=40)
_ACCEPT = st.sampled_from(
    ["gzip", "gzip, deflate", "deflate", "gzip;q=0", "identity", "*", "*;q=0", "br;q=1, gzip;q=0.5", "", "x;q=bad"]
)
_LANGUAGE = st.sampled_from(["de-DE", "fr;q=0.5, en-US", "*", "", "ja, en;q=0.9", "en;q=0", ";;"])
_CONTENT_TYPE = st.sampled_from(
    [
        "text/xml; charset=UTF-8",
        'application/soap+xml; charset=utf-8; action="urn:getCompanyInfo"',
        "application/soap+xml;action=urn:x",
        "text/xml",
        "",
        "garbage;;=",
    ]
)
_SEGMENT = st.text(
    st.characters(min_codepoint=0x21, max_codepoint=0x24F, exclude_characters="/?#[]%"), min_size=1, max_size=8
)
_PATH = st.lists(_SEGMENT, max_size=4).map(lambda parts: "/" + "/".join(parts))


def _environ(draw: Any) -> dict[str, Any]:
    headers = {
        name: value
        for name, value in {
            "Content-Type": draw(st.none() | _CONTENT_TYPE),
            "Accept-Encoding": draw(st.none() | _ACCEPT),
            "Accept-Language": draw(st.none() | _LANGUAGE),
            "SOAPAction": draw(st.none() | _HEADER_TEXT),
            "Authorization": draw(st.none() | _HEADER_TEXT),
            "Host": draw(st.none() | st.sampled_from(["example.com", "127.0.0.1:8080", "[::1]:99", "münchen.de"])),
        }.items()
        if value is not None
    }
    environ = EnvironBuilder(
        path=draw(_PATH),
        method=draw(st.sampled_from(["GET", "POST", "post", "HEAD"])),
        base_url=draw(st.sampled_from(["http://localhost/", "https://ips.example/app/", "http://h:81/ü/"])),
        headers=headers,
    ).get_environ()
    if "Content-Type" not in headers:
        environ.pop("CONTENT_TYPE", None)
    return environ


@st.composite
def environs(draw: Any) -> dict[str, Any]:
    return _environ(draw)


@given(environs())
@settings(max_examples=300, deadline=None)
def test_answers_as_werkzeug_request(environ: dict[str, Any]) -> None:
    ours, theirs = HttpRequest(dict(environ)), Request(dict(environ))
    assert ours.method == theirs.method
    assert ours.path == theirs.path
    assert ours.url_root == theirs.url_root
    for name in ("Content-Type", "content-type", "SOAPAction", "Authorization", "Accept-Encoding", "X-Absent"):
        assert ours.header(name) == theirs.headers.get(name)
    assert ours.content_length == theirs.content_length
    if ours.header("Content-Type") is not None:
        assert ours.content_type_param("action") == theirs.mimetype_params.get("action")
    expected_language = theirs.accept_languages.best if "Accept-Language" in theirs.headers else None
    assert ours.best_language() == (expected_language or None)
    expected_gzip = "Accept-Encoding" in theirs.headers and theirs.accept_encodings.quality("gzip") > 0
    assert ours.accepts_gzip() == expected_gzip


def test_the_body_reads_on_where_it_stopped_and_never_past_its_length() -> None:
    environ = EnvironBuilder(method="POST", data=b"0123456789").get_environ()
    environ["wsgi.input"] = io.BytesIO(b"0123456789 and what the next request sent")
    request = HttpRequest(environ)
    assert request.stream.read(4) == b"0123"
    assert request.stream.read(100) == b"456789"
    assert request.stream.read(100) == b""


def test_a_body_without_a_length_is_empty_unless_the_server_terminates_its_input() -> None:
    environ = EnvironBuilder(method="POST").get_environ()
    environ.pop("CONTENT_LENGTH", None)
    environ["wsgi.input"] = io.BytesIO(b"<x/>")
    assert HttpRequest(dict(environ)).stream.read() == b""
    environ["wsgi.input_terminated"] = True
    assert HttpRequest(environ).stream.read() == b"<x/>"
