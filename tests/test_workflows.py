"""Three public integrations run as written against ips-mock (REAL-CLIENTS §1): W1 (export and download), W4
(upload, find, publish, stop) and W5 (upload with a completion callback, then delete), through zeep on Adobe's own
2014 WSDL and a ServerThread, and W1 once more with raw envelopes against the standalone server.

Each workflow's calls, order and stop conditions are those of the public code; only the host differs.
"""

from __future__ import annotations

import io
import json
import threading
import time
import zipfile
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import zeep
from lxml import etree

from ips_mock import FakeIps, ServerThread
from ips_mock.standalone import StandaloneApp
from ips_mock.testing import auth_header, build_envelope, real_wsdl_path, upload_urls_job

TNS = "http://www.scene7.com/IpsApi"
NS = "http://www.scene7.com/IpsApi/xsd/2014-04-03"

SCENARIO: dict[str, Any] = {
    "ips_mock": 1,
    "companies": [{"name": "Example", "id": 100}, {"name": "Other", "id": 200}],
    "users": [
        {"email": "admin@example.com", "password": "password", "role": "IpsAdmin", "companies": ["Example"]},
        {"email": "other@example.com", "password": "password", "role": "IpsAdmin", "companies": ["Other"]},
    ],
    "behaviours": [
        {"match": {"type": "exportJob"}, "duration": "2s"},
        {"match": {"type": "uploadUrlsJob"}, "duration": "2s"},
    ],
}


@pytest.fixture
def served(request: pytest.FixtureRequest) -> Iterator[tuple[FakeIps, ServerThread]]:
    # W1 polls in real time: its fake's clock follows the wall clock (and still jumps when a test advances it).
    fake = FakeIps(SCENARIO, clock_mode=getattr(request, "param", "manual"))
    server = ServerThread(fake).start()
    try:
        fake.base_url = server.url
        yield fake, server
    finally:
        server.stop()


def _service(server: ServerThread) -> Any:
    session = requests.Session()
    session.auth = ("admin@example.com", "password")
    client = zeep.Client(str(real_wsdl_path("2014-04-03")), transport=zeep.Transport(session=session))
    return client.create_service(f"{{{TNS}}}IpsApiServiceSoapBinding", f"{server.url}/scene7/services/IpsApiService")


def _upload(fake: FakeIps, service: Any, *urls: tuple[str, str]) -> None:
    service.submitJob(
        companyHandle="c|100", jobName=f"seed-{len(fake.state.catalog.assets)}", uploadUrlsJob=upload_urls_job(*urls)
    )
    fake.advance(timedelta(seconds=5))


# ------------------------------------------------------------------------------------------------------- W1


def _folders(service: Any, path: str, found: list[str]) -> None:
    """W1's recursion: getFolderTree(folderPath, depth=1), then into every subfolder that hasSubfolders."""
    tree = service.getFolderTree(companyHandle="c|100", folderPath=path, depth=1)
    found.append(tree.folders.path)
    for sub in tree.folders.subfolderArray.items if tree.folders.subfolderArray else []:
        if sub.hasSubfolders:
            _folders(service, sub.path, found)
        else:
            found.append(sub.path)


@pytest.mark.parametrize("served", ["wall"], indirect=True)
def test_w1_export_and_download(served: tuple[FakeIps, ServerThread]) -> None:
    fake, server = served
    service = _service(server)
    _upload(
        fake,
        service,
        ("https://img.example.com/a.jpg", "shoes/red/a.jpg"),
        ("https://img.example.com/b.mp4", "shoes/b.mp4"),
        ("https://img.example.com/c.pdf", "docs/c.pdf"),
    )

    folders: list[str] = []
    _folders(service, "Example/", folders)
    assert folders == ["Example/", "Example/docs/", "Example/shoes/", "Example/shoes/red/"]
    handles = []
    for folder in folders:
        found = service.searchAssets(
            companyHandle="c|100", folder=folder, includeSubfolders=False, assetTypeArray={"items": ["Image", "Video"]}
        )
        for asset in found.assetArray.items if found.assetArray else []:
            assert asset.folder == folder
            assert asset.fileName in ("a.jpg", "b.mp4")
            if asset.type == "Image":
                assert asset.imageInfo.fileSize > 0
            handles.append(asset.assetHandle)
    assert len(handles) == 2

    service.submitJob(
        companyHandle="c|100",
        jobName="w1-export",
        exportJob={"assetHandleArray": {"items": handles}, "fmt": "orig", "emailSetting": "None"},
    )
    url = None
    deadline = time.monotonic() + 30
    while url is None and time.monotonic() < deadline:  # W1's loop (bounded here)
        logs = service.getJobLogDetails(companyHandle="c|100", originalName="w1-export")
        for log in logs or []:
            for detail in log.detailArray.items if log.detailArray else []:
                if detail.assetName and detail.assetName.startswith("http"):
                    url = detail.assetName
        if url is None:
            time.sleep(0.5)
    assert url is not None
    assert url.startswith(f"{server.url}/scene7/export/")
    download = requests.get(url, timeout=10)
    assert download.status_code == 200
    with zipfile.ZipFile(io.BytesIO(download.content)) as archive:
        names = archive.namelist()
        manifest = json.loads(archive.read("manifest.json"))
    assert names[0] == "manifest.json"
    assert sorted(names[1:]) == ["a.jpg", "b.mp4"]  # in the order the job named them
    assert manifest["fmt"] == "orig"
    assert [a["assetHandle"] for a in manifest["assets"]] == handles


