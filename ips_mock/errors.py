"""Exceptions shared by every layer.

The domain raises :class:`IpsFault`; only the protocol layer decides what it looks like on the wire.
"""

from __future__ import annotations

import enum

__all__ = [
    "FaultKind",
    "IpsFault",
    "IpsMockError",
    "MalformedXml",
    "OperationNotHandled",
    "ScenarioError",
]


class IpsMockError(Exception):
    """Base class of every error ips-mock raises on purpose."""


class ScenarioError(IpsMockError):
    """A scenario file or mapping is invalid. The message names the file, line and field path."""

    def __init__(self, message: str, *, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line
        """The line the (first) problem is on, when known: for ordering several problems by line."""


class FaultKind(enum.Enum):
    """The three fault detail elements of the IPS API (`flt:` namespace)."""

    AUTHENTICATION = "authenticationFault"
    AUTHORIZATION = "authorizationFault"
    IPS_API = "ipsApiFault"

    @classmethod
    def for_code(cls, code: int) -> FaultKind:
        """The detail element that IPS uses for a fault code (10xxx, 20xxx, 30xxx)."""
        if 10000 <= code < 20000:
            return cls.AUTHENTICATION
        if 20000 <= code < 30000:
            return cls.AUTHORIZATION
        return cls.IPS_API


class IpsFault(IpsMockError):
    """An IPS API fault: a detail element kind, a numeric code and a human reason."""

    # Fault codes of the IPS API (IPS-REFERENCE §3.3), named as Adobe names them.
    NO_CREDENTIALS = 10000
    INVALID_CREDENTIALS = 10001
    INVALID_USER = 10002
    INVALID_COMPANY = 20000
    INVALID_REQUEST_USERNAME = 20001
    INVALID_REQUEST_USER = 20002
    NO_OPERATION_PERMISSION = 20003
    NO_IMPERSONATION_PERMISSION = 20004
    ILLEGAL_PARAMETER_VALUE = 20005
    ILLEGAL_COMPANY = 20006
    ILLEGAL_REQUEST_USER = 20007
    ILLEGAL_ACCESS_GROUP = 20008
    MISSING_PERMISSION = 20009
    EXCEPTION = 30000
    INVALID_PARAMETER = 30001
    MISSING_PARAMETER = 30002
    INVALID_REQUEST_XML = 30003

    def __init__(self, code: int, reason: str, *, kind: FaultKind | None = None, field: str | None = None) -> None:
        super().__init__(f"{code}: {reason}")
        self.code = code
        self.reason = reason
        self.kind = kind if kind is not None else FaultKind.for_code(code)
        self.field = field
        """The parameter path the fault is about (e.g. ``uploadUrlsJob/emailSetting``), when there is one."""

    @property
    def is_client_error(self) -> bool:
        """SOAP `Client`/`Sender` for 10xxx, 20xxx and 30001-30003; `Server`/`Receiver` for 30000."""
        return self.code != self.EXCEPTION

    def __repr__(self) -> str:
        return f"IpsFault({self.code}, {self.reason!r}, kind={self.kind.value})"

    # Constructors for the faults every layer raises, so reasons read the same everywhere.
    @classmethod
    def invalid_request_xml(cls, reason: str) -> IpsFault:
        return cls(cls.INVALID_REQUEST_XML, reason)

    @classmethod
    def missing_parameter(cls, name: str) -> IpsFault:
        return cls(cls.MISSING_PARAMETER, f"Missing required parameter '{name}'", field=name)

    @classmethod
    def invalid_parameter(cls, name: str, reason: str) -> IpsFault:
        return cls(cls.INVALID_PARAMETER, f"Invalid value for parameter '{name}': {reason}", field=name)


class OperationNotHandled(IpsFault):
    """A request the fake could not handle: an operation unknown in its namespace (30003), or one ips-mock does
    not implement and no scenario stub answered (30000). The pytest plugin fails the test on these."""


class MalformedXml(IpsFault):
    """A document that is not well-formed XML (30003); ``problem`` is the parser's own words."""

    def __init__(self, problem: str) -> None:
        super().__init__(IpsFault.INVALID_REQUEST_XML, f"The request is not well-formed XML: {problem}")
        self.problem = problem
