"""Generate the served WSDL from our own type description (never from Adobe's files).

The layout follows the real WSDL servlet's output (IPS-REFERENCE §1.2): two schemas in ``<types>``, one message
per input and output, the three fault messages, ``IpsApiPortType``, a SOAP 1.1 and a SOAP 1.2 binding with
``soapAction="<op>"`` and the authHeader input header, and ``IpsApiService`` with two ports on one address.
By default every operation of the version's port type is described (164 in 2014-04-03, 163 in 2013-02-15), as
Adobe's WSDL does, whether ips-mock models it or not; a caller may ask for fewer.
"""

from __future__ import annotations

import functools
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from lxml import etree

from . import ns
from .ns import ApiVersion
from .schema import FAULT_ELEMENTS, LEGACY_AUTH_HEADER, ComplexType, Schema, schema_for

__all__ = ["compiled_schemas", "render_wsdl", "wsdl_schemas"]

_W = f"{{{ns.WSDL}}}"
_X = f"{{{ns.XSD}}}"
_FAULTS = tuple(FAULT_ELEMENTS)


def _type_ref(type_name: str, is_simple: bool) -> str:
    return f"xsd:{type_name}" if is_simple else f"types:{type_name}"


def _complex_content(parent: etree._Element, ctype: ComplexType) -> None:
    group = etree.SubElement(parent, _X + ctype.group)
    for f in ctype.fields:
        el = etree.SubElement(group, _X + "element", name=f.name, type=_type_ref(f.type, f.is_simple))
        if not f.required:
            el.set("minOccurs", "0")
        if f.repeated:
            el.set("maxOccurs", str(f.max_occurs or "unbounded"))
    if ctype.any_attribute:
        etree.SubElement(parent, _X + "anyAttribute", namespace="##other", processContents="lax")


def _schema(parent: etree._Element, target: str) -> etree._Element:
    return etree.SubElement(
        parent,
        _X + "schema",
        nsmap={None: ns.XSD, "xsd": ns.XSD, "types": target},
        targetNamespace=target,
        elementFormDefault="qualified",
    )


def _add_elements(schema_el: etree._Element, elements: Iterable[ComplexType]) -> None:
    for ctype in elements:
        el = etree.SubElement(schema_el, _X + "element", name=ctype.name)
        _complex_content(etree.SubElement(el, _X + "complexType"), ctype)


def _types(definitions: etree._Element, schema: Schema, operations: Sequence[str]) -> None:
    types_el = etree.SubElement(definitions, _W + "types")
    roots = [c for op in operations for c in (schema.elements[f"{op}Param"], schema.elements[f"{op}Return"])]
    if header := schema.versioned_auth_header:
        roots.append(header)
    versioned = _schema(types_el, schema.namespace)
    ctypes = schema.referenced_types(roots)
    if len(operations) == len(schema.operations):  # the whole port type: every type, as Adobe's WSDL has
        reached = {t.name for t in ctypes}
        ctypes += [t for name, t in schema.types.items() if name not in reached]
    for ctype in ctypes:
        _complex_content(etree.SubElement(versioned, _X + "complexType", name=ctype.name), ctype)
    _add_elements(versioned, roots)
    # The pre-4.0 body namespace *is* the fault namespace: then one schema holds everything.
    flt = versioned if schema.namespace == ns.FLT else _schema(types_el, ns.FLT)
    _add_elements(flt, [*FAULT_ELEMENTS.values(), LEGACY_AUTH_HEADER])


def _messages(definitions: etree._Element, schema: Schema, operations: Sequence[str]) -> None:
    def message(name: str, element: str, part: str) -> None:
        msg = etree.SubElement(definitions, _W + "message", name=name)
        etree.SubElement(msg, _W + "part", element=element, name=part)

    for op in operations:
        message(op, f"types:{op}Param", "input")
        message(f"{op}Response", f"types:{op}Return", "output")
    for fault in _FAULTS:
        message(f"{fault}Exception", f"flt:{fault}", "fault")
    message("authHeader", "hdr:authHeader", "authHeader")


def _port_type(definitions: etree._Element, operations: Sequence[str]) -> None:
    port_type = etree.SubElement(definitions, _W + "portType", name="IpsApiPortType")
    for op in operations:
        op_el = etree.SubElement(port_type, _W + "operation", name=op)
        etree.SubElement(op_el, _W + "input", message=f"tns:{op}", name=op)
        etree.SubElement(op_el, _W + "output", message=f"tns:{op}Response", name=f"{op}Response")
        for fault in _FAULTS:
            etree.SubElement(op_el, _W + "fault", message=f"tns:{fault}Exception", name=fault)


