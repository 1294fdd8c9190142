"""XML work for recordings: keep secrets out of a transcript, put them back for a replay, indent for diffs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from lxml import etree

from ..errors import IpsFault
from . import ns
from .xml import parse_xml

__all__ = ["REDACTED", "SECRET_ELEMENTS", "pretty_xml", "redact", "restore_password"]

REDACTED: Final = "REDACTED"
SECRET_ELEMENTS: Final = ("password", "accessToken", "samlResponse", "AuthPassword")
"""Elements whose text never reaches a transcript, wherever they are (authHeader, checkLogin, setPassword, …)."""


def redact(body: bytes, xpaths: Sequence[str] = ()) -> bytes:
    """``body`` with the text of every secret element, and of every element an XPath in ``xpaths`` selects
    (prefixes ``soap``, ``soap12``, ``flt`` and ``v`` for the 2014 namespace are bound), replaced by
    :data:`REDACTED`. A body that is not XML comes back unchanged: it has no elements to redact."""
    try:
        root = parse_xml(body)
    except IpsFault:
        return body
    namespaces = {"soap": ns.SOAP11_ENV, "soap12": ns.SOAP12_ENV, "flt": ns.FLT, "v": f"{ns.FLT}/2014-04-03"}
    selected = [el for el in root.iter() if isinstance(el.tag, str) and etree.QName(el).localname in SECRET_ELEMENTS]
    for xpath in xpaths:
        found = root.xpath(xpath, namespaces=namespaces)
        selected += [el for el in found if isinstance(el, etree._Element)] if isinstance(found, list) else []
    for element in selected:
        if element.text:
            element.text = REDACTED
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def restore_password(body: bytes, password: str) -> bytes:
    """``body`` with each redacted authHeader ``password`` (or ``AuthPassword``) set to ``password``."""
    root = parse_xml(body)
    for element in root.iter():
        if not isinstance(element.tag, str) or element.text != REDACTED:
            continue
        name = etree.QName(element)
        parent = element.getparent()
        in_header = parent is not None and etree.QName(parent).localname == "authHeader"
        if (name.localname == "password" and in_header) or name.localname == "AuthPassword":
            element.text = password
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def pretty_xml(body: bytes) -> str:
    """An XML body as indented text (one element per line where that adds only whitespace between elements),
    so transcripts diff well; a body that is not XML comes back as text."""
    try:
        root = parse_xml(body)
    except IpsFault:
        return body.decode("utf-8", errors="replace")
    return etree.tostring(root, encoding="unicode", pretty_print=True).rstrip("\n")
