"""Reading a scenario document from libyaml's parser events, as ruamel's round-trip loader reads it.

ruamel's round-trip scanner, parser and constructor are pure Python (its C extension serves only its ``safe``
loader), nearly all of reading a large scenario. When PyYAML's binding of libyaml is installed (a dependency of
``responses``), its parser reads the events instead, and :func:`read` builds from them the document
:mod:`.yamltext` makes of ruamel's: :class:`LocatedMap` and :class:`LocatedList` with the same keys, items and
lines, tags resolved by the same ruamel resolver, strings as they are, and every other scalar (numbers, booleans,
nulls) constructed by ruamel's own constructor. Anything outside the plain subset scenarios use (anchors and
aliases, tags, merge keys, keys that are not scalars, repeated keys, directives, more than one document, empty
values, block scalars, the characters YAML 1.1 reads otherwise, a limit crossed) and any error make :func:`read`
give up, and the text is read the usual way, so every error is worded as before.
"""

from __future__ import annotations

import re
from typing import Any, Final

from ruamel.yaml.nodes import ScalarNode

from .loader import ScenarioLimits
from .located import LocatedList, LocatedMap

__all__ = ["UNSUPPORTED", "read"]

UNSUPPORTED: Final = object()
"""What :func:`read` answers for a text it leaves to ruamel's own parser."""

try:  # libyaml, bound by PyYAML; absent (a pure PyYAML, or no PyYAML) means ruamel reads every text
    from yaml import events as _events
    from yaml.cyaml import CParser as _CParser
except ImportError:  # pragma: no cover - depends on how PyYAML was installed
    _CParser = None
else:
    _Scalar: Final = _events.ScalarEvent
    _MappingEnd: Final = _events.MappingEndEvent


_YAML_1_1_SPACE: Final = re.compile("[\t\ufeff\x85\u2028\u2029]")
"""Characters libyaml (YAML 1.1) reads otherwise than ruamel (YAML 1.2): tabs it takes as spaces where ruamel
refuses them, byte order marks inside the text, and NEL, LS and PS, line breaks in 1.1 only."""

_AS_WRITTEN: Final = frozenset({"tag:yaml.org,2002:str", "tag:yaml.org,2002:timestamp"})
"""Tags whose scalars the scenario constructor keeps as the text itself (instants are parsed by the loader)."""
_MERGE: Final = "tag:yaml.org,2002:merge"
_STR: Final = "tag:yaml.org,2002:str"


class _Unsupported(Exception):
    pass


def read(text: str, resolver: Any, constructor: Any, limits: ScenarioLimits) -> Any:
    """The single document in ``text`` (None for an empty stream) as ``constructor`` (a round-trip constructor
    whose ``resolver`` resolves tags) would build it, or :data:`UNSUPPORTED`."""
    if _CParser is None or getattr(resolver, "yaml_path_resolvers", None) or _YAML_1_1_SPACE.search(text):
        return UNSUPPORTED
    try:
        return _Builder(_CParser(text), resolver, constructor, limits).document()
    except Exception:  # any surprise: ruamel's parser reads the text and reports what is wrong
        return UNSUPPORTED


