"""getJobLogs, getJobLogDetails and getAssetJobLogs: selection, sorting, paging, localization, outcome counts.

The README's Choices rows "getJobLogs defaults" and "getJobLogDetails", and "Jobs and time" / "Job types" for what a
log holds, are the specification; IPS-REFERENCE §4.6-§4.8 gives the parameters.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

import pytest
from lxml import etree

from ips_mock import FakeIps
from ips_mock.model.behaviour import DEFAULT_BEHAVIOUR, Behaviour
from ips_mock.testing import SoapReply, SoapTestClient, auth_header, upload_urls_job

JOB_ELEMENTS = ("uploadUrlsJob", "reprocessAssetsJob", "exportJob")  # those used here, in submitJobParam order
SUBMIT_ORDER = ("companyHandle", "userHandle", "jobName", "locale", "execTime", "execSchedule", "description")
DETAILS_ORDER = (
    "companyHandle",
    "jobHandle",
    "originalName",
    "logTypeArray",
    "recordsPerPage",
    "resultsPage",
    "sortBy",
    "sortDirection",
)
LOGS_ORDER = ("companyHandle", "userHandle", "sortBy", "sortDirection", "startDate", "endDate", "numRows")
FAULT_ELEMENTS = frozenset({"ipsApiFault", "authenticationFault", "authorizationFault"})
INFO = ["OriginalJobName", "JobType", "JobClient", "TotalFileCount"]


def _upload(*files: str) -> dict[str, Any]:
    return {
        "uploadUrlsJob": upload_urls_job(*((f"http://images.example.net/{f.rsplit('/', 1)[-1]}", f) for f in files))
    }


def _many(count: int) -> dict[str, Any]:
    return _upload(*(f"img{i:04d}.jpg" for i in range(count)))


def _on_assets(element: str, *handles: str) -> dict[str, Any]:
    if element == "exportJob":
        return {element: {"assetHandleArray": {"items": list(handles)}, "fmt": "orig", "emailSetting": "None"}}
    return {element: {"assetHandleArray": {"items": list(handles)}, "createMask": False, "emailSetting": "None"}}


def _submit(
    client: SoapTestClient, name: str, jobs: Mapping[str, Any], *, user: str = "admin@example.com", **fields: Any
) -> str:
    merged: dict[str, Any] = {"companyHandle": "c|100", "jobName": name} | fields
    params = {k: merged[k] for k in SUBMIT_ORDER if k in merged} | {k: jobs[k] for k in JOB_ELEMENTS if k in jobs}
    return client.call("submitJob", params, user=user).ok().text("jobHandle")


def _local(el: etree._Element) -> str:
    return etree.QName(el).localname


def _flat(el: etree._Element) -> dict[str, str]:
    return {_local(c): c.text or "" for c in el}


def _logs(client: SoapTestClient, **params: Any) -> SoapReply:
    return client.call("getJobLogs", {k: params[k] for k in LOGS_ORDER if k in params})


def _log_names(client: SoapTestClient, **params: Any) -> list[str]:
    (array,) = list(_logs(client, **params).ok().payload)
    return [log.findtext("{*}originalJobName") or "" for log in array]


def _details_reply(client: SoapTestClient, *, headers: list[etree._Element] | None = None, **params: Any) -> SoapReply:
    merged = {"companyHandle": "c|100"} | params
    ordered = {k: merged[k] for k in DETAILS_ORDER if k in merged}
    return client.call("getJobLogDetails", ordered, headers=headers)


def _pages(client: SoapTestClient, **params: Any) -> list[tuple[int, list[dict[str, str]]]]:
    """(detailTotalRows, details) of every log getJobLogDetails returns."""
    (array,) = list(_details_reply(client, **params).ok().payload)
    return [
        (int(log.findtext("{*}detailTotalRows") or "-1"), [_flat(d) for d in log.iterfind("{*}detailArray/{*}items")])
        for log in array
    ]


def _types(client: SoapTestClient, **params: Any) -> list[str]:
    ((_, details),) = _pages(client, **params)
    return [d["logType"] for d in details]


# ------------------------------------------------------------------------------------------------ getJobLogs


@pytest.fixture
def three_logs(fake: FakeIps, client: SoapTestClient) -> SoapTestClient:
    """alpha (admin, 09:00, 3 files), charlie (user, 09:02, export of 1 asset), bravo (admin, 09:04, 2 files of
    which one fails and one warns); all finished by 09:06."""
    fake.service.behaviours = lambda name, job_type: (
        Behaviour(error_items=1, warning_items=1) if name == "bravo" else DEFAULT_BEHAVIOUR
    )
    _submit(client, "alpha", _upload("a1.jpg", "a2.jpg", "a3.jpg"))
    fake.advance(timedelta(minutes=2))
    _submit(client, "charlie", _on_assets("exportJob", "a|100|1|1001"), user="user@example.com")
    fake.advance(timedelta(minutes=2))
    _submit(client, "bravo", _upload("b1.jpg", "b2.jpg"))
    fake.advance(timedelta(minutes=2))
    return client


def test_get_job_logs_defaults_to_every_log_newest_first(three_logs: SoapTestClient) -> None:
    assert _log_names(three_logs) == ["bravo", "charlie", "alpha"]


def test_get_job_logs_reports_each_logs_counts(three_logs: SoapTestClient) -> None:
    (array,) = list(_logs(three_logs, sortDirection="Ascending").ok().payload)
    assert [_flat(log) for log in array][2] == {
        "companyHandle": "c|100",
        "jobHandle": "j|100||bravo_2026-01-05-09:04:00.000",
        "jobName": "bravo_2026-01-05-09:04:00.000",
        "originalJobName": "bravo",
        "submitUserEmail": "admin@example.com",
        "logType": "BeginUploadUrls",
        "jobSubType": "",
        "startDate": "2026-01-05T09:04:00.000-08:00",
        "endDate": "2026-01-05T09:05:00.000-08:00",
        "description": "",
        "fileSuccessCount": "0",
        "fileErrorCount": "1",
        "fileWarningCount": "1",
        "fileDuplicateCount": "0",
        "fileUpdateCount": "0",
        "totalFileCount": "2",
        "transferSuccessCount": "0",
        "transferErrorCount": "1",
        "transferWarningCount": "1",
        "fatalError": "false",
    }


@pytest.mark.parametrize(
    ("sort_by", "direction", "expected"),
    [
        ("StartDate", "Ascending", ["alpha", "charlie", "bravo"]),
        ("StartDate", "Descending", ["bravo", "charlie", "alpha"]),
        ("JobName", "Ascending", ["alpha", "bravo", "charlie"]),
        ("JobName", "Descending", ["charlie", "bravo", "alpha"]),
        ("LogType", "Ascending", ["charlie", "alpha", "bravo"]),  # BeginGet < BeginUploadUrls; ties by run id
        ("FileSuccessCount", "Descending", ["alpha", "charlie", "bravo"]),
        ("FileErrorCount", "Descending", ["bravo", "alpha", "charlie"]),
        ("FileWarningCount", "Ascending", ["alpha", "charlie", "bravo"]),
        ("Email", "Descending", ["charlie", "alpha", "bravo"]),
        ("UserId", "Ascending", ["alpha", "bravo", "charlie"]),
    ],
)
def test_get_job_logs_sorts_by_every_documented_field(
    three_logs: SoapTestClient, sort_by: str, direction: str, expected: list[str]
) -> None:
    assert _log_names(three_logs, sortBy=sort_by, sortDirection=direction) == expected


def test_get_job_logs_sort_by_without_direction_is_descending(three_logs: SoapTestClient) -> None:
    assert _log_names(three_logs, sortBy="JobName") == ["charlie", "bravo", "alpha"]


def test_get_job_logs_sorts_by_company_name() -> None:
    scenario = {
        "ips_mock": 1,
        "companies": [{"name": "Zeta", "id": 100}, {"name": "Alpha", "id": 200}],
        "users": [{"email": "both@x.test", "password": "pw", "role": "IpsAdmin", "companies": ["Zeta", "Alpha"]}],
    }
    fake = FakeIps(scenario)
    client = SoapTestClient(fake)
    for company in ("c|100", "c|200"):
        params = {"companyHandle": company, "jobName": f"job of {company[2:]}"} | _upload("x.jpg")
        client.call("submitJob", params, user="both@x.test", password="pw").ok()
    fake.advance(timedelta(seconds=61))
    reply = client.call(
        "getJobLogs", {"sortBy": "CompanyName", "sortDirection": "Ascending"}, user="both@x.test", password="pw"
    )
    (array,) = list(reply.ok().payload)
    assert [log.findtext("{*}companyHandle") for log in array] == ["c|200", "c|100"]


@pytest.mark.parametrize(
    ("bounds", "expected"),
    [
        ({"startDate": "2026-01-05T17:02:00Z", "endDate": "2026-01-05T12:02:00-05:00"}, ["charlie"]),
        ({"startDate": "2026-01-05T09:02:00"}, ["bravo", "charlie"]),
        ({"startDate": "2026-01-05T09:02:00.001-08:00"}, ["bravo"]),
        ({"endDate": "2026-01-05T09:01:59.999-08:00"}, ["alpha"]),
        ({"endDate": "2026-01-05T09:04:00"}, ["bravo", "charlie", "alpha"]),
        ({"startDate": "2026-01-05T09:05:00-08:00"}, []),
    ],
    ids=["both-inclusive-other-offsets", "local-start", "just-after", "just-before", "local-end-inclusive", "none"],
)
def test_get_job_logs_date_bounds_are_inclusive_on_the_start(
    three_logs: SoapTestClient, bounds: dict[str, str], expected: list[str]
) -> None:
    assert _log_names(three_logs, **bounds) == expected


def test_get_job_logs_num_rows_limits_after_sorting(three_logs: SoapTestClient) -> None:
    assert _log_names(three_logs, numRows=2) == ["bravo", "charlie"]
    assert _log_names(three_logs, sortDirection="Ascending", numRows=1) == ["alpha"]


def test_get_job_logs_filters_by_submitting_user(three_logs: SoapTestClient) -> None:
    assert _log_names(three_logs, userHandle="u|2") == ["charlie"]
    assert _log_names(three_logs, userHandle="u|1") == ["bravo", "alpha"]


def test_get_job_logs_with_bad_sort_by_is_30001(three_logs: SoapTestClient) -> None:
    _logs(three_logs, sortBy="Date").assert_fault(30001, "'sortBy'", "'Date'")


def test_get_job_logs_with_bad_sort_direction_is_30001(three_logs: SoapTestClient) -> None:
    _logs(three_logs, sortDirection="descending").assert_fault(30001, "'sortDirection'")


def test_get_job_logs_lists_a_running_job_without_end_date(fake: FakeIps, client: SoapTestClient) -> None:
    _submit(client, "running", _upload("x.jpg"))
    assert _log_names(client) == []  # New: its log opens when it starts running
    fake.advance(timedelta(seconds=1))
    (array,) = list(_logs(client).ok().payload)
    (log,) = array
    assert "endDate" not in [_local(c) for c in log]
    assert log.findtext("{*}startDate") == "2026-01-05T09:00:00.000-08:00"


def test_get_job_logs_only_shows_the_callers_companies(fake: FakeIps, client: SoapTestClient) -> None:
    _submit(client, "ours", _upload("x.jpg"))
    fake.advance(timedelta(seconds=61))
    assert _log_names(client) == ["ours"]
    reply = client.call("getJobLogs", {}, user="other@example.com")
    assert list(reply.ok().payload[0]) == []


# ------------------------------------------------------------------------------------------ getJobLogDetails


def test_details_are_paged(fake: FakeIps, client: SoapTestClient) -> None:
    _submit(client, "ten", _many(10))  # 5 opening entries, 10 items, 1 closing entry
    fake.advance(timedelta(seconds=61))
    all_types = ["BeginUploadUrls", *INFO, *["UploadSuccess"] * 10, "EndUploadUrls"]
    assert _types(client, originalName="ten") == all_types
    pages = [_pages(client, originalName="ten", recordsPerPage=5, resultsPage=n) for n in (1, 2, 4, 5)]
    assert [[(total, [d["logType"] for d in details])] for ((total, details),) in pages] == [
        [(16, all_types[0:5])],
        [(16, all_types[5:10])],
        [(16, all_types[15:16])],
        [(16, [])],
    ]


def test_records_per_page_above_1000_is_served_as_1000(fake: FakeIps, client: SoapTestClient) -> None:
    _submit(client, "big", _many(1000))
    fake.advance(timedelta(seconds=61))
    ((total, first),) = _pages(client, originalName="big", recordsPerPage=5000)
    ((_, second),) = _pages(client, originalName="big", recordsPerPage=5000, resultsPage=2)
    assert (total, len(first), len(second)) == (1006, 1000, 6)
    assert [d["logType"] for d in second] == ["UploadSuccess"] * 5 + ["EndUploadUrls"]
    ((_, default),) = _pages(client, originalName="big")
    assert len(default) == 1000


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"resultsPage": 0}, "'resultsPage'"),
        ({"resultsPage": -1}, "'resultsPage'"),
        ({"recordsPerPage": 0}, "'recordsPerPage'"),
    ],
    ids=["page-0", "page-negative", "per-page-0"],
)
def test_bad_paging_is_30001(client: SoapTestClient, params: dict[str, int], field: str) -> None:
    _submit(client, "job", _upload("x.jpg"))
    _details_reply(client, originalName="job", **params).assert_fault(30001, field)


def test_log_type_array_filters_and_detail_total_rows_counts_the_matches(fake: FakeIps, client: SoapTestClient) -> None:
    _submit(client, "ten", _many(10))
    fake.advance(timedelta(seconds=61))
    types = {"items": ["EndUploadUrls", "UploadSuccess"]}
    ((total, details),) = _pages(client, originalName="ten", logTypeArray=types, recordsPerPage=4)
    assert (total, [d["logType"] for d in details]) == (11, ["UploadSuccess"] * 4)


def test_bad_log_type_is_30001(client: SoapTestClient) -> None:
    _submit(client, "job", _upload("x.jpg"))
    reply = _details_reply(client, originalName="job", logTypeArray={"items": ["UploadSuccess", "Bogus"]})
    reply.assert_fault(30001, "logTypeArray", "'Bogus'")


def test_details_sorted_by_log_type(fake: FakeIps, client: SoapTestClient) -> None:
    _submit(client, "two", _upload("first.jpg", "second.jpg"))
    fake.advance(timedelta(seconds=61))
    ascending = ["BeginUploadUrls", "EndUploadUrls", "JobClient", "JobType", "OriginalJobName", "TotalFileCount"]
    assert _types(client, originalName="two", sortBy="LogType") == [*ascending, "UploadSuccess", "UploadSuccess"]
    ((_, details),) = _pages(client, originalName="two", sortBy="LogType", sortDirection="Descending")
    assert [d["logType"] for d in details] == ["UploadSuccess", "UploadSuccess", *reversed(ascending)]
    assert [d.get("assetName") for d in details[:2]] == ["second", "first"]


def test_details_default_to_date_ascending_and_may_be_descending(fake: FakeIps, client: SoapTestClient) -> None:
    _submit(client, "two", _upload("first.jpg", "second.jpg"))
    fake.advance(timedelta(seconds=61))
    forward = ["BeginUploadUrls", *INFO, "UploadSuccess", "UploadSuccess", "EndUploadUrls"]
    assert _types(client, originalName="two") == forward
    assert _types(client, originalName="two", sortBy="Date", sortDirection="Ascending") == forward
    assert _types(client, originalName="two", sortBy="Date", sortDirection="Descending") == forward[::-1]


@pytest.mark.parametrize(
    ("params", "field"),
    [({"sortBy": "Name"}, "'sortBy'"), ({"sortDirection": "Up"}, "'sortDirection'")],
    ids=["sort-by", "direction"],
)
def test_bad_detail_sort_is_30001(client: SoapTestClient, params: dict[str, str], field: str) -> None:
    _submit(client, "job", _upload("x.jpg"))
    _details_reply(client, originalName="job", **params).assert_fault(30001, field)


def test_details_without_job_handle_or_original_name_are_30002(client: SoapTestClient) -> None:
    _details_reply(client).assert_fault(30002, "'jobHandle'", "'originalName'")


@pytest.mark.parametrize(
    "handle",
    ["j|100|never||", "j|100||never_2026-01-05-09:00:00.000|1001", "j|100||never_2026", "garbage"],
    ids=["submit", "run", "log", "malformed"],
)
def test_details_of_an_unknown_handle_are_30001(client: SoapTestClient, handle: str) -> None:
    _details_reply(client, jobHandle=handle).assert_fault(30001, "'jobHandle'", handle)


def test_details_of_a_foreign_company_are_20006(client: SoapTestClient) -> None:
    reply = client.call("getJobLogDetails", {"companyHandle": "c|200", "originalName": "x"}, user="user@example.com")
    reply.assert_fault(20006, "c|200")


def test_details_of_an_unknown_original_name_are_empty(client: SoapTestClient) -> None:
    assert _pages(client, originalName="nobody") == []


def test_details_by_run_log_and_submit_handle(fake: FakeIps, client: SoapTestClient) -> None:
    handle = _submit(client, "hourly", _upload("x.jpg"), execSchedule="0 * * * *")
    fake.advance(timedelta(hours=2, minutes=5))  # fires at 10:00 and 11:00
    by_submit = _details_reply(client, jobHandle=handle).ok()
    assert [log.findtext("{*}jobName") for log in by_submit.payload[0]] == [
        "hourly_2026-01-05-10:00:00.000",
        "hourly_2026-01-05-11:00:00.000",
    ]
    for selector in ("j|100||hourly_2026-01-05-11:00:00.000|1002", "j|100||hourly_2026-01-05-11:00:00.000"):
        reply = _details_reply(client, jobHandle=selector).ok()
        assert [log.findtext("{*}jobName") for log in reply.payload[0]] == ["hourly_2026-01-05-11:00:00.000"]


def test_details_of_an_active_run_grow_as_it_runs(fake: FakeIps, client: SoapTestClient) -> None:
    _submit(client, "live", _upload("a.jpg", "b.jpg"))
    fake.advance(timedelta(seconds=30))
    run = "j|100||live_2026-01-05-09:00:00.000|1001"
    assert _types(client, jobHandle=run) == ["BeginUploadUrls", *INFO, "UploadSuccess"]


def _tail(message: str) -> str:
    """A file entry's message after the file path (the path itself is checked by the destPath test)."""
    return message.split(" ", 1)[1]


