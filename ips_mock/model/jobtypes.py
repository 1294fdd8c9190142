"""The 13 submittable job types (and uploadPostJob): type strings, server defaults, what they process, their logs.

Where Adobe documents nothing (IPS-REFERENCE §6.2, §9.3) the README's "Job types" table lists ips-mock's choice.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

__all__ = ["JOB_TYPES", "SUBMITTABLE_JOB_TYPES", "JobType", "LogPlan", "echo_spec", "source_items"]


@dataclass(frozen=True)
class LogPlan:
    """The job log types a run of this job writes: its opening entry, one per item, and its closing entry."""

    begin: str
    success: str
    error: str
    warning: str
    end: str


@dataclass(frozen=True)
class SourceItem:
    """Something a job processes before it becomes an asset: a URL, a file, an existing asset."""

    source: str
    name: str | None
    path: str


@dataclass(frozen=True)
class JobType:
    """What the fake knows of one job element: its type name, log plan, server defaults and sources."""

    element: str
    type_name: str
    log: LogPlan
    defaults: Mapping[str, Any]
    sources: Callable[[Mapping[str, Any]], Sequence[SourceItem]]
    progress_message: str
    task_type: str | None = None
    """TaskProgress/taskType of the run's one task; None for an empty taskProgressArray (observed for publishes)."""


# Server defaults observed in a real uploadUrlsJob echo (IPS-REFERENCE §7.4).
_UPLOAD_DEFAULTS: Final[Mapping[str, Any]] = {
    "preservePublishState": False,
    "preserveCrop": True,
    "photoshopOptions": {"process": "None"},
    "postScriptOptions": {
        "process": "None",
        "resolution": 72.0,
        "colorspace": "Auto",
        "alpha": False,
        "extractSearchWords": False,
    },
    "pdfOptions": {
        "process": "render",
        "resolution": 72.0,
        "colorspace": "Auto",
        "pdfCatalog": True,
        "extractSearchWords": False,
        "extractLinks": True,
    },
    "illustratorOptions": {"process": "None", "resolution": 72.0, "colorspace": "Auto", "alpha": False},
    "colorManagementOptions": {"colorManagement": "Default"},
    "autoSetCreationOptions": {},
    "postJobOnlyIfFiles": False,
    "mediaOptions": {},
    "inDesignOptions": {"process": "None"},
}
# RipPdfsJob has only some of the upload options.
_RIP_PDF_DEFAULTS: Final = {
    k: v
    for k, v in _UPLOAD_DEFAULTS.items()
    if k in ("postScriptOptions", "pdfOptions", "illustratorOptions", "colorManagementOptions", "inDesignOptions")
}
_PUBLISH_DEFAULTS: Final[Mapping[str, Any]] = {"httpCompletionUrl": ""}  # observed as an empty element


def _no_sources(spec: Mapping[str, Any]) -> Sequence[SourceItem]:
    return ()


def _url_sources(spec: Mapping[str, Any]) -> Sequence[SourceItem]:
    out = []
    for url in spec.get("urlArray", []):
        source = url["sourceUrl"]
        tail = source.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
        # destPath is "the IPS file path and name": a trailing '/' names only the folder (the URL's file is kept).
        folder, _, name = url.get("destPath", "").rpartition("/")
        out.append(SourceItem(source, name or tail or None, folder))
    return out


def _handle_sources(field_name: str) -> Callable[[Mapping[str, Any]], Sequence[SourceItem]]:
    def sources(spec: Mapping[str, Any]) -> Sequence[SourceItem]:
        return [SourceItem(handle, None, "") for handle in spec.get(field_name, [])]

    return sources


def _directory_sources(spec: Mapping[str, Any]) -> Sequence[SourceItem]:
    # The fake has no server file system: an upload from a directory processes three generated files.
    return [SourceItem(spec.get("serverDir", ""), None, spec.get("destFolder", "")) for _ in range(3)]


_UPLOAD_LOG = LogPlan("BeginUpload", "UploadSuccess", "UploadError", "UploadWarning", "EndUpload")


def _job_type(
    element: str,
    type_name: str,
    log: LogPlan,
    *,
    defaults: Mapping[str, Any] | None = None,
    sources: Callable[[Mapping[str, Any]], Sequence[SourceItem]] = _no_sources,
    progress_message: str = "Processing",
    task_type: str | None = None,
) -> JobType:
    return JobType(element, type_name, log, defaults or {}, sources, progress_message, task_type)


_UPLOAD_TASK: Final = "com.scene7.upload.UploadAsyncTaskMonitor"

