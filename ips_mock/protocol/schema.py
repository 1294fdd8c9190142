"""Our own description of the IPS types ips-mock serves, written by hand.

The real WSDLs never ship in this package. Tests compare this description, field by field (name, order, type,
minOccurs, maxOccurs), with ``IpsApi-2014-04-03.wsdl`` and ``IpsApi-2013-02-15.wsdl``; the served WSDL, the
request decoder and the reply encoder are all driven by it.

A field list is written as ``"name:type name:type? name:type*"``: ``?`` is minOccurs="0", ``*`` is
minOccurs="0" maxOccurs="unbounded", no mark is required. Lower-case types are XML Schema built-ins; capitalised
types are complex types of the versioned namespace.

Version rules (IPS-REFERENCE §1.4, §5.9, §5.10; where no WSDL exists the README's Choices table says why):

* 2014-04-03 is the base; the betas add the optional fields Adobe's javadoc shows.
* 2013-02-15 and 2012-02-14 follow the 2013 WSDL.
* 2010-01-31 and older also lack ``TaskProgress/taskState`` (observed; the changelog dates it to 6.0).
* 2008-09-10 and older lack the ``transfer*Count`` job log fields (added in 4.4).
* pre-4.0 lacks ``JobLog`` ``endDate``, ``fileDuplicateCount`` and ``fileUpdateCount`` (added in 4.0).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Final, Literal

from .ns import API_VERSIONS, ApiVersion

__all__ = [
    "FAULT_ELEMENTS",
    "LEGACY_AUTH_HEADER",
    "SIMPLE_TYPES",
    "ComplexType",
    "Field",
    "Schema",
    "schema_for",
    "wsdl_operations",
]

SIMPLE_TYPES: Final = frozenset({"string", "int", "long", "boolean", "double", "dateTime"})


@dataclass(frozen=True, slots=True)
class Field:
    """One element of a complex type's sequence."""

    name: str
    type: str
    required: bool = True
    repeated: bool = False

    @property
    def is_simple(self) -> bool:
        return self.type in SIMPLE_TYPES


@dataclass(frozen=True, slots=True)
class ComplexType:
    """A named complexType, or the anonymous type of a global element (``<op>Param``, ``<op>Return``)."""

    name: str
    fields: tuple[Field, ...]
    group: Literal["sequence", "all"] = "sequence"
    any_attribute: bool = False

    def field(self, name: str) -> Field | None:
        for f in self.fields:
            if f.name == name:
                return f
        return None

    @property
    def array_item(self) -> Field | None:
        """The ``items`` field when this is an ``XArray`` type (one repeated ``items`` element), else None."""
        if len(self.fields) == 1 and self.fields[0].name == "items" and self.fields[0].repeated:
            return self.fields[0]
        return None


def _fields(spec: str) -> tuple[Field, ...]:
    out = []
    for token in spec.split():
        name, _, type_ = token.partition(":")
        if type_.endswith("*"):
            out.append(Field(name, type_[:-1], required=False, repeated=True))
        elif type_.endswith("?"):
            out.append(Field(name, type_[:-1], required=False))
        else:
            out.append(Field(name, type_))
    return tuple(out)


def _array(item_type: str) -> str:
    return f"items:{item_type}*"


@dataclass(frozen=True)
class Schema:
    """The types and global elements of one API version's namespace."""

    version: ApiVersion
    types: Mapping[str, ComplexType]
    elements: Mapping[str, ComplexType]

    @property
    def namespace(self) -> str:
        return self.version.namespace

    def type(self, name: str) -> ComplexType:
        return self.types[name]

    def param(self, operation: str) -> ComplexType | None:
        return self.elements.get(f"{operation}Param")

    def result(self, operation: str) -> ComplexType | None:
        return self.elements.get(f"{operation}Return")

    @property
    def operations(self) -> tuple[str, ...]:
        """The operations this description has both a Param and a Return element for."""
        return tuple(
            name[: -len("Param")]
            for name in self.elements
            if name.endswith("Param") and f"{name[: -len('Param')]}Return" in self.elements
        )

    @property
    def versioned_auth_header(self) -> ComplexType | None:
        """The ``authHeader`` element of this namespace (2014 and later), or None (the binding uses flt)."""
        return self.elements.get("authHeader")

    def referenced_types(self, roots: Iterable[ComplexType]) -> list[ComplexType]:
        """Every named complex type reachable from ``roots``, in first-reached order."""
        seen: dict[str, ComplexType] = {}
        stack = list(roots)
        while stack:
            ctype = stack.pop(0)
            for f in ctype.fields:
                if not f.is_simple and f.type not in seen:
                    seen[f.type] = self.types[f.type]
                    stack.append(seen[f.type])
        return list(seen.values())


