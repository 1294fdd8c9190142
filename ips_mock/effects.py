"""What jobs do to the asset catalog: the scheduler reports what happened in a run, this module changes the catalog.

* An upload's item that completes creates its asset, or replaces the asset of the same name (``overwrite``
  true), or is skipped as a duplicate (``overwrite`` false); failed items create nothing.
* A publish job that ends well stamps the company's assets marked for publish with the publish time.
* An export job that ends well leaves a download: an :class:`ExportArchive` the fake serves as a zip.
* A ripPdfs job makes page assets of each PDF (:data:`PDF_PAGES` each), derived from it.
* reprocessAssetsJob marks its assets modified.

Sizes and image dimensions are synthetic (the fake fetches nothing) but stable: derived from the source's text, so
the same scenario gives the same catalog. Nothing here reads the time or knows XML.
"""

from __future__ import annotations

import posixpath
import zlib
from dataclasses import dataclass
from datetime import datetime
from typing import Final, Literal

from .model import State
from .model.catalog import Asset, asset_type_for
from .model.jobs import Run, WorkItem

__all__ = ["PDF_PAGES", "CatalogEffects", "ExportArchive", "ExportedAsset", "ItemOutcome", "synthetic_size"]

PDF_PAGES: Final = 2
MAX_EXPORTS: Final = 1000
"""Downloads kept per fake; older ones are let go (a download URL is meant to be fetched soon after the job)."""

ItemOutcome = Literal["created", "replaced", "duplicate", "touched"]

_PUBLISHES: Final = frozenset(
    {"imageServingPublishJob", "imageRenderingPublishJob", "videoPublishJob", "serverDirectoryPublishJob"}
)
_UPLOADS: Final = frozenset({"uploadUrlsJob", "uploadDirectoryJob"})


@dataclass(frozen=True, slots=True)
class ExportedAsset:
    handle: str
    name: str
    file_name: str
    folder: str
    type: str
    size: int


@dataclass(frozen=True, slots=True)
class ExportArchive:
    """What an export job produced: the assets it exported, as they were when it ended."""

    run_id: int
    company_id: int
    run_name: str
    fmt: str
    created: datetime
    assets: tuple[ExportedAsset, ...]


def synthetic_size(source: str) -> int:
    """A file size for an asset made from ``source``: the fake fetches nothing, but the same source always gives
    the same size."""
    return 10_000 + zlib.crc32(source.encode("utf-8")) % 5_000_000


def _synthetic_dimensions(source: str, image: bool) -> tuple[int | None, int | None]:
    """Width and height of an image made from ``source`` (stable, like :func:`synthetic_size`); None for others."""
    if not image:
        return None, None
    seed = zlib.crc32(source.encode("utf-8"))
    return 400 + seed % 3600, 300 + (seed >> 12) % 2700


