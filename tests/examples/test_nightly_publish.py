"""README example: a nightly publish, three days on the virtual clock, three job logs."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
import zeep
from zeep.proxy import ServiceProxy

from ips_mock import FakeIps, ServerThread
from ips_mock.testing import real_wsdl_path

ADMIN = {"user": "admin@example.com", "password": "password", "appName": "demo", "appVersion": "1.0"}


@pytest.fixture
def fake() -> FakeIps:
    return FakeIps()  # the built-in scenario: its clock starts on Monday 2026-01-05 at 09:00 Pacific time


@pytest.fixture
def ips(fake: FakeIps) -> Iterator[ServiceProxy]:
    """zeep on Adobe's own 2014 WSDL, pointed at the fake, signed in as the default scenario's admin."""
    with ServerThread(fake) as server:
        client = zeep.Client(str(real_wsdl_path("2014-04-03")))
        client.set_default_soapheaders({"authHeader": ADMIN})
        yield client.create_service(
            "{http://www.scene7.com/IpsApi}IpsApiServiceSoapBinding", server.url + "/scene7/services/IpsApiService"
        )


def test_nightly_publish_runs_once_a_night(fake: FakeIps, ips: ServiceProxy) -> None:
    ips.submitJob(
        companyHandle="c|100",
        jobName="nightly-publish",
        execSchedule="0 0 0 * * ?",  # Quartz: every day at midnight, server time
        imageServingPublishJob={"publishType": "Full", "emailSetting": "None"},
    )

    fake.advance(timedelta(days=3))  # Monday 09:00 to Thursday 09:00: three midnights

    logs = ips.getJobLogs(companyHandle="c|100")  # newest first
    assert [log.jobName for log in logs] == [
        "nightly-publish_2026-01-08-00:00:00.000",
        "nightly-publish_2026-01-07-00:00:00.000",
        "nightly-publish_2026-01-06-00:00:00.000",
    ]