# --------------------------------------------------------------------------------------------------------------
# The flt: namespace (faults and the legacy authHeader). Same in every version.

_FAULT_FIELDS = _fields("code:int reason:string")

FAULT_ELEMENTS: Final = {
    name: ComplexType(name, _FAULT_FIELDS, any_attribute=True)
    for name in ("ipsApiFault", "authenticationFault", "authorizationFault")
}

_AUTH_HEADER_FIELDS = (
    "user:string? password:string? accessToken:string? locale:string? appName:string appVersion:string "
    "gzipResponse:boolean? faultHttpStatusCode:int?"
)

LEGACY_AUTH_HEADER: Final = ComplexType(
    "authHeader",
    tuple(replace(f, required=False) for f in _fields(_AUTH_HEADER_FIELDS)),
    group="all",
    any_attribute=True,
)


# --------------------------------------------------------------------------------------------------------------
# The versioned namespace, 2014-04-03.

# The job-type fields of submitJobParam and ScheduledJob (IPS-REFERENCE §4.1, §5.2);
# ActiveJob also has uploadPostJob.
_SUBMITTABLE_JOB_FIELDS: Final = (
    "imageServingPublishJob:ImageServingPublishJob? imageRenderingPublishJob:ImageRenderingPublishJob? "
    "videoPublishJob:VideoPublishJob? serverDirectoryPublishJob:ServerDirectoryPublishJob? "
    "metadataPublishJob:MetadataPublishJob? uploadDirectoryJob:UploadDirectoryJob? "
    "uploadUrlsJob:UploadUrlsJob? optimizeImagesJob:OptimizeImagesJob? ripPdfsJob:RipPdfsJob? "
    "reprocessAssetsJob:ReprocessAssetsJob? createVideoSitemapJob:CreateVideoSitemapJob? "
    "exportJob:ExportJob? automatedSetGenerationJob:AutomatedSetGenerationJob?"
)

