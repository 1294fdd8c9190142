"""IPS user roles and which roles may call which operation (IPS-REFERENCE §2.3).

Every operation of Adobe's port type (the 2013-02-15 and 2014-04-03 WSDLs) has one row in ``ROLE_TABLE``. An
operation that is not in the table is refused to every role, never open to all.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

__all__ = [
    "ADMIN_ROLES",
    "ALL_ROLES",
    "DOCS_URL",
    "OPERATION_ROLES",
    "ROLE_CODES",
    "ROLE_TABLE",
    "Role",
    "RoleEntry",
    "may_call",
    "page_url",
]


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

ADMIN_ROLES: Final = frozenset({Role.IPS_ADMIN, Role.IPS_COMPANY_ADMIN, Role.TRIAL_SITE_ADMIN, Role.IMAGE_PORTAL_ADMIN})
"""Roles that may act for another user of their company (submitJob/userHandle)."""

ROLE_CODES: Final[Mapping[str, Role]] = {
    "A": Role.IPS_ADMIN,
    "CA": Role.IPS_COMPANY_ADMIN,
    "U": Role.IPS_USER,
    "WS": Role.WEB_SERVICE_USER,
    "TA": Role.TRIAL_SITE_ADMIN,
    "TU": Role.TRIAL_SITE_USER,
    "PA": Role.IMAGE_PORTAL_ADMIN,
    "PU": Role.IMAGE_PORTAL_USER,
    "PC": Role.IMAGE_PORTAL_CONTRIB,
    "PCU": Role.IMAGE_PORTAL_CONTRIB_USER,
}
"""The short codes ``ROLE_TABLE`` writes roles with, so that a row fits on one line."""

DOCS_URL: Final = (
    "https://experienceleague.adobe.com/docs/dynamic-media-developer-resources/image-production-api/"
    "operation-methods/operation-parameters/"
)


@dataclass(frozen=True)
class RoleEntry:
    """One operation's row: the page that documents it and the roles that page lists."""

    page: str | None
    """The operation's page under ``DOCS_URL`` (without ``.html``); None when Adobe publishes none."""
    listed: str = ""
    """The "Authorized User Types" of the page as ``ROLE_CODES``, in the page's order, repeats kept; empty when the
    page lists none."""
    like: str | None = None
    """For an operation whose roles are undocumented: the sibling operation whose roles it takes. Undocumented with
    no sibling: ``ADMIN_ROLES``."""
    also: str = ""
    """Roles (``ROLE_CODES``) allowed although the page does not list them: a deviation, each one a README choice."""


