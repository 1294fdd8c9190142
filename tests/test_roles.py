"""The role table covers every operation of Adobe's port type, as the Experience League pages list them."""

from __future__ import annotations

import pytest
from lxml import etree

from ips_mock.model.roles import (
    ADMIN_ROLES,
    ALL_ROLES,
    DOCS_URL,
    OPERATION_ROLES,
    ROLE_CODES,
    ROLE_TABLE,
    Role,
    may_call,
    page_url,
)
from ips_mock.protocol import ns
from ips_mock.protocol.overrides import BETA_OPERATIONS
from ips_mock.testing import REAL_WSDL_VERSIONS, SoapTestClient, real_wsdl_path

A, CA, U, WS = Role.IPS_ADMIN, Role.IPS_COMPANY_ADMIN, Role.IPS_USER, Role.WEB_SERVICE_USER
TA, TU = Role.TRIAL_SITE_ADMIN, Role.TRIAL_SITE_USER
PA, PU, PC, PCU = (
    Role.IMAGE_PORTAL_ADMIN,
    Role.IMAGE_PORTAL_USER,
    Role.IMAGE_PORTAL_CONTRIB,
    Role.IMAGE_PORTAL_CONTRIB_USER,
)
EVERY_LISTED = ALL_ROLES - {WS}
JOB_CONTROL = EVERY_LISTED - {PU}
CONTRIBUTORS = frozenset({U, A, CA, PA, PC, PCU})

# Operations with no page, or whose page lists no role (README, Choices).
UNDOCUMENTED = {
    "addMediaPortalEvent": ADMIN_ROLES,
    "getMediaPortalEvent": ADMIN_ROLES,
    "removeMask": ADMIN_ROLES,
    "uploadPost": JOB_CONTROL - {CA},
    "getCdnCacheInvalidationStatus": frozenset({A, CA}),
    "getImageServingCatalog": frozenset({A, CA, TA, PA}),
    "getImageRenderingCatalog": frozenset({A, CA, TA, PA}),
    "setImageServingPublishSettings": frozenset({A, CA, TA, PA}),
    "setImageRenderingPublishSettings": frozenset({A, CA, TA, PA}),
    "setPropertySetPermissions": frozenset({A, CA, PA}),
    "updatePropertySetPermissions": frozenset({A, CA, PA}),
    "removePropertySetPermissions": frozenset({A, CA, PA}),
    "updateAssetSet": CONTRIBUTORS,
    "updateImageSet": CONTRIBUTORS,
    "updateSmartCrops": CONTRIBUTORS,  # a beta operation, as renameAsset
}


def _port_type_operations(version: str) -> set[str]:
    tree = etree.parse(str(real_wsdl_path(version)))  # WsdlNotFoundError says where it looked
    names = {op.get("name") for op in tree.iterfind(f"{{{ns.WSDL}}}portType/{{{ns.WSDL}}}operation")}
    assert names, f"no portType operation in the {version} WSDL"
    return {name for name in names if name}


# ---------------------------------------------------------------------------------------------- coverage


def test_the_table_names_every_operation_of_both_wsdls_and_the_betas_and_nothing_else() -> None:
    real = set().union(*(_port_type_operations(v) for v in REAL_WSDL_VERSIONS))
    assert len(real) == 166
    real |= set(BETA_OPERATIONS)
    assert sorted(real - set(ROLE_TABLE)) == [], "operations without a row"
    assert sorted(set(ROLE_TABLE) - real) == [], "rows naming no real operation"
    assert set(OPERATION_ROLES) == real


def test_every_row_is_well_formed() -> None:
    for operation, entry in ROLE_TABLE.items():
        codes = f"{entry.listed} {entry.also}".split()
        assert all(code in ROLE_CODES for code in codes), operation
        assert entry.page is None or (entry.page.startswith("r-") and entry.page == entry.page.lower()), operation
        assert not (entry.listed and entry.like), f"{operation}: documented rows name no sibling"
        assert OPERATION_ROLES[operation], f"{operation} is open to no role"


def test_undocumented_operations_take_their_siblings_roles_or_admin_roles() -> None:
    assert {op for op, entry in ROLE_TABLE.items() if not entry.listed} == set(UNDOCUMENTED)
    for operation, roles in UNDOCUMENTED.items():
        entry = ROLE_TABLE[operation]
        assert OPERATION_ROLES[operation] == roles, operation
        if entry.like is not None:
            assert ROLE_TABLE[entry.like].listed, f"{operation}'s sibling {entry.like} is itself undocumented"
            assert OPERATION_ROLES[operation] == OPERATION_ROLES[entry.like]


def test_page_urls() -> None:
    assert page_url("getFolderTree") == f"{DOCS_URL}r-get-folder-tree.html"
    assert page_url("setAssetsContextState") == f"{DOCS_URL}r-set-asset-context-state.html"
    assert page_url("getXMPPacket") == f"{DOCS_URL}r-get-xmp-packet.html"
    assert page_url("uploadPost") is None
    assert page_url("noSuchOperation") is None
    assert DOCS_URL.startswith("https://experienceleague.adobe.com/docs/dynamic-media-developer-resources/")


# ------------------------------------------------------------------------------------------- refusing


@pytest.mark.parametrize("operation", ["noSuchOperation", "", "GetFolderTree", "getfoldertree", "searchAssets "])
def test_an_operation_missing_from_the_table_is_refused_to_every_role(operation: str) -> None:
    assert not [role for role in Role if may_call(role, operation)]


