"""Checks on a submitted job element that the schema cannot express: enum strings and documented exclusions."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from .enums import ENUMS

__all__ = ["spec_problems"]

# Nested elements whose type name is not their field name with a capital initial.
_TYPE_OF_FIELD: Final = {"pdfOptions": "PDFOptions", "layerOptions": "PhotoshopLayerOptions"}

_CROPS: Final = ("manualCropOptions", "autoColorCropOptions", "autoTransparentCropOptions")
_POST_JOBS: Final = ("postImageServingPublishJob", "postImageRenderingPublishJob", "postVideoPublishJob")


def _type_of(field_name: str) -> str:
    if field_name in _TYPE_OF_FIELD:
        return _TYPE_OF_FIELD[field_name]
    if field_name.startswith("post") and field_name.endswith("PublishJob"):
        field_name = field_name[len("post") :]
    return field_name[:1].upper() + field_name[1:]


def _allowed(type_name: str, field_name: str) -> frozenset[str] | None:
    if field_name in ("emailSetting", "sortDirection"):
        return ENUMS[field_name]
    return ENUMS.get(f"{type_name}/{field_name}")


def spec_problems(element: str, spec: Mapping[str, Any]) -> list[tuple[str, str]]:
    """``(field path, what is wrong)`` for every problem in the job element ``element`` (e.g. uploadUrlsJob)."""
    problems: list[tuple[str, str]] = []

    def walk(type_name: str, value: Mapping[str, Any], path: str) -> None:
        for key, item in value.items():
            if isinstance(item, str):  # the usual value: tested first, as the Mapping test is an ABC's
                if (allowed := _allowed(type_name, key)) is not None and item not in allowed:
                    problems.append((f"{path}/{key}", f"{item!r} is not one of {', '.join(sorted(allowed))}"))
            elif isinstance(item, dict | Mapping):
                walk(_type_of(key), item, f"{path}/{key}")

    walk(_type_of(element), spec, element)
    crops = [c for c in _CROPS if c in spec]
    if len(crops) > 1:
        problems.append((element, f"give at most one of {', '.join(_CROPS)}; got {', '.join(crops)}"))
    posts = [p for p in _POST_JOBS if p in spec]
    if len(posts) > 1:
        problems.append((element, f"give at most one follow-on publish job; got {', '.join(posts)}"))
    return problems