class _Builder:
    def __init__(self, parser: Any, resolver: Any, constructor: Any, limits: ScenarioLimits) -> None:
        self.next_event = parser.get_event
        self.resolve = resolver.resolve
        self.constructor = constructor
        self.limits = limits
        self.nodes = 0
        self.tags: dict[tuple[str, tuple[bool, bool]], tuple[Any, str]] = {}
        """(text, implicit) -> the resolved tag (ruamel's Tag) and its name."""
        implicit_resolvers = resolver.versioned_resolver  # first character -> ruamel's (tag, pattern) pairs
        self.may_resolve = frozenset(implicit_resolvers) if None not in implicit_resolvers else None
        """The first characters of a plain scalar that ruamel may resolve to a tag other than str (None: any)."""

    def document(self) -> Any:
        if type(self.next_event()) is not _events.StreamStartEvent:
            raise _Unsupported
        event = self.next_event()
        if type(event) is _events.StreamEndEvent:
            return None
        if type(event) is not _events.DocumentStartEvent or event.version is not None or event.tags:
            raise _Unsupported
        root = self.value(self.next_event(), 1)
        if type(self.next_event()) is not _events.DocumentEndEvent:
            raise _Unsupported
        if type(self.next_event()) is not _events.StreamEndEvent:  # another document: ruamel's error
            raise _Unsupported
        return root

    def value(self, event: Any, depth: int) -> Any:
        """The value ``event`` starts, at nesting ``depth``; built as ruamel's round-trip constructor builds it."""
        kind = type(event)
        self.nodes += 1
        if depth > self.limits.max_depth or self.nodes > self.limits.max_nodes:
            raise _Unsupported  # ruamel's parser then names the limit and its line
        if kind is _events.AliasEvent or event.anchor is not None or event.tag is not None:
            raise _Unsupported
        if kind is _events.ScalarEvent:
            return self.scalar(event)[0]
        if kind is _events.MappingStartEvent:
            return self.mapping(event, depth)
        if kind is _events.SequenceStartEvent:
            return self.sequence(event, depth)
        raise _Unsupported

    def mapping(self, event: Any, depth: int) -> LocatedMap:
        mapping = LocatedMap(event.start_mark.line)
        key_lines = mapping.key_lines
        next_event, scalar, value = self.next_event, self.scalar, self.value
        inner = depth + 1
        plain_values = inner <= self.limits.max_depth  # a scalar value needs no depth check of its own
        max_nodes = self.limits.max_nodes
        while type(item := next_event()) is not _MappingEnd:
            if type(item) is not _Scalar or item.anchor is not None or item.tag is not None:
                raise _Unsupported  # a key that is a collection, an alias, anchored or tagged
            key, tag = scalar(item)
            if tag == _MERGE or key in mapping:
                raise _Unsupported  # merge keys are ruamel's to expand, repeated keys its to refuse
            child = next_event()
            if plain_values and type(child) is _Scalar and child.anchor is None and child.tag is None:
                self.nodes += 2
                if self.nodes > max_nodes:
                    raise _Unsupported
                mapping[key] = scalar(child)[0]
            else:
                self.nodes += 1
                mapping[key] = value(child, inner)
            key_lines[key] = item.start_mark.line
        return mapping

    def sequence(self, event: Any, depth: int) -> LocatedList:
        sequence = LocatedList(event.start_mark.line)
        item_lines = sequence.item_lines
        next_event, value = self.next_event, self.value
        inner = depth + 1
        while type(item := next_event()) is not _events.SequenceEndEvent:
            item_lines.append(item.start_mark.line)
            sequence.append(value(item, inner))
        return sequence

    def scalar(self, event: Any) -> tuple[Any, str]:
        """(value, name of the resolved tag) of a scalar event."""
        text = event.value
        style = event.style
        if not style:
            if not text:
                raise _Unsupported  # an empty value: ruamel dates it at the next token, libyaml does not
            style = None  # libyaml's plain style is '', ruamel's None
        elif style == "|" or style == ">":
            raise _Unsupported  # block scalars: libyaml takes headers ruamel refuses (e.g. ">#")
        implicit = event.implicit
        may_resolve = self.may_resolve
        if not implicit[0] or (may_resolve is not None and text[0] not in may_resolve):
            return text, _STR  # quoted, or plain with no pattern to try: what ruamel's resolve() answers
        key = (text, implicit)
        resolved = self.tags.get(key)
        if resolved is None:
            tag = self.resolve(ScalarNode, text, implicit)
            resolved = self.tags[key] = (tag, str(tag))
        tag, name = resolved
        if name in _AS_WRITTEN:
            return text, name
        node = ScalarNode(tag, text, event.start_mark, event.end_mark, style=style)
        return self.constructor.construct_object(node, deep=True), name
