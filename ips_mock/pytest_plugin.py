"""The ips-mock pytest plugin, loaded through the ``pytest11`` entry point ``ips_mock``.

Never list it in a conftest as well: pytest would register it twice. Fixtures arrive with the plugin issue; for
now it only registers the ``ips`` marker so that ``--strict-markers`` accepts it.
"""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "ips(scenario=None, **options): run the test against an ips-mock fake")
