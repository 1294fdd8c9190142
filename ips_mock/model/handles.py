"""Reading IPS handles (IPS-REFERENCE §7.1): one parser, so every operation reads them the same way."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final, Literal

__all__ = ["JobHandle", "asset_handle_parts", "company_id_of", "folder_handle_parts", "parse_job_handle"]

_ID: Final = re.compile(r"[0-9]{1,9}")
_RUN_STAMP: Final = re.compile(r"_\d{4}-\d{2}-\d{2}-\d{2}:\d{2}:\d{2}\.\d{3}(-\d+)?$")


def company_id_of(handle: str) -> int | None:
    """The id in a company handle ``c|<id>``; None for anything else (ASCII digits only)."""
    prefix, _, number = handle.strip().partition("|")
    return int(number) if prefix == "c" and _ID.fullmatch(number) else None


@dataclass(frozen=True)
class JobHandle:
    """A job handle, taken apart: ``j|<co>|<jobName>||`` (submit), ``j|<co>||<runName>|<runId>`` (run),
    ``j|<co>||<runName>`` (log), or the pre-4.0 submit handle ``<co>|<jobName>|``."""

    company_id: int
    kind: Literal["submit", "run", "log"]
    job_name: str = ""
    run_name: str = ""
    run_id: int | None = None

    @property
    def name(self) -> str:
        """The job's name: the submitted name, or the run name without its fire-time stamp."""
        return self.job_name or _RUN_STAMP.sub("", self.run_name)


def parse_job_handle(handle: str) -> JobHandle | None:
    """The parts of a job handle, or None when it has none of the known shapes."""
    parts = handle.split("|")
    if len(parts) == 3 and _ID.fullmatch(parts[0]) and parts[1] and not parts[2]:
        return JobHandle(int(parts[0]), "submit", job_name=parts[1])
    if len(parts) not in (4, 5) or parts[0] != "j" or not _ID.fullmatch(parts[1]):
        return None
    company_id = int(parts[1])
    if len(parts) == 5 and parts[2] and not parts[3] and not parts[4]:
        return JobHandle(company_id, "submit", job_name=parts[2])
    if not parts[2] and parts[3]:
        if len(parts) == 4:
            return JobHandle(company_id, "log", run_name=parts[3])
        if _ID.fullmatch(parts[4]):
            return JobHandle(company_id, "run", run_name=parts[3], run_id=int(parts[4]))
    return None


def asset_handle_parts(handle: str) -> tuple[int, int] | None:
    """(company id, asset id) of an asset handle ``a|<co>|1|<id>``; None for anything else."""
    parts = handle.strip().split("|")
    if len(parts) == 4 and parts[0] == "a" and _ID.fullmatch(parts[1]) and _ID.fullmatch(parts[3]):
        return int(parts[1]), int(parts[3])
    return None


def folder_handle_parts(handle: str) -> tuple[int, str] | None:
    """(company id, folder path) of a folder handle ``f|<co>|<path>``; None for anything else."""
    prefix, _, rest = handle.strip().partition("|")
    company, _, path = rest.partition("|")
    if prefix == "f" and _ID.fullmatch(company) and path:
        return int(company), path
    return None
