"""The binding between the wire and the domain: one entry per implemented IPS operation.

This is the only module that imports both :mod:`ips_mock.protocol` and :mod:`ips_mock.service`. Each handler
gets the decoded Param as a dict and returns the Return as a mapping that the codec encodes in schema order.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final
from zoneinfo import ZoneInfo

from lxml import etree

from .errors import IpsFault
from .model import Company, User
from .protocol.auth import Credentials
from .protocol.codec import decode, encode
from .protocol.envelope import SoapRequest
from .protocol.schema import schema_for, wsdl_operations
from .service import IpsService

__all__ = ["OPERATIONS", "Call", "ServiceFactory", "dispatch"]


@dataclass(frozen=True)
class Call:
    """One authenticated, decoded call, as a handler sees it."""

    service: IpsService
    caller: User
    params: Mapping[str, Any]
    zone: ZoneInfo
    locale: str | None

    def local(self, instant: datetime | None) -> datetime | None:
        """``instant`` in the server's zone, as IPS reports every date."""
        return None if instant is None else instant.astimezone(self.zone)


Handler = Callable[[Call], Mapping[str, Any]]
ServiceFactory = Callable[[], IpsService]
"""Gives the service for the current request (the owner may swap it between requests)."""


def _company(call: Call, company: Company) -> dict[str, Any]:
    return {
        "companyHandle": company.handle,
        "name": company.name,
        "rootPath": company.root_path,
        "expires": call.local(company.expires),
        "imsOrgId": company.ims_org_id,
    }


def check_login(call: Call) -> Mapping[str, Any]:
    p = call.params
    status = call.service.check_login(
        call.caller, email=p["email"], password=p["password"], company_handle=p.get("companyHandle")
    )
    return {"status": status}


def get_company_info(call: Call) -> Mapping[str, Any]:
    p = call.params
    company = call.service.get_company_info(
        call.caller,
        company_handle=p.get("companyHandle"),
        company_name=p.get("companyName"),
        ims_org_id=p.get("imsOrgId"),
    )
    return {"companyInfo": _company(call, company)}


OPERATIONS: Final[Mapping[str, Handler]] = {
    "checkLogin": check_login,
    "getCompanyInfo": get_company_info,
}


def dispatch(service: IpsService, request: SoapRequest, credentials: Credentials, *, zone: ZoneInfo) -> etree._Element:
    """Run one request through the checks in a fixed order and return the encoded ``<op>Return``.

    Order: operation known (30003) and implemented (30000), credentials (10xxx), role (20003), parameters
    (30001-30003), then the operation itself.
    """
    schema = schema_for(request.api_version)
    operation = request.operation
    handler = OPERATIONS.get(operation)
    param_type, result_type = schema.param(operation), schema.result(operation)
    if handler is None or param_type is None or result_type is None:
        if operation in wsdl_operations(request.api_version):
            raise IpsFault(IpsFault.EXCEPTION, f"ips-mock does not implement {operation}")
        raise IpsFault.invalid_request_xml(
            f"Unknown operation {operation!r} in namespace {request.api_version.namespace}"
        )
    caller = service.authenticate(credentials.user, credentials.password, access_token=credentials.access_token)
    service.authorize(caller, operation)
    params = decode(request.param, param_type, schema)
    result = handler(Call(service, caller, params, zone, credentials.locale or caller.locale))
    return encode(f"{operation}Return", result, result_type, schema)
