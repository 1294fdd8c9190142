"""Decode ``<op>Param`` elements into Python values and encode results into ``<op>Return`` elements.

Both directions are driven by the type description in :mod:`.schema`:

* decoding enforces element order, required elements and value syntax, raising 30003 (unexpected element),
  30002 (missing element) or 30001 (bad value) faults that name the field path;
* encoding writes the fields of the requested version in schema order, so the domain can hand over the newest
  (2014) field set and older versions simply drop what they do not have.

Decoded values: ``str``, ``int``, ``bool``, ``float``, ``datetime`` (naive when the client sent no offset),
``bytes`` for ``xsd:base64Binary``,
``dict`` for complex types and ``list`` for repeated elements and ``XArray`` types.
"""

from __future__ import annotations

import base64
import binascii
import math
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta, timezone
from typing import Any, Final

from lxml import etree

from ..errors import IpsFault
from .schema import ComplexType, Field, Schema
from .xml import xml_safe

__all__ = [
    "decode",
    "encode",
    "format_datetime",
    "format_double",
    "from_mapping",
    "in_namespace",
    "parse_datetime",
]

XSI_NIL: Final = "{http://www.w3.org/2001/XMLSchema-instance}nil"

_INT_RE: Final = re.compile(r"[+-]?[0-9]+")
_DOUBLE_RE: Final = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?|[+-]?INF|NaN")
_DATETIME_RE: Final = re.compile(
    r"(?P<date>-?[0-9]{4,}-[0-9]{2}-[0-9]{2})T(?P<time>[0-9]{2}:[0-9]{2}:[0-9]{2})(?P<frac>\.[0-9]+)?"
    r"(?P<tz>Z|[+-][0-9]{2}:[0-9]{2})?"
)
_INT_RANGES: Final = {"int": 2**31, "long": 2**63}


# ------------------------------------------------------------------------------------------------- decoding


def decode(element: etree._Element, ctype: ComplexType, schema: Schema) -> dict[str, Any]:
    """Decode a Param element (or any element of a complex type) into a dict keyed by field name."""
    return _decode_complex(element, ctype, schema, path="")


def _decode_complex(element: etree._Element, ctype: ComplexType, schema: Schema, path: str) -> dict[str, Any]:
    _reject_text(element, path or ctype.name)
    namespace = schema.namespace
    positions = _positions(ctype)
    seen: dict[str, list[etree._Element]] = {}
    last = -1
    for child in element:
        child_namespace, localname = _split_tag(child)
        index = positions.get(localname)
        if child_namespace != namespace or index is None:
            expected = ", ".join(f.name for f in ctype.fields) or "no elements"
            raise IpsFault.invalid_request_xml(
                f"Unexpected element {{{child_namespace or ''}}}{localname} in {path or ctype.name}; "
                f"expected {expected} in namespace {namespace}"
            )
        field = ctype.fields[index]
        if index < last or (index == last and not field.repeated):
            where = f"{path}/{localname}".lstrip("/")
            raise IpsFault.invalid_request_xml(
                f"Element '{where}' is out of order or repeated; the schema order is "
                + ", ".join(f.name for f in ctype.fields)
            )
        last = index
        seen.setdefault(field.name, []).append(child)

    out: dict[str, Any] = {}
    for field in ctype.fields:
        found = seen.get(field.name)
        elements = [el for el in found if el.get(XSI_NIL) not in ("true", "1")] if found else found
        if not elements:
            if field.required:
                raise IpsFault.missing_parameter(f"{path}/{field.name}".lstrip("/"))
            if field.repeated:
                out[field.name] = []
            continue
        where = f"{path}/{field.name}".lstrip("/")
        if field.repeated:
            _check_bound(len(elements), field, where)
            out[field.name] = [
                _decode_value(el, field, schema, f"{where}[{i}]") for i, el in enumerate(elements, start=1)
            ]
        else:
            out[field.name] = _decode_value(elements[0], field, schema, where)
    return out


_POSITIONS: dict[int, tuple[ComplexType, dict[str, int]]] = {}
"""Each complex type's field positions by name, keyed by the type's identity (the schema's types live as long as
the process; the entry keeps its type, so an id is never reused while it is cached)."""


def _positions(ctype: ComplexType) -> dict[str, int]:
    entry = _POSITIONS.get(id(ctype))
    if entry is None or entry[0] is not ctype:
        entry = _POSITIONS[id(ctype)] = (ctype, {f.name: i for i, f in enumerate(ctype.fields)})
    return entry[1]


def _split_tag(element: etree._Element) -> tuple[str | None, str]:
    """(namespace, local name) as ``etree.QName`` gives them, read from the tag string without building one."""
    tag = element.tag
    if isinstance(tag, str):
        if tag[:1] == "{":
            namespace, _, localname = tag[1:].partition("}")
            return namespace, localname
        return None, tag
    qname = etree.QName(element)
    return qname.namespace, qname.localname


def _check_bound(count: int, field: Field, path: str) -> None:
    """A repeated field with a finite maxOccurs (UrlArray: 1000) takes no more."""
    if field.max_occurs is not None and count > field.max_occurs:
        raise IpsFault.invalid_parameter(path, f"{count} values given; at most {field.max_occurs} are allowed")