@pytest.mark.parametrize(
    ("headers", "http_headers", "begin", "item", "end"),
    [
        (None, None, "Upload has begun!", "was processed into IPS", "Upload has completed."),
        (
            [auth_header(locale="de-DE")],
            None,
            "Upload hat begonnen!",
            "wurde in IPS verarbeitet",
            "Upload ist abgeschlossen.",
        ),
        (None, {"Accept-Language": "fr-FR"}, "Upload a commencé !", "a été traité dans IPS", "Upload est terminé."),
        (
            [auth_header(locale="de-DE")],
            {"Accept-Language": "fr-FR"},
            "Upload hat begonnen!",
            "wurde in IPS verarbeitet",
            "Upload ist abgeschlossen.",
        ),
        ([auth_header(locale="ja-JP")], None, "Upload has begun!", "was processed into IPS", "Upload has completed."),
    ],
    ids=["default-english", "authheader-de", "accept-language-fr", "authheader-wins", "unknown-language"],
)
def test_log_messages_follow_the_request_locale(
    fake: FakeIps,
    client: SoapTestClient,
    headers: list[etree._Element] | None,
    http_headers: dict[str, str] | None,
    begin: str,
    item: str,
    end: str,
) -> None:
    _submit(client, "hat", _upload("hat.jpg"))
    fake.advance(timedelta(seconds=61))
    reply = client.call(
        "getJobLogDetails",
        {"companyHandle": "c|100", "originalName": "hat"},
        headers=headers,
        http_headers=http_headers,
    )
    (log,) = list(reply.ok().payload[0])
    messages = {
        d.findtext("{*}logType"): d.findtext("{*}logMessage") or "" for d in log.iterfind("{*}detailArray/{*}items")
    }
    assert messages["BeginUploadUrls"] == begin
    assert _tail(messages["UploadSuccess"]) == item
    assert messages["EndUploadUrls"] == end
    assert (messages["OriginalJobName"], messages["JobType"], messages["TotalFileCount"]) == ("hat", "UrlUpload", "1")


