"""submitJob: every job type is accepted, listed and logged; every documented refusal has its code and names its field.

The README's "Job types" table and its "Choices" rows (Job-operation errors, userHandle of submitJob, date inputs,
field sets of versions) are the specification here; IPS-REFERENCE §4.1 and §5.6-§5.7 give the required fields.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

import pytest
from lxml import etree

from ips_mock import FakeIps
from ips_mock.testing import SoapReply, SoapTestClient, upload_urls_job

# Schema order of submitJobParam (IPS-REFERENCE §4.1): the request builder must write elements in this order.
JOB_ELEMENTS = (
    "imageServingPublishJob",
    "imageRenderingPublishJob",
    "videoPublishJob",
    "serverDirectoryPublishJob",
    "metadataPublishJob",
    "uploadDirectoryJob",
    "uploadUrlsJob",
    "optimizeImagesJob",
    "ripPdfsJob",
    "reprocessAssetsJob",
    "createVideoSitemapJob",
    "exportJob",
    "automatedSetGenerationJob",
)
SUBMIT_ORDER = ("companyHandle", "userHandle", "jobName", "locale", "execTime", "execSchedule", "description")

URLS = [
    {"sourceUrl": "http://images.example.net/hat.jpg", "destPath": "hat.jpg"},
    {"sourceUrl": "http://images.example.net/clip.mp4", "destPath": "clip.mp4"},
]
ASSETS = ["a|100|1|7", "a|100|1|8"]


def _url_job(**fields: Any) -> dict[str, Any]:
    """A minimal valid uploadUrlsJob (two URLs) with ``fields`` added, in schema order."""
    return upload_urls_job(*((u["sourceUrl"], u["destPath"]) for u in URLS), **fields)


# The minimal valid element of each job type: the fields the 2014 WSDL requires (IPS-REFERENCE §5.6, §5.7).
MINIMAL_JOBS: dict[str, dict[str, Any]] = {
    "imageServingPublishJob": {"publishType": "Full", "emailSetting": "None"},
    "imageRenderingPublishJob": {"emailSetting": "None"},
    "videoPublishJob": {"emailSetting": "None"},
    "serverDirectoryPublishJob": {"emailSetting": "None"},
    "metadataPublishJob": {},
    "uploadDirectoryJob": {
        "serverDir": "/incoming",
        "overwrite": True,
        "readyForPublish": True,
        "includeSubfolders": False,
        "createMask": False,
        "processMetadataFiles": False,
        "emailSetting": "None",
    },
    "uploadUrlsJob": _url_job(),
    "optimizeImagesJob": {"emailSetting": "None"},
    "ripPdfsJob": {"pdfHandleArray": {"items": ASSETS}, "createMask": False, "emailSetting": "None"},
    "reprocessAssetsJob": {"assetHandleArray": {"items": ASSETS}, "createMask": False, "emailSetting": "None"},
    "createVideoSitemapJob": {},
    "exportJob": {"assetHandleArray": {"items": ASSETS}, "fmt": "orig", "emailSetting": "None"},
    "automatedSetGenerationJob": {
        "assetHandleArray": {"items": ASSETS},
        "readyForPublish": True,
        "autoSetCreationOptions": {},
        "emailSetting": "None",
    },
}

# README "Job types": element -> (type, opening log type, per-item log type or None, closing log type, items).
JOB_TYPES: dict[str, tuple[str, str, str | None, str, int]] = {
    "uploadUrlsJob": ("UrlUpload", "BeginUploadUrls", "UploadSuccess", "EndUploadUrls", 2),
    "uploadDirectoryJob": ("UploadFromServerDirectory", "BeginUpload", "UploadSuccess", "EndUpload", 3),
    "imageServingPublishJob": ("ImageServingPublish", "BeginImageServingPublish", None, "EndImageServingPublish", 0),
    "imageRenderingPublishJob": (
        "ImageRenderingPublish",
        "BeginImageRenderingPublish",
        None,
        "EndImageRenderingPublish",
        0,
    ),
    "videoPublishJob": ("VideoPublish", "BeginVideoPublish", None, "EndVideoPublish", 0),
    "serverDirectoryPublishJob": (
        "ServerDirectoryPublish",
        "BeginServerDirectoryPublish",
        None,
        "EndServerDirectoryPublish",
        0,
    ),
    "metadataPublishJob": ("MetadataPublish", "BeginMetadata", None, "EndMetadata", 0),
    "optimizeImagesJob": ("ImageOptimization", "BeginReoptimize", None, "endReoptimize", 0),
    "ripPdfsJob": ("RipPdfs", "BeginPdfRip", "UploadSuccess", "EndUpload", 2),
    "reprocessAssetsJob": ("ReprocessAssets", "BeginUpload", "FileUpdated", "EndUpload", 2),
    "createVideoSitemapJob": ("CreateVideoSitemap", "BeginVideoPublish", None, "EndVideoPublish", 0),
    "exportJob": ("Export", "BeginGet", "ReturnSuccess", "EndGet", 2),
    "automatedSetGenerationJob": ("AutomatedSetGeneration", "BeginUpload", "UploadSuccess", "EndUpload", 2),
}

# Server defaults as a real reply echoes them (IPS-REFERENCE §7.4), in wire text.
_UPLOAD_OPTION_ECHO: dict[str, Any] = {
    "photoshopOptions": {"process": "None"},
    "postScriptOptions": {
        "process": "None",
        "resolution": "72.0",
        "colorspace": "Auto",
        "alpha": "false",
        "extractSearchWords": "false",
    },
    "pdfOptions": {
        "process": "render",
        "resolution": "72.0",
        "colorspace": "Auto",
        "pdfCatalog": "true",
        "extractSearchWords": "false",
        "extractLinks": "true",
    },
    "illustratorOptions": {"process": "None", "resolution": "72.0", "colorspace": "Auto", "alpha": "false"},
    "colorManagementOptions": {"colorManagement": "Default"},
    "inDesignOptions": {"process": "None"},
}
_UPLOAD_ECHO: dict[str, Any] = {
    **_UPLOAD_OPTION_ECHO,
    "preservePublishState": "false",
    "preserveCrop": "true",
    "autoSetCreationOptions": "",
    "postJobOnlyIfFiles": "false",
    "mediaOptions": "",
}
_RIP_ECHO = {k: v for k, v in _UPLOAD_OPTION_ECHO.items() if k != "photoshopOptions"}

# What getActiveJobs repeats for each minimal element: the submitted values over the server defaults.
EXPECTED_ECHO: dict[str, dict[str, Any]] = {
    "imageServingPublishJob": {"publishType": "Full", "emailSetting": "None", "httpCompletionUrl": ""},
    "imageRenderingPublishJob": {"emailSetting": "None", "httpCompletionUrl": ""},
    "videoPublishJob": {"emailSetting": "None", "httpCompletionUrl": ""},
    "serverDirectoryPublishJob": {"emailSetting": "None", "httpCompletionUrl": ""},
    "metadataPublishJob": {"forcePublish": "false"},
    "uploadDirectoryJob": {
        **_UPLOAD_ECHO,
        "serverDir": "/incoming",
        "overwrite": "true",
        "readyForPublish": "true",
        "includeSubfolders": "false",
        "createMask": "false",
        "processMetadataFiles": "false",
        "emailSetting": "None",
    },
    "uploadUrlsJob": {
        **_UPLOAD_ECHO,
        "urlArray": "",
        "numUrls": "2",
        "overwrite": "true",
        "readyForPublish": "true",
        "createMask": "false",
        "emailSetting": "None",
    },
    "optimizeImagesJob": {"emailSetting": "None"},
    "ripPdfsJob": {**_RIP_ECHO, "pdfHandleArray": ASSETS, "createMask": "false", "emailSetting": "None"},
    "reprocessAssetsJob": {**_UPLOAD_ECHO, "assetHandleArray": ASSETS, "createMask": "false", "emailSetting": "None"},
    "createVideoSitemapJob": {"forceUpdate": "false"},
    "exportJob": {"assetHandleArray": ASSETS, "fmt": "orig", "emailSetting": "None"},
    "automatedSetGenerationJob": {
        "assetHandleArray": ASSETS,
        "destFolder": "Example/",
        "readyForPublish": "true",
        "autoSetCreationOptions": "",
        "emailSetting": "None",
    },
}


# ------------------------------------------------------------------------------------------------- helpers


def _params(jobs: Mapping[str, Mapping[str, Any]], **fields: Any) -> dict[str, Any]:
    """submitJobParam in schema order: company c|100 unless given, the header fields, then the job elements."""
    merged: dict[str, Any] = {"companyHandle": "c|100"} | fields
    ordered = {name: merged[name] for name in SUBMIT_ORDER if name in merged}
    return ordered | {name: jobs[name] for name in JOB_ELEMENTS if name in jobs}


def _submit(
    client: SoapTestClient,
    name: str = "job",
    jobs: Mapping[str, Mapping[str, Any]] | None = None,
    *,
    user: str = "admin@example.com",
    version: str | None = None,
    **fields: Any,
) -> SoapReply:
    jobs = {"uploadUrlsJob": _url_job()} if jobs is None else jobs
    return client.call("submitJob", _params(jobs, jobName=name, **fields), user=user, version=version)


FAULT_ELEMENTS = frozenset({"ipsApiFault", "authenticationFault", "authorizationFault"})


def _handle(reply: SoapReply) -> str:
    return reply.ok().text("jobHandle")


def _local(el: etree._Element) -> str:
    return etree.QName(el).localname


def _tree(el: etree._Element) -> Any:
    """An element as plain data: text for a leaf (empty for an empty element), a list for an XArray, else a dict."""
    children = list(el)
    if not children:
        return el.text or ""
    names = [_local(c) for c in children]
    if set(names) == {"items"}:
        return [_tree(c) for c in children]
    return {name: _tree(c) for name, c in zip(names, children, strict=True)}


def _items(reply: SoapReply) -> list[etree._Element]:
    """The items of the reply's one array (jobArray or jobLogArray)."""
    (array,) = list(reply.ok().payload)
    return list(array)


