"""Reading scenario YAML with ruamel, bounded by :class:`ScenarioLimits`, into located containers.

Kept apart from the loader so that ruamel (about a sixth of ``ips-mock serve``'s start) is imported only when YAML
text is read: the built-in scenario has a compiled form (:mod:`ips_mock.builtin`), and a mapping needs no parsing.
"""

from __future__ import annotations

from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.composer import Composer
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent
from ruamel.yaml.nodes import MappingNode, Node, SequenceNode

from ..errors import ScenarioError
from .libyaml_events import UNSUPPORTED, read
from .loader import DEFAULT_SCENARIO_LIMITS, ScenarioLimits, _cut
from .located import LocatedList, LocatedMap

__all__ = ["parse_yaml"]


def parse_yaml(text: str, name: str, limits: ScenarioLimits) -> Any:
    """The document ``text`` holds (:class:`LocatedMap` and :class:`LocatedList`, which know their lines), or
    ScenarioError."""
    try:
        document = _from_events(text, limits)
        return _located(_yaml(limits).load(text), {}) if document is UNSUPPORTED else document
    except _LimitError as exc:
        raise ScenarioError(f"{name}:{exc.line + 1}: {exc}") from None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f":{mark.line + 1}" if mark is not None else ""
        problem = str(exc.problem or exc.context)
        raise ScenarioError(f"{name}{line}: YAML syntax error: {_cut(problem)}") from None
    except YAMLError as exc:  # e.g. a control character the reader refuses, located only by position
        raise ScenarioError(f"{name}: YAML error: {_cut(str(exc).splitlines()[0])}") from None


def _located(value: Any, done: dict[int, Any]) -> Any:
    """ruamel's commented containers as located ones, with the same lines. An alias is the same container as
    its anchor in ruamel's document and stays one here (``done``: id of a commented container -> its copy), so
    the copy is no larger than what was read; the composer has bounded its depth."""
    if isinstance(value, CommentedMap):
        copy = done.get(id(value))
        if copy is None:
            copy = done[id(value)] = LocatedMap(value.lc.line)
            for key, item in value.items():
                copy[key] = _located(item, done)
                # A key merged in (``<<``) has no line of its own here: the mapping's stands for it.
                copy.key_lines[key] = value.lc.data[key][0] if key in value.lc.data else value.lc.line
        return copy
    if isinstance(value, CommentedSeq):
        copy = done.get(id(value))
        if copy is None:
            copy = done[id(value)] = LocatedList(value.lc.line)
            for index, item in enumerate(value):
                copy.append(_located(item, done))
                copy.item_lines.append(value.lc.item(index)[0])
        return copy
    return value


class _LimitError(Exception):
    """A :class:`ScenarioLimits` limit crossed at a 0-based line."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


class _Constructor(RoundTripConstructor):
    """Keeps instants and dates as the strings the user wrote, so every instant is parsed in one place."""

    def construct_yaml_int(self, node: Any) -> Any:
        try:
            return super().construct_yaml_int(node)
        except ValueError:  # more digits than Python converts (sys.get_int_max_str_digits(), 4300)
            raise _LimitError(node.start_mark.line, "an integer too long to read") from None


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_yaml_str)
_Constructor.add_constructor("tag:yaml.org,2002:int", _Constructor.construct_yaml_int)


class _BoundedComposer(Composer):
    """Composes the YAML node graph, refusing documents past :class:`ScenarioLimits` before anything is built.

    Aliases are counted as they are met, nesting as it is entered, and once the document is composed the size
    and depth of the graph with every alias expanded are computed (once per node, so a bomb costs no more to
    measure than to read), as is any alias that contains itself."""

    limits: ScenarioLimits = DEFAULT_SCENARIO_LIMITS

    def __init__(self, loader: Any = None) -> None:
        super().__init__(loader)
        self.warn_double_anchors = False  # a reused anchor name is legal YAML: the later one applies
        self.aliases = 0
        self.nesting = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.parser.peek_event()
        if isinstance(event, AliasEvent):
            self.aliases += 1
            if self.aliases > self.limits.max_aliases:
                raise _LimitError(
                    event.start_mark.line,
                    f"more than {self.limits.max_aliases:,} aliases (limit ScenarioLimits.max_aliases)",
                )
            return super().compose_node(parent, index)
        self.nesting += 1
        if self.nesting > self.limits.max_depth:
            raise _LimitError(
                event.start_mark.line,
                f"nested deeper than {self.limits.max_depth} levels (limit ScenarioLimits.max_depth)",
            )
        try:
            return super().compose_node(parent, index)
        finally:
            self.nesting -= 1

    def compose_document(self: Any) -> Any:
        node = super().compose_document()
        if node is not None:
            _check_expansion(node, self.limits)
        return node


def _from_events(text: str, limits: ScenarioLimits) -> Any:
    """The document built from libyaml's events when the text allows (see :mod:`.libyaml_events`), else
    UNSUPPORTED: ruamel's own parser then reads it and words any error."""
    yaml = _yaml(limits)
    return read(text, yaml.resolver, yaml.constructor, limits)


def _children(node: Node) -> list[Node]:
    if isinstance(node, SequenceNode):
        return list(node.value)
    if isinstance(node, MappingNode):
        return [item for pair in node.value for item in pair]
    return []


def _check_expansion(root: Node, limits: ScenarioLimits) -> None:
    """Refuse a graph whose expansion is too large or too deep, or that contains itself (iteratively: the
    expanded depth is what is being bounded)."""
    measured: dict[int, tuple[int, int]] = {}  # id(node) -> (values, depth) with aliases expanded
    entered: set[int] = set()
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        key = id(node)
        if finished:
            below = [measured[id(child)] for child in _children(node)]
            size = 1 + sum(values for values, _ in below)
            depth = 1 + max((levels for _, levels in below), default=0)
            line = node.start_mark.line
            if size > limits.max_nodes:
                raise _LimitError(
                    line,
                    f"expands to more than {limits.max_nodes:,} values (limit ScenarioLimits.max_nodes)",
                )
            if depth > limits.max_depth:
                raise _LimitError(
                    line,
                    f"nested deeper than {limits.max_depth} levels once aliases are expanded "
                    "(limit ScenarioLimits.max_depth)",
                )
            measured[key] = (size, depth)
            continue
        if key in measured:
            continue
        if key in entered:  # met again before it was finished: it is inside itself
            raise _LimitError(node.start_mark.line, "an alias refers to a value that contains it")
        entered.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in _children(node) if id(child) not in measured)


def _yaml(limits: ScenarioLimits) -> YAML:
    """A round-trip loader bounded by ``limits``."""
    yaml = YAML(typ="rt", pure=True)
    yaml.Constructor = _Constructor
    composer: type[_BoundedComposer] = type("_Composer", (_BoundedComposer,), {"limits": limits})
    yaml.Composer = composer
    return yaml