def test_no_page_lists_web_service_user() -> None:
    assert not [op for op in ROLE_TABLE if may_call(WS, op)]


# ------------------------------------------------------------------------------ spot checks against the docs


@pytest.mark.parametrize(
    ("operation", "roles"),
    [
        # company and users
        ("checkLogin", EVERY_LISTED),
        ("getAllCompanies", {A}),
        ("addCompany", {A, TA, PA}),
        ("getUsers", {A, CA, TA, PA}),
        ("setPassword", EVERY_LISTED),
        ("getCompanyMembership", EVERY_LISTED),  # ImagePortalAdmin listed twice
        # groups
        ("saveGroup", {A, CA, PA}),
        ("getGroupMembership", {U, A, CA, PA, PU, PC, PCU}),
        # jobs: the meaning the module had before the table
        ("submitJob", JOB_CONTROL - {CA}),
        ("executeJob", JOB_CONTROL - {CA}),  # TrialSiteAdmin listed twice
        ("getActiveJobs", JOB_CONTROL),
        ("getScheduledJobs", JOB_CONTROL),
        ("stopJob", JOB_CONTROL),
        ("pauseJob", JOB_CONTROL),
        ("resumeJob", JOB_CONTROL),
        ("deleteJob", JOB_CONTROL),
        ("getJobLogs", EVERY_LISTED),
        ("getAssetJobLogs", EVERY_LISTED),
        ("getJobLogDetails", EVERY_LISTED - {TA}),
        # folders
        ("getFolderTree", {U, A, CA, TA, TU, PC, PCU}),
        ("getFolders", EVERY_LISTED),
        ("setFolderPermissions", {A, CA, PA}),
        ("createFolder", CONTRIBUTORS),
        # assets
        ("searchAssets", EVERY_LISTED),  # TrialSiteUser and ImagePortalAdmin listed twice
        ("deleteAssets", CONTRIBUTORS),  # the page spells IpsAdmin "IspAdmin"
        ("renameAsset", CONTRIBUTORS),  # the page spells ImagePortalContribUser "ImpagePortalContribUser"
        ("createTemplate", {U, A, PA, PC, PCU}),
        ("checkAssetNames", EVERY_LISTED - {CA}),
        ("getImageSetMembers", EVERY_LISTED - {PA}),
        # metadata
        ("createMetadataField", {A}),
        ("saveMetadataField", {U, A, CA, PA}),
        ("updateXMPPacket", {U, A, CA, PA, PU, PC, PCU}),  # the page spells ImagePortalContribUser in lower case
        ("setTagFieldValues", {A, CA, PA}),
        # projects
        ("getProjects", {U, A, TA, TU, PC, PCU}),
        ("removeProjectAssets", {U, CA, PA, PC, PCU}),
        # publishing
        ("setAssetPublishState", {U, A, CA, PC, PCU}),
        ("getImageServingPublishSettings", {A, CA, TA, PA}),
        ("cdnCacheInvalidation", {A, CA}),
        ("getImageFormats", {U, A, CA, PA, PU, PC, PCU}),  # the page spells IpsAdmin "IspAdmin"
        # viewers
        ("getVignettePublishFormats", {A, CA, TA, PA}),
    ],
)
def test_documented_roles(operation: str, roles: set[Role]) -> None:
    assert OPERATION_ROLES[operation] == roles
    assert {role for role in Role if may_call(role, operation)} == roles


def test_get_folder_tree_excludes_image_portal_and_web_service_users() -> None:
    assert not may_call(PU, "getFolderTree")
    assert not may_call(WS, "getFolderTree")
    assert may_call(U, "getFolderTree")


def test_get_company_info_keeps_company_admins_though_the_page_omits_them() -> None:
    # README, Choices: the one role allowed beyond its page's list.
    entry = ROLE_TABLE["getCompanyInfo"]
    assert "CA" not in entry.listed.split()
    assert entry.also == "CA"
    assert OPERATION_ROLES["getCompanyInfo"] == EVERY_LISTED
    assert [op for op, e in ROLE_TABLE.items() if e.also] == ["getCompanyInfo"]


# ------------------------------------------------------------------------------------------------- wire


@pytest.mark.parametrize(
    ("operation", "params", "user"),
    [
        ("setFolderPermissions", {"companyHandle": "c|100", "folderHandle": "Example/a/"}, "user@example.com"),
        ("getCompanySettings", {"companyHandle": "c|100"}, "user@example.com"),
        ("getProjects", {"companyHandle": "c|200"}, "other@example.com"),
    ],
)
def test_an_unlisted_role_gets_authorization_fault_20003(
    client: SoapTestClient, operation: str, params: dict[str, str], user: str
) -> None:
    reply = client.call(operation, params, user=user)
    assert (reply.code, reply.fault_kind) == (20003, "authorizationFault")
    assert reply.reason == f"User does not have permission to access operation '{operation}'"


def test_a_listed_role_passes_the_role_check(client: SoapTestClient) -> None:
    # setFolderPermissions is not modelled: an IpsAdmin gets past the role check to "not implemented".
    reply = client.call("setFolderPermissions", {"companyHandle": "c|100", "folderHandle": "Example/a/"})
    assert (reply.code, reply.fault_kind) == (30000, "ipsApiFault")
