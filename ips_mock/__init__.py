"""ips-mock: a faithful, deterministic, in-process fake of the Adobe Dynamic Media Classic IPS SOAP API."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

# Imported on first use, so that a command (``ips-mock serve``) pays only for the modules it runs.
_EXPORTS = {
    "ClockError": ".clock",
    "FakeIps": ".fake",
    "FaultKind": ".errors",
    "IpsFault": ".errors",
    "IpsMockError": ".errors",
    "JournalLimits": ".journal",
    "Retention": ".model.state",
    "ScenarioError": ".errors",
    "ServerThread": ".server",
}


def __getattr__(name: str) -> Any:
    if name == "__version__":
        value: Any = _version()
    elif name in _EXPORTS:
        value = getattr(import_module(_EXPORTS[name], __name__), name)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value  # looked up once
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


def _version() -> str:
    """The installed distribution's version; a checkout that was never installed has no metadata to read.
    Read on first use: importing importlib.metadata costs more than most of a command's start."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("ips-mock")
    except PackageNotFoundError:
        return "0+unknown"
