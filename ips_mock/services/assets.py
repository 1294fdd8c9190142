"""Folders and assets: search, look-ups, and edits of each company's catalog (IPS-REFERENCE §4, REAL-CLIENTS §3).

The README's Choices table lists what ips-mock chose where Adobe documents nothing: handle shapes, which faults
say what, paging and sorting defaults, how a folder path is read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Final

from ..errors import IpsFault
from ..model import Company, User
from ..model.catalog import MAX_FOLDER_DEPTH, Asset, Folder, folder_depth, join_path
from ..model.handles import asset_handle_parts, folder_handle_parts
from .base import ServiceBase

if TYPE_CHECKING:
    from .results import FolderNode, Outcome, Page, SubAssetOutcome

__all__ = ["AssetService"]

MAX_RECORDS_PER_PAGE: Final = 1000
_BAD_NAME: Final = re.compile(r"[/\\:*?\"<>|\x00-\x1f]")
"""Characters no asset or folder name may hold when names are validated (``validateName``; always for folders)."""
_NEVER_IN_NAME: Final = re.compile(r"[/\\\x00-\x1f]")
"""Characters an asset name may never hold: a name is one segment of an Image Serving URL."""
_SORT_KEYS: Final[Mapping[str, Any]] = {
    "name": lambda a: (a.name.lower(), a.id),
    "filename": lambda a: (a.file_name.lower(), a.id),
    "created": lambda a: (a.created, a.id),
    "modified": lambda a: (a.modified, a.id),
    "lastmodified": lambda a: (a.modified, a.id),
    "type": lambda a: (a.type, a.name.lower(), a.id),
    "folder": lambda a: (a.folder, a.name.lower(), a.id),
    "filesize": lambda a: (a.size, a.id),
}


class AssetService(ServiceBase):
    # ----------------------------------------------------------------------------------------- resolving

    def folder_path(self, company: Company, value: str | None) -> str:
        """A folder path or handle as the company's folder path (``Example/images/``); an empty value is the root."""
        if value and (parts := folder_handle_parts(value)) is not None:
            if parts[0] != company.id:
                raise self._foreign("folder", value)
            return join_path(company.root_path, parts[1])
        return join_path(company.root_path, value or "")

    def existing_folder(self, company: Company, value: str, field: str) -> Folder:
        folder = self.state.catalog.folder(company.id, self.folder_path(company, value))
        if folder is None:
            raise IpsFault.invalid_parameter(field, f"no folder {value!r} in company '{company.name}'")
        return folder

    def asset(self, company: Company, handle: str, field: str = "assetHandle") -> Asset:
        """The asset ``handle`` names in ``company``: 30001 for a malformed or unknown one, 20006 for another's."""
        parts = asset_handle_parts(handle)
        if parts is None:
            raise IpsFault.invalid_parameter(field, f"{handle!r} is not an asset handle (a|<companyId>|1|<assetId>)")
        if parts[0] != company.id:
            raise self._foreign("asset", handle)
        found = self.state.catalog.assets.get(parts[1])
        if found is None or found.company_id != company.id:
            raise IpsFault.invalid_parameter(field, f"unknown asset handle '{handle}'")
        return found

    def _foreign(self, kind: str, handle: str) -> IpsFault:
        return IpsFault(IpsFault.ILLEGAL_COMPANY, f"The {kind} '{handle}' belongs to another company")

    def _root(self, company: Company) -> Folder:
        return self.state.catalog.ensure_folder(company.id, company.root_path, self._epoch())

    def _epoch(self) -> datetime:
        return self.state.observed or datetime(1970, 1, 1, tzinfo=UTC)

    # --------------------------------------------------------------------------------------------- reads

    def search_assets(self, caller: User, p: Mapping[str, Any]) -> Page:
        company = self.company(caller, p["companyHandle"])
        folder = self.folder_path(company, p.get("folder"))
        subfolders = bool(p.get("includeSubfolders"))
        if _in_trash(p.get("trashState"), "trashState"):
            matches: list[Asset] = []  # ips-mock keeps no trash: nothing is in it
        else:
            matches = [
                a
                for a in self.state.catalog.of_company(company.id)
                if (a.folder.startswith(folder) if subfolders else a.folder == folder)
            ]
        matches = _filter_types(matches, p.get("assetTypeArray"), p.get("excludeAssetTypeArray"))
        if state := p.get("publishState"):
            matches = [a for a in matches if a.publish_state == state]
        if keywords := [k.lower() for k in p.get("keywordArray") or [] if k]:
            matches = [a for a in matches if all(k in f"{a.name} {a.file_name}".lower() for k in keywords)]
        mode = _match_mode(p.get("metadataMatchMode") or p.get("conditionMatchMode"), "metadataMatchMode")
        if conditions := p.get("metadataConditionArray"):
            _check_conditions(conditions)
            matches = [a for a in matches if _conditions_hold(a, conditions, mode)]
        return self._page(matches, p, default_sort="name")

    def search_assets_by_metadata(self, caller: User, p: Mapping[str, Any]) -> Page:
        company = self.company(caller, p["companyHandle"])
        matches = list(self.state.catalog.of_company(company.id))
        filters = p.get("filters") or {}
        if _in_trash(filters.get("trashState"), "filters/trashState"):
            matches = []  # ips-mock keeps no trash: nothing is in it
        mode = _match_mode(p.get("metadataConditionMatchMode"), "metadataConditionMatchMode")
        if conditions := p.get("metadataConditionArray"):
            _check_conditions(conditions)
            matches = [a for a in matches if _conditions_hold(a, conditions, mode)]
        if folder := filters.get("folder"):
            root = self.folder_path(company, folder)
            deep = filters.get("includeSubfolders") is not False
            matches = [a for a in matches if (a.folder.startswith(root) if deep else a.folder == root)]
        if state := filters.get("publishState"):
            matches = [a for a in matches if a.publish_state == state]
        matches = _filter_types(matches, filters.get("assetTypeArray"), filters.get("excludeAssetTypeArray"))
        return self._page(matches, p, default_sort="name")

    def _page(self, matches: list[Asset], p: Mapping[str, Any], *, default_sort: str) -> Page:
        from .results import Page

        per_page = p.get("recordsPerPage")
        page = p.get("resultsPage")
        if per_page is not None and per_page < 1:
            raise IpsFault.invalid_parameter("recordsPerPage", f"{per_page} is not a positive number")
        if page is not None and page < 1:
            raise IpsFault.invalid_parameter("resultsPage", f"{page} is not a positive page number")
        sort_by = (p.get("sortBy") or default_sort).replace("_", "").lower()
        key = _SORT_KEYS.get(sort_by)
        if key is None:
            raise IpsFault.invalid_parameter(
                "sortBy", f"{p.get('sortBy')!r} is not one of {', '.join(sorted(_SORT_KEYS))} (any case)"
            )
        direction = p.get("sortDirection") or "Ascending"
        if direction not in ("Ascending", "Descending"):
            raise IpsFault.invalid_parameter("sortDirection", f"{direction!r} is not Ascending or Descending")
        ordered = sorted(matches, key=key, reverse=direction == "Descending")
        size = min(per_page or MAX_RECORDS_PER_PAGE, MAX_RECORDS_PER_PAGE)
        start = ((page or 1) - 1) * size
        return Page(len(ordered), ordered[start : start + size])

    def assets_by_name(self, caller: User, p: Mapping[str, Any]) -> list[Asset]:
        company = self.company(caller, p["companyHandle"])
        found = []
        for name in p.get("nameArray") or []:
            asset = self.state.catalog.named(company.id, name)
            if asset is not None and asset not in found:
                found.append(asset)
        return _filter_types(found, p.get("assetTypeArray"), p.get("excludeAssetTypeArray"))

    def assets_by_handle(self, caller: User, p: Mapping[str, Any]) -> list[Asset]:
        """getAssets: the assets of the handles given; a handle of no asset is left out (IPS returns only the
        assets the caller can see), a malformed one is 30001, another company's 20006."""
        company = self.company(caller, p["companyHandle"])
        found: list[Asset] = []
        for i, handle in enumerate(p.get("assetHandleArray") or [], start=1):
            parts = asset_handle_parts(handle)
            if parts is None:
                raise IpsFault.invalid_parameter(f"assetHandleArray/items[{i}]", f"{handle!r} is not an asset handle")
            if parts[0] != company.id:
                raise self._foreign("asset", handle)
            asset = self.state.catalog.assets.get(parts[1])
            if asset is not None and asset.company_id == company.id and asset not in found:
                found.append(asset)
        return found

    def folder_tree(self, caller: User, p: Mapping[str, Any]) -> FolderNode:
        company = self.company(caller, p["companyHandle"])
        self._root(company)
        top = self.existing_folder(company, p.get("folderPath") or "", "folderPath")
        depth = p["depth"]
        holding = self._holding(company, p.get("assetTypeArray"))
        return self._node(company, top, depth if 0 <= depth <= MAX_FOLDER_DEPTH else MAX_FOLDER_DEPTH, holding)

    def _node(self, company: Company, folder: Folder, depth: int, holding: set[str] | None) -> FolderNode:
        from .results import FolderNode

        below = self.state.catalog.subfolders(company.id, folder.path)
        if holding is not None:
            below = [f for f in below if f.path in holding]
        children = [self._node(company, f, depth - 1, holding) for f in below] if depth > 0 else []
        latest = max([folder.modified, *(f.modified for f in below)])
        return FolderNode(folder, bool(below), children, latest)

    def _holding(self, company: Company, types: Iterable[str] | None) -> set[str] | None:
        """The paths of the folders holding an asset of ``types`` at any depth (None: no type asked for)."""
        wanted = set(types or ())
        if not wanted:
            return None
        paths: set[str] = set()
        for asset in self.state.catalog.of_company(company.id):
            if asset.type in wanted:
                folder: str | None = asset.folder
                while folder is not None and folder not in paths:
                    paths.add(folder)
                    parent = folder.rstrip("/").rpartition("/")[0]
                    folder = f"{parent}/" if parent else None
        return paths

    def folders(self, caller: User, p: Mapping[str, Any]) -> list[tuple[Folder, bool]]:
        """getFolders: every folder below ``folderPath`` (default the root), by path, with whether it has any."""
        company = self.company(caller, p["companyHandle"])
        self._root(company)
        top = self.existing_folder(company, p.get("folderPath") or "", "folderPath")
        catalog = self.state.catalog
        below = catalog.below(company.id, top.path)
        if (holding := self._holding(company, p.get("assetTypeArray"))) is not None:
            below = [f for f in below if f.path in holding]
        return [(f, catalog.has_subfolders(company.id, f.path)) for f in below]

    # --------------------------------------------------------------------------------------------- edits

    def create_folder(self, caller: User, now: datetime, p: Mapping[str, Any]) -> Folder:
        company = self.company(caller, p["companyHandle"])
        self._root(company)
        path = self.folder_path(company, p["folderPath"])
        if _BAD_NAME.search(path.replace("/", "")):
            raise IpsFault.invalid_parameter(
                "folderPath", f'{p["folderPath"]!r}: a folder name may not hold \\ : * ? " < > | or control characters'
            )
        if folder_depth(path) > MAX_FOLDER_DEPTH:
            raise IpsFault.invalid_parameter(
                "folderPath", f"a folder may be at most {MAX_FOLDER_DEPTH} levels below the root folder"
            )
        if self.state.catalog.folder(company.id, path) is not None:
            raise IpsFault(IpsFault.EXCEPTION, f"Folder '{path}' already exists")
        return self.state.catalog.ensure_folder(company.id, path, now)

    def delete_folder(self, caller: User, p: Mapping[str, Any]) -> None:
        company = self.company(caller, p["companyHandle"])
        folder = self.existing_folder(company, p["folderHandle"], "folderHandle")
        if folder.path == company.root_path:
            raise IpsFault.invalid_parameter("folderHandle", "the company's root folder cannot be deleted")
        self.state.catalog.delete_folder(folder)

    def delete_asset(self, caller: User, p: Mapping[str, Any]) -> None:
        company = self.company(caller, p["companyHandle"])
        self.state.catalog.remove(self.asset(company, p["assetHandle"]))

    def delete_assets(self, caller: User, p: Mapping[str, Any]) -> Outcome:
        from .results import Outcome

        company = self.company(caller, p["companyHandle"])
        done, errors = 0, []
        for handle in p.get("assetHandleArray") or []:
            try:
                self.state.catalog.remove(self.asset(company, handle))
                done += 1
            except IpsFault as fault:
                errors.append((handle, fault))
        return Outcome(done, errors)

    def rename_asset(self, caller: User, now: datetime, p: Mapping[str, Any]) -> None:
        company = self.company(caller, p["companyHandle"])
        asset = self.asset(company, p["assetHandle"])
        new_name = p["newName"].strip()
        bad = _BAD_NAME if p.get("validateName") else _NEVER_IN_NAME
        if not new_name or bad.search(new_name):
            raise IpsFault.invalid_parameter("newName", f"{p['newName']!r} is not a valid asset name")
        taken = self.state.catalog.named(company.id, new_name)
        if taken is not None and taken is not asset:
            raise IpsFault(IpsFault.EXCEPTION, f"Asset ID '{new_name}' is already in use.")
        self.state.catalog.move(asset, name=new_name)
        self._touch(asset, caller, now)

    def move_asset(self, caller: User, now: datetime, p: Mapping[str, Any]) -> None:
        company = self.company(caller, p["companyHandle"])
        asset = self.asset(company, p["assetHandle"])
        folder = self.existing_folder(company, p["folderHandle"], "folderHandle")
        self.state.catalog.move(asset, folder=folder.path)
        self._touch(asset, caller, now)

    def move_assets(self, caller: User, now: datetime, p: Mapping[str, Any]) -> Outcome:
        from .results import Outcome

        company = self.company(caller, p["companyHandle"])
        done, errors = 0, []
        for move in p.get("assetMoveArray") or []:
            try:
                asset = self.asset(company, move["assetHandle"])
                folder = self.existing_folder(company, move["folderHandle"], "folderHandle")
            except IpsFault as fault:
                errors.append((move["assetHandle"], fault))
                continue
            self.state.catalog.move(asset, folder=folder.path)
            self._touch(asset, caller, now)
            done += 1
        return Outcome(done, errors)

    def associated_assets(self, caller: User, p: Mapping[str, Any]) -> tuple[Asset, list[Asset]]:
        """The asset and the assets derived from it (the pages a ripPdfs job made of a PDF)."""
        company = self.company(caller, p["companyHandle"])
        asset = self.asset(company, p["assetHandle"])
        derived = [a for a in self.state.catalog.of_company(company.id) if a.derived_from == asset.handle]
        return asset, sorted(derived, key=lambda a: a.id)

    def update_smart_crops(self, caller: User, now: datetime, p: Mapping[str, Any]) -> SubAssetOutcome:
        """Move the crops named by ``updateArray``; each that cannot be moved (its owner unknown or another
        company's, the sub-asset not the owner's, the rectangle outside the image) is an error of its own and
        the others go on, as in IPS's other batch operations."""
        from ..model.catalog import CropRect
        from .results import SubAssetOutcome

        company = self.company(caller, p["companyHandle"])
        done, errors = 0, list[tuple[str, str | None, IpsFault]]()
        for i, update in enumerate(p["updateArray"] or [], start=1):  # items are counted from 1, as in faults
            handle = update["subAssetHandle"]
            try:
                owner = self.asset(company, update["ownerHandle"], f"updateArray/items[{i}]/ownerHandle")
            except IpsFault as fault:
                errors.append((handle, None, fault))
                continue
            crop = next((c for c in owner.smart_crops if c.handle == handle), None)
            if crop is None:
                where = f"updateArray/items[{i}]/subAssetHandle"
                reason = f"{handle!r} is not a sub-asset of the asset '{owner.handle}'"
                errors.append((handle, None, IpsFault.invalid_parameter(where, reason)))
                continue
            if (given := update.get("cropRect")) is not None:
                rect = CropRect(given["leftN"], given["topN"], given["widthN"], given["heightN"])
                if (problem := rect.problem()) is not None:
                    where = f"updateArray/items[{i}]/cropRect"
                    errors.append((handle, crop.name, IpsFault.invalid_parameter(where, problem)))
                    continue
                crop.rect = rect.within_image()
                crop.modified, crop.modified_by = now, caller.email
            done += 1
        return SubAssetOutcome(done, errors)

    def _touch(self, asset: Asset, caller: User, now: datetime) -> None:
        asset.modified = now
        asset.modified_by = caller.email


