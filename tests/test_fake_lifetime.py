"""A fake nobody holds any more is freed at once, and the pytest plugin holds a test's fake no longer than the test.

A suite makes a fake per test: one that only the cyclic collector could free (the app pointed back at its fake)
waited for it, and the plugin kept every test's fake, state and journal for the whole session. Both made the
collector walk ever more objects, a cost the per-test benchmark figure showed.
"""

from __future__ import annotations

import gc
import io
import textwrap
import weakref
from collections.abc import Iterator

import pytest
from werkzeug.test import EnvironBuilder

from ips_mock import FakeIps
from ips_mock.testing import auth_header, build_envelope

PATH = "/scene7/services/IpsApiService"


@pytest.fixture
def collector_off() -> Iterator[None]:
    """Only reference counting frees objects during the test."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _serve_one(fake: FakeIps, operation: str, params: dict[str, object]) -> bytes:
    body = build_envelope(operation, params, headers=[auth_header()])
    environ = EnvironBuilder(path=PATH, method="POST", data=body, content_type="text/xml").get_environ()
    environ["wsgi.input"] = io.BytesIO(body)
    statuses: list[str] = []
    reply = b"".join(fake(environ, lambda status, headers, exc_info=None: statuses.append(status)))
    assert statuses == ["200 OK"], reply
    return reply


@pytest.mark.usefixtures("collector_off")
def test_a_fake_that_served_requests_is_freed_by_reference_counting_alone() -> None:
    fake = FakeIps()
    assert b"<companyInfo>" in _serve_one(fake, "getCompanyInfo", {"companyName": "Example"})
    _serve_one(fake, "getActiveJobs", {"companyHandle": "c|100"})
    fake.verify()
    freed = weakref.ref(fake)
    del fake
    assert freed() is None


def test_the_plugin_lets_go_of_each_test_s_fake(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_downstream=textwrap.dedent(
            """
            import gc
            import weakref

            fakes = []

            def test_first(ips):
                fakes.append(weakref.ref(ips))

            def test_second(ips):
                gc.collect()
                assert fakes[0]() is None, "the first test's fake is still held"
            """
        )
    )
    pytester.runpytest("-p", "no:randomly").assert_outcomes(passed=2)
