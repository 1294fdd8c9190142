"""Company operations: signing in and company information."""

from __future__ import annotations

from ..errors import IpsFault
from ..model import Company, User
from .base import ServiceBase

__all__ = ["CompanyService"]


class CompanyService(ServiceBase):
    def check_login(self, caller: User, *, email: str, password: str, company_handle: str | None) -> str:
        """``ValidLogin`` when the user exists, the password matches and (if given) the company is theirs."""
        user = self.state.user_by_email(email)
        if user is None or user.password != password:
            return "InvalidLogin"
        if company_handle is not None:
            company = self.state.company_by_handle(company_handle)
            if company is None or not user.belongs_to(company.id):
                return "InvalidLogin"
        return "ValidLogin"

    def get_company_info(
        self,
        caller: User,
        *,
        company_handle: str | None = None,
        company_name: str | None = None,
        ims_org_id: str | None = None,
    ) -> Company:
        """Look the company up by handle, else name, else IMS org id (the first one given wins)."""
        if company_handle is not None:
            return self.company(caller, company_handle)
        if company_name is not None:
            company = self.state.company_by_name(company_name)
            if company is None:
                raise IpsFault(IpsFault.INVALID_COMPANY, f"Invalid company name '{company_name}'")
            return self._member_company(caller, company)
        if ims_org_id is not None:
            company = self.state.company_by_ims_org_id(ims_org_id)
            if company is None:
                raise IpsFault(IpsFault.INVALID_COMPANY, f"Invalid IMS organization id '{ims_org_id}'")
            return self._member_company(caller, company)
        raise IpsFault(IpsFault.MISSING_PARAMETER, "Missing required parameter 'companyHandle' or 'companyName'")
