"""The one place untrusted XML is parsed.

No DTD (internal or external), no entity expansion, no network, libxml2's default size limits (no huge trees).
A document that carries a DOCTYPE is refused outright: SOAP forbids one, and refusing it is simpler to reason
about than any partial support.

The byte limit on a request bounds its size, not the work it makes: ten megabytes of ``<a/>`` are two and a half
million elements. :class:`ParseLimits` bounds that work. The document is fed to a pull parser a chunk at a time
and its events are counted as they come, so a document over a limit is refused once the parser reaches the
point where it goes over, having built no more than the limit allows.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Final

from lxml import etree

from ..errors import IpsFault, MalformedXml

__all__ = ["DEFAULT_PARSE_LIMITS", "MAX_DEPTH", "ParseLimits", "parse_xml", "xml_safe"]


@dataclass(frozen=True, kw_only=True)
class ParseLimits:
    """What one request may hold; anything more is refused with a 30003 fault naming the limit.

    The defaults are far above any real IPS request: the largest, an ``uploadUrlsJob`` filling the 10 MiB body
    limit with URLs, holds about 200,000 elements, nests 8 deep and carries short texts and no attributes.
    """

    max_elements: int = 250_000
    """Elements in the whole document."""
    max_depth: int = 64
    """Nesting levels, the document element being level 1."""
    max_text: int = 1_048_576
    """Characters in one text node (the text of an element, or the text after one) or one attribute value."""
    max_attributes: int = 256
    """Attributes (namespace declarations not counted) on one element."""

    def __post_init__(self) -> None:
        for name in ("max_elements", "max_depth", "max_text", "max_attributes"):
            if getattr(self, name) < 1:
                raise ValueError(f"ParseLimits.{name} must be at least 1")


DEFAULT_PARSE_LIMITS: Final = ParseLimits()

MAX_DEPTH: Final = DEFAULT_PARSE_LIMITS.max_depth
"""Deeper documents are refused by default; the deepest IPS request is nowhere near this."""

_CHUNK: Final = 64 * 1024
"""Bytes fed to the parser between two looks at its events: the most it can build past a limit."""


class _NoExternalLoads(etree.Resolver):
    """Answers every external DTD or entity lookup with nothing: no file is ever opened, no URL fetched."""

    def resolve(self, system_url: str | None, public_id: str | None, context: Any) -> Any:
        return self.resolve_string("", context)


_PARSER_OPTIONS: Final[dict[str, Any]] = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "dtd_validation": False,
    "huge_tree": False,
    "remove_comments": True,
    "remove_pis": True,
}


def _parser() -> etree.XMLPullParser:
    parser = etree.XMLPullParser(events=("start", "end"), **_PARSER_OPTIONS)
    # The byte check below cannot see a DTD in UTF-16 or UTF-32; libxml2 may still try to load its external
    # parts while parsing, so the resolver refuses them all (a SYSTEM "/dev/zero" would otherwise never end).
    parser.resolvers.add(_NoExternalLoads())
    return parser


class _ThreadParsers(threading.local):
    """One whole-document parser per thread (an lxml parser must not be shared between threads)."""

    def __init__(self) -> None:
        self.parser = etree.XMLParser(**_PARSER_OPTIONS)
        self.parser.resolvers.add(_NoExternalLoads())


_WHOLE: Final = _ThreadParsers()


def _over(what: str, limit: int, name: str) -> IpsFault:
    return IpsFault.invalid_request_xml(f"The request {what} {limit:,} (limit ParseLimits.{name})")


class _Counter:
    """Checks each parser event against the limits as it comes."""

    def __init__(self, limits: ParseLimits) -> None:
        self.limits = limits
        self.elements = 0
        self.depth = 0

    def start(self, el: etree._Element) -> None:
        limits = self.limits
        self.elements += 1
        self.depth += 1
        if self.elements > limits.max_elements:
            raise _over("holds more elements than", limits.max_elements, "max_elements")
        if self.depth > limits.max_depth:
            raise _over("nests elements deeper than", limits.max_depth, "max_depth")
        attrib = el.attrib
        if len(attrib) > limits.max_attributes:
            raise _over("has an element with more attributes than", limits.max_attributes, "max_attributes")
        if any(len(value) > limits.max_text for value in attrib.values()):
            raise _over("has an attribute value longer than", limits.max_text, "max_text")
        previous = el.getprevious()
        if previous is not None:  # its tail, the text between it and this element, is complete now
            self._text(previous.tail)

    def end(self, el: etree._Element) -> None:
        self.depth -= 1
        self._text(el.text)
        if len(el):
            self._text(el[-1].tail)

    def _text(self, text: str | None) -> None:
        if text is not None and len(text) > self.limits.max_text:
            raise _over("has a text longer than", self.limits.max_text, "max_text")


def parse_xml(data: bytes, *, limits: ParseLimits | None = None) -> etree._Element:
    """Parse an untrusted document, or raise a 30003 :class:`IpsFault` saying what is wrong with it.

    ``limits`` bounds the work the document can make (default :data:`DEFAULT_PARSE_LIMITS`)."""
    if not data.strip():
        raise IpsFault.invalid_request_xml("The request body is empty")
    # Refuse DTDs before libxml2 sees them: nothing in one is needed, and some of it could be dangerous.
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise IpsFault.invalid_request_xml("DTDs and entity declarations are not allowed in a SOAP request")
    limits = limits or DEFAULT_PARSE_LIMITS
    # A document of one chunk is parsed in one go and checked on the tree when its size allows (the streamed
    # parse builds the whole tree before its first look anyway); the streamed parse decides the rest.
    root = _whole(data) if len(data) <= _CHUNK else None
    docinfo = root.getroottree().docinfo if root is not None else None
    visible = docinfo is not None and _markup_bytes_visible(docinfo.encoding)
    if root is None or docinfo is None or not _within_limits(root, data, limits, visible):
        root = _streamed(data, limits)
        docinfo = root.getroottree().docinfo
        visible = _markup_bytes_visible(docinfo.encoding)
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise IpsFault.invalid_request_xml("DTDs and entity declarations are not allowed in a SOAP request")
    # Entity references survive when entities are not resolved; a request that needs one is refused. One needs
    # an '&', so where the bytes would show it and do not, there is none to look for (else libxml2 looks).
    if (b"&" in data or not visible) and next(root.iter(etree.Entity), None) is not None:
        raise IpsFault.invalid_request_xml("Entity references are not allowed in a SOAP request")
    return root


_MARKUP_AS_ASCII: Final = frozenset({"UTF-8", "US-ASCII", "ISO-8859-1", "UTF-16", "UTF-16LE", "UTF-16BE"})
"""Encodings in which every ``<`` and ``&`` of the document is a byte ``<`` or ``&`` of its data (other characters
may add such bytes, never hide one): counting those bytes bounds what the document can hold."""


def _markup_bytes_visible(encoding: str | None) -> bool:
    return (encoding or "").upper() in _MARKUP_AS_ASCII


def _whole(data: bytes) -> etree._Element | None:
    """The document parsed in one go, or None when it does not parse (the streamed parse gives the fault)."""
    try:
        root: etree._Element = etree.fromstring(data, _WHOLE.parser)
    except (etree.XMLSyntaxError, ValueError):
        return None
    return root


def _within_limits(root: etree._Element, data: bytes, limits: ParseLimits, markup_visible: bool) -> bool:
    """Whether a document parsed whole is certainly within ``limits`` (if not, the streamed parse decides and
    gives the exact fault). ``markup_visible``: its encoding writes every ``<`` as that byte."""
    size = len(data)
    # Bounds from the size alone: an element takes at least 4 bytes (<a/>), an attribute 4 ( a=""), a level
    # of nesting 7 (<a></a>), a character 1; only a bound the size cannot rule out is checked on the tree. An
    # element also takes a '<': where those bytes can be counted, their count bounds elements and levels too.
    tags = data.count(b"<") if markup_visible else size
    if (size > 4 * limits.max_elements and tags > limits.max_elements) or (
        size > 7 * limits.max_depth and tags > limits.max_depth
    ):
        elements = sum(1 for _ in root.iter())
        if elements > limits.max_elements:
            return False
        # A document cannot nest deeper than it has elements.
        if elements > limits.max_depth and root.find(_deeper_than(limits.max_depth)) is not None:
            return False
    if size > 4 * limits.max_attributes and any(len(el.attrib) > limits.max_attributes for el in root.iter()):
        return False
    return not (size > limits.max_text and any(_longest_text(el) > limits.max_text for el in root.iter()))


@lru_cache(maxsize=8)
def _deeper_than(depth: int) -> str:
    """An ElementPath that finds the elements below ``depth`` levels (the document element is level 1)."""
    return "/".join(["."] + ["*"] * depth)


def _longest_text(el: etree._Element) -> int:
    texts = [el.text, el.tail, *el.attrib.values()]
    return max((len(text) for text in texts if text is not None), default=0)


def _streamed(data: bytes, limits: ParseLimits) -> etree._Element:
    """Parse a chunk at a time, checking each event against ``limits`` as it comes."""
    counter = _Counter(limits)
    parser = _parser()
    view = memoryview(data)
    try:
        for offset in range(0, len(data), _CHUNK):
            parser.feed(bytes(view[offset : offset + _CHUNK]))
            _count(parser, counter)
        root = parser.close()
        _count(parser, counter)
    except (etree.XMLSyntaxError, ValueError) as exc:  # ValueError: e.g. an encoding lxml cannot honour
        # Events the parser produced before it stopped come first: a limit they pass is the clearer reason
        # (libxml2 gives up at 256 levels itself, within the chunk where ours are crossed).
        _count(parser, counter)
        message = exc.msg if isinstance(exc, etree.XMLSyntaxError) else str(exc)
        raise MalformedXml(message) from None
    return root


def _count(parser: etree.XMLPullParser, counter: _Counter) -> None:
    for event, el in parser.read_events():
        if event == "start":
            counter.start(el)
        else:
            counter.end(el)


_NOT_XML: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """``text`` with the characters XML 1.0 cannot carry replaced by U+FFFD (e.g. a control character in an
    HTTP Basic user name that a fault reason echoes)."""
    if text.isascii() and text.isprintable():  # most text: nothing to replace, no pattern to run
        return text
    return _NOT_XML.sub("\ufffd", text)
