"""What jobs do to the catalog, through the wire: uploads, duplicates, stops, publishes, rips, exports, determinism."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from werkzeug.test import Client

from ips_mock import FakeIps, ScenarioError
from ips_mock.testing import SoapTestClient, upload_urls_job

SCENARIO: dict[str, Any] = {
    "ips_mock": 1,
    "companies": [{"name": "Example", "id": 100}],
    "users": [{"email": "admin@example.com", "password": "password", "role": "IpsAdmin", "companies": ["Example"]}],
}


def _upload(client: SoapTestClient, name: str, *urls: str | tuple[str, str], **fields: Any) -> None:
    client.call(
        "submitJob", {"companyHandle": "c|100", "jobName": name, "uploadUrlsJob": upload_urls_job(*urls, **fields)}
    ).ok()


def _names(fake: FakeIps) -> list[tuple[str, str, str]]:
    return sorted((a.name, a.folder, a.file_name) for a in fake.state.catalog.assets.values())


def test_an_upload_creates_its_assets_and_their_folders() -> None:
    fake = FakeIps(SCENARIO)
    client = SoapTestClient(fake)
    _upload(client, "up", ("https://x/a.jpg", "Example/shoes/a.jpg"), ("https://x/b.png", "/bags/"), "https://x/c.pdf")
    assert _names(fake) == []  # nothing before the items complete
    fake.advance(timedelta(minutes=2))
    assert _names(fake) == [
        ("a", "Example/shoes/", "a.jpg"),
        ("b", "Example/bags/", "b.png"),
        ("c", "Example/", "c.pdf"),
    ]
    details = client.call("getJobLogDetails", {"companyHandle": "c|100", "originalName": "up"})
    handles = {a.handle for a in fake.state.catalog.assets.values()}
    logged = {el.text for el in details.payload.iter("{*}assetHandle")}
    assert logged == handles
    assert {(a.type) for a in fake.state.catalog.assets.values()} == {"Image", "Pdf"}


def test_overwrite_replaces_in_place_and_no_overwrite_skips_the_duplicate() -> None:
    fake = FakeIps(SCENARIO)
    client = SoapTestClient(fake)
    _upload(client, "first", ("https://x/a.jpg", "one/a.jpg"))
    fake.advance(timedelta(minutes=2))
    (original,) = fake.state.catalog.assets.values()
    _upload(client, "second", ("https://y/a.jpg", "two/a.jpg"), overwrite=True)
    fake.advance(timedelta(minutes=2))
    (replaced,) = fake.state.catalog.assets.values()
    assert (replaced.handle, replaced.folder, replaced.source) == (original.handle, "Example/two/", "https://y/a.jpg")
    _upload(client, "third", ("https://z/a.jpg", "three/a.jpg"), overwrite=False)
    fake.advance(timedelta(minutes=2))
    (kept,) = fake.state.catalog.assets.values()
    assert (kept.folder, kept.source) == ("Example/two/", "https://y/a.jpg")
    (log,) = [log for log in fake.state.logs if log.original_job_name == "third"]
    assert (log.file_duplicate_count, log.file_success_count) == (1, 0)
    assert [d.log_type for d in log.details if d.asset_handle] == ["DuplicateSkipped"]


def test_failed_items_create_nothing_and_a_stopped_run_keeps_what_it_did() -> None:
    scenario = SCENARIO | {"behaviours": [{"match": {"name": "flaky"}, "error_items": 1}]}
    fake = FakeIps(scenario)
    client = SoapTestClient(fake)
    _upload(client, "flaky", "https://x/a.jpg", "https://x/b.jpg")
    fake.advance(timedelta(minutes=2))
    assert [n for n, _, _ in _names(fake)] == ["a"]
    _upload(client, "stopped", *(f"https://x/s{i}.jpg" for i in range(4)))
    fake.advance(timedelta(seconds=20))  # 25 %: one of four done
    client.call("stopJob", {"companyHandle": "c|100", "jobHandle": "j|100|stopped||"}).ok()
    fake.advance(timedelta(minutes=2))
    assert [n for n, _, _ in _names(fake)] == ["a", "s0"]


def test_publish_stamps_marked_assets_and_rip_makes_derived_pages() -> None:
    fake = FakeIps(SCENARIO)
    client = SoapTestClient(fake)
    _upload(client, "up", "https://x/ready.jpg", "https://x/doc.pdf")
    _upload(client, "hidden", "https://x/draft.jpg", readyForPublish=False)
    fake.advance(timedelta(minutes=2))
    client.call(
        "submitJob",
        {
            "companyHandle": "c|100",
            "jobName": "pub",
            "imageServingPublishJob": {"publishType": "Full", "emailSetting": "None"},
        },
    ).ok()
    fake.advance(timedelta(minutes=2))
    published = {a.name: a.published is not None for a in fake.state.catalog.assets.values()}
    assert published == {"ready": True, "doc": True, "draft": False}
    pdf = next(a for a in fake.state.catalog.assets.values() if a.name == "doc")
    client.call(
        "submitJob",
        {
            "companyHandle": "c|100",
            "jobName": "rip",
            "ripPdfsJob": {"pdfHandleArray": {"items": [pdf.handle]}, "createMask": False, "emailSetting": "None"},
        },
    ).ok()
    fake.advance(timedelta(minutes=2))
    reply = client.call("getAssociatedAssets", {"companyHandle": "c|100", "assetHandle": pdf.handle}).ok()
    assert [el.text for el in reply.payload.iter("{*}name")] == ["doc_1", "doc_2"]


def _export_session() -> tuple[list[bytes], bytes]:
    fake = FakeIps(SCENARIO)
    client = SoapTestClient(fake)
    _upload(client, "up", ("https://x/a.jpg", "pics/a.jpg"), "https://x/b.mp4")
    fake.advance(timedelta(minutes=2))
    handles = sorted(a.handle for a in fake.state.catalog.assets.values())
    job = {"assetHandleArray": {"items": handles}, "fmt": "orig", "emailSetting": "None"}
    client.call("submitJob", {"companyHandle": "c|100", "jobName": "exp", "exportJob": job}).ok()
    fake.advance(timedelta(minutes=2))
    replies = [
        client.call("getJobLogDetails", {"companyHandle": "c|100", "originalName": "exp"}).body,
        client.call("searchAssets", {"companyHandle": "c|100", "includeSubfolders": True}).body,
    ]
    url = next(
        el.text
        for el in client.call("getJobLogDetails", {"companyHandle": "c|100", "originalName": "exp"}).payload.iter(
            "{*}assetName"
        )
        if el.text and el.text.startswith("http")
    )
    assert url.startswith("http://localhost/scene7/export/")
    archive = Client(fake).get(url.removeprefix("http://localhost")).get_data()
    return replies, archive


def test_the_same_calls_give_byte_identical_replies_and_archives() -> None:
    first, second = _export_session(), _export_session()
    assert first == second
    assert first[1][:2] == b"PK"


def test_in_process_callbacks_are_captured_through_responses_when_their_host_is_allowed() -> None:
    import re
    from urllib.parse import parse_qs

    import responses

    fake = FakeIps(SCENARIO, callback_hosts=["hooks.example.com"])
    client = SoapTestClient(fake)
    with responses.RequestsMock() as mock:
        mock.add(responses.POST, re.compile(r"https://hooks\.example\.com/done.*"), status=204)
        _upload(client, "up", "https://x/a.jpg", postHttpUrl="https://hooks.example.com/done?code=7")
        fake.advance(timedelta(minutes=2))
        (captured,) = mock.calls
    assert captured.request.url == "https://hooks.example.com/done?code=7"
    form = parse_qs(str(captured.request.body))
    assert form["originalName"] == ["up"]
    assert form["status"] == ["success"]
    assert form["jobHandle"][0].startswith("j|100||up_")
    (call,) = [n for n in fake.state.outbox if n.kind == "http"]
    assert call.delivery == "delivered: HTTP 204"


# ----------------------------------------------------------------------------------------- seeded catalogs

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"


def test_a_scenario_seeds_folders_and_assets() -> None:
    fake = FakeIps(SCENARIOS / "catalog.yaml")
    client = SoapTestClient(fake)
    found = client.call("searchAssets", {"companyHandle": "c|100", "folder": "shoes", "includeSubfolders": True}).ok()
    assert found.text("totalRows") == "3"
    assert [el.text for el in found.payload.iterfind("{*}assetArray/{*}items/{*}name")] == ["blue", "old", "red"]
    tree = client.call("getFolderTree", {"companyHandle": "c|100", "depth": 1}).ok()
    assert [el.text for el in tree.payload.iter("{*}path")] == [
        "Example/",
        "Example/archive/",
        "Example/docs/",
        "Example/shoes/",
        "Example/videos/",
    ]
    by_color = client.call(
        "searchAssetsByMetadata",
        {
            "companyHandle": "c|100",
            "metadataConditionArray": {
                "items": [{"fieldHandle": "custom_attributes.color", "op": "Equals", "value": "red"}]
            },
        },
    ).ok()
    assert [el.text for el in by_color.payload.iterfind("{*}assetSummaryArray/{*}items/{*}name")] == ["red"]
    assert fake.errors == []


def test_catalog_and_limit_sections_are_checked_at_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "ips_mock: 1\n"
        "companies: [{name: Example}]\n"
        "users: [{email: a@example.com, password: p, role: IpsAdmin, companies: [Example]}]\n"
        "assets:\n"
        "  - {company: Example, path: a/x.jpg}\n"
        "  - {company: Example, path: b/x.png}\n"
        "  - {company: Acme, path: y.jpg}\n"
        "callbacks: {timeout: 2m}\n",
        "utf-8",
    )
    with pytest.raises(ScenarioError) as caught:
        FakeIps(bad)
    lines = str(caught.value).splitlines()
    assert lines[0].startswith(f"{bad}:6: assets[1].path: an asset named 'x' is already at assets[0]")
    assert lines[1].startswith(f"{bad}:7: assets[2].company: unknown company 'Acme'")
    assert lines[2] == f"{bad}:8: callbacks.timeout: '2m' must be more than 0 and at most 60 seconds"


def test_retention_and_callback_sections_take_effect() -> None:
    scenario = SCENARIO | {
        "retention": {"finished_runs_per_company": 1, "keep_for": 0},
        "callbacks": {"allow_hosts": ["hooks.example.com"], "timeout": "2s"},
    }
    fake = FakeIps(scenario)
    assert fake.state.retention.finished_runs_per_company == 1
    assert fake.callback_policy.timeout == 2.0
    assert fake.callback_policy.refusal("https://hooks.example.com/x") is None
    assert fake.callback_policy.refusal("https://elsewhere.example.com/x") is not None


def test_a_directory_upload_creates_the_files_its_behaviour_names() -> None:
    scenario = SCENARIO | {"behaviours": [{"match": {"type": "uploadDirectoryJob"}, "files": ["a.jpg", "sub/b.png"]}]}
    fake = FakeIps(scenario)
    client = SoapTestClient(fake)
    job = {
        "destFolder": "incoming",
        "serverDir": "/drop",
        "overwrite": True,
        "readyForPublish": True,
        "includeSubfolders": True,
        "createMask": False,
        "processMetadataFiles": False,
        "emailSetting": "None",
    }
    client.call("submitJob", {"companyHandle": "c|100", "jobName": "dir", "uploadDirectoryJob": job}).ok()
    fake.advance(timedelta(minutes=2))
    assert _names(fake) == [("a", "Example/incoming/", "a.jpg"), ("b", "Example/incoming/sub/", "b.png")]
    (log,) = fake.state.logs
    assert [d.asset_name for d in log.details if d.log_type == "UploadSuccess"] == ["a", "b"]


def test_the_admin_state_shows_what_retention_and_the_journal_let_go() -> None:
    from ips_mock.journal import JournalLimits
    from ips_mock.standalone import state_summary

    scenario = SCENARIO | {"retention": {"finished_runs_per_company": 1, "keep_for": 0}}
    fake = FakeIps(scenario, journal_limits=JournalLimits(max_entries=2))
    client = SoapTestClient(fake)
    for i in range(3):
        _upload(client, f"u{i}", f"https://x/{i}.jpg")
        fake.advance(timedelta(minutes=2))
    summary = state_summary(fake)
    assert summary["dropped"]["runs"] == 2
    assert summary["journal"]["dropped"] == 1
    assert [a["name"] for a in summary["assets"]] == ["0", "1", "2"]  # what jobs made stays
