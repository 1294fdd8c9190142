"""The IPS operations as plain Python: who may do what, and what each operation answers.

Pure domain code: it receives decoded parameters and returns model objects or plain values, and raises
:class:`IpsFault` for every refusal. It never sees XML.
"""

from __future__ import annotations

from .errors import IpsFault
from .model import Company, State, User
from .model.roles import may_call

__all__ = ["IpsService"]


class IpsService:
    def __init__(self, state: State) -> None:
        self.state = state

    # ------------------------------------------------------------------------------------------ who is calling

    def authenticate(self, email: str | None, password: str | None, *, access_token: str | None = None) -> User:
        """The signed-in user, or 10000 (nothing sent), 10002 (unknown user), 10001 (wrong password)."""
        if not email:
            if access_token:
                raise IpsFault(IpsFault.INVALID_CREDENTIALS, "Invalid access token")
            raise IpsFault(
                IpsFault.NO_CREDENTIALS,
                "The request could not be authenticated: send an authHeader with user and password, "
                "or HTTP Basic credentials",
            )
        user = self.state.user_by_email(email)
        if user is None:
            raise IpsFault(IpsFault.INVALID_USER, f"Invalid user '{email}'")
        if password != user.password:
            raise IpsFault(IpsFault.INVALID_CREDENTIALS, "Invalid username/password")
        return user

    def authorize(self, caller: User, operation: str) -> None:
        if not may_call(caller.role, operation):
            raise IpsFault(
                IpsFault.NO_OPERATION_PERMISSION,
                f"User does not have permission to access operation '{operation}'",
            )

    def company(self, caller: User, handle: str) -> Company:
        """The company ``handle`` names, if the caller belongs to it: else 20000 (unknown) or 20006 (foreign)."""
        company = self.state.company_by_handle(handle)
        if company is None:
            raise IpsFault(IpsFault.INVALID_COMPANY, f"Invalid company handle '{handle}'")
        return self._member_company(caller, company)

    def _member_company(self, caller: User, company: Company) -> Company:
        if not caller.belongs_to(company.id):
            raise IpsFault(
                IpsFault.ILLEGAL_COMPANY,
                f"User '{caller.email}' is not a member of company '{company.name}' ({company.handle})",
            )
        return company

    # ------------------------------------------------------------------------------------------- operations

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
