"""Asset and folder operations (searchAssets, getFolderTree, getAssetsByName, …): none modelled yet.

Until they are, each answers the 30000 "ips-mock does not implement" fault, unless a scenario stubs it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from .base import Handler

__all__ = ["OPERATIONS"]

OPERATIONS: Final[Mapping[str, Handler]] = {}