def test_dest_path_is_the_files_path_and_name_under_the_company_root(fake: FakeIps, client: SoapTestClient) -> None:
    # UploadUrl/destPath: "The IPS file path and name of the file you want to upload to" (Adobe's data-type page).
    _submit(client, "hat", _upload("spring/hat.jpg"))
    fake.advance(timedelta(seconds=61))
    ((_, details),) = _pages(client, originalName="hat", logTypeArray={"items": ["UploadSuccess"]})
    assert [(d["logMessage"], d["assetName"]) for d in details] == [
        ("Example/spring/hat.jpg was processed into IPS", "hat")
    ]


# ------------------------------------------------------------------------------------------ outcomes of runs


def test_failing_and_warning_items_are_counted_and_logged(fake: FakeIps, client: SoapTestClient) -> None:
    fake.service.behaviours = lambda name, job_type: Behaviour(error_items=1, warning_items=1)
    _submit(client, "mixed", _upload("a.jpg", "b.jpg", "c.jpg", "d.jpg"))
    fake.advance(timedelta(seconds=61))
    (array,) = list(_details_reply(client, originalName="mixed").ok().payload)
    (log,) = array
    counts = {k: v for k, v in _flat(log).items() if k.endswith("Count") or k == "fatalError"}
    assert counts == {
        "fileSuccessCount": "2",
        "fileErrorCount": "1",
        "fileWarningCount": "1",
        "fileDuplicateCount": "0",
        "fileUpdateCount": "0",
        "totalFileCount": "4",
        "transferSuccessCount": "2",
        "transferErrorCount": "1",
        "transferWarningCount": "1",
        "fatalError": "false",
    }
    items = [_flat(d) for d in log.iterfind("{*}detailArray/{*}items") if _flat(d).get("assetName")]
    assert [(d["logType"], d["assetName"], d["assetHandle"], _tail(d["logMessage"])) for d in items] == [
        ("UploadSuccess", "a", "a|100|1|1001", "was processed into IPS"),
        ("UploadSuccess", "b", "a|100|1|1002", "was processed into IPS"),
        ("UploadWarning", "c", "a|100|1|1003", "was processed into IPS with warnings"),
        ("UploadError", "d", "a|100|1|1004", "could not be processed"),
    ]


