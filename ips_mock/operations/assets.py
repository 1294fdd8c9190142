"""Asset and folder operations: searchAssets, getFolderTree, getAssetsByName, getAssets, getFolders,
createFolder, deleteFolder, deleteAsset(s), renameAsset, moveAsset(s), searchAssetsByMetadata, getAssociatedAssets,
and the betas' updateSmartCrops.

``responseFieldArray`` / ``excludeFieldArray`` narrow a reply: each entry is a path of field names, either from the
Return (``assetArray/items/name``) or from the listed item (``name``, ``imageInfo/fileSize``); a field is kept when
a ``responseFieldArray`` entry names it, one of its parents or one of its children, and dropped when an
``excludeFieldArray`` entry names it or a parent.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import quote

from ..model.catalog import Asset, Folder, SmartCrop
from ..services.results import FolderNode, Outcome
from .base import Call, Handler

__all__ = ["OPERATIONS"]

IMAGE_SERVER: Final = "https://s7d1.scene7.com/is/image/"
"""Where ``ipsImageUrl`` points: Adobe's Image Serving URL shape; ips-mock serves no images."""

_INFO_FIELD: Final = {"Image": "imageInfo", "Video": "videoInfo", "Pdf": "pdfInfo", "Zip": "zipInfo"}
"""The per-type info element an asset of each type carries (the types whose size and file ips-mock knows)."""


def _asset(call: Call, asset: Asset) -> dict[str, Any]:
    company = call.service.state.companies[asset.company_id]
    info: dict[str, Any] = {"originalPath": asset.folder, "originalFile": asset.file_name}
    if asset.type == "Image":
        info |= {"width": asset.width, "height": asset.height, "fileSize": asset.size, "resolution": 72.0}
    elif asset.type in ("Video", "Pdf", "Zip"):
        info["fileSize"] = asset.size
    out: dict[str, Any] = {
        "assetHandle": asset.handle,
        "type": asset.type,
        "name": asset.name,
        "fileName": asset.file_name,
        "folder": asset.folder,
        "folderHandle": f"f|{asset.company_id}|{asset.folder}",
        "readyForPublish": asset.ready_for_publish,
        "trashState": "NotInTrash",
        "ipsImageUrl": f"{IMAGE_SERVER}{quote(company.root_path.strip('/'))}/{quote(asset.name)}",
        "created": call.local(asset.created),
        "createUser": asset.created_by,
        "lastModified": call.local(asset.modified),
        "lastModifyUser": asset.modified_by,
        "metadataArray": [{"name": k, "value": v} for k, v in sorted(asset.metadata.items())],
    }
    if (info_field := _INFO_FIELD.get(asset.type)) is not None:
        out[info_field] = info
    return out


def _folder(call: Call, folder: Folder, has_subfolders: bool) -> dict[str, Any]:
    return {
        "folderHandle": folder.handle,
        "path": folder.path,
        "lastModified": call.local(folder.modified),
        "hasSubfolders": has_subfolders,
    }


def _tree(call: Call, node: FolderNode) -> dict[str, Any]:
    out = _folder(call, node.folder, node.has_subfolders)
    out["childLastModified"] = call.local(node.child_last_modified)
    if node.children:
        out["subfolderArray"] = [_tree(call, child) for child in node.children]
    return out


def _outcome(outcome: Outcome) -> dict[str, Any]:
    errors = [{"assetHandle": handle, "code": fault.code, "reason": fault.reason} for handle, fault in outcome.errors]
    return _batch_return(outcome.success_count, errors)


def _batch_return(success_count: int, errors: list[dict[str, Any]]) -> dict[str, Any]:
    """The Return of a batch operation: the items made, and one error detail per item that was not (the fake
    gives no warnings)."""
    return {"successCount": success_count, "warningCount": 0, "errorCount": len(errors), "errorDetailArray": errors}


# ---------------------------------------------------------------------------------------------- narrowing

_NESTED_LISTS: Final = frozenset({"subfolderArray"})
"""Lists inside a listed item whose entries are listed items too (a folder tree's subfolders); any other list
inside an item (``metadataArray``) is one field, kept or dropped whole."""