def _decode_value(element: etree._Element, field: Field, schema: Schema, path: str) -> Any:
    if not field.is_simple:
        ctype = schema.type(field.type)
        value = _decode_complex(element, ctype, schema, path)
        item = ctype.array_item
        return value[item.name] if item is not None else value
    if len(element):
        raise IpsFault.invalid_request_xml(f"Element '{path}' must hold a {field.type} value, not elements")
    text = element.text or ""
    return _parse_simple(text, field.type, path)


def _reject_text(element: etree._Element, path: str) -> None:
    for text in (element.text, *(child.tail for child in element)):
        if text and not text.isspace():
            raise IpsFault.invalid_request_xml(f"Element '{path}' must hold only elements, not text")


def _parse_simple(text: str, type_: str, path: str) -> Any:
    if type_ == "string":
        return text
    value = text.strip()
    if type_ in _INT_RANGES:
        bound = _INT_RANGES[type_]
        if not _INT_RE.fullmatch(value) or not -bound <= int(value) < bound:
            raise IpsFault.invalid_parameter(path, f"{text!r} is not a valid xsd:{type_}")
        return int(value)
    if type_ == "boolean":
        if value in ("true", "1"):
            return True
        if value in ("false", "0"):
            return False
        raise IpsFault.invalid_parameter(path, f"{text!r} is not a valid xsd:boolean (use true or false)")
    if type_ == "double":
        if not _DOUBLE_RE.fullmatch(value):
            raise IpsFault.invalid_parameter(path, f"{text!r} is not a valid xsd:double")
        return float(value.replace("INF", "inf"))
    if type_ == "dateTime":
        try:
            return parse_datetime(value)
        except ValueError as exc:
            raise IpsFault.invalid_parameter(path, f"{text!r} is not a valid xsd:dateTime ({exc})") from None
    if type_ == "base64Binary":
        try:
            return base64.b64decode("".join(value.split()), validate=True)
        except binascii.Error:
            raise IpsFault.invalid_parameter(path, "the value is not valid xsd:base64Binary") from None
    raise AssertionError(f"unknown simple type {type_}")  # the schema test rules this out


def parse_datetime(value: str) -> datetime:
    """Parse an ``xsd:dateTime``. The result is naive when the value has no time zone."""
    match = _DATETIME_RE.fullmatch(value)
    if not match:
        raise ValueError("expected yyyy-MM-ddTHH:mm:ss[.SSS][Z|±HH:MM]")
    frac = (match["frac"] or ".0")[1:]
    micros = int(frac[:6].ljust(6, "0"))
    base = datetime.fromisoformat(f"{match['date']}T{match['time']}").replace(microsecond=micros)
    tz = match["tz"]
    if tz is None:
        return base
    if tz == "Z":
        return base.replace(tzinfo=UTC)
    sign = -1 if tz[0] == "-" else 1
    hours, minutes = int(tz[1:3]), int(tz[4:6])
    if hours > 14 or minutes > 59:
        raise ValueError(f"time zone offset {tz} is out of range")
    return base.replace(tzinfo=timezone(sign * timedelta(hours=hours, minutes=minutes)))


# ------------------------------------------------------------------------------------------------- encoding


def encode(name: str, value: Mapping[str, Any], ctype: ComplexType, schema: Schema) -> etree._Element:
    """Build the global element ``name`` (e.g. ``getCompanyInfoReturn``) with a default namespace, as IPS does.

    ``value`` maps field names to Python values. A missing optional field is left out; ``None`` counts as
    missing. A missing required field is a bug in the caller and raises ``ValueError``.
    """
    namespace = schema.namespace
    root = etree.Element(f"{{{namespace}}}{name}", nsmap={None: namespace})
    _encode_fields(root, value, ctype, schema, name)
    return root


def _encode_fields(
    parent: etree._Element, value: Mapping[str, Any], ctype: ComplexType, schema: Schema, path: str
) -> None:
    namespace = schema.namespace
    for field in ctype.fields:
        item = value.get(field.name)
        if item is None:
            if field.required:
                raise ValueError(f"{path}/{field.name} is required by the schema but the fake produced none")
            continue
        tag = f"{{{namespace}}}{field.name}"
        items: Sequence[Any] = item if field.repeated else (item,)
        for one in items:
            child = etree.SubElement(parent, tag)
            if field.is_simple:
                child.text = _format_simple(one, field.type, path, field.name)
            else:
                _encode_complex(child, one, schema.type(field.type), schema, f"{path}/{field.name}")


def _encode_complex(element: etree._Element, value: Any, ctype: ComplexType, schema: Schema, path: str) -> None:
    item = ctype.array_item
    if item is not None and not isinstance(value, Mapping):
        value = {item.name: list(value)}
    _encode_fields(element, value, ctype, schema, path)