def test_a_fatal_error_ends_the_run_with_fatal_error_true(fake: FakeIps, client: SoapTestClient) -> None:
    fake.service.behaviours = lambda name, job_type: Behaviour(fatal_error="disk full")
    _submit(client, "doomed", _upload("a.jpg", "b.jpg", "c.jpg", "d.jpg"))
    fake.advance(timedelta(seconds=61))
    (array,) = list(_details_reply(client, originalName="doomed").ok().payload)
    (log,) = array
    assert (log.findtext("{*}fatalError"), log.findtext("{*}fileSuccessCount")) == ("true", "3")
    details = [_flat(d) for d in log.iterfind("{*}detailArray/{*}items")]
    assert [d["logType"] for d in details] == [
        "BeginUploadUrls",
        *INFO,
        "UploadSuccess",
        "UploadSuccess",
        "UploadSuccess",
        "FatalError",
        "EndUploadUrls",
    ]
    assert (details[-2]["logMessage"], details[-2]["dateCreated"]) == (
        "Fatal error: disk full",
        "2026-01-05T09:01:00.000-08:00",
    )
    assert _log_names(client) == ["doomed"]


# ------------------------------------------------------------------------------------------ getAssetJobLogs


def test_asset_job_logs_follow_an_asset_across_jobs(fake: FakeIps, client: SoapTestClient) -> None:
    _submit(client, "first", _upload("hat.jpg"))
    fake.advance(timedelta(seconds=60))
    _submit(client, "second", _on_assets("reprocessAssetsJob", "a|100|1|1001"), user="user@example.com")
    fake.advance(timedelta(seconds=60))
    reply = client.call("getAssetJobLogs", {"companyHandle": "c|100", "assetHandle": "a|100|1|1001"})
    (array,) = list(reply.ok().payload)
    rows = [_flat(entry) for entry in array]
    assert [(r["jobHandle"], r["jobName"], r["logType"], r["submitUserEmail"], r["logDate"]) for r in rows] == [
        (
            "j|100||first_2026-01-05-09:00:00.000",
            "first_2026-01-05-09:00:00.000",
            "UploadSuccess",
            "admin@example.com",
            "2026-01-05T09:01:00.000-08:00",
        ),
        (
            "j|100||second_2026-01-05-09:01:00.000",
            "second_2026-01-05-09:01:00.000",
            "FileUpdated",
            "user@example.com",
            "2026-01-05T09:02:00.000-08:00",
        ),
    ]
    assert _tail(rows[0]["logMessage"]) == "was processed into IPS"


def test_asset_job_logs_of_an_unknown_asset_are_empty(fake: FakeIps, client: SoapTestClient) -> None:
    _submit(client, "first", _upload("hat.jpg"))
    fake.advance(timedelta(seconds=60))
    reply = client.call("getAssetJobLogs", {"companyHandle": "c|100", "assetHandle": "a|100|1|99999"})
    assert list(reply.ok().payload[0]) == []


def test_asset_job_logs_of_a_foreign_company_are_20006(client: SoapTestClient) -> None:
    reply = client.call(
        "getAssetJobLogs", {"companyHandle": "c|200", "assetHandle": "a|200|1|1"}, user="user@example.com"
    )
    reply.assert_fault(20006, "c|200")