# The "Authorized User Types" of every operation page on Adobe Experience League
# (DOCS_URL + page + ".html"), read on 2026-12-07. The pages are listed alphabetically; the rows are grouped by
# area here. Typos and repeated roles of a page are noted above its row. An operation whose page is missing or lists
# no role is marked "undocumented" and takes the roles of the sibling named by ``like``, or ADMIN_ROLES when it has
# none (README, Choices).
# fmt: off
ROLE_TABLE: Final[Mapping[str, RoleEntry]] = {
    # ---- login, companies, system
    "checkLogin":                       RoleEntry("r-check-login", "U A CA TA TU PA PU PC PCU"),
    # The page does not list IpsCompanyAdmin. Kept allowed, as before this table: Adobe's "Handles" section tells
    # every client to get its company handle from getCompanyInfo (README, Choices).
    "getCompanyInfo":                   RoleEntry("r-get-company-info", "U A TA TU PA PU PC PCU", also="CA"),
    "getAllCompanies":                  RoleEntry("r-get-all-companies", "A"),
    "addCompany":                       RoleEntry("r-add-company", "A TA PA"),
    "getCompanySettings":               RoleEntry("r-get-company-settings", "A CA TA PA"),
    "setCompanySettings":               RoleEntry("r-set-company-settings", "A CA TA PA"),
    "getDiskUsage":                     RoleEntry("r-get-disk-usage", "A CA TA PA"),
    "getSystemProperties":              RoleEntry("r-get-system-properties", "U A CA PA PC PCU PU TA TU"),
    "getProperty":                      RoleEntry("r-get-property", "U A CA TA TU PA PU PC PCU"),
    "getSearchStrings":                 RoleEntry("r-get-search-strings", "A CA TA PA"),
    # ---- users and company membership
    "addUser":                          RoleEntry("r-add-user", "A CA TA PA"),
    "getUsers":                         RoleEntry("r-get-users", "A CA TA PA"),
    "getAllUsers":                      RoleEntry("r-get-all-users", "A CA TA PA"),
    "getUserInfo":                      RoleEntry("r-get-user-info", "U A CA TA TU PA PU PC PCU"),
    "setUserInfo":                      RoleEntry("r-set-user-info", "A CA TA PA"),
    "getUserChars":                     RoleEntry("r-get-user-chars", "A CA TA PA"),
    # only IpsAdmin may set another user's password, the page notes
    "setPassword":                      RoleEntry("r-set-password", "A CA U TA TU PA PC PCU PU"),
    "generatePassword":                 RoleEntry("r-generate-password", "U A CA TA TU PA PU PC PCU"),
    "getCompanyMembers":                RoleEntry("r-get-company-members", "A CA TA PA"),
    # the page lists ImagePortalAdmin twice
    "getCompanyMembership":             RoleEntry("r-get-company-membership", "U A CA TA PA TU PA PU PC PCU"),
    "addCompanyMembership":             RoleEntry("r-add-company-membership", "A CA TA PA"),
    "setCompanyMembership":             RoleEntry("r-set-company-membership", "A CA TA PA"),
    "removeCompanyMembership":          RoleEntry("r-remove-company-membership", "A CA TA PA"),
    # ---- groups
    "getGroups":                        RoleEntry("r-get-groups", "A CA PA"),
    "saveGroup":                        RoleEntry("r-save-group", "A CA PA"),
    "deleteGroup":                      RoleEntry("r-delete-group", "A CA PA"),
    "getGroupMembers":                  RoleEntry("r-get-group-members", "A CA PA"),
    "addGroupMembers":                  RoleEntry("r-add-group-members", "A CA PA"),
    "setGroupMembers":                  RoleEntry("r-set-group-members", "A CA PA"),
    "removeGroupMembers":               RoleEntry("r-remove-group-members", "A CA PA"),
    "getGroupMembership":               RoleEntry("r-get-group-membership", "U A CA PA PU PC PCU"),
    "addGroupMembership":               RoleEntry("r-add-group-membership", "A CA PA"),
    "setGroupMembership":               RoleEntry("r-set-group-membership", "A CA PA"),
    "removeGroupMembership":            RoleEntry("r-remove-group-membership", "A CA PA"),
    # ---- jobs and uploads
    "submitJob":                        RoleEntry("r-submit-job", "U A TA TU PA PC PCU"),
    # the page lists TrialSiteAdmin twice
    "executeJob":                       RoleEntry("r-execute-job", "U A TA TA TU PA PC PCU"),
    "getActiveJobs":                    RoleEntry("r-get-active-jobs", "U A CA TA TU PA PC PCU"),
    "getScheduledJobs":                 RoleEntry("r-get-scheduled-jobs", "U A CA TA TU PA PC PCU"),
    "stopJob":                          RoleEntry("r-stop-job", "U A CA TA TU PA PC PCU"),
    "pauseJob":                         RoleEntry("r-pause-job", "U A CA TA TU PA PC PCU"),
    "resumeJob":                        RoleEntry("r-resume-job", "U A CA TA TU PA PC PCU"),
    "deleteJob":                        RoleEntry("r-delete-job", "U A CA TA TU PA PC PCU"),
    "getJobLogs":                       RoleEntry("r-get-job-logs", "U A CA TA TU PA PU PC PCU"),
    "getAssetJobLogs":                  RoleEntry("r-get-asset-job-logs", "U A CA TA TU PA PU PC PCU"),
    "getJobLogDetails":                 RoleEntry("r-get-job-log-details", "U A CA TU PA PU PC PCU"),
    # undocumented: no page; HTTP POST uploads run as a job
    "uploadPost":                       RoleEntry(None, like="submitJob"),
    # ---- folders
    "getFolders":                       RoleEntry("r-get-folders", "U A CA TA TU PA PU PC PCU"),
    "getFolderTree":                    RoleEntry("r-get-folder-tree", "U A CA TA TU PC PCU"),
    "createFolder":                     RoleEntry("r-create-folder", "U A CA PA PC PCU"),
    "deleteFolder":                     RoleEntry("r-delete-folder", "U A CA PA PC PCU"),
    "moveFolder":                       RoleEntry("r-move-folder", "U A CA PA PC PCU"),
    "renameFolder":                     RoleEntry("r-rename-folder", "U A CA PA PC PCU"),
    "setFolderPermissions":             RoleEntry("r-set-folder-permissions", "A CA PA"),
    "updateFolderPermissions":          RoleEntry("r-update-folder-permissions", "A CA PA"),
    "removeFolderPermissions":          RoleEntry("r-remove-folder-permissions", "A CA PA"),
    # ---- assets
    # the page lists TrialSiteUser and ImagePortalAdmin twice
    "searchAssets":                     RoleEntry("r-search-assets", "U A CA TA TU PA TU PA PU PC PCU"),
    "getAssets":                        RoleEntry("r-get-assets", "U A CA TA TU PA PU PC PCU"),
    "getAssetsByName":                  RoleEntry("r-get-assets-by-name", "U A CA TA TU PA PC PCU"),
    "getAssetCounts":                   RoleEntry("r-get-asset-counts", "U A CA TA TU PA PU PC PCU"),
    "getAssociatedAssets":              RoleEntry("r-get-associated-assets", "U A CA TA TU PA PU PC PCU"),
    # a beta operation with no page: edits an asset as renaming one does
    "updateSmartCrops":                 RoleEntry(None, like="renameAsset"),
    "checkAssetNames":                  RoleEntry("r-check-asset-names", "U A PA PC PCU PU TA TU"),
    "getOriginalFilePaths":             RoleEntry("r-get-original-file-paths", "U A CA TA TU PC PCU"),
    "getZipEntries":                    RoleEntry("r-get-zip-entries", "U A CA TA TU PA PU PC PCU"),
    "getGenerationInfo":                RoleEntry("r-get-generation-info", "U A CA TA TU PA PU PC PCU"),
    "getAutoCropRect":                  RoleEntry("r-get-auto-crop-rect", "A CA U PA PU PC PCU"),
    "getPhotoshopPath":                 RoleEntry("r-get-photoshop-path", "A CA U PA PU PC PCU"),
    "getPhotoshopPathNames":            RoleEntry("r-get-photoshop-path-names", "A CA U PA PU PC PCU"),
    "copyImage":                        RoleEntry("r-copy-image", "U A CA PA PC PCU"),
    "replaceImage":                     RoleEntry("r-replace-image", "U A CA PA PC PCU"),
    "createDerivedAsset":               RoleEntry("r-create-derived-asset", "U A CA PA PC PCU"),
    "createTemplate":                   RoleEntry("r-create-template", "U A PA PC PCU"),
    # the page spells ImagePortalContribUser "ImpagePortalContribUser"
    "renameAsset":                      RoleEntry("r-rename-asset", "U A CA PA PC PCU"),
    "moveAsset":                        RoleEntry("r-move-asset", "U A CA PA PC PCU"),
    "moveAssets":                       RoleEntry("r-move-assets", "U A CA PA PC PCU"),
    "deleteAsset":                      RoleEntry("r-delete-asset", "U A CA PA PC PCU"),
    # the page spells IpsAdmin "IspAdmin"
    "deleteAssets":                     RoleEntry("r-delete-assets", "U A CA PA PC PCU"),
    "emptyAssetsFromTrash":             RoleEntry("r-empty-assets-from-trash", "U A CA PA PC PCU"),
    "restoreAssetsFromTrash":           RoleEntry("r-restore-assets-from-trash", "U A CA PA PC PCU"),
    "batchSetImageFields":              RoleEntry("r-batch-set-image-fields", "U A CA PA PC PCU"),
    "batchSetFontFields":               RoleEntry("r-batch-set-font-fields", "U A CA PC PCU"),
    "batchSetIccProfileFields":         RoleEntry("r-batch-set-icc-profile-fields", "U A CA PA PC PCU"),
    "batchSetThumbAsset":               RoleEntry("r-batch-set-thumb-asset", "U A CA PA PC PCU"),
    "setUrlModifier":                   RoleEntry("r-set-url-modifier", "U A CA PA PC PCU"),
    # undocumented: no page (4.5 restricted use); admin roles
    "removeMask":                       RoleEntry(None),
    "setAssetPermissions":              RoleEntry("r-set-asset-permissions", "A CA PA"),
    "updateAssetPermissions":           RoleEntry("r-update-asset-permissions", "A CA PA"),
    "removeAssetPermissions":           RoleEntry("r-remove-asset-permissions", "A CA PA"),
    # ---- asset sets and image sets
    "createAssetSet":                   RoleEntry("r-create-asset-set", "U A CA PA PC PCU"),
    # undocumented: the page lists no roles
    "updateAssetSet":                   RoleEntry("r-update-asset-set", like="createAssetSet"),
    "setAssetSetDefinition":            RoleEntry("r-set-asset-set-definition", "U A CA PA PC PCU"),
    "createImageSet":                   RoleEntry("r-create-image-set", "U A CA PA PC PCU"),
    # undocumented: the page lists no roles
    "updateImageSet":                   RoleEntry("r-update-image-set", like="createImageSet"),
    "getImageSetMembers":               RoleEntry("r-get-image-set-members", "U A CA TA TU PU PC PCU"),
    "setImageSetMembers":               RoleEntry("r-set-image-set-members", "U A CA PA PC PCU"),
    # ---- image maps and zoom targets
    "saveImageMap":                     RoleEntry("r-save-image-map", "U A CA PA PC PCU"),
    "setImageMaps":                     RoleEntry("r-set-image-maps", "U A CA PA PC PCU"),
    "deleteImageMap":                   RoleEntry("r-delete-image-map", "U A CA PA PC PCU"),
    "saveZoomTarget":                   RoleEntry("r-save-zoom-target", "U A CA PA PC PCU"),
    "setZoomTargets":                   RoleEntry("r-set-zoom-targets", "U A CA PA PC PCU"),
    "deleteZoomTarget":                 RoleEntry("r-delete-zoom-target", "U A CA PA PC PCU"),
    # ---- metadata
    "getMetadataFields":                RoleEntry("r-get-metadata-fields", "U A CA PA PU PC PCU"),
    "getAssetMetadataFields":           RoleEntry("r-get-asset-metadata-fields", "U A CA PA PU PC PCU"),
    "createMetadataField":              RoleEntry("r-create-metadata-field", "A"),
    "saveMetadataField":                RoleEntry("r-save-metadata-field", "U A CA PA"),
    "updateMetadataField":              RoleEntry("r-update-metadata-field", "A CA PA"),
    "deleteMetadataField":              RoleEntry("r-delete-metadata-field", "A CA PA"),
    "setAssetMetadata":                 RoleEntry("r-set-asset-metadata", "U A CA PA PC PCU"),
    "batchSetAssetMetadata":            RoleEntry("r-batch-set-asset-metadata", "U A CA PA PC PCU"),
    "deleteAssetMetadata":              RoleEntry("r-delete-asset-metadata", "U A CA PA PC PCU"),
    "getXMPPacket":                     RoleEntry("r-get-xmp-packet", "U A CA PA PU PC PCU"),
    # the page spells ImagePortalContribUser "ImagePortalcontribUser"
    "updateXMPPacket":                  RoleEntry("r-update-xmp-packet", "U A CA PA PU PC PCU"),
    "searchAssetsByMetadata":           RoleEntry("r-search-assets-by-metadata", "U A CA PA PU PC PCU"),
    "getDistinctMetadataValues":        RoleEntry("r-get-distinct-metadata-values", "U A CA PA PU PC PCU"),
    "getUniqueMetadataValues":          RoleEntry("r-get-unique-metadata-values", "U A CA PA PU PC PCU"),
    "getTagFieldValues":                RoleEntry("r-get-tag-field-values", "U A CA TA TU PA PU PC PCU"),
    "addTagFieldValues":                RoleEntry("r-add-tag-field-values", "A CA PA"),
    "setTagFieldValues":                RoleEntry("r-set-tag-field-values", "A CA PA"),
    "updateTagFieldValues":             RoleEntry("r-update-tag-field-values", "A CA PA"),
    "deleteTagFieldValues":             RoleEntry("r-delete-tag-field-values", "A CA PA"),
    # ---- property sets
    "getPropertySetTypes":              RoleEntry("r-get-property-set-types", "U A CA TA TU PA PU PC PCU"),
    "getPropertySetType":               RoleEntry("r-get-property-set-type", "U A CA TA TU PA PU PC PCU"),
    "createPropertySetType":            RoleEntry("r-create-property-set-type", "A CA TA PA"),
    "deletePropertySetType":            RoleEntry("r-delete-property-set-type", "A CA TA PA"),
    "getPropertySets":                  RoleEntry("r-get-property-sets", "U A CA TA TU PA PU PC PCU"),
    "createPropertySet":                RoleEntry("r-create-property-set", "A CA TA PA"),
    "updatePropertySet":                RoleEntry("r-update-property-set", "U A CA TA TU PA PU PC PCU"),
    "deletePropertySet":                RoleEntry("r-delete-property-set", "A CA TA PA"),
    # undocumented: no page (4.5 restricted use)
    "setPropertySetPermissions":        RoleEntry(None, like="setFolderPermissions"),
    # undocumented: no page (4.5 restricted use)
    "updatePropertySetPermissions":     RoleEntry(None, like="updateFolderPermissions"),
    # undocumented: no page (4.5 restricted use)
    "removePropertySetPermissions":     RoleEntry(None, like="removeFolderPermissions"),
    # ---- projects
    "getProjects":                      RoleEntry("r-get-projects", "U A TA TU PC PCU"),
    "createProject":                    RoleEntry("r-create-project", "U A CA PA PC PCU"),
    "renameProject":                    RoleEntry("r-rename-project", "U A CA PA PC PCU"),
    "deleteProject":                    RoleEntry("r-delete-project", "U A CA PA PC PCU"),
    "addProjectAssets":                 RoleEntry("r-add-project-assets", "U A CA PA PC PCU"),
    "setProjectAssets":                 RoleEntry("r-set-project-assets", "U A CA PA PC PCU"),
    # the page does not list IpsAdmin
    "removeProjectAssets":              RoleEntry("r-remove-project-assets", "U CA PA PC PCU"),
    # ---- publishing
    "setAssetPublishState":             RoleEntry("r-set-asset-publish-state", "U A CA PC PCU"),
    "setAssetsPublishState":            RoleEntry("r-set-assets-publish-state", "U A CA PA PC PCU"),
    "setAssetsContextState":            RoleEntry("r-set-asset-context-state", "U A CA TA TU PA PU PC PCU"),
    "getPublishContexts":               RoleEntry("r-get-publish-contexts", "U A CA TA TU PA PU PC PCU"),
    "getActivePublishContexts":         RoleEntry("r-get-active-publish-contexts", "U A CA TA TU PA PU PC PCU"),
    "batchGetAssetPublishContexts":     RoleEntry("r-batch-get-asset-publish-contexts", "U A CA TA TU PA PU PC PCU"),
    "getAssetPublishHistory":           RoleEntry("r-get-asset-publish-history", "U A CA TA TU PA PU PC PCU"),
    "forceRepublishAssets":             RoleEntry("r-force-republish-assets", "U A CA PA PC PCU"),
    "getImageServingPublishSettings":   RoleEntry("r-get-image-serving-publish-settings", "A CA TA PA"),
    # undocumented: the page lists no roles
    "setImageServingPublishSettings": RoleEntry(
        "r-set-image-serving-publish-settings", like="getImageServingPublishSettings"
    ),
    # undocumented: no page
    "getImageServingCatalog":           RoleEntry(None, like="getImageServingPublishSettings"),
    "getImageRenderingPublishSettings": RoleEntry("r-get-image-rendering-publish-settings", "A CA TA PA"),
    # undocumented: the page lists no roles
    "setImageRenderingPublishSettings": RoleEntry(
        "r-set-image-rendering-publish-settings", like="getImageRenderingPublishSettings"
    ),
    # undocumented: no page
    "getImageRenderingCatalog":         RoleEntry(None, like="getImageRenderingPublishSettings"),
    # the page spells IpsAdmin "IspAdmin"
    "getImageFormats":                  RoleEntry("r-get-image-formats", "U A CA PA PU PC PCU"),
    "saveImageFormat":                  RoleEntry("r-save-image-format", "U A CA PA"),
    "deleteImageFormat":                RoleEntry("r-delete-image-format", "U A CA PA"),
    "cdnCacheInvalidation":             RoleEntry("r-cdn-cache-invalidation", "A CA"),
    # undocumented: no page (deprecated)
    "getCdnCacheInvalidationStatus":    RoleEntry(None, like="cdnCacheInvalidation"),
    # ---- viewers and vignettes
    "createViewerPreset":               RoleEntry("r-create-viewer-preset", "A CA TA PA"),
    "getViewerConfigSettings":          RoleEntry("r-get-viewer-config-settings", "A CA TA PA"),
    "setViewerConfigSettings":          RoleEntry("r-set-viewer-config-settings", "A CA TA PA"),
    "updateViewerConfigSettings":       RoleEntry("r-update-viewer-config-settings", "A CA TA PA"),
    "getVignettePublishFormats":        RoleEntry("r-get-vignette-publish-formats", "A CA TA PA"),
    "createVignettePublishFormat":      RoleEntry("r-create-vignette-publish-format", "A CA TA PA"),
    "updateVignettePublishFormat":      RoleEntry("r-update-vignette-publish-format", "A CA TA PA"),
    "deleteVignettePublishFormat":      RoleEntry("r-delete-vignette-publish-format", "A CA TA PA"),
    # ---- Media Portal (deprecated)
    # undocumented: no page (deprecated); admin roles
    "addMediaPortalEvent":              RoleEntry(None),
    # undocumented: no page (deprecated); admin roles
    "getMediaPortalEvent":              RoleEntry(None),
}
# fmt: on


def _roles(entry: RoleEntry) -> frozenset[Role]:
    if entry.listed:
        return frozenset(ROLE_CODES[code] for code in f"{entry.listed} {entry.also}".split())
    if entry.like is not None:
        sibling = ROLE_TABLE[entry.like]
        if not sibling.listed:
            raise ValueError(f"the sibling {entry.like!r} is itself undocumented")
        return _roles(sibling)
    return ADMIN_ROLES


OPERATION_ROLES: Final[Mapping[str, frozenset[Role]]] = {
    operation: _roles(entry) for operation, entry in ROLE_TABLE.items()
}
"""The roles allowed to call each operation of ``ROLE_TABLE``."""


def may_call(role: Role, operation: str) -> bool:
    """Whether ``role`` may call ``operation``; an operation missing from the table is refused."""
    allowed = OPERATION_ROLES.get(operation)
    return allowed is not None and role in allowed


def page_url(operation: str) -> str | None:
    """The Experience League page the operation's roles were read from, if Adobe publishes one."""
    entry = ROLE_TABLE.get(operation)
    if entry is None or entry.page is None:
        return None
    return f"{DOCS_URL}{entry.page}.html"