_TYPES_2014: Final = {
    "Company": "companyHandle:string name:string rootPath:string expires:dateTime? imsOrgId:string?",
    # Arrays (§5).
    "HandleArray": _array("string"),
    "StringArray": _array("string"),
    "ActiveJobArray": _array("ActiveJob"),
    "ScheduledJobArray": _array("ScheduledJob"),
    "JobLogArray": _array("JobLog"),
    "JobLogDetailArray": _array("JobLogDetail"),
    "JobLogDetailAuxArray": _array("JobLogDetailAux"),
    "AssetJobLogArray": _array("AssetJobLog"),
    "TaskProgressArray": _array("TaskProgress"),
    "TaskItemProgressArray": _array("TaskItemProgress"),
    "UploadUrlArray": _array("UploadUrl"),
    # Jobs and job logs (§5.1-§5.5).
    "ActiveJob": (
        "companyHandle:string jobHandle:string name:string originalName:string type:string state:string "
        "submitUserEmail:string locale:string? description:string? serverName:string startDate:dateTime "
        "triggerTime:dateTime totalSize:int progress:int progressMessage:string lastProgressUpdate:dateTime "
        "taskProgressArray:TaskProgressArray "
        "imageServingPublishJob:ImageServingPublishJob? imageRenderingPublishJob:ImageRenderingPublishJob? "
        "videoPublishJob:VideoPublishJob? serverDirectoryPublishJob:ServerDirectoryPublishJob? "
        "metadataPublishJob:MetadataPublishJob? uploadDirectoryJob:UploadDirectoryJob? "
        "uploadUrlsJob:UploadUrlsJob? uploadPostJob:UploadPostJob? optimizeImagesJob:OptimizeImagesJob? "
        "ripPdfsJob:RipPdfsJob? reprocessAssetsJob:ReprocessAssetsJob? "
        "createVideoSitemapJob:CreateVideoSitemapJob? exportJob:ExportJob? "
        "automatedSetGenerationJob:AutomatedSetGenerationJob?"
    ),
    "ScheduledJob": (
        "companyHandle:string jobHandle:string name:string originalName:string type:string "
        "submitUserEmail:string locale:string? description:string? execSchedule:string? "
        "nextFireTime:dateTime? timeZone:string? triggerState:string? " + _SUBMITTABLE_JOB_FIELDS
    ),
    "JobLog": (
        "companyHandle:string jobHandle:string jobName:string originalJobName:string submitUserEmail:string "
        "logType:string jobSubType:string startDate:dateTime? endDate:dateTime? description:string "
        "fileSuccessCount:int fileErrorCount:int fileWarningCount:int fileDuplicateCount:int "
        "fileUpdateCount:int totalFileCount:int transferSuccessCount:int transferErrorCount:int "
        "transferWarningCount:int fatalError:boolean detailTotalRows:int? detailArray:JobLogDetailArray?"
    ),
    "JobLogDetail": (
        "logMessage:string logType:string dateCreated:dateTime assetName:string? assetType:string? "
        "assetHandle:string? auxArray:JobLogDetailAuxArray?"
    ),
    "JobLogDetailAux": "logMessage:string logType:string dateCreated:dateTime?",
    "AssetJobLog": (
        "jobHandle:string jobName:string logMessage:string logType:string submitUserEmail:string "
        "logDate:dateTime auxArray:JobLogDetailAuxArray?"
    ),
    "TaskProgress": (
        "taskType:string taskState:string numProcessed:int numProcessing:int numPending:int progress:double "
        "progressMessage:string lastProgressUpdate:dateTime taskItemProgressArray:TaskItemProgressArray"
    ),
    "TaskItemProgress": "itemName:string progress:double progressMessage:string lastProgressUpdate:dateTime",
    "UploadUrl": "sourceUrl:string destPath:string",
    # Short job types (§5.6).
    "ImageServingPublishJob": (
        "publishType:string emailSetting:string httpCompletionUrl:string? contextHandle:string?"
    ),
    "ImageRenderingPublishJob": "emailSetting:string httpCompletionUrl:string? contextHandle:string?",
    "VideoPublishJob": "emailSetting:string httpCompletionUrl:string? contextHandle:string?",
    "ServerDirectoryPublishJob": "emailSetting:string httpCompletionUrl:string?",
    "MetadataPublishJob": "forcePublish:boolean?",
    "OptimizeImagesJob": "emailSetting:string",
    "CreateVideoSitemapJob": "forceUpdate:boolean?",
    "ExportJob": (
        "assetHandleArray:HandleArray fmt:string is_modifier:string? macro:string? emailSetting:string clientId:string?"
    ),
    "AutomatedSetGenerationJob": (
        "assetHandleArray:HandleArray destFolder:string? readyForPublish:boolean "
        "autoSetCreationOptions:AutoSetCreationOptions emailSetting:string"
    ),
    # Long job types (§5.7).
    "UploadUrlsJob": (
        "urlArray:UploadUrlArray? numUrls:int? overwrite:boolean readyForPublish:boolean "
        "preservePublishState:boolean? createMask:boolean preserveCrop:boolean? "
        "knockoutBackgroundOptions:KnockoutBackgroundOptions? manualCropOptions:ManualCropOptions? "
        "autoColorCropOptions:AutoColorCropOptions? autoTransparentCropOptions:AutoTransparentCropOptions? "
        "photoshopOptions:PhotoshopOptions? postScriptOptions:PostScriptOptions? pdfOptions:PDFOptions? "
        "illustratorOptions:IllustratorOptions? colorManagementOptions:ColorManagementOptions? "
        "autoSetCreationOptions:AutoSetCreationOptions? projectHandleArray:HandleArray? emailSetting:string "
        "postJobOnlyIfFiles:boolean? postHttpUrl:string? postImageServingPublishJob:ImageServingPublishJob? "
        "postImageRenderingPublishJob:ImageRenderingPublishJob? postVideoPublishJob:VideoPublishJob? "
        "mediaOptions:MediaOptions? inDesignOptions:InDesignOptions? xmpKeywords:string? "
        "unsharpMaskOptions:UnsharpMaskOptions? unCompressOptions:UnCompressOptions? "
        "excludeMasterVideoFromAVS:boolean?"
    ),
    "UploadDirectoryJob": (
        "destFolder:string? serverDir:string overwrite:boolean readyForPublish:boolean "
        "preservePublishState:boolean? includeSubfolders:boolean createMask:boolean "
        "processMetadataFiles:boolean preserveCrop:boolean? "
        "knockoutBackgroundOptions:KnockoutBackgroundOptions? manualCropOptions:ManualCropOptions? "
        "autoColorCropOptions:AutoColorCropOptions? autoTransparentCropOptions:AutoTransparentCropOptions? "
        "photoshopOptions:PhotoshopOptions? postScriptOptions:PostScriptOptions? pdfOptions:PDFOptions? "
        "illustratorOptions:IllustratorOptions? colorManagementOptions:ColorManagementOptions? "
        "autoSetCreationOptions:AutoSetCreationOptions? projectHandleArray:HandleArray? emailSetting:string "
        "postJobOnlyIfFiles:boolean? postHttpUrl:string? postImageServingPublishJob:ImageServingPublishJob? "
        "postImageRenderingPublishJob:ImageRenderingPublishJob? postVideoPublishJob:VideoPublishJob? "
        "mediaOptions:MediaOptions? inDesignOptions:InDesignOptions? xmpKeywords:string? "
        "unsharpMaskOptions:UnsharpMaskOptions? unCompressOptions:UnCompressOptions? "
        "excludeMasterVideoFromAVS:boolean?"
    ),
    "UploadPostJob": (
        "overwrite:boolean readyForPublish:boolean preservePublishState:boolean? createMask:boolean "
        "preserveCrop:boolean? "
        "knockoutBackgroundOptions:KnockoutBackgroundOptions? manualCropOptions:ManualCropOptions? "
        "autoColorCropOptions:AutoColorCropOptions? autoTransparentCropOptions:AutoTransparentCropOptions? "
        "photoshopOptions:PhotoshopOptions? postScriptOptions:PostScriptOptions? pdfOptions:PDFOptions? "
        "illustratorOptions:IllustratorOptions? colorManagementOptions:ColorManagementOptions? "
        "autoSetCreationOptions:AutoSetCreationOptions? projectHandleArray:HandleArray? emailSetting:string "
        "postHttpUrl:string? mediaOptions:MediaOptions? inDesignOptions:InDesignOptions? xmpKeywords:string? "
        "unsharpMaskOptions:UnsharpMaskOptions? unCompressOptions:UnCompressOptions? "
        "excludeMasterVideoFromAVS:boolean?"
    ),
    "RipPdfsJob": (
        "pdfHandleArray:HandleArray createMask:boolean "
        "knockoutBackgroundOptions:KnockoutBackgroundOptions? manualCropOptions:ManualCropOptions? "
        "autoColorCropOptions:AutoColorCropOptions? autoTransparentCropOptions:AutoTransparentCropOptions? "
        "postScriptOptions:PostScriptOptions? pdfOptions:PDFOptions? illustratorOptions:IllustratorOptions? "
        "colorManagementOptions:ColorManagementOptions? projectHandleArray:HandleArray? emailSetting:string "
        "postHttpUrl:string? postImageServingPublishJob:ImageServingPublishJob? "
        "postImageRenderingPublishJob:ImageRenderingPublishJob? postVideoPublishJob:VideoPublishJob? "
        "inDesignOptions:InDesignOptions?"
    ),
    "ReprocessAssetsJob": (
        "assetHandleArray:HandleArray readyForPublish:boolean? preservePublishState:boolean? "
        "createMask:boolean preserveCrop:boolean? "
        "knockoutBackgroundOptions:KnockoutBackgroundOptions? manualCropOptions:ManualCropOptions? "
        "autoColorCropOptions:AutoColorCropOptions? autoTransparentCropOptions:AutoTransparentCropOptions? "
        "photoshopOptions:PhotoshopOptions? postScriptOptions:PostScriptOptions? pdfOptions:PDFOptions? "
        "mediaOptions:MediaOptions? illustratorOptions:IllustratorOptions? "
        "colorManagementOptions:ColorManagementOptions? autoSetCreationOptions:AutoSetCreationOptions? "
        "projectHandleArray:HandleArray? emailSetting:string postJobOnlyIfFiles:boolean? postHttpUrl:string? "
        "postImageServingPublishJob:ImageServingPublishJob? "
        "postImageRenderingPublishJob:ImageRenderingPublishJob? postVideoPublishJob:VideoPublishJob? "
        "inDesignOptions:InDesignOptions? unsharpMaskOptions:UnsharpMaskOptions? "
        "excludeMasterVideoFromAVS:boolean?"
    ),
    # Option types (§5.8).
    "KnockoutBackgroundOptions": "corner:string tolerance:double? fillMethod:string",
    "ManualCropOptions": "left:int right:int top:int bottom:int",
    "AutoColorCropOptions": "corner:string tolerance:double",
    "AutoTransparentCropOptions": "tolerance:double",
    "PhotoshopOptions": "process:string? layerOptions:PhotoshopLayerOptions?",
    "PhotoshopLayerOptions": (
        "layerNaming:string? anchor:string? createTemplate:boolean? extractText:boolean? extendLayers:boolean?"
    ),
    "PostScriptOptions": (
        "process:string? resolution:double? colorspace:string? alpha:boolean? extractSearchWords:boolean?"
    ),
    "PDFOptions": (
        "process:string? resolution:double? colorspace:string? pdfCatalog:boolean? "
        "extractSearchWords:boolean? extractLinks:boolean?"
    ),
    "IllustratorOptions": "process:string? resolution:double? colorspace:string? alpha:boolean?",
    "ColorManagementOptions": ("colorManagement:string sourceProfileHandle:string? outputProfileHandle:string?"),
    "AutoSetCreationOptions": "autoSetsArray:HandleArray?",
    "MediaOptions": (
        "videoEncodingPresetsArray:HandleArray? generateThumbnail:boolean? thumbnailOptions:ThumbnailOptions?"
    ),
    "ThumbnailOptions": "thumbnailTime:long?",
    "InDesignOptions": "process:string?",
    "UnsharpMaskOptions": "amount:double? radius:double? threshold:int? monochrome:int?",
    "UnCompressOptions": "process:string",
}

