"""SOAP 1.1 and 1.2 envelopes: read a request, write a reply or a fault (IPS-REFERENCE §1.3, §1.5, §3)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Final

from lxml import etree

from ..errors import IpsFault
from . import ns
from .ns import ApiVersion, version_for_namespace
from .xml import xml_safe

__all__ = [
    "SoapRequest",
    "SoapVersion",
    "check_content_type",
    "fault_detail",
    "operation_of",
    "parse_envelope",
    "render_fault",
    "render_reply",
    "soap_version_for_content_type",
]

_XML_DECLARATION: Final = b"<?xml version='1.0' encoding='UTF-8'?>"


class SoapVersion(enum.Enum):
    SOAP11 = ns.SOAP11_ENV
    SOAP12 = ns.SOAP12_ENV

    # _value_ is the member's value as a plain attribute: the ``value`` property is two Python calls in 3.11,
    # and a request asks for an envelope tag several times.

    @property
    def envelope_ns(self) -> str:
        return self._value_

    @property
    def content_type(self) -> str:
        """The reply Content-Type: the documented SOAP 1.1 one, and the SOAP 1.2 standard one."""
        if self is SoapVersion.SOAP11:
            return "text/xml;charset=UTF-8"
        return "application/soap+xml;charset=UTF-8"

    def element(self, local: str) -> str:
        return f"{{{self._value_}}}{local}"


def soap_version_for_content_type(content_type: str | None) -> SoapVersion:
    """The SOAP version a Content-Type announces; SOAP 1.1 when it announces neither."""
    mimetype = (content_type or "").split(";", 1)[0].strip().lower()
    return SoapVersion.SOAP12 if mimetype == "application/soap+xml" else SoapVersion.SOAP11


_ACCEPTED_MIMETYPES: Final = {"text/xml", "application/soap+xml", "application/xml"}
_SOAP_BY_NAMESPACE: Final = {version.envelope_ns: version for version in SoapVersion}


@dataclass(frozen=True)
class SoapRequest:
    """A structurally valid IPS request: one ``<op>Param`` in a known namespace."""

    soap_version: SoapVersion
    api_version: ApiVersion
    operation: str
    param: etree._Element
    headers: tuple[etree._Element, ...]


def check_content_type(content_type: str | None) -> None:
    """Refuse a Content-Type that is neither SOAP 1.1's nor SOAP 1.2's (30003)."""
    mimetype = (content_type or "").split(";", 1)[0].strip().lower()
    if mimetype not in _ACCEPTED_MIMETYPES:
        raise IpsFault.invalid_request_xml(
            f"Unsupported Content-Type {content_type!r}: send text/xml (SOAP 1.1) or application/soap+xml (SOAP 1.2)"
        )


def parse_envelope(
    root: etree._Element, *, content_type: str | None, soap_action: str | None, action_param: str | None
) -> SoapRequest:
    """Check the envelope and find the operation; raise a 30003 :class:`IpsFault` for anything malformed.

    ``soap_action`` is the SOAP 1.1 ``SOAPAction`` header, ``action_param`` the SOAP 1.2 ``action=``
    parameter of the Content-Type. Either may be absent or empty; present, it must name the body's operation.
    The Content-Type itself is checked first, by :func:`check_content_type`.
    """
    mimetype = (content_type or "").split(";", 1)[0].strip().lower()
    soap_version = _SOAP_BY_NAMESPACE.get(etree.QName(root).namespace or "")
    if soap_version is None:
        raise IpsFault.invalid_request_xml(
            f"The document element must be a SOAP 1.1 or 1.2 Envelope, not {etree.QName(root).text}"
        )
    if etree.QName(root).localname != "Envelope":
        raise IpsFault.invalid_request_xml(
            f"The document element must be a SOAP Envelope, not {etree.QName(root).text}"
        )
    if mimetype == "application/soap+xml" and soap_version is not SoapVersion.SOAP12:
        raise IpsFault.invalid_request_xml("Content-Type application/soap+xml requires a SOAP 1.2 envelope")
    if mimetype == "text/xml" and soap_version is not SoapVersion.SOAP11:
        raise IpsFault.invalid_request_xml("Content-Type text/xml requires a SOAP 1.1 envelope")

    headers, body_el = _split_envelope(root, soap_version)
    children = list(body_el)
    if not children:
        raise IpsFault.invalid_request_xml("The SOAP Body is empty; it must hold one <operation>Param element")
    if len(children) > 1:
        raise IpsFault.invalid_request_xml(
            f"The SOAP Body holds {len(children)} elements; it must hold exactly one <operation>Param element"
        )
    param = children[0]
    api_version, operation = operation_of(param, "The Body element")
    for action in (soap_action, action_param):
        _check_action(action, operation)
    return SoapRequest(soap_version, api_version, operation, param, headers)


def operation_of(param: etree._Element, where: str) -> tuple[ApiVersion, str]:
    """The API version (from the namespace) and the operation (from the name) of an ``<op>Param`` element;
    30003 for a foreign namespace or another element. ``where`` names the element in that fault."""
    qname = etree.QName(param)
    api_version = version_for_namespace(qname.namespace or "")
    if api_version is None:
        raise IpsFault.invalid_request_xml(
            f"Unknown namespace {qname.namespace!r} for {qname.localname}; "
            f"use an IPS API namespace such as {ns.ApiVersion('2014-04-03').namespace}"
        )
    local = qname.localname
    operation = local[: -len("Param")] if local.endswith("Param") else ""
    if not operation:
        raise IpsFault.invalid_request_xml(f"{where} {local} is not an <operation>Param element")
    return api_version, operation


def _split_envelope(root: etree._Element, version: SoapVersion) -> tuple[tuple[etree._Element, ...], etree._Element]:
    children = list(root)
    names = [c.tag for c in children]
    header_tag, body_tag = version.element("Header"), version.element("Body")
    if names not in ([body_tag], [header_tag, body_tag]):
        raise IpsFault.invalid_request_xml(
            "The Envelope must hold an optional Header followed by one Body, in the envelope's namespace"
        )
    headers = tuple(children[0]) if len(children) == 2 else ()
    return headers, children[-1]


def _check_action(action: str | None, operation: str) -> None:
    value = (action or "").strip().strip('"').strip()
    if not value:
        return
    # zeep sends the WSDL's soapAction ("submitJob"); other stacks prefix it with a namespace or URN.
    named = value.rsplit("/", 1)[-1].rsplit("#", 1)[-1].rsplit(":", 1)[-1]
    if named != operation:
        raise IpsFault.invalid_request_xml(f"SOAPAction {value!r} does not match the Body operation {operation!r}")


# --------------------------------------------------------------------------------------------------- replies


def _envelope(version: SoapVersion, payload: etree._Element) -> bytes:
    env = etree.Element(version.element("Envelope"), nsmap={"soapenv": version.envelope_ns})
    body = etree.SubElement(env, version.element("Body"))
    body.append(payload)
    return _XML_DECLARATION + etree.tostring(env, encoding="UTF-8", xml_declaration=False)


def _frame(version: SoapVersion) -> tuple[bytes, bytes]:
    """The bytes :func:`_envelope` writes before and after the payload of an envelope in ``version``."""
    start, end = _envelope(version, etree.Element("payload")).split(b"<payload/>")
    return start, end


_FRAME_11: Final = _frame(SoapVersion.SOAP11)
_FRAME_12: Final = _frame(SoapVersion.SOAP12)


def render_reply(version: SoapVersion, result: etree._Element) -> bytes:
    """``<soapenv:Envelope><soapenv:Body><opReturn xmlns="…">…`` exactly as the observed replies.

    The result is written on its own between the envelope's bytes, without moving it into a new document first:
    the same bytes as writing the envelope around it, since every result is built in its API namespace alone
    (by the codec, or copied into it by ``in_namespace``) and so uses none of the envelope's (lxml would drop a
    declaration of that one). ``tests/test_envelope.py`` compares the two ways."""
    start, end = _FRAME_11 if version is SoapVersion.SOAP11 else _FRAME_12
    return start + etree.tostring(result, encoding="UTF-8", xml_declaration=False) + end


def fault_detail(fault: IpsFault, *, prefix: str | None = "tns") -> etree._Element:
    """The ``flt:`` element of the fault's kind with its code and reason (IPS-REFERENCE §3.1); ``prefix=None``
    writes it with a default namespace and no prefixes."""
    detail_el = etree.Element(f"{{{ns.FLT}}}{fault.kind.value}", nsmap={prefix: ns.FLT})
    etree.SubElement(detail_el, f"{{{ns.FLT}}}code").text = str(fault.code)
    etree.SubElement(detail_el, f"{{{ns.FLT}}}reason").text = xml_safe(fault.reason)
    return detail_el


def render_fault(version: SoapVersion, fault: IpsFault) -> bytes:
    """A SOAP fault whose detail is the ``flt:`` element of the fault's kind (IPS-REFERENCE §3.1, §3.2)."""
    detail_name = fault.kind.value
    detail_el = fault_detail(fault)

    fault_el = etree.Element(version.element("Fault"))
    if version is SoapVersion.SOAP11:
        etree.SubElement(fault_el, "faultcode").text = "soapenv:" + ("Client" if fault.is_client_error else "Server")
        etree.SubElement(fault_el, "faultstring").text = detail_name
        etree.SubElement(fault_el, "detail").append(detail_el)
    else:
        code = etree.SubElement(fault_el, version.element("Code"))
        value = etree.SubElement(code, version.element("Value"))
        value.text = "soapenv:" + ("Sender" if fault.is_client_error else "Receiver")
        reason = etree.SubElement(fault_el, version.element("Reason"))
        text = etree.SubElement(reason, version.element("Text"))
        text.set("{http://www.w3.org/XML/1998/namespace}lang", "en")
        text.text = detail_name
        etree.SubElement(fault_el, version.element("Detail")).append(detail_el)
    return _envelope(version, fault_el)
