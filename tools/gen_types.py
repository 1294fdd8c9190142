"""Generate ``ips_mock/protocol/ipsapi_types.py`` from Adobe's IPS WSDLs.

    python tools/gen_types.py [--wsdl-dir DIR] [--out FILE]

Reads ``IpsApi-2014-04-03.wsdl`` and ``IpsApi-2013-02-15.wsdl`` (default: ``../shared/ips-wsdl/`` beside the
checkout) and writes a deterministic Python module: every complexType and global element of the versioned
namespace as a compact field list, the fault namespace's elements, and the operations of the port type, for
2014-04-03, plus what 2013-02-15 has differently. The WSDL files themselves never enter the package.
Needs only the standard library and lxml.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

__all__ = ["WsdlData", "main", "read_wsdl", "render_module"]

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_WSDL_DIR = ROOT.parent / "shared" / "ips-wsdl"
DEFAULT_OUT = ROOT / "ips_mock" / "protocol" / "ipsapi_types.py"
BASE, OLDER = "2014-04-03", "2013-02-15"

_W = "{http://schemas.xmlsoap.org/wsdl/}"
_X = "{http://www.w3.org/2001/XMLSchema}"
_FLT = "http://www.scene7.com/IpsApi/xsd"
_WIDTH = 120
_INDENT = 8


@dataclass(frozen=True)
class WsdlData:
    """What one WSDL file says, as field-list specs."""

    file_name: str
    sha256: str
    types: dict[str, str]
    elements: dict[str, str]
    flt_elements: dict[str, str]
    operations: tuple[str, ...]


def _occurs(el: etree._Element) -> str:
    """The suffix of a field token: '' (1..1), '?' (0..1), '*' (0..unbounded), '+' (1..unbounded), '[m..n]'."""
    low, high = el.get("minOccurs", "1"), el.get("maxOccurs", "1")
    marks = {("1", "1"): "", ("0", "1"): "?", ("0", "unbounded"): "*", ("1", "unbounded"): "+"}
    return marks.get((low, high), f"[{low}..{high}]")


def _spec(ctype: etree._Element, where: str) -> str:
    """``ctype`` (an xsd:complexType) as ``[@all] [@anyAttribute] name:type… ``."""
    tokens: list[str] = []
    groups = [c for c in ctype if c.tag in (f"{_X}sequence", f"{_X}all")]
    unknown = [
        etree.QName(c).localname for c in ctype if c.tag not in (f"{_X}sequence", f"{_X}all", f"{_X}anyAttribute")
    ]
    if unknown or len(groups) > 1:
        raise SystemExit(f"{where}: unsupported content {unknown or 'several groups'}; extend tools/gen_types.py")
    if groups and groups[0].tag == f"{_X}all":
        tokens.append("@all")
    anys = ctype.findall(f"{_X}anyAttribute")
    if anys:
        if [(a.get("namespace"), a.get("processContents")) for a in anys] != [("##other", "lax")]:
            raise SystemExit(f"{where}: unsupported anyAttribute; extend tools/gen_types.py")
        tokens.append("@anyAttribute")
    for el in groups[0] if groups else ():
        if (
            el.tag != f"{_X}element"
            or el.get("type") is None
            or set(el.attrib) - {"name", "type", "minOccurs", "maxOccurs"}
        ):
            raise SystemExit(f"{where}: unsupported particle {etree.tostring(el)!r}; extend tools/gen_types.py")
        prefix, _, local = el.get("type", "").rpartition(":")
        type_ns = el.nsmap.get(prefix or None)
        if type_ns == "http://www.w3.org/2001/XMLSchema":
            type_ = local
        elif type_ns == _target(el):
            type_ = local
            if not local[:1].isupper():
                raise SystemExit(f"{where}: complex type {local} does not start with a capital")
        else:
            raise SystemExit(f"{where}: type {el.get('type')} is in a foreign namespace")
        tokens.append(f"{el.get('name')}:{type_}{_occurs(el)}")
    return " ".join(tokens)


def _target(el: etree._Element) -> str | None:
    for ancestor in el.iterancestors(f"{_X}schema"):
        return ancestor.get("targetNamespace")
    return None


def read_wsdl(path: Path) -> WsdlData:
    """Read one IPS WSDL; refuse anything the spec syntax cannot say (simpleTypes, attributes, refs, …)."""
    raw = path.read_bytes()
    root = etree.fromstring(raw, etree.XMLParser(resolve_entities=False, no_network=True))
    schemas = {s.get("targetNamespace"): s for s in root.iterfind(f"{_W}types/{_X}schema")}
    if _FLT not in schemas or len(schemas) != 2:
        raise SystemExit(f"{path}: expected the versioned schema and {_FLT}, found {sorted(map(str, schemas))}")
    (versioned_ns,) = (n for n in schemas if n != _FLT)
    if any(True for _ in root.iter(f"{_X}simpleType", f"{_X}enumeration", f"{_X}attribute", f"{_X}complexContent")):
        raise SystemExit(f"{path}: has simpleType, enumeration, attribute or complexContent; extend the generator")

    def globals_of(schema: etree._Element) -> tuple[dict[str, str], dict[str, str]]:
        types: dict[str, str] = {}
        elements: dict[str, str] = {}
        for child in schema:
            if not isinstance(child.tag, str):
                continue
            name = child.get("name", "")
            if child.tag == f"{_X}complexType":
                types[name] = _spec(child, f"{path.name}: type {name}")
            elif child.tag == f"{_X}element" and len(child) == 1 and child[0].tag == f"{_X}complexType":
                elements[name] = _spec(child[0], f"{path.name}: element {name}")
            else:
                raise SystemExit(f"{path.name}: unsupported global {etree.tostring(child)[:80]!r}")
        return types, elements

    types, elements = globals_of(schemas[versioned_ns])
    flt_types, flt_elements = globals_of(schemas[_FLT])
    if flt_types:
        raise SystemExit(f"{path.name}: named types in {_FLT}: {sorted(flt_types)}")
    port_types = root.findall(f"{_W}portType")
    if len(port_types) != 1:
        raise SystemExit(f"{path.name}: expected one portType")
    operations = tuple(op.get("name", "") for op in port_types[0].iterfind(f"{_W}operation"))
    for op in operations:
        if f"{op}Param" not in elements or f"{op}Return" not in elements:
            raise SystemExit(f"{path.name}: operation {op} has no {op}Param/{op}Return element")
    return WsdlData(path.name, hashlib.sha256(raw).hexdigest(), types, elements, flt_elements, operations)


# --------------------------------------------------------------------------------------------------- output


def _entry(key: str, value: str) -> list[str]:
    """One ``"key": "spec",`` dict entry as ruff would format it: on one line if it fits, else the spec in
    parentheses, wrapped at field boundaries when it does not fit on a line of its own."""
    line = f'    "{key}": "{value}",'
    if len(line) <= _WIDTH:
        return [line]
    if len(value) + 2 + _INDENT <= _WIDTH:
        pieces = [value]
    else:
        pieces = textwrap.wrap(value, _WIDTH - _INDENT - 3, break_long_words=False, break_on_hyphens=False)
    body = [f'{" " * _INDENT}"{piece} "' for piece in pieces[:-1]] + [f'{" " * _INDENT}"{pieces[-1]}"']
    return [f'    "{key}": (', *body, "    ),"]


def _mapping(name: str, annotation: str, entries: Iterable[tuple[str, str | None]], comments: dict[str, str]) -> str:
    out = [f"{name}: Final[{annotation}] = {{"]
    for key, value in entries:
        out.extend(f"    # {comment}" for comment in textwrap.wrap(comments.get(key, ""), _WIDTH - 6))
        out.extend([f'    "{key}": None,'] if value is None else _entry(key, value))
    out.append("}")
    return "\n".join(out)


def _names(name: str, names: Sequence[str]) -> str:
    if not names:
        return f"{name}: Final[tuple[str, ...]] = ()"
    body = textwrap.wrap(" ".join(names), _WIDTH - 4, break_long_words=False, break_on_hyphens=False)
    lines = "\n".join(f"    {line}" for line in body)
    return f'{name}: Final[tuple[str, ...]] = tuple(\n    """\n{lines}\n    """.split()\n)'


def _field_changes(new: str, old: str) -> str:
    """A short note on how ``old`` (2013) differs from ``new`` (2014), by field name."""
    new_fields = [t.split(":")[0] for t in new.split()]
    old_fields = [t.split(":")[0] for t in old.split()]
    notes = []
    if lacks := [f for f in new_fields if f not in old_fields]:
        notes.append("no " + ", ".join(lacks))
    if adds := [f for f in old_fields if f not in new_fields]:
        notes.append("adds " + ", ".join(adds))
    same = [f for f in new_fields if f in old_fields]
    if changed := [t.split(":")[0] for t in old.split() if t.split(":")[0] in same and t not in new.split()]:
        notes.append("changes " + ", ".join(changed))
    if not notes:
        notes.append("same fields in another order")
    return f"{OLDER}: " + "; ".join(notes) + "."


def _diff(new: dict[str, str], old: dict[str, str]) -> tuple[list[tuple[str, str | None]], dict[str, str]]:
    entries: list[tuple[str, str | None]] = []
    comments: dict[str, str] = {}
    for name, spec in new.items():
        if name not in old:
            entries.append((name, None))
            comments[name] = f"Not in {OLDER}."
        elif old[name] != spec:
            entries.append((name, old[name]))
            comments[name] = _field_changes(spec, old[name])
    for name, spec in old.items():
        if name not in new:
            entries.append((name, spec))
            comments[name] = f"Only in {OLDER}."
    return entries, comments


def render_module(base: WsdlData, older: WsdlData) -> str:
    """The text of ``ipsapi_types.py``."""
    if base.flt_elements != older.flt_elements:
        raise SystemExit("the fault namespace differs between the two WSDLs; extend the generator")
    types_diff, types_notes = _diff(base.types, older.types)
    elements_diff, elements_notes = _diff(base.elements, older.elements)
    header = f'''\
"""Adobe's IPS API types and operations, generated from its WSDLs. Do not edit: regenerate.

