"""Smart crops, the sub-assets of an image (REAL-CLIENTS W7): seeded by a scenario, listed by getAssociatedAssets'
subAssetArray and moved by updateSmartCrops, in the 2017-10-29-beta namespace and later; unknown before."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from werkzeug.test import Client

from ips_mock import FakeIps, ServerThread
from ips_mock.errors import ScenarioError
from ips_mock.protocol import ns
from ips_mock.testing import (
    SoapTestClient,
    auth_header,
    build_plain_request,
    upload_urls_job,
    validate_plain_reply,
)

from .test_plain_xml import AEM_64, xpath

SCENARIO = """\
ips_mock: 1
clock: {start: "2026-01-05T09:00:00Z"}
companies: [{name: Example, id: 100}, {name: Other, id: 200}]
users:
  - {email: admin@example.com, password: password, role: IpsCompanyAdmin, companies: [Example]}
  - {email: other@example.com, password: password, role: IpsCompanyAdmin, companies: [Other]}
  - {email: user@example.com, password: password, role: IpsUser, companies: [Example]}
assets:
  - company: Example
    path: products/shoe.jpg
    smart_crops:
      - {name: Large, width: 1200, height: 600, crop: {left: 0, top: 0.1, width: 1, height: 0.5}}
      - {name: Swatch, width: 100, height: 100, crop: {left: 0.4, top: 0.4, width: 0.1, height: 0.1}}
  - company: Example
    path: products/boot.jpg
    smart_crops:
      - {name: Large, width: 1200, height: 600, crop: {left: 0, top: 0, width: 1, height: 0.5}}
  - company: Other
    path: theirs.jpg
    smart_crops: [{name: Large, width: 10, height: 10, crop: {left: 0, top: 0, width: 1, height: 1}}]
"""
SHOE, BOOT, THEIRS = "a|100|1|1001", "a|100|1|1002", "a|200|1|1003"
PLAIN_PATH = "/scene7/api/IpsApiService"


@pytest.fixture
def fake(tmp_path: Path) -> FakeIps:
    path = tmp_path / "crops.yaml"
    path.write_text(SCENARIO)
    return FakeIps(path)


def _update(owner: str, sub_asset: str, rect: tuple[float, float, float, float] | None) -> dict[str, Any]:
    item: dict[str, Any] = {"ownerHandle": owner, "subAssetHandle": sub_asset}
    if rect is not None:
        item["cropRect"] = dict(zip(("leftN", "topN", "widthN", "heightN"), map(str, rect), strict=True))
    return item


class _JavaClient:
    """What UpdateSmartCrops.java sends: a ``<Request>`` in 2017-10-29-beta holding an authHeader with appName,
    appVersion and faultHttpStatusCode 200, posted as text/xml to /scene7/api/IpsApiService; each reply is
    checked against the namespace's schema and returned as bytes, for root-anchored XPaths."""

    def __init__(self, post: Callable[[bytes], tuple[int, bytes]]) -> None:
        self._post = post

    def call(self, operation: str, params: dict[str, Any]) -> bytes:
        namespace = ns.ApiVersion(AEM_64).namespace
        auth = auth_header(namespace=namespace, appName="W7", appVersion="1.0", faultHttpStatusCode=200)
        status, body = self._post(build_plain_request(operation, params, version=AEM_64, auth=auth))
        assert status == 200
        validate_plain_reply(body, expect_namespace=namespace)
        return body


@pytest.fixture(params=["in-process", "http"])
def java(request: pytest.FixtureRequest, fake: FakeIps) -> Iterator[_JavaClient]:
    if request.param == "in-process":
        client = Client(fake)

        def post(body: bytes) -> tuple[int, bytes]:
            reply = client.post(PLAIN_PATH, data=body, headers={"Content-Type": "text/xml"})
            return reply.status_code, reply.get_data()

        yield _JavaClient(post)
        return
    server = ServerThread(fake).start()
    try:

        def post_http(body: bytes) -> tuple[int, bytes]:
            reply = requests.post(server.url + PLAIN_PATH, data=body, headers={"Content-Type": "text/xml"}, timeout=30)
            return reply.status_code, reply.content

        yield _JavaClient(post_http)
    finally:
        server.stop()