def test_w1_with_raw_envelopes_against_the_standalone_server() -> None:
    app = StandaloneApp(FakeIps(SCENARIO).scenario)
    with ServerThread(app) as server:
        endpoint = f"{server.url}/scene7/services/IpsApiService"

        def call(operation: str, params: dict[str, Any]) -> bytes:
            body = build_envelope(operation, params, headers=[auth_header()])
            response = requests.post(
                endpoint, data=body, headers={"Content-Type": "text/xml", "SOAPAction": operation}, timeout=10
            )
            assert response.status_code == 200, response.text
            return response.content

        call(
            "submitJob",
            {"companyHandle": "c|100", "jobName": "up", "uploadUrlsJob": upload_urls_job(("https://x/a.jpg", "a.jpg"))},
        )
        requests.post(f"{server.url}/__admin/clock/advance", json={"seconds": 5}, timeout=10).raise_for_status()
        found = call("searchAssets", {"companyHandle": "c|100", "includeSubfolders": "true"})
        handle = found.split(b"<assetHandle>")[1].split(b"<")[0].decode()
        call(
            "submitJob",
            {
                "companyHandle": "c|100",
                "jobName": "exp",
                "exportJob": {"assetHandleArray": {"items": [handle]}, "fmt": "orig", "emailSetting": "None"},
            },
        )
        requests.post(f"{server.url}/__admin/clock/advance", json={"seconds": 5}, timeout=10).raise_for_status()
        details = call("getJobLogDetails", {"companyHandle": "c|100", "originalName": "exp"})
        url = details.split(b"<assetName>http")[1].split(b"<")[0].decode()
        download = requests.get("http" + url, timeout=10)
        assert download.status_code == 200
        assert zipfile.ZipFile(io.BytesIO(download.content)).namelist() == ["manifest.json", "a.jpg"]


# ------------------------------------------------------------------------------------------------------- W4


def test_w4_upload_find_publish_and_stop(served: tuple[FakeIps, ServerThread]) -> None:
    fake, server = served
    service = _service(server)
    info = service.getCompanyInfo(companyName="Example")
    company = info.companyHandle
    service.submitJob(
        companyHandle=company,
        jobName="w4-upload",
        uploadUrlsJob={
            "urlArray": {
                "items": [{"sourceUrl": "https://img.example.com/shirt.jpg", "destPath": "Example/shirts/shirt.jpg"}]
            },
            "overwrite": True,
            "readyForPublish": True,
            "createMask": False,
            "emailSetting": "None",
        },
    )
    fake.advance(timedelta(seconds=5))
    (asset,) = service.getAssetsByName(companyHandle=company, nameArray={"items": ["shirt"]})  # zeep unwraps
    assert (asset.name, asset.folder, asset.fileName) == ("shirt", "Example/shirts/", "shirt.jpg")  # not rooted twice
    service.submitJob(
        companyHandle=company,
        jobName="w4-publish",
        imageServingPublishJob={"publishType": "Full", "emailSetting": "None"},
    )
    active = service.getActiveJobs(companyHandle=company)
    (publish,) = [job for job in active if job.imageServingPublishJob is not None]
    service.stopJob(companyHandle=company, jobHandle=publish.jobHandle)
    fake.advance(timedelta(seconds=5))
    assert not service.getActiveJobs(companyHandle=company)  # an empty jobArray


# ------------------------------------------------------------------------------------------------------- W5


class _Receiver(BaseHTTPRequestHandler):
    calls: ClassVar[list[tuple[str, dict[str, list[str]], dict[str, list[str]]]]] = []

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        form = parse_qs(self.rfile.read(length).decode())
        parts = urlsplit(self.path)
        type(self).calls.append((parts.path, parse_qs(parts.query), form))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def test_w5_the_post_http_url_is_called_when_the_upload_ends_then_delete(served: tuple[FakeIps, ServerThread]) -> None:
    fake, server = served
    receiver = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    thread = threading.Thread(target=receiver.serve_forever, daemon=True)
    thread.start()
    _Receiver.calls = []
    try:
        service = _service(server)
        hook = f"http://127.0.0.1:{receiver.server_address[1]}/hook?asset_code=bird1;token=123"
        service.submitJob(
            companyHandle="c|100",
            jobName="w5-upload",
            uploadUrlsJob={
                "urlArray": {
                    "items": [
                        {
                            "sourceUrl": "https://static.example.com/bird-thumbnail.jpg",
                            "destPath": "/philipstest/km/bird1",
                        }
                    ]
                },
                "overwrite": True,
                "readyForPublish": True,
                "preservePublishState": True,
                "createMask": False,
                "preserveCrop": True,
                "emailSetting": "Error",
                "postJobOnlyIfFiles": False,
                "postHttpUrl": hook,
            },
        )
        assert _Receiver.calls == []
        fake.advance(timedelta(seconds=5))  # the upload ends; the call is made before advance returns
        ((path, query, form),) = _Receiver.calls
        assert path == "/hook"
        assert query == {"asset_code": ["bird1;token=123"]}
        assert form["originalName"] == ["w5-upload"]
        assert form["status"] == ["success"]
        (call,) = [n for n in fake.state.outbox if n.kind == "http"]
        assert call.delivery == "delivered: HTTP 200"

        asset = service.getAssetsByName(companyHandle="c|100", nameArray={"items": ["bird1"]})[0]  # zeep unwraps
        assert (asset.folder, asset.fileName) == ("Example/philipstest/km/", "bird1.jpg")
        service.deleteAsset(companyHandle="c|100", assetHandle=asset.assetHandle)
        assert not service.getAssetsByName(companyHandle="c|100", nameArray={"items": ["bird1"]})
    finally:
        receiver.shutdown()
        receiver.server_close()
        thread.join(timeout=5)


