"""The one place untrusted XML is parsed.

No DTD (internal or external), no entity expansion, no network, libxml2's default size limits (no huge trees).
A document that carries a DOCTYPE is refused outright: SOAP forbids one, and refusing it is simpler to reason
about than any partial support.
"""

from __future__ import annotations

import re
from typing import Any, Final

from lxml import etree

from ..errors import IpsFault

__all__ = ["MAX_DEPTH", "parse_xml", "xml_safe"]

MAX_DEPTH: Final = 64
"""Deeper documents are refused; the deepest IPS request is nowhere near this."""


class _NoExternalLoads(etree.Resolver):
    """Answers every external DTD or entity lookup with nothing: no file is ever opened, no URL fetched."""

    def resolve(self, system_url: str | None, public_id: str | None, context: Any) -> Any:
        return self.resolve_string("", context)


def _parser() -> etree.XMLParser:
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    # The byte check below cannot see a DTD in UTF-16 or UTF-32; libxml2 may still try to load its external
    # parts while parsing, so the resolver refuses them all (a SYSTEM "/dev/zero" would otherwise never end).
    parser.resolvers.add(_NoExternalLoads())
    return parser


def parse_xml(data: bytes) -> etree._Element:
    """Parse an untrusted document, or raise a 30003 :class:`IpsFault` saying what is wrong with it."""
    if not data.strip():
        raise IpsFault.invalid_request_xml("The request body is empty")
    # Refuse DTDs before libxml2 sees them: nothing in one is needed, and some of it could be dangerous.
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise IpsFault.invalid_request_xml("DTDs and entity declarations are not allowed in a SOAP request")
    try:
        root = etree.fromstring(data, parser=_parser())
    except etree.XMLSyntaxError as exc:
        raise IpsFault.invalid_request_xml(f"The request is not well-formed XML: {exc.msg}") from None
    except ValueError as exc:  # e.g. an encoding declaration lxml cannot honour
        raise IpsFault.invalid_request_xml(f"The request is not well-formed XML: {exc}") from None
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise IpsFault.invalid_request_xml("DTDs and entity declarations are not allowed in a SOAP request")
    for el in root.iter():
        # Entity references survive when entities are not resolved; a request that needs one is refused.
        if isinstance(el, etree._Entity):
            raise IpsFault.invalid_request_xml("Entity references are not allowed in a SOAP request")
    _check_depth(root)
    return root


def _check_depth(root: etree._Element) -> None:
    stack = [(root, 1)]
    while stack:
        el, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise IpsFault.invalid_request_xml(f"The request nests elements deeper than {MAX_DEPTH} levels")
        stack.extend((child, depth + 1) for child in el)


_NOT_XML: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """``text`` with the characters XML 1.0 cannot carry replaced by U+FFFD (e.g. a control character in an
    HTTP Basic user name that a fault reason echoes)."""
    return _NOT_XML.sub("\ufffd", text)