def _filter_types(assets: list[Asset], include: Iterable[str] | None, exclude: Iterable[str] | None) -> list[Asset]:
    wanted, unwanted = set(include or ()), set(exclude or ())
    return [a for a in assets if (not wanted or a.type in wanted) and a.type not in unwanted]


def _field_value(asset: Asset, handle: str) -> str | None:
    """The text a metadata condition compares: system fields by their documented handles, else user metadata."""
    system = {
        "name": asset.name,
        "file_name": asset.file_name,
        "filename": asset.file_name,
        "folder_path": asset.folder,
        "folder": asset.folder,
        "type": asset.type,
        "asset_handle": asset.handle,
        "created_by": asset.created_by,
        "modified_by": asset.modified_by,
    }
    if handle in system:
        return system[handle]
    key = handle.removeprefix("custom_attributes.")
    return asset.metadata.get(key)


_OPERATORS: Final = ("Equals", "NotEquals", "Contains", "NotContains", "StartsWith", "EndsWith")
_TRASH_STATES: Final = ("NotInTrash", "InTrash", "InEmptiedTrash")


def _in_trash(value: str | None, field: str) -> bool:
    """Whether a ``trashState`` filter asks for trashed assets (none: ips-mock keeps no trash); 30001 if unknown."""
    if value in (None, ""):
        return False
    if value not in _TRASH_STATES:
        raise IpsFault.invalid_parameter(field, f"{value!r} is not one of {', '.join(_TRASH_STATES)}")
    return value != "NotInTrash"


