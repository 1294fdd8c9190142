"""ips-mock: a faithful, deterministic, in-process fake of the Adobe Dynamic Media Classic IPS SOAP API."""

from __future__ import annotations

from .clock import ClockError
from .errors import FaultKind, IpsFault, IpsMockError, ScenarioError
from .fake import FakeIps
from .server import ServerThread

__all__ = ["ClockError", "FakeIps", "FaultKind", "IpsFault", "IpsMockError", "ScenarioError", "ServerThread"]