def _field(item: etree._Element, name: str) -> str:
    found = [c for c in item if _local(c) == name]
    assert len(found) == 1, f"{name} in {[_local(c) for c in item]}"
    return found[0].text or ""


def _names(el: etree._Element) -> list[str]:
    return [_local(c) for c in el]


# ------------------------------------------------------------------------------------------- the job types


@pytest.mark.parametrize("element", JOB_ELEMENTS)
def test_every_job_type_is_accepted_with_its_submit_handle(client: SoapTestClient, element: str) -> None:
    reply = _submit(client, f"my {element}", {element: MINIMAL_JOBS[element]})
    assert _handle(reply) == f"j|100|my {element}||"


@pytest.mark.parametrize("element", JOB_ELEMENTS)
def test_every_job_type_is_active_with_its_type_and_echoed_element(client: SoapTestClient, element: str) -> None:
    handle = _handle(_submit(client, "j1", {element: MINIMAL_JOBS[element]}))
    (item,) = _items(client.call("getActiveJobs", {"jobHandle": handle}))
    assert _field(item, "type") == JOB_TYPES[element][0]
    assert _field(item, "jobHandle") == "j|100||j1_2026-01-05-09:00:00.000|1001"
    assert _field(item, "originalName") == "j1"
    assert _field(item, "state") == "New"
    job_elements = [c for c in item if _local(c) in JOB_ELEMENTS or _local(c) == "uploadPostJob"]
    assert [_local(c) for c in job_elements] == [element]
    assert _tree(job_elements[0]) == EXPECTED_ECHO[element]