Generated by ``tools/gen_types.py`` from (see ``SOURCES.md`` beside the files for where they come from):

* ``{base.file_name}``, sha256 ``{base.sha256}``
* ``{older.file_name}``, sha256 ``{older.sha256}``

Regenerate with ``python tools/gen_types.py`` from the repository root (it reads ``../shared/ips-wsdl/``;
``--wsdl-dir DIR`` reads the files elsewhere). A test fails when this file differs from a fresh regeneration.

The description is {BASE} (``TYPES``, ``ELEMENTS``, ``OPERATIONS``) plus what {OLDER} has differently
(``TYPES_{OLDER[:4]}``, ``ELEMENTS_{OLDER[:4]}``: the full field list of each type or element that differs or is only
there, ``None`` for one it lacks; ``OPERATIONS_ONLY_{BASE[:4]}`` and ``OPERATIONS_ONLY_{OLDER[:4]}``). ``FLT_ELEMENTS``
is the fault namespace ``{_FLT}``, the same in both files.

A field list is ``name:type`` tokens in schema order: no mark is minOccurs=maxOccurs=1, ``?`` minOccurs="0", ``*``
minOccurs="0" maxOccurs="unbounded", ``+`` maxOccurs="unbounded", ``[m..n]`` the bounds as written. Lower-case
types are XML Schema built-ins, capitalised ones complex types of the same namespace. ``@all`` marks an
``xsd:all`` group (else ``xsd:sequence``), ``@anyAttribute`` an ``<anyAttribute namespace="##other"
processContents="lax"/>``. The WSDLs declare no simpleType and no enumeration: every enum-like field is
``xsd:string``.
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "ELEMENTS",
    "ELEMENTS_{OLDER[:4]}",
    "FLT_ELEMENTS",
    "OPERATIONS",
    "OPERATIONS_ONLY_{OLDER[:4]}",
    "OPERATIONS_ONLY_{BASE[:4]}",
    "SOURCES",
    "TYPES",
    "TYPES_{OLDER[:4]}",
]

