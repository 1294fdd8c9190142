"""HttpRequest answers what werkzeug's Request answers, for every environ (werkzeug is the oracle)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from werkzeug.exceptions import ClientDisconnected
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from ips_mock.wsgi import HttpRequest, IncompleteBody

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


class _Trickle(io.RawIOBase):
    """An input that hands out at most ``step`` bytes a read, as a socket may."""

    def __init__(self, data: bytes, step: int) -> None:
        self._data, self._step = data, step

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        piece, self._data = self._data[: min(self._step, len(buffer))], self._data[min(self._step, len(buffer)) :]
        buffer[: len(piece)] = piece
        return len(piece)


@given(
    sent=st.binary(max_size=40),
    length=st.none() | st.integers(-3, 50).map(str) | st.sampled_from(["", "x", "+5", " 7 ", "1_0"]),
    chunked=st.booleans(),
    terminated=st.booleans(),
    limit=st.integers(0, 45),
    step=st.integers(1, 8),
)
@settings(max_examples=400, deadline=None)
def test_the_body_is_what_werkzeug_reads_up_to_one_byte_past_the_limit(
    sent: bytes, length: str | None, chunked: bool, terminated: bool, limit: int, step: int
) -> None:
    environ = EnvironBuilder(method="POST").get_environ()
    environ.pop("CONTENT_LENGTH", None)
    if length is not None:
        environ["CONTENT_LENGTH"] = length
    if chunked:
        environ["HTTP_TRANSFER_ENCODING"] = "chunked"
    if terminated:
        environ["wsgi.input_terminated"] = True
    theirs = Request({**environ, "wsgi.input": io.BytesIO(sent)})
    try:
        expected: bytes | None = theirs.get_data()[: limit + 1]
    except ClientDisconnected:
        expected = None  # the input ended before Content-Length
    ours = HttpRequest({**environ, "wsgi.input": io.BufferedReader(_Trickle(sent, step))})
    assert ours.content_length == theirs.content_length
    try:
        got: bytes | None = ours.read_body(limit)
    except IncompleteBody:
        got = None
    if expected is None:
        # Cut short: we say so too, unless we stopped one byte past the limit before the input ended (the
        # request is refused as too large then).
        assert got is None or len(got) == limit + 1
    else:
        assert got == expected


def test_the_body_is_never_read_past_its_length() -> None:
    environ = EnvironBuilder(method="POST", data=b"0123456789").get_environ()
    stream = io.BytesIO(b"0123456789 and what the next request sent")
    environ["wsgi.input"] = stream
    assert HttpRequest(environ).read_body(100) == b"0123456789"
    assert stream.read() == b" and what the next request sent"


def test_a_body_cut_short_or_failing_says_how_much_came() -> None:
    environ = EnvironBuilder(method="POST", data=b"0123456789").get_environ()
    environ["wsgi.input"] = io.BytesIO(b"01234")
    with pytest.raises(IncompleteBody, match="broke off after 5 bytes of the 10 its Content-Length announced"):
        HttpRequest(environ).read_body(100)

    class Failing(io.RawIOBase):
        def readable(self) -> bool:
            return True

        def readinto(self, buffer: Any) -> int:
            raise OSError("the chunked encoding is broken")

    environ = EnvironBuilder(method="POST").get_environ()
    environ.pop("CONTENT_LENGTH", None)
    environ.update({"wsgi.input": Failing(), "wsgi.input_terminated": True})
    with pytest.raises(IncompleteBody, match=r"broke off after 0 bytes$"):
        HttpRequest(environ).read_body(100)


def test_a_body_without_a_length_is_empty_unless_the_server_terminates_its_input() -> None:
    environ = EnvironBuilder(method="POST").get_environ()
    environ.pop("CONTENT_LENGTH", None)
    environ["wsgi.input"] = io.BytesIO(b"<x/>")
    assert HttpRequest(dict(environ)).read_body(100) == b""
    environ["wsgi.input_terminated"] = True
    assert HttpRequest(environ).read_body(100) == b"<x/>"
    environ["wsgi.input"] = io.BytesIO(b"<x/>")
    assert HttpRequest(environ).read_body(2) == b"<x/"
