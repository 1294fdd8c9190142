"""Company and user operations: signing in and company information."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from ..model import Company
from .base import Call, Handler

__all__ = ["OPERATIONS"]


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
