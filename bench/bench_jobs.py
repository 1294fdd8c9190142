"""How the job machinery scales, beside the same bare Werkzeug + lxml baseline as bench_soap.py.

* catch-up: one advance over 30 days of a job that fires every 5 minutes (8,640 runs, each with its steps);
* getJobLogs over those 8,640 logs, and getActiveJobs with 100 runs active, in-process.

    python bench/bench_jobs.py
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

from werkzeug.test import Client

sys.path.insert(0, str(Path(__file__).parent))
from bench_soap import BODY, HEADERS, PATH, baseline_app

from ips_mock import FakeIps
from ips_mock.testing import auth_header, build_envelope

SCENARIO = {
    "ips_mock": 1,
    "companies": [{"name": "Example", "id": 100}],
    "users": [{"email": "admin@example.com", "password": "password", "role": "IpsAdmin", "companies": ["Example"]}],
    "jobs": [
        {
            "company": "Example",
            "name": "frequent",
            "submitted_by": "admin@example.com",
            "exec_schedule": "*/5 * * * *",
            "job": {"imageServingPublishJob": {"publishType": "Incremental", "emailSetting": "None"}},
        }
    ],
}


def _median_us(call, n: int = 50) -> float:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        call()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1e6


def _post(client: Client, operation: str, params: dict[str, object]) -> None:
    body = build_envelope(operation, params, headers=[auth_header()])
    response = client.post(PATH, data=body, headers={"Content-Type": "text/xml"})
    assert response.status_code == 200, response.get_data()


def main() -> None:
    baseline = Client(baseline_app)
    print(f"{'measure':<58} {'median':>12}")
    base_us = _median_us(lambda: baseline.post(PATH, data=BODY, headers=HEADERS))
    print(f"{'baseline: one bare werkzeug + lxml request':<58} {base_us:>10.0f}us")

    fake = FakeIps(SCENARIO)
    start = time.perf_counter()
    fake.advance(timedelta(days=30))
    elapsed = time.perf_counter() - start
    runs = len(fake.state.runs)
    print(f"{f'catch-up: advance 30 days, {runs} runs of a 5-minute job':<58} {elapsed:>11.2f}s")
    print(f"{'  per run (fire, 5 steps, log)':<58} {elapsed / runs * 1e6:>10.0f}us")

    client = Client(fake)
    logs_us = _median_us(lambda: _post(client, "getJobLogs", {"companyHandle": "c|100", "numRows": 100}), 10)
    print(f"{f'getJobLogs, 100 newest of {len(fake.state.logs)} logs':<58} {logs_us:>10.0f}us")

    busy = FakeIps({**SCENARIO, "jobs": []})
    busy_client = Client(busy)
    for i in range(100):
        _post(
            busy_client,
            "submitJob",
            {
                "companyHandle": "c|100",
                "jobName": f"job-{i}",
                "imageServingPublishJob": {"publishType": "Full", "emailSetting": "None"},
            },
        )
    active_us = _median_us(lambda: _post(busy_client, "getActiveJobs", {"companyHandle": "c|100"}), 20)
    print(f"{'getActiveJobs with 100 active runs':<58} {active_us:>10.0f}us")


if __name__ == "__main__":
    main()
