"""Failures a user can read: an IPS fault raised by zeep or suds names its code and reason in pytest's short
summary, and a failing test shows the fake's journal exactly once."""

from __future__ import annotations

import textwrap

import freezegun  # noqa: F401 - imported before pytester's in-process runs, which would otherwise
import pytest
import requests  # noqa: F401   unload and re-import them between runs and break their class identities
import suds.client  # noqa: F401
import time_machine  # noqa: F401
import zeep  # noqa: F401

from ips_mock.testing import real_wsdl_path

NOT_IMPLEMENTED = "ipsApiFault 30000: ips-mock does not implement getUserInfo (add a stubs entry)"


@pytest.fixture(autouse=True)
def _wide_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "250")  # the short summary cuts lines to the terminal's width


def _run(pytester: pytest.Pytester, source: str) -> pytest.RunResult:
    pytester.makepyfile(test_downstream=textwrap.dedent(source))
    return pytester.runpytest("-ra", "-p", "no:cacheprovider")


def _journal_lines(result: pytest.RunResult, entry: str) -> list[str]:
    """Lines of the failure report (not pytest's short summary, which under ``CI`` repeats a whole failure
    message) that show the journal entry ``entry`` (e.g. ``#1 ``) as the journal report writes it."""
    report = []
    for line in result.outlines:
        if "short test summary info" in line:
            break
        report.append(line)
    return [line for line in report if line.lstrip("E ").startswith(entry)]


def test_a_zeep_fault_names_its_code_and_reason_in_the_short_summary(pytester: pytest.Pytester) -> None:
    wsdl = real_wsdl_path("2014-04-03")  # Adobe's WSDL has getUserInfo; ips-mock's served one does not
    result = _run(
        pytester,
        f"""
        import requests, zeep

        def test_user_info(ips):
            session = requests.Session()
            session.auth = ("admin@example.com", "password")
            client = zeep.Client({str(wsdl)!r}, transport=zeep.Transport(session=session))
            service = client.create_service("{{http://www.scene7.com/IpsApi}}IpsApiServiceSoapBinding", ips.url)
            service.getUserInfo(userHandle="u|1")
        """,
    )
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([f"FAILED test_downstream.py::test_user_info - {NOT_IMPLEMENTED}"])
    assert len(_journal_lines(result, "#1 ")) == 1, result.stdout.str()
    result.stdout.fnmatch_lines(["*- ips-mock journal -*", "*#1 * getUserInfo as admin@example.com -> fault 30000*"])


def test_a_suds_fault_names_its_code_and_reason_in_the_short_summary(pytester: pytest.Pytester) -> None:
    result = _run(
        pytester,
        """
        from suds.client import Client
        from suds.transport.http import HttpAuthenticated

        def test_company(ips):
            transport = HttpAuthenticated(username="admin@example.com", password="password")
            client = Client(ips.wsdl_url, transport=transport, cache=None)
            client.service.getCompanyInfo(companyName="Nope")
        """,
    )
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        ["FAILED test_downstream.py::test_company - authorizationFault 20000: Invalid company name 'Nope'"]
    )
    assert len(_journal_lines(result, "#1 ")) == 1, result.stdout.str()


def test_other_failures_keep_their_own_summary(pytester: pytest.Pytester) -> None:
    result = _run(
        pytester,
        """
        def test_plain(ips_client):
            ips_client.service.checkLogin(email="user@example.com", password="password")
            assert 1 == 2, "the test's own failure"
        """,
    )
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["FAILED test_downstream.py::test_plain - AssertionError: the test's own failure*"])
    assert len(_journal_lines(result, "#1 ")) == 1, result.stdout.str()


def test_a_verify_failure_shows_the_journal_once(pytester: pytest.Pytester) -> None:
    """verify() puts the journal in its message; the report section would have repeated it."""
    result = _run(
        pytester,
        """
        import requests

        def test_unhandled(ips, ips_client):
            ips_client.service.checkLogin(email="user@example.com", password="password")
            requests.get(ips.base_url + "/scene7/nowhere", timeout=10)
        """,
    )
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*ips-mock could not handle: GET /scene7/nowhere: 404 Not Found*"])
    assert len(_journal_lines(result, "#1 ")) == 1, result.stdout.str()


def test_a_journal_assertion_shows_the_journal_once(pytester: pytest.Pytester) -> None:
    result = _run(
        pytester,
        """
        def test_assertion(ips, ips_client):
            ips_client.service.checkLogin(email="user@example.com", password="password")
            ips.journal.assert_called("submitJob")
        """,
    )
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*expected submitJob to be called at least once*"])
    assert len(_journal_lines(result, "#1 ")) == 1, result.stdout.str()