def test_callbacks_go_only_to_loopback_unless_allowed(served: tuple[FakeIps, ServerThread]) -> None:
    fake, server = served
    service = _service(server)
    job = upload_urls_job("https://img.example.com/x.jpg", postHttpUrl="https://hooks.example.com/done?x=1")
    service.submitJob(companyHandle="c|100", jobName="far", uploadUrlsJob=job)
    fake.advance(timedelta(seconds=5))
    (call,) = [n for n in fake.state.outbox if n.kind == "http"]
    assert call.delivery is not None
    assert call.delivery.startswith("not delivered: host hooks.example.com")


# ----------------------------------------------------------------------- W4 and W5 with raw envelopes, standalone


class _Raw:
    """A client that writes envelopes by hand against ``ips-mock serve``'s app, as non-Python callers do."""

    def __init__(self, url: str) -> None:
        self.url = url

    def call(self, operation: str, params: dict[str, Any]) -> bytes:
        body = build_envelope(operation, params, headers=[auth_header()])
        response = requests.post(
            f"{self.url}/scene7/services/IpsApiService",
            data=body,
            headers={"Content-Type": "text/xml; charset=UTF-8", "SOAPAction": operation},
            timeout=10,
        )
        assert response.status_code == 200, response.text
        return response.content

    def advance(self, seconds: float) -> None:
        requests.post(f"{self.url}/__admin/clock/advance", json={"seconds": seconds}, timeout=10).raise_for_status()


def _texts(body: bytes, name: str) -> list[str]:
    return [el.text or "" for el in etree.fromstring(body).iter(f"{{{NS}}}{name}")]


def test_w4_and_w5_with_raw_envelopes_against_the_standalone_server() -> None:
    receiver = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    thread = threading.Thread(target=receiver.serve_forever, daemon=True)
    thread.start()
    _Receiver.calls = []
    app = StandaloneApp(FakeIps(SCENARIO).scenario)
    try:
        with ServerThread(app) as server:
            ips = _Raw(server.url)
            # W4: company, upload, find it, publish, find the publish among the active jobs, stop it.
            company = _texts(ips.call("getCompanyInfo", {"companyName": "Example"}), "companyHandle")[0]
            hook = f"http://127.0.0.1:{receiver.server_address[1]}/done?asset_code=shirt"
            job = upload_urls_job(("https://img.example.com/shirt.jpg", "Example/shirts/shirt.jpg"), postHttpUrl=hook)
            ips.call("submitJob", {"companyHandle": company, "jobName": "raw-upload", "uploadUrlsJob": job})
            ips.advance(5)
            found = ips.call("getAssetsByName", {"companyHandle": company, "nameArray": {"items": ["shirt"]}})
            assert _texts(found, "folder") == ["Example/shirts/"]
            ips.call(
                "submitJob",
                {
                    "companyHandle": company,
                    "jobName": "raw-publish",
                    "imageServingPublishJob": {"publishType": "Full", "emailSetting": "None"},
                },
            )
            active = etree.fromstring(ips.call("getActiveJobs", {"companyHandle": company}))
            publishing = [
                item.findtext(f"{{{NS}}}jobHandle")
                for item in active.iter(f"{{{NS}}}items")
                if item.find(f"{{{NS}}}imageServingPublishJob") is not None
            ]
            assert len(publishing) == 1
            ips.call("stopJob", {"companyHandle": company, "jobHandle": publishing[0]})
            # W5: the upload's postHttpUrl was called when it ended; then find the asset and delete it.
            ((path, query, form),) = _Receiver.calls
            assert (path, query["asset_code"], form["status"]) == ("/done", ["shirt"], ["success"])
            handle = _texts(found, "assetHandle")[0]
            ips.call("deleteAsset", {"companyHandle": company, "assetHandle": handle})
            assert (
                _texts(
                    ips.call("getAssetsByName", {"companyHandle": company, "nameArray": {"items": ["shirt"]}}), "name"
                )
                == []
            )
    finally:
        receiver.shutdown()
        receiver.server_close()
        thread.join(timeout=5)