_ELEMENTS_2014: Final = {
    "checkLoginParam": "companyHandle:string? email:string password:string",
    "checkLoginReturn": "status:string",
    "getCompanyInfoParam": "companyHandle:string? companyName:string? imsOrgId:string?",
    "getCompanyInfoReturn": "companyInfo:Company",
    # Job operations (§4).
    "submitJobParam": (
        "companyHandle:string userHandle:string? jobName:string locale:string? execTime:dateTime? "
        "execSchedule:string? description:string? " + _SUBMITTABLE_JOB_FIELDS
    ),
    "submitJobReturn": "jobHandle:string",
    "executeJobParam": "companyHandle:string jobHandle:string",
    "executeJobReturn": "",
    "getActiveJobsParam": ("companyHandle:string? jobHandle:string? originalName:string? includeWaitingJobs:boolean?"),
    "getActiveJobsReturn": "jobArray:ActiveJobArray",
    "getScheduledJobsParam": "companyHandle:string? jobHandle:string? originalName:string?",
    "getScheduledJobsReturn": "jobArray:ScheduledJobArray",
    "stopJobParam": "companyHandle:string jobHandle:string",
    "stopJobReturn": "",
    "pauseJobParam": "companyHandle:string jobHandle:string",
    "pauseJobReturn": "",
    "resumeJobParam": "companyHandle:string jobHandle:string",
    "resumeJobReturn": "",
    "deleteJobParam": "companyHandle:string jobHandle:string",
    "deleteJobReturn": "",
    "getJobLogsParam": (
        "companyHandle:string? userHandle:string? sortBy:string? sortDirection:string? startDate:dateTime? "
        "endDate:dateTime? numRows:int?"
    ),
    "getJobLogsReturn": "jobLogArray:JobLogArray",
    "getJobLogDetailsParam": (
        "companyHandle:string jobHandle:string? originalName:string? logTypeArray:StringArray? "
        "recordsPerPage:int? resultsPage:int? sortBy:string? sortDirection:string?"
    ),
    "getJobLogDetailsReturn": "jobLogArray:JobLogArray",
    "getAssetJobLogsParam": "companyHandle:string assetHandle:string",
    "getAssetJobLogsReturn": "jobLogArray:AssetJobLogArray",
}

