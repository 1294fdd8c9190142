"""Write IPS requests and read IPS replies: what a client does, for replay and for tests.

Parameters are plain mappings (arrays as lists, in any field order); for operations the type description covers
they are checked and written in schema order, for the others element by element as given.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from lxml import etree

from . import ns
from .codec import encode, from_mapping
from .envelope import SoapVersion
from .schema import schema_for
from .xml import parse_xml

__all__ = ["Reply", "append_params", "build_request", "read_reply"]


def append_params(parent: etree._Element, namespace: str, params: Mapping[str, Any]) -> None:
    """Append ``params`` as child elements in ``namespace``, as given: mappings nest, lists repeat."""
    for name, value in params.items():
        for one in value if isinstance(value, list) else [value]:
            child = etree.SubElement(parent, f"{{{namespace}}}{name}")
            if isinstance(one, Mapping):
                append_params(child, namespace, one)
            elif isinstance(one, bool):
                child.text = "true" if one else "false"
            elif one is not None:
                child.text = str(one)


def build_request(
    operation: str,
    params: Mapping[str, Any],
    *,
    version: ns.ApiVersion,
    soap: SoapVersion = SoapVersion.SOAP11,
    user: str | None = None,
    password: str | None = None,
) -> tuple[bytes, dict[str, str]]:
    """The request body and HTTP headers for ``operation``, signed in with a legacy authHeader."""
    schema = schema_for(version)
    namespace = version.namespace
    param_type = schema.param(operation)
    if param_type is not None:
        param = encode(f"{operation}Param", from_mapping(params, param_type, schema), param_type, schema)
    else:
        param = etree.Element(f"{{{namespace}}}{operation}Param", nsmap={None: namespace})
        append_params(param, namespace, params)
    env = etree.Element(soap.element("Envelope"), nsmap={"soapenv": soap.envelope_ns})
    if user is not None:
        header = etree.SubElement(etree.SubElement(env, soap.element("Header")), f"{{{ns.FLT}}}authHeader")
        append_params(header, ns.FLT, {"user": user, "password": password or ""})
    etree.SubElement(env, soap.element("Body")).append(param)
    body = etree.tostring(env, xml_declaration=True, encoding="UTF-8")
    if soap is SoapVersion.SOAP11:
        return body, {"Content-Type": "text/xml; charset=UTF-8", "SOAPAction": operation}
    return body, {"Content-Type": f'application/soap+xml; charset=UTF-8; action="{operation}"'}


@dataclass(frozen=True)
class Reply:
    payload: etree._Element
    fault_code: int | None
    fault_reason: str | None

    def text(self, path: str) -> str | None:
        """Text of the first element at a ``/``-separated path of local names below the payload. A step may pick
        one of its parent's elements of that name by position, from 1 as in XPath: ``items[2]/name``."""
        elements = [self.payload]
        for part in path.split("/"):
            name, position = _step(part)
            found: list[etree._Element] = []
            for el in elements:
                named = [c for c in el if isinstance(c.tag, str) and etree.QName(c).localname == name]
                found += named if position is None else named[position - 1 : position]
            elements = found
            if not elements:
                return None
        return elements[0].text or ""


_POSITIONED: Final = re.compile(r"(.+)\[([1-9][0-9]{0,8})\]")


def _step(part: str) -> tuple[str, int | None]:
    """A path step's local name, and its position when it names one (``items[2]``)."""
    match = _POSITIONED.fullmatch(part)
    return (part, None) if match is None else (match[1], int(match[2]))


def read_reply(body: bytes) -> Reply:
    """The payload of a SOAP reply (the Return element, or the fault's detail element)."""
    root = parse_xml(body)
    payload = root[-1][0]
    if etree.QName(payload).localname == "Fault":
        detail = payload[-1][0]
        return Reply(detail, int(detail.findtext(f"{{{ns.FLT}}}code") or 0), detail.findtext(f"{{{ns.FLT}}}reason"))
    return Reply(payload, None, None)
