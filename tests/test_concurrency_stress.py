"""Many clients at once over HTTP: submits, polls and clock moves interleaved, every job accounted for once."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta

import requests
from lxml import etree

from ips_mock import FakeIps, ServerThread
from ips_mock.model.jobs import RunState
from ips_mock.testing import auth_header, build_envelope, upload_urls_job, validate_reply

THREADS = 8
SUBMITS_PER_THREAD = 500
ADVANCE_EVERY = 25  # submits between two clock moves of a thread
JOIN_TIMEOUT_S = 300.0
REQUEST_TIMEOUT_S = 60.0


def _post(session: requests.Session, endpoint: str, operation: str, params: dict[str, object]) -> etree._Element:
    body = build_envelope(operation, params, headers=[auth_header()])
    response = session.post(
        endpoint, data=body, headers={"Content-Type": "text/xml", "SOAPAction": operation}, timeout=REQUEST_TIMEOUT_S
    )
    if response.status_code != 200:
        raise AssertionError(f"{operation}: HTTP {response.status_code}: {response.content[:500]!r}")
    return validate_reply(response.content)


def test_eight_threads_of_submits_polls_and_clock_moves_account_for_every_job() -> None:
    fake = FakeIps()
    barrier = threading.Barrier(THREADS, timeout=JOIN_TIMEOUT_S)
    failures: list[str] = []
    handles: list[str] = []
    handles_lock = threading.Lock()

    def worker(endpoint: str, index: int) -> None:
        try:
            with requests.Session() as session:
                barrier.wait()
                for call in range(SUBMITS_PER_THREAD):
                    name = f"t{index}-{call:03d}"
                    params = {
                        "companyHandle": "c|100",
                        "jobName": name,
                        "uploadUrlsJob": upload_urls_job((f"https://images.example.net/{name}.jpg", f"{name}.jpg")),
                    }
                    reply = _post(session, endpoint, "submitJob", params)
                    handle = reply.findtext("{*}jobHandle")
                    assert handle, etree.tostring(reply)
                    with handles_lock:
                        handles.append(handle)
                    _post(session, endpoint, "getActiveJobs", {"companyHandle": "c|100", "jobHandle": handle})
                    if call % ADVANCE_EVERY == ADVANCE_EVERY - 1:
                        fake.advance(timedelta(seconds=20))
        except BaseException as exc:
            failures.append(f"thread {index}: {exc!r}")
            barrier.abort()

    server = ServerThread(fake).start()
    threads: list[threading.Thread] = []
    try:
        endpoint = server.url + "/scene7/services/IpsApiService"
        threads = [threading.Thread(target=worker, args=(endpoint, i), daemon=True) for i in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(JOIN_TIMEOUT_S)
        assert not any(thread.is_alive() for thread in threads), "a client thread hung"
    finally:
        server.stop()
    assert failures == []
    fake.advance(timedelta(minutes=5))  # every run has ended

    names = {f"t{t}-{c:03d}" for t in range(THREADS) for c in range(SUBMITS_PER_THREAD)}
    total = THREADS * SUBMITS_PER_THREAD
    assert len(handles) == len(set(handles)) == total
    definitions = Counter(d.name for d in fake.state.definitions.values())
    assert set(definitions) == names
    assert set(definitions.values()) == {1}
    runs = Counter(run.definition.name for run in fake.state.runs.values())
    assert runs == definitions
    assert all(run.state is RunState.DONE for run in fake.state.runs.values())
    logs = Counter(log.original_job_name for log in fake.state.logs)
    assert logs == definitions
    assert len({run.id for run in fake.state.runs.values()}) == total
    assert all(log.end_date is not None and log.file_success_count == 1 for log in fake.state.logs)
    assert len(fake.journal.calls("submitJob")) == total
    assert len(fake.journal.calls("getActiveJobs")) == total
    assert all(call.fault_code is None for call in fake.journal.calls())
    assert fake.errors == []