JOB_TYPES: Final[Mapping[str, JobType]] = {
    t.element: t
    for t in (
        _job_type(
            "imageServingPublishJob",
            "ImageServingPublish",
            LogPlan(
                "BeginImageServingPublish",
                "ImageServingPublishSuccess",
                "ImageServingPublishError",
                "ImageServingPublishWarning",
                "EndImageServingPublish",
            ),
            defaults=_PUBLISH_DEFAULTS,
            progress_message="Starting to generate manifest files.",
        ),
        _job_type(
            "imageRenderingPublishJob",
            "ImageRenderingPublish",
            LogPlan(
                "BeginImageRenderingPublish",
                "ImageRenderingPublishSuccess",
                "ImageRenderingPublishError",
                "ImageRenderingPublishError",
                "EndImageRenderingPublish",
            ),
            defaults=_PUBLISH_DEFAULTS,
        ),
        _job_type(
            "videoPublishJob",
            "VideoPublish",
            LogPlan(
                "BeginVideoPublish",
                "VideoPubilshSuccess",
                "VideoPublishError",
                "VideoPublishWarning",
                "EndVideoPublish",
            ),
            defaults=_PUBLISH_DEFAULTS,
        ),
        _job_type(
            "serverDirectoryPublishJob",
            "ServerDirectoryPublish",
            LogPlan(
                "BeginServerDirectoryPublish",
                "ServerDirectoryPublishSuccess",
                "ServerDirectoryPublishError",
                "ServerDirectoryPublishWarning",
                "EndServerDirectoryPublish",
            ),
            defaults=_PUBLISH_DEFAULTS,
        ),
        _job_type(
            "metadataPublishJob",
            "MetadataPublish",
            LogPlan("BeginMetadata", "MetadataSuccess", "MetadataFailure", "MetadataFailure", "EndMetadata"),
            defaults={"forcePublish": False},
        ),
        _job_type(
            "uploadDirectoryJob",
            "UploadFromServerDirectory",
            _UPLOAD_LOG,
            defaults=_UPLOAD_DEFAULTS,
            sources=_directory_sources,
            progress_message="Optimizing files",
            task_type=_UPLOAD_TASK,
        ),
        _job_type(
            "uploadUrlsJob",
            "UrlUpload",
            LogPlan("BeginUploadUrls", "UploadSuccess", "UploadError", "UploadWarning", "EndUploadUrls"),
            defaults=_UPLOAD_DEFAULTS,
            sources=_url_sources,
            progress_message="Optimizing files",
            task_type=_UPLOAD_TASK,
        ),
        _job_type(
            "uploadPostJob",
            "UploadPost",
            _UPLOAD_LOG,
            defaults=_UPLOAD_DEFAULTS,
            progress_message="Optimizing files",
            task_type=_UPLOAD_TASK,
        ),
        _job_type(
            "optimizeImagesJob",
            "ImageOptimization",
            LogPlan("BeginReoptimize", "ReoptimizeSuccess", "ReoptimizeFailure", "ReoptimizeFailure", "endReoptimize"),
        ),
        _job_type(
            "ripPdfsJob",
            "RipPdfs",
            LogPlan("BeginPdfRip", "UploadSuccess", "PdfRipError", "UploadWarning", "EndUpload"),
            defaults=_RIP_PDF_DEFAULTS,
            sources=_handle_sources("pdfHandleArray"),
            task_type=_UPLOAD_TASK,
        ),
        _job_type(
            "reprocessAssetsJob",
            "ReprocessAssets",
            LogPlan("BeginUpload", "FileUpdated", "UploadError", "UploadWarning", "EndUpload"),
            defaults=_UPLOAD_DEFAULTS,
            sources=_handle_sources("assetHandleArray"),
            progress_message="Optimizing files",
            task_type=_UPLOAD_TASK,
        ),
        _job_type(
            "createVideoSitemapJob",
            "CreateVideoSitemap",
            LogPlan(
                "BeginVideoPublish",
                "VideoPubilshSuccess",
                "VideoPublishError",
                "VideoPublishWarning",
                "EndVideoPublish",
            ),
            defaults={"forceUpdate": False},
        ),
        _job_type(
            "exportJob",
            "Export",
            LogPlan("BeginGet", "ReturnSuccess", "GetFailure", "GetFailure", "EndGet"),
            sources=_handle_sources("assetHandleArray"),
        ),
        _job_type(
            "automatedSetGenerationJob",
            "AutomatedSetGeneration",
            LogPlan("BeginUpload", "UploadSuccess", "UploadError", "UploadWarning", "EndUpload"),
            sources=_handle_sources("assetHandleArray"),
            task_type="com.scene7.autoset.AutoSetAsyncTaskMonitor",
        ),
    )
}

SUBMITTABLE_JOB_TYPES: Final = tuple(name for name in JOB_TYPES if name != "uploadPostJob")


def _merge(defaults: Mapping[str, Any], submitted: Mapping[str, Any]) -> dict[str, Any]:
    out = {key: _copy(value) for key, value in defaults.items()}
    for key, value in submitted.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = _merge(out[key], value)
        else:
            out[key] = _copy(value)
    return out


def _copy(value: Any) -> Any:
    """``copy.deepcopy`` for decoded values: dicts and lists copied, strings, numbers and booleans shared (they
    are immutable), anything else deep-copied. A tenth of a submitJob went to deepcopy's generality."""
    kind = type(value)
    if kind is dict:
        return {key: _copy(item) for key, item in value.items()}
    if kind is list:
        return [_copy(item) for item in value]
    if kind in (str, int, bool, float) or value is None:
        return value
    return copy.deepcopy(value)


def echo_spec(job_type: JobType, submitted: Mapping[str, Any], *, root_path: str) -> dict[str, Any]:
    """The job element as getActiveJobs/getScheduledJobs repeat it: submitted values over the server defaults.

    As observed, ``urlArray`` comes back empty; ``numUrls`` reports how many URLs were submitted (documented).
    """
    spec = _merge(job_type.defaults, submitted)
    if job_type.element == "uploadUrlsJob":
        spec["numUrls"] = len(submitted.get("urlArray", [])) or submitted.get("numUrls", 0)
        spec["urlArray"] = []
    if job_type.element == "automatedSetGenerationJob":
        spec.setdefault("destFolder", root_path)  # documented default: the company root
    return spec


def source_items(job_type: JobType, submitted: Mapping[str, Any]) -> Sequence[SourceItem]:
    return job_type.sources(submitted)