def _binding(definitions: etree._Element, name: str, soap_ns: str, operations: Sequence[str]) -> None:
    s = f"{{{soap_ns}}}"
    binding = etree.SubElement(definitions, _W + "binding", name=name, type="tns:IpsApiPortType")
    etree.SubElement(binding, s + "binding", style="document", transport=ns.SOAP_HTTP_TRANSPORT)
    for op in operations:
        op_el = etree.SubElement(binding, _W + "operation", name=op)
        etree.SubElement(op_el, s + "operation", soapAction=op)
        input_el = etree.SubElement(op_el, _W + "input", name=op)
        etree.SubElement(input_el, s + "body", namespace=ns.TNS, use="literal")
        etree.SubElement(
            input_el,
            s + "header",
            message="tns:authHeader",
            part="authHeader",
            namespace=ns.TNS,
            use="literal",
        )
        output_el = etree.SubElement(op_el, _W + "output", name=f"{op}Response")
        etree.SubElement(output_el, s + "body", namespace=ns.TNS, use="literal")
        for fault in _FAULTS:
            fault_el = etree.SubElement(op_el, _W + "fault", name=fault)
            etree.SubElement(fault_el, s + "fault", name=fault, namespace=ns.TNS, use="literal")


def render_wsdl(schema: Schema, service_url: str, *, operations: Sequence[str] | None = None) -> bytes:
    """The WSDL of ``schema``'s version served at ``service_url``, describing every operation of its port type
    (or only those of ``operations`` it has)."""
    wanted = schema.operations if operations is None else tuple(operations)
    if schema is schema_for(schema.version):
        return _cached_render(schema.version, service_url, wanted)
    return _render(schema, service_url, wanted)


@functools.lru_cache(maxsize=64)
def _cached_render(version: ApiVersion, service_url: str, operations: tuple[str, ...]) -> bytes:
    # The whole port type takes a while to build, and clients fetch the WSDL again and again.
    return _render(schema_for(version), service_url, operations)


def _render(schema: Schema, service_url: str, operations: tuple[str, ...]) -> bytes:
    operations = tuple(op for op in operations if op in schema.operations)
    header_ns = ns.FLT if schema.versioned_auth_header is None else schema.namespace
    definitions = etree.Element(
        _W + "definitions",
        nsmap={
            None: ns.WSDL,
            "soap": ns.WSDL_SOAP11,
            "soap12": ns.WSDL_SOAP12,
            "tns": ns.TNS,
            "types": schema.namespace,
            "hdr": header_ns,
            "flt": ns.FLT,
        },
        name="IpsApi",
        targetNamespace=ns.TNS,
    )
    _types(definitions, schema, operations)
    _messages(definitions, schema, operations)
    _port_type(definitions, operations)
    _binding(definitions, "IpsApiServiceSoapBinding", ns.WSDL_SOAP11, operations)
    _binding(definitions, "IpsApiServiceSoap12Binding", ns.WSDL_SOAP12, operations)
    service = etree.SubElement(definitions, _W + "service", name="IpsApiService")
    for port, binding, soap_ns in (
        ("IpsApiSoapPort", "IpsApiServiceSoapBinding", ns.WSDL_SOAP11),
        ("IpsApiSoap12Port", "IpsApiServiceSoap12Binding", ns.WSDL_SOAP12),
    ):
        port_el = etree.SubElement(service, _W + "port", binding=f"tns:{binding}", name=port)
        etree.SubElement(port_el, f"{{{soap_ns}}}address", location=service_url)
    return etree.tostring(definitions, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def wsdl_schemas(wsdl: etree._Element | etree._ElementTree) -> dict[str, etree.XMLSchema]:
    """The XML Schemas in a WSDL's ``<types>``, compiled, keyed by target namespace.

    Each goes through a file of its own so that lxml resolves the schema as a document of its own.
    """
    out: dict[str, etree.XMLSchema] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for i, schema_el in enumerate(wsdl.iterfind(f"{_W}types/{_X}schema")):
            path = Path(tmp) / f"schema{i}.xsd"
            path.write_bytes(etree.tostring(schema_el))
            out[schema_el.get("targetNamespace", "")] = etree.XMLSchema(etree.parse(str(path)))
    return out


@functools.cache
def compiled_schemas(version: ApiVersion, operations: tuple[str, ...] | None = None) -> dict[str, etree.XMLSchema]:
    """The XML Schemas of the WSDL served for ``version`` (describing ``operations``, default all), compiled, by
    target namespace."""
    wsdl = render_wsdl(schema_for(version), "http://ips-mock.invalid/", operations=operations)
    return wsdl_schemas(etree.fromstring(wsdl))
