"""The binding between the wire and the domain: one operation table per IPS area, and the one dispatcher.

This package is the only place below composition that imports both :mod:`ips_mock.protocol` and
:mod:`ips_mock.service`; only this module touches the protocol (decode the Param, encode the Return). The area
modules hold plain handlers (:mod:`.base`): adding an operation is a service method, a handler, and an entry in
its area's table and its name in :data:`AREAS`; its types are already described (:mod:`ips_mock.protocol.schema`)
and its roles listed (:mod:`ips_mock.model.roles`).

An area's module is imported with the first request for one of its operations: a server answering only company
requests never loads the job and asset bindings (nor the services and model parts only they use).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
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
from .base import Call, Handler

__all__ = ["AREAS", "OPERATIONS", "Call", "area_table", "dispatch", "peek_params"]

AREAS: Final[Mapping[str, tuple[str, ...]]] = {
    "company": ("checkLogin", "getCompanyInfo"),
    "jobs": (
        "submitJob",
        "executeJob",
        "getActiveJobs",
        "getScheduledJobs",
        "stopJob",
        "pauseJob",
        "resumeJob",
        "deleteJob",
        "getJobLogs",
        "getJobLogDetails",
        "getAssetJobLogs",
    ),
    "assets": (
        "searchAssets",
        "searchAssetsByMetadata",
        "getAssetsByName",
        "getAssets",
        "getFolderTree",
        "getFolders",
        "createFolder",
        "deleteFolder",
        "deleteAsset",
        "deleteAssets",
        "renameAsset",
        "moveAsset",
        "moveAssets",
        "getAssociatedAssets",
        "updateSmartCrops",
    ),
    "cdn": ("cdnCacheInvalidation", "getCdnCacheInvalidationStatus"),
    "propertysets": (
        "getPropertySetTypes",
        "getPropertySetType",
        "createPropertySetType",
        "deletePropertySetType",
        "getPropertySets",
        "createPropertySet",
        "updatePropertySet",
        "deletePropertySet",
    ),
}
"""The operations of each IPS area's table (its module's ``OPERATIONS``), in table order; an operation belongs to
exactly one area. Known without importing the area (a test checks it against the tables)."""

_AREA_OF: Final[Mapping[str, str]] = {name: area for area, names in AREAS.items() for name in names}


def area_table(area: str) -> Mapping[str, Handler]:
    """The operation table of ``area`` (a key of :data:`AREAS`), its module imported on the first call."""
    if area == "company":
        from . import company

        return company.OPERATIONS
    if area == "jobs":
        from . import jobs

        return jobs.OPERATIONS
    if area == "assets":
        from . import assets

        return assets.OPERATIONS
    if area == "cdn":
        from . import cdn

        return cdn.OPERATIONS
    if area == "propertysets":
        from . import propertysets

        return propertysets.OPERATIONS
    raise KeyError(area)


_HANDLERS: dict[str, Handler] = {}
"""The handlers of the areas imported so far."""


def _handler(operation: str) -> Handler | None:
    handler = _HANDLERS.get(operation)
    if handler is None:
        area = _AREA_OF.get(operation)
        if area is None:
            return None
        _HANDLERS.update(area_table(area))
        handler = _HANDLERS[operation]
    return handler


class _Operations(Mapping[str, Handler]):
    """Every operation's handler by name; names, membership and order need no area imported."""

    def __getitem__(self, name: str) -> Handler:
        handler = _handler(name)
        if handler is None:
            raise KeyError(name)
        return handler

    def __contains__(self, name: object) -> bool:
        return name in _AREA_OF

    def __iter__(self) -> Iterator[str]:
        return iter(_AREA_OF)

    def __len__(self) -> int:
        return len(_AREA_OF)


OPERATIONS: Final[Mapping[str, Handler]] = _Operations()
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
    handler = _handler(operation)
    param_type, result_type = schema.param(operation), schema.result(operation)
    modelled = handler is not None and param_type is not None and result_type is not None
    known = operation in wsdl_operations(request.api_version)
    if not modelled and not known:
        raise OperationNotHandled(
            IpsFault.INVALID_REQUEST_XML,
            f"Unknown operation {operation!r} in namespace {request.api_version.namespace}",
        )
    try:
        caller = service.authenticate(credentials.user, credentials.password, access_token=credentials.access_token)
    except IpsFault as fault:
        if fault.code != IpsFault.NO_CREDENTIALS or credentials.header_note is None:
            raise
        raise IpsFault(fault.code, f"{fault.reason}; {credentials.header_note}") from None
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
