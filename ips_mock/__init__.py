"""ips-mock: a faithful, deterministic, in-process fake of the Adobe Dynamic Media Classic IPS SOAP API."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from .clock import ClockError
from .errors import FaultKind, IpsFault, IpsMockError, ScenarioError
from .fake import FakeIps
from .journal import JournalLimits
from .model.state import Retention
from .server import ServerThread

__all__ = [
    "ClockError",
    "FakeIps",
    "FaultKind",
    "IpsFault",
    "IpsMockError",
    "JournalLimits",
    "Retention",
    "ScenarioError",
    "ServerThread",
    "__version__",
]


def _version() -> str:
    """The installed distribution's version; a checkout that was never installed has no metadata to read."""
    try:
        return version("ips-mock")
    except PackageNotFoundError:
        return "0+unknown"


__version__ = _version()
