"""The README's "In a nutshell" pytest example, as written there (tests/examples/test_readme.py checks it is)."""

from __future__ import annotations

from datetime import timedelta

import pytest


@pytest.mark.ips(scenario="nightly_publish.yaml")
def test_nightly_publish_runs_three_times_in_three_days(ips, ips_client):
    scheduled = ips_client.service.getScheduledJobs(companyHandle="c|100")  # zeep unwraps jobArray/items
    assert [job.name for job in scheduled] == ["nightly-publish"]

    ips.advance(timedelta(days=3))

    logs = ips_client.service.getJobLogs(companyHandle="c|100", sortDirection="Ascending")
    assert [log.jobName for log in logs[-3:]] == [
        "nightly-publish_2026-03-05-00:00:00.000",
        "nightly-publish_2026-03-06-00:00:00.000",
        "nightly-publish_2026-03-07-00:00:00.000",
    ]
    ips.journal.assert_called("getJobLogs", times=1)