class CatalogEffects:
    def __init__(self, state: State) -> None:
        self.state = state

    # ---------------------------------------------------------------------------------------------- items

    def item_done(self, run: Run, item: WorkItem, at: datetime) -> tuple[ItemOutcome, str] | None:
        """Apply one completed item; return what happened and the handle of the asset it concerns (None when
        the job does nothing to the catalog per item)."""
        job = run.definition.job_type
        if job in _UPLOADS:
            return self._upload(run, item, at)
        if job == "reprocessAssetsJob":
            asset = self._existing(run, item.asset_handle)
            if asset is not None:
                asset.modified = at
                asset.modified_by = run.definition.submit_user_email
            return "touched", item.asset_handle
        if job == "ripPdfsJob":
            self._rip(run, item, at)
            return "touched", item.asset_handle
        return None

    def _upload(self, run: Run, item: WorkItem, at: datetime) -> tuple[ItemOutcome, str]:
        definition = run.definition
        spec = definition.submitted
        catalog = self.state.catalog
        company_id = definition.company_id
        folder, file_name = posixpath.split(item.path)
        folder = folder.rstrip("/") + "/"
        existing = catalog.named(company_id, item.name)
        if existing is not None and not spec.get("overwrite", True):
            return "duplicate", existing.handle
        catalog.ensure_folder(company_id, folder, at)
        asset_type = asset_type_for(file_name)
        size = synthetic_size(item.source)
        width, height = _synthetic_dimensions(item.source, asset_type == "Image")
        ready = bool(spec.get("readyForPublish", True))
        if existing is not None:
            if spec.get("preservePublishState"):
                ready = existing.ready_for_publish
            catalog.move(existing, folder=folder)
            existing.file_name = file_name
            existing.type = asset_type
            existing.modified = at
            existing.modified_by = definition.submit_user_email
            existing.size = size
            existing.width, existing.height = width, height
            existing.source = item.source
            existing.ready_for_publish = ready
            existing.publish_state = "MarkedForPublish" if ready else "NotMarkedForPublish"
            existing.mask = bool(spec.get("createMask"))
            if asset_type != "Image":  # smart crops are an image's; a replacing image keeps them (fractions)
                existing.smart_crops.clear()
            return "replaced", existing.handle
        asset_id = int(item.asset_handle.rsplit("|", 1)[1])
        catalog.add(
            Asset(
                asset_id,
                company_id,
                item.name,
                file_name,
                folder,
                asset_type,
                at,
                at,
                definition.submit_user_email,
                definition.submit_user_email,
                size=size,
                width=width,
                height=height,
                source=item.source,
                ready_for_publish=ready,
                mask=bool(spec.get("createMask")),
                publish_state="MarkedForPublish" if ready else "NotMarkedForPublish",
            )
        )
        return "created", item.asset_handle

    def _existing(self, run: Run, handle: str) -> Asset | None:
        asset_id = handle.rsplit("|", 1)[-1]
        asset = self.state.catalog.assets.get(int(asset_id)) if asset_id.isdigit() else None
        return asset if asset is not None and asset.company_id == run.definition.company_id else None

    def _rip(self, run: Run, item: WorkItem, at: datetime) -> None:
        pdf = self._existing(run, item.asset_handle)
        if pdf is None:
            return
        catalog = self.state.catalog
        for page in range(1, PDF_PAGES + 1):
            name = f"{pdf.name}_{page}"
            if catalog.named(pdf.company_id, name) is not None:
                continue
            catalog.add(
                Asset(
                    self.state.take_asset_id(),
                    pdf.company_id,
                    name,
                    f"{name}.jpg",
                    pdf.folder,
                    "Image",
                    at,
                    at,
                    run.definition.submit_user_email,
                    run.definition.submit_user_email,
                    size=pdf.size // PDF_PAGES,
                    width=1275,
                    height=1650,
                    source=pdf.handle,
                    derived_from=pdf.handle,
                )
            )

    # -------------------------------------------------------------------------------------------- run end

    def run_ended(self, run: Run, at: datetime) -> ExportArchive | None:
        """A run ended well (not stopped, no fatal error): publish stamps, export downloads."""
        job = run.definition.job_type
        company_id = run.definition.company_id
        if job in _PUBLISHES:
            for asset in self.state.catalog.of_company(company_id):
                if asset.ready_for_publish:
                    asset.published = at
            return None
        if job != "exportJob":
            return None
        exported = []
        for item in run.items:
            found = self._existing(run, item.asset_handle)
            if found is not None:
                exported.append(
                    ExportedAsset(found.handle, found.name, found.file_name, found.folder, found.type, found.size)
                )
        archive = ExportArchive(
            run.id, company_id, run.name, str(run.definition.submitted.get("fmt", "orig")), at, tuple(exported)
        )
        exports = self.state.exports
        exports[run.id] = archive
        while len(exports) > MAX_EXPORTS:
            del exports[next(iter(exports))]
        return archive