@pytest.mark.parametrize("element", JOB_ELEMENTS)
def test_every_job_type_logs_its_opening_item_and_closing_types(
    fake: FakeIps, client: SoapTestClient, element: str
) -> None:
    type_name, begin, per_item, end, count = JOB_TYPES[element]
    _handle(_submit(client, "j1", {element: MINIMAL_JOBS[element]}))
    fake.advance(timedelta(seconds=61))
    (log,) = _items(client.call("getJobLogDetails", {"companyHandle": "c|100", "originalName": "j1"}))
    assert _field(log, "logType") == begin
    assert _field(log, "totalFileCount") == str(count)
    details = [_tree(d) for d in log.iterfind("{*}detailArray/{*}items")]
    items = [per_item] * count if per_item is not None else []
    if element == "exportJob":  # then the download the export leaves (an http URL in assetName, as W1 reads it)
        items.append("ReturnSuccess")
    assert [d["logType"] for d in details] == [
        begin,
        "OriginalJobName",
        "JobType",
        "JobClient",
        "TotalFileCount",
        *items,
        end,
    ]
    assert [d["logMessage"] for d in details[1:5]] == ["j1", type_name, "ips-mock", str(count)]


def test_items_of_a_job_on_existing_assets_carry_the_given_handles(fake: FakeIps, client: SoapTestClient) -> None:
    _handle(_submit(client, "exp", {"exportJob": MINIMAL_JOBS["exportJob"]}))
    fake.advance(timedelta(seconds=61))
    (log,) = _items(client.call("getJobLogDetails", {"companyHandle": "c|100", "originalName": "exp"}))
    handles = [d.findtext("{*}assetHandle") for d in log.iterfind("{*}detailArray/{*}items")]
    assert [h for h in handles if h is not None] == ASSETS


