"""Who is calling, and which company they act on: what every IPS area checks first."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from ..errors import IpsFault
from ..model import Company, State, User
from ..model.roles import may_call

__all__ = ["ServiceBase"]


class ServiceBase:
    """State and server zone, with authentication, authorization and company membership."""

    state: State
    zone: ZoneInfo

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
