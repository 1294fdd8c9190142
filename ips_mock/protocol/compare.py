"""Compare IPS payloads the way a replay needs to: schema-free, after normalizing what may differ.

* :func:`element_params` reads any ``<op>Param`` (or any element) as plain data: local names as keys, text as
  strings, repeated elements as lists. It needs no type description, so it works for every operation.
* :class:`Normalization` says what is expected to differ between two runs of the same conversation (dates,
  run ids, run names, other handles, whole elements); :func:`diff_payloads` compares two payloads after
  applying it and names each difference by its element path.
"""

from __future__ import annotations

import collections
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from lxml import etree

from ..errors import IpsFault
from . import ns
from .xml import parse_xml

__all__ = ["Difference", "Normalization", "diff_payloads", "element_params", "local_path", "reply_payload"]

_DATETIME: Final = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?")
_RUN_STAMP: Final = re.compile(r"_\d{4}-\d{2}-\d{2}-\d{2}:\d{2}(:\d{2}(\.\d{3})?)?")
_RUN_ID: Final = re.compile(r"^(j\|[^|]*\|[^|]*\|[^|]*\|)\d+$")
_HANDLE: Final = re.compile(r"^[a-z]\|.*")


def element_params(element: etree._Element) -> Any:
    """``element``'s content as plain data: a mapping of children by local name (a list for a name that repeats),
    or its text when it has no element children."""
    children = [c for c in element if isinstance(c.tag, str)]
    if not children:
        return element.text or ""
    counts = collections.Counter(etree.QName(c).localname for c in children)
    out: dict[str, Any] = {}
    for child in children:
        name = etree.QName(child).localname
        if counts[name] > 1:
            out.setdefault(name, []).append(element_params(child))
        else:
            out[name] = element_params(child)
    return out


@dataclass(frozen=True)
class Normalization:
    """What a comparison ignores. The defaults fit comparing a recording with a fresh fake, or two fakes."""

    dates: bool = True
    """Every ``xsd:dateTime``-looking text compares equal to any other."""
    run_names: bool = True
    """The ``_yyyy-MM-dd-HH:mm:ss.SSS`` stamp in run names (and in handles and log messages that carry them)."""
    run_ids: bool = True
    """The run id that ends an active-run handle (``j|co||name|<id>``)."""
    handles: bool = False
    """Every handle (``c|…``, ``j|…``, ``a|…``, ``u|…``) compares equal to any other."""
    ignore: tuple[str, ...] = field(default=())
    """Element paths (local names from the payload root, e.g. ``getActiveJobsReturn/jobArray/items/progress``)
    whose content is not compared at all."""

    def text(self, value: str) -> str:
        if self.handles and _HANDLE.match(value):
            return "<handle>"
        if self.run_ids:
            value = _RUN_ID.sub(r"\1<runId>", value)
        if self.run_names:
            value = _RUN_STAMP.sub("_<stamp>", value)
        if self.dates:
            value = _DATETIME.sub("<dateTime>", value)
        return value

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any] | None) -> Normalization:
        data = data or {}
        return cls(
            dates=bool(data.get("dates", True)),
            run_names=bool(data.get("run_names", True)),
            run_ids=bool(data.get("run_ids", True)),
            handles=bool(data.get("handles", False)),
            ignore=tuple(data.get("ignore", ())),
        )


@dataclass(frozen=True)
class Difference:
    path: str
    expected: str | None
    got: str | None

    def __str__(self) -> str:
        def show(value: str | None) -> str:
            return "(absent)" if value is None else repr(value)

        return f"{self.path}: expected {show(self.expected)}, got {show(self.got)}"


def local_path(element: etree._Element) -> str:
    """``root/child/grandchild`` in local names, for matching :attr:`Normalization.ignore`."""
    names = [etree.QName(element).localname]
    for ancestor in element.iterancestors():
        names.append(etree.QName(ancestor).localname)
    return "/".join(reversed(names))


def diff_payloads(
    expected: etree._Element, got: etree._Element, rules: Normalization, *, limit: int = 20
) -> list[Difference]:
    """The differences between two payloads after normalization, at most ``limit``, in document order.

    Paths carry 1-based positions among same-named siblings where there are several (``items[2]``)."""
    out: list[Difference] = []
    _diff(expected, got, rules, etree.QName(expected).localname, out, limit)
    return out


def _diff(
    a: etree._Element, b: etree._Element, rules: Normalization, path: str, out: list[Difference], limit: int
) -> None:
    if len(out) >= limit:
        return
    if etree.QName(a).localname != etree.QName(b).localname:
        out.append(Difference(path, etree.QName(a).localname, etree.QName(b).localname))
        return
    if local_path(a) in rules.ignore:
        return
    kids_a = [c for c in a if isinstance(c.tag, str)]
    kids_b = [c for c in b if isinstance(c.tag, str)]
    if not kids_a and not kids_b:
        text_a, text_b = rules.text((a.text or "").strip()), rules.text((b.text or "").strip())
        if text_a != text_b:
            out.append(Difference(path, (a.text or "").strip(), (b.text or "").strip()))
        return
    for name, one, other, position in _pair(kids_a, kids_b):
        where = f"{path}/{name}" + (f"[{position}]" if position else "")
        if one is None or other is None:
            if other is not None and local_path(other) in rules.ignore:
                continue
            if one is not None and local_path(one) in rules.ignore:
                continue
            out.append(Difference(where, _summary(one), _summary(other)))
            if len(out) >= limit:
                return
            continue
        _diff(one, other, rules, where, out, limit)


def _pair(
    kids_a: list[etree._Element], kids_b: list[etree._Element]
) -> Iterable[tuple[str, etree._Element | None, etree._Element | None, int]]:
    """Children paired by local name and position among their same-named siblings, in ``a``'s order."""
    names: list[str] = []
    for kid in [*kids_a, *kids_b]:
        name = etree.QName(kid).localname
        if name not in names:
            names.append(name)
    for name in names:
        group_a = [k for k in kids_a if etree.QName(k).localname == name]
        group_b = [k for k in kids_b if etree.QName(k).localname == name]
        several = max(len(group_a), len(group_b)) > 1
        for i in range(max(len(group_a), len(group_b))):
            yield (
                name,
                group_a[i] if i < len(group_a) else None,
                group_b[i] if i < len(group_b) else None,
                i + 1 if several else 0,
            )


def _summary(element: etree._Element | None) -> str | None:
    if element is None:
        return None
    if len(element):
        return f"<{etree.QName(element).localname}> with {len(element)} element(s)"
    return (element.text or "").strip()


def reply_payload(body: bytes) -> etree._Element | None:
    """The payload of a reply in any transport: the ``<op>Return``, or a fault's ``flt:`` detail element; None
    when the body is not an IPS reply at all (an HTML error page, garbage, nothing)."""
    try:
        root = parse_xml(body)
    except IpsFault:
        return None
    if etree.QName(root).namespace in (ns.SOAP11_ENV, ns.SOAP12_ENV):
        body_el = root[-1] if len(root) else None
        payload = body_el[0] if body_el is not None and len(body_el) else None
        if payload is not None and etree.QName(payload).localname == "Fault":
            detail = payload[-1]
            return detail[0] if len(detail) else None
        return payload
    return root