def test_uploaded_items_get_new_asset_handles_and_types_by_extension(fake: FakeIps, client: SoapTestClient) -> None:
    _handle(_submit(client, "up"))
    fake.advance(timedelta(seconds=61))
    (log,) = _items(client.call("getJobLogDetails", {"companyHandle": "c|100", "originalName": "up"}))
    entries = [
        (d.findtext("{*}assetName"), d.findtext("{*}assetType"), d.findtext("{*}assetHandle"))
        for d in log.iterfind("{*}detailArray/{*}items")
        if d.findtext("{*}logType") == "UploadSuccess"
    ]
    assert entries == [("hat", "MasterImage", "a|100|1|1001"), ("clip", "Video", "a|100|1|1002")]


def test_submit_user_email_is_the_caller_even_for_another_user(client: SoapTestClient) -> None:
    handle = _handle(_submit(client, "for-uma", userHandle="u|2"))
    (item,) = _items(client.call("getActiveJobs", {"jobHandle": handle}))
    assert _field(item, "submitUserEmail") == "admin@example.com"


def test_locale_and_description_are_echoed(client: SoapTestClient) -> None:
    handle = _handle(_submit(client, "described", locale="de-DE", description="nightly import"))
    (item,) = _items(client.call("getActiveJobs", {"jobHandle": handle}))
    assert (_field(item, "locale"), _field(item, "description")) == ("de-DE", "nightly import")


def test_immediate_jobs_never_appear_in_get_scheduled_jobs(client: SoapTestClient) -> None:
    _handle(_submit(client, "now"))
    assert _items(client.call("getScheduledJobs", {"companyHandle": "c|100"})) == []


# ---------------------------------------------------------------------------------------- validation faults


def test_no_job_type_is_30002(client: SoapTestClient) -> None:
    _submit(client, "none", {}).assert_fault(30002, "job type", "uploadUrlsJob")


def test_two_job_types_are_30001_naming_both(client: SoapTestClient) -> None:
    jobs = {"imageServingPublishJob": MINIMAL_JOBS["imageServingPublishJob"], "uploadUrlsJob": _url_job()}
    _submit(client, "two", jobs).assert_fault(30001, "imageServingPublishJob, uploadUrlsJob")


def test_exec_time_and_exec_schedule_together_are_30001(client: SoapTestClient) -> None:
    reply = _submit(client, "both", execTime="2026-01-06T00:00:00-08:00", execSchedule="0 0 * * *")
    reply.assert_fault(30001, "'execTime'", "execSchedule")


def test_past_exec_time_is_30001(client: SoapTestClient) -> None:
    _submit(client, "late", execTime="2026-01-05T08:59:59-08:00").assert_fault(30001, "'execTime'", "in the past")


def test_exec_time_now_is_accepted(client: SoapTestClient) -> None:
    assert _handle(_submit(client, "on-time", execTime="2026-01-05T09:00:00-08:00")) == "j|100|on-time||"


