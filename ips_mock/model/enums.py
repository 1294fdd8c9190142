"""Allowed values of the IPS API's enum-like string fields (all plain xsd:string on the wire).

Source: Adobe's IPS API documentation (Experience League, "Dynamic Media Image Production System API"),
English pages, read 2026-11-23. The page paths in the comments below are relative to
https://experienceleague.adobe.com/en/docs/dynamic-media-developer-resources/image-production-api/
(the Markdown sources are in github.com/AdobeDocs/dynamic-media-developer-resources.en under help/aem-ips-api/).

Only values that a documentation page actually lists are recorded. The spelling is Adobe's, typos included:
the server compares these case-sensitively (the UnCompressOptions page says so explicitly).
Fields whose values are not documented are listed in the comment block at the end and are not validated.

Keys are "WsdlTypeName/field", except the shared keys "emailSetting" (every job type's emailSetting field) and
"sortDirection" (getJobLogsParam and getJobLogDetailsParam), and the operation keys "getJobLogs/sortBy",
"getJobLogDetails/sortBy" and "getJobLogDetails/logTypeArray" (the values allowed for each of its items).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

__all__ = ["ENUMS", "JOB_LOG_TYPES"]

# sting-constants/r-job-log-types ("Used by JobLogDetail/logType and JobLog/logType"); IPS-REFERENCE §6.3.
# Spelled exactly as Adobe spells them, including the typos endReoptimize, ImageRenderingPublishCleanupsuccess,
# VideoPubilshSuccess and FleEnd. The page lists EndAssetMigration twice, and shows "BeginVideoPubl]ish",
# a markup slip for BeginVideoPublish.
JOB_LOG_TYPES: Final = frozenset(
    {
        # Image Serving publish
        "BeginImageServingPublish",
        "EndImageServingPublish",
        "ImageServingPublishSuccess",
        "ImageServingPublishError",
        "ImageServingPublishWarning",
        # Upload
        "BeginUpload",
        "EndUpload",
        "UploadError",
        "UploadSuccess",
        "UploadWarning",
        # Asset migration
        "BeginAssetMigration",
        "EndAssetMigration",
        "AssetMigrationFailure",
        "AssetMigrationSuccess",
        # Delete / empty trash
        "BeginDelete",
        "EndDelete",
        "BeginEmptyTrash",
        "EndEmptyTrash",
        "EmptyTrashSuccess",
        # Get
        "BeginGet",
        "EndGet",
        "GetFailure",
        "ReturnSuccess",
        # Image Rendering publish
        "BeginImageRenderingPublish",
        "EndImageRenderingPublish",
        "ImageRenderingPublishError",
        "ImageRenderingPublishSuccess",
        "BeginImageRenderingPublishCleanup",
        "EndImageRenderingPublishCleanupFailure",
        "ImageRenderingPublishCleanupsuccess",
        # Mark / unmark for publish
        "BeginMarkForPublish",
        "EndMarkForPublish",
        "MarkForPublishFailure",
        "MarkForPublishSuccess",
        "BeginUnmarkForPublish",
        "EndUnmarkForPublish",
        "UnmarkForPublishSuccess",
        # Metadata
        "BeginMetadata",
        "EndMetadata",
        "MetadataFailure",
        "MetadataSuccess",
        # PDF rip
        "BeginPdfRip",
        "PdfRipError",
        # Image Serving publish cleanup
        "BeginImageServingPublishCleanup",
        "EndImageServingPublishCleanup",
        "ImageServingPublishCleanupFailure",
        "ImageServingPublishCleanupSuccess",
        # Publish to Cm / Wc
        "BeginPublishToCm",
        "EndPublishToCm",
        "PublishToCmError",
        "PublishToCmSuccess",
        "BeginPublishToWc",
        "PublishToWcSuccess",
        # Server directory publish
        "BeginServerDirectoryPublish",
        "EndServerDirectoryPublish",
        "ServerDirectoryPublishError",
        "ServerDirectoryPublishSuccess",
        "ServerDirectoryPublishWarning",
        # Reoptimize
        "BeginReoptimize",
        "endReoptimize",
        "ReoptimizeSuccess",
        "ReoptimizeFailure",
        # Trash / restore
        "BeginTrash",
        "EndTrash",
        "TrashFailure",
        "TrashSuccess",
        "TrashWarning",
        "BeginRestoreTrash",
        "EndRestoreTrash",
        "RestoreTrashSuccess",
        "RecoverTrashSuccess",
        # Template merge
        "BeginTemplateMerge",
        "EndTemplateMerge",
        "TemplateMergeError",
        "TemplateMergeSuccess",
        # Upload URLs
        "BeginUploadUrls",
        "EndUploadUrls",
        # Video publish
        "BeginVideoPublish",
        "EndVideoPublish",
        "VideoPublishError",
        "VideoPubilshSuccess",
        "VideoPublishWarning",
        "BeginVideoPublishCleanup",
        "EndVideoPublishCleanup",
        "VideoPublishCleanupFailure",
        "VideoPublishCleanupSuccess",
        # File level
        "DeleteFailure",
        "DeleteSuccess",
        "DuplicateSkipped",
        "FatalError",
        "FileBegin",
        "FileCancel",
        "FleEnd",
        "FileProgress",
        "FileUpdated",
        # Job information (the value itself is in logMessage)
        "InitiatingJobName",
        "JobClient",
        "JobType",
        "OriginalJobName",
        "TotalFileCount",
    }
)

_CORNERS: Final = frozenset({"UpperLeft", "BottomLeft", "UpperRight", "BottomRight"})

# PostScript Colorspace Modes; PDFOptions/colorspace points to the same list (see below).
_POSTSCRIPT_COLORSPACES: Final = frozenset({"Auto", "Rgb", "Cmyk", "Gray"})

ENUMS: Final[Mapping[str, frozenset[str]]] = {
    # sting-constants/r-publish-types ("Used by ImageServingPublishJob/publishType").
    "ImageServingPublishJob/publishType": frozenset({"Full", "FullWithSearch", "Incremental"}),
    # sting-constants/r-email-settings. Its "Used By" list names only ImageServingPublishJob,
    # ImageRenderingPublishJob, VideoPublishJob, ServerDirectoryPublishJob, UploadDirectoryJob and "UploadUrlJob";
    # data-types/r-exportjob repeats the same five values for ExportJob/emailSetting. Every other job type's
    # emailSetting ("Choice of email settings") is taken to use the same list. There is no "Warning" value.
    "emailSetting": frozenset({"All", "Error", "ErrorAndWarning", "JobCompletion", "None"}),
    # data-types/r-exportjob: "Possible Values: [orig, convert]" (lower case).
    "ExportJob/fmt": frozenset({"orig", "convert"}),
    # data-types/r-photoshop-options ("Photoshop process options"). The es-ES page translates MaintainLayers
    # ("MantenerCapas") and several pages translate None; the English page has None and MaintainLayers.
    "PhotoshopOptions/process": frozenset({"None", "MaintainLayers"}),
    # sting-constants/r-photoshop-layer-naming-modes. The page says "Used by PhotoshopOptions/layerNaming";
    # the field is in PhotoshopLayerOptions (data-types/r-photoshop-layer-options: "Choice of Photoshop Layer
    # Naming Modes").
    "PhotoshopLayerOptions/layerNaming": frozenset({"LayerName", "AppendNumber", "AppendName", "Folders"}),
    # sting-constants/r-photoshop-anchor-modes ("used by PhotoshopOptions/anchor"; the field is in
    # PhotoshopLayerOptions: "Choice of Photoshop Anchor Modes").
    "PhotoshopLayerOptions/anchor": frozenset(
        {"Center", "North", "Northwest", "West", "Southwest", "South", "Southeast", "East", "Northeast"}
    ),
    # change-log/version-4-0/r-4-0-new, table of PostScriptOptions: process None or Rasterize (the default).
    # There is no "PostScript Processes" string-constant page; data-types/r-post-script-options only says
    # "PostScript process choice".
    "PostScriptOptions/process": frozenset({"None", "Rasterize"}),
    # sting-constants/r-postscript-colorspace-modes ("Used by PostScriptOptions/colorspace").
    "PostScriptOptions/colorspace": _POSTSCRIPT_COLORSPACES,
    # sting-constants/r-pdf-processes (which says "Used by PDFOptions/type"; the field is PDFOptions/process,
    # data-types/r-pdf-options: "Choice of PDF processes"). The 4.0 change log lists only None and Rasterize
    # (the default); the later constants page adds Thumbnail. A real getActiveJobs echo showed "render" as the
    # server default (IPS-REFERENCE §7.4), so a client that sends it back must not be refused.
    "PDFOptions/process": frozenset({"None", "Rasterize", "Thumbnail", "render"}),
    # data-types/r-pdf-options: colorspace is a "Post-script Colorspace Mode choice", that is the list of
    # sting-constants/r-postscript-colorspace-modes. (The 4.0 change log leaves the value cell empty.)
    "PDFOptions/colorspace": _POSTSCRIPT_COLORSPACES,
    # sting-constants/r-illustrator-processes ("Used by Illustrator/processes"); the 4.0 change log agrees
    # (None, or Rasterize as the default).
    "IllustratorOptions/process": frozenset({"None", "Rasterize"}),
    # sting-constants/r-color-management-modes ("Used by ColorManagementOptions/colorManagement").
    "ColorManagementOptions/colorManagement": frozenset({"Default", "MaintainOriginal", "Convert"}),
    # data-types/r-knockout-background-options: corner "accepts these values", and the schema comment
    # "corner one of UpperLeft, BottomLeft, UpperRight, BottomRight".
    "KnockoutBackgroundOptions/corner": _CORNERS,
    # data-types/r-knockout-background-options: "one of FloodFill or MatchPixel is required".
    "KnockoutBackgroundOptions/fillMethod": frozenset({"FloodFill", "MatchPixel"}),
    # sting-constants/r-auto-crop-corner ("Used by AutoCropColorOptions/corner", sic; data-types/
    # r-auto-color-crop-options: "Choice of AutoCrop Corner"). Same four values as the knockout corner.
    "AutoColorCropOptions/corner": _CORNERS,
    # data-types/r-uncompress-options: None (the default) or UnCompress; the page stresses that the constants
    # are case sensitive ("Use UnCompress, not uncompress or unCompress").
    "UnCompressOptions/process": frozenset({"None", "UnCompress"}),
    # sting-constants/r-job-log-sort-fields ("Used by getJobLogsParam/sortBy").
    "getJobLogs/sortBy": frozenset(
        {
            "JobName",
            "LogType",
            "StartDate",
            "CompanyName",
            "UserId",
            "Email",
            "FileErrorCount",
            "FileWarningCount",
            "FileSuccessCount",
        }
    ),
    # operation-methods/operation-parameters/r-get-job-log-details: "One of the Job Detail Sort Field constant
    # values (Date or LogType). The default value is Date." There is no separate constants page for it.
    "getJobLogDetails/sortBy": frozenset({"Date", "LogType"}),
    # operation-methods/operation-parameters/r-get-job-log-details: logTypeArray holds "One or more Log Type
    # constants", i.e. sting-constants/r-job-log-types. Each item must be one of these.
    "getJobLogDetails/logTypeArray": JOB_LOG_TYPES,
    # sting-constants/r-sort-directions ("Used by searchAssetsParam/sortDirection and
    # getJobLogsParam/sortDirection"); getJobLogDetails refers to "the Sort Direction string constants" too and
    # gives its default in prose as "ascending" (lower case; the constant is Ascending).
    "sortDirection": frozenset({"Ascending", "Descending"}),
}

# Not documented; not validated.
#   IllustratorOptions/colorspace - data-types/r-illustrator-options (which spells the field "colorSpace"; the
#       WSDL has "colorspace") only says "Target color space", and the 4.0 change log leaves the value cell empty.
#       No list is given. (Third-party sample code sends "Auto", but that is not documentation.)
#   InDesignOptions/process - there is no InDesignOptions data-type page; the job-type pages only say "Options
#       for uploading InDesign files to the server". No list is given.
