"""The asset catalog: each company's folder tree and its assets, as plain entities.

Jobs change it (uploads create and replace assets, publishes mark them, exports read them) and the asset and
folder operations read and edit it. Handles (README "Choices"): a folder is ``f|<companyId>|<path>``, an asset
``a|<companyId>|1|<assetId>`` and a smart crop (a sub-asset of an image) ``sa|<companyId>|<assetId>|<n>``; a
path always starts with the company's root path (``Example/``) and a folder path ends with ``/``.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Final

__all__ = [
    "ASSET_TYPES",
    "MAX_FOLDER_DEPTH",
    "MAX_SMART_CROPS",
    "Asset",
    "Catalog",
    "CropRect",
    "Folder",
    "SmartCrop",
    "asset_type_for",
    "folder_depth",
    "join_path",
]

# File extension -> IPS asset type (Asset/type). Anything else is a generic "Image" upload would refuse in IPS;
# the fake keeps such files as the type their extension suggests, "Image" by default (README "Choices").
ASSET_TYPES: Final[Mapping[str, str]] = {
    **dict.fromkeys(("jpg", "jpeg", "png", "gif", "tif", "tiff", "bmp", "psd", "webp", "eps", "ai"), "Image"),
    **dict.fromkeys(("mp4", "mov", "m4v", "avi", "flv", "f4v", "wmv", "webm", "mpg", "mpeg", "3gp"), "Video"),
    "pdf": "Pdf",
    "svg": "Svg",
    "zip": "Zip",
    "xml": "Xml",
    "css": "Css",
    "js": "Javascript",
    "swf": "Flash",
    "indd": "InDesign",
    "fxg": "Fxg",
    **dict.fromkeys(("ttf", "otf"), "Font"),
    **dict.fromkeys(("icc", "icm"), "IccProfile"),
}


MAX_FOLDER_DEPTH: Final = 64
"""How many folder levels below the root a path may have, and how deep a folder tree reply goes (README
"Choices"): a reply nested deeper than this would exceed what XML parsers accept by default."""


def folder_depth(path: str) -> int:
    """Levels below the root: ``Example/`` is 0, ``Example/a/b/`` is 2."""
    return path.strip("/").count("/")


def asset_type_for(file_name: str) -> str:
    extension = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    return ASSET_TYPES.get(extension, "Image")


def join_path(root: str, path: str) -> str:
    """``path`` as a folder path under the company ``root`` (``Example/``): a path already starting with the root
    is not rooted twice; ``.``/``..`` and repeated slashes are resolved inside the root, never above it."""
    cleaned = path.strip().replace("\\", "/").strip("/")
    root_name = root.strip("/")
    if cleaned == root_name or cleaned.startswith(root_name + "/"):
        cleaned = cleaned[len(root_name) :].strip("/")
    normalized = posixpath.normpath("/" + cleaned).lstrip("/") if cleaned else ""
    return f"{root_name}/{normalized}/" if normalized else f"{root_name}/"


@dataclass(slots=True)
class Folder:
    """A folder of a company's catalog, named by its path (which ends with ``/``)."""

    company_id: int
    path: str
    created: datetime
    modified: datetime

    @property
    def handle(self) -> str:
        return f"f|{self.company_id}|{self.path}"

    @property
    def parent_path(self) -> str | None:
        parent = self.path.rstrip("/").rpartition("/")[0]
        return f"{parent}/" if parent else None

    @property
    def name(self) -> str:
        return self.path.rstrip("/").rpartition("/")[2]


MAX_SMART_CROPS: Final = 100
"""Smart crops an image may have: the limit Adobe's Dynamic Media image profiles impose."""


@dataclass(frozen=True, slots=True)
class CropRect:
    """A crop as fractions of its image: the left and top edges, the width and the height."""

    left: float
    top: float
    width: float
    height: float

    def problem(self) -> str | None:
        """Why this is no crop of an image (an edge outside it, no area), or None."""
        values = (self.left, self.top, self.width, self.height)
        if not all(0.0 <= value <= 1.0 for value in values):  # NaN fails too
            return "every value must be between 0 and 1"
        if self.width == 0 or self.height == 0:
            return "the width and the height must be above 0"
        # A little slack: the fractions are decimal text, so 0.7 + 0.3 may add up to a hair above 1.
        if self.left + self.width > 1 + 1e-9 or self.top + self.height > 1 + 1e-9:
            return "the crop must lie within the image (left + width and top + height at most 1)"
        return None

    def within_image(self) -> CropRect:
        """This crop (which has no :meth:`problem`) as stored: a width or height past the edge by the slack that
        :meth:`problem` allows cut back to it, and -0.0 read as 0.0."""
        left, top = self.left + 0.0, self.top + 0.0
        return CropRect(left, top, min(self.width, 1.0 - left), min(self.height, 1.0 - top))


@dataclass(slots=True)
class SmartCrop:
    """A smart crop of an image, one of its sub-assets: a named rendition of ``width`` x ``height`` pixels cut
    from the image at ``rect``."""

    handle: str
    name: str
    width: int
    height: int
    rect: CropRect
    created: datetime
    created_by: str
    modified: datetime
    modified_by: str


