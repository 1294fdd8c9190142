"""The containers a YAML scenario is read into: a plain ``dict`` and ``list`` that also know their lines.

Only error messages use the lines (``file:line: field.path: problem``), but every check and the fake's build read
the values. ruamel's commented containers keep lines too, at the price of Python-level item access and a
formatting record per container: on a 10,000-job scenario about half of its whole load. These subclasses add two
slots and nothing else, so reading them is the built-in types' own code. Both YAML readers (libyaml's events and
ruamel's parser) give documents of these types, with the same lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = ["LocatedList", "LocatedMap", "line_of"]


class LocatedMap(dict[Any, Any]):
    """A mapping that knows the 0-based line it starts at and the line of each of its keys."""

    __slots__ = ("key_lines", "line")

    def __init__(self, line: int = 0) -> None:
        super().__init__()
        self.line = line
        self.key_lines: dict[Any, int] = {}


class LocatedList(list[Any]):
    """A sequence that knows the 0-based line it starts at and the line of each of its items."""

    __slots__ = ("item_lines", "line")

    def __init__(self, line: int = 0) -> None:
        super().__init__()
        self.line = line
        self.item_lines: list[int] = []


def line_of(document: Any, path: Sequence[str | int]) -> int | None:
    """1-based line of the deepest value along ``path`` that ``document`` holds: the line of its key or item,
    else the document's own first line; None for a document that holds no lines (a plain mapping)."""
    node, line = document, None
    for part in path:
        if type(node) is LocatedMap and part in node:
            line = node.key_lines[part] + 1
        elif type(node) is LocatedList and isinstance(part, int) and 0 <= part < len(node):
            line = node.item_lines[part] + 1
        else:
            break
        node = node[part]
    if line is None and type(document) in (LocatedMap, LocatedList):
        line = document.line + 1
    return line
