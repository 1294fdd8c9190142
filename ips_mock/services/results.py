"""What the area services return beside model objects: a page of search results, a folder tree, a batch
outcome, a job log's page of details. Imported by the first operation that builds one, not with the services."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from ..errors import IpsFault

if TYPE_CHECKING:
    from ..model.catalog import Asset, Folder
    from ..model.jobs import JobLog, JobLogDetail

__all__ = ["FolderNode", "LogPage", "Outcome", "Page", "SubAssetOutcome"]


@dataclass(frozen=True)
class Page:
    """One page of a search: the rows that matched before paging, and this page's assets."""

    total_rows: int
    assets: Sequence[Asset]


@dataclass(frozen=True)
class FolderNode:
    """One folder of a getFolderTree answer, with its subfolders down to the requested depth."""

    folder: Folder
    has_subfolders: bool
    children: Sequence[FolderNode]
    """Empty below the requested depth (``has_subfolders`` still says whether there are more)."""
    child_last_modified: datetime


@dataclass(frozen=True)
class Outcome:
    """What a batch operation (deleteAssets, moveAssets) did: one fault per asset it could not handle."""

    success_count: int
    errors: Sequence[tuple[str, IpsFault]]


@dataclass(frozen=True)
class SubAssetOutcome:
    """What a batch operation on sub-assets (updateSmartCrops) did: per sub-asset it could not handle, its handle,
    its name when known, and the fault."""

    success_count: int
    errors: Sequence[tuple[str, str | None, IpsFault]]


@dataclass(frozen=True)
class LogPage:
    """One job log with the page of details getJobLogDetails returns."""

    log: JobLog
    total_rows: int
    details: Sequence[JobLogDetail]