_VERSIONED_AUTH_HEADER_2014: Final = _AUTH_HEADER_FIELDS

# Fields of the 2014 description that older versions do not have: (type or element, field) -> first version.
_ADDED_IN: Final[Mapping[tuple[str, str], str]] = {
    ("Company", "imsOrgId"): "2014-04-03",
    ("getCompanyInfoParam", "imsOrgId"): "2014-04-03",
    # Not in the 2013 WSDL (IPS-REFERENCE §5.10, checked by tests/test_schema_matches_wsdl.py).
    ("getActiveJobsParam", "includeWaitingJobs"): "2014-04-03",
    ("ActiveJob", "triggerTime"): "2014-04-03",
    ("JobLogDetail", "dateCreated"): "2014-04-03",
    ("UploadUrlsJob", "xmpKeywords"): "2014-04-03",
    ("UploadUrlsJob", "excludeMasterVideoFromAVS"): "2014-04-03",
    ("UploadPostJob", "xmpKeywords"): "2014-04-03",
    ("UploadPostJob", "excludeMasterVideoFromAVS"): "2014-04-03",
    ("UploadDirectoryJob", "excludeMasterVideoFromAVS"): "2014-04-03",
    ("ReprocessAssetsJob", "unsharpMaskOptions"): "2014-04-03",
    ("ReprocessAssetsJob", "excludeMasterVideoFromAVS"): "2014-04-03",
    # 6.0 (2012-02-14): observed missing from 2010-01-31 replies, dated to 6.0 by the changelog (§1.4).
    ("TaskProgress", "taskState"): "2012-02-14",
    # 4.4 (2009-07-31): the transfer counts, per the changelog (§5.3).
    ("JobLog", "transferSuccessCount"): "2009-07-31",
    ("JobLog", "transferErrorCount"): "2009-07-31",
    ("JobLog", "transferWarningCount"): "2009-07-31",
    # 4.0 (2008-01-15): endDate and the duplicate/update counts (§4.6).
    ("JobLog", "endDate"): "2008-01-15",
    ("JobLog", "fileDuplicateCount"): "2008-01-15",
    ("JobLog", "fileUpdateCount"): "2008-01-15",
}