SOURCES: Final = (
    ("{base.file_name}", "{base.sha256}"),
    ("{older.file_name}", "{older.sha256}"),
)
'''
    only_base = [op for op in base.operations if op not in older.operations]
    only_older = [op for op in older.operations if op not in base.operations]
    parts = [
        header,
        f"# The operations of IpsApiPortType, {BASE}, in the WSDL's order.",
        _names("OPERATIONS", base.operations),
        "",
        f"# Named complex types of the {BASE} namespace, in the WSDL's order.",
        _mapping("TYPES", "dict[str, str]", base.types.items(), {}),
        "",
        f"# Global elements of the {BASE} namespace (<op>Param, <op>Return, authHeader), in the WSDL's order.",
        _mapping("ELEMENTS", "dict[str, str]", base.elements.items(), {}),
        "",
        "# Global elements of the fault namespace (fault details and the legacy authHeader).",
        _mapping("FLT_ELEMENTS", "dict[str, str]", base.flt_elements.items(), {}),
        "",
        f"# What {OLDER} has differently.",
        _names(f"OPERATIONS_ONLY_{BASE[:4]}", only_base),
        _names(f"OPERATIONS_ONLY_{OLDER[:4]}", only_older),
        _mapping(f"TYPES_{OLDER[:4]}", "dict[str, str | None]", types_diff, types_notes),
        _mapping(f"ELEMENTS_{OLDER[:4]}", "dict[str, str | None]", elements_diff, elements_notes),
    ]
    return "\n".join(parts) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--wsdl-dir", type=Path, default=DEFAULT_WSDL_DIR, help=f"default: {DEFAULT_WSDL_DIR}")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"default: {DEFAULT_OUT}")
    args = parser.parse_args(argv)
    paths = [args.wsdl_dir / f"IpsApi-{version}.wsdl" for version in (BASE, OLDER)]
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        print(f"gen_types: missing {', '.join(missing)} (pass --wsdl-dir)", file=sys.stderr)
        return 2
    text = render_module(read_wsdl(paths[0]), read_wsdl(paths[1]))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(f"gen_types: wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
