"""Asset and folder workflows of real clients (REAL-CLIENTS W1, W4, W6, W7, W9) through zeep on Adobe's own
2014-04-03 WSDL against a served fake; every reply is checked against that WSDL's schema on the way in."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from lxml import etree
from zeep.exceptions import Fault

from ips_mock import FakeIps
from ips_mock.testing import add_asset


def populate(fake: FakeIps) -> None:
    add_asset(fake, "Example/top.jpg")
    add_asset(fake, "Example/img/hero.jpg", size=2048)
    add_asset(fake, "Example/img/logo.png", size=512)
    add_asset(fake, "Example/img/videos/clip.mp4", size=9000)
    add_asset(fake, "Example/videos/promo.mov", size=7000)
    add_asset(fake, "Other/x.mp4")


@pytest.fixture
def fake() -> Iterator[FakeIps]:
    fake = FakeIps()
    populate(fake)
    yield fake
    assert fake.errors == []


def test_w9_search_videos_then_get_assets(real_zeep: Any) -> None:
    found = real_zeep.service.searchAssets(
        companyHandle="c|100",
        folder="Example/",
        includeSubfolders=True,
        assetTypeArray={"items": ["Video"]},
        recordsPerPage=1,
        resultsPage=2,
        _soapheaders=real_zeep.auth(),
    )
    handles = [a.assetHandle for a in found.assetArray.items]
    # zeep unwraps a Return of one field: getAssets answers the assetArray's items
    assets = real_zeep.service.getAssets(
        companyHandle="c|100", assetHandleArray={"items": handles}, _soapheaders=real_zeep.auth()
    )

    assert found.totalRows == 2
    assert [(a.name, a.fileName, a.folder, a.ipsImageUrl) for a in assets] == [
        ("promo", "promo.mov", "Example/videos/", "https://s7d1.scene7.com/is/image/Example/promo")
    ]
    assert real_zeep.validated == 2


def test_w1_walk_the_tree_then_search_each_folder(real_zeep: Any) -> None:
    rows: list[tuple[str, str, str, int | None]] = []
    visited: list[str] = []

    def visit(path: str) -> None:
        visited.append(path)
        found = real_zeep.service.searchAssets(
            companyHandle="c|100",
            folder=path,
            includeSubfolders=False,
            assetTypeArray={"items": ["Image", "Video"]},
            _soapheaders=real_zeep.auth(),
        )
        for a in found.assetArray.items if found.assetArray is not None else []:
            rows.append((a.folder, a.fileName, a.assetHandle, a.imageInfo.fileSize if a.imageInfo else None))

    def walk(path: str) -> None:
        tree = real_zeep.service.getFolderTree(
            companyHandle="c|100", folderPath=path, depth=1, _soapheaders=real_zeep.auth()
        )
        for folder in tree.folders.subfolderArray.items:
            assert folder.folderHandle == f"f|100|{folder.path}"
            visit(folder.path)
            if folder.hasSubfolders:
                walk(folder.path)

    visit("Example/")
    walk("Example/")

    assert visited == ["Example/", "Example/img/", "Example/img/videos/", "Example/videos/"]
    assert [(folder, name, size) for folder, name, _, size in rows] == [
        ("Example/", "top.jpg", 1000),
        ("Example/img/", "hero.jpg", 2048),
        ("Example/img/", "logo.png", 512),
        ("Example/img/videos/", "clip.mp4", None),
        ("Example/videos/", "promo.mov", None),
    ]
    assert all(handle.startswith("a|100|1|") for _, _, handle, _ in rows)


def test_w6_create_existing_folder_as_http_200_then_move(real_zeep: Any, fake: FakeIps) -> None:
    with pytest.raises(Fault) as caught:
        real_zeep.service.createFolder(
            companyHandle="c|100", folderPath="Example/img/", _soapheaders=real_zeep.auth(faultHttpStatusCode=200)
        )
    hero = fake.state.catalog.named(100, "hero")
    assert hero is not None
    moved = real_zeep.service.moveAssets(
        companyHandle="c|100",
        assetMoveArray={"items": [{"assetHandle": hero.handle, "folderHandle": "f|100|Example/videos/"}]},
        _soapheaders=real_zeep.auth(),
    )

    detail = caught.value.detail
    assert detail is not None
    assert [etree.QName(c).localname for c in detail[0]] == ["code", "reason"]
    assert "already exists" in (detail[0][1].text or "")
    assert real_zeep.statuses == [200, 200]
    assert (moved.successCount, moved.errorCount) == (1, 0)
    assert hero.folder == "Example/videos/"


def test_w4_rename_to_a_taken_name_then_delete(real_zeep: Any, fake: FakeIps) -> None:
    (logo,) = real_zeep.service.getAssetsByName(
        companyHandle="c|100", nameArray={"items": ["logo"]}, _soapheaders=real_zeep.auth()
    )
    with pytest.raises(Fault) as caught:
        real_zeep.service.renameAsset(
            companyHandle="c|100",
            assetHandle=logo.assetHandle,
            newName="hero",
            validateName=True,
            _soapheaders=real_zeep.auth(),
        )
    real_zeep.service.deleteAsset(companyHandle="c|100", assetHandle=logo.assetHandle, _soapheaders=real_zeep.auth())

    assert caught.value.detail is not None
    assert caught.value.detail[0][1].text == "Asset ID 'hero' is already in use."
    assert fake.state.catalog.named(100, "logo") is None


def test_w7_by_metadata_then_associated(real_zeep: Any, fake: FakeIps) -> None:
    promo = fake.state.catalog.named(100, "promo")
    assert promo is not None
    still = add_asset(fake, "Example/videos/promo-still.jpg", derived_from=promo)
    found = real_zeep.service.searchAssetsByMetadata(
        companyHandle="c|100",
        metadataConditionArray={
            "items": [
                {"fieldHandle": "file_name", "op": "Equals", "value": "promo.mov"},
                {"fieldHandle": "folder_path", "op": "Contains", "value": "videos"},
            ]
        },
        _soapheaders=real_zeep.auth(),
    )
    handle = found.assetSummaryArray.items[0].assetHandle
    related = real_zeep.service.getAssociatedAssets(
        companyHandle="c|100", assetHandle=handle, _soapheaders=real_zeep.auth()
    )

    assert found.totalRows == 1
    assert handle.startswith("a|100|1|")
    assert handle == promo.handle
    assert [a.assetHandle for a in related.derivedArray.items] == [still.handle]
    assert real_zeep.validated == 2


def test_w10_response_field_array_through_zeep(real_zeep: Any) -> None:
    result = real_zeep.service.getAssetsByName(
        companyHandle="c|100",
        nameArray={"items": ["hero", "logo", "clip"]},
        responseFieldArray={"items": ["assetArray/items/name", "imageInfo/fileSize"]},
        _soapheaders=real_zeep.auth(),
    )

    items = result
    assert [(a.name, a.assetHandle, a.imageInfo and a.imageInfo.fileSize) for a in items] == [
        ("hero", None, 2048),
        ("logo", None, 512),
        ("clip", None, None),
    ]