@dataclass(slots=True)
class Asset:
    """An asset of a company's catalog, in one folder."""

    id: int
    company_id: int
    name: str
    """The asset's IPS name (its "asset ID"): the file name without its extension, unique in the company."""
    file_name: str
    folder: str
    type: str
    created: datetime
    modified: datetime
    created_by: str
    modified_by: str
    size: int = 0
    width: int | None = None
    height: int | None = None
    source: str | None = None
    """Where it came from (a URL, a server path), for log messages and exports."""
    ready_for_publish: bool = True
    mask: bool = False
    publish_state: str = "NotMarkedForPublish"
    published: datetime | None = None
    """When a publish job last covered it."""
    metadata: dict[str, str] = field(default_factory=dict)
    derived_from: str | None = None
    """The handle of the asset this one was made from (a page a ripPdfs job made of a PDF)."""
    smart_crops: list[SmartCrop] = field(default_factory=list)
    """Its smart crops (sub-assets), in the order they were made."""

    def add_smart_crop(self, name: str, width: int, height: int, rect: CropRect, now: datetime, user: str) -> SmartCrop:
        """A new smart crop of this asset, numbered after the last one."""
        number = int(self.smart_crops[-1].handle.rpartition("|")[2]) + 1 if self.smart_crops else 1
        crop = SmartCrop(f"sa|{self.company_id}|{self.id}|{number}", name, width, height, rect, now, user, now, user)
        self.smart_crops.append(crop)
        return crop

    @property
    def handle(self) -> str:
        return f"a|{self.company_id}|1|{self.id}"

    @property
    def path(self) -> str:
        return self.folder + self.file_name


@dataclass
class Catalog:
    """Folders and assets of every company, with the look-ups the operations need without scanning everything.

    Change it through its methods (they keep the indexes); ``folders`` and ``assets`` are for reading.
    """

    folders: dict[tuple[int, str], Folder] = field(default_factory=dict)
    assets: dict[int, Asset] = field(default_factory=dict)
    _by_name: dict[tuple[int, str], int] = field(default_factory=dict)
    """(company id, asset name) -> asset id: an asset's name is unique in its company (IPS URLs name it alone)."""
    _by_company: dict[int, dict[int, Asset]] = field(default_factory=dict)
    """company id -> its assets by id, in the order they were added."""
    _children: dict[tuple[int, str], set[str]] = field(default_factory=dict)
    """(company id, folder path) -> the paths of the folders directly inside it."""

    # ------------------------------------------------------------------------------------------- folders

    def folder(self, company_id: int, path: str) -> Folder | None:
        return self.folders.get((company_id, path))

    def ensure_folder(self, company_id: int, path: str, now: datetime) -> Folder:
        """The folder at ``path``, created (with its missing parents) when it does not exist yet."""
        found = self.folders.get((company_id, path))
        if found is not None:
            return found
        missing = [Folder(company_id, path, now, now)]
        while (parent := missing[-1].parent_path) is not None and (company_id, parent) not in self.folders:
            missing.append(Folder(company_id, parent, now, now))  # iterative: a path may be deep
        for folder in reversed(missing):
            if (parent := folder.parent_path) is not None:
                self._children.setdefault((company_id, parent), set()).add(folder.path)
            self.folders[(company_id, folder.path)] = folder
        return missing[0]

    def subfolders(self, company_id: int, path: str) -> list[Folder]:
        """The folders directly inside ``path``, by path."""
        return [self.folders[(company_id, p)] for p in sorted(self._children.get((company_id, path), ()))]

    def has_subfolders(self, company_id: int, path: str) -> bool:
        return bool(self._children.get((company_id, path)))

    def below(self, company_id: int, path: str) -> list[Folder]:
        """Every folder inside ``path`` at any depth (not ``path`` itself), by path."""
        found: list[Folder] = []
        pending = [path]
        while pending:
            for child in self._children.get((company_id, pending.pop()), ()):
                found.append(self.folders[(company_id, child)])
                pending.append(child)
        return sorted(found, key=lambda f: f.path)

    def delete_folder(self, folder: Folder) -> list[Asset]:
        """Remove ``folder``, everything below it and their assets; return the assets removed."""
        company_id = folder.company_id
        removed = [a for a in self.of_company(company_id) if a.folder.startswith(folder.path)]
        for asset in removed:
            self.remove(asset)
        for gone in [folder, *self.below(company_id, folder.path)]:
            del self.folders[(company_id, gone.path)]
            self._children.pop((company_id, gone.path), None)
        if (parent := folder.parent_path) is not None:
            self._children.get((company_id, parent), set()).discard(folder.path)
        return removed

    # -------------------------------------------------------------------------------------------- assets

    def add(self, asset: Asset) -> Asset:
        """Add ``asset`` (the caller checked that its name is free in its company)."""
        self.assets[asset.id] = asset
        self._by_name[(asset.company_id, asset.name)] = asset.id
        self._by_company.setdefault(asset.company_id, {})[asset.id] = asset
        return asset

    def remove(self, asset: Asset) -> None:
        self.assets.pop(asset.id, None)
        if self._by_name.get((asset.company_id, asset.name)) == asset.id:
            del self._by_name[(asset.company_id, asset.name)]
        self._by_company.get(asset.company_id, {}).pop(asset.id, None)

    def named(self, company_id: int, name: str) -> Asset | None:
        asset_id = self._by_name.get((company_id, name))
        return None if asset_id is None else self.assets.get(asset_id)

    def move(self, asset: Asset, *, folder: str | None = None, name: str | None = None) -> None:
        """Rename and/or move ``asset`` (the caller checked that the target name is free)."""
        if self._by_name.get((asset.company_id, asset.name)) == asset.id:
            del self._by_name[(asset.company_id, asset.name)]
        if folder is not None:
            asset.folder = folder
        if name is not None:
            extension = asset.file_name.rpartition(".")[2] if "." in asset.file_name else ""
            asset.name = name
            asset.file_name = f"{name}.{extension}" if extension else name
        self._by_name[(asset.company_id, asset.name)] = asset.id

    def of_company(self, company_id: int) -> Iterator[Asset]:
        return iter(list(self._by_company.get(company_id, {}).values()))
