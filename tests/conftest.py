"""Fixtures shared by ips-mock's own tests (a test module may define its own of the same name)."""

from __future__ import annotations

import pytest

from ips_mock import FakeIps
from ips_mock.testing import SoapTestClient


@pytest.fixture
def fake() -> FakeIps:
    """A fake on the built-in default scenario."""
    return FakeIps()


@pytest.fixture
def client(fake: FakeIps) -> SoapTestClient:
    """Posts through werkzeug's test client to ``fake``; every reply is validated against the real WSDL."""
    return SoapTestClient(fake)
