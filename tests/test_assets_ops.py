"""Asset and folder operations through raw envelopes: every reply is validated against Adobe's 2014-04-03 schema by
:class:`SoapTestClient`, every bad input is an IPS fault (``fake.errors`` stays empty)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from lxml import etree

from ips_mock import FakeIps
from ips_mock.model.catalog import Asset
from ips_mock.testing import SoapTestClient, add_asset, auth_header

CO = "c|100"
OTHER = "c|200"


def populate(fake: FakeIps) -> dict[str, Asset]:
    """Example: images and videos in a small tree; Other: one asset and one folder."""
    return {
        "hero": add_asset(fake, "Example/img/hero.jpg", size=2048, metadata={"sku": "S-1"}),
        "logo": add_asset(fake, "Example/img/logo.png", size=512),
        "clip": add_asset(fake, "Example/img/videos/clip.mp4", size=9000),
        "promo": add_asset(fake, "Example/videos/promo.mov", size=7000, metadata={"sku": "S-2"}),
        "manual": add_asset(fake, "Example/docs/manual.pdf", size=300),
        "top": add_asset(fake, "Example/top.jpg"),
        "foreign": add_asset(fake, "Other/secret/x.jpg"),
    }


@pytest.fixture
def fake() -> Iterator[FakeIps]:
    fake = FakeIps()
    yield fake
    assert fake.errors == []


@pytest.fixture
def assets(fake: FakeIps) -> dict[str, Asset]:
    return populate(fake)


@pytest.fixture
def client(fake: FakeIps) -> SoapTestClient:
    return SoapTestClient(fake)


def items(reply: Any, array: str) -> list[etree._Element]:
    found = [c for c in reply.payload if etree.QName(c).localname == array]
    return [] if not found else [i for i in found[0] if etree.QName(i).localname == "items"]


def field(item: etree._Element, path: str) -> str | None:
    el: etree._Element | None = item
    for part in path.split("/"):
        assert el is not None
        el = next((c for c in el if etree.QName(c).localname == part), None)
    return None if el is None else (el.text or "")


def names(item: etree._Element) -> list[str]:
    return [etree.QName(c).localname for c in item]


def arr(*values: Any) -> dict[str, list[Any]]:
    return {"items": list(values)}


def search(client: SoapTestClient, **params: Any) -> Any:
    return client.call("searchAssets", {"companyHandle": CO, **params})


# ------------------------------------------------------------------------------------------------ searchAssets


def test_search_assets_in_one_folder_or_below(client: SoapTestClient, assets: dict[str, Asset]) -> None:
    flat = search(client, folder="Example/img/", includeSubfolders=False).ok()
    deep = search(client, folder="Example/img/", includeSubfolders=True).ok()

    assert flat.text("totalRows") == "2"
    assert [field(i, "name") for i in items(flat, "assetArray")] == ["hero", "logo"]
    assert [field(i, "name") for i in items(deep, "assetArray")] == ["clip", "hero", "logo"]
    hero = items(flat, "assetArray")[0]
    assert field(hero, "assetHandle") == assets["hero"].handle
    assert field(hero, "folder") == "Example/img/"
    assert field(hero, "fileName") == "hero.jpg"
    assert field(hero, "imageInfo/fileSize") == "2048"
    assert field(hero, "ipsImageUrl") == "https://s7d1.scene7.com/is/image/Example/hero"


def test_search_assets_with_no_folder_is_the_root(client: SoapTestClient, assets: dict[str, Asset]) -> None:
    root = search(client, includeSubfolders=False).ok()
    everything = search(client, includeSubfolders=True).ok()

    assert [field(i, "name") for i in items(root, "assetArray")] == ["top"]
    assert everything.text("totalRows") == "6"  # never the other company's asset


def test_search_assets_by_folder_handle_and_type(client: SoapTestClient, assets: dict[str, Asset]) -> None:
    reply = search(client, folder="f|100|Example/", includeSubfolders=True, assetTypeArray=arr("Video")).ok()
    excluded = search(client, includeSubfolders=True, excludeAssetTypeArray=arr("Image", "Video")).ok()

    assert [field(i, "name") for i in items(reply, "assetArray")] == ["clip", "promo"]
    assert [field(i, "videoInfo/fileSize") for i in items(reply, "assetArray")] == ["9000", "7000"]
    assert [field(i, "name") for i in items(excluded, "assetArray")] == ["manual"]


def test_search_assets_pages_and_sorts(client: SoapTestClient, assets: dict[str, Asset]) -> None:
    pages = [search(client, includeSubfolders=True, recordsPerPage=4, resultsPage=page).ok() for page in (1, 2, 3)]
    by_size = search(client, includeSubfolders=True, sortBy="FileSize", sortDirection="Descending").ok()

    assert [p.text("totalRows") for p in pages] == ["6", "6", "6"]
    assert [[field(i, "name") for i in items(p, "assetArray")] for p in pages] == [
        ["clip", "hero", "logo", "manual"],
        ["promo", "top"],
        [],
    ]
    assert [field(i, "name") for i in items(by_size, "assetArray")][:2] == ["clip", "promo"]


def test_one_result_is_one_items_element(client: SoapTestClient, assets: dict[str, Asset]) -> None:
    reply = search(client, folder="Example/docs/", includeSubfolders=False).ok()

    assert b"<assetArray><items>" in reply.body
    assert reply.body.count(b"<items>") == 1


def test_search_assets_by_keyword_and_metadata(client: SoapTestClient, assets: dict[str, Asset]) -> None:
    keyword = search(client, includeSubfolders=True, keywordArray=arr("LOG")).ok()
    meta = search(
        client,
        includeSubfolders=True,
        metadataMatchMode="MatchAny",
        metadataConditionArray=arr(
            {"fieldHandle": "custom_attributes.sku", "op": "Equals", "value": "s-1"},
            {"fieldHandle": "name", "op": "StartsWith", "value": "pro"},
        ),
    ).ok()

    assert [field(i, "name") for i in items(keyword, "assetArray")] == ["logo"]
    assert [field(i, "name") for i in items(meta, "assetArray")] == ["hero", "promo"]


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"recordsPerPage": 0}, "recordsPerPage"),
        ({"resultsPage": -1}, "resultsPage"),
        ({"sortBy": "colour"}, "sortBy"),
        ({"sortDirection": "Up"}, "sortDirection"),
        ({"trashState": "Gone"}, "trashState"),
        ({"metadataMatchMode": "MatchSome"}, "metadataMatchMode"),
        ({"metadataConditionArray": arr({"fieldHandle": "name", "op": "Like", "value": "x"})}, "op"),
        ({"metadataConditionArray": arr({"fieldHandle": "name", "op": "Equals"})}, "value"),
    ],
)
def test_search_assets_bad_parameters(
    client: SoapTestClient, assets: dict[str, Asset], params: dict[str, Any], fragment: str
) -> None:
    ordered = {"includeSubfolders": True} | params
    order = [
        "includeSubfolders",
        "trashState",
        "metadataMatchMode",
        "metadataConditionArray",
        "recordsPerPage",
        "resultsPage",
        "sortBy",
        "sortDirection",
    ]
    search(client, **{k: ordered[k] for k in order if k in ordered}).assert_fault(30001, fragment)


def test_search_assets_in_trash_is_empty(client: SoapTestClient, assets: dict[str, Asset]) -> None:
    reply = search(client, includeSubfolders=True, trashState="InTrash").ok()

    assert reply.text("totalRows") == "0"


def test_search_assets_unknown_folder_is_empty(client: SoapTestClient, assets: dict[str, Asset]) -> None:
    assert search(client, folder="Example/nowhere/", includeSubfolders=True).ok().text("totalRows") == "0"


def test_search_assets_foreign(client: SoapTestClient, assets: dict[str, Asset]) -> None:
    client.call("searchAssets", {"companyHandle": OTHER, "includeSubfolders": True}).assert_fault(20006)
    search(client, folder="f|200|Other/", includeSubfolders=True).assert_fault(20006, "f|200|Other/")
    client.call("searchAssets", {"companyHandle": "c|999", "includeSubfolders": True}).assert_fault(20000)


# ------------------------------------------------------------------------------------------------- narrowing


def test_response_field_array_narrows_items(client: SoapTestClient, assets: dict[str, Asset]) -> None:
    relative = search(
        client, includeSubfolders=True, recordsPerPage=2, responseFieldArray=arr("name", "imageInfo/fileSize")
    ).ok()
    absolute = search(
        client, includeSubfolders=True, recordsPerPage=2, responseFieldArray=arr("assetArray/items/assetHandle")
    ).ok()

    assert relative.names() == ["totalRows", "assetArray"]
    clip, hero = items(relative, "assetArray")
    assert names(clip) == ["name"]  # a video has no imageInfo; the item stays
    assert names(hero) == ["name", "imageInfo"]
    assert names(next(iter(hero.iterchildren("{*}imageInfo")))) == ["fileSize"]
    assert [names(i) for i in items(absolute, "assetArray")] == [["assetHandle"], ["assetHandle"]]


def test_exclude_field_array_drops_fields(client: SoapTestClient, assets: dict[str, Asset]) -> None:
    reply = search(
        client,
        folder="Example/img/",
        includeSubfolders=False,
        excludeFieldArray=arr("imageInfo", "assetArray/items/metadataArray", "ipsImageUrl"),
    ).ok()

    for item in items(reply, "assetArray"):
        assert not {"imageInfo", "metadataArray", "ipsImageUrl"} & set(names(item))
        assert "assetHandle" in names(item)


def test_narrowing_both_and_unknown_fields(client: SoapTestClient, assets: dict[str, Asset]) -> None:
    reply = search(
        client,
        folder="Example/img/",
        includeSubfolders=False,
        responseFieldArray=arr("imageInfo", "nosuchfield", "metadataArray/items/name"),
        excludeFieldArray=arr("imageInfo/width"),
    ).ok()

    hero = items(reply, "assetArray")[0]
    assert names(hero) == ["metadataArray", "imageInfo"]
    assert field(hero, "metadataArray/items/name") == "sku"  # a metadata entry is kept whole (name and value)
    assert field(hero, "metadataArray/items/value") == "S-1"
    assert "width" not in names(next(iter(hero.iterchildren("{*}imageInfo"))))


# --------------------------------------------------------------------------------------- getAssets, by name


def test_get_assets_in_the_order_asked(client: SoapTestClient, assets: dict[str, Asset]) -> None:
    handles = [assets["promo"].handle, assets["hero"].handle, "a|100|1|999999", assets["promo"].handle]
    reply = client.call("getAssets", {"companyHandle": CO, "assetHandleArray": arr(*handles)}).ok()

    assert [field(i, "name") for i in items(reply, "assetArray")] == ["promo", "hero"]


def test_get_assets_never_shows_another_company_asset(client: SoapTestClient, assets: dict[str, Asset]) -> None:
    disguised = f"a|100|1|{assets['foreign'].id}"  # the other company's asset id under this company's prefix
    reply = client.call("getAssets", {"companyHandle": CO, "assetHandleArray": arr(disguised)}).ok()
    foreign = client.call("getAssets", {"companyHandle": CO, "assetHandleArray": arr(assets["foreign"].handle)})

    assert items(reply, "assetArray") == []
    foreign.assert_fault(20006, assets["foreign"].handle)
    client.call("getAssets", {"companyHandle": OTHER, "assetHandleArray": arr(assets["hero"].handle)}).assert_fault(
        20006
    )


def test_get_assets_bad_handle_and_narrowing(client: SoapTestClient, assets: dict[str, Asset]) -> None:
    client.call("getAssets", {"companyHandle": CO, "assetHandleArray": arr("hero")}).assert_fault(
        30001, "assetHandleArray"
    )
    reply = client.call(
        "getAssets",
        {"companyHandle": CO, "assetHandleArray": arr(assets["hero"].handle), "responseFieldArray": arr("folder")},
    ).ok()
    assert [names(i) for i in items(reply, "assetArray")] == [["folder"]]


def test_get_assets_by_name(client: SoapTestClient, assets: dict[str, Asset]) -> None:
    reply = client.call("getAssetsByName", {"companyHandle": CO, "nameArray": arr("logo", "missing", "x", "hero")}).ok()
    videos = client.call(
        "getAssetsByName", {"companyHandle": CO, "nameArray": arr("logo", "clip"), "assetTypeArray": arr("Video")}
    ).ok()
    narrowed = client.call(
        "getAssetsByName",
        {"companyHandle": CO, "nameArray": arr("logo"), "excludeFieldArray": arr("imageInfo", "metadataArray")},
    ).ok()

    assert [field(i, "assetHandle") for i in items(reply, "assetArray")] == [
        assets["logo"].handle,
        assets["hero"].handle,
    ]  # "x" is the other company's
    assert [field(i, "name") for i in items(videos, "assetArray")] == ["clip"]
    assert "imageInfo" not in names(items(narrowed, "assetArray")[0])
    client.call("getAssetsByName", {"companyHandle": OTHER, "nameArray": arr("logo")}).assert_fault(20006)
    client.call("getAssetsByName", {"companyHandle": "bad", "nameArray": arr("logo")}).assert_fault(20000)
    client.call("getAssetsByName", {"companyHandle": CO}).assert_fault(30002, "nameArray")


# --------------------------------------------------------------------------------------------------- folders


def test_get_folder_tree_one_level_at_a_time(client: SoapTestClient, assets: dict[str, Asset]) -> None:
    """W1: getFolderTree(depth=1) from the root, recursing on hasSubfolders."""
    seen, queue = [], [""]
    while queue:
        path = queue.pop(0)
        params = {"companyHandle": CO, **({"folderPath": path} if path else {}), "depth": 1}
        top = client.call("getFolderTree", params).ok().payload[0]
        for sub in items_of(top):
            seen.append((field(sub, "folderHandle"), field(sub, "path")))
            if field(sub, "hasSubfolders") == "true":
                queue.append(field(sub, "path") or "")

    assert seen == [
        ("f|100|Example/docs/", "Example/docs/"),
        ("f|100|Example/img/", "Example/img/"),
        ("f|100|Example/videos/", "Example/videos/"),
        ("f|100|Example/img/videos/", "Example/img/videos/"),
    ]


def items_of(folder: etree._Element) -> list[etree._Element]:
    array = next((c for c in folder if etree.QName(c).localname == "subfolderArray"), None)
    return [] if array is None else list(array)


def test_get_folder_tree_depths_types_and_narrowing(client: SoapTestClient, assets: dict[str, Asset]) -> None:
    flat = client.call("getFolderTree", {"companyHandle": CO, "depth": 0}).ok().payload[0]
    whole = client.call("getFolderTree", {"companyHandle": CO, "depth": -1}).ok().payload[0]
    videos = (
        client.call("getFolderTree", {"companyHandle": CO, "depth": 5, "assetTypeArray": arr("Video")}).ok().payload[0]
    )
    narrowed = client.call(
        "getFolderTree", {"companyHandle": CO, "depth": 5, "responseFieldArray": arr("path", "hasSubfolders")}
    ).ok()

    assert (field(flat, "path"), field(flat, "hasSubfolders"), items_of(flat)) == ("Example/", "true", [])
    assert [field(f, "path") for f in items_of(items_of(whole)[1])] == ["Example/img/videos/"]
    assert [field(f, "path") for f in items_of(videos)] == ["Example/img/", "Example/videos/"]
    top = narrowed.payload[0]
    assert names(top) == ["path", "hasSubfolders", "subfolderArray"]
    assert names(items_of(items_of(top)[1])[0]) == ["path", "hasSubfolders"]


def test_get_folder_tree_faults(client: SoapTestClient, assets: dict[str, Asset]) -> None:
    client.call("getFolderTree", {"companyHandle": CO, "folderPath": "Example/none/", "depth": 1}).assert_fault(
        30001, "folderPath"
    )
    client.call("getFolderTree", {"companyHandle": CO, "folderPath": "f|200|Other/", "depth": 1}).assert_fault(20006)
    client.call("getFolderTree", {"companyHandle": OTHER, "depth": 1}).assert_fault(20006)
    client.call("getFolderTree", {"companyHandle": CO}).assert_fault(30002, "depth")


def test_get_folders_lists_every_folder_below(client: SoapTestClient, assets: dict[str, Asset]) -> None:
    reply = client.call("getFolders", {"companyHandle": CO}).ok()
    below = client.call("getFolders", {"companyHandle": CO, "folderPath": "Example/img/"}).ok()
    narrowed = client.call("getFolders", {"companyHandle": CO, "excludeFieldArray": arr("lastModified")}).ok()

    assert [(field(f, "path"), field(f, "hasSubfolders")) for f in items(reply, "folderArray")] == [
        ("Example/docs/", "false"),
        ("Example/img/", "true"),
        ("Example/img/videos/", "false"),
        ("Example/videos/", "false"),
    ]
    assert [field(f, "path") for f in items(below, "folderArray")] == ["Example/img/videos/"]
    assert names(items(narrowed, "folderArray")[0]) == ["folderHandle", "path", "hasSubfolders"]
    client.call("getFolders", {"companyHandle": CO, "folderPath": "nowhere"}).assert_fault(30001, "folderPath")
    client.call("getFolders", {"companyHandle": OTHER}).assert_fault(20006)


def test_create_folder_creates_parents_and_answers_its_handle(
    fake: FakeIps, client: SoapTestClient, assets: dict[str, Asset]
) -> None:
    reply = client.call("createFolder", {"companyHandle": CO, "folderPath": "Example/a/b/"}).ok()
    relative = client.call("createFolder", {"companyHandle": CO, "folderPath": "c"}).ok()

    assert reply.text("folderHandle") == "f|100|Example/a/b/"
    assert relative.text("folderHandle") == "f|100|Example/c/"
    assert fake.state.catalog.folder(100, "Example/a/") is not None


def test_create_existing_folder_faults_already_exists(client: SoapTestClient, assets: dict[str, Asset]) -> None:
    """W6: the reason contains "already exists"; with faultHttpStatusCode=200 the fault arrives as HTTP 200."""
    plain = client.call("createFolder", {"companyHandle": CO, "folderPath": "Example/img/"})
    header = auth_header(faultHttpStatusCode=200)
    as_200 = client.call("createFolder", {"companyHandle": CO, "folderPath": "Example/img"}, headers=[header])

    plain.assert_fault(30000, "already exists")
    assert plain.status == 500
    as_200.assert_fault(30000, "already exists")
    assert as_200.status == 200


def test_create_folder_faults(client: SoapTestClient, assets: dict[str, Asset]) -> None:
    client.call("createFolder", {"companyHandle": OTHER, "folderPath": "x"}).assert_fault(20006)
    client.call("createFolder", {"companyHandle": CO}).assert_fault(30002, "folderPath")
    client.call("createFolder", {"companyHandle": CO, "folderPath": "a/../.."}).assert_fault(30000, "already exists")


def test_delete_folder_removes_what_is_below(fake: FakeIps, client: SoapTestClient, assets: dict[str, Asset]) -> None:
    client.call("deleteFolder", {"companyHandle": CO, "folderHandle": "f|100|Example/img/"}).ok()

    assert fake.state.catalog.folder(100, "Example/img/videos/") is None
    assert assets["clip"].id not in fake.state.catalog.assets
    assert assets["promo"].id in fake.state.catalog.assets
    client.call("deleteFolder", {"companyHandle": CO, "folderHandle": "f|100|Example/img/"}).assert_fault(
        30001, "folderHandle"
    )
    client.call("deleteFolder", {"companyHandle": CO, "folderHandle": "f|100|Example/"}).assert_fault(30001, "root")
    client.call("deleteFolder", {"companyHandle": CO, "folderHandle": "f|200|Other/secret/"}).assert_fault(20006)
    assert fake.state.catalog.folder(200, "Other/secret/") is not None


# ---------------------------------------------------------------------------------------------- asset edits


def test_delete_asset(fake: FakeIps, client: SoapTestClient, assets: dict[str, Asset]) -> None:
    client.call("deleteAsset", {"companyHandle": CO, "assetHandle": assets["hero"].handle}).ok()

    assert assets["hero"].id not in fake.state.catalog.assets
    client.call("deleteAsset", {"companyHandle": CO, "assetHandle": assets["hero"].handle}).assert_fault(
        30001, "unknown asset"
    )
    client.call("deleteAsset", {"companyHandle": CO, "assetHandle": "junk"}).assert_fault(30001, "assetHandle")
    client.call("deleteAsset", {"companyHandle": CO, "assetHandle": assets["foreign"].handle}).assert_fault(20006)
    client.call("deleteAsset", {"companyHandle": CO}).assert_fault(30002)
    assert assets["foreign"].id in fake.state.catalog.assets


def test_delete_assets_reports_each_failure(fake: FakeIps, client: SoapTestClient, assets: dict[str, Asset]) -> None:
    handles = [assets["hero"].handle, "a|100|1|999999", assets["foreign"].handle, assets["logo"].handle]
    reply = client.call("deleteAssets", {"companyHandle": CO, "assetHandleArray": arr(*handles)}).ok()

    assert (reply.text("successCount"), reply.text("warningCount"), reply.text("errorCount")) == ("2", "0", "2")
    errors = items(reply, "errorDetailArray")
    assert [(field(e, "assetHandle"), field(e, "code")) for e in errors] == [
        ("a|100|1|999999", "30001"),
        (assets["foreign"].handle, "20006"),
    ]
    assert assets["logo"].id not in fake.state.catalog.assets
    client.call("deleteAssets", {"companyHandle": OTHER, "assetHandleArray": arr(handles[0])}).assert_fault(20006)


def test_rename_asset(fake: FakeIps, client: SoapTestClient, assets: dict[str, Asset]) -> None:
    params = {"companyHandle": CO, "assetHandle": assets["hero"].handle, "newName": "banner", "validateName": True}
    client.call("renameAsset", params).ok()

    found = client.call("getAssetsByName", {"companyHandle": CO, "nameArray": arr("banner", "hero")}).ok()
    assert [(field(i, "name"), field(i, "fileName")) for i in items(found, "assetArray")] == [("banner", "banner.jpg")]


def test_rename_asset_to_a_taken_name_faults(client: SoapTestClient, assets: dict[str, Asset]) -> None:
    """W4: the observed reason."""
    params = {"companyHandle": CO, "assetHandle": assets["hero"].handle, "newName": "logo", "validateName": False}
    client.call("renameAsset", params).assert_fault(30000, "Asset ID 'logo' is already in use.")
    same = params | {"newName": "hero"}
    client.call("renameAsset", same).ok()  # renaming to its own name is not a clash


@pytest.mark.parametrize("new_name", ["", "   ", "a/b", "x*y"])
def test_rename_asset_bad_names(client: SoapTestClient, assets: dict[str, Asset], new_name: str) -> None:
    params = {"companyHandle": CO, "assetHandle": assets["hero"].handle, "newName": new_name, "validateName": True}
    client.call("renameAsset", params).assert_fault(30001, "newName")


def test_rename_asset_foreign_and_unknown(client: SoapTestClient, assets: dict[str, Asset]) -> None:
    client.call(
        "renameAsset",
        {"companyHandle": CO, "assetHandle": assets["foreign"].handle, "newName": "n", "validateName": True},
    ).assert_fault(20006)
    client.call(
        "renameAsset", {"companyHandle": CO, "assetHandle": "a|100|1|424242", "newName": "n", "validateName": True}
    ).assert_fault(30001, "unknown asset")
    client.call("renameAsset", {"companyHandle": CO, "assetHandle": assets["hero"].handle}).assert_fault(30002)


def test_move_asset(fake: FakeIps, client: SoapTestClient, assets: dict[str, Asset]) -> None:
    params = {"companyHandle": CO, "assetHandle": assets["hero"].handle, "folderHandle": "f|100|Example/docs/"}
    client.call("moveAsset", params).ok()

    assert [
        field(i, "name") for i in items(search(client, folder="Example/docs/", includeSubfolders=False), "assetArray")
    ] == [
        "hero",
        "manual",
    ]
    client.call("moveAsset", params | {"folderHandle": "f|100|Example/none/"}).assert_fault(30001, "folderHandle")
    client.call("moveAsset", params | {"folderHandle": "f|200|Other/"}).assert_fault(20006)
    client.call("moveAsset", params | {"assetHandle": assets["foreign"].handle}).assert_fault(20006)
    client.call("moveAsset", params | {"assetHandle": "a|100|1|424242"}).assert_fault(30001)


def test_move_assets(fake: FakeIps, client: SoapTestClient, assets: dict[str, Asset]) -> None:
    """W6: createFolder (already exists is fine), then moveAssets."""
    client.call("createFolder", {"companyHandle": CO, "folderPath": "Example/moved/"}).ok()
    moves = [
        {"assetHandle": assets["hero"].handle, "folderHandle": "f|100|Example/moved/"},
        {"assetHandle": assets["logo"].handle, "folderHandle": "f|100|Example/nowhere/"},
        {"assetHandle": assets["foreign"].handle, "folderHandle": "f|100|Example/moved/"},
        {"assetHandle": assets["clip"].handle, "folderHandle": "f|100|Example/moved/"},
    ]
    reply = client.call("moveAssets", {"companyHandle": CO, "assetMoveArray": arr(*moves)}).ok()

    assert (reply.text("successCount"), reply.text("errorCount")) == ("2", "2")
    assert [field(e, "code") for e in items(reply, "errorDetailArray")] == ["30001", "20006"]
    assert (assets["hero"].folder, assets["logo"].folder) == ("Example/moved/", "Example/img/")
    client.call("moveAssets", {"companyHandle": OTHER, "assetMoveArray": arr(moves[0])}).assert_fault(20006)
    client.call("moveAssets", {"companyHandle": CO}).assert_fault(30002)


# --------------------------------------------------------------------------------- searchAssetsByMetadata


def by_metadata(client: SoapTestClient, *conditions: dict[str, Any], **params: Any) -> Any:
    return client.call(
        "searchAssetsByMetadata", {"companyHandle": CO, "metadataConditionArray": arr(*conditions), **params}
    )


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ({"fieldHandle": "file_name", "op": "Equals", "value": "hero.jpg"}, ["hero"]),
        ({"fieldHandle": "name", "op": "NotEquals", "value": "hero"}, ["clip", "logo", "manual", "promo", "top"]),
        ({"fieldHandle": "folder_path", "op": "Contains", "value": "/img/"}, ["clip", "hero", "logo"]),
        ({"fieldHandle": "folder_path", "op": "NotContains", "value": "img"}, ["manual", "promo", "top"]),
        ({"fieldHandle": "name", "op": "StartsWith", "value": "PRO"}, ["promo"]),
        ({"fieldHandle": "file_name", "op": "EndsWith", "value": ".png"}, ["logo"]),
        ({"fieldHandle": "custom_attributes.sku", "op": "Equals", "value": "S-2"}, ["promo"]),
        ({"fieldHandle": "name", "op": "Equals", "caseSensitive": True, "value": "HERO"}, []),
    ],
)
def test_search_by_metadata_operators(
    client: SoapTestClient, assets: dict[str, Asset], condition: dict[str, Any], expected: list[str]
) -> None:
    reply = by_metadata(client, condition).ok()

    assert [field(i, "name") for i in items(reply, "assetSummaryArray")] == expected
    assert reply.text("totalRows") == str(len(expected))


def test_search_by_metadata_w7_then_associated(client: SoapTestClient, fake: FakeIps, assets: dict[str, Asset]) -> None:
    page = add_asset(fake, "Example/docs/manual-1.jpg", derived_from=assets["manual"])
    found = by_metadata(
        client,
        {"fieldHandle": "file_name", "op": "Equals", "value": "manual.pdf"},
        {"fieldHandle": "folder_path", "op": "Contains", "value": "Example/docs"},
    ).ok()
    (summary,) = items(found, "assetSummaryArray")
    handle = field(summary, "assetHandle")
    related = client.call("getAssociatedAssets", {"companyHandle": CO, "assetHandle": handle}).ok()

    assert handle == assets["manual"].handle
    assert field(summary, "filename") == "manual.pdf"
    assert [field(i, "assetHandle") for i in items(related, "derivedArray")] == [page.handle]


def test_search_by_metadata_filters_paging_and_faults(client: SoapTestClient, assets: dict[str, Asset]) -> None:
    every = {"fieldHandle": "name", "op": "NotEquals", "value": "-"}
    filtered = client.call(
        "searchAssetsByMetadata",
        {
            "companyHandle": CO,
            "filters": {"folder": "Example/img/", "includeSubfolders": False, "assetTypeArray": arr("Image")},
            "metadataConditionArray": arr(every),
        },
    ).ok()
    page2 = by_metadata(client, every, recordsPerPage=4, resultsPage=2).ok()

    assert [field(i, "name") for i in items(filtered, "assetSummaryArray")] == ["hero", "logo"]
    assert page2.text("totalRows") == "6"
    assert [field(i, "name") for i in items(page2, "assetSummaryArray")] == ["promo", "top"]
    by_metadata(client, {"fieldHandle": "name", "op": "Matches", "value": "x"}).assert_fault(30001, "op")
    by_metadata(client, {"fieldHandle": " ", "op": "Equals", "value": "x"}).assert_fault(30001, "fieldHandle")
    by_metadata(client, every, metadataConditionMatchMode="Most").assert_fault(30001, "MatchMode")
    by_metadata(client, every, recordsPerPage=0).assert_fault(30001, "recordsPerPage")
    client.call("searchAssetsByMetadata", {"companyHandle": OTHER}).assert_fault(20006)
    client.call("searchAssetsByMetadata", {"companyHandle": CO, "filters": {"folder": "f|200|Other/"}}).assert_fault(
        20006
    )


def test_associated_assets_faults_and_narrowing(
    client: SoapTestClient, fake: FakeIps, assets: dict[str, Asset]
) -> None:
    add_asset(fake, "Example/docs/manual-1.jpg", derived_from=assets["manual"])
    reply = client.call(
        "getAssociatedAssets",
        {"companyHandle": CO, "assetHandle": assets["manual"].handle, "responseFieldArray": arr("name")},
    ).ok()

    assert [names(i) for i in items(reply, "derivedArray")] == [["name"]]
    client.call("getAssociatedAssets", {"companyHandle": CO, "assetHandle": assets["foreign"].handle}).assert_fault(
        20006
    )
    client.call("getAssociatedAssets", {"companyHandle": CO, "assetHandle": "a|100|1|5555"}).assert_fault(30001)
    client.call("getAssociatedAssets", {"companyHandle": CO, "assetHandle": "nope"}).assert_fault(30001)
    client.call("getAssociatedAssets", {"companyHandle": OTHER, "assetHandle": assets["foreign"].handle}).assert_fault(
        20006
    )


# ---------------------------------------------------------------------------------------------------- roles

ROLE_USERS = {
    "ws@example.com": "WebServiceUser",
    "tu@example.com": "TrialSiteUser",
    "pu@example.com": "ImagePortalUser",
    "u@example.com": "IpsUser",
}


@pytest.fixture
def role_fake() -> Iterator[FakeIps]:
    fake = FakeIps(
        {
            "ips_mock": 1,
            "companies": [{"name": "Example", "id": 100}],
            "users": [
                {"email": email, "password": "pw", "role": role, "companies": ["Example"]}
                for email, role in ROLE_USERS.items()
            ],
        }
    )
    yield fake
    assert fake.errors == []


@pytest.mark.parametrize(
    ("user", "operation", "params"),
    [
        ("ws@example.com", "searchAssets", {"companyHandle": CO, "includeSubfolders": True}),
        ("ws@example.com", "getFolderTree", {"companyHandle": CO, "depth": 1}),
        ("pu@example.com", "getFolderTree", {"companyHandle": CO, "depth": 1}),
        ("pu@example.com", "getAssetsByName", {"companyHandle": CO, "nameArray": arr("x")}),
        ("ws@example.com", "getFolders", {"companyHandle": CO}),
        ("tu@example.com", "createFolder", {"companyHandle": CO, "folderPath": "x"}),
        ("tu@example.com", "deleteFolder", {"companyHandle": CO, "folderHandle": "f|100|Example/x/"}),
        ("tu@example.com", "deleteAsset", {"companyHandle": CO, "assetHandle": "a|100|1|1"}),
        ("pu@example.com", "deleteAssets", {"companyHandle": CO, "assetHandleArray": arr("a|100|1|1")}),
        (
            "tu@example.com",
            "renameAsset",
            {"companyHandle": CO, "assetHandle": "a|100|1|1", "newName": "n", "validateName": True},
        ),
        ("pu@example.com", "moveAsset", {"companyHandle": CO, "assetHandle": "a|100|1|1", "folderHandle": "x"}),
        ("tu@example.com", "moveAssets", {"companyHandle": CO, "assetMoveArray": arr()}),
        ("tu@example.com", "searchAssetsByMetadata", {"companyHandle": CO}),
        ("ws@example.com", "getAssets", {"companyHandle": CO, "assetHandleArray": arr("a|100|1|1")}),
        ("ws@example.com", "getAssociatedAssets", {"companyHandle": CO, "assetHandle": "a|100|1|1"}),
    ],
)
def test_roles_the_docs_do_not_list_get_20003(
    role_fake: FakeIps, user: str, operation: str, params: dict[str, Any]
) -> None:
    SoapTestClient(role_fake).call(operation, params, user=user, password="pw").assert_fault(20003)


def test_listed_roles_may_call(role_fake: FakeIps) -> None:
    client = SoapTestClient(role_fake)
    client.call("getFolderTree", {"companyHandle": CO, "depth": 1}, user="tu@example.com", password="pw").ok()
    client.call(
        "searchAssets", {"companyHandle": CO, "includeSubfolders": True}, user="pu@example.com", password="pw"
    ).ok()
    client.call("createFolder", {"companyHandle": CO, "folderPath": "x"}, user="u@example.com", password="pw").ok()


# -------------------------------------------------------------------------------------------- determinism


def test_the_same_calls_on_two_fakes_give_the_same_bytes() -> None:
    def run() -> list[bytes]:
        fake = FakeIps()
        assets = populate(fake)
        client = SoapTestClient(fake)
        bodies = [
            search(client, includeSubfolders=True).body,
            client.call("getFolderTree", {"companyHandle": CO, "depth": -1}).body,
            client.call("createFolder", {"companyHandle": CO, "folderPath": "Example/new/"}).body,
            client.call(
                "moveAssets",
                {
                    "companyHandle": CO,
                    "assetMoveArray": arr({"assetHandle": assets["hero"].handle, "folderHandle": "f|100|Example/new/"}),
                },
            ).body,
            client.call("getFolders", {"companyHandle": CO}).body,
            by_metadata(client, {"fieldHandle": "folder_path", "op": "Contains", "value": "new"}).body,
        ]
        assert fake.errors == []
        return bodies

    assert run() == run()


# ------------------------------------------------------------------------------------ versions and SOAP 1.2


@pytest.mark.parametrize(("version", "soap"), [("2013-02-15", "1.1"), ("2014-04-03", "1.2"), ("2013-02-15", "1.2")])
def test_every_operation_validates_in_each_real_wsdl(
    fake: FakeIps, assets: dict[str, Asset], version: str, soap: str
) -> None:
    client = SoapTestClient(fake, version=version, soap=soap)
    add_asset(fake, "Example/docs/manual-1.jpg", derived_from=assets["manual"])
    hero, logo = assets["hero"].handle, assets["logo"].handle
    calls: list[tuple[str, dict[str, Any]]] = [
        ("searchAssets", {"companyHandle": CO, "includeSubfolders": True, "recordsPerPage": 1}),
        ("getFolderTree", {"companyHandle": CO, "depth": -1}),
        ("getAssetsByName", {"companyHandle": CO, "nameArray": arr("hero", "clip", "manual")}),
        ("getAssets", {"companyHandle": CO, "assetHandleArray": arr(hero, assets["promo"].handle)}),
        ("getFolders", {"companyHandle": CO}),
        ("createFolder", {"companyHandle": CO, "folderPath": "Example/new/"}),
        ("searchAssetsByMetadata", {"companyHandle": CO}),
        ("getAssociatedAssets", {"companyHandle": CO, "assetHandle": assets["manual"].handle}),
        ("renameAsset", {"companyHandle": CO, "assetHandle": hero, "newName": "h2", "validateName": True}),
        ("moveAsset", {"companyHandle": CO, "assetHandle": hero, "folderHandle": "f|100|Example/new/"}),
        (
            "moveAssets",
            {"companyHandle": CO, "assetMoveArray": arr({"assetHandle": logo, "folderHandle": "f|100|Example/new/"})},
        ),
        ("deleteAssets", {"companyHandle": CO, "assetHandleArray": arr(logo, "a|100|1|999999")}),
        ("deleteAsset", {"companyHandle": CO, "assetHandle": hero}),
        ("deleteFolder", {"companyHandle": CO, "folderHandle": "f|100|Example/new/"}),
    ]

    for operation, params in calls:
        reply = client.call(operation, params).ok()  # validated against that version's WSDL on the way in
        assert etree.QName(reply.payload).localname == f"{operation}Return"
    client.call("createFolder", {"companyHandle": CO, "folderPath": "Example/img/"}).assert_fault(
        30000, "already exists"
    )


# ------------------------------------------------------------------------------------------------ deep trees


def test_deep_folders_are_refused_and_deep_trees_are_cut(fake: FakeIps, client: SoapTestClient) -> None:
    """createFolder refuses more than 64 levels; a deeper tree (an upload's destPath) is answered 64 levels deep."""
    client.call("createFolder", {"companyHandle": CO, "folderPath": "/".join(["d"] * 64)}).ok()
    client.call("createFolder", {"companyHandle": CO, "folderPath": "/".join(["e"] * 65)}).assert_fault(
        30001, "64 levels"
    )
    fake.state.catalog.ensure_folder(100, "Example/" + "u/" * 300, fake.now())  # as an upload may leave it

    tree = client.call("getFolderTree", {"companyHandle": CO, "depth": -1, "responseFieldArray": arr("path")}).ok()
    flat = client.call("getFolders", {"companyHandle": CO, "folderPath": "Example/u/"}).ok()

    paths = [el.text or "" for el in tree.payload.iter("{*}path")]
    assert max((p for p in paths if p.startswith("Example/u/")), key=len) == "Example/" + "u/" * 64
    assert max((p for p in paths if p.startswith("Example/d/")), key=len) == "Example/" + "d/" * 64
    assert len(items(flat, "folderArray")) == 299


@pytest.mark.parametrize("folder_path", ["Example/a|b/", "x:y", "f|100|", "bad*/ok", "tab\there"])
def test_create_folder_refuses_bad_names(fake: FakeIps, client: SoapTestClient, folder_path: str) -> None:
    client.call("createFolder", {"companyHandle": CO, "folderPath": folder_path}).assert_fault(30001, "folderPath")

    assert [f.path for (co, _), f in fake.state.catalog.folders.items() if co == 100] == ["Example/"]


def test_rename_without_validation_still_refuses_a_slash(client: SoapTestClient, assets: dict[str, Asset]) -> None:
    def params(new_name: str) -> dict[str, Any]:
        return {"companyHandle": CO, "assetHandle": assets["hero"].handle, "newName": new_name, "validateName": False}

    client.call("renameAsset", params("a/b")).assert_fault(30001, "newName")
    client.call("renameAsset", params("x*y")).ok()

    assert assets["hero"].file_name == "x*y.jpg"


def test_the_derived_from_bookkeeping_is_not_user_metadata(
    fake: FakeIps, client: SoapTestClient, assets: dict[str, Asset]
) -> None:
    page = add_asset(fake, "Example/docs/manual-1.jpg", derived_from=assets["manual"], metadata={"sku": "P-1"})
    reply = client.call("getAssets", {"companyHandle": CO, "assetHandleArray": arr(page.handle)}).ok()
    found = by_metadata(client, {"fieldHandle": "derivedFrom", "op": "Contains", "value": "a|"}).ok()

    (item,) = items(reply, "assetArray")
    assert [field(m, "name") for m in item.iterfind("{*}metadataArray/{*}items")] == ["sku"]
    assert found.text("totalRows") == "0"
