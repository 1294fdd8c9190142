"""Concurrent submitJob calls over a real socket: one lock per operation keeps the state consistent."""

from __future__ import annotations

import threading

import requests
from lxml import etree

from ips_mock import FakeIps, ServerThread
from ips_mock.testing import auth_header, build_envelope, upload_urls_job, validate_reply

THREADS = 8
CALLS_PER_THREAD = 10
JOIN_TIMEOUT_S = 60.0
REQUEST_TIMEOUT_S = 30.0
V2014 = "http://www.scene7.com/IpsApi/xsd/2014-04-03"


def _submit_body(name: str) -> bytes:
    params = {
        "companyHandle": "c|100",
        "jobName": name,
        "uploadUrlsJob": upload_urls_job((f"http://images.example.net/{name}.jpg", "x.jpg")),
    }
    return build_envelope("submitJob", params, headers=[auth_header()])


def test_concurrent_submits_all_succeed_with_unique_contiguous_run_ids() -> None:
    fake = FakeIps()
    barrier = threading.Barrier(THREADS, timeout=JOIN_TIMEOUT_S)
    handles: dict[int, list[str]] = {t: [] for t in range(THREADS)}
    failures: list[str] = []

    def worker(endpoint: str, index: int) -> None:
        try:
            with requests.Session() as session:
                barrier.wait()  # every thread starts posting at once
                for call in range(CALLS_PER_THREAD):
                    response = session.post(
                        endpoint,
                        data=_submit_body(f"t{index}-c{call}"),
                        headers={"Content-Type": "text/xml; charset=UTF-8", "SOAPAction": "submitJob"},
                        timeout=REQUEST_TIMEOUT_S,
                    )
                    payload = validate_reply(response.content, expect_namespace=V2014)
                    if response.status_code != 200:
                        failures.append(f"t{index}-c{call}: HTTP {response.status_code} {response.text}")
                        continue
                    handles[index].append(payload.findtext(f"{{{V2014}}}jobHandle") or "")
        except Exception as exc:  # reported below, in the test's own thread
            failures.append(f"thread {index}: {exc!r}")

    with ServerThread(fake) as server:
        endpoint = server.url + "/scene7/services/IpsApiService"
        threads = [threading.Thread(target=worker, args=(endpoint, i), daemon=True) for i in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(JOIN_TIMEOUT_S)
        assert not any(thread.is_alive() for thread in threads), "a worker did not finish in time"

        assert failures == []
        assert fake.errors == []
        assert {t: len(h) for t, h in handles.items()} == dict.fromkeys(range(THREADS), CALLS_PER_THREAD)
        expected = {f"j|100|t{t}-c{c}||" for t in range(THREADS) for c in range(CALLS_PER_THREAD)}
        assert {h for hs in handles.values() for h in hs} == expected

        total = THREADS * CALLS_PER_THREAD
        assert len(fake.state.definitions) == total
        assert sorted(fake.state.definitions) == sorted(expected)
        assert len(fake.state.runs) == total
        assert sorted(fake.state.runs) == list(range(1001, 1001 + total))
        assert sorted(run.handle.rsplit("|", 1)[1] for run in fake.state.runs.values()) == sorted(
            str(i) for i in range(1001, 1001 + total)
        )
        # Each thread's calls ran one after another, so its run ids go up in call order.
        run_ids = {run.definition.name: run.id for run in fake.state.runs.values()}
        for t in range(THREADS):
            ids = [run_ids[f"t{t}-c{c}"] for c in range(CALLS_PER_THREAD)]
            assert ids == sorted(ids)

        reply = requests.post(
            endpoint,
            data=build_envelope("getActiveJobs", {"companyHandle": "c|100"}, headers=[auth_header()]),
            headers={"Content-Type": "text/xml; charset=UTF-8", "SOAPAction": "getActiveJobs"},
            timeout=REQUEST_TIMEOUT_S,
        )
        active = validate_reply(reply.content, expect_namespace=V2014)
        assert len(active.findall(f"{{{V2014}}}jobArray/{{{V2014}}}items")) == total
        assert etree.QName(active).localname == "getActiveJobsReturn"
