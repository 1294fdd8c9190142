"""IPS user roles and which roles may call which operation (IPS-REFERENCE §2.3)."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Final

__all__ = ["ADMIN_ROLES", "ALL_ROLES", "OPERATION_ROLES", "Role", "may_call"]


class Role(enum.Enum):
    IPS_ADMIN = "IpsAdmin"
    IPS_COMPANY_ADMIN = "IpsCompanyAdmin"
    IPS_USER = "IpsUser"
    WEB_SERVICE_USER = "WebServiceUser"
    TRIAL_SITE_ADMIN = "TrialSiteAdmin"
    TRIAL_SITE_USER = "TrialSiteUser"
    IMAGE_PORTAL_ADMIN = "ImagePortalAdmin"
    IMAGE_PORTAL_USER = "ImagePortalUser"
    IMAGE_PORTAL_CONTRIB = "ImagePortalContrib"
    IMAGE_PORTAL_CONTRIB_USER = "ImagePortalContribUser"


ALL_ROLES: Final = frozenset(Role)

_DOCUMENTED: Final = ALL_ROLES - {Role.WEB_SERVICE_USER}
"""The nine roles an operation page lists when it lists every role but WebServiceUser."""

_JOB_CONTROL: Final = _DOCUMENTED - {Role.IMAGE_PORTAL_USER}

# The documented role lists. An operation that is not listed here is open to every role.
OPERATION_ROLES: Final[Mapping[str, frozenset[Role]]] = {
    "checkLogin": _DOCUMENTED,
    "getCompanyInfo": _DOCUMENTED,
    "submitJob": _JOB_CONTROL - {Role.IPS_COMPANY_ADMIN},
    "executeJob": _JOB_CONTROL - {Role.IPS_COMPANY_ADMIN},
    "getActiveJobs": _JOB_CONTROL,
    "getScheduledJobs": _JOB_CONTROL,
    "stopJob": _JOB_CONTROL,
    "pauseJob": _JOB_CONTROL,
    "resumeJob": _JOB_CONTROL,
    "deleteJob": _JOB_CONTROL,
    "getJobLogs": _DOCUMENTED,
    "getAssetJobLogs": _DOCUMENTED,
    "getJobLogDetails": _DOCUMENTED - {Role.TRIAL_SITE_ADMIN},
}


def may_call(role: Role, operation: str) -> bool:
    return role in OPERATION_ROLES.get(operation, ALL_ROLES)


ADMIN_ROLES: Final = frozenset({Role.IPS_ADMIN, Role.IPS_COMPANY_ADMIN, Role.TRIAL_SITE_ADMIN, Role.IMAGE_PORTAL_ADMIN})
"""Roles that may act for another user of their company (submitJob/userHandle)."""