# Fields that the 2014 description does not have, for the versions in [since, until):
# (type or element, field written before it or "" for first, field spec, since, until).
_EXTRA_FIELDS: Final[tuple[tuple[str, str, str, str, str], ...]] = (
    ("authHeader", "accessToken", "samlResponse:string?", "2016-01-14-beta", "9999"),
    # In the 2013 WSDL, dropped in 2014 (§5.10); older versions are taken to be as 2013.
    (
        "UploadDirectoryJob",
        "xmpKeywords",
        "xmpTemplateId:string? xmpTemplateOverwrites:boolean?",
        "",
        "2014-04-03",
    ),
    # Beta additions from Adobe's javadoc (§5.9). The reference does not place synchronizationComplete in
    # AutomatedSetGenerationJob, so it goes last there.
    (
        "AutomatedSetGenerationJob",
        "emailSetting",
        "synchronizationComplete:boolean?",
        "2021-04-26-beta",
        "9999",
    ),
    ("UploadUrlsJob", "preservePublishState", "synchronizationComplete:boolean?", "2022-11-01-beta", "9999"),
)


def _edit(ctype: ComplexType, version: ApiVersion) -> ComplexType:
    fields = [f for f in ctype.fields if version >= _ADDED_IN.get((ctype.name, f.name), "")]
    for name, after, spec, since, until in _EXTRA_FIELDS:
        if name == ctype.name and since <= version < until:
            at = 0 if not after else next(i for i, f in enumerate(fields) if f.name == after) + 1
            fields[at:at] = _fields(spec)
    return replace(ctype, fields=tuple(fields))


def _build(version: ApiVersion) -> Schema:
    types = {name: _edit(ComplexType(name, _fields(spec)), version) for name, spec in _TYPES_2014.items()}
    elements = {name: _edit(ComplexType(name, _fields(spec)), version) for name, spec in _ELEMENTS_2014.items()}
    if version >= "2014-04-03":
        header = ComplexType("authHeader", _fields(_VERSIONED_AUTH_HEADER_2014), any_attribute=True)
        elements["authHeader"] = _edit(header, version)
    return Schema(version, types, elements)