def test_w7_finds_an_image_reads_its_crops_and_moves_them_all(fake: FakeIps, java: _JavaClient) -> None:
    """UpdateSmartCrops.java over the plain-XML transport: find the asset by file name and folder, map its
    sub-assets by name, update each, and require successCount to be the number sent."""
    root = xpath(java.call("getCompanyInfo", {"companyName": "Example"}), "/getCompanyInfoReturn/companyInfo/rootPath")
    conditions = [
        {"fieldHandle": "file_name", "op": "Equals", "value": "shoe.jpg"},
        {"fieldHandle": "folder_path", "op": "Contains", "value": f"{root[0]}products"},
    ]
    found = java.call(
        "searchAssetsByMetadata", {"companyHandle": "c|100", "metadataConditionArray": {"items": conditions}}
    )
    [asset] = xpath(found, "/searchAssetsByMetadataReturn/assetSummaryArray/items/assetHandle")
    assert asset == SHOE
    associated = java.call("getAssociatedAssets", {"companyHandle": "c|100", "assetHandle": asset})
    names = xpath(associated, "/getAssociatedAssetsReturn/subAssetArray/items/name")
    handles = xpath(associated, "/getAssociatedAssetsReturn/subAssetArray/items/subAssetHandle")
    assert dict(zip(names, handles, strict=True)) == {"Large": "sa|100|1001|1", "Swatch": "sa|100|1001|2"}
    assert xpath(associated, "/getAssociatedAssetsReturn/subAssetArray/items/smartCrop/cropRect/topN") == ["0.1", "0.4"]

    fake.advance(timedelta(hours=1))
    updates = [_update(asset, handles[0], (0.0, 0.25, 1.0, 0.5)), _update(asset, handles[1], (0.5, 0.5, 0.25, 0.25))]
    reply = java.call("updateSmartCrops", {"companyHandle": "c|100", "updateArray": {"items": updates}})
    assert xpath(reply, "/updateSmartCropsReturn/successCount") == ["2"]  # the script throws unless all were made
    assert xpath(reply, "/updateSmartCropsReturn/errorCount") == ["0"]

    after = java.call("getAssociatedAssets", {"companyHandle": "c|100", "assetHandle": asset})
    crops = "/getAssociatedAssetsReturn/subAssetArray/items"
    assert xpath(after, f"{crops}/smartCrop/cropRect/topN") == ["0.25", "0.5"]
    assert xpath(after, f"{crops}/smartCrop/cropRect/widthN") == ["1.0", "0.25"]
    assert xpath(after, f"{crops}/smartCrop/width") == ["1200", "100"]  # the rendition size is kept
    assert xpath(after, f"{crops}/created") == ["2026-01-05T01:00:00.000-08:00"] * 2
    assert xpath(after, f"{crops}/lastModified") == ["2026-01-05T02:00:00.000-08:00"] * 2


