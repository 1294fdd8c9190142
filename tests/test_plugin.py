"""The pytest plugin, driven through pytester as a downstream project would use it (no conftest)."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import freezegun  # noqa: F401 - imported before pytester's in-process runs, which would otherwise
import pytest
import requests  # noqa: F401   unload and re-import them between runs and break their class identities
import time_machine  # noqa: F401
import zeep  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    """A downstream project with the example scenarios in its scenarios/ directory."""
    shutil.copytree(SCENARIOS, pytester.path / "scenarios")
    return pytester


def _write(pytester: pytest.Pytester, source: str) -> None:
    pytester.makepyfile(test_downstream=textwrap.dedent(source))


def test_ips_fixture_serves_a_fresh_fake_per_test_on_one_server(project: pytest.Pytester) -> None:
    _write(
        project,
        """
        import requests
        ports = []

        def _company(ips):
            body = (
                '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Header>'
                '<authHeader xmlns="http://www.scene7.com/IpsApi/xsd"><user>admin@example.com</user>'
                '<password>password</password></authHeader></s:Header><s:Body>'
                '<getCompanyInfoParam xmlns="http://www.scene7.com/IpsApi/xsd/2014-04-03">'
                '<companyName>Example</companyName></getCompanyInfoParam></s:Body></s:Envelope>'
            )
            return requests.post(ips.url, data=body, headers={"Content-Type": "text/xml"}, timeout=10)

        def test_first(ips, ips_server):
            ports.append(ips_server.port)
            assert ips.url == ips_server.url + "/scene7/services/IpsApiService"
            assert _company(ips).status_code == 200
            assert len(ips.journal) == 1

        def test_second(ips, ips_server):
            ports.append(ips_server.port)
            assert len(ips.journal) == 0  # a fresh fake: nothing from the first test
            assert ports[0] == ports[1]
            assert ips.wsdl_url.endswith("/scene7/webservice/IpsApi-2014-04-03.wsdl")
        """,
    )
    project.runpytest("-p", "no:randomly").assert_outcomes(passed=2)


def test_ips_client_is_signed_in_as_the_first_admin(project: pytest.Pytester) -> None:
    _write(
        project,
        """
        def test_client(ips_client, ips):
            assert ips_client.service.getCompanyInfo(companyName="Example").companyHandle == "c|100"
            ips.journal.assert_called("getCompanyInfo", times=1)
            assert ips.journal.calls("getCompanyInfo")[0].caller == "admin@example.com"
        """,
    )
    project.runpytest().assert_outcomes(passed=1)


def test_marker_selects_a_scenario_and_start_and_alone_enables_the_fixture(project: pytest.Pytester) -> None:
    _write(
        project,
        """
        import pytest
        from datetime import datetime, timedelta

        @pytest.mark.ips(scenario="nightly_publish.yaml")
        def test_scenario(ips):
            assert [d.name for d in ips.state.definitions.values()] == ["nightly-publish"]
            ips.advance(timedelta(days=3))
            assert len(ips.state.logs) == 5

        @pytest.mark.ips(start="2026-06-01T08:00:00-07:00")
        def test_start(ips):
            assert ips.now().isoformat() == "2026-06-01T08:00:00-07:00"

        @pytest.mark.ips(scenario={"ips_mock": 1, "expect": {"calls": [{"operation": "checkLogin", "times": 1}]}})
        def test_marker_alone_checks_expectations():
            pass  # never calls checkLogin: the fake the marker created must fail this test
        """,
    )
    result = project.runpytest()
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(["*<mapping>: expect.calls[[]0[]]: checkLogin was called 0 time(s), expected 1*"])


def test_teardown_checks_report_handler_errors_unhandled_requests_and_unmet_expectations(
    project: pytest.Pytester,
) -> None:
    (project.path / "scenarios" / "expects.yaml").write_text(
        "ips_mock: 1\nusers: []\nexpect:\n  calls:\n    - {operation: submitJob, at_least: 1}\n"
    )
    _write(
        project,
        """
        import pytest, requests

        @pytest.mark.ips(scenario="expects.yaml")
        def test_unmet(ips):
            pass

        def test_unhandled(ips):
            requests.get(ips.base_url + "/scene7/nowhere", timeout=10)

        def test_handler_error(ips, monkeypatch):
            def boom(*a, **k):
                raise RuntimeError("boom inside the fake")
            monkeypatch.setattr(ips.service, "get_company_info", boom)
            from ips_mock.testing import SoapTestClient
            SoapTestClient(ips).call("getCompanyInfo", {"companyName": "Example"})

        @pytest.mark.ips(verify=False)
        def test_opted_out(ips):
            requests.get(ips.base_url + "/scene7/nowhere", timeout=10)
        """,
    )
    result = project.runpytest()
    result.assert_outcomes(passed=1, failed=3)
    result.stdout.fnmatch_lines(
        [
            "*scenarios/expects.yaml:5: expect.calls[[]0[]]: submitJob was called 0 time(s), expected at least 1*",
            "*ips-mock could not handle: GET /scene7/nowhere: 404 Not Found*",
            "*ips-mock handler error in getCompanyInfo: RuntimeError('boom inside the fake')*",
        ]
    )


def test_a_failing_test_shows_the_journal(project: pytest.Pytester) -> None:
    _write(
        project,
        """
        def test_fails(ips_client, ips):
            ips_client.service.checkLogin(email="user@example.com", password="password")
            assert False, "the test's own failure"
        """,
    )
    result = project.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        ["*- ips-mock journal -*", "*#1 2026-01-05T09:00:00-08:00 checkLogin as admin@example.com -> ok*"]
    )


def test_ini_options(project: pytest.Pytester) -> None:
    (project.path / "more").mkdir()
    shutil.copy(SCENARIOS / "multi_company.yaml", project.path / "more" / "companies.yaml")
    project.makeini(
        """
        [pytest]
        ips_mock_scenario_dir = more
        ips_mock_default_scenario = companies.yaml
        ips_mock_validate_responses = true
        """
    )
    _write(
        project,
        """
        import pytest

        def test_default_scenario_from_ini(ips):
            assert sorted(c.name for c in ips.state.companies.values()) == ["Acme", "Globex", "Initech"]

        @pytest.mark.ips(scenario={
            "ips_mock": 1,
            "users": [{"email": "a@b.c", "password": "p", "role": "IpsAdmin", "companies": []}],
            "stubs": [{"operation": "checkLogin", "xml": "<checkLoginReturn><wrong/></checkLoginReturn>"}],
        })
        def test_invalid_reply_fails_the_test(ips):
            from werkzeug.test import Client
            from ips_mock.testing import auth_header, build_envelope
            header = auth_header("a@b.c", "p")
            body = build_envelope("checkLogin", {"email": "a@b.c", "password": "p"}, headers=[header])
            Client(ips).post("/scene7/services/IpsApiService", data=body, headers={"Content-Type": "text/xml"})
        """,
    )
    result = project.runpytest()
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*checkLogin reply does not match the IPS schema*"])


@pytest.mark.parametrize(
    "clock",
    [
        "freezer",
        "freezegun",
        "time_machine",
    ],
)
def test_advance_moves_the_active_freezer(project: pytest.Pytester, clock: str) -> None:
    setups = {
        "freezer": ("def test_clock(ips, freezer):\n    freezer.move_to('2026-02-01T10:00:00Z')\n", ""),
        "freezegun": (
            "def test_clock(ips):\n    import freezegun\n    with freezegun.freeze_time('2026-02-01T10:00:00Z'):\n",
            "    ",
        ),
        "time_machine": (
            "def test_clock(ips):\n    import time_machine\n"
            "    with time_machine.travel(datetime(2026, 2, 1, 10, tzinfo=timezone.utc), tick=False):\n",
            "    ",
        ),
    }
    head, indent = setups[clock]
    body = textwrap.indent(
        textwrap.dedent(
            """
            assert ips.now() == datetime(2026, 2, 1, 10, tzinfo=timezone.utc)
            ips.advance(timedelta(hours=2))
            assert datetime.now(timezone.utc) == datetime(2026, 2, 1, 12, tzinfo=timezone.utc)
            assert ips.clock.source != "manual"
            """
        ),
        "    " + indent,
    )
    project.makepyfile(
        test_clock="from datetime import datetime, timedelta, timezone\n\n" + head + body,
    )
    project.runpytest().assert_outcomes(passed=1)


def test_intercept_routes_adobe_hosts_into_the_fake_for_zeep_on_the_real_wsdl(project: pytest.Pytester) -> None:
    from ips_mock.testing import real_wsdl_path

    _write(
        project,
        f"""
        import zeep

        def test_hard_coded_adobe_url(ips):
            client = zeep.Client({str(real_wsdl_path("2014-04-03"))!r})  # its address: Adobe's staging host
            header = client.get_element("{{http://www.scene7.com/IpsApi/xsd/2014-04-03}}authHeader")(
                user="admin@example.com", password="password", appName="t", appVersion="1")
            with ips.intercept() as mock:
                info = client.service.getCompanyInfo(companyName="Example", _soapheaders=[header])
                url = mock.calls[0].request.url
            assert info.companyHandle == "c|100"
            assert url == "https://s7sps1apissl-staging.scene7.com/scene7/services/IpsApiService"
            ips.journal.assert_called("getCompanyInfo", times=1)
        """,
    )
    project.runpytest().assert_outcomes(passed=1)


def test_works_under_xdist_with_a_server_per_worker(project: pytest.Pytester) -> None:
    _write(
        project,
        """
        import os
        import pytest

        @pytest.mark.parametrize("n", range(4))
        def test_parallel(ips, ips_server, n):
            assert ips_server.running
            print("worker", os.environ.get("PYTEST_XDIST_WORKER"), ips_server.port)
        """,
    )
    result = project.runpytest_subprocess("-n", "2", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=4)


def test_plugin_registers_once_by_its_entry_point(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest_subprocess("--trace-config", "--co", "-q", "-p", "no:cacheprovider")
    registered = [line for line in result.stdout.lines if "registered" in line and "ips_mock.pytest_plugin" in line]
    assert len(registered) == 1, registered


def test_listing_the_plugin_in_a_conftest_as_well_is_an_error_the_readme_warns_of(pytester: pytest.Pytester) -> None:
    pytester.makeconftest('pytest_plugins = ["ips_mock.pytest_plugin"]')
    pytester.makepyfile(test_x="def test_x(): pass")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    assert result.ret != 0
    assert "Plugin already registered under a different name: ips_mock.pytest_plugin" in result.stderr.str()
    assert "Never also list it in a conftest" in (ROOT / "README.md").read_text()