@pytest.mark.parametrize(
    ("fields", "path"),
    [
        ({"photoshopOptions": {"process": "Flatten"}}, "'uploadUrlsJob/photoshopOptions/process'"),
        ({"emailSetting": "Warning"}, "'uploadUrlsJob/emailSetting'"),
        ({"pdfOptions": {"colorspace": "Lab"}}, "'uploadUrlsJob/pdfOptions/colorspace'"),
        (
            {"postImageServingPublishJob": {"publishType": "Fast", "emailSetting": "None"}},
            "'uploadUrlsJob/postImageServingPublishJob/publishType'",
        ),
    ],
    ids=["photoshop-process", "email-setting", "pdf-colorspace", "follow-on-publish-type"],
)
def test_bad_enum_string_is_30001_naming_its_path(client: SoapTestClient, fields: dict[str, Any], path: str) -> None:
    _submit(client, "enum", {"uploadUrlsJob": _url_job(**fields)}).assert_fault(30001, path)


def test_bad_enum_in_a_short_job_type_is_30001(client: SoapTestClient) -> None:
    reply = _submit(client, "pub", {"imageServingPublishJob": {"publishType": "Everything", "emailSetting": "None"}})
    reply.assert_fault(30001, "'imageServingPublishJob/publishType'", "Full, FullWithSearch, Incremental")


@pytest.mark.parametrize(
    "expression",
    ["0 61 * * *", "every day", "0 0 12 1 * MON", "0 0 12 15W * ?"],
    ids=["minute-61", "words", "quartz-without-question-mark", "nearest-weekday"],
)
def test_bad_exec_schedule_is_30001(client: SoapTestClient, expression: str) -> None:
    _submit(client, "sched", execSchedule=expression).assert_fault(30001, "'execSchedule'")


@pytest.mark.parametrize("name", ["", "   ", "a|b", "|"], ids=["empty", "blank", "pipe", "only-pipe"])
def test_empty_or_pipe_job_name_is_30001(client: SoapTestClient, name: str) -> None:
    _submit(client, name).assert_fault(30001, "'jobName'")


@pytest.mark.parametrize("locale", ["english", "de_DE", "DE-de", "en-USA"])
def test_bad_locale_is_30001(client: SoapTestClient, locale: str) -> None:
    _submit(client, "loc", locale=locale).assert_fault(30001, "'locale'", repr(locale))


@pytest.mark.parametrize("locale", ["de", "fr-FR", "en-US"])
def test_good_locales_are_accepted(client: SoapTestClient, locale: str) -> None:
    assert _handle(_submit(client, f"loc {locale}", locale=locale)) == f"j|100|loc {locale}||"


def test_name_of_a_scheduled_job_is_30001(client: SoapTestClient) -> None:
    _handle(_submit(client, "nightly", execSchedule="0 0 * * *"))
    _submit(client, "nightly").assert_fault(30001, "'jobName'", "'nightly'")


def test_name_of_a_running_job_is_30001(client: SoapTestClient) -> None:
    _handle(_submit(client, "busy"))
    _submit(client, "busy").assert_fault(30001, "'jobName'", "'busy'")


def test_the_same_name_in_another_company_is_fine() -> None:
    scenario = {
        "ips_mock": 1,
        "companies": [{"name": "A", "id": 100}, {"name": "B", "id": 200}],
        "users": [{"email": "both@x.test", "password": "pw", "role": "IpsUser", "companies": ["A", "B"]}],
    }
    client = SoapTestClient(FakeIps(scenario))
    for company_id in (100, 200):
        params = _params({"uploadUrlsJob": _url_job()}, companyHandle=f"c|{company_id}", jobName="shared")
        reply = client.call("submitJob", params, user="both@x.test", password="pw")
        assert _handle(reply) == f"j|{company_id}|shared||"