def test_each_update_that_cannot_be_made_is_an_error_and_the_rest_are_made(fake: FakeIps) -> None:
    client = SoapTestClient(fake, version=AEM_64)
    updates = [
        _update(SHOE, "sa|100|1001|1", (0.1, 0.1, 0.5, 0.5)),  # made
        _update(SHOE, "sa|100|1002|1", (0.1, 0.1, 0.5, 0.5)),  # the boot's crop, named with the shoe
        _update(SHOE, "sa|100|1001|9", None),  # no such crop
        _update("a|100|1|999", "sa|100|999|1", None),  # no such asset
        _update(THEIRS, "sa|200|1003|1", (0, 0, 1, 1)),  # another company's
        _update(SHOE, "sa|100|1001|2", (0.9, 0.1, 0.5, 0.5)),  # beyond the right edge
        _update(BOOT, "sa|100|1002|1", None),  # no rectangle: nothing to change, made
    ]
    reply = client.call("updateSmartCrops", {"companyHandle": "c|100", "updateArray": {"items": updates}})
    assert (reply.text("successCount"), reply.text("warningCount"), reply.text("errorCount")) == ("2", "0", "5")
    errors = [
        {child.tag.rpartition("}")[2]: child.text for child in item}
        for item in reply.payload.find("{*}errorDetailArray")
    ]
    assert [(e["subAssetHandle"], e.get("subAssetName"), e["code"]) for e in errors] == [
        ("sa|100|1002|1", None, "30001"),
        ("sa|100|1001|9", None, "30001"),
        ("sa|100|999|1", None, "30001"),
        ("sa|200|1003|1", None, "20006"),
        ("sa|100|1001|2", "Swatch", "30001"),
    ]
    assert (
        "'updateArray/items[2]/subAssetHandle': 'sa|100|1002|1' is not a sub-asset of the asset 'a|100|1|1001'"
        in (errors[0]["reason"])
    )
    assert "unknown asset handle 'a|100|1|999'" in errors[2]["reason"]
    assert "left + width and top + height at most 1" in errors[4]["reason"]

    associated = client.call("getAssociatedAssets", {"companyHandle": "c|100", "assetHandle": SHOE})
    rects = [
        [float(v.text) for v in item.find("{*}smartCrop/{*}cropRect")]
        for item in associated.payload.find("{*}subAssetArray")
    ]
    assert rects == [[0.1, 0.1, 0.5, 0.5], [0.4, 0.4, 0.1, 0.1]]  # the Swatch as it was


@pytest.mark.parametrize(
    ("rect", "problem"),
    [
        (("NaN", "0", "0.5", "0.5"), "between 0 and 1"),
        (("-0.1", "0", "0.5", "0.5"), "between 0 and 1"),
        (("0", "0", "0", "0.5"), "above 0"),
        (("0", "0.6", "0.5", "0.5"), "at most 1"),
        (("0", "0", "INF", "0.5"), "between 0 and 1"),
    ],
)
def test_a_rectangle_outside_the_image_is_refused(fake: FakeIps, rect: tuple[str, ...], problem: str) -> None:
    update = {"ownerHandle": SHOE, "subAssetHandle": "sa|100|1001|1"}
    update["cropRect"] = dict(zip(("leftN", "topN", "widthN", "heightN"), rect, strict=True))
    reply = SoapTestClient(fake, version=AEM_64).call(
        "updateSmartCrops", {"companyHandle": "c|100", "updateArray": {"items": [update]}}
    )
    assert reply.text("errorCount") == "1"
    assert problem in reply.text("errorDetailArray/items/reason")


def test_a_company_the_caller_is_not_in_is_refused_whole(fake: FakeIps) -> None:
    update = _update(THEIRS, "sa|200|1003|1", (0, 0, 1, 1))
    reply = SoapTestClient(fake, version=AEM_64).call(
        "updateSmartCrops", {"companyHandle": "c|200", "updateArray": {"items": [update]}}
    )
    assert reply.code == 20006


@pytest.mark.parametrize("version", ["2014-04-03", "2016-01-14-beta", "2013-02-15"])
def test_before_2017_there_are_no_sub_assets(fake: FakeIps, version: str) -> None:
    client = SoapTestClient(fake, version=version)
    update = _update(SHOE, "sa|100|1001|1", (0, 0, 1, 1))
    reply = client.call("updateSmartCrops", {"companyHandle": "c|100", "updateArray": {"items": [update]}})
    assert reply.code == 30003
    assert "Unknown operation 'updateSmartCrops'" in (reply.reason or "")
    associated = client.call("getAssociatedAssets", {"companyHandle": "c|100", "assetHandle": SHOE}).ok()
    assert associated.payload.find("{*}subAssetArray") is None


