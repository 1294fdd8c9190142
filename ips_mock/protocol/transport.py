"""The three ways an IPS request travels: SOAP 1.1, SOAP 1.2, and the plain-XML transport AEM uses.

Each transport knows how to find the ``<op>Param`` (and the authHeader) in a request body and how to write a
reply or a fault; the pipeline (``ips_mock.pipeline``) never looks inside an envelope itself.

The plain-XML transport (REAL-CLIENTS §2) is ``POST /<webapp>/api/IpsApiService`` with a ``<Request>`` root
that holds an optional ``authHeader`` and then one ``<op>Param``: no envelope, no SOAPAction. The reply root is
the bare ``<op>Return`` in the request's namespace, and a fault is the bare ``flt:`` fault element (as the
UploadFile servlet answers, IPS-REFERENCE §3.4) with a default namespace and no prefix, under the same HTTP
status rules as SOAP faults.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Final

from lxml import etree

from ..errors import IpsFault
from . import ns
from .envelope import (
    SoapVersion,
    check_content_type,
    fault_detail,
    operation_of,
    parse_envelope,
    render_fault,
    render_reply,
)
from .ns import ApiVersion, version_for_namespace

__all__ = ["Endpoint", "IpsRequest", "Transport", "check_request_content_type", "read_request", "transport_for"]

_XML_DECLARATION: Final = b"<?xml version='1.0' encoding='UTF-8'?>"
_PLAIN_MIMETYPES: Final = {"text/xml", "application/xml", ""}


class Endpoint(enum.Enum):
    """Where a request was posted: the SOAP service, or the plain-XML API servlet."""

    SOAP = "services/IpsApiService"
    PLAIN = "api/IpsApiService"


class Transport(enum.Enum):
    SOAP11 = "soap11"
    SOAP12 = "soap12"
    PLAIN = "plain"

    @property
    def soap_version(self) -> SoapVersion | None:
        if self is Transport.SOAP11:
            return SoapVersion.SOAP11
        return SoapVersion.SOAP12 if self is Transport.SOAP12 else None

    @property
    def content_type(self) -> str:
        soap = self.soap_version
        return soap.content_type if soap is not None else "text/xml;charset=UTF-8"

    def render_reply(self, result: etree._Element) -> bytes:
        soap = self.soap_version
        if soap is not None:
            return render_reply(soap, result)
        return _XML_DECLARATION + etree.tostring(result, encoding="UTF-8")

    def render_fault(self, fault: IpsFault) -> bytes:
        soap = self.soap_version
        if soap is not None:
            return render_fault(soap, fault)
        # No prefix, as the Returns are written: clients read both with prefix-blind XPaths (/ipsApiFault/code).
        return _XML_DECLARATION + etree.tostring(fault_detail(fault, prefix=None), encoding="UTF-8")


def transport_for(endpoint: Endpoint, content_type: str | None) -> Transport:
    """The transport a request most likely uses before its body is read (to shape a fault about the body)."""
    if endpoint is Endpoint.PLAIN:
        return Transport.PLAIN
    mimetype = (content_type or "").split(";", 1)[0].strip().lower()
    return Transport.SOAP12 if mimetype == "application/soap+xml" else Transport.SOAP11


def check_request_content_type(endpoint: Endpoint, content_type: str | None) -> None:
    """Refuse a Content-Type the endpoint does not take (30003), before the body is parsed."""
    if endpoint is Endpoint.SOAP:
        check_content_type(content_type)
        return
    mimetype = (content_type or "").split(";", 1)[0].strip().lower()
    if mimetype not in _PLAIN_MIMETYPES:
        raise IpsFault.invalid_request_xml(f"Unsupported Content-Type {content_type!r}: send text/xml")


@dataclass(frozen=True)
class IpsRequest:
    """A structurally valid IPS request: one ``<op>Param`` in a known namespace, with its header elements."""

    transport: Transport
    api_version: ApiVersion
    operation: str
    param: etree._Element
    headers: tuple[etree._Element, ...]
    """SOAP header blocks, or the plain request's authHeader."""
    service_root: str = ""
    """The web app the request reached (``http://host:port/scene7/``, with any tenant prefix): links a reply hands
    out (an export's download) point there."""


def read_request(
    root: etree._Element,
    *,
    endpoint: Endpoint,
    content_type: str | None,
    soap_action: str | None,
    action_param: str | None,
    service_root: str = "",
) -> IpsRequest:
    """Find the operation in a parsed request document; raise a 30003 :class:`IpsFault` for anything malformed.

    The Content-Type was checked before the body was parsed (:func:`check_request_content_type`)."""
    if endpoint is Endpoint.SOAP:
        soap = parse_envelope(root, content_type=content_type, soap_action=soap_action, action_param=action_param)
        transport = Transport.SOAP11 if soap.soap_version is SoapVersion.SOAP11 else Transport.SOAP12
        return IpsRequest(transport, soap.api_version, soap.operation, soap.param, soap.headers, service_root)
    return _read_plain(root, service_root)


def _read_plain(root: etree._Element, service_root: str) -> IpsRequest:
    qname = etree.QName(root)
    if qname.localname != "Request" or not (qname.namespace == ns.FLT or version_for_namespace(qname.namespace or "")):
        raise IpsFault.invalid_request_xml(
            f"The document element must be an IPS <Request>, not {qname.text}; "
            f'e.g. <Request xmlns="{ApiVersion("2014-04-03").namespace}"><authHeader>…</authHeader>'
            "<getCompanyInfoParam>…</getCompanyInfoParam></Request>"
        )
    children = [c for c in root if isinstance(c.tag, str)]
    headers = tuple(c for c in children if etree.QName(c).localname == "authHeader")
    params = [c for c in children if etree.QName(c).localname != "authHeader"]
    if len(headers) > 1 or (headers and children[0] is not headers[0]):
        raise IpsFault.invalid_request_xml("A <Request> holds at most one authHeader, before the <operation>Param")
    if len(params) != 1:
        raise IpsFault.invalid_request_xml(
            f"A <Request> must hold exactly one <operation>Param element after its authHeader, not {len(params)}"
        )
    param = params[0]
    api_version, operation = operation_of(param, "The <Request> element")
    return IpsRequest(Transport.PLAIN, api_version, operation, param, headers, service_root)