@pytest.mark.parametrize(
    ("crops", "names"),
    [
        (
            {
                "manualCropOptions": {"left": 1, "right": 1, "top": 1, "bottom": 1},
                "autoTransparentCropOptions": {"tolerance": 0.1},
            },
            "manualCropOptions, autoTransparentCropOptions",
        ),
        (
            {
                "autoColorCropOptions": {"corner": "UpperLeft", "tolerance": 0.1},
                "autoTransparentCropOptions": {"tolerance": 0.1},
            },
            "autoColorCropOptions, autoTransparentCropOptions",
        ),
    ],
    ids=["manual-and-transparent", "color-and-transparent"],
)
def test_two_crop_options_are_30001(client: SoapTestClient, crops: dict[str, Any], names: str) -> None:
    _submit(client, "crop", {"uploadUrlsJob": _url_job(**crops)}).assert_fault(30001, "'uploadUrlsJob'", names)


def test_two_follow_on_publish_jobs_are_30001(client: SoapTestClient) -> None:
    job = _url_job(
        postImageServingPublishJob={"publishType": "Full", "emailSetting": "None"},
        postVideoPublishJob={"emailSetting": "None"},
    )
    _submit(client, "post", {"uploadUrlsJob": job}).assert_fault(
        30001, "postImageServingPublishJob, postVideoPublishJob"
    )


def test_one_crop_option_is_accepted(client: SoapTestClient) -> None:
    job = _url_job(manualCropOptions={"left": 1, "right": 2, "top": 3, "bottom": 4})
    assert _handle(_submit(client, "crop", {"uploadUrlsJob": job})) == "j|100|crop||"


def test_missing_required_element_inside_the_job_is_30002_naming_its_path(client: SoapTestClient) -> None:
    job = {k: v for k, v in _url_job().items() if k != "createMask"}
    _submit(client, "incomplete", {"uploadUrlsJob": job}).assert_fault(30002, "'uploadUrlsJob/createMask'")


def test_missing_required_element_of_a_url_is_30002_naming_its_path(client: SoapTestClient) -> None:
    job = _url_job(urlArray={"items": [{"sourceUrl": "http://images.example.net/a.jpg"}]})
    _submit(client, "url", {"uploadUrlsJob": job}).assert_fault(30002, "'uploadUrlsJob/urlArray/items[1]/destPath'")


def test_bad_xsd_value_is_30001_naming_its_path(client: SoapTestClient) -> None:
    _submit(client, "yes", {"uploadUrlsJob": _url_job(overwrite="yes")}).assert_fault(
        30001, "'uploadUrlsJob/overwrite'"
    )


def test_bad_exec_time_syntax_is_30001(client: SoapTestClient) -> None:
    _submit(client, "when", execTime="tomorrow").assert_fault(30001, "'execTime'")


# ------------------------------------------------------------------------------- userHandle and authority


def test_unknown_user_handle_is_20002(client: SoapTestClient) -> None:
    _submit(client, "ghost", userHandle="u|99").assert_fault(20002, "'u|99'")


def test_user_handle_of_another_company_is_20007(client: SoapTestClient) -> None:
    _submit(client, "foreign", userHandle="u|3").assert_fault(20007, "other@example.com")


def test_ips_user_naming_another_user_is_20004(client: SoapTestClient) -> None:
    _submit(client, "impersonate", user="user@example.com", userHandle="u|1").assert_fault(20004, "admin@example.com")


def test_ips_user_naming_itself_is_fine(client: SoapTestClient) -> None:
    assert _handle(_submit(client, "self", user="user@example.com", userHandle="u|2")) == "j|100|self||"


def test_ips_admin_naming_another_user_is_fine(client: SoapTestClient) -> None:
    assert _handle(_submit(client, "for-uma", userHandle="u|2")) == "j|100|for-uma||"


def test_company_admin_may_not_submit_jobs(client: SoapTestClient) -> None:
    reply = client.call(
        "submitJob",
        _params({"optimizeImagesJob": {"emailSetting": "None"}}, companyHandle="c|200", jobName="x"),
        user="other@example.com",
    )
    reply.assert_fault(20003, "User does not have permission to access operation 'submitJob'")


def test_role_is_checked_before_parameters(client: SoapTestClient) -> None:
    # README "Order of checks": role (20003) comes before parameters (30001-30003).
    reply = client.call("submitJob", {"companyHandle": "c|200", "jobName": ""}, user="other@example.com")
    reply.assert_fault(20003, "'submitJob'")


