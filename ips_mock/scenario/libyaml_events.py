"""Composing scenario YAML from libyaml's parser events, for ruamel's round-trip constructor.

ruamel's round-trip scanner and parser are pure Python (its C extension serves only its ``safe`` loader), about
nine tenths of reading a large scenario. When PyYAML's binding of libyaml is installed (a dependency of
``responses``), its parser reads the events instead, and this composer builds the same ruamel node graph from them,
resolving tags with the same ruamel resolver: the constructor, and so the document, its types and its lines, are
ruamel's as before. Anything outside the plain subset scenarios use (anchors and aliases, tags, directives, more
than one document, empty values, block scalars, the characters YAML 1.1 reads otherwise, a limit crossed) and any
error make :func:`compose` give up, and the text is read the usual way; so does a document whose construction
fails, so every error is worded as before.
"""

from __future__ import annotations

import re
from typing import Any, Final

from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

from .loader import ScenarioLimits

__all__ = ["UNSUPPORTED", "compose"]

UNSUPPORTED: Final = object()
"""What :func:`compose` answers for a text it leaves to ruamel's own parser."""

try:  # libyaml, bound by PyYAML; absent (a pure PyYAML, or no PyYAML) means ruamel reads every text
    from yaml import events as _events
    from yaml.cyaml import CParser as _CParser
except ImportError:  # pragma: no cover - depends on how PyYAML was installed
    _CParser = None


_YAML_1_1_SPACE: Final = re.compile("[\t\ufeff\x85\u2028\u2029]")
"""Characters libyaml (YAML 1.1) reads otherwise than ruamel (YAML 1.2): tabs it takes as spaces where ruamel
refuses them, byte order marks inside the text, and NEL, LS and PS, line breaks in 1.1 only."""


class _Unsupported(Exception):
    pass


def compose(text: str, resolver: Any, limits: ScenarioLimits) -> Any:
    """The root node of the single document in ``text`` (None for an empty stream), or :data:`UNSUPPORTED`."""
    if _CParser is None or getattr(resolver, "yaml_path_resolvers", None) or _YAML_1_1_SPACE.search(text):
        return UNSUPPORTED
    try:
        return _Composer(_CParser(text), resolver, limits).document()
    except Exception:  # any surprise: ruamel's parser reads the text and reports what is wrong
        return UNSUPPORTED


class _Composer:
    def __init__(self, parser: Any, resolver: Any, limits: ScenarioLimits) -> None:
        self.next_event = parser.get_event
        self.resolver = resolver
        self.limits = limits
        self.nodes = 0
        self.tags: dict[tuple[str, tuple[bool, bool]], Any] = {}
        self.mapping_tag = resolver.resolve(MappingNode, None, (True, False))
        self.sequence_tag = resolver.resolve(SequenceNode, None, (True, False))

    def document(self) -> Any:
        if type(self.next_event()) is not _events.StreamStartEvent:
            raise _Unsupported
        event = self.next_event()
        if type(event) is _events.StreamEndEvent:
            return None
        if type(event) is not _events.DocumentStartEvent or event.version is not None or event.tags:
            raise _Unsupported
        root = self.node(self.next_event(), 1)
        if type(self.next_event()) is not _events.DocumentEndEvent:
            raise _Unsupported
        if type(self.next_event()) is not _events.StreamEndEvent:  # another document: ruamel's error
            raise _Unsupported
        return root

    def node(self, event: Any, depth: int) -> Any:
        """The node ``event`` starts, at nesting ``depth``; composed as ruamel's Composer does."""
        kind = type(event)
        self.nodes += 1
        if depth > self.limits.max_depth or self.nodes > self.limits.max_nodes:
            raise _Unsupported  # ruamel's parser then names the limit and its line
        if kind is _events.AliasEvent or event.anchor is not None or event.tag is not None:
            raise _Unsupported
        if kind is _events.ScalarEvent:
            if not event.value and not event.style:
                raise _Unsupported  # an empty value: ruamel dates it at the next token, libyaml does not
            if event.style == "|" or event.style == ">":
                raise _Unsupported  # block scalars: libyaml takes headers ruamel refuses (e.g. ">#")
            implicit = event.implicit
            key = (event.value, implicit)
            tag = self.tags.get(key)
            if tag is None:
                tag = self.tags[key] = self.resolver.resolve(ScalarNode, event.value, implicit)
            style = event.style or None  # libyaml's plain style is '', ruamel's None
            return ScalarNode(tag, event.value, event.start_mark, event.end_mark, style=style)
        if kind is _events.MappingStartEvent:
            mapping = MappingNode(self.mapping_tag, [], event.start_mark, None, flow_style=event.flow_style)
            pairs = mapping.value
            while type(item := self.next_event()) is not _events.MappingEndEvent:
                key_node = self.node(item, depth + 1)
                pairs.append((key_node, self.node(self.next_event(), depth + 1)))
            mapping.end_mark = item.end_mark
            return mapping
        if kind is _events.SequenceStartEvent:
            sequence = SequenceNode(self.sequence_tag, [], event.start_mark, None, flow_style=event.flow_style)
            items = sequence.value
            while type(item := self.next_event()) is not _events.SequenceEndEvent:
                items.append(self.node(item, depth + 1))
            sequence.end_mark = item.end_mark
            return sequence
        raise _Unsupported