@functools.cache
def schema_for(version: ApiVersion) -> Schema:
    """The type description ips-mock serves for ``version``."""
    if version not in API_VERSIONS:
        raise KeyError(f"unknown IPS API version {version!r}")
    return _build(version)


# --------------------------------------------------------------------------------------------------------------
# Every operation of the real port type, so that a call to one ips-mock does not model gets a clear
# "not implemented" fault rather than "unknown operation". Taken from the 2013 WSDL; the 2014 differences follow.

_WSDL_OPERATIONS_2013: Final = frozenset(
    """
    addCompany addCompanyMembership addGroupMembers addGroupMembership addMediaPortalEvent addProjectAssets
    addTagFieldValues addUser batchGetAssetPublishContexts batchSetAssetMetadata batchSetFontFields
    batchSetIccProfileFields batchSetImageFields batchSetThumbAsset cdnCacheInvalidation checkAssetNames checkLogin
    copyImage createAssetSet createDerivedAsset createFolder createImageSet createMetadataField createProject
    createPropertySet createPropertySetType createTemplate createViewerPreset createVignettePublishFormat
    deleteAsset deleteAssets deleteFolder deleteGroup deleteImageFormat deleteImageMap deleteJob deleteMetadataField
    deleteProject deletePropertySet deletePropertySetType deleteTagFieldValues deleteVignettePublishFormat
    deleteZoomTarget emptyAssetsFromTrash executeJob forceRepublishAssets generatePassword getActiveJobs
    getActivePublishContexts getAllCompanies getAllUsers getAssetCounts getAssetJobLogs getAssetMetadataFields
    getAssetPublishHistory getAssets getAssetsByName getAssociatedAssets getAutoCropRect getCompanyInfo
    getCompanyMembers getCompanyMembership getCompanySettings getDiskUsage getDistinctMetadataValues getFolderTree
    getFolders getGenerationInfo getGroupMembers getGroupMembership getGroups getImageFormats
    getImageRenderingCatalog getImageRenderingPublishSettings getImageServingCatalog getImageServingPublishSettings
    getImageSetMembers getJobLogDetails getJobLogs getMediaPortalEvent getMetadataFields getOriginalFilePaths
    getPhotoshopPath getPhotoshopPathNames getProjects getProperty getPropertySetType getPropertySetTypes
    getPropertySets getPublishContexts getScheduledJobs getSearchStrings getSystemProperties getTagFieldValues
    getUniqueMetadataValues getUserChars getUserInfo getUsers getViewerConfigSettings getVignettePublishFormats
    getXMPPacket getZipEntries moveAsset moveAssets moveFolder pauseJob removeAssetPermissions
    removeCompanyMembership removeFolderPermissions removeGroupMembers removeGroupMembership removeMask
    removeProjectAssets removePropertySetPermissions renameAsset renameFolder renameProject replaceImage
    restoreAssetsFromTrash resumeJob saveGroup saveImageFormat saveImageMap saveMetadataField saveZoomTarget
    searchAssets searchAssetsByMetadata setAssetMetadata setAssetPermissions setAssetPublishState
    setAssetSetDefinition setAssetsContextState setAssetsPublishState setCompanyMembership setCompanySettings
    setFolderPermissions setGroupMembers setGroupMembership setImageMaps setImageRenderingPublishSettings
    setImageServingPublishSettings setImageSetMembers setPassword setProjectAssets setPropertySetPermissions
    setTagFieldValues setUrlModifier setUserInfo setViewerConfigSettings setZoomTargets stopJob submitJob
    updateAssetPermissions updateAssetSet updateFolderPermissions updateImageSet updateMetadataField
    updatePropertySet updatePropertySetPermissions updateTagFieldValues updateViewerConfigSettings
    updateVignettePublishFormat updateXMPPacket
    """.split()
)

_WSDL_OPERATIONS_2014: Final = (_WSDL_OPERATIONS_2013 - {"getImageRenderingCatalog", "getImageServingCatalog"}) | {
    "deleteAssetMetadata",
    "getCdnCacheInvalidationStatus",
    "uploadPost",
}


def wsdl_operations(version: ApiVersion) -> frozenset[str]:
    """The operations of the real port type for ``version`` (older versions are taken as 2013's)."""
    return _WSDL_OPERATIONS_2014 if version >= "2014-04-03" else _WSDL_OPERATIONS_2013
