"""The request log's pieces in-process: levels, DEBUG bodies, colours only on a terminal, ServerThread's plain
access log, and a fake's internal error in the same stream."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest
import requests
from werkzeug.test import Client

from ips_mock import FakeIps, ServerThread
from ips_mock.requestlog import LOGGER_NAME, RequestLog, configure_logging
from ips_mock.testing import build_envelope

ENVELOPE = build_envelope("getCompanyInfo", {"companyName": "Example"})


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def stream() -> Iterator[io.StringIO]:
    """The ips_mock loggers' output, as configure_logging sets them up for serve (restored afterwards)."""
    logger = logging.getLogger("ips_mock")
    level, propagate = logger.level, logger.propagate
    out = io.StringIO()
    handler = configure_logging(level="debug", stream=out)
    try:
        yield out
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        logger.propagate = propagate


def _post(app: RequestLog, auth: str | None = "Basic YWRtaW5AZXhhbXBsZS5jb206cGFzc3dvcmQ=") -> None:
    headers = {"Content-Type": "text/xml"} | ({"Authorization": auth} if auth else {})
    response = Client(app).post("/scene7/services/IpsApiService", data=ENVELOPE, headers=headers)
    response.close()  # the line is written when the server closes the body


def test_debug_adds_the_raw_bodies_after_the_line(stream: io.StringIO) -> None:
    _post(RequestLog(FakeIps()))
    line, request, reply = stream.getvalue().splitlines()[:3]
    assert " INFO    POST /scene7/services/IpsApiService " in line
    assert " DEBUG   request body of #1: <?xml version='1.0' encoding='UTF-8'?>\\n<soapenv:Envelope" in request
    assert " DEBUG   reply body of #1: <?xml" in reply
    assert "<companyHandle>c|100</companyHandle>" in reply


def test_a_fault_is_a_warning_and_an_internal_error_an_error_with_its_traceback(
    stream: io.StringIO, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = FakeIps()
    _post(RequestLog(fake), auth=None)
    assert " WARNING POST /scene7/services/IpsApiService " in stream.getvalue()
    assert "fault=10000" in stream.getvalue()

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom inside the fake")

    monkeypatch.setattr(fake.service, "get_company_info", boom)
    _post(RequestLog(fake))
    text = stream.getvalue()
    assert " ERROR   ips-mock handler error in getCompanyInfo" in text
    assert "RuntimeError: boom inside the fake" in text  # the traceback, in the same stream


def test_colours_only_on_a_terminal() -> None:
    logger = logging.getLogger("ips_mock")
    level, propagate = logger.level, logger.propagate
    for out, coloured in ((io.StringIO(), False), (Terminal(), True)):
        handler = configure_logging(stream=out)
        try:
            _post(RequestLog(FakeIps()))
        finally:
            logger.removeHandler(handler)
            logger.setLevel(level)
            logger.propagate = propagate
        assert ("\x1b[" in out.getvalue()) is coloured, out.getvalue()


def test_server_thread_logs_nothing_by_default_and_plain_lines_when_asked(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    for log_requests in (False, True):
        with ServerThread(FakeIps(), log_requests=log_requests) as server:
            assert requests.get(server.url + "/scene7/nowhere", timeout=10).status_code == 404
    lines = [r.getMessage() for r in caplog.records if r.name == "werkzeug"]
    assert len(lines) == 1, lines
    assert '"GET /scene7/nowhere HTTP/1.1" 404 -' in lines[0]
    assert "\x1b" not in lines[0]
    assert not [r for r in caplog.records if r.name == LOGGER_NAME]