@pytest.mark.parametrize("version", [AEM_64, "2021-04-26-beta", "2022-11-01-beta"])
def test_every_beta_since_2017_lists_sub_assets_and_an_image_without_crops_has_none(
    fake: FakeIps, version: str, tmp_path: Path
) -> None:
    client = SoapTestClient(fake, version=version)  # every reply is validated against the version's schema
    assert (
        len(
            client.call("getAssociatedAssets", {"companyHandle": "c|100", "assetHandle": BOOT}).payload.find(
                "{*}subAssetArray"
            )
        )
        == 1
    )
    bare = tmp_path / "bare.yaml"
    bare.write_text(SCENARIO.split("assets:")[0] + "assets: [{company: Example, path: plain.jpg}]\n")
    plain = SoapTestClient(FakeIps(bare), version=version)
    reply = plain.call("getAssociatedAssets", {"companyHandle": "c|100", "assetHandle": SHOE})
    assert len(reply.payload.find("{*}subAssetArray")) == 0


def test_response_fields_narrow_the_sub_assets(fake: FakeIps) -> None:
    params = {
        "companyHandle": "c|100",
        "assetHandle": SHOE,
        "responseFieldArray": {"items": ["subAssetArray/items/name"]},
    }
    reply = SoapTestClient(fake, version=AEM_64).call("getAssociatedAssets", params)
    items = reply.payload.find("{*}subAssetArray")
    assert [[child.tag.rpartition("}")[2] for child in item] for item in items] == [["name"], ["name"]]


def _entry(path: str, *crops: str) -> str:
    """One asset entry of the scenario's list, in flow style: its path and smart crops (``name: left top width
    height`` each)."""
    flows = []
    for crop in crops:
        name, _, edges = crop.partition(": ")
        left, top, width, height = edges.split()
        rect = f"{{left: {left}, top: {top}, width: {width}, height: {height}}}"
        flows.append(f"{{name: {name}, width: 1, height: 1, crop: {rect}}}")
    return f"{{company: Example, path: {path}, smart_crops: [{', '.join(flows)}]}}"


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            _entry("film.mp4", "L: 0 0 1 1"),
            "crops.yaml:21: assets[3].smart_crops: only an image has smart crops; this asset is of type 'Video'",
        ),
        (
            _entry("x.jpg", "L: 0 0 1 1", "L: 0 0 1 1"),
            "crops.yaml:21: assets[3].smart_crops[1].name: 'L' names smart_crops[0] too: names are unique",
        ),
        (_entry("x.jpg", "L: 0.5 0 0.6 1"), "crops.yaml:21: assets[3].smart_crops[0].crop: the crop must lie within"),
        (_entry("x.jpg", "L: 0 0 1 2"), "crops.yaml:21: assets[3].smart_crops[0].crop.height: 2 is greater than"),
    ],
)
def test_a_bad_smart_crop_is_reported_at_its_line(tmp_path: Path, entry: str, message: str) -> None:
    path = tmp_path / "crops.yaml"
    path.write_text(SCENARIO + f"  - {entry}\n")
    with pytest.raises(ScenarioError) as error:
        FakeIps(path)
    assert message in str(error.value)


def test_at_most_a_hundred_smart_crops_an_image(tmp_path: Path) -> None:
    path = tmp_path / "crops.yaml"
    path.write_text(SCENARIO + f"  - {_entry('x.jpg', *(f'C{i}: 0 0 1 1' for i in range(101)))}\n")
    with pytest.raises(
        ScenarioError, match=r"crops.yaml:21: assets\[3\].smart_crops: 101 smart crops; an image has at most 100"
    ):
        FakeIps(path)
    path.write_text(SCENARIO + f"  - {_entry('x.jpg', *(f'C{i}: 0 0 1 1' for i in range(100)))}\n")
    client = SoapTestClient(FakeIps(path), version=AEM_64)
    reply = client.call("getAssociatedAssets", {"companyHandle": "c|100", "assetHandle": "a|100|1|1004"})
    assert reply.payload.find("{*}subAssetArray")[-1].findtext("{*}subAssetHandle") == "sa|100|1004|100"