def test_decoded_parameters_are_checked_before_the_job_rules(client: SoapTestClient) -> None:
    job = {k: v for k, v in _url_job().items() if k != "overwrite"}
    _submit(client, "", {"uploadUrlsJob": job}, locale="bad").assert_fault(30002, "'uploadUrlsJob/overwrite'")


def test_submitting_into_a_company_the_caller_is_not_in_is_20006(client: SoapTestClient) -> None:
    _submit(client, "intruder", user="user@example.com", companyHandle="c|200").assert_fault(20006, "c|200")


def test_unknown_company_is_20000(client: SoapTestClient) -> None:
    _submit(client, "nowhere", companyHandle="c|999").assert_fault(20000, "c|999")


# ---------------------------------------------------------------------------------------- execTime zones


def _next_fire(client: SoapTestClient, handle: str) -> tuple[str, str]:
    (item,) = _items(client.call("getScheduledJobs", {"jobHandle": handle}))
    return _field(item, "nextFireTime"), _field(item, "triggerState")


def test_exec_time_without_offset_is_server_local_time(client: SoapTestClient) -> None:
    handle = _handle(_submit(client, "local", execTime="2026-01-06T10:00:00"))
    assert _next_fire(client, handle) == ("2026-01-06T10:00:00.000-08:00", "Normal")


def test_exec_time_without_offset_in_summer_is_daylight_time(client: SoapTestClient) -> None:
    handle = _handle(_submit(client, "summer", execTime="2026-07-01T10:00:00"))
    assert _next_fire(client, handle) == ("2026-07-01T10:00:00.000-07:00", "Normal")


@pytest.mark.parametrize(
    ("exec_time", "shown"),
    [
        ("2026-01-06T12:00:00+01:00", "2026-01-06T03:00:00.000-08:00"),
        ("2026-01-06T12:00:00Z", "2026-01-06T04:00:00.000-08:00"),
        ("2026-01-06T12:00:00.250-05:00", "2026-01-06T09:00:00.250-08:00"),
    ],
)
def test_exec_time_with_another_offset_is_shown_in_the_server_zone(
    client: SoapTestClient, exec_time: str, shown: str
) -> None:
    handle = _handle(_submit(client, "converted", execTime=exec_time))
    assert _next_fire(client, handle) == (shown, "Normal")


def test_exec_time_job_leaves_get_scheduled_jobs_when_it_fires(fake: FakeIps, client: SoapTestClient) -> None:
    handle = _handle(_submit(client, "later", execTime="2026-01-05T09:30:00-08:00"))
    fake.advance(timedelta(minutes=30))
    assert _items(client.call("getScheduledJobs", {"jobHandle": handle})) == []
    (item,) = _items(client.call("getActiveJobs", {"jobHandle": handle}))
    assert _field(item, "name") == "later_2026-01-05-09:30:00.000"
    assert _field(item, "triggerTime") == "2026-01-05T09:30:00.000-08:00"


def test_scheduled_job_lists_the_zone_and_schedule(client: SoapTestClient) -> None:
    handle = _handle(_submit(client, "nightly", execSchedule="00 00 00 * * "))
    (item,) = _items(client.call("getScheduledJobs", {"companyHandle": "c|100"}))
    assert {n: _field(item, n) for n in ("jobHandle", "execSchedule", "nextFireTime", "timeZone")} == {
        "jobHandle": handle,
        "execSchedule": "00 00 00 * * ",
        "nextFireTime": "2026-01-06T00:00:00.000-08:00",
        "timeZone": "America/Los_Angeles",
    }


# ---------------------------------------------------------------------------------------------- versions

_ACTIVE_JOB_2014 = [
    "companyHandle",
    "jobHandle",
    "name",
    "originalName",
    "type",
    "state",
    "submitUserEmail",
    "locale",
    "description",
    "serverName",
    "startDate",
    "triggerTime",
    "totalSize",
    "progress",
    "progressMessage",
    "lastProgressUpdate",
    "taskProgressArray",
    "uploadUrlsJob",
]
_ACTIVE_JOB_OLD = [n for n in _ACTIVE_JOB_2014 if n != "triggerTime"]
_TASK_2014 = [
    "taskType",
    "taskState",
    "numProcessed",
    "numProcessing",
    "numPending",
    "progress",
    "progressMessage",
    "lastProgressUpdate",
    "taskItemProgressArray",
]
_TASK_OLD = [n for n in _TASK_2014 if n != "taskState"]