def _format_simple(value: Any, type_: str, path: str, name: str) -> str:
    """``value`` as the text of a ``type_`` element; ``path`` and ``name`` (the element's parent path and its
    name) only say where in an error."""
    if type_ == "string":
        return xml_safe(str(value))
    if type_ == "boolean":
        return "true" if value else "false"
    if type_ in _INT_RANGES:
        return str(int(value))
    if type_ == "double":
        return format_double(float(value))
    if type_ == "dateTime":
        if not isinstance(value, datetime):
            raise TypeError(f"{path}/{name}: expected a datetime, got {value!r}")
        return format_datetime(value)
    if type_ == "base64Binary" and isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return xml_safe(str(value))


def in_namespace(element: etree._Element, namespace: str) -> etree._Element:
    """A copy of ``element`` with every element in ``namespace`` (default namespace, no prefixes): a canned or
    recorded ``<op>Return`` answered in the namespace of the request at hand."""
    copy = etree.Element(f"{{{namespace}}}{etree.QName(element).localname}", nsmap={None: namespace})
    copy.text = element.text
    for child in element:
        if isinstance(child.tag, str):
            copy.append(in_namespace(child, namespace))
            copy[-1].tail = child.tail
    return copy


def format_datetime(value: datetime) -> str:
    """IPS style: ``yyyy-MM-ddTHH:mm:ss.SSS±HH:MM`` in the value's own offset (IPS-REFERENCE §1.6)."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"refusing to send a naive datetime {value!r}: the fake must localize it first")
    offset = value.utcoffset() or timedelta(0)
    total = int(offset.total_seconds() // 60)
    sign = "-" if total < 0 else "+"
    hours, minutes = divmod(abs(total), 60)
    return f"{value:%Y-%m-%dT%H:%M:%S}.{value.microsecond // 1000:03d}{sign}{hours:02d}:{minutes:02d}"


def format_double(value: float) -> str:
    """Java's ``Double.toString``: ``72.0``, ``0.5``, ``1.0E7``, ``1.0E-4``, ``Infinity``, ``NaN``."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0 or 1e-3 <= abs(value) < 1e7:
        text = repr(value)
        return text if "." in text or "e" in text else f"{text}.0"
    # Computerized scientific notation with the shortest mantissa that round-trips, as Java prints it.
    for precision in range(17):
        text = f"{value:.{precision}e}"
        if float(text) == value:
            break
    mantissa, _, exponent = text.partition("e")
    mantissa = mantissa if "." in mantissa else f"{mantissa}.0"
    return f"{mantissa}E{int(exponent)}"


# ---------------------------------------------------------------------------------------- plain mappings


def from_mapping(value: Any, ctype: ComplexType, schema: Schema, path: str = "") -> dict[str, Any]:
    """Check a plain mapping (e.g. from a scenario file) against a complex type, as :func:`decode` checks XML.

    Arrays may be given as lists. Returns the same shape :func:`decode` would, and raises the same faults:
    30003 for an unknown field, 30002 for a missing required one, 30001 for a value of the wrong type.
    """
    if not isinstance(value, Mapping):
        raise IpsFault.invalid_parameter(path or ctype.name, f"expected a mapping of {ctype.name} fields")
    unknown = [key for key in value if ctype.field(key) is None]
    if unknown:
        expected = ", ".join(f.name for f in ctype.fields) or "no fields"
        raise IpsFault.invalid_request_xml(f"Unknown field {unknown[0]!r} in {path or ctype.name}; expected {expected}")
    out: dict[str, Any] = {}
    for f in ctype.fields:
        item = value.get(f.name)
        if item is None:
            if f.required:
                raise IpsFault.missing_parameter(f"{path}/{f.name}".lstrip("/"))
            if f.repeated:
                out[f.name] = []
            continue
        where = f"{path}/{f.name}".lstrip("/")
        if f.repeated:
            items = item if isinstance(item, list) else [item]
            _check_bound(len(items), f, where)
            out[f.name] = [_from_value(one, f, schema, f"{where}[{i}]") for i, one in enumerate(items, start=1)]
        else:
            out[f.name] = _from_value(item, f, schema, where)
    return out


_MAPPING_KINDS: Final[dict[str, tuple[type, ...]]] = {
    "string": (str,),
    "int": (int,),
    "long": (int,),
    "double": (int, float),
    "boolean": (bool,),
    "dateTime": (str, datetime),
    "base64Binary": (str, bytes),
}
"""The Python types a plain mapping may give for each simple XSD type."""


def _from_value(value: Any, field: Field, schema: Schema, path: str) -> Any:
    if not field.is_simple:
        ctype = schema.type(field.type)
        item = ctype.array_item
        if item is not None and isinstance(value, list):
            value = {item.name: value}
        decoded = from_mapping(value, ctype, schema, path)
        return decoded[item.name] if item is not None else decoded
    if (isinstance(value, bool) and field.type != "boolean") or not isinstance(value, _MAPPING_KINDS[field.type]):
        raise IpsFault.invalid_parameter(path, f"{value!r} is not a valid xsd:{field.type}")
    if field.type in _INT_RANGES:
        return _parse_simple(str(value), field.type, path)
    if field.type == "double" and isinstance(value, int | float):
        return float(value)
    if field.type in ("dateTime", "base64Binary") and isinstance(value, str):
        return _parse_simple(value, field.type, path)
    return value