@pytest.mark.parametrize(
    ("source", "kept"), [("https://img.example.com/shoe.png", 2), ("https://img.example.com/shoe.mp4", 0)]
)
def test_an_upload_over_the_image_keeps_its_crops_only_if_it_is_an_image(fake: FakeIps, source: str, kept: int) -> None:
    client = SoapTestClient(fake, version=AEM_64)
    job = upload_urls_job((source, "Example/products/shoe"))
    params = {"companyHandle": "c|100", "jobName": "replace", "uploadUrlsJob": job}
    client.call("submitJob", params, user="user@example.com").ok()
    fake.advance(timedelta(minutes=5))
    reply = client.call("getAssociatedAssets", {"companyHandle": "c|100", "assetHandle": SHOE}).ok()
    assert len(reply.payload.find("{*}subAssetArray")) == kept


def test_a_crop_a_rounding_past_the_edge_is_cut_back_and_minus_zero_is_zero(fake: FakeIps) -> None:
    rect = {"leftN": "-0", "topN": "0.7", "widthN": "1", "heightN": "0.3000000001"}
    update = {"ownerHandle": SHOE, "subAssetHandle": "sa|100|1001|1", "cropRect": rect}
    client = SoapTestClient(fake, version=AEM_64)
    client.call("updateSmartCrops", {"companyHandle": "c|100", "updateArray": {"items": [update]}}).ok()
    reply = client.call("getAssociatedAssets", {"companyHandle": "c|100", "assetHandle": SHOE})
    stored = [v.text for v in reply.payload.find("{*}subAssetArray/{*}items/{*}smartCrop/{*}cropRect")]
    assert stored == ["0.0", "0.7", "1.0", str(1.0 - 0.7)]


def test_a_fields_stub_may_answer_a_beta_only_operation(tmp_path: Path) -> None:
    path = tmp_path / "stubbed.yaml"
    stub = "stubs:\n  - operation: updateSmartCrops\n    fields: {successCount: 7, warningCount: 0, errorCount: 0}\n"
    path.write_text(SCENARIO + stub)
    client = SoapTestClient(FakeIps(path), version=AEM_64)
    reply = client.call("updateSmartCrops", {"companyHandle": "c|100", "updateArray": {"items": []}})
    assert reply.text("successCount") == "7"


def test_a_timeline_picks_a_listed_item_by_position(tmp_path: Path) -> None:
    """``items[2]/name`` in a step's expected reply: the second item (from 1, as in XPath); past the end, none."""
    from ips_mock.replay import replay

    step = (
        "timeline:\n  - call: getAssociatedAssets\n    version: 2017-10-29-beta\n"
        f'    params: {{companyHandle: "c|100", assetHandle: "{SHOE}"}}\n'
        "    expect:\n      reply:\n"
    )
    path = tmp_path / "positions.yaml"
    cases: dict[tuple[str, ...], str | None] = {
        (
            "subAssetArray/items[2]/name: Swatch",
            "subAssetArray/items/name: Large",
            "subAssetArray/items[3]/name: null",
        ): None,
        ("subAssetArray/items[2]/name: Large",): "subAssetArray/items[2]/name: expected 'Large', got 'Swatch'",
        ("subAssetArray/items[3]/name: Large",): "subAssetArray/items[3]/name: expected 'Large', got None",
    }
    for expected, problem in cases.items():
        path.write_text(SCENARIO + step + "".join(f"        {line}\n" for line in expected))
        results, _ = replay(path)
        assert [r.problem for r in results] == [problem]