@pytest.mark.parametrize(
    ("version", "job_fields", "task_fields"),
    [
        ("2014-04-03", _ACTIVE_JOB_2014, _TASK_2014),
        ("2013-02-15", _ACTIVE_JOB_OLD, _TASK_2014),
        ("2010-01-31", _ACTIVE_JOB_OLD, _TASK_OLD),
        ("", _ACTIVE_JOB_OLD, _TASK_OLD),
    ],
    ids=["2014", "2013", "2010", "pre-4.0"],
)
def test_get_active_jobs_has_each_versions_field_set(
    fake: FakeIps, client: SoapTestClient, version: str, job_fields: list[str], task_fields: list[str]
) -> None:
    _handle(_submit(client, "versioned", description="v"))
    fake.advance(timedelta(seconds=20))  # Running, with its upload task
    reply = client.call("getActiveJobs", {"companyHandle": "c|100"}, version=version)
    (item,) = _items(reply)
    assert _names(item) == job_fields
    (task,) = item.iterfind("{*}taskProgressArray/{*}items")
    assert _names(task) == task_fields
    assert _field(item, "state") == "Running"


@pytest.mark.parametrize(
    ("version", "has_num_urls"),
    [("2014-04-03", True), ("2013-02-15", True), ("2012-02-14", True), ("2010-01-31", False), ("", False)],
    ids=["2014", "2013", "2012", "2010", "pre-4.0"],
)
def test_upload_urls_echo_has_num_urls_from_2012(
    fake: FakeIps, client: SoapTestClient, version: str, has_num_urls: bool
) -> None:
    """The observed 2010-01-31 uploadUrlsJob echo has no numUrls (REAL-CLIENTS §5, IPS-REFERENCE §7.4)."""
    _handle(_submit(client, "echo"))
    (item,) = _items(client.call("getActiveJobs", {"companyHandle": "c|100"}, version=version))
    (echo,) = item.iterfind("{*}uploadUrlsJob")
    assert _names(echo)[:2] == (["urlArray", "numUrls"] if has_num_urls else ["urlArray", "overwrite"])


@pytest.mark.parametrize("version", ["2013-02-15", "2010-01-31", ""], ids=["2013", "2010", "pre-4.0"])
def test_jobs_submitted_in_an_older_version_run_the_same(fake: FakeIps, client: SoapTestClient, version: str) -> None:
    assert _handle(_submit(client, "old", version=version)) == "j|100|old||"
    (item,) = _items(client.call("getActiveJobs", {"companyHandle": "c|100"}, version=version))
    assert (_field(item, "type"), _field(item, "name")) == ("UrlUpload", "old_2026-01-05-09:00:00.000")


@pytest.mark.parametrize(
    ("version", "detail_fields"),
    [
        ("2014-04-03", ["logMessage", "logType", "dateCreated", "assetName", "assetType", "assetHandle"]),
        ("2013-02-15", ["logMessage", "logType", "assetName", "assetType", "assetHandle"]),
    ],
    ids=["2014", "2013"],
)
def test_job_log_detail_has_date_created_only_from_2014(
    fake: FakeIps, client: SoapTestClient, version: str, detail_fields: list[str]
) -> None:
    _handle(_submit(client, "logged"))
    fake.advance(timedelta(seconds=61))
    reply = client.call("getJobLogDetails", {"companyHandle": "c|100", "originalName": "logged"}, version=version)
    (log,) = _items(reply)
    item_details = [d for d in log.iterfind("{*}detailArray/{*}items") if d.findtext("{*}logType") == "UploadSuccess"]
    assert [_names(d) for d in item_details] == [detail_fields, detail_fields]
    assert _names(next(log.iterfind("{*}detailArray/{*}items"))) == detail_fields[:-3]