@dataclass(frozen=True)
class _Entry:
    """One ``responseFieldArray`` or ``excludeFieldArray`` entry, split into where it applies and what it names."""

    scope: str | None
    """The Return field the entry starts with (``assetArray``), or None: it applies to the items of every one."""
    fields: tuple[str, ...]
    """The path below a listed item (``imageInfo``, ``fileSize``), ``items`` segments removed; empty: the whole
    Return field ``scope``."""

    def names(self, top: str, path: tuple[str, ...] | None) -> bool:
        """True when this entry names the node at ``path`` below an item of ``top`` (None: ``top`` itself), or one
        of its parents."""
        if self.scope not in (None, top):
            return False
        if path is None:
            return not self.fields
        return bool(self.fields) and path[: len(self.fields)] == self.fields


def _entries(values: Sequence[str] | None, tops: Sequence[str]) -> list[_Entry]:
    out = []
    for value in values or ():
        parts = tuple(p for p in value.strip().split("/") if p and p != "items")
        if parts:
            out.append(_Entry(parts[0], parts[1:]) if parts[0] in tops else _Entry(None, parts))
    return out


@dataclass(frozen=True)
class _Narrowing:
    """How ``responseFieldArray``/``excludeFieldArray`` trim a Return (README "Choices"): the listed items
    (and a tree's subfolders) always stay, so that counts and positions do not change; their fields are trimmed."""

    include: Sequence[_Entry]
    exclude: Sequence[_Entry]

    def result(self, result: Mapping[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for top, value in result.items():
            if any(e.names(top, None) for e in self.exclude):
                continue
            kept = not self.include or any(e.names(top, None) for e in self.include)
            if isinstance(value, list):
                out[top] = [self._item(top, item, kept) for item in value]
            elif isinstance(value, Mapping):
                out[top] = self._item(top, value, kept)
            else:
                out[top] = value  # totalRows, successCount, ...: not a listed item's field
        return out

    def _item(self, top: str, item: Mapping[str, Any], kept: bool) -> dict[str, Any]:
        return self._fields(top, item, (), kept)

    def _fields(self, top: str, record: Mapping[str, Any], path: tuple[str, ...], kept: bool) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, value in record.items():
            here = (*path, name)
            if any(e.names(top, here) for e in self.exclude):
                continue
            named = kept or any(e.names(top, here) for e in self.include)
            if not path and name in _NESTED_LISTS and isinstance(value, list):
                out[name] = [self._item(top, sub, named) for sub in value]
            elif isinstance(value, Mapping):
                inner = self._fields(top, value, here, named)
                if inner or named:
                    out[name] = inner
            elif named or any(e.scope in (None, top) and e.fields[: len(here)] == here for e in self.include):
                out[name] = value
        return out


def _narrowed(call: Call, result: Mapping[str, Any]) -> Mapping[str, Any]:
    tops = list(result)
    include = _entries(call.params.get("responseFieldArray"), tops)
    exclude = _entries(call.params.get("excludeFieldArray"), tops)
    if not include and not exclude:
        return result
    return _Narrowing(include, exclude).result(result)


def _with_narrowing(handler: Handler) -> Handler:
    def narrowed(call: Call) -> Mapping[str, Any]:
        return _narrowed(call, handler(call))

    narrowed.__name__ = handler.__name__
    return narrowed


# --------------------------------------------------------------------------------------------- handlers


def search_assets(call: Call) -> Mapping[str, Any]:
    page = call.service.search_assets(call.caller, call.params)
    return {"totalRows": page.total_rows, "assetArray": [_asset(call, a) for a in page.assets]}


def search_assets_by_metadata(call: Call) -> Mapping[str, Any]:
    page = call.service.search_assets_by_metadata(call.caller, call.params)
    wanted = set(call.params.get("responseMetadataArray") or ())
    return {
        "totalRows": page.total_rows,
        "assetSummaryArray": [
            {
                "assetHandle": a.handle,
                "type": a.type,
                "name": a.name,
                "folder": a.folder,
                "filename": a.file_name,
                "created": call.local(a.created),
                "createUser": a.created_by,
                "lastModified": call.local(a.modified),
                "lastModifyUser": a.modified_by,
                "metadataArray": [
                    {"name": k, "value": v} for k, v in sorted(a.metadata.items()) if not wanted or k in wanted
                ],
            }
            for a in page.assets
        ],
    }


def get_assets_by_name(call: Call) -> Mapping[str, Any]:
    return {"assetArray": [_asset(call, a) for a in call.service.assets_by_name(call.caller, call.params)]}


def get_assets(call: Call) -> Mapping[str, Any]:
    return {"assetArray": [_asset(call, a) for a in call.service.assets_by_handle(call.caller, call.params)]}


def get_folder_tree(call: Call) -> Mapping[str, Any]:
    return {"folders": _tree(call, call.service.folder_tree(call.caller, call.params))}


def get_folders(call: Call) -> Mapping[str, Any]:
    return {"folderArray": [_folder(call, f, more) for f, more in call.service.folders(call.caller, call.params)]}


def create_folder(call: Call) -> Mapping[str, Any]:
    return {"folderHandle": call.service.create_folder(call.caller, call.now, call.params).handle}


def delete_folder(call: Call) -> Mapping[str, Any]:
    call.service.delete_folder(call.caller, call.params)
    return {}


def delete_asset(call: Call) -> Mapping[str, Any]:
    call.service.delete_asset(call.caller, call.params)
    return {}


def delete_assets(call: Call) -> Mapping[str, Any]:
    return _outcome(call.service.delete_assets(call.caller, call.params))


def rename_asset(call: Call) -> Mapping[str, Any]:
    call.service.rename_asset(call.caller, call.now, call.params)
    return {}


def move_asset(call: Call) -> Mapping[str, Any]:
    call.service.move_asset(call.caller, call.now, call.params)
    return {}


def move_assets(call: Call) -> Mapping[str, Any]:
    return _outcome(call.service.move_assets(call.caller, call.now, call.params))


def get_associated_assets(call: Call) -> Mapping[str, Any]:
    asset, derived = call.service.associated_assets(call.caller, call.params)
    # subAssetArray is a beta field: the encoder leaves it out of the namespaces that lack it.
    return {
        "derivedArray": [_asset(call, a) for a in derived],
        "subAssetArray": [_smart_crop(call, crop) for crop in asset.smart_crops],
    }


def _smart_crop(call: Call, crop: SmartCrop) -> dict[str, Any]:
    rect = crop.rect
    return {
        "subAssetHandle": crop.handle,
        "type": "SmartCrop",
        "name": crop.name,
        "created": call.local(crop.created),
        "createUser": crop.created_by,
        "lastModified": call.local(crop.modified),
        "lastModifyUser": crop.modified_by,
        "smartCrop": {
            "cropRect": {"leftN": rect.left, "topN": rect.top, "widthN": rect.width, "heightN": rect.height},
            "width": crop.width,
            "height": crop.height,
        },
    }


def update_smart_crops(call: Call) -> Mapping[str, Any]:
    outcome = call.service.update_smart_crops(call.caller, call.now, call.params)
    errors = [
        {"subAssetHandle": handle, "subAssetName": name, "code": fault.code, "reason": fault.reason}
        for handle, name, fault in outcome.errors
    ]
    return _batch_return(outcome.success_count, errors)


OPERATIONS: Final[Mapping[str, Handler]] = {
    "searchAssets": _with_narrowing(search_assets),
    "searchAssetsByMetadata": search_assets_by_metadata,
    "getAssetsByName": _with_narrowing(get_assets_by_name),
    "getAssets": _with_narrowing(get_assets),
    "getFolderTree": _with_narrowing(get_folder_tree),
    "getFolders": _with_narrowing(get_folders),
    "createFolder": create_folder,
    "deleteFolder": delete_folder,
    "deleteAsset": delete_asset,
    "deleteAssets": delete_assets,
    "renameAsset": rename_asset,
    "moveAsset": move_asset,
    "moveAssets": move_assets,
    "getAssociatedAssets": _with_narrowing(get_associated_assets),
    "updateSmartCrops": update_smart_crops,
}
