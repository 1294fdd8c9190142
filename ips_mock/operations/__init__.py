"""The binding between the wire and the domain: one operation table per IPS area, and the one dispatcher.

This package is the only place below composition that imports both :mod:`ips_mock.protocol` and
:mod:`ips_mock.service`; only this module touches the protocol (decode the Param, encode the Return). The area
modules hold plain handlers (:mod:`.base`): adding an operation is a service method, a handler, and an entry in
its area's table; its types are already described (:mod:`ips_mock.protocol.schema`) and its roles listed
(:mod:`ips_mock.model.roles`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, Final
from zoneinfo import ZoneInfo

from lxml import etree

from ..errors import IpsFault, OperationNotHandled
from ..journal import Exchange
from ..protocol.auth import Credentials
from ..protocol.codec import decode, encode
from ..protocol.schema import schema_for, wsdl_operations
from ..protocol.transport import IpsRequest
from ..service import IpsService
from . import assets, company, jobs
from .base import Call, Handler

__all__ = ["AREAS", "OPERATIONS", "Call", "dispatch", "peek_params"]

AREAS: Final[Mapping[str, Mapping[str, Handler]]] = {
    "company": company.OPERATIONS,
    "jobs": jobs.OPERATIONS,
    "assets": assets.OPERATIONS,
}
"""Each IPS area's operation table; an operation belongs to exactly one area."""

OPERATIONS: Final[Mapping[str, Handler]] = {
    name: handler for table in AREAS.values() for name, handler in table.items()
}
"""Every operation ips-mock models."""


def peek_params(request: IpsRequest) -> dict[str, Any] | None:
    """The decoded parameters of a request, or None when the operation is not modelled or they do not decode."""
    schema = schema_for(request.api_version)
    param_type = schema.param(request.operation)
    if request.operation not in OPERATIONS or param_type is None:
        return None
    try:
        return decode(request.param, param_type, schema)
    except IpsFault:
        return None


def dispatch(
    service: IpsService,
    request: IpsRequest,
    credentials: Credentials,
    *,
    zone: ZoneInfo,
    now: datetime,
    exchange: Exchange | None = None,
    stub: Callable[[str], etree._Element | None] | None = None,
) -> etree._Element:
    """Run one request through the checks in a fixed order and return the encoded ``<op>Return``.

    Order: operation known (30003), credentials (10xxx), role (20003), a scenario stub if one applies,
    operation implemented (30000), parameters (30001-30003), then the operation itself.
    """
    schema = schema_for(request.api_version)
    operation = request.operation
    handler = OPERATIONS.get(operation)
    param_type, result_type = schema.param(operation), schema.result(operation)
    modelled = handler is not None and param_type is not None and result_type is not None
    known = operation in wsdl_operations(request.api_version)
    if not modelled and not known:
        raise OperationNotHandled(
            IpsFault.INVALID_REQUEST_XML,
            f"Unknown operation {operation!r} in namespace {request.api_version.namespace}",
        )
    caller = service.authenticate(credentials.user, credentials.password, access_token=credentials.access_token)
    if exchange is not None:
        exchange.caller = caller.email
    service.authorize(caller, operation)
    if stub is not None and (canned := stub(operation)) is not None:
        if exchange is not None:
            exchange.injected = "stub"
        return canned
    if handler is None or param_type is None or result_type is None:
        raise OperationNotHandled(IpsFault.EXCEPTION, f"ips-mock does not implement {operation} (add a stubs entry)")
    params = decode(request.param, param_type, schema)
    if exchange is not None:
        exchange.params = params
    call = Call(service, caller, params, zone, credentials.locale or caller.locale, now, request.service_root)
    result = handler(call)
    return encode(f"{operation}Return", result, result_type, schema)