def _match_mode(value: str | None, field: str) -> str:
    if value in (None, ""):
        return "MatchAll"
    if value not in ("MatchAll", "MatchAny"):
        raise IpsFault.invalid_parameter(field, f"{value!r} is not MatchAll or MatchAny")
    return str(value)


def _check_conditions(conditions: Sequence[Mapping[str, Any]]) -> None:
    """Every condition is well formed, whatever the catalog holds (a bad one faults even when nothing matches)."""
    for i, condition in enumerate(conditions, start=1):
        where = f"metadataConditionArray/items[{i}]"
        if not str(condition.get("fieldHandle") or "").strip():
            raise IpsFault.invalid_parameter(f"{where}/fieldHandle", "a field handle is required")
        if condition.get("op") not in _OPERATORS:
            raise IpsFault.invalid_parameter(
                f"{where}/op", f"{condition.get('op')!r} is not one of {', '.join(_OPERATORS)}"
            )
        if condition.get("value") is None and not condition.get("values"):
            raise IpsFault.invalid_parameter(f"{where}/value", "a value (or values) to compare with is required")


def _conditions_hold(asset: Asset, conditions: Sequence[Mapping[str, Any]], mode: str) -> bool:
    results = [_condition_holds(asset, c) for c in conditions]
    return any(results) if mode == "MatchAny" else all(results)


def _condition_holds(asset: Asset, condition: Mapping[str, Any]) -> bool:
    value = _field_value(asset, str(condition["fieldHandle"]))
    op = str(condition["op"])
    expected = str(
        condition.get("value") if condition.get("value") is not None else (condition.get("values") or [""])[0]
    )
    if value is None:
        return op in ("NotEquals", "NotContains")
    if not condition.get("caseSensitive", False):
        value, expected = value.lower(), expected.lower()
    checks: dict[str, bool] = {
        "Equals": value == expected,
        "NotEquals": value != expected,
        "Contains": expected in value,
        "NotContains": expected not in value,
        "StartsWith": value.startswith(expected),
        "EndsWith": value.endswith(expected),
    }
    return checks[op]
